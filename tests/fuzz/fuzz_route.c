/*
 * Fuzz the router with any path: it matches, or answers 404 or 405, and
 * a slug it returns is made only of the allowed characters.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct route *r;
	const char *slug;
	char *path, slugbuf[128];
	long long id, id2;
	int m;

	path = malloc(size + 1);
	if (path == NULL)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	for (m = M_GET; m <= M_POST; m++) {
		if (route_match(path, (enum method)m, &r, &id, &id2, &slug,
		    slugbuf, sizeof(slugbuf)) != ROUTE_OK)
			continue;
		if (id < 0 || id2 < 0)
			__builtin_trap();
		if (slug != NULL && strspn(slug, "abcdefghijklmnopqrstuvwxyz"
		    "0123456789-._") != strlen(slug))
			__builtin_trap();
	}
	free(path);
	return 0;
}
