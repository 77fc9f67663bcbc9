/*
 * Cache invalidation across nodes.  Triggers in the database
 * (db/migrations/0016_notify.sql) send pg_notify('magnet', 'cache' or
 * 'settings') when any writer, on any node or from the command line,
 * changes what a cached page or the settings cache shows.  One thread per
 * server LISTENs on its own connection and bumps a generation counter;
 * the caches keep, with each copy, the generation it was read under and
 * drop copies of an older one.  Their time limits stay: while the
 * listener is away, nothing is kept longer than they allow.
 */
#ifndef MAGNET_NOTIFY_H
#define MAGNET_NOTIFY_H

struct conf;

enum notify_what {
	NOTIFY_CACHE,		/* visitors' pages (http.c) */
	NOTIFY_SETTINGS,	/* the settings table (setting.c) */
	NOTIFY__MAX
};

/* Start the listener thread (after the privilege drop): 0 or -1. */
int		notify_start(const struct conf *);
/* Stop it and close its connection; waits for the thread. */
void		notify_stop(void);
/* Count the node's writes in memory its workers share: once, before
 * they start. */
void		notify_share(void);
/* A request of this node wrote (a form was saved): the caches'
 * generation changes on every worker of the node at once. */
void		notify_wrote(void);
/* The current generation; it changes on every notification and when the
 * listener (re)connects, since notifications may have been missed; the
 * caches' also on every write of the node (notify_wrote). */
unsigned long	notify_gen(enum notify_what);
/* 1 while the listener is connected and listening. */
int		notify_live(void);

#endif
