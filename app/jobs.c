/*
 * Vacancies and training offers.  An employer writes one (draft), sends
 * it for review (pending), a counsellor approves it (published) or
 * rejects it with a reason the employer sees (rejected); the employer
 * may close it (closed).  Past its deadline a published vacancy is
 * expired: no state changes, every public query simply asks for
 * "state = 'published' AND deadline >= magnet_today()", so nothing
 * expired, pending or rejected can reach a list, a page, the feed or the
 * API, and nothing has to run at midnight.  Any saved edit goes back to
 * review.  Descriptions are markdown, rendered once on save by the
 * markdown workers, like posts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "note.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"

#define TITLE_MIN	3
#define TITLE_MAX	200
#define DESC_MAX	10000	/* characters of markdown */
#define SALARY_MAX	1000000000LL	/* IQD a month */
#define POSITIONS_MAX	10000
#define PAGE_SIZE	20
#define FEED_SIZE	30
#define API_SIZE	50
#define VACANCIES_PER_HOUR 20
/* "Far future" as a keyset cursor: the first page of a list. */
#define CURSOR_TOP	"253402300799000000"

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

static const char *const close_keys[] = { "filled", "withdrawn", NULL };
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
	[JOBS_CLOSE] = close_keys,
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

static const char *const action_choices[] = { "submit", "draft", "preview",
    NULL };

/* ---------------------------------------------------------------------
 * Parameters.
 */

const struct param jobs_list_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates_any },
	{ "sector", P_ENUM, P_QUERY, 0, 0, 0, jobs_sector_any },
	{ "kind", P_ENUM, P_QUERY, 0, 0, 0, jobs_kind_any },
	{ "contract", P_ENUM, P_QUERY, 0, 0, 0, jobs_contract_any },
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param jobs_api_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates_any },
	{ "sector", P_ENUM, P_QUERY, 0, 0, 0, jobs_sector_any },
	{ "kind", P_ENUM, P_QUERY, 0, 0, 0, jobs_kind_any },
	{ "contract", P_ENUM, P_QUERY, 0, 0, 0, jobs_contract_any },
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param jobs_form_params[] = {
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 1, NULL },
	{ "description", P_TEXT, P_FORM, 1, DESC_MAX, 1, NULL },
	{ "kind", P_ENUM, P_FORM, 0, 0, 1, kind_keys },
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "city", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "sector", P_ENUM, P_FORM, 0, 0, 1, sector_keys },
	{ "contract", P_ENUM, P_FORM, 0, 0, 1, contract_keys },
	{ "positions", P_LINE, P_FORM, 0, 12, 0, NULL },
	{ "skills", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "salary_min", P_LINE, P_FORM, 0, 30, 0, NULL },
	{ "salary_max", P_LINE, P_FORM, 0, 30, 0, NULL },
	{ "deadline", P_LINE, P_FORM, 0, 10, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "action", P_ENUM, P_FORM, 0, 0, 0, action_choices },
	JOBS_LANG_PARAMS,
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param jobs_close_params[] = {
	{ "reason", P_ENUM, P_FORM, 0, 0, 1, close_keys },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* saved=1: the enterprise's details were just saved (enterprise.c). */
const struct param jobs_dashboard_params[] = {
	{ "saved", P_ENUM, P_QUERY, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param jobs_decide_params[] = {
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param jobs_reject_params[] = {
	{ "reason", P_ENUM, P_FORM, 0, 0, 0, jobs_reject_any },
	{ "note", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* ---------------------------------------------------------------------
 * SQL.
 */

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define LOCAL_DAY(col) "to_char(" col " AT TIME ZONE 'Asia/Baghdad', " \
	"'YYYY-MM-DD')"

/* The columns every view of a vacancy reads; see enum col below. */
#define VAC_COLS \
	"v.id, v.kind, v.title, v.governorate, v.city, v.sector, " \
	"v.contract, v.positions, v.languages, v.skills, v.salary_min, " \
	"v.salary_max, to_char(v.deadline, 'YYYY-MM-DD'), " \
	"coalesce(" LOCAL_DAY("v.published_at") ", ''), " \
	"coalesce(" ISO("v.published_at") ", ''), " \
	"e.id, e.name, e.verified_at IS NOT NULL, " \
	"coalesce((extract(epoch FROM v.published_at) * 1000000)::bigint, 0), " \
	"v.state, v.deadline < magnet_today(), " ISO("v.updated_at") ", " \
	"v.description_html "
#define VAC_FROM "FROM vacancies v JOIN enterprises e ON e.id = v.enterprise_id "
/*
 * A public list, in two steps so that only the rows shown are joined:
 * the live vacancies that pass the filters ($1-$4, "" for any), older
 * than the cursor ($5 microseconds, $6 id), newest first, $7 of them.
 * A governorate or a sector given reads its own index in that order
 * (one statement per case, as a generic plan cannot choose); kind and
 * contract have few values and filter the scan.
 */
#define PUBLIC_LIST(gov, sector, from, where) \
	"SELECT " VAC_COLS "FROM (SELECT v.* FROM vacancies v " from \
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

enum col {
	C_ID, C_KIND, C_TITLE, C_GOV, C_CITY, C_SECTOR, C_CONTRACT,
	C_POSITIONS, C_LANGS, C_SKILLS, C_SAL_MIN, C_SAL_MAX, C_DEADLINE,
	C_PUB_DAY, C_PUB_ISO, C_ENT_ID, C_ENT_NAME, C_VERIFIED, C_CURSOR,
	C_STATE, C_PAST, C_UPDATED_ISO, C_HTML, C__LIST,
	/* jobs_get only */
	C_MD = C__LIST, C_AUTHOR, C_REJ_CODE, C_REJ_NOTE, C_CLOSE,
	C_WEBSITE, C_APP_ID, C_APP_STATUS, C_APP_DAY, C_REF_STATUS,
	C_NAPPS, C_ENT_ABOUT, C_EDIT_STATE, C_SAMPLE
};

/*
 * An edit waiting beside a vacancy, read in the shape of jobs_get up to
 * C_REJ_NOTE (the edit's own values, the vacancy's id, enterprise and
 * dates), so that the same code shows it.  C_STATE is the edit's state
 * (draft, pending, rejected).
 */
#define EDIT_GET \
	"SELECT " VAC_COLS ", v.description_md, v.author_id, " \
	"v.reject_code, v.reject_note FROM (SELECT x.id, x.enterprise_id, " \
	"x.published_at, d.kind, d.title, d.governorate, d.city, d.sector, " \
	"d.contract, d.positions, d.languages, d.skills, d.salary_min, " \
	"d.salary_max, d.deadline, d.state, d.updated_at, " \
	"d.description_md, d.description_html, d.author_id, d.reject_code, " \
	"d.reject_note FROM vacancy_edits d JOIN vacancies x ON " \
	"x.id = d.vacancy_id WHERE d.vacancy_id = $1) v " \
	"JOIN enterprises e ON e.id = v.enterprise_id"

/*
 * The counsellors' queue: new vacancies and edits of approved ones,
 * oldest first; where_v and where_e narrow it to one vacancy.
 */
#define MOD_QUEUE(where_v, where_e) \
	"SELECT v.id, v.title, v.kind, v.governorate, v.sector, e.id, " \
	"e.name, e.verified_at IS NOT NULL, " \
	"extract(epoch FROM now() - v.submitted_at)::bigint, " \
	ISO("v.submitted_at") ", u.username, v.published_at IS NOT NULL, " \
	"to_char(v.deadline, 'YYYY-MM-DD'), v.deadline < magnet_today(), " \
	"false, v.description_html, v.salary_min, v.salary_max, " \
	"v.submitted_at FROM vacancies v " \
	"JOIN enterprises e ON e.id = v.enterprise_id " \
	"JOIN users u ON u.id = v.author_id WHERE v.state = 'pending' " \
	where_v "UNION ALL " \
	"SELECT d.vacancy_id, d.title, d.kind, d.governorate, d.sector, " \
	"e.id, e.name, e.verified_at IS NOT NULL, " \
	"extract(epoch FROM now() - d.submitted_at)::bigint, " \
	ISO("d.submitted_at") ", u.username, true, " \
	"to_char(d.deadline, 'YYYY-MM-DD'), d.deadline < magnet_today(), " \
	"true, d.description_html, d.salary_min, d.salary_max, " \
	"d.submitted_at FROM vacancy_edits d " \
	"JOIN vacancies v ON v.id = d.vacancy_id " \
	"JOIN enterprises e ON e.id = v.enterprise_id " \
	"JOIN users u ON u.id = d.author_id WHERE d.state = 'pending' " \
	where_e "ORDER BY 19, 1 LIMIT 100"

/* The columns of MOD_QUEUE. */
enum qcol {
	Q_ID, Q_TITLE, Q_KIND, Q_GOV, Q_SECTOR, Q_ENT_ID, Q_ENT_NAME,
	Q_VERIFIED, Q_WAITED, Q_SINCE, Q_AUTHOR, Q_EDIT, Q_DEADLINE, Q_PAST,
	Q_ASIDE, Q_HTML, Q_SAL_MIN, Q_SAL_MAX
};

/* The columns of an edit stored beside its vacancy, as jobs_update's. */
#define EDIT_FIELDS \
	"kind, title, description_md, description_html, governorate, " \
	"city, sector, contract, positions, languages, skills, salary_min, " \
	"salary_max, deadline"

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
	    "AND (v.search @@ q.q OR magnet_fold(v.title) LIKE q.pat) ") },
	/* How many pass the filters, for the count above the list. */
	{ "jobs_public_n", "SELECT count(*) FROM vacancies v "
	    "WHERE v.state = 'published' AND v.deadline >= magnet_today() "
	    OPT_GOV OPT_SECTOR "AND ($3 = '' OR v.kind = $3) "
	    "AND ($4 = '' OR v.contract = $4)" },
	{ "jobs_public_qn",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($5)) "
	    "AS q, '%' || replace(replace(replace(magnet_fold($5), '\\', "
	    "'\\\\'), '%', '\\%'), '_', '\\_') || '%' AS pat) "
	    "SELECT count(*) FROM vacancies v, q "
	    "WHERE v.state = 'published' AND v.deadline >= magnet_today() "
	    OPT_GOV OPT_SECTOR "AND ($3 = '' OR v.kind = $3) "
	    "AND ($4 = '' OR v.contract = $4) "
	    "AND (v.search @@ q.q OR magnet_fold(v.title) LIKE q.pat)" },
	{ "jobs_get", "SELECT " VAC_COLS ", v.description_md, v.author_id, "
	    "v.reject_code, v.reject_note, v.close_reason, e.website, "
	    "a.id, a.status, " LOCAL_DAY("a.created_at") ", r.status, "
	    "(SELECT count(*) FROM applications x WHERE x.vacancy_id = v.id), "
	    "e.description, (SELECT d.state FROM vacancy_edits d "
	    "WHERE d.vacancy_id = v.id), v.sample "
	    VAC_FROM "LEFT JOIN applications a ON a.vacancy_id = v.id "
	    "AND a.user_id = $2 LEFT JOIN referrals r ON r.vacancy_id = v.id "
	    "AND r.user_id = $2 WHERE v.id = $1" },
	{ "jobs_vacancy", "SELECT id, enterprise_id, author_id, title, state, "
	    "kind, state = 'published' AND deadline >= magnet_today(), "
	    "sample FROM vacancies WHERE id = $1" },
	{ "jobs_insert", "INSERT INTO vacancies (enterprise_id, author_id, "
	    "kind, title, description_md, description_html, governorate, "
	    "city, sector, contract, positions, languages, skills, salary_min, "
	    "salary_max, deadline, state, submitted_at, idem_key) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::int, $12::text[], "
	    "$13, $14::bigint, $15::bigint, $16::date, $17, CASE WHEN $17 = "
	    "'pending' THEN now() END, $18) ON CONFLICT (author_id, idem_key) "
	    "DO NOTHING RETURNING id" },
	{ "jobs_idem_find", "SELECT id FROM vacancies WHERE author_id = $1 "
	    "AND idem_key = $2" },
	{ "jobs_edit_get", EDIT_GET },
	/* An edit of an approved vacancy waits beside it (the public keeps
	 * seeing the approved version); one already waiting keeps its
	 * place in the queue.  $17 is draft or pending. */
	{ "jobs_edit_save", "INSERT INTO vacancy_edits (vacancy_id, "
	    "author_id, " EDIT_FIELDS ", state, submitted_at) "
	    "SELECT id, $18, $3, $4, $5, $6, $7, $8, $9, $10, $11::int, "
	    "$12::text[], $13, $14::bigint, $15::bigint, $16::date, $17, "
	    "CASE WHEN $17 = 'pending' THEN now() END FROM vacancies "
	    "WHERE id = $1 AND enterprise_id = $2 AND state IN ('published', "
	    "'closed') AND published_at IS NOT NULL "
	    "ON CONFLICT (vacancy_id) DO UPDATE SET "
	    "(author_id, " EDIT_FIELDS ", state) = (EXCLUDED.author_id, "
	    "EXCLUDED.kind, EXCLUDED.title, EXCLUDED.description_md, "
	    "EXCLUDED.description_html, EXCLUDED.governorate, EXCLUDED.city, "
	    "EXCLUDED.sector, EXCLUDED.contract, EXCLUDED.positions, "
	    "EXCLUDED.languages, EXCLUDED.skills, EXCLUDED.salary_min, "
	    "EXCLUDED.salary_max, EXCLUDED.deadline, EXCLUDED.state), "
	    "submitted_at = CASE WHEN $17 = 'pending' AND "
	    "vacancy_edits.state = 'pending' THEN vacancy_edits.submitted_at "
	    "WHEN $17 = 'pending' THEN now() END, reject_code = '', "
	    "reject_note = '', updated_at = now() RETURNING vacancy_id" },
	/* A vacancy never approved (or rejected) is changed in place. */
	{ "jobs_update", "UPDATE vacancies SET kind = $3, title = $4, "
	    "description_md = $5, description_html = $6, governorate = $7, "
	    "city = $8, sector = $9, contract = $10, positions = $11::int, "
	    "languages = $12::text[], skills = $13, salary_min = $14::bigint, "
	    "salary_max = $15::bigint, deadline = $16::date, state = $17, "
	    "submitted_at = CASE WHEN $17 = 'pending' AND state = 'pending' "
	    "THEN submitted_at WHEN $17 = 'pending' THEN now() END, "
	    "reject_code = '', reject_note = '', close_reason = '', "
	    "closed_at = NULL, updated_at = now() WHERE id = $1 "
	    "AND enterprise_id = $2 AND (state NOT IN ('published', "
	    "'closed') OR published_at IS NULL) RETURNING id" },
	/* closed_at starts the days its applications keep their access
	 * (JOBS_VACANCY_CURRENT in jobs.h). */
	{ "jobs_close", "UPDATE vacancies SET state = 'closed', "
	    "close_reason = $3, closed_at = now(), updated_at = now() "
	    "WHERE id = $1 "
	    "AND enterprise_id = $2 AND state <> 'closed' RETURNING id" },
	{ "jobs_enterprise", "SELECT e.name, e.verified_at IS NOT NULL, "
	    "e.sector, e.governorate FROM enterprises e WHERE e.id = $1" },
	{ "jobs_dashboard", "SELECT v.id, v.title, v.kind, v.state, "
	    "v.deadline < magnet_today(), to_char(v.deadline, 'YYYY-MM-DD'), "
	    "v.reject_code, v.reject_note, v.close_reason, "
	    "(SELECT count(*) FROM applications a WHERE a.vacancy_id = v.id), "
	    "(SELECT count(*) FROM applications a WHERE a.vacancy_id = v.id "
	    "AND a.status = 'submitted'), "
	    "(SELECT count(*) FROM referrals r WHERE r.vacancy_id = v.id), "
	    "(SELECT d.state FROM vacancy_edits d WHERE d.vacancy_id = v.id) "
	    "FROM vacancies v WHERE v.enterprise_id = $1 "
	    "ORDER BY v.id DESC LIMIT 500" },
	{ "jobs_rate", "SELECT count(*) FROM vacancies WHERE author_id = $1 "
	    "AND created_at > now() - interval '1 hour'" },
	{ "jobs_mod_pending", MOD_QUEUE("", "") },
	{ "jobs_mod_one", MOD_QUEUE("AND v.id = $1 ",
	    "AND d.vacancy_id = $1 ") },
	{ "jobs_mod_unverified",
	    "SELECT e.id, e.name, e.sector, e.governorate, e.address, e.phone, "
	    "e.website, e.description, "
	    "extract(epoch FROM now() - e.queued_at)::bigint, "
	    ISO("e.queued_at") ", coalesce((SELECT string_agg(u.username, "
	    "', ' ORDER BY u.id) FROM users u WHERE u.enterprise_id = e.id), "
	    "'') FROM enterprises e WHERE e.verified_at IS NULL "
	    "ORDER BY e.queued_at, e.id LIMIT 100" },
	{ "jobs_approve", "UPDATE vacancies SET state = 'published', "
	    "published_at = coalesce(published_at, now()), decided_by = $2, "
	    "decided_at = now(), updated_at = now() "
	    "WHERE id = $1 AND state = 'pending' RETURNING author_id, title" },
	/* The edit replaces the approved version, which a closed vacancy
	 * reopens with; the date it was first published stays. */
	{ "jobs_edit_approve", "WITH d AS (DELETE FROM vacancy_edits "
	    "WHERE vacancy_id = $1 AND state = 'pending' RETURNING *) "
	    "UPDATE vacancies v SET (" EDIT_FIELDS ") = (d.kind, d.title, "
	    "d.description_md, d.description_html, d.governorate, d.city, "
	    "d.sector, d.contract, d.positions, d.languages, d.skills, "
	    "d.salary_min, d.salary_max, d.deadline), state = 'published', "
	    "published_at = coalesce(v.published_at, now()), "
	    "close_reason = '', closed_at = NULL, reject_code = '', "
	    "reject_note = '', decided_by = $2, decided_at = now(), "
	    "updated_at = now() FROM d WHERE v.id = d.vacancy_id "
	    "RETURNING d.author_id, v.title" },
	/* The approved version stays; the edit keeps the reason. */
	{ "jobs_edit_reject", "UPDATE vacancy_edits d SET state = "
	    "'rejected', reject_code = $3, reject_note = $4, decided_by = $2, "
	    "decided_at = now() FROM vacancies v WHERE d.vacancy_id = $1 "
	    "AND d.state = 'pending' AND v.id = d.vacancy_id "
	    "RETURNING d.author_id, v.title" },
	/* For account deletion and export (account.c). */
	/* Applications stay for the employer's and the programme's records
	 * (and the conversations about them), without their words. */
	{ JOBS_FORGET_STMT, "WITH p AS (DELETE FROM returnee_profiles "
	    "WHERE user_id = $1) UPDATE applications SET message = '-' "
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
	    "'vacancies', coalesce((SELECT json_agg(json_build_object("
	    "'id', id, 'title', title, 'state', state, 'created_at', "
	    "created_at) ORDER BY id) FROM vacancies WHERE author_id = $1), "
	    "'[]'))::text" },
	{ "jobs_reject", "UPDATE vacancies SET state = 'rejected', "
	    "reject_code = $3, reject_note = $4, decided_by = $2, "
	    "decided_at = now(), updated_at = now() "
	    "WHERE id = $1 AND state IN ('pending', 'published') "
	    "RETURNING author_id, title" },
};

void
jobs_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* ---------------------------------------------------------------------
 * Small helpers shared by the job-board modules.
 */

const char *
jobs_id(struct request *req, long long id)
{
	return arena_printf(req->arena, "%lld", id);
}

const char *
jobs_uid(struct request *req)
{
	return req->user ? jobs_id(req, req->user->id) : "0";
}

int
jobs_is_mod(struct request *req)
{
	return req->user != NULL && req->user->role >= ROLE_MODERATOR;
}

const char *
jobs_next(struct request *req, const char *fallback)
{
	const char *n = param_str(req, "next");

	return *n != '\0' && request_local_path(n) ? n : fallback;
}

/* A column of a result row, copied into the request's arena. */
static const char *
col(struct request *req, const PGresult *r, int row, int c)
{
	return arena_strdup(req->arena, db_val(r, row, c));
}

static int
is_true(const PGresult *r, int row, int c)
{
	return strcmp(db_val(r, row, c), "t") == 0;
}

static const char *
copy(struct request *req, struct buf *b)
{
	return arena_strndup(req->arena, b->p ? b->p : "", b->len);
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

const char *
jobs_options(struct request *req, enum jobs_list l, const char *selected,
    const char *first)
{
	return page_options(req, jobs_keys[l], labels[l], 0, selected, first);
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
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

const char *
jobs_lang_boxes(struct request *req, const char *arr)
{
	struct buf b;
	const char *s;
	size_t i;

	buf_init(&b);
	for (i = 0; lang_keys[i] != NULL; i++) {
		buf_printf(&b, "<label><input type=\"checkbox\" name=\"l_%s\" "
		    "value=\"1\"%s> ", lang_keys[i], jobs_pg_has(arr,
		    lang_keys[i]) ? " checked" : "");
		html_txt(&b, i18n_get(req->lang, lang_labels[i]));
		buf_puts(&b, "</label>");
	}
	s = copy(req, &b);
	buf_free(&b);
	return s;
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
	s = copy(req, &b);
	buf_free(&b);
	return s;
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
	s = i18n_digits(req->arena, req->lang, copy(req, &b));
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

/* A day number (days since 1970-01-01) as YYYY-MM-DD, for a form. */
static const char *
day_iso(struct request *req, long day)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;
	char s[16];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%d", &tm) == 0)
		return NULL;
	return arena_strdup(req->arena, s);
}

/* ---------------------------------------------------------------------
 * Vacancies for the other modules.
 */

int
jobs_vacancy_get(struct request *req, long long id, struct jobs_vacancy *v)
{
	PGresult *r;

	memset(v, 0, sizeof(*v));
	if ((r = DB_EXEC("jobs_vacancy", jobs_id(req, id))) == NULL)
		return -1;
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	v->id = db_ll(r, 0, 0);
	v->enterprise_id = db_ll(r, 0, 1);
	v->author_id = db_ll(r, 0, 2);
	v->title = col(req, r, 0, 3);
	v->state = col(req, r, 0, 4);
	v->kind = col(req, r, 0, 5);
	v->live = is_true(r, 0, 6);
	v->sample = is_true(r, 0, 7);
	PQclear(r);
	return 1;
}

int
jobs_owns(struct request *req, const struct jobs_vacancy *v)
{
	return req->user != NULL && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id != 0 &&
	    req->user->enterprise_id == v->enterprise_id;
}

static int
vacancy_404(struct request *req)
{
	return page_error(req, 404, N_("This vacancy does not exist or is no "
	    "longer open."));
}

/* The state an employer sees: the stored one, or "expired". */
static const char *
shown_state(struct request *req, const PGresult *r, int row, int state_col,
    int past_col)
{
	const char *s = db_val(r, row, state_col);

	if (strcmp(s, "published") == 0 && is_true(r, row, past_col))
		return "expired";
	return arena_strdup(req->arena, s);
}

/* ---------------------------------------------------------------------
 * Lists: /jobs, the feed, the API and the home page read the same
 * statements.
 */

struct filters {
	const char	*gov, *sector, *kind, *contract, *q;
	const char	*cur_us, *cur_id;
};

/* Read the filters and the cursor; -1 when the cursor is malformed. */
static int
read_filters(struct request *req, struct filters *f)
{
	const char *after, *dot;

	f->gov = param_err(req, "governorate") ? "" :
	    param_str(req, "governorate");
	f->sector = param_err(req, "sector") ? "" : param_str(req, "sector");
	f->kind = param_err(req, "kind") ? "" : param_str(req, "kind");
	f->contract = param_err(req, "contract") ? "" :
	    param_str(req, "contract");
	f->q = param_err(req, "q") ? "" : param_str(req, "q");
	f->cur_us = CURSOR_TOP;
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

static PGresult *
public_rows(struct request *req, const struct filters *f, int limit)
{
	const char *lim = jobs_id(req, limit), *stmt;

	if (*f->q != '\0')
		return DB_EXEC("jobs_public_q", f->gov, f->sector, f->kind,
		    f->contract, f->cur_us, f->cur_id, lim, f->q);
	if (*f->gov != '\0')
		stmt = *f->sector != '\0' ? "jobs_public_gs" : "jobs_public_g";
	else
		stmt = *f->sector != '\0' ? "jobs_public_s" : "jobs_public";
	return DB_EXEC(stmt, f->gov, f->sector, f->kind, f->contract,
	    f->cur_us, f->cur_id, lim);
}

/* The filters as a query string for links: "governorate=erbil&..." */
static const char *
filter_query(struct request *req, const struct filters *f)
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
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

/* "750,000 to 1,200,000 IQD a month" from decimal amounts, NULL for
 * none given; NULL when neither is. */
static const char *
salary_words(struct request *req, const char *lo, const char *hi)
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

static const char *
salary_cols(struct request *req, const PGresult *r, int i, int cmin,
    int cmax)
{
	return salary_words(req, PQgetisnull(r, i, cmin) ? NULL :
	    db_val(r, i, cmin), PQgetisnull(r, i, cmax) ? NULL :
	    db_val(r, i, cmax));
}

static const char *
salary_text(struct request *req, const PGresult *r, int i)
{
	return salary_cols(req, r, i, C_SAL_MIN, C_SAL_MAX);
}

/* The variables of one vacancy that lists and the page share. */
static void
vacancy_vars(struct request *req, struct tmpl_vars *v, const PGresult *r,
    int i)
{
	tmpl_set(v, "id", col(req, r, i, C_ID));
	tmpl_set(v, "title", col(req, r, i, C_TITLE));
	tmpl_set(v, "training", strcmp(db_val(r, i, C_KIND), "training") == 0 ?
	    "1" : NULL);
	tmpl_set(v, "kind", jobs_label(req, JOBS_KIND, db_val(r, i, C_KIND)));
	tmpl_set(v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_val(r, i, C_GOV)));
	tmpl_set(v, "city", col(req, r, i, C_CITY));
	tmpl_set(v, "sector", jobs_label(req, JOBS_SECTOR,
	    db_val(r, i, C_SECTOR)));
	tmpl_set(v, "contract", jobs_label(req, JOBS_CONTRACT,
	    db_val(r, i, C_CONTRACT)));
	tmpl_set(v, "positions", i18n_num(req->arena, req->lang,
	    db_ll(r, i, C_POSITIONS)));
	tmpl_set(v, "languages", jobs_lang_names(req,
	    db_val(r, i, C_LANGS)));
	tmpl_set(v, "skills", col(req, r, i, C_SKILLS));
	tmpl_set(v, "salary", salary_text(req, r, i));
	tmpl_set(v, "deadline", jobs_date(req, db_val(r, i, C_DEADLINE)));
	tmpl_set(v, "deadline_iso", col(req, r, i, C_DEADLINE));
	tmpl_set(v, "posted", *db_val(r, i, C_PUB_DAY) ? jobs_date(req,
	    db_val(r, i, C_PUB_DAY)) : NULL);
	tmpl_set(v, "posted_iso", col(req, r, i, C_PUB_ISO));
	tmpl_set(v, "ent_id", col(req, r, i, C_ENT_ID));
	tmpl_set(v, "enterprise", col(req, r, i, C_ENT_NAME));
	tmpl_set(v, "verified", is_true(r, i, C_VERIFIED) ? "1" : NULL);
}

static void
render_rows(struct request *req, struct buf *out, const PGresult *r, int n,
    const char *tmpl)
{
	struct tmpl_vars v;
	int i;

	for (i = 0; i < n; i++) {
		memset(&v, 0, sizeof(v));
		vacancy_vars(req, &v, r, i);
		tmpl_render(out, tmpl, req->lang, &v);
	}
}

/*
 * The folded filters of /jobs: their summary names the choices in force,
 * and they open by themselves when one of them is wrong.
 */
static void
chosen_filters(struct request *req, const struct filters *f,
    struct tmpl_vars *v)
{
	const struct {
		enum jobs_list	 l;
		const char	*val, *name;
	} sel[] = {
		{ JOBS_GOVERNORATE, f->gov, "governorate" },
		{ JOBS_SECTOR, f->sector, "sector" },
		{ JOBS_KIND, f->kind, "kind" },
		{ JOBS_CONTRACT, f->contract, "contract" },
	};
	struct buf b;
	size_t i;
	int open = 0;

	buf_init(&b);
	for (i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		if (param_err(req, sel[i].name) != NULL)
			open = 1;
		if (*sel[i].val == '\0')
			continue;
		if (b.len > 0)
			buf_puts(&b, " · ");
		buf_puts(&b, jobs_label(req, sel[i].l, sel[i].val));
	}
	tmpl_set(v, "chosen", b.len > 0 ? copy(req, &b) : NULL);
	tmpl_set(v, "open", open ? "1" : NULL);
	buf_free(&b);
}

int
jobs_list(struct request *req)
{
	struct tmpl_vars v;
	struct filters f;
	struct buf rows;
	const char *fq;
	PGresult *r;
	int n, shown, status = 200;

	if (read_filters(req, &f) == -1)
		return page_error(req, 400, N_("This page link is not valid."));
	if (req->nerrors > 0)
		status = 400;
	if ((r = public_rows(req, &f, PAGE_SIZE + 1)) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > PAGE_SIZE ? PAGE_SIZE : n;
	buf_init(&rows);
	render_rows(req, &rows, r, shown, "jobs_row");
	memset(&v, 0, sizeof(v));
	fq = filter_query(req, &f);
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	tmpl_set(&v, "empty", shown == 0 ? "1" : NULL);
	tmpl_set(&v, "filtered", *fq != '\0' ? "1" : NULL);
	tmpl_set(&v, "q", param_str(req, "q"));
	tmpl_set_raw(&v, "gov_options", jobs_options(req, JOBS_GOVERNORATE,
	    f.gov, N_("Any governorate")));
	tmpl_set_raw(&v, "sector_options", jobs_options(req, JOBS_SECTOR,
	    f.sector, N_("Any sector")));
	tmpl_set_raw(&v, "kind_options", jobs_options(req, JOBS_KIND, f.kind,
	    N_("Jobs and training")));
	tmpl_set_raw(&v, "contract_options", jobs_options(req, JOBS_CONTRACT,
	    f.contract, N_("Any contract")));
	tmpl_set(&v, "governorate_err", param_err(req, "governorate"));
	tmpl_set(&v, "sector_err", param_err(req, "sector"));
	tmpl_set(&v, "kind_err", param_err(req, "kind"));
	tmpl_set(&v, "contract_err", param_err(req, "contract"));
	tmpl_set(&v, "q_err", param_err(req, "q"));
	if (n > PAGE_SIZE)
		tmpl_set(&v, "next", arena_printf(req->arena, "/jobs?%s%s"
		    "after=%s.%s", fq, *fq ? "&" : "", db_val(r, shown - 1,
		    C_CURSOR), db_val(r, shown - 1, C_ID)));
	if (*param_str(req, "after"))
		tmpl_set(&v, "first", arena_printf(req->arena, "/jobs%s%s",
		    *fq ? "?" : "", fq));
	tmpl_set(&v, "feed", arena_printf(req->arena, "/feeds/jobs.atom%s%s",
	    *fq ? "?" : "", fq));
	tmpl_set(&v, "employer", req->user != NULL &&
	    req->user->role == ROLE_EMPLOYER ? "1" : NULL);
	tmpl_set(&v, "returnee", req->user != NULL &&
	    req->user->role == ROLE_RETURNEE ? "1" : NULL);
	tmpl_set(&v, "staff", jobs_is_mod(req) ? "1" : NULL);
	PQclear(r);
	if (*f.q != '\0')
		r = DB_EXEC("jobs_public_qn", f.gov, f.sector, f.kind,
		    f.contract, f.q);
	else
		r = DB_EXEC("jobs_public_n", f.gov, f.sector, f.kind,
		    f.contract);
	if (r == NULL)
		return page_unavailable(req);
	/* TRANSLATORS: how many vacancies and training offers the list
	 * (with its filters) holds; the number follows. */
	tmpl_set(&v, "found", arena_printf(req->arena, T(req, "Results: %s"),
	    i18n_num(req->arena, req->lang, db_ll(r, 0, 0))));
	PQclear(r);
	chosen_filters(req, &f, &v);
	return page_render(req, status, T(req, "Jobs and training"), "jobs_list",
	    &v);
}

int
jobs_latest(struct request *req, struct buf *out, int n)
{
	struct filters f;
	struct tmpl_vars v;
	struct buf rows;
	PGresult *r;

	memset(&f, 0, sizeof(f));
	f.gov = f.sector = f.kind = f.contract = f.q = "";
	f.cur_us = CURSOR_TOP;
	f.cur_id = "0";
	if ((r = public_rows(req, &f, n)) == NULL)
		return -1;
	buf_init(&rows);
	render_rows(req, &rows, r, PQntuples(r), "jobs_latest_row");
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "empty", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	PQclear(r);
	tmpl_render(out, "jobs_latest", req->lang, &v);
	return 0;
}

int
jobs_search(struct request *req, const char *q, struct buf *out, int n)
{
	struct filters f;
	PGresult *r;
	int found;

	if (q == NULL || *q == '\0')
		return 0;
	memset(&f, 0, sizeof(f));
	f.gov = f.sector = f.kind = f.contract = "";
	f.q = q;
	f.cur_us = CURSOR_TOP;
	f.cur_id = "0";
	if ((r = public_rows(req, &f, n)) == NULL)
		return -1;
	found = PQntuples(r);
	render_rows(req, out, r, found, "jobs_latest_row");
	PQclear(r);
	return found;
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
	const char *base = conf_active()->base_url, *s;
	struct buf b, u;
	int job;

	job = strcmp(db_val(r, 0, C_KIND), "job") == 0;
	buf_init(&b);
	buf_init(&u);
	buf_printf(&u, "%s/jobs/%s", base, db_val(r, 0, C_ID));
	buf_printf(&b, "{\"@context\":\"https://schema.org\","
	    "\"@type\":\"%s\",", job ? "JobPosting" :
	    "EducationalOccupationalProgram");
	json_key(&b, job ? "title" : "name", db_val(r, 0, C_TITLE));
	json_key(&b, "description", db_val(r, 0, C_HTML));
	json_key(&b, "url", u.p);
	if (job) {
		json_key(&b, "datePosted", db_val(r, 0, C_PUB_ISO));
		json_key(&b, "validThrough", arena_printf(req->arena,
		    "%sT23:59:59+03:00", db_val(r, 0, C_DEADLINE)));
		json_key(&b, "employmentType",
		    employment_type(db_val(r, 0, C_CONTRACT)));
		json_key(&b, "industry", english(JOBS_SECTOR,
		    db_val(r, 0, C_SECTOR)));
		if (*db_val(r, 0, C_SKILLS))
			json_key(&b, "skills", db_val(r, 0, C_SKILLS));
		buf_printf(&b, "\"totalJobOpenings\":%lld,",
		    db_ll(r, 0, C_POSITIONS));
		buf_puts(&b, "\"directApply\":true,\"identifier\":{"
		    "\"@type\":\"PropertyValue\",\"name\":\"Magnet\",");
		json_key(&b, "value", db_val(r, 0, C_ID));
		b.len--;
		buf_puts(&b, "},");
		if (!PQgetisnull(r, 0, C_SAL_MIN) ||
		    !PQgetisnull(r, 0, C_SAL_MAX)) {
			buf_puts(&b, "\"baseSalary\":{\"@type\":"
			    "\"MonetaryAmount\",\"currency\":\"IQD\","
			    "\"value\":{\"@type\":\"QuantitativeValue\",");
			if (!PQgetisnull(r, 0, C_SAL_MIN))
				buf_printf(&b, "\"minValue\":%lld,",
				    db_ll(r, 0, C_SAL_MIN));
			if (!PQgetisnull(r, 0, C_SAL_MAX))
				buf_printf(&b, "\"maxValue\":%lld,",
				    db_ll(r, 0, C_SAL_MAX));
			buf_puts(&b, "\"unitText\":\"MONTH\"}},");
		}
		buf_puts(&b, "\"jobLocation\":{\"@type\":\"Place\","
		    "\"address\":{\"@type\":\"PostalAddress\",");
		if (*db_val(r, 0, C_CITY))
			json_key(&b, "addressLocality", db_val(r, 0, C_CITY));
		json_key(&b, "addressRegion", english(JOBS_GOVERNORATE,
		    db_val(r, 0, C_GOV)));
		buf_puts(&b, "\"addressCountry\":\"IQ\"}},");
		buf_puts(&b, "\"hiringOrganization\":{");
	} else {
		json_key(&b, "applicationDeadline", db_val(r, 0, C_DEADLINE));
		json_key(&b, "occupationalCategory", english(JOBS_SECTOR,
		    db_val(r, 0, C_SECTOR)));
		buf_puts(&b, "\"provider\":{");
	}
	buf_puts(&b, "\"@type\":\"Organization\",");
	if (web_link(db_val(r, 0, C_WEBSITE)))
		json_key(&b, "sameAs", db_val(r, 0, C_WEBSITE));
	json_key(&b, "name", db_val(r, 0, C_ENT_NAME));
	b.len--;
	buf_puts(&b, "}}");
	s = copy(req, &b);
	buf_free(&b);
	buf_free(&u);
	return s;
}

static void	mod_card(struct request *, struct buf *, const PGresult *,
		    int, const char *);

/* The vacancy as the public sees it, below its title: the enterprise,
 * the facts and the description (jobs_version.html), as raw HTML. */
static const char *
version_html(struct request *req, struct tmpl_vars *v)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	tmpl_render(&b, "jobs_version", req->lang, v);
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

/* 1 when edits of this jobs_get row wait beside it: it was approved
 * and is published (maybe expired) or closed. */
static int
edits_aside(const PGresult *r)
{
	const char *st = db_val(r, 0, C_STATE);

	return *db_val(r, 0, C_PUB_DAY) != '\0' &&
	    (strcmp(st, "published") == 0 || strcmp(st, "closed") == 0);
}

/*
 * For the enterprise and the counsellors: the edit waiting beside the
 * vacancy (its state and reason, the version it proposes), and for
 * counsellors the forms to decide on it, or on a new vacancy, here on
 * its page.  0, or -1 when the database is down.
 */
static int
view_review(struct request *req, struct tmpl_vars *v, const char *edit,
    int pending, int mod)
{
	struct tmpl_vars ev;
	struct buf b;
	PGresult *e;

	if (edit != NULL) {
		if ((e = DB_EXEC("jobs_edit_get", jobs_id(req, req->id))) ==
		    NULL)
			return -1;
		if (PQntuples(e) == 1) {
			memset(&ev, 0, sizeof(ev));
			vacancy_vars(req, &ev, e, 0);
			tmpl_set_raw(&ev, "html", col(req, e, 0, C_HTML));
			tmpl_set_raw(v, "edit_version", version_html(req,
			    &ev));
			tmpl_set(v, "edit_title", col(req, e, 0, C_TITLE));
			tmpl_set(v, arena_printf(req->arena, "edit_%s", edit),
			    "1");
			if (strcmp(edit, "rejected") == 0) {
				tmpl_set(v, "edit_reject_reason",
				    jobs_label(req, JOBS_REJECT,
				    db_val(e, 0, C_REJ_CODE)));
				tmpl_set(v, "edit_reject_note", col(req, e, 0,
				    C_REJ_NOTE));
			}
		}
		PQclear(e);
	}
	if (!mod || (!pending && (edit == NULL || strcmp(edit, "pending"))))
		return 0;
	if ((e = DB_EXEC("jobs_mod_one", jobs_id(req, req->id))) == NULL)
		return -1;
	if (PQntuples(e) == 1) {
		buf_init(&b);
		mod_card(req, &b, e, 0, arena_printf(req->arena, "/jobs/%lld",
		    req->id));
		tmpl_set_raw(v, "decide", copy(req, &b));
		buf_free(&b);
	}
	PQclear(e);
	return 0;
}

int
jobs_view(struct request *req)
{
	struct tmpl_vars v;
	const char *state, *edit;
	PGresult *r;
	int live, owner, mod, applied, referred, status, pending, sample;

	if ((r = DB_EXEC("jobs_get", jobs_id(req, req->id),
	    jobs_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return vacancy_404(req);
	}
	state = shown_state(req, r, 0, C_STATE, C_PAST);
	live = strcmp(state, "published") == 0;
	sample = is_true(r, 0, C_SAMPLE);
	owner = req->user != NULL && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id == db_ll(r, 0, C_ENT_ID);
	mod = jobs_is_mod(req);
	applied = !PQgetisnull(r, 0, C_APP_ID);
	referred = !PQgetisnull(r, 0, C_REF_STATUS);
	/* Only the enterprise, counsellors, and people who applied or were
	 * referred still see a vacancy that is not live. */
	if (!live && !owner && !mod && !applied && !referred) {
		PQclear(r);
		return vacancy_404(req);
	}
	memset(&v, 0, sizeof(v));
	vacancy_vars(req, &v, r, 0);
	tmpl_set_raw(&v, "html", col(req, r, 0, C_HTML));
	tmpl_set_raw(&v, "version", version_html(req, &v));
	tmpl_set(&v, "live", live ? "1" : NULL);
	tmpl_set(&v, "not_live", live ? NULL : "1");
	tmpl_set(&v, "state", jobs_label(req, JOBS_STATE, state));
	tmpl_set(&v, "state_key", state);
	if (live)
		tmpl_set_raw(&v, "jsonld", jsonld(req, r));
	if (owner || mod) {
		tmpl_set(&v, "manage", owner ? "1" : NULL);
		tmpl_set(&v, "staff", "1");
		tmpl_set(&v, "napps", i18n_num(req->arena, req->lang,
		    db_ll(r, 0, C_NAPPS)));
		if (strcmp(state, "rejected") == 0) {
			tmpl_set(&v, "rejected", "1");
			tmpl_set(&v, "reject_reason", jobs_label(req,
			    JOBS_REJECT, db_val(r, 0, C_REJ_CODE)));
			tmpl_set(&v, "reject_note", col(req, r, 0,
			    C_REJ_NOTE));
		}
		if (strcmp(state, "closed") == 0)
			tmpl_set(&v, "close_reason", jobs_label(req,
			    JOBS_CLOSE, db_val(r, 0, C_CLOSE)));
		if (owner && strcmp(state, "closed") != 0)
			tmpl_set_raw(&v, "close_options", jobs_options(req,
			    JOBS_CLOSE, NULL, NULL));
		if (strcmp(state, "pending") == 0)
			tmpl_set(&v, "pending", "1");
	}
	if (mod) {
		tmpl_set(&v, "mod", "1");
		if (live && !sample)
			tmpl_set(&v, "can_refer", "1");
	}
	tmpl_set(&v, "sample", sample ? "1" : NULL);
	if (req->user == NULL)
		tmpl_set(&v, "visitor", sample ? NULL : "1");
	else if (req->user->role == ROLE_RETURNEE) {
		if (applied) {
			tmpl_set(&v, "applied", "1");
			tmpl_set(&v, "app_status", jobs_label(req,
			    JOBS_APP_STATUS, db_val(r, 0, C_APP_STATUS)));
			tmpl_set(&v, "app_day", jobs_date(req,
			    db_val(r, 0, C_APP_DAY)));
		}
		/* A withdrawn application may be sent again. */
		if (live && !sample && (!applied ||
		    strcmp(db_val(r, 0, C_APP_STATUS), "withdrawn") == 0))
			tmpl_set(&v, "can_apply", "1");
		if (referred)
			tmpl_set(&v, "ref_status", jobs_label(req,
			    JOBS_REF_STATUS, db_val(r, 0, C_REF_STATUS)));
	}
	if (*db_val(r, 0, C_ENT_ABOUT))
		tmpl_set(&v, "ent_about", col(req, r, 0, C_ENT_ABOUT));
	if (web_link(db_val(r, 0, C_WEBSITE)))
		tmpl_set(&v, "website", col(req, r, 0, C_WEBSITE));
	edit = PQgetisnull(r, 0, C_EDIT_STATE) ? NULL :
	    col(req, r, 0, C_EDIT_STATE);
	pending = strcmp(state, "pending") == 0;
	PQclear(r);
	if ((owner || mod) && view_review(req, &v, edit, pending, mod) == -1)
		return page_unavailable(req);
	if (!live)
		req->personal = 1;
	status = page_render(req, 200, tmpl_var(&v, "title"), "jobs_view", &v);
	return status;
}

/* ---------------------------------------------------------------------
 * Writing a vacancy.
 */

/* The employer's enterprise, or 0 with *status set (403). */
static long long
my_enterprise(struct request *req, int *status)
{
	if (req->user->role != ROLE_EMPLOYER || req->user->enterprise_id == 0) {
		log_warnx("refused vacancy form for user=%lld", req->user->id);
		*status = page_error(req, 403, N_("Only employers can post "
		    "vacancies. Counsellors refer returnees to them."));
		return 0;
	}
	return req->user->enterprise_id;
}

/* The form's values: from a stored vacancy, or as the user sent them. */
struct form {
	const char	*title, *description, *kind, *governorate, *city;
	const char	*sector, *contract, *positions, *skills;
	const char	*salary_min, *salary_max, *deadline, *langs;
};

static void
form_from_request(struct request *req, struct form *f)
{
	f->title = param_str(req, "title");
	f->description = param_str(req, "description");
	f->kind = param_str(req, "kind");
	f->governorate = param_str(req, "governorate");
	f->city = param_str(req, "city");
	f->sector = param_str(req, "sector");
	f->contract = param_str(req, "contract");
	f->positions = param_str(req, "positions");
	f->skills = param_str(req, "skills");
	f->salary_min = param_str(req, "salary_min");
	f->salary_max = param_str(req, "salary_max");
	f->deadline = param_str(req, "deadline");
	f->langs = jobs_langs_from_form(req);
}

static int
form_page(struct request *req, int status, long long id, const struct form *f,
    const char *was, const char *preview, const char *problem)
{
	static const char *const fields[] = { "title", "description", "kind",
	    "governorate", "city", "sector", "contract", "positions", "skills",
	    "salary_min", "salary_max", "deadline" };
	struct tmpl_vars v;
	const char *idem;
	size_t i;

	memset(&v, 0, sizeof(v));
	idem = param_str(req, "idem");
	tmpl_set(&v, "action", id ? arena_printf(req->arena, "/jobs/%lld/edit",
	    id) : "/jobs/new");
	tmpl_set(&v, "heading", id ? T(req, "Edit vacancy") :
	    T(req, "New vacancy or training offer"));
	tmpl_set(&v, "id", id ? jobs_id(req, id) : NULL);
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "title", f->title);
	tmpl_set(&v, "description", f->description);
	tmpl_set(&v, "kind_job", strcmp(f->kind, "training") != 0 ? "1" : NULL);
	tmpl_set(&v, "kind_training", strcmp(f->kind, "training") == 0 ? "1" :
	    NULL);
	tmpl_set_raw(&v, "gov_options", jobs_options(req, JOBS_GOVERNORATE,
	    f->governorate, N_("Choose a governorate")));
	tmpl_set(&v, "city", f->city);
	tmpl_set_raw(&v, "sector_options", jobs_options(req, JOBS_SECTOR,
	    f->sector, N_("Choose a sector")));
	tmpl_set_raw(&v, "contract_options", jobs_options(req, JOBS_CONTRACT,
	    f->contract, N_("Choose a contract")));
	tmpl_set(&v, "positions", f->positions);
	tmpl_set(&v, "skills", f->skills);
	tmpl_set(&v, "salary_min", f->salary_min);
	tmpl_set(&v, "salary_max", f->salary_max);
	tmpl_set(&v, "deadline", f->deadline);
	/* The days the deadline may take: today to a year on (as checked). */
	tmpl_set(&v, "today", day_iso(req, jobs_today(time(NULL))));
	tmpl_set(&v, "last_day", day_iso(req, jobs_today(time(NULL)) + 366));
	tmpl_set_raw(&v, "lang_boxes", jobs_lang_boxes(req, f->langs));
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    fields[i]), param_err_html(req, fields[i]));
	/* was: the state of an approved vacancy whose edits wait beside
	 * it, NULL for one changed in place. */
	if (was != NULL && (strcmp(was, "published") == 0 ||
	    strcmp(was, "expired") == 0))
		tmpl_set(&v, "was_live", "1");
	if (was != NULL && strcmp(was, "closed") == 0)
		tmpl_set(&v, "was_closed", "1");
	tmpl_set(&v, "preview_title", preview ? f->title : NULL);
	tmpl_set_raw(&v, "preview", preview);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set(&v, "desc_max", jobs_id(req, DESC_MAX));
	req->personal = 1;
	return page_render(req, status, tmpl_var(&v, "heading"), "jobs_form",
	    &v);
}

static void
amount_err(struct request *req, const char *name, enum jobs_amount a)
{
	switch (a) {
	case JOBS_AMOUNT_NEGATIVE:
		param_set_err(req, name, N_("A salary cannot be negative."));
		break;
	case JOBS_AMOUNT_BAD:
		param_set_err_ex(req, name, N_("Please give a whole number "
		    "of dinars, such as %s."), "750000", NULL);
		break;
	case JOBS_AMOUNT_RANGE:
		param_set_err(req, name, N_("This number is out of range."));
		break;
	default:
		break;
	}
}

/*
 * Check what the form's fields cannot check alone: amounts, the
 * deadline, the rendered description.  Fills the values to store.
 */
static void
check_form(struct request *req, const char **positions, const char **smin,
    const char **smax, const char **html)
{
	enum jobs_amount a;
	long long n, lo = -1, hi = -1;
	long day, today;

	*positions = "1";
	*smin = *smax = NULL;
	*html = NULL;
	if (param_err(req, "positions") == NULL) {
		a = jobs_parse_amount(param_str(req, "positions"),
		    POSITIONS_MAX, &n);
		if (a == JOBS_AMOUNT_OK && n >= 1)
			*positions = jobs_id(req, n);
		else if (a != JOBS_AMOUNT_EMPTY)
			param_set_err(req, "positions", N_("Give a number of "
			    "places from 1 to 10000."));
	}
	if (param_err(req, "salary_min") == NULL) {
		a = jobs_parse_amount(param_str(req, "salary_min"), SALARY_MAX,
		    &lo);
		if (a == JOBS_AMOUNT_OK)
			*smin = jobs_id(req, lo);
		else
			lo = -1;
		amount_err(req, "salary_min", a);
	}
	if (param_err(req, "salary_max") == NULL) {
		a = jobs_parse_amount(param_str(req, "salary_max"), SALARY_MAX,
		    &hi);
		if (a == JOBS_AMOUNT_OK)
			*smax = jobs_id(req, hi);
		else
			hi = -1;
		amount_err(req, "salary_max", a);
	}
	if (lo >= 0 && hi >= 0 && hi < lo)
		param_set_err(req, "salary_max", N_("The highest salary is "
		    "lower than the lowest."));
	if (param_err(req, "deadline") == NULL) {
		day = jobs_parse_date(param_str(req, "deadline"));
		today = jobs_today(time(NULL));
		if (day < 0)
			param_set_err_ex(req, "deadline", N_("Give a date as "
			    "year-month-day, such as %s."), "2025-06-30", NULL);
		else if (day < today)
			param_set_err(req, "deadline", N_("The deadline has "
			    "already passed. Choose today or a later day."));
		else if (day > today + 366)
			param_set_err(req, "deadline", N_("Choose a deadline "
			    "within a year from today."));
	}
	if (param_err(req, "description") == NULL)
		param_markdown(req, "description", param_str(req,
		    "description"), html);
}

int
jobs_new_form(struct request *req)
{
	struct form f;
	int status;

	if (my_enterprise(req, &status) == 0)
		return status;
	memset(&f, 0, sizeof(f));
	f.title = f.description = f.kind = f.governorate = f.city = "";
	f.sector = f.contract = f.skills = f.salary_min = f.salary_max = "";
	f.deadline = "";
	f.positions = "1";
	f.langs = "{}";
	return form_page(req, 200, 0, &f, NULL, NULL, NULL);
}

/* The form's vacancy as the board would show it (jobs_version.html). */
static const char *
preview_html(struct request *req, long long ent, const struct form *f,
    const char *html, const char *positions, const char *smin,
    const char *smax)
{
	struct tmpl_vars v;
	PGresult *e;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "kind", jobs_label(req, JOBS_KIND, f->kind));
	tmpl_set(&v, "ent_id", jobs_id(req, ent));
	if ((e = DB_EXEC("jobs_enterprise", jobs_id(req, ent))) != NULL) {
		if (PQntuples(e) == 1) {
			tmpl_set(&v, "enterprise", col(req, e, 0, 0));
			tmpl_set(&v, "verified", is_true(e, 0, 1) ? "1" :
			    NULL);
		}
		PQclear(e);
	}
	tmpl_set(&v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    f->governorate));
	tmpl_set(&v, "city", f->city);
	tmpl_set(&v, "sector", jobs_label(req, JOBS_SECTOR, f->sector));
	tmpl_set(&v, "contract", jobs_label(req, JOBS_CONTRACT, f->contract));
	tmpl_set(&v, "positions", i18n_num(req->arena, req->lang,
	    strtoll(positions, NULL, 10)));
	tmpl_set(&v, "salary", salary_words(req, smin, smax));
	tmpl_set(&v, "languages", jobs_lang_names(req, f->langs));
	tmpl_set(&v, "skills", f->skills);
	tmpl_set(&v, "deadline", jobs_date(req, f->deadline));
	tmpl_set(&v, "deadline_iso", f->deadline);
	tmpl_set_raw(&v, "html", html);
	return version_html(req, &v);
}

/*
 * Save the form as a new vacancy (id 0) or over an existing one; the
 * edit of an approved one (aside) is kept beside it for review.
 */
static int
save(struct request *req, long long ent, long long id, const char *was,
    int aside)
{
	const char *positions, *smin, *smax, *html, *action, *state, *idem;
	struct form f;
	PGresult *r;
	int status;

	form_from_request(req, &f);
	check_form(req, &positions, &smin, &smax, &html);
	if (req->nerrors > 0)
		return form_page(req, 422, id, &f, was, NULL,
		    N_("Please correct the marked fields."));
	action = param_str(req, "action");
	if (strcmp(action, "preview") == 0)
		return form_page(req, 200, id, &f, was, preview_html(req, ent,
		    &f, html, positions, smin, smax), NULL);
	state = strcmp(action, "draft") == 0 ? "draft" : "pending";
	idem = param_str(req, "idem");
	if (aside)
		r = DB_EXEC("jobs_edit_save", jobs_id(req, id),
		    jobs_id(req, ent), f.kind, f.title, f.description, html,
		    f.governorate, f.city, f.sector, f.contract, positions,
		    f.langs, f.skills, smin, smax, f.deadline, state,
		    jobs_uid(req));
	else if (id == 0) {
		if ((r = DB_EXEC("jobs_rate", jobs_uid(req))) == NULL)
			return page_unavailable(req);
		status = db_ll(r, 0, 0) >= VACANCIES_PER_HOUR;
		PQclear(r);
		if (status)
			return page_error(req, 429, N_("You have posted many "
			    "vacancies in the last hour. Please wait a while "
			    "and send the form again."));
		r = DB_EXEC("jobs_insert", jobs_id(req, ent), jobs_uid(req),
		    f.kind, f.title, f.description, html, f.governorate,
		    f.city, f.sector, f.contract, positions, f.langs, f.skills,
		    smin, smax, f.deadline, state, *idem ? idem : NULL);
	} else
		r = DB_EXEC("jobs_update", jobs_id(req, id), jobs_id(req, ent),
		    f.kind, f.title, f.description, html, f.governorate,
		    f.city, f.sector, f.contract, positions, f.langs, f.skills,
		    smin, smax, f.deadline, state);
	if (r == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1) {
		id = db_ll(r, 0, 0);
		PQclear(r);
	} else {
		PQclear(r);
		/* Approved, closed or rejected since the form was read. */
		if (id != 0)
			return form_page(req, 409, id, &f, was, NULL,
			    N_("A counsellor decided on this vacancy while you "
			    "were editing it. Please send the form again."));
		/* The same form sent twice: show what the first made. */
		if ((r = DB_EXEC("jobs_idem_find", jobs_uid(req), idem)) ==
		    NULL)
			return page_unavailable(req);
		if (PQntuples(r) != 1) {
			PQclear(r);
			return page_unavailable(req);
		}
		id = db_ll(r, 0, 0);
		PQclear(r);
	}
	log_info("vacancy %lld saved as %s%s by user=%lld", id, state,
	    aside ? " (an edit)" : "", req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/jobs/%lld", id));
}

int
jobs_new(struct request *req)
{
	long long ent;
	int status;

	if ((ent = my_enterprise(req, &status)) == 0)
		return status;
	return save(req, ent, 0, NULL, 0);
}

/* Load a vacancy of the user's own enterprise: 1, or 0 with *status. */
static int
own_vacancy(struct request *req, PGresult **r, int *status)
{
	if (my_enterprise(req, status) == 0)
		return 0;
	if ((*r = DB_EXEC("jobs_get", jobs_id(req, req->id),
	    jobs_uid(req))) == NULL) {
		*status = page_unavailable(req);
		return 0;
	}
	if (PQntuples(*r) != 1) {
		PQclear(*r);
		*status = vacancy_404(req);
		return 0;
	}
	if (db_ll(*r, 0, C_ENT_ID) != req->user->enterprise_id) {
		PQclear(*r);
		log_warnx("refused vacancy %lld to user=%lld", req->id,
		    req->user->id);
		*status = page_error(req, 403, N_("Only the enterprise that "
		    "posted this vacancy can change it."));
		return 0;
	}
	return 1;
}

/* The form's values from a jobs_get or jobs_edit_get row. */
static void
form_from_row(struct request *req, struct form *f, const PGresult *r)
{
	f->title = col(req, r, 0, C_TITLE);
	f->description = col(req, r, 0, C_MD);
	f->kind = col(req, r, 0, C_KIND);
	f->governorate = col(req, r, 0, C_GOV);
	f->city = col(req, r, 0, C_CITY);
	f->sector = col(req, r, 0, C_SECTOR);
	f->contract = col(req, r, 0, C_CONTRACT);
	f->positions = col(req, r, 0, C_POSITIONS);
	f->skills = col(req, r, 0, C_SKILLS);
	f->salary_min = col(req, r, 0, C_SAL_MIN);
	f->salary_max = col(req, r, 0, C_SAL_MAX);
	f->deadline = col(req, r, 0, C_DEADLINE);
	f->langs = col(req, r, 0, C_LANGS);
}

int
jobs_edit_form(struct request *req)
{
	struct form f;
	const char *was;
	PGresult *r;
	int status, edit;

	if (!own_vacancy(req, &r, &status))
		return status;
	form_from_row(req, &f, r);
	was = edits_aside(r) ? shown_state(req, r, 0, C_STATE, C_PAST) : NULL;
	edit = !PQgetisnull(r, 0, C_EDIT_STATE);
	PQclear(r);
	/* Go on from the edit waiting beside it. */
	if (edit) {
		if ((r = DB_EXEC("jobs_edit_get", jobs_id(req, req->id))) ==
		    NULL)
			return page_unavailable(req);
		if (PQntuples(r) == 1)
			form_from_row(req, &f, r);
		PQclear(r);
	}
	return form_page(req, 200, req->id, &f, was, NULL, NULL);
}

int
jobs_edit(struct request *req)
{
	const char *was;
	PGresult *r;
	int status, aside;

	if (!own_vacancy(req, &r, &status))
		return status;
	aside = edits_aside(r);
	was = aside ? shown_state(req, r, 0, C_STATE, C_PAST) : NULL;
	PQclear(r);
	return save(req, req->user->enterprise_id, req->id, was, aside);
}

int
jobs_close(struct request *req)
{
	PGresult *r;
	int status;

	if (!own_vacancy(req, &r, &status))
		return status;
	PQclear(r);
	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please choose why the vacancy "
		    "is closed."));
	if ((r = DB_EXEC("jobs_close", jobs_id(req, req->id),
	    jobs_id(req, req->user->enterprise_id),
	    param_str(req, "reason"))) == NULL)
		return page_unavailable(req);
	PQclear(r);
	return request_redirect(req, arena_printf(req->arena, "/jobs/%lld",
	    req->id));
}

/* ---------------------------------------------------------------------
 * The employer's dashboard.
 */

int
jobs_dashboard(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows;
	const char *state;
	PGresult *e, *r;
	long long ent;
	int i, status;

	if ((ent = my_enterprise(req, &status)) == 0)
		return status;
	if ((e = DB_EXEC("jobs_enterprise", jobs_id(req, ent))) == NULL)
		return page_unavailable(req);
	if ((r = DB_EXEC("jobs_dashboard", jobs_id(req, ent))) == NULL) {
		PQclear(e);
		return page_unavailable(req);
	}
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		state = shown_state(req, r, i, 3, 4);
		tmpl_set(&row, "id", col(req, r, i, 0));
		tmpl_set(&row, "title", col(req, r, i, 1));
		tmpl_set(&row, "kind", jobs_label(req, JOBS_KIND,
		    db_val(r, i, 2)));
		tmpl_set(&row, "state", jobs_label(req, JOBS_STATE, state));
		tmpl_set(&row, "state_key", state);
		tmpl_set(&row, "deadline", jobs_date(req, db_val(r, i, 5)));
		if (strcmp(state, "rejected") == 0) {
			tmpl_set(&row, "reject_reason", jobs_label(req,
			    JOBS_REJECT, db_val(r, i, 6)));
			tmpl_set(&row, "reject_note", col(req, r, i, 7));
		}
		if (strcmp(state, "closed") == 0)
			tmpl_set(&row, "close_reason", jobs_label(req,
			    JOBS_CLOSE, db_val(r, i, 8)));
		tmpl_set(&row, "napps", i18n_num(req->arena, req->lang,
		    db_ll(r, i, 9)));
		tmpl_set(&row, "nnew", db_ll(r, i, 10) > 0 ?
		    i18n_num(req->arena, req->lang, db_ll(r, i, 10)) : NULL);
		tmpl_set(&row, "nrefs", db_ll(r, i, 11) > 0 ?
		    i18n_num(req->arena, req->lang, db_ll(r, i, 11)) : NULL);
		if (!PQgetisnull(r, i, 12))
			tmpl_set(&row, arena_printf(req->arena, "edit_%s",
			    db_val(r, i, 12)), "1");
		tmpl_render(&rows, "jobs_dashboard_row", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "ent_id", jobs_id(req, ent));
	if (PQntuples(e) == 1) {
		tmpl_set(&v, "enterprise", col(req, e, 0, 0));
		tmpl_set(&v, "verified", is_true(e, 0, 1) ? "1" : NULL);
		tmpl_set(&v, "incomplete", *db_val(e, 0, 2) == '\0' ||
		    *db_val(e, 0, 3) == '\0' ? "1" : NULL);
	}
	tmpl_set(&v, "saved", *param_str(req, "saved") != '\0' ? "1" : NULL);
	tmpl_set(&v, "empty", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	PQclear(r);
	PQclear(e);
	req->personal = 1;
	return page_render(req, 200, T(req, "Your vacancies"), "jobs_dashboard",
	    &v);
}

/* ---------------------------------------------------------------------
 * The Atom feed and the JSON API: what a visitor may see, nothing else.
 */

int
jobs_feed(struct request *req)
{
	const char *base = conf_active()->base_url, *fq;
	struct filters f;
	struct buf b;
	PGresult *r;
	int i;

	if (read_filters(req, &f) == -1 || req->nerrors > 0)
		return page_error(req, 400, N_("This feed address is not "
		    "valid."));
	f.cur_us = CURSOR_TOP;
	f.cur_id = "0";
	if ((r = public_rows(req, &f, FEED_SIZE)) == NULL)
		return page_unavailable(req);
	fq = filter_query(req, &f);
	buf_init(&b);
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n"
	    "<title>", i18n_langs[req->lang].tag);
	html_txt(&b, T(req, "Jobs and training"));
	buf_puts(&b, " · ");
	html_txt(&b, T(req, "Magnet"));
	buf_puts(&b, "</title>\n<id>");
	html_txt(&b, base);
	buf_puts(&b, "/jobs</id>\n<link rel=\"alternate\" href=\"");
	html_attr(&b, base);
	buf_printf(&b, "/jobs%s", *fq ? "?" : "");
	html_attr(&b, fq);
	buf_puts(&b, "\"/>\n<link rel=\"self\" href=\"");
	html_attr(&b, base);
	buf_printf(&b, "/feeds/jobs.atom%s", *fq ? "?" : "");
	html_attr(&b, fq);
	buf_printf(&b, "\"/>\n<updated>%s</updated>\n", PQntuples(r) > 0 ?
	    db_val(r, 0, C_UPDATED_ISO) : "1970-01-01T00:00:00Z");
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&b, "<entry>\n<title>");
		html_txt(&b, db_val(r, i, C_TITLE));
		buf_puts(&b, "</title>\n<id>");
		html_txt(&b, base);
		buf_printf(&b, "/jobs/%s</id>\n<link rel=\"alternate\" "
		    "href=\"", db_val(r, i, C_ID));
		html_attr(&b, base);
		buf_printf(&b, "/jobs/%s\"/>\n<author><name>",
		    db_val(r, i, C_ID));
		html_txt(&b, db_val(r, i, C_ENT_NAME));
		buf_printf(&b, "</name></author>\n<published>%s</published>\n"
		    "<updated>%s</updated>\n", db_val(r, i, C_PUB_ISO),
		    db_val(r, i, C_UPDATED_ISO));
		buf_puts(&b, "<category term=\"");
		html_attr(&b, db_val(r, i, C_GOV));
		buf_puts(&b, "\" label=\"");
		html_attr(&b, jobs_label(req, JOBS_GOVERNORATE,
		    db_val(r, i, C_GOV)));
		buf_puts(&b, "\"/>\n<category term=\"");
		html_attr(&b, db_val(r, i, C_SECTOR));
		buf_puts(&b, "\" label=\"");
		html_attr(&b, jobs_label(req, JOBS_SECTOR,
		    db_val(r, i, C_SECTOR)));
		buf_puts(&b, "\"/>\n<summary>");
		html_txt(&b, arena_printf(req->arena, "%s · %s · %s",
		    jobs_label(req, JOBS_KIND, db_val(r, i, C_KIND)),
		    jobs_label(req, JOBS_GOVERNORATE, db_val(r, i, C_GOV)),
		    arena_printf(req->arena, T(req, "Apply by %s"),
		    jobs_date(req, db_val(r, i, C_DEADLINE)))));
		buf_puts(&b, "</summary>\n<content type=\"html\">");
		html_txt(&b, db_val(r, i, C_HTML));
		buf_puts(&b, "</content>\n</entry>\n");
	}
	buf_puts(&b, "</feed>\n");
	PQclear(r);
	buf_reset(&req->out);
	buf_append(&req->out, b.p, b.len);
	buf_free(&b);
	req->content_type = "application/atom+xml; charset=utf-8";
	req->cache_public = 1;
	return 200;
}

static int
api_error(struct request *req, int status, const char *msg)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "{\"error\":");
	html_json(&b, msg);
	buf_puts(&b, "}\n");
	request_json(req, status, &b);
	buf_free(&b);
	return status;
}

static void
api_vacancy(struct request *req, struct buf *b, const PGresult *r, int i,
    int full)
{
	const char *base = conf_active()->base_url, *arr, *p, *e;
	int first = 1;

	buf_printf(b, "{\"id\":%lld,", db_ll(r, i, C_ID));
	json_key(b, "url", arena_printf(req->arena, "%s/jobs/%s", base,
	    db_val(r, i, C_ID)));
	json_key(b, "kind", db_val(r, i, C_KIND));
	json_key(b, "title", db_val(r, i, C_TITLE));
	buf_printf(b, "\"enterprise\":{\"id\":%lld,", db_ll(r, i, C_ENT_ID));
	json_key(b, "name", db_val(r, i, C_ENT_NAME));
	buf_printf(b, "\"verified\":%s},", is_true(r, i, C_VERIFIED) ? "true" :
	    "false");
	json_key(b, "governorate", db_val(r, i, C_GOV));
	json_key(b, "city", db_val(r, i, C_CITY));
	json_key(b, "sector", db_val(r, i, C_SECTOR));
	json_key(b, "contract", db_val(r, i, C_CONTRACT));
	buf_printf(b, "\"positions\":%lld,\"languages\":[",
	    db_ll(r, i, C_POSITIONS));
	/* Keys from the fixed list: letters only, no quoting needed in
	 * PostgreSQL's array text. */
	arr = db_val(r, i, C_LANGS);
	for (p = *arr == '{' ? arr + 1 : arr; *p != '\0' && *p != '}'; ) {
		e = p + strcspn(p, ",}");
		if (!first)
			buf_putc(b, ',');
		html_json(b, arena_strndup(req->arena, p, (size_t)(e - p)));
		first = 0;
		p = *e == ',' ? e + 1 : e;
	}
	buf_puts(b, "],");
	json_key(b, "skills", db_val(r, i, C_SKILLS));
	if (PQgetisnull(r, i, C_SAL_MIN) && PQgetisnull(r, i, C_SAL_MAX))
		buf_puts(b, "\"salary\":null,");
	else {
		buf_puts(b, "\"salary\":{\"currency\":\"IQD\",\"period\":"
		    "\"month\",");
		buf_printf(b, "\"min\":%s,\"max\":%s},",
		    PQgetisnull(r, i, C_SAL_MIN) ? "null" :
		    db_val(r, i, C_SAL_MIN), PQgetisnull(r, i, C_SAL_MAX) ?
		    "null" : db_val(r, i, C_SAL_MAX));
	}
	json_key(b, "deadline", db_val(r, i, C_DEADLINE));
	if (full)
		json_key(b, "description_html", db_val(r, i, C_HTML));
	html_json(b, "published_at");
	buf_putc(b, ':');
	html_json(b, db_val(r, i, C_PUB_ISO));
	buf_putc(b, '}');
}

int
jobs_api_list(struct request *req)
{
	struct filters f;
	struct buf b;
	PGresult *r;
	int i, n, shown;

	if (read_filters(req, &f) == -1)
		return api_error(req, 400, "after: not a valid cursor");
	if (param_err(req, "governorate"))
		return api_error(req, 400, "governorate: unknown value");
	if (param_err(req, "sector"))
		return api_error(req, 400, "sector: unknown value");
	if (param_err(req, "kind"))
		return api_error(req, 400, "kind: unknown value");
	if (param_err(req, "contract"))
		return api_error(req, 400, "contract: unknown value");
	if (param_err(req, "q"))
		return api_error(req, 400, "q: too long or not valid UTF-8");
	if ((r = public_rows(req, &f, API_SIZE + 1)) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > API_SIZE ? API_SIZE : n;
	buf_init(&b);
	buf_puts(&b, "{\"jobs\":[");
	for (i = 0; i < shown; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		api_vacancy(req, &b, r, i, 0);
	}
	buf_puts(&b, "],\"next\":");
	if (n > API_SIZE) {
		const char *fq = filter_query(req, &f);

		html_json(&b, arena_printf(req->arena, "/api/v1/jobs?%s%s"
		    "after=%s.%s", fq, *fq ? "&" : "",
		    db_val(r, shown - 1, C_CURSOR),
		    db_val(r, shown - 1, C_ID)));
	} else
		buf_puts(&b, "null");
	buf_puts(&b, "}\n");
	PQclear(r);
	request_json(req, 200, &b);
	buf_free(&b);
	req->cache_public = 1;
	return 200;
}

int
jobs_api_one(struct request *req)
{
	struct buf b;
	PGresult *r;

	/* As a visitor: uid 0 sees no application of anyone's. */
	if ((r = DB_EXEC("jobs_get", jobs_id(req, req->id), "0")) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1 || strcmp(shown_state(req, r, 0, C_STATE, C_PAST),
	    "published") != 0) {
		PQclear(r);
		return api_error(req, 404, "not found");
	}
	buf_init(&b);
	api_vacancy(req, &b, r, 0, 1);
	buf_putc(&b, '\n');
	PQclear(r);
	request_json(req, 200, &b);
	buf_free(&b);
	req->cache_public = 1;
	return 200;
}

/* ---------------------------------------------------------------------
 * Moderation: the queue's section, and the decisions.
 */

/* What is wrong with a rejection's reason, or NULL. */
static const char *
reject_problem(struct request *req)
{
	const char *code = param_str(req, "reason");
	const char *note = param_str(req, "note");

	if (param_err(req, "reason") || param_err(req, "note"))
		return N_("The reason could not be read. Choose one from the "
		    "list and keep the note under 1000 characters.");
	if (*code == '\0' && *note == '\0')
		return N_("Give the employer a reason: choose one from the "
		    "list or write a note.");
	if (strcmp(code, "other") == 0 && *note == '\0')
		return N_("With \"See the counsellor's note\", write the "
		    "note.");
	return NULL;
}

/*
 * One card of the queue (a row of MOD_QUEUE): what a counsellor needs to
 * decide (the description, the pay, the enterprise and whether it is
 * verified) and the forms; next is where a decision returns to.
 */
static void
mod_card(struct request *req, struct buf *out, const PGresult *p, int i,
    const char *next)
{
	struct tmpl_vars row;
	const char *reasons = NULL, *problem;

	memset(&row, 0, sizeof(row));
	/* A refused rejection: keep what the counsellor wrote. */
	if (req->method == M_POST && req->id == db_ll(p, i, Q_ID) &&
	    (problem = reject_problem(req)) != NULL) {
		tmpl_set(&row, "problem", T(req, problem));
		tmpl_set(&row, "note", param_str(req, "note"));
		reasons = jobs_options(req, JOBS_REJECT,
		    param_str(req, "reason"), N_("Choose a reason"));
	}
	if (reasons == NULL)
		reasons = jobs_options(req, JOBS_REJECT, NULL,
		    N_("Choose a reason"));
	tmpl_set(&row, "id", col(req, p, i, Q_ID));
	tmpl_set(&row, "title", col(req, p, i, Q_TITLE));
	tmpl_set(&row, "kind", jobs_label(req, JOBS_KIND,
	    db_val(p, i, Q_KIND)));
	tmpl_set(&row, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_val(p, i, Q_GOV)));
	tmpl_set(&row, "sector", jobs_label(req, JOBS_SECTOR,
	    db_val(p, i, Q_SECTOR)));
	tmpl_set(&row, "ent_id", col(req, p, i, Q_ENT_ID));
	tmpl_set(&row, "enterprise", col(req, p, i, Q_ENT_NAME));
	tmpl_set(&row, "verified", is_true(p, i, Q_VERIFIED) ? "1" : NULL);
	tmpl_set(&row, "waited", jobs_waited(req, db_ll(p, i, Q_WAITED)));
	tmpl_set(&row, "since", col(req, p, i, Q_SINCE));
	tmpl_set(&row, "author", col(req, p, i, Q_AUTHOR));
	tmpl_set(&row, "edit", is_true(p, i, Q_EDIT) ? "1" : NULL);
	tmpl_set(&row, "aside", is_true(p, i, Q_ASIDE) ? "1" : NULL);
	tmpl_set(&row, "deadline", jobs_date(req, db_val(p, i, Q_DEADLINE)));
	tmpl_set(&row, "past", is_true(p, i, Q_PAST) ? "1" : NULL);
	tmpl_set_raw(&row, "html", col(req, p, i, Q_HTML));
	tmpl_set(&row, "salary", salary_cols(req, p, i, Q_SAL_MIN,
	    Q_SAL_MAX));
	tmpl_set_raw(&row, "reasons", reasons);
	tmpl_set(&row, "csrf", req->csrf);
	tmpl_set(&row, "next", next);
	tmpl_set(&row, "on_page", strncmp(next, "/jobs/", 6) == 0 ? "1" :
	    NULL);
	tmpl_render(out, "jobs_mod_vacancy", req->lang, &row);
}

int
jobs_mod_section(struct request *req, struct buf *out)
{
	struct tmpl_vars v, row;
	struct buf vrows, erows;
	PGresult *p, *e;
	int i;

	if ((p = DB_EXEC("jobs_mod_pending")) == NULL)
		return -1;
	if ((e = DB_EXEC("jobs_mod_unverified")) == NULL) {
		PQclear(p);
		return -1;
	}
	buf_init(&vrows);
	for (i = 0; i < PQntuples(p); i++)
		mod_card(req, &vrows, p, i, req->path);
	buf_init(&erows);
	for (i = 0; i < PQntuples(e); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", col(req, e, i, 0));
		tmpl_set(&row, "name", col(req, e, i, 1));
		tmpl_set(&row, "sector", jobs_label(req, JOBS_SECTOR,
		    db_val(e, i, 2)));
		tmpl_set(&row, "governorate", jobs_label(req, JOBS_GOVERNORATE,
		    db_val(e, i, 3)));
		tmpl_set(&row, "address", col(req, e, i, 4));
		tmpl_set(&row, "phone", col(req, e, i, 5));
		tmpl_set(&row, "website", col(req, e, i, 6));
		tmpl_set(&row, "description", col(req, e, i, 7));
		tmpl_set(&row, "waited", jobs_waited(req, db_ll(e, i, 8)));
		tmpl_set(&row, "since", col(req, e, i, 9));
		tmpl_set(&row, "accounts", col(req, e, i, 10));
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_set(&row, "next", req->path);
		tmpl_render(&erows, "jobs_mod_enterprise", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "no_vacancies", PQntuples(p) == 0 ? "1" : NULL);
	tmpl_set(&v, "no_enterprises", PQntuples(e) == 0 ? "1" : NULL);
	tmpl_set(&v, "nvacancies", i18n_num(req->arena, req->lang,
	    PQntuples(p)));
	tmpl_set(&v, "nenterprises", i18n_num(req->arena, req->lang,
	    PQntuples(e)));
	tmpl_set_raw(&v, "vacancies", copy(req, &vrows));
	tmpl_set_raw(&v, "enterprises", copy(req, &erows));
	buf_free(&vrows);
	buf_free(&erows);
	PQclear(p);
	PQclear(e);
	tmpl_render(out, "jobs_mod", req->lang, &v);
	return 0;
}

static int
mod_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	struct buf out;

	buf_init(&out);
	if (jobs_mod_section(req, &out) == -1) {
		buf_free(&out);
		return page_unavailable(req);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_raw(&v, "section", copy(req, &out));
	buf_free(&out);
	req->personal = 1;
	return page_render(req, status, T(req, "Vacancies and enterprises to "
	    "review"), "jobs_mod_page", &v);
}

int
jobs_mod_page(struct request *req)
{
	return mod_page(req, 200, NULL);
}

/*
 * Decide on what waits for review, as a counsellor: an edit beside an
 * approved vacancy (edit_stmt) if there is one, else the vacancy itself
 * (stmt).  Audit and notify in the same transaction.  The statements
 * return the author's id and the title.
 */
static int
decide(struct request *req, const char *edit_stmt, const char *stmt,
    const char *action, const char *code, const char *note,
    const char *kind)
{
	const char *target, *reason, *id = jobs_id(req, req->id);
	PGresult *r;
	long long author;
	int i;

	target = arena_printf(req->arena, "vacancy:%lld", req->id);
	reason = code != NULL && *code != '\0' ? arena_printf(req->arena,
	    "%s%s%s", code, *note ? ": " : "", note) : note;
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < 2; i++) {
		const char *s = i == 0 ? edit_stmt : stmt;

		r = code != NULL ? DB_EXEC(s, id, jobs_uid(req), code, note) :
		    DB_EXEC(s, id, jobs_uid(req));
		if (r == NULL)
			goto fail;
		if (PQntuples(r) == 1)
			break;
		PQclear(r);
		r = NULL;
	}
	if (r == NULL) {
		db_rollback();
		return mod_page(req, 409, N_("This vacancy was already decided "
		    "or changed; the queue below is up to date."));
	}
	author = db_ll(r, 0, 0);
	/* An edit: "vacancy.edit_approve", and the employer is told that
	 * the approved version stays or was replaced. */
	if (i == 0) {
		action = arena_printf(req->arena, "vacancy.edit_%s",
		    action + strlen("vacancy."));
		kind = arena_printf(req->arena, "edit_%s", kind);
	}
	if (audit(req->user->id, action, target, reason) == -1 ||
	    note_add(author, kind, req->user->id, db_val(r, 0, 1),
	    arena_printf(req->arena, "/jobs/%lld", req->id)) == -1) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("%s %s by user=%lld", action, target, req->user->id);
	return request_redirect(req, jobs_next(req, "/mod/jobs"));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
jobs_mod_approve(struct request *req)
{
	return decide(req, "jobs_edit_approve", "jobs_approve",
	    "vacancy.approve", NULL, "", "approved");
}

int
jobs_mod_reject(struct request *req)
{
	const char *problem;

	if ((problem = reject_problem(req)) != NULL)
		return mod_page(req, 422, problem);
	return decide(req, "jobs_edit_reject", "jobs_reject",
	    "vacancy.reject", param_str(req, "reason"), param_str(req, "note"),
	    "rejected");
}
