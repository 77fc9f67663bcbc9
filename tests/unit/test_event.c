/* Tests for the pure parts of app/event.c: the iCalendar and CSV writers
 * and the date and time parsers, table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "event.h"
#include "i18n.h"

struct str_case {
	const char	*in;
	const char	*out;
};

static void
run(void (*fn)(struct buf *, const char *), const struct str_case *c,
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
test_ics_text(void **state)
{
	static const struct str_case c[] = {
		{ "", "" },
		{ "Job fair", "Job fair" },
		{ "Erbil, Duhok; Halabja", "Erbil\\, Duhok\\; Halabja" },
		{ "C:\\path", "C:\\\\path" },
		{ "one\ntwo", "one\\ntwo" },
		{ "one\r\ntwo", "one\\ntwo" },
		{ "one\rtwo", "one\\ntwo" },
		{ "tab\there", "tab\there" },
		{ "bell\007gone", "bellgone" },
		{ "del\177gone", "delgone" },
		{ "\\,;\n", "\\\\\\,\\;\\n" },
		{ "پێشانگای کار، هەولێر", "پێشانگای کار، هەولێر" },
		{ "a:b \"q\"", "a:b \"q\"" },
	};

	(void)state;
	run(event_ics_text, c, sizeof(c) / sizeof(c[0]));
}

/* Every physical line ends in CRLF, is at most 75 octets, continuation
 * lines start with one space, no UTF-8 character is split, and
 * unfolding gives the original back. */
static void
check_folded(const char *line, const char *out)
{
	struct buf u;
	const char *p, *eol;
	size_t n;
	int first = 1;

	buf_init(&u);
	for (p = out; *p != '\0'; p = eol + 2) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n <= 75);
		assert_null(memchr(p, '\n', n));
		assert_null(memchr(p, '\r', n));
		if (!first) {
			assert_int_equal(p[0], ' ');
			p++;
			n--;
		}
		/* A physical line never starts or ends inside a character. */
		if (n > 0)
			assert_int_not_equal((unsigned char)p[0] & 0xc0, 0x80);
		if (eol[2] != '\0')
			assert_int_not_equal((unsigned char)eol[3] & 0xc0,
			    0x80);
		buf_append(&u, p, n);
		first = 0;
	}
	assert_string_equal(u.p ? u.p : "", line);
	buf_free(&u);
}

static void
test_ics_fold(void **state)
{
	static const char *lines[] = {
		"",
		"SUMMARY:short",
		/* exactly 75 octets: not folded */
		"DESCRIPTION:1234567890123456789012345678901234567890"
		    "12345678901234567890123",
		/* 76 octets: folded once */
		"DESCRIPTION:1234567890123456789012345678901234567890"
		    "123456789012345678901234",
		"DESCRIPTION:"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		/* two-octet letters at every position of a fold */
		"SUMMARY:پێشانگای کار و ڕاهێنان لە هەولێر بۆ ئەو کەسانەی گەڕاونەتەوە "
		    "لە ئەوروپا، لەگەڵ کۆمپانیاکانی هەرێم",
		"SUMMARY:x"
		    "پێشانگای کار و ڕاهێنان لە هەولێر بۆ ئەو کەسانەی گەڕاونەتەوە "
		    "لە ئەوروپا، لەگەڵ کۆمپانیاکانی هەرێم",
		/* four-octet characters */
		"SUMMARY:😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
	};
	struct buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		buf_init(&b);
		event_ics_line(&b, lines[i], strlen(lines[i]));
		check_folded(lines[i], b.p);
		buf_free(&b);
	}
	/* 75 octets stay on one line; 76 do not. */
	buf_init(&b);
	event_ics_line(&b, lines[2], strlen(lines[2]));
	assert_int_equal(strlen(lines[2]), 75);
	assert_null(strstr(b.p, "\r\n "));
	buf_reset(&b);
	event_ics_line(&b, lines[3], strlen(lines[3]));
	assert_non_null(strstr(b.p, "\r\n "));
	buf_free(&b);
	/* The exact split of a plain ASCII line. */
	buf_init(&b);
	event_ics_line(&b, "SUMMARY:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaabbbbb", 80);
	assert_string_equal(b.p, "SUMMARY:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n bbbbb\r\n");
	buf_free(&b);
}

static void
test_ics_prop(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	event_ics_prop(&b, "LOCATION", "Erbil, Gulan Street; hall 2");
	event_ics_raw(&b, "DTSTART", "20250601T060000Z");
	assert_string_equal(b.p, "LOCATION:Erbil\\, Gulan Street\\; hall 2\r\n"
	    "DTSTART:20250601T060000Z\r\n");
	buf_free(&b);
}

static void
test_csv_cell(void **state)
{
	static const struct str_case c[] = {
		{ "", "\"\"" },
		{ "ali", "\"ali\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "a,b", "\"a,b\"" },
		{ "line\nbreak", "\"line\nbreak\"" },
		{ "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
		{ "+1+2", "\"'+1+2\"" },
		{ "-2+3", "\"'-2+3\"" },
		{ "@SUM(A1)", "\"'@SUM(A1)\"" },
		{ "\t=1", "\"'\t=1\"" },
		{ "\r=1", "\"'\r=1\"" },
		{ "a=1", "\"a=1\"" },
		{ "کۆمپانیای نموونە", "\"کۆمپانیای نموونە\"" },
	};

	(void)state;
	run(event_csv_cell, c, sizeof(c) / sizeof(c[0]));
}

static void
test_parse_date(void **state)
{
	static const struct str_case ok[] = {
		{ "2025-06-01", "2025-06-01" },
		{ "2024-02-29", "2024-02-29" },
		{ "2000-02-29", "2000-02-29" },
		{ "2099-12-31", "2099-12-31" },
		/* Arabic-Indic and Persian digits */
		{ "٢٠٢٥-٠٦-٠١", "2025-06-01" },
		{ "۲۰۲۵-۰۶-۰۱", "2025-06-01" },
	};
	static const char *bad[] = {
		"", "2025-6-1", "2025/06/01", "01-06-2025", "2025-13-01",
		"2025-00-10", "2025-06-00", "2025-06-31", "2025-02-29",
		"2100-02-28", "1999-12-31", "2025-06-01x", "2025-06-0a",
		"２０２５-06-01", "2025-06-01 ", "20250601",
	};
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(i18n_parse_date(ok[i].in, out), 0);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(i18n_parse_date(bad[i], out), -1);
}

static void
test_parse_time(void **state)
{
	static const struct str_case ok[] = {
		{ "09:30", "09:30" },
		{ "9:30", "09:30" },
		{ "00:00", "00:00" },
		{ "23:59", "23:59" },
		{ "14:00:00", "14:00" },
		{ "١٤:٣٠", "14:30" },
	};
	static const char *bad[] = {
		"", "24:00", "12:60", "1230", "12:3", "12:30:15", "ab:cd",
		"-1:00", "12:30pm", "12-30", "123:00",
	};
	char out[6];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(i18n_parse_time(ok[i].in, out), 0);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(i18n_parse_time(bad[i], out), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ics_text),
		cmocka_unit_test(test_ics_fold),
		cmocka_unit_test(test_ics_prop),
		cmocka_unit_test(test_csv_cell),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
