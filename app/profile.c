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
#include "profile.h"
#include "request.h"
#include "tmpl.h"

const struct param profile_form_params[] = {
	{ "saved", P_ENUM, P_QUERY, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param profile_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates_any },
	{ "country", P_ENUM, P_FORM, 0, 0, 0, jobs_country_any },
	{ "return_date", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ "occupation", P_LINE, P_FORM, 0, 120, 0, NULL },
	{ "skills", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "education", P_ENUM, P_FORM, 0, 0, 0, jobs_education_any },
	{ "experience", P_TEXT, P_FORM, 0, 3000, 0, NULL },
	{ "consent", P_ENUM, P_FORM, 0, 0, 0, jobs_on },
	JOBS_LANG_PARAMS,
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

enum { P_UID, P_NAME, P_ROLE, P_HAS, P_GOV, P_COUNTRY, P_RETURN,
    P_OCCUPATION, P_SKILLS, P_EDUCATION, P_LANGS, P_EXPERIENCE, P_CONSENT,
    P_UPDATED };

static const struct db_stmt stmts[] = {
	{ "profile_get", "SELECT u.id, u.username, u.role, "
	    "p.user_id IS NOT NULL, coalesce(p.governorate, ''), "
	    "coalesce(p.country, ''), "
	    "coalesce(to_char(p.return_date, 'YYYY-MM-DD'), ''), "
	    "coalesce(p.occupation, ''), coalesce(p.skills, ''), "
	    "coalesce(p.education, ''), coalesce(p.languages, '{}'), "
	    "coalesce(p.experience, ''), coalesce(p.consent, false), "
	    "coalesce(to_char(p.updated_at AT TIME ZONE 'Asia/Baghdad', "
	    "'YYYY-MM-DD'), '') FROM users u "
	    "LEFT JOIN returnee_profiles p ON p.user_id = u.id "
	    "WHERE u.id = $1 AND u.deleted_at IS NULL" },
	{ "profile_save", "INSERT INTO returnee_profiles (user_id, "
	    "governorate, country, return_date, occupation, skills, education, "
	    "languages, experience, consent) VALUES ($1, $2, $3, "
	    "nullif($4, '')::date, $5, $6, $7, $8::text[], $9, $10::boolean) "
	    "ON CONFLICT (user_id) DO UPDATE SET governorate = $2, "
	    "country = $3, return_date = nullif($4, '')::date, "
	    "occupation = $5, skills = $6, education = $7, "
	    "languages = $8::text[], experience = $9, consent = $10::boolean, "
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
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const char *
col(struct request *req, const PGresult *r, int c)
{
	return arena_strdup(req->arena, db_val(r, 0, c));
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
	int		 consent;
};

static int
form_page(struct request *req, int status, const struct fields *f,
    const char *problem)
{
	static const char *const names[] = { "governorate", "country",
	    "return_date", "occupation", "skills", "education", "experience",
	    "consent" };
	struct tmpl_vars v;
	size_t i;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "uid", jobs_uid(req));
	tmpl_set_raw(&v, "gov_options", jobs_options(req, JOBS_GOVERNORATE,
	    f->gov, N_("Not decided yet")));
	tmpl_set_raw(&v, "country_options", jobs_options(req, JOBS_COUNTRY,
	    f->country, N_("Choose a country")));
	tmpl_set(&v, "return_date", f->ret);
	tmpl_set(&v, "occupation", f->occupation);
	tmpl_set(&v, "skills", f->skills);
	tmpl_set_raw(&v, "education_options", jobs_options(req,
	    JOBS_EDUCATION, f->education, N_("Choose one")));
	tmpl_set_raw(&v, "lang_boxes", jobs_lang_boxes(req, f->langs));
	tmpl_set(&v, "experience", f->experience);
	tmpl_set(&v, "consent", f->consent ? "1" : NULL);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    names[i]), param_err_html(req, names[i]));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	if (req->method != M_POST && *param_str(req, "saved") != '\0')
		tmpl_set(&v, "saved", "1");
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
	if ((r = DB_EXEC("profile_get", jobs_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return page_unavailable(req);
	}
	f.gov = col(req, r, P_GOV);
	f.country = col(req, r, P_COUNTRY);
	f.ret = col(req, r, P_RETURN);
	f.occupation = col(req, r, P_OCCUPATION);
	f.skills = col(req, r, P_SKILLS);
	f.education = col(req, r, P_EDUCATION);
	f.langs = col(req, r, P_LANGS);
	f.experience = col(req, r, P_EXPERIENCE);
	f.consent = strcmp(db_val(r, 0, P_CONSENT), "t") == 0;
	PQclear(r);
	return form_page(req, 200, &f, NULL);
}

int
profile_save(struct request *req)
{
	struct fields f;
	long day, today;

	if (req->user->role != ROLE_RETURNEE)
		return returnees_only(req);
	f.gov = param_str(req, "governorate");
	f.country = param_str(req, "country");
	f.ret = param_str(req, "return_date");
	f.occupation = param_str(req, "occupation");
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
	if (DB_RUN("profile_save", jobs_uid(req), f.gov, f.country, f.ret,
	    f.occupation, f.skills, f.education, f.langs, f.experience,
	    f.consent ? "true" : "false") == -1 ||
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
	int self, ok, n;

	self = req->user->id == req->id;
	ok = self || jobs_is_mod(req);
	if (!ok && req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id != 0) {
		if ((m = DB_EXEC("profile_employer_may", jobs_id(req, req->id),
		    jobs_id(req, req->user->enterprise_id))) == NULL)
			return page_unavailable(req);
		ok = PQntuples(m) == 1;
		PQclear(m);
	}
	if (!ok) {
		log_warnx("refused profile %lld to user=%lld", req->id,
		    req->user->id);
		return no_profile(req);
	}
	if ((r = DB_EXEC("profile_get", jobs_id(req, req->id))) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	if (n != 1 || strcmp(db_val(r, 0, P_ROLE), "returnee") != 0) {
		PQclear(r);
		return no_profile(req);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "name", col(req, r, P_NAME));
	tmpl_set(&v, "self", self ? "1" : NULL);
	tmpl_set(&v, "empty", strcmp(db_val(r, 0, P_HAS), "t") != 0 ? "1" :
	    NULL);
	tmpl_set(&v, "governorate", jobs_label(req, JOBS_GOVERNORATE,
	    db_val(r, 0, P_GOV)));
	tmpl_set(&v, "country", jobs_label(req, JOBS_COUNTRY,
	    db_val(r, 0, P_COUNTRY)));
	tmpl_set(&v, "return_date", *db_val(r, 0, P_RETURN) ? jobs_date(req,
	    db_val(r, 0, P_RETURN)) : NULL);
	tmpl_set(&v, "occupation", col(req, r, P_OCCUPATION));
	tmpl_set(&v, "skills", col(req, r, P_SKILLS));
	tmpl_set(&v, "education", jobs_label(req, JOBS_EDUCATION,
	    db_val(r, 0, P_EDUCATION)));
	tmpl_set(&v, "languages", jobs_lang_names(req, db_val(r, 0, P_LANGS)));
	tmpl_set(&v, "experience", col(req, r, P_EXPERIENCE));
	tmpl_set(&v, "consent", strcmp(db_val(r, 0, P_CONSENT), "t") == 0 ?
	    "1" : NULL);
	tmpl_set(&v, "updated", *db_val(r, 0, P_UPDATED) ? jobs_date(req,
	    db_val(r, 0, P_UPDATED)) : NULL);
	PQclear(r);
	req->personal = 1;
	return page_render(req, 200, arena_printf(req->arena,
	    T(req, "Profile of %s"),
	    i18n_isolate(req->arena, tmpl_var(&v, "name"))), "profile_view", &v);
}
