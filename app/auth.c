/*
 * Accounts' secrets.  Password hashing is Argon2id at libsodium's
 * INTERACTIVE limits (about 64 MiB each), so a semaphore lets only as many
 * run at once as there are cores: a flood of logins waits briefly or gets
 * 503 instead of exhausting memory.  The semaphore lives in memory shared
 * by every process forked after auth_init, so the limit holds for all of
 * Kore's workers together.
 */
#include <sys/mman.h>

#include <errno.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "cache.h"
#include "conf.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "request.h"

#define SESSION_COOKIE	"mg_session"
#define CSRF_COOKIE	"mg_csrf"

static const struct conf *conf;
static unsigned char key[32];
static sem_t *hash_slots;
static char dummy_hash[AUTH_HASH_LEN];
/* Argon2id's cost: libsodium's interactive level (weak_password_hash). */
static unsigned long long hash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t hash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char **common;
static size_t ncommon;

/* The user of a live session, by its token's hash ($1) and the idle
 * limit in seconds ($2): the columns session_read takes, and whence. */
#define SESSION_USER "u.id, u.username, u.role, u.lang, u.enterprise_id, " \
	"coalesce(u.partner_governorate, '') AS governorate, " \
	"s.id AS session_id, " \
	"s.last_seen < now() - interval '60 seconds' AS stale, " \
	"u.welcome_pending AS welcome"
#define SESSION_FROM "FROM sessions s JOIN users u ON u.id = s.user_id " \
	"WHERE s.token_hash = decode($1, 'hex') AND s.expires_at > now() " \
	"AND s.last_seen > now() - make_interval(secs => $2::int) " \
	"AND u.deleted_at IS NULL " \
	"AND (u.suspended_until IS NULL OR u.suspended_until < now())"

static const struct db_stmt stmts[] = {
	{ "auth_key_init", "INSERT INTO site_secrets (name, value) VALUES "
	    "('token_key', $1::bytea) ON CONFLICT (name) DO NOTHING" },
	{ "auth_key_get", "SELECT encode(value, 'hex') AS hex "
	    "FROM site_secrets WHERE name = 'token_key'" },
	/* The session's user, with the header's counts (page.h) for a page
	 * about to be shown, or without them for a form sent: its answer is
	 * mostly a redirect, and page_vars reads them if it is not. */
	{ "auth_session_get", "SELECT " SESSION_USER ", " PAGE_HEADER_COUNTS
	    " " SESSION_FROM },
	{ "auth_session_get_bare", "SELECT " SESSION_USER " " SESSION_FROM },
	{ "auth_session_touch", "UPDATE sessions SET last_seen = now() "
	    "WHERE id = $1" },
	{ "auth_session_new", "INSERT INTO sessions (user_id, token_hash, "
	    "expires_at) VALUES ($1, decode($2, 'hex'), now() + "
	    "make_interval(secs => $3::int))" },
	{ "auth_session_del", "DELETE FROM sessions WHERE token_hash = "
	    "decode($1, 'hex')" },
	{ "auth_session_del_user", "DELETE FROM sessions WHERE user_id = $1" },
	{ "auth_session_gc", "DELETE FROM sessions WHERE expires_at < now()" },
	{ "auth_rate_hit",
	    "INSERT INTO rate_counters AS r (key, window_start, count) "
	    "VALUES ($1, to_timestamp(floor(extract(epoch FROM now()) / $2) "
	    "* $2), 1) ON CONFLICT (key, window_start) DO UPDATE "
	    "SET count = r.count + 1 RETURNING count" },
	{ "auth_rate_gc", "DELETE FROM rate_counters WHERE window_start < "
	    "now() - interval '2 days'" },
	{ "auth_device_get", "UPDATE devices SET last_used = now() "
	    "WHERE token_hash = decode($1, 'hex') AND user_id = $2 "
	    "RETURNING 1" },
	{ "auth_device_new", "INSERT INTO devices (token_hash, user_id) "
	    "VALUES (decode($1, 'hex'), $2)" },
	{ "auth_device_del_user", "DELETE FROM devices WHERE user_id = $1" },
	{ "auth_device_gc", "DELETE FROM devices WHERE last_used < "
	    "now() - interval '1 year'" },
};

int
auth_init(const struct conf *c)
{
	char pw[AUTH_TOKEN_LEN + 1];
	long cores;
	unsigned int slots;
	int rc;

	conf = c;
	if (sodium_init() < 0)
		return -1;
	cores = sysconf(_SC_NPROCESSORS_ONLN);
	slots = c != NULL && c->hash_concurrency > 0 ?
	    (unsigned int)c->hash_concurrency : (unsigned int)(cores > 0 ?
	    cores : 1);
	hash_slots = mmap(NULL, sizeof(*hash_slots), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (hash_slots == MAP_FAILED || sem_init(hash_slots, 1, slots) == -1)
		return -1;
	if (c != NULL && c->weak_password_hash) {
		/* For the scanners of tests/security, which send thousands of
		 * sign-in forms: never in production. */
		log_warnx("weak_password_hash is on: passwords are hashed at "
		    "Argon2id's least cost, for tests only");
		hash_ops = crypto_pwhash_OPSLIMIT_MIN;
		hash_mem = crypto_pwhash_MEMLIMIT_MIN;
	}
	DB_REGISTER(stmts);
	/* A real hash of a random password: verifying against it costs what
	 * verifying a real account costs. */
	auth_new_token(pw);
	rc = crypto_pwhash_str(dummy_hash, pw, strlen(pw), hash_ops,
	    hash_mem);
	sodium_memzero(pw, sizeof(pw));
	return rc == 0 ? 0 : -1;
}

void
auth_set_key(const unsigned char k[32])
{
	memcpy(key, k, sizeof(key));
}

/* The token key lives in the database so that every node shares it. */
int
auth_load_key(void)
{
	unsigned char k[32];
	char hex[65], bytea[67];
	PGresult *r;
	size_t len;

	randombytes_buf(k, sizeof(k));
	sodium_bin2hex(hex, sizeof(hex), k, sizeof(k));
	snprintf(bytea, sizeof(bytea), "\\x%s", hex);
	sodium_memzero(k, sizeof(k));
	if (DB_RUN("auth_key_init", bytea) == -1)
		return -1;
	sodium_memzero(bytea, sizeof(bytea));
	if ((r = db_exec("auth_key_get", 0, NULL)) == NULL)
		return -1;
	if (PQntuples(r) != 1 || sodium_hex2bin(k, sizeof(k), db_get(r, 0,
	    "hex"), 64, NULL, &len, NULL) != 0 || len != sizeof(k)) {
		PQclear(r);
		return -1;
	}
	PQclear(r);
	auth_set_key(k);
	sodium_memzero(k, sizeof(k));
	return 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
auth_load_common(const char *path)
{
	char line[300];
	size_t cap = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (ncommon == cap) {
			cap = cap ? cap * 2 : 1024;
			common = xrealloc(common, cap * sizeof(*common));
		}
		common[ncommon++] = xstrdup(line);
	}
	fclose(f);
	qsort(common, ncommon, sizeof(*common), cmpstr);
	return 0;
}

const char *
auth_password_problem(const char *pw, const char *username)
{
	char lower[260];
	size_t len, i;
	const char *p = lower;

	len = strlen(pw);
	if (len < 8)
		return N_("Use at least 8 characters.");
	if (len > 256)
		return N_("Use at most 256 characters.");
	for (i = 0; i <= len; i++)
		lower[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ?
		    pw[i] - 'A' + 'a' : pw[i]);
	if (bsearch(&p, common, ncommon, sizeof(*common), cmpstr) != NULL)
		return N_("This password is too common. Choose a less "
		    "obvious one; a short sentence works well.");
	if (username != NULL && strcasecmp(pw, username) == 0)
		return N_("The password must not be your name.");
	return NULL;
}

/* Take a hashing slot, waiting at most two seconds. */
static int
slot_take(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	while (sem_timedwait(hash_slots, &ts) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

enum auth_pw
auth_hash(const char *pw, char out[AUTH_HASH_LEN])
{
	int rc;

	if (slot_take() == -1)
		return AUTH_PW_BUSY;
	rc = crypto_pwhash_str(out, pw, strlen(pw), hash_ops, hash_mem);
	sem_post(hash_slots);
	return rc == 0 ? AUTH_PW_OK : AUTH_PW_BUSY;
}

enum auth_pw
auth_verify(const char *hash, const char *pw, int *rehash)
{
	int rc;

	*rehash = 0;
	if (slot_take() == -1)
		return AUTH_PW_BUSY;
	rc = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw,
	    strlen(pw));
	sem_post(hash_slots);
	if (hash == NULL || rc != 0)
		return AUTH_PW_BAD;
	*rehash = crypto_pwhash_str_needs_rehash(hash, hash_ops,
	    hash_mem) != 0;
	return AUTH_PW_OK;
}

void
auth_new_token(char out[AUTH_TOKEN_LEN + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

const char *
auth_form_key(struct request *req)
{
	char tok[AUTH_TOKEN_LEN + 1];

	auth_new_token(tok);
	return arena_strdup(req->arena, tok);
}

static void
keyed(const char *domain, const char *s, unsigned char out[32])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, key, sizeof(key), 32);
	crypto_generichash_update(&st, (const unsigned char *)domain,
	    strlen(domain) + 1);
	crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
	crypto_generichash_final(&st, out, 32);
}

void
auth_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	keyed("session", token, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int
auth_token_shape_ok(const char *t)
{
	size_t i;

	for (i = 0; t[i] != '\0'; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' &&
		    t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9') ||
		    t[i] == '-' || t[i] == '_'))
			return 0;
	return i == AUTH_TOKEN_LEN;
}

/*
 * Sessions read a moment ago, kept for SESSION_KEEP_MS in the worker
 * that read them: a reader's next pages cost no query but their own.
 * Only while nothing was written (the caches' generation, notify.h): a
 * sign-out, a new password, a suspension or a change of role on any node
 * ends every copy at once (migration 0030 notifies deletions of sessions
 * and changes of suspensions); the counts in the header (notifications,
 * messages, queue) are at most that old.  A copy read for a form sent
 * has no counts (u->counted 0); page_vars reads them if it needs them.
 */
#define SESSION_KEEP_MS	1000
#define SESSION_NAMELEN	256

struct kept_session {
	struct user	user;		/* its name below */
	char		name[SESSION_NAMELEN];
	char		gov[16];	/* a partner's governorate, or "" */
};

/* The user of a session kept, a copy in req's arena, or NULL. */
static struct user *
session_kept(struct request *req, const char *hash)
{
	struct kept_session k;
	struct user *u;

	if (!cache_value_get(arena_printf(req->arena, "session|%s", hash),
	    notify_gen(NOTIFY_CACHE), &k, sizeof(k)))
		return NULL;
	u = arena_alloc(req->arena, sizeof(*u));
	*u = k.user;
	u->name = arena_strdup(req->arena, k.name);
	u->governorate = k.gov[0] != '\0' ? arena_strdup(req->arena,
	    k.gov) : NULL;
	return u;
}

static void
session_keep(struct request *req, const char *hash, const struct user *u,
    unsigned long gen)
{
	struct kept_session k;

	if (strlen(u->name) >= SESSION_NAMELEN || (u->governorate != NULL &&
	    strlen(u->governorate) >= sizeof(k.gov)))
		return;
	memset(&k, 0, sizeof(k));
	k.user = *u;
	k.user.name = NULL;
	k.user.governorate = NULL;
	snprintf(k.name, sizeof(k.name), "%s", u->name);
	if (u->governorate != NULL)
		snprintf(k.gov, sizeof(k.gov), "%s", u->governorate);
	cache_value_put(arena_printf(req->arena, "session|%s", hash), gen,
	    SESSION_KEEP_MS, &k, sizeof(k));
}

/* A session's user read from the database: 1 and *up, 0 when there is
 * none, -1 when the database is away. */
static int
session_read(struct request *req, const char *hash, struct user **up)
{
	unsigned long gen = notify_gen(NOTIFY_CACHE);
	char idle[16];
	struct user *u;
	PGresult *r;
	enum lang l;
	int counted;

	snprintf(idle, sizeof(idle), "%d", conf->session_idle);
	counted = req->method == M_GET || req->method == M_HEAD;
	if ((r = DB_Q(req, counted ? "auth_session_get" :
	    "auth_session_get_bare", hash, idle)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	u = arena_alloc(req->arena, sizeof(*u));
	memset(u, 0, sizeof(*u));
	u->id = db_get_ll(r, 0, "id");
	u->name = db_get(r, 0, "username");
	for (int i = ROLE_RETURNEE; i < ROLE__MAX; i++)
		if (strcmp(db_get(r, 0, "role"), role_names[i]) == 0)
			u->role = (enum role)i;
	if (i18n_from_tag(db_get(r, 0, "lang"), &l) == 0) {
		u->has_lang = 1;
		u->lang = l;
	}
	u->enterprise_id = db_get_ll(r, 0, "enterprise_id");
	if (*db_get(r, 0, "governorate") != '\0')
		u->governorate = db_get(r, 0, "governorate");
	u->session_id = db_get_ll(r, 0, "session_id");
	if ((u->counted = counted)) {
		u->unread = db_get_ll(r, 0, "unread");
		u->queue = db_get_ll(r, 0, "queue");
		u->messages = db_get_ll(r, 0, "messages");
	}
	u->welcome = db_get_bool(r, 0, "welcome");
	if (db_get_bool(r, 0, "stale"))
		DB_RUN("auth_session_touch", db_get(r, 0, "session_id"));
	else
		session_keep(req, hash, u, gen);
	*up = u;
	return 1;
}

int
auth_session_load(struct request *req)
{
	const char *tok;
	char hash[65];
	struct user *u;
	int rc;

	if ((tok = request_cookie(req, COOKIE_SESSION)) == NULL ||
	    !auth_token_shape_ok(tok))
		return 0;
	auth_token_hash(tok, hash);
	if ((u = session_kept(req, hash)) == NULL &&
	    (rc = session_read(req, hash, &u)) != 1) {
		/* A dead cookie: clear it so the browser stops sending it. */
		if (rc == 0)
			request_set_cookie(req, SESSION_COOKIE, "", 0);
		return rc;
	}
	if (u->role == ROLE_NONE)
		return 0;
	if (u->has_lang)
		req->lang = u->lang;
	req->user = u;
	req->session_token = arena_strdup(req->arena, tok);
	req->personal = 1;
	return 0;
}

int
auth_session_start(struct request *req, long long user_id)
{
	char tok[AUTH_TOKEN_LEN + 1], hash[65], id[24], life[16];

	/* Whatever session came with the request dies: no fixation. */
	if (req->session_token != NULL)
		auth_session_end(req);
	auth_new_token(tok);
	auth_token_hash(tok, hash);
	snprintf(id, sizeof(id), "%lld", user_id);
	snprintf(life, sizeof(life), "%d", conf->session_lifetime);
	if (DB_RUN("auth_session_new", id, hash, life) == -1)
		return -1;
	request_set_cookie(req, SESSION_COOKIE, arena_strdup(req->arena, tok),
	    conf->session_lifetime);
	req->session_token = arena_strdup(req->arena, tok);
	sodium_memzero(tok, sizeof(tok));
	/* Occasional clean-up of expired rows. */
	if (randombytes_uniform(100) == 0) {
		DB_RUN("auth_session_gc");
		DB_RUN("auth_rate_gc");
		DB_RUN("auth_device_gc");
	}
	return 0;
}

int
auth_session_end(struct request *req)
{
	char hash[65];

	if (req->session_token == NULL)
		return 0;
	auth_token_hash(req->session_token, hash);
	request_set_cookie(req, SESSION_COOKIE, "", 0);
	req->session_token = NULL;
	return DB_RUN("auth_session_del", hash);
}

int
auth_sessions_end_all(long long user_id)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", user_id);
	/* A new password, a suspension, a deletion: the browsers known
	 * to the account are forgotten with its sessions. */
	if (DB_RUN("auth_device_del_user", id) == -1)
		return -1;
	return DB_RUN("auth_session_del_user", id);
}

static void
device_hash(const char *token, char out[65])
{
	unsigned char h[32];

	keyed("device", token, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int
auth_device_known(struct request *req, long long user_id)
{
	const char *tok;
	char hash[65], id[24];
	PGresult *r;

	if ((tok = request_cookie(req, COOKIE_DEVICE)) == NULL ||
	    !auth_token_shape_ok(tok))
		return 0;
	device_hash(tok, hash);
	snprintf(id, sizeof(id), "%lld", user_id);
	if ((r = DB_Q(req, "auth_device_get", hash, id)) == NULL)
		return -1;
	return PQntuples(r) == 1;
}

int
auth_device_remember(struct request *req, long long user_id)
{
	char tok[AUTH_TOKEN_LEN + 1], hash[65], id[24];

	auth_new_token(tok);
	device_hash(tok, hash);
	snprintf(id, sizeof(id), "%lld", user_id);
	if (DB_RUN("auth_device_new", hash, id) == -1)
		return -1;
	request_set_cookie(req, request_cookie_names[COOKIE_DEVICE],
	    arena_strdup(req->arena, tok), DEVICE_LIFETIME);
	sodium_memzero(tok, sizeof(tok));
	return 0;
}

void
auth_csrf_prepare(struct request *req)
{
	unsigned char h[32];
	char tok[AUTH_TOKEN_LEN + 1];
	const char *c;

	if (req->csrf[0] != '\0')
		return;		/* once per request: one cookie at most */
	if (req->session_token != NULL) {
		keyed("csrf-session", req->session_token, h);
	} else {
		c = request_cookie(req, COOKIE_CSRF);
		if (c == NULL || !auth_token_shape_ok(c)) {
			auth_new_token(tok);
			c = arena_strdup(req->arena, tok);
			request_set_cookie(req, CSRF_COOKIE, c, 86400 * 30);
			req->new_csrf_cookie = c;
		}
		req->csrf_cookie = c;
		keyed("csrf-anon", c, h);
	}
	sodium_bin2hex(req->csrf, sizeof(req->csrf), h, sizeof(h));
}

/* Origin (or Sec-Fetch-Site) must say the form came from this site. */
static int
same_origin(struct request *req)
{
	const char *origin, *host, *site, *p;

	if ((site = request_header(req, "Sec-Fetch-Site")) != NULL &&
	    strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	if ((origin = request_header(req, "Origin")) == NULL)
		return 1;
	if ((host = request_header(req, "Host")) == NULL)
		return 0;
	if ((p = strstr(origin, "://")) == NULL)
		return 0;
	return strcmp(p + 3, host) == 0;
}

int
auth_csrf_check(struct request *req)
{
	const char *sent = NULL;

	if (!same_origin(req))
		return -1;
	sent = request_field(req, "csrf");
	if (sent == NULL || strlen(sent) != 64)
		return -1;
	return sodium_memcmp(sent, req->csrf, 64) == 0 ? 0 : -1;
}

int
auth_rate(const char *k, int window, int max)
{
	char w[16];
	PGresult *r;
	long long n;

	snprintf(w, sizeof(w), "%d", window);
	if ((r = DB_EXEC("auth_rate_hit", k, w)) == NULL)
		return -1;
	n = db_get_ll(r, 0, "count");
	PQclear(r);
	return n <= max;
}
