/*
 * libmicrohttpd glue.  This file owns the daemon, the life of a request
 * (arena, body cap, dispatch, completion), the response headers every
 * page carries, compression and ETags, and the page layout.  Handlers
 * never see libmicrohttpd.
 */
#include <sys/socket.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>
#include <zlib.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "http.h"
#include "i18n.h"
#include "log.h"
#include "notify.h"
#include "param.h"
#include "route.h"
#include "tmpl.h"

const char *const role_names[ROLE__MAX] = {
	"visitor", "returnee", "employer", "moderator", "admin"
};

const char *
http_role_label(struct request *req, const char *role)
{
	if (strcmp(role, "returnee") == 0)
		return T(req, "Returnee");
	if (strcmp(role, "employer") == 0)
		return T(req, "Employer");
	if (strcmp(role, "admin") == 0)
		return T(req, "Administrator");
	return T(req, "Counsellor");
}

static const struct conf *conf;
static struct MHD_Daemon *daemon_;

/* The stylesheet, read once and served under a content-hashed name. */
static struct {
	char	*data;
	size_t	 len;
	char	*gz;
	size_t	 gzlen;
	char	 path[64];	/* /static/magnet-<hash>.css */
} css;

#define CSP	"default-src 'none'; style-src 'self'; img-src 'self' data:; " \
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; " \
		"object-src 'none'"

const struct conf *
http_conf(void)
{
	return conf;
}

const char *
http_static_css(void)
{
	return css.path;
}

/* gzip with zlib; -1 when it would not help. */
static int
gzip_buf(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream z;
	size_t cap;
	char *p;

	memset(&z, 0, sizeof(z));
	/* Level 1: a 31 KB page in 0.2 ms instead of 0.7 ms at level 5,
	 * for a few per cent more bytes. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&z, len);
	p = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)p;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out >= len) {
		deflateEnd(&z);
		free(p);
		return -1;
	}
	*outlen = z.total_out;
	*out = p;
	deflateEnd(&z);
	return 0;
}

static int
load_css(const char *assets)
{
	unsigned char h[8];
	char path[1100], hex[17];
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/css/magnet.css", assets);
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	css.data = buf_release(&b, &css.len);
	crypto_generichash(h, sizeof(h), (unsigned char *)css.data, css.len,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(css.path, sizeof(css.path), "/static/magnet-%s.css", hex);
	if (gzip_buf(css.data, css.len, &css.gz, &css.gzlen) == -1)
		css.gz = NULL;
	return 0;
}

int
http_static(struct request *req)
{
	if (req->slug == NULL || strcmp(req->path, css.path) != 0)
		return http_error(req, 404, N_("Page not found"));
	buf_append(&req->out, css.data, css.len);
	req->content_type = "text/css; charset=utf-8";
	req->cache_forever = 1;
	return 200;
}

void
http_header(struct request *req, const char *name, const char *value)
{
	if (req->nhdrs == HTTP_MAXHDRS) {
		log_warnx("%s: too many headers", __func__);
		return;
	}
	req->hdrs[req->nhdrs].name = name;
	req->hdrs[req->nhdrs].value = value;
	req->nhdrs++;
}

void
http_cookie(struct request *req, const char *name, const char *value,
    int max_age)
{
	http_header(req, MHD_HTTP_HEADER_SET_COOKIE,
	    arena_printf(req->arena, "%s%s=%s; Path=/; HttpOnly; SameSite=Lax"
	    "%s; Max-Age=%d", conf->secure_cookies ? "__Host-" : "", name,
	    value, conf->secure_cookies ? "; Secure" : "", max_age));
	req->personal = 1;
}

const char *
http_get_header(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
http_get_cookie(struct request *req, const char *name)
{
	const char *full;

	if (!conf->secure_cookies)
		return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND,
		    name);
	full = arena_printf(req->arena, "__Host-%s", name);
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, full);
}

const char *
http_query(struct request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn,
	    MHD_GET_ARGUMENT_KIND, name);
}

int
http_local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f)
			return 0;
	return 1;
}

int
http_redirect(struct request *req, const char *location)
{
	if (!http_local_path(location))
		location = "/";
	http_header(req, MHD_HTTP_HEADER_LOCATION, location);
	buf_reset(&req->out);
	req->content_type = "text/plain; charset=utf-8";
	return 303;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one urlencoded component into the arena; -1 on a bad escape. */
static int
urldecode(struct arena *a, const char *s, size_t n, const char **out,
    size_t *outlen)
{
	char *d, *o;
	size_t i;
	int h, l;

	d = o = arena_alloc(a, n + 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '+')
			*o++ = ' ';
		else if (s[i] == '%') {
			if (i + 2 >= n)
				return -1;
			if ((h = hexval((unsigned char)s[i + 1])) == -1 ||
			    (l = hexval((unsigned char)s[i + 2])) == -1)
				return -1;
			*o++ = (char)(h << 4 | l);
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	*out = d;
	*outlen = (size_t)(o - d);
	return 0;
}

int
http_parse_form(struct arena *a, const char *body, size_t len,
    struct kv *fields, size_t max, size_t *n)
{
	const char *p = body, *end = body + len, *amp, *eq;
	size_t klen;

	*n = 0;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (*n == max)
			return -1;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (urldecode(a, p, (size_t)(eq - p), &fields[*n].key,
		    &klen) == -1)
			return -1;
		if (eq == amp) {
			fields[*n].val = "";
			fields[*n].len = 0;
		} else if (urldecode(a, eq + 1, (size_t)(amp - eq - 1),
		    &fields[*n].val, &fields[*n].len) == -1)
			return -1;
		/* A key with a NUL or bad UTF-8 cannot name a field of ours. */
		if (strlen(fields[*n].key) == klen &&
		    html_utf8_ok(fields[*n].key, klen))
			(*n)++;
		p = amp + 1;
	}
	return 0;
}

/* The language switch: one small form per language, no script needed. */
static const char *
lang_switch(struct request *req)
{
	struct buf b;
	const char *next, *q;
	char *s;
	int i;

	buf_init(&b);
	next = req->path;
	if ((q = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	    "q")) != NULL)
		next = arena_printf(req->arena, "%s?q=%s", req->path, q);
	buf_puts(&b, "<form method=\"post\" action=\"/lang\" class=\"langs\">"
	    "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(&b, req->csrf);
	buf_puts(&b, "\"><input type=\"hidden\" name=\"next\" value=\"");
	html_attr(&b, http_local_path(next) ? next : "/");
	buf_puts(&b, "\">");
	for (i = 0; i < LANG__MAX; i++) {
		buf_printf(&b, "<button name=\"lang\" value=\"%s\" lang=\"%s\""
		    " dir=\"%s\"%s>", i18n_langs[i].tag, i18n_langs[i].tag,
		    i18n_langs[i].dir,
		    (enum lang)i == req->lang ? " aria-current=\"true\"" : "");
		html_txt(&b, i18n_langs[i].native);
		buf_puts(&b, "</button>");
	}
	buf_puts(&b, "</form>");
	s = arena_strndup(req->arena, b.p, b.len);
	buf_free(&b);
	return s;
}

const char *
http_pager(struct request *req, const char *base, long long page,
    long long pages)
{
	struct buf b;
	const char *s;
	long long i;

	if (pages <= 1)
		return "";
	buf_init(&b);
	buf_puts(&b, "<nav class=\"pager\" aria-label=\"");
	html_attr(&b, T(req, "Pages"));
	buf_puts(&b, "\"><ul>");
	for (i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i < page - 2 || i > page + 2)) {
			if (i == page - 3 || i == page + 3)
				buf_puts(&b, "<li>…</li>");
			continue;
		}
		if (i == page)
			buf_printf(&b, "<li><span aria-current=\"page\">%s"
			    "</span></li>", i18n_num(req->arena, req->lang, i));
		else {
			buf_puts(&b, "<li><a href=\"");
			html_attr(&b, base);
			buf_printf(&b, "page=%lld\">%s</a></li>", i,
			    i18n_num(req->arena, req->lang, i));
		}
	}
	buf_puts(&b, "</ul></nav>");
	s = arena_strndup(req->arena, b.p, b.len);
	buf_free(&b);
	return s;
}

void
http_time(struct request *req, struct tmpl_vars *v, const char *local,
    const char *iso)
{
	struct tm tm;
	const char *at, *ago = NULL;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		ago = i18n_ago(req->arena, req->lang,
		    (long long)(time(NULL) - timegm(&tm)));
	}
	at = i18n_digits(req->arena, req->lang, local);
	tmpl_set(v, "when", ago != NULL ? ago : at);
	tmpl_set(v, "at", at);
	tmpl_set(v, "iso", arena_strdup(req->arena, iso));
}

const char *
http_options(struct request *req, const char *const *values,
    const char *const *labels, int labels_raw, const char *selected,
    const char *first)
{
	struct buf b;
	const char *s;
	size_t i;

	buf_init(&b);
	if (first != NULL) {
		buf_puts(&b, "<option value=\"\">");
		html_txt(&b, T(req, first));
		buf_puts(&b, "</option>");
	}
	for (i = 0; values[i] != NULL; i++) {
		buf_puts(&b, "<option value=\"");
		html_attr(&b, values[i]);
		buf_printf(&b, "\"%s>", selected != NULL &&
		    strcmp(selected, values[i]) == 0 ? " selected" : "");
		html_txt(&b, labels_raw ? labels[i] : T(req, labels[i]));
		buf_puts(&b, "</option>");
	}
	s = arena_strndup(req->arena, b.p, b.len);
	buf_free(&b);
	return s;
}

void
http_vars(struct request *req, struct tmpl_vars *v)
{
	tmpl_set(v, "csrf", req->csrf);
	tmpl_set(v, "lang", i18n_langs[req->lang].tag);
	tmpl_set(v, "dir", i18n_langs[req->lang].dir);
	tmpl_set(v, "css", css.path);
	if (req->user != NULL) {
		tmpl_set(v, "me", req->user->name);
		tmpl_set(v, "me_role", role_names[req->user->role]);
		if (req->user->unread > 0)
			tmpl_set(v, "unread", i18n_num(req->arena, req->lang,
			    req->user->unread));
		if (req->user->messages > 0)
			tmpl_set(v, "msg_count", i18n_num(req->arena,
			    req->lang, req->user->messages));
		if (req->user->role >= ROLE_MODERATOR)
			tmpl_set(v, "is_mod", "1");
		if (req->user->queue > 0)
			tmpl_set(v, "queue", i18n_num(req->arena, req->lang,
			    req->user->queue));
		if (req->user->role == ROLE_ADMIN)
			tmpl_set(v, "is_admin", "1");
		if (req->user->role == ROLE_EMPLOYER)
			tmpl_set(v, "is_employer", "1");
	}
}

int
http_page(struct request *req, int status, const char *title,
    const char *name, struct tmpl_vars *vars)
{
	struct tmpl_vars lv;
	struct buf content;

	buf_init(&content);
	http_vars(req, vars);
	if (tmpl_render(&content, name, req->lang, vars) == -1) {
		buf_free(&content);
		return http_error(req, 500, N_("Something went wrong"));
	}
	memset(&lv, 0, sizeof(lv));
	http_vars(req, &lv);
	tmpl_set(&lv, "title", title);
	tmpl_set_raw(&lv, "content", content.p ? content.p : "");
	tmpl_set_raw(&lv, "langs", lang_switch(req));
	buf_reset(&req->out);
	tmpl_render(&req->out, "layout", req->lang, &lv);
	buf_free(&content);
	req->content_type = "text/html; charset=utf-8";
	return status;
}

int
http_error(struct request *req, int status, const char *msg)
{
	struct tmpl_vars v;
	const char *title;

	switch (status) {
	case 400: title = N_("Bad request"); break;
	case 403: title = N_("Forbidden"); break;
	case 404: title = N_("Page not found"); break;
	case 405: title = N_("Method not allowed"); break;
	case 413: title = N_("Request too large"); break;
	case 429: title = N_("Too many requests"); break;
	case 503: title = N_("Service unavailable"); break;
	default: title = N_("Something went wrong"); break;
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "heading", T(req, title));
	tmpl_set(&v, "message", T(req, msg));
	tmpl_set_int(&v, req->arena, "status", status);
	if (status == 429 || status == 503) {
		http_header(req, MHD_HTTP_HEADER_RETRY_AFTER,
		    status == 503 ? "5" : "60");
		tmpl_set(&v, "retry", "1");
	}
	if (status == 405 && req->route != NULL)
		http_header(req, MHD_HTTP_HEADER_ALLOW,
		    req->route->method == M_POST ? "POST" : "GET, HEAD");
	req->personal = 1;
	return http_page(req, status, T(req, title), "error", &v);
}

int
http_unavailable(struct request *req)
{
	/* A statement that failed on a live connection is our bug: 500.
	 * Either way the page says nothing of the SQL. */
	if (!db_is_down())
		return http_error(req, 500, N_("Something went wrong on our "
		    "side and it has been logged. Nothing you sent was saved; "
		    "please try again later."));
	return http_error(req, 503, N_("The service is unavailable for a "
	    "moment. Please try again in a few seconds; nothing you sent "
	    "was saved."));
}

int
http_json(struct request *req, int status, struct buf *b)
{
	buf_reset(&req->out);
	buf_append(&req->out, b->p ? b->p : "", b->len);
	req->content_type = "application/json; charset=utf-8";
	return status;
}

static enum method
parse_method(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return M_GET;
	if (strcmp(m, "HEAD") == 0)
		return M_HEAD;
	if (strcmp(m, "POST") == 0)
		return M_POST;
	return M_OTHER;
}

int
http_forwarded_ip(const char *xff, char *out, size_t len)
{
	const char *last;

	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	if (*last == '\0' || strlen(last) >= len)
		return -1;
	strcpy(out, last);
	return 0;
}

static void
client_ip(struct request *req)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const char *xff;

	strcpy(req->ip, "-");
	if (conf->trust_proxy && (xff = http_get_header(req,
	    "X-Forwarded-For")) != NULL &&
	    http_forwarded_ip(xff, req->ip, sizeof(req->ip)) == 0)
		return;
	ci = MHD_get_connection_info(req->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, req->ip, sizeof(req->ip));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, req->ip, sizeof(req->ip));
}

/* The language before the account is known: cookie, then browser. */
static void
pick_lang(struct request *req)
{
	const char *c;
	enum lang l;

	if ((c = http_get_cookie(req, "lang")) != NULL &&
	    i18n_from_tag(c, &l) == 0) {
		req->lang = l;
		return;
	}
	req->lang = i18n_negotiate(http_get_header(req,
	    MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
}

/*
 * A micro-cache for visitors.  The GET answers of routes marked R_CACHE
 * to requests without a session cookie are kept for cache_ms (a setting,
 * one second by default; 0 turns the cache off), by language,
 * path and declared query parameters: under load most visitors' pages are
 * then a copy.  A copy also dies when any node writes what such pages
 * show (notify.c): it keeps the generation it was read under, taken
 * before the handler's queries so a write during them is not missed, and
 * cache_ms stays the limit while the listener is away.  The visitor's
 * CSRF token is the only per-visitor byte in such a page: it is stored
 * as a marker of the same length (control bytes never occur in our
 * pages) and put back for each visitor.
 */
#define CACHE_SLOTS	509
#define CACHE_KEYLEN	600

struct centry {
	pthread_mutex_t	 mtx;
	char		 key[CACHE_KEYLEN];
	char		*body;
	size_t		 len;
	const char	*ctype;
	long long	 expires;
	unsigned long	 gen;		/* notify_gen(NOTIFY_CACHE) when read */
};

static struct centry cache[CACHE_SLOTS];
static const char csrf_mark[65] =
    "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1"
    "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1";

static int	dispatch_route(struct request *, char *, size_t, int *,
		    unsigned long *);

/* The cache key, or -1 when this request is not for the cache. */
static int
cache_key(struct request *req, char *key, size_t len)
{
	const struct param *p;
	const char *v;
	size_t n;
	int i;

	if (conf->cache_ms == 0 ||
	    (req->method != M_GET && req->method != M_HEAD) ||
	    !(req->route->flags & R_CACHE) ||
	    http_get_cookie(req, "mg_session") != NULL)
		return -1;
	n = (size_t)snprintf(key, len, "%s|%s", i18n_langs[req->lang].tag,
	    req->path);
	for (i = 0; req->route->params != NULL &&
	    req->route->params[i].name != NULL; i++) {
		p = &req->route->params[i];
		if (p->src != P_QUERY || (v = http_query(req, p->name)) == NULL)
			continue;
		n += (size_t)snprintf(key + (n < len ? n : len), n < len ?
		    len - n : 0, "|%s=%s", p->name, v);
	}
	return n < len ? 0 : -1;
}

static struct centry *
cache_slot(const char *key)
{
	unsigned int h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return &cache[h % CACHE_SLOTS];
}

/* Replace every occurrence of a 64-byte string in place. */
static void
swap64(char *p, size_t len, const char *from, const char *to)
{
	char *end = p + len, *q;

	while (p < end && (q = memmem(p, (size_t)(end - p), from, 64)) !=
	    NULL) {
		memcpy(q, to, 64);
		p = q + 64;
	}
}

static int
cache_get(struct request *req, const char *key)
{
	struct centry *e = cache_slot(key);
	int hit = 0;

	pthread_mutex_lock(&e->mtx);
	if (e->body != NULL && e->expires > mono_ms() &&
	    e->gen == notify_gen(NOTIFY_CACHE) && strcmp(e->key, key) == 0) {
		buf_reset(&req->out);
		buf_append(&req->out, e->body, e->len);
		req->content_type = e->ctype;
		hit = 1;
	}
	pthread_mutex_unlock(&e->mtx);
	if (hit)
		swap64(req->out.p, req->out.len, csrf_mark, req->csrf);
	return hit;
}

static void
cache_put(struct request *req, const char *key, unsigned long gen)
{
	struct centry *e = cache_slot(key);
	char *body;

	/* Only a plain page: no header of its own but a new CSRF cookie. */
	if (req->status != 200 || req->cache_forever || req->user != NULL ||
	    req->nhdrs != (req->new_csrf_cookie != NULL ? 1u : 0u) ||
	    strlen(req->csrf) != 64)
		return;
	body = xmalloc(req->out.len + 1);
	memcpy(body, req->out.p ? req->out.p : "", req->out.len);
	swap64(body, req->out.len, req->csrf, csrf_mark);
	pthread_mutex_lock(&e->mtx);
	free(e->body);
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->body = body;
	e->len = req->out.len;
	e->ctype = req->content_type;
	e->expires = mono_ms() + conf->cache_ms;
	e->gen = gen;
	pthread_mutex_unlock(&e->mtx);
}

static void
cache_init(void)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++)
		pthread_mutex_init(&cache[i].mtx, NULL);
}

static void
cache_free(void)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		free(cache[i].body);
		cache[i].body = NULL;
	}
}

static int
dispatch(struct request *req)
{
	char key[CACHE_KEYLEN];
	unsigned long gen = 0;
	int cacheable, rc;

	rc = dispatch_route(req, key, sizeof(key), &cacheable, &gen);
	req->status = rc;
	if (cacheable)
		cache_put(req, key, gen);
	return rc;
}

static int
dispatch_route(struct request *req, char *key, size_t keylen, int *cacheable,
    unsigned long *gen)
{
	const char *ct;
	enum route_result rr;
	char slugbuf[128];
	int rc;

	*cacheable = 0;
	pick_lang(req);
	if (req->method == M_OTHER)
		return http_error(req, 405, N_("This method is not allowed "
		    "here."));
	if (!html_utf8_ok(req->path, strlen(req->path)) ||
	    strlen(req->path) > 2048)
		return http_error(req, 400, N_("The address is not valid."));
	if (req->too_large)
		return http_error(req, 413, N_("What you sent is too large. "
		    "Please shorten it and try again."));
	rr = route_match(req->path, req->method == M_HEAD ? M_GET :
	    req->method, &req->route, &req->id, &req->id2, &req->slug,
	    slugbuf, sizeof(slugbuf));
	if (req->slug != NULL)
		req->slug = arena_strdup(req->arena, req->slug);
	if (rr == ROUTE_NOT_FOUND) {
		auth_csrf_prepare(req);
		return http_error(req, 404, N_("There is nothing at this "
		    "address. It may have been moved or removed."));
	}
	if (rr == ROUTE_BAD_METHOD) {
		auth_csrf_prepare(req);
		return http_error(req, 405, N_("This method is not allowed "
		    "here."));
	}
	if (req->route->flags & R_NODB)
		return req->route->handler(req);
	if (cache_key(req, key, keylen) == 0) {
		auth_csrf_prepare(req);
		*gen = notify_gen(NOTIFY_CACHE);
		if (cache_get(req, key))
			return 200;
		*cacheable = 1;
	}
	if (auth_session_load(req) == -1)
		return http_unavailable(req);
	auth_csrf_prepare(req);
	if (req->method == M_POST) {
		ct = http_get_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ct != NULL && strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) == 0) {
			if (http_parse_form(req->arena, req->body.p ?
			    req->body.p : "", req->body.len, req->fields,
			    HTTP_MAXFIELDS, &req->nfields) == -1)
				return http_error(req, 400, N_("The form could "
				    "not be read."));
		} else if (req->body.len > 0)
			return http_error(req, 400, N_("The form could not be "
			    "read."));
		if (!(req->route->flags & R_NOCSRF) &&
		    auth_csrf_check(req) == -1) {
			log_warnx("csrf refused ip=%s path=%s", req->ip,
			    req->path);
			return http_error(req, 403, N_("This form has expired "
			    "or did not come from this site. Please go back, "
			    "reload the page and try again."));
		}
	}
	if (!route_allowed(req->route, req->user)) {
		if (req->user == NULL && req->method != M_POST) {
			return http_redirect(req, arena_printf(req->arena,
			    "/login?next=%s", req->path));
		}
		log_warnx("access refused ip=%s user=%lld path=%s", req->ip,
		    req->user ? req->user->id : 0, req->path);
		return http_error(req, 403, N_("You do not have access to "
		    "this page."));
	}
	param_validate(req);
	rc = req->route->handler(req);
	if (req->user != NULL)
		*cacheable = 0;
	return rc;
}

static int
etag_matches(struct request *req, const char *etag)
{
	const char *inm;

	inm = http_get_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
	return inm != NULL && strstr(inm, etag) != NULL;
}

static enum MHD_Result
respond(struct request *req)
{
	struct MHD_Response *resp;
	unsigned char h[12];
	char etag[40], hex[25], *body, *gz;
	const char *ae;
	size_t len, gzlen, i;
	int gzipped = 0, compressible;
	enum MHD_Result ret;

	if (req->content_type == NULL)
		req->content_type = "text/html; charset=utf-8";
	etag[0] = '\0';
	if (req->status == 200 && !req->personal) {
		crypto_generichash(h, sizeof(h), (const unsigned char *)
		    (req->out.p ? req->out.p : ""), req->out.len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(etag, sizeof(etag), "\"%s\"", hex);
		if (etag_matches(req, etag)) {
			req->status = 304;
			buf_reset(&req->out);
		}
	}
	compressible = strncmp(req->content_type, "text/", 5) == 0 ||
	    strncmp(req->content_type, "application/", 12) == 0;
	ae = http_get_header(req, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (compressible && ae != NULL && strstr(ae, "gzip") != NULL &&
	    req->out.len > 512) {
		if (req->cache_forever && css.gz != NULL &&
		    req->out.len == css.len) {
			buf_reset(&req->out);
			buf_append(&req->out, css.gz, css.gzlen);
			gzipped = 1;
		} else if (gzip_buf(req->out.p, req->out.len, &gz,
		    &gzlen) == 0) {
			buf_free(&req->out);
			req->out.p = gz;
			req->out.len = req->out.cap = gzlen;
			gzipped = 1;
		}
	}
	body = buf_release(&req->out, &len);
	resp = MHD_create_response_from_buffer(len, body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	req->out.len = len;	/* for the access log */
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    req->content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=(), interest-cohort=()");
	if (conf->secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
	if (req->cache_forever)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "public, max-age=31536000, immutable");
	else if (req->personal || req->user != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "no-store");
	else
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    req->cache_public ? "public, max-age=60" :
		    "private, no-cache");
	if (etag[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	if (compressible)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
		    "Accept-Encoding, Cookie");
	if (gzipped)
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	for (i = 0; i < req->nhdrs; i++)
		MHD_add_response_header(resp, req->hdrs[i].name,
		    req->hdrs[i].value);
	ret = MHD_queue_response(req->conn, (unsigned int)req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static struct request *
request_new(struct MHD_Connection *conn, const char *url, const char *method)
{
	struct request *req;
	struct arena *a;

	a = arena_new();
	req = arena_alloc(a, sizeof(*req));
	memset(req, 0, sizeof(*req));
	req->arena = a;
	req->conn = conn;
	req->method = parse_method(method);
	req->method_name = arena_strndup(a, method, strlen(method) > 16 ? 16 :
	    strlen(method));
	req->path = arena_strdup(a, url);
	req->first_call = 1;
	req->status = 200;
	buf_init(&req->body);
	buf_init(&req->out);
	clock_gettime(CLOCK_MONOTONIC, &req->start);
	client_ip(req);
	return req;
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request *req = *con_cls;
	const char *cl;
	char *end;
	unsigned long long n;

	(void)cls;
	(void)version;
	if (req == NULL) {
		req = request_new(conn, url, method);
		*con_cls = req;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL) {
			n = strtoull(cl, &end, 10);
			if (n > (unsigned long long)conf->max_body)
				req->too_large = 1;
		}
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (!req->too_large && req->body.len + *upload_data_size >
		    (size_t)conf->max_body) {
			req->too_large = 1;
			buf_free(&req->body);
		}
		if (!req->too_large)
			buf_append(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->status == 200 && req->first_call) {
		req->first_call = 0;
		req->status = dispatch(req);
	}
	return respond(req);
}

static void
completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *req = *con_cls;
	struct timespec now;
	double ms;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - req->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - req->start.tv_nsec) / 1e6;
	log_access(req->ip, req->method_name, req->path, req->status,
	    req->out.len, ms, req->user ? req->user->id : 0);
	if (req->session_token != NULL)
		sodium_memzero((void *)(uintptr_t)req->session_token,
		    strlen(req->session_token));
	buf_free(&req->body);
	buf_free(&req->out);
	arena_free(req->arena);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_debug("mhd: %s", msg);
}

int
http_listen(const struct conf *c)
{
	struct addrinfo hints, *res, *ai;
	char port[16];
	int fd = -1, on = 1, rc;

	snprintf(port, sizeof(port), "%d", c->listen_port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(c->listen_host, port, &hints, &res)) != 0) {
		log_warnx("listen %s: %s", c->listen_host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 1024) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		log_warn("listen %s:%d", c->listen_host, c->listen_port);
	freeaddrinfo(res);
	return fd;
}

int
http_start(const struct conf *c, int fd)
{
	conf = c;
	if (load_css(c->assets) == -1)
		return -1;
	cache_init();
	daemon_ = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	    MHD_USE_ERROR_LOG | MHD_USE_SUSPEND_RESUME |
	    MHD_USE_TURBO, 0, NULL, NULL, handle, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)c->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)c->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)c->max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)c->connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->connection_memory,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1024 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_END);
	if (daemon_ == NULL) {
		log_warnx("libmicrohttpd did not start");
		return -1;
	}
	return 0;
}

void
http_stop(void)
{
	if (daemon_ != NULL) {
		MHD_stop_daemon(daemon_);
		daemon_ = NULL;
	}
	free(css.data);
	free(css.gz);
	cache_free();
}
