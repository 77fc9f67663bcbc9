/* Tests for app/html.c: every escaper, table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "html.h"

struct esc_case {
	const char	*in;
	const char	*out;
};

static void
run(void (*fn)(struct buf *, const char *), const struct esc_case *c,
    size_t n)
{
	struct buf b;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_init(&b);
		fn(&b, c[i].in);
		assert_string_equal(b.p ? b.p : "", c[i].out);
		buf_free(&b);
	}
}

static void
test_txt(void **state)
{
	static const struct esc_case c[] = {
		{ "", "" },
		{ "plain", "plain" },
		{ "<script>alert(1)</script>",
		    "&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "a & b", "a &amp; b" },
		{ "\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;" },
		{ "&amp;", "&amp;amp;" },
		{ "سڵاو <b>", "سڵاو &lt;b&gt;" },
		/* Whatever comes in, UTF-8 goes out: U+FFFD for each byte
		 * that is not part of a character, and for controls. */
		{ "\xff\xfe\xfd", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "/b/\xc0\xae", "/b/\xef\xbf\xbd\xef\xbf\xbd" },
		{ "a\xed\xa0\x80" "b", "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "b" },
		{ "\xd8<", "\xef\xbf\xbd&lt;" },	/* cut short */
		{ "\x1b[31m\x7f", "\xef\xbf\xbd[31m\xef\xbf\xbd" },
		{ "tab\tnl\n", "tab\tnl\n" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
	};

	(void)state;
	run(html_txt, c, sizeof(c) / sizeof(c[0]));
	run(html_attr, c, sizeof(c) / sizeof(c[0]));
}

static void
test_url_arg(void **state)
{
	static const struct esc_case c[] = {
		{ "abc-_.~", "abc-_.~" },
		{ "a b&c=d", "a%20b%26c%3Dd" },
		{ "/\"'<>", "%2F%22%27%3C%3E" },
		{ "ک", "%DA%A9" },
	};
	static const struct esc_case path[] = {
		{ "/t/42", "/t/42" },
		{ "/b/a b?c#d", "/b/a%20b%3Fc%23d" },
		{ "/b/\xc0\xae", "/b/%C0%AE" },
	};

	(void)state;
	run(html_url_arg, c, sizeof(c) / sizeof(c[0]));
	run(html_url_path, path, sizeof(path) / sizeof(path[0]));
}

static void
test_json(void **state)
{
	static const struct esc_case c[] = {
		{ "x", "\"x\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "</script><!--", "\"\\u003c/script\\u003e\\u003c!--\"" },
		{ "line\nnext\t\x01", "\"line\\nnext\\t\\u0001\"" },
		{ "هەولێر", "\"هەولێر\"" },
		{ "a\xff" "b", "\"a\\ufffdb\"" },
		{ "\xe2\x80\xae", "\"\xe2\x80\xae\"" },
	};

	(void)state;
	run(html_json, c, sizeof(c) / sizeof(c[0]));
}

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 len;
		int		 ok;
	} c[] = {
		{ "hello", 5, 1 },
		{ "\xd8\xb3\xdb\x95", 4, 1 },		/* Arabic script */
		{ "\xf0\x9f\x98\x80", 4, 1 },		/* emoji */
		{ "tab\tnl\ncr\r", 10, 1 },
		{ "\xff", 1, 0 },
		{ "\xc0\xaf", 2, 0 },			/* overlong / */
		{ "\xe0\x80\xaf", 3, 0 },		/* overlong */
		{ "\xed\xa0\x80", 3, 0 },		/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0 },		/* > U+10FFFF */
		{ "\xd8", 1, 0 },			/* truncated */
		{ "a\0b", 3, 0 },			/* NUL */
		{ "\x1b[31m", 5, 0 },			/* escape */
		{ "\x7f", 1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_int_equal(html_utf8_ok(c[i].s, c[i].len), c[i].ok);
}

static void
test_marked(void **state)
{
	static const struct esc_case c[] = {
		{ "", "" },
		{ "a \001b<\002 c", "a <mark>b&lt;</mark> c" },
		{ "\001x\002\001y\002", "<mark>x</mark><mark>y</mark>" },
		{ "no marks & <tags>", "no marks &amp; &lt;tags&gt;" },
	};

	(void)state;
	run(html_marked, c, sizeof(c) / sizeof(c[0]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txt),
		cmocka_unit_test(test_url_arg),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_marked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
