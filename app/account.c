/*
 * The account pages.  A password change and a reset end every session
 * of the account and start a fresh one here.  Deleting an account keeps
 * the posts readable under "deleted user" but removes the name, the
 * password, the sessions and the notifications, and is audited.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "account.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "msg.h"
#include "page.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	/* The personal calendar feed (feed.c, migration 0028). */
	{ "account_cal_get", "SELECT magnet_day(created_at) AS cal_since "
	    "FROM calendar_feeds WHERE user_id = $1" },
	{ "account_cal_set", "INSERT INTO calendar_feeds (user_id, "
	    "token_hash) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE "
	    "SET token_hash = EXCLUDED.token_hash, created_at = now()" },
	{ "account_cal_del", "DELETE FROM calendar_feeds WHERE user_id = $1" },
	{ "account_hash", "SELECT password_hash AS hash FROM users "
	    "WHERE id = $1" },
	{ "account_set_password", "UPDATE users SET password_hash = $2, "
	    "password_changed_at = now() WHERE id = $1" },
	{ "account_reset_find",
	    "SELECT r.id, r.user_id, u.username AS name "
	    "FROM password_resets r "
	    "JOIN users u ON u.id = r.user_id WHERE r.token_hash = "
	    "decode($1, 'hex') AND r.used_at IS NULL AND r.expires_at > now() "
	    "AND u.deleted_at IS NULL" },
	{ "account_reset_use", "UPDATE password_resets SET used_at = now() "
	    "WHERE id = $1 AND used_at IS NULL RETURNING user_id" },
	{ "account_export",
	    "SELECT json_build_object("
	    "'account', (SELECT json_build_object('username', username, "
	    "'role', role, 'language', lang, 'created_at', created_at, "
	    "'email', email, 'email_waiting_confirmation', email_pending, "
	    "'mail_choices', (SELECT json_object_agg(kind, mode) FROM "
	    "mail_prefs WHERE user_id = $1)) "
	    "FROM users WHERE id = $1), "
	    "'threads', coalesce((SELECT json_agg(json_build_object('id', id, "
	    "'title', title, 'created_at', created_at) ORDER BY id) "
	    "FROM threads WHERE author_id = $1), '[]'), "
	    "'posts', coalesce((SELECT json_agg(json_build_object('id', id, "
	    "'thread_id', thread_id, 'text', body_md, 'state', state, "
	    "'created_at', created_at) ORDER BY id) FROM posts "
	    "WHERE author_id = $1), '[]'), "
	    "'notifications', coalesce((SELECT json_agg(json_build_object("
	    "'kind', kind, 'subject', subject, 'created_at', created_at) "
	    "ORDER BY id) FROM notifications WHERE user_id = $1), '[]'), "
	    "'reports', coalesce((SELECT json_agg(json_build_object("
	    "'kind', target_kind, 'id', target_id, 'reason', reason, "
	    "'created_at', created_at)) FROM reports WHERE reporter_id = $1), "
	    "'[]'))::text AS forum" },
	{ "account_anonymise",
	    "UPDATE users SET deleted_at = now(), username = 'deleted-' || id, "
	    "username_key = 'deleted-' || id, password_hash = '!', lang = NULL, "
	    "email = NULL, email_pending = NULL, "
	    "suspend_reason = NULL WHERE id = $1 AND deleted_at IS NULL "
	    "RETURNING id" },
	{ "account_forget_notes", "WITH o AS (DELETE FROM mail_outbox WHERE "
	    "user_id = $1), c AS (DELETE FROM mail_confirms WHERE user_id = "
	    "$1), p AS (DELETE FROM mail_prefs WHERE user_id = $1) "
	    "DELETE FROM notifications WHERE user_id = $1" },
	{ "account_welcome_done", "UPDATE users SET welcome_pending = false "
	    "WHERE id = $1 AND welcome_pending" },
	/* How much of a returnee's profile is filled in, of $2 fields
	 * (profile.c's form: consent is a choice, not a detail); one row
	 * whether or not there is a profile. */
	{ "account_profile_filled",
	    "SELECT filled, $2::int AS fields, consent, "
	    "filled = 0 AS profile_empty, filled BETWEEN 1 AND $2::int - 1 "
	    "AS profile_part "
	    "FROM (SELECT coalesce((p.governorate <> '')::int + "
	    "(p.country <> '')::int + (p.return_date IS NOT NULL)::int + "
	    "(p.occupation <> '')::int + (p.skills <> '')::int + "
	    "(p.education <> '')::int + (cardinality(p.languages) > 0)::int + "
	    "(p.experience <> '')::int, 0) AS filled, "
	    "coalesce(p.consent, false) AS consent FROM (SELECT 1) one "
	    "LEFT JOIN returnee_profiles p ON p.user_id = $1) x" },
	{ "account_forget_revisions", "DELETE FROM post_revisions WHERE "
	    "post_id IN (SELECT id FROM posts WHERE author_id = $1)" },
};

void
account_init(void)
{
	DB_REGISTER(stmts);
}

/* The details of profile.c's form that count as filled in. */
#define PROFILE_FIELDS	"8"

/*
 * The account menu: what each role comes back for (a returnee's profile,
 * with how much of it is filled in, and applications; an employer's
 * vacancies and enterprise; a counsellor's queue and inbox), then the
 * account's own settings.  The header's name links here.
 */
int
account_home(struct request *req)
{
	struct tmpl_vars v;
	enum role role = req->user->role;
	PGresult *r;

	tmpl_init(&v, req->arena);
	if (role == ROLE_RETURNEE) {
		if ((r = DB_Q(req, "account_profile_filled", request_uid(req),
		    PROFILE_FIELDS)) == NULL)
			return page_unavailable(req);
		tmpl_bind_row(&v, r, 0);
		tmpl_set(&v, "completeness", arena_printf(req->arena,
		    T(req, "%s of %s details filled in"), i18n_num(req->arena,
		    req->lang, db_get_ll(r, 0, "filled")), i18n_num(req->arena,
		    req->lang, db_get_ll(r, 0, "fields"))));
	}
	if ((r = DB_Q(req, "account_cal_get", request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1)
		tmpl_bind_row(&v, r, 0);
	tmpl_set_bool(&v, "returnee", role == ROLE_RETURNEE);
	tmpl_set_bool(&v, "employer", role == ROLE_EMPLOYER);
	tmpl_set_bool(&v, "counsellor", role == ROLE_MODERATOR ||
	    role == ROLE_ADMIN);
	tmpl_set_bool(&v, "admin", role == ROLE_ADMIN);
	tmpl_set_bool(&v, "partner", role == ROLE_PARTNER);
	req->personal = 1;
	return page_render(req, 200, T(req, "Your account"), "account", &v);
}

/*
 * A new link for the personal calendar feed: the token is shown on this
 * page once (only its keyed hash is kept), and replaces any earlier one.
 */
int
account_calendar(struct request *req)
{
	struct tmpl_vars v;
	unsigned char raw[32];
	char tok[65], hash[65];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(tok, sizeof(tok), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(tok, hash);
	if (DB_RUN("account_cal_set", request_uid(req), hash) == -1)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "cal_url", arena_printf(req->arena,
	    "%s/feeds/calendar/%s.ics", conf_active()->base_url, tok));
	sodium_memzero(tok, sizeof(tok));
	req->personal = 1;
	return page_render(req, 200, T(req, "Your calendar link"),
	    "account_calendar", &v);
}

/* Revoke the calendar link: it answers 404 from now on. */
int
account_calendar_revoke(struct request *req)
{
	if (DB_RUN("account_cal_del", request_uid(req)) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/account");
}

/* The welcome is done with: its profile or enterprise saved.  0 or -1. */
int
account_welcome_done(struct request *req)
{
	if (!req->user->welcome)
		return 0;
	req->user->welcome = 0;
	return DB_RUN("account_welcome_done", request_uid(req));
}

/* "Not now" on the welcome: it is not shown again; back to the page. */
int
account_welcome_close(struct request *req)
{
	const char *next = param_str(req, "next");

	if (account_welcome_done(req) == -1)
		return page_unavailable(req);
	return request_redirect(req, request_local_path(next) ? next : "/");
}

static int
password_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set(&v, "password_err", param_err(req, "password"));
	req->personal = 1;
	return page_render(req, status, T(req, "Change your password"),
	    "account_password", &v);
}

int
account_password_form(struct request *req)
{
	return password_page(req, 200, NULL);
}

/* Store a new hash, end every session, start a new one here. */
static int
set_password(struct request *req, long long uid, const char *pw)
{
	char hash[AUTH_HASH_LEN];
	const char *id = arena_printf(req->arena, "%lld", uid);

	if (auth_hash(pw, hash) != AUTH_PW_OK)
		return -2;
	if (DB_RUN("account_set_password", id, hash) == -1 ||
	    auth_sessions_end_all(uid) == -1)
		return -1;
	req->session_token = NULL;
	return auth_session_start(req, uid);
}

int
account_password(struct request *req)
{
	const char *problem;
	PGresult *r;
	enum auth_pw ok;
	int rehash, rc;

	if (req->nerrors > 0)
		return password_page(req, 422, N_("Please correct the marked "
		    "fields."));
	if ((problem = auth_password_problem(param_str(req, "password"),
	    req->user->name)) != NULL) {
		param_set_err(req, "password", problem);
		return password_page(req, 422, N_("Please correct the marked "
		    "fields."));
	}
	if ((r = DB_Q(req, "account_hash", request_uid(req))) == NULL)
		return page_unavailable(req);
	ok = auth_verify(db_get(r, 0, "hash"), param_str(req, "current"),
	    &rehash);
	if (ok == AUTH_PW_BUSY)
		return page_error(req, 503, N_("The server is busy. Please try "
		    "again in a moment."));
	if (ok != AUTH_PW_OK)
		return password_page(req, 422, N_("Your current password is "
		    "not right."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((rc = set_password(req, req->user->id, param_str(req,
	    "password"))) != 0 || db_commit() == -1) {
		db_rollback();
		return rc == -2 ? page_error(req, 503, N_("The server is busy. "
		    "Please try again in a moment.")) : page_unavailable(req);
	}
	log_info("password changed user=%lld", req->user->id);
	return request_redirect(req, "/account");
}

static int
token_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' &&
		    t[i] <= 'f')))
			return 0;
	return i == 64;
}

static int
reset_gone(struct request *req)
{
	return page_error(req, 404, N_("This link is not valid, was used "
	    "already or has expired. Ask a counsellor for a new one."));
}

/* The reset row for the link's token (id, user_id, name), or NULL with
 * *status set. */
static PGresult *
reset_find(struct request *req, int *status)
{
	char hash[65];
	PGresult *r;

	if (!token_ok(req->slug)) {
		*status = reset_gone(req);
		return NULL;
	}
	auth_token_hash(req->slug, hash);
	if ((r = DB_Q(req, "account_reset_find", hash)) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		*status = reset_gone(req);
		return NULL;
	}
	return r;
}

static int
reset_page(struct request *req, int status, const PGresult *r)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	tmpl_set(&v, "token", req->slug);
	tmpl_set(&v, "password_err", param_err(req, "password"));
	req->personal = 1;
	return page_render(req, status, T(req, "Choose a new password"),
	    "account_reset", &v);
}

int
account_reset_form(struct request *req)
{
	PGresult *r;
	int status;

	if ((r = reset_find(req, &status)) == NULL)
		return status;
	return reset_page(req, 200, r);
}

int
account_reset(struct request *req)
{
	const char *problem;
	PGresult *r, *u;
	long long uid;
	int status;

	if ((r = reset_find(req, &status)) == NULL)
		return status;
	uid = db_get_ll(r, 0, "user_id");
	if (req->nerrors == 0 && (problem = auth_password_problem(
	    param_str(req, "password"), db_get(r, 0, "name"))) != NULL)
		param_set_err(req, "password", problem);
	if (req->nerrors > 0)
		return reset_page(req, 422, r);
	if (db_begin() == -1)
		return page_unavailable(req);
	/* Use the link first: two submits cannot both succeed. */
	if ((u = DB_Q(req, "account_reset_use", db_get(r, 0, "id"))) == NULL)
		goto fail;
	if (PQntuples(u) != 1) {
		db_rollback();
		return reset_gone(req);
	}
	if (set_password(req, uid, param_str(req, "password")) != 0 ||
	    audit(uid, "user.reset_used", arena_printf(req->arena, "user:%lld",
	    uid), NULL) == -1 || db_commit() == -1)
		goto fail;
	log_info("password reset used user=%lld", uid);
	return request_redirect(req, "/");
fail:
	db_rollback();
	return page_unavailable(req);
}

int
account_export(struct request *req)
{
	PGresult *r, *j;

	if ((r = DB_Q(req, "account_export", request_uid(req))) == NULL ||
	    (j = DB_Q(req, JOBS_EXPORT_STMT, request_uid(req))) == NULL)
		return page_unavailable(req);
	/* {"forum": …, "jobs": …}: each part made by the module that owns
	 * the tables, as JSON by PostgreSQL. */
	buf_reset(&req->out);
	buf_puts(&req->out, "{\"forum\":");
	buf_puts(&req->out, db_get(r, 0, "forum"));
	buf_puts(&req->out, ",\"jobs\":");
	buf_puts(&req->out, *db_get(j, 0, "jobs") ? db_get(j, 0, "jobs") :
	    "null");
	buf_puts(&req->out, "}\n");
	req->content_type = "application/json; charset=utf-8";
	request_set_header(req, "Content-Disposition",
	    "attachment; filename=\"magnet-my-data.json\"");
	req->personal = 1;
	return 200;
}

static int
delete_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, T(req, "Delete your account"),
	    "account_delete", &v);
}

int
account_delete_form(struct request *req)
{
	return delete_page(req, 200, NULL);
}

int
account_delete(struct request *req)
{
	PGresult *r;
	enum auth_pw ok;
	int rehash;

	if ((r = DB_Q(req, "account_hash", request_uid(req))) == NULL)
		return page_unavailable(req);
	ok = auth_verify(db_get(r, 0, "hash"), param_str(req, "password"),
	    &rehash);
	if (ok != AUTH_PW_OK)
		return delete_page(req, 422, N_("Your password is not right; "
		    "the account was not deleted."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if (DB_RUN("account_anonymise", request_uid(req)) == -1 ||
	    DB_RUN("account_forget_notes", request_uid(req)) == -1 ||
	    DB_RUN("account_forget_revisions", request_uid(req)) == -1 ||
	    DB_RUN(MSG_FORGET_STMT, request_uid(req)) == -1 ||
	    DB_RUN(JOBS_FORGET_STMT, request_uid(req)) == -1 ||
	    auth_sessions_end_all(req->user->id) == -1 ||
	    audit(req->user->id, "user.delete", arena_printf(req->arena,
	    "user:%lld", req->user->id), NULL) == -1 || db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	req->session_token = NULL;
	request_set_cookie(req, "mg_session", "", 0);
	log_info("account deleted user=%lld", req->user->id);
	return request_redirect(req, "/");
}
