/*
 * The checks on markdown source before it is rendered: its length, that
 * it is UTF-8 without NUL bytes, that it is not blank, and an estimate
 * of how deep its quotes and lists nest (discount overflows its stack on
 * deep nesting).  Pure functions and the limits they apply; the server,
 * the broker and the workers all check with them, and forms check with
 * md_check before anything is sent to be rendered.
 */
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "i18n.h"
#include "md.h"

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
void
md_limits_fill(struct md_limits *l, const struct md_limits *in)
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

size_t
md_check_utf8_seq(const unsigned char *p, size_t n)
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
md_check_utf8(const char *src, size_t len)
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
		if ((k = md_check_utf8_seq(p + i, len - i)) == 0)
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
 * discount made, exactly (md_clean).
 */
int
md_check_depth(const char *src, size_t len, int max_depth)
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

enum md_err
md_check_limits(const struct md_limits *l, const char *src, size_t len)
{
	if (src == NULL || len == 0)
		return MD_EMPTY;
	if (len > l->max_src)
		return MD_TOO_LONG;
	if (!md_check_utf8(src, len))
		return MD_BAD_UTF8;
	if (all_blank(src, len))
		return MD_EMPTY;
	if (!md_check_depth(src, len, l->max_depth))
		return MD_TOO_DEEP;
	return MD_OK;
}

/* The limits md_check applies: md_init's or md_configure's, the last
 * set (a server whose renders go to the broker, mdb.c, sets them with
 * md_configure). */
static pthread_mutex_t	 lim_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct md_limits	 lim;
static int		 lim_set;

void
md_configure(const struct md_limits *in)
{
	pthread_mutex_lock(&lim_mtx);
	md_limits_fill(&lim, in);
	lim_set = 1;
	pthread_mutex_unlock(&lim_mtx);
}

void
md_limits_current(struct md_limits *l)
{
	pthread_mutex_lock(&lim_mtx);
	if (lim_set)
		*l = lim;
	else
		md_limits_default(l);
	pthread_mutex_unlock(&lim_mtx);
}

enum md_err
md_check(const char *src, size_t len)
{
	struct md_limits l;

	md_limits_current(&l);
	return md_check_limits(&l, src, len);
}
