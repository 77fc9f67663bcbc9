/*
 * @mentions.  The names are read from the HTML the markdown pipeline
 * made and md_clean.c sanitised, not from the markdown: so an @ in a
 * code span, a code block or a link's text is no mention, as a reader
 * sees it.  Linking rewrites only text between tags, inserting a fixed
 * element whose one attribute is a number, and keeps the name's bytes
 * as the sanitiser wrote them (already escaped), so the sanitiser's
 * guarantees hold for the result: no new tag but that <a>, no
 * attribute from input.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "mention.h"
#include "user.h"

/* One code point of UTF-8 at s (at most n bytes): its length, *c set;
 * 1 with *c = 0xFFFD for a bad byte. */
static size_t
u8_next(const char *s, size_t n, unsigned *c)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t k, i;

	if (u[0] < 0x80) {
		*c = u[0];
		return 1;
	}
	if ((u[0] & 0xe0) == 0xc0) {
		k = 2;
		*c = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		k = 3;
		*c = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		k = 4;
		*c = u[0] & 0x07;
	} else {
		*c = 0xfffd;
		return 1;
	}
	if (k > n) {
		*c = 0xfffd;
		return 1;
	}
	for (i = 1; i < k; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			*c = 0xfffd;
			return 1;
		}
		*c = (*c << 6) | (u[i] & 0x3f);
	}
	return k;
}

/* A character a user name may hold (user.c's rules, loosely: letters
 * and digits of ASCII and of the Arabic blocks, their marks, _ - .);
 * Arabic punctuation (، ؛ ؟ ٪ ۔) ends a name. */
static int
name_char(unsigned c)
{
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '.';
	return (c >= 0x0610 && c <= 0x061a) || (c >= 0x0620 && c <= 0x0669) ||
	    (c >= 0x066e && c <= 0x06d3) || (c >= 0x06d5 && c <= 0x06ff) ||
	    (c >= 0x0750 && c <= 0x077f);
}

/* The length of the name after an @ at s (0: none), without a final
 * . or - (the end of a sentence). */
static size_t
name_len(const char *s)
{
	size_t len = 0, k, n = strlen(s);
	unsigned c;

	while (len < n && len < MENTION_NAME_MAX) {
		k = u8_next(s + len, n - len, &c);
		if (!name_char(c) || len + k > MENTION_NAME_MAX)
			break;
		len += k;
	}
	while (len > 0 && (s[len - 1] == '.' || s[len - 1] == '-'))
		len--;
	return len;
}

/* Whether the character before p (html starts at start) lets an @
 * begin a mention: not a name's character (a@b.c is an address). */
static int
may_start(const char *start, const char *p)
{
	const char *q = p;
	unsigned c;

	if (q == start)
		return 1;
	do
		q--;
	while (q > start && ((unsigned char)*q & 0xc0) == 0x80);
	u8_next(q, (size_t)(p - q), &c);
	return !name_char(c) && c != '@';
}

/* Whether the tag at p ('<') opens (1) or closes (-1) an element whose
 * text holds no mention (a, code, pre); 0 for any other. */
static int
tag_skip(const char *p)
{
	static const char *const names[] = { "a", "code", "pre" };
	size_t i, n;
	int close = 0;

	p++;
	if (*p == '/') {
		close = 1;
		p++;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = strlen(names[i]);
		if (strncmp(p, names[i], n) == 0 && (p[n] == '>' ||
		    p[n] == ' ' || p[n] == '\t' || p[n] == '\n' || p[n] == '/'))
			return close ? -1 : 1;
	}
	return 0;
}

/*
 * Every @name in html's text outside a, code and pre: fn(ctx, at,
 * len) with at the @ and len the bytes of @name.  Stops when fn
 * returns non-zero.
 */
static void
walk(const char *html, int (*fn)(void *, const char *, size_t), void *ctx)
{
	const char *p = html, *gt;
	size_t len;
	int depth = 0;

	while (*p != '\0') {
		if (*p == '<') {
			depth += tag_skip(p);
			if (depth < 0)
				depth = 0;
			if ((gt = strchr(p, '>')) == NULL)
				return;
			p = gt + 1;
			continue;
		}
		if (*p == '@' && depth == 0 && may_start(html, p) &&
		    (len = name_len(p + 1)) > 0) {
			if (fn(ctx, p, len + 1))
				return;
			p += len + 1;
			continue;
		}
		p++;
	}
}

struct scan {
	struct mention	*m;
	int		 n, max;
};

static int
scan_one(void *ctx, const char *at, size_t len)
{
	struct scan *s = ctx;
	struct mention *m;
	int i;

	if (s->n >= s->max)
		return 1;
	m = &s->m[s->n];
	memset(m, 0, sizeof(*m));
	memcpy(m->name, at + 1, len - 1);
	user_name_key(m->name, m->key, sizeof(m->key));
	if (m->key[0] == '\0')
		return 0;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->m[i].key, m->key) == 0)
			return 0;
	s->n++;
	return 0;
}

int
mention_scan(const char *html, struct mention *m, int max)
{
	struct scan s = { m, 0, max };

	walk(html, scan_one, &s);
	return s.n;
}

struct link {
	const struct mention	*m;
	int			 n;
	const char		*from;	/* copied up to here */
	struct buf		*out;
};

static int
link_one(void *ctx, const char *at, size_t len)
{
	struct link *l = ctx;
	char name[MENTION_NAME_MAX + 1], key[MENTION_KEY_MAX];
	int i;

	memcpy(name, at + 1, len - 1);
	name[len - 1] = '\0';
	user_name_key(name, key, sizeof(key));
	for (i = 0; i < l->n; i++)
		if (l->m[i].id > 0 && strcmp(l->m[i].key, key) == 0)
			break;
	if (i == l->n || key[0] == '\0')
		return 0;
	buf_append(l->out, l->from, (size_t)(at - l->from));
	buf_printf(l->out, "<a class=\"mention\" href=\"/u/%lld\">",
	    l->m[i].id);
	buf_append(l->out, at, len);
	buf_puts(l->out, "</a>");
	l->from = at + len;
	return 0;
}

void
mention_link(const char *html, const struct mention *m, int n,
    struct buf *out)
{
	struct link l = { m, n, html, out };

	walk(html, link_one, &l);
	buf_puts(out, l.from);
}
