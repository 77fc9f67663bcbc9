/*
 * Connection per thread.  The request threads of a Kore worker
 * (server.c) live as long as the worker, so a thread-local connection is
 * a pool with no locking.
 * When PostgreSQL goes away, requests fail at once with 503 for a short
 * back-off instead of each waiting for a connect timeout; the first
 * request after it returns reconnects and prepares everything again.
 *
 * Nothing here waits on the database without a deadline.  The server's
 * statement_timeout cannot fire in a PostgreSQL that is stopped (SIGSTOP,
 * a frozen disk, a lost network path), and libpq has no timeout of its
 * own for a query, so every command is sent without blocking and its
 * answer awaited with poll() until the statement timeout plus a margin;
 * connecting (and preparing) gets the connect timeout plus that margin.
 * A connection that misses its deadline is closed (a cancel request
 * would wait on the same stopped server) and the request answers 503.
 * Once one thread has missed a deadline the database counts as stalled
 * for the whole process: the other threads answer 503 at once instead of
 * each waiting out its own deadline, and one thread at a time, every
 * back-off period, tries the database again; its first answer ends the
 * stall.  A thread inside a transaction always goes on (its statements
 * have their deadlines), so a transaction is never left half done.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "log.h"

#define MAXSTMTS	512
#define BACKOFF_MS	500
/* Added to the statement and connect timeouts for the client's deadline:
 * the server's own statement_timeout should answer first. */
#define MARGIN_MS	1000

static const struct db_stmt *stmts[MAXSTMTS];
static size_t nstmts;
static char conninfo[1024];
static char connect_timeout[16];
static char options[96];
static long stmt_ms = 5000 + MARGIN_MS;		/* a command's deadline */
static long connect_ms = 2000 + MARGIN_MS;	/* connecting and preparing */

static pthread_key_t conn_key;
static pthread_once_t conn_once = PTHREAD_ONCE_INIT;
static __thread PGconn *conn;
static __thread int in_tx;
static __thread int down;
static __thread struct timespec last_fail;

/* The process-wide stall: see the top of this file. */
static pthread_mutex_t stall_mu = PTHREAD_MUTEX_INITIALIZER;
static int stalled, probing;
static struct timespec stall_probe;	/* when the last try ended */
static __thread int probe_me;		/* this thread is the one trying */
static __thread int tried;		/* it reached for the database */
static __thread int missed;		/* and missed a deadline */

void
db_register(const struct db_stmt *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (nstmts == MAXSTMTS)
			log_fatalx("db_register: too many statements");
		stmts[nstmts++] = &s[i];
	}
}

/* A server thread that ends closes its connection. */
static void
conn_destroy(void *c)
{
	PQfinish(c);
}

static void
conn_key_make(void)
{
	pthread_key_create(&conn_key, conn_destroy);
}

/* Remember the connection so the thread's exit can close it. */
static void
conn_track(PGconn *c)
{
	pthread_once(&conn_once, conn_key_make);
	pthread_setspecific(conn_key, c);
}

void
db_init(const struct conf *c)
{
	snprintf(conninfo, sizeof(conninfo), "%s", c->db);
	snprintf(connect_timeout, sizeof(connect_timeout), "%d",
	    c->db_connect_timeout);
	snprintf(options, sizeof(options), "-c statement_timeout=%d "
	    "-c client_min_messages=warning", c->db_statement_timeout);
	stmt_ms = (long)c->db_statement_timeout + MARGIN_MS;
	connect_ms = (long)c->db_connect_timeout * 1000 + MARGIN_MS;
}

static void
deadline_in(struct timespec *d, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, d);
	d->tv_sec += ms / 1000;
	d->tv_nsec += (ms % 1000) * 1000000;
	if (d->tv_nsec >= 1000000000) {
		d->tv_sec++;
		d->tv_nsec -= 1000000000;
	}
}

/* Milliseconds to the deadline, rounded up; 0 or less once it passed. */
static long
left_ms(const struct timespec *d)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (d->tv_sec - now.tv_sec) * 1000 +
	    (d->tv_nsec - now.tv_nsec + 999999) / 1000000;
}

/* Wait for the connection's socket: 1 ready, 0 the deadline passed,
 * -1 an error. */
static int
wait_sock(PGconn *c, short events, const struct timespec *d)
{
	struct pollfd p;
	long ms;
	int rc;

	if ((p.fd = PQsocket(c)) < 0)
		return -1;
	p.events = events;
	for (;;) {
		if ((ms = left_ms(d)) <= 0)
			return 0;
		p.revents = 0;
		rc = poll(&p, 1, ms > INT_MAX ? INT_MAX : (int)ms);
		if (rc > 0)
			return 1;
		if (rc == -1 && errno != EINTR)
			return -1;
	}
}

/*
 * Flush a command sent on a non-blocking connection and collect its
 * result before the deadline: the last result (the first error, if one
 * failed), or NULL when the connection broke (*late = 0) or the deadline
 * passed (*late = 1).
 */
static PGresult *
await_result(PGconn *c, const struct timespec *d, int *late)
{
	PGresult *r, *last = NULL;
	ExecStatusType st;
	int f, w = -1;

	*late = 0;
	while ((f = PQflush(c)) == 1) {
		if ((w = wait_sock(c, POLLIN | POLLOUT, d)) <= 0)
			goto fail;
		if (PQconsumeInput(c) == 0) {
			w = -1;
			goto fail;
		}
	}
	if (f == -1)
		goto fail;
	for (;;) {
		while (PQisBusy(c)) {
			if ((w = wait_sock(c, POLLIN, d)) <= 0)
				goto fail;
			if (PQconsumeInput(c) == 0) {
				w = -1;
				/* libpq has an error result for a lost link. */
				break;
			}
		}
		if ((r = PQgetResult(c)) == NULL)
			break;
		st = last != NULL ? PQresultStatus(last) : PGRES_COMMAND_OK;
		if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE)
			PQclear(r);
		else {
			PQclear(last);
			last = r;
		}
		if (PQstatus(c) == CONNECTION_BAD)
			break;
	}
	return last;
fail:
	*late = w == 0;
	PQclear(last);
	return NULL;
}

static PGconn *
open_conn(const char *info, char *err, size_t errlen,
    const struct timespec *d)
{
	const char *keys[] = { "dbname", "connect_timeout", "options",
	    "application_name", "keepalives_idle", "keepalives_interval",
	    "keepalives_count", NULL };
	const char *vals[] = { info, connect_timeout[0] ? connect_timeout :
	    "5", options[0] ? options : NULL, "magnet", "10", "5", "2", NULL };
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	PGconn *c;
	int w;

	if (vals[2] == NULL) {
		keys[2] = "application_name";
		vals[2] = "magnet";
	}
	/* libpq's connect_timeout is not applied to PQconnectPoll: the
	 * deadline is ours. */
	if ((c = PQconnectStartParams(keys, vals, 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (PQstatus(c) == CONNECTION_BAD)
		st = PGRES_POLLING_FAILED;
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		w = wait_sock(c, st == PGRES_POLLING_READING ? POLLIN :
		    POLLOUT, d);
		if (w == 0) {
			snprintf(err, errlen, "no answer within the connect "
			    "timeout");
			PQfinish(c);
			return NULL;
		}
		if (w == -1)
			break;
		st = PQconnectPoll(c);
	}
	if (PQstatus(c) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(c));
		err[strcspn(err, "\n")] = '\0';
		PQfinish(c);
		return NULL;
	}
	return c;
}

PGconn *
db_connect_direct(const char *info, char *err, size_t errlen)
{
	struct timespec d;

	deadline_in(&d, connect_ms);
	return open_conn(info, err, errlen, &d);
}

static long
since_ms(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	    (now.tv_nsec - t->tv_nsec) / 1000000;
}

static void
fail_conn(void)
{
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	conn_track(NULL);
	in_tx = 0;
	down = 1;
	clock_gettime(CLOCK_MONOTONIC, &last_fail);
}

/* 1 when this thread must not wait on a stalled database now; else 0,
 * and the thread may be the one that tries it. */
static int
stall_skip(void)
{
	int skip = 0;

	pthread_mutex_lock(&stall_mu);
	if (stalled) {
		if (probing || since_ms(&stall_probe) < BACKOFF_MS)
			skip = 1;
		else
			probing = probe_me = 1;
	}
	pthread_mutex_unlock(&stall_mu);
	return skip;
}

/* After a command or a connection attempt: a missed deadline starts a
 * stall; any answer from the database to the thread trying ends it. */
static void
stall_end(void)
{
	if (!missed && !probe_me)
		return;
	pthread_mutex_lock(&stall_mu);
	if (missed)
		stalled = 1;
	else if (probe_me && tried)
		stalled = 0;
	if (probe_me) {
		probing = probe_me = 0;
		if (tried)
			clock_gettime(CLOCK_MONOTONIC, &stall_probe);
	}
	if (missed)
		clock_gettime(CLOCK_MONOTONIC, &stall_probe);
	pthread_mutex_unlock(&stall_mu);
}

/*
 * Whether an idle connection is still there.  A server that stopped
 * sends its "terminating connection" error and closes: libpq reads the
 * error on one call and the end of the stream only on the next, so a
 * connection that a thread has not used since (the threads of a lane
 * that is quiet) is read until nothing more is waiting.
 */
static int
conn_alive(PGconn *c)
{
	struct pollfd p;
	int i;

	for (i = 0; i < 4 && PQstatus(c) == CONNECTION_OK; i++) {
		p.fd = PQsocket(c);
		p.events = POLLIN;
		p.revents = 0;
		if (poll(&p, 1, 0) != 1)
			return 1;
		if (PQconsumeInput(c) == 0)
			return 0;
	}
	return 0;
}

/* A usable connection for this thread, or NULL (and down is set). */
static PGconn *
get_conn(void)
{
	struct timespec d;
	char err[512];
	PGresult *r;
	size_t i;
	int transient, late;

	tried = missed = 0;
	if (!in_tx && stall_skip()) {
		down = 1;
		return NULL;
	}
	if (conn != NULL && !in_tx) {
		/* Notice a connection the server closed while we idled. */
		if (!conn_alive(conn)) {
			log_warnx("database connection lost; reconnecting");
			PQfinish(conn);
			conn = NULL;
			conn_track(NULL);
		}
	}
	if (conn != NULL)
		return conn;
	if (down && since_ms(&last_fail) < BACKOFF_MS)
		return NULL;
	/* One deadline for connecting and preparing every statement. */
	tried = 1;
	deadline_in(&d, connect_ms);
	if ((conn = open_conn(conninfo, err, sizeof(err), &d)) == NULL) {
		missed = left_ms(&d) <= 0;
		log_warnx("database connect: %s", err);
		fail_conn();
		return NULL;
	}
	conn_track(conn);
	if (PQsetnonblocking(conn, 1) == -1) {
		log_warnx("database connect: %s", PQerrorMessage(conn));
		fail_conn();
		return NULL;
	}
	for (i = 0; i < nstmts; i++) {
		r = NULL;
		late = 0;
		if (PQsendPrepare(conn, stmts[i]->name, stmts[i]->sql, 0,
		    NULL) == 1)
			r = await_result(conn, &d, &late);
		if (r == NULL) {
			missed = late;
			log_warnx("prepare %s: %s", stmts[i]->name, late ?
			    "no answer within the connect timeout" :
			    PQerrorMessage(conn));
			fail_conn();
			return NULL;
		}
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			/* The schema is not the one this program was built
			 * for (db_prepare_all refuses to start then); while
			 * serving, answer 500 and try again next time. */
			log_warnx("prepare %s: %s", stmts[i]->name,
			    PQresultErrorMessage(r));
			PQclear(r);
			transient = PQstatus(conn) != CONNECTION_OK;
			PQfinish(conn);
			conn = NULL;
			conn_track(NULL);
			if (transient)
				fail_conn();
			else
				down = 0;
			return NULL;
		}
		PQclear(r);
	}
	down = 0;
	return conn;
}

int
db_prepare_all(void)
{
	int rc;

	rc = get_conn() == NULL ? -1 : 0;
	stall_end();
	return rc;
}

/*
 * Errors that say "try again later" rather than "this program is wrong":
 * a statement timeout, lack of resources, an administrator's shutdown,
 * a serialization failure or deadlock.
 */
static int
transient_state(const char *st)
{
	if (st == NULL)
		return 0;
	return strcmp(st, "57014") == 0 || strncmp(st, "53", 2) == 0 ||
	    strncmp(st, "57P", 3) == 0 || strcmp(st, "40001") == 0 ||
	    strcmp(st, "40P01") == 0 || strncmp(st, "08", 2) == 0;
}

int
db_is_down(void)
{
	return down;
}

PGresult *
db_exec(const char *name, int n, const char *const *values)
{
	struct timespec d;
	ExecStatusType st;
	PGresult *r = NULL;
	char msg[512];
	int transient, late = 0;

	if (get_conn() == NULL) {
		stall_end();
		return NULL;
	}
	tried = 1;
	deadline_in(&d, stmt_ms);
	if (PQsendQueryPrepared(conn, name, n, values, NULL, NULL, 0) == 1)
		r = await_result(conn, &d, &late);
	missed = late;
	stall_end();
	if (late) {
		log_warnx("statement %s: no answer within %ld ms; closing the "
		    "connection", name, stmt_ms);
		fail_conn();
		return NULL;
	}
	st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	snprintf(msg, sizeof(msg), "%s", r ? PQresultErrorMessage(r) :
	    PQerrorMessage(conn));
	msg[strcspn(msg, "\n")] = '\0';
	log_warnx("statement %s: %s", name, msg);
	transient = r != NULL && transient_state(PQresultErrorField(r,
	    PG_DIAG_SQLSTATE));
	PQclear(r);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_conn();
	else
		down = transient;
	return NULL;
}

int
db_run(const char *name, int n, const char *const *values)
{
	PGresult *r;

	if ((r = db_exec(name, n, values)) == NULL)
		return -1;
	PQclear(r);
	return 0;
}

long long
db_count(const char *name, int n, const char *const *values)
{
	PGresult *r;
	long long c;

	if ((r = db_exec(name, n, values)) == NULL)
		return -1;
	c = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return c;
}

static int
simple(const char *sql)
{
	struct timespec d;
	PGresult *r = NULL;
	int ok, late = 0;

	if (get_conn() == NULL) {
		stall_end();
		return -1;
	}
	tried = 1;
	deadline_in(&d, stmt_ms);
	if (PQsendQuery(conn, sql) == 1)
		r = await_result(conn, &d, &late);
	missed = late;
	stall_end();
	if (late) {
		log_warnx("%s: no answer within %ld ms; closing the "
		    "connection", sql, stmt_ms);
		fail_conn();
		return -1;
	}
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		log_warnx("%s: %s", sql, r ? PQresultErrorMessage(r) :
		    PQerrorMessage(conn));
	PQclear(r);
	if (!ok && PQstatus(conn) != CONNECTION_OK)
		fail_conn();
	return ok ? 0 : -1;
}

int
db_begin(void)
{
	if (simple("BEGIN") == -1)
		return -1;
	in_tx = 1;
	return 0;
}

int
db_commit(void)
{
	int rc;

	rc = simple("COMMIT");
	in_tx = 0;
	return rc;
}

void
db_rollback(void)
{
	if (conn != NULL && in_tx)
		simple("ROLLBACK");
	in_tx = 0;
}

void
db_close(void)
{
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	conn_track(NULL);
}

int
db_ping(void)
{
	return simple("SELECT 1");
}

const char *
db_val(const PGresult *r, int row, int col)
{
	if (row >= PQntuples(r) || col >= PQnfields(r) ||
	    PQgetisnull(r, row, col))
		return "";
	return PQgetvalue(r, row, col);
}

static void
clear(void *r)
{
	PQclear(r);
}

PGresult *
db_query(struct arena *a, const char *name, int n, const char *const *values)
{
	PGresult *r;

	if ((r = db_exec(name, n, values)) != NULL)
		arena_defer(a, clear, r);
	return r;
}

int
db_col(const PGresult *r, const char *col)
{
	int c, n = PQnfields(r);

	/* Aliases are written as they are read: no case folding, and
	 * none of PQfnumber's copy of the name when it is absent. */
	for (c = 0; c < n; c++)
		if (strcmp(PQfname(r, c), col) == 0)
			return c;
	return -1;
}

static int
col_of(const PGresult *r, const char *col)
{
	int c;

	if ((c = db_col(r, col)) < 0)
		log_warnx("no column %s in the result", col);
	return c;
}

const char *
db_get(const PGresult *r, int row, const char *col)
{
	int c;

	if ((c = col_of(r, col)) < 0)
		return "";
	return db_val(r, row, c);
}

long long
db_get_ll(const PGresult *r, int row, const char *col)
{
	return strtoll(db_get(r, row, col), NULL, 10);
}

int
db_get_bool(const PGresult *r, int row, const char *col)
{
	return strcmp(db_get(r, row, col), "t") == 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
apply(PGconn *c, int version, const char *name, const char *sql)
{
	char v[16];
	const char *params[2];
	PGresult *r;
	int ok;

	snprintf(v, sizeof(v), "%d", version);
	params[0] = v;
	params[1] = name;
	r = PQexec(c, "BEGIN");
	PQclear(r);
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		log_warnx("migration %s: %s", name, PQresultErrorMessage(r));
	PQclear(r);
	if (ok) {
		r = PQexecParams(c, "INSERT INTO schema_migrations (version, "
		    "name) VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
	}
	r = PQexec(c, ok ? "COMMIT" : "ROLLBACK");
	ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (ok)
		log_info("applied migration %s", name);
	return ok ? 0 : -1;
}

int
db_migrate(PGconn *c, const char *dir)
{
	struct dirent *de;
	struct buf b;
	char *names[1000], path[2048], chunk[4096], v[16];
	const char *params[1];
	size_t n = 0, i, len;
	PGresult *r;
	FILE *f;
	DIR *d;
	int rc = 0, version;

	/* No statement_timeout while migrating: a migration may rewrite a
	 * large table, and another node waits for it under the lock. */
	r = PQexec(c, "SET statement_timeout = 0;"
	    "SELECT pg_advisory_lock(7130001);"
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY, name text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_warnx("migrate: %s", PQerrorMessage(c));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	if ((d = opendir(dir)) == NULL) {
		log_warn("migrate: %s", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < 1000) {
		len = strlen(de->d_name);
		if (len > 9 && strcmp(de->d_name + len - 4, ".sql") == 0 &&
		    de->d_name[0] >= '0' && de->d_name[0] <= '9')
			names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_names);
	buf_init(&b);
	for (i = 0; i < n && rc == 0; i++) {
		version = atoi(names[i]);
		snprintf(v, sizeof(v), "%d", version);
		params[0] = v;
		r = PQexecParams(c, "SELECT 1 FROM schema_migrations WHERE "
		    "version = $1", 1, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			PQclear(r);
			rc = -1;
			break;
		}
		if (PQntuples(r) == 1) {
			PQclear(r);
			continue;
		}
		PQclear(r);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((f = fopen(path, "r")) == NULL) {
			log_warn("migrate: %s", path);
			rc = -1;
			break;
		}
		buf_reset(&b);
		while ((len = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&b, chunk, len);
		fclose(f);
		rc = apply(c, version, names[i], b.p ? b.p : "");
	}
	buf_free(&b);
	for (i = 0; i < n; i++)
		free(names[i]);
	r = PQexec(c, "SELECT pg_advisory_unlock(7130001);"
	    "RESET statement_timeout");
	PQclear(r);
	return rc;
}
