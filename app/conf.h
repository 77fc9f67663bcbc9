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
	int	workers;		/* Kore workers; 0: one per core */
	int	threads;		/* request threads of a node in all */
	int	max_connections;	/* of a node in all */
	int	max_per_ip;
	int	header_timeout;		/* seconds for the request's headers */
	int	body_timeout;		/* seconds for its body */
	int	keepalive_timeout;	/* seconds an idle connection stays */
	int	keepalive_requests;	/* requests on one connection */
	int	connection_memory;	/* bytes of the request line, headers */
	int	max_body;		/* bytes of a request body */
	char	user[64];		/* Kore's runas, when started as root */
	char	chroot[1024];		/* workers' root; empty: none */
	char	tls_certificate[1024];	/* PEM chain; empty: plain HTTP */
	char	tls_key[1024];
	char	tls_dhparam[1024];	/* PEM DH parameters (Kore needs them) */
	int	seccomp_tracing;	/* log a refused system call's name */
	char	pidfile[1024];		/* Kore's; default var/magnet-PORT.pid */
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
	int	part_ms;		/* shared parts of pages; 0: off */
	int	debug;
	/* mail (app/mail.c) */
	char	mail_from[256];		/* the From address */
	char	mail_from_name[128];	/* its display name */
	char	mail_dir[1024];		/* .eml files when no relay */
	char	smtp_host[256];		/* the relay; empty: mail_dir */
	int	smtp_port;
	char	smtp_tls[16];		/* starttls, tls or off */
	char	smtp_user[256];
	char	smtp_password[256];
	char	smtp_password_file[1024];
	int	mail_sender;		/* this node sends the outbox */
	int	mail_per_hour;		/* mails to one address an hour */
	int	mail_lease;		/* seconds a claimed mail is held */
	int	mail_retry_min;		/* seconds before the first retry */
	int	mail_retry_for;		/* seconds before giving up */
	int	mail_digest_hour;	/* Baghdad hour of the digest; -1 */
};

/* The configuration the server runs with, once conf_activate has been
 * called (at start, before any request). */
const struct conf *conf_active(void);
void	conf_activate(const struct conf *);

/* Defaults, then the file (path or NULL for none), then the environment. */
/* make run's database, for the commands run beside it (db/run.sh). */
#define CONF_RUN_DB	"var/run.db"
int	conf_load(struct conf *, const char *path, char *err, size_t errlen);
/* Parse one "key = value" text (a whole file's bytes); for tests. */
int	conf_parse(struct conf *, const char *text, const char *name,
	    char *err, size_t errlen);
void	conf_defaults(struct conf *);
int	conf_set(struct conf *, const char *key, const char *value,
	    char *err, size_t errlen);

#endif
