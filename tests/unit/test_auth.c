/* Tests for app/auth.c: password rules, Argon2id hashing and rehash,
 * tokens and their keyed hashes, and the bounded hashing slots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth.h"
#include "conf.h"
#include "user.h"

static int
setup(void **state)
{
	(void)state;
	if (auth_init(NULL) == -1)
		return -1;
	return auth_load_common("assets/common-passwords.txt");
}

static void
test_password_rules(void **state)
{
	char big[300];

	(void)state;
	assert_non_null(auth_password_problem("short", NULL));
	assert_non_null(auth_password_problem("1234567", NULL));
	assert_null(auth_password_problem("12345679x", NULL));
	assert_non_null(auth_password_problem("password1", NULL));
	assert_non_null(auth_password_problem("PassWord1", NULL));
	assert_non_null(auth_password_problem("12345678", NULL));
	assert_non_null(auth_password_problem("kurdistan", NULL));
	assert_non_null(auth_password_problem("darya_2024", "DARYA_2024"));
	/* No composition rules: spaces and one character class are fine. */
	assert_null(auth_password_problem("river under the bridge", NULL));
	assert_null(auth_password_problem("هەولێر شارێکی جوانە", NULL));
	memset(big, 'q', 256);
	big[256] = '\0';
	assert_null(auth_password_problem(big, NULL));
	big[256] = 'q';
	big[257] = '\0';
	assert_non_null(auth_password_problem(big, NULL));
}

static void
test_hash_verify_rehash(void **state)
{
	char h[AUTH_HASH_LEN], weak[AUTH_HASH_LEN];
	int rehash;

	(void)state;
	assert_int_equal(auth_hash("a long passphrase", h), AUTH_PW_OK);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_int_equal(auth_verify(h, "a long passphrase", &rehash),
	    AUTH_PW_OK);
	assert_int_equal(rehash, 0);
	assert_int_equal(auth_verify(h, "a long passphrasE", &rehash),
	    AUTH_PW_BAD);
	/* No truncation: a longer password is a different password. */
	assert_int_equal(auth_verify(h, "a long passphrase ", &rehash),
	    AUTH_PW_BAD);
	/* Unknown accounts verify against the dummy and always fail. */
	assert_int_equal(auth_verify(NULL, "a long passphrase", &rehash),
	    AUTH_PW_BAD);
	/* A hash made with weaker limits asks to be redone. */
	assert_int_equal(crypto_pwhash_str(weak, "old password", 12,
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_int_equal(auth_verify(weak, "old password", &rehash),
	    AUTH_PW_OK);
	assert_int_equal(rehash, 1);
}

static void
test_tokens(void **state)
{
	char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];
	char ha[65], ha2[65], hb[65];
	unsigned char k1[32], k2[32];

	(void)state;
	auth_new_token(a);
	auth_new_token(b);
	assert_int_equal(strlen(a), AUTH_TOKEN_LEN);
	assert_string_not_equal(a, b);
	memset(k1, 1, sizeof(k1));
	memset(k2, 2, sizeof(k2));
	auth_set_key(k1);
	auth_token_hash(a, ha);
	auth_token_hash(a, ha2);
	auth_token_hash(b, hb);
	assert_string_equal(ha, ha2);
	assert_string_not_equal(ha, hb);
	assert_int_equal(strlen(ha), 64);
	/* The hash is keyed: a database thief without the key learns
	 * nothing usable. */
	auth_set_key(k2);
	auth_token_hash(a, ha2);
	assert_string_not_equal(ha, ha2);
}

static void
test_name_rules(void **state)
{
	char k1[200], k2[200];

	(void)state;
	assert_null(user_name_problem("darya"));
	assert_null(user_name_problem("هاوڕێ_٢"));
	assert_non_null(user_name_problem("ab"));
	assert_non_null(user_name_problem("two words"));
	assert_non_null(user_name_problem("evil\xe2\x80\xae" "x"));
	assert_non_null(user_name_problem("zero\xe2\x80\x8bwidth"));
	assert_non_null(user_name_problem("<b>x</b>"));
	user_name_key("Ali", k1, sizeof(k1));
	user_name_key("aLI", k2, sizeof(k2));
	assert_string_equal(k1, k2);
	user_name_key("علي", k1, sizeof(k1));
	user_name_key("علی", k2, sizeof(k2));
	assert_string_equal(k1, k2);
	user_name_key("كاوه", k1, sizeof(k1));
	user_name_key("کاوه", k2, sizeof(k2));
	assert_string_equal(k1, k2);
}

static void *
hasher(void *arg)
{
	char h[AUTH_HASH_LEN];

	*(int *)arg = auth_hash("parallel passphrase", h);
	return NULL;
}

/* Many at once never run more than the slots allow: they finish, or
 * some are told the server is busy, but memory stays bounded. */
static void
test_bounded_concurrency(void **state)
{
	pthread_t t[8];
	int rc[8], ok = 0, i;

	(void)state;
	for (i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, hasher, &rc[i]);
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_true(rc[i] == AUTH_PW_OK || rc[i] == AUTH_PW_BUSY);
		ok += rc[i] == AUTH_PW_OK;
	}
	assert_true(ok >= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_hash_verify_rehash),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_bounded_concurrency),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
