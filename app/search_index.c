/*
 * Search for new replies (see search_index.h).
 *
 * Every POLL_MS the process looks at the last id the posts' sequence
 * gave.  When no new post has come since the last look, the forum is
 * quiet and the posts without words are done, so that a reply is found
 * by search a moment after it is saved, and a burst of replies (a
 * thousand a second into one thread) is not slowed by its own indexing:
 * a RUM insert costs more than the rest of a reply.  A burst longer than
 * LAG_MS (half a minute) is indexed while it goes on, at a third of one
 * core at most: after a batch during which replies came, the process
 * sleeps twice as long as the batch took.  A quiet forum is caught up
 * with at full speed.  Nodes share the work: magnet_search_index takes
 * the rows no other node holds.  (Looking costs a query ten times a
 * second; hearing the writes by LISTEN would wake this process with
 * every reply.)
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "search_index.h"

#define BATCH		200
#define POLL_MS		100
#define LAG_MS		30000

/* The posts' sequence at the last look; since when posts may be waiting
 * for their words (0: none). */
static long long seen = -1, pending;

/* The last id the posts' sequence gave (its one row: no scan of posts,
 * whose index of the posts waiting holds the dead entries of those done
 * until VACUUM): 0, or -1. */
static int
newest(PGconn *c, long long *id)
{
	PGresult *r;
	int ok;

	r = PQexec(c, "SELECT last_value FROM posts_id_seq");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok)
		*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	else
		log_warnx("search index: %s", PQerrorMessage(c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* One batch: how many posts were done, or -1. */
static int
run(PGconn *c)
{
	char batch[16];
	const char *args[1] = { batch };
	PGresult *r;
	int n = -1;

	snprintf(batch, sizeof(batch), "%d", BATCH);
	r = PQexecParams(c, "SELECT magnet_search_index($1)", 1, NULL, args,
	    NULL, NULL, 0);
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		n = atoi(PQgetvalue(r, 0, 0));
	else
		log_warnx("search index: %s", PQerrorMessage(c));
	PQclear(r);
	return n;
}

int
search_index_step(PGconn *c, int ms)
{
	long long end = mono_ms() + ms, id, t0;
	int n;

	for (;;) {
		if (newest(c, &id) == -1)
			return -1;
		if (id != seen) {
			/* New posts (or the first look): wait for quiet. */
			if (!pending)
				pending = mono_ms();
			seen = id;
		} else if (pending)
			break;		/* none new since the last look */
		if (pending && mono_ms() - pending >= LAG_MS)
			break;		/* too long behind */
		if (mono_ms() + POLL_MS > end)
			return 0;
		(void)poll(NULL, 0, POLL_MS);
	}
	t0 = mono_ms();
	if ((n = run(c)) == -1 || newest(c, &id) == -1)
		return -1;
	if (n < BATCH)
		pending = 0;
	/* Replies came meanwhile: leave them two thirds of the time. */
	if (id != seen) {
		seen = id;
		if (!pending)
			pending = mono_ms();
		(void)poll(NULL, 0, (int)(2 * (mono_ms() - t0)));
	}
	return 0;
}
