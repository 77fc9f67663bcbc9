/*
 * Search for new replies (see search_index.h).
 *
 * Every POLL_MS the process looks at the posts without words (the
 * partial index posts_unindexed: the newest of them, and how long the
 * oldest has waited).  When no new one has come since the last look, the
 * forum is quiet and they are done, so that a reply is found by search a
 * moment after it is saved, and a burst of replies (a thousand a second
 * into one thread) is not slowed by its own indexing: a RUM insert costs
 * more than the rest of a reply.  A burst longer than LAG_MS (half a
 * minute) is indexed while it goes on, at a third of one core at most:
 * after a batch during which replies came, the process sleeps twice as
 * long as the batch took.  A quiet forum is caught up with at full
 * speed.  Nodes share the work: magnet_search_index takes the rows no
 * other node holds.  (Looking costs a query ten times a second; hearing
 * the writes by LISTEN would wake this process with every reply.)
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "search_index.h"

#define BATCH		200
#define POLL_MS		100
#define LAG_MS		30000

/* The newest post without words at the last look (0: none). */
static long long seen;

/* The newest post without words (0: none) and how long the oldest has
 * waited, in ms: 0, or -1. */
static int
backlog(PGconn *c, long long *newest, long long *waited)
{
	PGresult *r;
	int ok;

	r = PQexec(c, "SELECT coalesce(max(id), 0), coalesce((SELECT "
	    "(extract(epoch FROM now() - created_at) * 1000)::bigint FROM "
	    "posts WHERE search IS NULL ORDER BY id LIMIT 1), 0) "
	    "FROM posts WHERE search IS NULL");
	ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	if (ok) {
		*newest = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		*waited = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	} else
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
	long long end = mono_ms() + ms, newest, waited, t0, before;

	for (;;) {
		if (backlog(c, &newest, &waited) == -1)
			return -1;
		/* Quiet (none new since the last look), or too long behind. */
		if (newest != 0 && (newest == seen || waited >= LAG_MS))
			break;
		seen = newest;
		if (mono_ms() + POLL_MS > end)
			return 0;
		(void)poll(NULL, 0, POLL_MS);
	}
	before = newest;
	t0 = mono_ms();
	if (run(c) == -1 || backlog(c, &newest, &waited) == -1)
		return -1;
	seen = newest;
	/* Replies came meanwhile: leave them two thirds of the time. */
	if (newest > before)
		(void)poll(NULL, 0, (int)(2 * (mono_ms() - t0)));
	return 0;
}
