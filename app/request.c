/*
 * The request and its accessors: what the client sent, as copied from
 * Kore by server.c, and the answer a handler builds.  The urlencoded
 * parser is ours rather than Kore's: Kore 4.1.0 drops a value that
 * decodes to a control byte (so every multi-line post, with its CR LF,
 * would arrive empty), cuts a value at a second '=' and keeps at most 20
 * arguments.  It is fuzzed (tests/fuzz/fuzz_form.c).
 */
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "buf.h"
#include "conf.h"
#include "html.h"
#include "log.h"
#include "request.h"

const char *const role_names[ROLE__MAX] = {
	"visitor", "returnee", "employer", "partner", "moderator", "admin"
};

const char *const request_cookie_names[COOKIE__MAX] = {
	"mg_session", "mg_csrf", "lang", "mg_device"
};

struct request *
request_new(const char *method, const char *path)
{
	struct request *req;
	struct arena *a;

	a = arena_new();
	req = arena_alloc(a, sizeof(*req));
	memset(req, 0, sizeof(*req));
	req->arena = a;
	if (strcmp(method, "GET") == 0)
		req->method = M_GET;
	else if (strcmp(method, "HEAD") == 0)
		req->method = M_HEAD;
	else if (strcmp(method, "POST") == 0)
		req->method = M_POST;
	else
		req->method = M_OTHER;
	req->method_name = arena_strndup(a, method, strlen(method) > 16 ? 16 :
	    strlen(method));
	req->path = arena_strdup(a, path);
	req->status = 200;
	req->start_ms = mono_ms();
	strcpy(req->ip, "-");
	buf_init(&req->out);
	return req;
}

void
request_free(struct request *req)
{
	if (req == NULL)
		return;
	if (req->session_token != NULL)
		explicit_bzero((void *)(uintptr_t)req->session_token,
		    strlen(req->session_token));
	buf_free(&req->out);
	arena_free(req->arena);
}

const char *
request_header(const struct request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nhdrs; i++)
		if (strcasecmp(req->hdrs[i].key, name) == 0)
			return req->hdrs[i].val;
	return NULL;
}

const char *
request_cookie(const struct request *req, enum cookie c)
{
	return req->cookies[c];
}

static const char *
find(const struct kv *kv, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0)
			return kv[i].val;
	return NULL;
}

const char *
request_query(const struct request *req, const char *name)
{
	return find(req->query, req->nquery, name);
}

const char *
request_field(const struct request *req, const char *name)
{
	return find(req->fields, req->nfields, name);
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
request_parse_form(struct arena *a, const char *body, size_t len,
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

int
request_local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return 0;
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\' || *p == 0x7f)
			return 0;
	return 1;
}

int
request_forwarded_ip(const char *xff, char *out, size_t len)
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

void
request_ip_net(const char *ip, char *out, size_t len)
{
	unsigned char a[16];
	char s[INET6_ADDRSTRLEN];

	snprintf(out, len, "%s", ip);
	if (inet_pton(AF_INET6, ip, a) != 1)
		return;
	/* An IPv4 address written as IPv6 (::ffff:a.b.c.d) is that one. */
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		inet_ntop(AF_INET, a + 12, out, len);
		return;
	}
	memset(a + 8, 0, 8);
	if (inet_ntop(AF_INET6, a, s, sizeof(s)) != NULL)
		snprintf(out, len, "%s/64", s);
}

void
request_set_header(struct request *req, const char *name, const char *value)
{
	if (req->nhdrs_out == REQUEST_MAXOUT) {
		log_warnx("%s: too many headers", __func__);
		return;
	}
	req->hdrs_out[req->nhdrs_out].name = name;
	req->hdrs_out[req->nhdrs_out].value = value;
	req->nhdrs_out++;
}

void
request_set_cookie(struct request *req, const char *name, const char *value,
    int max_age)
{
	const struct conf *c = conf_active();

	request_set_header(req, "set-cookie", arena_printf(req->arena,
	    "%s%s=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%d",
	    c->secure_cookies ? "__Host-" : "", name, value,
	    c->secure_cookies ? "; Secure" : "", max_age));
	req->personal = 1;
}

int
request_redirect(struct request *req, const char *location)
{
	if (!request_local_path(location))
		location = "/";
	request_set_header(req, "location", location);
	buf_reset(&req->out);
	req->content_type = "text/plain; charset=utf-8";
	return 303;
}

int
request_json(struct request *req, int status, struct buf *b)
{
	buf_reset(&req->out);
	buf_append(&req->out, b->p ? b->p : "", b->len);
	req->content_type = "application/json; charset=utf-8";
	return status;
}

const char *
request_num(struct request *req, long long v)
{
	return arena_printf(req->arena, "%lld", v);
}

const char *
request_id(struct request *req)
{
	return request_num(req, req->id);
}

const char *
request_uid(struct request *req)
{
	return req->user != NULL ? request_num(req, req->user->id) : "0";
}

int
request_is_mod(const struct request *req)
{
	return req->user != NULL && req->user->role >= ROLE_MODERATOR;
}

const char *
request_etag(struct request *req)
{
	unsigned char h[12];
	char hex[25];

	if (req->etag != NULL)
		return req->etag;
	crypto_generichash(h, sizeof(h), (const unsigned char *)
	    (req->out.p ? req->out.p : ""), req->out.len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	req->etag = arena_printf(req->arena, "\"%s\"", hex);
	return req->etag;
}

int
request_takes_gzip(const struct request *req)
{
	const char *ae;

	ae = request_header(req, "accept-encoding");
	return ae != NULL && strstr(ae, "gzip") != NULL;
}
