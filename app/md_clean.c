/*
 * The HTML sanitiser.  discount's output is treated as hostile: it is
 * rebuilt here through an allow-list of tags and attributes, every byte
 * of text escaped and every element closed, and only what comes out of
 * md_clean is ever stored or shown.  Pure functions, no process.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "html.h"
#include "md.h"

#define SAN_DEPTH	128	/* open elements the sanitiser keeps */

enum tag {
	TAG_P,
	TAG_BR,
	TAG_HR,
	TAG_EM,
	TAG_STRONG,
	TAG_CODE,
	TAG_PRE,
	TAG_BLOCKQUOTE,
	TAG_UL,
	TAG_OL,
	TAG_LI,
	TAG_A,
	TAG_DEL,
	TAG_H1,
	TAG_H2,
	TAG_H3,
	TAG_H4,
	TAG_H5,
	TAG_H6,
	TAG__MAX
};

#define TF_VOID		0x01	/* no content, no end tag */
#define TF_BLOCK	0x02	/* its start tag ends an open p */
#define TF_HEADING	0x04
#define TF_NEST		0x08	/* counts as a level of nesting */

static const struct {
	const char	*name;	/* as it may come in */
	const char	*out;	/* as we write it */
	int		 flags;
} tags[TAG__MAX] = {
	[TAG_P] = { "p", "p", TF_BLOCK },
	[TAG_BR] = { "br", "br", TF_VOID },
	[TAG_HR] = { "hr", "hr", TF_VOID | TF_BLOCK },
	[TAG_EM] = { "em", "em", 0 },
	[TAG_STRONG] = { "strong", "strong", 0 },
	[TAG_CODE] = { "code", "code", 0 },
	[TAG_PRE] = { "pre", "pre", TF_BLOCK },
	[TAG_BLOCKQUOTE] = { "blockquote", "blockquote", TF_BLOCK | TF_NEST },
	[TAG_UL] = { "ul", "ul", TF_BLOCK | TF_NEST },
	[TAG_OL] = { "ol", "ol", TF_BLOCK | TF_NEST },
	[TAG_LI] = { "li", "li", TF_BLOCK },
	[TAG_A] = { "a", "a", 0 },
	[TAG_DEL] = { "del", "del", 0 },
	[TAG_H1] = { "h1", "h3", TF_BLOCK | TF_HEADING },
	[TAG_H2] = { "h2", "h4", TF_BLOCK | TF_HEADING },
	[TAG_H3] = { "h3", "h5", TF_BLOCK | TF_HEADING },
	[TAG_H4] = { "h4", "h6", TF_BLOCK | TF_HEADING },
	[TAG_H5] = { "h5", "h6", TF_BLOCK | TF_HEADING },
	[TAG_H6] = { "h6", "h6", TF_BLOCK | TF_HEADING },
};

#define REL	" rel=\"nofollow ugc noopener\""

struct san {
	struct buf	*out;
	enum tag	 stack[SAN_DEPTH];
	int		 depth;
	int		 dropped[TAG__MAX];	/* start tags left out */
	int		 nest;		/* blockquote, ul, ol open */
	int		 maxnest;
};

struct tok {
	int		 closing;
	int		 known;
	enum tag	 tag;
	const char	*href;		/* the raw value of the first href */
	size_t		 hreflen;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
put_utf8(struct buf *b, unsigned long cp)
{
	char s[4];

	if (cp < 0x80) {
		s[0] = (char)cp;
		buf_append(b, s, 1);
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, s, 4);
	}
}

/*
 * Parse "&#123", "&#x7b" (the ';' optional, as browsers take it) at p;
 * returns the length and stores the code point (0x110000 when too big).
 */
static size_t
numref(const char *p, size_t n, unsigned long *cp)
{
	size_t i = 2, digits = 0;
	int base = 10, v;

	*cp = 0;
	if (n < 3 || p[0] != '&' || p[1] != '#')
		return 0;
	if (p[2] == 'x' || p[2] == 'X') {
		base = 16;
		i++;
	}
	for (; i < n; i++, digits++) {
		v = base == 16 ? hexval(p[i]) : (is_digit(p[i]) ? p[i] - '0' :
		    -1);
		if (v < 0)
			break;
		*cp = *cp * (unsigned long)base + (unsigned long)v;
		if (*cp > 0x10ffff)
			*cp = 0x110000;
	}
	if (digits == 0)
		return 0;
	if (i < n && p[i] == ';')
		i++;
	return i;
}

/* Code points a character reference may stand for, in text or a URL. */
static int
cp_ok(unsigned long cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp >= 0x7f && cp <= 0x9f)
		return 0;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	return cp <= 0x10ffff;
}

/* Length of a well-formed character reference at p that may stay, or 0. */
static size_t
entity_len(const char *p, size_t n)
{
	unsigned long cp;
	size_t i;

	if (n >= 2 && p[1] == '#') {
		i = numref(p, n, &cp);
		if (i == 0 || p[i - 1] != ';' || !cp_ok(cp))
			return 0;
		return i;
	}
	for (i = 1; i < n && i <= 32; i++)
		if (!is_alpha(p[i]) && !(i > 1 && is_digit(p[i])))
			break;
	if (i > 1 && i < n && p[i] == ';')
		return i + 1;
	return 0;
}

/* Bytes that go out as they came: printable ASCII but <>&"' and \t\n\r. */
static int
plain(unsigned char c)
{
	if (c >= 0x20 && c < 0x7f)
		return c != '<' && c != '>' && c != '&' && c != '"' &&
		    c != '\'';
	return c == '\t' || c == '\n' || c == '\r';
}

/*
 * Text, escaped: markup characters become references, a reference that
 * is well formed stays, control bytes go, a byte that is not UTF-8
 * becomes U+FFFD.
 */
static void
put_text(struct buf *out, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, run, k;

	while (i < n) {
		for (run = i; i < n && plain(u[i]); i++)
			;
		if (i > run)
			buf_append(out, p + run, i - run);
		if (i >= n)
			break;
		switch (u[i]) {
		case '<':
			buf_puts(out, "&lt;");
			i++;
			break;
		case '>':
			buf_puts(out, "&gt;");
			i++;
			break;
		case '"':
			buf_puts(out, "&quot;");
			i++;
			break;
		case '\'':
			buf_puts(out, "&#39;");
			i++;
			break;
		case '&':
			if ((k = entity_len(p + i, n - i)) > 0) {
				buf_append(out, p + i, k);
				i += k;
			} else {
				buf_puts(out, "&amp;");
				i++;
			}
			break;
		default:
			if (u[i] < 0x80) {
				i++;	/* a control byte */
			} else if ((k = md_check_utf8_seq(u + i, n - i)) > 0) {
				buf_append(out, p + i, k);
				i += k;
			} else {
				buf_puts(out, "\xef\xbf\xbd");
				i++;
			}
			break;
		}
	}
}

/* put_text, with spaced numbers in <bdi dir="ltr"> (see html_number_run). */
static void
put_text_bidi(struct buf *out, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, from = 0, k;
	int edge = 1;	/* not inside a word or a number */

	while (i < n) {
		if (edge && (u[i] == '+' || html_digit_len(u + i, n - i) > 0) &&
		    (k = html_number_run(p + i, n - i)) > 0) {
			put_text(out, p + from, i - from);
			buf_puts(out, "<bdi dir=\"ltr\">");
			put_text(out, p + i, k);
			buf_puts(out, "</bdi>");
			i += k;
			from = i;
			edge = 0;
			continue;
		}
		if (u[i] == '&' && (k = entity_len(p + i, n - i)) > 0) {
			i += k;
			edge = 0;
			continue;
		}
		if ((k = html_digit_len(u + i, n - i)) > 0) {
			edge = 0;
			i += k;
			continue;
		}
		edge = !is_alpha((char)u[i]);
		i++;
	}
	put_text(out, p + from, n - from);
}

/* An attribute value, escaped for a double-quoted attribute. */
static void
put_attr(struct buf *out, const char *p, size_t n)
{
	size_t i, run;

	for (i = 0; i < n; ) {
		for (run = i; i < n && p[i] != '&' && p[i] != '"' &&
		    p[i] != '\'' && p[i] != '<' && p[i] != '>'; i++)
			;
		buf_append(out, p + run, i - run);
		if (i >= n)
			break;
		switch (p[i++]) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\'':
			buf_puts(out, "&#39;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		default:
			buf_puts(out, "&gt;");
			break;
		}
	}
}

/*
 * Decode an attribute value as a browser would.  Numeric references are
 * decoded; of the named ones only amp, lt, gt, quot and apos are, and
 * any other (&colon; &Tab; &NewLine; ...) refuses the value.  0 or -1.
 */
static int
attr_decode(const char *v, size_t n, struct buf *dst)
{
	static const struct {
		const char	*name;
		char		 c;
	} named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	unsigned long cp;
	size_t i, j, k, len;

	for (i = 0; i < n; ) {
		if (v[i] != '&') {
			buf_append(dst, v + i, 1);
			i++;
			continue;
		}
		if (i + 1 < n && v[i + 1] == '#') {
			if ((k = numref(v + i, n - i, &cp)) == 0 || !cp_ok(cp))
				return -1;
			put_utf8(dst, cp);
			i += k;
			continue;
		}
		if (i + 1 >= n ||
		    (!is_alpha(v[i + 1]) && !is_digit(v[i + 1]))) {
			buf_append(dst, "&", 1);
			i++;
			continue;
		}
		for (j = 0; j < sizeof(named) / sizeof(named[0]); j++) {
			len = strlen(named[j].name);
			if (n - i - 1 >= len &&
			    memcmp(v + i + 1, named[j].name, len) == 0)
				break;
		}
		if (j == sizeof(named) / sizeof(named[0]))
			return -1;
		buf_append(dst, &named[j].c, 1);
		i += 1 + strlen(named[j].name);
	}
	return 0;
}

/*
 * A decoded href that may be written: no blanks or control characters
 * anywhere (browsers strip some of them from schemes), no backslash,
 * valid UTF-8, and a scheme only if it is http, https or mailto; a
 * relative path, query or fragment is fine.
 */
static int
href_ok(const char *u, size_t n)
{
	size_t i;
	unsigned char c;

	if (n == 0 || !md_check_utf8(u, n))
		return 0;
	for (i = 0; i < n; i++) {
		c = (unsigned char)u[i];
		if (c <= 0x20 || c == 0x7f || c == '\\')
			return 0;
	}
	for (i = 0; i < n; i++) {
		if (u[i] == '/' || u[i] == '?' || u[i] == '#')
			return 1;
		if (u[i] == ':')
			return (i == 4 && strncasecmp(u, "http", 4) == 0) ||
			    (i == 5 && strncasecmp(u, "https", 5) == 0) ||
			    (i == 6 && strncasecmp(u, "mailto", 6) == 0);
	}
	return 1;
}

/*
 * Parse a tag at p (p[0] == '<').  Returns its length, or 0 when it is
 * not a tag: the '<' is then text.
 */
static size_t
parse_tag(const char *p, size_t n, struct tok *tk)
{
	size_t i = 1, ns, as, alen, vs = 0, ve = 0;
	int t, hasval;
	char q;

	memset(tk, 0, sizeof(*tk));
	if (i < n && p[i] == '/') {
		tk->closing = 1;
		i++;
	}
	if (i >= n || !is_alpha(p[i]))
		return 0;
	for (ns = i; i < n && (is_alpha(p[i]) || is_digit(p[i])); i++)
		;
	if (i < n && !is_space(p[i]) && p[i] != '/' && p[i] != '>')
		return 0;
	for (t = 0; t < TAG__MAX; t++)
		if (strlen(tags[t].name) == i - ns &&
		    strncasecmp(p + ns, tags[t].name, i - ns) == 0) {
			tk->known = 1;
			tk->tag = (enum tag)t;
			break;
		}
	for (;;) {
		while (i < n && (is_space(p[i]) || p[i] == '/'))
			i++;
		if (i >= n)
			return 0;
		if (p[i] == '>')
			return i + 1;
		for (as = i; i < n && !is_space(p[i]) && p[i] != '/' &&
		    p[i] != '>' && p[i] != '='; i++)
			if (p[i] == '"' || p[i] == '\'' || p[i] == '<')
				return 0;
		if ((alen = i - as) == 0)
			return 0;
		while (i < n && is_space(p[i]))
			i++;
		hasval = 0;
		if (i < n && p[i] == '=') {
			for (i++; i < n && is_space(p[i]); i++)
				;
			if (i >= n)
				return 0;
			if (p[i] == '"' || p[i] == '\'') {
				q = p[i++];
				for (vs = i; i < n && p[i] != q; i++)
					;
				if (i >= n)
					return 0;
				ve = i++;
			} else {
				for (vs = i; i < n && !is_space(p[i]) &&
				    p[i] != '>'; i++)
					if (strchr("\"'<=`", p[i]) != NULL)
						return 0;
				ve = i;
			}
			hasval = 1;
		}
		if (!tk->closing && hasval && tk->href == NULL && alen == 4 &&
		    strncasecmp(p + as, "href", 4) == 0) {
			tk->href = p + vs;
			tk->hreflen = ve - vs;
		}
	}
}

static int
san_find(const struct san *s, enum tag t)
{
	int i;

	for (i = s->depth - 1; i >= 0; i--)
		if (s->stack[i] == t)
			return i;
	return -1;
}

/* Close the open elements down to and including the one at index i. */
static void
san_close_to(struct san *s, int i)
{
	enum tag t;

	while (s->depth > i) {
		t = s->stack[--s->depth];
		if (tags[t].flags & TF_NEST)
			s->nest--;
		buf_puts(s->out, "</");
		buf_puts(s->out, tags[t].out);
		buf_putc(s->out, '>');
	}
}

/*
 * A start tag.  The HTML parser closes some elements by itself (a block
 * ends an open p, a heading an open heading, an a inside an a ends the
 * first); we close them explicitly first, or drop the tag, so that the
 * tree a browser builds is exactly the one written and no end tag ever
 * reaches past the post.
 */
static void
san_start(struct san *s, const struct tok *tk, struct buf *tmp)
{
	enum tag t = tk->tag, top;
	int i, h;

	if (tags[t].flags & TF_BLOCK) {
		if ((i = san_find(s, TAG_P)) != -1)
			san_close_to(s, i);
		if (tags[t].flags & TF_HEADING) {
			for (i = s->depth - 1; i >= 0; i--)
				if (tags[s->stack[i]].flags & TF_HEADING)
					break;
			if (i >= 0)
				san_close_to(s, i);
		}
	}
	if (tags[t].flags & TF_VOID) {
		buf_putc(s->out, '<');
		buf_puts(s->out, tags[t].out);
		buf_putc(s->out, '>');
		return;
	}
	top = s->depth > 0 ? s->stack[s->depth - 1] : TAG__MAX;
	h = 0;
	if (t == TAG_LI && top != TAG_UL && top != TAG_OL)
		goto drop;
	if (t == TAG_A) {
		if (san_find(s, TAG_A) != -1 || tk->href == NULL)
			goto drop;
		buf_reset(tmp);
		if (attr_decode(tk->href, tk->hreflen, tmp) == -1 ||
		    !href_ok(tmp->p, tmp->len))
			goto drop;
		h = 1;
	}
	if (s->depth == SAN_DEPTH)
		goto drop;
	buf_putc(s->out, '<');
	buf_puts(s->out, tags[t].out);
	if (h) {
		buf_puts(s->out, " href=\"");
		put_attr(s->out, tmp->p, tmp->len);
		buf_puts(s->out, "\"" REL);
	}
	buf_putc(s->out, '>');
	s->stack[s->depth++] = t;
	if ((tags[t].flags & TF_NEST) && ++s->nest > s->maxnest)
		s->maxnest = s->nest;
	return;
drop:
	s->dropped[t]++;
}

static void
san_end(struct san *s, enum tag t)
{
	int i;

	if (tags[t].flags & TF_VOID)
		return;
	if (s->dropped[t] > 0) {
		s->dropped[t]--;
		return;
	}
	if ((i = san_find(s, t)) != -1)
		san_close_to(s, i);
}

int
md_clean(const char *html, size_t len, struct buf *out)
{
	struct san s;
	struct tok tk;
	struct buf tmp;
	const char *lt;
	size_t i = 0, k;

	memset(&s, 0, sizeof(s));
	s.out = out;
	buf_init(&tmp);
	buf_grow(out, len + len / 4);
	while (i < len) {
		if (html[i] != '<') {
			lt = memchr(html + i, '<', len - i);
			k = lt != NULL ? (size_t)(lt - html) - i : len - i;
			put_text_bidi(out, html + i, k);
			i += k;
			continue;
		}
		if ((k = parse_tag(html + i, len - i, &tk)) == 0) {
			buf_puts(out, "&lt;");
			i++;
			continue;
		}
		i += k;
		if (!tk.known)
			continue;
		if (tk.closing)
			san_end(&s, tk.tag);
		else
			san_start(&s, &tk, &tmp);
	}
	san_close_to(&s, 0);
	buf_grow(out, 0);
	out->p[out->len] = '\0';
	buf_free(&tmp);
	return s.maxnest;
}
