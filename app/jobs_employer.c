/*
 * An employer's side of the job board: writing a vacancy or training
 * offer (draft, or sent for review: pending), changing it, closing it,
 * and the dashboard of the enterprise's vacancies.  A counsellor
 * approves it (published) or rejects it with a reason the employer sees
 * (jobs_mod.c).  Any saved edit goes back to review; the edit of an
 * approved vacancy waits beside it while the approved version stays on
 * the board.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "jobs_employer.h"
#include "placement.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"

#define SALARY_MAX	1000000000LL	/* IQD a month */
#define POSITIONS_MAX	10000
#define VACANCIES_PER_HOUR 20

const char *const jobs_employer_actions[] = { "submit", "draft", "preview",
    NULL };

/* The *_any lists without their empty first choice: required. */
/* saved=1: the enterprise's details were just saved (enterprise.c). */
static const struct db_stmt stmts[] = {
	{ "jobs_insert", "INSERT INTO vacancies (enterprise_id, author_id, "
	    "kind, title, description_md, description_html, governorate, "
	    "city, sector, contract, positions, languages, skills, salary_min, "
	    "salary_max, deadline, state, submitted_at, idem_key, "
	    "occupation_code, occupation, skill_codes) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::int, $12::text[], "
	    "$13, $14::bigint, $15::bigint, $16::date, $17, CASE WHEN $17 = "
	    "'pending' THEN now() END, $18, $19, $20, $21::text[]) "
	    "ON CONFLICT (author_id, idem_key) "
	    "DO NOTHING RETURNING id" },
	{ "jobs_idem_find", "SELECT id FROM vacancies WHERE author_id = $1 "
	    "AND idem_key = $2" },
	/* An edit of an approved vacancy waits beside it (the public keeps
	 * seeing the approved version); one already waiting keeps its
	 * place in the queue.  $17 is draft or pending. */
	{ "jobs_edit_save", "INSERT INTO vacancy_edits (vacancy_id, "
	    "author_id, " JOBS_EDIT_FIELDS ", state, submitted_at) "
	    "SELECT id, $18, $3, $4, $5, $6, $7, $8, $9, $10, $11::int, "
	    "$12::text[], $13, $14::bigint, $15::bigint, $16::date, $19, $20, "
	    "$21::text[], $17, "
	    "CASE WHEN $17 = 'pending' THEN now() END FROM vacancies "
	    "WHERE id = $1 AND enterprise_id = $2 AND state IN ('published', "
	    "'closed') AND published_at IS NOT NULL "
	    "ON CONFLICT (vacancy_id) DO UPDATE SET "
	    "(author_id, " JOBS_EDIT_FIELDS ", state) = (EXCLUDED.author_id, "
	    "EXCLUDED.kind, EXCLUDED.title, EXCLUDED.description_md, "
	    "EXCLUDED.description_html, EXCLUDED.governorate, EXCLUDED.city, "
	    "EXCLUDED.sector, EXCLUDED.contract, EXCLUDED.positions, "
	    "EXCLUDED.languages, EXCLUDED.skills, EXCLUDED.salary_min, "
	    "EXCLUDED.salary_max, EXCLUDED.deadline, EXCLUDED.occupation_code, "
	    "EXCLUDED.occupation, EXCLUDED.skill_codes, EXCLUDED.state), "
	    "submitted_at = CASE WHEN $17 = 'pending' AND "
	    "vacancy_edits.state = 'pending' THEN vacancy_edits.submitted_at "
	    "WHEN $17 = 'pending' THEN now() END, reject_code = '', "
	    "reject_note = '', updated_at = now() RETURNING vacancy_id AS id" },
	{ "jobs_update", "UPDATE vacancies SET kind = $3, title = $4, "
	    "description_md = $5, description_html = $6, governorate = $7, "
	    "city = $8, sector = $9, contract = $10, positions = $11::int, "
	    "languages = $12::text[], skills = $13, salary_min = $14::bigint, "
	    "salary_max = $15::bigint, deadline = $16::date, state = $17, "
	    "occupation_code = $18, occupation = $19, skill_codes = $20::text[], "
	    "submitted_at = CASE WHEN $17 = 'pending' AND state = 'pending' "
	    "THEN submitted_at WHEN $17 = 'pending' THEN now() END, "
	    "reject_code = '', reject_note = '', close_reason = '', "
	    "closed_at = NULL, updated_at = now() WHERE id = $1 "
	    "AND enterprise_id = $2 AND (state NOT IN ('published', "
	    "'closed') OR published_at IS NULL) RETURNING id" },
	/* closed_at starts the days its applications keep their access
	 * (JOBS_VACANCY_CURRENT in jobs.h). */
	/* A copy as a new draft (issue 21): the current version, a
	 * deadline from today on, never a sample. */
	{ "jobs_duplicate", "INSERT INTO vacancies (enterprise_id, author_id, "
	    "kind, title, description_md, description_html, governorate, "
	    "city, sector, contract, positions, languages, skills, salary_min, "
	    "salary_max, deadline, state, occupation_code, occupation, "
	    "skill_codes) SELECT enterprise_id, $3, kind, title, "
	    "description_md, description_html, governorate, city, sector, "
	    "contract, positions, languages, skills, salary_min, salary_max, "
	    "CASE WHEN deadline >= magnet_today() THEN deadline ELSE "
	    "magnet_today() + 30 END, 'draft', occupation_code, occupation, "
	    "skill_codes FROM vacancies WHERE id = $1 AND enterprise_id = $2 "
	    "AND NOT sample RETURNING id" },
	{ "jobs_close", "UPDATE vacancies SET state = 'closed', "
	    "close_reason = $3, closed_at = now(), updated_at = now() "
	    "WHERE id = $1 "
	    "AND enterprise_id = $2 AND state <> 'closed' RETURNING id" },
	{ "jobs_enterprise", "SELECT e.name AS enterprise, "
	    "e.verified_at IS NOT NULL AS verified, "
	    "coalesce(e.sector, '') = '' OR coalesce(e.governorate, '') = '' "
	    "AS incomplete FROM enterprises e WHERE e.id = $1" },
	{ "jobs_dashboard", "SELECT v.id AS id, v.title AS title, "
	    "v.kind AS kind_key, CASE WHEN v.state = 'published' AND "
	    "v.deadline < magnet_today() THEN 'expired' ELSE v.state END "
	    "AS state_key, to_char(v.deadline, 'YYYY-MM-DD') AS deadline, "
	    "v.reject_code AS reject_code, CASE WHEN v.state = 'rejected' "
	    "THEN v.reject_note END AS reject_note, v.close_reason AS "
	    "close_key, (SELECT count(*) FROM applications a WHERE "
	    "a.vacancy_id = v.id) AS napps, (SELECT count(*) FROM "
	    "applications a WHERE a.vacancy_id = v.id AND a.status = "
	    "'submitted') AS nnew, (SELECT count(*) FROM referrals r WHERE "
	    "r.vacancy_id = v.id) AS nrefs, d.state = 'pending' AS "
	    "edit_pending, d.state = 'draft' AS edit_draft, "
	    "d.state = 'rejected' AS edit_rejected FROM vacancies v "
	    "LEFT JOIN vacancy_edits d ON d.vacancy_id = v.id "
	    "WHERE v.enterprise_id = $1 ORDER BY v.id DESC LIMIT 500" },
	{ "jobs_rate", "SELECT count(*) AS n FROM vacancies "
	    "WHERE author_id = $1 AND created_at > now() - interval '1 hour'" },
};

void
jobs_employer_init(void)
{
	DB_REGISTER(stmts);
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
	const char	*occ_shown, *skill_codes;	/* the pickers */
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


/* The form, with the vacancy as the board would show it (preview, the
 * variables of jobs_version.html) when there is one. */
static int
form_page(struct request *req, int status, long long id, const struct form *f,
    const char *was, const struct tmpl_vars *preview, const char *problem)
{
	static const char *const fields[] = { "title", "description", "kind",
	    "governorate", "city", "sector", "contract", "positions", "skills",
	    "salary_min", "salary_max", "deadline" };
	struct tmpl_vars v;
	const char *idem;
	size_t i;

	tmpl_init(&v, req->arena);
	idem = param_str(req, "idem");
	tmpl_set(&v, "action", id ? arena_printf(req->arena, "/jobs/%lld/edit",
	    id) : "/jobs/new");
	tmpl_set(&v, "heading", id ? T(req, "Edit vacancy") :
	    T(req, "New vacancy or training offer"));
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "title", f->title);
	tmpl_set(&v, "description", f->description);
	tmpl_set_bool(&v, "kind_training", strcmp(f->kind, "training") == 0);
	jobs_set_options(req, &v, "gov_opts", JOBS_GOVERNORATE,
	    f->governorate, N_("Choose a governorate"));
	tmpl_set(&v, "city", f->city);
	jobs_set_options(req, &v, "sector_opts", JOBS_SECTOR, f->sector,
	    N_("Choose a sector"));
	jobs_set_options(req, &v, "contract_opts", JOBS_CONTRACT, f->contract,
	    N_("Choose a contract"));
	tmpl_set(&v, "positions", f->positions);
	tmpl_set(&v, "skills", f->skills);
	if (placement_set_pickers(req, &v, f->occ_shown, f->skill_codes) ==
	    -1)
		return page_unavailable(req);
	tmpl_set(&v, "salary_min", f->salary_min);
	tmpl_set(&v, "salary_max", f->salary_max);
	tmpl_set(&v, "deadline", f->deadline);
	/* The days the deadline may take: today to a year on (as checked). */
	tmpl_set(&v, "today", day_iso(req, jobs_today(time(NULL))));
	tmpl_set(&v, "last_day", day_iso(req, jobs_today(time(NULL)) + 366));
	jobs_set_lang_boxes(req, &v, "lang_boxes", f->langs);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    fields[i]), param_err_html(req, fields[i]));
	/* was: the state of an approved vacancy whose edits wait beside
	 * it, NULL for one changed in place. */
	tmpl_set_bool(&v, "was_live", was != NULL &&
	    (strcmp(was, "published") == 0 || strcmp(was, "expired") == 0));
	tmpl_set_bool(&v, "was_closed", was != NULL &&
	    strcmp(was, "closed") == 0);
	if (preview != NULL)
		tmpl_set_items(&v, "preview", preview, 1);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_int(&v, req->arena, "desc_max", JOBS_DESC_MAX);
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
			*positions = request_num(req, n);
		else if (a != JOBS_AMOUNT_EMPTY)
			param_set_err(req, "positions", N_("Give a number of "
			    "places from 1 to 10000."));
	}
	if (param_err(req, "salary_min") == NULL) {
		a = jobs_parse_amount(param_str(req, "salary_min"), SALARY_MAX,
		    &lo);
		if (a == JOBS_AMOUNT_OK)
			*smin = request_num(req, lo);
		else
			lo = -1;
		amount_err(req, "salary_min", a);
	}
	if (param_err(req, "salary_max") == NULL) {
		a = jobs_parse_amount(param_str(req, "salary_max"), SALARY_MAX,
		    &hi);
		if (a == JOBS_AMOUNT_OK)
			*smax = request_num(req, hi);
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
jobs_employer_new_form(struct request *req)
{
	struct form f;
	int status;

	if (my_enterprise(req, &status) == 0)
		return status;
	memset(&f, 0, sizeof(f));
	f.title = f.description = f.kind = f.governorate = f.city = "";
	f.sector = f.contract = f.skills = f.salary_min = f.salary_max = "";
	f.deadline = f.occ_shown = "";
	f.skill_codes = "{}";
	f.positions = "1";
	f.langs = "{}";
	return form_page(req, 200, 0, &f, NULL, NULL, NULL);
}

/*
 * The form's vacancy as the board would show it: the variables of
 * jobs_version.html, as one item.  The description is the markdown
 * just rendered and sanitised, as it would be stored.
 */
static const struct tmpl_vars *
preview(struct request *req, long long ent, const struct form *f,
    const char *html, const char *positions, const char *smin,
    const char *smax)
{
	struct tmpl_vars *p;
	PGresult *e;

	p = arena_alloc(req->arena, sizeof(*p));
	tmpl_init(p, req->arena);
	if ((e = DB_Q(req, "jobs_enterprise", request_num(req, ent))) != NULL &&
	    PQntuples(e) == 1)
		tmpl_bind_row(p, e, 0);
	tmpl_set(p, "title", f->title);
	tmpl_set(p, "kind", jobs_label(req, JOBS_KIND, f->kind));
	tmpl_set(p, "ent_id", request_num(req, ent));
	tmpl_set(p, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    f->governorate));
	tmpl_set(p, "city", f->city);
	tmpl_set(p, "sector", jobs_label(req, JOBS_SECTOR, f->sector));
	tmpl_set(p, "contract", jobs_label(req, JOBS_CONTRACT, f->contract));
	tmpl_set(p, "positions", positions);
	tmpl_set(p, "salary", jobs_salary(req, smin, smax));
	tmpl_set(p, "languages", jobs_lang_names(req, f->langs));
	tmpl_set(p, "skills", f->skills);
	tmpl_set(p, "deadline", f->deadline);
	tmpl_set(p, "posted", NULL);
	tmpl_set_raw(p, "description_html", html);
	return p;
}

/* The vacancy just saved, or the one the same form made before. */
static long long
saved_id(struct request *req, const PGresult *r, const char *idem)
{
	PGresult *x;

	if (PQntuples(r) == 1)
		return db_get_ll(r, 0, "id");
	if ((x = DB_Q(req, "jobs_idem_find", request_uid(req), idem)) == NULL ||
	    PQntuples(x) != 1)
		return -1;
	return db_get_ll(x, 0, "id");
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
	struct placement_pick pk;
	struct form f;
	PGresult *r;

	form_from_request(req, &f);
	if (placement_read(req, &pk) == -1)
		return page_unavailable(req);
	f.occ_shown = pk.typed;
	f.skill_codes = pk.skills;
	check_form(req, &positions, &smin, &smax, &html);
	if (req->nerrors > 0)
		return form_page(req, 422, id, &f, was, NULL,
		    N_("Please correct the marked fields."));
	action = param_str(req, "action");
	if (strcmp(action, "preview") == 0)
		return form_page(req, 200, id, &f, was, preview(req, ent,
		    &f, html, positions, smin, smax), NULL);
	state = strcmp(action, "draft") == 0 ? "draft" : "pending";
	idem = param_str(req, "idem");
	if (aside)
		r = DB_Q(req, "jobs_edit_save", request_num(req, id),
		    request_num(req, ent), f.kind, f.title, f.description, html,
		    f.governorate, f.city, f.sector, f.contract, positions,
		    f.langs, f.skills, smin, smax, f.deadline, state,
		    request_uid(req), pk.code, pk.text, pk.skills);
	else if (id == 0) {
		if ((r = DB_Q(req, "jobs_rate", request_uid(req))) == NULL)
			return page_unavailable(req);
		if (db_get_ll(r, 0, "n") >= VACANCIES_PER_HOUR)
			return page_error(req, 429, N_("You have posted many "
			    "vacancies in the last hour. Please wait a while "
			    "and send the form again."));
		r = DB_Q(req, "jobs_insert", request_num(req, ent),
		    request_uid(req),
		    f.kind, f.title, f.description, html, f.governorate,
		    f.city, f.sector, f.contract, positions, f.langs, f.skills,
		    smin, smax, f.deadline, state, *idem ? idem : NULL,
		    pk.code, pk.text, pk.skills);
	} else
		r = DB_Q(req, "jobs_update", request_num(req, id),
		    request_num(req, ent), f.kind, f.title, f.description, html,
		    f.governorate, f.city, f.sector, f.contract, positions,
		    f.langs, f.skills, smin, smax, f.deadline, state,
		    pk.code, pk.text, pk.skills);
	if (r == NULL)
		return page_unavailable(req);
	/* Approved, closed or rejected since the form was read. */
	if (PQntuples(r) != 1 && id != 0)
		return form_page(req, 409, id, &f, was, NULL,
		    N_("A counsellor decided on this vacancy while you "
		    "were editing it. Please send the form again."));
	/* None made: the same form sent twice shows what the first made. */
	if ((id = saved_id(req, r, idem)) == -1)
		return page_unavailable(req);
	log_info("vacancy %lld saved as %s%s by user=%lld", id, state,
	    aside ? " (an edit)" : "", req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/jobs/%lld",
	    id));
}

int
jobs_employer_new(struct request *req)
{
	long long ent;
	int status;

	if ((ent = my_enterprise(req, &status)) == 0)
		return status;
	return save(req, ent, 0, NULL, 0);
}

/* A vacancy of the user's own enterprise (jobs_get): NULL with *status. */
static const PGresult *
own_vacancy(struct request *req, int *status)
{
	PGresult *r;

	if (my_enterprise(req, status) == 0)
		return NULL;
	if ((r = DB_Q(req, "jobs_get", request_id(req),
	    request_uid(req))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		*status = jobs_vacancy_404(req);
		return NULL;
	}
	if (db_get_ll(r, 0, "ent_id") != req->user->enterprise_id) {
		log_warnx("refused vacancy %lld to user=%lld", req->id,
		    req->user->id);
		*status = page_error(req, 403, N_("Only the enterprise that "
		    "posted this vacancy can change it."));
		return NULL;
	}
	return r;
}

/* The form's values from a jobs_get or jobs_edit_get row. */
static void
form_from_row(struct request *req, struct form *f, const PGresult *r)
{
	f->occ_shown = placement_shown(req, db_get(r, 0, "occ_code"),
	    db_get(r, 0, "occupation"));
	f->skill_codes = db_get(r, 0, "skill_codes");
	f->title = db_get(r, 0, "title");
	f->description = db_get(r, 0, "description_md");
	f->kind = db_get(r, 0, "kind_key");
	f->governorate = db_get(r, 0, "gov_key");
	f->city = db_get(r, 0, "city");
	f->sector = db_get(r, 0, "sector_key");
	f->contract = db_get(r, 0, "contract_key");
	f->positions = db_get(r, 0, "positions");
	f->skills = db_get(r, 0, "skills");
	f->salary_min = db_get(r, 0, "salary_min");
	f->salary_max = db_get(r, 0, "salary_max");
	f->deadline = db_get(r, 0, "deadline");
	f->langs = db_get(r, 0, "langs");
}

/* The state of an approved vacancy whose edits wait beside it, or
 * NULL for one changed in place. */
static const char *
aside_state(const PGresult *r)
{
	return db_get_bool(r, 0, "aside") ? db_get(r, 0, "state_key") : NULL;
}

int
jobs_employer_edit_form(struct request *req)
{
	const PGresult *r;
	PGresult *e;
	struct form f;
	int status;

	if ((r = own_vacancy(req, &status)) == NULL)
		return status;
	form_from_row(req, &f, r);
	/* Go on from the edit waiting beside it. */
	if (*db_get(r, 0, "edit_state") != '\0') {
		if ((e = DB_Q(req, "jobs_edit_get", request_id(req))) ==
		    NULL)
			return page_unavailable(req);
		if (PQntuples(e) == 1)
			form_from_row(req, &f, e);
	}
	return form_page(req, 200, req->id, &f, aside_state(r), NULL, NULL);
}

int
jobs_employer_edit(struct request *req)
{
	const PGresult *r;
	int status;

	if ((r = own_vacancy(req, &status)) == NULL)
		return status;
	return save(req, req->user->enterprise_id, req->id, aside_state(r),
	    db_get_bool(r, 0, "aside"));
}

int
jobs_employer_close(struct request *req)
{
	int status;

	if (own_vacancy(req, &status) == NULL)
		return status;
	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please choose why the vacancy "
		    "is closed."));
	if (DB_Q(req, "jobs_close", request_id(req),
	    request_num(req, req->user->enterprise_id),
	    param_str(req, "reason")) == NULL)
		return page_unavailable(req);
	return request_redirect(req, arena_printf(req->arena, "/jobs/%lld",
	    req->id));
}

/* POST /jobs/{id}/duplicate: a new draft with the vacancy's text, to
 * edit and submit; the original is untouched. */
int
jobs_employer_duplicate(struct request *req)
{
	PGresult *r;
	int status;

	if (own_vacancy(req, &status) == NULL)
		return status;
	if ((r = DB_Q(req, "jobs_duplicate", request_id(req),
	    request_num(req, req->user->enterprise_id),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return jobs_vacancy_404(req);
	log_info("vacancy %lld duplicated as %s by user=%lld", req->id,
	    db_get(r, 0, "id"), req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/jobs/%s/edit", db_get(r, 0, "id")));
}

/* ---------------------------------------------------------------------
 * The employer's dashboard.
 */

/* A row of jobs_dashboard: its labels in the reader's language. */
static void
dashboard_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *state = db_get(r, i, "state_key");

	jobs_row_labels(req, row, r, i);
	tmpl_set(row, "state", jobs_label(req, JOBS_STATE, state));
	tmpl_set(row, "reject_reason", strcmp(state, "rejected") == 0 ?
	    jobs_label(req, JOBS_REJECT, db_get(r, i, "reject_code")) : NULL);
	tmpl_set(row, "close_reason", strcmp(state, "closed") == 0 ?
	    jobs_label(req, JOBS_CLOSE, db_get(r, i, "close_key")) : NULL);
}

int
jobs_employer_dashboard(struct request *req)
{
	struct tmpl_vars v;
	PGresult *e, *r;
	long long ent;
	int status;

	if ((ent = my_enterprise(req, &status)) == 0)
		return status;
	if ((e = DB_Q(req, "jobs_enterprise", request_num(req, ent))) == NULL ||
	    (r = DB_Q(req, "jobs_dashboard", request_num(req, ent))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	if (PQntuples(e) == 1)
		tmpl_bind_row(&v, e, 0);
	tmpl_set(&v, "ent_id", request_num(req, ent));
	tmpl_set_bool(&v, "saved", *param_str(req, "saved") != '\0');
	tmpl_set_rows(&v, "vacancies", r, dashboard_row, req);
	tmpl_set_bool(&v, "any", PQntuples(r) > 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Your vacancies"), "jobs_dashboard",
	    &v);
}
