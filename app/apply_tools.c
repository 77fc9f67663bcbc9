/*
 * The employer's tools on applications (issue 21): private notes of the
 * enterprise's team (counsellors read them; the applicant and other
 * enterprises never), one status for several applications at once, and
 * an interview proposal sent as a message with an iCalendar file the
 * applicant adds to a calendar.  The list they sit on is apply.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "conf.h"
#include "db.h"
#include "event.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "msg.h"
#include "note.h"
#include "param.h"
#include "apply.h"
#include "tmpl.h"
#include "page.h"
#include "request.h"

static const struct db_stmt stmts[] = {
	/* An application with what its checks need; ulang is the
	 * applicant's language, for the message. */
	{ "at_get", "SELECT a.id AS id, a.user_id AS uid, a.status AS status, "
	    "v.id AS vid, v.enterprise_id AS ent_id, v.title AS title, "
	    "coalesce(u.lang, '') AS ulang, u.deleted_at IS NULL AS alive, "
	    JOBS_APP_LIVE("a", "v") " AS live FROM applications a "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "JOIN users u ON u.id = a.user_id WHERE a.id = $1" },
	{ "at_note_add", "INSERT INTO application_notes (application_id, "
	    "author_id, body) VALUES ($1, $2, $3) RETURNING id" },
	/* Only the enterprise's own, open applications of this vacancy. */
	{ "at_bulk", "UPDATE applications a SET status = $3, updated_at = "
	    "now() FROM vacancies v WHERE a.id = ANY ($1::bigint[]) AND "
	    "v.id = a.vacancy_id AND v.id = $2 AND v.enterprise_id = $4 AND "
	    "a.status <> $3 AND a.status <> 'withdrawn' "
	    "RETURNING a.id AS id, a.user_id AS uid, v.title AS title" },
	{ "at_interview_add", "INSERT INTO application_interviews "
	    "(application_id, author_id, starts_at, minutes, place, link) "
	    "VALUES ($1, $2, magnet_moment(($3 || ' ' || $4)::timestamp), "
	    "$5::int, $6, $7) RETURNING id" },
	{ "at_future", "SELECT magnet_moment(($1 || ' ' || $2)::timestamp) > "
	    "now() AS future, ($1)::date <= magnet_today() + 366 AS near" },
	/* An interview moves an earlier status on to "interview". */
	{ "at_to_interview", "UPDATE applications SET status = 'interview', "
	    "updated_at = now() WHERE id = $1 AND status IN ('submitted', "
	    "'viewed', 'shortlisted') RETURNING id" },
	/* The latest proposal, its times in UTC as RFC 5545 writes them. */
	{ "at_interview_ics", "SELECT i.id AS id, "
	    "to_char(i.starts_at AT TIME ZONE 'UTC', "
	    "'YYYYMMDD\"T\"HH24MISS\"Z\"') AS dtstart, "
	    "to_char((i.starts_at + make_interval(mins => i.minutes)) "
	    "AT TIME ZONE 'UTC', 'YYYYMMDD\"T\"HH24MISS\"Z\"') AS dtend, "
	    "to_char(i.created_at AT TIME ZONE 'UTC', "
	    "'YYYYMMDD\"T\"HH24MISS\"Z\"') AS stamp, i.place AS place, "
	    "i.link AS link, v.id AS vid, v.title AS title, e.name AS "
	    "enterprise FROM application_interviews i "
	    "JOIN applications a ON a.id = i.application_id "
	    "JOIN vacancies v ON v.id = a.vacancy_id "
	    "JOIN enterprises e ON e.id = v.enterprise_id "
	    "WHERE i.application_id = $1 ORDER BY i.id DESC LIMIT 1" },
};

void
apply_tools_init(void)
{
	DB_REGISTER(stmts);
}

/* The application of {id}: 1 with *r, 0 none (*status 404), -1. */
static int
load(struct request *req, PGresult **r, int *status)
{
	if ((*r = DB_Q(req, "at_get", request_id(req))) == NULL) {
		*status = page_unavailable(req);
		return -1;
	}
	if (PQntuples(*r) != 1) {
		*status = page_error(req, 404, N_("There is no such "
		    "application."));
		return 0;
	}
	return 1;
}

/* An employer of the vacancy's enterprise. */
static int
team(struct request *req, const PGresult *r)
{
	return req->user->role == ROLE_EMPLOYER &&
	    req->user->enterprise_id != 0 &&
	    req->user->enterprise_id == db_get_ll(r, 0, "ent_id");
}

static int
not_team(struct request *req)
{
	log_warnx("refused application tool %s to user=%lld", req->path,
	    req->user->id);
	return page_error(req, 403, N_("Only the enterprise that posted the "
	    "vacancy can do this."));
}

static int
note_page(struct request *req, int status, const PGresult *r)
{
	struct tmpl_vars t;

	tmpl_init(&t, req->arena);
	tmpl_bind_row(&t, r, 0);
	tmpl_set(&t, "body", param_str(req, "body"));
	tmpl_set(&t, "body_err", param_err(req, "body"));
	tmpl_set(&t, "problem", T(req, "Please correct the marked fields; "
	    "your text is kept."));
	req->personal = 1;
	return page_render(req, status, T(req, "Private note"), "apply_note",
	    &t);
}

/* POST /applications/{id}/notes: a note only the team and counsellors
 * read. */
int
apply_note(struct request *req)
{
	PGresult *r;
	int status;

	if (load(req, &r, &status) != 1)
		return status;
	if (!team(req, r))
		return not_team(req);
	if (req->nerrors > 0)
		return note_page(req, 422, r);
	if (DB_Q(req, "at_note_add", request_id(req), request_uid(req),
	    param_str(req, "body")) == NULL)
		return page_unavailable(req);
	log_info("note on application %lld by user=%lld", req->id,
	    req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/jobs/%s/applications#a%lld", db_get(r, 0, "vid"), req->id));
}

/* The ids of the repeated "app" fields as a PostgreSQL array; *n gets
 * their number. */
static const char *
bulk_ids(struct request *req, size_t *n)
{
	struct buf b;
	const char *s;
	long long id;
	char *end;
	size_t i;

	buf_init(&b);
	buf_puts(&b, "{");
	for (i = 0, *n = 0; i < req->nfields; i++) {
		if (strcmp(req->fields[i].key, "app") != 0)
			continue;
		id = strtoll(req->fields[i].val, &end, 10);
		if (*end != '\0' || id <= 0 || *n >= 1000)
			continue;
		buf_printf(&b, "%s%lld", (*n)++ ? "," : "", id);
	}
	buf_puts(&b, "}");
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/* POST /jobs/{id}/applications/status: one status for the chosen
 * applications; each applicant is told, as for one. */
int
apply_bulk(struct request *req)
{
	struct jobs_vacancy v;
	const char *ids, *status;
	PGresult *r;
	size_t n;
	int rc, i;

	if ((rc = jobs_vacancy_get(req, req->id, &v)) == -1)
		return page_unavailable(req);
	if (rc == 0)
		return jobs_vacancy_404(req);
	if (!jobs_owns(req, &v))
		return not_team(req);
	ids = bulk_ids(req, &n);
	if (n == 0 || req->nerrors > 0)
		return page_error(req, 422, N_("Choose at least one application "
		    "and a status."));
	status = param_str(req, "status");
	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "at_bulk", ids, request_num(req, v.id), status,
	    request_num(req, v.enterprise_id))) == NULL)
		goto fail;
	for (i = 0; i < PQntuples(r); i++)
		if (note_add(db_get_ll(r, i, "uid"), arena_printf(req->arena,
		    "appst_%s", status), req->user->id, db_get(r, i, "title"),
		    arena_printf(req->arena, "/applications#a%s",
		    db_get(r, i, "id"))) == -1)
			goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("bulk status %s of %d applications to vacancy %lld by "
	    "user=%lld", status, PQntuples(r), v.id, req->user->id);
	return request_redirect(req, arena_printf(req->arena,
	    "/jobs/%lld/applications", v.id));
fail:
	db_rollback();
	return page_unavailable(req);
}

static int
interview_page(struct request *req, int status, const PGresult *r,
    const char *problem)
{
	static const char *const fields[] = { "date", "start", "minutes",
	    "place", "link", "message" };
	struct tmpl_vars t;
	size_t i;

	tmpl_init(&t, req->arena);
	tmpl_bind_row(&t, r, 0);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		tmpl_set(&t, fields[i], param_str(req, fields[i]));
		tmpl_set_raw(&t, arena_printf(req->arena, "%s_err", fields[i]),
		    param_err_html(req, fields[i]));
	}
	if (status == 200)
		tmpl_set(&t, "minutes", "60");
	tmpl_set(&t, "problem", problem ? T(req, problem) : NULL);
	req->personal = 1;
	return page_render(req, status, arena_printf(req->arena,
	    T(req, "Propose an interview: %s"), i18n_isolate(req->arena,
	    db_get(r, 0, "title"))), "apply_interview", &t);
}

/* The team, and an application that still lets it write. */
static int
may_invite(struct request *req, PGresult **r, int *status)
{
	if (load(req, r, status) != 1)
		return 0;
	if (!team(req, *r)) {
		*status = not_team(req);
		return 0;
	}
	if (!db_get_bool(*r, 0, "live") || !db_get_bool(*r, 0, "alive")) {
		*status = page_error(req, 409, N_("This application is closed: "
		    "you can no longer propose an interview."));
		return 0;
	}
	return 1;
}

int
apply_interview_form(struct request *req)
{
	PGresult *r;
	int status;

	if (!may_invite(req, &r, &status))
		return status;
	return interview_page(req, 200, r, NULL);
}

/* Read and check the form: date, time in the future, a place or a
 * link. */
static void
interview_read(struct request *req, char date[11], char start[6],
    const char **link)
{
	PGresult *f;

	if (param_err(req, "date") == NULL && i18n_parse_date(param_str(req,
	    "date"), date) == -1)
		param_set_err_ex(req, "date", N_("Please give the date as "
		    "year-month-day, for example %s."), "2025-03-31", NULL);
	if (param_err(req, "start") == NULL && i18n_parse_time(param_str(req,
	    "start"), start) == -1)
		param_set_err_ex(req, "start", N_("Please give the time as "
		    "hours and minutes, for example %s."), "09:30", NULL);
	if (param_err(req, "date") == NULL && param_err(req, "start") ==
	    NULL && (f = DB_Q(req, "at_future", date, start)) != NULL &&
	    (!db_get_bool(f, 0, "future") || !db_get_bool(f, 0, "near")))
		param_set_err(req, "date", N_("Choose a day and time from now "
		    "to a year ahead."));
	*link = param_str(req, "link");
	if (**link != '\0' && event_link_ok(param_url_fill(req, *link)))
		*link = param_url_fill(req, *link);
	if (**link != '\0' && !event_link_ok(*link))
		param_set_err_ex(req, "link", N_("Please give a full address "
		    "without spaces, such as %s."),
		    "https://example.org/meeting", NULL);
	if (*param_str(req, "place") == '\0' && **link == '\0')
		param_set_err(req, "place", N_("Give the place of the "
		    "interview, or a link for one online."));
}

/* The message, in the applicant's language: when, where, the link to
 * the calendar file, and the employer's words as typed. */
static const char *
interview_text(struct request *req, const PGresult *r, const char *date,
    const char *start, const char *link)
{
	enum lang l = req->lang;
	const char *p = param_str(req, "place");
	struct buf b;
	const char *s;

	(void)i18n_from_tag(db_get(r, 0, "ulang"), &l);
	buf_init(&b);
	buf_printf(&b, i18n_get(l, N_("We invite you to an interview on %s "
	    "at %s (Baghdad time).")), date, start);
	buf_puts(&b, "\n\n");
	if (*p)
		buf_printf(&b, "%s %s\n\n", i18n_get(l, N_("Place:")), p);
	if (*link)
		buf_printf(&b, "%s <%s>\n\n", i18n_get(l, N_("Online:")), link);
	buf_printf(&b, "[%s](/applications/%lld/interview.ics)\n\n",
	    i18n_get(l, N_("Add it to your calendar")), req->id);
	buf_puts(&b, param_str(req, "message"));
	s = arena_buf(req->arena, &b);
	buf_free(&b);
	return s;
}

/* POST /applications/{id}/interview */
int
apply_interview(struct request *req)
{
	const char *link, *text, *html = NULL, *href = NULL;
	char date[11], start[6];
	PGresult *r;
	int status, rc;

	if (!may_invite(req, &r, &status))
		return status;
	interview_read(req, date, start, &link);
	if (req->nerrors > 0)
		return interview_page(req, 422, r, N_("Please correct the "
		    "marked fields; your text is kept."));
	text = interview_text(req, r, date, start, link);
	if (param_markdown(req, "message", text, &html) == -1)
		return interview_page(req, 422, r, N_("Please correct the "
		    "marked fields; your text is kept."));
	if (db_begin() == -1)
		return page_unavailable(req);
	if (DB_Q(req, "at_interview_add", request_id(req), request_uid(req),
	    date, start, request_num(req, param_present(req, "minutes") &&
	    *param_str(req, "minutes") ? param_int(req, "minutes") : 60),
	    param_str(req, "place"), link) == NULL ||
	    (rc = msg_send_about(req, req->id, db_get_ll(r, 0, "uid"),
	    arena_printf(req->arena, T(req, "Interview: %s"),
	    db_get(r, 0, "title")), text, html, &href)) == -1)
		goto fail;
	if (rc == 0) {
		db_rollback();
		return interview_page(req, 403, r, N_("The applicant does not "
		    "accept messages from you, or your account may not send "
		    "messages now."));
	}
	if ((r = DB_Q(req, "at_to_interview", request_id(req))) == NULL)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	log_info("interview for application %lld by user=%lld", req->id,
	    req->user->id);
	return request_redirect(req, href);
fail:
	db_rollback();
	return page_unavailable(req);
}

/* GET /applications/{id}/interview.ics: the latest proposal, for the
 * applicant, the enterprise's team and counsellors; 404 to others. */
int
apply_interview_ics(struct request *req)
{
	const char *base = conf_active()->base_url;
	struct buf d;
	PGresult *r, *i;
	int status;

	if (load(req, &r, &status) != 1)
		return status;
	if (!team(req, r) && !request_is_mod(req) &&
	    db_get_ll(r, 0, "uid") != req->user->id)
		return page_error(req, 404, N_("There is no such "
		    "application."));
	if ((i = DB_Q(req, "at_interview_ics", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(i) != 1)
		return page_error(req, 404, N_("No interview has been proposed "
		    "for this application."));
	buf_init(&d);
	buf_reset(&req->out);
	event_ics_raw(&req->out, "BEGIN", "VCALENDAR");
	event_ics_raw(&req->out, "VERSION", "2.0");
	event_ics_raw(&req->out, "PRODID", "-//Magnet//Interviews//EN");
	event_ics_raw(&req->out, "CALSCALE", "GREGORIAN");
	event_ics_raw(&req->out, "METHOD", "PUBLISH");
	event_ics_raw(&req->out, "BEGIN", "VEVENT");
	event_ics_raw(&req->out, "UID", arena_printf(req->arena,
	    "interview-%s@magnet", db_get(i, 0, "id")));
	event_ics_raw(&req->out, "DTSTAMP", db_get(i, 0, "stamp"));
	event_ics_raw(&req->out, "DTSTART", db_get(i, 0, "dtstart"));
	event_ics_raw(&req->out, "DTEND", db_get(i, 0, "dtend"));
	event_ics_prop(&req->out, "SUMMARY", arena_printf(req->arena,
	    T(req, "Interview: %s"), db_get(i, 0, "title")));
	buf_printf(&d, "%s%s%s", db_get(i, 0, "place"),
	    *db_get(i, 0, "place") && *db_get(i, 0, "link") ? " " : "",
	    db_get(i, 0, "link"));
	event_ics_prop(&req->out, "LOCATION", d.p ? d.p : "");
	buf_reset(&d);
	buf_printf(&d, "%s\n%s/jobs/%s", db_get(i, 0, "enterprise"), base,
	    db_get(i, 0, "vid"));
	event_ics_prop(&req->out, "DESCRIPTION", d.p);
	if (*db_get(i, 0, "link"))
		event_ics_raw(&req->out, "URL", db_get(i, 0, "link"));
	event_ics_raw(&req->out, "STATUS", "CONFIRMED");
	event_ics_raw(&req->out, "END", "VEVENT");
	event_ics_raw(&req->out, "END", "VCALENDAR");
	buf_free(&d);
	req->content_type = "text/calendar; charset=utf-8";
	request_set_header(req, "Content-Disposition",
	    "attachment; filename=\"interview.ics\"");
	req->personal = 1;
	return 200;
}
