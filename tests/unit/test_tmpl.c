/* Tests for app/tmpl.c: escaping, lists of rows and items, conditions on
 * typed columns, partials, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "buf.h"
#include "tmpl.h"

#define BOOLOID	16
#define INT8OID	20
#define TEXTOID	25

/* A result as libpq would hand it: columns, types, rows (NULL: SQL NULL). */
static PGresult *
result(int ncols, const char *const *names, const Oid *types, int nrows,
    const char *const *cells)
{
	PGresAttDesc a[8];
	char cell[64], name[8][16];
	PGresult *r;
	int i, j;

	memset(a, 0, sizeof(a));
	for (i = 0; i < ncols; i++) {
		snprintf(name[i], sizeof(name[i]), "%s", names[i]);
		a[i].name = name[i];
		a[i].typid = types[i];
		a[i].typlen = -1;
		a[i].atttypmod = -1;
	}
	r = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	assert_int_equal(PQsetResultAttrs(r, ncols, a), 1);
	for (i = 0; i < nrows; i++)
		for (j = 0; j < ncols; j++) {
			const char *c = cells[i * ncols + j];

			snprintf(cell, sizeof(cell), "%s", c ? c : "");
			assert_int_equal(PQsetvalue(r, i, j, cell,
			    c ? (int)strlen(c) : -1), 1);
		}
	return r;
}

static const char *
render(const char *text, const struct tmpl_vars *v)
{
	static char out[4096];
	char err[256];
	struct buf b;

	tmpl_free();
	assert_int_equal(tmpl_load_one("t", text, err, sizeof(err)), 0);
	buf_init(&b);
	if (tmpl_render(&b, "t", LANG_EN, v) == -1) {
		buf_free(&b);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
	buf_free(&b);
	return out;
}

static void
escapes_unless_raw(void **state)
{
	static const char *names[] = { "title", "body_html" };
	static const Oid types[] = { TEXTOID, TEXTOID };
	static const char *cells[] = { "<b>", "<p>ok</p>" };
	struct arena *a = arena_new();
	struct tmpl_vars v;
	PGresult *r;

	(void)state;
	r = result(2, names, types, 1, cells);
	tmpl_init(&v, a);
	tmpl_set(&v, "plain", "<i>");
	tmpl_set_raw(&v, "html", "<em>x</em>");
	tmpl_bind_row(&v, r, 0);
	/* {{&title}}: a column not named *_html is escaped all the same. */
	assert_string_equal(render("{{plain}}{{&plain}}{{&html}}{{title}}"
	    "{{&title}}{{&body_html}}", &v), "&lt;i&gt;&lt;i&gt;<em>x</em>"
	    "&lt;b&gt;&lt;b&gt;<p>ok</p>");
	assert_string_equal(tmpl_var(&v, "title"), "<b>");
	PQclear(r);
	arena_free(a);
}

static void
hook(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	(void)ctx;
	tmpl_set(row, "label", strcmp(PQgetvalue(r, i, 0), "1") == 0 ?
	    "one" : "other");
}

static void
loops_rows_with_hook(void **state)
{
	static const char *names[] = { "id", "pinned", "replies", "title" };
	static const Oid types[] = { INT8OID, BOOLOID, INT8OID, TEXTOID };
	static const char *cells[] = {
		"1", "t", "0", "a&b",
		"2", "f", "3", NULL,
	};
	struct arena *a = arena_new();
	struct tmpl_vars v;
	PGresult *r, *none;

	(void)state;
	r = result(4, names, types, 2, cells);
	none = result(4, names, types, 0, cells);
	tmpl_init(&v, a);
	tmpl_set(&v, "slug", "duhok");
	tmpl_set(&v, "title", "page");
	tmpl_set_rows(&v, "threads", r, hook, NULL);
	tmpl_set_rows(&v, "empty", none, NULL, NULL);
	/* The row's columns over the page's (title), the page's seen from
	 * the row (slug); a boolean's f and a number's 0 are false. */
	assert_string_equal(render("{{#threads}}[{{id}} {{label}} {{slug}} "
	    "{{title}}{{#pinned}} P{{/pinned}}{{^replies}} R0{{/replies}}"
	    "{{^title}} untitled{{/title}}]{{/threads}}{{title}}", &v),
	    "[1 one duhok a&amp;b P R0][2 other duhok  untitled]page");
	assert_string_equal(render("{{#empty}}x{{/empty}}{{^empty}}none"
	    "{{/empty}}{{^threads}}no{{/threads}}{{?empty}}<ol>{{/empty}}",
	    &v), "none");
	/* {{?list}}: a wrapper, once, around the rows. */
	assert_string_equal(render("{{?threads}}<ol>{{#threads}}<li>{{id}}"
	    "{{/threads}}</ol>{{/threads}}", &v), "<ol><li>1<li>2</ol>");
	PQclear(r);
	PQclear(none);
	arena_free(a);
}

static void
loops_items_nested(void **state)
{
	struct arena *a = arena_new();
	struct tmpl_vars v, items[2], sub[1];

	(void)state;
	tmpl_init(&v, a);
	tmpl_init(&items[0], a);
	tmpl_init(&items[1], a);
	tmpl_init(&sub[0], a);
	tmpl_set(&items[0], "name", "en");
	tmpl_set_bool(&items[0], "current", 1);
	tmpl_set(&items[1], "name", "ar");
	tmpl_set(&sub[0], "x", "!");
	tmpl_set_items(&items[1], "subs", sub, 1);
	tmpl_set_items(&v, "langs", items, 2);
	assert_string_equal(render("{{#langs}}<{{name}}{{#current}}*"
	    "{{/current}}{{#subs}}{{name}}{{x}}{{/subs}}>{{/langs}}", &v),
	    "<en*><arar!>");
	arena_free(a);
}

static void
partials_nest_and_are_checked(void **state)
{
	char err[256];
	struct buf b;
	struct tmpl_vars v;

	(void)state;
	tmpl_free();
	assert_int_equal(tmpl_load_one("page", "[{{>a}}]", err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_load_one("a", "a{{>b}}", err, sizeof(err)), 0);
	assert_int_equal(tmpl_load_one("b", "b{{x}}", err, sizeof(err)), 0);
	assert_int_equal(tmpl_check(err, sizeof(err)), 0);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "x", "!");
	buf_init(&b);
	assert_int_equal(tmpl_render(&b, "page", LANG_EN, &v), 0);
	assert_string_equal(b.p, "[ab!]");
	buf_free(&b);
	/* A missing partial and a loop are start-up errors. */
	assert_int_equal(tmpl_load_one("c", "{{>nope}}", err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_check(err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no partial nope"));
	tmpl_free();
	assert_int_equal(tmpl_load_one("d", "{{>e}}", err, sizeof(err)), 0);
	assert_int_equal(tmpl_load_one("e", "{{>d}}", err, sizeof(err)), 0);
	assert_int_equal(tmpl_check(err, sizeof(err)), -1);
	assert_non_null(strstr(err, "includes itself"));
	tmpl_free();
}

static void
limits_fail_the_page(void **state)
{
	struct arena *a = arena_new();
	struct tmpl_vars v;
	char name[100][8];
	int i;

	(void)state;
	/* Without an arena the 17th variable fails the render... */
	memset(&v, 0, sizeof(v));
	for (i = 0; i < 100; i++) {
		snprintf(name[i], sizeof(name[i]), "v%d", i);
		tmpl_set(&v, name[i], "x");
	}
	assert_null(render("{{v0}}", &v));
	/* ... with one there is no limit. */
	tmpl_init(&v, a);
	for (i = 0; i < 100; i++)
		tmpl_set(&v, name[i], name[i]);
	assert_string_equal(render("{{v0}}{{v99}}", &v), "v0v99");
	arena_free(a);
	/* Unknown syntax is refused when loaded. */
	{
		char err[256];

		assert_int_equal(tmpl_load_one("bad", "{{#a}}", err,
		    sizeof(err)), -1);
		assert_int_equal(tmpl_load_one("bad", "{{!x}}", err,
		    sizeof(err)), -1);
	}
}

static void
times_and_numbers(void **state)
{
	struct arena *a = arena_new();
	struct tmpl_vars v;

	(void)state;
	tmpl_init(&v, a);
	tmpl_set(&v, "t", "2020-01-02T13:04:05+03:00");
	tmpl_set(&v, "d", "2020-01-02");
	tmpl_set(&v, "n", "12345");
	tmpl_set(&v, "bad", "<x>");
	/* Older than a week: the local date and time, as written. */
	assert_string_equal(render("{{@t}}|{{@d}}|{{+n}}|{{@bad}}", &v),
	    "<time datetime=\"2020-01-02T13:04:05+03:00\" "
	    "title=\"2020-01-02 13:04\">2020-01-02 13:04</time>|"
	    "<time datetime=\"2020-01-02\">2020-01-02</time>|12345|&lt;x&gt;");
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_unless_raw),
		cmocka_unit_test(loops_rows_with_hook),
		cmocka_unit_test(loops_items_nested),
		cmocka_unit_test(partials_nest_and_are_checked),
		cmocka_unit_test(limits_fail_the_page),
		cmocka_unit_test(times_and_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
