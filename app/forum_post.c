/*
 * Writing in the forum: new threads, replies (with quotes), edits with
 * revisions, and soft deletion, all through one compose form.  Every
 * write is one statement or one transaction, acknowledged only after it
 * commits, and a form's idempotency key makes a resubmitted form find
 * the post it made.  A new account's first posts may wait for a
 * counsellor, and every account waits a while between posts.
 */
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "forum.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "setting.h"
#include "tmpl.h"

#define TITLE_MIN	3
#define TITLE_MAX	200

const struct param forum_new_params[] = {
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_reply_form_params[] = {
	{ "quote", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_reply_params[] = {
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "quote", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param forum_edit_params[] = {
	{ "title", P_LINE, P_FORM, TITLE_MIN, TITLE_MAX, 0, NULL },
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct db_stmt stmts[] = {
	{ "forum_published_count", "SELECT count(*) AS n FROM posts "
	    "WHERE author_id = $1 AND state = 'published'" },
	{ "forum_idem_find", "SELECT thread_id, id, seq FROM posts "
	    "WHERE author_id = $1 AND idem_key = $2" },
	{ "forum_rate", "UPDATE users SET last_post_at = now() WHERE id = $1 "
	    "AND (last_post_at IS NULL OR last_post_at <= now() - "
	    "make_interval(secs => $2::int)) RETURNING 1" },
	/* Refused: the seconds left to wait, at least 1. */
	{ "forum_wait", "SELECT greatest(1, ceil(extract(epoch FROM "
	    "last_post_at + make_interval(secs => $2::int) - now())))::int "
	    "AS wait FROM users WHERE id = $1" },
	{ "forum_thread_insert",
	    "WITH b AS (SELECT id FROM boards WHERE slug = $1), "
	    "t AS (INSERT INTO threads (board_id, author_id, title, "
	    "post_count, last_author_id, state, search) SELECT b.id, $2, $3, 1, "
	    "$2, $7, to_tsvector('simple', magnet_fold($3)) FROM b "
	    "RETURNING id, board_id), "
	    "p AS (INSERT INTO posts (thread_id, seq, author_id, body_md, "
	    "body_html, idem_key, state, search) SELECT t.id, 1, $2, $4, $5, "
	    "$6, $7, to_tsvector('simple', magnet_fold($4)) FROM t "
	    "RETURNING id, thread_id), "
	    "u AS (UPDATE boards SET thread_count = thread_count + 1, "
	    "post_count = post_count + 1, last_post_at = now(), "
	    "last_thread_id = (SELECT id FROM t) "
	    "WHERE id = (SELECT board_id FROM t) AND $7 = 'published') "
	    "SELECT thread_id, id FROM p" },
	{ "forum_reply_insert",
	    "WITH t AS (UPDATE threads SET post_count = post_count + 1, "
	    "reply_count = reply_count + ($7 = 'published')::int, "
	    "last_post_at = CASE WHEN $7 = 'published' THEN now() "
	    "ELSE last_post_at END, last_author_id = CASE WHEN "
	    "$7 = 'published' THEN $2 ELSE last_author_id END "
	    "WHERE id = $1 AND state = 'published' AND NOT locked "
	    "RETURNING id, board_id, post_count, author_id, title), "
	    "q AS (SELECT id, author_id FROM posts WHERE id = $5::bigint "
	    "AND thread_id = $1 AND state = 'published'), "
	    "p AS (INSERT INTO posts (thread_id, seq, author_id, body_md, "
	    "body_html, quote_of, idem_key, state, search) SELECT t.id, "
	    "t.post_count, $2, $3, $4, (SELECT id FROM q), $6, $7, "
	    "to_tsvector('simple', magnet_fold($3)) FROM t RETURNING id, seq), "
	    "b AS (UPDATE boards SET post_count = post_count + 1, "
	    "last_post_at = now(), last_thread_id = $1 "
	    "WHERE id = (SELECT board_id FROM t) AND $7 = 'published'), "
	    "n1 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT t.author_id, 'reply', "
	    "$2, t.id, p.id, t.title, '/p/' || p.id "
	    "FROM t, p WHERE t.author_id <> $2 AND $7 = 'published' "
	    "AND t.author_id NOT IN (SELECT author_id FROM q)), "
	    "n2 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT q.author_id, 'quote', "
	    "$2, $1, p.id, t.title, '/p/' || p.id "
	    "FROM q, p, t WHERE q.author_id <> $2 AND $7 = 'published') "
	    "SELECT id, seq FROM p" },
	{ "forum_edit",
	    "WITH old AS (SELECT id, body_md FROM posts WHERE id = $1 "
	    "AND state <> 'deleted' FOR UPDATE), "
	    "r AS (INSERT INTO post_revisions (post_id, body_md, edited_by) "
	    "SELECT id, body_md, $2 FROM old) "
	    "UPDATE posts SET body_md = $3, body_html = $4, edited_at = now(), "
	    "search = to_tsvector('simple', magnet_fold($3)) "
	    "WHERE id = (SELECT id FROM old) RETURNING thread_id, seq" },
	{ "forum_edit_title", "UPDATE threads SET title = $2, "
	    "search = to_tsvector('simple', magnet_fold($2)) WHERE id = $1" },
	{ "forum_delete", "UPDATE posts SET state = 'deleted' "
	    "WHERE id = $1 AND state <> 'deleted' RETURNING thread_id, seq" },
};

void
forum_post_init(void)
{
	DB_REGISTER(stmts);
}

/* The compose form: new thread, reply and edit share it. */
static int
compose(struct request *req, int status, const char *action,
    const char *heading, int with_title, const char *title, const char *body,
    const char *preview, const char *problem)
{
	struct tmpl_vars v;
	const char *idem;

	tmpl_init(&v, req->arena);
	idem = param_str(req, "idem");
	tmpl_set(&v, "action", action);
	tmpl_set(&v, "heading", heading);
	tmpl_set_bool(&v, "with_title", with_title);
	tmpl_set(&v, "title", title);
	tmpl_set(&v, "body", body);
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "title_err", param_err(req, "title"));
	tmpl_set(&v, "body_err", param_err(req, "body"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	/* Just rendered by the markdown pipeline, sanitised. */
	tmpl_set_raw(&v, "preview", preview);
	if (param_present(req, "quote"))
		tmpl_set_int(&v, req->arena, "quote", param_int(req, "quote"));
	tmpl_set_int(&v, req->arena, "body_max", FORUM_BODY_MAX);
	req->personal = 1;
	return page_render(req, status, heading, "compose", &v);
}

/*
 * How a post by this user starts, and whether it may be made now.  The
 * first posts of a new account (the new_user_holds setting) wait for a
 * counsellor; an account is new until it has FORUM_NEW_POSTS published
 * posts and waits longer between posts meanwhile.  Counsellors are
 * exempt from both.  1 allowed, 0 too soon (with Retry-After set),
 * -1 database down.
 */
static int
posting_policy(struct request *req, const char **state)
{
	long long published, interval;
	PGresult *r;

	*state = "published";
	if (request_is_mod(req))
		return 1;
	if ((r = DB_Q(req, "forum_published_count", request_uid(req))) == NULL)
		return -1;
	published = db_get_ll(r, 0, "n");
	if (published < setting_get(SET_NEW_USER_HOLDS))
		*state = "held";
	interval = conf_active()->post_interval;
	if (published < FORUM_NEW_POSTS &&
	    setting_get(SET_NEW_USER_POST_INTERVAL) > interval)
		interval = setting_get(SET_NEW_USER_POST_INTERVAL);
	if (interval == 0)
		return 1;
	if ((r = DB_Q(req, "forum_rate", request_uid(req), request_num(req,
	    interval))) == NULL)
		return -1;
	if (PQntuples(r) == 1)
		return 1;
	req->wait = interval;
	if ((r = DB_Q(req, "forum_wait", request_uid(req), request_num(req,
	    interval))) != NULL && PQntuples(r) == 1)
		req->wait = db_get_ll(r, 0, "wait");
	request_set_header(req, "Retry-After", request_num(req, req->wait));
	return 0;
}

/* Refused for speed: the form again, with the text and the real wait
 * (a new account's is longer), as a 429. */
#define TOO_FAST too_fast(req)
static const char *
too_fast(struct request *req)
{
	return arena_printf(req->arena, T(req, "You are posting too quickly. "
	    "Please wait %s seconds and send the form again; your text is "
	    "still in it."), i18n_num(req->arena, req->lang, req->wait));
}

/* A resubmitted form: the post it made, as a redirect; 0 if none. */
static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_Q(req, "forum_idem_find", request_uid(req), idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1)
		return 0;
	*status = request_redirect(req, forum_link(req, db_get(r, 0,
	    "thread_id"), db_get_ll(r, 0, "seq"), db_get(r, 0, "id")));
	return 1;
}

/* "New thread in <board>" for the board of the URL; NULL with *status
 * set when there is none. */
static const char *
new_heading(struct request *req, int *status)
{
	PGresult *b;

	if ((b = DB_Q(req, "forum_board_get", req->slug,
	    i18n_langs[req->lang].tag)) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(b) != 1) {
		*status = page_error(req, 404, N_("There is no such board."));
		return NULL;
	}
	return arena_printf(req->arena, T(req, "New thread in %s"),
	    db_get(b, 0, "name"));
}

int
forum_new_form(struct request *req)
{
	const char *heading;
	int status;

	if ((heading = new_heading(req, &status)) == NULL)
		return status;
	return compose(req, 200, arena_printf(req->arena, "/b/%s/new",
	    req->slug), heading, 1, "", "", NULL, NULL);
}

int
forum_new(struct request *req)
{
	const char *title, *body, *html = NULL, *action, *heading, *idem;
	const char *state;
	PGresult *r;
	int rc, status;

	if ((heading = new_heading(req, &status)) == NULL)
		return status;
	action = arena_printf(req->arena, "/b/%s/new", req->slug);
	title = param_str(req, "title");
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, heading, 1, title, body, NULL,
		    N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, heading, 1, title, body, html,
		    NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = posting_policy(req, &state)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return compose(req, 429, action, heading, 1, title, body, NULL,
		    TOO_FAST);
	r = DB_Q(req, "forum_thread_insert", req->slug, request_uid(req), title,
	    body, html, *idem ? idem : NULL, state);
	if (r == NULL) {
		/* A double submit racing us wins the key; find its post. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	log_info("thread %s by user=%lld", db_get(r, 0, "thread_id"),
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/t/%s",
	    db_get(r, 0, "thread_id")));
}

/* "Reply to <title>" for a thread open to replies; NULL with *status
 * set when it is not. */
static const char *
reply_heading(struct request *req, int *status)
{
	PGresult *t;

	if ((t = DB_Q(req, "forum_thread_get", request_num(req, req->id),
	    i18n_langs[req->lang].tag)) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(t) != 1 ||
	    strcmp(db_get(t, 0, "state"), "published") != 0) {
		*status = page_error(req, 404, N_("This thread does not exist "
		    "or is no longer available."));
		return NULL;
	}
	if (db_get_bool(t, 0, "locked")) {
		*status = page_error(req, 403, N_("This thread is locked: no "
		    "new replies can be added."));
		return NULL;
	}
	return arena_printf(req->arena, T(req, "Reply to %s"),
	    i18n_isolate(req->arena, db_get(t, 0, "title")));
}

/*
 * A post of forum_post_get quoted in markdown: "> " before every line,
 * and who said it.  For a right-to-left reader a RIGHT-TO-LEFT MARK
 * comes first, or a Latin name would turn the whole box (dir=auto) and
 * the quoted paragraph left to right.
 */
static const char *
quote_md(struct request *req, const PGresult *p)
{
	struct buf q;
	const char *line, *nl, *s;

	buf_init(&q);
	buf_printf(&q, "> %s**%s** ", strcmp(i18n_langs[req->lang].dir,
	    "rtl") == 0 ? "\xe2\x80\x8f" : "", db_get(p, 0, "username"));
	buf_puts(&q, T(req, "wrote:"));
	buf_puts(&q, "\n>\n");
	for (line = db_get(p, 0, "body_md"); *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		buf_puts(&q, "> ");
		buf_append(&q, line, (size_t)(nl - line));
		buf_putc(&q, '\n');
		if (*nl == '\n')
			nl++;
	}
	buf_putc(&q, '\n');
	s = arena_strndup(req->arena, q.p, q.len);
	buf_free(&q);
	return s;
}

int
forum_reply_form(struct request *req)
{
	const char *body = "", *heading;
	PGresult *p;
	int status;

	if ((heading = reply_heading(req, &status)) == NULL)
		return status;
	if (param_present(req, "quote")) {
		if ((p = DB_Q(req, "forum_post_get", request_num(req,
		    param_int(req, "quote")))) == NULL)
			return page_unavailable(req);
		if (PQntuples(p) == 1 &&
		    db_get_ll(p, 0, "thread_id") == req->id &&
		    strcmp(db_get(p, 0, "state"), "published") == 0)
			body = quote_md(req, p);
	}
	return compose(req, 200, arena_printf(req->arena, "/t/%lld/reply",
	    req->id), heading, 0, NULL, body, NULL, NULL);
}

int
forum_reply(struct request *req)
{
	const char *body, *html = NULL, *heading, *action, *idem, *quote;
	const char *state;
	PGresult *r;
	int rc, status;

	if ((heading = reply_heading(req, &status)) == NULL)
		return status;
	action = arena_printf(req->arena, "/t/%lld/reply", req->id);
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	quote = param_present(req, "quote") && param_err(req, "quote") == NULL ?
	    request_num(req, param_int(req, "quote")) : NULL;
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, heading, 0, NULL, body, NULL,
		    N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, heading, 0, NULL, body, html,
		    NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = posting_policy(req, &state)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return compose(req, 429, action, heading, 0, NULL, body, NULL,
		    TOO_FAST);
	r = DB_Q(req, "forum_reply_insert", request_num(req, req->id), request_uid(req),
	    body, html, quote, *idem ? idem : NULL, state);
	if (r == NULL) {
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1)
		/* Locked or hidden between the form and the submit. */
		return compose(req, 409, action, heading, 0, NULL, body, NULL,
		    N_("This thread was locked or removed while you were "
		    "writing; your reply was not posted. Your text is kept "
		    "below."));
	return request_redirect(req, forum_link(req, request_num(req, req->id),
	    db_get_ll(r, 0, "seq"), db_get(r, 0, "id")));
}

/* Load a post the user may change: its forum_post_get row, or NULL
 * with *status set. */
static PGresult *
own_post(struct request *req, int *status)
{
	PGresult *p;

	if ((p = DB_Q(req, "forum_post_get", request_num(req, req->id))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(p) != 1 ||
	    strcmp(db_get(p, 0, "state"), "deleted") == 0 ||
	    (strcmp(db_get(p, 0, "thread_state"), "published") != 0 &&
	    !request_is_mod(req))) {
		*status = page_error(req, 404, N_("This post does not exist."));
		return NULL;
	}
	if (db_get_ll(p, 0, "author_id") != req->user->id && !request_is_mod(req)) {
		log_warnx("refused change of post %lld by user=%lld", req->id,
		    req->user->id);
		*status = page_error(req, 403, N_("You can only change your "
		    "own posts."));
		return NULL;
	}
	return p;
}

int
forum_edit_form(struct request *req)
{
	PGresult *p;
	int status;

	if ((p = own_post(req, &status)) == NULL)
		return status;
	return compose(req, 200, arena_printf(req->arena, "/p/%lld/edit",
	    req->id), T(req, "Edit post"), db_get_ll(p, 0, "seq") == 1,
	    db_get(p, 0, "title"), db_get(p, 0, "body_md"), NULL, NULL);
}

int
forum_edit(struct request *req)
{
	const char *title, *body, *html = NULL, *action, *tid;
	PGresult *p, *r;
	int status, first;

	if ((p = own_post(req, &status)) == NULL)
		return status;
	first = db_get_ll(p, 0, "seq") == 1;
	tid = db_get(p, 0, "thread_id");
	action = arena_printf(req->arena, "/p/%lld/edit", req->id);
	title = param_str(req, "title");
	body = param_str(req, "body");
	if (first && *title == '\0' && param_err(req, "title") == NULL)
		param_set_err(req, "title", N_("This field is required."));
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, action, T(req, "Edit post"), first,
		    title, body, NULL, N_("Please correct the marked fields."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, action, T(req, "Edit post"), first,
		    title, body, html, NULL);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "forum_edit", request_num(req, req->id), request_uid(req),
	    body, html)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return page_error(req, 404, N_("This post does not exist."));
	}
	if (first && DB_RUN("forum_edit_title", tid, title) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, forum_link(req, tid,
	    db_get_ll(r, 0, "seq"), request_num(req, req->id)));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
forum_delete_form(struct request *req)
{
	struct tmpl_vars v;
	PGresult *p;
	int status;

	if ((p = own_post(req, &status)) == NULL)
		return status;
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", arena_printf(req->arena, "/p/%lld/delete",
	    req->id));
	tmpl_set(&v, "back", arena_printf(req->arena, "/p/%lld", req->id));
	tmpl_set(&v, "question", T(req, "Delete this post? The thread stays "
	    "readable; your post will show as deleted."));
	tmpl_set(&v, "excerpt", arena_strndup(req->arena,
	    db_get(p, 0, "body_md"), 300));
	tmpl_set(&v, "button", T(req, "Delete the post"));
	req->personal = 1;
	return page_render(req, 200, T(req, "Delete post"), "confirm", &v);
}

int
forum_delete(struct request *req)
{
	PGresult *r;
	int status;

	if (own_post(req, &status) == NULL)
		return status;
	if ((r = DB_Q(req, "forum_delete", request_num(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("This post does not exist."));
	return request_redirect(req, forum_link(req, db_get(r, 0, "thread_id"),
	    db_get_ll(r, 0, "seq"), request_num(req, req->id)));
}
