/*
 * Moderation.  Counsellors have little time, so the queue shows what
 * waits longest first, with how long it has waited; a rejection always
 * carries a reason the author sees, and the author keeps the text.
 * Every action is one transaction that also writes the audit log, and
 * every destructive one is confirmed on a page of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "mod.h"
#include "msg_mod.h"
#include "note.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "setting.h"
#include "tmpl.h"
#include "user.h"

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

const char *
mod_reason_msgid(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && reason_templates[i].key != NULL; i++)
		if (strcmp(reason_templates[i].key, key) == 0)
			return reason_templates[i].msgid;
	return NULL;
}

static const char *const bulk_actions[] = { "approve", "reject", NULL };
static const char *const roles[] = { "returnee", "moderator", "admin", NULL };

const struct param mod_reason_params[] = {
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_bulk_params[] = {
	{ "action", P_ENUM, P_FORM, 0, 0, 1, bulk_actions },
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_move_params[] = {
	{ "board", P_LINE, P_FORM, 1, 64, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_suspend_params[] = {
	{ "until", P_LINE, P_FORM, 10, 10, 1, NULL },
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_users_params[] = {
	{ "q", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_audit_params[] = {
	{ "action", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ "actor", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param mod_report_params[] = {
	{ "reason", P_TEXT, P_FORM, 3, 1000, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param admin_role_params[] = {
	{ "role", P_ENUM, P_FORM, 0, 0, 1, roles },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param admin_settings_params[] = {
	{ "new_user_holds", P_INT, P_FORM, 0, 100, 1, NULL },
	{ "report_threshold", P_INT, P_FORM, 1, 100, 1, NULL },
	{ "new_user_post_interval", P_INT, P_FORM, 0, 3600, 1, NULL },
	{ "peer_messages", P_INT, P_FORM, 0, 1, 1, NULL },
	{ SET_TEXT_OFFICES, P_TEXT, P_FORM, 0, SET_TEXT_OFFICES_MAX, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

const struct param admin_board_params[] = {
	{ "position", P_INT, P_FORM, 0, 1000, 1, NULL },
	{ "name_en", P_LINE, P_FORM, 1, 80, 1, NULL },
	{ "description_en", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_ckb", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_ckb", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_kmr-Arab", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_kmr-Arab", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_ar", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_ar", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

#define WAITED "extract(epoch FROM now() - %s)::bigint"

static const struct db_stmt stmts[] = {
	{ "mod_held",
	    "SELECT p.id, p.thread_id, p.seq, t.title, u.username, "
	    "left(p.body_md, 600), extract(epoch FROM now() - p.created_at)"
	    "::bigint, u.id FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.state = 'held' "
	    "ORDER BY p.created_at LIMIT 100" },
	{ "mod_reports",
	    "SELECT r.target_kind, r.target_id, count(*), "
	    "extract(epoch FROM now() - min(r.created_at))::bigint, "
	    "string_agg(r.reason, ' | ' ORDER BY r.id), "
	    "coalesce(p.state, v.state, ''), coalesce(left(p.body_md, 600), "
	    "left(v.description_md, 600), ''), coalesce(t.title, v.title, ''), "
	    "coalesce(p.thread_id, 0) "
	    "FROM reports r LEFT JOIN posts p ON r.target_kind = 'post' "
	    "AND p.id = r.target_id LEFT JOIN threads t ON t.id = p.thread_id "
	    "LEFT JOIN vacancies v ON r.target_kind = 'vacancy' "
	    "AND v.id = r.target_id "
	    "WHERE r.resolved_at IS NULL AND r.target_kind IN ('post', "
	    "'vacancy') GROUP BY r.target_kind, r.target_id, p.state, "
	    "p.body_md, t.title, p.thread_id, v.state, v.description_md, "
	    "v.title ORDER BY min(r.created_at) LIMIT 100" },
	{ "mod_report_vacancy",
	    "INSERT INTO reports (target_kind, target_id, reporter_id, reason) "
	    "SELECT 'vacancy', v.id, $2, $3 FROM vacancies v "
	    "WHERE v.id = $1 AND v.state = 'published' AND v.enterprise_id "
	    "IS DISTINCT FROM (SELECT enterprise_id FROM users WHERE id = $2) "
	    "ON CONFLICT DO NOTHING" },
	{ "mod_vacancy_title", "SELECT title, left(description_md, 600) "
	    "FROM vacancies WHERE id = $1 AND state = 'published'" },
	{ "mod_dismiss_vacancy", "UPDATE reports SET resolved_at = now(), "
	    "resolved_by = $2 WHERE target_kind = 'vacancy' AND target_id = $1 "
	    "AND resolved_at IS NULL RETURNING id" },
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
	    "n1 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT t.author_id, 'reply', "
	    "p.author_id, t.id, p.id, t.title, '/p/' || p.id FROM t, p "
	    "WHERE NOT t.first AND t.author_id <> p.author_id), "
	    "n2 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT q.author_id, 'quote', "
	    "p.author_id, t.id, p.id, t.title, '/p/' || p.id FROM t, p "
	    "JOIN posts q ON q.id = p.quote_of WHERE q.author_id <> p.author_id), "
	    "n3 AS (INSERT INTO notifications (user_id, kind, actor_id, "
	    "thread_id, post_id, subject, link) SELECT p.author_id, 'approved', "
	    "$2, t.id, p.id, t.title, '/p/' || p.id FROM t, p), "
	    "r AS (UPDATE reports SET resolved_at = now(), resolved_by = $2 "
	    "WHERE target_kind = 'post' AND target_id = $1 AND resolved_at IS "
	    "NULL) SELECT p.id FROM p" },
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
	{ "mod_post_state", "SELECT p.state, p.thread_id, t.title, "
	    "u.role IN ('moderator', 'admin'), p.official, left(p.body_md, 600), "
	    "t.state FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "JOIN users u ON u.id = p.author_id WHERE p.id = $1" },
	{ "mod_official", "UPDATE posts SET official = NOT official WHERE "
	    "id = $1 AND state = 'published' RETURNING official, thread_id" },
	{ "mod_thread_flag",
	    "UPDATE threads SET locked = CASE $2 WHEN 'lock' THEN true "
	    "WHEN 'unlock' THEN false ELSE locked END, pinned = CASE $2 "
	    "WHEN 'pin' THEN true WHEN 'unpin' THEN false ELSE pinned END "
	    "WHERE id = $1 RETURNING id" },
	{ "mod_thread_get", "SELECT t.id, t.title, b.slug, t.state, "
	    "t.reply_count + 1 FROM threads t JOIN boards b ON "
	    "b.id = t.board_id WHERE t.id = $1" },
	{ "mod_boards", "SELECT b.slug, coalesce(l.name, e.name) FROM boards b "
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
	{ "mod_report",
	    "WITH ins AS (INSERT INTO reports (target_kind, target_id, "
	    "reporter_id, reason) SELECT 'post', $1, $2, $3 FROM posts p "
	    "JOIN threads t ON t.id = p.thread_id WHERE p.id = $1 "
	    "AND p.state = 'published' AND t.state = 'published' "
	    "AND p.author_id <> $2 "
	    "ON CONFLICT DO NOTHING RETURNING 1), "
	    "cnt AS (SELECT (SELECT count(DISTINCT reporter_id) FROM reports "
	    "WHERE target_kind = 'post' AND target_id = $1 AND resolved_at "
	    "IS NULL) + (SELECT count(*) FROM ins) AS n) "
	    "UPDATE posts p SET state = 'hidden', mod_reason = '', "
	    "mod_reason_key = '' FROM cnt "
	    "WHERE p.id = $1 AND p.state = 'published' AND cnt.n >= $4 "
	    "RETURNING p.id" },
	{ "mod_users",
	    "SELECT id, username, role, to_char(created_at AT TIME ZONE "
	    "'Asia/Baghdad', 'YYYY-MM-DD'), suspended_until > now() FROM users "
	    "WHERE deleted_at IS NULL AND username_key LIKE $1 || '%' "
	    "ORDER BY username_key LIMIT 50" },
	/* A returnee's card: the profile, and every application and
	 * referral, newest first. */
	{ "mod_user_profile", "SELECT governorate, country, "
	    "coalesce(to_char(return_date, 'YYYY-MM-DD'), ''), occupation, "
	    "skills, education, languages, consent, experience "
	    "FROM returnee_profiles WHERE user_id = $1" },
	{ "mod_user_jobs", "SELECT 'application', v.id, v.title, a.status, "
	    "to_char(a.created_at AT TIME ZONE 'Asia/Baghdad', 'YYYY-MM-DD'), "
	    "a.id, e.name FROM applications a JOIN vacancies v ON "
	    "v.id = a.vacancy_id JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE a.user_id = $1 UNION ALL SELECT 'referral', v.id, v.title, "
	    "r.status, to_char(r.created_at AT TIME ZONE 'Asia/Baghdad', "
	    "'YYYY-MM-DD'), r.id, e.name FROM referrals r JOIN vacancies v ON "
	    "v.id = r.vacancy_id JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE r.user_id = $1 ORDER BY 5 DESC, 6 DESC LIMIT 200" },
	{ "mod_user",
	    "SELECT u.id, u.username, u.role, to_char(u.created_at AT TIME ZONE "
	    "'Asia/Baghdad', 'YYYY-MM-DD'), coalesce(to_char((u.suspended_until "
	    "AT TIME ZONE 'Asia/Baghdad') - interval '1 second', 'YYYY-MM-DD'), "
	    "''), "
	    "coalesce(u.suspend_reason, ''), u.suspended_until > now(), "
	    "(SELECT count(*) FROM posts WHERE author_id = u.id AND "
	    "state = 'published'), coalesce(e.name, '') "
	    "FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id "
	    "WHERE u.id = $1 AND u.deleted_at IS NULL" },
	{ "mod_suspend",
	    "UPDATE users SET suspended_until = ($2::date + 1)::timestamp "
	    "AT TIME ZONE 'Asia/Baghdad', suspend_reason = $3, suspended_by = $4 "
	    "WHERE id = $1 AND deleted_at IS NULL AND ($5::boolean OR role NOT "
	    "IN ('moderator', 'admin')) AND $2::date >= current_date "
	    "RETURNING id" },
	{ "mod_unsuspend", "UPDATE users SET suspended_until = NULL, "
	    "suspend_reason = NULL WHERE id = $1 AND ($2::boolean OR role "
	    "NOT IN ('moderator', 'admin')) RETURNING id" },
	{ "mod_reset_new", "INSERT INTO password_resets (user_id, token_hash, "
	    "created_by, expires_at) SELECT id, decode($2, 'hex'), $3, "
	    "now() + interval '1 day' FROM users WHERE id = $1 AND deleted_at "
	    "IS NULL AND ($4::boolean OR role NOT IN ('moderator', 'admin')) "
	    "RETURNING id" },
	{ "mod_audit",
	    "SELECT to_char(a.at AT TIME ZONE 'Asia/Baghdad', "
	    "'YYYY-MM-DD HH24:MI:SS'), coalesce(u.username, ''), a.action, "
	    "a.target, a.reason FROM audit_log a LEFT JOIN users u ON "
	    "u.id = a.actor_id WHERE ($1 = '' OR a.action LIKE $1 || '%') "
	    "AND ($2 = '' OR u.username = $2) ORDER BY a.id DESC LIMIT 200" },
	{ "mod_stats",
	    "WITH m AS (SELECT generate_series(date_trunc('month', now()) - "
	    "interval '11 months', date_trunc('month', now()), "
	    "interval '1 month') AS month) "
	    "SELECT to_char(m.month, 'YYYY-MM'), "
	    "(SELECT count(*) FROM users WHERE role = 'returnee' AND "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM users WHERE role = 'employer' AND "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM threads WHERE state = 'published' AND "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM posts WHERE state = 'published' AND "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM reports WHERE "
	    "date_trunc('month', created_at) = m.month), "
	    "coalesce((SELECT round(extract(epoch FROM percentile_cont(0.5) "
	    "WITHIN GROUP (ORDER BY moderated_at - created_at)) / 60) "
	    "FROM posts WHERE moderated_at IS NOT NULL AND "
	    "date_trunc('month', moderated_at) = m.month), 0), "
	    "(SELECT count(*) FROM vacancies WHERE "
	    "date_trunc('month', published_at) = m.month), "
	    "(SELECT count(*) FROM applications WHERE "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM applications WHERE status = 'hired' AND "
	    "date_trunc('month', updated_at) = m.month), "
	    "(SELECT count(*) FROM referrals WHERE "
	    "date_trunc('month', created_at) = m.month), "
	    "(SELECT count(*) FROM referrals WHERE status IN ('placed', "
	    "'enrolled', 'completed') AND "
	    "date_trunc('month', updated_at) = m.month) "
	    "FROM m ORDER BY m.month" },
	/* Totals by kind: (kind, key, second key, count) rows; the keys are
	 * the database's and are translated in mod_stats. */
	{ "mod_stats_totals",
	    "SELECT 'users', role, coalesce(g, ''), count(*) FROM (SELECT "
	    "u.role, CASE u.role WHEN 'returnee' THEN p.governorate "
	    "WHEN 'employer' THEN e.governorate END AS g "
	    "FROM users u LEFT JOIN returnee_profiles p ON p.user_id = u.id "
	    "LEFT JOIN enterprises e ON e.id = u.enterprise_id "
	    "WHERE u.deleted_at IS NULL) x GROUP BY 2, 3 "
	    "UNION ALL SELECT 'vacancies', state, sector, count(*) "
	    "FROM vacancies GROUP BY 2, 3 "
	    "UNION ALL SELECT 'applications', status, '', count(*) "
	    "FROM applications GROUP BY 2 "
	    "UNION ALL SELECT 'referrals', status, '', count(*) FROM referrals "
	    "GROUP BY 2 ORDER BY 1, 2, 3" },
	{ "mod_stats_boards",
	    "SELECT coalesce((SELECT name FROM board_names WHERE board_id = "
	    "b.id AND lang = $1), (SELECT name FROM board_names WHERE "
	    "board_id = b.id AND lang = 'en'), b.slug), b.thread_count, "
	    "b.post_count FROM boards b ORDER BY b.position, b.id" },
	{ "admin_staff", "SELECT id, username, role FROM users WHERE role IN "
	    "('moderator', 'admin') AND deleted_at IS NULL ORDER BY username" },
	{ "admin_role", "UPDATE users SET role = $2 WHERE id = $1 AND "
	    "deleted_at IS NULL AND role <> 'employer' AND id <> $3 "
	    "RETURNING username" },
	{ "admin_board_get", "SELECT b.id, b.position, l.lang, l.name, "
	    "l.description FROM boards b LEFT JOIN board_names l ON "
	    "l.board_id = b.id WHERE b.slug = $1" },
	{ "admin_board_pos", "UPDATE boards SET position = $2 WHERE slug = $1 "
	    "RETURNING id" },
	{ "admin_board_name", "INSERT INTO board_names (board_id, lang, name, "
	    "description) SELECT id, $2, $3, $4 FROM boards WHERE slug = $1 "
	    "ON CONFLICT (board_id, lang) DO UPDATE SET name = excluded.name, "
	    "description = excluded.description" },
	{ "admin_board_unname", "DELETE FROM board_names WHERE lang = $2 AND "
	    "lang <> 'en' AND board_id = (SELECT id FROM boards WHERE "
	    "slug = $1)" },
};

void
mod_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const char *
num(struct request *req, long long v)
{
	return arena_printf(req->arena, "%lld", v);
}

static const char *
me(struct request *req)
{
	return num(req, req->user->id);
}

static const char *
copy(struct request *req, struct buf *b)
{
	return arena_strndup(req->arena, b->p ? b->p : "", b->len);
}

/* The moderation pages' own navigation, in a page's variables. */
static void
modnav(struct request *req, struct tmpl_vars *v)
{
	struct buf b;

	buf_init(&b);
	page_vars(req, v);
	tmpl_render(&b, "mod_nav", req->lang, v);
	tmpl_set_raw(v, "modnav", copy(req, &b));
	buf_free(&b);
}

/* "2 h 5 min" in the reader's language and digits. */
static const char *
waited(struct request *req, long long s)
{
	if (s < 3600)
		return arena_printf(req->arena, T(req, "%s min"),
		    i18n_num(req->arena, req->lang, s / 60));
	if (s < 86400 * 2)
		return arena_printf(req->arena, T(req, "%s h %s min"),
		    i18n_num(req->arena, req->lang, s / 3600),
		    i18n_num(req->arena, req->lang, (s % 3600) / 60));
	return arena_printf(req->arena, T(req, "%s days"),
	    i18n_num(req->arena, req->lang, s / 86400));
}

/* The reason typed, else the chosen template, in the reader's language. */
static const char *
reason(struct request *req)
{
	const char *r = param_str(req, "reason");

	if (*r != '\0')
		return r;
	if (param_present(req, "template") && param_err(req, "template") ==
	    NULL)
		return T(req, reason_templates[param_int(req,
		    "template")].msgid);
	return "";
}

/*
 * For a post: the chosen template's key ("" for none) and the note as
 * typed; *audit gets both, the template in English.  0, or -1 when there
 * is neither.
 */
static int
reason_parts(struct request *req, const char **key, const char **note,
    const char **audit_why)
{
	const char *en = NULL;

	*note = param_str(req, "reason");
	*key = "";
	if (param_present(req, "template") && param_err(req, "template") ==
	    NULL) {
		*key = reason_templates[param_int(req, "template")].key;
		en = reason_templates[param_int(req, "template")].msgid;
	}
	if (en != NULL && **note != '\0')
		*audit_why = arena_printf(req->arena, "%s %s", en, *note);
	else
		*audit_why = en != NULL ? en : *note;
	return **key == '\0' && **note == '\0' ? -1 : 0;
}

static const char *
templates_html(struct request *req)
{
	struct buf b;
	const char *s;
	int i;

	buf_init(&b);
	for (i = 0; reason_templates[i].key != NULL; i++) {
		buf_printf(&b, "<label><input type=\"radio\" name=\"template\" "
		    "value=\"%d\"%s> ", i, param_present(req, "template") &&
		    param_err(req, "template") == NULL &&
		    param_int(req, "template") == i ? " checked" : "");
		html_txt(&b, T(req, reason_templates[i].msgid));
		buf_puts(&b, "</label>");
	}
	s = copy(req, &b);
	buf_free(&b);
	return s;
}

/* A confirmation page: the question, what it is about, a reason. */
static int
confirm(struct request *req, int status, const char *action,
    const char *question, const char *excerpt, const char *button,
    int with_reason, const char *fields, const char *problem)
{
	struct tmpl_vars v;
	struct buf f;

	buf_init(&f);
	if (fields != NULL)
		buf_puts(&f, fields);
	if (with_reason) {
		buf_puts(&f, "<fieldset><legend>");
		html_txt(&f, T(req, "Reason (the author sees it)"));
		buf_puts(&f, "</legend>");
		buf_puts(&f, templates_html(req));
		buf_puts(&f, "<label for=\"reason\">");
		html_txt(&f, T(req, "Or in your own words"));
		/* What the moderator typed comes back with a problem. */
		buf_puts(&f, "</label><textarea id=\"reason\" name=\"reason\" "
		    "maxlength=\"1000\" rows=\"3\" dir=\"auto\">");
		html_txt(&f, param_str(req, "reason"));
		buf_puts(&f, "</textarea></fieldset>");
	}
	if (problem != NULL) {
		buf_puts(&f, "<p class=\"err\" role=\"alert\">");
		html_txt(&f, T(req, problem));
		buf_puts(&f, "</p>");
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "action", action);
	tmpl_set(&v, "question", question);
	tmpl_set(&v, "excerpt", excerpt);
	tmpl_set(&v, "button", button);
	tmpl_set(&v, "back", "/mod");
	tmpl_set_raw(&v, "fields", copy(req, &f));
	buf_free(&f);
	req->personal = 1;
	return page_render(req, status, question, "confirm", &v);
}

int
mod_queue(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf held, reports, jobs;
	PGresult *h, *r;
	int i;

	memset(&v, 0, sizeof(v));
	buf_init(&jobs);
	if (jobs_mod_section(req, &jobs) == -1) {
		buf_free(&jobs);
		return page_unavailable(req);
	}
	if (msg_mod_section(req, &v) == -1) {
		buf_free(&jobs);
		return page_unavailable(req);
	}
	tmpl_set_raw(&v, "jobs", copy(req, &jobs));
	buf_free(&jobs);
	if ((h = db_exec("mod_held", 0, NULL)) == NULL)
		return page_unavailable(req);
	if ((r = db_exec("mod_reports", 0, NULL)) == NULL) {
		PQclear(h);
		return page_unavailable(req);
	}
	buf_init(&held);
	for (i = 0; i < PQntuples(h); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", arena_strdup(req->arena, db_val(h, i, 0)));
		tmpl_set(&row, "tid", arena_strdup(req->arena, db_val(h, i, 1)));
		tmpl_set(&row, "first", db_ll(h, i, 2) == 1 ? "1" : NULL);
		tmpl_set(&row, "title", arena_strdup(req->arena,
		    db_val(h, i, 3)));
		tmpl_set(&row, "author", arena_strdup(req->arena,
		    db_val(h, i, 4)));
		tmpl_set(&row, "uid", arena_strdup(req->arena, db_val(h, i, 7)));
		tmpl_set(&row, "excerpt", arena_strdup(req->arena,
		    db_val(h, i, 5)));
		tmpl_set(&row, "waited", waited(req, db_ll(h, i, 6)));
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_render(&held, "mod_held", req->lang, &row);
	}
	buf_init(&reports);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "kind", arena_strdup(req->arena,
		    db_val(r, i, 0)));
		tmpl_set(&row, "id", arena_strdup(req->arena, db_val(r, i, 1)));
		tmpl_set(&row, "is_post", strcmp(db_val(r, i, 0), "post") == 0 ?
		    "1" : NULL);
		tmpl_set(&row, "is_vacancy", strcmp(db_val(r, i, 0),
		    "vacancy") == 0 ? "1" : NULL);
		tmpl_set(&row, "count", i18n_num(req->arena, req->lang,
		    db_ll(r, i, 2)));
		tmpl_set(&row, "waited", waited(req, db_ll(r, i, 3)));
		tmpl_set(&row, "reasons", arena_strdup(req->arena,
		    db_val(r, i, 4)));
		tmpl_set(&row, "hidden", strcmp(db_val(r, i, 5), "hidden") == 0 ?
		    "1" : NULL);
		tmpl_set(&row, "excerpt", arena_strdup(req->arena,
		    db_val(r, i, 6)));
		tmpl_set(&row, "title", arena_strdup(req->arena,
		    db_val(r, i, 7)));
		tmpl_set(&row, "csrf", req->csrf);
		tmpl_render(&reports, "mod_report", req->lang, &row);
	}
	tmpl_set(&v, "no_held", PQntuples(h) == 0 ? "1" : NULL);
	tmpl_set(&v, "no_reports", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(&v, "held", copy(req, &held));
	tmpl_set_raw(&v, "reports", copy(req, &reports));
	buf_free(&held);
	buf_free(&reports);
	PQclear(h);
	PQclear(r);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, T(req, "Moderation"), "mod_queue", &v);
}

/* Run one post decision with its audit record in one transaction. */
static int
decide(struct request *req, const char *stmt, const char *action,
    const char *key, const char *note, const char *why, const char *back)
{
	PGresult *r;
	int n;

	if (db_begin() == -1)
		return page_unavailable(req);
	r = key != NULL ? DB_EXEC(stmt, num(req, req->id), me(req), note,
	    key) : DB_EXEC(stmt, num(req, req->id), me(req));
	if (r == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return page_error(req, 409, N_("This post was already decided "
		    "or no longer exists."));
	}
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

static PGresult *
post_state(struct request *req)
{
	return DB_EXEC("mod_post_state", num(req, req->id));
}

int
mod_post_reject_form(struct request *req)
{
	PGresult *p;
	int rc;

	if ((p = post_state(req)) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1 || strcmp(db_val(p, 0, 0), "held") != 0) {
		PQclear(p);
		return page_error(req, 404, N_("This post is not waiting for "
		    "approval."));
	}
	rc = confirm(req, 200, arena_printf(req->arena, "/mod/posts/%lld/"
	    "reject", req->id), T(req, "Reject this post?"), arena_strdup(
	    req->arena, db_val(p, 0, 5)), T(req, "Reject"), 1, NULL, NULL);
	PQclear(p);
	return rc;
}

int
mod_post_reject(struct request *req)
{
	const char *key, *note, *why;

	if (reason_parts(req, &key, &note, &why) == -1)
		return confirm(req, 422, arena_printf(req->arena,
		    "/mod/posts/%lld/reject", req->id), T(req, "Reject this "
		    "post?"), NULL, T(req, "Reject"), 1, NULL,
		    N_("Give a reason: the author sees it."));
	return decide(req, "mod_reject", "post.reject", key, note, why,
	    "/mod");
}

int
mod_post_hide_form(struct request *req)
{
	PGresult *p;
	int rc;

	if ((p = post_state(req)) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1 || (strcmp(db_val(p, 0, 0), "published") != 0 &&
	    strcmp(db_val(p, 0, 0), "hidden") != 0)) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	rc = confirm(req, 200, arena_printf(req->arena, "/mod/posts/%lld/hide",
	    req->id), T(req, "Hide this post?"), arena_strdup(req->arena,
	    db_val(p, 0, 5)), T(req, "Hide"), 1, NULL, NULL);
	PQclear(p);
	return rc;
}

int
mod_post_hide(struct request *req)
{
	const char *key, *note, *why;

	if (reason_parts(req, &key, &note, &why) == -1)
		return confirm(req, 422, arena_printf(req->arena,
		    "/mod/posts/%lld/hide", req->id), T(req, "Hide this post?"),
		    NULL, T(req, "Hide"), 1, NULL, N_("Give a reason: the "
		    "author sees it."));
	return decide(req, "mod_hide", "post.hide", key, note, why, "/mod");
}

int
mod_post_restore(struct request *req)
{
	PGresult *p;
	int hidden;

	if ((p = post_state(req)) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	hidden = strcmp(db_val(p, 0, 0), "hidden") == 0;
	PQclear(p);
	return decide(req, hidden ? "mod_unhide" : "mod_approve",
	    "post.restore", NULL, NULL, NULL, "/mod");
}

int
mod_post_official(struct request *req)
{
	PGresult *p, *r;
	const char *back;

	if ((p = post_state(req)) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	if (strcmp(db_val(p, 0, 3), "t") != 0) {
		PQclear(p);
		return page_error(req, 422, N_("Only a counsellor's reply can "
		    "be the official answer."));
	}
	PQclear(p);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_official", num(req, req->id))) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		PQclear(r);
		db_rollback();
		return page_error(req, 404, N_("This post does not exist."));
	}
	back = arena_printf(req->arena, "/t/%s", db_val(r, 0, 1));
	PQclear(r);
	if (audit(req->user->id, "post.official", arena_printf(req->arena,
	    "post:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, back);
fail:
	db_rollback();
	return page_unavailable(req);
}

static int
thread_flag(struct request *req, const char *what)
{
	PGresult *r;
	int n;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_thread_flag", num(req, req->id), what)) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
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

static PGresult *
thread_get(struct request *req, int *status)
{
	PGresult *t;

	if ((t = DB_EXEC("mod_thread_get", num(req, req->id))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(t) != 1) {
		PQclear(t);
		*status = page_error(req, 404, N_("This thread does not exist "
		    "or is no longer available."));
		return NULL;
	}
	return t;
}

int
mod_thread_move_form(struct request *req)
{
	PGresult *t, *b;
	struct buf f;
	int status, i;

	if ((t = thread_get(req, &status)) == NULL)
		return status;
	if ((b = DB_EXEC("mod_boards", i18n_langs[req->lang].tag)) == NULL) {
		PQclear(t);
		return page_unavailable(req);
	}
	buf_init(&f);
	buf_puts(&f, "<label for=\"board\">");
	html_txt(&f, T(req, "Move to board"));
	buf_puts(&f, "</label><select id=\"board\" name=\"board\">");
	for (i = 0; i < PQntuples(b); i++) {
		buf_puts(&f, "<option value=\"");
		html_attr(&f, db_val(b, i, 0));
		buf_printf(&f, "\"%s>", strcmp(db_val(b, i, 0),
		    db_val(t, 0, 2)) == 0 ? " selected" : "");
		html_txt(&f, db_val(b, i, 1));
		buf_puts(&f, "</option>");
	}
	buf_puts(&f, "</select>");
	status = confirm(req, 200, arena_printf(req->arena,
	    "/mod/threads/%lld/move", req->id), T(req, "Move this thread?"),
	    arena_strdup(req->arena, db_val(t, 0, 1)), T(req, "Move"), 0,
	    copy(req, &f), NULL);
	buf_free(&f);
	PQclear(b);
	PQclear(t);
	return status;
}

int
mod_thread_move(struct request *req)
{
	PGresult *r;
	int n;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("There is no such board."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_thread_move", num(req, req->id),
	    param_str(req, "board"))) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
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

int
mod_thread_hide_form(struct request *req)
{
	PGresult *t;
	int status;

	if ((t = thread_get(req, &status)) == NULL)
		return status;
	status = confirm(req, 200, arena_printf(req->arena,
	    "/mod/threads/%lld/hide", req->id), T(req, "Hide this whole "
	    "thread?"), arena_strdup(req->arena, db_val(t, 0, 1)),
	    T(req, "Hide"), 1, NULL, NULL);
	PQclear(t);
	return status;
}

static int
thread_state(struct request *req, const char *state, const char *why)
{
	PGresult *r;
	int n;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_thread_state", num(req, req->id), state)) ==
	    NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
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
	const char *why = reason(req);

	if (*why == '\0')
		return confirm(req, 422, arena_printf(req->arena,
		    "/mod/threads/%lld/hide", req->id), T(req, "Hide this "
		    "whole thread?"), NULL, T(req, "Hide"), 1, NULL,
		    N_("Give a reason: the author sees it."));
	return thread_state(req, "hidden", why);
}

int
mod_thread_restore(struct request *req)
{
	return thread_state(req, "published", NULL);
}

int
mod_bulk(struct request *req)
{
	struct buf f;
	const char *why;
	size_t i;
	int n = 0, done = 0;
	char *end;
	long long id;

	/* The post ids come as repeated "post" fields. */
	buf_init(&f);
	for (i = 0; i < req->nfields; i++) {
		if (strcmp(req->fields[i].key, "post") != 0)
			continue;
		id = strtoll(req->fields[i].val, &end, 10);
		if (*end != '\0' || id <= 0)
			continue;
		buf_printf(&f, "<input type=\"hidden\" name=\"post\" "
		    "value=\"%lld\">", id);
		n++;
	}
	if (n == 0 || req->nerrors > 0) {
		buf_free(&f);
		return page_error(req, 422, N_("Choose at least one item and "
		    "an action."));
	}
	if (param_int(req, "action") == 1) {
		why = arena_printf(req->arena, TN(req, "Reject %s post?",
		    "Reject %s posts?", (unsigned long long)n),
		    i18n_num(req->arena, req->lang, n));
		n = confirm(req, 200, "/mod/bulk/reject", why, NULL,
		    T(req, "Reject"), 1, copy(req, &f), NULL);
		buf_free(&f);
		return n;
	}
	buf_free(&f);
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < req->nfields; i++) {
		PGresult *r;

		if (strcmp(req->fields[i].key, "post") != 0)
			continue;
		id = strtoll(req->fields[i].val, &end, 10);
		if (*end != '\0' || id <= 0)
			continue;
		if ((r = DB_EXEC("mod_approve", num(req, id), me(req))) ==
		    NULL)
			goto fail;
		if (PQntuples(r) == 1 && audit(req->user->id, "post.approve",
		    arena_printf(req->arena, "post:%lld", id), NULL) == -1) {
			PQclear(r);
			goto fail;
		}
		done += PQntuples(r);
		PQclear(r);
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
	const char *key, *note, *why;
	PGresult *r;
	size_t i;
	char *end;
	long long id;

	if (reason_parts(req, &key, &note, &why) == -1)
		return page_error(req, 422, N_("Give a reason: the author sees "
		    "it."));
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < req->nfields; i++) {
		if (strcmp(req->fields[i].key, "post") != 0)
			continue;
		id = strtoll(req->fields[i].val, &end, 10);
		if (*end != '\0' || id <= 0)
			continue;
		if ((r = DB_EXEC("mod_reject", num(req, id), me(req), note,
		    key)) == NULL)
			goto fail;
		if (PQntuples(r) == 1 && audit(req->user->id, "post.reject",
		    arena_printf(req->arena, "post:%lld", id), why) == -1) {
			PQclear(r);
			goto fail;
		}
		PQclear(r);
	}
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, "/mod");
fail:
	db_rollback();
	return page_unavailable(req);
}

/* The report form, for a post (kind "p") or a vacancy (kind "jobs"). */
static int
report_page(struct request *req, int status, const char *kind,
    const char *excerpt)
{
	struct tmpl_vars v;
	int post = strcmp(kind, "p") == 0;
	const char *heading = post ? T(req, "Report a post") :
	    T(req, "Report a vacancy");

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "heading", heading);
	tmpl_set(&v, "action", arena_printf(req->arena, "/%s/%lld/report",
	    kind, req->id));
	tmpl_set(&v, "back", arena_printf(req->arena, "/%s/%lld", kind,
	    req->id));
	tmpl_set(&v, "excerpt", excerpt);
	tmpl_set(&v, "reason", param_str(req, "reason"));
	tmpl_set(&v, "reason_err", param_err(req, "reason"));
	req->personal = 1;
	return page_render(req, status, heading, "report", &v);
}

static int
reported(struct request *req)
{
	struct tmpl_vars v;

	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "heading", T(req, "Thank you"));
	tmpl_set(&v, "message", T(req, "A counsellor will look at it."));
	req->personal = 1;
	return page_render(req, 200, T(req, "Thank you"), "message", &v);
}

int
mod_report_form(struct request *req)
{
	PGresult *p;
	int rc;

	if ((p = post_state(req)) == NULL)
		return page_unavailable(req);
	/* What a visitor can see, as forum_post: no title or text of a
	 * post or thread that is not public. */
	if (PQntuples(p) != 1 || strcmp(db_val(p, 0, 0), "published") != 0 ||
	    strcmp(db_val(p, 0, 6), "published") != 0) {
		PQclear(p);
		return page_error(req, 404, N_("This post does not exist."));
	}
	rc = report_page(req, 200, "p", arena_strdup(req->arena,
	    db_val(p, 0, 5)));
	PQclear(p);
	return rc;
}

int
mod_report(struct request *req)
{
	PGresult *r;

	if (req->nerrors > 0)
		return report_page(req, 422, "p", NULL);
	if ((r = DB_EXEC("mod_report", num(req, req->id), me(req),
	    param_str(req, "reason"), num(req,
	    setting_get(SET_REPORT_THRESHOLD)))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1)
		log_info("post %lld hidden by reports", req->id);
	PQclear(r);
	return reported(req);
}

/* The vacancy to report: its title and text, or NULL with *status. */
static PGresult *
vacancy_for_report(struct request *req, int *status)
{
	PGresult *r;

	if ((r = DB_EXEC("mod_vacancy_title", num(req, req->id))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		PQclear(r);
		*status = page_error(req, 404, N_("This vacancy is not open."));
		return NULL;
	}
	return r;
}

int
mod_report_vacancy_form(struct request *req)
{
	PGresult *r;
	int status;

	if ((r = vacancy_for_report(req, &status)) == NULL)
		return status;
	status = report_page(req, 200, "jobs", arena_strdup(req->arena,
	    db_val(r, 0, 0)));
	PQclear(r);
	return status;
}

int
mod_report_vacancy(struct request *req)
{
	PGresult *r;
	int status;

	if ((r = vacancy_for_report(req, &status)) == NULL)
		return status;
	PQclear(r);
	if (req->nerrors > 0)
		return report_page(req, 422, "jobs", NULL);
	if (DB_RUN("mod_report_vacancy", num(req, req->id), me(req),
	    param_str(req, "reason")) == -1)
		return page_unavailable(req);
	return reported(req);
}

int
mod_vacancy_dismiss(struct request *req)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_dismiss_vacancy", num(req, req->id), me(req))) ==
	    NULL)
		goto fail;
	PQclear(r);
	if (audit(req->user->id, "vacancy.reports_dismissed",
	    arena_printf(req->arena, "vacancy:%lld", req->id), NULL) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, "/mod");
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_users(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows;
	char key[200], like[400];
	PGresult *r;
	size_t j;
	int i;

	/* The beginning of a name, folded as names are (so ى finds ی and
	 * ٣ finds 3); LIKE's wildcards in it match themselves. */
	user_name_key(param_str(req, "q"), key, sizeof(key));
	for (i = 0, j = 0; key[i] != '\0'; i++) {
		if (key[i] == '%' || key[i] == '_' || key[i] == '\\')
			like[j++] = '\\';
		like[j++] = key[i];
	}
	like[j] = '\0';
	if ((r = DB_EXEC("mod_users", like)) == NULL)
		return page_unavailable(req);
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "id", arena_strdup(req->arena, db_val(r, i, 0)));
		tmpl_set(&row, "name", arena_strdup(req->arena,
		    db_val(r, i, 1)));
		tmpl_set(&row, "role", page_role_label(req,
		    db_val(r, i, 2)));
		tmpl_set(&row, "since", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 3)));
		tmpl_set(&row, "suspended", strcmp(db_val(r, i, 4), "t") == 0 ?
		    "1" : NULL);
		tmpl_render(&rows, "mod_user_row", req->lang, &row);
	}
	PQclear(r);
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "q", param_str(req, "q"));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, T(req, "Users"), "mod_users", &v);
}

/*
 * The returnee's part of the user card: the profile (as counsellors
 * read it on /profiles/{id}) and the applications and referrals with
 * their statuses.  0, or -1 when the database is down.
 */
static int
user_jobs(struct request *req, struct tmpl_vars *v)
{
	struct tmpl_vars row;
	struct buf b;
	PGresult *p, *r;
	int i, app;

	if ((p = DB_EXEC("mod_user_profile", num(req, req->id))) == NULL)
		return -1;
	if ((r = DB_EXEC("mod_user_jobs", num(req, req->id))) == NULL) {
		PQclear(p);
		return -1;
	}
	tmpl_set(v, "returnee", "1");
	if (PQntuples(p) == 1) {
		tmpl_set(v, "has_profile", "1");
		tmpl_set(v, "p_governorate", jobs_label(req, JOBS_GOVERNORATE,
		    db_val(p, 0, 0)));
		tmpl_set(v, "p_country", jobs_label(req, JOBS_COUNTRY,
		    db_val(p, 0, 1)));
		tmpl_set(v, "p_returned", *db_val(p, 0, 2) ? jobs_date(req,
		    db_val(p, 0, 2)) : NULL);
		tmpl_set(v, "p_occupation", arena_strdup(req->arena,
		    db_val(p, 0, 3)));
		tmpl_set(v, "p_skills", arena_strdup(req->arena,
		    db_val(p, 0, 4)));
		tmpl_set(v, "p_education", jobs_label(req, JOBS_EDUCATION,
		    db_val(p, 0, 5)));
		tmpl_set(v, "p_languages", jobs_lang_names(req,
		    db_val(p, 0, 6)));
		tmpl_set(v, "p_consent", strcmp(db_val(p, 0, 7), "t") == 0 ?
		    "1" : NULL);
		tmpl_set(v, "p_experience", arena_strdup(req->arena,
		    db_val(p, 0, 8)));
	}
	buf_init(&b);
	for (i = 0; i < PQntuples(r); i++) {
		app = strcmp(db_val(r, i, 0), "application") == 0;
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "application", app ? "1" : NULL);
		tmpl_set(&row, "vid", arena_strdup(req->arena,
		    db_val(r, i, 1)));
		tmpl_set(&row, "title", arena_strdup(req->arena,
		    db_val(r, i, 2)));
		tmpl_set(&row, "status", jobs_label(req, app ? JOBS_APP_STATUS :
		    JOBS_REF_STATUS, db_val(r, i, 3)));
		tmpl_set(&row, "day", jobs_date(req, db_val(r, i, 4)));
		tmpl_set(&row, "enterprise", arena_strdup(req->arena,
		    db_val(r, i, 6)));
		tmpl_render(&b, "mod_user_job", req->lang, &row);
	}
	tmpl_set(v, "no_jobs", PQntuples(r) == 0 ? "1" : NULL);
	tmpl_set_raw(v, "jobs", copy(req, &b));
	buf_free(&b);
	PQclear(p);
	PQclear(r);
	return 0;
}

int
mod_user(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;
	int returnee;

	if ((r = DB_EXEC("mod_user", num(req, req->id))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1) {
		PQclear(r);
		return page_error(req, 404, N_("There is no such user."));
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "id", num(req, req->id));
	tmpl_set(&v, "name", arena_strdup(req->arena, db_val(r, 0, 1)));
	tmpl_set(&v, "role", page_role_label(req, db_val(r, 0, 2)));
	tmpl_set(&v, "since", i18n_digits(req->arena, req->lang,
	    db_val(r, 0, 3)));
	if (strcmp(db_val(r, 0, 6), "t") == 0) {
		tmpl_set(&v, "suspended", "1");
		tmpl_set(&v, "until", i18n_digits(req->arena, req->lang,
		    db_val(r, 0, 4)));
		tmpl_set(&v, "why", arena_strdup(req->arena, db_val(r, 0, 5)));
	}
	tmpl_set(&v, "posts", i18n_num(req->arena, req->lang, db_ll(r, 0, 7)));
	tmpl_set(&v, "enterprise", arena_strdup(req->arena, db_val(r, 0, 8)));
	if (strcmp(db_val(r, 0, 2), "moderator") != 0 &&
	    strcmp(db_val(r, 0, 2), "admin") != 0)
		tmpl_set(&v, "sanctionable", "1");
	if (req->user->role == ROLE_ADMIN && req->user->id != req->id &&
	    strcmp(db_val(r, 0, 2), "employer") != 0)
		tmpl_set(&v, "can_role", "1");
	returnee = strcmp(db_val(r, 0, 2), "returnee") == 0;
	PQclear(r);
	if (returnee && user_jobs(req, &v) == -1)
		return page_unavailable(req);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, tmpl_var(&v, "name"), "mod_user", &v);
}

/* The suspension form, with the day given and the problem, if any. */
static int
suspend_form(struct request *req, int status, const char *until,
    const char *problem)
{
	struct buf f;
	int rc;

	buf_init(&f);
	buf_puts(&f, "<label for=\"until\">");
	html_txt(&f, T(req, "Suspended until (the last day)"));
	buf_puts(&f, "</label><input id=\"until\" name=\"until\" type=\"date\" "
	    "required value=\"");
	html_attr(&f, until);
	buf_puts(&f, "\">");
	rc = confirm(req, status, arena_printf(req->arena,
	    "/mod/users/%lld/suspend", req->id), T(req, "Suspend this "
	    "account?"), NULL, T(req, "Suspend"), 1, copy(req, &f), problem);
	buf_free(&f);
	return rc;
}

int
mod_suspend_form(struct request *req)
{
	return suspend_form(req, 200, "", NULL);
}

int
mod_suspend(struct request *req)
{
	const char *why = reason(req), *until = param_str(req, "until");
	char day[11];
	PGresult *r;
	int n;

	/* The day is checked here, whole: PostgreSQL would refuse a
	 * "2027-02-31" with an error, not a 422. */
	if (param_err(req, "until") != NULL ||
	    i18n_parse_date(until, day) == -1 || *why == '\0')
		return suspend_form(req, 422, until, N_("Give the last day of "
		    "the suspension (a date from today) and a reason."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_suspend", num(req, req->id), day, why, me(req),
	    req->user->role == ROLE_ADMIN ? "true" : "false")) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return suspend_form(req, 422, until, N_("This account cannot "
		    "be suspended until that day."));
	}
	if (auth_sessions_end_all(req->id) == -1 || audit(req->user->id,
	    "user.suspend", arena_printf(req->arena, "user:%lld", req->id),
	    arena_printf(req->arena, "%s: %s", day, why)) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_unsuspend(struct request *req)
{
	PGresult *r;
	int n;

	if (db_begin() == -1)
		return page_unavailable(req);
	/* As for suspending: only an admin acts on counsellors' accounts
	 * (a counsellor must not lift an admin's suspension of one). */
	if ((r = DB_EXEC("mod_unsuspend", num(req, req->id),
	    req->user->role == ROLE_ADMIN ? "true" : "false")) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return page_error(req, 403, N_("You do not have access to "
		    "this page."));
	}
	if (audit(req->user->id, "user.unsuspend", arena_printf(req->arena,
	    "user:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_reset_link(struct request *req)
{
	struct tmpl_vars v;
	unsigned char raw[32];
	char tok[65], hash[65];
	PGresult *r;
	int n;

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(tok, sizeof(tok), raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	auth_token_hash(tok, hash);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("mod_reset_new", num(req, req->id), hash, me(req),
	    req->user->role == ROLE_ADMIN ? "true" : "false")) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return page_error(req, 403, N_("You cannot make a reset link "
		    "for this account."));
	}
	if (audit(req->user->id, "user.reset_link", arena_printf(req->arena,
	    "user:%lld", req->id), NULL) == -1 || db_commit() == -1)
		goto fail;
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "link", arena_printf(req->arena, "%s/reset/%s",
	    conf_active()->base_url, tok));
	sodium_memzero(tok, sizeof(tok));
	req->personal = 1;
	return page_render(req, 200, T(req, "One-time password link"),
	    "mod_reset", &v);
fail:
	db_rollback();
	return page_unavailable(req);
}

int
mod_audit(struct request *req)
{
	struct tmpl_vars v, row;
	struct buf rows, target;
	PGresult *r;
	int i;

	if ((r = DB_EXEC("mod_audit", param_str(req, "action"),
	    param_str(req, "actor"))) == NULL)
		return page_unavailable(req);
	buf_init(&rows);
	for (i = 0; i < PQntuples(r); i++) {
		memset(&row, 0, sizeof(row));
		tmpl_set(&row, "at", i18n_digits(req->arena, req->lang,
		    db_val(r, i, 0)));
		tmpl_set(&row, "actor", arena_strdup(req->arena,
		    db_val(r, i, 1)));
		tmpl_set(&row, "code", arena_strdup(req->arena,
		    db_val(r, i, 2)));
		tmpl_set(&row, "action", audit_action_label(req,
		    db_val(r, i, 2)));
		buf_init(&target);
		audit_target_html(req, &target, db_val(r, i, 3));
		tmpl_set_raw(&row, "target", copy(req, &target));
		buf_free(&target);
		tmpl_set(&row, "reason", arena_strdup(req->arena,
		    db_val(r, i, 4)));
		tmpl_render(&rows, "mod_audit_row", req->lang, &row);
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "none", PQntuples(r) == 0 ? "1" : NULL);
	PQclear(r);
	tmpl_set(&v, "action", param_str(req, "action"));
	tmpl_set(&v, "actor", param_str(req, "actor"));
	tmpl_set_raw(&v, "rows", copy(req, &rows));
	buf_free(&rows);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, T(req, "Audit log"), "mod_audit", &v);
}

static const char *const stat_cols[] = {
	N_("Month"), N_("New returnees"), N_("New employers"), N_("Threads"),
	N_("Posts"), N_("Reports"), N_("Median minutes to moderation"),
	N_("Vacancies published"), N_("Applications"), N_("Hired"),
	N_("Referrals"), N_("Placed or enrolled"), NULL
};

/* The heading of a row of the totals: which things are counted. */
static const char *
totals_kind(struct request *req, const char *kind)
{
	if (strcmp(kind, "users") == 0)
		return T(req, "Accounts");
	if (strcmp(kind, "vacancies") == 0)
		return T(req, "Vacancies");
	if (strcmp(kind, "applications") == 0)
		return T(req, "Applications");
	return T(req, "Referrals");
}

/* The group of a row of the totals in the reader's words: a role and a
 * governorate, a vacancy's state and sector, or a status. */
static void
totals_group(struct request *req, struct buf *t, const char *kind,
    const char *key, const char *key2)
{
	const char *a, *b = NULL;

	if (strcmp(kind, "users") == 0) {
		a = page_role_label(req, key);
		if (*key2 != '\0')
			b = jobs_label(req, JOBS_GOVERNORATE, key2);
	} else if (strcmp(kind, "vacancies") == 0) {
		a = jobs_label(req, JOBS_STATE, key);
		b = jobs_label(req, JOBS_SECTOR, key2);
	} else if (strcmp(kind, "applications") == 0)
		a = jobs_label(req, JOBS_APP_STATUS, key);
	else
		a = jobs_label(req, JOBS_REF_STATUS, key);
	html_txt(t, a);
	if (b != NULL && *b != '\0') {
		buf_puts(t, " · ");
		html_txt(t, b);
	}
}

/*
 * A cell's column heading again inside it, shown only where the table is
 * laid out as cards (a phone) and its header row is hidden.
 */
static void
cell_label(struct request *req, struct buf *t, const char *msgid)
{
	buf_puts(t, "<span class=\"cell-label\">");
	html_txt(t, i18n_get(req->lang, msgid));
	buf_puts(t, "</span> ");
}

/* The monthly series drawn as charts: their columns in mod_stats. */
static const int charted[] = { 1, 4, 7, 8, 11 };

/*
 * One monthly series as a bar chart in SVG, drawn here so the page needs
 * no script and no image request.  Labels are the reader's digits.
 */
static void
svg_bars(struct request *req, struct buf *b, const char *title,
    const PGresult *r, int col)
{
	long long v, max = 1;
	int i, n = PQntuples(r), x, h;

	for (i = 0; i < n; i++)
		if ((v = db_ll(r, i, col)) > max)
			max = v;
	buf_puts(b, "<figure class=\"chart\"><figcaption>");
	html_txt(b, title);
	buf_printf(b, "</figcaption><svg viewBox=\"0 0 %d 130\" role=\"img\" "
	    "aria-label=\"", n * 30);
	html_attr(b, title);
	buf_puts(b, "\">");
	for (i = 0; i < n; i++) {
		v = db_ll(r, i, col);
		h = (int)(v * 90 / max);
		x = i * 30;
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"22\" "
		    "height=\"%d\" fill=\"#0b5d7a\"><title>", x + 4, 100 - h, h);
		html_txt(b, db_val(r, i, 0));
		buf_puts(b, ": ");
		html_txt(b, i18n_num(req->arena, req->lang, v));
		buf_printf(b, "</title></rect><text x=\"%d\" y=\"%d\" "
		    "font-size=\"10\" text-anchor=\"middle\">", x + 15,
		    96 - h);
		html_txt(b, i18n_num(req->arena, req->lang, v));
		buf_printf(b, "</text><text x=\"%d\" y=\"118\" font-size=\"9\" "
		    "text-anchor=\"middle\">", x + 15);
		/* "2026-11" -> "11" */
		html_txt(b, i18n_digits(req->arena, req->lang,
		    db_val(r, i, 0) + 5));
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</svg></figure>");
}

int
mod_stats(struct request *req)
{
	struct tmpl_vars v;
	struct buf t;
	PGresult *r, *b, *k;
	int i, j;

	if ((r = db_exec("mod_stats", 0, NULL)) == NULL)
		return page_unavailable(req);
	if ((b = DB_EXEC("mod_stats_boards",
	    i18n_langs[req->lang].tag)) == NULL) {
		PQclear(r);
		return page_unavailable(req);
	}
	if ((k = db_exec("mod_stats_totals", 0, NULL)) == NULL) {
		PQclear(r);
		PQclear(b);
		return page_unavailable(req);
	}
	buf_init(&t);
	buf_puts(&t, "<div class=\"charts\">");
	for (j = 0; j < (int)(sizeof(charted) / sizeof(charted[0])); j++)
		svg_bars(req, &t, T(req, stat_cols[charted[j]]), r, charted[j]);
	buf_puts(&t, "</div>");
	buf_puts(&t, "<table class=\"stats\"><thead><tr>");
	for (j = 0; stat_cols[j] != NULL; j++) {
		buf_puts(&t, "<th scope=\"col\">");
		html_txt(&t, T(req, stat_cols[j]));
		buf_puts(&t, "</th>");
	}
	buf_puts(&t, "</tr></thead><tbody>");
	for (i = 0; i < PQntuples(r); i++) {
		buf_puts(&t, "<tr>");
		for (j = 0; j < PQnfields(r); j++) {
			buf_puts(&t, j == 0 ? "<th scope=\"row\">" : "<td>");
			if (j > 0)
				cell_label(req, &t, stat_cols[j]);
			html_txt(&t, i18n_digits(req->arena, req->lang,
			    db_val(r, i, j)));
			buf_puts(&t, j == 0 ? "</th>" : "</td>");
		}
		buf_puts(&t, "</tr>");
	}
	buf_puts(&t, "</tbody></table><h2>");
	html_txt(&t, T(req, "Boards"));
	buf_puts(&t, "</h2><table class=\"stats\"><thead><tr><th scope=\"col\">");
	html_txt(&t, T(req, "Board"));
	buf_puts(&t, "</th><th scope=\"col\">");
	html_txt(&t, T(req, "Threads"));
	buf_puts(&t, "</th><th scope=\"col\">");
	html_txt(&t, T(req, "Posts"));
	buf_puts(&t, "</th></tr></thead><tbody>");
	for (i = 0; i < PQntuples(b); i++) {
		buf_puts(&t, "<tr><th scope=\"row\">");
		html_txt(&t, db_val(b, i, 0));
		buf_puts(&t, "</th><td>");
		cell_label(req, &t, N_("Threads"));
		html_txt(&t, i18n_digits(req->arena, req->lang,
		    db_val(b, i, 1)));
		buf_puts(&t, "</td><td>");
		cell_label(req, &t, N_("Posts"));
		html_txt(&t, i18n_digits(req->arena, req->lang,
		    db_val(b, i, 2)));
		buf_puts(&t, "</td></tr>");
	}
	buf_puts(&t, "</tbody></table><h2>");
	html_txt(&t, T(req, "Totals"));
	buf_puts(&t, "</h2><table class=\"stats\"><tbody>");
	for (i = 0; i < PQntuples(k); i++) {
		buf_puts(&t, "<tr><th scope=\"row\">");
		html_txt(&t, totals_kind(req, db_val(k, i, 0)));
		buf_puts(&t, "</th><td>");
		totals_group(req, &t, db_val(k, i, 0), db_val(k, i, 1),
		    db_val(k, i, 2));
		buf_puts(&t, "</td><td>");
		html_txt(&t, i18n_digits(req->arena, req->lang,
		    db_val(k, i, 3)));
		buf_puts(&t, "</td></tr>");
	}
	buf_puts(&t, "</tbody></table>");
	PQclear(r);
	PQclear(b);
	PQclear(k);
	memset(&v, 0, sizeof(v));
	tmpl_set_raw(&v, "tables", copy(req, &t));
	buf_free(&t);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, T(req, "Statistics"), "mod_stats", &v);
}

int
mod_stats_csv(struct request *req)
{
	PGresult *r;
	int i, j;

	if ((r = db_exec("mod_stats", 0, NULL)) == NULL)
		return page_unavailable(req);
	buf_reset(&req->out);
	for (j = 0; stat_cols[j] != NULL; j++)
		buf_printf(&req->out, "%s\"%s\"", j ? "," : "", stat_cols[j]);
	buf_puts(&req->out, "\r\n");
	/* Only dates and numbers: nothing a spreadsheet could run. */
	for (i = 0; i < PQntuples(r); i++) {
		for (j = 0; j < PQnfields(r); j++)
			buf_printf(&req->out, "%s%s", j ? "," : "",
			    db_val(r, i, j));
		buf_puts(&req->out, "\r\n");
	}
	PQclear(r);
	req->content_type = "text/csv; charset=utf-8";
	request_set_header(req, "Content-Disposition",
	    "attachment; filename=\"magnet-statistics.csv\"");
	req->personal = 1;
	return 200;
}

int
admin_home(struct request *req)
{
	struct tmpl_vars v;
	struct buf s, staff, boards;
	const char *offices;
	PGresult *r, *b;
	int i;

	if ((r = db_exec("admin_staff", 0, NULL)) == NULL)
		return page_unavailable(req);
	if ((b = DB_EXEC("mod_boards", i18n_langs[req->lang].tag)) == NULL) {
		PQclear(r);
		return page_unavailable(req);
	}
	buf_init(&staff);
	for (i = 0; i < PQntuples(r); i++) {
		buf_printf(&staff, "<li><a href=\"/mod/users/%s\"><bdi>",
		    db_val(r, i, 0));
		html_txt(&staff, db_val(r, i, 1));
		buf_puts(&staff, "</bdi></a> · ");
		html_txt(&staff, page_role_label(req, db_val(r, i, 2)));
		buf_puts(&staff, "</li>");
	}
	buf_init(&boards);
	for (i = 0; i < PQntuples(b); i++) {
		buf_puts(&boards, "<li><a href=\"/admin/boards/");
		html_attr(&boards, db_val(b, i, 0));
		buf_puts(&boards, "\"><bdi>");
		html_txt(&boards, db_val(b, i, 1));
		buf_puts(&boards, "</bdi></a></li>");
	}
	buf_init(&s);
	for (i = 0; i < SET__MAX; i++) {
		buf_printf(&s, "<label for=\"%s\">", setting_info[i].key);
		html_txt(&s, T(req, setting_info[i].label));
		buf_printf(&s, "</label><input id=\"%s\" name=\"%s\" "
		    "type=\"number\" min=\"%lld\" max=\"%lld\" value=\"%lld\" "
		    "required>", setting_info[i].key, setting_info[i].key,
		    setting_info[i].min, setting_info[i].max,
		    setting_get((enum setting)i));
	}
	memset(&v, 0, sizeof(v));
	if ((offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL) {
		buf_free(&staff);
		buf_free(&boards);
		buf_free(&s);
		PQclear(r);
		PQclear(b);
		return page_unavailable(req);
	}
	tmpl_set(&v, "offices", offices);
	tmpl_set_int(&v, req->arena, "offices_max", SET_TEXT_OFFICES_MAX);
	tmpl_set_raw(&v, "staff", copy(req, &staff));
	tmpl_set_raw(&v, "boards", copy(req, &boards));
	tmpl_set_raw(&v, "settings", copy(req, &s));
	buf_free(&staff);
	buf_free(&boards);
	buf_free(&s);
	PQclear(r);
	PQclear(b);
	req->personal = 1;
	modnav(req, &v);
	return page_render(req, 200, T(req, "Administration"), "admin", &v);
}

int
admin_role(struct request *req)
{
	PGresult *r;
	int n;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("Please choose one of the "
		    "options."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("admin_role", num(req, req->id), param_str(req,
	    "role"), me(req))) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return page_error(req, 422, N_("The role of this account cannot "
		    "be changed here."));
	}
	if (auth_sessions_end_all(req->id) == -1 || audit(req->user->id,
	    "user.role", arena_printf(req->arena, "user:%lld", req->id),
	    param_str(req, "role")) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, arena_printf(req->arena, "/mod/users/%lld",
	    req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
admin_settings(struct request *req)
{
	const char *offices;
	struct buf what;
	int i;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("A setting is out of range."));
	if ((offices = setting_text(req->arena, SET_TEXT_OFFICES)) == NULL)
		return page_unavailable(req);
	buf_init(&what);
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < SET__MAX; i++) {
		if (setting_set((enum setting)i, param_int(req,
		    setting_info[i].key)) == -1)
			goto fail;
		buf_printf(&what, "%s%s=%lld", i ? " " : "",
		    setting_info[i].key, param_int(req, setting_info[i].key));
	}
	if (strcmp(offices, param_str(req, SET_TEXT_OFFICES)) != 0) {
		if (setting_set_text(SET_TEXT_OFFICES, param_str(req,
		    SET_TEXT_OFFICES)) == -1)
			goto fail;
		buf_puts(&what, " offices: changed");
	}
	if (audit(req->user->id, "settings.change", "settings", what.p) == -1 ||
	    db_commit() == -1)
		goto fail;
	buf_free(&what);
	return request_redirect(req, "/admin");
fail:
	buf_free(&what);
	db_rollback();
	setting_flush();
	return page_unavailable(req);
}

int
admin_board_form(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;
	const char *lang;
	int i;

	if ((r = DB_EXEC("admin_board_get", req->slug)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 0) {
		PQclear(r);
		return page_error(req, 404, N_("There is no such board."));
	}
	memset(&v, 0, sizeof(v));
	tmpl_set(&v, "slug", req->slug);
	tmpl_set(&v, "position", arena_strdup(req->arena, db_val(r, 0, 1)));
	for (i = 0; i < PQntuples(r); i++) {
		lang = db_val(r, i, 2);
		if (strcmp(lang, "kmr-Arab") == 0)
			lang = "kmr";
		if (*lang == '\0')
			continue;
		tmpl_set(&v, arena_printf(req->arena, "name_%s", lang),
		    arena_strdup(req->arena, db_val(r, i, 3)));
		tmpl_set(&v, arena_printf(req->arena, "description_%s", lang),
		    arena_strdup(req->arena, db_val(r, i, 4)));
	}
	PQclear(r);
	req->personal = 1;
	return page_render(req, 200, T(req, "Edit board"), "admin_board", &v);
}

int
admin_board(struct request *req)
{
	const char *name, *desc;
	PGresult *r;
	int i, n;

	if (req->nerrors > 0)
		return page_error(req, 422, N_("Every board needs an English "
		    "name, and names are at most 80 characters."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_EXEC("admin_board_pos", req->slug, num(req,
	    param_int(req, "position")))) == NULL)
		goto fail;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0) {
		db_rollback();
		return page_error(req, 404, N_("There is no such board."));
	}
	for (i = 0; i < LANG__MAX; i++) {
		name = param_str(req, arena_printf(req->arena, "name_%s",
		    i18n_langs[i].tag));
		desc = param_str(req, arena_printf(req->arena,
		    "description_%s", i18n_langs[i].tag));
		if (*name == '\0') {
			if (DB_RUN("admin_board_unname", req->slug,
			    i18n_langs[i].tag) == -1)
				goto fail;
			continue;
		}
		if (DB_RUN("admin_board_name", req->slug, i18n_langs[i].tag,
		    name, desc) == -1)
			goto fail;
	}
	if (audit(req->user->id, "board.edit", arena_printf(req->arena,
	    "board:%s", req->slug), NULL) == -1 || db_commit() == -1)
		goto fail;
	return request_redirect(req, "/admin");
fail:
	db_rollback();
	return page_unavailable(req);
}
