/*
 * The request as every handler sees it, and the answer it builds.  Kore
 * parses the request; server.c copies what a handler may read (headers,
 * the three cookies of ours, the query, the form, the path parameters)
 * into the request's arena before a pool thread runs the handler, so
 * nothing here touches Kore and a handler never waits on the event loop.
 * The answer (status, body, headers) is written here and sent by
 * server.c.  Every allocation comes from req->arena, freed in one place
 * when Kore is done with the request.
 */
#ifndef MAGNET_REQUEST_H
#define MAGNET_REQUEST_H

#include <stddef.h>

#include "buf.h"
#include "i18n.h"

struct route;

enum method { M_GET, M_HEAD, M_POST, M_OTHER };

enum role {
	ROLE_NONE,		/* a visitor */
	ROLE_RETURNEE,
	ROLE_EMPLOYER,
	ROLE_PARTNER,		/* a government office: outcomes, read-only;
				 * below the moderators, so that no
				 * "role >= ROLE_MODERATOR" admits it */
	ROLE_MODERATOR,
	ROLE_ADMIN,
	ROLE__MAX
};

struct user {
	long long	 id;
	const char	*name;
	enum role	 role;
	int		 has_lang;	/* the account chose a language */
	enum lang	 lang;
	long long	 enterprise_id;	/* employers; 0 otherwise */
	const char	*governorate;	/* partners: their scope; NULL: all */
	long long	 session_id;
	long long	 unread;	/* notifications not yet read */
	long long	 queue;		/* moderators: items waiting */
	long long	 messages;	/* conversations with unread messages */
	int		 counted;	/* the three above are read (page.h) */
	int		 welcome;	/* a new account's welcome is shown */
};

/* A name and its value: a header, a query or form field. */
struct kv {
	const char	*key;
	const char	*val;
	size_t		 len;
};

#define REQUEST_MAXHDRS		32	/* Kore keeps at most 25 */
#define REQUEST_MAXFIELDS	64
#define REQUEST_MAXOUT		12	/* response headers of our own */
#define PARAM_MAX		32
#define REQUEST_ETAGLEN		27	/* "24 hex digits", quoted */

/* The cookies Magnet reads, by index into req->cookies. */
enum cookie {
	COOKIE_SESSION, COOKIE_CSRF, COOKIE_LANG, COOKIE_DEVICE, COOKIE__MAX
};
extern const char *const request_cookie_names[COOKIE__MAX];

struct request {
	struct arena		*arena;
	enum method		 method;
	const char		*method_name;
	const char		*path;
	char			 ip[64];
	/* As per-address limits count it (request_ip_net). */
	char			 ip_net[64];
	long long		 start_ms;	/* mono_ms() when it arrived */

	/* What the client sent, copied from Kore. */
	struct kv		 hdrs[REQUEST_MAXHDRS];
	size_t			 nhdrs;
	const char		*cookies[COOKIE__MAX];
	struct kv		 query[REQUEST_MAXFIELDS];
	size_t			 nquery;
	struct kv		 fields[REQUEST_MAXFIELDS];
	size_t			 nfields;
	const char		*body;
	size_t			 body_len;

	/* Route, path parameters and declared parameters (param.c). */
	const struct route	*route;
	long long		 id;		/* {id} in the path */
	long long		 id2;		/* a second {id} */
	const char		*slug;		/* {slug} in the path */
	struct {
		const char	*val;		/* always valid UTF-8 */
		long long	 num;
		const char	*err;		/* msgid of the problem */
		const char	*ex[2];		/* examples for %s */
		int		 present;
	}			 p[PARAM_MAX];
	int			 nerrors;

	/* Who is asking. */
	struct user		*user;		/* NULL for a visitor */
	const char		*session_token;	/* from the cookie, if valid */
	const char		*csrf_cookie;
	const char		*new_csrf_cookie; /* to set on the response */
	enum lang		 lang;
	char			 csrf[65];

	/* The answer. */
	int			 status;
	struct buf		 out;
	const char		*content_type;
	int			 personal;	/* Cache-Control: no-store */
	int			 cache_forever;	/* static, content-hashed */
	int			 cache_public;	/* feeds, API */
	int			 close;		/* end the connection after it */
	long long		 wait;		/* seconds until it may post again */
	int			 compressible;	/* text: gzip if the client may */
	int			 gzipped;	/* out is gzipped already */
	const char		*etag;		/* once made (request_etag) */
	struct {
		const char	*name;
		const char	*value;
	}			 hdrs_out[REQUEST_MAXOUT];
	size_t			 nhdrs_out;
};

/* Translate through the request's language. */
#define T(req, s)	i18n_get((req)->lang, (s))
#define TN(req, s, p, n) i18n_nget((req)->lang, (s), (p), (n))
#define TC(req, c, s)	i18n_pget((req)->lang, (c), (s))

extern const char *const role_names[ROLE__MAX];

/* A request with its own arena, ready to be filled; freed with
 * request_free. */
struct request	*request_new(const char *method, const char *path);
void		 request_free(struct request *);

/* A number as text in the request's arena: a statement's parameter. */
const char	*request_num(struct request *, long long);
/* The {id} of the path as text. */
const char	*request_id(struct request *);
/* The user's id as text, "0" for a visitor. */
const char	*request_uid(struct request *);
/* 1 for counsellors and administrators. */
int		 request_is_mod(const struct request *);

/* What the client sent: NULL when absent.  Header names ignore case. */
const char	*request_header(const struct request *, const char *);
const char	*request_cookie(const struct request *, enum cookie);
const char	*request_query(const struct request *, const char *);
const char	*request_field(const struct request *, const char *);

/* Parse a urlencoded string (a query or a form body) into fields:
 * 0, or -1 when an escape is malformed or there are more than max. */
int		 request_parse_form(struct arena *, const char *, size_t,
		    struct kv *, size_t max, size_t *n);
/* A local path safe to redirect to ("/x" but not "//x" or "/\x"). */
int		 request_local_path(const char *);
/* The client's address from an X-Forwarded-For value (the last hop,
 * which our proxy added), into out: 0, or -1 if empty or too long. */
int		 request_forwarded_ip(const char *xff, char *out, size_t len);
/* The address as per-address limits count it: IPv4 as it is, IPv6 by
 * its /64, the network one subscriber gets ("2001:db8:1:2::/64"). */
void		 request_ip_net(const char *ip, char *out, size_t len);

/* The answer. */
void		 request_set_header(struct request *, const char *,
		    const char *);
void		 request_set_cookie(struct request *, const char *name,
		    const char *value, int max_age);
/* 303 See Other to a local path ("/" when it is not one). */
int		 request_redirect(struct request *, const char *location);
int		 request_json(struct request *, int status, struct buf *);
/* The ETag of the answer as it is now (plain, before gzip), made once. */
const char	*request_etag(struct request *);
/* Whether the client says it takes gzip. */
int		 request_takes_gzip(const struct request *);

#endif
