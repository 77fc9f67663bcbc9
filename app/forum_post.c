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
#include "mention.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "route.h"
#include "setting.h"
#include "tmpl.h"


static const struct db_stmt stmts[] = {
	/* Counted up to $2: a prolific author's posts are not all read. */
	{ "forum_published_count", "SELECT count(*) AS n FROM (SELECT 1 "
	    "FROM posts WHERE author_id = $1 AND state = 'published' "
	    "LIMIT $2) p" },
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
	/* A reply, who hears of it and the writer's read mark, in one
	 * statement committed as it ends (migration 0035). */
	{ "forum_reply_insert", "SELECT id, seq FROM magnet_forum_reply($1, $2, "
	    "$3, $4, $5, $6, $7, $8)" },
	{ "forum_edit",
	    "WITH old AS (SELECT id, body_md FROM posts WHERE id = $1 "
	    "AND state <> 'deleted' FOR UPDATE), "
	    "r AS (INSERT INTO post_revisions (post_id, body_md, edited_by) "
	    "SELECT id, body_md, $2 FROM old) "
	    "UPDATE posts SET body_md = $3, body_html = $4, edited_at = now(), "
	    "search = to_tsvector('simple', magnet_fold($3)) "
	    "WHERE id = (SELECT id FROM old) RETURNING thread_id, seq, "
	    "state = 'published' AS published" },
	/* Who a post names (mention.c), and who hears of a published post
	 * (migration 0028). */
	{ "forum_mention_users", "SELECT id, username_key AS key FROM users "
	    "WHERE username_key = ANY (string_to_array($1, ' ')) "
	    "AND deleted_at IS NULL" },
	{ "forum_mentions_save", "INSERT INTO post_mentions (post_id, user_id) "
	    "SELECT $1, unnest(string_to_array($2, ' ')::bigint[]) "
	    "ON CONFLICT DO NOTHING" },
	{ "forum_notify", "SELECT magnet_forum_notify($1, $2) AS n" },
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

/* A post being written: new thread, reply and edit share the form. */
struct draft {
	const char	*action;	/* where the form posts */
	const char	*heading;
	int		 with_title;	/* a thread's first post */
	const char	*title;
	const char	*body;
	const char	*html;		/* body, rendered and sanitised */
	const char	*mentioned;	/* ids of the people it names */
	int		 reply;		/* a reply: heading and thread read
					   only if the form comes back */
};

static int	reply_thread(struct request *, struct draft *, int *);

/*
 * The people d->html names with @name (at most MENTION_MAX): their ids
 * in d->mentioned, and their names made links in d->html.  A name
 * without an account stays text.  -1 when the database failed.
 */
static int
draft_mentions(struct request *req, struct draft *d)
{
	struct mention m[MENTION_MAX];
	struct buf keys, ids, html;
	PGresult *r;
	int n, i, j;

	d->mentioned = "";
	if ((n = mention_scan(d->html, m, MENTION_MAX)) == 0)
		return 0;
	buf_init(&keys);
	for (i = 0; i < n; i++)
		buf_printf(&keys, "%s%s", i ? " " : "", m[i].key);
	r = DB_Q(req, "forum_mention_users", arena_buf(req->arena, &keys));
	buf_free(&keys);
	if (r == NULL)
		return -1;
	buf_init(&ids);
	for (j = 0; j < PQntuples(r); j++) {
		for (i = 0; i < n; i++)
			if (strcmp(m[i].key, db_get(r, j, "key")) == 0)
				m[i].id = db_get_ll(r, j, "id");
		buf_printf(&ids, "%s%s", j ? " " : "", db_get(r, j, "id"));
	}
	d->mentioned = arena_buf(req->arena, &ids);
	buf_free(&ids);
	buf_init(&html);
	mention_link(d->html, m, n, &html);
	d->html = arena_buf(req->arena, &html);
	buf_free(&html);
	return 0;
}

/* After a post is saved, in the same transaction: who it names, and
 * when it is published, who hears of it (magnet_forum_notify). */
static int
post_saved(struct request *req, const struct draft *d, const char *pid,
    int published, int edit)
{
	if (*d->mentioned != '\0' && DB_RUN("forum_mentions_save", pid,
	    d->mentioned) == -1)
		return -1;
	if (published && DB_Q(req, "forum_notify", pid, edit ? "true" :
	    "false") == NULL)
		return -1;
	return 0;
}

/* The compose form with the draft, its preview or its problem. */
static int
compose(struct request *req, int status, const struct draft *d,
    int preview, const char *problem)
{
	struct tmpl_vars v;
	struct draft h;
	const char *idem;

	if (d->reply && d->heading == NULL) {
		h = *d;
		if (reply_thread(req, &h, &status))
			return status;
		d = &h;
	}
	tmpl_init(&v, req->arena);
	idem = param_str(req, "idem");
	tmpl_set(&v, "action", d->action);
	tmpl_set(&v, "heading", d->heading);
	tmpl_set_bool(&v, "with_title", d->with_title);
	tmpl_set(&v, "title", d->title);
	tmpl_set(&v, "body", d->body);
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "title_err", param_err(req, "title"));
	tmpl_set(&v, "body_err", param_err(req, "body"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	/* Just rendered by the markdown pipeline, sanitised. */
	tmpl_set_raw(&v, "preview", preview ? d->html : NULL);
	if (param_present(req, "quote"))
		tmpl_set_int(&v, req->arena, "quote", param_int(req, "quote"));
	tmpl_set_int(&v, req->arena, "body_max", FORUM_BODY_MAX);
	req->personal = 1;
	return page_render(req, status, d->heading, "compose", &v);
}

/*
 * The posted form as a draft: its body rendered, then the form again
 * when a field is wrong (422) or a preview was asked for.  0 to go on,
 * else 1 with *status the answer made.
 */
static int
draft_read(struct request *req, struct draft *d, int *status)
{
	d->title = param_str(req, "title");
	d->body = param_str(req, "body");
	d->html = NULL;
	if (d->with_title && *d->title == '\0' &&
	    param_err(req, "title") == NULL)
		param_set_err(req, "title", N_("This field is required."));
	if (param_err(req, "body") == NULL &&
	    param_markdown(req, "body", d->body, &d->html) == 0 &&
	    d->html != NULL && draft_mentions(req, d) == -1) {
		*status = page_unavailable(req);
		return 1;
	}
	if (req->nerrors > 0)
		*status = compose(req, 422, d, 0,
		    N_("Please correct the marked fields."));
	else if (param_present(req, "preview") && *param_str(req, "preview"))
		*status = compose(req, 200, d, 1, NULL);
	else
		return 0;
	return 1;
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
	long long published, interval, holds;
	PGresult *r;

	*state = "published";
	if (request_is_mod(req))
		return 1;
	/* Counted only as far as the two comparisons below need. */
	holds = setting_get(SET_NEW_USER_HOLDS);
	if ((r = DB_Q(req, "forum_published_count", request_uid(req),
	    request_num(req, holds > FORUM_NEW_POSTS ? holds :
	    FORUM_NEW_POSTS))) == NULL)
		return -1;
	published = db_get_ll(r, 0, "n");
	if (published < holds)
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
	if ((r = DB_Q(req, "forum_idem_find", request_uid(req),
	    idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1)
		return 0;
	*status = request_redirect(req, forum_link(req, db_get(r, 0,
	    "thread_id"), db_get_ll(r, 0, "seq"), db_get(r, 0, "id")));
	return 1;
}

/*
 * A new thread or reply about to be saved: a user posting too fast gets
 * the form back (429), unless it is a resubmitted form whose post is
 * made.  0 to save it with *state ("published" or "held"), else 1 with
 * *status.  A resubmitted form allowed to post is not looked for here:
 * saving it fails on its key (posts' UNIQUE (author_id, idem_key)), and
 * the caller finds the post then, so a post costs no extra statement.
 */
static int
draft_may_post(struct request *req, const struct draft *d,
    const char **state, int *status)
{
	int rc;

	if ((rc = posting_policy(req, state)) == 1)
		return 0;
	if (rc == 0 && idem_redirect(req, param_str(req, "idem"), status))
		return 1;
	*status = rc == -1 ? page_unavailable(req) : compose(req, 429, d, 0,
	    TOO_FAST);
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

/* The draft of a new thread on the URL's board; 0, or 1 with *status
 * when there is no such board. */
static int
new_draft(struct request *req, struct draft *d, int *status)
{
	memset(d, 0, sizeof(*d));
	if ((d->heading = new_heading(req, status)) == NULL)
		return 1;
	d->action = arena_printf(req->arena, "/b/%s/new", req->slug);
	d->with_title = 1;
	d->title = d->body = "";
	return 0;
}

int
forum_new_form(struct request *req)
{
	struct draft d;
	int status;

	if (new_draft(req, &d, &status))
		return status;
	return compose(req, 200, &d, 0, NULL);
}

int
forum_new(struct request *req)
{
	struct draft d;
	const char *state, *idem = param_str(req, "idem");
	PGresult *r;
	int status;

	if (new_draft(req, &d, &status) || draft_read(req, &d, &status) ||
	    draft_may_post(req, &d, &state, &status))
		return status;
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "forum_thread_insert", req->slug, request_uid(req),
	    d.title, d.body, d.html, *idem ? idem : NULL, state)) == NULL) {
		db_rollback();
		/* A resubmitted form, or a double submit racing us, fails
		 * on the key; find its post. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1 || post_saved(req, &d, db_get(r, 0, "id"),
	    strcmp(state, "published") == 0, 0) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	log_info("thread %s by user=%lld", db_get(r, 0, "thread_id"),
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena, "/t/%s",
	    db_get(r, 0, "thread_id")));
}

/* The URL's thread, when it is open to replies: 0 with d->heading set,
 * or 1 with *status (404, 403, 503). */
static int
reply_thread(struct request *req, struct draft *d, int *status)
{
	PGresult *t;

	if ((t = DB_Q(req, "forum_thread_get", request_id(req),
	    i18n_langs[req->lang].tag)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(t) != 1 ||
	    strcmp(db_get(t, 0, "state"), "published") != 0) {
		*status = page_error(req, 404, N_("This thread does not exist "
		    "or is no longer available."));
		return 1;
	}
	if (db_get_bool(t, 0, "locked")) {
		*status = page_error(req, 403, N_("This thread is locked: no "
		    "new replies can be added."));
		return 1;
	}
	d->heading = arena_printf(req->arena, T(req, "Reply to %s"),
	    i18n_isolate(req->arena, db_get(t, 0, "title")));
	return 0;
}

/* An empty reply to the URL's thread; its thread is read when the form
 * is shown (reply_thread). */
static void
reply_form(struct request *req, struct draft *d)
{
	memset(d, 0, sizeof(*d));
	d->reply = 1;
	d->action = arena_printf(req->arena, "/t/%lld/reply", req->id);
	d->body = "";
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
	s = arena_buf(req->arena, &q);
	buf_free(&q);
	return s;
}

int
forum_reply_form(struct request *req)
{
	struct draft d;
	PGresult *p;
	int status;

	reply_form(req, &d);
	if (reply_thread(req, &d, &status))
		return status;
	if (param_present(req, "quote")) {
		if ((p = DB_Q(req, "forum_post_get", request_num(req,
		    param_int(req, "quote")))) == NULL)
			return page_unavailable(req);
		if (PQntuples(p) == 1 &&
		    db_get_ll(p, 0, "thread_id") == req->id &&
		    strcmp(db_get(p, 0, "state"), "published") == 0)
			d.body = quote_md(req, p);
	}
	return compose(req, 200, &d, 0, NULL);
}

int
forum_reply(struct request *req)
{
	struct draft d;
	const char *state, *quote = NULL, *idem = param_str(req, "idem");
	PGresult *r;
	int status;

	/* The thread is read only if the form comes back: the reply's own
	 * statement finds it open (migration 0036). */
	reply_form(req, &d);
	if (draft_read(req, &d, &status) ||
	    draft_may_post(req, &d, &state, &status))
		return status;
	if (param_present(req, "quote") && param_err(req, "quote") == NULL)
		quote = request_num(req, param_int(req, "quote"));
	r = DB_Q(req, "forum_reply_insert", request_id(req), request_uid(req),
	    d.body, d.html, quote, *idem ? idem : NULL, state, d.mentioned);
	/* A resubmitted form, or a double submit racing us, fails on
	 * the key; find its post. */
	if (r == NULL && idem_redirect(req, idem, &status))
		return status;
	if (r == NULL || PQntuples(r) != 1) {
		/* Gone or locked: what its page says (404, 403). */
		if (reply_thread(req, &d, &status))
			return status;
		if (r == NULL)
			return page_unavailable(req);
		/* Open again by now: it was closed as the reply was saved. */
		return compose(req, 409, &d, 0, N_("This thread was locked or "
		    "removed while you were writing; your reply was not "
		    "posted. Your text is kept below."));
	}
	return request_redirect(req, forum_link(req, request_id(req),
	    db_get_ll(r, 0, "seq"), db_get(r, 0, "id")));
}

/* Load a post the user may change: its forum_post_get row, or NULL
 * with *status set. */
static PGresult *
own_post(struct request *req, int *status)
{
	PGresult *p;

	if ((p = DB_Q(req, "forum_post_get", request_id(req))) == NULL) {
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
	if (db_get_ll(p, 0, "author_id") != req->user->id &&
	    !request_is_mod(req)) {
		log_warnx("refused change of post %lld by user=%lld", req->id,
		    req->user->id);
		*status = page_error(req, 403, N_("You can only change your "
		    "own posts."));
		return NULL;
	}
	return p;
}

/* The draft of an edit of the post p. */
static void
edit_draft(struct request *req, const PGresult *p, struct draft *d)
{
	memset(d, 0, sizeof(*d));
	d->action = arena_printf(req->arena, "/p/%lld/edit", req->id);
	d->heading = T(req, "Edit post");
	d->with_title = db_get_ll(p, 0, "seq") == 1;
	d->title = db_get(p, 0, "title");
	d->body = db_get(p, 0, "body_md");
}

int
forum_edit_form(struct request *req)
{
	struct draft d;
	PGresult *p;
	int status;

	if ((p = own_post(req, &status)) == NULL)
		return status;
	edit_draft(req, p, &d);
	return compose(req, 200, &d, 0, NULL);
}

int
forum_edit(struct request *req)
{
	struct draft d;
	const char *tid;
	PGresult *p, *r;
	int status;

	if ((p = own_post(req, &status)) == NULL)
		return status;
	edit_draft(req, p, &d);
	if (draft_read(req, &d, &status))
		return status;
	tid = db_get(p, 0, "thread_id");
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "forum_edit", request_id(req),
	    request_uid(req), d.body, d.html)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return page_error(req, 404, N_("This post does not exist."));
	}
	if (d.with_title && DB_RUN("forum_edit_title", tid, d.title) == -1)
		goto fail;
	/* A name added by the edit is told now (if the post is public);
	 * one already named was told before. */
	if (post_saved(req, &d, request_id(req), db_get_bool(r, 0,
	    "published"), 1) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, forum_link(req, tid,
	    db_get_ll(r, 0, "seq"), request_id(req)));
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
	if ((r = DB_Q(req, "forum_delete", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("This post does not exist."));
	return request_redirect(req, forum_link(req, db_get(r, 0, "thread_id"),
	    db_get_ll(r, 0, "seq"), request_id(req)));
}
