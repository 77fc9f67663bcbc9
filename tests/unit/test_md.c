/*
 * Tests for app/md.c, md_check.c and md_clean.c: hostile and ordinary
 * markdown through discount and the sanitiser in this process, the
 * sanitiser alone on hostile HTML, the nesting estimate and the input
 * checks, then the real worker pool ("magnet-md md-worker" next to
 * $MAGNET_BIN, which must be set): renders, refusals, a timeout, a
 * worker killed mid-render, 2,000 renders across recycling, threads,
 * and the render time and worker size.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "log.h"
#include "md.h"

#define REL	" rel=\"nofollow ugc noopener\""

static const char *const allowed[] = {
	"p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul",
	"ol", "li", "a", "del", "h3", "h4", "h5", "h6", "bdi"
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
repeat(const char *s, size_t times)
{
	size_t n = strlen(s), i;
	char *p;

	p = malloc(n * times + 1);
	assert_non_null(p);
	for (i = 0; i < times; i++)
		memcpy(p + i * n, s, n);
	p[n * times] = '\0';
	return p;
}

/* A scheme we allow, or none; v is the href as written (escaped). */
static void
check_href(const char *v, size_t n, const char *html)
{
	char dec[2048];
	size_t i, o = 0;

	assert_true(n < sizeof(dec));
	for (i = 0; i < n; i++) {
		if (v[i] != '&') {
			dec[o++] = v[i];
			continue;
		}
		if (strncmp(v + i, "&amp;", 5) == 0)
			dec[o++] = '&', i += 4;
		else if (strncmp(v + i, "&quot;", 6) == 0)
			dec[o++] = '"', i += 5;
		else if (strncmp(v + i, "&#39;", 5) == 0)
			dec[o++] = '\'', i += 4;
		else if (strncmp(v + i, "&lt;", 4) == 0)
			dec[o++] = '<', i += 3;
		else if (strncmp(v + i, "&gt;", 4) == 0)
			dec[o++] = '>', i += 3;
		else
			fail_msg("reference in href: %s", html);
	}
	dec[o] = '\0';
	for (i = 0; i < o; i++) {
		if ((unsigned char)dec[i] <= 0x20 || dec[i] == 0x7f)
			fail_msg("blank in href: %s", html);
	}
	for (i = 0; i < o; i++) {
		if (dec[i] == '/' || dec[i] == '?' || dec[i] == '#')
			break;
		if (dec[i] == ':') {
			if (!((i == 4 && strncasecmp(dec, "http", 4) == 0) ||
			    (i == 5 && strncasecmp(dec, "https", 5) == 0) ||
			    (i == 6 && strncasecmp(dec, "mailto", 6) == 0)))
				fail_msg("scheme in href: %s", html);
			break;
		}
	}
}

/*
 * Knows nothing of md.c: only allowed tags, balanced, no attribute but
 * a safe href followed by the rel, no markup byte in text, UTF-8.
 */
static void
check_safe(const char *h)
{
	size_t n = strlen(h), i = 0, j, k, t, nt;
	const char *q, *stack[256];
	int depth = 0, closing;

	nt = sizeof(allowed) / sizeof(allowed[0]);
	if (!md_check_utf8(h, n))
		fail_msg("not UTF-8: %s", h);
	while (i < n) {
		if (h[i] == '>' || h[i] == '"' || h[i] == '\'')
			fail_msg("markup byte in text at %zu: %s", i, h);
		if (h[i] != '<') {
			i++;
			continue;
		}
		closing = h[i + 1] == '/';
		j = i + 1 + closing;
		for (k = j; h[k] >= 'a' && h[k] <= 'z'; k++)
			;
		if (h[k] >= '1' && h[k] <= '6')
			k++;
		for (t = 0; t < nt; t++)
			if (strlen(allowed[t]) == k - j &&
			    strncmp(h + j, allowed[t], k - j) == 0)
				break;
		if (t == nt)
			fail_msg("tag not allowed at %zu: %s", i, h);
		if (!closing && strcmp(allowed[t], "a") == 0) {
			if (strncmp(h + k, " href=\"", 7) != 0)
				fail_msg("a without href: %s", h);
			k += 7;
			q = strchr(h + k, '"');
			assert_non_null(q);
			check_href(h + k, (size_t)(q - h) - k, h);
			k = (size_t)(q - h) + 1;
			if (strncmp(h + k, REL, strlen(REL)) != 0)
				fail_msg("a without rel: %s", h);
			k += strlen(REL);
		}
		if (!closing && strcmp(allowed[t], "bdi") == 0) {
			if (strncmp(h + k, " dir=\"ltr\"", 10) != 0)
				fail_msg("bdi without dir=ltr: %s", h);
			k += 10;
		}
		if (h[k] != '>')
			fail_msg("attribute at %zu: %s", i, h);
		if (closing) {
			if (depth == 0 || stack[depth - 1] != allowed[t])
				fail_msg("unbalanced at %zu: %s", i, h);
			depth--;
		} else if (strcmp(allowed[t], "br") != 0 &&
		    strcmp(allowed[t], "hr") != 0) {
			assert_true(depth < 256);
			stack[depth++] = allowed[t];
		}
		i = k + 1;
	}
	if (depth != 0)
		fail_msg("unclosed: %s", h);
}

/* Whatever the text says, no tag may carry these. */
static void
check_no_danger(const char *h)
{
	static const char *const bad[] = {
		"javascript:", "vbscript:", "data:", " on", "style=", "src=",
		"<script", "<img", "<div", "<iframe", "<svg", "<style"
	};
	const char *p, *e;
	size_t i;
	char tag[4096];

	for (p = h; (p = strchr(p, '<')) != NULL; p = e) {
		e = strchr(p, '>');
		assert_non_null(e);
		assert_true((size_t)(e - p) < sizeof(tag));
		memcpy(tag, p, (size_t)(e - p));
		tag[e - p] = '\0';
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (strcasestr(tag, bad[i]) != NULL)
				fail_msg("%s in tag: %s", bad[i], h);
		if (strncmp(tag, "<a", 2) == 0 && strstr(tag, REL) == NULL)
			fail_msg("a without rel: %s", h);
	}
}

static void
render_ok(const char *src, struct buf *b)
{
	buf_init(b);
	assert_int_equal(md_render_inproc(src, strlen(src), b), 0);
	assert_non_null(b->p);
	check_safe(b->p);
	check_no_danger(b->p);
}

static void
test_hostile_markdown(void **state)
{
	static const char *const cases[] = {
		"[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1))",
		"[x](  javascript:alert(1))",
		"[x](<javascript:alert(1)>)",
		"[x](java\nscript:alert(1))",
		"[x](java\tscript:alert(1))",
		"[x](data:text/html,<script>alert(1)</script>)",
		"[x](DATA:text/html;base64,PHNjcmlwdD4=)",
		"[x](vbscript:msgbox(1))",
		"[x](jav&#x61;script:alert(1))",
		"[x](jav&#97;script:alert(1))",
		"[x](&#106;avascript:alert(1))",
		"[x](&#x6A;avascript:alert(1))",
		"[x](javascript&colon;alert(1))",
		"[x](java&Tab;script:alert(1))",
		"[x](%6Aavascript:alert(1))",
		"[x](javascript%3Aalert(1))",
		"[x][r]\n\n[r]: javascript:alert(1)",
		"[x][r]\n\n[r]: data:text/html,x",
		"![i](javascript:alert(1))",
		"![i](http://evil.example/x.png\" onerror=\"alert(1))",
		"![i](x onerror=alert(1))",
		"<script>alert(1)</script>",
		"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
		"<img src=x onerror=alert(1)>",
		"<a href=\"javascript:alert(1)\">x</a>",
		"<div style=\"background:url(javascript:alert(1))\">x</div>",
		"<iframe src=\"data:text/html,x\"></iframe>",
		"<svg onload=alert(1)>",
		"<style>body{}</style>",
		"<!-- <script>x</script> -->",
		">%class%\n> text",
		">%id:x%\n> text",
		"> %class%\n> text",
		"[t](http://x.example \"\\\"><script>alert(1)</script>\")",
		"[t](http://x.example \"a\" onmouseover=\"alert(1)\")",
		"[t](http://x.example/\"onmouseover=\"alert(1))",
		"[t](http://x.example/'onmouseover='alert(1))",
		"[<a href=\"javascript:x\">t</a>](http://x.example)",
		"<javascript:alert(1)>",
		"<JAVASCRIPT:alert(1)>",
		"<vbscript:alert(1)>",
		"<data:text/html,x>",
		"<mailto:a@b.example>",
		"<a@b.example>",
		"<http://x.example/\"><script>alert(1)</script>>",
		"http://x.example/\"><script>alert(1)</script>",
		"`<script>alert(1)</script>`",
		"    <script>alert(1)</script>",
		"```\n<script>alert(1)</script>\n```",
		"```html onload=x\n<b>\n```",
		"~~<script>~~",
		"*<img src=x onerror=alert(1)>*",
		"[x](http://a.example)[y](javascript:z)",
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"&#60;script&#62;alert(1)&#60;/script&#62;",
		"[x](#\" onclick=\"alert(1))",
		"\xe2\x80\xae[x](javascript:alert(1))",
		"[x](\x01javascript:alert(1))",
		"%title\n%author\n%date\n\ntext",
		"=term=\n    def <script>",
		"| a | b |\n|---|---|\n| <script> | x |",
		"a^<script>",
		"[^1]\n\n[^1]: <script>",
	};
	struct buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		render_ok(cases[i], &b);
		buf_free(&b);
	}
}

struct pair {
	const char	*in;
	const char	*out;
};

static void
test_ordinary_markdown(void **state)
{
	static const struct pair cases[] = {
		{ "Hello *world*", "<p>Hello <em>world</em></p>" },
		{ "**bold** and _it_", "<p><strong>bold</strong> and "
		    "<em>it</em></p>" },
		{ "use `a < b`", "<p>use <code>a &lt; b</code></p>" },
		{ "~~gone~~", "<p><del>gone</del></p>" },
		{ "[site](https://example.org/a?b=1&c=2)",
		    "<p><a href=\"https://example.org/a?b=1&amp;c=2\"" REL
		    ">site</a></p>" },
		{ "[rel](/t/12#p3)",
		    "<p><a href=\"/t/12#p3\"" REL ">rel</a></p>" },
		{ "<https://example.org>",
		    "<p><a href=\"https://example.org\"" REL
		    ">https://example.org</a></p>" },
		{ "see http://example.org now",
		    "<p>see <a href=\"http://example.org\"" REL
		    ">http://example.org</a> now</p>" },
		{ "# Title", "<h3>Title</h3>" },
		{ "###### Small", "<h6>Small</h6>" },
		{ "- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" },
		{ "1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>" },
		{ "> quoted", "<blockquote><p>quoted</p></blockquote>" },
		{ "    code & <x>",
		    "<pre><code>code &amp; &lt;x&gt;\n</code></pre>" },
		{ "```c\nint x;\n```", "<pre><code>int x;\n</code></pre>" },
		{ "a  \nb", "<p>a<br>\nb</p>" },
		{ "---", "<hr>" },
		{ "a \"q\" & 'b'",
		    "<p>a &quot;q&quot; &amp; &#39;b&#39;</p>" },
		{ "&copy; 2024", "<p>&copy; 2024</p>" },
		{ "%not a header", "<p>%not a header</p>" },
		{ "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x88 *\xd8\xa8\xd8\xa7\xd8\xb4*",
		    "<p>\xd8\xb3\xd9\x84\xd8\xa7\xd9\x88 "
		    "<em>\xd8\xa8\xd8\xa7\xd8\xb4</em></p>" },
	};
	struct buf b;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		render_ok(cases[i].in, &b);
		/* discount ends blocks with newlines; they do not matter */
		for (n = b.len; n > 0 && b.p[n - 1] == '\n'; n--)
			b.p[n - 1] = '\0';
		if (strcmp(b.p, cases[i].out) != 0)
			fail_msg("%s\n got: %s\nwant: %s", cases[i].in, b.p,
			    cases[i].out);
		buf_free(&b);
	}
}

static void
test_sanitise(void **state)
{
	static const struct pair cases[] = {
		{ "<p onclick=\"x\" class=a>a</p>", "<p>a</p>" },
		{ "<a href=\"javascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"JAVASCRIPT:alert(1)\">x</a>", "x" },
		{ "<a href=\" javascript:alert(1)\">x</a>", "x" },
		{ "<a href=\"jav&#x61;script:x\">x</a>", "x" },
		{ "<a href=\"jav&#97;script:x\">x</a>", "x" },
		{ "<a href=\"&#106avascript:x\">x</a>", "x" },
		{ "<a href=\"&#x6a;avascript:x\">x</a>", "x" },
		{ "<a href=\"java&Tab;script:x\">x</a>", "x" },
		{ "<a href=\"java&#9;script:x\">x</a>", "x" },
		{ "<a href=\"java&#10;script:x\">x</a>", "x" },
		{ "<a href=\"javascript&colon;x\">x</a>", "x" },
		{ "<a href=\"\x01javascript:x\">x</a>", "x" },
		{ "<a href=\"java\\script:x\">x</a>", "x" },
		{ "<a href=\"data:text/html,x\">x</a>", "x" },
		{ "<a href=\"vbscript:x\">x</a>", "x" },
		{ "<a href=\"ftp://x.example/\">x</a>", "x" },
		{ "<a href=\"\">x</a>", "x" },
		{ "<a>x</a>", "x" },
		{ "<a href=javascript:x>x</a>", "x" },
		{ "<a href='javascript:x'>x</a>", "x" },
		{ "<a href=\"&#0;\">x</a>", "x" },
		{ "<a href=\"http://e.example/?a=1&amp;b=2\">x</a>",
		    "<a href=\"http://e.example/?a=1&amp;b=2\"" REL ">x</a>" },
		{ "<a href=\"HTTPS://e.example/\">x</a>",
		    "<a href=\"HTTPS://e.example/\"" REL ">x</a>" },
		{ "<a href=\"&#109;&#97;&#105;&#108;&#116;&#111;&#58;a@b.c\">m"
		    "</a>", "<a href=\"mailto:a@b.c\"" REL ">m</a>" },
		{ "<a href=\"/t/1?x=&quot;y&quot;\">r</a>",
		    "<a href=\"/t/1?x=&quot;y&quot;\"" REL ">r</a>" },
		{ "<a href=\"#top\">r</a>", "<a href=\"#top\"" REL ">r</a>" },
		{ "<a href=\"jav&amp;#x61;script:x\">r</a>",
		    "<a href=\"jav&amp;#x61;script:x\"" REL ">r</a>" },
		{ "<a href=/u>x</a>", "<a href=\"/u\"" REL ">x</a>" },
		{ "<a title=\"t\" href=\"/u\" onclick=\"y\" rel=\"x\">x</a>",
		    "<a href=\"/u\"" REL ">x</a>" },
		{ "<a href=\"/1\" href=\"javascript:x\">x</a>",
		    "<a href=\"/1\"" REL ">x</a>" },
		{ "<a href=\"/1\"><a href=\"/2\">x</a>y</a>",
		    "<a href=\"/1\"" REL ">xy</a>" },
		{ "<a href=\"/x\"y\">z",
		    "&lt;a href=&quot;/x&quot;y&quot;&gt;z" },
		{ "<a href=\"/x", "&lt;a href=&quot;/x" },
		{ "<script>alert(1)</script>", "alert(1)" },
		{ "<img src=x onerror=alert(1)>", "" },
		{ "<<script>>", "&lt;&gt;" },
		{ "<!-- x -->", "&lt;!-- x --&gt;" },
		{ "<ul><li>a<li>b</ul>", "<ul><li>ab</li></ul>" },
		{ "<li>x</li>", "x" },
		{ "<p>a<ul><li>b</li></ul>",
		    "<p>a</p><ul><li>b</li></ul>" },
		{ "<p><em>a<blockquote>b</blockquote>",
		    "<p><em>a</em></p><blockquote>b</blockquote>" },
		{ "<h1>a<h2>b</h2>", "<h3>a</h3><h4>b</h4>" },
		{ "<h1>T</h1><h6>S</h6>", "<h3>T</h3><h6>S</h6>" },
		{ "<em>unclosed", "<em>unclosed</em>" },
		{ "</p></div></li>text</a>", "text" },
		{ "<br/><br><hr /></br>", "<br><br><hr>" },
		{ "<EM>x</EM>", "<em>x</em>" },
		{ "a < b > c & d \"e\" 'f'",
		    "a &lt; b &gt; c &amp; d &quot;e&quot; &#39;f&#39;" },
		{ "&copy; &#169; &#xa9; &amp;", "&copy; &#169; &#xa9; &amp;" },
		{ "&#0; &#x110000; &#xd800; &bogus &#1; &#",
		    "&amp;#0; &amp;#x110000; &amp;#xd800; &amp;bogus &amp;#1; "
		    "&amp;#" },
		{ "a\x01\x7f" "b", "ab" },
		{ "\xff\xc0\xaf\xed\xa0\x80",
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
		    "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "<pre><code class=\"js\">x</code></pre>",
		    "<pre><code>x</code></pre>" },
		/* Spaced numbers keep their order in right-to-left text. */
		{ "call 0750 123 4567.",
		    "call <bdi dir=\"ltr\">0750 123 4567</bdi>." },
		{ "+964 750 123 4567 or +9647501234567",
		    "<bdi dir=\"ltr\">+964 750 123 4567</bdi> or "
		    "<bdi dir=\"ltr\">+9647501234567</bdi>" },
		{ "\xd9\xa0\xd9\xa7 \xd9\xa1\xd9\xa2\xd9\xa3 \xdb\xb4",
		    "<bdi dir=\"ltr\">\xd9\xa0\xd9\xa7 \xd9\xa1\xd9\xa2"
		    "\xd9\xa3 \xdb\xb4</bdi>" },
		{ "<p>300 000 IQD</p>",
		    "<p><bdi dir=\"ltr\">300 000</bdi> IQD</p>" },
		{ "2024 and 12 3, +964, 2024-11-23, 1 2 3 4",
		    "2024 and 12 3, +964, 2024-11-23, 1 2 3 4" },
		{ "a1 23 and x12 345 and &#49;2 34",
		    "a1 23 and x12 345 and &#49;2 34" },
		{ "<a href=\"/t/1\">0750 123 4567</a>",
		    "<a href=\"/t/1\"" REL "><bdi dir=\"ltr\">0750 123 4567"
		    "</bdi></a>" },
	};
	struct buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b);
		(void)md_clean(cases[i].in, strlen(cases[i].in), &b);
		assert_non_null(b.p);
		if (strcmp(b.p, cases[i].out) != 0)
			fail_msg("%s\n got: %s\nwant: %s", cases[i].in, b.p,
			    cases[i].out);
		check_safe(b.p);
		check_no_danger(b.p);
		buf_free(&b);
	}
}

/* 100,000 open tags of every kind: still balanced and bounded. */
static void
test_sanitise_deep(void **state)
{
	char *s;
	struct buf b;

	(void)state;
	s = repeat("<blockquote><ul><li><em><a href=\"/x\">", 20000);
	buf_init(&b);
	(void)md_clean(s, strlen(s), &b);
	check_safe(b.p);
	buf_free(&b);
	free(s);
}

struct depth_case {
	const char	*src;
	int		 ok;
};

static void
test_depth(void **state)
{
	static const struct depth_case cases[] = {
		{ "> > > > > > > > eight", 1 },
		{ "> > > > > > > > > nine", 0 },
		{ ">>>>>>>>eight", 1 },
		{ ">>>>>>>>>nine", 0 },
		{ "  >  > >\t> > > > > eight", 1 },
		{ "- - - - - - - - eight", 1 },
		{ "- - - - - - - - - nine", 0 },
		{ "- a\n  - b\n    - c\n      - d\n        - e\n"
		    "          - f\n            - g\n              - h", 1 },
		{ "- a\n  - b\n    - c\n      - d\n        - e\n"
		    "          - f\n            - g\n              - h\n"
		    "                - i", 0 },
		{ "1. a\n   1. b\n      1. c", 1 },
		{ "- a\n> > > > > > > > x", 0 },
		{ "- a\n> - b\n> > - c\n> > > - d\n> > > > - e", 0 },
		{ "* * * * * * * * * * *", 1 },
		{ "- - - - - - - - - - - -", 1 },
		{ "_ _ _ _ _ _ _ _ _ _ _", 1 },
		{ "> a\n> b\n> c\n> > d\n> > e\n> f", 1 },
		{ "- a\n- b\n- c\n- d\n- e\n- f\n- g\n- h\n- i\n- j", 1 },
		{ "- a\n  - b\n\ntext\n\n- c\n  - d", 1 },
		{ "                                        x = 1", 1 },
		{ "> >\x1e> > > > > > > x", 0 },
		{ "", 1 },
	};
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (md_check_depth(cases[i].src, strlen(cases[i].src), 8) !=
		    cases[i].ok)
			fail_msg("md_check_depth(%s) != %d", cases[i].src,
			    cases[i].ok);
	s = repeat(">", 10000);
	assert_int_equal(md_check_depth(s, strlen(s), 8), 0);
	free(s);
	s = repeat("> ", 10000);
	assert_int_equal(md_check_depth(s, strlen(s), 8), 0);
	free(s);
	s = repeat("- ", 10000);
	/* a rule, not a list */
	assert_int_equal(md_check_depth(s, strlen(s), 8), 1);
	s[strlen(s) - 1] = 'x';
	assert_int_equal(md_check_depth(s, strlen(s), 8), 0);
	free(s);
	s = repeat(">\n", 10000);
	assert_int_equal(md_check_depth(s, strlen(s), 8), 1);
	free(s);
}

static void
test_check(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(md_check("", 0), MD_EMPTY);
	assert_int_equal(md_check(NULL, 0), MD_EMPTY);
	assert_int_equal(md_check(" \n\t\r\n", 5), MD_EMPTY);
	assert_int_equal(md_check("ok", 2), MD_OK);
	assert_int_equal(md_check("a\0b", 3), MD_BAD_UTF8);
	assert_int_equal(md_check("\xff", 1), MD_BAD_UTF8);
	assert_int_equal(md_check("\xc0\xaf", 2), MD_BAD_UTF8);
	assert_int_equal(md_check("\xed\xa0\x80", 3), MD_BAD_UTF8);
	assert_int_equal(md_check("\xf4\x90\x80\x80", 4), MD_BAD_UTF8);
	assert_int_equal(md_check("\xe2\x82", 2), MD_BAD_UTF8);
	assert_int_equal(md_check("\xf0\x9f\x98\x80", 4), MD_OK);
	s = repeat(">", 10000);
	assert_int_equal(md_check(s, strlen(s)), MD_TOO_DEEP);
	free(s);
	/* discount skips DEL before a quote marker; so must the count. */
	s = repeat("\x7f> ", 100);
	assert_int_equal(md_check(s, strlen(s)), MD_TOO_DEEP);
	free(s);
	s = repeat("a", MD_DEFAULT_MAX_SRC + 1);
	assert_int_equal(md_check(s, strlen(s)), MD_TOO_LONG);
	free(s);
	assert_string_equal(md_err_msgid(MD_TOO_LONG),
	    "The text is too long.");
	assert_non_null(md_err_msgid(MD_OK));
	assert_non_null(md_err_msgid((enum md_err)99));
	assert_non_null(md_err_msgid((enum md_err)-1));
}

/* ---- through real workers ---- */

/* magnet-md, next to $MAGNET_BIN (build/magnet or build/san/magnet). */
static const char *
magnet_bin(void)
{
	static char md[1100];
	const char *bin = getenv("MAGNET_BIN"), *slash;

	if (bin == NULL || *bin == '\0')
		fail_msg("MAGNET_BIN is not set: it must name build/magnet");
	slash = strrchr(bin, '/');
	snprintf(md, sizeof(md), "%.*smagnet-md", slash != NULL ?
	    (int)(slash - bin + 1) : 0, bin);
	if (access(md, X_OK) == -1)
		fail_msg("%s is not executable", md);
	return md;
}

static void
pool_start(int timeout_ms, int recycle)
{
	struct md_limits l;

	memset(&l, 0, sizeof(l));
	l.self_exe = magnet_bin();
	l.timeout_ms = timeout_ms;
	l.workers = 2;
	l.recycle_after = recycle;
	assert_int_equal(md_init(&l), 0);
}

static int
setup_pool(void **state)
{
	(void)state;
	pool_start(2000, 100);
	return 0;
}

static int
teardown_pool(void **state)
{
	(void)state;
	md_shutdown();
	return 0;
}

/* No child of ours may be left unreaped. */
static void
assert_no_zombies(void)
{
	pid_t r;
	int st;

	r = waitpid(-1, &st, WNOHANG);
	if (r > 0)
		fail_msg("child %d was a zombie", (int)r);
}

static void
test_worker_render(void **state)
{
	struct buf b;
	char *s;
	long long t;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "before:");
	assert_int_equal(md_render("Hello *world*", 13, &b), MD_OK);
	assert_string_equal(b.p, "before:<p>Hello <em>world</em></p>");
	/* refusals leave the buffer as it was */
	assert_int_equal(md_render("", 0, &b), MD_EMPTY);
	assert_int_equal(md_render("a\0b", 3, &b), MD_BAD_UTF8);
	assert_int_equal(md_render("\xc3(", 2, &b), MD_BAD_UTF8);
	s = repeat("> ", 5000);
	assert_int_equal(md_render(s, strlen(s), &b), MD_TOO_DEEP);
	free(s);
	/* 64 KB of '<': over the length limit, refused at once */
	s = repeat("<", 65536);
	t = now_ms();
	assert_int_equal(md_render(s, strlen(s), &b), MD_TOO_LONG);
	/* At once compared with the busy render's two seconds. */
	assert_true(now_ms() - t < 1000);
	free(s);
	assert_string_equal(b.p, "before:<p>Hello <em>world</em></p>");
	/* 20,000 '<' are within it: slow for discount, but bounded */
	s = repeat("<", MD_DEFAULT_MAX_SRC);
	buf_reset(&b);
	t = now_ms();
	switch (md_render(s, strlen(s), &b)) {
	case MD_OK:
		assert_non_null(strstr(b.p, "&lt;&lt;&lt;"));
		check_safe(b.p);
		break;
	case MD_FAILED:
		break;
	default:
		fail_msg("20,000 '<' neither rendered nor timed out");
	}
	assert_true(now_ms() - t < 2000 + 500);
	free(s);
	buf_free(&b);
}

static void
test_worker_hostile(void **state)
{
	static const char *const cases[] = {
		"[x](javascript:alert(1))", "<script>alert(1)</script>",
		"![i](javascript:alert(1))", ">%class%\n> x",
		"<javascript:alert(1)>", "[x](jav&#x61;script:x)",
		"[t](http://x.example \"\\\"><script>alert(1)</script>\")",
	};
	struct buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b);
		assert_int_equal(md_render(cases[i], strlen(cases[i]), &b),
		    MD_OK);
		check_safe(b.p);
		check_no_danger(b.p);
		buf_free(&b);
	}
}

/* A reference link repeated: 20 KB of source, megabytes of HTML. */
static void
test_worker_amplification(void **state)
{
	struct buf src, b;
	enum md_err rc;
	char *s;

	(void)state;
	buf_init(&src);
	s = repeat("[a][b]", 3000);
	buf_puts(&src, s);
	free(s);
	buf_puts(&src, "\n\n[b]: http://example.org/");
	s = repeat("x", 1000);
	buf_puts(&src, s);
	free(s);
	buf_init(&b);
	rc = md_render(src.p, src.len, &b);
	/* refused as too long; under ASan discount may time out first */
	assert_true(rc == MD_TOO_LONG || rc == MD_FAILED);
	assert_true(b.p == NULL || b.len == 0);
	buf_free(&b);
	buf_free(&src);
}

struct slow {
	enum md_err	 rc;
	long long	 ms;
};

static void *
slow_render(void *arg)
{
	struct slow *sl = arg;
	struct buf b;
	char *s;
	long long t;

	s = repeat("<", MD_DEFAULT_MAX_SRC);
	buf_init(&b);
	t = now_ms();
	sl->rc = md_render(s, strlen(s), &b);
	sl->ms = now_ms() - t;
	buf_free(&b);
	free(s);
	return NULL;
}

/* While one worker is busy for long, the other still answers at once. */
static void
test_worker_busy(void **state)
{
	struct slow sl;
	struct buf b;
	pthread_t th;
	long long t;

	(void)state;
	assert_int_equal(pthread_create(&th, NULL, slow_render, &sl), 0);
	usleep(50000);
	buf_init(&b);
	t = now_ms();
	assert_int_equal(md_render("*quick*", 7, &b), MD_OK);
	assert_true(now_ms() - t < 100);
	pthread_join(th, NULL);
	buf_free(&b);
}

/* A worker killed mid-render: that render fails, the next one works. */
static void
test_worker_killed(void **state)
{
	struct slow sl;
	struct buf b;
	pthread_t th;
	pid_t before[8], after[8];
	int n, m, i, j;

	(void)state;
	n = md_worker_pids(before, 8);
	assert_int_equal(n, 2);
	assert_int_equal(pthread_create(&th, NULL, slow_render, &sl), 0);
	usleep(50000);
	for (i = 0; i < n; i++)
		assert_int_equal(kill(before[i], SIGKILL), 0);
	pthread_join(th, NULL);
	assert_int_equal(sl.rc, MD_FAILED);
	for (i = 0; i < 4; i++) {
		buf_init(&b);
		assert_int_equal(md_render("after *kill*", 12, &b), MD_OK);
		assert_string_equal(b.p, "<p>after <em>kill</em></p>");
		buf_free(&b);
	}
	m = md_worker_pids(after, 8);
	assert_int_equal(m, 2);
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++)
			assert_int_not_equal(before[i], after[j]);
		/* reaped: the pid is no child of ours any more */
		assert_int_equal(waitpid(before[i], NULL, WNOHANG), -1);
		assert_int_equal(errno, ECHILD);
	}
	assert_no_zombies();
}

/* A render longer than the timeout is cut off, and nothing else is. */
static void
test_worker_timeout(void **state)
{
	struct slow sl;
	struct buf b;

	(void)state;
	md_shutdown();
	pool_start(30, 100);
	slow_render(&sl);
	assert_int_equal(sl.rc, MD_FAILED);
	assert_true(sl.ms < 30 + 300);
	buf_init(&b);
	assert_int_equal(md_render("still *fine*", 12, &b), MD_OK);
	buf_free(&b);
	md_shutdown();
	assert_no_zombies();
	pool_start(2000, 100);
}

/* 2,000 renders: every worker is recycled twenty times over. */
static void
test_worker_recycle(void **state)
{
	struct buf b;
	char src[64], want[128];
	pid_t first[8], last[8];
	int i, n;

	(void)state;
	n = md_worker_pids(first, 8);
	assert_int_equal(n, 2);
	for (i = 0; i < 2000; i++) {
		snprintf(src, sizeof(src), "render **%d**", i);
		snprintf(want, sizeof(want), "<p>render <strong>%d</strong>"
		    "</p>", i);
		buf_init(&b);
		assert_int_equal(md_render(src, strlen(src), &b), MD_OK);
		assert_string_equal(b.p, want);
		buf_free(&b);
	}
	assert_int_equal(md_worker_pids(last, 8), 2);
	assert_true(first[0] != last[0] && first[0] != last[1]);
	assert_no_zombies();
}

static void *
thread_renders(void *arg)
{
	struct buf b;
	int i, *bad = arg;

	for (i = 0; i < 100; i++) {
		buf_init(&b);
		if (md_render("- *a*\n- [b](/c)", 15, &b) != MD_OK ||
		    strstr(b.p, "<li><em>a</em></li>") == NULL)
			(*bad)++;
		buf_free(&b);
	}
	return NULL;
}

static void
test_worker_threads(void **state)
{
	pthread_t th[8];
	int bad[8], i;

	(void)state;
	for (i = 0; i < 8; i++) {
		bad[i] = 0;
		assert_int_equal(pthread_create(&th[i], NULL, thread_renders,
		    &bad[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The cost of a typical 2 KB post, and of a worker. */
static void
test_worker_measure(void **state)
{
	static const char para[] =
	    "Returning to **Erbil** after six years in Germany, I found "
	    "that the [job board](https://example.org/jobs) and the "
	    "counsellors helped more than I expected. A few notes:\n\n"
	    "- bring *certified* copies of your diplomas\n"
	    "- ask about the `start-up grant` early\n"
	    "- the training in Duhok is worth it\n\n"
	    "> Anyone know whether the Sulaymaniyah office is open on "
	    "Saturdays?\n\n";
	struct buf src, b;
	long long us[1000], t0;
	struct timespec a, z;
	pid_t pids[8];
	int i, n;

	(void)state;
	buf_init(&src);
	while (src.len < 2000)
		buf_puts(&src, para);
	for (i = 0; i < 1000; i++) {
		buf_init(&b);
		clock_gettime(CLOCK_MONOTONIC, &a);
		assert_int_equal(md_render(src.p, src.len, &b), MD_OK);
		clock_gettime(CLOCK_MONOTONIC, &z);
		us[i] = (z.tv_sec - a.tv_sec) * 1000000LL +
		    (z.tv_nsec - a.tv_nsec) / 1000;
		buf_free(&b);
	}
	qsort(us, 1000, sizeof(us[0]), cmp_ll);
	t0 = us[500];
	n = md_worker_pids(pids, 8);
	print_message("md: %zu-byte post, 1000 renders through workers: "
	    "median %lld us, p90 %lld us, max %lld us\n", src.len, t0,
	    us[900], us[999]);
	for (i = 0; i < n; i++)
		print_message("md: worker %d RSS %ld kB\n", (int)pids[i],
		    rss_kb(pids[i]));
	assert_true(t0 < 20000);
	buf_free(&src);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_markdown),
		cmocka_unit_test(test_ordinary_markdown),
		cmocka_unit_test(test_sanitise),
		cmocka_unit_test(test_sanitise_deep),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_check),
		cmocka_unit_test_setup_teardown(test_worker_render, setup_pool,
		    teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_hostile,
		    setup_pool, teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_amplification,
		    setup_pool, teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_busy, setup_pool,
		    teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_killed, setup_pool,
		    teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_timeout,
		    setup_pool, teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_recycle,
		    setup_pool, teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_threads,
		    setup_pool, teardown_pool),
		cmocka_unit_test_setup_teardown(test_worker_measure,
		    setup_pool, teardown_pool),
	};
	int rc;

	/* Worker failures are logged on purpose here; keep the output. */
	log_init("test_md");
	rc = cmocka_run_group_tests_name("md", tests, NULL, NULL);
	return rc;
}
