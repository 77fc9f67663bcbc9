/*
 * The home page shows every board with its latest activity; /healthz
 * tells a load balancer whether this node can reach the database.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "event.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "page.h"
#include "request.h"
#include "site.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "site_boards",
	    "SELECT b.slug, coalesce(l.name, e.name), "
	    "coalesce(l.description, e.description), b.thread_count, "
	    "b.post_count, t.id, t.title, "
	    "to_char(b.last_post_at AT TIME ZONE 'Asia/Baghdad', "
	    "'YYYY-MM-DD HH24:MI'), to_char(b.last_post_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $1 LEFT JOIN threads t ON t.id = b.last_thread_id "
	    "AND t.state = 'published' ORDER BY b.position, b.id" },
};

void
site_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

int
site_home(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf boards;
	PGresult *r;
	int i;

	if ((r = DB_EXEC("site_boards", i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	buf_init(&boards);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "slug", db_val(r, i, 0));
		tmpl_set(&row, "name", db_val(r, i, 1));
		tmpl_set(&row, "description", db_val(r, i, 2));
		tmpl_set(&row, "threads", i18n_num(req->arena, req->lang,
		    db_ll(r, i, 3)));
		tmpl_set(&row, "posts", i18n_num(req->arena, req->lang,
		    db_ll(r, i, 4)));
		if (*db_val(r, i, 5)) {
			tmpl_set(&row, "last_id", db_val(r, i, 5));
			tmpl_set(&row, "last_title", db_val(r, i, 6));
			page_time(req, &row, db_val(r, i, 7), db_val(r, i, 8));
		}
		tmpl_render(&boards, "home_board", req->lang, &row);
	}
	PQclear(r);
	memset(&v, 0, sizeof(v));
	tmpl_set_raw(&v, "boards", arena_strndup(req->arena,
	    boards.p ? boards.p : "", boards.len));
	/* The latest published vacancies (jobs.c). */
	buf_reset(&boards);
	if (jobs_latest(req, &boards, 5) == -1) {
		buf_free(&boards);
		return page_unavailable(req);
	}
	tmpl_set_raw(&v, "jobs", arena_strndup(req->arena,
	    boards.p ? boards.p : "", boards.len));
	/* Coming events (event.c); the page stands without them. */
	if (events_for_board(req, &v, NULL) == -1)
		log_warnx("home: coming events not shown");
	buf_free(&boards);
	return page_render(req, 200, T(req, "Boards"), "home", &v);
}

int
site_healthz(struct request *req)
{
	struct buf b;
	int up;

	up = db_ping() == 0;
	buf_init(&b);
	buf_printf(&b, "{\"status\":\"%s\",\"db\":\"%s\"}\n",
	    up ? "ok" : "degraded", up ? "ok" : "down");
	request_json(req, up ? 200 : 503, &b);
	buf_free(&b);
	req->personal = 1;
	if (!up)
		request_set_header(req, "Retry-After", "5");
	return up ? 200 : 503;
}
