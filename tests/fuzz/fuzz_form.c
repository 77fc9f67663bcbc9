/*
 * Fuzz the request input of ours: the urlencoded form parser, and every
 * parameter type's validation over whatever it yields (query parameters
 * go through the same checks), and the cookie and header values we read
 * ourselves: the session token's shape, the language cookie and
 * X-Forwarded-For.  Each iteration
 * uses an arena of its own, freed at the end, as a request does.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "page.h"
#include "param.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const choices[] = { "a", "bb", "returnee", NULL };

static const struct param params[] = {
	{ "l", P_LINE, P_FORM, 3, 32, 1, NULL },
	{ "t", P_TEXT, P_FORM, 1, 200, 1, NULL },
	{ "n", P_INT, P_FORM, 1, 1000000, 0, NULL },
	{ "e", P_ENUM, P_FORM, 0, 0, 1, choices },
	{ "s", P_SECRET, P_FORM, 8, 256, 1, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kv fields[REQUEST_MAXFIELDS];
	struct arena *a;
	const char *out;
	char *s, ip[64];
	enum lang l;
	long long num;
	size_t n, i, j;

	a = arena_new();
	if (request_parse_form(a, (const char *)data, size, fields,
	    REQUEST_MAXFIELDS, &n) == 0) {
		for (i = 0; i < n; i++) {
			for (j = 0; j < sizeof(params) / sizeof(params[0]); j++) {
				param_check(a, &params[j], fields[i].val,
				    fields[i].len, &out, &num);
				/* Whatever comes back is safe to show. */
				if (!html_utf8_ok(out, strlen(out)))
					__builtin_trap();
			}
		}
	}
	/* The raw bytes as one value, too. */
	for (j = 0; j < sizeof(params) / sizeof(params[0]); j++)
		param_check(a, &params[j], (const char *)data, size, &out, &num);
	/* As a cookie or header value (Kore hands them over NUL-terminated). */
	if ((s = arena_strndup(a, (const char *)data, size)) != NULL) {
		if (auth_token_shape_ok(s) && strlen(s) != AUTH_TOKEN_LEN)
			__builtin_trap();
		if (i18n_from_tag(s, &l) == 0 && (l < 0 || l >= LANG__MAX))
			__builtin_trap();
		/* The address taken is the value's last hop, and fits. */
		if (request_forwarded_ip(s, ip, sizeof(ip)) == 0 &&
		    (strlen(ip) >= sizeof(ip) || strlen(ip) > strlen(s) ||
		    strcmp(s + strlen(s) - strlen(ip), ip) != 0))
			__builtin_trap();
	}
	arena_free(a);
	return 0;
}
