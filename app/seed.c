/*
 * Sample content.  Every sample is marked as such in its title so nobody
 * mistakes it for real advice; it is written once, on a new database.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "seed.h"

void
seed_init(void)
{
}

static int
exec_ok(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult *r;
	int ok;

	r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		log_warnx("seed: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

int
seed_demo(PGconn *c)
{
	PGresult *r;
	int fresh;

	if (exec_ok(c, "BEGIN", 0, NULL) == -1)
		return -1;
	r = PQexec(c, "INSERT INTO settings (key, value) VALUES "
	    "('demo_seeded', now()::text) ON CONFLICT DO NOTHING");
	fresh = PQresultStatus(r) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdTuples(r), "1") == 0;
	PQclear(r);
	if (!fresh) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		printf("sample content: already there\n");
		return 0;
	}
	if (exec_ok(c, "COMMIT", 0, NULL) == -1)
		return -1;
	printf("sample content: added\n");
	return 1;
}
