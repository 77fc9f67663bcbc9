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
#include "html.h"
#include "i18n.h"
#include "page.h"
#include "request.h"

static const struct db_stmt stmts[] = {
	{ "feed_board_meta",
	    "SELECT b.id, coalesce(l.name, e.name), "
	    "coalesce(l.description, e.description), "
	    "to_char(coalesce(b.last_post_at, now()) AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $2 WHERE b.slug = $1" },
	{ "feed_board_entries",
	    "SELECT t.id, t.title, u.username, "
	    "to_char(t.created_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "to_char(t.last_post_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(p.body_html, '') "
	    "FROM threads t JOIN users u ON u.id = t.author_id "
	    "LEFT JOIN posts p ON p.thread_id = t.id AND p.seq = 1 "
	    "AND p.state = 'published' "
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT 20" },
};

void
feed_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

int
feed_board(struct request *req)
{
	const char *base = conf_active()->base_url;
	struct buf b;
	PGresult *m, *r;
	char slug[80];
	size_t len;
	int i;

	len = strlen(req->slug);
	if (len <= 5 || len - 5 >= sizeof(slug) ||
	    strcmp(req->slug + len - 5, ".atom") != 0)
		return page_error(req, 404, N_("There is no such feed."));
	memcpy(slug, req->slug, len - 5);
	slug[len - 5] = '\0';
	if ((m = DB_EXEC("feed_board_meta", slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(m) != 1) {
		PQclear(m);
		return page_error(req, 404, N_("There is no such feed."));
	}
	if ((r = DB_EXEC("feed_board_entries", db_val(m, 0, 0))) == NULL) {
		PQclear(m);
		return page_unavailable(req);
	}
	buf_init(&b);
	buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%s\">\n"
	    "<title>", i18n_langs[req->lang].tag);
	html_txt(&b, db_val(m, 0, 1));
	buf_puts(&b, " · ");
	html_txt(&b, T(req, "Magnet"));
	buf_puts(&b, "</title>\n<subtitle>");
	html_txt(&b, db_val(m, 0, 2));
	buf_puts(&b, "</subtitle>\n<id>");
	html_txt(&b, base);
	buf_printf(&b, "/b/%s</id>\n<link rel=\"alternate\" href=\"", slug);
	html_attr(&b, base);
	buf_printf(&b, "/b/%s\"/>\n<link rel=\"self\" href=\"", slug);
	html_attr(&b, base);
	buf_printf(&b, "/feeds/b/%s.atom\"/>\n<updated>%s</updated>\n", slug,
	    db_val(m, 0, 3));
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&b, "<entry>\n<title>");
		html_txt(&b, db_val(r, i, 1));
		buf_puts(&b, "</title>\n<id>");
		html_txt(&b, base);
		buf_printf(&b, "/t/%s</id>\n<link rel=\"alternate\" href=\"",
		    db_val(r, i, 0));
		html_attr(&b, base);
		buf_printf(&b, "/t/%s\"/>\n<author><name>", db_val(r, i, 0));
		html_txt(&b, db_val(r, i, 2));
		buf_printf(&b, "</name></author>\n<published>%s</published>\n"
		    "<updated>%s</updated>\n<content type=\"html\">",
		    db_val(r, i, 3), db_val(r, i, 4));
		html_txt(&b, db_val(r, i, 5));
		buf_puts(&b, "</content>\n</entry>\n");
	}
	buf_puts(&b, "</feed>\n");
	PQclear(r);
	PQclear(m);
	buf_reset(&req->out);
	buf_append(&req->out, b.p, b.len);
	buf_free(&b);
	req->content_type = "application/atom+xml; charset=utf-8";
	req->cache_public = 1;
	return 200;
}
