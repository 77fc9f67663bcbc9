/*
 * Vacancies and training offers as everyone sees them: the list (/jobs),
 * one vacancy's page, the home page's latest and the site search's hits;
 * the filters and the public list that the Atom feed (feed.c) and the
 * JSON API (api.c) read too; and the fixed lists and helpers the other
 * job-board modules share.  An employer writes a vacancy
 * (jobs_employer.c), a counsellor approves or rejects it (jobs_mod.c).
 * Past its deadline a published vacancy is expired: no state changes,
 * every public query simply asks for "state = 'published' AND deadline
 * >= magnet_today()", so nothing expired, pending or rejected can reach
 * a list, a page, the feed or the API, and nothing has to run at
 * midnight.  Descriptions are markdown, rendered once on save by the
 * markdown workers, like posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "jobs_saved.h"
#include "jobs_mod.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"


/* ---------------------------------------------------------------------
 * The fixed lists.  Keys are stored and sent; labels are msgids.
 */


static const char *const sector_keys[] = { "construction", "agriculture",
    "education", "health", "hospitality", "it", "manufacturing", "retail",
    "transport", "ngo", "public", "other", NULL };
static const char *const sector_labels[] = { N_("Construction"),
    N_("Agriculture"), N_("Education"), N_("Health"),
    N_("Hotels and restaurants"), N_("Information technology"),
    N_("Manufacturing"), N_("Retail and trade"), N_("Transport"),
    N_("NGOs and international organisations"), N_("Public sector"),
    N_("Other") };
const char *const jobs_sector_any[] = { "", "construction", "agriculture",
    "education", "health", "hospitality", "it", "manufacturing", "retail",
    "transport", "ngo", "public", "other", NULL };

static const char *const kind_keys[] = { "job", "training", NULL };
static const char *const kind_labels[] = { N_("Job"), N_("Training") };
const char *const jobs_kind_any[] = { "", "job", "training", NULL };

static const char *const contract_keys[] = { "full_time", "part_time",
    "temporary", "seasonal", "internship", "apprenticeship", "course",
    NULL };
static const char *const contract_labels[] = { N_("Full time"),
    N_("Part time"), N_("Temporary"), N_("Seasonal"), N_("Internship"),
    N_("Apprenticeship"), N_("Training course") };
const char *const jobs_contract_any[] = { "", "full_time", "part_time",
    "temporary", "seasonal", "internship", "apprenticeship", "course",
    NULL };

/* Languages of the region and those returnees learned in Europe. */
static const char *const lang_keys[] = { "ckb", "kmr", "ar", "tr", "fa",
    "en", "de", "sv", "nl", "fr", "fi", "no", "da", "it", "el", NULL };
static const char *const lang_labels[] = { N_("Kurdish (Sorani)"),
    N_("Kurdish (Bahdini)"), N_("Arabic"), N_("Turkish"), N_("Persian"),
    N_("English"), N_("German"), N_("Swedish"), N_("Dutch"), N_("French"),
    N_("Finnish"), N_("Norwegian"), N_("Danish"), N_("Italian"),
    N_("Greek") };

/* The countries most returnees to the Kurdistan Region come back from. */
static const char *const country_keys[] = { "de", "se", "nl", "be", "fr",
    "at", "fi", "no", "dk", "gb", "it", "gr", "ch", "other", NULL };
static const char *const country_labels[] = { N_("Germany"), N_("Sweden"),
    N_("Netherlands"), N_("Belgium"), N_("France"), N_("Austria"),
    N_("Finland"), N_("Norway"), N_("Denmark"), N_("United Kingdom"),
    N_("Italy"), N_("Greece"), N_("Switzerland"), N_("Another country") };
const char *const jobs_country_any[] = { "", "de", "se", "nl", "be", "fr",
    "at", "fi", "no", "dk", "gb", "it", "gr", "ch", "other", NULL };

static const char *const education_keys[] = { "none", "primary",
    "secondary", "vocational", "university", "postgraduate", NULL };
static const char *const education_labels[] = { N_("No formal schooling"),
    N_("Primary school"), N_("Secondary school"),
    N_("Vocational training"), N_("University degree"),
    N_("Postgraduate degree") };
const char *const jobs_education_any[] = { "", "none", "primary",
    "secondary", "vocational", "university", "postgraduate", NULL };

const char *const jobs_app_statuses[] = { "submitted", "viewed",
    "shortlisted", "interview", "offered", "hired", "not_selected", NULL };
static const char *const app_status_labels[] = { N_("Submitted"),
    N_("Viewed"), N_("Shortlisted"), N_("Interview"), N_("Offered"),
    N_("Hired"), N_("Not selected") };

const char *const jobs_ref_statuses[] = { "referred", "contacted",
    "interview", "placed", "not_placed", "enrolled", "completed", NULL };
static const char *const ref_status_labels[] = { N_("Referred"),
    N_("Contacted"), N_("Interview"), N_("Placed"), N_("Not placed"),
    N_("Enrolled"), N_("Completed") };

/* Reasons a counsellor gives most often; the employer reads them. */
static const char *const reject_keys[] = { "incomplete", "unverifiable",
    "fee", "discrimination", "duplicate", "not_work", "other", NULL };
static const char *const reject_labels[] = {
	N_("The description is incomplete: say what the work is, where, "
	    "the hours and the pay."),
	N_("We could not confirm that the enterprise or the vacancy is "
	    "real. Please contact a counsellor."),
	N_("Applicants may never be asked to pay a fee, deposit or "
	    "commission."),
	N_("The vacancy excludes people for their religion, ethnicity, sex, "
	    "age or origin without a lawful reason."),
	N_("This vacancy is already on the board."),
	N_("This is not a job or a training offer."),
	N_("See the counsellor's note."),
};
const char *const jobs_reject_any[] = { "", "incomplete", "unverifiable",
    "fee", "discrimination", "duplicate", "not_work", "other", NULL };

/* Stored states, and "expired", which is computed. */
static const char *const state_keys[] = { "draft", "pending", "published",
    "rejected", "closed", "expired", NULL };
static const char *const state_labels[] = { N_("Draft"),
    N_("Waiting for review"), N_("Published"), N_("Not approved"),
    N_("Closed"), N_("Expired") };

const char *const jobs_close_keys[] = { "filled", "withdrawn", NULL };
static const char *const close_labels[] = { N_("Filled"),
    N_("Withdrawn") };

const char *const jobs_on[] = { "1", NULL };

const char *const *const jobs_keys[JOBS_LIST__MAX] = {
	[JOBS_GOVERNORATE] = place_governorates,
	[JOBS_SECTOR] = sector_keys,
	[JOBS_KIND] = kind_keys,
	[JOBS_CONTRACT] = contract_keys,
	[JOBS_LANGUAGE] = lang_keys,
	[JOBS_COUNTRY] = country_keys,
	[JOBS_EDUCATION] = education_keys,
	[JOBS_APP_STATUS] = jobs_app_statuses,
	[JOBS_REF_STATUS] = jobs_ref_statuses,
	[JOBS_REJECT] = reject_keys,
	[JOBS_STATE] = state_keys,
	[JOBS_CLOSE] = jobs_close_keys,
};

static const char *const *const labels[JOBS_LIST__MAX] = {
	[JOBS_GOVERNORATE] = place_governorate_names,
	[JOBS_SECTOR] = sector_labels,
	[JOBS_KIND] = kind_labels,
	[JOBS_CONTRACT] = contract_labels,
	[JOBS_LANGUAGE] = lang_labels,
	[JOBS_COUNTRY] = country_labels,
	[JOBS_EDUCATION] = education_labels,
	[JOBS_APP_STATUS] = app_status_labels,
	[JOBS_REF_STATUS] = ref_status_labels,
	[JOBS_REJECT] = reject_labels,
	[JOBS_STATE] = state_labels,
	[JOBS_CLOSE] = close_labels,
};


/* ---------------------------------------------------------------------
 * Parameters.
 */

/* ---------------------------------------------------------------------
 * SQL.
 */

#define VAC_FROM \
	"FROM vacancies v JOIN enterprises e ON e.id = v.enterprise_id "
/*
 * A public list, in two steps so that only the rows shown are joined:
 * the live vacancies that pass the filters ($1-$4, "" for any), older
 * than the cursor ($5 microseconds, $6 id), newest first, $7 of them.
 * A governorate or a sector given reads its own index in that order
 * (one statement per case, as a generic plan cannot choose); kind and
 * contract have few values and filter the scan.
 */
#define PUBLIC_LIST(gov, sector, from, where) \
	"SELECT " JOBS_VAC_COLS "FROM (SELECT v.* FROM vacancies v " from \
	"WHERE v.state = 'published' AND v.deadline >= magnet_today() " \
	gov sector "AND ($3 = '' OR v.kind = $3) " \
	"AND ($4 = '' OR v.contract = $4) " \
	"AND (v.published_at, v.id) < (timestamptz 'epoch' + " \
	"$5::bigint * interval '1 microsecond', $6::bigint) " where \
	"ORDER BY v.published_at DESC, v.id DESC LIMIT $7) v " \
	"JOIN enterprises e ON e.id = v.enterprise_id " \
	"ORDER BY v.published_at DESC, v.id DESC"
#define ANY_GOV		"AND $1::text = '' "
#define BY_GOV		"AND v.governorate = $1 "
#define OPT_GOV		"AND ($1 = '' OR v.governorate = $1) "
#define ANY_SECTOR	"AND $2::text = '' "
#define BY_SECTOR	"AND v.sector = $2 "
#define OPT_SECTOR	"AND ($2 = '' OR v.sector = $2) "
/* The vacancy's occupation, or a group above it, has the words in a
 * label in any language (the vocabulary, migration 0029). */
#define BY_OCCUPATION \
	"EXISTS (SELECT 1 FROM vocabulary o WHERE o.kind = 'occupation' " \
	"AND v.occupation_code LIKE o.code || '%' AND o.folded LIKE q.pat)"

static const struct db_stmt stmts[] = {
	{ "jobs_public", PUBLIC_LIST(ANY_GOV, ANY_SECTOR, "", "") },
	{ "jobs_public_g", PUBLIC_LIST(BY_GOV, ANY_SECTOR, "", "") },
	{ "jobs_public_s", PUBLIC_LIST(ANY_GOV, BY_SECTOR, "", "") },
	{ "jobs_public_gs", PUBLIC_LIST(BY_GOV, BY_SECTOR, "", "") },
	/* Words: the search index finds them, then the filters apply. */
	{ "jobs_public_q",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($8)) "
	    "AS q, '%' || replace(replace(replace(magnet_fold($8), '\\', "
	    "'\\\\'), '%', '\\%'), '_', '\\_') || '%' AS pat) "
	    PUBLIC_LIST(OPT_GOV, OPT_SECTOR, ", q ",
	    "AND (v.search @@ q.q OR magnet_fold(v.title) LIKE q.pat "
	    "OR " BY_OCCUPATION ") ") },
	/* How many pass the filters, for the count above the list. */
	{ "jobs_public_n", "SELECT count(*) AS found FROM vacancies v "
	    "WHERE v.state = 'published' AND v.deadline >= magnet_today() "
	    OPT_GOV OPT_SECTOR "AND ($3 = '' OR v.kind = $3) "
	    "AND ($4 = '' OR v.contract = $4)" },
	{ "jobs_public_qn",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($5)) "
	    "AS q, '%' || replace(replace(replace(magnet_fold($5), '\\', "
	    "'\\\\'), '%', '\\%'), '_', '\\_') || '%' AS pat) "
	    "SELECT count(*) AS found FROM vacancies v, q "
	    "WHERE v.state = 'published' AND v.deadline >= magnet_today() "
	    OPT_GOV OPT_SECTOR "AND ($3 = '' OR v.kind = $3) "
	    "AND ($4 = '' OR v.contract = $4) "
	    "AND (v.search @@ q.q OR magnet_fold(v.title) LIKE q.pat "
	    "OR " BY_OCCUPATION ")" },
	/* One vacancy, with the user's ($2) application and referral. */
	{ "jobs_get", "SELECT " JOBS_VAC_COLS ", " JOBS_OCC_COLS
	    ", v.description_md AS description_md, v.author_id AS author_id, v.reject_code AS "
	    "reject_code, v.reject_note AS reject_note, v.close_reason AS "
	    "close_key, e.website AS ent_website, a.id AS app_id, "
	    "a.status AS app_status_key, magnet_day(a.created_at) AS app_day, "
	    "r.status AS ref_status_key, "
	    "(SELECT count(*) FROM applications x WHERE x.vacancy_id = v.id) "
	    "AS napps, e.description AS ent_about, (SELECT d.state FROM "
	    "vacancy_edits d WHERE d.vacancy_id = v.id) AS edit_state, "
	    "v.sample AS sample, v.published_at IS NOT NULL AND v.state IN "
	    "('published', 'closed') AS aside "
	    VAC_FROM "LEFT JOIN applications a ON a.vacancy_id = v.id "
	    "AND a.user_id = $2 LEFT JOIN referrals r ON r.vacancy_id = v.id "
	    "AND r.user_id = $2 WHERE v.id = $1" },
	{ "jobs_vacancy", "SELECT id, enterprise_id, author_id, title, state, "
	    "kind, state = 'published' AND deadline >= magnet_today() AS live, "
	    "sample FROM vacancies WHERE id = $1" },
	/*
	 * An edit waiting beside a vacancy, in the columns of jobs_get up
	 * to reject_note (the edit's own values, the vacancy's id,
	 * enterprise and dates), so that the same templates show it.
	 * stored_state is the edit's state (draft, pending, rejected).
	 */
	{ "jobs_edit_get", "SELECT " JOBS_VAC_COLS ", " JOBS_OCC_COLS
	    ", v.description_md AS description_md, v.author_id AS author_id, v.reject_code AS "
	    "reject_code, v.reject_note AS reject_note FROM (SELECT x.id, "
	    "x.enterprise_id, x.published_at, d.kind, d.title, d.governorate, "
	    "d.city, d.sector, d.contract, d.positions, d.languages, d.skills, "
	    "d.salary_min, d.salary_max, d.deadline, d.state, d.updated_at, "
	    "d.description_md, d.description_html, d.author_id, "
	    "d.reject_code, d.reject_note, d.occupation_code, d.occupation, "
	    "d.skill_codes FROM vacancy_edits d JOIN "
	    "vacancies x ON x.id = d.vacancy_id WHERE d.vacancy_id = $1) v "
	    "JOIN enterprises e ON e.id = v.enterprise_id" },
	/* For account deletion and export (account.c). */
	/* Applications stay for the employer's and the programme's records
	 * (and the conversations about them), without their words. */
	/* Saved vacancies and the employers' notes about the person go
	 * (issue 21). */
	{ JOBS_FORGET_STMT, "WITH p AS (DELETE FROM returnee_profiles "
	    "WHERE user_id = $1), s AS (DELETE FROM saved_vacancies WHERE "
	    "user_id = $1), n AS (DELETE FROM application_notes WHERE "
	    "application_id IN (SELECT id FROM applications WHERE "
	    "user_id = $1)) UPDATE applications SET message = '-' "
	    "WHERE user_id = $1" },
	{ JOBS_EXPORT_STMT, "SELECT json_build_object("
	    "'profile', (SELECT json_build_object('governorate', governorate, "
	    "'country', country, 'return_date', return_date, 'occupation', "
	    "occupation, 'skills', skills, 'education', education, "
	    "'languages', languages, 'experience', experience, 'consent', "
	    "consent, 'updated_at', updated_at) FROM returnee_profiles "
	    "WHERE user_id = $1), "
	    "'applications', coalesce((SELECT json_agg(json_build_object("
	    "'vacancy_id', vacancy_id, 'message', message, 'status', status, "
	    "'created_at', created_at) ORDER BY id) FROM applications "
	    "WHERE user_id = $1), '[]'), "
	    "'referrals', coalesce((SELECT json_agg(json_build_object("
	    "'vacancy_id', vacancy_id, 'note', note, 'status', status, "
	    "'created_at', created_at) ORDER BY id) FROM referrals "
	    "WHERE user_id = $1), '[]'), "
	    "'saved_vacancies', coalesce((SELECT json_agg(vacancy_id ORDER BY "
	    "created_at) FROM saved_vacancies WHERE user_id = $1), '[]'), "
	    "'vacancies', coalesce((SELECT json_agg(json_build_object("
	    "'id', id, 'title', title, 'state', state, 'created_at', "
	    "created_at) ORDER BY id) FROM vacancies WHERE author_id = $1), "
	    "'[]'))::text AS jobs" },
};

void
jobs_init(void)
{
	DB_REGISTER(stmts);
}

/* ---------------------------------------------------------------------
 * Small helpers shared by the job-board modules.
 */

const char *
jobs_next(struct request *req, const char *fallback)
{
	const char *n = param_str(req, "next");

	return *n != '\0' && request_local_path(n) ? n : fallback;
}

/* The columns of keys a row may have, and the labels they give. */
static const struct {
	const char	*col;
	const char	*var;
	enum jobs_list	 list;
} row_keys[] = {
	{ "kind_key", "kind", JOBS_KIND },
	{ "gov_key", "governorate", JOBS_GOVERNORATE },
	{ "sector_key", "sector", JOBS_SECTOR },
	{ "contract_key", "contract", JOBS_CONTRACT },
};

void
jobs_row_labels(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	size_t k;
	int c;

	for (k = 0; k < sizeof(row_keys) / sizeof(row_keys[0]); k++)
		if ((c = db_col(r, row_keys[k].col)) >= 0)
			tmpl_set(row, row_keys[k].var, jobs_label(req,
			    row_keys[k].list, db_val(r, i, c)));
}

const char *
jobs_label(struct request *req, enum jobs_list l, const char *key)
{
	size_t i;

	if (key == NULL || *key == '\0')
		return "";
	for (i = 0; jobs_keys[l][i] != NULL; i++)
		if (strcmp(jobs_keys[l][i], key) == 0)
			return i18n_get(req->lang, labels[l][i]);
	/* Set by the returnee (apply_withdraw), never an employer's choice,
	 * so not in the list of statuses an employer picks from. */
	if (l == JOBS_APP_STATUS && strcmp(key, "withdrawn") == 0)
		return TC(req, "application status", "Withdrawn");
	return arena_strdup(req->arena, key);
}

void
jobs_set_options(struct request *req, struct tmpl_vars *v, const char *name,
    enum jobs_list l, const char *selected, const char *first)
{
	page_set_options(req, v, name, jobs_keys[l], labels[l], 0, selected,
	    first);
}

int
jobs_pg_has(const char *arr, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	if (arr == NULL || *arr != '{')
		return 0;
	for (p = arr + 1; *p != '\0' && *p != '}'; ) {
		if (strncmp(p, key, n) == 0 && (p[n] == ',' || p[n] == '}'))
			return 1;
		while (*p != '\0' && *p != ',' && *p != '}')
			p++;
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *
jobs_langs_from_form(struct request *req)
{
	struct buf b;
	const char *s;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; lang_keys[i] != NULL; i++) {
		if (*param_str(req, arena_printf(req->arena, "l_%s",
		    lang_keys[i])) == '\0')
			continue;
		if (b.len > 1)
			buf_putc(&b, ',');
		buf_puts(&b, lang_keys[i]);
	}
	buf_putc(&b, '}');
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

void
jobs_set_lang_boxes(struct request *req, struct tmpl_vars *v,
    const char *name, const char *arr)
{
	struct tmpl_vars *items;
	size_t i, n;

	for (n = 0; lang_keys[n] != NULL; n++)
		;
	items = arena_alloc(req->arena, n * sizeof(*items));
	for (i = 0; i < n; i++) {
		tmpl_init(&items[i], req->arena);
		tmpl_set(&items[i], "key", lang_keys[i]);
		tmpl_set(&items[i], "label", i18n_get(req->lang,
		    lang_labels[i]));
		tmpl_set_bool(&items[i], "checked", jobs_pg_has(arr,
		    lang_keys[i]));
	}
	tmpl_set_items(v, name, items, n);
}

const char *
jobs_lang_names(struct request *req, const char *arr)
{
	struct buf b;
	const char *s;
	size_t i;

	buf_init(&b);
	for (i = 0; lang_keys[i] != NULL; i++) {
		if (!jobs_pg_has(arr, lang_keys[i]))
			continue;
		if (b.len > 0)
			buf_puts(&b, T(req, ", "));
		buf_puts(&b, i18n_get(req->lang, lang_labels[i]));
	}
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

void
jobs_profile_labels(struct request *req, struct tmpl_vars *v,
    const PGresult *r)
{
	tmpl_set(v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_get(r, 0, "gov_key")));
	tmpl_set(v, "country", jobs_label(req, JOBS_COUNTRY,
	    db_get(r, 0, "country_key")));
	tmpl_set(v, "education", jobs_label(req, JOBS_EDUCATION,
	    db_get(r, 0, "education_key")));
	tmpl_set(v, "languages", jobs_lang_names(req, db_get(r, 0, "langs")));
}

const char *
jobs_money(struct request *req, long long v)
{
	char digits[32];
	struct buf b;
	const char *s;
	size_t i, n;

	snprintf(digits, sizeof(digits), "%lld", v < 0 ? 0 : v);
	n = strlen(digits);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			/* U+066C ARABIC THOUSANDS SEPARATOR in Arabic script */
			buf_puts(&b, req->lang == LANG_EN ? "," : "\xd9\xac");
		buf_putc(&b, digits[i]);
	}
	s = i18n_digits(req->arena, req->lang, arena_buf(req->arena, &b));
	buf_free(&b);
	return arena_printf(req->arena, T(req, "%s IQD"), s);
}

const char *
jobs_date(struct request *req, const char *iso)
{
	/* A copy even in English, where i18n_digits returns its argument:
	 * callers pass values that die with their PGresult. */
	return i18n_digits(req->arena, req->lang, arena_strdup(req->arena,
	    iso));
}

const char *
jobs_waited(struct request *req, long long s)
{
	if (s < 0)
		s = 0;
	if (s < 3600)
		return arena_printf(req->arena, T(req, "%s min"),
		    i18n_num(req->arena, req->lang, s / 60));
	if (s < 2 * 86400)
		return arena_printf(req->arena, T(req, "%s h"),
		    i18n_num(req->arena, req->lang, s / 3600));
	return arena_printf(req->arena, T(req, "%s d"),
	    i18n_num(req->arena, req->lang, s / 86400));
}

const char *
jobs_salary(struct request *req, const char *lo, const char *hi)
{
	long long a = lo ? strtoll(lo, NULL, 10) : 0;
	long long b = hi ? strtoll(hi, NULL, 10) : 0;

	if (lo && hi && a != b)
		return arena_printf(req->arena, T(req, "%s to %s a month"),
		    jobs_money(req, a), jobs_money(req, b));
	if (lo && hi)
		return arena_printf(req->arena, T(req, "%s a month"),
		    jobs_money(req, a));
	if (lo)
		return arena_printf(req->arena, T(req, "from %s a month"),
		    jobs_money(req, a));
	if (hi)
		return arena_printf(req->arena, T(req, "up to %s a month"),
		    jobs_money(req, b));
	return NULL;
}

/* A column's value by name, NULL for SQL NULL. */
static const char *
or_null(const PGresult *r, int i, const char *name)
{
	int c = PQfnumber(r, name);

	return c < 0 || PQgetisnull(r, i, c) ? NULL : PQgetvalue(r, i, c);
}

const char *
jobs_salary_row(struct request *req, const PGresult *r, int i)
{
	return jobs_salary(req, or_null(r, i, "salary_min"),
	    or_null(r, i, "salary_max"));
}

void
jobs_vacancy_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	jobs_row_labels(req, row, r, i);
	tmpl_set(row, "salary", jobs_salary_row(req, r, i));
	tmpl_set(row, "languages", jobs_lang_names(req,
	    db_get(r, i, "langs")));
}

/* ---------------------------------------------------------------------
 * Pure functions: amounts and dates as people type them.
 */

enum jobs_amount
jobs_parse_amount(const char *s, long long max, long long *out)
{
	const unsigned char *p = (const unsigned char *)s;
	long long v = 0;
	int digits = 0, d;

	*out = 0;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return JOBS_AMOUNT_EMPTY;
	/* '-' and U+2212 MINUS SIGN */
	if (*p == '-' || (p[0] == 0xe2 && p[1] == 0x88 && p[2] == 0x92))
		return JOBS_AMOUNT_NEGATIVE;
	while (*p != '\0') {
		if (*p >= '0' && *p <= '9') {
			d = *p - '0';
			p++;
		} else if (p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) {
			d = p[1] - 0xa0;	/* U+0660..U+0669 */
			p += 2;
		} else if (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9) {
			d = p[1] - 0xb0;	/* U+06F0..U+06F9 */
			p += 2;
		} else if ((*p == ',' || *p == ' ') && digits > 0) {
			p++;
			continue;
		} else if (p[0] == 0xd9 && p[1] == 0xac && digits > 0) {
			p += 2;			/* U+066C */
			continue;
		} else if (p[0] == 0xc2 && p[1] == 0xa0 && digits > 0) {
			p += 2;			/* no-break space */
			continue;
		} else
			return JOBS_AMOUNT_BAD;
		if (max - d < 0 || v > (max - d) / 10)
			return JOBS_AMOUNT_RANGE;
		v = v * 10 + d;
		digits++;
	}
	*out = v;
	return JOBS_AMOUNT_OK;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Hinnant). */
static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long
jobs_parse_date(const char *s)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	long y, m, d;
	int i, leap;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	y = strtol(s, NULL, 10);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	return days_from_civil(y, m, d);
}

long
jobs_today(time_t now)
{
	long long t = (long long)now + 3 * 3600;

	return (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

/* ---------------------------------------------------------------------
 * Vacancies for the other modules.
 */

int
jobs_vacancy_get(struct request *req, long long id, struct jobs_vacancy *v)
{
	PGresult *r;

	memset(v, 0, sizeof(*v));
	if ((r = DB_Q(req, "jobs_vacancy", request_num(req, id))) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	v->id = db_get_ll(r, 0, "id");
	v->enterprise_id = db_get_ll(r, 0, "enterprise_id");
	v->author_id = db_get_ll(r, 0, "author_id");
	v->title = db_get(r, 0, "title");
	v->state = db_get(r, 0, "state");
	v->kind = db_get(r, 0, "kind");
	v->live = db_get_bool(r, 0, "live");
	v->sample = db_get_bool(r, 0, "sample");
	return 1;
}

int
jobs_owns(struct request *req, const struct jobs_vacancy *v)
{
	return req->user != NULL && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id != 0 &&
	    req->user->enterprise_id == v->enterprise_id;
}

int
jobs_vacancy_404(struct request *req)
{
	return page_error(req, 404, N_("This vacancy does not exist or is no "
	    "longer open."));
}

/* ---------------------------------------------------------------------
 * Lists: /jobs, the home page and the search here, the feed (feed.c)
 * and the API (api.c) read the same statements.
 */

int
jobs_read_filters(struct request *req, struct jobs_filters *f)
{
	const char *after, *dot;

	f->gov = param_err(req, "governorate") ? "" :
	    param_str(req, "governorate");
	f->sector = param_err(req, "sector") ? "" : param_str(req, "sector");
	f->kind = param_err(req, "kind") ? "" : param_str(req, "kind");
	f->contract = param_err(req, "contract") ? "" :
	    param_str(req, "contract");
	f->q = param_err(req, "q") ? "" : param_str(req, "q");
	f->cur_us = JOBS_CURSOR_TOP;
	f->cur_id = "0";
	after = param_str(req, "after");
	if (*after == '\0')
		return 0;
	if ((dot = strchr(after, '.')) == NULL || dot == after ||
	    dot[1] == '\0' || strspn(after, "0123456789.") != strlen(after) ||
	    strchr(dot + 1, '.') != NULL || dot - after > 18 ||
	    strlen(dot + 1) > 18)
		return -1;
	f->cur_us = arena_strndup(req->arena, after, (size_t)(dot - after));
	f->cur_id = arena_strdup(req->arena, dot + 1);
	return 0;
}

/* No filter, the first page. */
static void
no_filters(struct jobs_filters *f, const char *q)
{
	f->gov = f->sector = f->kind = f->contract = "";
	f->q = q;
	f->cur_us = JOBS_CURSOR_TOP;
	f->cur_id = "0";
}

PGresult *
jobs_public_rows(struct request *req, const struct jobs_filters *f,
    int limit)
{
	const char *lim = request_num(req, limit), *stmt;

	if (*f->q != '\0')
		return DB_Q(req, "jobs_public_q", f->gov, f->sector, f->kind,
		    f->contract, f->cur_us, f->cur_id, lim, f->q);
	if (*f->gov != '\0')
		stmt = *f->sector != '\0' ? "jobs_public_gs" : "jobs_public_g";
	else
		stmt = *f->sector != '\0' ? "jobs_public_s" : "jobs_public";
	return DB_Q(req, stmt, f->gov, f->sector, f->kind, f->contract,
	    f->cur_us, f->cur_id, lim);
}

const char *
jobs_filter_query(struct request *req, const struct jobs_filters *f)
{
	struct buf b;
	const char *s;
	const char *names[] = { "governorate", "sector", "kind", "contract",
	    "q" };
	const char *vals[] = { f->gov, f->sector, f->kind, f->contract, f->q };
	size_t i;

	buf_init(&b);
	for (i = 0; i < 5; i++) {
		if (*vals[i] == '\0')
			continue;
		if (b.len > 0)
			buf_putc(&b, '&');
		buf_printf(&b, "%s=", names[i]);
		html_url_arg(&b, vals[i]);
	}
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/*
 * The folded filters of /jobs: their selects, the summary that names
 * the choices in force, and open when one of them is wrong.
 */
static void
filter_vars(struct request *req, const struct jobs_filters *f,
    struct tmpl_vars *v)
{
	const struct {
		enum jobs_list	 l;
		const char	*val, *name, *opts, *first;
	} sel[] = {
		{ JOBS_GOVERNORATE, f->gov, "governorate", "gov_opts",
		    N_("Any governorate") },
		{ JOBS_SECTOR, f->sector, "sector", "sector_opts",
		    N_("Any sector") },
		{ JOBS_KIND, f->kind, "kind", "kind_opts",
		    N_("Jobs and training") },
		{ JOBS_CONTRACT, f->contract, "contract", "contract_opts",
		    N_("Any contract") },
	};
	const char *chosen = NULL, *label;
	size_t i;
	int open = 0;

	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		jobs_set_options(req, v, sel[i].opts, sel[i].l, sel[i].val,
		    sel[i].first);
		tmpl_set(v, arena_printf(req->arena, "%s_err", sel[i].name),
		    param_err(req, sel[i].name));
		if (param_err(req, sel[i].name) != NULL)
			open = 1;
		if (*sel[i].val == '\0')
			continue;
		label = jobs_label(req, sel[i].l, sel[i].val);
		chosen = chosen == NULL ? label : arena_printf(req->arena,
		    "%s · %s", chosen, label);
	}
	tmpl_set(v, "chosen", chosen);
	tmpl_set_bool(v, "open", open);
	tmpl_set(v, "q_err", param_err(req, "q"));
}

/* The filters in force as hidden fields of the returnee's "Tell me of
 * new vacancies like these" (a job alert, mailpref.c). */
static void
alert_fields(struct request *req, const struct jobs_filters *f,
    struct tmpl_vars *v)
{
	const char *name[] = { "governorate", "sector", "kind", "contract",
	    "q" };
	const char *val[] = { f->gov, f->sector, f->kind, f->contract, f->q };
	struct tmpl_vars *it;
	size_t i, n = 0;

	it = arena_alloc(req->arena, sizeof(*it) * 5);
	for (i = 0; i < 5; i++) {
		if (*val[i] == '\0')
			continue;
		tmpl_init(&it[n], req->arena);
		tmpl_set(&it[n], "name", name[i]);
		tmpl_set(&it[n], "value", val[i]);
		n++;
	}
	tmpl_set_items(v, "alert_fields", it, n);
}

int
jobs_list(struct request *req)
{
	struct tmpl_vars v;
	struct jobs_filters f;
	const char *fq;
	PGresult *r, *c;
	int n, shown;

	if (jobs_read_filters(req, &f) == -1)
		return page_error(req, 400, N_("This page link is not valid."));
	if ((r = jobs_public_rows(req, &f, JOBS_PAGE_SIZE + 1)) == NULL ||
	    (c = *f.q != '\0' ? DB_Q(req, "jobs_public_qn", f.gov, f.sector,
	    f.kind, f.contract, f.q) : DB_Q(req, "jobs_public_n", f.gov,
	    f.sector, f.kind, f.contract)) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > JOBS_PAGE_SIZE ? JOBS_PAGE_SIZE : n;
	fq = jobs_filter_query(req, &f);
	tmpl_init(&v, req->arena);
	/* TRANSLATORS: how many vacancies and training offers the list
	 * (with its filters) holds; the number follows. */
	tmpl_set(&v, "found", arena_printf(req->arena, T(req, "Results: %s"),
	    i18n_num(req->arena, req->lang, db_get_ll(c, 0, "found"))));
	tmpl_set_rows_max(&v, "jobs", r, shown, jobs_vacancy_row, req);
	filter_vars(req, &f, &v);
	tmpl_set_bool(&v, "filtered", *fq != '\0');
	tmpl_set(&v, "q", param_str(req, "q"));
	if (n > JOBS_PAGE_SIZE)
		tmpl_set(&v, "next", arena_printf(req->arena, "/jobs?%s%s"
		    "after=%s.%s", fq, *fq ? "&" : "", db_get(r, shown - 1,
		    "cursor"), db_get(r, shown - 1, "id")));
	if (*param_str(req, "after"))
		tmpl_set(&v, "first", arena_printf(req->arena, "/jobs%s%s",
		    *fq ? "?" : "", fq));
	tmpl_set(&v, "feed", arena_printf(req->arena, "/feeds/jobs.atom%s%s",
	    *fq ? "?" : "", fq));
	tmpl_set_bool(&v, "employer", req->user != NULL &&
	    req->user->role == ROLE_EMPLOYER);
	tmpl_set_bool(&v, "returnee", req->user != NULL &&
	    req->user->role == ROLE_RETURNEE);
	if (req->user != NULL && req->user->role == ROLE_RETURNEE)
		alert_fields(req, &f, &v);
	tmpl_set_bool(&v, "staff", request_is_mod(req));
	return page_render(req, req->nerrors > 0 ? 400 : 200,
	    T(req, "Jobs and training"), "jobs_list", &v);
}

int
jobs_latest(struct request *req, struct tmpl_vars *v, int n)
{
	struct jobs_filters f;
	PGresult *r;

	no_filters(&f, "");
	if ((r = jobs_public_rows(req, &f, n)) == NULL)
		return -1;
	tmpl_set_rows(v, "latest_jobs", r, jobs_vacancy_row, req);
	return 0;
}

int
jobs_search(struct request *req, struct tmpl_vars *v, const char *q, int n)
{
	struct jobs_filters f;
	PGresult *r;

	if (q == NULL || *q == '\0')
		return 0;
	no_filters(&f, q);
	if ((r = jobs_public_rows(req, &f, n)) == NULL)
		return -1;
	tmpl_set_rows(v, "job_hits", r, jobs_vacancy_row, req);
	return PQntuples(r);
}

/* ---------------------------------------------------------------------
 * One vacancy, with its schema.org data for search engines.
 */

static void
json_key(struct buf *b, const char *k, const char *v)
{
	html_json(b, k);
	buf_putc(b, ':');
	html_json(b, v);
	buf_putc(b, ',');
}

/* English labels: structured data is read by programs, not people. */
static const char *
english(enum jobs_list l, const char *key)
{
	size_t i;

	for (i = 0; jobs_keys[l][i] != NULL; i++)
		if (strcmp(jobs_keys[l][i], key) == 0)
			return labels[l][i];
	return key;
}

static const char *
employment_type(const char *contract)
{
	static const struct {
		const char *contract, *type;
	} map[] = {
		{ "full_time", "FULL_TIME" }, { "part_time", "PART_TIME" },
		{ "temporary", "TEMPORARY" }, { "seasonal", "TEMPORARY" },
		{ "internship", "INTERN" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].contract, contract) == 0)
			return map[i].type;
	return "OTHER";
}

static int
web_link(const char *url)
{
	return strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "http://", 7) == 0;
}

/*
 * The JSON-LD of a live vacancy: a JobPosting, or for a training offer
 * an EducationalOccupationalProgram.  html_json escapes <, > and &, so
 * no value can close the <script> element it sits in; the CSP blocks
 * scripts, and a JSON-LD block is data that browsers never execute.
 */
static const char *
jsonld(struct request *req, const PGresult *r)
{
	const char *base = conf_active()->base_url, *s, *lo, *hi;
	struct buf b;
	int job;

	job = strcmp(db_get(r, 0, "kind_key"), "job") == 0;
	buf_init(&b);
	buf_printf(&b, "{\"@context\":\"https://schema.org\","
	    "\"@type\":\"%s\",", job ? "JobPosting" :
	    "EducationalOccupationalProgram");
	json_key(&b, job ? "title" : "name", db_get(r, 0, "title"));
	json_key(&b, "description", db_get(r, 0, "description_html"));
	json_key(&b, "url", arena_printf(req->arena, "%s/jobs/%s", base,
	    db_get(r, 0, "id")));
	if (job) {
		json_key(&b, "datePosted", db_get(r, 0, "published_iso"));
		json_key(&b, "validThrough", arena_printf(req->arena,
		    "%sT23:59:59+03:00", db_get(r, 0, "deadline")));
		json_key(&b, "employmentType",
		    employment_type(db_get(r, 0, "contract_key")));
		json_key(&b, "industry", english(JOBS_SECTOR,
		    db_get(r, 0, "sector_key")));
		if (*db_get(r, 0, "skills"))
			json_key(&b, "skills", db_get(r, 0, "skills"));
		buf_printf(&b, "\"totalJobOpenings\":%lld,",
		    db_get_ll(r, 0, "positions"));
		buf_puts(&b, "\"directApply\":true,\"identifier\":{"
		    "\"@type\":\"PropertyValue\",\"name\":\"Magnet\",");
		json_key(&b, "value", db_get(r, 0, "id"));
		b.len--;
		buf_puts(&b, "},");
		lo = or_null(r, 0, "salary_min");
		hi = or_null(r, 0, "salary_max");
		if (lo != NULL || hi != NULL) {
			buf_puts(&b, "\"baseSalary\":{\"@type\":"
			    "\"MonetaryAmount\",\"currency\":\"IQD\","
			    "\"value\":{\"@type\":\"QuantitativeValue\",");
			if (lo != NULL)
				buf_printf(&b, "\"minValue\":%lld,",
				    strtoll(lo, NULL, 10));
			if (hi != NULL)
				buf_printf(&b, "\"maxValue\":%lld,",
				    strtoll(hi, NULL, 10));
			buf_puts(&b, "\"unitText\":\"MONTH\"}},");
		}
		buf_puts(&b, "\"jobLocation\":{\"@type\":\"Place\","
		    "\"address\":{\"@type\":\"PostalAddress\",");
		if (*db_get(r, 0, "city"))
			json_key(&b, "addressLocality", db_get(r, 0, "city"));
		json_key(&b, "addressRegion", english(JOBS_GOVERNORATE,
		    db_get(r, 0, "gov_key")));
		buf_puts(&b, "\"addressCountry\":\"IQ\"}},");
		buf_puts(&b, "\"hiringOrganization\":{");
	} else {
		json_key(&b, "applicationDeadline", db_get(r, 0, "deadline"));
		json_key(&b, "occupationalCategory", english(JOBS_SECTOR,
		    db_get(r, 0, "sector_key")));
		buf_puts(&b, "\"provider\":{");
	}
	buf_puts(&b, "\"@type\":\"Organization\",");
	if (web_link(db_get(r, 0, "ent_website")))
		json_key(&b, "sameAs", db_get(r, 0, "ent_website"));
	json_key(&b, "name", db_get(r, 0, "enterprise"));
	b.len--;
	buf_puts(&b, "}}");
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/*
 * For the enterprise and the counsellors: the edit waiting beside the
 * vacancy (its state and reason, the version it proposes, the list
 * edit_version), and for counsellors the forms to decide on it, or on
 * a new vacancy, here on its page.  0, or -1 when the database is down.
 */
static int
view_review(struct request *req, struct tmpl_vars *v, const char *edit,
    int pending, int mod)
{
	PGresult *e;

	if (edit != NULL) {
		if ((e = DB_Q(req, "jobs_edit_get", request_id(req))) ==
		    NULL)
			return -1;
		tmpl_set_rows(v, "edit_version", e, jobs_vacancy_row, req);
		tmpl_set_bool(v, arena_printf(req->arena, "edit_%s", edit),
		    PQntuples(e) == 1);
		if (PQntuples(e) == 1 && strcmp(edit, "rejected") == 0) {
			tmpl_set(v, "edit_reject_reason", jobs_label(req,
			    JOBS_REJECT, db_get(e, 0, "reject_code")));
			tmpl_set(v, "edit_reject_note", db_get(e, 0,
			    "reject_note"));
		}
	}
	if (!mod || (!pending && (edit == NULL || strcmp(edit, "pending"))))
		return 0;
	return jobs_mod_bind_one(req, v, req->id);
}

/* What the reader may do on a vacancy's page, by who they are. */
static void
view_roles(struct request *req, struct tmpl_vars *v, const PGresult *r,
    int owner, int mod)
{
	const char *state = db_get(r, 0, "state_key");
	int live = db_get_bool(r, 0, "live");
	int sample = db_get_bool(r, 0, "sample");
	int applied = !PQgetisnull(r, 0, PQfnumber(r, "app_id"));

	if (owner || mod) {
		tmpl_set_bool(v, "manage", owner);
		tmpl_set_bool(v, "staff", 1);
		tmpl_set_bool(v, "rejected", strcmp(state, "rejected") == 0);
		tmpl_set_bool(v, "can_close", owner &&
		    strcmp(state, "closed") != 0);
		if (strcmp(state, "rejected") == 0)
			tmpl_set(v, "reject_reason", jobs_label(req,
			    JOBS_REJECT, db_get(r, 0, "reject_code")));
		if (strcmp(state, "closed") == 0)
			tmpl_set(v, "close_reason", jobs_label(req,
			    JOBS_CLOSE, db_get(r, 0, "close_key")));
		if (owner && strcmp(state, "closed") != 0)
			jobs_set_options(req, v, "close_opts", JOBS_CLOSE,
			    NULL, NULL);
	}
	tmpl_set_bool(v, "mod", mod);
	tmpl_set_bool(v, "can_refer", mod && live && !sample);
	tmpl_set_bool(v, "visitor", req->user == NULL && !sample);
	if (req->user == NULL || req->user->role != ROLE_RETURNEE)
		return;
	if (applied)
		tmpl_set(v, "app_status", jobs_label(req, JOBS_APP_STATUS,
		    db_get(r, 0, "app_status_key")));
	/* A withdrawn application may be sent again. */
	tmpl_set_bool(v, "can_apply", live && !sample && (!applied ||
	    strcmp(db_get(r, 0, "app_status_key"), "withdrawn") == 0));
	tmpl_set(v, "ref_status", *db_get(r, 0, "ref_status_key") ?
	    jobs_label(req, JOBS_REF_STATUS, db_get(r, 0, "ref_status_key")) :
	    NULL);
}

int
jobs_view(struct request *req)
{
	struct tmpl_vars v;
	const char *edit;
	PGresult *r;
	int live, owner, mod;

	if ((r = DB_Q(req, "jobs_get", request_id(req),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return jobs_vacancy_404(req);
	live = db_get_bool(r, 0, "live");
	owner = req->user != NULL && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id == db_get_ll(r, 0, "ent_id");
	mod = request_is_mod(req);
	/* Only the enterprise, counsellors, and people who applied or were
	 * referred still see a vacancy that is not live. */
	if (!live && !owner && !mod && *db_get(r, 0, "app_id") == '\0' &&
	    *db_get(r, 0, "ref_status_key") == '\0')
		return jobs_vacancy_404(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	jobs_vacancy_row(req, &v, r, 0);
	tmpl_set(&v, "state", jobs_label(req, JOBS_STATE,
	    db_get(r, 0, "state_key")));
	if (live)
		tmpl_set_raw(&v, "jsonld", jsonld(req, r));
	tmpl_set(&v, "website", web_link(db_get(r, 0, "ent_website")) ?
	    db_get(r, 0, "ent_website") : NULL);
	view_roles(req, &v, r, owner, mod);
	/* Share, save and similar vacancies (jobs_saved.c). */
	if (jobs_saved_view(req, &v, db_get(r, 0, "id"), db_get(r, 0,
	    "title"), live && !db_get_bool(r, 0, "sample")) == -1)
		return page_unavailable(req);
	edit = PQgetisnull(r, 0, PQfnumber(r, "edit_state")) ? NULL :
	    db_get(r, 0, "edit_state");
	if ((owner || mod) && view_review(req, &v, edit,
	    strcmp(db_get(r, 0, "state_key"), "pending") == 0, mod) == -1)
		return page_unavailable(req);
	if (!live)
		req->personal = 1;
	return page_render(req, 200, db_get(r, 0, "title"), "jobs_view", &v);
}

/* ---------------------------------------------------------------------
 * Moderation: the queue's section, and the decisions.
 */

/* What is wrong with a rejection's reason, or NULL. */
