/*
 * The partner offices' pages: the outcomes of outcomes.c for the
 * office's governorate (users.partner_governorate; NULL: all of them),
 * counts from 1 to 4 shown as "fewer than 5" on the page and in the
 * CSV, so that nothing read here can point to a person.  Counsellors and
 * admins see the same pages, for all governorates, to check what the
 * offices read.  Every page a partner opens is audited here.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "i18n.h"
#include "jobs.h"
#include "outcomes.h"
#include "page.h"
#include "param.h"
#include "partner.h"
#include "request.h"
#include "route.h"
#include "tmpl.h"

/* The office's governorate; NULL for all (and for the staff). */
static const char *
scope(const struct request *req)
{
	return req->user->role == ROLE_PARTNER ? req->user->governorate :
	    NULL;
}

int
partner_home(struct request *req)
{
	struct tmpl_vars v;
	const char *gov = scope(req);
	char from[11], to[11];
	int ok;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "outcomes_action", "/partner");
	tmpl_set(&v, "scope_line", arena_printf(req->arena, T(req,
	    "Figures for: %s"), gov != NULL ? jobs_label(req,
	    JOBS_GOVERNORATE, gov) : T(req, "All governorates")));
	if ((ok = outcomes_period(req, from, to)) == -2 ||
	    outcomes_set(req, &v, ok == 0, from, to, gov, 1) == -1)
		return page_unavailable(req);
	req->personal = 1;
	return page_render(req, ok == 0 ? 200 : 422, T(req,
	    "Programme outcomes"), "partner", &v);
}

int
partner_outcomes_csv(struct request *req)
{
	return outcomes_csv(req, scope(req), 1);
}

/*
 * The audit row of a partner's page: the office's account as the actor
 * and the target, and as the reason the path with the query parameters
 * the route declares (the period), as the office asked for them.
 */
int
partner_audit_view(struct request *req)
{
	const struct param *p;
	struct buf b;
	char sep = '?';
	int rc;

	buf_init(&b);
	buf_puts(&b, req->path);
	for (p = req->route->params; p != NULL && p->name != NULL; p++) {
		if (p->src != P_QUERY || !param_present(req, p->name))
			continue;
		buf_printf(&b, "%c%s=%s", sep, p->name, param_str(req,
		    p->name));
		sep = '&';
	}
	rc = audit(req->user->id, "partner.view", arena_printf(req->arena,
	    "user:%lld", req->user->id), arena_buf(req->arena, &b));
	buf_free(&b);
	return rc;
}
