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

#define LANG_ORDER(c) "array_position(ARRAY['en', 'ckb', 'kmr-Arab', " \
	"'ar'], " c ")"
#define GOV_ORDER(c) "array_position(ARRAY['erbil', 'sulaymaniyah', " \
	"'duhok', 'halabja'], " c ")"
#define TOPIC_ORDER(c) "array_position(ARRAY['work', 'training', " \
	"'housing', 'documents', 'health', 'schooling'], " c ")"
#define DAY(c) "to_char(" c ", 'YYYY-MM-DD')"
/* Not reviewed for a year: the reader is warned. */
#define STALE(c) "(" c " < magnet_today() - 365)"
/* A row's neighbour in the same group, for headings in a flat list. */
#define FIRST_OF(c) "(lag(" c ") OVER w IS DISTINCT FROM " c ")"
#define LAST_OF(c) "(lead(" c ") OVER w IS DISTINCT FROM " c ")"

static const struct db_stmt stmts[] = {
	/* Each guide once, in the reader's language if it has that
	 * version, else English, else the first there is; with where
	 * each governorate and topic starts and ends. */
	{ "guide_list",
	    "SELECT *, " FIRST_OF("governorate") " AS gov_first, "
	    FIRST_OF("governorate") " OR " FIRST_OF("topic") " AS "
	    "topic_first, " LAST_OF("governorate") " OR " LAST_OF("topic")
	    " AS topic_last, " LAST_OF("governorate") " AS gov_last "
	    "FROM (SELECT g.id, g.governorate, g.topic, v.title, "
	    "v.lang AS clang, " DAY("v.reviewed_on") " AS reviewed, "
	    "(SELECT string_agg(x.lang, ' ' ORDER BY " LANG_ORDER("x.lang")
	    ") FROM guide_versions x WHERE x.guide_id = g.id) AS langs "
	    "FROM guides g CROSS JOIN LATERAL (SELECT title, lang, "
	    "reviewed_on FROM guide_versions WHERE guide_id = g.id "
	    "ORDER BY lang = $1 DESC, lang = 'en' DESC, " LANG_ORDER("lang")
	    " LIMIT 1) v "
	    "WHERE ($2 = '' OR g.governorate = $2) AND ($3 = '' OR "
	    "g.topic = $3) ORDER BY " GOV_ORDER("g.governorate") ", "
	    TOPIC_ORDER("g.topic") ", g.id LIMIT $4) l "
	    "WINDOW w AS (ORDER BY " GOV_ORDER("governorate") ", "
	    TOPIC_ORDER("topic") ", id) "
	    "ORDER BY " GOV_ORDER("governorate") ", " TOPIC_ORDER("topic")
	    ", id" },
	/* The languages each governorate has guides in. */
	{ "guide_counts",
	    "SELECT g.governorate, v.lang AS l_tag, count(*) AS n "
	    "FROM guides g JOIN guide_versions v ON v.guide_id = g.id "
	    "WHERE $1 = '' OR g.governorate = $1 GROUP BY 1, 2 "
	    "ORDER BY " GOV_ORDER("g.governorate") ", " LANG_ORDER("v.lang") },
	{ "guide_versions",
	    "SELECT v.lang AS l_tag, v.title, v.body_html, "
	    DAY("v.reviewed_on")
	    " AS reviewed, v.revision, g.governorate, g.topic, "
	    STALE("v.reviewed_on") " AS stale, v.body_md "
	    "FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id WHERE g.id = $1 ORDER BY "
	    LANG_ORDER("v.lang") },
	{ "guide_booklet",
	    "SELECT g.id, g.topic, v.title, v.body_html, "
	    DAY("v.reviewed_on") " AS reviewed, " STALE("v.reviewed_on")
	    " AS stale FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id AND v.lang = $2 WHERE g.governorate = $1 "
	    "ORDER BY " TOPIC_ORDER("g.topic") ", g.id" },
	{ "guide_one",
	    "SELECT g.id, g.topic, v.title, v.body_html, "
	    DAY("v.reviewed_on") " AS reviewed, " STALE("v.reviewed_on")
	    " AS stale, g.governorate FROM guides g JOIN guide_versions v "
	    "ON v.guide_id = g.id AND v.lang = $2 WHERE g.id = $1" },
	/* Today where the guides are read, for the reviewed date. */
	{ "guide_today", "SELECT " DAY("magnet_today()") " AS today" },
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
	    "SELECT r.revision, r.title, r.body_md, " DAY("r.reviewed_on")
	    " AS reviewed, r.note, u.username AS editor, "
	    "magnet_time(r.edited_at) AS edited, r.revision = v.revision AS "
	    "current FROM guide_revisions r JOIN guide_versions v ON v.id = "
	    "r.version_id JOIN users u ON u.id = r.edited_by "
	    "WHERE v.guide_id = $1 AND v.lang = $2 ORDER BY r.revision DESC" },
	{ "guide_search",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($1)) AS q, "
	    "'%' || replace(replace(replace(magnet_fold($1), '\\', '\\\\'), "
	    "'%', '\\%'), '_', '\\_') || '%' AS pat) "
	    "SELECT v.guide_id AS id, v.lang AS clang, v.title, g.governorate, "
	    "ts_headline('simple', v.body_md, q.q, 'MaxWords=30, MinWords=12, "
	    "StartSel=\x01, StopSel=\x02, HighlightAll=false') AS headline, "
	    DAY("v.reviewed_on") " AS reviewed "
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
	DB_REGISTER(stmts);
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

/* Today where the guides are read, YYYY-MM-DD, or NULL. */
static const char *
today(struct request *req)
{
	PGresult *r;

	if ((r = db_query(req->arena, "guide_today", 0, NULL)) == NULL ||
	    PQntuples(r) != 1)
		return NULL;
	return db_get(r, 0, "today");
}

/* A language as a list item: l_tag, l_dir, l_name (its own name). */
static void
lang_item(struct tmpl_vars *v, struct arena *a, enum lang l)
{
	tmpl_init(v, a);
	tmpl_set(v, "l_tag", i18n_langs[l].tag);
	tmpl_set(v, "l_dir", i18n_langs[l].dir);
	tmpl_set(v, "l_name", i18n_langs[l].native);
}

/* The languages of a space-separated tag list, as items; n set. */
static struct tmpl_vars *
lang_items(struct request *req, const char *tags, size_t *n)
{
	struct tmpl_vars *items;
	const char *p;
	char tag[16];
	size_t len;

	items = arena_alloc(req->arena, LANG__MAX * sizeof(*items));
	*n = 0;
	for (p = tags; *p != '\0' && *n < LANG__MAX; p += len) {
		p += strspn(p, " ");
		if ((len = strcspn(p, " ")) == 0 || len >= sizeof(tag))
			break;
		memcpy(tag, p, len);
		tag[len] = '\0';
		lang_item(&items[*n], req->arena, tag_lang(tag));
		tmpl_set_bool(&items[*n], "later", *n > 0);
		(*n)++;
	}
	return items;
}

/* What the guide list's hook needs besides the row. */
struct list_ctx {
	struct request	*req;
	const PGresult	*counts;	/* guide_counts, or NULL */
};

/* A guide in a list: its language's direction and the languages it
 * has; at a governorate's first guide, its name and booklets. */
static void
list_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct list_ctx *c = ctx;
	struct request *req = c->req;
	struct tmpl_vars *items;
	const char *gov;
	size_t n;
	int k;

	tmpl_set(row, "cdir", i18n_langs[tag_lang(db_get(r, i,
	    "clang"))].dir);
	items = lang_items(req, db_get(r, i, "langs"), &n);
	tmpl_set_items(row, "lang_list", items, n);
	if (db_get_bool(r, i, "topic_first"))
		tmpl_set(row, "topic_name", topic_label(req->lang,
		    db_get(r, i, "topic")));
	if (c->counts == NULL || !db_get_bool(r, i, "gov_first"))
		return;
	gov = db_get(r, i, "governorate");
	tmpl_set(row, "gov_name", place_governorate_label(req, gov));
	items = arena_alloc(req->arena, (PQntuples(c->counts) + 1) *
	    sizeof(*items));
	for (n = 0, k = 0; k < PQntuples(c->counts); k++)
		if (strcmp(db_get(c->counts, k, "governorate"), gov) == 0)
			lang_item(&items[n++], req->arena, tag_lang(
			    db_get(c->counts, k, "l_tag")));
	tmpl_set_items(row, "booklets", items, n);
	tmpl_set_bool(row, "has_booklets", n > 0);
}

int
guide_list(struct request *req)
{
	struct tmpl_vars v;
	struct list_ctx *c;
	const char *gov, *topic;
	PGresult *r;

	gov = param_err(req, "governorate") ? "" : param_str(req,
	    "governorate");
	topic = param_err(req, "topic") ? "" : param_str(req, "topic");
	c = arena_alloc(req->arena, sizeof(*c));
	c->req = req;
	if ((r = DB_Q(req, "guide_list", i18n_langs[req->lang].tag, gov,
	    topic, "500")) == NULL || (c->counts = DB_Q(req, "guide_counts",
	    gov)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "guides", r, list_row, c);
	page_set_options(req, &v, "gov_opts", place_governorates,
	    place_governorate_names, 0, gov, N_("All governorates"));
	page_set_options(req, &v, "topic_opts", guide_topics,
	    guide_topic_names, 0, topic, N_("All topics"));
	return page_render(req, 200, T(req, "Guides"), "guide_list", &v);
}

int
guides_for_board(struct request *req, struct tmpl_vars *v, const char *gov)
{
	struct list_ctx *c;
	PGresult *r;
	int i, n;

	if (place_governorate_index(gov) == -1)
		return 0;
	if ((r = DB_Q(req, "guide_list", i18n_langs[req->lang].tag, gov, "",
	    request_num(req, BOARD_MAX + 1))) == NULL)
		return -1;
	if ((n = PQntuples(r)) == 0)
		return 0;
	c = arena_alloc(req->arena, sizeof(*c));
	c->req = req;
	c->counts = NULL;
	tmpl_set_rows_max(v, "board_guides", r, BOARD_MAX, list_row, c);
	tmpl_set_bool(v, "guides_shown", 1);
	tmpl_set(v, "guides_heading", arena_printf(req->arena, T(req,
	    "Guides for %s"), place_governorate_label(req, gov)));
	tmpl_set(v, "guides_gov", gov);
	/* The booklet in the reader's language if a guide has that
	 * version (each row is in it when it exists), else in the language
	 * of the first guide: never an empty booklet. */
	tmpl_set(v, "guides_blang", db_get(r, 0, "clang"));
	for (i = 0; i < n; i++)
		if (strcmp(db_get(r, i, "clang"),
		    i18n_langs[req->lang].tag) == 0)
			tmpl_set(v, "guides_blang", i18n_langs[req->lang].tag);
	return 0;
}

/* A search hit: its language, governorate and marked snippet. */
static void
hit_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	enum lang l;

	l = tag_lang(db_get(r, i, "clang"));
	tmpl_set(row, "cdir", i18n_langs[l].dir);
	tmpl_set(row, "lang_name", i18n_langs[l].native);
	tmpl_set(row, "gov", place_governorate_label(req, db_get(r, i,
	    "governorate")));
	/* Escaped by page_snippet, which adds only <mark>. */
	tmpl_set_raw(row, "snippet", page_snippet(req, db_get(r, i,
	    "headline")));
}

int
guide_search(struct request *req, struct tmpl_vars *v, const char *q)
{
	PGresult *r;

	if (q == NULL || *q == '\0')
		return 0;
	if ((r = DB_Q(req, "guide_search", q, i18n_langs[req->lang].tag)) ==
	    NULL)
		return -1;
	tmpl_set_rows(v, "guide_hits", r, hit_row, req);
	tmpl_set_bool(v, "guides_found", PQntuples(r) > 0);
	return PQntuples(r);
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

	if ((*r = DB_Q(req, "guide_versions", request_id(req))) ==
	    NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	if ((n = PQntuples(*r)) == 0 || param_err(req, "lang") != NULL) {
		*status = guide_404(req);
		return -1;
	}
	*row = -1;
	if (param_present(req, "lang")) {
		want = param_str(req, "lang");
		for (i = 0; i < n; i++)
			if (strcmp(db_get(*r, i, "l_tag"), want) == 0)
				*row = i;
		if (*row == -1) {
			*status = page_error(req, 404, N_("This guide has no "
			    "version in that language yet."));
			return -1;
		}
		return 0;
	}
	for (i = 0; i < n; i++)
		if (strcmp(db_get(*r, i, "l_tag"),
		    i18n_langs[req->lang].tag) == 0)
			*row = i;
	for (i = 0; i < n && *row == -1; i++)
		if (strcmp(db_get(*r, i, "l_tag"), "en") == 0)
			*row = i;
	if (*row == -1)
		*row = 0;
	return 0;
}

/*
 * A template rendered in another language than the page's (a guide and
 * a booklet are in their own language, whatever the reader's), for the
 * page to include as it is.
 */
static const char *
render_in(struct request *req, const char *name, enum lang l,
    const struct tmpl_vars *v)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	if (tmpl_render(&b, name, l, v) == -1)
		log_warnx("guide: %s not rendered", name);
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/* What the version links' hook needs. */
struct version_ctx {
	int		 current;	/* the row shown, or -1 */
	enum lang	 current_lang;	/* or the language shown */
};

/* A language version as a link, the one shown marked. */
static void
version_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct version_ctx *c = ctx;
	enum lang l;

	l = tag_lang(db_get(r, i, "l_tag"));
	tmpl_set(row, "l_tag", i18n_langs[l].tag);
	tmpl_set(row, "l_dir", i18n_langs[l].dir);
	tmpl_set(row, "l_name", i18n_langs[l].native);
	tmpl_set_bool(row, "current", c->current >= 0 ? i == c->current :
	    l == c->current_lang);
}

int
guide_view(struct request *req)
{
	struct tmpl_vars v, a, *missing;
	struct version_ctx *c;
	unsigned have = 0;
	PGresult *r;
	enum lang l, x;
	size_t n = 0;
	int row, status, i;

	if (load_versions(req, &r, &row, &status) == -1)
		return status;
	l = tag_lang(db_get(r, row, "l_tag"));
	/* The article in its own language. */
	tmpl_init(&a, req->arena);
	tmpl_bind_row(&a, r, row);
	tmpl_set(&a, "clang", i18n_langs[l].tag);
	tmpl_set(&a, "cdir", i18n_langs[l].dir);
	/* The languages it has, and those a counsellor may add. */
	for (i = 0; i < PQntuples(r); i++)
		have |= 1u << tag_lang(db_get(r, i, "l_tag"));
	missing = arena_alloc(req->arena, LANG__MAX * sizeof(*missing));
	for (x = 0; x < LANG__MAX; x++)
		if (!(have & (1u << x)))
			lang_item(&missing[n++], req->arena, x);
	c = arena_alloc(req->arena, sizeof(*c));
	c->current = row;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, row);
	tmpl_set_int(&v, req->arena, "id", req->id);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "gov_name", place_governorate_label(req,
	    db_get(r, row, "governorate")));
	tmpl_set(&v, "topic_name", topic_label(req->lang, db_get(r, row,
	    "topic")));
	tmpl_set(&v, "cite", arena_printf(req->arena, "[%s](/guides/%lld"
	    "?lang=%s)", db_get(r, row, "title"), req->id,
	    i18n_langs[l].tag));
	tmpl_set(&v, "base", arena_printf(req->arena, "/guides/%lld",
	    req->id));
	tmpl_set_rows(&v, "versions", r, version_row, c);
	tmpl_set_items(&v, "missing", missing, n);
	tmpl_set_bool(&v, "can_add", n > 0);
	tmpl_set_raw(&v, "article", render_in(req, "guide_page", l, &a));
	return page_render(req, 200, db_get(r, row, "title"), "guide_view",
	    &v);
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
	p = arena_buf(req->arena, &b);
	buf_free(&b);
	return p;
}

/* A guide in a booklet: its topic in the booklet's language. */
static void
article_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	const enum lang *l = ctx;

	tmpl_set(row, "topic_name", topic_label(*l, db_get(r, i, "topic")));
}

/* The booklet: cover, contents and one article per row of r (the
 * guide_booklet columns), in language l; NULL when the database
 * failed. */
static const char *
booklet_body(struct request *req, enum lang l, const char *heading,
    const PGresult *r, int single)
{
	struct tmpl_vars v;
	enum lang *lp;
	const char *day;

	if ((day = today(req)) == NULL)
		return NULL;
	lp = arena_alloc(req->arena, sizeof(*lp));
	*lp = l;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "heading", heading);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set(&v, "today", day);
	tmpl_set_bool(&v, "toc_shown", !single && PQntuples(r) > 0);
	tmpl_set_rows(&v, "articles", r, article_row, lp);
	return render_in(req, "guide_booklet_body", l, &v);
}

/* The self-contained file: the offline template around content, sent
 * as an attachment named filename (ASCII). */
static int
offline(struct request *req, enum lang l, const char *title,
    const char *source, const char *filename, const char *content)
{
	struct tmpl_vars v;

	if (content == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
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

/* "Erbil: information for returnees" in language l. */
static const char *
booklet_heading(struct request *req, enum lang l, int gi)
{
	return arena_printf(req->arena, i18n_get(l, N_("%s: information for "
	    "returnees")), gi == -1 ? "" : i18n_get(l,
	    place_governorate_names[gi]));
}

int
guide_download(struct request *req)
{
	const char *lang;
	PGresult *r;
	enum lang l;
	int status, row;

	/* The version the page would show. */
	if (load_versions(req, &r, &row, &status) == -1)
		return status;
	l = tag_lang(db_get(r, row, "l_tag"));
	lang = i18n_langs[l].tag;
	if ((r = DB_Q(req, "guide_one", request_id(req), lang)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return guide_404(req);
	return offline(req, l, db_get(r, 0, "title"), arena_printf(req->arena,
	    "/guides/%lld?lang=%s", req->id, lang), arena_printf(req->arena,
	    "magnet-guide-%lld-%s.html", req->id, lang), booklet_body(req, l,
	    booklet_heading(req, l, place_governorate_index(db_get(r, 0,
	    "governorate"))), r, 1));
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
	struct version_ctx *c;
	const char *heading, *body;
	PGresult *r, *counts;
	enum lang l;
	int gi, status;

	if (booklet_args(req, &gi, &l, &status) == -1)
		return status;
	/* Offered only in the languages the governorate has guides in. */
	if ((r = DB_Q(req, "guide_booklet", place_governorates[gi],
	    i18n_langs[l].tag)) == NULL || (counts = DB_Q(req, "guide_counts",
	    place_governorates[gi])) == NULL)
		return page_unavailable(req);
	heading = booklet_heading(req, l, gi);
	if ((body = booklet_body(req, l, heading, r, 0)) == NULL)
		return page_unavailable(req);
	c = arena_alloc(req->arena, sizeof(*c));
	c->current = -1;
	c->current_lang = l;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "gov", place_governorates[gi]);
	tmpl_set(&v, "gov_name", T(req, place_governorate_names[gi]));
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set_bool(&v, "has_guides", PQntuples(r) > 0);
	tmpl_set(&v, "base", arena_printf(req->arena, "/booklets/%s",
	    place_governorates[gi]));
	tmpl_set_rows(&v, "versions", counts, version_row, c);
	tmpl_set_bool(&v, "has_versions", PQntuples(counts) > 0);
	tmpl_set_raw(&v, "booklet", body);
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
	if ((r = DB_Q(req, "guide_booklet", place_governorates[gi],
	    i18n_langs[l].tag)) == NULL)
		return page_unavailable(req);
	heading = booklet_heading(req, l, gi);
	return offline(req, l, heading, arena_printf(req->arena,
	    "/booklets/%s?lang=%s", place_governorates[gi], i18n_langs[l].tag),
	    arena_printf(req->arena, "magnet-%s-%s.html",
	    place_governorates[gi], i18n_langs[l].tag),
	    booklet_body(req, l, heading, r, 0));
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

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", f->action);
	tmpl_set(&v, "heading", f->heading);
	tmpl_set(&v, "back", f->back);
	tmpl_set(&v, "back_title", f->back_title);
	tmpl_set_bool(&v, "editing", f->editing);
	if (!f->editing) {
		idem = param_str(req, "idem");
		tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	}
	tmpl_set_int(&v, req->arena, "rev", f->rev);
	tmpl_set(&v, "clang", i18n_langs[f->lang].tag);
	tmpl_set(&v, "lang_name", i18n_langs[f->lang].native);
	page_set_options(req, &v, "gov_opts", place_governorates,
	    place_governorate_names, 0, f->governorate,
	    f->governorate && *f->governorate ? NULL : N_("Choose…"));
	page_set_options(req, &v, "topic_opts", guide_topics,
	    guide_topic_names, 0, f->topic, f->topic && *f->topic ? NULL :
	    N_("Choose…"));
	/* guide_langs is in enum lang's order: each language by its own
	 * name. */
	for (i = 0; i < LANG__MAX; i++)
		natives[i] = i18n_langs[i].native;
	page_set_options(req, &v, "lang_opts", guide_langs, natives, 1,
	    i18n_langs[f->lang].tag, NULL);
	tmpl_set(&v, "title", f->title);
	tmpl_set(&v, "body", f->body);
	tmpl_set(&v, "reviewed", f->reviewed);
	tmpl_set(&v, "note", f->note);
	tmpl_set_int(&v, req->arena, "body_max", GUIDE_BODY_MAX);
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
	const char *s, *t;
	char d[11];

	s = param_str(req, "reviewed");
	if ((t = today(req)) == NULL)
		t = "";
	if (*s == '\0' && param_err(req, "reviewed") == NULL)
		return t;
	if (param_err(req, "reviewed") != NULL)
		return s;
	if (i18n_parse_date(s, d) == -1) {
		param_set_err_ex(req, "reviewed", N_("Please give the date "
		    "as year-month-day, for example %s."), "2025-03-31", NULL);
		return s;
	}
	if (*t != '\0' && strcmp(d, t) > 0) {
		param_set_err(req, "reviewed", N_("This date is in the "
		    "future."));
		return s;
	}
	return arena_strdup(req->arena, d);
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

	memset(&f, 0, sizeof(f));
	f.action = "/guides/new";
	f.heading = T(req, "Write a guide");
	f.lang = req->lang;
	if ((f.reviewed = today(req)) == NULL)
		return page_unavailable(req);
	return form(req, 200, &f);
}

/* A resubmitted new-guide form: the guide it made, as a redirect. */
static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_Q(req, "guide_idem_find", request_uid(req),
	    idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1)
		return 0;
	*status = request_redirect(req, arena_printf(req->arena, "/guides/%s"
	    "?lang=%s", db_get(r, 0, "id"), db_get(r, 0, "lang")));
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
	uid = request_uid(req);
	if (db_begin() == -1)
		return page_unavailable(req);
	r = DB_Q(req, "guide_insert", f.governorate, f.topic, uid,
	    *idem ? idem : NULL, lang, f.title, f.body, html, f.reviewed,
	    f.note);
	if (r == NULL || PQntuples(r) != 1) {
		db_rollback();
		/* A double submit that raced us owns the key. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	status = request_redirect(req, arena_printf(req->arena, "/guides/%s"
	    "?lang=%s", db_get(r, 0, "guide_id"), lang));
	if (audit(req->user->id, "guide_create", arena_printf(req->arena,
	    "guide:%s", db_get(r, 0, "guide_id")), arena_printf(req->arena,
	    "%s: %s", lang, i18n_isolate(req->arena, f.title))) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	log_info("guide %s created by user=%lld", db_get(r, 0, "guide_id"),
	    req->user->id);
	return status;
}

int
guide_edit_form(struct request *req)
{
	struct gform f;
	PGresult *r;
	const char *want;
	int i, row = -1;

	if ((r = DB_Q(req, "guide_versions", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 0 || param_err(req, "lang") != NULL)
		return guide_404(req);
	memset(&f, 0, sizeof(f));
	f.lang = param_present(req, "lang") ? (enum lang)param_int(req,
	    "lang") : req->lang;
	want = i18n_langs[f.lang].tag;
	for (i = 0; i < PQntuples(r); i++)
		if (strcmp(db_get(r, i, "l_tag"), want) == 0)
			row = i;
	f.editing = 1;
	f.action = arena_printf(req->arena, "/guides/%lld/edit", req->id);
	f.back = arena_printf(req->arena, "/guides/%lld", req->id);
	f.back_title = db_get(r, row == -1 ? 0 : row, "title");
	f.governorate = db_get(r, 0, "governorate");
	f.topic = db_get(r, 0, "topic");
	if ((f.reviewed = today(req)) == NULL)
		return page_unavailable(req);
	if (row != -1) {
		f.heading = arena_printf(req->arena, T(req, "Edit the %s "
		    "version"), i18n_langs[f.lang].native);
		f.title = db_get(r, row, "title");
		f.body = db_get(r, row, "body_md");
		f.rev = db_get_ll(r, row, "revision");
	} else {
		/* A new language version: the first one to translate from. */
		f.heading = arena_printf(req->arena, T(req, "Add the %s "
		    "version"), i18n_langs[f.lang].native);
		f.reference = db_get(r, 0, "body_md");
		f.reference_lang = i18n_langs[tag_lang(db_get(r, 0,
		    "l_tag"))].native;
	}
	return form(req, 200, &f);
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

	if ((r = DB_Q(req, "guide_version_current", request_id(req),
	    lang)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1 && db_get_ll(r, 0, "updated_by") ==
	    req->user->id && strcmp(db_get(r, 0, "title"), f->title) == 0 &&
	    strcmp(db_get(r, 0, "body_md"), f->body) == 0)
		return request_redirect(req, arena_printf(req->arena,
		    "/guides/%lld?lang=%s", req->id, lang));
	f->rev = PQntuples(r) == 1 ? db_get_ll(r, 0, "revision") : 0;
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
	uid = request_uid(req);
	gid = request_id(req);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "guide_place_update", gid, f.governorate,
	    f.topic)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return guide_404(req);
	}
	r = rev == 0 ? DB_Q(req, "guide_version_add", gid, lang, f.title,
	    f.body, html, f.reviewed, uid, f.note) :
	    DB_Q(req, "guide_version_update", gid, lang, f.title, f.body,
	    html, f.reviewed, uid, f.note, request_num(req, rev));
	if (r == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return edit_conflict(req, &f);
	}
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
	struct tmpl_vars v;
	PGresult *r;
	enum lang l;

	if (param_err(req, "lang") != NULL)
		return guide_404(req);
	l = param_present(req, "lang") ? (enum lang)param_int(req, "lang") :
	    req->lang;
	if ((r = DB_Q(req, "guide_revisions", request_id(req),
	    i18n_langs[l].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 0)
		return guide_404(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	tmpl_set_int(&v, req->arena, "id", req->id);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set_rows(&v, "revisions", r, NULL, NULL);
	req->personal = 1;
	return page_render(req, 200, T(req, "History of the guide"),
	    "guide_revisions", &v);
}
