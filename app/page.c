/*
 * The page around every handler's content: the layout with its language
 * switch, the widgets pages share, the error pages, and the stylesheet,
 * read once and served under a content-hashed name (gzipped once too).
 * Everything a page shows goes through tmpl.c and html.c, which escape.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "md.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "tmpl.h"

/* The stylesheet, read once and served under a content-hashed name. */
static struct {
	char	*data;
	size_t	 len;
	char	*gz;
	size_t	 gzlen;
	char	 path[64];	/* /static/magnet-<hash>.css */
} css;

/* Where a shared part goes in a page (page_join): a comment that no
 * escaped text can be, and no page can guess, made anew at each start. */
static char part_mark[48];
static size_t part_marklen;

int
page_init(const char *assets)
{
	unsigned char h[8];
	char path[1100], hex[17], chunk[4096];
	struct buf b;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/css/magnet.css", assets);
	if ((f = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	css.data = buf_release(&b, &css.len);
	crypto_generichash(h, sizeof(h), (unsigned char *)css.data, css.len,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(css.path, sizeof(css.path), "/static/magnet-%s.css", hex);
	if (buf_gzip(css.data, css.len, &css.gz, &css.gzlen) == -1)
		css.gz = NULL;
	randombytes_buf(h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	part_marklen = (size_t)snprintf(part_mark, sizeof(part_mark),
	    "<!--part %s-->", hex);
	return 0;
}

const char *
page_part_mark(void)
{
	return part_mark;
}

int
page_join(struct request *req, const struct gz_piece *part)
{
	struct gz_piece pc[3];
	struct buf out;
	char *m;

	if (part_marklen == 0 || (m = memmem(req->out.p, req->out.len,
	    part_mark, part_marklen)) == NULL) {
		log_warnx("page: no place for the shared part in %s",
		    req->path);
		return -1;
	}
	memset(pc, 0, sizeof(pc));
	pc[0].p = req->out.p;
	pc[0].len = (size_t)(m - req->out.p);
	pc[1] = *part;
	pc[2].p = m + part_marklen;
	pc[2].len = req->out.len - pc[0].len - part_marklen;
	buf_init(&out);
	if (part->z != NULL) {
		if (buf_gzip_join(&out, pc, 3, 1) == -1) {
			buf_free(&out);
			return -1;
		}
		req->gzipped = 1;
	} else {
		buf_append(&out, pc[0].p, pc[0].len);
		buf_append(&out, part->p, part->len);
		buf_append(&out, pc[2].p, pc[2].len);
	}
	buf_free(&req->out);
	req->out = out;
	return 0;
}

void
page_free(void)
{
	free(css.data);
	free(css.gz);
	memset(&css, 0, sizeof(css));
}

const char *
page_css_path(void)
{
	return css.path;
}

int
page_static(struct request *req)
{
	if (req->slug == NULL || strcmp(req->path, css.path) != 0)
		return page_error(req, 404, N_("Page not found"));
	buf_append(&req->out, css.data, css.len);
	req->content_type = "text/css; charset=utf-8";
	req->cache_forever = 1;
	return 200;
}

const char *
page_static_gz(const struct request *req, size_t *len)
{
	if (!req->cache_forever || css.gz == NULL ||
	    strcmp(req->path, css.path) != 0)
		return NULL;
	*len = css.gzlen;
	return css.gz;
}

int
page_csv(struct request *req, struct buf *rows, const char *filename)
{
	buf_reset(&req->out);
	buf_puts(&req->out, "\xef\xbb\xbf");
	buf_append(&req->out, rows->p, rows->len);
	buf_free(rows);
	req->content_type = "text/csv; charset=utf-8";
	req->personal = 1;
	request_set_header(req, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"%s\"", filename));
	return 200;
}

const char *
page_role_label(struct request *req, const char *role)
{
	if (strcmp(role, "returnee") == 0)
		return T(req, "Returnee");
	if (strcmp(role, "employer") == 0)
		return T(req, "Employer");
	if (strcmp(role, "admin") == 0)
		return T(req, "Administrator");
	if (strcmp(role, "partner") == 0)
		return T(req, "Partner office");
	return T(req, "Counsellor");
}

/*
 * This page's address, to come back to after the language changes: the
 * path and the query parameters the route declares, URL-encoded.  Only
 * those, since they are what the visitors' cache keys a page by
 * (cache_key): nothing else from the request may reach a cached page.
 */
static const char *
back_here(struct request *req)
{
	const struct param *p;
	const char *v;
	struct buf b;
	char sep = '?', *s;

	buf_init(&b);
	html_url_path(&b, req->path);
	for (p = req->route ? req->route->params : NULL; p != NULL &&
	    p->name != NULL; p++) {
		if (p->src != P_QUERY || (v = request_query(req, p->name)) ==
		    NULL)
			continue;
		buf_putc(&b, sep);
		sep = '&';
		buf_puts(&b, p->name);
		buf_putc(&b, '=');
		html_url_arg(&b, v);
	}
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/*
 * The language switch, no script needed.  A signed-in user gets a form
 * (it saves the account's language too); a visitor gets links to GET
 * /lang/{tag}, which only set the cookie: nothing per visitor in the
 * page, so that the visitors' cache gives every visitor the same bytes.
 * The tag in the path is in lower case, as a slug must be (BCP 47 tags
 * are not case-sensitive).
 */
static void
lang_switch(struct request *req, struct tmpl_vars *v)
{
	struct tmpl_vars *items;
	struct buf b;
	const char *next, *s;
	int i;

	next = back_here(req);
	if (!request_local_path(next))
		next = "/";
	items = arena_alloc(req->arena, LANG__MAX * sizeof(*items));
	for (i = 0; i < LANG__MAX; i++) {
		tmpl_init(&items[i], req->arena);
		tmpl_set(&items[i], "tag", i18n_langs[i].tag);
		tmpl_set(&items[i], "dir", i18n_langs[i].dir);
		tmpl_set(&items[i], "native", i18n_langs[i].native);
		tmpl_set_bool(&items[i], "current", (enum lang)i == req->lang);
		if (req->user != NULL)
			continue;
		buf_init(&b);
		buf_puts(&b, "/lang/");
		for (s = i18n_langs[i].tag; *s != '\0'; s++)
			buf_putc(&b, *s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' :
			    *s);
		buf_puts(&b, "?next=");
		html_url_arg(&b, next);
		tmpl_set(&items[i], "href", arena_buf(req->arena, &b));
		buf_free(&b);
	}
	tmpl_set_items(v, "langs", items, LANG__MAX);
	tmpl_set(v, "lang_next", next);
}

void
page_set_pager(struct request *req, struct tmpl_vars *v, const char *base,
    long long page, long long pages)
{
	struct tmpl_vars *items;
	size_t n = 0;
	long long i;

	tmpl_set_bool(v, "pager", pages > 1);
	if (pages <= 1)
		return;
	/* First, last, two either side of this one, a gap for the rest. */
	items = arena_alloc(req->arena, 9 * sizeof(*items));
	for (i = 1; i <= pages; i++) {
		if (i != 1 && i != pages && (i < page - 2 || i > page + 2)) {
			if (i == page - 3 || i == page + 3) {
				tmpl_init(&items[n], req->arena);
				tmpl_set_bool(&items[n++], "gap", 1);
			}
			continue;
		}
		tmpl_init(&items[n], req->arena);
		tmpl_set_int(&items[n], req->arena, "n", i);
		if (i == page)
			tmpl_set_bool(&items[n], "current", 1);
		else
			tmpl_set(&items[n], "href", arena_printf(req->arena,
			    "%spage=%lld", base, i));
		n++;
	}
	tmpl_set_items(v, "pager_links", items, n);
}

void
page_set_options(struct request *req, struct tmpl_vars *v, const char *name,
    const char *const *values, const char *const *labels, int labels_raw,
    const char *selected, const char *first)
{
	struct tmpl_vars *items;
	size_t i, n = 0, count;

	for (count = 0; values[count] != NULL; count++)
		;
	items = arena_alloc(req->arena, (count + 1) * sizeof(*items));
	if (first != NULL) {
		tmpl_init(&items[n], req->arena);
		tmpl_set(&items[n], "value", "");
		tmpl_set(&items[n++], "label", T(req, first));
	}
	for (i = 0; i < count; i++, n++) {
		tmpl_init(&items[n], req->arena);
		tmpl_set(&items[n], "value", values[i]);
		tmpl_set(&items[n], "label", labels_raw ? labels[i] :
		    T(req, labels[i]));
		tmpl_set_bool(&items[n], "selected", selected != NULL &&
		    strcmp(selected, values[i]) == 0);
	}
	tmpl_set_items(v, name, items, n);
}

static const struct db_stmt stmts[] = {
	{ "page_header_counts", "SELECT " PAGE_HEADER_COUNTS " FROM users u "
	    "WHERE u.id = $1" },
};

void
page_init_db(void)
{
	DB_REGISTER(stmts);
}

/* The header's counts of a user whose session came without them (a form
 * sent, auth.c), read once; none shown when the database is away. */
static void
header_counts(struct request *req)
{
	PGresult *r;

	if (req->user->counted || db_is_down())
		return;
	req->user->counted = 1;
	if ((r = DB_Q(req, "page_header_counts", request_uid(req))) == NULL ||
	    PQntuples(r) != 1)
		return;
	req->user->unread = db_get_ll(r, 0, "unread");
	req->user->queue = db_get_ll(r, 0, "queue");
	req->user->messages = db_get_ll(r, 0, "messages");
}

void
page_vars(struct request *req, struct tmpl_vars *v)
{
	tmpl_set(v, "csrf", req->csrf);
	tmpl_set(v, "lang", i18n_langs[req->lang].tag);
	tmpl_set(v, "dir", i18n_langs[req->lang].dir);
	tmpl_set(v, "css", css.path);
	if (req->user != NULL) {
		header_counts(req);
		tmpl_set(v, "me", req->user->name);
		tmpl_set(v, "me_role", role_names[req->user->role]);
		if (req->user->unread > 0)
			tmpl_set_int(v, req->arena, "unread",
			    req->user->unread);
		if (req->user->messages > 0)
			tmpl_set_int(v, req->arena, "msg_count",
			    req->user->messages);
		if (req->user->role >= ROLE_MODERATOR)
			tmpl_set(v, "is_mod", "1");
		if (req->user->queue > 0)
			tmpl_set_int(v, req->arena, "queue",
			    req->user->queue);
		if (req->user->role == ROLE_ADMIN)
			tmpl_set(v, "is_admin", "1");
		if (req->user->role == ROLE_EMPLOYER)
			tmpl_set(v, "is_employer", "1");
		if (req->user->role == ROLE_PARTNER)
			tmpl_set(v, "is_partner", "1");
	}
}

/*
 * A new account's welcome (issue 17), on every page until the account
 * saves its profile or enterprise or closes it: what to do first, what
 * it is for and who sees it, and where the account menu is.  Not on the
 * form it asks for, nor in the account menu, nor on an error page.
 */
static void
welcome(struct request *req, int status, struct tmpl_vars *v)
{
	const char *here;

	if (req->user == NULL || !req->user->welcome || status != 200 ||
	    strcmp(req->path, "/profile") == 0 ||
	    strcmp(req->path, "/account") == 0 ||
	    strcmp(req->path, "/enterprise") == 0)
		return;
	if (req->user->role == ROLE_RETURNEE)
		tmpl_set(v, "welcome_returnee", "1");
	else if (req->user->role == ROLE_EMPLOYER)
		tmpl_set(v, "welcome_employer", "1");
	else
		return;
	here = back_here(req);
	tmpl_set(v, "welcome", "1");
	tmpl_set(v, "here", request_local_path(here) ? here : "/");
}

/* The form's problems as the list "problems" (field, message: HTML made
 * by the escapers, the examples in <code>), for {{>problem_list}}. */
static void
problems(struct request *req, struct tmpl_vars *v)
{
	const struct param *p = req->route->params;
	struct tmpl_vars *items;
	size_t i, n = 0;

	items = arena_alloc(req->arena, PARAM_MAX * sizeof(*items));
	for (i = 0; i < PARAM_MAX && p[i].name != NULL; i++) {
		if (req->p[i].err == NULL)
			continue;
		tmpl_init(&items[n], req->arena);
		tmpl_set(&items[n], "field", p[i].name);
		tmpl_set_raw(&items[n++], "message", param_err_html(req,
		    p[i].name));
	}
	tmpl_set_items(v, "problems", items, n);
}

int
page_render(struct request *req, int status, const char *title,
    const char *name, struct tmpl_vars *vars)
{
	struct tmpl_vars lv;
	struct buf content;

	buf_init(&content);
	if (vars->arena == NULL)
		vars->arena = req->arena;
	page_vars(req, vars);
	if (tmpl_var(vars, "problem") != NULL && req->nerrors > 0) {
		problems(req, vars);
	}
	if (tmpl_render(&content, name, req->lang, vars) == -1) {
		buf_free(&content);
		return page_error(req, 500, N_("Something went wrong"));
	}
	tmpl_init(&lv, req->arena);
	page_vars(req, &lv);
	tmpl_set(&lv, "title", title);
	tmpl_set_raw(&lv, "content", content.p ? content.p : "");
	lang_switch(req, &lv);
	welcome(req, status, &lv);
	buf_reset(&req->out);
	tmpl_render(&req->out, "layout", req->lang, &lv);
	buf_free(&content);
	req->content_type = "text/html; charset=utf-8";
	return status;
}

int
page_error(struct request *req, int status, const char *msg)
{
	struct tmpl_vars v;
	const char *title;

	switch (status) {
	case 400: title = N_("Bad request"); break;
	case 403: title = N_("Forbidden"); break;
	case 404: title = N_("Page not found"); break;
	case 405: title = N_("Method not allowed"); break;
	case 413: title = N_("Request too large"); break;
	case 429: title = N_("Too many requests"); break;
	case 503: title = N_("Service unavailable"); break;
	default: title = N_("Something went wrong"); break;
	}
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "heading", T(req, title));
	tmpl_set(&v, "message", T(req, msg));
	tmpl_set_int(&v, req->arena, "status", status);
	if (status == 429 || status == 503) {
		request_set_header(req, "retry-after",
		    status == 503 ? "5" : "60");
		tmpl_set(&v, "retry", "1");
	}
	req->personal = 1;
	return page_render(req, status, T(req, title), "error", &v);
}

int
page_unavailable(struct request *req)
{
	/* A statement that failed on a live connection is our bug: 500.
	 * Either way the page says nothing of the SQL. */
	if (!db_is_down())
		return page_error(req, 500, N_("Something went wrong on our "
		    "side and it has been logged. Nothing you sent was saved; "
		    "please try again later."));
	return page_error(req, 503, N_("The service is unavailable for a "
	    "moment. Please try again in a few seconds; nothing you sent "
	    "was saved."));
}

/*
 * A search hit's snippet: ts_headline marks hits with \1 and \2; the
 * markdown marks go (a snippet is plain text), then escape, then mark.
 */
const char *
page_snippet(struct request *req, const char *md)
{
	struct buf b, plain;
	const char *s;

	buf_init(&plain);
	md_plain(&plain, md);
	s = arena_buf(req->arena, &plain);
	buf_free(&plain);
	buf_init(&b);
	html_marked(&b, s);
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}
