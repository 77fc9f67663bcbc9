/*
 * Search, /search: live vacancies (jobs.c) and guides (guide.c) on the
 * first page, then the forum's threads and posts, newest first.  Posts
 * that match are found one of two ways: a rare word is read from the
 * full-text index and sorted (a few thousand rows at most); a common one
 * walks the newest posts backwards until 200 match, which stops early.
 * search_count decides, cheaply, which one it is.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "guide.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "search.h"
#include "tmpl.h"
#include "user.h"

#define SEARCH_SQL(posts) \
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($1)) AS q, " \
	    "'%' || replace(replace(replace(magnet_fold($1), '\\', '\\\\'), " \
	    "'%', '\\%'), '_', '\\_') || '%' AS pat), " \
	    "hits AS (" \
	    " (SELECT t.id AS tid, NULL::bigint AS pid, t.title AS text, " \
	    "  t.last_post_at AS at FROM threads t, q " \
	    "  WHERE t.state = 'published' AND (t.search @@ q.q OR " \
	    "  magnet_fold(t.title) LIKE q.pat) " \
	    "  AND ($4 = '' OR t.board_id = (SELECT id FROM boards " \
	    "  WHERE slug = $4)) AND ($5::bigint = 0 OR " \
	    "  t.author_id = $5::bigint) " \
	    "  ORDER BY t.last_post_at DESC LIMIT 200)" \
	    " UNION ALL " posts ") " \
	    "SELECT CASE WHEN h.pid IS NULL THEN '/t/' || h.tid " \
	    "ELSE '/p/' || h.pid END AS href, t.title, b.slug, " \
	    "coalesce(l.name, e.name) AS board, " \
	    "ts_headline('simple', h.text, q.q, 'MaxWords=30, MinWords=12, " \
	    "StartSel=\x01, StopSel=\x02, HighlightAll=false') AS headline, " \
	    "magnet_time(h.at) AS posted " \
	    "FROM hits h JOIN threads t ON t.id = h.tid AND t.state = 'published' " \
	    "JOIN boards b ON b.id = t.board_id " \
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' " \
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $2, q " \
	    "ORDER BY h.at DESC LIMIT 21 OFFSET $3"
/* A board's own search (board=slug) and, for counsellors, one author's
 * posts (author=name, its id as $5; words then optional). */
#define SEARCH_IN \
	    "  AND ($4 = '' OR p.thread_id IN (SELECT id FROM threads " \
	    "  WHERE board_id = (SELECT id FROM boards WHERE slug = $4))) " \
	    "  AND ($5::bigint = 0 OR p.author_id = $5::bigint) "
#define SEARCH_RARE_AT	5000
#define SEARCH_RARE_S	"5000"

static const struct db_stmt stmts[] = {
	{ "search_count", "SELECT count(*) AS n FROM (SELECT 1 FROM posts "
	    "WHERE search @@ plainto_tsquery('simple', magnet_fold($1)) "
	    "LIMIT " SEARCH_RARE_S ") x" },
	{ "search_common", SEARCH_SQL(
	    " (SELECT p.thread_id, p.id, p.body_md, p.created_at "
	    "  FROM posts p, q WHERE (p.search @@ q.q OR numnode(q.q) = 0) "
	    "  AND p.state = 'published' " SEARCH_IN
	    "  ORDER BY p.id DESC LIMIT 200)") },
	/* OFFSET 0 keeps the index read apart from the ordering. */
	{ "search_rare", SEARCH_SQL(
	    " (SELECT p.thread_id, p.id, p.body_md, p.created_at "
	    "  FROM (SELECT posts.id FROM posts, q WHERE posts.search @@ q.q "
	    "  OFFSET 0) m JOIN posts p ON p.id = m.id "
	    "  WHERE p.state = 'published' " SEARCH_IN
	    "  ORDER BY p.id DESC LIMIT 200)") },
	{ "search_author", "SELECT id FROM users WHERE username_key = $1" },
};

void
search_init(void)
{
	DB_REGISTER(stmts);
}

/* The hit's text as plain text, escaped, the words in <mark>. */
static void
hit_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	tmpl_set_raw(row, "snippet", page_snippet(ctx, db_get(r, i,
	    "headline")));
}

/* q for the pager's links. */
static const char *
url_arg(struct request *req, const char *q)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	html_url_arg(&b, q);
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/*
 * The filters: a board (its name for the heading; 404 for no such
 * board), and an author for counsellors (ignored for others).  Sets
 * *board and *author ("0": none) and the page's variables; -1 with
 * *status when the page cannot go on.
 */
static int
search_filters(struct request *req, struct tmpl_vars *v, const char **board,
    const char **author, int *status)
{
	char key[512];
	const char *name = request_is_mod(req) ? param_str(req, "author") : "";
	PGresult *r;

	*board = param_str(req, "board");
	*author = "0";
	if (**board != '\0') {
		if ((r = DB_Q(req, "forum_board_get", *board,
		    i18n_langs[req->lang].tag)) == NULL ||
		    PQntuples(r) != 1) {
			*status = r == NULL ? page_unavailable(req) :
			    page_error(req, 404, N_("There is no such board."));
			return -1;
		}
		tmpl_set(v, "board", *board);
		tmpl_set(v, "board_name", db_get(r, 0, "name"));
	}
	tmpl_set(v, "author", name);
	tmpl_set(v, "filter_url", arena_printf(req->arena, "%s%s%s%s",
	    **board ? "&board=" : "", url_arg(req, *board),
	    *name ? "&author=" : "", url_arg(req, name)));
	if (*name == '\0')
		return 0;
	user_name_key(name, key, sizeof(key));
	if ((r = DB_Q(req, "search_author", key)) == NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	/* No such account: an id no post has, so nothing is found. */
	*author = PQntuples(r) == 1 ? db_get(r, 0, "id") : "-1";
	return 0;
}

int
search_page(struct request *req)
{
	struct tmpl_vars v;
	const char *q, *board, *author;
	long long page;
	PGresult *c, *r;
	int n, nj = 0, ng = 0, status, common;

	q = param_str(req, "q");
	page = param_present(req, "page") ? param_int(req, "page") : 1;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "q", q);
	tmpl_set(&v, "q_url", url_arg(req, q));
	if (search_filters(req, &v, &board, &author, &status) == -1)
		return status;
	if ((*q == '\0' && strcmp(author, "0") == 0) || req->nerrors > 0)
		return page_render(req, 200, T(req, "Search"), "search", &v);
	if ((c = DB_Q(req, "search_count", q)) == NULL)
		return page_unavailable(req);
	/* One author's posts without words: the newest of them. */
	common = db_get_ll(c, 0, "n") >= SEARCH_RARE_AT || *q == '\0';
	if ((r = DB_Q(req, common ? "search_common" : "search_rare", q,
	    i18n_langs[req->lang].tag, arena_printf(req->arena, "%lld",
	    (page - 1) * 20), board, author)) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	tmpl_set_rows_max(&v, "hits", r, 20, hit_row, req);
	tmpl_set_bool(&v, "has_hits", n > 0);
	tmpl_set_bool(&v, "searched", 1);
	if (page > 1)
		tmpl_set_int(&v, req->arena, "prev", page - 1);
	if (n > 20 && page < 50)
		tmpl_set_int(&v, req->arena, "next", page + 1);
	/* Vacancies and guides above the forum's hits, on the first page of
	 * a search of the whole site (jobs.c, guide.c). */
	if (page == 1 && *board == '\0' && *q != '\0') {
		if ((nj = jobs_search(req, &v, q, 10)) == -1)
			return page_unavailable(req);
		if ((ng = guide_search(req, &v, q)) == -1) {
			log_warnx("search: guides not shown");
			ng = 0;
		}
	}
	tmpl_set_bool(&v, "has_jobs", nj > 0);
	tmpl_set_bool(&v, "none", n == 0 && nj == 0 && !ng);
	return page_render(req, 200, T(req, "Search"), "search", &v);
}
