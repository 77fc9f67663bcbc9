/*
 * Moderation of the job board: the counsellors' queue of new vacancies,
 * edits of approved ones and enterprises to verify (GET /mod/jobs, and
 * the same section in GET /mod), and the decisions on a vacancy.  A
 * decision is audited and the employer notified in one transaction.
 */
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "jobs_mod.h"
#include "log.h"
#include "note.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

/*
 * The counsellors' queue: new vacancies and edits of approved ones,
 * oldest first; where_v and where_e narrow it to one vacancy.
 */
#define MOD_QUEUE(where_v, where_e) \
	"SELECT v.id AS id, v.title AS title, v.kind AS kind_key, " \
	"v.governorate AS gov_key, v.sector AS sector_key, e.id AS ent_id, " \
	"e.name AS enterprise, e.verified_at IS NOT NULL AS verified, " \
	"extract(epoch FROM now() - v.submitted_at)::bigint AS waited, " \
	JOBS_ISO("v.submitted_at") " AS since, u.username AS author, " \
	"v.published_at IS NOT NULL AS edit, " \
	"to_char(v.deadline, 'YYYY-MM-DD') AS deadline, " \
	"v.deadline < magnet_today() AS past, false AS aside, " \
	"v.description_html AS description_html, " \
	"v.salary_min AS salary_min, v.salary_max AS salary_max, " \
	"v.submitted_at AS submitted_at FROM vacancies v " \
	"JOIN enterprises e ON e.id = v.enterprise_id " \
	"JOIN users u ON u.id = v.author_id WHERE v.state = 'pending' " \
	where_v "UNION ALL " \
	"SELECT d.vacancy_id, d.title, d.kind, d.governorate, d.sector, " \
	"e.id, e.name, e.verified_at IS NOT NULL, " \
	"extract(epoch FROM now() - d.submitted_at)::bigint, " \
	JOBS_ISO("d.submitted_at") ", u.username, true, " \
	"to_char(d.deadline, 'YYYY-MM-DD'), d.deadline < magnet_today(), " \
	"true, d.description_html, d.salary_min, d.salary_max, " \
	"d.submitted_at FROM vacancy_edits d " \
	"JOIN vacancies v ON v.id = d.vacancy_id " \
	"JOIN enterprises e ON e.id = v.enterprise_id " \
	"JOIN users u ON u.id = d.author_id WHERE d.state = 'pending' " \
	where_e "ORDER BY 19, 1 LIMIT 100"

static const struct db_stmt stmts[] = {
	{ "jobs_mod_pending", MOD_QUEUE("", "") },
	{ "jobs_mod_one", MOD_QUEUE("AND v.id = $1 ",
	    "AND d.vacancy_id = $1 ") },
	{ "jobs_mod_unverified",
	    "SELECT e.id AS id, e.name AS name, e.sector AS sector_key, "
	    "e.governorate AS gov_key, e.address AS address, e.phone AS phone, "
	    "e.website AS website, e.description AS description, "
	    "extract(epoch FROM now() - e.queued_at)::bigint AS waited, "
	    JOBS_ISO("e.queued_at") " AS since, coalesce((SELECT "
	    "string_agg(u.username, ', ' ORDER BY u.id) FROM users u "
	    "WHERE u.enterprise_id = e.id), '') AS accounts "
	    "FROM enterprises e WHERE e.verified_at IS NULL "
	    "ORDER BY e.queued_at, e.id LIMIT 100" },
	{ "jobs_approve", "UPDATE vacancies SET state = 'published', "
	    "published_at = coalesce(published_at, now()), decided_by = $2, "
	    "decided_at = now(), updated_at = now() "
	    "WHERE id = $1 AND state = 'pending' RETURNING author_id, title" },
	/* The edit replaces the approved version, which a closed vacancy
	 * reopens with; the date it was first published stays. */
	{ "jobs_edit_approve", "WITH d AS (DELETE FROM vacancy_edits "
	    "WHERE vacancy_id = $1 AND state = 'pending' RETURNING *) "
	    "UPDATE vacancies v SET (" JOBS_EDIT_FIELDS ") = (d.kind, d.title, "
	    "d.description_md, d.description_html, d.governorate, d.city, "
	    "d.sector, d.contract, d.positions, d.languages, d.skills, "
	    "d.salary_min, d.salary_max, d.deadline, d.occupation_code, "
	    "d.occupation, d.skill_codes), state = 'published', "
	    "published_at = coalesce(v.published_at, now()), "
	    "close_reason = '', closed_at = NULL, reject_code = '', "
	    "reject_note = '', decided_by = $2, decided_at = now(), "
	    "updated_at = now() FROM d WHERE v.id = d.vacancy_id "
	    "RETURNING d.author_id, v.title" },
	/* The approved version stays; the edit keeps the reason. */
	{ "jobs_edit_reject", "UPDATE vacancy_edits d SET state = "
	    "'rejected', reject_code = $3, reject_note = $4, decided_by = $2, "
	    "decided_at = now() FROM vacancies v WHERE d.vacancy_id = $1 "
	    "AND d.state = 'pending' AND v.id = d.vacancy_id "
	    "RETURNING d.author_id, v.title" },
	{ "jobs_reject", "UPDATE vacancies SET state = 'rejected', "
	    "reject_code = $3, reject_note = $4, decided_by = $2, "
	    "decided_at = now(), updated_at = now() "
	    "WHERE id = $1 AND state IN ('pending', 'published') "
	    "RETURNING author_id, title" },
};

void
jobs_mod_init(void)
{
	DB_REGISTER(stmts);
}

/* What is wrong with a rejection's reason, or NULL. */
static const char *
reject_problem(struct request *req)
{
	const char *code = param_str(req, "reason");
	const char *note = param_str(req, "note");

	if (param_err(req, "reason") || param_err(req, "note"))
		return N_("The reason could not be read. Choose one from the "
		    "list and keep the note under 1000 characters.");
	if (*code == '\0' && *note == '\0')
		return N_("Give the employer a reason: choose one from the "
		    "list or write a note.");
	if (strcmp(code, "other") == 0 && *note == '\0')
		return N_("With \"See the counsellor's note\", write the "
		    "note.");
	return NULL;
}

/*
 * One card of the queue (a row of MOD_QUEUE): the labels, the pay, how
 * long it waited; for a refused rejection of this vacancy, what the
 * counsellor wrote and why it was refused.  The page's problem is not
 * the card's.
 */
static void
vacancy_card(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *problem = NULL;

	jobs_row_labels(req, row, r, i);
	tmpl_set(row, "waited", jobs_waited(req, db_get_ll(r, i, "waited")));
	tmpl_set(row, "salary", jobs_salary_row(req, r, i));
	if (req->method == M_POST && req->id == db_get_ll(r, i, "id"))
		problem = reject_problem(req);
	tmpl_set(row, "problem", problem ? T(req, problem) : NULL);
	tmpl_set(row, "problems", NULL);
	tmpl_set(row, "note", problem ? param_str(req, "note") : NULL);
	if (problem != NULL)
		jobs_set_options(req, row, "reasons", JOBS_REJECT,
		    param_str(req, "reason"), N_("Choose a reason"));
}

static void
enterprise_card(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	jobs_row_labels(req, row, r, i);
	tmpl_set(row, "waited", jobs_waited(req, db_get_ll(r, i, "waited")));
}

int
jobs_mod_bind(struct request *req, struct tmpl_vars *v)
{
	PGresult *p, *e;

	if ((p = DB_Q(req, "jobs_mod_pending")) == NULL ||
	    (e = DB_Q(req, "jobs_mod_unverified")) == NULL)
		return -1;
	tmpl_set_rows(v, "mod_vacancies", p, vacancy_card, req);
	tmpl_set_rows(v, "mod_enterprises", e, enterprise_card, req);
	tmpl_set_int(v, req->arena, "nvacancies", PQntuples(p));
	tmpl_set_int(v, req->arena, "nenterprises", PQntuples(e));
	jobs_set_options(req, v, "reasons", JOBS_REJECT, NULL,
	    N_("Choose a reason"));
	tmpl_set(v, "next", req->path);
	return 0;
}

int
jobs_mod_bind_one(struct request *req, struct tmpl_vars *v, long long id)
{
	PGresult *r;

	if ((r = DB_Q(req, "jobs_mod_one", request_num(req, id))) == NULL)
		return -1;
	tmpl_set_rows(v, "decide", r, vacancy_card, req);
	jobs_set_options(req, v, "reasons", JOBS_REJECT, NULL,
	    N_("Choose a reason"));
	tmpl_set(v, "next", arena_printf(req->arena, "/jobs/%lld", id));
	tmpl_set_bool(v, "on_page", 1);
	return 0;
}

static int
mod_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;

	tmpl_init(&v, req->arena);
	if (jobs_mod_bind(req, &v) == -1)
		return page_unavailable(req);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, T(req, "Vacancies and enterprises to "
	    "review"), "jobs_mod_page", &v);
}

int
jobs_mod_page(struct request *req)
{
	return mod_page(req, 200, NULL);
}
/*
 * Decide on what waits for review, as a counsellor: an edit beside an
 * approved vacancy (edit_stmt) if there is one, else the vacancy itself
 * (stmt).  Audit and notify in the same transaction.  The statements
 * return the author's id and the title.
 */
static int
decide(struct request *req, const char *edit_stmt, const char *stmt,
    const char *action, const char *code, const char *note,
    const char *kind)
{
	const char *target, *reason, *id = request_id(req);
	PGresult *r;
	long long author;
	int i;

	target = arena_printf(req->arena, "vacancy:%lld", req->id);
	reason = code != NULL && *code != '\0' ? arena_printf(req->arena,
	    "%s%s%s", code, *note ? ": " : "", note) : note;
	if (db_begin() == -1)
		return page_unavailable(req);
	for (i = 0; i < 2; i++) {
		const char *s = i == 0 ? edit_stmt : stmt;

		r = code != NULL ? DB_Q(req, s, id, request_uid(req), code,
		    note) : DB_Q(req, s, id, request_uid(req));
		if (r == NULL)
			goto fail;
		if (PQntuples(r) == 1)
			break;
		r = NULL;
	}
	if (r == NULL) {
		db_rollback();
		return mod_page(req, 409, N_("This vacancy was already decided "
		    "or changed; the queue below is up to date."));
	}
	author = db_get_ll(r, 0, "author_id");
	/* An edit: "vacancy.edit_approve", and the employer is told that
	 * the approved version stays or was replaced. */
	if (i == 0) {
		action = arena_printf(req->arena, "vacancy.edit_%s",
		    action + strlen("vacancy."));
		kind = arena_printf(req->arena, "edit_%s", kind);
	}
	if (audit(req->user->id, action, target, reason) == -1 ||
	    note_add(author, kind, req->user->id, db_get(r, 0, "title"),
	    arena_printf(req->arena, "/jobs/%lld", req->id)) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("%s %s by user=%lld", action, target, req->user->id);
	return request_redirect(req, jobs_next(req, "/mod/jobs"));
fail:
	db_rollback();
	return page_unavailable(req);
}

int
jobs_mod_approve(struct request *req)
{
	return decide(req, "jobs_edit_approve", "jobs_approve",
	    "vacancy.approve", NULL, "", "approved");
}

int
jobs_mod_reject(struct request *req)
{
	const char *problem;

	if ((problem = reject_problem(req)) != NULL)
		return mod_page(req, 422, problem);
	return decide(req, "jobs_edit_reject", "jobs_reject",
	    "vacancy.reject", param_str(req, "reason"), param_str(req, "note"),
	    "rejected");
}
