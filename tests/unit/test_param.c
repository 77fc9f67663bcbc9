/* Tests for app/param.c: each type, its limits, and the repair of text
 * that is not UTF-8 so that the user's words are not lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "param.h"

static const char *const colours[] = { "red", "green", NULL };

static void
test_check(void **state)
{
	static const struct {
		struct param	 p;
		const char	*in;
		size_t		 len;	/* 0: strlen */
		int		 ok;
		const char	*out;
		long long	 num;
	} c[] = {
		{ { "t", P_LINE, P_FORM, 3, 10, 1, NULL }, "  hello  ", 0, 1,
		    "hello", 0 },
		{ { "t", P_LINE, P_FORM, 3, 10, 1, NULL }, "a\r\nb", 0, 1,
		    "a  b", 0 },
		{ { "t", P_LINE, P_FORM, 3, 10, 1, NULL }, "ab", 0, 0, "ab", 0 },
		{ { "t", P_LINE, P_FORM, 3, 10, 1, NULL }, "   ", 0, 0, "", 0 },
		{ { "t", P_LINE, P_FORM, 3, 10, 0, NULL }, "", 0, 1, "", 0 },
		{ { "t", P_LINE, P_FORM, 0, 5, 1, NULL }, "سڵاوسڵ", 0, 0,
		    "سڵاوسڵ", 0 },
		{ { "t", P_LINE, P_FORM, 0, 5, 1, NULL }, "سڵاو", 0, 1,
		    "سڵاو", 0 },
		{ { "t", P_TEXT, P_FORM, 1, 100, 1, NULL }, "a\r\nb\rc\n\n", 0,
		    1, "a\nb\nc", 0 },
		{ { "t", P_SECRET, P_FORM, 0, 0, 1, NULL }, "  pass word  ", 0,
		    1, "  pass word  ", 0 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL }, "42", 0, 1, "42",
		    42 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL }, "0", 0, 0, "0", 0 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL }, "101", 0, 0, "101",
		    0 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL }, "-1", 0, 0, "-1", 0 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL }, "4x", 0, 0, "4x", 0 },
		{ { "n", P_INT, P_QUERY, 1, 100, 1, NULL },
		    "99999999999999999999999", 0, 0, NULL, 0 },
		{ { "e", P_ENUM, P_FORM, 0, 0, 1, colours }, "green", 0, 1,
		    "green", 1 },
		{ { "e", P_ENUM, P_FORM, 0, 0, 1, colours }, "blue", 0, 0,
		    "blue", 0 },
		{ { "t", P_LINE, P_FORM, 0, 50, 1, NULL }, "ab\xff\xfe" "cd", 0,
		    0, "ab\xef\xbf\xbd\xef\xbf\xbd" "cd", 0 },
		{ { "t", P_LINE, P_FORM, 0, 50, 1, NULL }, "a\0b", 3, 0,
		    "a\xef\xbf\xbd" "b", 0 },
		{ { "t", P_TEXT, P_FORM, 0, 50, 1, NULL }, "\xd8", 1, 0,
		    "\xef\xbf\xbd", 0 },
	};
	struct arena *a;
	const char *out, *err;
	long long num;
	size_t i, len;

	(void)state;
	a = arena_new();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		len = c[i].len ? c[i].len : strlen(c[i].in);
		err = param_check(a, &c[i].p, c[i].in, len, &out, &num);
		if ((err == NULL) != c[i].ok)
			fail_msg("case %zu (%s): err=%s", i, c[i].in,
			    err ? err : "none");
		if (c[i].out != NULL)
			assert_string_equal(out, c[i].out);
		if (c[i].ok)
			assert_int_equal(num, c[i].num);
	}
	arena_free(a);
}

static void
test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(param_utf8_len(""), 0);
	assert_int_equal(param_utf8_len("abc"), 3);
	assert_int_equal(param_utf8_len("هەولێر"), 6);
	assert_int_equal(param_utf8_len("\xf0\x9f\x98\x80"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_utf8_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
