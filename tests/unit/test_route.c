/* Tests for app/route.c: matching, path parameters, 404 against 405,
 * and the access rules per role. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"
#include "route.h"

static void
test_match(void **state)
{
	static const struct {
		const char	*path;
		enum method	 m;
		enum route_result want;
		const char	*pattern;
	} c[] = {
		{ "/", M_GET, ROUTE_OK, "/" },
		{ "/login", M_GET, ROUTE_OK, "/login" },
		{ "/login", M_POST, ROUTE_OK, "/login" },
		{ "/logout", M_GET, ROUTE_BAD_METHOD, NULL },
		{ "/logout/", M_POST, ROUTE_NOT_FOUND, NULL },
		{ "/nope", M_GET, ROUTE_NOT_FOUND, NULL },
		{ "", M_GET, ROUTE_NOT_FOUND, NULL },
		{ "/static/magnet-abc.css", M_GET, ROUTE_OK, "/static/{slug}" },
		{ "/static/.hidden", M_GET, ROUTE_NOT_FOUND, NULL },
		{ "/static/../etc/passwd", M_GET, ROUTE_NOT_FOUND, NULL },
		{ "/static/a/b", M_GET, ROUTE_NOT_FOUND, NULL },
	};
	const struct route *r;
	const char *slug;
	char slugbuf[64];
	long long id, id2;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(route_match(c[i].path, c[i].m, &r, &id, &id2,
		    &slug, slugbuf, sizeof(slugbuf)), c[i].want);
		if (c[i].pattern != NULL)
			assert_string_equal(r->pattern, c[i].pattern);
	}
	route_match("/static/magnet-abc.css", M_GET, &r, &id, &id2, &slug,
	    slugbuf, sizeof(slugbuf));
	assert_string_equal(slug, "magnet-abc.css");
}

static void
test_access(void **state)
{
	struct route r;
	struct user u;
	static const struct {
		enum access	 a;
		int		 allowed[ROLE__MAX];	/* by role; [0] visitor */
	} c[] = {
		{ A_ANY, { 1, 1, 1, 1, 1 } },
		{ A_USER, { 0, 1, 1, 1, 1 } },
		{ A_EMPLOYER, { 0, 0, 1, 1, 1 } },
		{ A_MOD, { 0, 0, 0, 1, 1 } },
		{ A_ADMIN, { 0, 0, 0, 0, 1 } },
	};
	size_t i;
	int role;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		r.access = c[i].a;
		assert_int_equal(route_allowed(&r, NULL), c[i].allowed[0]);
		for (role = ROLE_RETURNEE; role < ROLE__MAX; role++) {
			memset(&u, 0, sizeof(u));
			u.role = (enum role)role;
			assert_int_equal(route_allowed(&r, &u),
			    c[i].allowed[role]);
		}
	}
}

static void
test_every_route_is_sane(void **state)
{
	const struct route *t;
	size_t n, i;

	(void)state;
	t = route_table(&n);
	assert_true(n > 5);
	for (i = 0; i < n; i++) {
		assert_non_null(t[i].handler);
		assert_true(t[i].pattern[0] == '/');
		/* State changes only through POST, which checks CSRF. */
		if (t[i].method == M_POST)
			assert_false(t[i].flags & R_NOCSRF);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_every_route_is_sane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
