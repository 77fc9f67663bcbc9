/*
 * Writing the audit log.  There is deliberately no statement here, or
 * anywhere, that updates or deletes its rows; the table's trigger refuses
 * them too.
 */
#include <stdio.h>

#include "audit.h"
#include "db.h"

static const struct db_stmt stmts[] = {
	{ "audit_add", "INSERT INTO audit_log (actor_id, action, target, "
	    "reason) VALUES (nullif($1, '0')::bigint, $2, $3, $4)" },
};

void
audit_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

int
audit(long long actor_id, const char *action, const char *target,
    const char *reason)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", actor_id);
	return DB_RUN("audit_add", id, action, target, reason ? reason : "");
}
