/* Tests for app/buf.c's gzip: one stream joined from pieces compressed
 * apart (shared parts of pages) must inflate to the pieces in order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "buf.h"

/* gunzip in with zlib (gzip wrapper checked: header, CRC and length). */
static char *
gunzip(const char *in, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = 1 << 20;
	char *out = malloc(cap);
	int rc;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 31), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	rc = inflate(&z, Z_FINISH);
	assert_int_equal(rc, Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);	/* nothing after the trailer */
	*outlen = z.total_out;
	inflateEnd(&z);
	return out;
}

/* Text that repeats, so that matches would reach across pieces. */
static char *
text(const char *word, int n)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < n; i++)
		buf_printf(&b, "<p>%s %d سڵاو</p>\n", word, i % 7);
	return buf_release(&b, NULL);
}

static void
check_as(const char *pattern, int store)
{
	struct gz_piece pc[4];
	struct buf out, want;
	char *words[4], *got;
	size_t n = strlen(pattern), i, gotlen;

	buf_init(&want);
	for (i = 0; i < n; i++) {
		words[i] = text(i % 2 ? "shared" : "personal", 50 + (int)i);
		memset(&pc[i], 0, sizeof(pc[i]));
		pc[i].p = words[i];
		pc[i].len = strlen(words[i]);
		if (pattern[i] == 's')
			assert_int_equal(buf_deflate_part(&pc[i], 6), 0);
		buf_append(&want, pc[i].p, pc[i].len);
	}
	buf_init(&out);
	assert_int_equal(buf_gzip_join(&out, pc, n, store), 0);
	got = gunzip(out.p, out.len, &gotlen);
	assert_int_equal(gotlen, want.len);
	assert_memory_equal(got, want.p, want.len);
	free(got);
	buf_free(&out);
	buf_free(&want);
	for (i = 0; i < n; i++) {
		free(pc[i].z);
		free(words[i]);
	}
}

static void
check(const char *pattern)
{
	check_as(pattern, 0);
	check_as(pattern, 1);
}

static void
test_join(void **state)
{
	(void)state;
	check("p");		/* a plain gzip */
	check("psp");		/* a page around a shared part */
	check("s");		/* the part alone: the stream still ends */
	check("sp");
	check("ps");
	check("pssp");		/* two parts side by side */
}

static void
test_empty_pieces(void **state)
{
	struct gz_piece pc[3];
	struct buf out;
	char *got;
	size_t gotlen;

	(void)state;
	memset(pc, 0, sizeof(pc));
	pc[0].p = "";
	pc[1].p = "middle";
	pc[1].len = 6;
	assert_int_equal(buf_deflate_part(&pc[1], 9), 0);
	pc[2].p = "";
	buf_init(&out);
	assert_int_equal(buf_gzip_join(&out, pc, 3, 1), 0);
	got = gunzip(out.p, out.len, &gotlen);
	assert_int_equal(gotlen, 6);
	assert_memory_equal(got, "middle", 6);
	free(got);
	free(pc[1].z);
	buf_free(&out);
}

/* A stored piece over 64 KB takes several blocks. */
static void
test_stored_long(void **state)
{
	struct gz_piece pc[2];
	struct buf out;
	char *big = text("long", 9000), *got;
	size_t gotlen;

	(void)state;
	memset(pc, 0, sizeof(pc));
	pc[0].p = "shared";
	pc[0].len = 6;
	assert_int_equal(buf_deflate_part(&pc[0], 9), 0);
	pc[1].p = big;
	pc[1].len = strlen(big);
	assert_true(pc[1].len > 3 * 65535);
	buf_init(&out);
	assert_int_equal(buf_gzip_join(&out, pc, 2, 1), 0);
	got = gunzip(out.p, out.len, &gotlen);
	assert_int_equal(gotlen, 6 + pc[1].len);
	assert_memory_equal(got + 6, big, pc[1].len);
	free(got);
	free(pc[0].z);
	free(big);
	buf_free(&out);
}

static void
test_gzip_smaller_only(void **state)
{
	char *gz, *got, *big = text("page", 400);
	size_t gzlen, gotlen;

	(void)state;
	assert_int_equal(buf_gzip("abc", 3, &gz, &gzlen), -1);
	assert_int_equal(buf_gzip(big, strlen(big), &gz, &gzlen), 0);
	assert_true(gzlen < strlen(big) / 4);
	got = gunzip(gz, gzlen, &gotlen);
	assert_int_equal(gotlen, strlen(big));
	assert_memory_equal(got, big, gotlen);
	free(got);
	free(gz);
	free(big);
	buf_gzip_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_empty_pieces),
		cmocka_unit_test(test_stored_long),
		cmocka_unit_test(test_gzip_smaller_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
