/*
 * Atom (RFC 4287) feeds.  Only published threads appear, with the first
 * post's stored, sanitised HTML as the entry's content.  Links are
 * absolute, built from the base_url setting and never from the request's
 * Host header, which a client controls.
 */
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "feed.h"
#include "i18n.h"
#include "page.h"
#include "request.h"
#include "tmpl.h"

/* Atom's dates: RFC 3339 in UTC. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const struct db_stmt stmts[] = {
	{ "feed_board_meta",
	    "SELECT b.id, b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    ISO("coalesce(b.last_post_at, now())") " AS feed_updated "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $2 WHERE b.slug = $1" },
	/* content: the first post's stored HTML, escaped as Atom's
	 * type="html" wants it. */
	{ "feed_board_entries",
	    "SELECT t.id, t.title, u.username AS author, "
	    ISO("t.created_at") " AS published, "
	    ISO("t.last_post_at") " AS updated, "
	    "coalesce(p.body_html, '') AS content "
	    "FROM threads t JOIN users u ON u.id = t.author_id "
	    "LEFT JOIN posts p ON p.thread_id = t.id AND p.seq = 1 "
	    "AND p.state = 'published' "
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT 20" },
};

void
feed_init(void)
{
	DB_REGISTER(stmts);
}

/* /feeds/b/{slug}.atom: the board's newest threads. */
int
feed_board(struct request *req)
{
	struct tmpl_vars v;
	PGresult *m, *r;
	char slug[80];
	size_t len;

	len = strlen(req->slug);
	if (len <= 5 || len - 5 >= sizeof(slug) ||
	    strcmp(req->slug + len - 5, ".atom") != 0)
		return page_error(req, 404, N_("There is no such feed."));
	memcpy(slug, req->slug, len - 5);
	slug[len - 5] = '\0';
	if ((m = DB_Q(req, "feed_board_meta", slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(m) != 1)
		return page_error(req, 404, N_("There is no such feed."));
	if ((r = DB_Q(req, "feed_board_entries", db_get(m, 0, "id"))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, m, 0);
	tmpl_set_rows(&v, "entries", r, NULL, NULL);
	tmpl_set(&v, "lang", i18n_langs[req->lang].tag);
	tmpl_set(&v, "base", conf_active()->base_url);
	buf_reset(&req->out);
	if (tmpl_render(&req->out, "feed_board", req->lang, &v) == -1)
		return page_error(req, 500, N_("Something went wrong"));
	req->content_type = "application/atom+xml; charset=utf-8";
	req->cache_public = 1;
	return 200;
}
