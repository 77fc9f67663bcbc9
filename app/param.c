/*
 * Parameter validation.  A value that is not UTF-8 is not thrown away:
 * the bad bytes become U+FFFD so the form can be shown again with the
 * user's text, and the field carries the problem.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "mdb.h"
#include "param.h"
#include "request.h"
#include "route.h"

const struct param param_path_id = {
	"id", P_INT, P_PATH, 1, 9007199254740991LL, 1, NULL
};
const struct param param_path_slug = {
	"slug", P_SLUG, P_PATH, 1, 127, 1, NULL
};

size_t
param_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* Replace every byte that is not part of valid UTF-8 (and NUL and other
 * C0 controls but tab and newlines) with U+FFFD. */
static char *
repair(struct arena *a, const char *s, size_t len)
{
	struct buf b;
	size_t i, step;
	char *out;

	buf_init(&b);
	for (i = 0; i < len; i += step) {
		for (step = 1; step <= 4 && i + step <= len; step++)
			if (html_utf8_ok(s + i, step))
				break;
		if (step > 4 || i + step > len) {
			buf_puts(&b, "\xef\xbf\xbd");
			step = 1;
		} else
			buf_append(&b, s + i, step);
	}
	out = arena_buf(a, &b);
	buf_free(&b);
	return out;
}

static char *
normalise(struct arena *a, const char *s, enum ptype type)
{
	char *out, *o;
	const char *start, *end;

	start = s;
	end = s + strlen(s);
	if (type == P_LINE) {
		while (start < end && (*start == ' ' || *start == '\t' ||
		    *start == '\n' || *start == '\r'))
			start++;
		while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\n' || end[-1] == '\r'))
			end--;
	} else if (type == P_TEXT) {
		while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
		    end[-1] == '\n' || end[-1] == '\r'))
			end--;
	}
	out = o = arena_alloc(a, (size_t)(end - start) + 1);
	for (; start < end; start++) {
		if (type == P_LINE && (*start == '\n' || *start == '\r' ||
		    *start == '\t'))
			*o++ = ' ';
		else if (type == P_TEXT && *start == '\r') {
			if (start + 1 < end && start[1] == '\n')
				continue;
			*o++ = '\n';
		} else
			*o++ = *start;
	}
	*o = '\0';
	return out;
}

const char *
param_check(struct arena *a, const struct param *p, const char *raw,
    size_t len, const char **out, long long *num)
{
	const char *v;
	char *end;
	size_t n;
	long long x;
	int i;

	*num = 0;
	if (!html_utf8_ok(raw, len) || memchr(raw, '\0', len) != NULL) {
		*out = normalise(a, repair(a, raw, len), p->type);
		return N_("This contains characters that are not allowed; "
		    "they have been replaced with \xef\xbf\xbd.");
	}
	v = p->type == P_SECRET ? arena_strndup(a, raw, len) :
	    normalise(a, arena_strndup(a, raw, len), p->type);
	*out = v;
	if (*v == '\0')
		return p->required ? N_("This field is required.") : NULL;
	switch (p->type) {
	case P_SLUG:
		if (*v == '.' || strspn(v, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-._") != strlen(v))
			return N_("The address is not valid.");
		/* FALLTHROUGH */
	case P_LINE:
	case P_TEXT:
	case P_SECRET:
		n = p->type == P_SECRET ? strlen(v) : param_utf8_len(v);
		if (p->min > 0 && n < (size_t)p->min)
			return N_("This is too short.");
		if (p->max > 0 && n > (size_t)p->max)
			return N_("This is too long.");
		return NULL;
	case P_INT:
		if (*v == '-' || *v == '+' || *v < '0' || *v > '9')
			return N_("Please give a whole number.");
		errno = 0;
		x = strtoll(v, &end, 10);
		if (errno != 0 || *end != '\0')
			return N_("Please give a whole number.");
		if (x < p->min || x > p->max)
			return N_("This number is out of range.");
		*num = x;
		return NULL;
	case P_ENUM:
		for (i = 0; p->choices != NULL && p->choices[i] != NULL; i++)
			if (strcmp(p->choices[i], v) == 0) {
				*num = i;
				return NULL;
			}
		return N_("Please choose one of the options.");
	}
	return NULL;
}

static const struct kv *
find(const struct kv *kv, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0)
			return &kv[i];
	return NULL;
}

void
param_validate(struct request *req)
{
	const struct param *p;
	const struct kv *f;
	const char *raw, *err;
	size_t len, i;

	if (req->route == NULL || req->route->params == NULL)
		return;
	for (i = 0; i < PARAM_MAX && req->route->params[i].name != NULL; i++) {
		p = &req->route->params[i];
		raw = NULL;
		len = 0;
		f = p->src == P_QUERY ? find(req->query, req->nquery,
		    p->name) : find(req->fields, req->nfields, p->name);
		if (f != NULL) {
			raw = f->val;
			len = f->len;
		}
		req->p[i].present = raw != NULL;
		err = param_check(req->arena, p, raw ? raw : "", len,
		    &req->p[i].val, &req->p[i].num);
		/* A missing optional query parameter is simply absent. */
		if (err != NULL && (raw != NULL || p->required)) {
			req->p[i].err = err;
			req->nerrors++;
		}
	}
}

static int
index_of(struct request *req, const char *name)
{
	int i;

	if (req->route == NULL || req->route->params == NULL)
		return -1;
	for (i = 0; i < PARAM_MAX && req->route->params[i].name != NULL; i++)
		if (strcmp(req->route->params[i].name, name) == 0)
			return i;
	return -1;
}

const char *
param_str(struct request *req, const char *name)
{
	int i;

	if ((i = index_of(req, name)) == -1 || req->p[i].val == NULL)
		return "";
	return req->p[i].val;
}

long long
param_int(struct request *req, const char *name)
{
	int i;

	if ((i = index_of(req, name)) == -1 || req->p[i].err != NULL)
		return 0;
	return req->p[i].num;
}

int
param_present(struct request *req, const char *name)
{
	int i;

	return (i = index_of(req, name)) != -1 && req->p[i].present;
}

/*
 * As plain text, an example goes between U+2066 and U+2069 (a
 * left-to-right isolate), for the places where no element can go.
 */
const char *
param_err(struct request *req, const char *name)
{
	const char *t, *p, *q, *ex;
	struct buf b;
	int i, next = 0;

	if ((i = index_of(req, name)) == -1 || req->p[i].err == NULL)
		return NULL;
	t = T(req, req->p[i].err);
	if (req->p[i].ex[0] == NULL)
		return t;
	buf_init(&b);
	for (p = t; (q = strchr(p, '%')) != NULL; ) {
		buf_append(&b, p, (size_t)(q - p));
		if (q[1] == 's') {
			ex = req->p[i].ex[next++ == 0 ? 0 : 1];
			p = q + 2;
		} else if ((q[1] == '1' || q[1] == '2') && q[2] == '$' &&
		    q[3] == 's') {
			ex = req->p[i].ex[q[1] - '1'];
			p = q + 4;
		} else {
			buf_puts(&b, "%");
			p = q + (q[1] == '%' ? 2 : 1);
			continue;
		}
		if (ex != NULL) {
			buf_puts(&b, "\xe2\x81\xa6");
			buf_puts(&b, ex);
			buf_puts(&b, "\xe2\x81\xa9");
		}
	}
	buf_puts(&b, p);
	t = arena_buf(req->arena, &b);
	buf_free(&b);
	return t;
}

const char *
param_err_html(struct request *req, const char *name)
{
	const char *t;
	struct buf b;
	int i;

	if ((i = index_of(req, name)) == -1 || req->p[i].err == NULL)
		return NULL;
	buf_init(&b);
	if (req->p[i].ex[0] == NULL)
		html_txt(&b, T(req, req->p[i].err));
	else
		html_fill(&b, T(req, req->p[i].err), req->p[i].ex[0],
		    req->p[i].ex[1]);
	t = arena_buf(req->arena, &b);
	buf_free(&b);
	return t;
}

const char *
param_url_fill(struct request *req, const char *s)
{
	size_t host;

	host = strcspn(s, "/?#");
	if (*s == '\0' || *s == '.' || memchr(s, ':', host) != NULL ||
	    memchr(s, '.', host) == NULL)
		return s;
	return arena_printf(req->arena, "https://%s", s);
}

void
param_set_err(struct request *req, const char *name, const char *msgid)
{
	param_set_err_ex(req, name, msgid, NULL, NULL);
}

void
param_set_err_ex(struct request *req, const char *name, const char *msgid,
    const char *ex1, const char *ex2)
{
	int i;

	if ((i = index_of(req, name)) == -1)
		return;
	if (req->p[i].err == NULL)
		req->nerrors++;
	req->p[i].err = msgid;
	req->p[i].ex[0] = ex1;
	req->p[i].ex[1] = ex2;
}

int
param_markdown(struct request *req, const char *field, const char *src,
    const char **html)
{
	struct buf out;
	enum md_err e;

	buf_init(&out);
	if ((e = mdb_render(src, strlen(src), &out)) != MD_OK) {
		buf_free(&out);
		param_set_err(req, field, md_err_msgid(e));
		return -1;
	}
	*html = arena_buf(req->arena, &out);
	buf_free(&out);
	return 0;
}
