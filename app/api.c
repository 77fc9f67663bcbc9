/*
 * JSON for other programs: the forum's boards and threads, the job
 * board's live vacancies.  Nothing held, hidden, rejected, expired or
 * deleted is ever in it, whoever asks: the API shows what a visitor may
 * see.  JSON is written here with html_json, reading columns by name.
 */
#include <string.h>

#include "api.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "forum.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "page.h"
#include "place.h"
#include "request.h"

/* The filters of /jobs, each checked: a wrong one is a 400. */
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
	/* One live vacancy; a list's are jobs_public_rows'. */
	{ "api_job", "SELECT " JOBS_VAC_COLS "FROM vacancies v "
	    "JOIN enterprises e ON e.id = v.enterprise_id WHERE v.id = $1 "
	    "AND v.state = 'published' AND v.deadline >= magnet_today()" },
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

/* "k":"v", */
static void
key(struct buf *b, const char *k, const char *v)
{
	html_json(b, k);
	buf_putc(b, ':');
	html_json(b, v);
	buf_putc(b, ',');
}

/* A number column's value, "null" for SQL NULL. */
static const char *
num_or_null(const PGresult *r, int i, const char *k)
{
	const char *s = db_get(r, i, k);

	return *s != '\0' ? s : "null";
}

/* The answer b, freed; a 200 may be cached. */
static int
json(struct request *req, int status, struct buf *b)
{
	request_json(req, status, b);
	buf_free(b);
	if (status == 200)
		req->cache_public = 1;
	return status;
}

/* {"error":msg} */
static int
json_error(struct request *req, int status, const char *msg)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "{\"error\":");
	html_json(&b, msg);
	buf_puts(&b, "}\n");
	return json(req, status, &b);
}

/* /api/v1/boards: every board with its counts. */
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

/* /api/v1/threads/{id}: a published thread, FORUM_PAGE posts a page. */
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
	if (PQntuples(t) != 1)
		return json_error(req, 404, "not found");
	if ((r = DB_Q(req, "api_posts", id, arena_printf(req->arena, "%lld",
	    (page - 1) * FORUM_PAGE + 1), arena_printf(req->arena, "%lld",
	    page * FORUM_PAGE))) == NULL)
		return page_unavailable(req);
	buf_init(&b);
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

/* A vacancy of JOBS_VAC_COLS; full: with its description. */
static void
vacancy(struct request *req, struct buf *b, const PGresult *r, int i,
    int full)
{
	const char *arr, *p, *e;
	int first = 1;

	buf_printf(b, "{\"id\":%lld,", db_get_ll(r, i, "id"));
	key(b, "url", arena_printf(req->arena, "%s/jobs/%s",
	    conf_active()->base_url, db_get(r, i, "id")));
	key(b, "kind", db_get(r, i, "kind_key"));
	key(b, "title", db_get(r, i, "title"));
	buf_printf(b, "\"enterprise\":{\"id\":%lld,",
	    db_get_ll(r, i, "ent_id"));
	key(b, "name", db_get(r, i, "enterprise"));
	buf_printf(b, "\"verified\":%s},", db_get_bool(r, i, "verified") ?
	    "true" : "false");
	key(b, "governorate", db_get(r, i, "gov_key"));
	key(b, "city", db_get(r, i, "city"));
	key(b, "sector", db_get(r, i, "sector_key"));
	key(b, "contract", db_get(r, i, "contract_key"));
	buf_printf(b, "\"positions\":%lld,\"languages\":[",
	    db_get_ll(r, i, "positions"));
	/* Keys from the fixed list: letters only, no quoting needed in
	 * PostgreSQL's array text. */
	arr = db_get(r, i, "langs");
	for (p = *arr == '{' ? arr + 1 : arr; *p != '\0' && *p != '}'; ) {
		e = p + strcspn(p, ",}");
		if (!first)
			buf_putc(b, ',');
		html_json(b, arena_strndup(req->arena, p, (size_t)(e - p)));
		first = 0;
		p = *e == ',' ? e + 1 : e;
	}
	buf_puts(b, "],");
	key(b, "skills", db_get(r, i, "skills"));
	if (*db_get(r, i, "salary_min") == '\0' &&
	    *db_get(r, i, "salary_max") == '\0')
		buf_puts(b, "\"salary\":null,");
	else
		buf_printf(b, "\"salary\":{\"currency\":\"IQD\",\"period\":"
		    "\"month\",\"min\":%s,\"max\":%s},",
		    num_or_null(r, i, "salary_min"),
		    num_or_null(r, i, "salary_max"));
	key(b, "deadline", db_get(r, i, "deadline"));
	if (full)
		key(b, "description_html", db_get(r, i, "description_html"));
	html_json(b, "published_at");
	buf_putc(b, ':');
	html_json(b, db_get(r, i, "published_iso"));
	buf_putc(b, '}');
}

/* /api/v1/jobs: the live vacancies with /jobs's filters, newest first,
 * JOBS_API_SIZE a page, and the next page's link. */
int
api_jobs(struct request *req)
{
	struct jobs_filters f;
	const char *fq;
	struct buf b;
	PGresult *r;
	int i, n, shown;

	if (jobs_read_filters(req, &f) == -1)
		return json_error(req, 400, "after: not a valid cursor");
	if (param_err(req, "governorate"))
		return json_error(req, 400, "governorate: unknown value");
	if (param_err(req, "sector"))
		return json_error(req, 400, "sector: unknown value");
	if (param_err(req, "kind"))
		return json_error(req, 400, "kind: unknown value");
	if (param_err(req, "contract"))
		return json_error(req, 400, "contract: unknown value");
	if (param_err(req, "q"))
		return json_error(req, 400, "q: too long or not valid UTF-8");
	if ((r = jobs_public_rows(req, &f, JOBS_API_SIZE + 1)) == NULL)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > JOBS_API_SIZE ? JOBS_API_SIZE : n;
	buf_init(&b);
	buf_puts(&b, "{\"jobs\":[");
	for (i = 0; i < shown; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		vacancy(req, &b, r, i, 0);
	}
	buf_puts(&b, "],\"next\":");
	if (n > JOBS_API_SIZE) {
		fq = jobs_filter_query(req, &f);
		html_json(&b, arena_printf(req->arena, "/api/v1/jobs?%s%s"
		    "after=%s.%s", fq, *fq ? "&" : "",
		    db_get(r, shown - 1, "cursor"),
		    db_get(r, shown - 1, "id")));
	} else
		buf_puts(&b, "null");
	buf_puts(&b, "}\n");
	return json(req, 200, &b);
}

/* /api/v1/jobs/{id}: one live vacancy, with its description. */
int
api_job(struct request *req)
{
	struct buf b;
	PGresult *r;

	if ((r = DB_Q(req, "api_job", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return json_error(req, 404, "not found");
	buf_init(&b);
	vacancy(req, &b, r, 0, 1);
	buf_putc(&b, '\n');
	return json(req, 200, &b);
}
