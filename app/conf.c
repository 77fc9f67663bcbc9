/*
 * The settings table: every setting has a type, a range and a one-line
 * description; the parser, the validator and the error messages all come
 * from the same table so they cannot disagree.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"

enum ctype { C_INT, C_BOOL, C_STR, C_LISTEN, C_TIMEOUTS };

struct setting {
	const char	*key;
	enum ctype	 type;
	size_t		 off;
	size_t		 size;		/* for strings */
	long		 min, max;	/* for numbers */
};

#define S(k, f)		{ k, C_STR, offsetof(struct conf, f), \
			    sizeof(((struct conf *)0)->f), 0, 0 }
#define I(k, f, lo, hi)	{ k, C_INT, offsetof(struct conf, f), 0, lo, hi }
#define B(k, f)		{ k, C_BOOL, offsetof(struct conf, f), 0, 0, 1 }

static const struct setting settings[] = {
	{ "listen", C_LISTEN, 0, 0, 0, 0 },
	S("db", db),
	I("workers", workers, 0, 64),
	I("threads", threads, 1, 256),
	I("max_connections", max_connections, 16, 100000),
	I("max_per_ip", max_per_ip, 1, 10000),
	I("header_timeout", header_timeout, 1, 3600),
	I("body_timeout", body_timeout, 1, 3600),
	I("keepalive_timeout", keepalive_timeout, 1, 3600),
	I("keepalive_requests", keepalive_requests, 1, 1000000),
	/* Before Kore: one timeout for all three. */
	{ "connection_timeout", C_TIMEOUTS, 0, 0, 1, 3600 },
	/* Kore keeps the request line and headers in a buffer of at most
	 * 65535 bytes (http_header_max is 16 bits). */
	I("connection_memory", connection_memory, 1024, 65535),
	I("max_body", max_body, 1024, 67108864),
	S("user", user),
	S("chroot", chroot),
	S("tls_certificate", tls_certificate),
	S("tls_key", tls_key),
	S("tls_dhparam", tls_dhparam),
	B("seccomp_tracing", seccomp_tracing),
	S("pidfile", pidfile),
	S("assets", assets),
	S("locale_dir", locale_dir),
	S("migrations", migrations),
	S("access_log", access_log),
	S("error_log", error_log),
	I("session_idle", session_idle, 60, 31536000),
	I("session_lifetime", session_lifetime, 60, 31536000),
	I("hash_concurrency", hash_concurrency, 0, 64),
	B("weak_password_hash", weak_password_hash),
	B("secure_cookies", secure_cookies),
	B("trust_proxy", trust_proxy),
	I("login_per_ip", login_per_ip, 1, 100000),
	I("login_per_account", login_per_account, 1, 100000),
	I("register_per_ip", register_per_ip, 1, 100000),
	I("db_connect_timeout", db_connect_timeout, 1, 60),
	I("db_statement_timeout", db_statement_timeout, 100, 600000),
	I("md_workers", md_workers, 1, 64),
	I("md_timeout_ms", md_timeout_ms, 100, 60000),
	S("base_url", base_url),
	I("post_interval", post_interval, 0, 3600),
	I("cache_ms", cache_ms, 0, 60000),
	I("part_ms", part_ms, 0, 600000),
	B("debug", debug),
	S("mail_from", mail_from),
	S("mail_from_name", mail_from_name),
	S("mail_dir", mail_dir),
	S("smtp_host", smtp_host),
	I("smtp_port", smtp_port, 1, 65535),
	S("smtp_tls", smtp_tls),
	S("smtp_user", smtp_user),
	S("smtp_password", smtp_password),
	S("smtp_password_file", smtp_password_file),
	B("mail_sender", mail_sender),
	I("mail_per_hour", mail_per_hour, 1, 100000),
	I("mail_lease", mail_lease, 1, 3600),
	I("mail_retry_min", mail_retry_min, 1, 3600),
	I("mail_retry_for", mail_retry_for, 60, 604800),
	I("mail_digest_hour", mail_digest_hour, -1, 23),
};

static const struct conf *active;

const struct conf *
conf_active(void)
{
	return active;
}

void
conf_activate(const struct conf *c)
{
	active = c;
}

void
conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->listen_host, "127.0.0.1");
	c->listen_port = 8080;
	strcpy(c->db, "dbname=magnet");
	c->threads = 8;
	c->max_connections = 1024;
	c->max_per_ip = 32;
	c->header_timeout = 10;
	c->body_timeout = 10;
	c->keepalive_timeout = 10;
	c->keepalive_requests = 1000;
	c->connection_memory = 8192;
	c->max_body = 262144;
	strcpy(c->user, "nobody");
	strcpy(c->tls_dhparam, "conf/ffdhe2048.pem");
	strcpy(c->assets, "assets");
	strcpy(c->locale_dir, "build/locale");
	strcpy(c->migrations, "db/migrations");
	c->session_idle = 7 * 86400;
	c->session_lifetime = 30 * 86400;
	c->login_per_ip = 20;
	c->login_per_account = 10;
	c->register_per_ip = 3;
	c->db_connect_timeout = 2;
	c->db_statement_timeout = 5000;
	c->md_workers = 2;
	c->md_timeout_ms = 2000;
	c->post_interval = 5;
	c->cache_ms = 1000;
	c->part_ms = 60000;
	strcpy(c->mail_from, "magnet@localhost");
	strcpy(c->mail_from_name, "Magnet");
	strcpy(c->mail_dir, "var/mail");
	c->smtp_port = 587;
	strcpy(c->smtp_tls, "starttls");
	c->mail_sender = 1;
	c->mail_per_hour = 20;
	c->mail_lease = 120;
	c->mail_retry_min = 60;
	c->mail_retry_for = 86400;
	c->mail_digest_hour = 18;
}

/* The mail settings that go into headers: one line, an address's shape. */
static int
mail_check(const struct conf *c, char *err, size_t errlen)
{
	const char *at = strchr(c->mail_from, '@');

	if (at == NULL || at == c->mail_from || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL ||
	    strpbrk(c->mail_from, " \t\r\n<>()[],;:\"\\") != NULL) {
		snprintf(err, errlen, "mail_from: \"%s\" is not an address "
		    "like magnet@example.org", c->mail_from);
		return -1;
	}
	if (strpbrk(c->mail_from_name, "\r\n") != NULL ||
	    strpbrk(c->smtp_host, " \t\r\n/@") != NULL) {
		snprintf(err, errlen, "mail_from_name, smtp_host: one line, "
		    "a host name without spaces");
		return -1;
	}
	if (strcmp(c->smtp_tls, "starttls") != 0 &&
	    strcmp(c->smtp_tls, "tls") != 0 && strcmp(c->smtp_tls, "off") != 0) {
		snprintf(err, errlen, "smtp_tls: \"%s\" is not starttls, tls "
		    "or off", c->smtp_tls);
		return -1;
	}
	if (c->smtp_password[0] != '\0' && c->smtp_password_file[0] != '\0') {
		snprintf(err, errlen, "smtp_password and smtp_password_file: "
		    "give one or neither");
		return -1;
	}
	if (c->mail_dir[0] == '\0') {
		snprintf(err, errlen, "mail_dir: empty");
		return -1;
	}
	return 0;
}

static int
parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* "host:port", "[v6]:port" or ":port". */
static int
parse_listen(struct conf *c, const char *v)
{
	const char *colon, *host;
	size_t hlen;
	long port;

	if ((colon = strrchr(v, ':')) == NULL)
		return -1;
	if (parse_long(colon + 1, &port) == -1 || port < 1 || port > 65535)
		return -1;
	host = v;
	hlen = (size_t)(colon - v);
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		host++;
		hlen -= 2;
	}
	if (hlen == 0) {
		host = "0.0.0.0";
		hlen = strlen(host);
	}
	if (hlen >= sizeof(c->listen_host))
		return -1;
	memcpy(c->listen_host, host, hlen);
	c->listen_host[hlen] = '\0';
	c->listen_port = (int)port;
	return 0;
}

int
conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	const struct setting *s;
	size_t i;
	long v;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		s = &settings[i];
		if (strcmp(s->key, key) != 0)
			continue;
		switch (s->type) {
		case C_LISTEN:
			if (parse_listen(c, value) == -1) {
				snprintf(err, errlen, "listen: \"%s\" is not "
				    "host:port with a port from 1 to 65535",
				    value);
				return -1;
			}
			return 0;
		case C_STR:
			if (strlen(value) >= s->size) {
				snprintf(err, errlen, "%s: longer than %zu "
				    "bytes", key, s->size - 1);
				return -1;
			}
			strcpy((char *)c + s->off, value);
			return 0;
		case C_BOOL:
			if (strcmp(value, "on") == 0 ||
			    strcmp(value, "yes") == 0 ||
			    strcmp(value, "1") == 0)
				v = 1;
			else if (strcmp(value, "off") == 0 ||
			    strcmp(value, "no") == 0 ||
			    strcmp(value, "0") == 0)
				v = 0;
			else {
				snprintf(err, errlen, "%s: \"%s\" is not on "
				    "or off", key, value);
				return -1;
			}
			*(int *)(void *)((char *)c + s->off) = (int)v;
			return 0;
		case C_INT:
		case C_TIMEOUTS:
			if (parse_long(value, &v) == -1 || v < s->min ||
			    v > s->max) {
				snprintf(err, errlen, "%s: \"%s\" is not a "
				    "whole number from %ld to %ld", key, value,
				    s->min, s->max);
				return -1;
			}
			if (s->type == C_TIMEOUTS)
				c->header_timeout = c->body_timeout =
				    c->keepalive_timeout = (int)v;
			else
				*(int *)(void *)((char *)c + s->off) = (int)v;
			return 0;
		}
	}
	snprintf(err, errlen, "%s: unknown setting", key);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
conf_parse(struct conf *c, const char *text, const char *name, char *err,
    size_t errlen)
{
	char line[2048], msg[1200], *key, *value, *eq;
	const char *p, *nl;
	size_t len;
	int lineno = 0;

	for (p = text; *p != '\0'; p = nl + (*nl != '\0')) {
		lineno++;
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "%s:%d: line too long", name,
			    lineno);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		key = trim(line);
		if (*key == '#' || *key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected \"name = value\"",
			    name, lineno);
			return -1;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		if (conf_set(c, key, value, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, msg);
			return -1;
		}
	}
	return 0;
}

int
conf_load(struct conf *c, const char *path, char *err, size_t errlen)
{
	struct buf b;
	char chunk[4096], msg[1200];
	const char *env;
	FILE *f;
	size_t n;
	int rc;

	conf_defaults(c);
	if (path != NULL) {
		if ((f = fopen(path, "r")) == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		buf_init(&b);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			if (memchr(chunk, '\0', n) != NULL) {
				fclose(f);
				buf_free(&b);
				snprintf(err, errlen, "%s: not a text file",
				    path);
				return -1;
			}
			buf_append(&b, chunk, n);
		}
		fclose(f);
		rc = conf_parse(c, b.p ? b.p : "", path, err, errlen);
		buf_free(&b);
		if (rc == -1)
			return -1;
	}
	if ((env = getenv("MAGNET_LISTEN")) != NULL &&
	    conf_set(c, "listen", env, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "MAGNET_LISTEN: %s", msg);
		return -1;
	}
	if ((env = getenv("MAGNET_DB")) != NULL &&
	    conf_set(c, "db", env, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "MAGNET_DB: %s", msg);
		return -1;
	}
	/* Beside `make run` (db/run.sh writes CONF_RUN_DB while it runs),
	 * `build/magnet user add` and the other commands find its private
	 * database by themselves; MAGNET_DB or MAGNET_CONF overrides. */
	if (env == NULL && getenv("MAGNET_CONF") == NULL &&
	    (f = fopen(CONF_RUN_DB, "r")) != NULL) {
		if (fgets(chunk, sizeof(chunk), f) != NULL) {
			chunk[strcspn(chunk, "\r\n")] = '\0';
			if (conf_set(c, "db", chunk, msg, sizeof(msg)) == -1) {
				fclose(f);
				snprintf(err, errlen, "%s: %s", CONF_RUN_DB,
				    msg);
				return -1;
			}
		}
		fclose(f);
	}
	if (c->base_url[0] == '\0')
		snprintf(c->base_url, sizeof(c->base_url), "%s://%s%s%s:%d",
		    c->tls_certificate[0] != '\0' ? "https" : "http",
		    strchr(c->listen_host, ':') ? "[" : "", c->listen_host,
		    strchr(c->listen_host, ':') ? "]" : "", c->listen_port);
	while (strlen(c->base_url) > 8 &&
	    c->base_url[strlen(c->base_url) - 1] == '/')
		c->base_url[strlen(c->base_url) - 1] = '\0';
	if (strncmp(c->base_url, "http://", 7) != 0 &&
	    strncmp(c->base_url, "https://", 8) != 0) {
		snprintf(err, errlen, "base_url: \"%s\" does not start with "
		    "http:// or https://", c->base_url);
		return -1;
	}
	/* Served over TLS: cookies are Secure (and __Host-), pages HSTS. */
	if (c->tls_certificate[0] != '\0')
		c->secure_cookies = 1;
	if (c->pidfile[0] == '\0')
		snprintf(c->pidfile, sizeof(c->pidfile), "var/magnet-%d.pid",
		    c->listen_port);
	if ((c->tls_certificate[0] == '\0') != (c->tls_key[0] == '\0')) {
		snprintf(err, errlen, "tls_certificate and tls_key: give both "
		    "or neither");
		return -1;
	}
	return mail_check(c, err, errlen);
}
