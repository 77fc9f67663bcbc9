/*
 * The listener behind cache invalidation (see notify.h).  It has a
 * connection of its own, outside the per-thread pool, since a LISTEN
 * lasts as long as the session and the pool's connections come and go
 * with requests.  Everything is asynchronous (connect, LISTEN, a ping
 * after a quiet half minute) and waits in poll(2) next to a pipe, so a
 * database that is gone or frozen delays neither the notifications'
 * effect once it is back nor the server's stop.  A lost connection is
 * retried with a back-off from a quarter second to five; every
 * (re)connection counts as a notification, since some may have been
 * missed meanwhile.
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "conf.h"
#include "log.h"
#include "notify.h"

#define CHANNEL		"magnet"
#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	5000
#define QUIET_MS	30000	/* ping after this long without traffic */
#define ANSWER_MS	10000	/* a LISTEN or a ping must answer by then */

static _Atomic unsigned long gens[NOTIFY__MAX];
static atomic_int live;
static atomic_int stopping;
static int wake[2] = { -1, -1 };
static pthread_t thread;
static int running;
static char conninfo[1024];
static int connect_ms;

/*
 * The node's own writes, counted in memory its workers share (mapped
 * before they fork) and added to the caches' generation: a page asked
 * for right after a form was saved on this node, on whichever worker,
 * is never one kept from before it, however late the notification.
 */
static _Atomic unsigned long *node_writes;

void
notify_share(void)
{
	void *p;

	p = mmap(NULL, sizeof(*node_writes), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		log_fatal("notify: shared memory");
	node_writes = p;
}

void
notify_wrote(void)
{
	if (node_writes != NULL)
		atomic_fetch_add(node_writes, 1);
}

unsigned long
notify_gen(enum notify_what w)
{
	if (w == NOTIFY_CACHE && node_writes != NULL)
		return atomic_load(&gens[w]) + atomic_load(node_writes);
	return atomic_load(&gens[w]);
}

int
notify_live(void)
{
	return atomic_load(&live);
}

static void
bump(enum notify_what w)
{
	atomic_fetch_add(&gens[w], 1);
}

static void
bump_all(void)
{
	int i;

	for (i = 0; i < NOTIFY__MAX; i++)
		bump((enum notify_what)i);
}

/* Wait until fd is ready for ev: 1, 0 on time-out, -1 when asked to stop. */
static int
wait_fd(int fd, short ev, long long ms)
{
	struct pollfd p[2];
	int n;

	p[0].fd = wake[0];
	p[0].events = POLLIN;
	p[1].fd = fd;
	p[1].events = ev;
	n = poll(p, fd >= 0 ? 2 : 1, ms < 0 ? 0 : ms > 60000 ? 60000 :
	    (int)ms);
	if (atomic_load(&stopping) || (n > 0 && p[0].revents != 0))
		return -1;
	if (n == -1 && errno != EINTR)
		log_warn("notify: poll");
	return n > 0 && fd >= 0 && p[1].revents != 0 ? 1 : 0;
}

/* Sleep for ms unless asked to stop: 0, or -1 to stop. */
static int
nap(long long ms)
{
	long long end = mono_ms() + ms;

	while (mono_ms() < end)
		if (wait_fd(-1, 0, end - mono_ms()) == -1)
			return -1;
	return atomic_load(&stopping) ? -1 : 0;
}

/* The server's notices (its FATAL on shutdown) go to our log, not stderr. */
static void
notice(void *arg, const char *msg)
{
	(void)arg;
	log_info("notify: database says: %.*s", (int)strcspn(msg, "\n"), msg);
}

/* Connect without blocking past the connect timeout or a stop. */
static PGconn *
connect_async(char *err, size_t errlen)
{
	const char *keys[] = { "dbname", "application_name",
	    "keepalives_idle", "keepalives_interval", "keepalives_count",
	    NULL };
	const char *vals[] = { conninfo, "magnet-notify", "10", "5", "2",
	    NULL };
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	long long deadline = mono_ms() + connect_ms;
	PGconn *c;
	int w;

	snprintf(err, errlen, "timed out after %d ms", connect_ms);
	if ((c = PQconnectStartParams(keys, vals, 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	PQsetNoticeProcessor(c, notice, NULL);
	while (PQstatus(c) != CONNECTION_BAD && st != PGRES_POLLING_FAILED) {
		if (st == PGRES_POLLING_OK)
			return c;
		if (mono_ms() >= deadline)
			goto fail;
		w = wait_fd(PQsocket(c), st == PGRES_POLLING_READING ?
		    POLLIN : POLLOUT, deadline - mono_ms());
		if (w == -1)
			goto fail;
		if (w == 1)
			st = PQconnectPoll(c);
	}
	snprintf(err, errlen, "%s", PQerrorMessage(c));
	err[strcspn(err, "\n")] = '\0';
fail:
	PQfinish(c);
	return NULL;
}

static void
take_notifications(PGconn *c)
{
	PGnotify *n;

	while ((n = PQnotifies(c)) != NULL) {
		log_debug("notify: %s \"%s\" from pid %d", n->relname,
		    n->extra, n->be_pid);
		if (strcmp(n->extra, "cache") == 0)
			bump(NOTIFY_CACHE);
		else if (strcmp(n->extra, "settings") == 0)
			bump(NOTIFY_SETTINGS);
		else
			bump_all();
		PQfreemem(n);
	}
}

/*
 * Serve one connection until it fails (-1 after logging why) or the
 * server stops (0).  A query is outstanding from the LISTEN until its
 * answer, and from each ping until its answer; neither may take longer
 * than ANSWER_MS.
 */
static int
listen_on(PGconn *c, int *heard)
{
	long long due, quiet_since = mono_ms();
	int busy, first = 1, w;
	PGresult *r;

	if (!PQsendQuery(c, "LISTEN " CHANNEL))
		goto lost;
	busy = 1;
	due = mono_ms() + ANSWER_MS;
	for (;;) {
		w = wait_fd(PQsocket(c), POLLIN, busy ? due - mono_ms() :
		    quiet_since + QUIET_MS - mono_ms());
		if (w == -1)
			return 0;
		if (w == 0) {
			if (busy && mono_ms() >= due) {
				log_warnx("notify: the database did not "
				    "answer for %d s", ANSWER_MS / 1000);
				return -1;
			}
			if (!busy && mono_ms() >= quiet_since + QUIET_MS) {
				if (!PQsendQuery(c, "SELECT 1"))
					goto lost;
				busy = 1;
				due = mono_ms() + ANSWER_MS;
			}
			continue;
		}
		if (!PQconsumeInput(c))
			goto lost;
		quiet_since = mono_ms();
		while (busy && !PQisBusy(c)) {
			if ((r = PQgetResult(c)) == NULL) {
				busy = 0;
				if (first) {
					first = 0;
					atomic_store(&live, 1);
					*heard = 1;
					/* Writes made while away were not
					 * heard: start a new generation. */
					bump_all();
					log_info("notify: listening on "
					    "channel %s", CHANNEL);
				}
				break;
			}
			if (PQresultStatus(r) != PGRES_COMMAND_OK &&
			    PQresultStatus(r) != PGRES_TUPLES_OK) {
				PQclear(r);
				goto lost;
			}
			PQclear(r);
		}
		take_notifications(c);
		if (PQstatus(c) != CONNECTION_OK)
			goto lost;
	}
lost:
	log_warnx("notify: connection lost: %.*s",
	    (int)strcspn(PQerrorMessage(c), "\n"), PQerrorMessage(c));
	return -1;
}

static void *
run(void *arg)
{
	char err[512];
	long long backoff = BACKOFF_MIN_MS;
	PGconn *c;
	int heard, quiet = 0;

	(void)arg;
	while (!atomic_load(&stopping)) {
		if ((c = connect_async(err, sizeof(err))) == NULL) {
			if (atomic_load(&stopping))
				break;
			/* Say it once per outage; the pool logs too. */
			if (!quiet)
				log_warnx("notify: connect: %s; caches "
				    "fall back to their time limits", err);
			quiet = 1;
		} else {
			heard = 0;
			if (listen_on(c, &heard) == 0) {
				atomic_store(&live, 0);
				PQfinish(c);
				break;
			}
			atomic_store(&live, 0);
			PQfinish(c);
			/* After a connection that listened, a new outage:
			 * say so, and retry from the shortest step. */
			if (heard) {
				quiet = 0;
				backoff = BACKOFF_MIN_MS;
			}
			if (!quiet)
				log_warnx("notify: caches fall back to their "
				    "time limits until the listener is back");
			quiet = 1;
		}
		if (nap(backoff) == -1)
			break;
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
		    backoff * 2;
	}
	return NULL;
}

int
notify_start(const struct conf *cf)
{
	snprintf(conninfo, sizeof(conninfo), "%s", cf->db);
	connect_ms = (cf->db_connect_timeout > 0 ? cf->db_connect_timeout :
	    5) * 1000;
	atomic_store(&stopping, 0);
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("notify: pipe");
		return -1;
	}
	if (pthread_create(&thread, NULL, run, NULL) != 0) {
		log_warnx("notify: cannot start the listener thread");
		close(wake[0]);
		close(wake[1]);
		wake[0] = wake[1] = -1;
		return -1;
	}
	running = 1;
	return 0;
}

void
notify_stop(void)
{
	if (!running)
		return;
	atomic_store(&stopping, 1);
	if (write(wake[1], "x", 1) == -1 && errno != EAGAIN)
		log_warn("notify: wake");
	pthread_join(thread, NULL);
	running = 0;
	close(wake[0]);
	close(wake[1]);
	wake[0] = wake[1] = -1;
}
