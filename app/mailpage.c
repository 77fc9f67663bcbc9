/*
 * The pages of mail (README "Mail"): an account's address and its
 * confirmation link, a password reset by mail, and the one-click
 * unsubscribe links every notification mail carries (RFC 8058).  What
 * they send is a row of mail_outbox, written in the same transaction;
 * the sender (mail.c) renders and sends it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "db.h"
#include "log.h"
#include "mail.h"
#include "mailpage.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"
#include "user.h"

static const struct db_stmt stmts[] = {
	{ "mail_addr", "SELECT email, email_pending AS pending "
	    "FROM users WHERE id = $1" },
	{ "mail_pending", "UPDATE users SET email_pending = $2 "
	    "WHERE id = $1" },
	{ "mail_remove", "UPDATE users SET email = NULL, email_pending = NULL "
	    "WHERE id = $1" },
	{ "mail_confirm_new", "INSERT INTO mail_confirms (user_id, address, "
	    "token_hash, expires_at) VALUES ($1, $2, decode($3, 'hex'), "
	    "now() + interval '1 day')" },
	{ "mail_queue", "INSERT INTO mail_outbox (user_id, kind, address, "
	    "secret) VALUES ($1, $2, $3, $4)" },
	/* The link, once: the address becomes the account's, the old one
	 * is told. */
	{ "mail_confirm_use", "UPDATE mail_confirms c SET used_at = now() "
	    "FROM users u WHERE c.token_hash = decode($1, 'hex') AND "
	    "c.used_at IS NULL AND c.expires_at > now() AND u.id = c.user_id "
	    "AND u.deleted_at IS NULL RETURNING c.user_id AS uid, c.address, "
	    "u.email AS old" },
	/* Whether a link is good, changing nothing (its page's GET). */
	{ "mail_confirm_ok", "SELECT 1 FROM mail_confirms c JOIN users u ON "
	    "u.id = c.user_id WHERE c.token_hash = decode($1, 'hex') AND "
	    "c.used_at IS NULL AND c.expires_at > now() AND "
	    "u.deleted_at IS NULL" },
	{ "mail_confirm_set", "UPDATE users SET email = $2, email_pending = "
	    "NULL WHERE id = $1" },
	/* Reset: accounts by name or by confirmed address. */
	{ "mail_reset_who", "SELECT id FROM users WHERE deleted_at IS NULL "
	    "AND email IS NOT NULL AND (username_key = $1 OR "
	    "lower(email) = lower($2)) LIMIT 5" },
	{ "mail_reset_new", "INSERT INTO password_resets (user_id, token_hash, "
	    "created_by, expires_at) VALUES ($1, decode($2, 'hex'), $1, "
	    "now() + interval '1 hour')" },
	{ "mail_unsub", "INSERT INTO mail_prefs (user_id, kind, mode) "
	    "SELECT $1, k, 'never' FROM unnest(CASE WHEN $2 = 'digest' THEN "
	    "ARRAY(SELECT DISTINCT note_kind FROM mail_outbox WHERE user_id = "
	    "$1 AND digest_id IS NOT NULL AND note_kind IS NOT NULL) || "
	    "ARRAY['reply', 'quote', 'mention'] ELSE ARRAY[$2] END) AS k "
	    "ON CONFLICT (user_id, kind) DO UPDATE SET mode = 'never'" },
};

void
mailpage_init(void)
{
	DB_REGISTER(stmts);
}

/* A fresh token (hex) and its keyed hash (hex). */
static void
new_token(char tok[65], char hash[65])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(tok, 65, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(tok, hash);
}

static int
email_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "mail_addr", request_uid(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set(&v, "value", param_str(req, "email"));
	tmpl_set(&v, "email_err", param_err(req, "email"));
	tmpl_set_bool(&v, "sent", request_query(req, "sent") != NULL);
	req->personal = 1;
	return page_render(req, status, T(req, "E-mail address"),
	    "account_email", &v);
}

int
mailpage_email_form(struct request *req)
{
	return email_page(req, 200, NULL);
}

/*
 * Within the caller's transaction: addr waits for the link mailed to it
 * (registration, /account/email).
 */
int
mailpage_link(const char *uid, const char *addr)
{
	char tok[65], hash[65];
	int rc;

	new_token(tok, hash);
	rc = DB_RUN("mail_pending", uid, addr) == -1 ||
	    DB_RUN("mail_confirm_new", uid, addr, hash) == -1 ||
	    DB_RUN("mail_queue", uid, "confirm", addr, tok) == -1 ? -1 : 0;
	sodium_memzero(tok, sizeof(tok));
	if (rc == 0)
		log_info("mail confirmation queued user=%s", uid);
	return rc;
}

/*
 * A new address waits for its link (the site mails no address that has
 * not confirmed, except that link); an empty one removes the address.
 * Five links an hour per account.
 */
int
mailpage_email(struct request *req)
{
	const char *addr = param_str(req, "email");
	int ok;

	if (req->nerrors == 0 && addr != NULL && *addr != '\0' &&
	    !mail_address_ok(addr))
		param_set_err(req, "email", N_("This is not an e-mail address "
		    "like name@example.org."));
	if (req->nerrors > 0)
		return email_page(req, 422, N_("Please correct the marked "
		    "fields."));
	if (addr == NULL || *addr == '\0') {
		if (DB_RUN("mail_remove", request_uid(req)) == -1)
			return page_unavailable(req);
		return request_redirect(req, "/account/email");
	}
	if ((ok = auth_rate(arena_printf(req->arena, "mailconfirm:%lld",
	    req->user->id), 3600, 5)) == -1)
		return page_unavailable(req);
	if (ok == 0)
		return email_page(req, 429, N_("Too many links were mailed for "
		    "this account. Please try again in an hour."));
	if (db_begin() == -1 || mailpage_link(request_uid(req), addr) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	return request_redirect(req, "/account/email?sent=1");
}

static int
confirm_gone(struct request *req)
{
	return page_error(req, 404, N_("This link has been used or is more "
	    "than a day old. Give the address again on your account page for "
	    "a new one."));
}

/* The mailed link asks first: a mail scanner that follows it confirms
 * nothing; the button POSTs. */
int
mailpage_confirm_form(struct request *req)
{
	struct tmpl_vars v;
	char hash[65];
	PGresult *r;

	auth_token_hash(req->slug, hash);
	if ((r = DB_Q(req, "mail_confirm_ok", hash)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return confirm_gone(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", req->path);
	return page_render(req, 200, T(req, "Confirm your e-mail address"),
	    "mail_confirm", &v);
}

int
mailpage_confirm(struct request *req)
{
	struct tmpl_vars v;
	char hash[65];
	const char *old;
	PGresult *r;

	auth_token_hash(req->slug, hash);
	if (db_begin() == -1 || (r = DB_Q(req, "mail_confirm_use",
	    hash)) == NULL) {
		db_rollback();
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1) {
		db_rollback();
		return confirm_gone(req);
	}
	old = db_get(r, 0, "old");
	if (DB_RUN("mail_confirm_set", db_get(r, 0, "uid"), db_get(r, 0,
	    "address")) == -1 || (old != NULL && *old != '\0' &&
	    strcmp(old, db_get(r, 0, "address")) != 0 &&
	    DB_RUN("mail_queue", db_get(r, 0, "uid"), "changed", old,
	    NULL) == -1) || db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	tmpl_init(&v, req->arena);
	return page_render(req, 200, T(req, "Address confirmed"),
	    "mail_confirmed", &v);
}

static int
forgot_page(struct request *req, int status, int sent)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_set_bool(&v, "sent", sent);
	tmpl_set(&v, "who_err", param_err(req, "who"));
	return page_render(req, status, T(req, "Forgot your password?"),
	    "mail_forgot", &v);
}

int
mailpage_forgot_form(struct request *req)
{
	return forgot_page(req, 200, 0);
}

/*
 * The same answer whether or not an account has that name or address
 * (SECURITY.md item 5); a link for each, when its address is confirmed,
 * at most three an hour per address asked and per account.
 */
int
mailpage_forgot(struct request *req)
{
	const char *who = param_str(req, "who");
	char tok[65], hash[65];
	char key[512];
	const char *uid;
	PGresult *r;
	int i, ok;

	if (req->nerrors > 0)
		return forgot_page(req, 422, 0);
	if ((ok = auth_rate(arena_printf(req->arena, "mailreset:%s", who),
	    3600, 3)) == -1)
		return page_unavailable(req);
	if (ok == 0)
		return forgot_page(req, 200, 1);
	user_name_key(who, key, sizeof(key));
	if ((r = DB_Q(req, "mail_reset_who", key, who)) == NULL)
		return page_unavailable(req);
	for (i = 0; i < PQntuples(r); i++) {
		uid = db_get(r, i, "id");
		if ((ok = auth_rate(arena_printf(req->arena, "mailreset:#%s",
		    uid), 3600, 3)) != 1)
			continue;
		new_token(tok, hash);
		if (db_begin() == -1 || DB_RUN("mail_reset_new", uid,
		    hash) == -1 || DB_RUN("mail_queue", uid, "reset", NULL,
		    tok) == -1 || db_commit() == -1) {
			db_rollback();
			return page_unavailable(req);
		}
		sodium_memzero(tok, sizeof(tok));
		log_info("password reset mailed user=%s", uid);
	}
	return forgot_page(req, 200, 1);
}

/* The link's kind and whether its signature is the account's. */
static const char *
unsub_kind(struct request *req)
{
	char sig[33], *kind, *dot;

	kind = arena_strdup(req->arena, req->slug);
	if ((dot = strrchr(kind, '.')) == NULL)
		return NULL;
	*dot = '\0';
	if (*kind == '\0' || strspn(kind, "abcdefghijklmnopqrstuvwxyz_") !=
	    strlen(kind) || strlen(kind) > 32)
		return NULL;
	mail_unsub_sig(req->id, kind, sig);
	if (strlen(dot + 1) != 32 || sodium_memcmp(sig, dot + 1, 32) != 0)
		return NULL;
	return kind;
}

/* GET asks first (a mail scanner that follows links changes nothing). */
int
mailpage_unsub_form(struct request *req)
{
	struct tmpl_vars v;

	if (unsub_kind(req) == NULL)
		return page_error(req, 404, N_("Page not found"));
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", req->path);
	tmpl_set_bool(&v, "done", 0);
	return page_render(req, 200, T(req, "Stop these mails"),
	    "mail_unsub", &v);
}

/* RFC 8058: a POST from the mail program, with the link's signature and
 * no CSRF token (route.c: R_NOCSRF). */
int
mailpage_unsub(struct request *req)
{
	struct tmpl_vars v;
	const char *kind;

	if ((kind = unsub_kind(req)) == NULL)
		return page_error(req, 404, N_("Page not found"));
	if (DB_RUN("mail_unsub", request_id(req), kind) == -1)
		return page_unavailable(req);
	log_info("mail unsubscribed user=%lld kind=%s", req->id, kind);
	tmpl_init(&v, req->arena);
	tmpl_set_bool(&v, "done", 1);
	return page_render(req, 200, T(req, "Stop these mails"),
	    "mail_unsub", &v);
}
