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

#endif
