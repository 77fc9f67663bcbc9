/* Tests for app/route.c: matching, typed path parameters, 404 against
 * 405, the access rules per role, and the routes Kore registers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <regex.h>

#include <cmocka.h>

#include "buf.h"

#include "page.h"
#include "request.h"
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
	struct route_path rp;
	struct arena *a;
	size_t i;

	(void)state;
	a = arena_new();
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(route_match(a, c[i].path, c[i].m, &r, &rp),
		    c[i].want);
		if (c[i].pattern != NULL)
			assert_string_equal(r->pattern, c[i].pattern);
	}
	route_match(a, "/static/magnet-abc.css", M_GET, &r, &rp);
	assert_string_equal(rp.slug, "magnet-abc.css");
	/* Ids are typed like form numbers: positive, at most 2^53 - 1. */
	assert_int_equal(route_match(a, "/t/42", M_GET, &r, &rp), ROUTE_OK);
	assert_int_equal(rp.id, 42);
	assert_int_equal(route_match(a, "/t/9007199254740991", M_GET, &r,
	    &rp), ROUTE_OK);
	assert_int_equal(route_match(a, "/t/9007199254740992", M_GET, &r,
	    &rp), ROUTE_NOT_FOUND);
	assert_int_equal(route_match(a, "/t/0", M_GET, &r, &rp),
	    ROUTE_NOT_FOUND);
	assert_int_equal(route_match(a, "/t/012", M_GET, &r, &rp),
	    ROUTE_NOT_FOUND);
	assert_int_equal(route_match(a, "/t/12a", M_GET, &r, &rp),
	    ROUTE_NOT_FOUND);
	assert_int_equal(route_match(a, "/b/Erbil", M_GET, &r, &rp),
	    ROUTE_NOT_FOUND);
	assert_int_equal(route_match(a, "/t/1", M_OTHER, &r, &rp),
	    ROUTE_BAD_METHOD);
	arena_free(a);
}

/* A path for a pattern: {id} as 7, {slug} as "x-y". */
static void
sample(const char *pattern, char *out, size_t len)
{
	struct buf b;

	buf_init(&b);
	for (; *pattern != '\0'; pattern++) {
		if (strncmp(pattern, "{id}", 4) == 0) {
			buf_puts(&b, "7");
			pattern += 3;
		} else if (strncmp(pattern, "{slug}", 6) == 0) {
			buf_puts(&b, "x-y");
			pattern += 5;
		} else
			buf_putc(&b, *pattern);
	}
	snprintf(out, len, "%s", b.p);
	buf_free(&b);
}

/* Kore's list (literal paths, then the patterns' expressions, in the
 * order server.c registers them) sends every route's paths to its own
 * group, and each placeholder is a whole segment. */
static void
test_kore_routes(void **state)
{
	const struct route_group *g;
	char path[512], kp[512];
	regex_t rx[256];
	size_t n, i, k, hit;
	const char *p;

	(void)state;
	g = route_groups(&n);
	assert_true(n > 10 && n < 256);
	for (i = 0; i < n; i++) {
		assert_int_equal(route_kore_path(&g[i], kp, sizeof(kp)), 0);
		if (strchr(g[i].pattern, '{') == NULL) {
			assert_string_equal(kp, g[i].pattern);
			continue;
		}
		assert_true(kp[0] == '^');
		assert_int_equal(regcomp(&rx[i], kp, REG_EXTENDED | REG_NOSUB),
		    0);
		for (p = strchr(g[i].pattern, '{'); p != NULL;
		    p = strchr(p + 1, '{'))
			assert_true(p[-1] == '/' && (strchr(p, '}')[1] == '\0' ||
			    strchr(p, '}')[1] == '/'));
	}
	for (i = 0; i < n; i++) {
		sample(g[i].pattern, path, sizeof(path));
		hit = n;
		for (k = 0; k < n && hit == n; k++)
			if (strchr(g[k].pattern, '{') == NULL &&
			    strcmp(g[k].pattern, path) == 0)
				hit = k;
		for (k = 0; k < n && hit == n; k++)
			if (strchr(g[k].pattern, '{') != NULL &&
			    regexec(&rx[k], path, 0, NULL, 0) == 0)
				hit = k;
		if (hit != i)
			fail_msg("%s goes to %s", path, hit < n ?
			    g[hit].pattern : "nothing");
	}
	for (i = 0; i < n; i++)
		if (strchr(g[i].pattern, '{') != NULL)
			regfree(&rx[i]);
}

static void
test_access(void **state)
{
	struct route r;
	struct user u;
	static const struct {
		enum route_access a;
		enum method	 m;
		int		 flags;
		/* by role: visitor, returnee, employer, partner, moderator,
		 * admin */
		int		 allowed[ROLE__MAX];
	} c[] = {
		{ A_ANY, M_GET, 0, { 1, 1, 1, 1, 1, 1 } },
		{ A_USER, M_GET, 0, { 0, 1, 1, 0, 1, 1 } },
		{ A_EMPLOYER, M_GET, 0, { 0, 0, 1, 0, 1, 1 } },
		{ A_PARTNER, M_GET, 0, { 0, 0, 0, 1, 1, 1 } },
		{ A_MOD, M_GET, 0, { 0, 0, 0, 0, 1, 1 } },
		{ A_ADMIN, M_GET, 0, { 0, 0, 0, 0, 0, 1 } },
		/* A partner only reads: no form but those marked. */
		{ A_ANY, M_POST, 0, { 1, 1, 1, 0, 1, 1 } },
		{ A_USER, M_POST, 0, { 0, 1, 1, 0, 1, 1 } },
		{ A_USER, M_POST, R_PARTNER, { 0, 1, 1, 1, 1, 1 } },
		{ A_USER, M_GET, R_PARTNER, { 0, 1, 1, 1, 1, 1 } },
	};
	size_t i;
	int role;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		r.allow = c[i].a;
		r.method = c[i].m;
		r.flags = c[i].flags;
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
		/* State changes only through POST, which checks CSRF; save
		 * RFC 8058's one-click unsubscribe, which a mail program
		 * posts with no form: its keyed signature stands for it. */
		if (t[i].method == M_POST && strcmp(t[i].pattern,
		    "/mail/unsubscribe/{id}/{slug}") != 0)
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
		cmocka_unit_test(test_kore_routes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
