/*
 * Moderation: the queue and the decisions on posts and threads.
 * Counsellors have little time, so the queue shows what waits longest
 * first, with how long it has waited; a rejection always carries a
 * reason the author sees, and the author keeps the text.  Every action
 * is one transaction that also writes the audit log, and every
 * destructive one is confirmed on a page of its own (mod_confirm, which
 * the users' pages share).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "mod.h"
#include "jobs_mod.h"
#include "msg_mod.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

/*
 * Reasons a counsellor can pick, by the form's number.  A post keeps the
 * key (posts.mod_reason_key, migration 0021) and the author reads the
 * sentence in their own language; a note typed beside it is kept as
 * typed.
 */
static const struct {
	const char	*key;
	const char	*msgid;
} reason_templates[] = {
	{ "personal", N_("Personal information (a phone number, an "
	    "address) should not be posted publicly.") },
	{ "spam", N_("This is advertising or spam.") },
	{ "respect", N_("Please stay respectful: insults and threats are not "
	    "allowed.") },
	{ "offtopic", N_("This is not about return, work or life in the "
	    "Kurdistan Region.") },
	{ "misleading", N_("This may be misleading; please check it with a "
	    "counsellor.") },
	{ NULL, NULL }
};

#define NREASONS	(sizeof(reason_templates) / \
			    sizeof(reason_templates[0]) - 1)

const char *const mod_bulk_actions[] = { "approve", "reject", NULL };

static const struct db_stmt stmts[] = {
	{ "mod_held",
	    "SELECT p.id, p.thread_id AS tid, p.seq = 1 AS first, t.title, "
	    "u.username AS author, left(p.body_md, 600) AS excerpt, "
	    "extract(epoch FROM now() - p.created_at)::bigint AS waited_s, "
	    "u.id AS uid FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.state = 'held' "
	    "ORDER BY p.created_at LIMIT 100" },
	{ "mod_reports",
	    "SELECT r.target_kind = 'post' AS is_post, r.target_kind = "
	    "'vacancy' AS is_vacancy, r.target_id AS id, count(*) AS count, "
	    "extract(epoch FROM now() - min(r.created_at))::bigint "
	    "AS waited_s, string_agg(r.reason, ' | ' ORDER BY r.id) "
	    "AS reasons, coalesce(p.state, v.state, '') = 'hidden' AS hidden, "
	    "coalesce(left(p.body_md, 600), left(v.description_md, 600), '') "
	    "AS excerpt, coalesce(t.title, v.title, '') AS title "
	    "FROM reports r LEFT JOIN posts p ON r.target_kind = 'post' "
	    "AND p.id = r.target_id LEFT JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN vacancies v ON r.target_kind = 'vacancy' "
	    "AND v.id = r.target_id "
	    "WHERE r.resolved_at IS NULL AND r.target_kind IN ('post', "
	    "'vacancy') GROUP BY r.target_kind, r.target_id, p.state, "
	    "p.body_md, t.title, p.thread_id, v.state, v.description_md, "
	    "v.title ORDER BY min(r.created_at) LIMIT 100" },
	{ "mod_approve",
	    "WITH p AS (UPDATE posts SET state = 'published', moderated_at = "
	    "now(), moderated_by = $2, mod_reason = '', mod_reason_key = '' "
	    "WHERE id = $1 AND state IN ('held', 'rejected') "
	    "RETURNING id, thread_id, seq, "
	    "author_id, quote_of), "
	    "t AS (UPDATE threads t SET state = CASE WHEN p.seq = 1 THEN "
	    "'published' ELSE t.state END, reply_count = t.reply_count + "
	    "(p.seq > 1)::int, last_post_at = now(), last_author_id = "
	    "p.author_id FROM p WHERE t.id = p.thread_id "
	    "RETURNING t.id, t.board_id, t.author_id, t.title, p.seq = 1 AS "
	    "first), "
	    "b AS (UPDATE boards b SET thread_count = b.thread_count + "
	    "t.first::int, post_count = b.post_count + 1, last_post_at = now(), "
	    "last_thread_id = t.id FROM t WHERE b.id = t.board_id), "
	    "n3 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT p.author_id, 'approved', "
	    "$2, t.id, p.id, t.title, '/p/' || p.id FROM t, p), "
	    "r AS (UPDATE reports SET resolved_at = now(), resolved_by = $2 "
	    "WHERE target_kind = 'post' AND target_id = $1 AND resolved_at IS "
	    "NULL) SELECT p.id FROM p" },
	/* Who hears of an approved post (forum_post.c, migration 0028): its
	 * mentions, quote, watchers, the same as for a post published at
	 * once. */
	{ "mod_notify", "SELECT magnet_forum_notify($1, false) AS n" },
	{ "mod_reject",
	    "WITH p AS (UPDATE posts SET state = 'rejected', moderated_at = "
	    "now(), moderated_by = $2, mod_reason = $3, mod_reason_key = $4 "
	    "WHERE id = $1 AND state = 'held' "
	    "RETURNING id, thread_id, author_id) "
	    "INSERT INTO notifications (user_id, kind, actor_id, thread_id, "
	    "post_id, subject, link) SELECT p.author_id, 'rejected', $2, "
	    "p.thread_id, p.id, t.title, '/p/' || p.id FROM p JOIN threads t "
	    "ON t.id = p.thread_id RETURNING post_id" },
	{ "mod_hide",
	    "WITH p AS (UPDATE posts SET state = 'hidden', moderated_at = now(), "
	    "moderated_by = $2, mod_reason = $3, mod_reason_key = $4 "
	    "WHERE id = $1 AND state IN ('published', 'hidden') "
	    "RETURNING id, thread_id, seq, "
	    "(SELECT state FROM posts WHERE id = $1) AS was), "
	    "t AS (UPDATE threads t SET reply_count = greatest(t.reply_count - "
	    "1, 0) FROM p WHERE t.id = p.thread_id AND p.seq > 1 AND "
	    "p.was = 'published'), "
	    "r AS (UPDATE reports SET resolved_at = now(), resolved_by = $2 "
	    "WHERE target_kind = 'post' AND target_id = $1 AND resolved_at IS "
	    "NULL) SELECT p.id FROM p" },
	{ "mod_unhide",
	    "WITH p AS (UPDATE posts SET state = 'published', moderated_at = "
	    "now(), moderated_by = $2, mod_reason = '', mod_reason_key = '' "
	    "WHERE id = $1 AND state = 'hidden' RETURNING id, thread_id, seq), "
	    "t AS (UPDATE threads t SET reply_count = t.reply_count + 1 FROM p "
	    "WHERE t.id = p.thread_id AND p.seq > 1), "
	    "r AS (UPDATE reports SET resolved_at = now(), resolved_by = $2 "
	    "WHERE target_kind = 'post' AND target_id = $1 AND resolved_at IS "
	    "NULL) SELECT p.id FROM p" },
	{ "mod_post_state", "SELECT p.state, u.role IN ('moderator', 'admin') "
	    "AS staff, left(p.body_md, 600) AS excerpt FROM posts p "
	    "JOIN users u ON u.id = p.author_id WHERE p.id = $1" },
	{ "mod_official", "UPDATE posts SET official = NOT official WHERE "
	    "id = $1 AND state = 'published' RETURNING thread_id" },
	{ "mod_thread_flag",
	    "UPDATE threads SET locked = CASE $2 WHEN 'lock' THEN true "
	    "WHEN 'unlock' THEN false ELSE locked END, pinned = CASE $2 "
	    "WHEN 'pin' THEN true WHEN 'unpin' THEN false ELSE pinned END "
	    "WHERE id = $1 RETURNING id" },
	{ "mod_thread_get", "SELECT title AS excerpt FROM threads "
	    "WHERE id = $1" },
	/* The boards to move a thread to, its own selected. */
	{ "mod_boards", "SELECT b.slug AS value, coalesce(l.name, e.name) "
	    "AS label, b.id = (SELECT board_id FROM threads WHERE id = $2) "
	    "AS selected FROM boards b "
	    "JOIN board_names e ON e.board_id = b.id AND e.lang = 'en' "
	    "LEFT JOIN board_names l ON l.board_id = b.id AND l.lang = $1 "
	    "ORDER BY b.position, b.id" },
	{ "mod_thread_move",
	    "WITH nb AS (SELECT id FROM boards WHERE slug = $2), "
	    "t AS (SELECT id, board_id, state, reply_count + 1 AS n "
	    "FROM threads WHERE id = $1 FOR UPDATE), "
	    "o AS (UPDATE boards SET thread_count = thread_count - 1, "
	    "post_count = greatest(post_count - t.n, 0) FROM t WHERE "
	    "boards.id = t.board_id AND t.state = 'published'), "
	    "n AS (UPDATE boards SET thread_count = thread_count + 1, "
	    "post_count = post_count + t.n FROM t, nb WHERE boards.id = nb.id "
	    "AND t.state = 'published') "
	    "UPDATE threads SET board_id = nb.id FROM nb WHERE threads.id = $1 "
	    "RETURNING threads.id" },
	{ "mod_thread_state",
	    "WITH t AS (UPDATE threads SET state = $2 WHERE id = $1 AND "
	    "state IN ('published', 'hidden') AND state <> $2 "
	    "RETURNING id, board_id, reply_count + 1 AS n) "
	    "UPDATE boards b SET thread_count = b.thread_count + CASE $2 "
	    "WHEN 'published' THEN 1 ELSE -1 END, post_count = greatest(0, "
	    "b.post_count + CASE $2 WHEN 'published' THEN t.n ELSE -t.n END) "
	    "FROM t WHERE b.id = t.board_id RETURNING t.id" },
};

void
mod_init(void)
{
	DB_REGISTER(stmts);
	mod_report_init();
	mod_user_init();
	mod_audit_init();
	mod_stats_init();
}

const char *
mod_reason_msgid(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && reason_templates[i].key != NULL; i++)
		if (strcmp(reason_templates[i].key, key) == 0)
			return reason_templates[i].msgid;
	return NULL;
}

/* The number of the reason chosen on the form, or -1. */
static int
chosen(struct request *req)
{
	if (param_present(req, "template") && param_err(req, "template") ==
	    NULL)
		return (int)param_int(req, "template");
	return -1;
}

const char *
mod_reason(struct request *req)
{
	const char *r = param_str(req, "reason");

	if (*r != '\0')
		return r;
	if (chosen(req) >= 0)
		return T(req, reason_templates[chosen(req)].msgid);
	return "";
}

int
mod_reason_parts(struct request *req, const char **key, const char **note,
    const char **audit_why)
{
	const char *en = NULL;

	*note = param_str(req, "reason");
	*key = "";
	if (chosen(req) >= 0) {
		*key = reason_templates[chosen(req)].key;
		en = reason_templates[chosen(req)].msgid;
	}
	if (en != NULL && **note != '\0')
		*audit_why = arena_printf(req->arena, "%s %s", en, *note);
	else
		*audit_why = en != NULL ? en : *note;
	return **key == '\0' && **note == '\0' ? -1 : 0;
}

int
mod_confirm(struct request *req, struct tmpl_vars *v, int status,
    const char *action, const char *question, const char *button,
    int with_reason, const char *problem)
{
	struct tmpl_vars *items;
	size_t i;

	tmpl_set(v, "action", action);
	tmpl_set(v, "question", question);
	tmpl_set(v, "button", button);
	tmpl_set(v, "back", "/mod");
	if (problem != NULL)
		tmpl_set(v, "problem_text", T(req, problem));
	if (with_reason) {
		/* What the moderator chose or typed comes back with a
		 * problem. */
		items = arena_alloc(req->arena, NREASONS * sizeof(*items));
		for (i = 0; i < NREASONS; i++) {
			tmpl_init(&items[i], req->arena);
			tmpl_set_int(&items[i], req->arena, "n", (long long)i);
			tmpl_set(&items[i], "label",
			    T(req, reason_templates[i].msgid));
			tmpl_set_bool(&items[i], "checked",
			    chosen(req) == (int)i);
		}
		tmpl_set_items(v, "reasons", items, NREASONS);
		tmpl_set_bool(v, "with_reason", 1);
		tmpl_set(v, "reason", param_str(req, "reason"));
	}
	req->personal = 1;
	return page_render(req, status, question, "mod_confirm", v);
}

/* A row's hook: how long it has waited, "2 h 5 min" in the
 * reader's language and digits. */
static void
waited_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	long long s = db_get_ll(r, i, "waited_s");

	if (s < 3600)
		tmpl_set(row, "waited", arena_printf(req->arena,
		    T(req, "%s min"), i18n_num(req->arena, req->lang, s / 60)));
	else if (s < 86400 * 2)
		tmpl_set(row, "waited", arena_printf(req->arena,
		    T(req, "%s h %s min"), i18n_num(req->arena, req->lang,
		    s / 3600), i18n_num(req->arena, req->lang,
		    (s % 3600) / 60)));
	else
		tmpl_set(row, "waited", arena_printf(req->arena,
		    T(req, "%s days"), i18n_num(req->arena, req->lang,
		    s / 86400)));
}

int
mod_queue(struct request *req)
{
	struct tmpl_vars v;
	PGresult *h, *r;

	if ((h = DB_Q(req, "mod_held")) == NULL ||
	    (r = DB_Q(req, "mod_reports")) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "held", h, waited_row, req);
	tmpl_set_bool(&v, "any_held", PQntuples(h) > 0);
	tmpl_set_rows(&v, "reports", r, waited_row, req);
	/* The vacancies and conversations waiting (jobs_mod.c, msg_mod.c):
	 * {{>jobs_mod}}, {{>msg_mod}}. */
	if (jobs_mod_bind(req, &v) == -1 || msg_mod_section(req, &v) == -1)
		return page_unavailable(req);
	req->personal = 1;
	return page_render(req, 200, T(req, "Moderation"), "mod_queue", &v);
}

/* Run one post decision with its audit record in one transaction. */
static int
decide(struct request *req, const char *stmt, const char *action,
    const char *key, const char *note, const char *why, const char *back)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	r = key != NULL ? DB_Q(req, stmt, request_id(req), request_uid(req),
	    note, key) : DB_Q(req, stmt, request_id(req), request_uid(req));
	if (r == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 409, N_("This post was already decided "
		    "or no longer exists."));
	}
	if (strcmp(stmt, "mod_approve") == 0 && DB_Q(req, "mod_notify",
	    request_id(req)) == NULL)
		goto fail;
	if (audit(req->user->id, action, arena_printf(req->arena, "post:%lld",
	    req->id), why) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, back);
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_post_approve(struct request *req)
{
	return decide(req, "mod_approve", "post.approve", NULL, NULL, NULL,
	    "/mod");
}

/* The post's state, whether a counsellor wrote it, and its excerpt;
 * NULL with *status when the database failed or there is no post. */
static PGresult *
post_get(struct request *req, int *status)
{
	PGresult *p;

	if ((p = DB_Q(req, "mod_post_state", request_id(req))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(p) != 1) {
		*status = page_error(req, 404, N_("This post does not exist."));
		return NULL;
	}
	return p;
}

/* The confirmation of a decision on a post, with its excerpt on the
 * first showing. */
static int
post_confirm(struct request *req, int status, const char *verb,
    const char *excerpt, const char *problem)
{
	struct tmpl_vars v;
	int reject = strcmp(verb, "reject") == 0;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "excerpt", excerpt);
	return mod_confirm(req, &v, status, arena_printf(req->arena,
	    "/mod/posts/%lld/%s", req->id, verb), reject ? T(req, "Reject "
	    "this post?") : T(req, "Hide this post?"), reject ? T(req,
	    "Reject") : T(req, "Hide"), 1, problem);
}

int
mod_post_reject_form(struct request *req)
{
	PGresult *p;

	if ((p = DB_Q(req, "mod_post_state", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1 || strcmp(db_get(p, 0, "state"), "held") != 0)
		return page_error(req, 404, N_("This post is not waiting for "
		    "approval."));
	return post_confirm(req, 200, "reject", db_get(p, 0, "excerpt"),
	    NULL);
}

int
mod_post_reject(struct request *req)
{
	const char *key, *note, *why;

	if (mod_reason_parts(req, &key, &note, &why) == -1)
		return post_confirm(req, 422, "reject", NULL,
		    N_("Give a reason: the author sees it."));
	return decide(req, "mod_reject", "post.reject", key, note, why,
	    "/mod");
}

int
mod_post_hide_form(struct request *req)
{
	PGresult *p;
	const char *state;
	int status;

	if ((p = post_get(req, &status)) == NULL)
		return status;
	state = db_get(p, 0, "state");
	if (strcmp(state, "published") != 0 && strcmp(state, "hidden") != 0)
		return page_error(req, 404, N_("This post does not exist."));
	return post_confirm(req, 200, "hide", db_get(p, 0, "excerpt"), NULL);
}

int
mod_post_hide(struct request *req)
{
	const char *key, *note, *why;

	if (mod_reason_parts(req, &key, &note, &why) == -1)
		return post_confirm(req, 422, "hide", NULL,
		    N_("Give a reason: the author sees it."));
	return decide(req, "mod_hide", "post.hide", key, note, why, "/mod");
}

int
mod_post_restore(struct request *req)
{
	PGresult *p;
	int status;

	if ((p = post_get(req, &status)) == NULL)
		return status;
	return decide(req, strcmp(db_get(p, 0, "state"), "hidden") == 0 ?
	    "mod_unhide" : "mod_approve", "post.restore", NULL, NULL, NULL,
	    "/mod");
}

int
mod_post_official(struct request *req)
{
	PGresult *p, *r;
	int status;

	if ((p = post_get(req, &status)) == NULL)
		return status;
	if (!db_get_bool(p, 0, "staff"))
		return page_error(req, 422, N_("Only a counsellor's reply can "
		    "be the official answer."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_official", request_id(req))) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		return page_error(req, 404, N_("This post does not exist."));
	}
	if (audit(req->user->id, "post.official", arena_printf(req->arena,
	    "post:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/t/%s",
	    db_get(r, 0, "thread_id")));
fail:
	db_rollback();
	return page_unavailable(req);
}

static int
thread_flag(struct request *req, const char *what)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_thread_flag", request_id(req), what)) ==
	    NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 404, N_("This thread does not exist or "
		    "is no longer available."));
	}
	if (audit(req->user->id, arena_printf(req->arena, "thread.%s", what),
	    arena_printf(req->arena, "thread:%lld", req->id), NULL) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/t/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_thread_lock(struct request *req)
{
	return thread_flag(req, "lock");
}

int
mod_thread_unlock(struct request *req)
{
	return thread_flag(req, "unlock");
}

int
mod_thread_pin(struct request *req)
{
	return thread_flag(req, "pin");
}

int
mod_thread_unpin(struct request *req)
{
	return thread_flag(req, "unpin");
}

/* The thread's title as the excerpt of a confirmation, or NULL with
 * *status. */
static const char *
thread_title(struct request *req, int *status)
{
	PGresult *t;

	if ((t = DB_Q(req, "mod_thread_get", request_id(req))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(t) != 1) {
		*status = page_error(req, 404, N_("This thread does not exist "
		    "or is no longer available."));
		return NULL;
	}
	return db_get(t, 0, "excerpt");
}

int
mod_thread_move_form(struct request *req)
{
	struct tmpl_vars v;
	const char *title;
	PGresult *b;
	int status;

	if ((title = thread_title(req, &status)) == NULL)
		return status;
	if ((b = DB_Q(req, "mod_boards", i18n_langs[req->lang].tag,
	    request_id(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "excerpt", title);
	tmpl_set_rows(&v, "boards", b, NULL, NULL);
	tmpl_set_bool(&v, "move", 1);
	return mod_confirm(req, &v, 200, arena_printf(req->arena,
	    "/mod/threads/%lld/move", req->id), T(req, "Move this thread?"),
	    T(req, "Move"), 0, NULL);
}

int
mod_thread_move(struct request *req)
{
	PGresult *r;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("There is no such board."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_thread_move", request_id(req),
	    param_str(req, "board"))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 422, N_("There is no such board."));
	}
	if (audit(req->user->id, "thread.move", arena_printf(req->arena,
	    "thread:%lld", req->id), param_str(req, "board")) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/t/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

static int
thread_hide_confirm(struct request *req, int status, const char *title,
    const char *problem)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "excerpt", title);
	return mod_confirm(req, &v, status, arena_printf(req->arena,
	    "/mod/threads/%lld/hide", req->id), T(req, "Hide this whole "
	    "thread?"), T(req, "Hide"), 1, problem);
}

int
mod_thread_hide_form(struct request *req)
{
	const char *title;
	int status;

	if ((title = thread_title(req, &status)) == NULL)
		return status;
	return thread_hide_confirm(req, 200, title, NULL);
}

static int
thread_state(struct request *req, const char *state, const char *why)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_thread_state", request_id(req), state)) ==
	    NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 409, N_("This thread was already "
		    "changed."));
	}
	if (audit(req->user->id, strcmp(state, "hidden") == 0 ?
	    "thread.hide" : "thread.restore", arena_printf(req->arena,
	    "thread:%lld", req->id), why) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/t/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_thread_hide(struct request *req)
{
	const char *why = mod_reason(req);

	if (*why == '\0')
		return thread_hide_confirm(req, 422, NULL,
		    N_("Give a reason: the author sees it."));
	return thread_state(req, "hidden", why);
}

int
mod_thread_restore(struct request *req)
{
	return thread_state(req, "published", NULL);
}

/* The post ids of a bulk form (repeated "post" fields) as items with an
 * "id"; *n gets their number. */
static struct tmpl_vars *
bulk_posts(struct request *req, size_t *n)
{
	struct tmpl_vars *items;
	long long id;
	char *end;
	size_t i;

	items = arena_alloc(req->arena, (req->nfields + 1) * sizeof(*items));
	for (i = 0, *n = 0; i < req->nfields; i++) {
		if (strcmp(req->fields[i].key, "post") != 0)
			continue;
		id = strtoll(req->fields[i].val, &end, 10);
		if (*end != '\0' || id <= 0)
			continue;
		tmpl_init(&items[*n], req->arena);
		tmpl_set(&items[(*n)++], "id", request_num(req, id));
	}
	return items;
}

/* Approve now, or ask for the reason of a rejection first. */
int
mod_bulk(struct request *req)
{
	struct tmpl_vars v, *posts;
	PGresult *r;
	const char *id;
	size_t i, n;
	int done = 0;

	posts = bulk_posts(req, &n);
	if (n == 0 || req->nerrors > 0)
		return page_error(req, 422, N_("Choose at least one item and "
		    "an action."));
	if (param_int(req, "action") == 1) {
		tmpl_init(&v, req->arena);
		tmpl_set_items(&v, "posts", posts, n);
		return mod_confirm(req, &v, 200, "/mod/bulk/reject",
		    arena_printf(req->arena, TN(req, "Reject %s post?",
		    "Reject %s posts?", (unsigned long long)n),
		    i18n_num(req->arena, req->lang, (long long)n)),
		    T(req, "Reject"), 1, NULL);
	}
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < n; i++) {
		id = tmpl_var(&posts[i], "id");
		if ((r = DB_Q(req, "mod_approve", id,
		    request_uid(req))) == NULL)
			goto fail;
		if (PQntuples(r) == 1 && (DB_Q(req, "mod_notify", id) == NULL ||
		    audit(req->user->id, "post.approve", arena_printf(req->arena,
		    "post:%s", id), NULL) == -1))
			goto fail;
		done += PQntuples(r);
	}
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("bulk approve of %d posts by user=%lld", done, req->user->id);
	return request_redirect(req, "/mod");
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_bulk_reject(struct request *req)
{
	struct tmpl_vars *posts;
	const char *key, *note, *why, *id;
	PGresult *r;
	size_t i, n;

	if (mod_reason_parts(req, &key, &note, &why) == -1)
		return page_error(req, 422, N_("Give a reason: the author sees "
		    "it."));
	posts = bulk_posts(req, &n);
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < n; i++) {
		id = tmpl_var(&posts[i], "id");
		if ((r = DB_Q(req, "mod_reject", id, request_uid(req), note,
		    key)) ==
		    NULL)
			goto fail;
		if (PQntuples(r) == 1 && audit(req->user->id, "post.reject",
		    arena_printf(req->arena, "post:%s", id), why) == -1)
			goto fail;
	}
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, "/mod");
fail:
	db_rollback();
	return page_unavailable(req);
}
