/*
 * Following the forum (issue 22): watching or muting a thread, watching
 * a board, marking a board read, and a person's card that @mentions
 * link to.  Who hears of a new post is decided in the database
 * (magnet_forum_notify, migration 0028), for posts published at once
 * (forum_post.c) and at approval (mod.c) alike.  The board page's "new
 * replies" markers and the thread page's read position are in forum.c.
 */
#include <string.h>

#include "db.h"
#include "forum.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

/* The choices of a thread's watch form, and a board's (param_int gives
 * the index). */
const char *const forum_watch_levels[] = { "watch", "mute", "none", NULL };
const char *const forum_board_levels[] = { "watch", "none", NULL };

static const struct db_stmt stmts[] = {
	/* A thread the reader may see: published, held and theirs, or any
	 * for a counsellor ($3). */
	{ "follow_thread", "SELECT id FROM threads WHERE id = $1 AND "
	    "(state = 'published' OR $3::boolean OR (state = 'held' AND "
	    "author_id = $2))" },
	{ "follow_thread_set", "INSERT INTO thread_watches (thread_id, "
	    "user_id, level) VALUES ($1, $2, $3) ON CONFLICT (thread_id, "
	    "user_id) DO UPDATE SET level = EXCLUDED.level" },
	{ "follow_thread_del", "DELETE FROM thread_watches "
	    "WHERE thread_id = $1 AND user_id = $2" },
	{ "follow_board_set", "INSERT INTO board_watches (board_id, user_id) "
	    "SELECT id, $2 FROM boards WHERE slug = $1 "
	    "ON CONFLICT DO NOTHING" },
	{ "follow_board_del", "DELETE FROM board_watches WHERE user_id = $2 "
	    "AND board_id = (SELECT id FROM boards WHERE slug = $1)" },
	{ "follow_board_id", "SELECT id FROM boards WHERE slug = $1" },
	/* Mark read: one time for the board instead of a row per thread;
	 * and read marks nobody refreshed for 90 days go, everyone's. */
	{ "follow_board_read", "INSERT INTO board_reads (user_id, board_id, "
	    "read_before) VALUES ($1, $2, now()) ON CONFLICT (user_id, "
	    "board_id) DO UPDATE SET read_before = now()" },
	{ "follow_board_read_prune", "DELETE FROM thread_reads r USING threads t "
	    "WHERE r.user_id = $1 AND t.id = r.thread_id AND t.board_id = $2" },
	{ "follow_reads_gc", "DELETE FROM thread_reads "
	    "WHERE read_at < now() - interval '90 days'" },
	/* Thank a reply, or take the thanks back (migration 0028). */
	{ "follow_thank", "SELECT magnet_thank($1, $2, $3) AS state, "
	    "(SELECT seq FROM posts WHERE id = $1) AS seq" },
	{ "follow_user",
	    "SELECT u.id, u.username, u.role IN ('moderator', 'admin') "
	    "AS counsellor, u.role = 'employer' AS employer, "
	    "magnet_day(u.created_at) AS since, (SELECT count(*) FROM posts p "
	    "JOIN threads t ON t.id = p.thread_id WHERE p.author_id = u.id "
	    "AND p.state = 'published' AND t.state = 'published') AS posts "
	    "FROM users u WHERE u.id = $1 AND u.deleted_at IS NULL" },
};

void
forum_follow_init(void)
{
	DB_REGISTER(stmts);
}

int
forum_thread_watch(struct request *req)
{
	PGresult *r;
	int level = param_int(req, "level"), rc;

	if (req->nerrors > 0)
		return page_error(req, 400, N_("This form is not valid."));
	if ((r = DB_Q(req, "follow_thread", request_id(req), request_uid(req),
	    request_is_mod(req) ? "true" : "false")) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("This thread does not exist or "
		    "is no longer available."));
	if (forum_watch_levels[level][0] == 'n')
		rc = DB_RUN("follow_thread_del", request_id(req),
		    request_uid(req));
	else
		rc = DB_RUN("follow_thread_set", request_id(req),
		    request_uid(req), forum_watch_levels[level]);
	if (rc == -1)
		return page_unavailable(req);
	return request_redirect(req, arena_printf(req->arena, "/t/%lld",
	    req->id));
}

int
forum_board_watch(struct request *req)
{
	PGresult *r;
	int rc;

	if (req->nerrors > 0)
		return page_error(req, 400, N_("This form is not valid."));
	if ((r = DB_Q(req, "follow_board_id", req->slug)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such board."));
	rc = DB_RUN(param_int(req, "level") == 0 ? "follow_board_set" :
	    "follow_board_del", req->slug, request_uid(req));
	if (rc == -1)
		return page_unavailable(req);
	return request_redirect(req, arena_printf(req->arena, "/b/%s",
	    req->slug));
}

int
forum_board_read(struct request *req)
{
	PGresult *r;
	const char *bid;

	if ((r = DB_Q(req, "follow_board_id", req->slug)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such board."));
	bid = db_get(r, 0, "id");
	if (db_begin() == -1)
		return page_unavailable(req);
	if (DB_RUN("follow_board_read", request_uid(req), bid) == -1 ||
	    DB_RUN("follow_board_read_prune", request_uid(req), bid) == -1 ||
	    DB_RUN("follow_reads_gc") == -1 || db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	return request_redirect(req, arena_printf(req->arena, "/b/%s",
	    req->slug));
}

/*
 * The thanks button of a reply: one form outside the posts (its token
 * and nothing of the reader in the posts' markup), whose buttons in the
 * posts name the post.  Pressed again, it takes the thanks back; the
 * page then says which it was.
 */
int
forum_thank(struct request *req)
{
	PGresult *r;
	const char *pid;

	if (req->nerrors > 0)
		return page_error(req, 400, N_("This form is not valid."));
	pid = request_num(req, param_int(req, "post"));
	if ((r = DB_Q(req, "follow_thank", pid, request_id(req),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQgetisnull(r, 0, 0))
		return page_error(req, 404, N_("You can thank only someone "
		    "else's published reply."));
	return request_redirect(req, arena_printf(req->arena,
	    "/t/%lld?page=%lld&thanked=%d#p%s", req->id,
	    (db_get_ll(r, 0, "seq") - 1) / FORUM_PAGE + 1,
	    strcmp(db_get(r, 0, "state"), "thanked") == 0, pid));
}

/* A person's card: the public name, role and how much they wrote, what
 * every post already shows; nothing of a returnee's profile. */
int
forum_user(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "follow_user", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such person."));
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	return page_render(req, 200, db_get(r, 0, "username"), "user_card",
	    &v);
}
