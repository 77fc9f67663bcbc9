/* Tests for app/mention.c: which @names of a post's sanitised HTML are
 * mentions (not in code, links or tags; not an address's @; Arabic
 * punctuation and a final full stop end a name), and the links made of
 * them, which add nothing but a fixed <a> with a number. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "mention.h"

struct scan_case {
	const char	*html;
	const char	*names;		/* found, as typed, space-separated */
};

static const struct scan_case scans[] = {
	{ "<p>hello @ali and @sara.</p>", "ali sara" },
	{ "<p>@ali @ALI @Ali</p>", "ali" },		/* one person */
	{ "<p>write to ali@example.com</p>", "" },	/* an address */
	{ "<p><code>@ali</code> <pre>@sara</pre></p>", "" },
	{ "<p><a href=\"https://x\" rel=\"nofollow\">@ali</a> @omar</p>",
	    "omar" },
	{ "<p title=\"@ali\">x</p>", "" },		/* in a tag */
	/* Sorani: the Arabic comma and question mark end the name */
	{ "<p>\u0633\u06b5\u0627\u0648 @\u0626\u0627\u0631\u0627\u0633"
	    "\u060c \u0686\u06c6\u0646\u06cc @\u0647\u06ce\u0645\u0646"
	    "\u061f</p>", "\u0626\u0627\u0631\u0627\u0633 "
	    "\u0647\u06ce\u0645\u0646" },
	/* yeh written Arabic or Persian: one person */
	{ "<p>@\u0639\u0644\u064a @\u0639\u0644\u06cc</p>",
	    "\u0639\u0644\u064a" },
	{ "<p>@ @. @-</p>", "" },
	{ "<p>@@ali</p>", "" },
	{ "<p>(@ali_b-2.)</p>", "ali_b-2" },
};

static void
test_scan(void **state)
{
	struct mention m[MENTION_MAX];
	struct buf b;
	size_t i;
	int n, j;

	(void)state;
	for (i = 0; i < sizeof(scans) / sizeof(scans[0]); i++) {
		n = mention_scan(scans[i].html, m, MENTION_MAX);
		buf_init(&b);
		for (j = 0; j < n; j++)
			buf_printf(&b, "%s%s", j ? " " : "", m[j].name);
		if (strcmp(b.len ? b.p : "", scans[i].names) != 0)
			fail_msg("%zu: %s: got \"%s\"", i, scans[i].html,
			    b.len ? b.p : "");
		buf_free(&b);
	}
}

static void
test_limit(void **state)
{
	struct mention m[MENTION_MAX];
	struct buf b;
	int i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "<p>");
	for (i = 0; i < 3 * MENTION_MAX; i++)
		buf_printf(&b, "@name%d ", i);
	buf_puts(&b, "</p>");
	assert_int_equal(mention_scan(b.p, m, MENTION_MAX), MENTION_MAX);
	assert_string_equal(m[MENTION_MAX - 1].name, "name9");
	buf_free(&b);
}

static void
test_link(void **state)
{
	struct mention m[MENTION_MAX];
	struct buf b;
	int n;

	(void)state;
	n = mention_scan("<p>@Ali, @nobody and <code>@ali</code>.</p>", m,
	    MENTION_MAX);
	assert_int_equal(n, 2);
	m[0].id = 42;
	buf_init(&b);
	mention_link("<p>@Ali, @nobody, @ali. <code>@ali</code> "
	    "<a href=\"/x\">@ali</a></p>", m, n, &b);
	assert_string_equal(b.p, "<p><a class=\"mention\" href=\"/u/42\">"
	    "@Ali</a>, @nobody, <a class=\"mention\" href=\"/u/42\">@ali</a>. "
	    "<code>@ali</code> <a href=\"/x\">@ali</a></p>");
	buf_free(&b);
	/* Nothing named: the bytes as they were. */
	buf_init(&b);
	mention_link("<p>a &amp; b</p>", m, 0, &b);
	assert_string_equal(b.p, "<p>a &amp; b</p>");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_link),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
