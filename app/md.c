/*
 * The markdown pipeline.  discount 2.2.7 is not safe on its own: with
 * MKD_NOHTML javascript: links survive, images skip the link check,
 * deep nesting overflows its stack, some inputs take seconds and it
 * leaks.  So the source is checked first (length, UTF-8, no NUL,
 * nesting depth), discount runs with every optional feature that is not
 * needed switched off, in a pool of helper processes ("magnet-md
 * md-worker") with memory, CPU and system-call limits that are killed
 * on a timeout and replaced after a number of renders, and its output is
 * treated as hostile: the server rebuilds it through an allow-list of
 * tags and attributes, escaping every byte of text.
 *
 * Protocol between server and worker, over a socketpair that is the
 * worker's stdin and stdout: a request is a 4-byte big-endian length and
 * the markdown; a reply is a 4-byte big-endian length n >= 1, a status
 * byte (enum md_err) and n - 1 bytes of raw discount HTML.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <mkdio.h>

#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "md.h"

/* Sanitizer runtimes need address space and system calls of their own. */
#if defined(__SANITIZE_ADDRESS__)
#define MD_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define MD_SANITIZED	1
#endif
#endif

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__)) && \
    !defined(MD_SANITIZED)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#define MD_SECCOMP	1
#endif

/*
 * The discount features a forum post needs, and nothing else: no raw
 * HTML, no pseudo-protocols, no images, no div quotes, no style blocks,
 * no smarty quotes, tables, superscript, alphabetic or definition lists,
 * no pandoc header (it would swallow a first line starting with %).
 * Fenced code and bare http:// links are on because people paste both.
 */
#define MD_FLAGS	(MKD_NOHTML | MKD_SAFELINK | MKD_NO_EXT |	\
	    MKD_NOIMAGE | MKD_NODIVQUOTE | MKD_NOSTYLE | MKD_NOPANTS |	\
	    MKD_NOTABLES | MKD_NOSUPERSCRIPT | MKD_NOALPHALIST |	\
	    MKD_NODLIST | MKD_NOHEADER | MKD_EXPLICITLIST |		\
	    MKD_FENCEDCODE | MKD_AUTOLINK)

#define MD_ENV		"MAGNET_MD"
#define SAN_DEPTH	128	/* open elements the sanitiser keeps */

enum wfail {
	WF_SEND,
	WF_TIMEOUT,
	WF_EOF,
	WF_FRAME
};

static const char *const wfail_str[] = {
	"could not be written to",
	"timed out",
	"died or closed its socket",
	"sent a bad frame"
};

static const char *const msgids[MD__MAX] = {
	[MD_OK] = N_("OK"),
	[MD_EMPTY] = N_("The text is empty."),
	[MD_TOO_LONG] = N_("The text is too long."),
	[MD_TOO_DEEP] = N_("The text nests quotes or lists too deeply."),
	[MD_BAD_UTF8] =
	    N_("The text contains characters that are not allowed."),
	[MD_FAILED] = N_("The text could not be formatted. Please try again."),
};

const char *
md_err_msgid(enum md_err e)
{
	if ((int)e < 0 || e >= MD__MAX)
		e = MD_FAILED;
	return msgids[e];
}

void
md_limits_default(struct md_limits *l)
{
	l->max_src = MD_DEFAULT_MAX_SRC;
	l->max_depth = MD_DEFAULT_MAX_DEPTH;
	l->timeout_ms = MD_DEFAULT_TIMEOUT_MS;
	l->mem_limit = MD_DEFAULT_MEM_LIMIT;
	l->workers = MD_DEFAULT_WORKERS;
	l->recycle_after = MD_DEFAULT_RECYCLE;
	l->self_exe = "/proc/self/exe";
}

/* Defaults for zero or negative fields, clamps for the rest. */
static void
limits_fill(struct md_limits *l, const struct md_limits *in)
{
	md_limits_default(l);
	if (in == NULL)
		return;
	if (in->max_src > 0)
		l->max_src = in->max_src;
	if (l->max_src > (size_t)INT_MAX / 64)
		l->max_src = (size_t)INT_MAX / 64;
	if (in->max_depth > 0)
		l->max_depth = in->max_depth;
	if (l->max_depth > MD_MAX_DEPTH_CAP)
		l->max_depth = MD_MAX_DEPTH_CAP;
	if (in->timeout_ms > 0)
		l->timeout_ms = in->timeout_ms;
	if (in->mem_limit > 0)
		l->mem_limit = in->mem_limit;
	if (in->workers > 0)
		l->workers = in->workers;
	if (l->workers > MD_MAX_WORKERS)
		l->workers = MD_MAX_WORKERS;
	if (in->recycle_after > 0)
		l->recycle_after = in->recycle_after;
	if (in->self_exe != NULL && *in->self_exe != '\0')
		l->self_exe = in->self_exe;
	l->lazy = in->lazy;
}

/* The largest raw discount reply accepted, and the largest result. */
static size_t
raw_cap(const struct md_limits *l)
{
	return l->max_src * 64 + 65536;
}

static size_t
out_cap(const struct md_limits *l)
{
	return l->max_src * MD_OUT_FACTOR + 4096;
}

/*
 * Length of the valid UTF-8 sequence at p (1 to 4), or 0: no overlong
 * forms, no surrogates, nothing above U+10FFFF.
 */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		if (n >= 2 && (p[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && p[1] < 0xa0)
			return 0;
		if (c == 0xed && p[1] > 0x9f)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && p[1] < 0x90)
			return 0;
		if (c == 0xf4 && p[1] > 0x8f)
			return 0;
		return 4;
	}
	return 0;
}

int
md_utf8_ok(const char *src, size_t len)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t i = 0, k;

	while (i < len) {
		if (p[i] == '\0')
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, len - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static int
all_blank(const char *src, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)src[i] > 0x20 && src[i] != 0x7f)
			return 0;
	return 1;
}

/* discount takes every control character, DEL too, for a blank, so do
 * we (a fuzzer found "\x7f> > > ..." nesting past the limit). */
static int
blank_byte(char c)
{
	return ((unsigned char)c <= 0x20 && c != '\n') || c == 0x7f;
}

/* Skip blanks from p, advancing *col with tabs to the next stop of 4. */
static size_t
skip_ws(const char *s, size_t p, size_t e, int *col)
{
	for (; p < e && blank_byte(s[p]); p++) {
		if (s[p] == '\t')
			*col = (*col / 4 + 1) * 4;
		else
			(*col)++;
	}
	return p;
}

/* A horizontal rule: 3 or more of one of - * _ with only blanks between. */
static int
is_hr(const char *s, size_t n)
{
	size_t i;
	int count = 0;
	char c = s[0];

	if (c != '-' && c != '*' && c != '_')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (!blank_byte(s[i]))
			return 0;
	}
	return count >= 3;
}

/* Length of a list marker at s ("-", "*", "+", "12." or "3)"), or 0. */
static size_t
list_marker(const char *s, size_t n)
{
	size_t i = 0;

	if (s[0] == '-' || s[0] == '*' || s[0] == '+')
		i = 1;
	else {
		while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')'))
			return 0;
		i++;
	}
	if (i < n && !blank_byte(s[i]))
		return 0;
	return i;
}

/*
 * An estimate of how deep quotes and lists nest, made line by line
 * without parsing markdown, so that discount never sees the plain forms
 * of deep nesting (">>>>", "> > > >", "- - - -", ever deeper list
 * indentation) and no form that piles levels up line after line.
 * Every '>' of a line's prefix is a level.  List items, and the
 * markers that follow one on the same line ("- > - x"), stay open on a
 * stack, each with its column and the number of '>' before it: discount
 * lets almost any line continue the innermost item or quote, so an item
 * is closed only by a marker at or left of its column behind no more
 * '>', or by an unindented line after a blank line.  A line is as deep
 * as the stack plus the deepest quoting on it or in the stack.  It may
 * be off by a few levels either way; md_render also measures what
 * discount made, exactly.
 */
int
md_depth_ok(const char *src, size_t len, int max_depth)
{
	struct {
		int	col;
		int	q;	/* '>' before it on its line */
		int	quote;	/* a '>' that followed a list marker */
	} st[MD_MAX_DEPTH_CAP + 2];
	int qcol[MD_MAX_DEPTH_CAP + 1];
	int n = 0, blank = 1, col, q, qq, d, i, j;
	size_t start, p, e, k;
	const char *nl;

	if (max_depth < 0)
		max_depth = 0;
	if (max_depth > MD_MAX_DEPTH_CAP)
		max_depth = MD_MAX_DEPTH_CAP;
	for (start = 0; start < len; start = e + 1) {
		nl = memchr(src + start, '\n', len - start);
		e = nl != NULL ? (size_t)(nl - src) : len;
		col = 0;
		p = skip_ws(src, start, e, &col);
		if (p == e) {
			blank = 1;
			continue;
		}
		if (col == 0 && blank)
			n = 0;
		blank = 0;
		for (q = 0; p < e && src[p] == '>'; q++) {
			if (q == max_depth)
				return 0;
			qcol[q] = col;
			p++;
			col++;
			p = skip_ws(src, p, e, &col);
		}
		if (p < e && !is_hr(src + p, e - p) &&
		    (k = list_marker(src + p, e - p)) > 0) {
			while (n > 0 && (st[n - 1].q > q ||
			    (st[n - 1].q == q && st[n - 1].col >= col)))
				n--;
			for (;;) {
				st[n].col = col;
				st[n].q = q;
				st[n].quote = src[p] == '>';
				if (++n > max_depth)
					return 0;
				p += k;
				col += (int)k;
				p = skip_ws(src, p, e, &col);
				if (p >= e)
					break;
				if (src[p] == '>')
					k = 1;
				else if (is_hr(src + p, e - p) ||
				    (k = list_marker(src + p, e - p)) == 0)
					break;
			}
		}
		/* this line's '>' that reopen a quote marker of the stack */
		for (qq = q, j = 0; j < q; j++)
			for (i = 0; i < n; i++)
				if (st[i].quote && st[i].col == qcol[j]) {
					qq--;
					break;
				}
		for (i = 0; i < n; i++)
			if (st[i].q > qq)
				qq = st[i].q;
		if ((d = n + qq) > max_depth)
			return 0;
	}
	return 1;
}

static enum md_err
check(const struct md_limits *l, const char *src, size_t len)
{
	if (src == NULL || len == 0)
		return MD_EMPTY;
	if (len > l->max_src)
		return MD_TOO_LONG;
	if (!md_utf8_ok(src, len))
		return MD_BAD_UTF8;
	if (all_blank(src, len))
		return MD_EMPTY;
	if (!md_depth_ok(src, len, l->max_depth))
		return MD_TOO_DEEP;
	return MD_OK;
}

/* discount itself, raw output appended to out.  Not thread-safe. */
static int
discount(const char *src, size_t len, struct buf *out)
{
	MMIOT *doc;
	char *html = NULL;
	int n, rc = -1;

	if (len > INT_MAX)
		return -1;
	if ((doc = mkd_string(src, (int)len, MD_FLAGS)) == NULL)
		return -1;
	if (!mkd_compile(doc, MD_FLAGS))
		goto out;
	if ((n = mkd_document(doc, &html)) < 0)
		goto out;
	if (n > 0 && html != NULL)
		buf_append(out, html, (size_t)n);
	rc = 0;
out:
	mkd_cleanup(doc);
	return rc;
}

/* ---- the sanitiser ---- */

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
			} else if ((k = utf8_seq(u + i, n - i)) > 0) {
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

	if (n == 0 || !md_utf8_ok(u, n))
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

/* md_sanitise, also telling how deep blockquote, ul and ol nest. */
static int
sanitise(const char *html, size_t len, struct buf *out)
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

void
md_sanitise(const char *html, size_t len, struct buf *out)
{
	(void)sanitise(html, len, out);
}

static pthread_mutex_t inproc_mtx = PTHREAD_MUTEX_INITIALIZER;

int
md_render_inproc(const char *src, size_t len, struct buf *out)
{
	struct buf raw;
	int rc;

	buf_init(&raw);
	pthread_mutex_lock(&inproc_mtx);
	rc = discount(src, len, &raw);
	pthread_mutex_unlock(&inproc_mtx);
	if (rc == 0)
		md_sanitise(raw.p != NULL ? raw.p : "", raw.len, out);
	buf_free(&raw);
	return rc;
}

/* ---- frames ---- */

/* Blocking read of exactly n bytes: n, 0 at a clean EOF, or -1. */
static ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
write_full(int fd, const void *p, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = write(fd, (const char *)p + done, n - done);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* ---- the worker ---- */

/* Limits as md_init wrote them into MAGNET_MD; defaults otherwise. */
static void
worker_limits(struct md_limits *l)
{
	struct md_limits in;
	unsigned long long src, mem;
	int depth, tmo;
	const char *e;

	md_limits_default(l);
	if ((e = getenv(MD_ENV)) == NULL)
		return;
	if (sscanf(e, "%llu:%d:%d:%llu", &src, &depth, &tmo, &mem) != 4) {
		log_warnx("md-worker: bad %s", MD_ENV);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.max_src = (size_t)src;
	in.max_depth = depth;
	in.timeout_ms = tmo;
	in.mem_limit = (size_t)mem;
	limits_fill(l, &in);
}

static int
worker_rlimits(const struct md_limits *l)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		log_warn("md-worker: RLIMIT_CORE");
		return -1;
	}
#ifndef MD_SANITIZED
	rl.rlim_cur = rl.rlim_max = l->mem_limit;
	if (setrlimit(RLIMIT_AS, &rl) == -1) {
		log_warn("md-worker: RLIMIT_AS");
		return -1;
	}
#else
	(void)l;
#endif
	return 0;
}

/*
 * Around each render: an alarm on the process's CPU clock, the timeout
 * and one second from now; off again when the render is done.  The
 * server kills a late worker itself; this ends one that outlives the
 * server in a loop.  ITIMER_PROF runs on the clock the kernel charges
 * CPU time to, which gains on getrusage(2)'s on a loaded machine (a
 * third here), so a budget of "used so far plus the timeout" as
 * RLIMIT_CPU killed workers well inside the timeout after a few hundred
 * renders.  SIGPROF's default action ends the worker.
 */
static void
worker_cpu_alarm(const struct md_limits *l, int on)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (on) {
		it.it_value.tv_sec = l->timeout_ms / 1000 + 1;
		it.it_value.tv_usec = (l->timeout_ms % 1000) * 1000;
	}
	(void)setitimer(ITIMER_PROF, &it, NULL);
}

#ifdef MD_SECCOMP
#if defined(__x86_64__)
#define MD_AUDIT_ARCH	AUDIT_ARCH_X86_64
#else
#define MD_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#endif
#define SC_ALLOW(nr)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),		\
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define SC_ERRNO(nr, e)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),		\
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (e))

/*
 * After start-up the worker only reads, writes, allocates and exits:
 * anything else (a socket to the database, exec, open) kills it, and
 * memory can never be made executable.  A compromised discount gets no
 * further than its own process.
 */
static int
worker_seccomp(void)
{
	static struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MD_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		SC_ALLOW(__NR_read),
		SC_ALLOW(__NR_write),
		SC_ALLOW(__NR_close),
		SC_ALLOW(__NR_exit),
		SC_ALLOW(__NR_exit_group),
		SC_ALLOW(__NR_brk),
		SC_ALLOW(__NR_munmap),
		SC_ALLOW(__NR_mremap),
		SC_ALLOW(__NR_madvise),
		SC_ALLOW(__NR_futex),
		SC_ALLOW(__NR_rt_sigreturn),
		SC_ALLOW(__NR_rt_sigprocmask),
		SC_ALLOW(__NR_setitimer),
		SC_ALLOW(__NR_clock_gettime),
		SC_ALLOW(__NR_gettimeofday),
		SC_ALLOW(__NR_getpid),
		/* glibc's qsort asks for the machine's memory before sorting
		 * more than 1 KiB (discount sorts a text's references). */
		SC_ALLOW(__NR_sysinfo),
		SC_ALLOW(__NR_gettid),
		SC_ALLOW(__NR_tgkill),
		SC_ALLOW(__NR_restart_syscall),
		SC_ALLOW(__NR_newfstatat),
		SC_ALLOW(__NR_fstat),
#ifdef __NR_time
		SC_ALLOW(__NR_time),
#endif
		SC_ERRNO(__NR_openat, EACCES),
#ifdef __NR_open
		SC_ERRNO(__NR_open, EACCES),
#endif
		/* mmap and mprotect, but never with PROT_EXEC */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(f) / sizeof(f[0])),
		.filter = f,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		return -1;
	return 0;
}
#else
static int
worker_seccomp(void)
{
	return 0;
}
#endif

int
md_worker_main(void)
{
	struct md_limits l;
	struct buf in, raw;
	unsigned char hdr[5];
	uint32_t n;
	ssize_t r;
	int rc = 1;
	enum md_err st;

	log_init("magnet-md md-worker");
	signal(SIGPIPE, SIG_DFL);
	signal(SIGPROF, SIG_DFL);
	/* Nothing of the server's may stay open in here. */
	(void)close_range(3, ~0U, 0);
	tzset();	/* the log's clock reads /etc/localtime once, now */
	worker_limits(&l);
	buf_init(&in);
	buf_init(&raw);
	if (worker_rlimits(&l) == -1)
		goto out;
	if (worker_seccomp() == -1)
		log_warn("md-worker: seccomp filter not installed");
	/* Ready: the server starts a render's clock only after this. */
	if (write_full(1, "R", 1) == -1)
		goto out;
	for (;;) {
		if ((r = read_full(0, hdr, 4)) == 0) {
			rc = 0;
			break;
		}
		if (r == -1)
			goto out;
		if ((n = buf_be32_get(hdr)) > l.max_src) {
			log_warnx("md-worker: request of %u bytes refused", n);
			goto out;
		}
		buf_reset(&in);
		buf_grow(&in, n);
		if (n > 0 && read_full(0, in.p, n) != (ssize_t)n)
			goto out;
		in.len = n;
		buf_reset(&raw);
		if ((st = check(&l, in.p, n)) == MD_OK) {
			worker_cpu_alarm(&l, 1);
			r = discount(in.p, n, &raw);
			worker_cpu_alarm(&l, 0);
			if (r == -1)
				st = MD_FAILED;
			else if (raw.len > raw_cap(&l))
				st = MD_TOO_LONG;
			if (st != MD_OK)
				buf_reset(&raw);
		}
		buf_be32_put(hdr, (uint32_t)(raw.len + 1));
		hdr[4] = (unsigned char)st;
		if (write_full(1, hdr, 5) == -1 ||
		    write_full(1, raw.p, raw.len) == -1)
			goto out;
	}
out:
	/* _exit: discount's leaks are the process's to drop, not LSan's. */
	_exit(rc);
}

/* ---- the pool, in the server ---- */

struct worker {
	pid_t	pid;		/* -1 when not running */
	uid_t	uid;		/* the server's euid when it was started */
	int	fd;		/* our end of the socketpair */
	int	renders;
	int	busy;		/* its thread alone may touch pid and fd */
};

static pthread_mutex_t	 pool_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 pool_cv;
static int		 pool_cv_ready;
static struct worker	*pool_w;
static int		 pool_n;
static int		 pool_up;
static struct md_limits	 pool_lim;
static char		*pool_exe;
static int		 pool_exe_fd = -1;

/* How long a new worker may take to say it is ready. */
#define SPAWN_TIMEOUT_MS	5000
static char		 pool_envbuf[4][512];
static char		*pool_env[5];

/* The child's whole environment: its limits and sanitizer options. */
static void
pool_env_build(const struct md_limits *l)
{
	static const char *const pass[] = {
		"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"
	};
	const char *v;
	size_t i, klen, vlen;
	int n = 0;

	snprintf(pool_envbuf[n], sizeof(pool_envbuf[n]), "%s=%zu:%d:%d:%zu",
	    MD_ENV, l->max_src, l->max_depth, l->timeout_ms, l->mem_limit);
	pool_env[n] = pool_envbuf[n];
	n++;
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		if ((v = getenv(pass[i])) == NULL ||
		    (klen = strlen(pass[i])) + (vlen = strlen(v)) + 2 >
		    sizeof(pool_envbuf[n]))
			continue;
		memcpy(pool_envbuf[n], pass[i], klen);
		pool_envbuf[n][klen] = '=';
		memcpy(pool_envbuf[n] + klen + 1, v, vlen + 1);
		pool_env[n] = pool_envbuf[n];
		n++;
	}
	pool_env[n] = NULL;
}

/*
 * Start a worker on a fresh socketpair.  The child gets the socket as
 * stdin and stdout, keeps stderr for the log, and nothing else: every
 * other descriptor is closed, signals are back to their defaults and it
 * has a process group of its own, so a ^C to the server's terminal does
 * not reach it (it ends at EOF when the server goes).
 */
static int
worker_spawn(struct worker *w)
{
	static char arg0[] = "magnet-md", arg1[] = "md-worker";
	char *argv[] = { arg0, arg1, NULL };
	static const int defsigs[] = { SIGPIPE, SIGPROF, SIGCHLD, SIGINT,
	    SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t none, all, old;
	struct pollfd pfd;
	pid_t pid;
	size_t i;
	char ready;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("md: socketpair");
		return -1;
	}
	/*
	 * fork and execveat(2) on the descriptor opened at start-up, not
	 * posix_spawn on a path: after the privilege drop the path may lie
	 * under a directory the new user cannot enter.  Between fork and
	 * exec the child makes only async-signal-safe calls.
	 */
	sigfillset(&all);
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		for (i = 0; i < sizeof(defsigs) / sizeof(defsigs[0]); i++)
			sigaction(defsigs[i], &sa, NULL);
		setpgid(0, 0);
		if (dup2(sv[1], 0) == -1 || dup2(sv[1], 1) == -1)
			_exit(127);
		if (pool_exe_fd > 3)
			syscall(SYS_close_range, 3U, (unsigned int)pool_exe_fd - 1,
			    0U);
		syscall(SYS_close_range, (unsigned int)pool_exe_fd + 1, ~0U, 0U);
		sigprocmask(SIG_SETMASK, &none, NULL);
		syscall(SYS_execveat, pool_exe_fd, "", argv, pool_env,
		    AT_EMPTY_PATH);
		_exit(127);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (pid == -1) {
		log_warn("md: fork for md-worker");
		close(sv[0]);
		return -1;
	}
	/*
	 * Wait for the worker's ready byte, so that the time it takes to
	 * start (a sanitizer build takes a while) never counts against the
	 * render that follows.
	 */
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, SPAWN_TIMEOUT_MS) != 1 || read(sv[0], &ready, 1) != 1 ||
	    ready != 'R') {
		log_warnx("md: worker %d did not start", (int)pid);
		close(sv[0]);
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		return -1;
	}
	pthread_mutex_lock(&pool_mtx);
	w->pid = pid;
	w->uid = geteuid();
	w->fd = sv[0];
	w->renders = 0;
	pthread_mutex_unlock(&pool_mtx);
	return 0;
}

/*
 * Stop and reap a worker; why == NULL for a routine recycle.  Closing
 * the socket first matters for a worker started as root before the
 * privilege drop, which we may no longer signal: idle, it exits at EOF;
 * busy, its CPU alarm ends it within the timeout and a second.
 */
static void
worker_kill(struct worker *w, const char *why)
{
	pid_t pid = w->pid;
	int status = 0;

	if (pid <= 0)
		return;
	close(w->fd);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	pthread_mutex_lock(&pool_mtx);
	w->pid = -1;
	w->fd = -1;
	pthread_mutex_unlock(&pool_mtx);
	if (why == NULL)
		log_debug("md: worker %d recycled", (int)pid);
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		log_warnx("md: worker %d %s, killed by signal %d", (int)pid,
		    why, WTERMSIG(status));
	else if (WIFEXITED(status))
		log_warnx("md: worker %d %s, exit status %d", (int)pid, why,
		    WEXITSTATUS(status));
	else
		log_warnx("md: worker %d %s, killed", (int)pid, why);
}

/*
 * Make sure w runs.  An idle worker never speaks: anything readable
 * means it is gone.  One started before the server dropped its
 * privileges is replaced, so workers run as root only until first used.
 */
static int
worker_ready(struct worker *w)
{
	struct pollfd pfd;

	if (w->pid > 0 && w->uid != geteuid())
		worker_kill(w, NULL);
	if (w->pid > 0) {
		pfd.fd = w->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) == 0)
			return 0;
		worker_kill(w, "was found dead");
	}
	return worker_spawn(w);
}

/* Wait for fd to be ready for ev until the deadline: 0, or -1 timed out. */
static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int r;

	for (;;) {
		if ((left = deadline - mono_ms()) <= 0)
			return -1;
		pfd.fd = fd;
		pfd.events = ev;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

/* MSG_NOSIGNAL: a dead worker gives EPIPE here, never SIGPIPE. */
static int
send_all(int fd, const void *p, size_t n, long long deadline,
    enum wfail *why)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = send(fd, (const char *)p + done, n - done,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline) == -1) {
				*why = WF_TIMEOUT;
				return -1;
			}
			continue;
		}
		*why = WF_SEND;
		return -1;
	}
	return 0;
}

static int
recv_all(int fd, void *p, size_t n, long long deadline, enum wfail *why)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, (char *)p + got, n - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0) {
			*why = WF_EOF;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_fd(fd, POLLIN, deadline) == -1) {
				*why = WF_TIMEOUT;
				return -1;
			}
			continue;
		}
		*why = WF_EOF;
		return -1;
	}
	return 0;
}

/* One request and its reply; raw gets discount's HTML.  0 or -1. */
static int
worker_call(struct worker *w, const struct md_limits *l, const char *src,
    size_t len, struct buf *raw, enum md_err *st, enum wfail *why)
{
	unsigned char hdr[4], status;
	long long deadline = mono_ms() + l->timeout_ms;
	uint32_t n;

	buf_be32_put(hdr, (uint32_t)len);
	if (send_all(w->fd, hdr, 4, deadline, why) == -1 ||
	    send_all(w->fd, src, len, deadline, why) == -1)
		return -1;
	if (recv_all(w->fd, hdr, 4, deadline, why) == -1 ||
	    recv_all(w->fd, &status, 1, deadline, why) == -1)
		return -1;
	n = buf_be32_get(hdr);
	if (n < 1 || n - 1 > raw_cap(l) || status >= MD__MAX ||
	    (status != MD_OK && n != 1)) {
		*why = WF_FRAME;
		return -1;
	}
	buf_grow(raw, n - 1);
	if (recv_all(w->fd, raw->p + raw->len, n - 1, deadline, why) == -1)
		return -1;
	raw->len += n - 1;
	raw->p[raw->len] = '\0';
	*st = (enum md_err)status;
	return 0;
}

/* Take an idle worker, waiting at most timeout_ms; NULL if none. */
static struct worker *
pool_acquire(struct md_limits *l)
{
	struct timespec ts;
	struct worker *w = NULL;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&pool_mtx);
	if (pool_up) {
		*l = pool_lim;
		ts.tv_sec += l->timeout_ms / 1000;
		ts.tv_nsec += (long)(l->timeout_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	while (pool_up) {
		for (i = 0; i < pool_n; i++)
			if (!pool_w[i].busy)
				break;
		if (i < pool_n) {
			w = &pool_w[i];
			w->busy = 1;
			break;
		}
		if (pthread_cond_timedwait(&pool_cv, &pool_mtx, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&pool_mtx);
	return w;
}

static void
pool_release(struct worker *w)
{
	pthread_mutex_lock(&pool_mtx);
	w->busy = 0;
	pthread_cond_broadcast(&pool_cv);
	pthread_mutex_unlock(&pool_mtx);
}

/* The limits md_configure set, for a process that checks but does not
 * render (a server whose renders go to the broker, mdb.c). */
static struct md_limits	 conf_lim;
static int		 conf_set;

void
md_configure(const struct md_limits *in)
{
	pthread_mutex_lock(&pool_mtx);
	limits_fill(&conf_lim, in);
	conf_set = 1;
	pthread_mutex_unlock(&pool_mtx);
}

static int
limits_get(struct md_limits *l)
{
	int up;

	pthread_mutex_lock(&pool_mtx);
	if ((up = pool_up))
		*l = pool_lim;
	else if (conf_set)
		*l = conf_lim;
	else
		md_limits_default(l);
	pthread_mutex_unlock(&pool_mtx);
	return up;
}

void
md_limits_current(struct md_limits *l)
{
	(void)limits_get(l);
}

enum md_err
md_check(const char *src, size_t len)
{
	struct md_limits l;

	limits_get(&l);
	return check(&l, src, len);
}

/*
 * Replace idle workers that died (killed from outside, out of memory),
 * so that none stays a zombie until its next use, and those started
 * before the privilege drop.  One poll per render.
 */
static void
pool_sweep(void)
{
	struct pollfd pfd[MD_MAX_WORKERS];
	int pidx[MD_MAX_WORKERS], idx[MD_MAX_WORKERS], i, n = 0, dead = 0;
	uid_t uid = geteuid();

	pthread_mutex_lock(&pool_mtx);
	for (i = 0; pool_up && i < pool_n; i++) {
		if (pool_w[i].busy || pool_w[i].pid <= 0)
			continue;
		if (pool_w[i].uid != uid) {
			pool_w[i].busy = 1;
			idx[dead++] = i;
			continue;
		}
		pfd[n].fd = pool_w[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		pidx[n++] = i;
	}
	if (n > 0 && poll(pfd, (nfds_t)n, 0) > 0)
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0) {
				pool_w[pidx[i]].busy = 1;
				idx[dead++] = pidx[i];
			}
	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < dead; i++) {
		worker_kill(&pool_w[idx[i]], pool_w[idx[i]].uid != uid ?
		    NULL : "was found dead");
		(void)worker_spawn(&pool_w[idx[i]]);
		pool_release(&pool_w[idx[i]]);
	}
}

enum md_err
md_render(const char *src, size_t len, struct buf *out)
{
	struct md_limits l;
	struct worker *w = NULL;
	struct buf raw;
	size_t mark = out->len;
	enum md_err rc;
	enum wfail why;

	buf_init(&raw);
	if (!limits_get(&l)) {
		log_warnx("md: render before md_init");
		return MD_FAILED;
	}
	if ((rc = check(&l, src, len)) != MD_OK)
		return rc;
	if ((w = pool_acquire(&l)) == NULL) {
		log_warnx("md: no worker free within %d ms", l.timeout_ms);
		rc = MD_FAILED;
		goto out;
	}
	if (worker_ready(w) == -1) {
		rc = MD_FAILED;
		goto out;
	}
	if (worker_call(w, &l, src, len, &raw, &rc, &why) == -1) {
		worker_kill(w, wfail_str[why]);
		(void)worker_spawn(w);
		rc = MD_FAILED;
		goto out;
	}
	if (++w->renders >= l.recycle_after) {
		worker_kill(w, NULL);
		(void)worker_spawn(w);
	}
	if (rc != MD_OK)
		goto out;
	/* md_depth_ok is an estimate; this is the real nesting. */
	if (sanitise(raw.p != NULL ? raw.p : "", raw.len, out) > l.max_depth)
		rc = MD_TOO_DEEP;
	else if (out->len - mark > out_cap(&l))
		rc = MD_TOO_LONG;
out:
	if (w != NULL) {
		pool_release(w);
		pool_sweep();
	}
	if (rc != MD_OK && out->p != NULL) {
		out->len = mark;
		out->p[mark] = '\0';
	}
	buf_free(&raw);
	return rc;
}

/* Stop every worker; called with pool_mtx held and no worker busy. */
static void
pool_stop(void)
{
	int i;

	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < pool_n; i++)
		worker_kill(&pool_w[i], NULL);
	pthread_mutex_lock(&pool_mtx);
	free(pool_w);
	pool_w = NULL;
	pool_n = 0;
	free(pool_exe);
	pool_exe = NULL;
	if (pool_exe_fd != -1)
		close(pool_exe_fd);
	pool_exe_fd = -1;
}

int
md_init(const struct md_limits *in)
{
	pthread_condattr_t ca;
	int i, rc = -1;

	pthread_mutex_lock(&pool_mtx);
	if (pool_up || pool_w != NULL) {
		log_warnx("md: md_init called twice");
		goto out;
	}
	if (!pool_cv_ready) {
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&pool_cv, &ca);
		pthread_condattr_destroy(&ca);
		pool_cv_ready = 1;
	}
	limits_fill(&pool_lim, in);
	if (access(pool_lim.self_exe, X_OK) == -1 || (pool_exe_fd =
	    open(pool_lim.self_exe, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("md: %s", pool_lim.self_exe);
		goto out;
	}
	pool_exe = xstrdup(pool_lim.self_exe);
	pool_lim.self_exe = pool_exe;
	pool_env_build(&pool_lim);
	pool_n = pool_lim.workers;
	pool_w = xcalloc((size_t)pool_n, sizeof(*pool_w));
	for (i = 0; i < pool_n; i++) {
		pool_w[i].pid = -1;
		pool_w[i].fd = -1;
	}
	/* spawn takes the lock to publish each pid */
	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < pool_n && !pool_lim.lazy; i++)
		if (worker_spawn(&pool_w[i]) == -1)
			break;
	if (pool_lim.lazy)
		i = pool_n;
	pthread_mutex_lock(&pool_mtx);
	if (i < pool_n) {
		pool_stop();
		goto out;
	}
	pool_up = 1;
	rc = 0;
out:
	pthread_mutex_unlock(&pool_mtx);
	return rc;
}

void
md_shutdown(void)
{
	int i, busy;

	pthread_mutex_lock(&pool_mtx);
	if (pool_w == NULL) {
		pthread_mutex_unlock(&pool_mtx);
		return;
	}
	pool_up = 0;
	pthread_cond_broadcast(&pool_cv);
	for (;;) {
		for (busy = 0, i = 0; i < pool_n; i++)
			busy += pool_w[i].busy;
		if (busy == 0)
			break;
		pthread_cond_wait(&pool_cv, &pool_mtx);
	}
	pool_stop();
	pthread_mutex_unlock(&pool_mtx);
}

int
md_worker_pids(pid_t *pids, int n)
{
	int i, k = 0;

	pthread_mutex_lock(&pool_mtx);
	for (i = 0; i < pool_n && k < n; i++)
		if (pool_w[i].pid > 0)
			pids[k++] = pool_w[i].pid;
	pthread_mutex_unlock(&pool_mtx);
	return k;
}

static int
plain_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Skip a line's block markers: quotes, headings, list items. */
static const char *
plain_line_start(const char *p)
{
	const char *q;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '>') {
			p++;
			continue;
		}
		if (*p == '#') {
			for (q = p; *q == '#'; q++)
				;
			if (*q == ' ' || *q == '\t') {
				p = q;
				continue;
			}
			return p;
		}
		if ((*p == '-' || *p == '*' || *p == '+') &&
		    (p[1] == ' ' || p[1] == '\t')) {
			p += 2;
			continue;
		}
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p && q - p < 10 && (*q == '.' || *q == ')') &&
		    (q[1] == ' ' || q[1] == '\t')) {
			p = q + 2;
			continue;
		}
		return p;
	}
}

void
md_plain(struct buf *out, const char *src)
{
	const char *p = src, *q;
	int space = 1;	/* the last byte written was a space (or none) */

	p = plain_line_start(p);
	while (*p != '\0') {
		switch (*p) {
		case '\n':
		case '\r':
		case '\t':
		case ' ':
			if (!space)
				buf_puts(out, " ");
			space = 1;
			if (*p == '\n' || *p == '\r')
				p = plain_line_start(p + 1);
			else
				p++;
			continue;
		case '*':
		case '`':
		case '~':
			p++;
			continue;
		case '_':
			if (p == src || !plain_alnum((unsigned char)p[-1]) ||
			    !plain_alnum((unsigned char)p[1])) {
				p++;
				continue;
			}
			break;
		case '!':
			if (p[1] == '[') {
				p++;
				continue;
			}
			break;
		case '[':
			/* The text of [text](target) stays, the brackets go. */
			q = p + 1;
			while (*q != '\0' && *q != '\n' && *q != ']')
				q++;
			if (*q == ']' && q[1] == '(') {
				p++;
				continue;
			}
			break;
		case ']':
			if (p[1] == '(') {
				/* The target goes; a hit mark in it stays. */
				for (p += 2; *p != '\0' && *p != ')' &&
				    *p != '\n'; p++)
					if (*p == '\001' || *p == '\002')
						buf_append(out, p, 1);
				if (*p == ')')
					p++;
				continue;
			}
			break;
		}
		buf_append(out, p, 1);
		space = 0;
		p++;
	}
}

