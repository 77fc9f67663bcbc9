/*
 * Search, /search: live vacancies (jobs.c) and guides (guide.c) on the
 * first page, then the forum's threads and posts, newest first, in one
 * statement (below) that reads only as many rows as the page shows,
 * however common the word: p99 under 50 ms on a million posts.
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

/*
 * One statement.  need: the hits the page needs of each kind (the page's
 * 21 after its offset, at most 200 as before).  share: how many posts
 * have all the words, from the statistics ANALYZE keeps of posts.search
 * (magnet_search_share, migration 0026: pg_stats lists the lexemes in
 * more than about 1 % of posts); 0 when a word is not listed, that is
 * rarer.  The newest posts are walked backwards (need / share rows) when
 * that costs less than the RUM index posts_search_rum, which sorts the
 * ids of all the matches itself (share * posts of them), by the costs
 * below: on a million posts, page 1, a word in more than about 2 % of
 * posts is walked.  Threads likewise: a word that needs at most 4,000
 * threads walked walks threads_recent, a rarer one reads the title
 * indexes (OFFSET 0 keeps those reads apart from the ordering), and a
 * pattern under 3 letters, which no index serves, walks.
 *
 * A board's own search (board=slug) and, for counsellors, one author's
 * posts (author: their id; without words, the newest of their posts)
 * narrow every way by filters read once ($4, $5).
 *
 * The ways are gated by one-time filters: only one runs.  Headlines are
 * made for the 21 rows shown only.  The parameters are read through q
 * only, so that a generic plan costs what a custom one does and
 * PostgreSQL keeps it (planning this takes 5 to 10 ms).  The RUM
 * distance is a double: from 2^52, exact for every id below it.
 * README.md "Search" has the figures.
 */
/* µs a post, measured: walked (its tsvector read and matched); sorted by
 * the RUM index (a match's id). */
#define SEARCH_WALK_US	"4.5"
#define SEARCH_RUM_US	"0.3"
/*
 * The statement, whole (SEARCH_STMT(SEARCH_ALL)) or narrowed
 * (SEARCH_STMT(SEARCH_IN)): the filters change the planner's estimates
 * of the walks (it then sorts all threads rather than walk the newest),
 * so the search of the whole site is the statement without them.  A
 * narrowed search also finds one author's posts without words.
 */
#define SEARCH_ALL(x)	SEARCH_ALL_##x
#define SEARCH_ALL_Q	""
#define SEARCH_ALL_WORDS ""
#define SEARCH_ALL_T	""
#define SEARCH_ALL_P \
    "  AND EXISTS (SELECT 1 FROM threads t WHERE t.id = p.thread_id " \
    "  AND t.state = 'published') "
#define SEARCH_ALL_AUTHOR ""
#define SEARCH_IN(x)	SEARCH_IN_##x
#define SEARCH_IN_Q \
    ", btrim($1) <> '' AS words, $4::text AS board, " \
    "(SELECT id FROM boards WHERE slug = $4) AS bid, $5::bigint AS author"
#define SEARCH_IN_WORDS	"  AND (SELECT words FROM q) "
#define SEARCH_IN_T \
    "  AND ((SELECT board FROM q) = '' OR t.board_id = (SELECT bid FROM q)) " \
    "  AND ((SELECT author FROM q) = 0 OR " \
    "  t.author_id = (SELECT author FROM q)) "
#define SEARCH_IN_P \
    "  AND EXISTS (SELECT 1 FROM threads t WHERE t.id = p.thread_id " \
    "  AND t.state = 'published' AND ((SELECT board FROM q) = '' " \
    "  OR t.board_id = (SELECT bid FROM q))) " \
    "  AND ((SELECT author FROM q) = 0 OR " \
    "  p.author_id = (SELECT author FROM q)) "
#define SEARCH_IN_AUTHOR \
    " UNION ALL" \
    " (SELECT p.thread_id, p.id, p.created_at FROM posts p " \
    "  WHERE NOT (SELECT words FROM q) AND p.author_id = " \
    "  (SELECT author FROM q) AND p.state = 'published' " SEARCH_IN_P \
    "  ORDER BY p.id DESC LIMIT (SELECT need FROM q))"
#define SEARCH_STMT(F) \
    "WITH q AS MATERIALIZED (SELECT plainto_tsquery('simple', " \
    "magnet_fold($1)) AS q, '%' || replace(replace(replace(magnet_fold($1), " \
    "'\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS pat, " \
    "least($3::bigint + 21, 200) AS need, $2::text AS lang, " \
    "$3::bigint AS off" F(Q) "), " \
    "share AS MATERIALIZED (SELECT magnet_search_share($1) AS f), " \
    "way AS MATERIALIZED (SELECT share.f > 0 AND q.need / share.f * " \
    SEARCH_WALK_US " <= share.f * greatest(c.reltuples, 0) * " SEARCH_RUM_US \
    " AS posts, (share.f > 0 AND q.need / share.f <= 4000) " \
    " OR length(btrim(magnet_fold($1))) < 3 AS threads " \
    " FROM share, q, pg_class c WHERE c.oid = 'posts'::regclass), " \
    "hits AS (" \
    " (SELECT t.id AS tid, NULL::bigint AS pid, t.last_post_at AS at " \
    "  FROM threads t WHERE (SELECT threads FROM way) " F(WORDS) \
    "  AND t.state = 'published' AND (t.search @@ (SELECT q FROM q) OR " \
    "  magnet_fold(t.title) LIKE (SELECT pat FROM q)) IS TRUE " F(T) \
    "  ORDER BY t.bumped_at DESC LIMIT (SELECT need FROM q))" \
    " UNION ALL" \
    " (SELECT x.id, NULL, x.last_post_at FROM (SELECT t.id, " \
    "  t.last_post_at, t.bumped_at FROM threads t " \
    "  WHERE NOT (SELECT threads FROM way) " F(WORDS) \
    "  AND t.state = 'published' AND (t.search @@ (SELECT q FROM q) OR " \
    "  magnet_fold(t.title) LIKE (SELECT pat FROM q)) " F(T) "OFFSET 0) x " \
    "  ORDER BY x.bumped_at DESC LIMIT (SELECT need FROM q))" \
    " UNION ALL" \
    " (SELECT p.thread_id, p.id, p.created_at FROM posts p " \
    "  WHERE (SELECT posts FROM way) " F(WORDS) "AND p.state = 'published' " \
    "  AND (p.search @@ (SELECT q FROM q)) IS TRUE " F(P) \
    "  ORDER BY p.id DESC LIMIT (SELECT need FROM q))" \
    " UNION ALL" \
    " (SELECT p.thread_id, p.id, p.created_at FROM posts p " \
    "  WHERE NOT (SELECT posts FROM way) " F(WORDS) \
    "  AND p.state = 'published' AND p.search @@ (SELECT q FROM q) " F(P) \
    "  ORDER BY p.id <=| 4503599627370496::bigint " \
    "  LIMIT (SELECT need FROM q))" F(AUTHOR) "), " \
    "shown AS MATERIALIZED (SELECT * FROM hits " \
    " ORDER BY at DESC, pid DESC NULLS LAST LIMIT 21 " \
    " OFFSET (SELECT off FROM q)) " \
    "SELECT CASE WHEN h.pid IS NULL THEN '/t/' || h.tid " \
    "ELSE '/p/' || h.pid END AS href, t.title, b.slug, " \
    "coalesce(l.name, e.name) AS board, " \
    "ts_headline('simple', coalesce(p.body_md, t.title), q.q, " \
    "'MaxWords=30, MinWords=12, StartSel=\x01, StopSel=\x02, " \
    "HighlightAll=false') AS headline, magnet_time(h.at) AS posted " \
    "FROM shown h JOIN threads t ON t.id = h.tid " \
    "LEFT JOIN posts p ON p.id = h.pid " \
    "JOIN boards b ON b.id = t.board_id " \
    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' " \
    "LEFT JOIN board_names l ON l.board_id = b.id " \
    "AND l.lang = (SELECT lang FROM q), q " \
    "ORDER BY h.at DESC, h.pid DESC NULLS LAST"

static const struct db_stmt stmts[] = {
	{ "search", SEARCH_STMT(SEARCH_ALL) },
	{ "search_in", SEARCH_STMT(SEARCH_IN) },
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
	PGresult *r;
	int n, nj = 0, ng = 0, status;

	q = param_str(req, "q");
	page = param_present(req, "page") ? param_int(req, "page") : 1;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "q", q);
	tmpl_set(&v, "q_url", url_arg(req, q));
	if (search_filters(req, &v, &board, &author, &status) == -1)
		return status;
	if ((*q == '\0' && strcmp(author, "0") == 0) || req->nerrors > 0)
		return page_render(req, 200, T(req, "Search"), "search", &v);
	if ((r = *board == '\0' && strcmp(author, "0") == 0 ?
	    DB_Q(req, "search", q, i18n_langs[req->lang].tag,
	    request_num(req, (page - 1) * 20)) :
	    DB_Q(req, "search_in", q, i18n_langs[req->lang].tag,
	    request_num(req, (page - 1) * 20), board, author)) == NULL)
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
