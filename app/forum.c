/*
 * The forum.  Markdown is rendered once, when a post is saved, by the
 * markdown workers (md.c); pages show the stored HTML.  A thread's posts
 * carry their position (seq), so a page of a thread is one index range
 * and page numbers cost nothing; a board's list is read by a keyset
 * cursor on (last activity, id).  Every write is one statement or one
 * transaction, acknowledged only after it commits, and a form's
 * idempotency key makes a resubmitted form find the post it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "event.h"
#include "forum.h"
#include "guide.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "mod.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "setting.h"
#include "tmpl.h"

#define TITLE_MIN	3
#define TITLE_MAX	200
#define BODY_MAX	20000	/* characters */

const struct param forum_board_params[] = {
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "before", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "p", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_new_params[] = {
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_thread_params[] = {
	{ "page", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_reply_form_params[] = {
	{ "quote", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_reply_params[] = {
	{ "body", P_TEXT, P_FORM, 1, BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "quote", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_edit_params[] = {
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 0, NULL },
	{ "body", P_TEXT, P_FORM, 1, BODY_MAX, 1, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_search_params[] = {
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "page", P_INT, P_QUERY, 1, 50, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

#define LOCAL_TIME(col) "to_char(" col " AT TIME ZONE 'Asia/Baghdad', " \
	"'YYYY-MM-DD HH24:MI'), to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define BOARD_NAME "coalesce((SELECT name FROM board_names WHERE board_id = " \
	"b.id AND lang = $%d), (SELECT name FROM board_names WHERE " \
	"board_id = b.id AND lang = 'en'))"

static const struct db_stmt stmts[] = {
	{ "forum_board_get",
	    "SELECT b.id, b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    "b.thread_count, coalesce(b.governorate, '') AS governorate "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $2 WHERE b.slug = $1" },
/* A board's threads; key is the keyset cursor, "microseconds.id". */
#define THREAD_ROW \
	    "SELECT t.id, t.title, t.reply_count AS replies, t.pinned, " \
	    "t.locked, au.username AS author, " \
	    "coalesce(lu.username, au.username) AS last_author, " \
	    "magnet_time(t.last_post_at) AS last_post, " \
	    "(extract(epoch FROM t.last_post_at) * 1000000)::bigint || " \
	    "'.' || t.id AS key, t.last_post_at " \
	    "FROM threads t JOIN users au ON au.id = t.author_id " \
	    "LEFT JOIN users lu ON lu.id = t.last_author_id "
	{ "forum_threads_first", THREAD_ROW
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT 21" },
	{ "forum_threads_after", THREAD_ROW
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "AND t.pinned = false AND (t.last_post_at, t.id) < "
	    "(timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3) "
	    "ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT 21" },
	{ "forum_threads_before", "SELECT * FROM (" THREAD_ROW
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "AND t.pinned = false AND (t.last_post_at, t.id) > "
	    "(timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3) "
	    "ORDER BY t.last_post_at ASC, t.id ASC LIMIT 21) x "
	    "ORDER BY last_post_at DESC, id DESC" },
	{ "forum_thread_get",
	    "SELECT t.id, t.title, t.locked, t.state, t.post_count, "
	    "t.author_id, b.slug, coalesce(l.name, e.name), t.pinned "
	    "FROM threads t JOIN boards b ON b.id = t.board_id "
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' "
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $2 "
	    "WHERE t.id = $1" },
	{ "forum_posts_page",
	    "SELECT p.id, p.seq, p.author_id, u.username, u.role, "
	    "p.body_html, p.state, " LOCAL_TIME("p.created_at") ", "
	    "p.edited_at IS NOT NULL, u.deleted_at IS NOT NULL, p.official, "
	    "p.mod_reason, p.mod_reason_key "
	    /* Two index ranges: the page, and on page 1 the official
	     * answers wherever they are. */
	    "FROM (SELECT * FROM posts WHERE thread_id = $1 AND seq BETWEEN "
	    "$2 AND $3 UNION ALL SELECT * FROM posts WHERE $2 = 1 AND "
	    "thread_id = $1 AND official AND state = 'published' AND seq "
	    "NOT BETWEEN $2 AND $3) p JOIN users u ON u.id = p.author_id "
	    "WHERE (p.state IN ('published', 'deleted') OR p.author_id = $4 "
	    "OR $5::boolean) ORDER BY p.seq <> 1, NOT ($2 = 1 AND p.official), "
	    "p.seq" },
	{ "forum_published_count", "SELECT count(*) FROM posts "
	    "WHERE author_id = $1 AND state = 'published'" },
	{ "forum_post_get",
	    "SELECT p.id, p.thread_id, p.seq, p.author_id, p.body_md, "
	    "p.state, t.title, t.locked, t.state, u.username, t.author_id "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.id = $1" },
	{ "forum_idem_find", "SELECT thread_id, id, seq FROM posts "
	    "WHERE author_id = $1 AND idem_key = $2" },
	{ "forum_rate", "UPDATE users SET last_post_at = now() WHERE id = $1 "
	    "AND (last_post_at IS NULL OR last_post_at <= now() - "
	    "make_interval(secs => $2::int)) RETURNING 1" },
	/* Refused: the seconds left to wait, at least 1. */
	{ "forum_wait", "SELECT greatest(1, ceil(extract(epoch FROM "
	    "last_post_at + make_interval(secs => $2::int) - now())))::int "
	    "FROM users WHERE id = $1" },
	{ "forum_thread_insert",
	    "WITH b AS (SELECT id FROM boards WHERE slug = $1), "
	    "t AS (INSERT INTO threads (board_id, author_id, title, "
	    "post_count, last_author_id, state, search) SELECT b.id, $2, $3, 1, "
	    "$2, $7, to_tsvector('simple', magnet_fold($3)) FROM b "
	    "RETURNING id, board_id), "
	    "p AS (INSERT INTO posts (thread_id, seq, author_id, body_md, "
	    "body_html, idem_key, state, search) SELECT t.id, 1, $2, $4, $5, "
	    "$6, $7, to_tsvector('simple', magnet_fold($4)) FROM t "
	    "RETURNING id, thread_id), "
	    "u AS (UPDATE boards SET thread_count = thread_count + 1, "
	    "post_count = post_count + 1, last_post_at = now(), "
	    "last_thread_id = (SELECT id FROM t) "
	    "WHERE id = (SELECT board_id FROM t) AND $7 = 'published') "
	    "SELECT thread_id, id FROM p" },
	{ "forum_reply_insert",
	    "WITH t AS (UPDATE threads SET post_count = post_count + 1, "
	    "reply_count = reply_count + ($7 = 'published')::int, "
	    "last_post_at = CASE WHEN $7 = 'published' THEN now() "
	    "ELSE last_post_at END, last_author_id = CASE WHEN "
	    "$7 = 'published' THEN $2 ELSE last_author_id END "
	    "WHERE id = $1 AND state = 'published' AND NOT locked "
	    "RETURNING id, board_id, post_count, author_id, title), "
	    "q AS (SELECT id, author_id FROM posts WHERE id = $5::bigint "
	    "AND thread_id = $1 AND state = 'published'), "
	    "p AS (INSERT INTO posts (thread_id, seq, author_id, body_md, "
	    "body_html, quote_of, idem_key, state, search) SELECT t.id, "
	    "t.post_count, $2, $3, $4, (SELECT id FROM q), $6, $7, "
	    "to_tsvector('simple', magnet_fold($3)) FROM t RETURNING id, seq), "
	    "b AS (UPDATE boards SET post_count = post_count + 1, "
	    "last_post_at = now(), last_thread_id = $1 "
	    "WHERE id = (SELECT board_id FROM t) AND $7 = 'published'), "
	    "n1 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT t.author_id, 'reply', "
	    "$2, t.id, p.id, t.title, '/p/' || p.id "
	    "FROM t, p WHERE t.author_id <> $2 AND $7 = 'published' "
	    "AND t.author_id NOT IN (SELECT author_id FROM q)), "
	    "n2 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT q.author_id, 'quote', "
	    "$2, $1, p.id, t.title, '/p/' || p.id "
	    "FROM q, p, t WHERE q.author_id <> $2 AND $7 = 'published') "
	    "SELECT id, seq FROM p" },
	{ "forum_edit",
	    "WITH old AS (SELECT id, body_md FROM posts WHERE id = $1 "
	    "AND state <> 'deleted' FOR UPDATE), "
	    "r AS (INSERT INTO post_revisions (post_id, body_md, edited_by) "
	    "SELECT id, body_md, $2 FROM old) "
	    "UPDATE posts SET body_md = $3, body_html = $4, edited_at = now(), "
	    "search = to_tsvector('simple', magnet_fold($3)) "
	    "WHERE id = (SELECT id FROM old) RETURNING thread_id, seq" },
	{ "forum_edit_title", "UPDATE threads SET title = $2, "
	    "search = to_tsvector('simple', magnet_fold($2)) WHERE id = $1" },
	{ "forum_delete", "UPDATE posts SET state = 'deleted' "
	    "WHERE id = $1 AND state <> 'deleted' RETURNING thread_id, seq" },
	{ "forum_revisions",
	    "SELECT r.body_md, u.username, " LOCAL_TIME("r.edited_at") " "
	    "FROM post_revisions r JOIN users u ON u.id = r.edited_by "
	    "WHERE r.post_id = $1 ORDER BY r.id DESC" },
/*
 * Search.  Posts that match are found one of two ways: a rare word is
 * read from the full-text index and sorted (a few thousand rows at most);
 * a common one walks the newest posts backwards until 200 match, which
 * stops early.  forum_search_count decides, cheaply, which one it is.
 */
#define SEARCH_SQL(posts) \
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($1)) AS q, " \
	    "'%' || replace(replace(replace(magnet_fold($1), '\\', '\\\\'), " \
	    "'%', '\\%'), '_', '\\_') || '%' AS pat), " \
	    "hits AS (" \
	    " (SELECT t.id AS tid, NULL::bigint AS pid, t.title AS text, " \
	    "  t.last_post_at AS at FROM threads t, q " \
	    "  WHERE t.state = 'published' AND (t.search @@ q.q OR " \
	    "  magnet_fold(t.title) LIKE q.pat) " \
	    "  ORDER BY t.last_post_at DESC LIMIT 200)" \
	    " UNION ALL " posts ") " \
	    "SELECT h.tid, h.pid, t.title, b.slug, " \
	    "coalesce(l.name, e.name), " \
	    "ts_headline('simple', h.text, q.q, 'MaxWords=30, MinWords=12, " \
	    "StartSel=\x01, StopSel=\x02, HighlightAll=false'), " \
	    LOCAL_TIME("h.at") " " \
	    "FROM hits h JOIN threads t ON t.id = h.tid AND t.state = 'published' " \
	    "JOIN boards b ON b.id = t.board_id " \
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' " \
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $2, q " \
	    "ORDER BY h.at DESC LIMIT 21 OFFSET $3"
#define SEARCH_RARE_AT	5000
#define SEARCH_RARE_S	"5000"
	{ "forum_search_count", "SELECT count(*) FROM (SELECT 1 FROM posts "
	    "WHERE search @@ plainto_tsquery('simple', magnet_fold($1)) "
	    "LIMIT " SEARCH_RARE_S ") x" },
	{ "forum_search_common", SEARCH_SQL(
	    " (SELECT p.thread_id, p.id, p.body_md, p.created_at "
	    "  FROM posts p, q WHERE p.search @@ q.q AND p.state = 'published' "
	    "  ORDER BY p.id DESC LIMIT 200)") },
	/* OFFSET 0 keeps the index read apart from the ordering. */
	{ "forum_search_rare", SEARCH_SQL(
	    " (SELECT p.thread_id, p.id, p.body_md, p.created_at "
	    "  FROM (SELECT posts.id FROM posts, q WHERE posts.search @@ q.q "
	    "  OFFSET 0) m JOIN posts p ON p.id = m.id "
	    "  WHERE p.state = 'published' ORDER BY p.id DESC LIMIT 200)") },
};

void
forum_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const char *
id_str(struct request *req, long long id)
{
	return arena_printf(req->arena, "%lld", id);
}

static const char *
user_id(struct request *req)
{
	return req->user ? id_str(req, req->user->id) : "0";
}

static int
is_mod(struct request *req)
{
	return req->user != NULL && req->user->role >= ROLE_MODERATOR;
}

static const char *
copy(struct request *req, struct buf *b)
{
	return arena_strndup(req->arena, b->p ? b->p : "", b->len);
}

/* The role badge shown next to an author's name. */
static const char *
badge(struct request *req, const char *role)
{
	if (strcmp(role, "moderator") == 0 || strcmp(role, "admin") == 0)
		return T(req, "Counsellor");
	if (strcmp(role, "employer") == 0)
		return T(req, "Employer");
	return NULL;
}

static void
set_time(struct request *req, struct tmpl_vars *v, const PGresult *r,
    int row, int col)
{
	page_time(req, v, db_val(r, row, col), db_val(r, row, col + 1));
}

static int
board_404(struct request *req)
{
	return page_error(req, 404, N_("There is no such board."));
}

static int
thread_404(struct request *req)
{
	return page_error(req, 404, N_("This thread does not exist or is no "
	    "longer available."));
}

/* "microseconds.id" from a board page's link, split for the query. */
static int
board_cursor(struct request *req, const char *c, const char *cursor[2])
{
	const char *dot;

	if ((dot = strchr(c, '.')) == NULL || dot == c || dot[1] == '\0' ||
	    strspn(c, "0123456789.") != strlen(c))
		return -1;
	cursor[0] = arena_strndup(req->arena, c, (size_t)(dot - c));
	cursor[1] = dot + 1;
	return 0;
}

int
forum_board(struct request *req)
{
	struct tmpl_vars v;
	const char *after, *before, *cursor[2];
	long long page, pages;
	PGresult *b, *r;
	int n, shown;

	if ((b = DB_Q(req, "forum_board_get", req->slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(b) != 1)
		return board_404(req);
	after = param_str(req, "after");
	before = param_str(req, "before");
	page = param_present(req, "p") ? param_int(req, "p") : 1;
	if (*after == '\0' && *before == '\0')
		r = DB_Q(req, "forum_threads_first", db_get(b, 0, "id"));
	else if (board_cursor(req, *after ? after : before, cursor) == -1)
		return page_error(req, 400, N_("This page link is not valid."));
	else
		r = DB_Q(req, *after ? "forum_threads_after" :
		    "forum_threads_before", db_get(b, 0, "id"), cursor[0],
		    cursor[1]);
	if (r == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > 20 ? 20 : n;
	pages = (db_get_ll(b, 0, "thread_count") + 19) / 20;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, b, 0);
	tmpl_set_rows_max(&v, "threads", r, shown, NULL, NULL);
	/* Older and newer pages by keyset; the page number is only shown. */
	if (page > 1 && shown > 0)
		tmpl_set(&v, "newer", db_get(r, 0, "key"));
	if (n > 20 || (*before != '\0' && shown > 0))
		tmpl_set(&v, "older", db_get(r, shown - 1, "key"));
	tmpl_set_int(&v, req->arena, "prev_p", page - 1);
	tmpl_set_int(&v, req->arena, "next_p", page + 1);
	tmpl_set(&v, "page_of", arena_printf(req->arena, T(req, "Page %s of "
	    "%s"), i18n_num(req->arena, req->lang, page), i18n_num(req->arena,
	    req->lang, page > pages ? page : pages)));
	/* The governorate's coming events and guides (event.c, guide.c);
	 * the board stands without them. */
	if (events_for_board(req, &v, db_get(b, 0, "governorate")) == -1 ||
	    guides_for_board(req, &v, db_get(b, 0, "governorate")) == -1)
		log_warnx("board %s: events or guides not shown", req->slug);
	return page_render(req, 200, db_get(b, 0, "name"), "board", &v);
}

/* The compose form: new thread, reply and edit share it. */
static int
compose(struct request *req, int status, const char *action,
    const char *heading, int with_title, const char *title, const char *body,
    const char *preview, const char *problem)
{
	struct tmpl_vars v;
	const char *idem;

	memset(&v, 0, sizeof(v));
	idem = param_str(req, "idem");
	tmpl_set(&v, "action", action);
	tmpl_set(&v, "heading", heading);
	tmpl_set(&v, "with_title", with_title ? "1" : NULL);
	tmpl_set(&v, "title", title);
	tmpl_set(&v, "body", body);
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "title_err", param_err(req, "title"));
	tmpl_set(&v, "body_err", param_err(req, "body"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_raw(&v, "preview", preview);
	tmpl_set(&v, "quote", param_present(req, "quote") ?
	    id_str(req, param_int(req, "quote")) : NULL);
	tmpl_set(&v, "body_max", id_str(req, BODY_MAX));
	req->personal = 1;
	return page_render(req, status, heading, "compose", &v);
}

/*
 * How a post by this user starts, and whether it may be made now.  The
 * first posts of a new account (the new_user_holds setting) wait for a
 * counsellor; an account is new until it has FORUM_NEW_POSTS published
 * posts and waits longer between posts meanwhile.  Counsellors are
 * exempt from both.  1 allowed, 0 too soon (with Retry-After set),
 * -1 database down.
 */
static int
posting_policy(struct request *req, const char **state)
{
	long long published, interval;
	PGresult *r;
	int ok;

	*state = "published";
	if (is_mod(req))
		return 1;
	if ((r = DB_EXEC("forum_published_count", user_id(req))) == NULL)
		return -1;
	published = db_ll(r, 0, 0);
	PQclear(r);
	if (published < setting_get(SET_NEW_USER_HOLDS))
		*state = "held";
	interval = conf_active()->post_interval;
	if (published < FORUM_NEW_POSTS &&
	    setting_get(SET_NEW_USER_POST_INTERVAL) > interval)
		interval = setting_get(SET_NEW_USER_POST_INTERVAL);
	if (interval == 0)
		return 1;
	if ((r = DB_EXEC("forum_rate", user_id(req), id_str(req, interval))) ==
	    NULL)
		return -1;
	ok = PQntuples(r) == 1;
	PQclear(r);
	if (!ok) {
		req->wait = interval;
		if ((r = DB_EXEC("forum_wait", user_id(req), id_str(req,
		    interval))) != NULL) {
			if (PQntuples(r) == 1)
				req->wait = db_ll(r, 0, 0);
			PQclear(r);
		}
		request_set_header(req, "Retry-After", id_str(req, req->wait));
	}
	return ok;
}

/* Refused for speed: the form again, with the text and the real wait
 * (a new account's is longer), as a 429. */
#define TOO_FAST too_fast(req)
static const char *
too_fast(struct request *req)
{
	return arena_printf(req->arena, T(req, "You are posting too quickly. "
	    "Please wait %s seconds and send the form again; your text is "
	    "still in it."), i18n_num(req->arena, req->lang, req->wait));
}

/* A resubmitted form: the post it made, as a redirect; 0 if none. */
static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_EXEC("forum_idem_find", user_id(req), idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		return 0;
	}
	*status = request_redirect(req, arena_printf(req->arena,
	    "/t/%s?page=%lld#p%s", db_val(r, 0, 0),
	    (db_ll(r, 0, 2) - 1) / FORUM_PAGE + 1, db_val(r, 0, 1)));
	PQclear(r);
	return 1;
}

int
forum_new_form(struct request *req)
{
	PGresult *b;
	const char *heading;

	if ((b = DB_EXEC("forum_board_get", req->slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(b) != 1) {
		PQclear(b);
		return board_404(req);
	}
	heading = arena_printf(req->arena, T(req, "New thread in %s"),
	    db_val(b, 0, 2));
	PQclear(b);
	return compose(req, 200, arena_printf(req->arena, "/b/%s/new",
	    req->slug), heading, 1, "", "", NULL, NULL);
}

int
forum_new(struct request *req)
{
	const char *title, *body, *html = NULL, *action, *heading, *idem;
	const char *state;
	PGresult *b, *r;
	int rc, status;

	if ((b = DB_EXEC("forum_board_get", req->slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(b) != 1) {
		PQclear(b);
		return board_404(req);
	}
	heading = arena_printf(req->arena, T(req, "New thread in %s"),
	    db_val(b, 0, 2));
	PQclear(b);
	action = arena_printf(req->arena, "/b/%s/new", req->slug);
	title = param_str(req, "title");
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, heading, 1, title, body, NULL,
		    N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, heading, 1, title, body, html,
		    NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = posting_policy(req, &state)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return compose(req, 429, action, heading, 1, title, body, NULL,
		    TOO_FAST);
	r = DB_EXEC("forum_thread_insert", req->slug, user_id(req), title,
	    body, html, *idem ? idem : NULL, state);
	if (r == NULL) {
		/* A double submit racing us wins the key; find its post. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	status = request_redirect(req, arena_printf(req->arena, "/t/%s",
	    db_val(r, 0, 0)));
	log_info("thread %s by user=%lld", db_val(r, 0, 0), req->user->id);
	PQclear(r);
	return status;
}

/* The post at one row of forum_posts_page, through the post template. */
static void
render_post(struct request *req, struct buf *out, const PGresult *r, int i,
    long long tid, int locked)
{
	struct tmpl_vars v;
	const char *state, *why;
	int mine;

	memset(&v, 0, sizeof(v));
	state = db_val(r, i, 6);
	mine = req->user != NULL && db_ll(r, i, 2) == req->user->id;
	tmpl_set(&v, "id", arena_strdup(req->arena, db_val(r, i, 0)));
	tmpl_set(&v, "tid", id_str(req, tid));
	tmpl_set(&v, "author", strcmp(db_val(r, i, 10), "t") == 0 ?
	    T(req, "deleted user") : arena_strdup(req->arena, db_val(r, i, 3)));
	tmpl_set(&v, "badge", badge(req, db_val(r, i, 4)));
	set_time(req, &v, r, i, 7);
	tmpl_set(&v, "edited", strcmp(db_val(r, i, 9), "t") == 0 ? "1" : NULL);
	tmpl_set(&v, "official", strcmp(db_val(r, i, 11), "t") == 0 ? "1" :
	    NULL);
	/* A built-in reason in the reader's language; a note as typed. */
	if ((why = mod_reason_msgid(db_val(r, i, 13))) != NULL)
		tmpl_set(&v, "reason_text", T(req, why));
	if (*db_val(r, i, 12))
		tmpl_set(&v, "reason_note", arena_strdup(req->arena,
		    db_val(r, i, 12)));
	if (why != NULL || *db_val(r, i, 12))
		tmpl_set(&v, "reason", "1");
	if (strcmp(state, "deleted") == 0)
		tmpl_set(&v, "deleted", "1");
	else {
		tmpl_set_raw(&v, "html", arena_strdup(req->arena,
		    db_val(r, i, 5)));
		tmpl_set(&v, state, "1");	/* held, hidden, rejected */
		if (strcmp(state, "published") == 0 && req->user != NULL) {
			if (!locked)
				tmpl_set(&v, "can_quote", "1");
			if (!mine)
				tmpl_set(&v, "can_report", "1");
		}
		if (mine || is_mod(req))
			tmpl_set(&v, "can_edit", "1");
	}
	if (is_mod(req)) {
		tmpl_set(&v, "mod", "1");
		tmpl_set(&v, "csrf", req->csrf);
		if (strcmp(db_val(r, i, 9), "t") == 0)
			tmpl_set(&v, "can_history", "1");
	}
	tmpl_render(out, "post", req->lang, &v);
}

int
forum_thread(struct request *req)
{
	struct tmpl_vars v;
	struct buf posts;
	PGresult *t, *r;
	long long page, pages, count, tid = req->id;
	int i, locked;

	if ((t = DB_EXEC("forum_thread_get", id_str(req, tid),
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(t) != 1 || (strcmp(db_val(t, 0, 3), "published") != 0 &&
	    !is_mod(req) && !(strcmp(db_val(t, 0, 3), "held") == 0 &&
	    req->user != NULL && db_ll(t, 0, 5) == req->user->id))) {
		PQclear(t);
		return thread_404(req);
	}
	count = db_ll(t, 0, 4);
	pages = count > 0 ? (count + FORUM_PAGE - 1) / FORUM_PAGE : 1;
	page = param_present(req, "page") ? param_int(req, "page") : 1;
	if (page > pages) {
		PQclear(t);
		return page_error(req, 404, N_("This thread has no such page."));
	}
	locked = strcmp(db_val(t, 0, 2), "t") == 0;
	r = DB_EXEC("forum_posts_page", id_str(req, tid),
	    id_str(req, (page - 1) * FORUM_PAGE + 1),
	    id_str(req, page * FORUM_PAGE), user_id(req),
	    is_mod(req) ? "true" : "false");
	if (r == NULL) {
		PQclear(t);
		return page_unavailable(req);
	}
	buf_init(&posts);
	for (i = 0; i < PQntuples(r); i++)
		render_post(req, &posts, r, i, tid, locked);
	PQclear(r);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", id_str(req, tid));
	tmpl_set(&v, "title", arena_strdup(req->arena, db_val(t, 0, 1)));
	tmpl_set(&v, "slug", arena_strdup(req->arena, db_val(t, 0, 6)));
	tmpl_set(&v, "board", arena_strdup(req->arena, db_val(t, 0, 7)));
	tmpl_set(&v, "locked", locked ? "1" : NULL);
	tmpl_set(&v, "pinned", strcmp(db_val(t, 0, 8), "t") == 0 ? "1" : NULL);
	tmpl_set(&v, "hidden_thread", strcmp(db_val(t, 0, 3), "hidden") == 0 ?
	    "1" : NULL);
	tmpl_set(&v, "mod", is_mod(req) ? "1" : NULL);
	tmpl_set(&v, "can_reply", req->user != NULL && !locked ? "1" : NULL);
	tmpl_set(&v, "visitor", req->user == NULL ? "1" : NULL);
	tmpl_set(&v, "idem", req->user != NULL ? auth_form_key(req) : NULL);
	tmpl_set(&v, "body_max", id_str(req, BODY_MAX));
	tmpl_set_raw(&v, "posts", copy(req, &posts));
	tmpl_set_raw(&v, "pager", page_pager(req, arena_printf(req->arena,
	    "/t/%lld?", tid), page, pages));
	buf_free(&posts);
	PQclear(t);
	return page_render(req, 200, tmpl_var(&v, "title"), "thread", &v);
}

/* Load a thread for replying; 0 and *t set, or -1 with *status set. */
static int
reply_thread(struct request *req, PGresult **t, int *status)
{
	if ((*t = DB_EXEC("forum_thread_get", id_str(req, req->id),
	    i18n_langs[req->lang].tag)) == NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	if (PQntuples(*t) != 1 || strcmp(db_val(*t, 0, 3), "published") != 0) {
		PQclear(*t);
		*status = thread_404(req);
		return -1;
	}
	if (strcmp(db_val(*t, 0, 2), "t") == 0) {
		PQclear(*t);
		*status = page_error(req, 403, N_("This thread is locked: no "
		    "new replies can be added."));
		return -1;
	}
	return 0;
}

int
forum_reply_form(struct request *req)
{
	const char *body = "", *heading;
	struct buf q;
	PGresult *t, *p;
	const char *line, *nl;
	int status;

	if (reply_thread(req, &t, &status) == -1)
		return status;
	heading = arena_printf(req->arena, T(req, "Reply to %s"),
	    i18n_isolate(req->arena, db_val(t, 0, 1)));
	PQclear(t);
	if (param_present(req, "quote")) {
		if ((p = DB_EXEC("forum_post_get", id_str(req,
		    param_int(req, "quote")))) == NULL)
			return page_unavailable(req);
		if (PQntuples(p) == 1 && db_ll(p, 0, 1) == req->id &&
		    strcmp(db_val(p, 0, 5), "published") == 0) {
			/*
			 * "> " before every line, and who said it.  For a
			 * right-to-left reader a RIGHT-TO-LEFT MARK comes
			 * first, or a Latin name would turn the whole box
			 * (dir=auto) and the quoted paragraph left to right.
			 */
			buf_init(&q);
			buf_printf(&q, "> %s**%s** ", strcmp(
			    i18n_langs[req->lang].dir, "rtl") == 0 ?
			    "\xe2\x80\x8f" : "", db_val(p, 0, 9));
			buf_puts(&q, T(req, "wrote:"));
			buf_puts(&q, "\n>\n");
			for (line = db_val(p, 0, 4); *line != '\0'; line = nl) {
				if ((nl = strchr(line, '\n')) == NULL)
					nl = line + strlen(line);
				buf_puts(&q, "> ");
				buf_append(&q, line, (size_t)(nl - line));
				buf_putc(&q, '\n');
				if (*nl == '\n')
					nl++;
			}
			buf_putc(&q, '\n');
			body = copy(req, &q);
			buf_free(&q);
		}
		PQclear(p);
	}
	return compose(req, 200, arena_printf(req->arena, "/t/%lld/reply",
	    req->id), heading, 0, NULL, body, NULL, NULL);
}

int
forum_reply(struct request *req)
{
	const char *body, *html = NULL, *heading, *action, *idem, *quote;
	const char *state;
	PGresult *t, *r;
	int rc, status;

	if (reply_thread(req, &t, &status) == -1)
		return status;
	heading = arena_printf(req->arena, T(req, "Reply to %s"),
	    i18n_isolate(req->arena, db_val(t, 0, 1)));
	PQclear(t);
	action = arena_printf(req->arena, "/t/%lld/reply", req->id);
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	quote = param_present(req, "quote") && param_err(req, "quote") == NULL ?
	    id_str(req, param_int(req, "quote")) : NULL;
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, heading, 0, NULL, body, NULL,
		    N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, heading, 0, NULL, body, html,
		    NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = posting_policy(req, &state)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return compose(req, 429, action, heading, 0, NULL, body, NULL,
		    TOO_FAST);
	r = DB_EXEC("forum_reply_insert", id_str(req, req->id), user_id(req),
	    body, html, quote, *idem ? idem : NULL, state);
	if (r == NULL) {
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1) {
		/* Locked or hidden between the form and the submit. */
		PQclear(r);
		return compose(req, 409, action, heading, 0, NULL, body, NULL,
		    N_("This thread was locked or removed while you were "
		    "writing; your reply was not posted. Your text is kept "
		    "below."));
	}
	status = request_redirect(req, arena_printf(req->arena,
	    "/t/%lld?page=%lld#p%s", req->id, (db_ll(r, 0, 1) - 1) /
	    FORUM_PAGE + 1, db_val(r, 0, 0)));
	PQclear(r);
	return status;
}

/*
 * Whether the user may see a post of forum_post_get's row: its thread is
 * published (or held and theirs), and the post is published or a deleted
 * tombstone (or theirs); moderators see everything.  The rule of
 * forum_thread and forum_posts_page, so that no link answers differently.
 */
static int
post_visible(struct request *req, const PGresult *p)
{
	const char *tstate = db_val(p, 0, 8), *pstate = db_val(p, 0, 5);
	long long uid = req->user ? req->user->id : 0;

	if (is_mod(req))
		return 1;
	if (strcmp(tstate, "published") != 0 && !(strcmp(tstate, "held") == 0 &&
	    uid != 0 && db_ll(p, 0, 10) == uid))
		return 0;
	return strcmp(pstate, "published") == 0 ||
	    strcmp(pstate, "deleted") == 0 || (uid != 0 && db_ll(p, 0, 3) == uid);
}

int
forum_post(struct request *req)
{
	PGresult *p;
	int status;

	if ((p = DB_EXEC("forum_post_get", id_str(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1 || !post_visible(req, p)) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	status = request_redirect(req, arena_printf(req->arena,
	    "/t/%s?page=%lld#p%lld", db_val(p, 0, 1), (db_ll(p, 0, 2) - 1) /
	    FORUM_PAGE + 1, req->id));
	PQclear(p);
	return status;
}

/* Load a post the user may change: 0 and *p set, or -1 with *status. */
static int
own_post(struct request *req, PGresult **p, int *status)
{
	if ((*p = DB_EXEC("forum_post_get", id_str(req, req->id))) == NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	if (PQntuples(*p) != 1 || strcmp(db_val(*p, 0, 5), "deleted") == 0 ||
	    (strcmp(db_val(*p, 0, 8), "published") != 0 && !is_mod(req))) {
		PQclear(*p);
		*status = page_error(req, 404, N_("This post does not exist."));
		return -1;
	}
	if (db_ll(*p, 0, 3) != req->user->id && !is_mod(req)) {
		PQclear(*p);
		log_warnx("refused change of post %lld by user=%lld", req->id,
		    req->user->id);
		*status = page_error(req, 403, N_("You can only change your "
		    "own posts."));
		return -1;
	}
	return 0;
}

int
forum_edit_form(struct request *req)
{
	PGresult *p;
	const char *title, *body;
	int status, first;

	if (own_post(req, &p, &status) == -1)
		return status;
	first = db_ll(p, 0, 2) == 1;
	title = arena_strdup(req->arena, db_val(p, 0, 6));
	body = arena_strdup(req->arena, db_val(p, 0, 4));
	PQclear(p);
	return compose(req, 200, arena_printf(req->arena, "/p/%lld/edit",
	    req->id), T(req, "Edit post"), first, title, body, NULL, NULL);
}

int
forum_edit(struct request *req)
{
	const char *title, *body, *html = NULL, *action, *tid;
	PGresult *p, *r;
	int status, first;

	if (own_post(req, &p, &status) == -1)
		return status;
	first = db_ll(p, 0, 2) == 1;
	tid = arena_strdup(req->arena, db_val(p, 0, 1));
	PQclear(p);
	action = arena_printf(req->arena, "/p/%lld/edit", req->id);
	title = param_str(req, "title");
	body = param_str(req, "body");
	if (first && *title == '\0' && param_err(req, "title") == NULL)
		param_set_err(req, "title", N_("This field is required."));
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, T(req, "Edit post"), first,
		    title, body, NULL, N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, T(req, "Edit post"), first,
		    title, body, html, NULL);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("forum_edit", id_str(req, req->id), user_id(req),
	    body, html)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		return page_error(req, 404, N_("This post does not exist."));
	}
	status = request_redirect(req, arena_printf(req->arena,
	    "/t/%s?page=%lld#p%lld", tid, (db_ll(r, 0, 1) - 1) / FORUM_PAGE + 1,
	    req->id));
	PQclear(r);
	if (first && DB_RUN("forum_edit_title", tid, title) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	return status;
fail:
	db_rollback();
	return page_unavailable(req);
}

int
forum_delete_form(struct request *req)
{
	struct tmpl_vars v;
	PGresult *p;
	int status;

	if (own_post(req, &p, &status) == -1)
		return status;
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "action", arena_printf(req->arena, "/p/%lld/delete",
	    req->id));
	tmpl_set(&v, "back", arena_printf(req->arena, "/p/%lld", req->id));
	tmpl_set(&v, "question", T(req, "Delete this post? The thread stays "
	    "readable; your post will show as deleted."));
	tmpl_set(&v, "excerpt", arena_strndup(req->arena, db_val(p, 0, 4),
	    300));
	tmpl_set(&v, "button", T(req, "Delete the post"));
	PQclear(p);
	req->personal = 1;
	return page_render(req, 200, T(req, "Delete post"), "confirm", &v);
}

int
forum_delete(struct request *req)
{
	PGresult *p, *r;
	int status;

	if (own_post(req, &p, &status) == -1)
		return status;
	PQclear(p);
	if ((r = DB_EXEC("forum_delete", id_str(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return page_error(req, 404, N_("This post does not exist."));
	}
	status = request_redirect(req, arena_printf(req->arena,
	    "/t/%s?page=%lld#p%lld", db_val(r, 0, 0), (db_ll(r, 0, 1) - 1) /
	    FORUM_PAGE + 1, req->id));
	PQclear(r);
	return status;
}

int
forum_revisions(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows;
	PGresult *p, *r;
	int i;

	if ((p = DB_EXEC("forum_post_get", id_str(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	if ((r = DB_EXEC("forum_revisions", id_str(req, req->id))) == NULL) {
		PQclear(p);
		return page_unavailable(req);
	}
	buf_init(&rows);
	memset(&row, 0, sizeof(row));
	tmpl_set(&row, "body", arena_strdup(req->arena, db_val(p, 0, 4)));
	tmpl_set(&row, "current", "1");
	tmpl_render(&rows, "revision", req->lang, &row);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "body", arena_strdup(req->arena,
		    db_val(r, i, 0)));
		tmpl_set(&row, "editor", arena_strdup(req->arena,
		    db_val(r, i, 1)));
		set_time(req, &row, r, i, 2);
		tmpl_render(&rows, "revision", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "title", arena_strdup(req->arena, db_val(p, 0, 6)));
	tmpl_set(&v, "post", id_str(req, req->id));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	PQclear(r);
	PQclear(p);
	req->personal = 1;
	return page_render(req, 200, T(req, "Edit history"), "revisions", &v);
}

int
forum_search(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows, jobs;
	const char *q;
	long long page;
	PGresult *r;
	int i, n, nj, common;

	q = param_str(req, "q");
	page = param_present(req, "page") ? param_int(req, "page") : 1;
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "q", q);
	if (*q == '\0' || req->nerrors > 0)
		return page_render(req, 200, T(req, "Search"), "search", &v);
	if ((r = DB_EXEC("forum_search_count", q)) == NULL)
		return page_unavailable(req);
	common = db_ll(r, 0, 0) >= SEARCH_RARE_AT;
	PQclear(r);
	if ((r = DB_EXEC(common ? "forum_search_common" : "forum_search_rare",
	    q, i18n_langs[req->lang].tag, id_str(req, (page - 1) * 20))) ==
	    NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	buf_init(&rows);
	for (i = 0; i < n && i < 20; i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "href", *db_val(r, i, 1) ?
		    arena_printf(req->arena, "/p/%s", db_val(r, i, 1)) :
		    arena_printf(req->arena, "/t/%s", db_val(r, i, 0)));
		tmpl_set(&row, "title", arena_strdup(req->arena,
		    db_val(r, i, 2)));
		tmpl_set(&row, "slug", arena_strdup(req->arena,
		    db_val(r, i, 3)));
		tmpl_set(&row, "board", arena_strdup(req->arena,
		    db_val(r, i, 4)));
		tmpl_set_raw(&row, "snippet", page_snippet(req, db_val(r, i, 5)));
		set_time(req, &row, r, i, 6);
		tmpl_render(&rows, "search_row", req->lang, &row);
	}
	{
		struct buf enc;

		buf_init(&enc);
		html_url_arg(&enc, q);
		tmpl_set(&v, "q_url", copy(req, &enc));
		buf_free(&enc);
	}
	tmpl_set(&v, "searched", "1");
	/* Live vacancies that match, above the forum's results. */
	nj = 0;
	if (page == 1) {
		buf_init(&jobs);
		if ((nj = jobs_search(req, q, &jobs, 10)) == -1) {
			buf_free(&jobs);
			buf_free(&rows);
			PQclear(r);
			return page_unavailable(req);
		}
		tmpl_set_raw(&v, "jobs", copy(req, &jobs));
		buf_free(&jobs);
	}
	tmpl_set(&v, "has_jobs", nj > 0 ? "1" : NULL);
	tmpl_set(&v, "none", n == 0 && nj == 0 ? "1" : NULL);
	if (page == 1) {
		/* Guides with the words, above the forum's hits (guide.c). */
		int ng;

		if ((ng = guide_search(req, &v, q)) == -1)
			log_warnx("search: guides not shown");
		else if (ng > 0)
			tmpl_set(&v, "none", NULL);
	}
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	tmpl_set(&v, "has_rows", n > 0 ? "1" : NULL);
	if (page > 1) {
		tmpl_set(&v, "prev", arena_printf(req->arena, "%lld",
		    page - 1));
	}
	if (n > 20 && page < 50)
		tmpl_set(&v, "next", arena_printf(req->arena, "%lld", page + 1));
	buf_free(&rows);
	PQclear(r);
	return page_render(req, 200, T(req, "Search"), "search", &v);
}
