/*
 * libFuzzer target for the user names of app/user.c: every input is
 * checked as a new name and folded to its key, in a roomy and in a tight
 * buffer.  Neither may crash, overread, leak or hang whatever the bytes;
 * a key is always UTF-8 (the database refuses anything else), and an
 * acceptable name has a key that folds to itself (so a key stored is the
 * key a sign-in with the same name computes).
 *
 *	make fuzz-build && build/fuzz/fuzz_name -max_total_time=30 \
 *	    scratch-copy-of-tests/fuzz/corpus/name
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "log.h"
#include "user.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_open_error("/dev/null");
	return 0;
}

static void
key_ok(const char *k, size_t len)
{
	if (strlen(k) >= len ||
	    u8_check((const uint8_t *)k, strlen(k)) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, k[200], k2[200], tight[9];

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	user_name_key(s, k, sizeof(k));
	key_ok(k, sizeof(k));
	user_name_key(s, tight, sizeof(tight));
	key_ok(tight, sizeof(tight));
	if (u8_check((const uint8_t *)s, strlen(s)) == NULL &&
	    user_name_problem(s) == NULL) {
		user_name_key(k, k2, sizeof(k2));
		if (k[0] == '\0' || strcmp(k, k2) != 0)
			abort();
	}
	free(s);
	return 0;
}
