/*
 * Notifications.  Rows are written by the domains (the forum writes its
 * own inside the statement that saves a reply); this module shows them
 * and marks them read.  Opening one is a POST, since it changes state.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "note.h"
#include "page.h"
#include "request.h"
#include "tmpl.h"

/* Kind, and the sentence shown: %1$s is who, %2$s what about; a
 * sentence without the who reads it as %1$.0s (printf needs every
 * argument named). */
static const struct {
	const char	*kind;
	const char	*msgid;
} kinds[] = {
	{ "reply", N_("%1$s replied to %2$s") },
	{ "quote", N_("%1$s quoted you in %2$s") },
	/* Watching and mentions (forum_follow.c, migration 0028). */
	{ "mention", N_("%1$s mentioned you in %2$s") },
	{ "watch_reply", N_("%1$s replied in %2$s, a thread you watch") },
	{ "board_thread", N_("%1$s started %2$s on a board you watch") },
	{ "board_reply", N_("%1$s replied in %2$s on a board you watch") },
	/* One row for many thanks while unread (migration 0028). */
	{ "thanks", N_("%1$s thanked you for your reply in %2$s") },
	{ "thanks_more", N_("%1$s and others thanked you for your reply in %2$s") },
	{ "application", N_("%1$s applied to %2$s") },
	{ "application_status", N_("%1$.0sYour application to %2$s was updated") },
	{ "application_withdrawn", N_("%1$s withdrew the application to %2$s") },
	{ "referral", N_("%1$.0sA counsellor referred you to %2$s") },
	{ "approved", N_("%1$.0sA counsellor approved %2$s") },
	{ "rejected", N_("%1$.0sA counsellor did not approve %2$s") },
	{ "edit_approved", N_("%1$.0sA counsellor approved your changes to %2$s") },
	{ "edit_rejected", N_("%1$.0sA counsellor did not approve your changes to %2$s; the approved version stays on the board") },
	{ "verified", N_("%1$.0sA counsellor verified your enterprise %2$s") },
	{ "unverified", N_("%1$.0sA counsellor took back the verified badge of %2$s") },
	{ "referral_status", N_("%1$.0sYour referral to %2$s was updated") },
	{ "referral_employer", N_("%1$.0sA counsellor referred a returnee to %2$s") },
	{ "message", N_("%1$s wrote to you: %2$s") },
	{ "event_moved", N_("%1$.0sThe time or place of %2$s changed") },
	{ "event_cancelled", N_("%1$.0s%2$s was cancelled") },
	{ "alert", N_("%1$.0sA new vacancy like those you asked for: %2$s") },
};

static const struct db_stmt stmts[] = {
	{ "note_add", "INSERT INTO notifications (user_id, kind, actor_id, "
	    "subject, link) VALUES ($1, $2, nullif($3, '0')::bigint, $4, $5)" },
	{ "note_list",
	    "SELECT n.id, n.kind, coalesce(a.username, '') AS actor, "
	    "n.subject, magnet_time(n.created_at) AS at, "
	    "n.read_at IS NULL AS unread "
	    "FROM notifications n LEFT JOIN users a ON a.id = n.actor_id "
	    "WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT 50" },
	{ "note_read_all", "UPDATE notifications SET read_at = now() "
	    "WHERE user_id = $1 AND read_at IS NULL" },
	{ "note_open", "UPDATE notifications SET read_at = "
	    "coalesce(read_at, now()) WHERE id = $1 AND user_id = $2 "
	    "RETURNING link" },
};

void
note_init(void)
{
	DB_REGISTER(stmts);
}

int
note_add(long long user_id, const char *kind, long long actor_id,
    const char *subject, const char *link)
{
	char uid[24], aid[24];

	snprintf(uid, sizeof(uid), "%lld", user_id);
	snprintf(aid, sizeof(aid), "%lld", actor_id);
	return DB_RUN("note_add", uid, kind, aid, subject, link);
}

/* An application's new status (apply.c writes "appst_" and the status):
 * the sentence names it, in the reader's language. */
#define APPST		"appst_"

static const char *
sentence(struct request *req, const char *kind)
{
	size_t i;

	if (strncmp(kind, APPST, strlen(APPST)) == 0)
		return T(req, "%1$.0sYour application to %2$s has a new status: "
		    "%3$s");

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return T(req, kinds[i].msgid);
	return T(req, "%1$s: %2$s");
}

/* The sentence: who and what about each isolated, not the sentence as a
 * whole, whose words a U+202E in a title would reverse. */
const char *
note_sentence(struct request *req, const char *kind, const char *actor,
    const char *subject)
{
	return arena_printf(req->arena, sentence(req, kind),
	    i18n_isolate(req->arena, actor),
	    i18n_isolate(req->arena, subject),
	    strncmp(kind, APPST, strlen(APPST)) == 0 ? jobs_label(req,
	    JOBS_APP_STATUS, kind + strlen(APPST)) : "");
}

static void
note_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "text", note_sentence(req, db_get(r, i, "kind"),
	    db_get(r, i, "actor"), db_get(r, i, "subject")));
}

int
note_list(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "note_list", arena_printf(req->arena, "%lld",
	    req->user->id))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "notes", r, note_row, req);
	tmpl_set_bool(&v, "any", PQntuples(r) > 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Notifications"), "notifications",
	    &v);
}

int
note_read_all(struct request *req)
{
	if (DB_RUN("note_read_all", arena_printf(req->arena, "%lld",
	    req->user->id)) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/notifications");
}

int
note_open(struct request *req)
{
	PGresult *r;

	if ((r = DB_Q(req, "note_open", arena_printf(req->arena, "%lld",
	    req->id), arena_printf(req->arena, "%lld", req->user->id))) ==
	    NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such "
		    "notification."));
	return request_redirect(req, db_get(r, 0, "link"));
}
