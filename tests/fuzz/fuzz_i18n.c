/*
 * libFuzzer target for app/i18n.c: every input is read both as an
 * Accept-Language header and as a .mo image, then looked up in.
 * Neither may crash, overread, leak or hang whatever the bytes.
 *
 *	clang -g -O1 -fsanitize=fuzzer,address,undefined -Iapp \
 *	    tests/fuzz/fuzz_i18n.c app/i18n.c app/buf.c app/log.c \
 *	    -o build/fuzz/fuzz_i18n
 *	build/fuzz/fuzz_i18n -dict=tests/fuzz/i18n.dict \
 *	    -max_total_time=30 tests/fuzz/corpus/i18n
 * (copy the corpus to a scratch directory first to keep the tree clean)
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Rejections are logged; the fuzzer makes millions of them. */
	log_open_error("/dev/null");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *ids[] = { "", "Home", "Sign in", "Zebra", "A" };
	char *s, num[48];
	enum lang l, tag;
	long long v = 0;
	size_t i;

	/* The input as a NUL-terminated string (cut at the first NUL). */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	l = i18n_negotiate(s);
	if ((unsigned)l >= LANG__MAX)
		abort();
	if (i18n_from_tag(s, &tag) == 0 && (unsigned)tag >= LANG__MAX)
		abort();

	/* The input as a catalogue; on success, look things up in it. */
	if (i18n_parse_mo(LANG_AR, data, size) == 0) {
		for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (i18n_get(LANG_AR, ids[i]) == NULL)
				abort();
		if (strlen(i18n_get(LANG_AR, s)) > size)
			abort();
	}
	i18n_free();

	/* The first bytes as a number, into buffers of every size. */
	memcpy(&v, data, size < sizeof(v) ? size : sizeof(v));
	for (i = 0; i <= sizeof(num); i++)
		if (i18n_format_int(l, v, num, i) == 0 && strlen(num) >= i)
			abort();
	free(s);
	return 0;
}
