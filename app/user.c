/*
 * Registration, login and logout.  Unknown and known names are answered
 * alike, in body, status and time: a returnee's account must not be
 * discoverable.  Every form that fails comes back with what was typed
 * (but never the password) and the problem named next to its field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "tmpl.h"
#include "user.h"

const char *const user_role_choices[] = { "returnee", "employer", NULL };
static const char *const lang_choices[] = { "en", "ckb", "kmr-Arab", "ar",
    NULL };
static const char *const lang_opt_choices[] = { "", "en", "ckb", "kmr-Arab",
    "ar", NULL };

const struct param user_register_params[] = {
	{ "username", P_LINE, P_FORM, 3, 32, 1, NULL },
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ "role", P_ENUM, P_FORM, 0, 0, 1, user_role_choices },
	{ "enterprise", P_LINE, P_FORM, 2, 120, 0, NULL },
	{ "lang", P_ENUM, P_FORM, 0, 0, 0, lang_opt_choices },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param user_login_params[] = {
	{ "username", P_LINE, P_FORM, 0, 64, 1, NULL },
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param user_login_form_params[] = {
	{ "next", P_LINE, P_QUERY, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param user_lang_params[] = {
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, lang_choices },
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct db_stmt stmts[] = {
	{ "user_by_key", "SELECT id, password_hash, "
	    "coalesce(to_char((suspended_until AT TIME ZONE 'Asia/Baghdad') - "
	    "interval '1 second', 'YYYY-MM-DD'), ''), "
	    "coalesce(suspend_reason, ''), "
	    "suspended_until > now() FROM users WHERE username_key = $1 "
	    "AND deleted_at IS NULL" },
	{ "user_insert", "INSERT INTO users (username, username_key, "
	    "password_hash, role, lang, enterprise_id) VALUES ($1, $2, $3, $4, "
	    "nullif($5, ''), $6::bigint) ON CONFLICT (username_key) DO NOTHING "
	    "RETURNING id" },
	{ "user_enterprise_insert", "INSERT INTO enterprises (name) VALUES ($1) "
	    "RETURNING id" },
	{ "user_rehash", "UPDATE users SET password_hash = $2 WHERE id = $1" },
	{ "user_set_lang", "UPDATE users SET lang = $2 WHERE id = $1" },
};

void
user_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* Decode one UTF-8 code point; the input is already valid. */
static unsigned int
next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	unsigned int cp;
	int n;

	if (*p < 0x80) {
		*s += 1;
		return *p;
	}
	n = (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;
	cp = *p & (0x3f >> n);
	for (int i = 1; i <= n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	*s += n + 1;
	return cp;
}

static void
put_cp(struct buf *b, unsigned int cp)
{
	if (cp < 0x80)
		buf_putc(b, (char)cp);
	else if (cp < 0x800) {
		buf_putc(b, (char)(0xc0 | cp >> 6));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_putc(b, (char)(0xe0 | cp >> 12));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

void
user_name_key(const char *name, char *out, size_t outlen)
{
	struct buf b;
	unsigned int cp;

	buf_init(&b);
	while (*name != '\0') {
		cp = next_cp(&name);
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp == 0x064a || cp == 0x0649)	/* ي ى -> ی */
			cp = 0x06cc;
		else if (cp == 0x0643)			/* ك -> ک */
			cp = 0x06a9;
		put_cp(&b, cp);
	}
	snprintf(out, outlen, "%s", b.p ? b.p : "");
	buf_free(&b);
}

/* Letters and digits of the Latin and Arabic scripts, and _ - . ; no
 * spaces, no direction marks or invisible characters that could make one
 * name look like another. */
const char *
user_name_problem(const char *name)
{
	const char *p = name;
	unsigned int cp;
	size_t n = 0;

	while (*p != '\0') {
		cp = next_cp(&p);
		n++;
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9') || cp == '_' || cp == '-' ||
		    cp == '.')
			continue;
		if (cp >= 0x0620 && cp <= 0x06ff && cp != 0x06d4 &&
		    cp != 0x06dd && cp != 0x06de && cp != 0x0640)
			continue;
		return N_("Use only letters, digits, and _ - . (no spaces).");
	}
	if (n < 3)
		return N_("Use at least 3 characters.");
	if (n > 32)
		return N_("Use at most 32 characters.");
	return NULL;
}

static int
register_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	const char *role;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "username", param_str(req, "username"));
	tmpl_set(&v, "enterprise", param_str(req, "enterprise"));
	tmpl_set(&v, "username_err", param_err(req, "username"));
	tmpl_set(&v, "password_err", param_err(req, "password"));
	tmpl_set(&v, "role_err", param_err(req, "role"));
	tmpl_set(&v, "enterprise_err", param_err(req, "enterprise"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	role = param_str(req, "role");
	if (strcmp(role, "employer") == 0)
		tmpl_set(&v, "role_employer", "1");
	else
		tmpl_set(&v, "role_returnee", "1");
	req->personal = 1;
	return page_render(req, status, T(req, "Register"), "register", &v);
}

int
user_register_form(struct request *req)
{
	if (req->user != NULL)
		return request_redirect(req, "/");
	return register_page(req, 200, NULL);
}

int
user_register(struct request *req)
{
	char hash[AUTH_HASH_LEN], key[200];
	const char *name, *pw, *role, *ent, *entid = NULL, *problem;
	PGresult *r;
	int rc;

	name = param_str(req, "username");
	pw = param_str(req, "password");
	role = param_str(req, "role");
	ent = param_str(req, "enterprise");
	if (param_err(req, "username") == NULL &&
	    (problem = user_name_problem(name)) != NULL)
		param_set_err(req, "username", problem);
	if (param_err(req, "password") == NULL &&
	    (problem = auth_password_problem(pw, name)) != NULL)
		param_set_err(req, "password", problem);
	if (strcmp(role, "employer") == 0 && *ent == '\0' &&
	    param_err(req, "enterprise") == NULL)
		param_set_err(req, "enterprise", N_("Employers give the name "
		    "of their enterprise."));
	if (req->nerrors > 0)
		return register_page(req, 400, N_("Please correct the "
		    "marked fields."));
	rc = auth_rate(arena_printf(req->arena, "register:%s", req->ip),
	    86400, conf_active()->register_per_ip);
	if (rc == -1)
		return page_unavailable(req);
	if (rc == 0)
		return page_error(req, 429, N_("Too many accounts were made "
		    "from this address today. Please try again tomorrow."));
	/* Hash first: a taken name costs the same time as a free one. */
	if (auth_hash(pw, hash) != AUTH_PW_OK)
		return page_error(req, 503, N_("The server is busy. Please try "
		    "again in a moment."));
	user_name_key(name, key, sizeof(key));
	if (db_begin() == -1)
		return page_unavailable(req);
	if (strcmp(role, "employer") == 0) {
		if ((r = DB_EXEC("user_enterprise_insert", ent)) == NULL)
			goto dbfail;
		entid = arena_strdup(req->arena, db_val(r, 0, 0));
		PQclear(r);
	}
	if ((r = DB_EXEC("user_insert", name, key, hash, role,
	    param_str(req, "lang"), entid)) == NULL)
		goto dbfail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		param_set_err(req, "username", N_("This name is not available. "
		    "Please choose another."));
		return register_page(req, 400, N_("Please correct the marked "
		    "fields."));
	}
	rc = auth_session_start(req, db_ll(r, 0, 0));
	log_info("registered user=%s role=%s ip=%s", db_val(r, 0, 0), role,
	    req->ip);
	PQclear(r);
	if (rc == -1 || db_commit() == -1)
		goto dbfail;
	return request_redirect(req, "/");
dbfail:
	db_rollback();
	return page_unavailable(req);
}

static const char *
next_path(struct request *req)
{
	const char *n = param_str(req, "next");

	return request_local_path(n) ? n : "/";
}

static int
login_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "username", param_str(req, "username"));
	tmpl_set(&v, "next", next_path(req));
	tmpl_set(&v, "problem", problem);
	req->personal = 1;
	return page_render(req, status, T(req, "Sign in"), "login", &v);
}

int
user_login_form(struct request *req)
{
	if (req->user != NULL)
		return request_redirect(req, next_path(req));
	return login_page(req, 200, NULL);
}

int
user_login(struct request *req)
{
	char key[200], fresh[AUTH_HASH_LEN], idbuf[24];
	const char *name, *pw, *hash = NULL;
	PGresult *r = NULL;
	enum auth_pw ok;
	int rehash, rc;
	long long id = 0;

	name = param_str(req, "username");
	pw = param_str(req, "password");
	if (req->nerrors > 0 || strlen(pw) > 256)
		return login_page(req, 400, T(req, "The name or password is "
		    "not right."));
	user_name_key(name, key, sizeof(key));
	rc = auth_rate(arena_printf(req->arena, "login-ip:%s", req->ip), 300,
	    conf_active()->login_per_ip);
	if (rc == 1)
		rc = auth_rate(arena_printf(req->arena, "login-name:%s", key),
		    300, conf_active()->login_per_account);
	if (rc == -1)
		return page_unavailable(req);
	if (rc == 0) {
		log_warnx("login throttled ip=%s", req->ip);
		return page_error(req, 429, N_("Too many sign-in attempts. "
		    "Please wait a few minutes and try again."));
	}
	if ((r = DB_EXEC("user_by_key", key)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1) {
		id = db_ll(r, 0, 0);
		hash = db_val(r, 0, 1);
	}
	ok = auth_verify(hash, pw, &rehash);
	if (ok == AUTH_PW_BUSY) {
		PQclear(r);
		return page_error(req, 503, N_("The server is busy. Please try "
		    "again in a moment."));
	}
	if (ok != AUTH_PW_OK) {
		PQclear(r);
		log_warnx("login failed ip=%s", req->ip);
		return login_page(req, 400, T(req, "The name or password is "
		    "not right."));
	}
	if (strcmp(db_val(r, 0, 4), "t") == 0) {
		const char *msg = arena_printf(req->arena, T(req, "This account "
		    "is suspended to the end of %s. Reason: %s"),
		    i18n_digits(req->arena, req->lang, db_val(r, 0, 2)),
		    db_val(r, 0, 3));
		PQclear(r);
		return login_page(req, 403, msg);
	}
	PQclear(r);
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (rehash && auth_hash(pw, fresh) == AUTH_PW_OK)
		DB_RUN("user_rehash", idbuf, fresh);
	if (auth_session_start(req, id) == -1)
		return page_unavailable(req);
	log_info("login user=%lld ip=%s", id, req->ip);
	return request_redirect(req, next_path(req));
}

int
user_logout(struct request *req)
{
	if (auth_session_end(req) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/");
}

int
user_set_lang(struct request *req)
{
	const char *tag, *next;
	char id[24];

	next = param_str(req, "next");
	if (!request_local_path(next))
		next = "/";
	if (req->nerrors > 0)
		return request_redirect(req, next);
	tag = param_str(req, "lang");
	request_set_cookie(req, "lang", tag, 365 * 86400);
	if (req->user != NULL) {
		snprintf(id, sizeof(id), "%lld", req->user->id);
		if (DB_RUN("user_set_lang", id, tag) == -1)
			return page_unavailable(req);
	}
	return request_redirect(req, next);
}

int
user_cmd_add(PGconn *c, const char *name, const char *role)
{
	char pw[300], hash[AUTH_HASH_LEN], key[200], ent[24];
	const char *problem = NULL, *params[6];
	int generated = 0;
	PGresult *r;

	if (strcmp(role, "returnee") != 0 && strcmp(role, "employer") != 0 &&
	    strcmp(role, "moderator") != 0 && strcmp(role, "admin") != 0) {
		fprintf(stderr, "role must be returnee, employer, moderator or "
		    "admin\n");
		return -1;
	}
	if (!html_utf8_ok(name, strlen(name)) ||
	    (problem = user_name_problem(name)) != NULL) {
		fprintf(stderr, "%s: %s\n", name, problem ? problem :
		    "not UTF-8");
		return -1;
	}
	pw[0] = '\0';
	if (!isatty(0) && fgets(pw, sizeof(pw), stdin) != NULL)
		pw[strcspn(pw, "\r\n")] = '\0';
	if (pw[0] == '\0') {
		auth_new_token(pw);
		pw[20] = '\0';
		generated = 1;
	}
	if ((problem = auth_password_problem(pw, name)) != NULL) {
		fprintf(stderr, "password: %s\n", problem);
		return -1;
	}
	if (auth_hash(pw, hash) != AUTH_PW_OK)
		return -1;
	user_name_key(name, key, sizeof(key));
	ent[0] = '\0';
	if (strcmp(role, "employer") == 0) {
		params[0] = name;
		r = PQexecParams(c, "INSERT INTO enterprises (name) VALUES ($1) "
		    "RETURNING id", 1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "%s", PQerrorMessage(c));
			PQclear(r);
			return -1;
		}
		snprintf(ent, sizeof(ent), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	params[0] = name;
	params[1] = key;
	params[2] = hash;
	params[3] = role;
	params[4] = ent[0] ? ent : NULL;
	r = PQexecParams(c, "INSERT INTO users (username, username_key, "
	    "password_hash, role, enterprise_id) VALUES ($1, $2, $3, $4, "
	    "$5::bigint) ON CONFLICT (username_key) DO NOTHING RETURNING id",
	    5, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "%s", PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) != 1) {
		fprintf(stderr, "%s: a user with this name exists\n", name);
		PQclear(r);
		return -1;
	}
	PQclear(r);
	if (generated)
		printf("created %s (%s) with password: %s\n", name, role, pw);
	else
		printf("created %s (%s)\n", name, role);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}
