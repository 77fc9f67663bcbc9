/*
 * Returnee profiles.  What a returnee tells about their return, skills
 * and languages is personal data about people who may be vulnerable, so
 * the rule is narrow: the returnee and counsellors see it; an employer
 * sees it only when the returnee agreed to share it (consent) and has a
 * live application or referral to one of that employer's vacancies
 * (JOBS_TIED in jobs.h: not withdrawn or turned down, and the vacancy
 * not ended more than 30 days ago).
 * Every other request gets the same 404 as a profile that does not
 * exist.  Skills are matched by suggestions (referral.c) through the
 * folded keys the database derives from them.
 */
#include <string.h>
#include <time.h>

#include "account.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "placement.h"
#include "profile.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "profile_get", "SELECT u.id AS uid, u.username AS name, "
	    "u.role AS role, p.user_id IS NOT NULL AS has_profile, "
	    "coalesce(p.governorate, '') AS gov_key, "
	    "coalesce(p.country, '') AS country_key, "
	    "to_char(p.return_date, 'YYYY-MM-DD') AS return_date, "
	    "coalesce(p.occupation, '') AS occupation, "
	    "p.occupation_code AS occ_code, "
	    "coalesce(p.skill_codes, '{}') AS skill_codes, "
	    "coalesce(p.skills, '') AS skills, "
	    "coalesce(p.education, '') AS education_key, "
	    "coalesce(p.languages, '{}') AS langs, "
	    "coalesce(p.experience, '') AS experience, "
	    "coalesce(p.consent, false) AS consent, "
	    "magnet_day(p.updated_at) AS updated FROM users u "
	    "LEFT JOIN returnee_profiles p ON p.user_id = u.id "
	    "WHERE u.id = $1 AND u.deleted_at IS NULL" },
	{ "profile_save", "INSERT INTO returnee_profiles (user_id, "
	    "governorate, country, return_date, occupation, skills, education, "
	    "languages, experience, consent, occupation_code, skill_codes) "
	    "VALUES ($1, $2, $3, nullif($4, '')::date, $5, $6, $7, $8::text[], "
	    "$9, $10::boolean, $11, $12::text[]) "
	    "ON CONFLICT (user_id) DO UPDATE SET governorate = $2, "
	    "country = $3, return_date = nullif($4, '')::date, "
	    "occupation = $5, skills = $6, education = $7, "
	    "languages = $8::text[], experience = $9, consent = $10::boolean, "
	    "occupation_code = $11, skill_codes = $12::text[], "
	    "updated_at = now()" },
	/* An employer's view: consent, and a live application or referral
	 * to one of the enterprise's vacancies (the rule: jobs.h). */
	{ "profile_employer_may", "SELECT 1 FROM returnee_profiles p "
	    "WHERE p.user_id = $1 AND p.consent AND "
	    JOBS_TIED("$1", "$2") },
};

void
profile_init(void)
{
	DB_REGISTER(stmts);
}

static int
returnees_only(struct request *req)
{
	return page_error(req, 403, N_("Profiles are for returnees. "
	    "Employers describe their enterprise instead."));
}

struct fields {
	const char	*gov, *country, *ret, *occupation, *skills;
	const char	*education, *langs, *experience;
	const char	*shown;		/* the occupation picker's text */
	const char	*skill_codes;
	int		 consent;
};

static int
form_page(struct request *req, int status, const struct fields *f,
    const char *problem)
{
	static const char *const names[] = { "governorate", "country",
	    "return_date", "skills", "education", "experience", "consent" };
	struct tmpl_vars v;
	size_t i;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "uid", request_uid(req));
	jobs_set_options(req, &v, "gov_opts", JOBS_GOVERNORATE, f->gov,
	    N_("Not decided yet"));
	jobs_set_options(req, &v, "country_opts", JOBS_COUNTRY, f->country,
	    N_("Choose a country"));
	tmpl_set(&v, "return_date", f->ret);
	if (placement_set_pickers(req, &v, f->shown, f->skill_codes) == -1)
		return page_unavailable(req);
	tmpl_set(&v, "skills", f->skills);
	jobs_set_options(req, &v, "education_opts", JOBS_EDUCATION,
	    f->education, N_("Choose one"));
	jobs_set_lang_boxes(req, &v, "lang_boxes", f->langs);
	tmpl_set(&v, "experience", f->experience);
	tmpl_set_bool(&v, "consent", f->consent);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    names[i]), param_err_html(req, names[i]));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_bool(&v, "saved", req->method != M_POST &&
	    *param_str(req, "saved") != '\0');
	req->personal = 1;
	return page_render(req, status, T(req, "Your profile"), "profile_form",
	    &v);
}

int
profile_form(struct request *req)
{
	struct fields f;
	PGresult *r;

	if (req->user->role != ROLE_RETURNEE)
		return returnees_only(req);
	if ((r = DB_Q(req, "profile_get", request_uid(req))) == NULL ||
	    PQntuples(r) != 1)
		return page_unavailable(req);
	f.gov = db_get(r, 0, "gov_key");
	f.country = db_get(r, 0, "country_key");
	f.ret = db_get(r, 0, "return_date");
	f.occupation = db_get(r, 0, "occupation");
	f.shown = placement_shown(req, db_get(r, 0, "occ_code"),
	    f.occupation);
	f.skill_codes = db_get(r, 0, "skill_codes");
	f.skills = db_get(r, 0, "skills");
	f.education = db_get(r, 0, "education_key");
	f.langs = db_get(r, 0, "langs");
	f.experience = db_get(r, 0, "experience");
	f.consent = db_get_bool(r, 0, "consent");
	return form_page(req, 200, &f, NULL);
}

int
profile_save(struct request *req)
{
	struct placement_pick pk;
	struct fields f;
	long day, today;

	if (req->user->role != ROLE_RETURNEE)
		return returnees_only(req);
	f.gov = param_str(req, "governorate");
	f.country = param_str(req, "country");
	f.ret = param_str(req, "return_date");
	if (placement_read(req, &pk) == -1)
		return page_unavailable(req);
	f.occupation = pk.text;
	f.shown = pk.typed;
	f.skill_codes = pk.skills;
	f.skills = param_str(req, "skills");
	f.education = param_str(req, "education");
	f.langs = jobs_langs_from_form(req);
	f.experience = param_str(req, "experience");
	f.consent = *param_str(req, "consent") != '\0';
	if (param_err(req, "return_date") == NULL && *f.ret != '\0') {
		/* Past returns and planned ones, up to two years ahead. */
		day = jobs_parse_date(f.ret);
		today = jobs_today(time(NULL));
		if (day < 0)
			param_set_err_ex(req, "return_date", N_("Give a date "
			    "as year-month-day, such as %s."), "2016-03-31",
			    NULL);
		else if (day < jobs_parse_date("1990-01-01") ||
		    day > today + 2 * 366)
			param_set_err(req, "return_date", N_("This date is out "
			    "of range."));
	}
	if (req->nerrors > 0)
		return form_page(req, 422, &f, N_("Please correct the marked "
		    "fields."));
	if (DB_RUN("profile_save", request_uid(req), f.gov, f.country, f.ret,
	    f.occupation, f.skills, f.education, f.langs, f.experience,
	    f.consent ? "true" : "false", pk.code, pk.skills) == -1 ||
	    account_welcome_done(req) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/profile?saved=1");
}

static int
no_profile(struct request *req)
{
	return page_error(req, 404, N_("There is no such profile, or it is "
	    "not shared with you."));
}

int
profile_view(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r, *m;
	int ok;

	ok = req->user->id == req->id || request_is_mod(req);
	if (!ok && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id != 0) {
		if ((m = DB_Q(req, "profile_employer_may", request_id(req),
		    request_num(req, req->user->enterprise_id))) == NULL)
			return page_unavailable(req);
		ok = PQntuples(m) == 1;
	}
	if (!ok) {
		log_warnx("refused profile %lld to user=%lld", req->id,
		    req->user->id);
		return no_profile(req);
	}
	if ((r = DB_Q(req, "profile_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1 || strcmp(db_get(r, 0, "role"), "returnee") != 0)
		return no_profile(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	tmpl_set_bool(&v, "self", req->user->id == req->id);
	jobs_profile_labels(req, &v, r);
	tmpl_set(&v, "occupation", placement_shown(req, db_get(r, 0,
	    "occ_code"), db_get(r, 0, "occupation")));
	req->personal = 1;
	return page_render(req, 200, arena_printf(req->arena,
	    T(req, "Profile of %s"), i18n_isolate(req->arena,
	    db_get(r, 0, "name"))), "profile_view", &v);
}
