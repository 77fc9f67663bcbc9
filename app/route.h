/*
 * The route table: method, pattern, handler, who may call it and the
 * parameters it reads.  A reader finds any page's code from its URL here.
 */
#ifndef MAGNET_ROUTE_H
#define MAGNET_ROUTE_H

#include <stddef.h>

#include "param.h"
#include "request.h"

struct arena;

enum route_access {
	A_ANY,		/* visitors too */
	A_USER,		/* any signed-in account */
	A_EMPLOYER,
	A_PARTNER,	/* partners, moderators and admins */
	A_MOD,		/* moderators and admins */
	A_ADMIN
};

#define R_NODB		0x01	/* needs no session lookup (static files) */
#define R_NOCSRF	0x02	/* POST without a form token (none yet) */
#define R_CACHE		0x04	/* visitors' answers kept a second (cache.c) */
#define R_HASH		0x08	/* hashes a password: its own threads */
#define R_RENDER	0x10	/* renders markdown: its own threads */
#define R_INLINE	0x20	/* answered from memory in Kore's loop */
#define R_PARTNER	0x40	/* a partner may use it though it is A_USER
				 * or a POST (route_allowed) */

struct route {
	enum method		 method;	/* M_GET also answers HEAD */
	const char		*pattern;	/* "/t/{id}", "/b/{slug}" */
	int			(*handler)(struct request *);
	enum route_access	 allow;
	const struct param	*params;	/* ends with a NULL name */
	int			 flags;
};

/* The routes of one pattern: what Kore's handler list holds. */
struct route_group {
	const char		*pattern;
	const struct route	*get;		/* also answers HEAD */
	const struct route	*post;
};

/* Path parameters, typed like form parameters (param_path_id,
 * param_path_slug): a value that fails its check matches nothing. */
struct route_path {
	long long	 id;
	long long	 id2;		/* a second {id} */
	const char	*slug;		/* in the arena */
};

enum route_result { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

const struct route *route_table(size_t *n);
/* The table grouped by pattern, in the table's order. */
const struct route_group *route_groups(size_t *n);
/* The route Kore registers for a group: the pattern itself when it is
 * literal, else an anchored regular expression of its shape (path
 * parameters are then checked by their type).  0, or -1 if too long. */
int		 route_kore_path(const struct route_group *, char *, size_t);
/* Match a path against one group, or against the whole table. */
enum route_result route_match_group(const struct route_group *,
		    struct arena *, const char *path, enum method,
		    const struct route **, struct route_path *);
enum route_result route_match(struct arena *, const char *path,
		    enum method, const struct route **, struct route_path *);
/* 1 when the user's role passes the route's access rule. */
int		 route_allowed(const struct route *, const struct user *);

#endif
