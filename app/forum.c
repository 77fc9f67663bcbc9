/*
 * The forum's pages to read: a board, a thread, a post's link, and a
 * post's edit history.  Markdown is rendered once, when a post is saved,
 * by the markdown workers (md.c); pages show the stored HTML.  A
 * thread's posts carry their position (seq), so a page of a thread is one
 * index range and page numbers cost nothing; a board's list is read by a
 * keyset cursor on (last activity, id).  Writing (new threads, replies,
 * edits, deletion) is in forum_post.c; search in search.c.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "cache.h"
#include "conf.h"
#include "db.h"
#include "event.h"
#include "forum.h"
#include "guide.h"
#include "i18n.h"
#include "log.h"
#include "mod.h"
#include "notify.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "forum_board_get",
	    "SELECT b.id, b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    "b.thread_count, coalesce(b.governorate, '') AS governorate "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $2 WHERE b.slug = $1" },
/*
 * A board's threads for the reader U (0: a visitor); key is the keyset
 * cursor, "microseconds.id".  new_replies: published replies since the
 * reader last opened the thread (their read mark, one primary-key
 * lookup a row), unless the board was marked read after the last post.
 * The board and the reader are read through (SELECT $n): PostgreSQL
 * then costs its plan for a known and an unknown value alike and keeps
 * one generic plan, instead of planning the statement anew at every
 * request (a custom plan for the busiest board looks cheaper, and
 * planning cost more than running it).
 */
#define THREAD_ROW(U) \
	    "SELECT t.id, t.title, t.reply_count AS replies, t.pinned, " \
	    "t.locked, au.username AS author, " \
	    "coalesce(lu.username, au.username) AS last_author, " \
	    "magnet_time(t.last_post_at) AS last_post, " \
	    "(extract(epoch FROM t.bumped_at) * 1000000)::bigint || " \
	    "'.' || t.id AS key, t.bumped_at, t.well_answered, " \
	    "CASE WHEN t.reply_count > rd.replies AND t.last_post_at > " \
	    "coalesce((SELECT br.read_before FROM board_reads br WHERE " \
	    "br.user_id = " U "::bigint AND br.board_id = $1), " \
	    "'-infinity') THEN t.reply_count - rd.replies ELSE 0 END " \
	    "AS new_replies, EXISTS (SELECT 1 FROM board_watches WHERE " \
	    "board_id = $1 AND user_id = " U "::bigint) AS board_watched " \
	    "FROM threads t JOIN users au ON au.id = t.author_id " \
	    "LEFT JOIN users lu ON lu.id = t.last_author_id " \
	    "LEFT JOIN thread_reads rd ON rd.user_id = (SELECT " U \
	    "::bigint) AND rd.thread_id = t.id "
	{ "forum_threads_first", THREAD_ROW("$2")
	    "WHERE t.board_id = (SELECT $1::integer) AND t.state = 'published' "
	    "ORDER BY t.pinned DESC, t.bumped_at DESC, t.id DESC LIMIT 21" },
	{ "forum_threads_after", THREAD_ROW("$4")
	    "WHERE t.board_id = (SELECT $1::integer) AND t.state = 'published' "
	    "AND t.pinned = false AND (t.bumped_at, t.id) < "
	    "(timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3) "
	    "ORDER BY t.pinned DESC, t.bumped_at DESC, t.id DESC LIMIT 21" },
	{ "forum_threads_before", "SELECT * FROM (" THREAD_ROW("$4")
	    "WHERE t.board_id = (SELECT $1::integer) AND t.state = 'published' "
	    "AND t.pinned = false AND (t.bumped_at, t.id) > "
	    "(timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3) "
	    "ORDER BY t.bumped_at ASC, t.id ASC LIMIT 21) x "
	    "ORDER BY bumped_at DESC, id DESC" },
	/* Whether the reader watches the board (its watch form), for a
	 * board without threads (the threads' rows say it otherwise). */
	{ "forum_board_watched", "SELECT EXISTS (SELECT 1 FROM board_watches "
	    "WHERE board_id = $1 AND user_id = $2) AS board_watched" },
	/*
	 * A signed-in reader saw a thread up to post seq $3: their read mark
	 * moves forward (written only when it does), and their watch level
	 * for the thread's form.
	 */
	{ "forum_thread_seen",
	    "WITH w AS (INSERT INTO thread_reads (user_id, thread_id, seq, "
	    "replies) SELECT $2, $1, $3, (SELECT count(*) FROM posts WHERE "
	    "thread_id = $1 AND seq BETWEEN 2 AND $3 AND state = 'published') "
	    "WHERE NOT EXISTS (SELECT 1 FROM thread_reads WHERE user_id = $2 "
	    "AND thread_id = $1 AND seq >= $3) ON CONFLICT (user_id, "
	    "thread_id) DO UPDATE SET seq = EXCLUDED.seq, replies = "
	    "EXCLUDED.replies, read_at = now()) "
	    "SELECT coalesce((SELECT level FROM thread_watches WHERE "
	    "thread_id = $1 AND user_id = $2), '') AS watch_level" },
	/* The first published post after the reader's read mark. */
	{ "forum_first_unread", "SELECT p.id, p.seq FROM posts p "
	    "WHERE p.thread_id = $1 AND p.state = 'published' AND p.seq > "
	    "coalesce((SELECT seq FROM thread_reads WHERE user_id = $2 "
	    "AND thread_id = $1), 0) ORDER BY p.seq LIMIT 1" },
#define THREAD_GET(more) \
	    "SELECT t.id, t.title, t.locked, t.pinned, t.state, " \
	    "t.state = 'hidden' AS hidden_thread, t.post_count, t.author_id, " \
	    more "b.slug, coalesce(l.name, e.name) AS board " \
	    "FROM threads t JOIN boards b ON b.id = t.board_id " \
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' " \
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $2 " \
	    "WHERE t.id = $1"
	{ "forum_thread_get", THREAD_GET("") },
	/* With the authors of the posts of the page that starts at $3, in
	 * any state (on page 1, of the official answers too): two index
	 * ranges. */
	{ "forum_thread_read", THREAD_GET(
	    "ARRAY(SELECT author_id FROM posts WHERE thread_id = t.id "
	    "AND seq BETWEEN $3 AND $3 + " FORUM_PAGE_S " - 1 UNION ALL "
	    "SELECT author_id FROM posts WHERE $3 = 1 AND thread_id = t.id "
	    "AND official) AS authors, ") },
	/*
	 * A page of a thread for the reader $4 (0: a visitor), a counsellor
	 * when $5: each post's state as booleans, and what the reader may
	 * do with it.  A deleted post keeps its place but not its text.
	 */
	{ "forum_posts_page",
	    "SELECT p.id, p.thread_id AS tid, u.username AS author, "
	    "u.deleted_at IS NOT NULL AS author_gone, "
	    "u.role IN ('moderator', 'admin') AS counsellor, "
	    "u.role = 'employer' AS employer, "
	    "CASE WHEN p.state <> 'deleted' THEN p.body_html END AS body_html, "
	    "p.state = 'published' AS published, p.state = 'held' AS held, "
	    "p.state = 'hidden' AS hidden, p.state = 'rejected' AS rejected, "
	    "p.state = 'deleted' AS deleted, "
	    "magnet_time(p.created_at) AS posted, "
	    "p.edited_at IS NOT NULL AS edited, p.official, "
	    "p.mod_reason AS reason_note, p.mod_reason_key, "
	    "p.state = 'published' AND $4::bigint <> 0 AS can_quote, "
	    "p.state = 'published' AND $4::bigint <> 0 "
	    "AND p.author_id <> $4::bigint AS can_report, "
	    "p.state <> 'deleted' AND (p.author_id = $4::bigint "
	    "OR $5::boolean) AS can_edit, p.thanks, "
	    "p.state = 'published' AND p.seq > 1 AND $4::bigint <> 0 "
	    "AND p.author_id <> $4::bigint AS can_thank "
	    /* Two index ranges: the page, and on page 1 the official
	     * answers wherever they are. */
	    "FROM (SELECT * FROM posts WHERE thread_id = $1 AND seq BETWEEN "
	    "$2 AND $3 UNION ALL SELECT * FROM posts WHERE $2 = 1 AND "
	    "thread_id = $1 AND official AND state = 'published' AND seq "
	    "NOT BETWEEN $2 AND $3) p JOIN users u ON u.id = p.author_id "
	    "WHERE (p.state IN ('published', 'deleted') "
	    "OR p.author_id = $4::bigint OR $5::boolean) "
	    "ORDER BY p.seq <> 1, NOT ($2 = 1 AND p.official), p.seq" },
	{ "forum_post_get",
	    "SELECT p.id, p.thread_id, p.seq, p.author_id, p.body_md, "
	    "p.state, t.title, t.locked, t.state AS thread_state, "
	    "u.username, t.author_id AS thread_author "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.id = $1" },
	{ "forum_revisions",
	    "SELECT r.body_md AS body, u.username AS editor, "
	    "magnet_time(r.edited_at) AS edited "
	    "FROM post_revisions r JOIN users u ON u.id = r.edited_by "
	    "WHERE r.post_id = $1 ORDER BY r.id DESC" },
};

void
forum_init(void)
{
	DB_REGISTER(stmts);
}

const char *
forum_link(struct request *req, const char *tid, long long seq,
    const char *pid)
{
	return arena_printf(req->arena, "/t/%s?page=%lld#p%s", tid,
	    (seq - 1) / FORUM_PAGE + 1, pid);
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

/* The reader's board watch state, from the first thread's row (one
 * query less), else asked. */
static int
board_watched(struct request *req, struct tmpl_vars *v, const PGresult *b,
    const PGresult *r)
{
	PGresult *w;

	if (req->user == NULL)
		return 0;
	if (PQntuples(r) > 0) {
		tmpl_set_bool(v, "board_watched", db_get_bool(r, 0,
		    "board_watched"));
		return 0;
	}
	if ((w = DB_Q(req, "forum_board_watched", db_get(b, 0, "id"),
	    request_uid(req))) == NULL)
		return -1;
	tmpl_set_bool(v, "board_watched", db_get_bool(w, 0, "board_watched"));
	return 0;
}

/*
 * The governorate's coming events and guides under a board (event.c,
 * guide.c): the same for every reader of a language, so made once and
 * kept like a thread's shared part (the part_ms setting; a write drops
 * it at once, on every node), as {{&side}}.  Whether the reader signed
 * up to an event is on /events and the event's page.  The board stands
 * without them.
 */
static void
board_side(struct request *req, struct tmpl_vars *v, const char *gov)
{
	unsigned long gen = notify_gen(NOTIFY_CACHE);
	struct tmpl_vars w;
	struct buf b;
	const char *key, *side;

	key = arena_printf(req->arena, "side|%s|%s", gov,
	    i18n_langs[req->lang].tag);
	if (conf_active()->part_ms == 0 ||
	    (side = cache_text_get(req, key, gen)) == NULL) {
		tmpl_init(&w, req->arena);
		buf_init(&b);
		if (events_for_board(req, &w, gov, 0) == -1 ||
		    guides_for_board(req, &w, gov) == -1 ||
		    tmpl_render(&b, "board_side", req->lang, &w) == -1) {
			buf_free(&b);
			log_warnx("board %s: events or guides not shown",
			    req->slug);
			return;
		}
		side = arena_buf(req->arena, &b);
		buf_free(&b);
		cache_text_put(key, gen, conf_active()->part_ms, side);
	}
	/* Rendered from the database's rows by the templates: escaped. */
	tmpl_set_raw(v, "side", side);
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
		r = DB_Q(req, "forum_threads_first", db_get(b, 0, "id"),
		    request_uid(req));
	else if (board_cursor(req, *after ? after : before, cursor) == -1)
		return page_error(req, 400, N_("This page link is not valid."));
	else
		r = DB_Q(req, *after ? "forum_threads_after" :
		    "forum_threads_before", db_get(b, 0, "id"), cursor[0],
		    cursor[1], request_uid(req));
	if (r == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > 20 ? 20 : n;
	pages = (db_get_ll(b, 0, "thread_count") + 19) / 20;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, b, 0);
	tmpl_set_rows_max(&v, "threads", r, shown, NULL, NULL);
	if (board_watched(req, &v, b, r) == -1)
		return page_unavailable(req);
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
	board_side(req, &v, db_get(b, 0, "governorate"));
	return page_render(req, 200, db_get(b, 0, "name"), "board", &v);
}

/* Published threads for all; a held one for its author; all for
 * counsellors. */
static int
thread_visible(struct request *req, const PGresult *t)
{
	const char *state = db_get(t, 0, "state");

	return strcmp(state, "published") == 0 || request_is_mod(req) ||
	    (strcmp(state, "held") == 0 && req->user != NULL &&
	    db_get_ll(t, 0, "author_id") == req->user->id);
}

/* A post's moderation reason: a built-in one in the reader's language;
 * the counsellor's note (reason_note) as typed. */
static void
post_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *why;

	if ((why = mod_reason_msgid(db_get(r, i, "mod_reason_key"))) != NULL)
		tmpl_set(row, "reason_text", T(req, why));
	tmpl_set_bool(row, "reason", why != NULL ||
	    *db_get(r, i, "reason_note") != '\0');
}

/* The page's posts as the reader uid sees them (a counsellor when mod),
 * as the list "posts" of v. */
static int
thread_posts(struct request *req, struct tmpl_vars *v, long long page,
    const char *uid, int mod)
{
	PGresult *r;

	if ((r = DB_Q(req, "forum_posts_page", request_id(req),
	    request_num(req, (page - 1) * FORUM_PAGE + 1),
	    request_num(req, page * FORUM_PAGE), uid,
	    mod ? "true" : "false")) == NULL)
		return -1;
	tmpl_set_rows(v, "posts", r, post_row, req);
	return 0;
}

/*
 * A page of a published thread as every signed-in reader sees it who is
 * not a counsellor and wrote none of its posts (nothing in it is a
 * reader's own: no form token, no edit link, no held post): everything
 * above the reply form (thread_shared.html), made once per thread, page
 * and language while nothing is written, and compressed once (cache.h).
 * Kept beside it: what the rest of the page needs, and whose posts it
 * holds, so that a reader's page costs no query but its session.
 */
#define SHARED_AUTHORS	64

struct shared_meta {
	long long	authors[SHARED_AUTHORS];
	int		nauthors;
	int		locked;
	long long	post_count;
	char		title[];	/* NUL-terminated */
};

/* Make the part of page; 0 when the thread has none to share. */
static int
shared_make(struct request *req, const char *key, long long page,
    unsigned long gen, struct gz_piece *part, struct shared_meta **mp)
{
	struct shared_meta *m;
	struct tmpl_vars v;
	struct buf b;
	PGresult *t;
	const char *title, *a;
	size_t tlen;
	char *end;

	if ((t = DB_Q(req, "forum_thread_read", request_id(req),
	    i18n_langs[req->lang].tag,
	    request_num(req, (page - 1) * FORUM_PAGE + 1))) == NULL)
		return -1;
	if (PQntuples(t) != 1 || strcmp(db_get(t, 0, "state"),
	    "published") != 0 || page > (db_get_ll(t, 0, "post_count") +
	    FORUM_PAGE - 1) / FORUM_PAGE)
		return 0;
	title = db_get(t, 0, "title");
	tlen = strlen(title);
	m = arena_alloc(req->arena, sizeof(*m) + tlen + 1);
	memset(m, 0, sizeof(*m));
	for (a = db_get(t, 0, "authors"); *a != '\0' && *a != '}'; a = end) {
		if (*a == '{' || *a == ',')
			a++;
		if (m->nauthors == SHARED_AUTHORS)
			return 0;
		m->authors[m->nauthors++] = strtoll(a, &end, 10);
		if (end == a)
			break;
	}
	m->locked = db_get_bool(t, 0, "locked");
	m->post_count = db_get_ll(t, 0, "post_count");
	memcpy(m->title, title, tlen + 1);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, t, 0);
	/* As a reader who wrote none of them (no account has the id -1),
	 * whoever makes it. */
	if (thread_posts(req, &v, page, "-1", 0) == -1)
		return -1;
	page_set_pager(req, &v, arena_printf(req->arena, "/t/%lld?",
	    req->id), page, (db_get_ll(t, 0, "post_count") + FORUM_PAGE - 1) /
	    FORUM_PAGE);
	buf_init(&b);
	if (tmpl_render(&b, "thread_shared", req->lang, &v) == -1) {
		buf_free(&b);
		return -1;
	}
	memset(part, 0, sizeof(*part));
	part->p = arena_buf(req->arena, &b);
	part->len = b.len;
	buf_free(&b);
	cache_part_put(req, key, gen, conf_active()->part_ms, part, m,
	    sizeof(*m) + tlen + 1);
	*mp = m;
	return 1;
}

/* The reader's shared part of page: 1 and *part, *mp; 0 when the page is
 * to be made for them alone; -1 when the database is away. */
static int
shared_part(struct request *req, long long page, struct gz_piece *part,
    struct shared_meta **mp)
{
	unsigned long gen = notify_gen(NOTIFY_CACHE);
	const char *key;
	size_t len;
	void *meta;
	int i, rc;

	if (conf_active()->part_ms == 0 || req->user == NULL ||
	    request_is_mod(req))
		return 0;
	key = arena_printf(req->arena, "part|t|%lld|%lld|%s", req->id, page,
	    i18n_langs[req->lang].tag);
	if (cache_part_get(req, key, gen, part, &meta, &len))
		*mp = meta;
	else if ((rc = shared_make(req, key, page, gen, part, mp)) != 1)
		return rc;
	for (i = 0; i < (*mp)->nauthors; i++)
		if ((*mp)->authors[i] == req->user->id)
			return 0;
	return 1;
}

/* /t/{id}?unread: to the reader's first unread post (a visitor, or
 * nothing unread: the thread's first page). */
static int
thread_unread(struct request *req)
{
	PGresult *r;

	if (req->user == NULL || (r = DB_Q(req, "forum_first_unread",
	    request_id(req), request_uid(req))) == NULL || PQntuples(r) != 1)
		return request_redirect(req, arena_printf(req->arena, "/t/%lld",
		    req->id));
	return request_redirect(req, forum_link(req, request_id(req),
	    db_get_ll(r, 0, "seq"), db_get(r, 0, "id")));
}

/*
 * A signed-in reader's read mark moves to the last post of the page
 * (written only when it does), and their watch form shows their level.
 * What the database said is kept a second (cache_value_put), like their
 * session: a reader's next pages of a thread they have read cost no
 * query; a form saved on the node (a watch, a mark-board-read) drops it.
 */
#define SEEN_KEEP_MS	1000

struct seen {
	long long	seq;
	char		level[8];
};

static int
thread_seen(struct request *req, struct tmpl_vars *v, long long last)
{
	unsigned long gen = notify_gen(NOTIFY_CACHE);
	struct seen k;
	const char *key;
	PGresult *r;

	if (req->user == NULL)
		return 0;
	key = arena_printf(req->arena, "seen|%lld|%lld", req->user->id,
	    req->id);
	if (!cache_value_get(key, gen, &k, sizeof(k)) || k.seq < last) {
		if ((r = DB_Q(req, "forum_thread_seen", request_id(req),
		    request_uid(req), request_num(req, last))) == NULL)
			return -1;
		memset(&k, 0, sizeof(k));
		k.seq = last;
		snprintf(k.level, sizeof(k.level), "%s",
		    db_get(r, 0, "watch_level"));
		cache_value_put(key, gen, SEEN_KEEP_MS, &k, sizeof(k));
	}
	tmpl_set_bool(v, "watching", strcmp(k.level, "watch") == 0);
	tmpl_set_bool(v, "muted", strcmp(k.level, "mute") == 0);
	return 0;
}

/*
 * The page made for this reader alone (a counsellor, an author of one of
 * its posts, a held or hidden thread): 0 with v, *title and *last (the
 * page's last post) set, or the answer already made (404, ?unread's
 * redirect, 503).
 */
static int
thread_own(struct request *req, struct tmpl_vars *v, long long page,
    const char **title, long long *last)
{
	PGresult *t;
	long long count, pages;

	if ((t = DB_Q(req, "forum_thread_get", request_id(req),
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(t) != 1 || !thread_visible(req, t))
		return thread_404(req);
	if (param_present(req, "unread"))
		return thread_unread(req);
	count = db_get_ll(t, 0, "post_count");
	pages = count < 1 ? 1 : (count + FORUM_PAGE - 1) / FORUM_PAGE;
	if (page > pages)
		return page_error(req, 404, N_("This thread has no such "
		    "page."));
	tmpl_bind_row(v, t, 0);
	if (thread_posts(req, v, page, request_uid(req),
	    request_is_mod(req)) == -1)
		return page_unavailable(req);
	page_set_pager(req, v, arena_printf(req->arena, "/t/%lld?", req->id),
	    page, pages);
	*title = db_get(t, 0, "title");
	*last = page * FORUM_PAGE < count ? page * FORUM_PAGE : count;
	return 0;
}

int
forum_thread(struct request *req)
{
	struct tmpl_vars v;
	struct gz_piece part;
	struct shared_meta *m;
	const char *title = NULL;
	long long page, last = 0;
	int shared, status;

	page = param_present(req, "page") ? param_int(req, "page") : 1;
	shared = param_present(req, "unread") ? 0 :
	    shared_part(req, page, &part, &m);
	if (shared == -1)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	if (shared) {
		tmpl_set(&v, "id", request_id(req));
		tmpl_set_bool(&v, "locked", m->locked);
		tmpl_set_raw(&v, "part", page_part_mark());
		title = m->title;
		last = page * FORUM_PAGE < m->post_count ? page * FORUM_PAGE :
		    m->post_count;
	} else if ((status = thread_own(req, &v, page, &title, &last)) != 0)
		return status;
	if (thread_seen(req, &v, last) == -1)
		return page_unavailable(req);
	if (req->user != NULL)
		tmpl_set(&v, "idem", auth_form_key(req));
	if (param_present(req, "thanked"))
		tmpl_set(&v, param_int(req, "thanked") ? "thanked" :
		    "unthanked", "1");
	tmpl_set_int(&v, req->arena, "body_max", FORUM_BODY_MAX);
	status = page_render(req, 200, title, "thread", &v);
	if (shared && status == 200 && page_join(req, &part) == -1)
		return page_error(req, 500, N_("Something went wrong"));
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
	const char *tstate = db_get(p, 0, "thread_state");
	const char *pstate = db_get(p, 0, "state");
	long long uid = req->user ? req->user->id : 0;

	if (request_is_mod(req))
		return 1;
	if (strcmp(tstate, "published") != 0 && !(strcmp(tstate, "held") == 0 &&
	    uid != 0 && db_get_ll(p, 0, "thread_author") == uid))
		return 0;
	return strcmp(pstate, "published") == 0 ||
	    strcmp(pstate, "deleted") == 0 ||
	    (uid != 0 && db_get_ll(p, 0, "author_id") == uid);
}

int
forum_post(struct request *req)
{
	PGresult *p;

	if ((p = DB_Q(req, "forum_post_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1 || !post_visible(req, p))
		return page_error(req, 404, N_("This post does not exist."));
	return request_redirect(req, forum_link(req, db_get(p, 0, "thread_id"),
	    db_get_ll(p, 0, "seq"), db_get(p, 0, "id")));
}

int
forum_revisions(struct request *req)
{
	struct tmpl_vars v;
	PGresult *p, *r;

	if ((p = DB_Q(req, "forum_post_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1)
		return page_error(req, 404, N_("This post does not exist."));
	if ((r = DB_Q(req, "forum_revisions", request_id(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, p, 0);
	tmpl_set_rows(&v, "revisions", r, NULL, NULL);
	req->personal = 1;
	return page_render(req, 200, T(req, "Edit history"), "revisions", &v);
}
