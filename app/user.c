/*
 * Registration, login and logout.  Unknown and known names are answered
 * alike, in body, status and time: a returnee's account must not be
 * discoverable.  Every form that fails comes back with what was typed
 * (but never the password) and the problem named next to its field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "mailpage.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "route.h"
#include "setting.h"
#include "tmpl.h"
#include "user.h"

const char *const user_role_choices[] = { "returnee", "employer", NULL };
const char *const user_lang_choices[] = { "en", "ckb", "kmr-Arab", "ar",
    NULL };
const char *const user_lang_opt_choices[] = { "", "en", "ckb", "kmr-Arab",
    "ar", NULL };

static const struct db_stmt stmts[] = {
	/* A suspension ends at midnight: its last day is the one before. */
	{ "user_by_key", "SELECT id, password_hash AS hash, "
	    "magnet_day(suspended_until - interval '1 second') AS until, "
	    "suspend_reason AS reason, suspended_until > now() AS suspended "
	    "FROM users WHERE username_key = $1 AND deleted_at IS NULL" },
	{ "user_insert", "INSERT INTO users (username, username_key, "
	    "username_key_version, password_hash, role, lang, enterprise_id, "
	    "welcome_pending) VALUES ($1, $2, " USER_KEY_VERSION_SQL ", $3, $4, "
	    "nullif($5, ''), $6::bigint, true) ON CONFLICT (username_key) "
	    "DO NOTHING RETURNING id" },
	{ "user_enterprise_insert", "INSERT INTO enterprises (name) VALUES ($1) "
	    "RETURNING id" },
	{ "user_rehash", "UPDATE users SET password_hash = $2 WHERE id = $1" },
	{ "user_set_lang", "UPDATE users SET lang = $2 WHERE id = $1" },
};

void
user_init(void)
{
	DB_REGISTER(stmts);
}

/*
 * Names.  Two names that a reader could take for one another must not
 * both exist, so names are compared by a key: the name in NFKC, case
 * folded (libunistring), without marks or invisible characters, and with
 * the letters and digits that look alike in the site's scripts folded to
 * one of them (fold_letter).  The key is stored (users.username_key,
 * unique) with the version of this function that made it; `magnet
 * migrate` recomputes older ones (user_rekey).  Registration further
 * accepts only the letters of the site's alphabets, one script per name,
 * and vowel marks only where they belong (user_name_problem).
 */

/* Letters that look alike in Arabic, Persian, Sorani and Kurmanji, to one
 * of them.  Yeh: Arabic ي, alef maksura ى and Persian ی (the same letter
 * but for dots that the final form drops).  Kaf: ك and ک.  Heh: Arabic ه
 * looks like Kurdish ە at the end of a word and like Kurdish ھ at its
 * start, so all three fold together, with teh marbuta ة (the same letter
 * to readers of names, فاطمة / فاطمه) and Urdu ہ.  Alef: أ إ آ lose
 * their hamza or madda as marks (see user_name_key), ٱ here. */
static ucs4_t
fold_letter(ucs4_t c)
{
	switch (c) {
	case 0x064a:	/* ي */
	case 0x0649:	/* ى */
		return 0x06cc;	/* ی */
	case 0x0643:	/* ك */
		return 0x06a9;	/* ک */
	case 0x0629:	/* ة */
	case 0x06be:	/* ھ */
	case 0x06c1:	/* ہ */
	case 0x06d5:	/* ە */
		return 0x0647;	/* ه */
	case 0x0671:	/* ٱ */
		return 0x0627;	/* ا */
	}
	return c;
}

/* Write one code point of a key; 0, or -1 when it does not fit. */
static int
key_put(char *out, size_t outlen, size_t *o, ucs4_t c)
{
	uint8_t tmp[6];
	int k;

	if ((k = u8_uctomb(tmp, c, sizeof(tmp))) < 0 || *o + k >= outlen)
		return -1;
	memcpy(out + *o, tmp, k);
	*o += k;
	return 0;
}

/*
 * The key of a name, in out; "" when the name is not UTF-8 or its key
 * does not fit (no account has an empty key, so such a name finds none).
 * The name is taken apart (NFKD, after NFKC and case folding) so that the
 * marks can be seen: they are dropped (a fatha or a stray mark makes no
 * other name), except a hamza above after waw or yeh, which makes the
 * letters ؤ and ئ whether typed as one character or two.  The high hamza
 * ٴ counts as a hamza: اٴ is أ to a reader.
 */
void
user_name_key(const char *name, char *out, size_t outlen)
{
	uint8_t *nf = NULL, *cf = NULL;
	size_t n, len, i, o = 0, last = 0;
	ucs4_t c, prev = 0;
	int d, k;

	if (outlen == 0)
		return;
	out[0] = '\0';
	n = strlen(name);
	if (u8_check((const uint8_t *)name, n) != NULL ||
	    (nf = u8_normalize(UNINORM_NFKC, (const uint8_t *)name, n, NULL,
	    &len)) == NULL ||
	    (cf = u8_casefold(nf, len, NULL, UNINORM_NFKD, NULL, &len)) == NULL)
		goto out;
	for (i = 0; i < len; i += k) {
		k = u8_mbtouc(&c, cf + i, len - i);
		if (c == 0x0654 || c == 0x0674) {
			if (prev == 0x0648 || prev == 0x06cc) {
				prev = prev == 0x0648 ? 0x0624 : 0x0626;
				o = last;
				if (key_put(out, outlen, &o, prev) == -1)
					goto toolong;
			}
			continue;
		}
		if (uc_is_general_category(c, UC_CATEGORY_M) ||
		    uc_is_property_default_ignorable_code_point(c) ||
		    c == 0x0640)	/* tatweel */
			continue;
		if ((d = uc_decimal_value(c)) >= 0)
			c = '0' + d;
		prev = fold_letter(c);
		last = o;
		if (key_put(out, outlen, &o, prev) == -1)
			goto toolong;
	}
	out[o] = '\0';
	goto out;
toolong:
	out[0] = '\0';
out:
	free(nf);
	free(cf);
}

/* The Arabic-script letters of the site's languages: Arabic's, and
 * Persian's and Kurdish's پ چ ژ ڤ ک گ ی ڕ ڵ ۆ ێ ە ھ ۀ.  The rest of the
 * Arabic block serves other languages, and many of its letters differ
 * from these by a dot or a stroke. */
static int
arabic_letter(ucs4_t c)
{
	switch (c) {
	case 0x067e: case 0x0686: case 0x0698: case 0x06a4: case 0x06a9:
	case 0x06af: case 0x06cc: case 0x0695: case 0x06b5: case 0x06c6:
	case 0x06ce: case 0x06d5: case 0x06be: case 0x06c0:
		return 1;
	}
	return (c >= 0x0621 && c <= 0x063a) || (c >= 0x0641 && c <= 0x064a);
}

/* ASCII digits and the Arabic-Indic and Persian ones: any script. */
static int
digit(ucs4_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0x0660 && c <= 0x0669) ||
	    (c >= 0x06f0 && c <= 0x06f9);
}

/* The vowel marks of Arabic (fathatan to sukun, superscript alef).  A
 * hamza or madda typed as a mark is part of its letter once composed
 * (NFC); left over, it is not one of these. */
static int
vowel_mark(ucs4_t c)
{
	return (c >= 0x064b && c <= 0x0652) || c == 0x0670;
}

/*
 * NULL when the name is acceptable, else a msgid.  Checked in NFC, so a
 * letter typed as a base and a mark (ا and a hamza) counts as the letter
 * (أ), and compatibility forms (fullwidth letters, presentation forms,
 * ligatures) stay what they are and are refused: only ASCII letters, the
 * letters of arabic_letter(), digits and _ - . are allowed; no spaces, no
 * direction or invisible marks.  Letters are all Latin or all Arabic
 * (digits and _ - . go with both); a vowel mark follows an Arabic letter,
 * at most two on one letter (a shadda and a vowel) and not one twice.
 */
const char *
user_name_problem(const char *name)
{
	const char *problem = NULL;
	uint8_t *nf;
	size_t len, i, n = 0;
	ucs4_t c, mark = 0;
	int k, latin = 0, arabic = 0, onarabic = 0, marks = 0;

	if ((nf = u8_normalize(UNINORM_NFC, (const uint8_t *)name,
	    strlen(name), NULL, &len)) == NULL)
		return N_("Use only letters, digits, and _ - . (no spaces).");
	for (i = 0; i < len && problem == NULL; i += k) {
		k = u8_mbtouc(&c, nf + i, len - i);
		n++;
		if (uc_is_general_category(c, UC_CATEGORY_M)) {
			if (!onarabic || marks == 2 || c == mark)
				problem = N_("Put vowel marks only on Arabic "
				    "letters, at most two on one letter.");
			else if (!vowel_mark(c))
				problem = N_("Use only letters, digits, and "
				    "_ - . (no spaces).");
			marks++;
			mark = c;
			continue;
		}
		marks = 0;
		mark = 0;
		onarabic = arabic_letter(c);
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			latin = 1;
		else if (onarabic)
			arabic = 1;
		else if (!digit(c) && c != '_' && c != '-' && c != '.')
			problem = N_("Use only letters, digits, and _ - . (no "
			    "spaces).");
	}
	free(nf);
	if (problem != NULL)
		return problem;
	if (latin && arabic)
		return N_("Use the letters of one alphabet, Latin or Arabic, "
		    "not both.");
	if (n < 3)
		return N_("Use at least 3 characters.");
	if (n > 32)
		return N_("Use at most 32 characters.");
	return NULL;
}

/* Run a statement of user_rekey's transaction; 0 or -1 (logged). */
static int
rekey_run(PGconn *c, const char *sql, int n, const char *const *p,
    PGresult **out)
{
	PGresult *r;
	ExecStatusType st;

	r = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		log_warnx("rekey: %s", PQresultErrorMessage(r));
		PQclear(r);
		return -1;
	}
	if (out != NULL)
		*out = r;
	else
		PQclear(r);
	return 0;
}

/* Give one account the key of its name, or of NAME-ID (then also its new
 * name) when another account holds that key; 0 or -1. */
static int
rekey_one(PGconn *c, const char *id, const char *username)
{
	char key[200], name[300];
	const char *p[3];
	PGresult *r;
	int tries, ok;

	snprintf(name, sizeof(name), "%s", username);
	for (tries = 0; tries < 3; tries++) {
		user_name_key(name, key, sizeof(key));
		p[0] = id;
		p[1] = key;
		p[2] = name;
		if (rekey_run(c, "UPDATE users SET username = $3, username_key = "
		    "$2, username_key_version = " USER_KEY_VERSION_SQL " "
		    "WHERE id = $1 AND $2 <> '' AND NOT EXISTS (SELECT 1 FROM "
		    "users WHERE username_key = $2)", 3, p, &r) == -1)
			return -1;
		ok = strcmp(PQcmdTuples(r), "1") == 0;
		PQclear(r);
		if (ok) {
			if (tries > 0)
				log_warnx("rekey: user=%s renamed with its "
				    "id: an older account has its name's key",
				    id);
			return 0;
		}
		if (tries == 0)
			snprintf(name, sizeof(name), "%s-%s", username, id);
		else
			snprintf(name, sizeof(name), "%s-%s-%d", username, id,
			    tries);
	}
	log_warnx("rekey: user=%s: no free key for its name", id);
	return -1;
}

/*
 * At `magnet migrate`: recompute the keys that an older user_name_key
 * made (username_key_version below this one's).  Names that were apart
 * may now share a key: the older account keeps it and the newer one is
 * renamed NAME-ID (key and shown name alike, so that it signs in with the
 * name it is shown under), and the log says so.  The recomputed keys are
 * first moved aside ('#' and the id, which no name folds to), so that
 * age, not the order of the old keys, decides; a key of this version
 * already stored is kept.  One transaction: all or nothing.
 */
int
user_rekey(PGconn *c)
{
	static const char *const pick = "WHERE deleted_at IS NULL AND "
	    "username_key_version < " USER_KEY_VERSION_SQL;
	char sql[300];
	PGresult *r = NULL;
	int i, n, rc = -1;

	if (rekey_run(c, "BEGIN", 0, NULL, NULL) == -1)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT id, username FROM users %s "
	    "ORDER BY created_at, id FOR UPDATE", pick);
	if (rekey_run(c, "SELECT pg_advisory_xact_lock(7130002)", 0, NULL,
	    NULL) == -1 || rekey_run(c, sql, 0, NULL, &r) == -1)
		goto out;
	n = PQntuples(r);
	snprintf(sql, sizeof(sql), "UPDATE users SET username_key = '#' || id "
	    "%s", pick);
	if (n > 0 && rekey_run(c, sql, 0, NULL, NULL) == -1)
		goto out;
	for (i = 0; i < n; i++)
		if (rekey_one(c, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)) == -1)
			goto out;
	rc = rekey_run(c, "COMMIT", 0, NULL, NULL);
	if (rc == 0 && n > 0)
		log_info("rekey: %d name keys recomputed", n);
out:
	PQclear(r);
	if (rc == -1)
		rekey_run(c, "ROLLBACK", 0, NULL, NULL);
	return rc;
}

/* Where to go after signing in or registering: the local path in next
 * (a query or a hidden field), else the home page. */
static const char *
next_path(struct request *req)
{
	const char *n = param_str(req, "next");

	return request_local_path(n) ? n : "/";
}

/* next, URL-encoded for a link to the other form; NULL for "/". */
static const char *
next_arg(struct request *req)
{
	const char *n = next_path(req);
	struct buf b;
	char *s;

	if (strcmp(n, "/") == 0)
		return NULL;
	buf_init(&b);
	html_url_arg(&b, n);
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

static int
register_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	const char *role;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "username", param_str(req, "username"));
	tmpl_set(&v, "enterprise", param_str(req, "enterprise"));
	tmpl_set(&v, "username_err", param_err(req, "username"));
	tmpl_set(&v, "password_err", param_err(req, "password"));
	tmpl_set(&v, "role_err", param_err(req, "role"));
	tmpl_set(&v, "enterprise_err", param_err(req, "enterprise"));
	tmpl_set(&v, "email", param_str(req, "email"));
	tmpl_set(&v, "email_err", param_err(req, "email"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set(&v, "next", next_path(req));
	tmpl_set(&v, "next_arg", next_arg(req));
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
		return request_redirect(req, next_path(req));
	return register_page(req, 200, NULL);
}

int
user_register(struct request *req)
{
	char hash[AUTH_HASH_LEN], key[200];
	const char *name, *pw, *role, *ent, *entid = NULL, *problem;
	PGresult *r;
	long long id;
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
	if (param_err(req, "email") == NULL && *param_str(req, "email") !=
	    '\0' && !mail_address_ok(param_str(req, "email")))
		param_set_err(req, "email", N_("This is not an e-mail address "
		    "like name@example.org."));
	if (strcmp(role, "employer") == 0 && *ent == '\0' &&
	    param_err(req, "enterprise") == NULL)
		param_set_err(req, "enterprise", N_("Employers give the name "
		    "of their enterprise."));
	if (req->nerrors > 0)
		return register_page(req, 400, N_("Please correct the "
		    "marked fields."));
	rc = auth_rate(arena_printf(req->arena, "register:%s", req->ip_net),
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
		if ((r = DB_Q(req, "user_enterprise_insert", ent)) == NULL)
			goto dbfail;
		entid = db_get(r, 0, "id");
	}
	if ((r = DB_Q(req, "user_insert", name, key, hash, role,
	    param_str(req, "lang"), entid)) == NULL)
		goto dbfail;
	if (PQntuples(r) != 1) {
		db_rollback();
		param_set_err(req, "username", N_("This name is not available. "
		    "Please choose another."));
		return register_page(req, 400, N_("Please correct the marked "
		    "fields."));
	}
	id = db_get_ll(r, 0, "id");
	/* An address given here waits for its mailed link (mailpage.c). */
	if (*param_str(req, "email") != '\0' && mailpage_link(db_get(r, 0,
	    "id"), param_str(req, "email")) == -1)
		goto dbfail;
	if (auth_session_start(req, id) == -1 ||
	    auth_device_remember(req, id) == -1 || db_commit() == -1)
		goto dbfail;
	log_info("registered user=%lld role=%s ip=%s", id, role, req->ip);
	/* Back where they came from (a shared vacancy, say): the welcome
	 * (page.c) greets them there. */
	return request_redirect(req, next_path(req));
dbfail:
	db_rollback();
	return page_unavailable(req);
}

static int
login_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	const char *offices;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "username", param_str(req, "username"));
	tmpl_set(&v, "next", next_path(req));
	tmpl_set(&v, "next_arg", next_arg(req));
	tmpl_set(&v, "problem", problem);
	/* The offices' contacts: for a forgotten password (issue 17). */
	if ((offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL)
		return page_unavailable(req);
	tmpl_set(&v, "offices", *offices ? offices : NULL);
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

/*
 * The sign-in limits, counted before the password is hashed, every
 * attempt (right or wrong) in windows of 5 minutes:
 *   - per address (an IPv6 /64): login_per_ip, whatever the names;
 *   - per address and name: login_per_account, so one address cannot
 *     guess one account's password for long;
 *   - per name, from browsers the account has not signed in from:
 *     login_per_account.  Many addresses guessing together stop there,
 *     but the owner, from a browser they signed in from before (the
 *     device cookie), is not held back: the attackers cannot lock them
 *     out.  Only a sign-in from a new browser waits out the window.
 * 1 allowed, 0 over a limit, -1 database down.
 */
static int
login_allowed(struct request *req, const char *key, int known)
{
	const struct conf *c = conf_active();
	int rc;

	rc = auth_rate(arena_printf(req->arena, "login-ip:%s", req->ip_net),
	    300, c->login_per_ip);
	if (rc == 1)
		rc = auth_rate(arena_printf(req->arena, "login-pair:%s|%s",
		    req->ip_net, key), 300, c->login_per_account);
	if (rc == 1 && !known)
		rc = auth_rate(arena_printf(req->arena, "login-name:%s", key),
		    300, c->login_per_account);
	return rc;
}

int
user_login(struct request *req)
{
	char key[200], fresh[AUTH_HASH_LEN], idbuf[24];
	const char *name, *pw;
	PGresult *r;
	enum auth_pw ok;
	int rehash, rc, known;
	long long id;

	name = param_str(req, "username");
	pw = param_str(req, "password");
	if (req->nerrors > 0 || strlen(pw) > 256)
		return login_page(req, 400, T(req, "The name or password is "
		    "not right."));
	user_name_key(name, key, sizeof(key));
	if ((r = DB_Q(req, "user_by_key", key)) == NULL)
		return page_unavailable(req);
	id = PQntuples(r) == 1 ? db_get_ll(r, 0, "id") : 0;
	/* Looked up for a name without an account too: no time apart. */
	if ((known = auth_device_known(req, id)) == -1 ||
	    (rc = login_allowed(req, key, known)) == -1)
		return page_unavailable(req);
	if (rc == 0) {
		log_warnx("login throttled ip=%s", req->ip);
		return page_error(req, 429, N_("Too many sign-in attempts. "
		    "Please wait a few minutes and try again."));
	}
	/* No account: NULL, verified against a dummy hash all the same. */
	ok = auth_verify(id != 0 ? db_get(r, 0, "hash") : NULL, pw, &rehash);
	if (ok == AUTH_PW_BUSY)
		return page_error(req, 503, N_("The server is busy. Please try "
		    "again in a moment."));
	if (ok != AUTH_PW_OK) {
		log_warnx("login failed ip=%s", req->ip);
		return login_page(req, 400, T(req, "The name or password is "
		    "not right."));
	}
	if (db_get_bool(r, 0, "suspended"))
		return login_page(req, 403, arena_printf(req->arena,
		    T(req, "This account is suspended to the end of %s. "
		    "Reason: %s"), i18n_digits(req->arena, req->lang,
		    db_get(r, 0, "until")), db_get(r, 0, "reason")));
	snprintf(idbuf, sizeof(idbuf), "%lld", id);
	if (rehash && auth_hash(pw, fresh) == AUTH_PW_OK)
		DB_RUN("user_rehash", idbuf, fresh);
	if (auth_session_start(req, id) == -1 ||
	    (!known && auth_device_remember(req, id) == -1))
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

/*
 * A visitor's language link, GET /lang/{tag}: the cookie only, no
 * database write, then back to next.  A link from another site can do
 * no more than a link on ours: change that visitor's own language.
 */
int
user_lang_link(struct request *req)
{
	const char *next;
	int i;

	for (i = 0; i < LANG__MAX; i++)
		if (strcasecmp(req->slug, i18n_langs[i].tag) == 0)
			break;
	if (i == LANG__MAX)
		return page_error(req, 404, N_("Page not found"));
	next = req->nerrors > 0 ? NULL : param_str(req, "next");
	if (next == NULL || !request_local_path(next))
		next = "/";
	request_set_cookie(req, "lang", i18n_langs[i].tag, 365 * 86400);
	return request_redirect(req, next);
}

int
user_cmd_add(PGconn *c, const char *name, const char *role, const char *gov)
{
	char pw[300], hash[AUTH_HASH_LEN], key[200], ent[24];
	const char *problem = NULL, *params[6];
	int generated = 0;
	PGresult *r;

	if (strcmp(role, "returnee") != 0 && strcmp(role, "employer") != 0 &&
	    strcmp(role, "partner") != 0 && strcmp(role, "moderator") != 0 &&
	    strcmp(role, "admin") != 0) {
		fprintf(stderr, "role must be returnee, employer, partner, "
		    "moderator or admin\n");
		return -1;
	}
	/* A partner office reads one governorate, or all without it. */
	if (gov != NULL && (strcmp(role, "partner") != 0 ||
	    place_governorate_index(gov) == -1)) {
		fprintf(stderr, "--governorate is for partners: erbil, "
		    "sulaymaniyah, duhok or halabja\n");
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
	params[5] = gov;
	r = PQexecParams(c, "INSERT INTO users (username, username_key, "
	    "username_key_version, password_hash, role, enterprise_id, "
	    "partner_governorate) VALUES "
	    "($1, $2, " USER_KEY_VERSION_SQL ", $3, $4, $5::bigint, $6) "
	    "ON CONFLICT (username_key) DO NOTHING RETURNING id",
	    6, NULL, params, NULL, NULL, 0);
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
