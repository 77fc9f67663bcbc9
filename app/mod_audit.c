/*
 * The audit log for counsellors: the latest actions, filtered by the
 * beginning of the action's code and by who did it.  The log is written
 * by audit.c; this file only reads it.
 */
#include <stdio.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "mod.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "mod_audit",
	    "SELECT magnet_time(a.at) AS at, u.username AS actor, "
	    "a.action AS code, a.target, a.reason FROM audit_log a "
	    "LEFT JOIN users u ON u.id = a.actor_id "
	    "WHERE ($1 = '' OR a.action LIKE $1 || '%') "
	    "AND ($2 = '' OR u.username = $2) ORDER BY a.id DESC LIMIT 200" },
};

void
mod_audit_init(void)
{
	DB_REGISTER(stmts);
}

/*
 * The action in the reader's words, and the target's pieces for
 * {{>audit_target}} (audit.c knows the kinds of target).
 */
static void
audit_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *label;

	label = audit_action_label(req, db_get(r, i, "code"));
	tmpl_set(row, "action_label", label != NULL ? label : "");
	audit_target(req, row, db_get(r, i, "target"));
}

int
mod_audit(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "mod_audit", param_str(req, "action"),
	    param_str(req, "actor"))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", param_str(req, "action"));
	tmpl_set(&v, "actor", param_str(req, "actor"));
	tmpl_set_rows(&v, "rows", r, audit_row, req);
	tmpl_set_bool(&v, "any", PQntuples(r) > 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Audit log"), "mod_audit", &v);
}
