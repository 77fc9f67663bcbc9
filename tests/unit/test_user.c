/* Tests for the names of app/user.c: the comparison key (NFKC, case,
 * marks, invisible characters, look-alike letters and digits) and the
 * rules a new name must meet (letters of the site's alphabets, one script,
 * vowel marks only on Arabic letters).  Issue 16: each pair of look-alikes
 * below could be registered twice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "user.h"

/* Names that a reader takes for one another: one key. */
static const char *const same[][2] = {
	/* alef with hamza, as one character and as alef and a mark */
	{ "x\u0623\u062d\u0645\u062f", "x\u0627\u0654\u062d\u0645\u062f" },
	/* ... and as alef and the high hamza ٴ, and without the hamza */
	{ "\u0623\u062d\u0645\u062f", "\u0627\u0674\u062d\u0645\u062f" },
	{ "\u0623\u062d\u0645\u062f", "\u0627\u062d\u0645\u062f" },
	{ "\u0625\u0628\u0631\u0627\u0647\u064a\u0645",
	    "\u0627\u0628\u0631\u0627\u0647\u06cc\u0645" },	/* إبراهيم */
	{ "\u0622\u0632\u0627\u062f", "\u0627\u0632\u0627\u062f" },	/* آزاد */
	/* Arabic-Indic, Persian and ASCII digits */
	{ "x\u0661\u0662\u0663", "x\u06f1\u06f2\u06f3" },
	{ "x\u0661\u0662\u0663", "x123" },
	{ "\u0639\u0644\u064a\u0664", "\u0639\u0644\u06cc\u06f4" },
	/* a mark after a Latin letter, or anywhere: dropped */
	{ "xadmin", "xadmin\u0670" },
	{ "\u0645\u062d\u0645\u062f", "\u0645\u062d\u0645\u0651\u064e\u062f" },
	/* yeh: Arabic, alef maksura, Persian; kaf: Arabic, Persian */
	{ "\u0639\u0644\u064a", "\u0639\u0644\u06cc" },
	{ "\u0645\u0648\u0633\u0649", "\u0645\u0648\u0633\u06cc" },
	{ "\u0643\u0627\u0648\u0647", "\u06a9\u0627\u0648\u0647" },
	/* heh: Arabic ه, Kurdish ە and ھ, teh marbuta ة */
	{ "\u06a9\u0627\u0648\u0647", "\u06a9\u0627\u0648\u06d5" },
	{ "\u0647\u06d5\u0631", "\u06be\u06d5\u0631" },
	{ "\u0641\u0627\u0637\u0645\u0629", "\u0641\u0627\u0637\u0645\u0647" },
	{ "\u062e\u0627\u0646\u06c0", "\u062e\u0627\u0646\u0647" },
	/* hamza on yeh and waw, as one character or two */
	{ "\u0626\u0627\u0632\u0627", "\u064a\u0654\u0627\u0632\u0627" },
	{ "\u0626\u0627\u0632\u0627", "\u06cc\u0654\u0627\u0632\u0627" },
	{ "\u0645\u0624\u0645\u0646", "\u0645\u0648\u0654\u0645\u0646" },
	/* NFKC: fullwidth Latin, Arabic presentation forms, ligatures */
	{ "xadmin", "\uff58admin" },
	{ "XADMIN", "\uff38\uff21\uff24\uff2d\uff29\uff2e" },
	{ "\u0627\u062d\u0645\u062f", "\ufe8d\ufea3\ufee3\ufeaa" },
	{ "\u0644\u0627\u0646", "\ufefb\u0646" },
	{ "fine", "\ufb01ne" },
	{ "x123", "x\u00b9\u00b2\u00b3" },
	{ "x123", "x\uff11\uff12\uff13" },
	/* case, and what case folding needs NFKC for */
	{ "Ali", "aLI" },
	{ "strasse", "STRASSE" },
	{ "a", "\U0001d400" },
	/* invisible characters and tatweel */
	{ "\u0639\u0644\u06cc", "\u0639\u200c\u0644\u06cc" },
	{ "\u0639\u0644\u06cc", "\u0639\u200d\u0644\u06cc" },
	{ "\u0639\u0644\u06cc", "\u0639\u0640\u0644\u06cc" },
	{ "darya", "dar\u200bya" },
	{ "darya", "\u202edarya" },
};

/* Names that differ to a reader: two keys. */
static const char *const apart[][2] = {
	{ "ali", "ali1" },
	{ "a.b", "a_b" },
	/* Kurdish letters that differ from Arabic ones by a stroke */
	{ "\u0631\u06d5\u0632", "\u0695\u06d5\u0632" },	/* ر ڕ */
	{ "\u0644\u0627\u0646", "\u06b5\u0627\u0646" },	/* ل ڵ */
	{ "\u0648\u0627\u0646", "\u06c6\u0627\u0646" },	/* و ۆ */
	{ "\u0634\u06cc\u0631", "\u0634\u06ce\u0631" },	/* ی ێ */
	{ "\u06a9\u0627\u0631", "\u06af\u0627\u0631" },	/* ک گ */
	/* hamza on yeh is a letter of its own in Kurdish */
	{ "\u0626\u0627\u0632\u0627", "\u06cc\u0627\u0632\u0627" },
	{ "\u0645\u0624\u0645\u0646", "\u0645\u0648\u0645\u0646" },
};

static void
test_key_same(void **state)
{
	char k1[200], k2[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		user_name_key(same[i][0], k1, sizeof(k1));
		user_name_key(same[i][1], k2, sizeof(k2));
		if (strcmp(k1, k2) != 0 || k1[0] == '\0')
			fail_msg("%zu: %s and %s: keys %s and %s", i,
			    same[i][0], same[i][1], k1, k2);
	}
}

static void
test_key_apart(void **state)
{
	char k1[200], k2[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(apart) / sizeof(apart[0]); i++) {
		user_name_key(apart[i][0], k1, sizeof(k1));
		user_name_key(apart[i][1], k2, sizeof(k2));
		if (strcmp(k1, k2) == 0)
			fail_msg("%zu: %s and %s: one key %s", i, apart[i][0],
			    apart[i][1], k1);
	}
}

/* The key is plain: ASCII digits, the folded letters, UTF-8 cut at no
 * character; and "" when it does not fit or the name is not UTF-8. */
static void
test_key_form(void **state)
{
	char k[200], small[8], big[400];
	size_t i;

	(void)state;
	user_name_key("Ka\u0648\u0647\u0662", k, sizeof(k));
	assert_string_equal(k, "ka\u0648\u06472");
	user_name_key("\u0623\u064a", k, sizeof(k));
	assert_string_equal(k, "\u0627\u06cc");
	user_name_key("abcdefghij", small, sizeof(small));
	assert_string_equal(small, "");
	user_name_key("\u0639\u0644\u06cc\u0639", small, sizeof(small));
	assert_string_equal(small, "");
	user_name_key("\u0639\u0644\u06cc", small, sizeof(small));
	assert_string_equal(small, "\u0639\u0644\u06cc");
	user_name_key("bad\xff", k, sizeof(k));
	assert_string_equal(k, "");
	/* One character can grow to many in NFKC (ﷺ: 18). */
	big[0] = '\0';
	for (i = 0; i < 60; i++)
		strcat(big, "\ufdfa");
	user_name_key(big, k, sizeof(k));
	assert_string_equal(k, "");
	user_name_key("", k, sizeof(k));
	assert_string_equal(k, "");
}

static const char *const good[] = {
	"darya", "Darya_2024", "a.b-c", "\u0647\u0627\u0648\u0695\u06ce_\u0662",
	"\u0623\u062d\u0645\u062f", "\u0627\u0654\u062d\u0645\u062f",
	"x\u0661\u0662\u0663", "x\u06f1\u06f2\u06f3", "\u0639\u0644\u064a7",
	"\u06a9\u0627\u0648\u06d5", "\u0698\u06cc\u0627\u0646",
	"\u0645\u062d\u0645\u0651\u064e\u062f",	/* shadda and fatha */
	"\u0631\u062d\u0645\u0670\u0646",	/* superscript alef */
	"\u0686\u06c6\u0695\u06a4\u06af\u06b5\u06be",
};

static void
test_good_names(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (user_name_problem(good[i]) != NULL)
			fail_msg("%s: %s", good[i], user_name_problem(good[i]));
}

#define LETTERS	"Use only letters, digits, and _ - . (no spaces)."
#define SCRIPT	"Use the letters of one alphabet, Latin or Arabic, not both."
#define MARKS	"Put vowel marks only on Arabic letters, at most two on one " \
		"letter."

static const struct {
	const char	*name;
	const char	*problem;
} bad[] = {
	{ "ab", "Use at least 3 characters." },
	{ "abcdefghijklmnopqrstuvwxyz0123456", "Use at most 32 characters." },
	{ "two words", LETTERS },
	{ "evil\u202ex", LETTERS },
	{ "zero\u200bwidth", LETTERS },
	{ "\u0639\u200c\u0644\u06cc", LETTERS },	/* ZWNJ */
	{ "\u0639\u200d\u0644\u06cc", LETTERS },	/* ZWJ */
	{ "<b>x</b>", LETTERS },
	{ "\u0639\u0640\u0644\u06cc", LETTERS },	/* tatweel */
	/* compatibility forms are refused, not made plain */
	{ "\uff58admin", LETTERS },
	{ "\ufe8d\ufea3\ufee3\ufeaa", LETTERS },
	{ "\ufefb\u0646\u0646", LETTERS },
	{ "\ufb01ne", LETTERS },
	{ "x\u00b9\u00b2\u00b3", LETTERS },
	/* Latin letters beyond ASCII, other scripts' look-alikes */
	{ "caf\u00e9", LETTERS },
	{ "\u0430dmin", LETTERS },	/* Cyrillic a */
	{ "\u0251dmin", LETTERS },	/* Latin alpha */
	/* Arabic-block letters of other languages: ٹ ں ہ ٴ ۍ ٮ */
	{ "\u0679\u0627\u0646", LETTERS },
	{ "\u0646\u0627\u06ba", LETTERS },
	{ "\u06c1\u0627\u0646", LETTERS },
	{ "\u0627\u0674\u062d\u0645\u062f", LETTERS },
	{ "\u0639\u0644\u06cd", LETTERS },
	{ "\u066e\u0627\u0646", LETTERS },
	/* one script in a name */
	{ "x\u0623\u062d\u0645\u062f", SCRIPT },
	{ "ali\u0639\u0644\u06cc", SCRIPT },
	{ "ali_\u0639\u0644\u06cc", SCRIPT },
	/* marks where they do not belong */
	{ "xadmin\u0670", MARKS },
	{ "admin\u064e", MARKS },
	{ "x\u0301yz", MARKS },
	{ "\u064e\u0639\u0644\u06cc", MARKS },
	{ "\u0661\u064e\u0639\u0644", MARKS },
	{ "_\u064e\u0639\u0644", MARKS },
	{ "\u0639\u064e\u064e\u0644\u06cc", MARKS },	/* one twice */
	{ "\u0639\u0651\u064e\u0650\u0644\u06cc", MARKS },	/* three */
	/* a hamza mark that makes no letter */
	{ "\u0628\u0654\u0627\u0628", LETTERS },
};

static void
test_bad_names(void **state)
{
	const char *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = user_name_problem(bad[i].name);
		if (p == NULL || strcmp(p, bad[i].problem) != 0)
			fail_msg("%zu: %s: %s", i, bad[i].name,
			    p ? p : "(accepted)");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_same),
		cmocka_unit_test(test_key_apart),
		cmocka_unit_test(test_key_form),
		cmocka_unit_test(test_good_names),
		cmocka_unit_test(test_bad_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
