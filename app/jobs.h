/*
 * The job board: enterprises' vacancies and training offers, checked by
 * a counsellor before anyone else sees them; browsing, the vacancy page
 * with its schema.org JobPosting; the employer's dashboard; the
 * moderators' part of the queue.  The Atom feed (feed.c) and the JSON
 * API (api.c) read the public list through the functions below.
 *
 * The fixed lists (governorates, sectors, languages, ...) live here too:
 * forms send their keys, pages show their translated labels, and the
 * other job-board modules (enterprise.c, apply.c, profile.c,
 * referral.c) use them through the functions below.
 */
#ifndef MAGNET_JOBS_H
#define MAGNET_JOBS_H

#include <time.h>

#include "param.h"

#include <libpq-fe.h>

struct buf;
struct request;
struct tmpl_vars;

enum jobs_list {
	JOBS_GOVERNORATE,
	JOBS_SECTOR,
	JOBS_KIND,
	JOBS_CONTRACT,
	JOBS_LANGUAGE,
	JOBS_COUNTRY,
	JOBS_EDUCATION,
	JOBS_APP_STATUS,
	JOBS_REF_STATUS,
	JOBS_REJECT,
	JOBS_STATE,
	JOBS_CLOSE,
	JOBS_LIST__MAX
};

/* The keys of each list, NULL-terminated: the choices of a P_ENUM. */
extern const char *const *const jobs_keys[JOBS_LIST__MAX];
extern const char *const jobs_sector_any[];
extern const char *const jobs_kind_any[];
extern const char *const jobs_contract_any[];
extern const char *const jobs_country_any[];
extern const char *const jobs_education_any[];
extern const char *const jobs_reject_any[];
extern const char *const jobs_app_statuses[];
extern const char *const jobs_ref_statuses[];
extern const char *const jobs_on[];	/* a checkbox: { "1", NULL } */
extern const char *const jobs_close_keys[];

/* One checkbox per language, "l_<key>": a form's languages. */
#define JOBS_LANG_PARAMS \
	{ "l_ckb", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_kmr", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_ar", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_tr", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_fa", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_en", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_de", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_sv", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_nl", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_fr", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_fi", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_no", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_da", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_it", P_ENUM, P_FORM, 0, 0, 0, jobs_on }, \
	{ "l_el", P_ENUM, P_FORM, 0, 0, 0, jobs_on }

/* The translated label of key in a list; "" for "", the key if unknown. */
const char	*jobs_label(struct request *, enum jobs_list, const char *key);
/* A row hook (ctx: the request): the labels of the keys a row has,
 * kind_key, gov_key, sector_key and contract_key, as kind, governorate,
 * sector and contract in the reader's language. */
void		 jobs_row_labels(void *ctx, struct tmpl_vars *row,
		    const PGresult *, int i);
/* <option>s as the list name of v, for {{#name}}<option ...>{{/name}}
 * (page_set_options): key selected; first, when not NULL, is the msgid
 * of an empty first option ("Any", "Choose ..."). */
void		 jobs_set_options(struct request *, struct tmpl_vars *,
		    const char *name, enum jobs_list, const char *selected,
		    const char *first);
/* The checked l_* boxes of a form as a PostgreSQL array: "{ckb,en}". */
const char	*jobs_langs_from_form(struct request *);
/* Checkboxes for every language, those in the array checked: the list
 * name of v, items key, label, checked. */
void		 jobs_set_lang_boxes(struct request *, struct tmpl_vars *,
		    const char *name, const char *pgarray);
/* "Sorani Kurdish, English" for an array of keys. */
const char	*jobs_lang_names(struct request *, const char *pgarray);
/* A returnee profile's row (columns gov_key, country_key, education_key,
 * langs) in the reader's words: governorate, country, education and
 * languages of v (the profile page, the CV). */
void		 jobs_profile_labels(struct request *, struct tmpl_vars *,
		    const PGresult *);
/* 1 when a PostgreSQL text array ("{a,b}") holds key. */
int		 jobs_pg_has(const char *pgarray, const char *key);
/* "750,000 IQD" in the request's language and digits. */
const char	*jobs_money(struct request *, long long);
/* A date "YYYY-MM-DD" with the language's digits. */
const char	*jobs_date(struct request *, const char *iso);
/* "750,000 to 1,200,000 IQD a month" from decimal amounts (NULL: not
 * given); NULL when neither is. */
const char	*jobs_salary(struct request *, const char *lo, const char *hi);
/* The same from a row's salary_min and salary_max. */
const char	*jobs_salary_row(struct request *, const PGresult *, int i);
/* "3 d", "5 h", "12 min": how long something has waited. */
const char	*jobs_waited(struct request *, long long seconds);
/* The next= of a form when it is a local path, else fallback. */
const char	*jobs_next(struct request *, const char *fallback);

/* Pure functions, for the unit tests. */
enum jobs_amount {
	JOBS_AMOUNT_OK,
	JOBS_AMOUNT_EMPTY,
	JOBS_AMOUNT_NEGATIVE,
	JOBS_AMOUNT_BAD,
	JOBS_AMOUNT_RANGE
};
/* A whole amount typed by a person: ASCII, Arabic-Indic or Persian
 * digits, grouped with commas, U+066C or spaces.  0 <= *out <= max. */
enum jobs_amount jobs_parse_amount(const char *, long long max,
		    long long *out);
/* Days since 1970-01-01 of "YYYY-MM-DD", a real calendar date; -1 if not. */
long		 jobs_parse_date(const char *);
/* Today in the Kurdistan Region (UTC+3) as days since 1970-01-01. */
long		 jobs_today(time_t now);

/*
 * What an application or a referral lets the vacancy's enterprise do:
 * the one rule, as SQL, behind an employer's view of a returnee's
 * profile (profile.c), the profile and "write" links on a vacancy's
 * applications (apply.c, referral.c) and starting a conversation about
 * an application or a referral (msg.c).  Every employer account of the
 * enterprise is treated alike; employers of other enterprises get
 * nothing.  The profile also needs the returnee's consent; a
 * conversation does not (the returnee wrote to the enterprise).
 *
 * An application or referral is live, and gives that access, when:
 *
 *   status                      vacancy current   vacancy ended
 *   submitted viewed            yes               no
 *     shortlisted interview
 *     (referred contacted
 *     interview)
 *   offered hired               yes               yes
 *     (placed enrolled
 *     completed)
 *   not_selected (not_placed)   no                no
 *   withdrawn                   no                no
 *
 * Current: published and at most JOBS_ACCESS_DAYS past its deadline, or
 * closed at most JOBS_ACCESS_DAYS ago.  An edit waiting for review
 * changes nothing: it waits beside the vacancy (vacancy_edits), whose
 * state stays.  Pending is not current: a pending vacancy was never
 * approved, or was sent again after the counsellors rejected it, and
 * only the counsellors give that access back.  Ended: later than that,
 * a draft, pending, or rejected by the counsellors.  The deadline ends
 * applying, not choosing: the days
 * after it are for reading, interviews and answers.  Withdrawing ends
 * the access at once whatever the status, so the returnee can always
 * take it back.  A conversation already started stays open to both
 * sides (the returnee can block); it never shows the profile.
 */
#define JOBS_ACCESS_DAYS	"30"
#define JOBS_VACANCY_CURRENT(v) \
	"((" v ".state = 'published' AND " v ".deadline >= " \
	"magnet_today() - " JOBS_ACCESS_DAYS ") OR (" v ".state = " \
	"'closed' AND " v ".closed_at >= now() - interval '" \
	JOBS_ACCESS_DAYS " days'))"
#define JOBS_APP_LIVE(a, v) \
	"(" a ".status IN ('offered', 'hired') OR (" a ".status IN " \
	"('submitted', 'viewed', 'shortlisted', 'interview') AND " \
	JOBS_VACANCY_CURRENT(v) "))"
#define JOBS_REF_LIVE(r, v) \
	"(" r ".status IN ('placed', 'enrolled', 'completed') OR (" r \
	".status IN ('referred', 'contacted', 'interview') AND " \
	JOBS_VACANCY_CURRENT(v) "))"
/* A live application or referral of returnee user to a vacancy of
 * enterprise ent (SQL expressions, e.g. "$1"). */
#define JOBS_TIED(user, ent) \
	"(EXISTS (SELECT 1 FROM applications ta JOIN vacancies tv ON " \
	"tv.id = ta.vacancy_id WHERE ta.user_id = " user " AND " \
	"tv.enterprise_id = " ent " AND " JOBS_APP_LIVE("ta", "tv") ") OR " \
	"EXISTS (SELECT 1 FROM referrals tr JOIN vacancies tv ON " \
	"tv.id = tr.vacancy_id WHERE tr.user_id = " user " AND " \
	"tv.enterprise_id = " ent " AND " JOBS_REF_LIVE("tr", "tv") "))"

/* A vacancy as other modules need it. */
struct jobs_vacancy {
	long long	 id;
	long long	 enterprise_id;
	long long	 author_id;
	const char	*title;
	const char	*state;		/* the stored state */
	const char	*kind;
	int		 live;		/* published, deadline not passed */
	int		 sample;	/* seed-demo's: no applications */
};
/* 1 found, 0 no such vacancy, -1 database down. */
int		 jobs_vacancy_get(struct request *, long long,
		    struct jobs_vacancy *);
/* The 404 of a vacancy that does not exist or is not shown. */
int		 jobs_vacancy_404(struct request *);
/* 1 when the user is an employer of the vacancy's enterprise. */
int		 jobs_owns(struct request *, const struct jobs_vacancy *);

/*
 * The columns every view of a vacancy reads, by the names its templates
 * use (jobs_version.html, the lists): keys end in _key, their labels are
 * set by jobs_vacancy_row.  The vacancy is v, its enterprise e.
 */
#define JOBS_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define JOBS_VAC_COLS \
	"v.id AS id, v.kind AS kind_key, v.kind = 'training' AS training, " \
	"v.title AS title, v.governorate AS gov_key, v.city AS city, " \
	"v.sector AS sector_key, v.contract AS contract_key, " \
	"v.positions AS positions, v.languages AS langs, v.skills AS skills, " \
	"v.salary_min AS salary_min, v.salary_max AS salary_max, " \
	"to_char(v.deadline, 'YYYY-MM-DD') AS deadline, " \
	"magnet_day(v.published_at) AS posted, " \
	"coalesce(" JOBS_ISO("v.published_at") ", '') AS published_iso, " \
	"e.id AS ent_id, e.name AS enterprise, " \
	"e.verified_at IS NOT NULL AS verified, " \
	"coalesce((extract(epoch FROM v.published_at) * 1000000)::bigint, " \
	"0) AS cursor, v.state AS stored_state, " \
	"CASE WHEN v.state = 'published' AND v.deadline < magnet_today() " \
	"THEN 'expired' ELSE v.state END AS state_key, " \
	"v.state = 'published' AND v.deadline >= magnet_today() AS live, " \
	JOBS_ISO("v.updated_at") " AS updated_iso, " \
	"v.description_html AS description_html "

/* The occupation and skills picked from the vocabulary (placement.h). */
#define JOBS_OCC_COLS \
	"v.occupation_code AS occ_code, v.occupation AS occupation, " \
	"v.skill_codes AS skill_codes"

/* The columns of an edit stored beside its vacancy, as jobs_update's. */
#define JOBS_EDIT_FIELDS \
	"kind, title, description_md, description_html, governorate, " \
	"city, sector, contract, positions, languages, skills, salary_min, " \
	"salary_max, deadline, occupation_code, occupation, skill_codes"

/*
 * A row hook (tmpl.h) for rows of JOBS_VAC_COLS (ctx: the request): the
 * labels kind, governorate, sector and contract in the reader's
 * language, salary and languages.
 */
void		 jobs_vacancy_row(void *, struct tmpl_vars *, const PGresult *,
		    int);

/* The filters of /jobs (and of the feed and the API). */

void		 jobs_init(void);
int		 jobs_list(struct request *);
int		 jobs_view(struct request *);

/*
 * The public list: live vacancies only, newest first, read by /jobs,
 * the home page, the search, the feed (feed.c) and the API (api.c).
 */
#define JOBS_PAGE_SIZE	20	/* a page of /jobs */
#define JOBS_FEED_SIZE	30	/* the Atom feed's entries */
#define JOBS_API_SIZE	50	/* a page of /api/v1/jobs */
/* "Far future" as a keyset cursor: the first page of a list. */
#define JOBS_CURSOR_TOP	"253402300799000000"

/* The filters ("" for any) and the keyset cursor of a list. */
struct jobs_filters {
	const char	*gov, *sector, *kind, *contract, *q;
	const char	*cur_us, *cur_id;	/* microseconds, id */
};
/* The filters and the cursor (after=) of the request, those in error
 * as ""; -1 when the cursor is malformed. */
int		 jobs_read_filters(struct request *, struct jobs_filters *);
/* Up to limit vacancies passing f, in the columns JOBS_VAC_COLS, the
 * result the request's; NULL when the database is down. */
PGresult	*jobs_public_rows(struct request *, const struct jobs_filters *,
		    int limit);
/* The filters as a query string for links: "governorate=erbil&q=..."
 * ("" for none), the cursor left out. */
const char	*jobs_filter_query(struct request *,
		    const struct jobs_filters *);

/*
 * For account.c, run with the user's id ($1) like MSG_FORGET_STMT:
 * JOBS_FORGET_STMT deletes a returnee's profile and the words of their
 * applications (the applications and referrals stay, under the
 * anonymised name, as the employers' and counsellors' record of
 * outcomes); JOBS_EXPORT_STMT returns one text column "jobs", a JSON
 * object with the profile, applications, referrals and vacancies
 * written.
 */
#define JOBS_FORGET_STMT	"jobs_forget"
#define JOBS_EXPORT_STMT	"jobs_export"

/*
 * The latest n published vacancies, for the home page: the list
 * "latest_jobs" of v, shown by {{>jobs_latest}}; 0 or -1.
 */
int		 jobs_latest(struct request *, struct tmpl_vars *, int n);
/*
 * For the site search (GET /search): up to n live vacancies matching q,
 * newest first, as the list "job_hits" of v (each item in the markup of
 * the home page's list, {{>jobs_compact}}).  The number found, or -1
 * when the database is down.
 */
int		 jobs_search(struct request *, struct tmpl_vars *,
		    const char *q, int n);

#endif
