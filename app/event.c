/*
 * Events: information meetings, job and training fairs and workshops.
 * Counsellors publish, edit and cancel them; returnees and employers
 * sign up and withdraw until the event starts; counsellors see the
 * attendees and export them as CSV.  Past events stay, with how many
 * signed up and, once counted, how many came.
 *
 * Places: events.taken counts sign-ups.  A sign-up is one statement
 * whose UPDATE raises taken only WHERE taken < capacity; PostgreSQL
 * re-checks that condition on the newest row after waiting for another
 * sign-up's lock, so two requests for the last place cannot both pass,
 * and the INSERT of the sign-up happens in the same statement or not at
 * all.  Times are entered and shown in Baghdad time and stored as UTC.
 *
 * The feeds, /feeds/events.ics and /feeds/events.atom, are feed.c's; the
 * iCalendar writers it uses are the pure functions at the end of this
 * file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "db.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "param.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"
#include "jobs.h"

#define BOARD_MAX	5	/* events on the home page and a board */
#define PAST_PAGE	50

const char *const event_kinds[] = {
	"info_meeting", "job_fair", "training_fair", "workshop", NULL
};
const char *const event_kind_names[] = {
	N_("Information meeting"), N_("Job fair"), N_("Training fair"),
	N_("Workshop")
};

#define LOCAL(c, f) "to_char(magnet_local(" c "), '" f "')"
#define MOMENT(d, t) "magnet_moment(" d "::date + " t "::time)"
/*
 * The columns every event row has, by the names the templates use; $1
 * is the reader (0 for none), z the parameter with the zone of a reader
 * abroad (NULL for none: "abroad" is then NULL).
 */
#define EVENT_ROW(z) \
	"SELECT e.id, e.kind, e.title, magnet_time(e.starts_at) AS starts, " \
	LOCAL("e.starts_at", "YYYY-MM-DD") " AS date, " \
	LOCAL("e.starts_at", "HH24:MI") " AS start, " \
	LOCAL("e.ends_at", "YYYY-MM-DD") " AS end_date, " \
	LOCAL("e.ends_at", "HH24:MI") " AS end, " \
	"CASE WHEN e.online THEN to_char(e.starts_at AT TIME ZONE " z \
	"::text, 'YYYY-MM-DD HH24:MI') || '–' || to_char(e.ends_at AT TIME " \
	"ZONE " z "::text, 'HH24:MI') END AS abroad, " \
	"e.online, coalesce(e.governorate, '') AS governorate, e.city, " \
	"e.address, e.link, e.organiser, e.capacity, e.taken, e.attended, " \
	"e.state = 'cancelled' AS cancelled, e.ends_at > now() AS current, " \
	"e.starts_at > now() AND e.state <> 'cancelled' AS open, " \
	"e.starts_at <= now() AND e.ends_at > now() AS started, " \
	"e.state <> 'cancelled' AND e.ends_at > now() AND " \
	"coalesce(e.taken >= e.capacity, false) AS full, " \
	"EXISTS (SELECT 1 FROM event_signups s WHERE s.event_id = e.id " \
	"AND s.user_id = $1) AS signed"

static const struct db_stmt stmts[] = {
	{ "event_upcoming", EVENT_ROW("$5") " FROM events e "
	    "WHERE e.ends_at > now() AND ($2 = '' OR e.governorate = $2) "
	    "AND ($3 = '' OR e.kind = $3) ORDER BY e.starts_at, e.id "
	    "LIMIT $4" },
	{ "event_past", EVENT_ROW("$6") " FROM events e "
	    "WHERE e.ends_at <= now() AND ($2 = '' OR e.governorate = $2) "
	    "AND ($3 = '' OR e.kind = $3) "
	    "ORDER BY e.starts_at DESC, e.id DESC LIMIT $4 OFFSET $5" },
	{ "event_past_totals",
	    "SELECT count(*) AS held, coalesce(sum(taken), 0) AS taken, "
	    "coalesce(sum(attended), 0) AS came FROM events "
	    "WHERE ends_at <= now() AND state = 'published' "
	    "AND ($1 = '' OR governorate = $1) AND ($2 = '' OR kind = $2)" },
	{ "event_get", EVENT_ROW("$3") ", e.body_html, e.body_md "
	    "FROM events e WHERE e.id = $2" },
	/* The reader's events: coming ones first, soonest first, then
	 * the past ones, latest first. */
	{ "event_mine", EVENT_ROW("$2") " FROM events e JOIN event_signups "
	    "s ON s.event_id = e.id AND s.user_id = $1 ORDER BY e.ends_at > "
	    "now() DESC, CASE WHEN e.ends_at > now() THEN e.starts_at END, "
	    "e.starts_at DESC, e.id LIMIT 200" },
	/* Where a returnee still is (a return date not yet come, or none
	 * given): the country they return from. */
	{ "event_reader_country", "SELECT country FROM returnee_profiles "
	    "WHERE user_id = $1 AND country <> '' AND (return_date IS NULL "
	    "OR return_date > magnet_today())" },
	{ "event_insert",
	    "INSERT INTO events (kind, title, starts_at, ends_at, online, "
	    "governorate, city, address, link, organiser, body_md, body_html, "
	    "capacity, created_by, idem_key) "
	    "SELECT $1, $2, " MOMENT("$3", "$4") ", "
	    MOMENT("$5", "$6") ", $7::boolean, nullif($8, ''), $9, $10, "
	    "$11, $12, $13, $14, $15::integer, $16, $17 "
	    "WHERE " MOMENT("$3", "$4") " > now() RETURNING id" },
	{ "event_idem_find", "SELECT id FROM events WHERE created_by = $1 "
	    "AND idem_key = $2" },
	/* Also says whether the time or place changed, for the people
	 * signed up (event_tell). */
	{ "event_update",
	    "WITH old AS (SELECT starts_at, ends_at, online, governorate, "
	    "city, address, link FROM events WHERE id = $1 FOR UPDATE) "
	    "UPDATE events e SET kind = $2, title = $3, starts_at = "
	    MOMENT("$4", "$5") ", ends_at = " MOMENT("$6", "$7") ", "
	    "online = $8::boolean, governorate = nullif($9, ''), city = $10, "
	    "address = $11, link = $12, organiser = $13, body_md = $14, "
	    "body_html = $15, capacity = $16::integer, attended = "
	    "$17::integer, sequence = sequence + 1, updated_at = now() "
	    "FROM old WHERE e.id = $1 AND ($16::integer IS NULL OR "
	    "e.taken <= $16::integer) RETURNING e.id, (e.starts_at, "
	    "e.ends_at, e.online, e.governorate, e.city, e.address, e.link) "
	    "IS DISTINCT FROM (old.starts_at, old.ends_at, old.online, "
	    "old.governorate, old.city, old.address, old.link) AS moved" },
	/* A notification to everyone signed up to a coming event. */
	{ "event_tell", "INSERT INTO notifications (user_id, kind, "
	    "actor_id, subject, link) SELECT s.user_id, $2, $3, e.title, "
	    "'/events/' || e.id FROM event_signups s JOIN events e ON "
	    "e.id = s.event_id WHERE s.event_id = $1 AND e.ends_at > now()" },
	{ "event_cancel", "UPDATE events SET state = 'cancelled', "
	    "sequence = sequence + 1, updated_at = now() "
	    "WHERE id = $1 AND state = 'published' RETURNING id" },
	/* The one statement that decides a place: see the top of file. */
	{ "event_signup",
	    "WITH e AS (UPDATE events SET taken = taken + 1 "
	    "WHERE id = $1 AND state = 'published' AND starts_at > now() "
	    "AND (capacity IS NULL OR taken < capacity) "
	    "AND NOT EXISTS (SELECT 1 FROM event_signups "
	    "WHERE event_id = $1 AND user_id = $2) RETURNING id) "
	    "INSERT INTO event_signups (event_id, user_id) "
	    "SELECT id, $2 FROM e RETURNING event_id" },
	{ "event_withdraw",
	    "WITH d AS (DELETE FROM event_signups s USING events e "
	    "WHERE s.event_id = $1 AND s.user_id = $2 AND e.id = s.event_id "
	    "AND e.starts_at > now() RETURNING s.event_id) "
	    "UPDATE events SET taken = taken - 1 "
	    "WHERE id IN (SELECT event_id FROM d) RETURNING id" },
	{ "event_attendees",
	    "SELECT row_number() OVER (ORDER BY s.signed_at, u.id) AS n, "
	    "u.username AS name, u.role, coalesce(en.name, '') AS enterprise, "
	    "magnet_time(s.signed_at) AS signed_at, "
	    LOCAL("s.signed_at", "YYYY-MM-DD HH24:MI") " AS signed_local "
	    "FROM event_signups s JOIN users u ON u.id = s.user_id "
	    "LEFT JOIN enterprises en ON en.id = u.enterprise_id "
	    "WHERE s.event_id = $1 ORDER BY s.signed_at, u.id" },
};

void
event_init(void)
{
	DB_REGISTER(stmts);
}

const char *
event_kind_label(struct request *req, const char *kind)
{
	int i;

	for (i = 0; event_kinds[i] != NULL; i++)
		if (strcmp(event_kinds[i], kind) == 0)
			return T(req, event_kind_names[i]);
	return "";
}

/*
 * The time zone of a reader still abroad (issue 17): a returnee whose
 * profile names the country they return from and no return date yet
 * passed.  Online events then show their time there too: the zone goes
 * to the event statements as a parameter.  One look-up per request.
 */
static const struct {
	const char	*country, *zone;
} zones[] = {
	{ "de", "Europe/Berlin" }, { "se", "Europe/Stockholm" },
	{ "nl", "Europe/Amsterdam" }, { "be", "Europe/Brussels" },
	{ "fr", "Europe/Paris" }, { "at", "Europe/Vienna" },
	{ "fi", "Europe/Helsinki" }, { "no", "Europe/Oslo" },
	{ "dk", "Europe/Copenhagen" }, { "gb", "Europe/London" },
	{ "it", "Europe/Rome" }, { "gr", "Europe/Athens" },
	{ "ch", "Europe/Zurich" },
};

/* What the row hook needs besides the row. */
struct reader {
	struct request	*req;
	const char	*zone;		/* NULL: Baghdad time only */
	const char	*country;	/* its name, translated */
};

static int
reader_zone(struct request *req, struct reader *z)
{
	PGresult *r;
	size_t i;

	z->req = req;
	z->zone = z->country = NULL;
	if (req->user == NULL || req->user->role != ROLE_RETURNEE)
		return 0;
	if ((r = DB_Q(req, "event_reader_country", request_uid(req))) == NULL)
		return -1;
	for (i = 0; PQntuples(r) == 1 && i < sizeof(zones) /
	    sizeof(zones[0]); i++)
		if (strcmp(zones[i].country, db_get(r, 0, "country")) == 0) {
			z->zone = zones[i].zone;
			z->country = jobs_label(req, JOBS_COUNTRY,
			    zones[i].country);
		}
	return 0;
}

/* "2025-06-01 09:00–13:00", or both dates when the event spans days. */
static const char *
when(struct request *req, const PGresult *r, int i)
{
	const char *s;

	if (strcmp(db_get(r, i, "date"), db_get(r, i, "end_date")) == 0)
		s = arena_printf(req->arena, "%s %s–%s", db_get(r, i, "date"),
		    db_get(r, i, "start"), db_get(r, i, "end"));
	else
		s = arena_printf(req->arena, "%s %s – %s %s",
		    db_get(r, i, "date"), db_get(r, i, "start"),
		    db_get(r, i, "end_date"), db_get(r, i, "end"));
	return i18n_digits(req->arena, req->lang, s);
}

/* "Erbil, Erbil governorate" or "Online". */
static const char *
place(struct request *req, const PGresult *r, int i)
{
	const char *gov;

	gov = place_governorate_label(req, db_get(r, i, "governorate"));
	if (db_get_bool(r, i, "online"))
		return *gov ? arena_printf(req->arena, "%s (%s)",
		    T(req, "Online"), gov) : T(req, "Online");
	if (*db_get(r, i, "city"))
		return arena_printf(req->arena, "%s%s%s",
		    i18n_isolate(req->arena, db_get(r, i, "city")),
		    T(req, ", "), gov);
	return gov;
}

/* "Signed up: 12 · Came: 10" for an event that has ended. */
static const char *
counts(struct request *req, const PGresult *r, int i)
{
	const char *s;

	s = arena_printf(req->arena, T(req, "Signed up: %s"),
	    i18n_num(req->arena, req->lang, db_get_ll(r, i, "taken")));
	if (*db_get(r, i, "attended"))
		s = arena_printf(req->arena, "%s · %s", s, arena_printf(
		    req->arena, T(req, "Came: %s"), i18n_num(req->arena,
		    req->lang, db_get_ll(r, i, "attended"))));
	return s;
}

/* What SQL cannot say of an event row: its kind, time and place in the
 * reader's words, and its time abroad ("In Germany: …"). */
static void
event_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct reader *z = ctx;
	struct request *req = z->req;
	const char *abroad;

	tmpl_set(row, "kind_name", event_kind_label(req, db_get(r, i, "kind")));
	tmpl_set(row, "when", when(req, r, i));
	tmpl_set(row, "place", place(req, r, i));
	tmpl_set(row, "gov_name", place_governorate_label(req,
	    db_get(r, i, "governorate")));
	if (!db_get_bool(r, i, "current"))
		tmpl_set(row, "counts", counts(req, r, i));
	abroad = db_get(r, i, "abroad");
	if (z->country != NULL && *abroad != '\0')
		tmpl_set(row, "local", arena_printf(req->arena, T(req,
		    "In %s: %s"), z->country, i18n_digits(req->arena,
		    req->lang, abroad)));
}

static int
list(struct request *req, int past)
{
	struct tmpl_vars v;
	struct reader z;
	const char *gov, *kind;
	long long page;
	PGresult *r, *t = NULL;

	gov = param_err(req, "governorate") ? "" : param_str(req,
	    "governorate");
	kind = param_err(req, "kind") ? "" : param_str(req, "kind");
	page = param_present(req, "page") && param_err(req, "page") == NULL ?
	    param_int(req, "page") : 1;
	if (reader_zone(req, &z) == -1)
		return page_unavailable(req);
	r = past ? DB_Q(req, "event_past", request_uid(req), gov, kind,
	    request_num(req, PAST_PAGE + 1),
	    request_num(req, (page - 1) * PAST_PAGE), z.zone) :
	    DB_Q(req, "event_upcoming", request_uid(req), gov, kind, "200",
	    z.zone);
	if (r == NULL || (past && (t = DB_Q(req, "event_past_totals", gov,
	    kind)) == NULL))
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows_max(&v, "events", r, past ? PAST_PAGE : -1, event_row,
	    &z);
	tmpl_set(&v, "heading", past ? T(req, "Past events") :
	    T(req, "Events"));
	tmpl_set(&v, "action", past ? "/events/past" : "/events");
	tmpl_set_bool(&v, "past", past);
	page_set_options(req, &v, "gov_opts", place_governorates,
	    place_governorate_names, 0, gov, N_("All governorates"));
	page_set_options(req, &v, "kind_opts", event_kinds, event_kind_names,
	    0, kind, N_("All kinds"));
	if (past) {
		tmpl_set(&v, "totals", arena_printf(req->arena, T(req,
		    "Events held: %s · signed up: %s · came (where counted): "
		    "%s"), i18n_num(req->arena, req->lang, db_get_ll(t, 0,
		    "held")), i18n_num(req->arena, req->lang, db_get_ll(t, 0,
		    "taken")), i18n_num(req->arena, req->lang, db_get_ll(t, 0,
		    "came"))));
		tmpl_set(&v, "f_gov", gov);
		tmpl_set(&v, "f_kind", kind);
		if (page > 1)
			tmpl_set_int(&v, req->arena, "prev", page - 1);
		if (PQntuples(r) > PAST_PAGE)
			tmpl_set_int(&v, req->arena, "next", page + 1);
	}
	return page_render(req, 200, tmpl_var(&v, "heading"), "event_list",
	    &v);
}

int
event_list(struct request *req)
{
	return list(req, 0);
}

int
event_past(struct request *req)
{
	return list(req, 1);
}

/* GET /events/mine: the events the reader signed up for. */
int
event_mine(struct request *req)
{
	struct tmpl_vars v;
	struct reader z;
	PGresult *r;

	if (reader_zone(req, &z) == -1 || (r = DB_Q(req, "event_mine",
	    request_uid(req), z.zone)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "events", r, event_row, &z);
	req->personal = 1;
	return page_render(req, 200, T(req, "My events"), "event_mine", &v);
}

int
events_for_board(struct request *req, struct tmpl_vars *v, const char *gov,
    int mine)
{
	struct reader *z;
	PGresult *r;

	if (gov != NULL && place_governorate_index(gov) == -1)
		return 0;
	if ((r = DB_Q(req, "event_upcoming", mine ? request_uid(req) : "0",
	    gov ? gov : "", "", request_num(req, BOARD_MAX), NULL)) == NULL)
		return -1;
	z = arena_alloc(req->arena, sizeof(*z));
	z->req = req;
	z->zone = z->country = NULL;
	tmpl_set_rows(v, "board_events", r, event_row, z);
	tmpl_set_bool(v, "events_shown", PQntuples(r) > 0);
	tmpl_set(v, "events_heading", gov ? arena_printf(req->arena, T(req,
	    "Coming events in %s"), place_governorate_label(req, gov)) :
	    T(req, "Coming events"));
	tmpl_set(v, "events_more", gov ? arena_printf(req->arena,
	    "/events?governorate=%s", gov) : "/events");
	return 0;
}

static int
event_404(struct request *req)
{
	return page_error(req, 404, N_("There is no such event."));
}

/* The event page, with problem (already translated) at the top. */
static int
show(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	struct reader z;
	PGresult *r;

	if (reader_zone(req, &z) == -1 || (r = DB_Q(req, "event_get",
	    request_uid(req), request_id(req), z.zone)) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return event_404(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	event_row(&z, &v, r, 0);
	if (*db_get(r, 0, "capacity") == '\0')
		tmpl_set(&v, "places", arena_printf(req->arena, T(req,
		    "No limit; %s signed up so far"), i18n_num(req->arena,
		    req->lang, db_get_ll(r, 0, "taken"))));
	else
		tmpl_set(&v, "places", arena_printf(req->arena, T(req,
		    "%s of %s places taken"), i18n_num(req->arena, req->lang,
		    db_get_ll(r, 0, "taken")), i18n_num(req->arena, req->lang,
		    db_get_ll(r, 0, "capacity"))));
	/* Counsellors see the attendees; the others take places. */
	tmpl_set_bool(&v, "member", req->user != NULL && !request_is_mod(req));
	tmpl_set(&v, "problem", problem);
	return page_render(req, status, db_get(r, 0, "title"), "event_view",
	    &v);
}

int
event_view(struct request *req)
{
	if (req->user != NULL)
		req->personal = 1;
	return show(req, 200, NULL);
}

/* Only returnees and employers take places. */
static int
may_sign_up(struct request *req)
{
	return req->user->role == ROLE_RETURNEE ||
	    req->user->role == ROLE_EMPLOYER;
}

/* This event for the reader, or NULL with *status set. */
static PGresult *
event_get(struct request *req, int *status)
{
	PGresult *r;

	if ((r = DB_Q(req, "event_get", request_uid(req), request_id(req),
	    NULL)) == NULL) {
		*status = page_unavailable(req);
		return NULL;
	}
	if (PQntuples(r) != 1) {
		*status = event_404(req);
		return NULL;
	}
	return r;
}

static int
back_to_event(struct request *req)
{
	return request_redirect(req, arena_printf(req->arena, "/events/%lld",
	    req->id));
}

int
event_signup(struct request *req)
{
	PGresult *r;
	int status;

	if (!may_sign_up(req)) {
		log_warnx("refused sign-up to event %lld by user=%lld",
		    req->id, req->user->id);
		return page_error(req, 403, N_("Returnees and employers sign "
		    "up for events; counsellors see the list of attendees."));
	}
	r = DB_Q(req, "event_signup", request_id(req), request_uid(req));
	if (r != NULL && PQntuples(r) == 1) {
		log_info("event %lld sign-up by user=%lld", req->id,
		    req->user->id);
		return back_to_event(req);
	}
	if (r == NULL && db_is_down())
		return page_unavailable(req);
	/* No place taken: say why.  (A failed statement here is a double
	 * submit that lost to its twin on the primary key.) */
	if ((r = event_get(req, &status)) == NULL)
		return status;
	if (db_get_bool(r, 0, "signed"))
		return back_to_event(req);
	if (db_get_bool(r, 0, "cancelled"))
		return show(req, 409, T(req, "This event was cancelled; no "
		    "sign-up was made."));
	if (!db_get_bool(r, 0, "open"))
		return show(req, 409, T(req, "Sign-up has closed: this event "
		    "has already started."));
	return show(req, 409, T(req, "Sorry, this event is full: every "
	    "place is taken, and no sign-up was made for you."));
}

int
event_withdraw(struct request *req)
{
	PGresult *r;
	int status;

	if ((r = DB_Q(req, "event_withdraw", request_id(req),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) == 1) {
		log_info("event %lld withdrawal by user=%lld", req->id,
		    req->user->id);
		return back_to_event(req);
	}
	if ((r = event_get(req, &status)) == NULL)
		return status;
	if (db_get_bool(r, 0, "signed"))
		return show(req, 409, T(req, "This event has already started; "
		    "sign-ups can no longer be changed."));
	/* Not signed up (any more): nothing to do. */
	return back_to_event(req);
}

/* What the event form shows and saves. */
struct eform {
	const char	*action, *heading;
	const char	*kind, *title, *date, *start, *end_date, *end;
	const char	*governorate, *city, *address, *link, *organiser;
	const char	*body, *capacity, *attended;
	int		 online, editing;
	const char	*preview, *problem;
};

static int
form(struct request *req, int status, const struct eform *f)
{
	static const char *const err_fields[] = { "kind", "title", "date",
	    "start", "end_date", "end", "governorate", "city", "address",
	    "link", "organiser", "body", "capacity", "attended" };
	struct tmpl_vars v;
	const char *idem;
	size_t i;

	tmpl_init(&v, req->arena);
	tmpl_set(&v, "action", f->action);
	tmpl_set(&v, "heading", f->heading);
	tmpl_set_bool(&v, "editing", f->editing);
	if (!f->editing) {
		idem = param_str(req, "idem");
		tmpl_set(&v, "idem", *idem ? idem : auth_form_key(req));
	}
	page_set_options(req, &v, "kind_opts", event_kinds, event_kind_names,
	    0, f->kind, f->kind && *f->kind ? NULL : N_("Choose…"));
	page_set_options(req, &v, "gov_opts", place_governorates,
	    place_governorate_names, 0, f->governorate,
	    N_("None (online only)"));
	tmpl_set(&v, "title", f->title);
	tmpl_set(&v, "date", f->date);
	tmpl_set(&v, "start", f->start);
	tmpl_set(&v, "end_date", f->end_date);
	tmpl_set(&v, "end", f->end);
	tmpl_set_bool(&v, "online", f->online);
	tmpl_set(&v, "city", f->city);
	tmpl_set(&v, "address", f->address);
	tmpl_set(&v, "link", f->link);
	tmpl_set(&v, "organiser", f->organiser);
	tmpl_set(&v, "body", f->body);
	tmpl_set(&v, "capacity", f->capacity);
	tmpl_set(&v, "attended", f->attended);
	tmpl_set_int(&v, req->arena, "body_max", EVENT_BODY_MAX);
	for (i = 0; i < sizeof(err_fields) / sizeof(err_fields[0]); i++)
		tmpl_set_raw(&v, arena_printf(req->arena, "%s_err",
		    err_fields[i]), param_err_html(req, err_fields[i]));
	tmpl_set_raw(&v, "preview", f->preview);
	tmpl_set(&v, "problem", f->problem ? T(req, f->problem) : NULL);
	req->personal = 1;
	return page_render(req, status, f->heading, "event_form", &v);
}

/* A link for an online event: https, no blanks or controls, and no
 * characters that would need care in an attribute or a calendar. */
int
event_link_ok(const char *s)
{
	const unsigned char *p;

	if (strncmp(s, "https://", 8) != 0 || s[8] == '\0' || s[8] == '/')
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || *p == '`')
			return 0;
	return 1;
}

/* Read and check the form; the clean values go to the database. */
static void
form_read(struct request *req, struct eform *f, char date[11],
    char start[6], char end_date[11], char end[6], const char **html)
{
	f->kind = param_str(req, "kind");
	f->title = param_str(req, "title");
	f->date = param_str(req, "date");
	f->start = param_str(req, "start");
	f->end_date = param_str(req, "end_date");
	f->end = param_str(req, "end");
	f->online = *param_str(req, "online") != '\0';
	f->governorate = param_str(req, "governorate");
	f->city = param_str(req, "city");
	f->address = param_str(req, "address");
	f->link = param_str(req, "link");
	f->organiser = param_str(req, "organiser");
	f->body = param_str(req, "body");
	f->capacity = param_str(req, "capacity");
	f->attended = param_str(req, "attended");

	if (param_err(req, "date") == NULL && i18n_parse_date(f->date,
	    date) == -1)
		param_set_err_ex(req, "date", N_("Please give the date as "
		    "year-month-day, for example %s."), "2025-03-31", NULL);
	if (param_err(req, "start") == NULL && i18n_parse_time(f->start,
	    start) == -1)
		param_set_err_ex(req, "start", N_("Please give the time as "
		    "hours and minutes, for example %s."), "09:30", NULL);
	if (param_err(req, "end") == NULL && i18n_parse_time(f->end,
	    end) == -1)
		param_set_err_ex(req, "end", N_("Please give the time as "
		    "hours and minutes, for example %s."), "09:30", NULL);
	if (*f->end_date == '\0') {
		memcpy(end_date, date, 11);
	} else if (param_err(req, "end_date") == NULL &&
	    i18n_parse_date(f->end_date, end_date) == -1)
		param_set_err_ex(req, "end_date", N_("Please give the date "
		    "as year-month-day, for example %s."), "2025-03-31", NULL);
	/* The same zone on both sides: text order is time order. */
	if (req->nerrors == 0 && (strcmp(end_date, date) < 0 ||
	    (strcmp(end_date, date) == 0 && strcmp(end, start) <= 0)))
		param_set_err(req, "end", N_("The end must come after the "
		    "start."));
	if (!f->online) {
		if (*f->governorate == '\0' && !param_err(req, "governorate"))
			param_set_err(req, "governorate", N_("Choose the "
			    "governorate, or mark the event as online."));
		if (*f->city == '\0')
			param_set_err(req, "city", N_("This field is "
			    "required."));
	}
	/* "example.org/x" is taken as https://example.org/x. */
	if (event_link_ok(param_url_fill(req, f->link)))
		f->link = param_url_fill(req, f->link);
	if (*f->link != '\0' && !event_link_ok(f->link))
		param_set_err_ex(req, "link", N_("Please give a full address "
		    "without spaces, such as %s."),
		    "https://example.org/meeting", NULL);
	if (param_err(req, "body") == NULL)
		param_markdown(req, "body", f->body, html);
}

int
event_new_form(struct request *req)
{
	struct eform f;

	memset(&f, 0, sizeof(f));
	f.action = "/events/new";
	f.heading = T(req, "New event");
	f.start = "10:00";
	f.end = "14:00";
	f.organiser = T(req, "IOM counsellors");
	return form(req, 200, &f);
}

static int
idem_redirect(struct request *req, const char *idem, int *status)
{
	PGresult *r;

	if (*idem == '\0')
		return 0;
	if ((r = DB_Q(req, "event_idem_find", request_uid(req),
	    idem)) == NULL) {
		*status = page_unavailable(req);
		return 1;
	}
	if (PQntuples(r) != 1)
		return 0;
	*status = request_redirect(req, arena_printf(req->arena, "/events/%s",
	    db_get(r, 0, "id")));
	return 1;
}

/* NULL (SQL NULL) for an empty number. */
static const char *
or_null(const char *s)
{
	return *s ? s : NULL;
}

int
event_new(struct request *req)
{
	struct eform f;
	char date[11] = "", start[6] = "", end_date[11] = "", end[6] = "";
	const char *html = NULL, *idem;
	PGresult *r;
	int status;

	memset(&f, 0, sizeof(f));
	f.action = "/events/new";
	f.heading = T(req, "New event");
	form_read(req, &f, date, start, end_date, end, &html);
	idem = param_str(req, "idem");
	if (req->nerrors > 0) {
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	if (param_present(req, "preview") && *param_str(req, "preview")) {
		f.preview = html;
		return form(req, 200, &f);
	}
	if (idem_redirect(req, idem, &status))
		return status;
	if (db_begin() == -1)
		return page_unavailable(req);
	r = DB_Q(req, "event_insert", f.kind, f.title, date, start, end_date,
	    end, f.online ? "true" : "false", f.governorate, f.city,
	    f.address, f.link, f.organiser, f.body, html,
	    or_null(f.capacity), request_uid(req), *idem ? idem : NULL);
	if (r == NULL) {
		db_rollback();
		if (idem_redirect(req, idem, &status))
			return status;
		return page_unavailable(req);
	}
	if (PQntuples(r) != 1) {
		db_rollback();
		param_set_err(req, "date", N_("This date and time have already "
		    "passed."));
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	status = request_redirect(req, arena_printf(req->arena, "/events/%s",
	    db_get(r, 0, "id")));
	if (audit(req->user->id, "event_create", arena_printf(req->arena,
	    "event:%s", db_get(r, 0, "id")), f.title) == -1 ||
	    db_commit() == -1) {
		db_rollback();
		return page_unavailable(req);
	}
	log_info("event %s created by user=%lld", db_get(r, 0, "id"),
	    req->user->id);
	return status;
}

/* The form's fields from the stored event, by column. */
static void
form_from_row(struct request *req, struct eform *f, const PGresult *r)
{
	f->kind = db_get(r, 0, "kind");
	f->title = db_get(r, 0, "title");
	f->date = db_get(r, 0, "date");
	f->start = db_get(r, 0, "start");
	f->end_date = db_get(r, 0, "end_date");
	f->end = db_get(r, 0, "end");
	f->online = db_get_bool(r, 0, "online");
	f->governorate = db_get(r, 0, "governorate");
	f->city = db_get(r, 0, "city");
	f->address = db_get(r, 0, "address");
	f->link = db_get(r, 0, "link");
	f->organiser = db_get(r, 0, "organiser");
	f->body = db_get(r, 0, "body_md");
	f->capacity = db_get(r, 0, "capacity");
	f->attended = db_get(r, 0, "attended");
	f->editing = 1;
	f->action = arena_printf(req->arena, "/events/%lld/edit", req->id);
	f->heading = T(req, "Edit event");
}

int
event_edit_form(struct request *req)
{
	struct eform f;
	PGresult *r;
	int status;

	if ((r = event_get(req, &status)) == NULL)
		return status;
	memset(&f, 0, sizeof(f));
	form_from_row(req, &f, r);
	return form(req, 200, &f);
}

int
event_edit(struct request *req)
{
	struct eform f;
	char date[11] = "", start[6] = "", end_date[11] = "", end[6] = "";
	const char *html = NULL;
	PGresult *r;
	int status;

	memset(&f, 0, sizeof(f));
	f.editing = 1;
	f.action = arena_printf(req->arena, "/events/%lld/edit", req->id);
	f.heading = T(req, "Edit event");
	form_read(req, &f, date, start, end_date, end, &html);
	if (req->nerrors > 0) {
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	if (param_present(req, "preview") && *param_str(req, "preview")) {
		f.preview = html;
		return form(req, 200, &f);
	}
	if (db_begin() == -1)
		return page_unavailable(req);
	r = DB_Q(req, "event_update", request_id(req), f.kind, f.title,
	    date, start, end_date, end, f.online ? "true" : "false",
	    f.governorate, f.city, f.address, f.link, f.organiser, f.body,
	    html, or_null(f.capacity), or_null(f.attended));
	if (r == NULL)
		goto fail;
	if (PQntuples(r) != 1) {
		db_rollback();
		/* Gone, or fewer places than people already signed up. */
		if (event_get(req, &status) == NULL)
			return status;
		param_set_err(req, "capacity", N_("More people have already "
		    "signed up than this: the capacity cannot be lower than "
		    "the number of sign-ups."));
		f.problem = N_("Please correct the marked fields.");
		return form(req, 422, &f);
	}
	if ((db_get_bool(r, 0, "moved") && DB_RUN("event_tell",
	    request_id(req), "event_moved", request_uid(req)) == -1) ||
	    audit(req->user->id, "event_edit", arena_printf(req->arena,
	    "event:%lld", req->id), f.title) == -1)
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	return back_to_event(req);
fail:
	db_rollback();
	return page_unavailable(req);
}

int
event_cancel_form(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r;
	int status;

	if ((r = event_get(req, &status)) == NULL)
		return status;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, r, 0);
	req->personal = 1;
	return page_render(req, 200, T(req, "Cancel the event"),
	    "event_cancel", &v);
}

int
event_cancel(struct request *req)
{
	PGresult *r;

	if (db_begin() == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "event_cancel", request_id(req))) == NULL)
		goto fail;
	if (PQntuples(r) == 1 && (DB_RUN("event_tell", request_id(req),
	    "event_cancelled", request_uid(req)) == -1 ||
	    audit(req->user->id, "event_cancel", arena_printf(req->arena,
	    "event:%lld", req->id), param_str(req, "reason")) == -1))
		goto fail;
	if (db_commit() == -1)
		return page_unavailable(req);
	/* Already cancelled, or no such event: the page says which. */
	return back_to_event(req);
fail:
	db_rollback();
	return page_unavailable(req);
}

static void
attendee_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "role_name", page_role_label(req, db_get(r, i,
	    "role")));
}

int
event_attendees(struct request *req)
{
	struct tmpl_vars v;
	struct reader z;
	PGresult *e, *r;
	int status;

	if ((e = event_get(req, &status)) == NULL)
		return status;
	if ((r = DB_Q(req, "event_attendees", request_id(req))) == NULL)
		return page_unavailable(req);
	z.req = req;
	z.zone = z.country = NULL;
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, e, 0);
	event_row(&z, &v, e, 0);
	tmpl_set_rows(&v, "attendees", r, attendee_row, req);
	tmpl_set_int(&v, req->arena, "count", PQntuples(r));
	req->personal = 1;
	return page_render(req, 200, T(req, "Attendees"), "event_attendees",
	    &v);
}

int
event_attendees_csv(struct request *req)
{
	PGresult *r;
	struct buf b;
	int i, status;

	if (event_get(req, &status) == NULL)
		return status;
	/* Personal data leaves the site: that is recorded first. */
	if (audit(req->user->id, "event_export_attendees",
	    arena_printf(req->arena, "event:%lld", req->id), "") == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "event_attendees", request_id(req))) == NULL)
		return page_unavailable(req);
	buf_init(&b);
	event_csv_cell(&b, T(req, "Username"));
	buf_putc(&b, ',');
	event_csv_cell(&b, T(req, "Role"));
	buf_putc(&b, ',');
	event_csv_cell(&b, T(req, "Enterprise"));
	buf_putc(&b, ',');
	event_csv_cell(&b, T(req, "Signed up (Baghdad time)"));
	buf_puts(&b, "\r\n");
	for (i = 0; i < PQntuples(r); i++) {
		event_csv_cell(&b, db_get(r, i, "name"));
		buf_putc(&b, ',');
		event_csv_cell(&b, page_role_label(req, db_get(r, i, "role")));
		buf_putc(&b, ',');
		event_csv_cell(&b, db_get(r, i, "enterprise"));
		buf_putc(&b, ',');
		event_csv_cell(&b, db_get(r, i, "signed_local"));
		buf_puts(&b, "\r\n");
	}
	return page_csv(req, &b, arena_printf(req->arena,
	    "event-%lld-attendees.csv", req->id));
}

/* ---- Pure writers (feed.c; tests/unit/test_event.c) -------------- */

void
event_ics_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case ';':
			buf_puts(b, "\\;");
			break;
		case ',':
			buf_puts(b, "\\,");
			break;
		case '\r':
			if (s[1] != '\n')
				buf_puts(b, "\\n");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		default:
			/* TEXT allows no control character but tab. */
			if (((unsigned char)*s < 0x20 && *s != '\t') ||
			    *s == 0x7f)
				break;
			buf_putc(b, *s);
		}
	}
}

void
event_ics_line(struct buf *b, const char *s, size_t len)
{
	size_t pos = 0, cut, limit = 75;

	while (len - pos > limit) {
		cut = pos + limit;
		/* Back off to the start of a UTF-8 character. */
		while (cut > pos && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == pos)
			cut = pos + limit;	/* not UTF-8: cut anyway */
		buf_append(b, s + pos, cut - pos);
		buf_puts(b, "\r\n ");
		pos = cut;
		limit = 74;	/* the leading space counts */
	}
	buf_append(b, s + pos, len - pos);
	buf_puts(b, "\r\n");
}

void
event_ics_prop(struct buf *b, const char *name, const char *value)
{
	struct buf l;

	buf_init(&l);
	buf_puts(&l, name);
	buf_putc(&l, ':');
	event_ics_text(&l, value);
	event_ics_line(b, l.p, l.len);
	buf_free(&l);
}

void
event_ics_raw(struct buf *b, const char *name, const char *value)
{
	struct buf l;

	buf_init(&l);
	buf_printf(&l, "%s:%s", name, value);
	event_ics_line(b, l.p, l.len);
	buf_free(&l);
}

void
event_csv_cell(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
	    *s == '\r')
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

