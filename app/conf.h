/*
 * Configuration: conf/magnet.conf, then the environment (MAGNET_LISTEN,
 * MAGNET_DB), validated once at start-up.  A bad value stops the server
 * with a message that names the setting; nothing is guessed.
 */
#ifndef MAGNET_CONF_H
#define MAGNET_CONF_H

#include <stddef.h>

struct conf {
	char	listen_host[256];
	int	listen_port;
	char	db[1024];
	int	threads;
	int	max_connections;
	int	max_per_ip;
	int	connection_timeout;	/* seconds */
	int	connection_memory;	/* bytes per connection (headers) */
	int	max_body;		/* bytes of a request body */
	char	user[64];		/* drop to this user when started as root */
	char	assets[1024];
	char	locale_dir[1024];
	char	migrations[1024];
	char	access_log[1024];	/* empty: stderr */
	char	error_log[1024];	/* empty: stderr */
	int	session_idle;		/* seconds */
	int	session_lifetime;	/* seconds */
	int	hash_concurrency;	/* 0: number of cores */
	int	weak_password_hash;	/* tests only: Argon2id at its least */
	int	secure_cookies;		/* served over TLS by a proxy */
	int	trust_proxy;		/* believe X-Forwarded-For */
	int	login_per_ip;		/* attempts per 5 minutes */
	int	login_per_account;	/* attempts per 5 minutes */
	int	register_per_ip;	/* accounts per day */
	int	db_connect_timeout;	/* seconds */
	int	db_statement_timeout;	/* milliseconds */
	int	md_workers;
	int	md_timeout_ms;
	char	base_url[512];		/* absolute links in feeds */
	int	post_interval;		/* seconds between posts */
	int	cache_ms;		/* visitors' micro-cache; 0: off */
	int	debug;
};

/* Defaults, then the file (path or NULL for none), then the environment. */
int	conf_load(struct conf *, const char *path, char *err, size_t errlen);
/* Parse one "key = value" text (a whole file's bytes); for tests. */
int	conf_parse(struct conf *, const char *text, const char *name,
	    char *err, size_t errlen);
void	conf_defaults(struct conf *);
int	conf_set(struct conf *, const char *key, const char *value,
	    char *err, size_t errlen);

#endif
