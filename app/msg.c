/*
 * Private conversations.  Who may write to whom is one small rule
 * (msg_start_rule) shaped by the programme: a returnee or an employer
 * writes to "the counsellors", a shared inbox any counsellor answers
 * under their own name; a counsellor writes to anyone; an employer
 * writes to a returnee only about an application or a referral to one
 * of its vacancies; returnees with returnees and employers with
 * employers only when an admin allows it.
 *
 * A conversation has exactly two member rows; the counsellors' side of a
 * counselling conversation is one row with no user.  Each row keeps its
 * own unread count, so the list and the header's count are index ranges
 * and reading is one short update.  Nobody outside a conversation reads
 * it: the answer is 404, as for one that does not exist.  Counsellors
 * read a direct conversation only while a participant's report on it is
 * open, and each such reading is written to the audit log first.
 *
 * Messages are rendered once, on save, by the markdown workers, and
 * saved by one statement that also moves the counters; a form's
 * idempotency key makes a resubmitted form find the message it made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "forum.h"
#include "html.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "msg.h"
#include "msg_contact.h"
#include "msg_mod.h"
#include "note.h"
#include "notify.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "setting.h"
#include "tmpl.h"
#include "user.h"

/* New conversations a returnee or employer may start in a day. */
#define NEW_PER_DAY	30


/* A row of a list: the conversation as one member row sees it, with the
 * other side and who wrote last; key is the keyset cursor
 * "microseconds.id". */
#define LIST_ROW \
	"SELECT c.id, c.subject, k.unread, c.message_count AS count, " \
	"o.user_id IS NULL AS with_counsellors, " \
	"coalesce(ou.username, '') AS with_name, " \
	"coalesce(ou.role, '') AS with_role, " \
	"ou.deleted_at IS NOT NULL AS with_deleted, " \
	"coalesce(lu.username, '') AS last_name, " \
	"coalesce(lu.role, '') AS last_role, " \
	"lu.deleted_at IS NOT NULL AS last_deleted, " \
	"magnet_time(k.last_at) AS last_at, " \
	"(extract(epoch FROM k.last_at) * 1000000)::bigint AS last_us, " \
	"(extract(epoch FROM k.last_at) * 1000000)::bigint || '.' || c.id " \
	"AS key " \
	"FROM conversation_members k JOIN conversations c ON " \
	"c.id = k.conversation_id LEFT JOIN conversation_members o ON " \
	"o.conversation_id = k.conversation_id AND o.user_id IS DISTINCT " \
	"FROM k.user_id LEFT JOIN users ou ON ou.id = o.user_id " \
	"LEFT JOIN users lu ON lu.id = c.last_author_id "
#define KEYSET(op, a, b) "(k.last_at, k.conversation_id) " op \
	" (timestamptz 'epoch' + " a "::bigint * interval '1 microsecond', " \
	b "::bigint) "
#define NEWEST "ORDER BY k.last_at DESC, k.conversation_id DESC LIMIT 21"
/* Going back: the 20 rows nearest the cursor, newest first, and the
 * 21st (there are newer ones) last, where the page leaves it out. */
#define OLDEST "ORDER BY k.last_at ASC, k.conversation_id ASC LIMIT 21) y) x " \
	"ORDER BY rn = 21, last_us DESC, id DESC"
#define BACK "SELECT * FROM (SELECT y.*, row_number() OVER (ORDER BY " \
	"y.last_us, y.id) AS rn FROM ("

static const struct db_stmt stmts[] = {
	{ "msg_user_by_key", "SELECT id, username, role FROM users "
	    "WHERE username_key = $1 AND deleted_at IS NULL" },
	/* Whether the user's enterprise may write about it now: live, as
	 * jobs.h says (the same rule as for the profile). */
	{ "msg_application",
	    "SELECT a.user_id AS uid, u.username, v.id AS vacancy, "
	    "v.title AS vacancy_title, v.enterprise_id = $2 AS ours, "
	    JOBS_APP_LIVE("a", "v") " AS live "
	    "FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "JOIN users u ON u.id = a.user_id "
	    "WHERE a.id = $1 AND u.deleted_at IS NULL" },
	{ "msg_referral",
	    "SELECT a.user_id AS uid, u.username, v.id AS vacancy, "
	    "v.title AS vacancy_title, v.enterprise_id = $2 AS ours, "
	    JOBS_REF_LIVE("a", "v") " AS live "
	    "FROM referrals a "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "JOIN users u ON u.id = a.user_id "
	    "WHERE a.id = $1 AND u.deleted_at IS NULL" },
	{ "msg_about",
	    "SELECT c.id FROM conversations c JOIN conversation_members k "
	    "ON k.conversation_id = c.id AND k.user_id = $3 "
	    "WHERE c.application_id = $1::bigint OR c.referral_id = $2::bigint "
	    "ORDER BY c.id DESC LIMIT 1" },
	{ "msg_blocks",
	    "SELECT EXISTS (SELECT 1 FROM message_blocks WHERE blocker_id = $1 "
	    "AND blocked_id = $2) AS i_blocked, EXISTS (SELECT 1 FROM "
	    "message_blocks WHERE blocker_id = $2 AND blocked_id = $1) "
	    "AS blocked_me" },
	/* Suspended now, and how far the account is from being new. */
	{ "msg_sender",
	    "SELECT coalesce(suspended_until > now(), false) AS suspended, "
	    "(SELECT count(*) FROM (SELECT 1 FROM posts WHERE author_id = $1 "
	    "AND state = 'published' LIMIT $2) p) + "
	    "(SELECT count(*) FROM (SELECT 1 FROM messages WHERE "
	    "author_id = $1 LIMIT $2) m) AS prior FROM users WHERE id = $1" },
	{ "msg_rate", "UPDATE users SET last_message_at = now() WHERE id = $1 "
	    "AND (last_message_at IS NULL OR last_message_at <= now() - "
	    "make_interval(secs => $2::int)) RETURNING 1" },
	/* Refused: the seconds left to wait, at least 1. */
	{ "msg_wait", "SELECT greatest(1, ceil(extract(epoch FROM "
	    "last_message_at + make_interval(secs => $2::int) - now())))::int "
	    "AS wait FROM users WHERE id = $1" },
	/* A message's place: its page of $2 messages and its anchor. */
	{ "msg_idem_find", "SELECT '/messages/' || conversation_id || "
	    "'?page=' || ((seq - 1) / $3::int + 1) || '#m' || id AS href "
	    "FROM messages WHERE author_id = $1 AND idem_key = $2" },
	/* $9 and $10 are the two members (NULL: the counsellors); the
	 * second has the message to read.  Nothing is made for a sender
	 * who is suspended or gone. */
	{ "msg_create",
	    "WITH s AS (SELECT id FROM users WHERE id = $3 AND deleted_at IS "
	    "NULL AND (suspended_until IS NULL OR suspended_until < now())), "
	    "c AS (INSERT INTO conversations (kind, subject, created_by, "
	    "application_id, referral_id, last_author_id, message_count) "
	    "SELECT $1, $2, s.id, $4::bigint, $5::bigint, s.id, 1 FROM s "
	    "RETURNING id), "
	    "m AS (INSERT INTO messages (conversation_id, seq, author_id, "
	    "body_md, body_html, idem_key, search) SELECT c.id, 1, $3, $6, $7, "
	    "$8, to_tsvector('simple', magnet_fold($2 || ' ' || $6)) FROM c "
	    "RETURNING id, conversation_id), "
	    "k AS (INSERT INTO conversation_members (conversation_id, user_id, "
	    "unread, read_seq) SELECT c.id, x.uid, x.unread, 1 - x.unread "
	    "FROM c, (VALUES ($9::bigint, 0), ($10::bigint, 1)) x(uid, unread)) "
	    "SELECT conversation_id, id FROM m" },
	/* $6: a counsellor answers, which clears the shared inbox's count. */
	{ "msg_reply",
	    "WITH s AS (SELECT id FROM users WHERE id = $2 AND deleted_at IS "
	    "NULL AND (suspended_until IS NULL OR suspended_until < now())), "
	    "c AS (UPDATE conversations SET message_count = message_count + 1, "
	    "last_at = now(), last_author_id = $2 WHERE id = $1 AND "
	    "EXISTS (SELECT 1 FROM s) RETURNING id, message_count), "
	    "m AS (INSERT INTO messages (conversation_id, seq, author_id, "
	    "body_md, body_html, idem_key, search) SELECT c.id, "
	    "c.message_count, $2, $3, $4, $5, to_tsvector('simple', "
	    "magnet_fold($3)) FROM c RETURNING id, seq), "
	    "k AS (UPDATE conversation_members k SET last_at = now(), "
	    "unread = CASE WHEN k.user_id IS NULL THEN CASE WHEN $6::boolean "
	    "THEN 0 ELSE k.unread + 1 END WHEN k.user_id = $2 THEN 0 "
	    "ELSE k.unread + 1 END, read_seq = CASE WHEN k.user_id = $2 "
	    "THEN m.seq ELSE k.read_seq END FROM m "
	    "WHERE k.conversation_id = $1) "
	    "SELECT '/messages/' || $1::bigint || '?page=' || ((seq - 1) / $7::int + "
	    "1) || '#m' || id AS href FROM m" },
	/* The conversation and its two member rows, as $2 sees them. */
	{ "msg_get",
	    "SELECT c.kind = 'counselling' AS counselling, c.subject, "
	    "c.message_count, c.reported_at IS NOT NULL AS reported, "
	    "coalesce(k.user_id, 0) AS uid, coalesce(u.username, '') AS name, "
	    "coalesce(u.role, '') AS role, u.deleted_at IS NOT NULL AS deleted, "
	    "k.unread, k.read_seq, "
	    "EXISTS (SELECT 1 FROM message_blocks b WHERE b.blocker_id = $2 "
	    "AND b.blocked_id = k.user_id) AS i_blocked, EXISTS (SELECT 1 FROM "
	    "message_blocks b WHERE b.blocker_id = k.user_id AND "
	    "b.blocked_id = $2) AS blocked_me, coalesce(v.id, 0) AS vacancy, "
	    "coalesce(v.title, '') AS vacancy_title, "
	    "c.application_id IS NOT NULL AS about_application "
	    "FROM conversations c JOIN conversation_members k ON "
	    "k.conversation_id = c.id LEFT JOIN users u ON u.id = k.user_id "
	    "LEFT JOIN applications a ON a.id = c.application_id "
	    "LEFT JOIN referrals r ON r.id = c.referral_id "
	    "LEFT JOIN vacancies v ON v.id = coalesce(a.vacancy_id, "
	    "r.vacancy_id) WHERE c.id = $1 ORDER BY k.user_id NULLS FIRST" },
	/* A page of messages for viewer $4, who had read up to $5 (0: not
	 * a member, nothing is new). */
	{ "msg_page",
	    "SELECT m.id, u.username AS author, u.role, "
	    "u.deleted_at IS NOT NULL AS deleted, m.body_html, "
	    "magnet_time(m.created_at) AS at, m.author_id = $4 AS mine, "
	    "$5::int > 0 AND m.seq > $5::int AND m.author_id <> $4 AS new "
	    "FROM messages m JOIN users u ON "
	    "u.id = m.author_id WHERE m.conversation_id = $1 AND "
	    "m.seq BETWEEN $2 AND $3 ORDER BY m.seq" },
	{ "msg_read", "UPDATE conversation_members SET unread = 0, "
	    "read_seq = greatest(read_seq, $3) WHERE conversation_id = $1 "
	    "AND user_id = $2 AND (unread > 0 OR read_seq < $3)" },
	{ "msg_list_first", LIST_ROW "WHERE k.user_id = $1 " NEWEST },
	{ "msg_list_after", LIST_ROW "WHERE k.user_id = $1 AND "
	    KEYSET("<", "$2", "$3") NEWEST },
	{ "msg_list_before", BACK LIST_ROW "WHERE k.user_id = $1 "
	    "AND " KEYSET(">", "$2", "$3") OLDEST },
	{ "msg_inbox_first", LIST_ROW "WHERE k.user_id IS NULL " NEWEST },
	{ "msg_inbox_after", LIST_ROW "WHERE k.user_id IS NULL AND "
	    KEYSET("<", "$1", "$2") NEWEST },
	{ "msg_inbox_before", BACK LIST_ROW "WHERE k.user_id IS "
	    "NULL AND " KEYSET(">", "$1", "$2") OLDEST },
	{ "msg_counts",
	    "SELECT (SELECT count(*) FROM conversation_members WHERE "
	    "user_id = $1 AND unread > 0) AS mine_unread, (SELECT count(*) "
	    "FROM conversation_members WHERE user_id IS NULL AND unread > 0) "
	    "AS waiting" },
	/* Only conversations the reader takes part in: their own, and for
	 * counsellors the counselling ones; never a reported one.  $5 is
	 * the messages on a page, for the link to the message found. */
	{ "msg_search",
	    "WITH q AS (SELECT plainto_tsquery('simple', magnet_fold($1)) AS q, "
	    "'%' || replace(replace(replace(magnet_fold($1), '\\', '\\\\'), "
	    "'%', '\\%'), '_', '\\_') || '%' AS pat), "
	    "mine AS (SELECT conversation_id AS id FROM conversation_members "
	    "WHERE user_id = $2 UNION SELECT conversation_id FROM "
	    "conversation_members WHERE user_id IS NULL AND $3::boolean), "
	    "hits AS (SELECT m.conversation_id AS cid, max(m.id) AS mid "
	    "FROM messages m, q WHERE m.conversation_id IN (SELECT id FROM "
	    "mine) AND m.search @@ q.q GROUP BY m.conversation_id "
	    "UNION ALL SELECT c.id, NULL FROM conversations c, q WHERE "
	    "c.id IN (SELECT id FROM mine) AND magnet_fold(c.subject) LIKE "
	    "q.pat), "
	    "best AS (SELECT cid, max(mid) AS mid FROM hits GROUP BY cid) "
	    "SELECT c.subject, '/messages/' || c.id || coalesce('?page=' || "
	    "((m.seq - 1) / $5::int + 1) || '#m' || m.id, '') AS href, "
	    "coalesce(ts_headline('simple', m.body_md, "
	    "q.q, 'MaxWords=30, MinWords=12, StartSel=\x01, StopSel=\x02, "
	    "HighlightAll=false'), '') AS headline, "
	    "magnet_time(c.last_at) AS last_at FROM best JOIN conversations c "
	    "ON c.id = best.cid LEFT JOIN messages m ON m.id = best.mid, q "
	    "ORDER BY c.last_at DESC, c.id DESC LIMIT 21 OFFSET $4" },
	{ "msg_block", "INSERT INTO message_blocks (blocker_id, blocked_id) "
	    "VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING blocker_id" },
	/* The latest vacancy of employer $2's enterprise that $1 applied
	 * to: blocking that employer is for the counsellors to know. */
	{ "msg_block_tie", "SELECT v.title || ' (/jobs/' || v.id || ')' "
	    "AS vacancy FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id JOIN users u ON "
	    "u.id = $2 AND u.role = 'employer' AND u.enterprise_id = "
	    "v.enterprise_id WHERE a.user_id = $1 ORDER BY a.id DESC "
	    "LIMIT 1" },
	{ "msg_unblock", "DELETE FROM message_blocks WHERE blocker_id = $1 "
	    "AND blocked_id = $2" },
	{ "msg_answered", "UPDATE conversation_members SET unread = 0 "
	    "WHERE conversation_id = $1 AND user_id IS NULL" },
	{ "msg_message", "SELECT conversation_id, author_id, "
	    "left(body_md, 600) AS excerpt, seq FROM messages WHERE id = $1" },
	/* A report reopens the reporter's earlier one on the message. */
	{ "msg_report",
	    "WITH r AS (INSERT INTO reports AS o (target_kind, target_id, "
	    "reporter_id, reason) VALUES ('message', $1, $2, $3) "
	    "ON CONFLICT (target_kind, target_id, reporter_id) DO UPDATE "
	    "SET reason = excluded.reason, created_at = CASE WHEN "
	    "o.resolved_at IS NULL THEN o.created_at ELSE now() END, "
	    "resolved_at = NULL, resolved_by = NULL RETURNING 1) "
	    "UPDATE conversations SET reported_at = coalesce(reported_at, "
	    "now()) WHERE id = $4 AND EXISTS (SELECT 1 FROM r) RETURNING id" },
	/* A deleted account: its messages stay, shown as a deleted user's
	 * (as posts are); its blocks, counters and form keys go, and its
	 * counselling conversations no longer wait for an answer. */
	{ MSG_FORGET_STMT,
	    "WITH b AS (DELETE FROM message_blocks WHERE blocker_id = $1 OR "
	    "blocked_id = $1), k AS (UPDATE conversation_members SET "
	    "unread = 0 WHERE unread > 0 AND (user_id = $1 OR (user_id IS "
	    "NULL AND conversation_id IN (SELECT conversation_id FROM "
	    "conversation_members WHERE user_id = $1)))) "
	    "UPDATE messages SET idem_key = NULL WHERE author_id = $1 AND "
	    "idem_key IS NOT NULL" },
};

void
msg_init(void)
{
	DB_REGISTER(stmts);
	msg_mod_init();
	msg_contact_init();
}

/* The rules, in one place; see msg.h. */
enum msg_start
msg_start_rule(enum role from, enum role to, int self, int peer,
    int context)
{
	int staff_to = to >= ROLE_MODERATOR;

	if (self)
		return MSG_NO_SELF;
	/* A partner office reads figures; nobody writes to it here. */
	if (to == ROLE_PARTNER)
		return MSG_NO_STAFF;
	if (from >= ROLE_MODERATOR) {
		if (to == ROLE_NONE)
			return MSG_NEED_PERSON;
		return staff_to ? MSG_DIRECT : MSG_COUNSELLING;
	}
	if (to == ROLE_NONE)
		return MSG_COUNSELLING;
	if (staff_to)
		return MSG_NO_STAFF;
	if (from == to)
		return peer ? MSG_DIRECT : MSG_NO_PEER;
	if (from == ROLE_EMPLOYER && to == ROLE_RETURNEE)
		return context ? MSG_DIRECT : MSG_NEED_CONTEXT;
	return MSG_NO_EMPLOYER;
}

const char *
msg_start_problem(enum msg_start s, enum role from)
{
	switch (s) {
	case MSG_COUNSELLING:
	case MSG_DIRECT:
	case MSG_START__MAX:
		break;
	case MSG_NO_SELF:
		return N_("You cannot write to yourself.");
	case MSG_NEED_PERSON:
		return N_("Give the user name of the person to write to.");
	case MSG_NO_ACCOUNT:
		if (from >= ROLE_MODERATOR)
			return N_("There is no account with this name.");
		/* FALLTHROUGH */
	case MSG_NO_PEER:
	case MSG_NEED_CONTEXT:
	case MSG_NO_EMPLOYER:
	case MSG_NO_STAFF:
		/* One answer, whatever the name is. */
		if (from == ROLE_EMPLOYER)
			return N_("You cannot start a conversation with this "
			    "name. To write to the counsellors, leave the "
			    "recipient empty; to write to an applicant, use "
			    "the link on the application.");
		return N_("You cannot start a conversation with this name. "
		    "To write to the counsellors, leave the recipient "
		    "empty.");
	}
	return NULL;
}

/* One side of a conversation, as the viewer sees it. */
struct member {
	long long	 uid;		/* 0: the counsellors' shared inbox */
	const char	*name;
	enum role	 role;
	int		 deleted;
	long long	 unread;
	long long	 read_seq;
	int		 i_blocked;	/* the viewer blocked this member */
	int		 blocked_me;	/* this member blocked the viewer */
};

enum access {
	ACC_NONE,		/* 404 */
	ACC_MEMBER,		/* one of the two sides */
	ACC_COUNSELLOR,		/* a counsellor, in a counselling one */
	ACC_INSPECT		/* a counsellor reading a reported one */
};

struct conv {
	long long	 id;
	int		 counselling;
	const char	*subject;
	long long	 count;
	int		 reported;
	struct member	 m[2];
	long long	 vacancy;
	const char	*vacancy_title;
	int		 application;	/* about an application (else a
					 * referral), when vacancy != 0 */
	enum access	 access;
	struct member	*self;		/* the viewer's side */
	struct member	*other;		/* the other side (not in INSPECT) */
};

static int
is_staff(struct request *req)
{
	return req->user != NULL && req->user->role >= ROLE_MODERATOR;
}

static enum role
role_of(const char *s)
{
	int i;

	for (i = ROLE_RETURNEE; i < ROLE__MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum role)i;
	return ROLE_NONE;
}

/* The badge next to a name. */
static const char *
badge(struct request *req, enum role role)
{
	if (role >= ROLE_MODERATOR)
		return T(req, "Counsellor");
	if (role == ROLE_EMPLOYER)
		return T(req, "Employer");
	return NULL;
}

static const char *
shown_name(struct request *req, const char *name, int deleted)
{
	return deleted ? T(req, "deleted user") : name;
}

static int
conv_404(struct request *req)
{
	return page_error(req, 404, N_("This conversation does not exist, "
	    "or you are not part of it."));
}

/*
 * Load conversation id as the request's user sees it: 1 and *c filled
 * (c->access may be ACC_NONE), 0 when there is no such conversation, -1
 * when the database is down.  The strings live in the request's arena.
 */
static int
conv_load(struct request *req, long long id, struct conv *c)
{
	PGresult *r;
	int i;

	memset(c, 0, sizeof(*c));
	if ((r = DB_Q(req, "msg_get", request_num(req, id),
	    request_uid(req))) == NULL)
		return -1;
	if (PQntuples(r) != 2)
		return 0;
	c->id = id;
	c->counselling = db_get_bool(r, 0, "counselling");
	c->subject = db_get(r, 0, "subject");
	c->count = db_get_ll(r, 0, "message_count");
	c->reported = db_get_bool(r, 0, "reported");
	c->vacancy = db_get_ll(r, 0, "vacancy");
	c->vacancy_title = db_get(r, 0, "vacancy_title");
	c->application = db_get_bool(r, 0, "about_application");
	for (i = 0; i < 2; i++) {
		c->m[i].uid = db_get_ll(r, i, "uid");
		c->m[i].name = db_get(r, i, "name");
		c->m[i].role = role_of(db_get(r, i, "role"));
		c->m[i].deleted = db_get_bool(r, i, "deleted");
		c->m[i].unread = db_get_ll(r, i, "unread");
		c->m[i].read_seq = db_get_ll(r, i, "read_seq");
		c->m[i].i_blocked = db_get_bool(r, i, "i_blocked");
		c->m[i].blocked_me = db_get_bool(r, i, "blocked_me");
	}
	for (i = 0; i < 2; i++)
		if (c->m[i].uid == req->user->id) {
			c->access = ACC_MEMBER;
			c->self = &c->m[i];
			c->other = &c->m[1 - i];
			return 1;
		}
	/* The inbox row sorts first (NULLS FIRST). */
	if (c->counselling && is_staff(req) && c->m[0].uid == 0) {
		c->access = ACC_COUNSELLOR;
		c->self = &c->m[0];
		c->other = &c->m[1];
	} else if (!c->counselling && is_staff(req) && c->reported)
		c->access = ACC_INSPECT;
	else
		c->access = ACC_NONE;
	return 1;
}

/* Why the viewer cannot write in the conversation now, or NULL. */
static const char *
reply_problem(const struct conv *c)
{
	if (c->access != ACC_MEMBER && c->access != ACC_COUNSELLOR)
		return N_("Only the people in this conversation can write "
		    "in it.");
	if (c->other->uid != 0 && c->other->deleted)
		return N_("This account was deleted; the conversation is "
		    "closed.");
	if (c->counselling)
		return NULL;
	if (c->other->i_blocked)
		return N_("You blocked this person. Unblock them to write "
		    "again.");
	if (c->other->blocked_me)
		return N_("This person does not accept messages from you.");
	return NULL;
}

/* "The counsellors", a name, or "deleted user", for the other side. */
static const char *
side_name(struct request *req, const struct member *m)
{
	if (m->uid == 0)
		return T(req, "The counsellors");
	return shown_name(req, m->name, m->deleted);
}

/*
 * Rate limits, as for posts (posting_policy in forum.c): counsellors are
 * exempt; everyone else waits post_interval seconds between messages,
 * and an account that is still new (fewer than FORUM_NEW_POSTS posts and
 * messages) waits the new-account interval before starting another
 * conversation, and may start NEW_PER_DAY a day.  A suspended sender is
 * refused.  1 allowed, 0 too soon, 2 suspended, -1 database down.
 */
static int
send_policy(struct request *req, int starting)
{
	long long prior, interval;
	PGresult *r;
	int ok;

	if ((r = DB_Q(req, "msg_sender", request_uid(req), request_num(req,
	    FORUM_NEW_POSTS))) == NULL)
		return -1;
	if (PQntuples(r) != 1 || db_get_bool(r, 0, "suspended"))
		return 2;
	prior = db_get_ll(r, 0, "prior");
	if (is_staff(req))
		return 1;
	interval = conf_active()->post_interval;
	if (starting && prior < FORUM_NEW_POSTS &&
	    setting_get(SET_NEW_USER_POST_INTERVAL) > interval)
		interval = setting_get(SET_NEW_USER_POST_INTERVAL);
	if (starting && (ok = auth_rate(arena_printf(req->arena,
	    "msgnew:%lld", req->user->id), 86400, NEW_PER_DAY)) != 1)
		return ok;
	if (interval == 0)
		return 1;
	if ((r = DB_Q(req, "msg_rate", request_uid(req), request_num(req,
	    interval))) ==
	    NULL)
		return -1;
	if (PQntuples(r) == 1)
		return 1;
	req->wait = interval;
	if ((r = DB_Q(req, "msg_wait", request_uid(req), request_num(req,
	    interval))) !=
	    NULL && PQntuples(r) == 1)
		req->wait = db_get_ll(r, 0, "wait");
	request_set_header(req, "Retry-After", request_num(req, req->wait));
	return 0;
}

/* Refused for speed, with the real wait (a new account's is longer). */
#define TOO_FAST too_fast(req)
static const char *
too_fast(struct request *req)
{
	if (req->wait == 0)	/* NEW_PER_DAY conversations started */
		return T(req, "You have started many conversations today. "
		    "Please write again tomorrow; your text is kept below.");
	return arena_printf(req->arena, T(req, "You are sending messages too "
	    "quickly. Please wait %s seconds and send again; your text is "
	    "kept below."), i18n_num(req->arena, req->lang, req->wait));
}
#define SUSPENDED N_("Your account is suspended: you cannot send " \
	"messages now.")

/* A resubmitted form: the message it made, as a redirect; 0 if none. */
static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_Q(req, "msg_idem_find", request_uid(req), idem,
	    request_num(req, MSG_PAGE))) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1)
		return 0;
	*status = request_redirect(req, db_get(r, 0, "href"));
	return 1;
}

/* ---- Lists ---------------------------------------------------------- */

/* Names and badges of a row of a list, in the reader's words. */
static void
list_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	if (db_get_bool(r, i, "with_counsellors"))
		tmpl_set(row, "with", T(req, "The counsellors"));
	else {
		tmpl_set(row, "with", shown_name(req, db_get(r, i,
		    "with_name"), db_get_bool(r, i, "with_deleted")));
		tmpl_set(row, "badge", badge(req, role_of(db_get(r, i,
		    "with_role"))));
	}
	tmpl_set(row, "last", shown_name(req, db_get(r, i, "last_name"),
	    db_get_bool(r, i, "last_deleted")));
	tmpl_set(row, "last_badge", badge(req, role_of(db_get(r, i,
	    "last_role"))));
}

/* The tabs above a counsellor's lists, with their counts. */
static int
tabs(struct request *req, struct tmpl_vars *v)
{
	PGresult *r;

	if (!is_staff(req))
		return 0;
	if ((r = DB_Q(req, "msg_counts", request_uid(req))) == NULL)
		return -1;
	tmpl_set_bool(v, "staff", 1);
	tmpl_bind_row(v, r, 0);
	return 0;
}

static void
hit_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	/* ts_headline marks the hits with \1 and \2: escaped, marked. */
	tmpl_set_raw(row, "snippet", page_snippet(ctx, db_get(r, i,
	    "headline")));
}

static int
search(struct request *req, const char *q)
{
	struct tmpl_vars v;
	struct buf enc;
	long long page;
	PGresult *r;

	page = param_present(req, "page") ? param_int(req, "page") : 1;
	if (page < 1)
		page = 1;
	tmpl_init(&v, req->arena);
	if (tabs(req, &v) == -1 || (r = DB_Q(req, "msg_search", q,
	    request_uid(req),
	    is_staff(req) ? "true" : "false", request_num(req, (page - 1) * 20),
	    request_num(req, MSG_PAGE))) == NULL)
		return page_unavailable(req);
	tmpl_set_rows_max(&v, "hits", r, 20, hit_row, req);
	buf_init(&enc);
	html_url_arg(&enc, q);
	tmpl_set(&v, "q_url", arena_strndup(req->arena, enc.p ? enc.p : "",
	    enc.len));
	buf_free(&enc);
	tmpl_set(&v, "q", q);
	tmpl_set_bool(&v, "searched", 1);
	if (page > 1)
		tmpl_set_int(&v, req->arena, "prev", page - 1);
	if (PQntuples(r) > 20 && page < 50)
		tmpl_set_int(&v, req->arena, "next", page + 1);
	req->personal = 1;
	return page_render(req, 200, T(req, "Messages"), "msg_list", &v);
}

/* A keyset cursor "micros.id": 0 and the two parts, or -1. */
static int
cursor(struct request *req, const char *c, const char **a, const char **b)
{
	const char *dot;

	if ((dot = strchr(c, '.')) == NULL || dot == c || dot[1] == '\0' ||
	    strspn(c, "0123456789.") != strlen(c) || strchr(dot + 1, '.'))
		return -1;
	*a = arena_strndup(req->arena, c, (size_t)(dot - c));
	*b = arena_strdup(req->arena, dot + 1);
	return 0;
}

/* Your conversations, or the counsellors' shared inbox. */
static int
list(struct request *req, int inbox)
{
	struct tmpl_vars v;
	const char *after, *before, *stmt, *a = NULL, *b = NULL;
	PGresult *r;
	int n, shown;

	after = param_str(req, "after");
	before = param_str(req, "before");
	if (*after != '\0' || *before != '\0') {
		if (cursor(req, *after ? after : before, &a, &b) == -1)
			return page_error(req, 400, N_("This page link is not "
			    "valid."));
		stmt = inbox ? (*after ? "msg_inbox_after" : "msg_inbox_before") :
		    (*after ? "msg_list_after" : "msg_list_before");
	} else
		stmt = inbox ? "msg_inbox_first" : "msg_list_first";
	if (inbox)
		r = a != NULL ? DB_Q(req, stmt, a, b) :
		    db_query(req->arena, stmt, 0, NULL);
	else
		r = a != NULL ? DB_Q(req, stmt, request_uid(req), a, b) :
		    DB_Q(req, stmt, request_uid(req));
	tmpl_init(&v, req->arena);
	if (r == NULL || tabs(req, &v) == -1)
		return page_unavailable(req);
	n = PQntuples(r);
	shown = n > 20 ? 20 : n;
	tmpl_set_rows_max(&v, "convs", r, shown, list_row, req);
	/* Newer and older pages by keyset (going back, the extra row
	 * sorts last). */
	if (shown > 0 && (*after != '\0' || (*before != '\0' && n > 20)))
		tmpl_set(&v, "newer", db_get(r, 0, "key"));
	if (shown > 0 && (n > 20 || *before != '\0'))
		tmpl_set(&v, "older", db_get(r, shown - 1, "key"));
	tmpl_set(&v, "base", inbox ? "/messages/counselling" : "/messages");
	tmpl_set_bool(&v, "inbox", inbox);
	req->personal = 1;
	return page_render(req, 200, inbox ? T(req, "Counselling inbox") :
	    T(req, "Messages"), "msg_list", &v);
}

int
msg_list(struct request *req)
{
	const char *q = param_str(req, "q");

	if (*q != '\0' && param_err(req, "q") == NULL)
		return search(req, q);
	return list(req, 0);
}

int
msg_inbox(struct request *req)
{
	return list(req, 1);
}

/* ---- Starting a conversation ---------------------------------------- */

/* What a new conversation is about and to whom it goes. */
struct start {
	long long	 application;	/* or 0 */
	long long	 referral;	/* or 0 */
	long long	 to;		/* the person; 0 for the counsellors */
	const char	*to_name;
	enum role	 to_role;
	long long	 vacancy;
	const char	*vacancy_title;
	int		 open;		/* the application or referral */
	int		 refused;	/* a name the sender may not write to */
};

/*
 * The application or referral named by the form or the link, when the
 * user's enterprise may write about it: 1 and *s filled, 0 when there is
 * none (or not theirs: the same answer), -1 when the database is down.
 */
static int
context_load(struct request *req, struct start *s)
{
	PGresult *r;
	const char *stmt;
	long long id;

	memset(s, 0, sizeof(*s));
	if (param_present(req, "application") &&
	    param_err(req, "application") == NULL) {
		stmt = "msg_application";
		id = s->application = param_int(req, "application");
	} else if (param_present(req, "referral") &&
	    param_err(req, "referral") == NULL) {
		stmt = "msg_referral";
		id = s->referral = param_int(req, "referral");
	} else
		return 0;
	if (req->user->role != ROLE_EMPLOYER)
		return 0;
	if ((r = DB_Q(req, stmt, request_num(req, id), request_num(req,
	    req->user->enterprise_id))) == NULL)
		return -1;
	if (PQntuples(r) != 1 || !db_get_bool(r, 0, "ours")) {
		if (PQntuples(r) == 1)
			log_warnx("refused message about %s %lld by user=%lld",
			    stmt + 4, id, req->user->id);
		return 0;
	}
	s->to = db_get_ll(r, 0, "uid");
	s->to_name = db_get(r, 0, "username");
	s->to_role = ROLE_RETURNEE;
	s->vacancy = db_get_ll(r, 0, "vacancy");
	s->vacancy_title = db_get(r, 0, "vacancy_title");
	s->open = db_get_bool(r, 0, "live");
	return 1;
}

static int
no_context(struct request *req)
{
	return page_error(req, 404, N_("There is no such application or "
	    "referral among your enterprise's vacancies."));
}

/* The form to start a conversation, with the user's text. */
static int
compose(struct request *req, int status, const struct start *s,
    const char *to, const char *subject, const char *body, const char *preview,
    const char *problem)
{
	struct tmpl_vars v;
	const char *idem = param_str(req, "idem");

	tmpl_init(&v, req->arena);
	if (s != NULL && (s->application || s->referral)) {
		tmpl_set_bool(&v, "context", 1);
		tmpl_set(&v, "to_name", s->to_name);
		tmpl_set_int(&v, req->arena, "vacancy", s->vacancy);
		tmpl_set(&v, "vacancy_title", s->vacancy_title);
		if (s->application)
			tmpl_set_int(&v, req->arena, "application",
			    s->application);
		else
			tmpl_set_int(&v, req->arena, "referral", s->referral);
	} else
		tmpl_set_bool(&v, is_staff(req) ||
		    setting_get(SET_PEER_MESSAGES) || *to != '\0' ? "with_to" :
		    "to_counsellors", 1);
	tmpl_set_bool(&v, "staff", is_staff(req));
	tmpl_set(&v, "to", to);
	tmpl_set(&v, "subject", subject);
	tmpl_set(&v, "body", body);
	tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	tmpl_set(&v, "to_err", param_err(req, "to"));
	tmpl_set_bool(&v, "refused", s != NULL && s->refused);
	tmpl_set(&v, "subject_err", param_err(req, "subject"));
	tmpl_set(&v, "body_err", param_err(req, "body"));
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	/* Markdown the pipeline just rendered and sanitised. */
	tmpl_set_raw(&v, "preview", preview);
	tmpl_set_int(&v, req->arena, "body_max", MSG_BODY_MAX);
	req->personal = 1;
	return page_render(req, status, T(req, "New message"), "msg_compose",
	    &v);
}

#define CLOSED N_("This application or referral is closed: you can no " \
	"longer start a conversation about it. Your text is kept below.")

int
msg_new_form(struct request *req)
{
	struct start s;
	PGresult *r;
	int rc;

	if (!param_present(req, "application") &&
	    !param_present(req, "referral"))
		return compose(req, 200, NULL, param_str(req, "to"), "", "",
		    NULL, NULL);
	if ((rc = context_load(req, &s)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return no_context(req);
	/* Already writing about it: go on there. */
	if ((r = DB_Q(req, "msg_about",
	    s.application ? request_num(req, s.application) : NULL,
	    s.referral ? request_num(req, s.referral) : NULL,
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1)
		return request_redirect(req, arena_printf(req->arena,
		    "/messages/%s", db_get(r, 0, "id")));
	return compose(req, 200, &s, "", arena_printf(req->arena,
	    T(req, "About your application: %s"), s.vacancy_title), "",
	    NULL, s.open ? NULL : N_("This application or referral is "
	    "closed: you can no longer start a conversation about it."));
}

/* The recipient named in the form: 1 found (or no name), 0 no account
 * has the name, -1 the database is down. */
static int
recipient(struct request *req, struct start *s, const char *to)
{
	char key[256];
	PGresult *r;

	if (*to == '\0' || param_err(req, "to") != NULL)
		return 1;
	user_name_key(to, key, sizeof(key));
	if ((r = DB_Q(req, "msg_user_by_key", key)) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	s->to = db_get_ll(r, 0, "id");
	s->to_name = db_get(r, 0, "username");
	s->to_role = role_of(db_get(r, 0, "role"));
	return 1;
}

/* Who the new conversation is for and whether the sender may start it:
 * the rule, with the fields' problems set; -1 when the database is
 * down. */
static int
start_rule(struct request *req, struct start *s, const char **problem)
{
	enum msg_start rule = MSG_COUNSELLING;
	PGresult *r;
	int rc, context = 0;

	if (param_present(req, "application") ||
	    param_present(req, "referral")) {
		if ((rc = context_load(req, s)) != 1)
			return rc == -1 ? -1 : MSG_START__MAX;
		context = 1;
		if (!s->open) {
			param_set_err(req, "application", CLOSED);
			*problem = CLOSED;
		}
	} else if ((rc = recipient(req, s, param_str(req, "to"))) == -1)
		return -1;
	else if (rc == 0)
		rule = MSG_NO_ACCOUNT;
	if (param_err(req, "to") != NULL)
		return rule;
	if (rule != MSG_NO_ACCOUNT)
		rule = msg_start_rule(req->user->role, s->to_role,
		    s->to != 0 && s->to == req->user->id,
		    setting_get(SET_PEER_MESSAGES) != 0, context);
	if (msg_start_problem(rule, req->user->role) != NULL) {
		/* The reason stays in the log; the page says the same for
		 * every name refused. */
		log_warnx("refused conversation by user=%lld: rule %d",
		    req->user->id, (int)rule);
		param_set_err(req, "to", msg_start_problem(rule,
		    req->user->role));
		s->refused = !is_staff(req) && rule != MSG_NO_SELF;
	}
	if (rule != MSG_DIRECT || param_err(req, "to") != NULL)
		return rule;
	if ((r = DB_Q(req, "msg_blocks", request_uid(req), request_num(req,
	    s->to))) ==
	    NULL)
		return -1;
	if (db_get_bool(r, 0, "i_blocked"))
		param_set_err(req, "to", N_("You blocked this person. "
		    "Unblock them in your conversation with them to write "
		    "again."));
	else if (db_get_bool(r, 0, "blocked_me"))
		param_set_err(req, "to", N_("This person does not accept "
		    "messages from you."));
	return rule;
}

int
msg_new(struct request *req)
{
	struct start s;
	const char *to, *subject, *body, *idem, *html = NULL, *problem;
	const char *first = NULL, *second = NULL, *cid;
	PGresult *r;
	int rule, rc, status;

	to = param_str(req, "to");
	subject = param_str(req, "subject");
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	problem = N_("Please correct the marked fields; your text is kept.");
	memset(&s, 0, sizeof(s));
	if ((rule = start_rule(req, &s, &problem)) == -1)
		return page_unavailable(req);
	if (rule == MSG_START__MAX)
		return no_context(req);
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return compose(req, 422, &s, to, subject, body, NULL, problem);
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return compose(req, 200, &s, to, subject, body, html, NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = send_policy(req, 1)) == -1)
		return page_unavailable(req);
	if (rc == 2)
		return compose(req, 403, &s, to, subject, body, NULL,
		    SUSPENDED);
	if (rc == 0)
		return compose(req, 429, &s, to, subject, body, NULL, TOO_FAST);
	/* The two member rows: the sender's side first, with nothing to
	 * read; a counsellor's side is the shared inbox. */
	if ((rule == MSG_COUNSELLING && !is_staff(req)) || rule == MSG_DIRECT)
		first = request_uid(req);
	second = s.to != 0 && !(rule == MSG_COUNSELLING && !is_staff(req)) ?
	    request_num(req, s.to) : NULL;
	if (db_begin() == -1)
		return page_unavailable(req);
	r = DB_Q(req, "msg_create", rule == MSG_COUNSELLING ? "counselling" :
	    "direct", subject, request_uid(req),
	    s.application ? request_num(req, s.application) : NULL,
	    s.referral ? request_num(req, s.referral) : NULL, body, html,
	    *idem ? idem : NULL, first, second);
	if (r == NULL) {
		db_rollback();
		/* A double submit racing us won the key; find its message. */
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1) {
		db_rollback();
		return compose(req, 403, &s, to, subject, body, NULL,
		    SUSPENDED);
	}
	cid = db_get(r, 0, "conversation_id");
	if (second != NULL && note_add(s.to, "message", req->user->id,
	    subject, arena_printf(req->arena, "/messages/%s", cid)) == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	log_info("conversation %s by user=%lld", cid, req->user->id);
	if (db_commit() == -1)
		return page_unavailable(req);
	return request_redirect(req, arena_printf(req->arena,
	    "/messages/%s#m%s", cid, db_get(r, 0, "id")));
}

/* ---- A conversation --------------------------------------------------- */

static void
message_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "author", shown_name(req, db_get(r, i, "author"),
	    db_get_bool(r, i, "deleted")));
	tmpl_set(row, "badge", badge(req, role_of(db_get(r, i, "role"))));
}

/* The parts of the page around the messages that depend on who reads. */
static void
view_vars(struct request *req, struct tmpl_vars *v, const struct conv *c)
{
	if (c->vacancy != 0)
		tmpl_set_bool(v, c->application ? "about_application" :
		    "about_referral", 1);
	if (c->access == ACC_INSPECT) {
		tmpl_set_bool(v, "inspect", 1);
		tmpl_set(v, "member_a", shown_name(req, c->m[0].name,
		    c->m[0].deleted));
		tmpl_set(v, "member_b", shown_name(req, c->m[1].name,
		    c->m[1].deleted));
		return;
	}
	tmpl_set(v, "with", side_name(req, c->other));
	if (c->other->uid != 0)
		tmpl_set(v, "with_badge", badge(req, c->other->role));
	tmpl_set_bool(v, "shared", c->counselling && c->access == ACC_MEMBER);
	tmpl_set_bool(v, "counsellor", c->access == ACC_COUNSELLOR);
	tmpl_set_bool(v, "waiting", c->access == ACC_COUNSELLOR &&
	    c->self->unread > 0);
	/* The one who may report a message of the other side. */
	tmpl_set_bool(v, "participant", 1);
	/* A counsellor cannot be blocked. */
	if (!c->counselling && c->access == ACC_MEMBER &&
	    c->other->role < ROLE_MODERATOR && !c->other->deleted)
		tmpl_set_bool(v, c->other->i_blocked ? "can_unblock" :
		    "can_block", 1);
}

/*
 * The conversation page: one page of its messages (the last by default),
 * and the reply form with the user's text when a reply needs another
 * look (status 422, 429...) or a preview.
 */
static int
show(struct request *req, struct conv *c, int status, const char *body,
    const char *preview, const char *problem)
{
	struct tmpl_vars v;
	long long page, pages, read_seq;
	const char *why, *idem = param_str(req, "idem");
	PGresult *r;

	pages = c->count > 0 ? (c->count + MSG_PAGE - 1) / MSG_PAGE : 1;
	page = param_present(req, "page") && param_err(req, "page") == NULL ?
	    param_int(req, "page") : pages;
	if (page > pages)
		return page_error(req, 404, N_("This conversation has no such "
		    "page."));
	if (c->access == ACC_INSPECT && status == 200 && audit(req->user->id,
	    "message.read", arena_printf(req->arena, "conversation:%lld",
	    c->id), "") == -1)
		return page_unavailable(req);
	read_seq = c->access == ACC_MEMBER ? c->self->read_seq : 0;
	if ((r = DB_Q(req, "msg_page", request_num(req, c->id), request_num(req,
	    (page - 1) * MSG_PAGE + 1), request_num(req, page * MSG_PAGE),
	    request_uid(req), request_num(req, read_seq))) == NULL)
		return page_unavailable(req);
	if (c->access == ACC_MEMBER && (c->self->unread > 0 ||
	    read_seq < c->count)) {
		if (DB_RUN("msg_read", request_num(req, c->id),
		    request_uid(req), request_num(req, c->count)) == -1)
			return page_unavailable(req);
		/* The header's count, kept a second with the session
		 * (auth.c), is not the same any more. */
		notify_wrote();
	}
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "messages", r, message_row, req);
	tmpl_set_int(&v, req->arena, "id", c->id);
	tmpl_set(&v, "subject", c->subject);
	tmpl_set_int(&v, req->arena, "vacancy", c->vacancy);
	tmpl_set(&v, "vacancy_title", c->vacancy_title);
	page_set_pager(req, &v, arena_printf(req->arena, "/messages/%lld?",
	    c->id), page, pages);
	view_vars(req, &v, c);
	tmpl_set_bool(&v, "reported", is_staff(req) && c->reported);
	tmpl_set_bool(&v, "thanks", param_present(req, "reported"));
	if (c->access != ACC_INSPECT && (why = reply_problem(c)) != NULL)
		tmpl_set(&v, "closed", T(req, why));
	else if (c->access != ACC_INSPECT) {
		tmpl_set_bool(&v, "can_reply", 1);
		tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
		tmpl_set(&v, "body_err", param_err(req, "body"));
		tmpl_set_int(&v, req->arena, "body_max", MSG_BODY_MAX);
		/* Markdown the pipeline just rendered and sanitised. */
		tmpl_set_raw(&v, "preview", preview);
	}
	tmpl_set(&v, "body", body);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, c->subject, "msg_view", &v);
}

/* Load the conversation in the path for its people: 0 with *c, or -1
 * with *status set (404 for anyone else). */
static int
conv_for(struct request *req, struct conv *c, int *status)
{
	int rc;

	if ((rc = conv_load(req, req->id, c)) == -1) {
		*status = page_unavailable(req);
		return -1;
	}
	if (rc == 0 || c->access == ACC_NONE) {
		if (rc == 1)
			log_warnx("refused conversation %lld to user=%lld",
			    req->id, req->user->id);
		*status = conv_404(req);
		return -1;
	}
	return 0;
}

int
msg_view(struct request *req)
{
	struct conv c;
	int status;

	if (conv_for(req, &c, &status) == -1)
		return status;
	return show(req, &c, 200, "", NULL, NULL);
}

int
msg_reply(struct request *req)
{
	struct conv c;
	const char *body, *idem, *html = NULL, *why;
	PGresult *r;
	int rc, status;

	if (conv_for(req, &c, &status) == -1)
		return status;
	if (c.access == ACC_INSPECT)
		return page_error(req, 403, N_("Counsellors reading a reported "
		    "conversation cannot write in it."));
	body = param_str(req, "body");
	idem = param_str(req, "idem");
	if ((why = reply_problem(&c)) != NULL)
		return show(req, &c, 422, body, NULL, why);
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", body, &html);
	if (req->nerrors > 0)
		return show(req, &c, 422, body, NULL, N_("Please correct the "
		    "marked fields; your text is kept."));
	if (param_present(req, "preview") && *param_str(req, "preview"))
		return show(req, &c, 200, body, html, NULL);
	if (idem_redirect(req, idem, &status))
		return status;
	if ((rc = send_policy(req, 0)) == -1)
		return page_unavailable(req);
	if (rc == 2)
		return show(req, &c, 403, body, NULL, SUSPENDED);
	if (rc == 0)
		return show(req, &c, 429, body, NULL, TOO_FAST);
	r = DB_Q(req, "msg_reply", request_num(req, c.id), request_uid(req),
	    body, html,
	    *idem ? idem : NULL, c.access == ACC_COUNSELLOR ? "true" :
	    "false", request_num(req, MSG_PAGE));
	if (r == NULL) {
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1)
		return show(req, &c, 403, body, NULL, SUSPENDED);
	return request_redirect(req, db_get(r, 0, "href"));
}

/* The other person of a direct conversation, whom the viewer may
 * block or unblock: 0 with *c, or -1 with *status. */
static int
blockable(struct request *req, struct conv *c, int *status)
{
	if (conv_for(req, c, status) == -1)
		return -1;
	if (c->access != ACC_MEMBER || c->counselling) {
		*status = conv_404(req);
		return -1;
	}
	if (c->other->role >= ROLE_MODERATOR || c->other->uid == 0) {
		*status = page_error(req, 403, N_("Counsellors cannot be "
		    "blocked. If a counsellor treated you badly, report the "
		    "message."));
		return -1;
	}
	return 0;
}

/* GET /messages/{id}/block: asks first, as every destructive action. */
int
msg_block_form(struct request *req)
{
	struct tmpl_vars v;
	struct conv c;
	int status;

	if (blockable(req, &c, &status) == -1)
		return status;
	tmpl_init(&v, req->arena);
	tmpl_set_int(&v, req->arena, "id", c.id);
	/* The name, in the quotation's own direction. */
	tmpl_set(&v, "name", c.other->name);
	tmpl_set_bool(&v, "employer", c.other->role == ROLE_EMPLOYER);
	req->personal = 1;
	return page_render(req, 200, T(req, "Block this person"), "msg_block",
	    &v);
}

/*
 * Block the other person.  Blocking an employer of an enterprise the
 * returnee applied to goes into the counsellors' log: it may say
 * something went wrong with the application.
 */
int
msg_block(struct request *req)
{
	const char *other;
	struct conv c;
	PGresult *r;
	int status;

	if (blockable(req, &c, &status) == -1)
		return status;
	other = request_num(req, c.other->uid);
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "msg_block", request_uid(req), other)) == NULL)
		goto fail;
	if (PQntuples(r) == 1 && c.other->role == ROLE_EMPLOYER) {
		if ((r = DB_Q(req, "msg_block_tie", request_uid(req),
		    other)) == NULL)
			goto fail;
		if (PQntuples(r) == 1 && audit(req->user->id,
		    "message.block_employer", arena_printf(req->arena,
		    "user:%lld", c.other->uid), db_get(r, 0, "vacancy")) == -1)
			goto fail;
	}
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("%s: user=%lld other=%lld", __func__, req->user->id,
	    c.other->uid);
	return request_redirect(req, arena_printf(req->arena, "/messages/%lld",
	    c.id));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
msg_unblock(struct request *req)
{
	struct conv c;
	int status;

	if (blockable(req, &c, &status) == -1)
		return status;
	if (DB_RUN("msg_unblock", request_uid(req), request_num(req,
	    c.other->uid)) == -1)
		return page_unavailable(req);
	log_info("%s: user=%lld other=%lld", __func__, req->user->id,
	    c.other->uid);
	return request_redirect(req, arena_printf(req->arena, "/messages/%lld",
	    c.id));
}

/* A counsellor marks a counselling conversation as needing no answer. */
int
msg_answered(struct request *req)
{
	struct conv c;
	int status;

	if (conv_for(req, &c, &status) == -1)
		return status;
	if (c.access != ACC_COUNSELLOR)
		return conv_404(req);
	if (DB_RUN("msg_answered", request_num(req, c.id)) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/messages/counselling");
}

/* ---- Reports ---------------------------------------------------------- */

/*
 * The message in the path, when the user may report it: its row (the
 * excerpt and seq) with *c, or NULL with *status (404 for anyone else,
 * and for one's own message).
 */
static const PGresult *
reportable(struct request *req, struct conv *c, int *status)
{
	PGresult *r;
	int rc;

	if ((r = DB_Q(req, "msg_message", request_id(req))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1)
		goto gone;
	if ((rc = conv_load(req, db_get_ll(r, 0, "conversation_id"), c)) ==
	    -1) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (rc == 0 || (c->access != ACC_MEMBER &&
	    c->access != ACC_COUNSELLOR) ||
	    db_get_ll(r, 0, "author_id") == req->user->id)
		goto gone;
	return r;
gone:
	*status = page_error(req, 404, N_("This message does not exist."));
	return NULL;
}

static int
report_page(struct request *req, int status, const PGresult *m)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, m, 0);
	tmpl_set_int(&v, req->arena, "id", req->id);
	tmpl_set(&v, "reason", param_str(req, "reason"));
	tmpl_set(&v, "reason_err", param_err(req, "reason"));
	req->personal = 1;
	return page_render(req, status, T(req, "Report a message"),
	    "msg_report", &v);
}

int
msg_report_form(struct request *req)
{
	const PGresult *m;
	struct conv c;
	int status;

	if ((m = reportable(req, &c, &status)) == NULL)
		return status;
	return report_page(req, 200, m);
}

int
msg_report(struct request *req)
{
	const PGresult *m;
	struct conv c;
	int status;

	if ((m = reportable(req, &c, &status)) == NULL)
		return status;
	if (req->nerrors > 0)
		return report_page(req, 422, m);
	if (DB_Q(req, "msg_report", request_id(req), request_uid(req),
	    param_str(req, "reason"), request_num(req, c.id)) == NULL)
		return page_unavailable(req);
	log_info("message %lld reported by user=%lld", req->id,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/messages/%lld?page=%lld&reported=1#m%lld", c.id,
	    (db_get_ll(m, 0, "seq") - 1) / MSG_PAGE + 1, req->id));
}

/*
 * A message about an application from its enterprise, written by code
 * (an interview proposal, apply_tools.c): into the conversation the
 * sender has about it, or a new one with the applicant.  Runs in the
 * caller's transaction.  1 sent (*href its place), 0 refused (either
 * side blocked the other, or the sender is suspended), -1 the database
 * failed.
 */
int
msg_send_about(struct request *req, long long application, long long to,
    const char *subject, const char *body, const char *html,
    const char **href)
{
	PGresult *r;
	const char *app = request_num(req, application);

	if ((r = DB_Q(req, "msg_blocks", request_uid(req),
	    request_num(req, to))) == NULL)
		return -1;
	if (db_get_bool(r, 0, "i_blocked") || db_get_bool(r, 0, "blocked_me"))
		return 0;
	if ((r = DB_Q(req, "msg_about", app, NULL, request_uid(req))) == NULL)
		return -1;
	if (PQntuples(r) == 1) {
		if ((r = DB_Q(req, "msg_reply", db_get(r, 0, "id"),
		    request_uid(req), body, html, NULL, "false",
		    request_num(req, MSG_PAGE))) == NULL)
			return -1;
		if (PQntuples(r) != 1)
			return 0;
		*href = db_get(r, 0, "href");
		return 1;
	}
	if ((r = DB_Q(req, "msg_create", "direct", subject, request_uid(req),
	    app, NULL, body, html, NULL, request_uid(req),
	    request_num(req, to))) == NULL)
		return -1;
	if (PQntuples(r) != 1)
		return 0;
	*href = arena_printf(req->arena, "/messages/%s#m%s",
	    db_get(r, 0, "conversation_id"), db_get(r, 0, "id"));
	if (note_add(to, "message", req->user->id, subject, arena_printf(
	    req->arena, "/messages/%s", db_get(r, 0, "conversation_id"))) == -1)
		return -1;
	return 1;
}
