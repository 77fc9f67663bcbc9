/*
 * The page: a content template wrapped in the layout, the widgets every
 * page may use (pager, options, times, role labels), the error pages, and
 * the stylesheet served under a content-hashed name.
 */
#ifndef MAGNET_PAGE_H
#define MAGNET_PAGE_H

#include "request.h"
#include "tmpl.h"

struct gz_piece;

/* Read the stylesheet from assets/css once, before serving: 0 or -1. */
int	 page_init(const char *assets);
void	 page_free(void);
/* "/static/magnet-<hash>.css". */
const char *page_css_path(void);
/* The route handler for /static/{slug}. */
int	 page_static(struct request *);
/* The stylesheet gzipped once, for a client that takes gzip; NULL when
 * the request is not for it. */
const char *page_static_gz(const struct request *, size_t *len);

/* Wrap the content template in the layout and set req->out. */
int	 page_render(struct request *, int status, const char *title,
	    const char *tmpl, struct tmpl_vars *);
/* An error page; msg is a msgid, escaped. */
int	 page_error(struct request *, int status, const char *msg);
/* The mark a page template writes raw where a shared part goes. */
const char *page_part_mark(void);
/* Put part (cache.h) in place of the mark in the page page_render made:
 * one gzip stream made of the page's bytes compressed now and the part's
 * compressed once, or the plain bytes for a client that does not take
 * gzip.  0, or -1 when the page has no mark. */
int	 page_join(struct request *, const struct gz_piece *part);
/* 503 with Retry-After for a database that is down; 500 for a statement
 * that failed on a live connection (our bug).  No SQL is shown. */
int	 page_unavailable(struct request *);
/* A CSV file as the answer, 200: a byte order mark (spreadsheet
 * programs then read UTF-8), then rows (b, freed here), as an
 * attachment named filename, never cached. */
int	 page_csv(struct request *, struct buf *rows, const char *filename);

/* A role name of the database ("returnee") in the reader's words. */
const char *page_role_label(struct request *, const char *role);
/* Page links (first, a window around the current page, last): the
 * list "pager_links" (n; current, or href; or gap) and "pager" when there is
 * more than one page, for the partial {{>pager}}; base ends in "?" or
 * "&" and gets "page=N". */
void	 page_set_pager(struct request *, struct tmpl_vars *, const char *base,
	    long long page, long long pages);
/* <option>s as the list name: value, label (a msgid shown translated,
 * or with labels_raw as it is), selected; first, when not NULL, labels
 * an empty first option. */
void	 page_set_options(struct request *, struct tmpl_vars *,
	    const char *name, const char *const *values,
	    const char *const *labels, int labels_raw, const char *selected,
	    const char *first);
/* Set common variables every template may use. */
void	 page_vars(struct request *, struct tmpl_vars *);

/*
 * The header's counts for the user u (a row of users), as columns
 * unread, queue and messages: notifications not read, for counsellors
 * the items waiting in the queue, and conversations with unread messages
 * (msg.c: the user's own, and for counsellors the shared inbox's, whose
 * user_id is NULL).  auth.c reads them with the session of a request for
 * a page; page_vars reads them for a form whose answer is a page after
 * all (req->user->counted).
 */
#define PAGE_HEADER_COUNTS \
	"(SELECT count(*) FROM notifications n WHERE n.user_id = u.id " \
	"AND n.read_at IS NULL) AS unread, " \
	"CASE WHEN u.role IN ('moderator', 'admin') THEN " \
	"(SELECT count(*) FROM posts WHERE state = 'held') + " \
	"(SELECT count(DISTINCT (target_kind, target_id)) FROM reports " \
	"WHERE resolved_at IS NULL) + " \
	"(SELECT count(*) FROM vacancies WHERE state = 'pending') + " \
	"(SELECT count(*) FROM vacancy_edits WHERE state = 'pending') + " \
	"(SELECT count(*) FROM enterprises WHERE verified_at IS NULL) " \
	"ELSE 0 END AS queue, " \
	"(SELECT count(*) FROM conversation_members m WHERE m.unread > 0 " \
	"AND (m.user_id = u.id OR (m.user_id IS NULL AND " \
	"u.role IN ('moderator', 'admin')))) AS messages"
/* Register page_vars' statement (the counts above), before db_init. */
void	 page_init_db(void);

/* A search hit's text (markdown, with ts_headline's \1 \2 marks) as
 * plain text, escaped, the hits in <mark>. */
const char	*page_snippet(struct request *, const char *md);

#endif
