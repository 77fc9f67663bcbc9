/*
 * Tests for app/mdb.c: the markdown broker (a real "magnet-md
 * md-broker" next to $MAGNET_BIN, started as the server starts it) and
 * its client: renders and refusals through it, many threads at once,
 * a client of another user refused, the broker killed (started again),
 * the broker gone for good (an answer, not a hang), and a clean stop.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <pthread.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "log.h"
#include "md.h"
#include "mdb.h"

static char helper[1100];

static const char *
runas(void)
{
	struct passwd *pw;

	if (geteuid() == 0)
		return "nobody";
	pw = getpwuid(geteuid());
	assert_non_null(pw);
	return pw->pw_name;
}

static int
setup(void **state)
{
	struct md_limits l;
	const char *bin = getenv("MAGNET_BIN"), *slash;

	(void)state;
	if (bin == NULL || *bin == '\0')
		fail_msg("MAGNET_BIN is not set: it must name build/magnet");
	slash = strrchr(bin, '/');
	snprintf(helper, sizeof(helper), "%.*smagnet-md", slash != NULL ?
	    (int)(slash - bin + 1) : 0, bin);
	mdb_limits(&l, 2, 2000, helper);
	md_configure(&l);
	assert_int_equal(mdb_start(helper, runas(), 2, 2000), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	mdb_close();
	mdb_stop();
	return 0;
}

static void
test_render(void **state)
{
	struct buf b;
	char *s;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "before:");
	assert_int_equal(mdb_render("Hello *world*", 13, &b), MD_OK);
	assert_string_equal(b.p, "before:<p>Hello <em>world</em></p>");
	/* Refusals leave the buffer as it was. */
	assert_int_equal(mdb_render("", 0, &b), MD_EMPTY);
	assert_int_equal(mdb_render("a\0b", 3, &b), MD_BAD_UTF8);
	s = malloc(3001);
	memset(s, '>', 3000);
	s[3000] = '\0';
	assert_int_equal(mdb_render(s, 3000, &b), MD_TOO_DEEP);
	free(s);
	assert_string_equal(b.p, "before:<p>Hello <em>world</em></p>");
	/* What discount would let through is cleaned by the broker. */
	buf_reset(&b);
	assert_int_equal(mdb_render("[x](javascript:alert(1)) <script>x",
	    34, &b), MD_OK);
	assert_null(strstr(b.p, "href=\"javascript"));
	assert_null(strstr(b.p, "<script"));
	buf_free(&b);
}

static void *
renders(void *arg)
{
	struct buf b;
	char src[64];
	int i, *bad = arg;

	buf_init(&b);
	for (i = 0; i < 50; i++) {
		buf_reset(&b);
		snprintf(src, sizeof(src), "item **%d**", i);
		if (mdb_render(src, strlen(src), &b) != MD_OK ||
		    strstr(b.p, "<strong>") == NULL)
			(*bad)++;
	}
	mdb_close();
	buf_free(&b);
	return NULL;
}

/* Each thread has its own connection; eight at once, two workers. */
static void
test_threads(void **state)
{
	pthread_t t[8];
	int bad[8] = { 0 }, i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, renders, &bad[i]),
		    0);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

/* The broker's serving process (the child of mdb_pid()), or -1. */
static pid_t
serving(void)
{
	char path[64];
	FILE *f;
	int pid = -1;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
	    (int)mdb_pid(), (int)mdb_pid());
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%d", &pid) != 1)
		pid = -1;
	fclose(f);
	return pid;
}

/* Wait up to two seconds for pid to end (a zombie has ended): 1 if it
 * did. */
static int
ended(pid_t pid)
{
	struct timespec ts = { 0, 10000000L };
	char path[64], st[512], *p;
	FILE *f;
	int i, gone;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 200; i++) {
		gone = 1;
		if ((f = fopen(path, "r")) != NULL) {
			if (fgets(st, sizeof(st), f) != NULL &&
			    (p = strrchr(st, ')')) != NULL && p[1] == ' ')
				gone = p[2] == 'Z' || p[2] == 'X';
			fclose(f);
		}
		if (gone)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* The broker killed: it is started again, the connection each thread
 * kept is made again, and the next render is answered. */
static void
test_broker_restarts(void **state)
{
	struct buf b;
	pid_t first, second;

	(void)state;
	buf_init(&b);
	assert_int_equal(mdb_render("*one*", 5, &b), MD_OK);
	first = serving();
	assert_true(first > 0);
	assert_int_equal(kill(first, SIGKILL), 0);
	/* Gone, and another in its place. */
	assert_true(ended(first));
	buf_reset(&b);
	assert_int_equal(mdb_render("*two*", 5, &b), MD_OK);
	assert_non_null(strstr(b.p, "<em>two</em>"));
	second = serving();
	assert_true(second > 0 && second != first);
	/* Again at once: a crash loop is slowed down, never given up. */
	assert_int_equal(kill(second, SIGKILL), 0);
	assert_true(ended(second));
	buf_reset(&b);
	assert_int_equal(mdb_render("*three*", 7, &b), MD_OK);
	assert_non_null(strstr(b.p, "<em>three</em>"));
	buf_free(&b);
}

/* The broker gone for good: an answer at once, not a hang. */
static void
test_broker_gone(void **state)
{
	struct buf b;
	struct timespec t0, t1;
	pid_t pid = mdb_pid(), child = serving();
	int status;

	(void)state;
	buf_init(&b);
	assert_int_equal(mdb_render("*one*", 5, &b), MD_OK);
	assert_true(pid > 0 && child > 0);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	(void)kill(child, SIGKILL);
	assert_true(ended(child));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(mdb_render("*two*", 5, &b), MD_FAILED);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	buf_free(&b);
	/* A new broker is served by the same client. */
	assert_int_equal(mdb_start(helper, runas(), 2, 2000), 0);
	buf_init(&b);
	assert_int_equal(mdb_render("*three*", 7, &b), MD_OK);
	buf_free(&b);
}

/* Only the broker's own user and root may ask it for renders. */
static void
test_other_user_refused(void **state)
{
	struct buf b;
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0) {
		/* Without root there is no other user to be: the broker is
		 * ours, and serves us. */
		buf_init(&b);
		assert_int_equal(mdb_render("*ours*", 6, &b), MD_OK);
		buf_free(&b);
		return;
	}
	mdb_close();
	if ((pid = fork()) == 0) {
		/* Neither root nor nobody. */
		if (setgid(54321) == -1 || setuid(54321) == -1)
			_exit(3);
		buf_init(&b);
		_exit(mdb_render("*no*", 4, &b) == MD_FAILED ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_other_user_refused),
		cmocka_unit_test(test_broker_restarts),
		cmocka_unit_test(test_broker_gone),
	};

	log_init("test_mdb");
	return cmocka_run_group_tests(tests, setup, teardown);
}
