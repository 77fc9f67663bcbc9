/*
 * Guides and booklets.  A guide belongs to one governorate and topic and
 * has a version per language; a reader sees the version in their own
 * language when there is one and can switch to the others.  Counsellors
 * write in markdown, rendered once on save by the markdown workers; each
 * save is kept in guide_revisions and names the revision it started from,
 * so two counsellors editing at once cannot overwrite each other unseen.
 * A booklet is every guide of one governorate in one language: a page
 * that prints cleanly (magnet.css, @media print) and the same content as
 * one HTML file to read offline.  That file carries its small stylesheet
 * inline and its own Content-Security-Policy in a <meta> element; the
 * HTTP response that delivers it is an attachment with the site's strict
 * headers, since a browser applies those to the download, not to the
 * file opened later from disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "guide.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"

#define TITLE_MIN	3
#define TITLE_MAX	200
#define BODY_MAX	30000	/* characters; md.c caps the bytes too */
#define NOTE_MAX	200
#define BOARD_MAX	12	/* guides listed on a board */

const char *const guide_topics[] = {
	"work", "training", "housing", "documents", "health", "schooling",
	NULL
};
const char *const guide_topic_names[] = {
	N_("Work"), N_("Training"), N_("Housing"), N_("Documents"),
	N_("Health"), N_("Schooling")
};
const char *const guide_langs[] = { "en", "ckb", "kmr-Arab", "ar", NULL };

const struct param guide_list_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates },
	{ "topic", P_ENUM, P_QUERY, 0, 0, 0, guide_topics },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param guide_view_params[] = {
	{ "lang", P_ENUM, P_QUERY, 0, 0, 0, guide_langs },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param guide_new_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "topic", P_ENUM, P_FORM, 0, 0, 1, guide_topics },
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, guide_langs },
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, BODY_MAX, 1, NULL },
	{ "reviewed", P_LINE, P_FORM, 0, 20, 0, NULL },
	{ "note", P_LINE, P_FORM, 0, NOTE_MAX, 0, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param guide_edit_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "topic", P_ENUM, P_FORM, 0, 0, 1, guide_topics },
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, guide_langs },
	{ "rev", P_INT, P_FORM, 0, 1000000000, 1, NULL },
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, BODY_MAX, 1, NULL },
	{ "reviewed", P_LINE, P_FORM, 0, 20, 0, NULL },
	{ "note", P_LINE, P_FORM, 0, NOTE_MAX, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

#define LANG_ORDER(c) "array_position(ARRAY['en', 'ckb', 'kmr-Arab', " \
	"'ar'], " c ")"
#define GOV_ORDER(c) "array_position(ARRAY['erbil', 'sulaymaniyah', " \
	"'duhok', 'halabja'], " c ")"
#define TOPIC_ORDER(c) "array_position(ARRAY['work', 'training', " \
	"'housing', 'documents', 'health', 'schooling'], " c ")"
#define DAY(c) "to_char(" c ", 'YYYY-MM-DD')"
/* Not reviewed for a year: the reader is warned. */
#define STALE(c) "(" c " < (now() AT TIME ZONE 'Asia/Baghdad')::date - 365)"

static const struct db_stmt stmts[] = {
	/* Each guide once, in the reader's language if it has that
	 * version, else English, else the first there is. */
	{ "guide_list",
	    "SELECT g.id, g.governorate, g.topic, v.title, v.lang, "
	    DAY("v.reviewed_on") ", (SELECT string_agg(x.lang, ' ' ORDER BY "
	    LANG_ORDER("x.lang") ") FROM guide_versions x "
	    "WHERE x.guide_id = g.id) "
	    "FROM guides g CROSS JOIN LATERAL (SELECT title, lang, "
	    "reviewed_on FROM guide_versions WHERE guide_id = g.id "
	    "ORDER BY lang = $1 DESC, lang = 'en' DESC, " LANG_ORDER("lang")
	    " LIMIT 1) v "
	    "WHERE ($2 = '' OR g.governorate = $2) AND ($3 = '' OR "
	    "g.topic = $3) ORDER BY " GOV_ORDER("g.governorate") ", "
	    TOPIC_ORDER("g.topic") ", g.id LIMIT $4" },
	{ "guide_counts",
	    "SELECT g.governorate, v.lang, count(*) FROM guides g "
	    "JOIN guide_versions v ON v.guide_id = g.id "
	    "WHERE $1 = '' OR g.governorate = $1 GROUP BY 1, 2 "
	    "ORDER BY " GOV_ORDER("g.governorate") ", " LANG_ORDER("v.lang") },
	{ "guide_versions",
	    "SELECT v.lang, v.title, v.body_html, " DAY("v.reviewed_on") ", "
	    "v.revision, g.governorate, g.topic, " STALE("v.reviewed_on") ", "
	    "v.body_md FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id WHERE g.id = $1 ORDER BY "
	    LANG_ORDER("v.lang") },
	{ "guide_booklet",
	    "SELECT g.id, g.topic, v.title, v.body_html, "
	    DAY("v.reviewed_on") ", " STALE("v.reviewed_on") " "
	    "FROM guides g JOIN guide_versions v ON v.guide_id = g.id "
	    "AND v.lang = $2 WHERE g.governorate = $1 "
	    "ORDER BY " TOPIC_ORDER("g.topic") ", g.id" },
	{ "guide_one",
	    "SELECT g.id, g.topic, v.title, v.body_html, "
	    DAY("v.reviewed_on") ", " STALE("v.reviewed_on") ", "
	    "g.governorate FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id AND v.lang = $2 WHERE g.id = $1" },
	{ "guide_insert",
	    "WITH g AS (INSERT INTO guides (governorate, topic, created_by, "
	    "idem_key) VALUES ($1, $2, $3, $4) RETURNING id), "
	    "v AS (INSERT INTO guide_versions (guide_id, lang, title, "
	    "body_md, body_html, reviewed_on, updated_by, search) "
	    "SELECT id, $5, $6, $7, $8, $9::date, $3, "
	    "to_tsvector('simple', magnet_fold($6 || ' ' || $7)) FROM g "
	    "RETURNING id, guide_id, revision), "
	    "r AS (INSERT INTO guide_revisions (version_id, revision, title, "
	    "body_md, reviewed_on, note, edited_by) SELECT id, revision, $6, "
	    "$7, $9::date, $10, $3 FROM v) "
	    "SELECT guide_id FROM v" },
	{ "guide_idem_find",
	    "SELECT g.id, v.lang FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id WHERE g.created_by = $1 AND g.idem_key = $2 "
	    "ORDER BY v.id LIMIT 1" },
	{ "guide_place_update",
	    "UPDATE guides SET governorate = $2, topic = $3 WHERE id = $1 "
	    "RETURNING id" },
	{ "guide_version_add",
	    "WITH v AS (INSERT INTO guide_versions (guide_id, lang, title, "
	    "body_md, body_html, reviewed_on, updated_by, search) "
	    "VALUES ($1, $2, $3, $4, $5, $6::date, $7, "
	    "to_tsvector('simple', magnet_fold($3 || ' ' || $4))) "
	    "ON CONFLICT (guide_id, lang) DO NOTHING RETURNING id, revision) "
	    "INSERT INTO guide_revisions (version_id, revision, title, "
	    "body_md, reviewed_on, note, edited_by) SELECT id, revision, $3, "
	    "$4, $6::date, $8, $7 FROM v RETURNING version_id" },
	{ "guide_version_update",
	    "WITH v AS (UPDATE guide_versions SET title = $3, body_md = $4, "
	    "body_html = $5, reviewed_on = $6::date, revision = revision + 1, "
	    "updated_at = now(), updated_by = $7, search = "
	    "to_tsvector('simple', magnet_fold($3 || ' ' || $4)) "
	    "WHERE guide_id = $1 AND lang = $2 AND revision = $9::integer "
	    "RETURNING id, revision) "
	    "INSERT INTO guide_revisions (version_id, revision, title, "
	    "body_md, reviewed_on, note, edited_by) SELECT id, revision, $3, "
	    "$4, $6::date, $8, $7 FROM v RETURNING version_id" },
	{ "guide_version_current",
	    "SELECT revision, updated_by, title, body_md FROM guide_versions "
	    "WHERE guide_id = $1 AND lang = $2" },
	{ "guide_revisions",
	    "SELECT r.revision, r.title, r.body_md, " DAY("r.reviewed_on") ", "
	    "r.note, u.username, to_char(r.edited_at AT TIME "
	    "ZONE 'Asia/Baghdad', 'YYYY-MM-DD HH24:MI'), to_char(r.edited_at "
	    "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM guide_revisions r JOIN guide_versions v ON v.id = "
	    "r.version_id JOIN users u ON u.id = r.edited_by "
	    "WHERE v.guide_id = $1 AND v.lang = $2 ORDER BY r.revision DESC" },
	{ "guide_search",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($1)) AS q, "
	    "'%' || replace(replace(replace(magnet_fold($1), '\\', '\\\\'), "
	    "'%', '\\%'), '_', '\\_') || '%' AS pat) "
	    "SELECT v.guide_id, v.lang, v.title, g.governorate, "
	    "ts_headline('simple', v.body_md, q.q, 'MaxWords=30, MinWords=12, "
	    "StartSel=\x01, StopSel=\x02, HighlightAll=false'), "
	    DAY("v.reviewed_on") " "
	    "FROM guide_versions v JOIN guides g ON g.id = v.guide_id, q "
	    "WHERE v.search @@ q.q OR magnet_fold(v.title) LIKE q.pat "
	    "ORDER BY (v.lang = $2) DESC, v.updated_at DESC LIMIT 10" },
};

void
guide_init(void)
{
	int i;

	/* P_ENUM gives an index into guide_langs: it must be enum lang. */
	for (i = 0; i < LANG__MAX; i++)
		if (guide_langs[i] == NULL ||
		    strcmp(guide_langs[i], i18n_langs[i].tag) != 0)
			log_fatalx("guide: language table out of order");
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const char *
id_str(struct request *req, long long id)
{
	return arena_printf(req->arena, "%lld", id);
}

static const char *
copy(struct request *req, struct buf *b)
{
	return arena_strndup(req->arena, b->p ? b->p : "", b->len);
}

static const char *
sdup(struct request *req, const char *s)
{
	return arena_strdup(req->arena, s);
}

static int
index_in(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

static const char *
topic_label(enum lang l, const char *topic)
{
	int i;

	if ((i = index_in(guide_topics, topic)) == -1)
		return "";
	return i18n_get(l, guide_topic_names[i]);
}

/* The language of a stored tag; English for anything unknown. */
static enum lang
tag_lang(const char *tag)
{
	int i;

	return (i = index_in(guide_langs, tag)) == -1 ? LANG_EN : (enum lang)i;
}

/* Today in Baghdad as YYYY-MM-DD.  Iraq has kept UTC+3 all year since
 * 2008; the database converts with the zone's name to the same result. */
static void
today(char out[11])
{
	struct tm tm;
	time_t t;

	t = time(NULL) + 3 * 3600;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* A link to a language version (or the current one, not linked). */
static void
lang_link(struct buf *b, const char *href, enum lang l, int current)
{
	if (current)
		buf_printf(b, "<strong lang=\"%s\" dir=\"%s\" "
		    "aria-current=\"true\">", i18n_langs[l].tag,
		    i18n_langs[l].dir);
	else {
		buf_puts(b, "<a href=\"");
		html_attr(b, href);
		buf_printf(b, "\" hreflang=\"%s\" lang=\"%s\" dir=\"%s\">",
		    i18n_langs[l].tag, i18n_langs[l].tag, i18n_langs[l].dir);
	}
	html_txt(b, i18n_langs[l].native);
	buf_puts(b, current ? "</strong> " : "</a> ");
}

/* The native names of the languages in a space-separated tag list. */
static const char *
lang_names(struct request *req, const char *tags)
{
	struct buf b;
	const char *p, *s;
	char tag[16];
	enum lang l;
	size_t n;

	buf_init(&b);
	for (p = tags; *p != '\0'; p += n) {
		p += strspn(p, " ");
		if ((n = strcspn(p, " ")) == 0 || n >= sizeof(tag))
			break;
		memcpy(tag, p, n);
		tag[n] = '\0';
		if (b.len > 0)
			buf_puts(&b, " · ");
		l = tag_lang(tag);
		buf_printf(&b, "<span lang=\"%s\" dir=\"%s\">",
		    i18n_langs[l].tag, i18n_langs[l].dir);
		html_txt(&b, i18n_langs[l].native);
		buf_puts(&b, "</span>");
	}
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

/* One row of guide_list through the guide_row template. */
static void
list_row(struct request *req, struct buf *out, const PGresult *r, int i)
{
	struct tmpl_vars v;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", sdup(req, db_val(r, i, 0)));
	tmpl_set(&v, "title", sdup(req, db_val(r, i, 3)));
	tmpl_set(&v, "clang", sdup(req, db_val(r, i, 4)));
	tmpl_set(&v, "cdir", i18n_langs[tag_lang(db_val(r, i, 4))].dir);
	tmpl_set(&v, "reviewed", i18n_digits(req->arena, req->lang,
	    db_val(r, i, 5)));
	tmpl_set(&v, "reviewed_iso", sdup(req, db_val(r, i, 5)));
	tmpl_set_raw(&v, "langs", lang_names(req, db_val(r, i, 6)));
	tmpl_render(out, "guide_row", req->lang, &v);
}

/* Booklet links of one governorate: the languages it has guides in. */
static const char *
booklet_links(struct request *req, const PGresult *c, const char *gov)
{
	struct buf b;
	const char *s;
	enum lang l;
	int i;

	buf_init(&b);
	for (i = 0; i < PQntuples(c); i++) {
		if (strcmp(db_val(c, i, 0), gov) != 0)
			continue;
		l = tag_lang(db_val(c, i, 1));
		lang_link(&b, arena_printf(req->arena, "/booklets/%s?lang=%s",
		    gov, i18n_langs[l].tag), l, 0);
	}
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

struct group {
	struct buf	 sections, topics, rows;
	const char	*gov, *topic;
};

static void
flush_topic(struct request *req, struct group *g)
{
	struct tmpl_vars v;

	if (g->topic == NULL)
		return;
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "name", topic_label(req->lang, g->topic));
	tmpl_set_raw(&v, "rows", copy(req, &g->rows));
	tmpl_render(&g->topics, "guide_topic", req->lang, &v);
	buf_reset(&g->rows);
	g->topic = NULL;
}

static void
flush_gov(struct request *req, struct group *g, const PGresult *c)
{
	struct tmpl_vars v;

	flush_topic(req, g);
	if (g->gov == NULL)
		return;
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "slug", g->gov);
	tmpl_set(&v, "name", place_governorate_label(req, g->gov));
	tmpl_set_raw(&v, "booklets", booklet_links(req, c, g->gov));
	tmpl_set_raw(&v, "topics", copy(req, &g->topics));
	tmpl_render(&g->sections, "guide_group", req->lang, &v);
	buf_reset(&g->topics);
	g->gov = NULL;
}

int
guide_list(struct request *req)
{
	struct tmpl_vars v;
	struct group g;
	const char *gov, *topic;
	PGresult *r, *c;
	int i;

	gov = param_err(req, "governorate") ? "" : param_str(req,
	    "governorate");
	topic = param_err(req, "topic") ? "" : param_str(req, "topic");
	if ((r = DB_EXEC("guide_list", i18n_langs[req->lang].tag, gov, topic,
	    "500")) == NULL)
		return page_unavailable(req);
	if ((c = DB_EXEC("guide_counts", gov)) == NULL) {
		PQclear(r);
		return page_unavailable(req);
	}
	memset(&g, 0, sizeof(g));
	buf_init(&g.sections);
	buf_init(&g.topics);
	buf_init(&g.rows);
	for (i = 0; i < PQntuples(r); i++) {
		if (g.gov == NULL || strcmp(g.gov, db_val(r, i, 1)) != 0) {
			flush_gov(req, &g, c);
			g.gov = sdup(req, db_val(r, i, 1));
		}
		if (g.topic == NULL || strcmp(g.topic, db_val(r, i, 2)) != 0) {
			flush_topic(req, &g);
			g.topic = sdup(req, db_val(r, i, 2));
		}
		list_row(req, &g.rows, r, i);
	}
	flush_gov(req, &g, c);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "empty", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(&v, "sections", copy(req, &g.sections));
	tmpl_set_raw(&v, "governorate_options", page_options(req,
	    place_governorates, place_governorate_names, 0, gov,
	    N_("All governorates")));
	tmpl_set_raw(&v, "topic_options", page_options(req, guide_topics,
	    guide_topic_names, 0, topic, N_("All topics")));
	buf_free(&g.sections);
	buf_free(&g.topics);
	buf_free(&g.rows);
	PQclear(c);
	PQclear(r);
	return page_render(req, 200, T(req, "Guides"), "guide_list", &v);
}

int
guides_for_board(struct request *req, const char *gov, struct buf *out)
{
	struct tmpl_vars v;
	struct buf rows;
	PGresult *r;
	int i, n;

	if (place_governorate_index(gov) == -1)
		return 0;
	if ((r = DB_EXEC("guide_list", i18n_langs[req->lang].tag, gov, "",
	    id_str(req, BOARD_MAX + 1))) == NULL)
		return -1;
	if ((n = PQntuples(r)) == 0) {
		PQclear(r);
		return 0;
	}
	buf_init(&rows);
	for (i = 0; i < n && i < BOARD_MAX; i++)
		list_row(req, &rows, r, i);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "heading", arena_printf(req->arena, T(req, "Guides for "
	    "%s"), place_governorate_label(req, gov)));
	tmpl_set(&v, "gov", gov);
	/* The booklet in the reader's language if a guide has that
	 * version (each row is in it when it exists), else in the language
	 * of the first guide: never an empty booklet. */
	tmpl_set(&v, "blang", sdup(req, db_val(r, 0, 4)));
	for (i = 0; i < n; i++)
		if (strcmp(db_val(r, i, 4), i18n_langs[req->lang].tag) == 0)
			tmpl_set(&v, "blang", i18n_langs[req->lang].tag);
	tmpl_set(&v, "more", n > BOARD_MAX ? "1" : NULL);
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	tmpl_render(out, "guide_board", req->lang, &v);
	buf_free(&rows);
	PQclear(r);
	return 0;
}

int
guide_search(struct request *req, const char *q, struct buf *out)
{
	struct tmpl_vars v, row;
	struct buf rows;
	PGresult *r;
	enum lang l;
	int i;

	if (q == NULL || *q == '\0')
		return 0;
	if ((r = DB_EXEC("guide_search", q, i18n_langs[req->lang].tag)) ==
	    NULL)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		l = tag_lang(db_val(r, i, 1));
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", sdup(req, db_val(r, i, 0)));
		tmpl_set(&row, "clang", i18n_langs[l].tag);
		tmpl_set(&row, "cdir", i18n_langs[l].dir);
		tmpl_set(&row, "lang_name", i18n_langs[l].native);
		tmpl_set(&row, "title", sdup(req, db_val(r, i, 2)));
		tmpl_set(&row, "gov", place_governorate_label(req,
		    db_val(r, i, 3)));
		tmpl_set_raw(&row, "snippet", page_snippet(req, db_val(r, i, 4)));
		tmpl_set(&row, "reviewed", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 5)));
		tmpl_set(&row, "reviewed_iso", sdup(req, db_val(r, i, 5)));
		tmpl_render(&rows, "guide_hit", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	tmpl_render(out, "guide_hits", req->lang, &v);
	buf_free(&rows);
	PQclear(r);
	return 0;
}

static int
guide_404(struct request *req)
{
	return page_error(req, 404, N_("There is no such guide."));
}

/*
 * Every version of guide req->id, and the row of the one asked for by
 * ?lang=, else the reader's language, else English, else the first.
 * 0, or -1 with *status set (no version in the language asked: 404).
 */
static int
load_versions(struct request *req, PGresult **r, int *row, int *status)
{
	const char *want;
	int i, n;

	if ((*r = DB_EXEC("guide_versions", id_str(req, req->id))) == NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	if ((n = PQntuples(*r)) == 0 || param_err(req, "lang") != NULL) {
		PQclear(*r);
		*status = guide_404(req);
		return -1;
	}
	*row = -1;
	if (param_present(req, "lang")) {
		want = param_str(req, "lang");
		for (i = 0; i < n; i++)
			if (strcmp(db_val(*r, i, 0), want) == 0)
				*row = i;
		if (*row == -1) {
			PQclear(*r);
			*status = page_error(req, 404, N_("This guide has no "
			    "version in that language yet."));
			return -1;
		}
		return 0;
	}
	for (i = 0; i < n; i++)
		if (strcmp(db_val(*r, i, 0), i18n_langs[req->lang].tag) == 0)
			*row = i;
	for (i = 0; i < n && *row == -1; i++)
		if (strcmp(db_val(*r, i, 0), "en") == 0)
			*row = i;
	if (*row == -1)
		*row = 0;
	return 0;
}

/* One guide in the booklet layout, in the guide's language. */
static void
article(struct request *req, struct buf *out, enum lang l, const PGresult *r,
    int i, const char *tmpl)
{
	struct tmpl_vars v;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", sdup(req, db_val(r, i, 0)));
	tmpl_set(&v, "topic", topic_label(l, db_val(r, i, 1)));
	tmpl_set(&v, "title", sdup(req, db_val(r, i, 2)));
	tmpl_set_raw(&v, "html", sdup(req, db_val(r, i, 3)));
	tmpl_set(&v, "reviewed", i18n_digits(req->arena, l, db_val(r, i, 4)));
	tmpl_set(&v, "reviewed_iso", sdup(req, db_val(r, i, 4)));
	tmpl_set(&v, "stale", strcmp(db_val(r, i, 5), "t") == 0 ? "1" : NULL);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_render(out, tmpl, l, &v);
}

int
guide_view(struct request *req)
{
	struct tmpl_vars v, a;
	struct buf versions, missing, art;
	unsigned have = 0;
	PGresult *r;
	enum lang l, x;
	int row, status, i, gi;

	if (load_versions(req, &r, &row, &status) == -1)
		return status;
	l = tag_lang(db_val(r, row, 0));
	buf_init(&versions);
	buf_init(&missing);
	buf_init(&art);
	for (i = 0; i < PQntuples(r); i++) {
		x = tag_lang(db_val(r, i, 0));
		have |= 1u << x;
		lang_link(&versions, arena_printf(req->arena, "/guides/%lld"
		    "?lang=%s", req->id, i18n_langs[x].tag), x, i == row);
	}
	for (x = 0; x < LANG__MAX; x++)
		if (!(have & (1u << x)))
			lang_link(&missing, arena_printf(req->arena,
			    "/guides/%lld/edit?lang=%s", req->id,
			    i18n_langs[x].tag), x, 0);
	memset(&a, 0, sizeof(a));
	tmpl_set(&a, "title", sdup(req, db_val(r, row, 1)));
	tmpl_set_raw(&a, "html", sdup(req, db_val(r, row, 2)));
	tmpl_set(&a, "reviewed", i18n_digits(req->arena, l, db_val(r, row, 3)));
	tmpl_set(&a, "reviewed_iso", sdup(req, db_val(r, row, 3)));
	tmpl_set(&a, "stale", strcmp(db_val(r, row, 7), "t") == 0 ? "1" :
	    NULL);
	tmpl_set(&a, "clang", i18n_langs[l].tag);
	tmpl_set(&a, "cdir", i18n_langs[l].dir);
	tmpl_render(&art, "guide_page", l, &a);

	memset(&v, 0, sizeof(v));
	gi = place_governorate_index(db_val(r, row, 5));
	tmpl_set(&v, "id", id_str(req, req->id));
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "gov", gi == -1 ? "" : place_governorates[gi]);
	tmpl_set(&v, "gov_name", place_governorate_label(req,
	    db_val(r, row, 5)));
	tmpl_set(&v, "topic", sdup(req, db_val(r, row, 6)));
	tmpl_set(&v, "topic_name", topic_label(req->lang, db_val(r, row, 6)));
	tmpl_set(&v, "revision", i18n_digits(req->arena, req->lang,
	    db_val(r, row, 4)));
	tmpl_set(&v, "cite", arena_printf(req->arena, "[%s](/guides/%lld"
	    "?lang=%s)", db_val(r, row, 1), req->id, i18n_langs[l].tag));
	tmpl_set_raw(&v, "versions", copy(req, &versions));
	tmpl_set_raw(&v, "missing", copy(req, &missing));
	tmpl_set_raw(&v, "article", copy(req, &art));
	status = page_render(req, 200, sdup(req, db_val(r, row, 1)),
	    "guide_view", &v);
	buf_free(&versions);
	buf_free(&missing);
	buf_free(&art);
	PQclear(r);
	return status;
}

/* Links inside stored HTML that start with "/" made absolute, so they
 * still lead somewhere from a file on disk.  The sanitiser writes every
 * attribute as href="…", and text never contains a raw quote. */
static const char *
absolute_links(struct request *req, const char *html)
{
	const char *base = conf_active()->base_url, *p, *hit;
	struct buf b;

	buf_init(&b);
	for (p = html; (hit = strstr(p, " href=\"/")) != NULL; p = hit + 8) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, " href=\"");
		html_attr(&b, base);
		buf_putc(&b, '/');
	}
	buf_puts(&b, p);
	p = copy(req, &b);
	buf_free(&b);
	return p;
}

/* The booklet: cover, contents and one article per row of r (the
 * guide_booklet columns), in language l. */
static const char *
booklet_body(struct request *req, enum lang l, const char *heading,
    const PGresult *r, int single)
{
	struct tmpl_vars v, t;
	struct buf arts, toc, out;
	const char *s;
	char day[11];
	int i;

	buf_init(&arts);
	buf_init(&toc);
	buf_init(&out);
	for (i = 0; i < PQntuples(r); i++) {
		article(req, &arts, l, r, i, "guide_article");
		memset(&t, 0, sizeof(t));
		tmpl_set(&t, "id", db_val(r, i, 0));
		tmpl_set(&t, "title", db_val(r, i, 2));
		tmpl_set(&t, "topic", topic_label(l, db_val(r, i, 1)));
		tmpl_render(&toc, "guide_toc", l, &t);
	}
	today(day);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "heading", heading);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set(&v, "today", i18n_digits(req->arena, l, day));
	tmpl_set(&v, "today_iso", sdup(req, day));
	tmpl_set(&v, "empty", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set(&v, "toc_shown", !single && PQntuples(r) > 0 ? "1" : NULL);
	tmpl_set_raw(&v, "toc", copy(req, &toc));
	tmpl_set_raw(&v, "articles", copy(req, &arts));
	tmpl_render(&out, "guide_booklet_body", l, &v);
	s = copy(req, &out);
	buf_free(&arts);
	buf_free(&toc);
	buf_free(&out);
	return s;
}

/* The self-contained file: the offline template around content, sent
 * as an attachment named filename (ASCII). */
static int
offline(struct request *req, enum lang l, const char *title,
    const char *source, const char *filename, const char *content)
{
	struct tmpl_vars v;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set(&v, "title", title);
	tmpl_set(&v, "source", arena_printf(req->arena, "%s%s",
	    conf_active()->base_url, source));
	tmpl_set_raw(&v, "content", absolute_links(req, content));
	buf_reset(&req->out);
	if (tmpl_render(&req->out, "guide_offline", l, &v) == -1)
		return page_error(req, 500, N_("Something went wrong"));
	req->content_type = "text/html; charset=utf-8";
	request_set_header(req, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"%s\"", filename));
	return 200;
}

int
guide_download(struct request *req)
{
	const char *lang, *heading;
	PGresult *r;
	enum lang l;
	int status, row, gi;

	/* The version the page would show. */
	if (load_versions(req, &r, &row, &status) == -1)
		return status;
	l = tag_lang(db_val(r, row, 0));
	PQclear(r);
	lang = i18n_langs[l].tag;
	if ((r = DB_EXEC("guide_one", id_str(req, req->id), lang)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return guide_404(req);
	}
	gi = place_governorate_index(db_val(r, 0, 6));
	heading = arena_printf(req->arena, i18n_get(l, N_("%s: information for "
	    "returnees")), gi == -1 ? "" : i18n_get(l,
	    place_governorate_names[gi]));
	status = offline(req, l, sdup(req, db_val(r, 0, 2)),
	    arena_printf(req->arena, "/guides/%lld?lang=%s", req->id, lang),
	    arena_printf(req->arena, "magnet-guide-%lld-%s.html", req->id,
	    lang), booklet_body(req, l, heading, r, 1));
	PQclear(r);
	return status;
}

/* The governorate and language of a booklet URL; -1 with *status. */
static int
booklet_args(struct request *req, int *gi, enum lang *l, int *status)
{
	if ((*gi = place_governorate_index(req->slug)) == -1 ||
	    param_err(req, "lang") != NULL) {
		*status = page_error(req, 404, N_("There is no such booklet."));
		return -1;
	}
	*l = param_present(req, "lang") ? (enum lang)param_int(req, "lang") :
	    req->lang;
	return 0;
}

int
guide_booklet(struct request *req)
{
	struct tmpl_vars v;
	struct buf versions;
	const char *heading;
	PGresult *r, *c;
	enum lang l, x;
	int gi, i, status;

	if (booklet_args(req, &gi, &l, &status) == -1)
		return status;
	if ((r = DB_EXEC("guide_booklet", place_governorates[gi],
	    i18n_langs[l].tag)) == NULL)
		return page_unavailable(req);
	heading = arena_printf(req->arena, i18n_get(l, N_("%s: information for "
	    "returnees")), i18n_get(l, place_governorate_names[gi]));
	/* Offer only the languages the governorate has guides in. */
	if ((c = DB_EXEC("guide_counts", place_governorates[gi])) == NULL) {
		PQclear(r);
		return page_unavailable(req);
	}
	buf_init(&versions);
	for (x = 0; x < LANG__MAX; x++) {
		for (i = 0; i < PQntuples(c); i++)
			if (tag_lang(db_val(c, i, 1)) == x)
				break;
		if (i == PQntuples(c))
			continue;
		lang_link(&versions, arena_printf(req->arena, "/booklets/%s"
		    "?lang=%s", place_governorates[gi], i18n_langs[x].tag), x,
		    x == l);
	}
	PQclear(c);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "gov", place_governorates[gi]);
	tmpl_set(&v, "gov_name", T(req, place_governorate_names[gi]));
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "count", i18n_num(req->arena, req->lang, PQntuples(r)));
	tmpl_set(&v, "has_guides", PQntuples(r) > 0 ? "1" : NULL);
	tmpl_set_raw(&v, "versions", copy(req, &versions));
	tmpl_set_raw(&v, "booklet", booklet_body(req, l, heading, r, 0));
	buf_free(&versions);
	PQclear(r);
	return page_render(req, 200, heading, "guide_booklet", &v);
}

int
guide_booklet_download(struct request *req)
{
	const char *heading;
	PGresult *r;
	enum lang l;
	int gi, status;

	if (booklet_args(req, &gi, &l, &status) == -1)
		return status;
	if ((r = DB_EXEC("guide_booklet", place_governorates[gi],
	    i18n_langs[l].tag)) == NULL)
		return page_unavailable(req);
	heading = arena_printf(req->arena, i18n_get(l, N_("%s: information for "
	    "returnees")), i18n_get(l, place_governorate_names[gi]));
	status = offline(req, l, heading, arena_printf(req->arena,
	    "/booklets/%s?lang=%s", place_governorates[gi], i18n_langs[l].tag),
	    arena_printf(req->arena, "magnet-%s-%s.html",
	    place_governorates[gi], i18n_langs[l].tag),
	    booklet_body(req, l, heading, r, 0));
	PQclear(r);
	return status;
}

/* What the guide form shows. */
struct gform {
	const char	*action, *heading, *back, *back_title;
	const char	*governorate, *topic, *title, *body, *reviewed, *note;
	enum lang	 lang;
	int		 editing;	/* an existing guide: lang is fixed */
	long long	 rev;
	const char	*reference, *reference_lang;
	const char	*preview, *problem;
};

static int
form(struct request *req, int status, const struct gform *f)
{
	static const char *const err_fields[] = { "governorate", "topic",
	    "lang", "title", "body", "reviewed", "note" };
	const char *natives[LANG__MAX];
	size_t k;
	int i;
	struct tmpl_vars v;
	const char *idem;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "action", f->action);
	tmpl_set(&v, "heading", f->heading);
	tmpl_set(&v, "back", f->back);
	tmpl_set(&v, "back_title", f->back_title);
	tmpl_set(&v, "editing", f->editing ? "1" : NULL);
	if (!f->editing) {
		idem = param_str(req, "idem");
		tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	}
	tmpl_set(&v, "rev", id_str(req, f->rev));
	tmpl_set(&v, "clang", i18n_langs[f->lang].tag);
	tmpl_set(&v, "lang_name", i18n_langs[f->lang].native);
	tmpl_set_raw(&v, "governorate_options", page_options(req,
	    place_governorates, place_governorate_names, 0, f->governorate,
	    f->governorate && *f->governorate ? NULL : N_("Choose…")));
	tmpl_set_raw(&v, "topic_options", page_options(req, guide_topics,
	    guide_topic_names, 0, f->topic, f->topic && *f->topic ? NULL :
	    N_("Choose…")));
	/* guide_langs is in enum lang's order: each language by its own
	 * name. */
	for (i = 0; i < LANG__MAX; i++)
		natives[i] = i18n_langs[i].native;
	tmpl_set_raw(&v, "lang_options", page_options(req, guide_langs,
	    natives, 1, i18n_langs[f->lang].tag, NULL));
	tmpl_set(&v, "title", f->title);
	tmpl_set(&v, "body", f->body);
	tmpl_set(&v, "reviewed", f->reviewed);
	tmpl_set(&v, "note", f->note);
	tmpl_set(&v, "body_max", id_str(req, BODY_MAX));
	for (k = 0; k < sizeof(err_fields) / sizeof(err_fields[0]); k++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    err_fields[k]), param_err_html(req, err_fields[k]));
	tmpl_set(&v, "reference", f->reference);
	tmpl_set(&v, "reference_lang", f->reference_lang);
	tmpl_set_raw(&v, "preview", f->preview);
	tmpl_set(&v, "problem", f->problem ? T(req, f->problem) : NULL);
	req->personal = 1;
	return page_render(req, status, f->heading, "guide_form", &v);
}

/* The reviewed date from the form, today when empty; a problem is set
 * on the field when it is not a date or lies in the future. */
static const char *
reviewed_date(struct request *req)
{
	const char *s;
	char d[11], t[11];

	s = param_str(req, "reviewed");
	today(t);
	if (*s == '\0' && param_err(req, "reviewed") == NULL)
		return sdup(req, t);
	if (param_err(req, "reviewed") != NULL)
		return s;
	if (i18n_parse_date(s, d) == -1) {
		param_set_err_ex(req, "reviewed", N_("Please give the date "
		    "as year-month-day, for example %s."), "2025-03-31", NULL);
		return s;
	}
	if (strcmp(d, t) > 0) {
		param_set_err(req, "reviewed", N_("This date is in the "
		    "future."));
		return s;
	}
	return sdup(req, d);
}

/* The form's fields as the user sent them. */
static void
form_from_params(struct request *req, struct gform *f)
{
	f->governorate = param_str(req, "governorate");
	f->topic = param_str(req, "topic");
	f->lang = param_err(req, "lang") ? req->lang :
	    (enum lang)param_int(req, "lang");
	f->title = param_str(req, "title");
	f->body = param_str(req, "body");
	f->note = param_str(req, "note");
	f->reviewed = reviewed_date(req);
}

int
guide_new_form(struct request *req)
{
	struct gform f;
	char t[11];

	memset(&f, 0, sizeof(f));
	today(t);
	f.action = "/guides/new";
	f.heading = T(req, "Write a guide");
	f.lang = req->lang;
	f.reviewed = sdup(req, t);
	return form(req, 200, &f);
}

/* A resubmitted new-guide form: the guide it made, as a redirect. */
static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_EXEC("guide_idem_find", id_str(req, req->user->id),
	    idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	*status = request_redirect(req, arena_printf(req->arena, "/guides/%s"
	    "?lang=%s", db_val(r, 0, 0), db_val(r, 0, 1)));
	PQclear(r);
	return 1;
}

int
guide_new(struct request *req)
{
	struct gform f;
	const char *html = NULL, *idem, *lang, *uid;
	PGresult *r;
	int status;

	memset(&f, 0, sizeof(f));
	f.action = "/guides/new";
	f.heading = T(req, "Write a guide");
	form_from_params(req, &f);
	idem = param_str(req, "idem");
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", f.body, &html);
	if (req->nerrors > 0) {
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	if (param_present(req, "preview") && *param_str(req, "preview")) {
		f.preview = html;
		return form(req, 200, &f);
	}
	if (idem_redirect(req, idem, &status))
		return status;
	lang = i18n_langs[f.lang].tag;
	uid = id_str(req, req->user->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	r = DB_EXEC("guide_insert", f.governorate, f.topic, uid,
	    *idem ? idem : NULL, lang, f.title, f.body, html, f.reviewed,
	    f.note);
	if (r == NULL || PQntuples(r) != 1) {
		if (r != NULL)
			PQclear(r);
		db_rollback();
		/* A double submit that raced us owns the key. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	status = request_redirect(req, arena_printf(req->arena, "/guides/%s"
	    "?lang=%s", db_val(r, 0, 0), lang));
	if (audit(req->user->id, "guide_create", arena_printf(req->arena,
	    "guide:%s", db_val(r, 0, 0)), arena_printf(req->arena, "%s: %s",
	    lang, i18n_isolate(req->arena, f.title))) == -1 || db_commit() == -1) {
		PQclear(r);
		db_rollback();
		return page_unavailable(req);
	}
	log_info("guide %s created by user=%lld", db_val(r, 0, 0),
	    req->user->id);
	PQclear(r);
	return status;
}

int
guide_edit_form(struct request *req)
{
	struct gform f;
	PGresult *r;
	const char *want;
	char t[11];
	int i, row = -1, status;

	if ((r = DB_EXEC("guide_versions", id_str(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 0 || param_err(req, "lang") != NULL) {
		PQclear(r);
		return guide_404(req);
	}
	memset(&f, 0, sizeof(f));
	f.lang = param_present(req, "lang") ? (enum lang)param_int(req,
	    "lang") : req->lang;
	want = i18n_langs[f.lang].tag;
	for (i = 0; i < PQntuples(r); i++)
		if (strcmp(db_val(r, i, 0), want) == 0)
			row = i;
	today(t);
	f.editing = 1;
	f.action = arena_printf(req->arena, "/guides/%lld/edit", req->id);
	f.back = arena_printf(req->arena, "/guides/%lld", req->id);
	f.back_title = sdup(req, db_val(r, row == -1 ? 0 : row, 1));
	f.governorate = sdup(req, db_val(r, 0, 5));
	f.topic = sdup(req, db_val(r, 0, 6));
	f.reviewed = sdup(req, t);
	if (row != -1) {
		f.heading = arena_printf(req->arena, T(req, "Edit the %s "
		    "version"), i18n_langs[f.lang].native);
		f.title = sdup(req, db_val(r, row, 1));
		f.body = sdup(req, db_val(r, row, 8));
		f.rev = db_ll(r, row, 4);
	} else {
		/* A new language version: the first one to translate from. */
		f.heading = arena_printf(req->arena, T(req, "Add the %s "
		    "version"), i18n_langs[f.lang].native);
		f.reference = sdup(req, db_val(r, 0, 8));
		f.reference_lang = i18n_langs[tag_lang(db_val(r, 0, 0))].native;
	}
	status = form(req, 200, &f);
	PQclear(r);
	return status;
}

/* A save that found another revision than it started from: the retry
 * of a save that worked (same text, same author) goes to the guide;
 * anything else is shown again with the user's text and the revision
 * now current, so saving again is a deliberate overwrite. */
static int
edit_conflict(struct request *req, struct gform *f)
{
	PGresult *r;
	const char *lang = i18n_langs[f->lang].tag;
	int status;

	if ((r = DB_EXEC("guide_version_current", id_str(req, req->id),
	    lang)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1 && db_ll(r, 0, 1) == req->user->id &&
	    strcmp(db_val(r, 0, 2), f->title) == 0 &&
	    strcmp(db_val(r, 0, 3), f->body) == 0) {
		PQclear(r);
		return request_redirect(req, arena_printf(req->arena,
		    "/guides/%lld?lang=%s", req->id, lang));
	}
	f->rev = PQntuples(r) == 1 ? db_ll(r, 0, 0) : 0;
	PQclear(r);
	f->problem = N_("Another counsellor saved this version while you "
	    "were editing. Your text is kept below: open the guide in a new "
	    "tab, compare, and save again to replace their text.");
	status = form(req, 409, f);
	return status;
}

int
guide_edit(struct request *req)
{
	struct gform f;
	const char *html = NULL, *lang, *uid, *gid;
	PGresult *r;
	long long rev;
	int status;

	memset(&f, 0, sizeof(f));
	f.editing = 1;
	f.action = arena_printf(req->arena, "/guides/%lld/edit", req->id);
	f.back = arena_printf(req->arena, "/guides/%lld", req->id);
	f.heading = T(req, "Edit guide");
	form_from_params(req, &f);
	f.rev = rev = param_int(req, "rev");
	if (param_err(req, "lang") != NULL || param_err(req, "rev") != NULL)
		return page_error(req, 400, N_("The form could not be read."));
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", f.body, &html);
	if (req->nerrors > 0) {
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	if (param_present(req, "preview") && *param_str(req, "preview")) {
		f.preview = html;
		return form(req, 200, &f);
	}
	lang = i18n_langs[f.lang].tag;
	uid = id_str(req, req->user->id);
	gid = id_str(req, req->id);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("guide_place_update", gid, f.governorate,
	    f.topic)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		return guide_404(req);
	}
	PQclear(r);
	r = rev == 0 ? DB_EXEC("guide_version_add", gid, lang, f.title,
	    f.body, html, f.reviewed, uid, f.note) :
	    DB_EXEC("guide_version_update", gid, lang, f.title, f.body, html,
	    f.reviewed, uid, f.note, id_str(req, rev));
	if (r == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		return edit_conflict(req, &f);
	}
	PQclear(r);
	if (audit(req->user->id, rev == 0 ? "guide_add_version" :
	    "guide_edit", arena_printf(req->arena, "guide:%lld", req->id),
	    arena_printf(req->arena, "%s: %s", lang,
	    i18n_isolate(req->arena, f.note))) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("guide %lld %s saved by user=%lld", req->id, lang,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/guides/%lld"
	    "?lang=%s", req->id, lang));
fail:
	db_rollback();
	status = page_unavailable(req);
	return status;
}

int
guide_revisions(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows;
	PGresult *r;
	enum lang l;
	int i;

	if (param_err(req, "lang") != NULL)
		return guide_404(req);
	l = param_present(req, "lang") ? (enum lang)param_int(req, "lang") :
	    req->lang;
	if ((r = DB_EXEC("guide_revisions", id_str(req, req->id),
	    i18n_langs[l].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 0) {
		PQclear(r);
		return guide_404(req);
	}
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "revision", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 0)));
		tmpl_set(&row, "title", db_val(r, i, 1));
		tmpl_set(&row, "body", db_val(r, i, 2));
		tmpl_set(&row, "clang", i18n_langs[l].tag);
		tmpl_set(&row, "cdir", i18n_langs[l].dir);
		tmpl_set(&row, "reviewed", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 3)));
		tmpl_set(&row, "reviewed_iso", db_val(r, i, 3));
		tmpl_set(&row, "note", db_val(r, i, 4));
		tmpl_set(&row, "editor", db_val(r, i, 5));
		tmpl_set(&row, "when", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 6)));
		tmpl_set(&row, "iso", db_val(r, i, 7));
		tmpl_set(&row, "current", i == 0 ? "1" : NULL);
		tmpl_render(&rows, "guide_revision", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", id_str(req, req->id));
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "title", sdup(req, db_val(r, 0, 1)));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	PQclear(r);
	req->personal = 1;
	return page_render(req, 200, T(req, "History of the guide"),
	    "guide_revisions", &v);
}
