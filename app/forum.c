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
	    "OR $5::boolean) AS can_edit "
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

int
forum_thread(struct request *req)
{
	struct tmpl_vars v;
	struct gz_piece part;
	struct shared_meta *m;
	PGresult *t = NULL;
	long long page, pages;
	int shared, status;

	page = param_present(req, "page") ? param_int(req, "page") : 1;
	if ((shared = shared_part(req, page, &part, &m)) == -1)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	if (shared) {
		tmpl_set(&v, "id", request_id(req));
		tmpl_set_bool(&v, "locked", m->locked);
		tmpl_set_raw(&v, "part", page_part_mark());
	} else {
		if ((t = DB_Q(req, "forum_thread_get", request_id(req),
		    i18n_langs[req->lang].tag)) == NULL)
			return page_unavailable(req);
		if (PQntuples(t) != 1 || !thread_visible(req, t))
			return thread_404(req);
		pages = (db_get_ll(t, 0, "post_count") + FORUM_PAGE - 1) /
		    FORUM_PAGE;
		if (page > (pages < 1 ? 1 : pages))
			return page_error(req, 404, N_("This thread has no "
			    "such page."));
		tmpl_bind_row(&v, t, 0);
		if (thread_posts(req, &v, page, request_uid(req),
		    request_is_mod(req)) == -1)
			return page_unavailable(req);
		page_set_pager(req, &v, arena_printf(req->arena, "/t/%lld?",
		    req->id), page, pages);
	}
	if (req->user != NULL)
		tmpl_set(&v, "idem", auth_form_key(req));
	tmpl_set_int(&v, req->arena, "body_max", FORUM_BODY_MAX);
	status = page_render(req, 200, shared ? m->title :
	    db_get(t, 0, "title"), "thread", &v);
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
