/* Tests for app/request.c: the address per-address limits count by. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "request.h"

static void
test_ip_net(void **state)
{
	static const struct {
		const char	*ip;
		const char	*net;
	} c[] = {
		{ "203.0.113.7", "203.0.113.7" },
		/* One subscriber's /64: every address in it is one. */
		{ "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64" },
		{ "2001:db8:1:2::1", "2001:db8:1:2::/64" },
		{ "2001:db8:1:3::1", "2001:db8:1:3::/64" },
		{ "::ffff:192.0.2.1", "192.0.2.1" },
		{ "::1", "::/64" },
		/* Not an address (a proxy's header): counted as it is. */
		{ "unknown", "unknown" },
		{ "", "" },
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		request_ip_net(c[i].ip, out, sizeof(out));
		assert_string_equal(out, c[i].net);
	}
}

static void
test_local_path(void **state)
{
	(void)state;
	assert_true(request_local_path("/t/1?page=2"));
	assert_false(request_local_path("//evil.example/"));
	assert_false(request_local_path("/\\evil.example/"));
	assert_false(request_local_path("https://evil.example/"));
	assert_false(request_local_path("/a\r\nSet-Cookie: x=1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_net),
		cmocka_unit_test(test_local_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
