/*
 * JSON for other programs.  Nothing held, hidden, rejected or deleted is
 * ever in it, whoever asks: the API shows what a visitor may see.
 */
#include <string.h>

#include "api.h"
#include "buf.h"
#include "db.h"
#include "forum.h"
#include "html.h"
#include "i18n.h"
#include "page.h"
#include "request.h"

const struct param api_thread_params[] = {
	{ "page", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_stmt stmts[] = {
	{ "api_boards",
	    "SELECT b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    "b.thread_count AS threads, b.post_count AS posts, "
	    ISO("b.last_post_at") " AS last_post_at "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $1 ORDER BY b.position, b.id" },
	{ "api_thread",
	    "SELECT t.id, t.title, b.slug AS board, t.locked, t.pinned, "
	    "t.post_count, " ISO("t.created_at") " AS created_at, "
	    ISO("t.last_post_at") " AS last_post_at "
	    "FROM threads t JOIN boards b ON b.id = t.board_id "
	    "WHERE t.id = $1 AND t.state = 'published'" },
	/* author: NULL for a deleted account. */
	{ "api_posts",
	    "SELECT p.id, p.seq, CASE WHEN u.deleted_at IS NULL THEN "
	    "u.username END AS author, " ISO("p.created_at") " AS created_at, "
	    ISO("p.edited_at") " AS edited_at, p.body_html AS html "
	    "FROM posts p JOIN users u ON u.id = p.author_id "
	    "WHERE p.thread_id = $1 AND p.seq BETWEEN $2 AND $3 "
	    "AND p.state = 'published' ORDER BY p.seq" },
};

void
api_init(void)
{
	DB_REGISTER(stmts);
}

/* The column k as "k":"v", and a comma after unless last; with
 * or_null, SQL NULL as "k":null (else as ""). */
static void
col(struct buf *b, const PGresult *r, int i, const char *k, int or_null,
    int comma)
{
	html_json(b, k);
	buf_putc(b, ':');
	if (or_null && PQgetisnull(r, i, PQfnumber(r, k)))
		buf_puts(b, "null");
	else
		html_json(b, db_get(r, i, k));
	if (comma)
		buf_putc(b, ',');
}

static int
json(struct request *req, int status, struct buf *b)
{
	request_json(req, status, b);
	buf_free(b);
	if (status == 200)
		req->cache_public = 1;
	return status;
}

int
api_boards(struct request *req)
{
	struct buf b;
	PGresult *r;
	int i;

	if ((r = DB_Q(req, "api_boards", i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	buf_init(&b);
	buf_puts(&b, "{\"boards\":[");
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&b, i ? ",{" : "{");
		col(&b, r, i, "slug", 0, 1);
		col(&b, r, i, "name", 0, 1);
		col(&b, r, i, "description", 0, 1);
		buf_printf(&b, "\"threads\":%lld,\"posts\":%lld,",
		    db_get_ll(r, i, "threads"), db_get_ll(r, i, "posts"));
		col(&b, r, i, "last_post_at", 1, 0);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}\n");
	return json(req, 200, &b);
}

int
api_thread(struct request *req)
{
	const char *id;
	long long page, pages;
	struct buf b;
	PGresult *t, *r;
	int i;

	id = arena_printf(req->arena, "%lld", req->id);
	page = param_present(req, "page") ? param_int(req, "page") : 1;
	if ((t = DB_Q(req, "api_thread", id)) == NULL)
		return page_unavailable(req);
	buf_init(&b);
	if (PQntuples(t) != 1) {
		buf_puts(&b, "{\"error\":\"not found\"}\n");
		return json(req, 404, &b);
	}
	if ((r = DB_Q(req, "api_posts", id, arena_printf(req->arena, "%lld",
	    (page - 1) * FORUM_PAGE + 1), arena_printf(req->arena, "%lld",
	    page * FORUM_PAGE))) == NULL) {
		buf_free(&b);
		return page_unavailable(req);
	}
	pages = (db_get_ll(t, 0, "post_count") + FORUM_PAGE - 1) / FORUM_PAGE;
	buf_printf(&b, "{\"id\":%lld,", req->id);
	col(&b, t, 0, "title", 0, 1);
	col(&b, t, 0, "board", 0, 1);
	buf_printf(&b, "\"locked\":%s,\"pinned\":%s,\"page\":%lld,"
	    "\"pages\":%lld,", db_get_bool(t, 0, "locked") ? "true" : "false",
	    db_get_bool(t, 0, "pinned") ? "true" : "false", page,
	    pages > 0 ? pages : 1);
	col(&b, t, 0, "created_at", 0, 1);
	col(&b, t, 0, "last_post_at", 0, 1);
	buf_puts(&b, "\"posts\":[");
	for (i = 0; i < PQntuples(r); i++) {
		buf_printf(&b, "%s{\"id\":%lld,\"seq\":%lld,", i ? "," : "",
		    db_get_ll(r, i, "id"), db_get_ll(r, i, "seq"));
		col(&b, r, i, "author", 1, 1);
		col(&b, r, i, "created_at", 0, 1);
		if (!PQgetisnull(r, i, PQfnumber(r, "edited_at")))
			col(&b, r, i, "edited_at", 0, 1);
		col(&b, r, i, "html", 0, 0);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}\n");
	return json(req, 200, &b);
}
