/*
 * Reports: anyone signed in can send a post or a vacancy to the
 * counsellors with a reason.  Enough reporters of a post hide it until a
 * counsellor decides (the threshold is a setting); a reported vacancy
 * waits in the queue, where a counsellor may keep it.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "log.h"
#include "mod.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "setting.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	/* What a visitor can see, as forum_post: no title or text of a
	 * post or thread that is not public. */
	{ "mod_report_post", "SELECT left(p.body_md, 600) AS excerpt "
	    "FROM posts p JOIN threads t ON t.id = p.thread_id "
	    "WHERE p.id = $1 AND p.state = 'published' "
	    "AND t.state = 'published'" },
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
	{ "mod_report_vacancy",
	    "INSERT INTO reports (target_kind, target_id, reporter_id, reason) "
	    "SELECT 'vacancy', v.id, $2, $3 FROM vacancies v "
	    "WHERE v.id = $1 AND v.state = 'published' AND v.enterprise_id "
	    "IS DISTINCT FROM (SELECT enterprise_id FROM users WHERE id = $2) "
	    "ON CONFLICT DO NOTHING" },
	{ "mod_vacancy_title", "SELECT title AS excerpt FROM vacancies "
	    "WHERE id = $1 AND state = 'published'" },
	{ "mod_dismiss_vacancy", "UPDATE reports SET resolved_at = now(), "
	    "resolved_by = $2 WHERE target_kind = 'vacancy' AND target_id = $1 "
	    "AND resolved_at IS NULL" },
};

void
mod_report_init(void)
{
	DB_REGISTER(stmts);
}

/* The report form, for a post (kind "p") or a vacancy (kind "jobs"). */
static int
report_page(struct request *req, int status, const char *kind,
    const char *excerpt)
{
	struct tmpl_vars v;
	const char *heading = strcmp(kind, "p") == 0 ?
	    T(req, "Report a post") : T(req, "Report a vacancy");

	tmpl_init(&v, req->arena);
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

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "heading", T(req, "Thank you"));
	tmpl_set(&v, "message", T(req, "A counsellor will look at it."));
	req->personal = 1;
	return page_render(req, 200, T(req, "Thank you"), "message", &v);
}

int
mod_report_form(struct request *req)
{
	PGresult *p;

	if ((p = DB_Q(req, "mod_report_post", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(p) != 1)
		return page_error(req, 404, N_("This post does not exist."));
	return report_page(req, 200, "p", db_get(p, 0, "excerpt"));
}

int
mod_report(struct request *req)
{
	PGresult *r;

	if (req->nerrors > 0)
		return report_page(req, 422, "p", NULL);
	if ((r = DB_Q(req, "mod_report", request_id(req), request_uid(req),
	    param_str(req, "reason"),
	    request_num(req, setting_get(SET_REPORT_THRESHOLD)))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1)
		log_info("post %lld hidden by reports", req->id);
	return reported(req);
}

/* The title of the open vacancy to report, or NULL with *status. */
static const char *
vacancy_title(struct request *req, int *status)
{
	PGresult *r;

	if ((r = DB_Q(req, "mod_vacancy_title", request_id(req))) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		*status = page_error(req, 404, N_("This vacancy is not open."));
		return NULL;
	}
	return db_get(r, 0, "excerpt");
}

int
mod_report_vacancy_form(struct request *req)
{
	const char *title;
	int status;

	if ((title = vacancy_title(req, &status)) == NULL)
		return status;
	return report_page(req, 200, "jobs", title);
}

int
mod_report_vacancy(struct request *req)
{
	int status;

	if (vacancy_title(req, &status) == NULL)
		return status;
	if (req->nerrors > 0)
		return report_page(req, 422, "jobs", NULL);
	if (DB_RUN("mod_report_vacancy", request_id(req), request_uid(req),
	    param_str(req, "reason")) == -1)
		return page_unavailable(req);
	return reported(req);
}

int
mod_vacancy_dismiss(struct request *req)
{
	if (db_begin() == -1)
		return page_unavailable(req);
	if (DB_RUN("mod_dismiss_vacancy", request_id(req),
	    request_uid(req)) == -1 ||
	    audit(req->user->id, "vacancy.reports_dismissed",
	    arena_printf(req->arena, "vacancy:%lld", req->id), NULL) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	return request_redirect(req, "/mod");
}
