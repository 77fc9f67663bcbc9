/*
 * libFuzzer target for app/md.c, md_check.c and md_clean.c.  Every input goes through the pipeline
 * as markdown (the checks md_render makes, then discount and the
 * sanitiser in this process) and straight into md_clean as HTML.
 * Besides not crashing, each output must pass a checker that knows
 * nothing of the sanitiser: only the allowed tags, balanced; every a has
 * the rel and an http, https, mailto or relative href; no text byte that
 * could open markup; valid UTF-8.  And when md_check_depth lets a text
 * through, discount's quotes and lists may nest at most twice as deep as
 * allowed: the estimate must not be fooled into letting levels pile up
 * (md_render then enforces the exact limit on discount's output).
 *
 *	clang -g -O1 -std=c11 -D_GNU_SOURCE -pthread -Iapp \
 *	    -fsanitize=fuzzer,address,undefined \
 *	    tests/fuzz/fuzz_md.c app/md.c app/md_check.c app/md_clean.c \
 *	    app/buf.c app/html.c app/log.c \
 *	    -lmarkdown -o build/fuzz/fuzz_md
 *	cp -r tests/fuzz/corpus/md /tmp/md-corpus
 *	build/fuzz/fuzz_md -dict=tests/fuzz/md.dict -max_len=20000 \
 *	    -timeout=10 -max_total_time=60 /tmp/md-corpus tests/fuzz/corpus/md
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "log.h"
#include "md.h"

#define MAX_SRC		20000
#define MAX_DEPTH	8

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const names[] = {
	"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul",
	"ol", "li", "a", "del", "h3", "h4", "h5", "h6", "bdi"
};

static void
fail(const char *why, const char *html, size_t at)
{
	fprintf(stderr, "fuzz_md: %s at %zu:\n%.*s\n", why, at,
	    (int)(at + 40 < 4000 ? at + 40 : 4000), html);
	abort();
}

static int
tag_index(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && memcmp(p, names[i], n) == 0)
			return (int)i;
	return -1;
}

static int
void_tag(int t)
{
	return strcmp(names[t], "br") == 0 || strcmp(names[t], "hr") == 0;
}

/* The href as written: only these references, no markup bytes. */
static void
check_href(const char *h, size_t n, const char *all, size_t at)
{
	char dec[4096];
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < sizeof(dec); i++) {
		if (h[i] == '<' || h[i] == '>' || h[i] == '\'' ||
		    (unsigned char)h[i] <= 0x20 || h[i] == 0x7f)
			fail("raw byte in href", all, at);
		if (h[i] != '&') {
			dec[o++] = h[i];
			continue;
		}
		if (strncmp(h + i, "&amp;", 5) == 0)
			dec[o++] = '&', i += 4;
		else if (strncmp(h + i, "&quot;", 6) == 0)
			dec[o++] = '"', i += 5;
		else if (strncmp(h + i, "&#39;", 5) == 0)
			dec[o++] = '\'', i += 4;
		else if (strncmp(h + i, "&lt;", 4) == 0)
			dec[o++] = '<', i += 3;
		else if (strncmp(h + i, "&gt;", 4) == 0)
			dec[o++] = '>', i += 3;
		else
			fail("unexpected reference in href", all, at);
	}
	dec[o] = '\0';
	for (i = 0; i < o; i++) {
		if (dec[i] == '/' || dec[i] == '?' || dec[i] == '#')
			return;
		if (dec[i] == ':') {
			if ((i == 4 && strncasecmp(dec, "http", 4) == 0) ||
			    (i == 5 && strncasecmp(dec, "https", 5) == 0) ||
			    (i == 6 && strncasecmp(dec, "mailto", 6) == 0))
				return;
			fail("bad scheme", all, at);
		}
	}
}

/* Returns the deepest nesting of blockquote, ul and ol. */
static int
check_html(const char *h, size_t n)
{
	static const char rel[] = "\" rel=\"nofollow ugc noopener\">";
	int stack[512], depth = 0, blocks = 0, maxblocks = 0, t, closing;
	size_t i = 0, j, k;
	const char *q;

	if (!md_check_utf8(h, n))
		fail("not UTF-8", h, 0);
	while (i < n) {
		if (h[i] == '>' || h[i] == '"' || h[i] == '\'')
			fail("raw markup byte in text", h, i);
		if (h[i] == '&') {
			for (j = i + 1; j < n && j < i + 40; j++) {
				if (h[j] == ';')
					break;
				if (h[j] != '#' &&
				    !isalnum((unsigned char)h[j]))
					fail("bare ampersand", h, i);
			}
			if (j >= n || h[j] != ';' || j == i + 1)
				fail("bare ampersand", h, i);
		}
		if (h[i] != '<') {
			i++;
			continue;
		}
		closing = i + 1 < n && h[i + 1] == '/';
		j = i + 1 + closing;
		for (k = j; k < n && h[k] >= 'a' && h[k] <= 'z'; k++)
			;
		if (k < n && h[k] >= '1' && h[k] <= '6')
			k++;
		if ((t = tag_index(h + j, k - j)) == -1)
			fail("tag not allowed", h, i);
		if (!closing && strcmp(names[t], "a") == 0) {
			if (strncmp(h + k, " href=\"", 7) != 0)
				fail("a without href", h, i);
			k += 7;
			if ((q = memchr(h + k, '"', n - k)) == NULL)
				fail("unterminated href", h, i);
			check_href(h + k, (size_t)(q - (h + k)), h, i);
			k = (size_t)(q - h);
			if (strncmp(h + k, rel, sizeof(rel) - 1) != 0)
				fail("a without rel", h, i);
			k += sizeof(rel) - 2;
		}
		/* Numbers go out in a left-to-right isolate, and only so. */
		if (!closing && strcmp(names[t], "bdi") == 0) {
			if (strncmp(h + k, " dir=\"ltr\"", 10) != 0)
				fail("bdi without dir=ltr", h, i);
			k += 10;
		}
		if (k >= n || h[k] != '>')
			fail("attribute not allowed", h, i);
		if (closing) {
			if (depth == 0 || stack[depth - 1] != t)
				fail("unbalanced end tag", h, i);
			depth--;
			if (t == 7 || t == 8 || t == 9)
				blocks--;
		} else if (!void_tag(t)) {
			if (depth == 512)
				fail("too deep", h, i);
			stack[depth++] = t;
			if (t == 7 || t == 8 || t == 9)
				if (++blocks > maxblocks)
					maxblocks = blocks;
		}
		i = k + 1;
	}
	if (depth != 0)
		fail("unclosed element", h, n);
	return maxblocks;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_open_error("/dev/null");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	struct buf out;
	int nest;

	if (size > MAX_SRC)
		return 0;
	buf_init(&out);
	(void)md_clean(src, size, &out);
	check_html(out.p, out.len);
	buf_reset(&out);
	if (md_check(src, size) == MD_OK) {
		if (md_render_inproc(src, size, &out) == -1)
			abort();
		nest = check_html(out.p, out.len);
		if (nest > 2 * MAX_DEPTH)
			fail("md_check_depth let deeper nesting through", out.p,
			    0);
	}
	buf_free(&out);
	return 0;
}
