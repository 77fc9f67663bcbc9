/* Tests for the pure functions of app/jobs.c: amounts and dates as
 * people type them, the Kurdistan Region's "today", and reading
 * PostgreSQL arrays. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "jobs.h"
#include "page.h"
#include "request.h"

static void
test_parse_amount(void **state)
{
	static const struct {
		const char		*in;
		long long		 max;
		enum jobs_amount	 want;
		long long		 value;
	} c[] = {
		{ "", 100, JOBS_AMOUNT_EMPTY, 0 },
		{ "   ", 100, JOBS_AMOUNT_EMPTY, 0 },
		{ "0", 100, JOBS_AMOUNT_OK, 0 },
		{ "750000", 1000000000, JOBS_AMOUNT_OK, 750000 },
		{ " 750,000", 1000000000, JOBS_AMOUNT_OK, 750000 },
		{ "1 200 000", 1000000000, JOBS_AMOUNT_OK, 1200000 },
		/* Arabic-Indic digits and U+066C ARABIC THOUSANDS SEPARATOR */
		{ "\xd9\xa7\xd9\xa5\xd9\xa0\xd9\xac\xd9\xa0\xd9\xa0\xd9\xa0",
		    1000000000, JOBS_AMOUNT_OK, 750000 },
		/* Persian digits ۱۲ */
		{ "\xdb\xb1\xdb\xb2", 100, JOBS_AMOUNT_OK, 12 },
		{ "1\xc2\xa0" "000", 10000, JOBS_AMOUNT_OK, 1000 },
		{ "-1", 100, JOBS_AMOUNT_NEGATIVE, 0 },
		{ " -0", 100, JOBS_AMOUNT_NEGATIVE, 0 },
		{ "\xe2\x88\x92" "5", 100, JOBS_AMOUNT_NEGATIVE, 0 },
		{ "1.5", 100, JOBS_AMOUNT_BAD, 0 },
		{ "12a", 100, JOBS_AMOUNT_BAD, 0 },
		{ ",5", 100, JOBS_AMOUNT_BAD, 0 },
		{ "+5", 100, JOBS_AMOUNT_BAD, 0 },
		{ "1e6", 10000000, JOBS_AMOUNT_BAD, 0 },
		{ "\xd9", 100, JOBS_AMOUNT_BAD, 0 },
		{ "100", 100, JOBS_AMOUNT_OK, 100 },
		{ "101", 100, JOBS_AMOUNT_RANGE, 0 },
		{ "5", 3, JOBS_AMOUNT_RANGE, 0 },
		{ "99999999999999999999999", 1000000000, JOBS_AMOUNT_RANGE, 0 },
	};
	long long v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(jobs_parse_amount(c[i].in, c[i].max, &v),
		    c[i].want);
		if (c[i].want == JOBS_AMOUNT_OK)
			assert_int_equal(v, c[i].value);
	}
}

static void
test_parse_date(void **state)
{
	static const struct {
		const char	*in;
		long		 days;	/* -1: refused */
	} c[] = {
		{ "1970-01-01", 0 },
		{ "1970-01-02", 1 },
		{ "2000-03-01", 11017 },
		{ "2024-02-29", 19782 },
		{ "2023-02-29", -1 },
		{ "1900-02-29", -1 },
		{ "2000-02-29", 11016 },
		{ "2025-12-31", 20453 },
		{ "2025-13-01", -1 },
		{ "2025-00-10", -1 },
		{ "2025-04-31", -1 },
		{ "2025-04-00", -1 },
		{ "2025-4-30", -1 },
		{ "2025/04/30", -1 },
		{ "2025-04-30x", -1 },
		{ "30-04-2025", -1 },
		{ "", -1 },
		{ "1969-12-31", -1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		assert_int_equal(jobs_parse_date(c[i].in), c[i].days);
	assert_int_equal(jobs_parse_date(NULL), -1);
}

static void
test_today(void **state)
{
	(void)state;
	/* 2025-06-30 20:59:59 UTC is 23:59:59 in Erbil; a second later it
	 * is the first of July there. */
	assert_int_equal(jobs_today((time_t)1751317199),
	    jobs_parse_date("2025-06-30"));
	assert_int_equal(jobs_today((time_t)1751317200),
	    jobs_parse_date("2025-07-01"));
	assert_int_equal(jobs_today((time_t)0), 0);
}

static void
test_pg_has(void **state)
{
	(void)state;
	assert_true(jobs_pg_has("{ckb,en}", "ckb"));
	assert_true(jobs_pg_has("{ckb,en}", "en"));
	assert_false(jobs_pg_has("{ckb,en}", "e"));
	assert_false(jobs_pg_has("{ckb,en}", "ck"));
	assert_false(jobs_pg_has("{}", "en"));
	assert_false(jobs_pg_has("", "en"));
	assert_false(jobs_pg_has(NULL, "en"));
	assert_false(jobs_pg_has("{kmr}", "kmr,"));
}

/* A request with only what the formatters use: an arena, a language. */
static struct request *
fake(enum lang l)
{
	static struct request req;

	memset(&req, 0, sizeof(req));
	req.arena = arena_new();
	req.lang = l;
	return &req;
}

static void
test_formatting(void **state)
{
	struct request *req;

	(void)state;
	req = fake(LANG_EN);
	assert_string_equal(jobs_money(req, 750000), "750,000 IQD");
	assert_string_equal(jobs_money(req, 999), "999 IQD");
	assert_string_equal(jobs_money(req, 1000), "1,000 IQD");
	assert_string_equal(jobs_money(req, 0), "0 IQD");
	assert_string_equal(jobs_waited(req, 59), "0 min");
	assert_string_equal(jobs_waited(req, 3599), "59 min");
	assert_string_equal(jobs_waited(req, 3600), "1 h");
	assert_string_equal(jobs_waited(req, 2 * 86400 - 1), "47 h");
	assert_string_equal(jobs_waited(req, 9 * 86400), "9 d");
	assert_string_equal(jobs_label(req, JOBS_GOVERNORATE, "duhok"),
	    "Duhok");
	assert_string_equal(jobs_label(req, JOBS_GOVERNORATE, ""), "");
	assert_string_equal(jobs_label(req, JOBS_SECTOR, "mining"), "mining");
	assert_string_equal(jobs_lang_names(req, "{ckb,de}"),
	    "Kurdish (Sorani), German");
	arena_free(req->arena);
	/* Arabic-Indic digits, grouped with U+066C. */
	req = fake(LANG_CKB);
	assert_string_equal(jobs_money(req, 750000),
	    "\xd9\xa7\xd9\xa5\xd9\xa0\xd9\xac\xd9\xa0\xd9\xa0\xd9\xa0 IQD");
	assert_string_equal(jobs_date(req, "2025-06-30"),
	    "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5-\xd9\xa0\xd9\xa6-"
	    "\xd9\xa3\xd9\xa0");
	arena_free(req->arena);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_amount),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_pg_has),
		cmocka_unit_test(test_formatting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
