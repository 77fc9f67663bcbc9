/*
 * Users for counsellors: finding an account by the beginning of its
 * name, its card (for a returnee, the profile and every application and
 * referral), suspensions, and one-time password links for people in
 * counselling who lost theirs.  Only an admin acts on counsellors'
 * accounts; every action writes the audit log in its transaction.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "mod.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"
#include "user.h"

static const struct db_stmt stmts[] = {
	{ "mod_users",
	    "SELECT id, username AS name, role, magnet_day(created_at) "
	    "AS since, suspended_until > now() AS suspended FROM users "
	    "WHERE deleted_at IS NULL AND username_key LIKE $1 || '%' "
	    "ORDER BY username_key LIMIT 50" },
	/* The card; $2 is the reader, whose own role is not changed here. */
	{ "mod_user",
	    "SELECT u.id, u.username AS name, u.role, "
	    /* whether mail reaches the person, never the address */
	    "u.email IS NOT NULL AS mail_confirmed, "
	    "magnet_day(u.created_at) AS since, "
	    "magnet_day(u.suspended_until - interval '1 second') AS until, "
	    "u.suspend_reason AS why, u.suspended_until > now() AS suspended, "
	    "(SELECT count(*) FROM posts WHERE author_id = u.id AND "
	    "state = 'published') AS posts, e.name AS enterprise, "
	    "u.role NOT IN ('moderator', 'admin') AS sanctionable, "
	    "u.role <> 'employer' AND u.id <> $2 AS role_changeable, "
	    "u.role = 'returnee' AS returnee, "
	    "coalesce(u.partner_governorate, '') AS partner_gov "
	    "FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id "
	    "WHERE u.id = $1 AND u.deleted_at IS NULL" },
	/* A returnee's card: the profile, and every application and
	 * referral, newest first. */
	/* The labels' columns named as jobs_profile_labels reads them. */
	{ "mod_user_profile", "SELECT governorate AS gov_key, "
	    "country AS country_key, "
	    "to_char(return_date, 'YYYY-MM-DD') AS p_returned, "
	    "occupation AS p_occupation, skills AS p_skills, "
	    "education AS education_key, languages AS langs, "
	    "consent AS p_consent, experience AS p_experience "
	    "FROM returnee_profiles WHERE user_id = $1" },
	{ "mod_user_jobs", "SELECT true AS application, v.id AS vid, v.title, "
	    "a.status, magnet_day(a.created_at) AS day, a.id, "
	    "e.name AS enterprise FROM applications a JOIN vacancies v ON "
	    "v.id = a.vacancy_id JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE a.user_id = $1 UNION ALL SELECT false, v.id, v.title, "
	    "r.status, magnet_day(r.created_at), r.id, e.name FROM referrals r "
	    "JOIN vacancies v ON v.id = r.vacancy_id JOIN enterprises e "
	    "ON e.id = v.enterprise_id WHERE r.user_id = $1 "
	    "ORDER BY 5 DESC, 6 DESC LIMIT 200" },
	{ "mod_suspend",
	    "UPDATE users SET suspended_until = "
	    "magnet_moment(($2::date + 1)::timestamp), suspend_reason = $3, "
	    "suspended_by = $4 WHERE id = $1 AND deleted_at IS NULL AND "
	    "($5::boolean OR role NOT IN ('moderator', 'admin')) AND "
	    "$2::date >= magnet_today() RETURNING id" },
	{ "mod_unsuspend", "UPDATE users SET suspended_until = NULL, "
	    "suspend_reason = NULL WHERE id = $1 AND ($2::boolean OR role "
	    "NOT IN ('moderator', 'admin')) RETURNING id" },
	{ "mod_reset_new", "INSERT INTO password_resets (user_id, token_hash, "
	    "created_by, expires_at) SELECT id, decode($2, 'hex'), $3, "
	    "now() + interval '1 day' FROM users WHERE id = $1 AND deleted_at "
	    "IS NULL AND ($4::boolean OR role NOT IN ('moderator', 'admin')) "
	    "RETURNING id" },
};

void
mod_user_init(void)
{
	DB_REGISTER(stmts);
}

/* "true" when the reader is an admin, who may act on counsellors. */
static const char *
admin(struct request *req)
{
	return req->user->role == ROLE_ADMIN ? "true" : "false";
}

static void
user_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	tmpl_set(row, "role_label", page_role_label(ctx, db_get(r, i, "role")));
}

int
mod_users(struct request *req)
{
	struct tmpl_vars v;
	char key[200], like[400];
	PGresult *r;
	size_t i, j;

	/* The beginning of a name, folded as names are (so ى finds ی and
	 * ٣ finds 3); LIKE's wildcards in it match themselves. */
	user_name_key(param_str(req, "q"), key, sizeof(key));
	for (i = 0, j = 0; key[i] != '\0'; i++) {
		if (key[i] == '%' || key[i] == '_' || key[i] == '\\')
			like[j++] = '\\';
		like[j++] = key[i];
	}
	like[j] = '\0';
	if ((r = DB_Q(req, "mod_users", like)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "q", param_str(req, "q"));
	tmpl_set_rows(&v, "users", r, user_row, req);
	req->personal = 1;
	return page_render(req, 200, T(req, "Users"), "mod_users", &v);
}

static void
job_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	tmpl_set(row, "status_label", jobs_label(ctx, db_get_bool(r, i,
	    "application") ? JOBS_APP_STATUS : JOBS_REF_STATUS,
	    db_get(r, i, "status")));
}

/*
 * The returnee's part of the user card: the profile (as counsellors
 * read it on /profiles/{id}) and the applications and referrals with
 * their statuses.  0, or -1 when the database is down.
 */
static int
user_jobs(struct request *req, struct tmpl_vars *v)
{
	PGresult *p, *r;

	if ((p = DB_Q(req, "mod_user_profile", request_id(req))) == NULL ||
	    (r = DB_Q(req, "mod_user_jobs", request_id(req))) == NULL)
		return -1;
	if (PQntuples(p) == 1) {
		tmpl_bind_row(v, p, 0);
		tmpl_set_bool(v, "has_profile", 1);
		jobs_profile_labels(req, v, p);
	}
	tmpl_set_rows(v, "jobs", r, job_row, req);
	return 0;
}

int
mod_user(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "mod_user", request_id(req),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such user."));
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	tmpl_set(&v, "role_label", page_role_label(req, db_get(r, 0, "role")));
	tmpl_set_bool(&v, "can_role", req->user->role == ROLE_ADMIN &&
	    db_get_bool(r, 0, "role_changeable"));
	/* The role form: the account's role chosen, and a partner
	 * office's governorate (none: all of them). */
	page_set_options(req, &v, "role_opts", admin_roles, admin_role_names,
	    0, db_get(r, 0, "role"), NULL);
	page_set_options(req, &v, "gov_opts", place_governorates,
	    place_governorate_names, 0, db_get(r, 0, "partner_gov"),
	    N_("All governorates"));
	if (db_get_bool(r, 0, "returnee") && user_jobs(req, &v) == -1)
		return page_unavailable(req);
	req->personal = 1;
	return page_render(req, 200, db_get(r, 0, "name"), "mod_user", &v);
}

/* The suspension form, with the day given and the problem, if any. */
static int
suspend_form(struct request *req, int status, const char *until,
    const char *problem)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_set_bool(&v, "suspend", 1);
	tmpl_set(&v, "until", until);
	return mod_confirm(req, &v, status, arena_printf(req->arena,
	    "/mod/users/%lld/suspend", req->id), T(req, "Suspend this "
	    "account?"), T(req, "Suspend"), 1, problem);
}

int
mod_suspend_form(struct request *req)
{
	return suspend_form(req, 200, "", NULL);
}

int
mod_suspend(struct request *req)
{
	const char *why = mod_reason(req), *until = param_str(req, "until");
	char day[11];
	PGresult *r;

	/* The day is checked here, whole: PostgreSQL would refuse a
	 * "2027-02-31" with an error, not a 422. */
	if (param_err(req, "until") != NULL ||
	    i18n_parse_date(until, day) == -1 || *why == '\0')
		return suspend_form(req, 422, until, N_("Give the last day of "
		    "the suspension (a date from today) and a reason."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_suspend", request_id(req), day, why,
	    request_uid(req), admin(req))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return suspend_form(req, 422, until, N_("This account cannot "
		    "be suspended until that day."));
	}
	if (auth_sessions_end_all(req->id) == -1 || audit(req->user->id,
	    "user.suspend", arena_printf(req->arena, "user:%lld", req->id),
	    arena_printf(req->arena, "%s: %s", day, why)) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_unsuspend(struct request *req)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	/* As for suspending: only an admin acts on counsellors' accounts
	 * (a counsellor must not lift an admin's suspension of one). */
	if ((r = DB_Q(req, "mod_unsuspend", request_id(req), admin(req))) ==
	    NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 403, N_("You do not have access to "
		    "this page."));
	}
	if (audit(req->user->id, "user.unsuspend", arena_printf(req->arena,
	    "user:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_reset_link(struct request *req)
{
	struct tmpl_vars v;
	unsigned char raw[32];
	char tok[65], hash[65];
	PGresult *r;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(tok, sizeof(tok), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(tok, hash);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_reset_new", request_id(req), hash,
	    request_uid(req), admin(req))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 403, N_("You cannot make a reset link "
		    "for this account."));
	}
	if (audit(req->user->id, "user.reset_link", arena_printf(req->arena,
	    "user:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "link", arena_printf(req->arena, "%s/reset/%s",
	    conf_active()->base_url, tok));
	sodium_memzero(tok, sizeof(tok));
	req->personal = 1;
	return page_render(req, 200, T(req, "One-time password link"),
	    "mod_reset", &v);
fail:
	db_rollback();
	return page_unavailable(req);
}
