/*
 * The home page shows every board with its latest activity; /healthz
 * tells a load balancer whether this node can reach the database.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "event.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "page.h"
#include "request.h"
#include "site.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "site_boards",
	    "SELECT b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    "b.thread_count AS threads, b.post_count AS posts, "
	    "t.id AS last_id, t.title AS last_title, "
	    "magnet_time(b.last_post_at) AS last_post "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $1 LEFT JOIN threads t ON t.id = b.last_thread_id "
	    "AND t.state = 'published' ORDER BY b.position, b.id" },
};

void
site_init(void)
{
	DB_REGISTER(stmts);
}

int
site_home(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "site_boards", i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "boards", r, NULL, NULL);
	/* The latest published vacancies (jobs.c), {{>jobs_latest}}. */
	if (jobs_latest(req, &v, 5) == -1)
		return page_unavailable(req);
	/* Coming events (event.c); the page stands without them. */
	if (events_for_board(req, &v, NULL, 1) == -1)
		log_warnx("home: coming events not shown");
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
