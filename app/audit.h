/*
 * The audit log: every moderator and admin action, append-only.
 */
#ifndef MAGNET_AUDIT_H
#define MAGNET_AUDIT_H

void	audit_init(void);
/* Record that actor did action to target (e.g. "post:12") for reason.
 * Runs on this thread's connection, so inside the caller's transaction:
 * an action and its record commit together or not at all. */
int	audit(long long actor_id, const char *action, const char *target,
	    const char *reason);

struct request;
struct tmpl_vars;
/* The reader's words for an action ("Post approved"); NULL if unknown. */
const char *audit_action_label(struct request *, const char *action);
/* A target ("post:12") as the reader's words with a link to the thing
 * when it has a page: sets target, target_known, target_href,
 * target_before, target_number or target_name, target_after on row, for
 * {{>audit_target}}; unknown kinds show as they are. */
void	audit_target(struct request *, struct tmpl_vars *row,
	    const char *target);

#endif
