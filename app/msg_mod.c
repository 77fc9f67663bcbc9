/*
 * Reported conversations, for the counsellors.  A participant's report
 * marks the conversation (msg.c); here the counsellors see which ones
 * wait, with the reasons given but never the private text, and close the
 * reports, which is audited.
 */
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "msg_mod.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "msg_mod_list",
	    "SELECT c.id, c.kind = 'counselling' AS counselling, "
	    "extract(epoch FROM now() - c.reported_at)::bigint AS waited_s, "
	    "coalesce((SELECT string_agg(CASE WHEN u.deleted_at IS "
	    "NULL THEN u.username ELSE '-' END, ', ' ORDER BY u.username) "
	    "FROM conversation_members k JOIN users u ON u.id = k.user_id "
	    "WHERE k.conversation_id = c.id), '') AS people, x.n AS reports, "
	    "coalesce(x.reasons, '') AS reasons FROM conversations c "
	    "CROSS JOIN LATERAL "
	    "(SELECT count(*) AS n, string_agg(r.reason, ' | ' ORDER BY r.id) "
	    "AS reasons FROM messages m JOIN reports r ON r.target_kind = "
	    "'message' AND r.target_id = m.id AND r.resolved_at IS NULL "
	    "WHERE m.conversation_id = c.id) x WHERE c.reported_at IS NOT NULL "
	    "ORDER BY c.reported_at, c.id LIMIT 100" },
	{ "msg_mod_resolve",
	    "WITH r AS (UPDATE reports SET resolved_at = now(), resolved_by = $2 "
	    "WHERE target_kind = 'message' AND resolved_at IS NULL AND "
	    "target_id IN (SELECT id FROM messages WHERE conversation_id = $1)) "
	    "UPDATE conversations SET reported_at = NULL WHERE id = $1 AND "
	    "reported_at IS NOT NULL RETURNING id" },
};

void
msg_mod_init(void)
{
	DB_REGISTER(stmts);
}

/* "2 h 5 min" in the reader's language and digits. */
static void
waited_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	long long s = db_get_ll(r, i, "waited_s");
	const char *w;

	if (s < 3600)
		w = arena_printf(req->arena, T(req, "%s min"),
		    i18n_num(req->arena, req->lang, s / 60));
	else if (s < 86400 * 2)
		w = arena_printf(req->arena, T(req, "%s h %s min"),
		    i18n_num(req->arena, req->lang, s / 3600),
		    i18n_num(req->arena, req->lang, (s % 3600) / 60));
	else
		w = arena_printf(req->arena, T(req, "%s days"),
		    i18n_num(req->arena, req->lang, s / 86400));
	tmpl_set(row, "waited", w);
}

int
msg_mod_section(struct request *req, struct tmpl_vars *v)
{
	PGresult *r;

	if ((r = db_query(req->arena, "msg_mod_list", 0, NULL)) == NULL)
		return -1;
	tmpl_set_rows(v, "msg_reports", r, waited_row, req);
	return 0;
}

/* The section on a page of its own, until and besides /mod. */
int
msg_mod_page(struct request *req)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	if (msg_mod_section(req, &v) == -1)
		return page_unavailable(req);
	req->personal = 1;
	return page_render(req, 200, T(req, "Reported conversations"),
	    "msg_mod_page", &v);
}

int
msg_mod_resolve(struct request *req)
{
	const char *id = arena_printf(req->arena, "%lld", req->id);
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "msg_mod_resolve", id, arena_printf(req->arena,
	    "%lld", req->user->id))) == NULL)
		goto fail;
	if (PQntuples(r) == 0) {
		db_rollback();
		return page_error(req, 409, N_("The reports on this "
		    "conversation were already closed, or it does not "
		    "exist."));
	}
	if (audit(req->user->id, "message.resolve", arena_printf(req->arena,
	    "conversation:%s", id), param_str(req, "reason")) == -1 ||
	    db_commit() == -1)
		goto fail;
	return request_redirect(req, "/mod");
fail:
	db_rollback();
	return page_unavailable(req);
}
