/*
 * The markdown broker: one process ("magnet-md md-broker") that owns the
 * pool of markdown workers (md.c) for the whole server, and the client
 * the Kore workers use to reach it.  Kore's workers run in a seccomp
 * sandbox that must not fork or exec; the broker is started by Kore's
 * parent before the workers, drops to the same unprivileged user, and
 * listens on an abstract Unix socket that only processes of that user
 * (or root) may use.  Each request thread keeps one connection to it.
 */
#ifndef MAGNET_MDB_H
#define MAGNET_MDB_H

#include <stddef.h>
#include <sys/types.h>

#include "md.h"

struct buf;

/* Magnet's markdown limits: md_workers workers, md_timeout_ms a render,
 * exe the program that runs "md-worker" (magnet-md). */
void		 mdb_limits(struct md_limits *, int workers, int timeout_ms,
		    const char *exe);

/*
 * In the parent, before Kore starts its workers: make the listening
 * socket and start the broker ("exe md-broker user workers timeout_ms",
 * exe being magnet-md).  The socket's name is kept for mdb_render in
 * the workers.  0 or -1.
 */
int		 mdb_start(const char *exe, const char *user, int workers,
		    int timeout_ms);
/* Stop the broker (SIGTERM, then wait for it): the parent's teardown. */
void		 mdb_stop(void);
/* The broker's pid, or -1. */
pid_t		 mdb_pid(void);

/*
 * The body of "magnet md-broker": serve renders on the socket at
 * descriptor 3 until SIGTERM or the parent goes.  user is the account to
 * run as when started as root.  Returns the exit status.
 */
int		 mdb_broker_main(const char *user, const struct md_limits *);

/* Check and render src through the broker, appending safe HTML to out
 * (left as it was on any error).  Thread-safe: one connection a thread. */
enum md_err	 mdb_render(const char *src, size_t len, struct buf *out);
/* Close this thread's connection to the broker. */
void		 mdb_close(void);

#endif
