/* Tests for app/conf.c: the parser, every kind of bad value, and the
 * environment overriding the file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

static void
test_defaults_and_file(void **state)
{
	struct conf c;
	char err[512];

	(void)state;
	conf_defaults(&c);
	assert_int_equal(c.listen_port, 8080);
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.weak_password_hash, 0);	/* tests only */
	assert_int_equal(conf_parse(&c, "# comment\n\nthreads = 3\n"
	    "listen = [::1]:9000\r\nsecure_cookies = on\n  db =  host=/x "
	    "dbname=y  \n", "t.conf", err, sizeof(err)), 0);
	assert_int_equal(c.threads, 3);
	assert_string_equal(c.listen_host, "::1");
	assert_int_equal(c.listen_port, 9000);
	assert_int_equal(c.secure_cookies, 1);
	assert_string_equal(c.db, "host=/x dbname=y");
	assert_int_equal(conf_parse(&c, "listen = :81", "t", err,
	    sizeof(err)), 0);
	assert_string_equal(c.listen_host, "0.0.0.0");
}

static void
test_bad_values_name_the_setting(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;
	} c[] = {
		{ "threads = 0", "t.conf:1: threads:" },
		{ "threads = 3x", "threads: \"3x\" is not a whole number" },
		{ "threads = 99999999999999999999", "threads:" },
		{ "\nmax_body = -1", "t.conf:2: max_body:" },
		{ "listen = localhost", "listen:" },
		{ "listen = 1.2.3.4:70000", "listen:" },
		{ "listen = 1.2.3.4:", "listen:" },
		{ "secure_cookies = maybe", "secure_cookies: \"maybe\" is not on "
		    "or off" },
		{ "colour = blue", "colour: unknown setting" },
		{ "just words", "t.conf:1: expected \"name = value\"" },
		{ "threads =", "threads:" },
	};
	struct conf conf;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		conf_defaults(&conf);
		err[0] = '\0';
		assert_int_equal(conf_parse(&conf, c[i].text, "t.conf", err,
		    sizeof(err)), -1);
		if (strstr(err, c[i].want) == NULL)
			fail_msg("%s: got \"%s\"", c[i].text, err);
	}
}

static void
test_long_string_and_line(void **state)
{
	struct conf c;
	char err[512], *text;

	(void)state;
	text = malloc(5000);
	memset(text, 'a', 4999);
	text[4999] = '\0';
	memcpy(text, "user=", 5);
	conf_defaults(&c);
	assert_int_equal(conf_parse(&c, text, "t", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line too long"));
	text[100] = '\0';
	assert_int_equal(conf_parse(&c, text, "t", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "user: longer than"));
	free(text);
}

static void
test_environment_overrides(void **state)
{
	struct conf c;
	char err[512];

	(void)state;
	setenv("MAGNET_LISTEN", "127.0.0.1:9123", 1);
	setenv("MAGNET_DB", "dbname=other", 1);
	assert_int_equal(conf_load(&c, NULL, err, sizeof(err)), 0);
	assert_int_equal(c.listen_port, 9123);
	assert_string_equal(c.db, "dbname=other");
	setenv("MAGNET_LISTEN", "nonsense", 1);
	assert_int_equal(conf_load(&c, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "MAGNET_LISTEN"));
	unsetenv("MAGNET_LISTEN");
	unsetenv("MAGNET_DB");
	assert_int_equal(conf_load(&c, "/nonexistent/magnet.conf", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/magnet.conf"));
}

/* The settings of before Kore keep their meaning; the new ones and the
 * checks made once the whole file is read. */
static void
test_kore_settings(void **state)
{
	struct conf c;
	char err[512], path[] = "/tmp/magnet-test-conf-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	unsetenv("MAGNET_LISTEN");
	unsetenv("MAGNET_DB");
	conf_defaults(&c);
	assert_int_equal(c.header_timeout, 10);
	assert_int_equal(c.connection_memory, 8192);
	/* connection_timeout, the one time-out of before, sets all three. */
	assert_int_equal(conf_parse(&c, "connection_timeout = 7\n"
	    "body_timeout = 30\n", "t", err, sizeof(err)), 0);
	assert_int_equal(c.header_timeout, 7);
	assert_int_equal(c.keepalive_timeout, 7);
	assert_int_equal(c.body_timeout, 30);
	/* Kore's header buffer is 16 bits. */
	assert_int_equal(conf_parse(&c, "connection_memory = 65536", "t", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "connection_memory: \"65536\" is not a "
	    "whole number from 1024 to 65535"));
	assert_int_equal(conf_parse(&c, "workers = 65", "t", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "workers:"));
	/* A certificate needs its key; TLS makes cookies Secure and the
	 * default address https. */
	fd = mkstemp(path);
	assert_true(fd != -1);
	f = fdopen(fd, "w");
	fputs("tls_certificate = /etc/x.pem\n", f);
	fclose(f);
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "tls_certificate and tls_key"));
	f = fopen(path, "a");
	fputs("tls_key = /etc/x.key\nlisten = 127.0.0.1:8443\n", f);
	fclose(f);
	assert_int_equal(conf_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.secure_cookies, 1);
	assert_string_equal(c.base_url, "https://127.0.0.1:8443");
	assert_string_equal(c.pidfile, "var/magnet-8443.pid");
	unlink(path);
}

static void
test_shipped_conf_parses(void **state)
{
	struct conf c;
	char err[512];

	(void)state;
	unsetenv("MAGNET_LISTEN");
	unsetenv("MAGNET_DB");
	assert_int_equal(conf_load(&c, "conf/magnet.conf", err, sizeof(err)),
	    0);
	assert_int_equal(c.listen_port, 8080);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_file),
		cmocka_unit_test(test_bad_values_name_the_setting),
		cmocka_unit_test(test_long_string_and_line),
		cmocka_unit_test(test_environment_overrides),
		cmocka_unit_test(test_kore_settings),
		cmocka_unit_test(test_shipped_conf_parses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
