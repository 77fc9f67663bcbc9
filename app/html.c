/*
 * Context escapers.  Text and attribute escaping both cover the five
 * significant characters, so a value escaped for text is also safe in a
 * quoted attribute (unlike OpenBSD httpd's escape_html).
 */
#include <string.h>

#include "buf.h"
#include "html.h"

/*
 * The length of the well-formed UTF-8 character at p (1 to 4), or 0 for
 * a byte that does not start one: a stray continuation, an overlong form,
 * a surrogate, beyond U+10FFFF, or cut short by end.
 */
static size_t
utf8_char(const unsigned char *p, const unsigned char *end)
{
	unsigned int cp;
	size_t more, i;

	if (*p < 0x80)
		return 1;
	if ((*p & 0xe0) == 0xc0) {
		cp = *p & 0x1f;
		more = 1;
	} else if ((*p & 0xf0) == 0xe0) {
		cp = *p & 0x0f;
		more = 2;
	} else if ((*p & 0xf8) == 0xf0) {
		cp = *p & 0x07;
		more = 3;
	} else
		return 0;
	if ((size_t)(end - p) <= more)
		return 0;
	for (i = 1; i <= more; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) ||
	    (more == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return more + 1;
}

/* A C0 control other than tab, LF and CR, or DEL: not for a page. */
static int
is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/*
 * Text and attributes.  Whatever the bytes, what comes out is UTF-8: a
 * byte that is not part of a well-formed character, and a control, is
 * written as U+FFFD, so no path, query or header reflected in a page can
 * put invalid bytes into it.
 */
void
html_ntxt(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *start = p;
	const char *rep;
	size_t len;

	while (p < end) {
		len = 1;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default:
			if (*p < 0x80 ? !is_control(*p) :
			    (len = utf8_char(p, end)) != 0) {
				p += len;
				continue;
			}
			rep = "\xef\xbf\xbd";
			len = 1;
		}
		buf_append(b, (const char *)start, (size_t)(p - start));
		buf_puts(b, rep);
		p += len;
		start = p;
	}
	buf_append(b, (const char *)start, (size_t)(end - start));
}

void
html_txt(struct buf *b, const char *s)
{
	if (s != NULL)
		html_ntxt(b, s, strlen(s));
}

void
html_attr(struct buf *b, const char *s)
{
	html_txt(b, s);
}

/* Percent-encoding of all but the unreserved characters and keep. */
static void
url_encode(struct buf *b, const char *s, char keep)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || (keep != '\0' && c == keep))
			buf_putc(b, (char)c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}

void
html_url_arg(struct buf *b, const char *s)
{
	url_encode(b, s, '\0');
}

void
html_url_path(struct buf *b, const char *s)
{
	url_encode(b, s, '/');
}

void
html_json(struct buf *b, const char *s)
{
	const char *end = s != NULL ? s + strlen(s) : NULL;
	unsigned char c;
	size_t len;

	buf_putc(b, '"');
	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c >= 0x80) {
			if ((len = utf8_char((const unsigned char *)s,
			    (const unsigned char *)end)) == 0)
				buf_puts(b, "\\ufffd");
			else
				buf_append(b, s, len);
			s += len == 0 ? 0 : len - 1;
			continue;
		}
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break;
		case '>': buf_puts(b, "\\u003e"); break;
		case '&': buf_puts(b, "\\u0026"); break;
		default:
			if (c < 0x20)
				buf_printf(b, "\\u%04x", c);
			else
				buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

int
html_utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t len;

	for (; p < end; p += len)
		if ((*p < 0x80 && is_control(*p)) ||
		    (len = utf8_char(p, end)) == 0)
			return 0;
	return 1;
}

size_t
html_digit_len(const unsigned char *u, size_t n)
{
	if (n >= 1 && u[0] >= '0' && u[0] <= '9')
		return 1;
	if (n >= 2 && u[0] == 0xd9 && u[1] >= 0xa0 && u[1] <= 0xa9)
		return 2;
	if (n >= 2 && u[0] == 0xdb && u[1] >= 0xb0 && u[1] <= 0xb9)
		return 2;
	return 0;
}

/*
 * In right-to-left text the bidi algorithm lays the groups of a spaced
 * number out right to left ("4567 123 0750") and puts a leading + at the
 * far end, so such a run goes out in a left-to-right isolate.
 */
size_t
html_number_run(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, k, g, end = 0, digits = 0, groups = 0;
	int plus = 0;

	if (n > 0 && u[0] == '+') {
		plus = 1;
		i++;
	}
	for (;;) {
		for (g = 0; i < n && (k = html_digit_len(u + i, n - i)) > 0;
		    g++)
			i += k;
		if (g == 0)
			break;
		digits += g;
		groups++;
		end = i;
		if (i + 1 < n && u[i] == ' ' &&
		    html_digit_len(u + i + 1, n - i - 1) > 0)
			i++;
		else
			break;
	}
	if (end > 48)
		return 0;	/* not a number anyone reads as one */
	if ((groups >= 2 && digits >= 5) || (plus && digits >= 7))
		return end;
	return 0;
}

static int
ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void
html_txt_bidi(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, from = 0, n, k;
	int edge = 1;	/* not inside a word or a number */

	if (s == NULL)
		return;
	n = strlen(s);
	while (i < n) {
		if (edge && (u[i] == '+' || html_digit_len(u + i, n - i) > 0) &&
		    (k = html_number_run(s + i, n - i)) > 0) {
			html_ntxt(b, s + from, i - from);
			buf_puts(b, "<bdi dir=\"ltr\">");
			html_ntxt(b, s + i, k);
			buf_puts(b, "</bdi>");
			i += k;
			from = i;
			edge = 0;
			continue;
		}
		if ((k = html_digit_len(u + i, n - i)) > 0) {
			edge = 0;
			i += k;
			continue;
		}
		edge = !ascii_alpha(u[i]);
		i++;
	}
	html_ntxt(b, s + from, n - from);
}

void
html_example(struct buf *b, const char *s)
{
	buf_puts(b, "<bdi dir=\"ltr\"><code>");
	html_txt(b, s);
	buf_puts(b, "</code></bdi>");
}

void
html_fill(struct buf *b, const char *fmt, const char *ex1, const char *ex2)
{
	const char *p = fmt, *q, *ex;
	int next = 0;

	while ((q = strchr(p, '%')) != NULL) {
		html_ntxt(b, p, (size_t)(q - p));
		ex = NULL;
		if (q[1] == 's') {
			ex = next++ == 0 ? ex1 : ex2;
			p = q + 2;
		} else if ((q[1] == '1' || q[1] == '2') && q[2] == '$' &&
		    q[3] == 's') {
			ex = q[1] == '1' ? ex1 : ex2;
			p = q + 4;
		} else if (q[1] == '%') {
			buf_puts(b, "%");
			p = q + 2;
			continue;
		} else {
			buf_puts(b, "%");
			p = q + 1;
			continue;
		}
		if (ex != NULL)
			html_example(b, ex);
	}
	html_txt(b, p);
}

void
html_marked(struct buf *b, const char *s)
{
	const char *p, *start;

	for (start = p = s; ; p++) {
		if (*p == '\001' || *p == '\002' || *p == '\0') {
			html_ntxt(b, start, (size_t)(p - start));
			if (*p == '\0')
				break;
			buf_puts(b, *p == '\001' ? "<mark>" : "</mark>");
			start = p + 1;
		}
	}
}
