/*
 * Partner offices (issue 21, item 7): an office of the Kurdistan
 * Regional Government that takes job placement over (its Bureau of
 * Migration and Displacement, its Ministry of Labour and Social Affairs)
 * reads the programme's outcomes for its governorate, or for all, as a
 * page and as CSV: read-only, counts under five masked, every page it
 * opens in the audit log.  Which routes a partner may use is
 * route_allowed's (route.c).
 */
#ifndef MAGNET_PARTNER_H
#define MAGNET_PARTNER_H

struct request;

/* GET /partner: the outcomes of a period (from, to) in its scope. */
int	partner_home(struct request *);
/* GET /partner/outcomes.csv: the same as a spreadsheet. */
int	partner_outcomes_csv(struct request *);
/* A page a partner opens, into the audit log (server.c, before the
 * handler): its path and declared query; 0, or -1 if it cannot be. */
int	partner_audit_view(struct request *);

#endif
