/*
 * The route table: method, pattern, handler, who may call it and the
 * parameters it reads.  A reader finds any page's code from its URL here.
 */
#ifndef MAGNET_ROUTE_H
#define MAGNET_ROUTE_H

#include "http.h"
#include "param.h"

enum access {
	A_ANY,		/* visitors too */
	A_USER,		/* any signed-in account */
	A_EMPLOYER,
	A_MOD,		/* moderators and admins */
	A_ADMIN
};

#define R_NODB		0x01	/* needs no session lookup (static files) */
#define R_NOCSRF	0x02	/* POST without a form token (none yet) */
#define R_CACHE		0x04	/* visitors' answers kept a second (http.c) */

struct route {
	enum method		 method;	/* M_GET also answers HEAD */
	const char		*pattern;	/* "/t/{id}", "/b/{slug}" */
	int			(*handler)(struct request *);
	enum access		 access;
	const struct param	*params;	/* ends with a NULL name */
	int			 flags;
};

enum route_result { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

enum route_result route_match(const char *path, enum method,
		    const struct route **, long long *id, long long *id2,
		    const char **slug, char *slugbuf, size_t slugsz);
/* 1 when the user's role passes the route's access rule. */
int		 route_allowed(const struct route *, const struct user *);
const struct route *route_table(size_t *n);

#endif
