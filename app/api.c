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
	    "SELECT b.slug, coalesce(l.name, e.name), "
	    "coalesce(l.description, e.description), b.thread_count, "
	    "b.post_count, coalesce(" ISO("b.last_post_at") ", '') "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $1 ORDER BY b.position, b.id" },
	{ "api_thread",
	    "SELECT t.id, t.title, b.slug, t.locked, t.pinned, t.post_count, "
	    ISO("t.created_at") ", " ISO("t.last_post_at") " "
	    "FROM threads t JOIN boards b ON b.id = t.board_id "
	    "WHERE t.id = $1 AND t.state = 'published'" },
	{ "api_posts",
	    "SELECT p.id, p.seq, CASE WHEN u.deleted_at IS NULL THEN "
	    "u.username END, " ISO("p.created_at") ", "
	    "coalesce(" ISO("p.edited_at") ", ''), p.body_html "
	    "FROM posts p JOIN users u ON u.id = p.author_id "
	    "WHERE p.thread_id = $1 AND p.seq BETWEEN $2 AND $3 "
	    "AND p.state = 'published' ORDER BY p.seq" },
};

void
api_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
key(struct buf *b, const char *k, const char *v, int comma)
{
	html_json(b, k);
	buf_putc(b, ':');
	html_json(b, v);
	if (comma)
		buf_putc(b, ',');
}

int
api_boards(struct request *req)
{
	struct buf b;
	PGresult *r;
	int i;

	if ((r = DB_EXEC("api_boards", i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	buf_init(&b);
	buf_puts(&b, "{\"boards\":[");
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&b, i ? ",{" : "{");
		key(&b, "slug", db_val(r, i, 0), 1);
		key(&b, "name", db_val(r, i, 1), 1);
		key(&b, "description", db_val(r, i, 2), 1);
		buf_printf(&b, "\"threads\":%lld,\"posts\":%lld,",
		    db_ll(r, i, 3), db_ll(r, i, 4));
		if (*db_val(r, i, 5))
			key(&b, "last_post_at", db_val(r, i, 5), 0);
		else
			buf_puts(&b, "\"last_post_at\":null");
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}\n");
	PQclear(r);
	request_json(req, 200, &b);
	buf_free(&b);
	req->cache_public = 1;
	return 200;
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
	if ((t = DB_EXEC("api_thread", id)) == NULL)
		return page_unavailable(req);
	if (PQntuples(t) != 1) {
		PQclear(t);
		buf_init(&b);
		buf_puts(&b, "{\"error\":\"not found\"}\n");
		request_json(req, 404, &b);
		buf_free(&b);
		return 404;
	}
	if ((r = DB_EXEC("api_posts", id, arena_printf(req->arena, "%lld",
	    (page - 1) * FORUM_PAGE + 1), arena_printf(req->arena, "%lld",
	    page * FORUM_PAGE))) == NULL) {
		PQclear(t);
		return page_unavailable(req);
	}
	pages = (db_ll(t, 0, 5) + FORUM_PAGE - 1) / FORUM_PAGE;
	buf_init(&b);
	buf_printf(&b, "{\"id\":%lld,", req->id);
	key(&b, "title", db_val(t, 0, 1), 1);
	key(&b, "board", db_val(t, 0, 2), 1);
	buf_printf(&b, "\"locked\":%s,\"pinned\":%s,\"page\":%lld,"
	    "\"pages\":%lld,", strcmp(db_val(t, 0, 3), "t") == 0 ? "true" :
	    "false", strcmp(db_val(t, 0, 4), "t") == 0 ? "true" : "false",
	    page, pages > 0 ? pages : 1);
	key(&b, "created_at", db_val(t, 0, 6), 1);
	key(&b, "last_post_at", db_val(t, 0, 7), 1);
	buf_puts(&b, "\"posts\":[");
	for (i = 0; i < PQntuples(r); i++) {
		buf_printf(&b, "%s{\"id\":%lld,\"seq\":%lld,", i ? "," : "",
		    db_ll(r, i, 0), db_ll(r, i, 1));
		if (PQgetisnull(r, i, 2))
			buf_puts(&b, "\"author\":null,");
		else
			key(&b, "author", db_val(r, i, 2), 1);
		key(&b, "created_at", db_val(r, i, 3), 1);
		if (*db_val(r, i, 4))
			key(&b, "edited_at", db_val(r, i, 4), 1);
		key(&b, "html", db_val(r, i, 5), 0);
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}\n");
	PQclear(r);
	PQclear(t);
	request_json(req, 200, &b);
	buf_free(&b);
	req->cache_public = 1;
	return 200;
}
