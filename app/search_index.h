/*
 * Search for new replies (db/migrations/0036_reply_fast.sql): a reply is
 * saved without its words, so that its thread's row is held for less
 * time, and the node's background process (mail.c) fills them in, as
 * GIN's pending list did for the index before RUM.
 */
#ifndef MAGNET_SEARCH_INDEX_H
#define MAGNET_SEARCH_INDEX_H

#include <libpq-fe.h>

/* Look for posts without their words for up to ms, and fill them in when
 * it is time: 0, or -1 on a database error. */
int	 search_index_step(PGconn *c, int ms);

#endif
