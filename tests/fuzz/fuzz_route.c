/*
 * Fuzz the router with any path.  Kore picks the route (literal paths
 * by strcmp, then the patterns' regular expressions in order, as
 * app/server.c registers them); Magnet then matches within that group.
 * The two must agree with route_match over the whole table: the same
 * route, or nothing.  A slug that matches is made only of the allowed
 * characters, and an id is positive.
 */
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "request.h"
#include "route.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static regex_t	*rx;
static const struct route_group *groups;
static size_t	 ngroups;

static void
setup(void)
{
	char path[512];
	size_t i;

	groups = route_groups(&ngroups);
	rx = calloc(ngroups, sizeof(*rx));
	for (i = 0; i < ngroups; i++) {
		if (strchr(groups[i].pattern, '{') == NULL)
			continue;
		if (route_kore_path(&groups[i], path, sizeof(path)) != 0 ||
		    regcomp(&rx[i], path, REG_EXTENDED | REG_NOSUB) != 0)
			__builtin_trap();
	}
}

/* The group Kore would choose, or NULL for the catch-all (404). */
static const struct route_group *
kore_choice(const char *path)
{
	size_t i;

	for (i = 0; i < ngroups; i++)
		if (strchr(groups[i].pattern, '{') == NULL &&
		    strcmp(groups[i].pattern, path) == 0)
			return &groups[i];
	for (i = 0; i < ngroups; i++)
		if (strchr(groups[i].pattern, '{') != NULL &&
		    regexec(&rx[i], path, 0, NULL, 0) == 0)
			return &groups[i];
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct route_group *g;
	const struct route *r, *r2;
	struct route_path rp, rp2;
	struct arena *a;
	enum route_result rr, rr2;
	char *path;
	int m;

	if (rx == NULL)
		setup();
	if ((path = malloc(size + 1)) == NULL)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	a = arena_new();
	g = kore_choice(path);
	for (m = M_GET; m <= M_OTHER; m++) {
		rr = route_match(a, path, (enum method)m, &r, &rp);
		if (g == NULL) {
			/* Kore's catch-all: the table has nothing either. */
			if (rr != ROUTE_NOT_FOUND)
				__builtin_trap();
			continue;
		}
		rr2 = route_match_group(g, a, path, (enum method)m, &r2, &rp2);
		if (rr != rr2 || (rr == ROUTE_OK && r != r2))
			__builtin_trap();
		if (rr != ROUTE_OK)
			continue;
		if (rp.id < 0 || rp.id2 < 0)
			__builtin_trap();
		if (rp.slug != NULL && (rp.slug[0] == '.' ||
		    strspn(rp.slug, "abcdefghijklmnopqrstuvwxyz0123456789-._") !=
		    strlen(rp.slug)))
			__builtin_trap();
	}
	arena_free(a);
	free(path);
	return 0;
}
