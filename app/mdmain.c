/*
 * magnet-md: the markdown helper as a program of its own, with neither
 * Kore, the database nor TLS in it, so that its processes stay small:
 * the broker that build/magnet starts, and the workers the broker
 * starts (mdb.c, md.c).
 *
 *   magnet-md md-broker USER WORKERS TIMEOUT_MS   (descriptor 3: the
 *                                                  listening socket)
 *   magnet-md md-worker                           (stdin, stdout: the
 *                                                  broker's socketpair)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "md.h"
#include "mdb.h"

static int
number(const char *s, int lo, int hi)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "magnet-md: \"%s\" is not a number from %d to "
		    "%d\n", s, lo, hi);
		exit(2);
	}
	return (int)v;
}

int
main(int argc, char *argv[])
{
	struct md_limits l;

	if (argc == 2 && strcmp(argv[1], "md-worker") == 0)
		return md_worker_main();
	if (argc == 5 && strcmp(argv[1], "md-broker") == 0) {
		log_init("magnet md-broker");
		mdb_limits(&l, number(argv[3], 1, MD_MAX_WORKERS),
		    number(argv[4], 100, 60000), "/proc/self/exe");
		return mdb_broker_main(argv[2], &l);
	}
	fprintf(stderr, "usage: magnet-md md-broker USER WORKERS TIMEOUT_MS | "
	    "md-worker\n");
	return 2;
}
