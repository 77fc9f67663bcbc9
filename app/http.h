/*
 * The request as every handler sees it, and the responses it can give.
 * libmicrohttpd stays behind this interface: handlers read declared
 * parameters, write a page into req->out and return a status.
 */
#ifndef MAGNET_HTTP_H
#define MAGNET_HTTP_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "i18n.h"
#include "tmpl.h"

struct conf;
struct route;
struct MHD_Connection;

enum method { M_GET, M_HEAD, M_POST, M_OTHER };

enum role {
	ROLE_NONE,		/* a visitor */
	ROLE_RETURNEE,
	ROLE_EMPLOYER,
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
	long long	 session_id;
	long long	 unread;	/* notifications not yet read */
	long long	 queue;		/* moderators: items waiting */
	long long	 messages;	/* conversations with unread messages */
};

struct kv {
	const char	*key;
	const char	*val;
	size_t		 len;
};

#define HTTP_MAXHDRS	12
#define HTTP_MAXFIELDS	64
#define PARAM_MAX	32

struct request {
	struct MHD_Connection	*conn;
	struct arena		*arena;
	enum method		 method;
	const char		*method_name;
	const char		*path;
	char			 ip[64];
	struct timespec		 start;

	/* The body as received, capped at max_body. */
	struct buf		 body;
	int			 too_large;
	int			 first_call;

	/* Raw form fields (application/x-www-form-urlencoded). */
	struct kv		 fields[HTTP_MAXFIELDS];
	size_t			 nfields;
	int			 too_many_fields;

	/* Route and its declared, validated parameters (param.c). */
	const struct route	*route;
	long long		 id;		/* {id} in the path */
	long long		 id2;		/* a second {id} */
	const char		*slug;		/* {slug} in the path */
	struct {
		const char	*val;		/* always valid UTF-8 */
		long long	 num;
		const char	*err;		/* msgid of the problem */
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

	/* The response. */
	int			 status;
	struct buf		 out;
	const char		*content_type;
	int			 personal;	/* Cache-Control: no-store */
	int			 cache_forever;	/* static, content-hashed */
	int			 cache_public;	/* feeds, API */
	struct {
		const char	*name;
		const char	*value;
	}			 hdrs[HTTP_MAXHDRS];
	size_t			 nhdrs;
};

/* Translate through the request's language. */
#define T(req, s)	i18n_get((req)->lang, (s))

extern const char *const role_names[ROLE__MAX];
/* A role name of the database ("returnee") in the reader's words. */
const char *http_role_label(struct request *, const char *role);

int	 http_start(const struct conf *, int listen_fd);
void	 http_stop(void);
int	 http_listen(const struct conf *);
const struct conf *http_conf(void);

void	 http_header(struct request *, const char *, const char *);
void	 http_cookie(struct request *, const char *name, const char *value,
	    int max_age);
/* 303 See Other to a local path. */
int	 http_redirect(struct request *, const char *location);
/* An error page; msg is a msgid, escaped. */
int	 http_error(struct request *, int status, const char *msg);
/* Wrap the content template in the layout and set req->out. */
int	 http_page(struct request *, int status, const char *title,
	    const char *tmpl, struct tmpl_vars *);
int	 http_json(struct request *, int status, struct buf *);
/* 503 with Retry-After, for a database that is down. */
int	 http_unavailable(struct request *);
/* Page links (first, a window around the current page, last) as a
 * <nav>; base ends in "?" or "&" and gets "page=N".  "" for one page. */
const char *http_pager(struct request *, const char *base, long long page,
	    long long pages);
/* <option>s for a <select>: values with their labels (msgids, shown
 * translated; or, with labels_raw, shown as they are), selected marked,
 * and an empty first option labelled first when it is not NULL. */
const char *http_options(struct request *, const char *const *values,
	    const char *const *labels, int labels_raw, const char *selected,
	    const char *first);
/*
 * A moment for a template: "when" (how long ago in the reader's words
 * within the last week, else the local date and time), "at" (the local
 * date and time, for a title) and "iso" (UTC, for datetime=), from the
 * two columns of a LOCAL_TIME: local "YYYY-MM-DD HH:MM" and ISO 8601 UTC.
 */
void	 http_time(struct request *, struct tmpl_vars *, const char *local,
	    const char *iso);
/* Set common variables every template may use. */
void	 http_vars(struct request *, struct tmpl_vars *);
const char *http_get_header(struct request *, const char *);
const char *http_get_cookie(struct request *, const char *);
/* The client's address from an X-Forwarded-For value (the last hop,
 * which our proxy added), into out: 0, or -1 if empty or too long. */
int	 http_forwarded_ip(const char *xff, char *out, size_t len);
const char *http_query(struct request *, const char *);
/* Parse a urlencoded body into req->fields; -1 when malformed. */
int	 http_parse_form(struct arena *, const char *, size_t,
	    struct kv *, size_t max, size_t *n);
/* A local path safe to redirect to ("/x" but not "//x" or "/\x"). */
int	 http_local_path(const char *);
const char *http_static_css(void);
/* The route handler for /static/{name}. */
int	 http_static(struct request *);

#endif
