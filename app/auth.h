/*
 * Passwords, sessions, CSRF tokens and rate limits.  The database keeps
 * only keyed hashes of tokens; the keys live in the database too, so every
 * node behind a load balancer agrees on them.
 */
#ifndef MAGNET_AUTH_H
#define MAGNET_AUTH_H

#include <stddef.h>

#include <sodium.h>

struct conf;
struct request;

#define AUTH_TOKEN_LEN	43	/* base64url of 32 bytes, no padding */
#define AUTH_HASH_LEN	crypto_pwhash_STRBYTES

enum auth_pw { AUTH_PW_OK, AUTH_PW_BAD, AUTH_PW_BUSY };

/* Call once in each process that hashes or checks tokens. */
int	 auth_init(const struct conf *);
/* Load the common-password list (one per line); missing file: -1. */
int	 auth_load_common(const char *path);
/* Secrets: set from the database at start (or by tests). */
void	 auth_set_key(const unsigned char key[32]);
int	 auth_load_key(void);

/* NULL when acceptable, else the msgid of the problem. */
const char *auth_password_problem(const char *pw, const char *username);
/* Argon2id; AUTH_PW_BUSY when every hashing slot stayed taken. */
enum auth_pw auth_hash(const char *pw, char out[AUTH_HASH_LEN]);
/* Check pw against a stored hash (or a dummy one when hash is NULL, so
 * unknown names take as long as known ones); *rehash set when the stored
 * hash uses weaker parameters than today's. */
enum auth_pw auth_verify(const char *hash, const char *pw, int *rehash);

void	 auth_new_token(char out[AUTH_TOKEN_LEN + 1]);
/* A fresh idempotency key for a form, in the request's arena. */
const char *auth_form_key(struct request *);
/* Keyed hash of a token, as stored in sessions.token_hash (hex, 64). */
void	 auth_token_hash(const char *token, char out[65]);
/* Whether a cookie's value has a token's shape (length, alphabet). */
int	 auth_token_shape_ok(const char *);

/* Look up the session cookie: 0 (req->user may stay NULL) or -1 when the
 * database is down. */
int	 auth_session_load(struct request *);
/* New session for the user: sets the cookie. 0 or -1. */
int	 auth_session_start(struct request *, long long user_id);
/* End this request's session (logout). */
int	 auth_session_end(struct request *);
/* End every session of a user (suspension, password change). */
int	 auth_sessions_end_all(long long user_id);

/* Compute req->csrf, setting the anonymous CSRF cookie if needed. */
void	 auth_csrf_prepare(struct request *);
/* 0 when the form's token and the request's origin are right. */
int	 auth_csrf_check(struct request *);

/* Count one event against key in a window of seconds; 1 allowed, 0 over
 * the limit, -1 database down. */
int	 auth_rate(const char *key, int window, int max);
/*
 * Browsers an account signed in from: the device cookie names one, for
 * one account.  A sign-in from it passes the per-account limit, which
 * attempts from elsewhere may have used up (user_login).  known: 1 or 0,
 * -1 when the database failed; remember: a new cookie, 0 or -1.
 */
#define DEVICE_LIFETIME	(365 * 86400)
int	 auth_device_known(struct request *, long long user_id);
int	 auth_device_remember(struct request *, long long user_id);

#endif
