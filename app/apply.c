/*
 * Applications.  The unique (vacancy, returnee) pair in the database is
 * what makes "once per vacancy" true under any race; the insert itself
 * checks that the vacancy is live, so nobody applies to a vacancy that
 * closed or expired while they were writing.  Messages are plain text
 * shown escaped.  Only the employer of the vacancy's enterprise changes
 * a status; counsellors can read along.
 */
#include <string.h>

#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "note.h"
#include "param.h"
#include "referral.h"
#include "apply.h"
#include "tmpl.h"
#include "page.h"
#include "request.h"

#define APPLICATIONS_PER_HOUR 30

/* The orders of a vacancy's applications (?sort=). */
const char *const apply_sorts[] = { "old", "new", "status", NULL };
static const char *const apply_sort_names[] = { N_("Oldest first"),
    N_("Newest first"), N_("By status") };

static const struct db_stmt stmts[] = {
	{ "apply_insert", "INSERT INTO applications (vacancy_id, user_id, "
	    "message) SELECT v.id, $2, $3 FROM vacancies v WHERE v.id = $1 "
	    "AND v.state = 'published' AND v.deadline >= magnet_today() "
	    "ON CONFLICT (vacancy_id, user_id) DO UPDATE SET status = "
	    "'submitted', message = excluded.message, created_at = now(), "
	    "updated_at = now() WHERE applications.status = 'withdrawn' "
	    "RETURNING id AS id" },
	{ "apply_exists", "SELECT id FROM applications WHERE vacancy_id = $1 "
	    "AND user_id = $2 AND status <> 'withdrawn'" },
	{ "apply_rate", "SELECT count(*) AS n FROM applications "
	    "WHERE user_id = $1 AND created_at > now() - interval '1 hour'" },
	{ "apply_mine", "SELECT a.id AS id, a.status AS status_key, "
	    "magnet_day(a.created_at) AS applied, CASE WHEN "
	    "magnet_day(a.updated_at) <> magnet_day(a.created_at) THEN "
	    "magnet_day(a.updated_at) END AS updated, v.id AS vid, "
	    "v.title AS title, v.kind AS kind_key, e.name AS enterprise, "
	    "NOT (v.state = 'published' AND v.deadline >= magnet_today()) "
	    "AS closed, a.message AS message, "
	    "a.status <> 'withdrawn' AS can_withdraw, "
	    /* The conversation the enterprise started about it, if any. */
	    "(SELECT c.id FROM conversations c JOIN conversation_members k "
	    "ON k.conversation_id = c.id AND k.user_id = a.user_id "
	    "WHERE c.application_id = a.id ORDER BY c.id DESC LIMIT 1) "
	    "AS conv, EXISTS (SELECT 1 FROM application_interviews i WHERE "
	    "i.application_id = a.id) AS interview "
	    "FROM applications a JOIN vacancies v ON v.id = "
	    "a.vacancy_id JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE a.user_id = $1 ORDER BY a.id DESC LIMIT 500" },
	/* Live: the application still lets the enterprise see the
	 * profile and write (jobs.h). */
	{ "apply_list", "SELECT a.id AS id, a.user_id AS uid, "
	    "u.username AS name, a.message AS message, "
	    "a.status AS status_key, a.status = 'withdrawn' AS withdrawn, "
	    "magnet_day(a.created_at) AS applied, "
	    "coalesce(p.consent, false) AS consent, "
	    "p.user_id IS NOT NULL AS has_profile, "
	    "EXISTS (SELECT 1 FROM application_interviews i WHERE "
	    "i.application_id = a.id) AS interview, "
	    JOBS_APP_LIVE("a", "v") " AS live FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "JOIN users u ON u.id = a.user_id "
	    "LEFT JOIN returnee_profiles p ON p.user_id = a.user_id "
	    /* $2: "new" newest first, "status" furthest along first, else
	     * oldest first. */
	    "WHERE a.vacancy_id = $1 ORDER BY CASE WHEN $2 = 'status' THEN "
	    "array_position(ARRAY['hired', 'offered', 'interview', "
	    "'shortlisted', 'viewed', 'submitted', 'not_selected', "
	    "'withdrawn'], a.status) END, CASE WHEN $2 = 'new' THEN a.id "
	    "END DESC, a.id LIMIT 1000" },
	/* The team's private notes on the applications of a vacancy. */
	{ "apply_notes", "SELECT n.application_id AS app, n.body AS body, "
	    "u.username AS author, magnet_time(n.created_at) AS at "
	    "FROM application_notes n JOIN applications a ON "
	    "a.id = n.application_id JOIN users u ON u.id = n.author_id "
	    "WHERE a.vacancy_id = $1 ORDER BY n.application_id, n.id" },
	{ "apply_get", "SELECT a.id AS id, a.user_id AS uid, "
	    "a.status AS status, v.id AS vid, v.enterprise_id AS ent_id, "
	    "v.title AS title FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id WHERE a.id = $1" },
	{ "apply_set", "UPDATE applications SET status = $2, "
	    "updated_at = now() WHERE id = $1 AND status <> $2 "
	    "AND status <> 'withdrawn' RETURNING id" },
	{ "apply_withdraw", "UPDATE applications a SET status = 'withdrawn', "
	    "updated_at = now() FROM vacancies v WHERE a.id = $1 "
	    "AND a.user_id = $2 AND a.status <> 'withdrawn' "
	    "AND v.id = a.vacancy_id RETURNING v.id AS vid, v.author_id AS "
	    "author_id, v.title AS title" },
};

void
apply_init(void)
{
	DB_REGISTER(stmts);
}

static int
returnees_only(struct request *req)
{
	log_warnx("refused %s to user=%lld role=%s", req->path, req->user->id,
	    role_names[req->user->role]);
	return page_error(req, 403, N_("Only returnees apply to vacancies. "
	    "Employers and counsellors see applications from the vacancy's "
	    "page."));
}

static int
not_open(struct request *req)
{
	return page_error(req, 404, N_("This vacancy does not exist or is no "
	    "longer open."));
}

static int
form_page(struct request *req, int status, const struct jobs_vacancy *v,
    const char *problem)
{
	struct tmpl_vars t;

	tmpl_init(&t, req->arena);
	tmpl_set(&t, "id", request_num(req, v->id));
	tmpl_set(&t, "title", v->title);
	tmpl_set(&t, "message", param_str(req, "message"));
	tmpl_set(&t, "message_err", param_err(req, "message"));
	tmpl_set(&t, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, arena_printf(req->arena,
	    T(req, "Apply: %s"),
	    i18n_isolate(req->arena, v->title)), "jobs_apply", &t);
}

/* The live vacancy of {id} for a returnee: 1, or 0 with *status. */
static int
open_vacancy(struct request *req, struct jobs_vacancy *v, int *status)
{
	int rc;

	if (req->user->role != ROLE_RETURNEE) {
		*status = returnees_only(req);
		return 0;
	}
	if ((rc = jobs_vacancy_get(req, req->id, v)) == -1) {
		*status = page_unavailable(req);
		return 0;
	}
	if (rc == 0 || !v->live) {
		*status = not_open(req);
		return 0;
	}
	if (v->sample) {
		*status = page_error(req, 403, N_("This is a sample vacancy, "
		    "to show how one looks. It takes no applications: look "
		    "at the other vacancies."));
		return 0;
	}
	return 1;
}

int
apply_form(struct request *req)
{
	struct jobs_vacancy v;
	PGresult *r;
	int status;

	if (!open_vacancy(req, &v, &status))
		return status;
	if ((r = DB_Q(req, "apply_exists", request_num(req, v.id),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) > 0)
		return request_redirect(req, "/applications");
	return form_page(req, 200, &v, NULL);
}

int
apply_submit(struct request *req)
{
	struct jobs_vacancy v;
	const char *message;
	PGresult *r;
	long long id;
	int status;

	if (!open_vacancy(req, &v, &status))
		return status;
	message = param_str(req, "message");
	if (req->nerrors > 0)
		return form_page(req, 422, &v, N_("Please correct the marked "
		    "fields."));
	if ((r = DB_Q(req, "apply_rate", request_uid(req))) == NULL)
		return page_unavailable(req);
	if (db_get_ll(r, 0, "n") >= APPLICATIONS_PER_HOUR)
		return page_error(req, 429, N_("You have sent many applications "
		    "in the last hour. Please wait a while and try again."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "apply_insert", request_num(req, v.id),
	    request_uid(req), message)) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		/* Either applied already, or it closed meanwhile. */
		if ((r = DB_Q(req, "apply_exists", request_num(req, v.id),
		    request_uid(req))) == NULL)
			return page_unavailable(req);
		if (PQntuples(r) == 0)
			return form_page(req, 409, &v, N_("This vacancy closed "
			    "while you were writing. Your message is kept "
			    "below."));
		param_set_err(req, "message", N_("You have already applied to "
		    "this vacancy. You can follow it on your applications "
		    "page."));
		return form_page(req, 422, &v, N_("You have already applied to "
		    "this vacancy."));
	}
	id = db_get_ll(r, 0, "id");
	if (note_add(v.author_id, "application", req->user->id, v.title,
	    arena_printf(req->arena, "/jobs/%lld/applications#a%lld", v.id,
	    id)) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("application %lld to vacancy %lld by user=%lld", id, v.id,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/applications?sent=1#a%lld", id));
fail:
	db_rollback();
	return page_unavailable(req);
}

/* A row of apply_mine: its labels in the reader's language. */
static void
mine_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "status", jobs_label(req, JOBS_APP_STATUS,
	    db_get(r, i, "status_key")));
	jobs_row_labels(req, row, r, i);
}

int
apply_mine(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("This page lists a returnee's "
		    "own applications and referrals."));
	if ((r = DB_Q(req, "apply_mine", request_uid(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	/* The referrals (referral.c), {{>referral_mine}}. */
	if (referral_mine(req, &v) == -1)
		return page_unavailable(req);
	tmpl_set_rows(&v, "applications", r, mine_row, req);
	tmpl_set_bool(&v, "sent", *param_str(req, "sent") != '\0' &&
	    PQntuples(r) > 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Your applications"), "jobs_mine",
	    &v);
}

struct app_ctx {
	struct request	*req;
	int		 owner;
	const PGresult	*notes;	/* apply_notes, for the team and staff */
};

/* The notes of application id as items of the row. */
static void
app_notes(struct app_ctx *c, struct tmpl_vars *row, const char *id)
{
	struct tmpl_vars *items;
	int i, n = 0;

	if (c->notes == NULL)
		return;
	items = arena_alloc(c->req->arena, (PQntuples(c->notes) + 1) *
	    sizeof(*items));
	for (i = 0; i < PQntuples(c->notes); i++) {
		if (strcmp(db_get(c->notes, i, "app"), id) != 0)
			continue;
		tmpl_init(&items[n], c->req->arena);
		tmpl_set(&items[n], "body", db_get(c->notes, i, "body"));
		tmpl_set(&items[n], "author", db_get(c->notes, i, "author"));
		tmpl_set(&items[n++], "at", db_get(c->notes, i, "at"));
	}
	tmpl_set_items(row, "notes", items, n);
}

/*
 * A row of apply_list.  Withdrawn: the name stays, the message and
 * profile go.  The profile: for staff; for the enterprise while the
 * application is live and with the returnee's consent.  No longer
 * live: no new conversation about it.
 */
static void
app_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct app_ctx *c = ctx;
	struct request *req = c->req;
	int open = !db_get_bool(r, i, "withdrawn");
	int live = db_get_bool(r, i, "live");

	tmpl_set(row, "status", jobs_label(req, JOBS_APP_STATUS,
	    db_get(r, i, "status_key")));
	tmpl_set_bool(row, "profile", open && db_get_bool(r, i,
	    "has_profile") && (request_is_mod(req) || (live &&
	    db_get_bool(r, i, "consent"))));
	tmpl_set_bool(row, "can_set", open && c->owner);
	tmpl_set_bool(row, "write", open && c->owner && live);
	app_notes(c, row, db_get(r, i, "id"));
	if (open && c->owner)
		jobs_set_options(req, row, "status_opts", JOBS_APP_STATUS,
		    db_get(r, i, "status_key"), NULL);
}

int
apply_for_vacancy(struct request *req)
{
	struct tmpl_vars t;
	struct jobs_vacancy v;
	struct app_ctx c;
	PGresult *r;
	int rc;

	if ((rc = jobs_vacancy_get(req, req->id, &v)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return not_open(req);
	c.req = req;
	c.owner = jobs_owns(req, &v);
	if (!c.owner && !request_is_mod(req)) {
		log_warnx("refused applications of vacancy %lld to user=%lld",
		    v.id, req->user->id);
		return page_error(req, 403, N_("Only the enterprise that posted "
		    "this vacancy can see its applications."));
	}
	if ((r = DB_Q(req, "apply_list", request_num(req, v.id),
	    param_str(req, "sort"))) == NULL ||
	    (c.notes = DB_Q(req, "apply_notes", request_num(req, v.id))) ==
	    NULL)
		return page_unavailable(req);
	tmpl_init(&t, req->arena);
	/* The referrals (referral.c), {{>referral_vacancy}}. */
	if (referral_for_vacancy(req, &t, v.id, c.owner) == -1)
		return page_unavailable(req);
	tmpl_set(&t, "id", request_num(req, v.id));
	tmpl_set(&t, "title", v.title);
	tmpl_set(&t, "state", jobs_label(req, JOBS_STATE, v.live ?
	    "published" : strcmp(v.state, "published") == 0 ? "expired" :
	    v.state));
	tmpl_set_int(&t, req->arena, "count", PQntuples(r));
	tmpl_set_rows(&t, "applications", r, app_row, &c);
	tmpl_set_bool(&t, "owner", c.owner);
	page_set_options(req, &t, "sort_opts", apply_sorts, apply_sort_names,
	    0, param_str(req, "sort"), NULL);
	if (c.owner)
		jobs_set_options(req, &t, "bulk_opts", JOBS_APP_STATUS, "",
		    N_("Choose…"));
	req->personal = 1;
	return page_render(req, 200, arena_printf(req->arena,
	    T(req, "Applications: %s"),
	    i18n_isolate(req->arena, v.title)), "jobs_applications", &t);
}

int
apply_status(struct request *req)
{
	const char *status, *title;
	PGresult *r;
	long long uid, vid;

	if ((r = DB_Q(req, "apply_get", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such "
		    "application."));
	if (req->user->role != ROLE_EMPLOYER ||
	    req->user->enterprise_id != db_get_ll(r, 0, "ent_id")) {
		log_warnx("refused status of application %lld to user=%lld",
		    req->id, req->user->id);
		return page_error(req, 403, N_("Only the enterprise that posted "
		    "the vacancy can change the status of an application."));
	}
	uid = db_get_ll(r, 0, "uid");
	vid = db_get_ll(r, 0, "vid");
	title = db_get(r, 0, "title");
	if (strcmp(db_get(r, 0, "status"), "withdrawn") == 0)
		return page_error(req, 409, N_("The applicant withdrew this "
		    "application."));
	if (req->nerrors > 0)
		return page_error(req, 400, N_("Please choose one of the "
		    "statuses."));
	status = param_str(req, "status");
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "apply_set", request_id(req), status)) ==
	    NULL)
		goto fail;
	/* The kind names the new status, which the notification shows in
	 * the returnee's language (note.c). */
	if (PQntuples(r) == 1 && note_add(uid, arena_printf(req->arena,
	    "appst_%s", status), req->user->id, title,
	    arena_printf(req->arena, "/applications#a%lld", req->id)) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("application %lld status %s by user=%lld", req->id, status,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/jobs/%lld/applications#a%lld", vid, req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}

/*
 * The returnee takes an application back.  It stays on the employer's
 * list as withdrawn, without its message; the employer is told, and the
 * returnee may apply again while the vacancy is open.
 */
int
apply_withdraw(struct request *req)
{
	PGresult *r;
	long long vid;

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Only the returnee who sent an "
		    "application can withdraw it."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "apply_withdraw", request_id(req),
	    request_uid(req))) == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		/* Not theirs, no such one, or withdrawn already: the same. */
		return page_error(req, 404, N_("You have no such application "
		    "to withdraw."));
	}
	vid = db_get_ll(r, 0, "vid");
	if (note_add(db_get_ll(r, 0, "author_id"), "application_withdrawn",
	    req->user->id, db_get(r, 0, "title"), arena_printf(req->arena,
	    "/jobs/%lld/applications#a%lld", vid, req->id)) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("application %lld withdrawn by user=%lld", req->id,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/applications#a%lld", req->id));
fail:
	db_rollback();
	return page_unavailable(req);
}
