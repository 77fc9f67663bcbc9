/*
 * Placement across languages (issue 21).  Occupations (ILO ISCO-08) and
 * skills live in one vocabulary (migration 0029) with a label in every
 * interface language; profiles and vacancies keep codes, so a returnee
 * who picks "کارەباچییانی بینا" in Sorani and an employer who picks
 * "Building and related electricians" in English mean the same 7411.
 *
 * The pickers work without JavaScript: the occupation is a text field
 * with a <datalist> of "label (code)" in the reader's language, read
 * back by the code in it or by a label in any language; what matches
 * nothing is kept as typed (a candidate for the vocabulary), but a code
 * that does not exist is refused.  Skills are checkboxes.
 *
 * Here too: "vacancies for you" (the view placement_matches, scored in
 * SQL) and the CV, a page in a language the reader picks, printable on
 * A4 and downloadable as one self-contained file, shown to an employer
 * only beside a live application with the returnee's consent.
 */
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "placement.h"
#include "request.h"
#include "tmpl.h"

const char *const placement_cv_langs[] = { "", "en", "ckb", "kmr-Arab",
    "ar", NULL };

#define LIVE_VACANCY \
	"v.state = 'published' AND v.deadline >= magnet_today() " \
	"AND NOT v.sample"

static const struct db_stmt stmts[] = {
	{ "placement_occ_code", "SELECT o.code AS code, "
	    PLACEMENT_LABEL("o", "$2") " AS label FROM vocabulary o "
	    "WHERE o.code = $1 AND o.kind = 'occupation'" },
	/* A label in any language; the finest group when two share it. */
	{ "placement_occ_label", "SELECT o.code AS code FROM vocabulary o "
	    "WHERE o.kind = 'occupation' AND magnet_fold(btrim($1)) IN "
	    "(magnet_fold(o.en), magnet_fold(o.ckb), magnet_fold(o.kmr), "
	    "magnet_fold(o.ar)) ORDER BY length(o.code) DESC, o.code "
	    "LIMIT 1" },
	{ "placement_skills_known", "SELECT coalesce(array_agg(o.code "
	    "ORDER BY o.code), '{}') AS known, count(*) AS n, "
	    "cardinality(ARRAY(SELECT DISTINCT unnest($1::text[]))) AS given "
	    "FROM vocabulary o WHERE o.kind = 'skill' "
	    "AND o.code = ANY ($1::text[])" },
	{ "placement_occ_opts", "SELECT o.code AS code, "
	    PLACEMENT_LABEL("o", "$1") " AS label FROM vocabulary o "
	    "WHERE o.kind = 'occupation' ORDER BY o.code" },
	{ "placement_skill_opts", "SELECT o.code AS code, "
	    PLACEMENT_LABEL("o", "$1") " AS label, "
	    "o.code = ANY ($2::text[]) AS checked FROM vocabulary o "
	    "WHERE o.kind = 'skill' ORDER BY array_position(ARRAY['licence', "
	    "'certificate', 'software', 'language'], o.grp), o.code" },
	/* The live vacancies a returnee's profile matches, best first,
	 * with why ($2 the reader's language, $3 its comma). */
	{ "placement_for_you", "SELECT " JOBS_VAC_COLS ", m.score AS score, "
	    "m.occ_level AS occ_level, m.same_gov AS same_gov, "
	    "m.ready AS ready, " PLACEMENT_LABEL("o", "$2") " AS occ_label, "
	    "array_to_string(ARRAY(SELECT " PLACEMENT_LABEL("s", "$2")
	    " FROM vocabulary s WHERE s.code = ANY (m.skill_codes) "
	    "ORDER BY s.code), $3) AS skill_labels, "
	    "array_to_string(m.skill_words, $3) AS skill_words, "
	    "m.langs AS common_langs FROM placement_matches m "
	    "JOIN vacancies v ON v.id = m.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "LEFT JOIN vocabulary o ON o.code = v.occupation_code "
	    "WHERE m.user_id = $1 AND " LIVE_VACANCY " "
	    "ORDER BY m.score DESC, v.published_at DESC, v.id DESC "
	    "LIMIT 50" },
	{ "placement_has_profile", "SELECT occupation_code IS NOT NULL "
	    "AS coded FROM returnee_profiles WHERE user_id = $1" },
	/* A returnee's CV in language $2 (its comma $3). */
	{ "placement_cv", "SELECT u.id AS uid, u.username AS name, "
	    "p.governorate AS gov_key, p.country AS country_key, "
	    "to_char(p.return_date, 'YYYY-MM-DD') AS return_date, "
	    "p.occupation AS occupation, p.occupation_code AS occ_code, "
	    PLACEMENT_LABEL("o", "$2") " AS occ_label, "
	    "array_to_string(ARRAY(SELECT " PLACEMENT_LABEL("s", "$2")
	    " FROM vocabulary s WHERE s.code = ANY (p.skill_codes) "
	    "ORDER BY array_position(ARRAY['licence', 'certificate', "
	    "'software', 'language'], s.grp), s.code), $3) AS skill_labels, "
	    "p.skills AS skills, p.education AS education_key, "
	    "p.languages AS langs, p.experience AS experience, "
	    "magnet_day(p.updated_at) AS updated, p.consent AS consent "
	    "FROM users u JOIN returnee_profiles p ON p.user_id = u.id "
	    "LEFT JOIN vocabulary o ON o.code = p.occupation_code "
	    "WHERE u.id = $1 AND u.deleted_at IS NULL "
	    "AND u.role = 'returnee'" },
	/* An application's returnee, and whether its enterprise may see
	 * the CV: consent and a live application (jobs.h). */
	{ "placement_app", "SELECT a.user_id AS uid, v.enterprise_id AS ent, "
	    "v.title AS title, coalesce(p.consent, false) AND "
	    JOBS_APP_LIVE("a", "v") " AS shared FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "LEFT JOIN returnee_profiles p ON p.user_id = a.user_id "
	    "WHERE a.id = $1" },
};

void
placement_init(void)
{
	DB_REGISTER(stmts);
}

static const char *
lang_tag(struct request *req)
{
	return i18n_langs[req->lang].tag;
}

/*
 * The code in what was typed: the whole text when it is digits, or the
 * digits in brackets at its end ("Cooks (5120)", as the list offers);
 * ASCII, Arabic-Indic or Persian digits, given back in ASCII.  NULL
 * when there is no code; "" when it has more digits than a code.
 */
static const char *
code_digits(struct request *req, const char *s)
{
	const unsigned char *p, *end;
	char d[8];
	size_t n = 0, len = strlen(s);

	while (len > 0 && s[len - 1] == ' ')
		len--;
	end = (const unsigned char *)s + len;
	p = (const unsigned char *)s;
	if (len > 0 && s[len - 1] == ')') {
		end--;
		if ((p = (const unsigned char *)memrchr(s, '(', len)) == NULL)
			return NULL;
		p++;
	}
	while (p < end && *p == ' ')
		p++;
	for (; p < end; p++) {
		int c = -1;

		if (*p >= '0' && *p <= '9')
			c = *p - '0';
		else if (p + 1 < end && p[0] == 0xd9 && p[1] >= 0xa0 &&
		    p[1] <= 0xa9)
			c = p[1] - 0xa0;
		else if (p + 1 < end && p[0] == 0xdb && p[1] >= 0xb0 &&
		    p[1] <= 0xb9)
			c = p[1] - 0xb0;
		if (c < 0)
			return NULL;
		if (*p >= 0x80)
			p++;
		if (n == 4)
			return "";
		d[n++] = '0' + c;
	}
	if (n == 0)
		return NULL;
	d[n] = '\0';
	return arena_strdup(req->arena, d);
}

static int
read_occupation(struct request *req, struct placement_pick *pk)
{
	const char *s = param_str(req, "occupation"), *code;
	PGresult *r;

	pk->typed = s;
	pk->code = NULL;
	pk->text = "";
	if (param_err(req, "occupation") != NULL || *s == '\0')
		return 0;
	if ((code = code_digits(req, s)) != NULL) {
		if (*code != '\0') {
			if ((r = DB_Q(req, "placement_occ_code", code,
			    lang_tag(req))) == NULL)
				return -1;
			if (PQntuples(r) == 1) {
				pk->code = code;
				return 0;
			}
		}
		param_set_err_ex(req, "occupation", N_("No occupation has the "
		    "code %s. Choose one from the list, or write the "
		    "occupation in words."), *code ? code : s, NULL);
		return 0;
	}
	if ((r = DB_Q(req, "placement_occ_label", s)) == NULL)
		return -1;
	if (PQntuples(r) == 1)
		pk->code = db_get(r, 0, "code");
	else
		pk->text = s;
	return 0;
}

static int
valid_skill_key(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 31 || *s < 'a' || *s > 'z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int
placement_read(struct request *req, struct placement_pick *pk)
{
	struct buf b;
	PGresult *r;
	size_t i;
	int bad = 0;

	if (read_occupation(req, pk) == -1)
		return -1;
	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < req->nfields; i++) {
		if (strcmp(req->fields[i].key, "skill") != 0)
			continue;
		if (!valid_skill_key(req->fields[i].val)) {
			bad = 1;
			continue;
		}
		if (b.len > 1)
			buf_putc(&b, ',');
		buf_puts(&b, req->fields[i].val);
	}
	buf_putc(&b, '}');
	pk->skills = arena_buf(req->arena, &b);
	buf_free(&b);
	if ((r = DB_Q(req, "placement_skills_known", pk->skills)) == NULL)
		return -1;
	if (bad || db_get_ll(r, 0, "n") != db_get_ll(r, 0, "given"))
		param_set_err(req, "skill", N_("One of the chosen skills is "
		    "not in the list. Choose again."));
	pk->skills = db_get(r, 0, "known");
	return 0;
}

const char *
placement_shown(struct request *req, const char *code, const char *text)
{
	PGresult *r;

	if (code == NULL || *code == '\0')
		return text;
	if ((r = DB_Q(req, "placement_occ_code", code, lang_tag(req))) ==
	    NULL || PQntuples(r) != 1)
		return text;
	return arena_printf(req->arena, "%s (%s)", db_get(r, 0, "label"),
	    code);
}

static void
occ_opt_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "value", arena_printf(req->arena, "%s (%s)",
	    db_get(r, i, "label"), db_get(r, i, "code")));
}

int
placement_set_pickers(struct request *req, struct tmpl_vars *v,
    const char *shown, const char *skills)
{
	PGresult *occ, *sk;
	int i, any = 0;

	if ((occ = DB_Q(req, "placement_occ_opts", lang_tag(req))) == NULL ||
	    (sk = DB_Q(req, "placement_skill_opts", lang_tag(req),
	    skills && *skills ? skills : "{}")) == NULL)
		return -1;
	for (i = 0; i < PQntuples(sk); i++)
		any |= db_get_bool(sk, i, "checked");
	tmpl_set(v, "occupation", shown);
	tmpl_set_rows(v, "occ_opts", occ, occ_opt_row, req);
	tmpl_set_rows(v, "skill_boxes", sk, NULL, NULL);
	tmpl_set_bool(v, "skills_open", any || param_err(req, "skill"));
	tmpl_set_raw(v, "occupation_err", param_err_html(req, "occupation"));
	tmpl_set_raw(v, "skill_err", param_err_html(req, "skill"));
	return 0;
}

/* ---------------------------------------------------------------------
 * Vacancies for you.
 */

const char *
placement_why(struct request *req, long long level)
{
	static const char *const why[] = { NULL, N_("Same broad field of "
	    "work:"), N_("Related occupation:"), N_("Same occupational "
	    "group:"), N_("Same occupation:") };

	return level >= 1 && level <= 4 ? T(req, why[level]) : NULL;
}

static void
match_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	jobs_vacancy_row(ctx, row, r, i);
	tmpl_set(row, "occ_why", placement_why(req, db_get_ll(r, i,
	    "occ_level")));
	tmpl_set(row, "common_langs", jobs_lang_names(req, db_get(r, i,
	    "common_langs")));
}

int
placement_for_you(struct request *req)
{
	struct tmpl_vars v;
	PGresult *p, *r;

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Profiles are for returnees. "
		    "Employers describe their enterprise instead."));
	if ((p = DB_Q(req, "placement_has_profile", request_uid(req))) ==
	    NULL || (r = DB_Q(req, "placement_for_you", request_uid(req),
	    lang_tag(req), T(req, ", "))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_bool(&v, "no_profile", PQntuples(p) == 0);
	tmpl_set_bool(&v, "uncoded", PQntuples(p) == 1 &&
	    !db_get_bool(p, 0, "coded"));
	tmpl_set_rows(&v, "matches", r, match_row, req);
	req->personal = 1;
	return page_render(req, 200, T(req, "Vacancies for you"),
	    "placement_for_you", &v);
}

/* ---------------------------------------------------------------------
 * The CV.
 */

/* The CV's language: ?lang=, else the reader's. */
static enum lang
cv_lang(struct request *req)
{
	enum lang l;

	if (i18n_from_tag(param_str(req, "lang"), &l) == 0)
		return l;
	return req->lang;
}

/* The CV of returnee uid in language l as HTML, or NULL (*status set)
 * when there is none or the database failed. */
static const char *
cv_body(struct request *req, const char *uid, enum lang l, int *status,
    const char **name)
{
	struct tmpl_vars v;
	struct buf b;
	enum lang reader = req->lang;
	const char *s;
	PGresult *r;

	if ((r = DB_Q(req, "placement_cv", uid, i18n_langs[l].tag,
	    i18n_get(l, ", "))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		*status = page_error(req, 404, N_("There is no CV yet: "
		    "the profile is empty."));
		return NULL;
	}
	*name = db_get(r, 0, "name");
	/* The labels jobs.c gives, in the CV's language. */
	req->lang = l;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	jobs_profile_labels(req, &v, r);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	req->lang = reader;
	buf_init(&b);
	if (tmpl_render(&b, "placement_cv_body", l, &v) == -1)
		log_warnx("placement: placement_cv_body not rendered");
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

static void
set_lang_links(struct request *req, struct tmpl_vars *v, const char *base,
    enum lang cur)
{
	struct tmpl_vars *items;
	int i;

	items = arena_alloc(req->arena, LANG__MAX * sizeof(*items));
	for (i = 0; i < LANG__MAX; i++) {
		tmpl_init(&items[i], req->arena);
		tmpl_set(&items[i], "href", arena_printf(req->arena,
		    "%s?lang=%s", base, i18n_langs[i].tag));
		tmpl_set(&items[i], "native", i18n_langs[i].native);
		tmpl_set(&items[i], "tag", i18n_langs[i].tag);
		tmpl_set_bool(&items[i], "current", (int)cur == i);
	}
	tmpl_set_items(v, "cv_langs", items, LANG__MAX);
}

static int
cv_page(struct request *req, const char *uid, const char *base,
    const char *download)
{
	struct tmpl_vars v;
	const char *body, *name;
	enum lang l = cv_lang(req);
	int status;

	if ((body = cv_body(req, uid, l, &status, &name)) == NULL)
		return status;
	tmpl_init(&v, req->arena);
	set_lang_links(req, &v, base, l);
	tmpl_set(&v, "download", download ? arena_printf(req->arena,
	    "%s?lang=%s", download, i18n_langs[l].tag) : NULL);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set_raw(&v, "cv", body);
	req->personal = 1;
	return page_render(req, 200, arena_printf(req->arena, T(req,
	    "CV of %s"), i18n_isolate(req->arena, name)), "placement_cv", &v);
}

int
placement_cv(struct request *req)
{
	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Profiles are for returnees. "
		    "Employers describe their enterprise instead."));
	return cv_page(req, request_uid(req), "/profile/cv",
	    "/profile/cv/download");
}

/* One HTML file with its style inside and no other resource (as the
 * guides' booklets), sent as an attachment. */
int
placement_cv_download(struct request *req)
{
	struct tmpl_vars v;
	const char *body, *name;
	enum lang l = cv_lang(req);
	int status;

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Profiles are for returnees. "
		    "Employers describe their enterprise instead."));
	if ((body = cv_body(req, request_uid(req), l, &status, &name)) ==
	    NULL)
		return status;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "clang", i18n_langs[l].tag);
	tmpl_set(&v, "cdir", i18n_langs[l].dir);
	tmpl_set(&v, "title", arena_printf(req->arena, i18n_get(l,
	    "CV of %s"), i18n_isolate(req->arena, name)));
	tmpl_set_raw(&v, "cv", body);
	buf_reset(&req->out);
	if (tmpl_render(&req->out, "placement_cv_offline", l, &v) == -1)
		return page_error(req, 500, N_("Something went wrong"));
	req->content_type = "text/html; charset=utf-8";
	req->personal = 1;
	request_set_header(req, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"magnet-cv-%s.html\"", i18n_langs[l].tag));
	return 200;
}

/* The CV beside an application: the returnee, counsellors, and the
 * vacancy's enterprise while the application is live and the profile
 * shared; everyone else the same 404. */
int
placement_app_cv(struct request *req)
{
	PGresult *r;
	int ok;

	if ((r = DB_Q(req, "placement_app", request_id(req))) == NULL)
		return page_unavailable(req);
	ok = PQntuples(r) == 1 && (request_is_mod(req) ||
	    db_get_ll(r, 0, "uid") == req->user->id ||
	    (req->user->role == ROLE_EMPLOYER &&
	    db_get_ll(r, 0, "ent") == req->user->enterprise_id &&
	    db_get_bool(r, 0, "shared")));
	if (!ok) {
		log_warnx("refused the CV of application %lld to user=%lld",
		    req->id, req->user->id);
		return page_error(req, 404, N_("There is no such profile, or "
		    "it is not shared with you."));
	}
	return cv_page(req, db_get(r, 0, "uid"), arena_printf(req->arena,
	    "/applications/%lld/cv", req->id), NULL);
}
