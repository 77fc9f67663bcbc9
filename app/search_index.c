/*
 * Search for new replies (see search_index.h).
 *
 * The writes of every node are heard as notifications on the channel
 * "magnet" (the ones that empty the visitors' caches, migration 0016).
 * The posts they left without words are done once the forum has been
 * quiet for QUIET_MS, so that a reply is found by search a moment after
 * it is saved, and a burst of replies (a thousand a second into one
 * thread) is not slowed by its own indexing: a RUM insert costs more
 * than the rest of a reply.  A burst longer than LAG_MS (half a minute)
 * is indexed while it goes on, at a third of one core at most: after
 * each batch during which something was written, the process sleeps
 * twice as long as the batch took.  A quiet forum is caught up with at
 * full speed.  Nodes share the work:
 * magnet_search_index takes the rows no other node holds.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "search_index.h"

#define BATCH		200
#define QUIET_MS	100
#define LAG_MS		30000

/* When the first write not indexed yet was heard (or 0), the last. */
static long long pending, last;

int
search_index_listen(PGconn *c)
{
	PGresult *r;
	int ok;

	r = PQexec(c, "LISTEN magnet");
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		log_warnx("search index: LISTEN: %s", PQerrorMessage(c));
	PQclear(r);
	/* what was written while nobody listened */
	pending = last = mono_ms();
	return ok ? 0 : -1;
}

/* Forget the notifications received: 1 if there were any. */
static int
drain(PGconn *c)
{
	PGnotify *n;
	int any = 0;

	while ((n = PQnotifies(c)) != NULL) {
		PQfreemem(n);
		any = 1;
	}
	return any;
}

/* 1 when a write is heard within ms. */
static int
heard(PGconn *c, int ms)
{
	struct pollfd p;

	if (drain(c))
		return 1;
	p.fd = PQsocket(c);
	p.events = POLLIN;
	if (p.fd < 0 || poll(&p, 1, ms) <= 0)
		return 0;
	(void)PQconsumeInput(c);
	return drain(c);
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
	long long now, wait, t0, end = mono_ms() + ms;
	int n;

	for (;;) {
		now = mono_ms();
		if (pending && (now - last >= QUIET_MS ||
		    now - pending >= LAG_MS))
			break;
		if (now >= end)
			return 0;
		wait = end - now;
		if (pending && last + QUIET_MS - now < wait)
			wait = last + QUIET_MS - now;
		if (heard(c, (int)wait)) {
			last = mono_ms();
			if (!pending)
				pending = last;
		}
	}
	t0 = mono_ms();
	if ((n = run(c)) == -1)
		return -1;
	if (n < BATCH)
		pending = 0;
	/* Writes heard meanwhile: leave them two thirds of the time. */
	if (n > 0 && heard(c, 0)) {
		last = mono_ms();
		if (!pending)
			pending = last;
		(void)poll(NULL, 0, (int)(2 * (last - t0)));
	}
	return 0;
}
