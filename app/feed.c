/*
 * The feeds, for feed readers, calendars and other sites: Atom (RFC 4287)
 * of a board's threads, of the live vacancies and of the coming events,
 * and iCalendar (RFC 5545) of the events.  Only what a visitor may see
 * is in them.  The Atom feeds are templates (feed_*.html): the
 * templates' escaping is right for XML text and attributes, and an
 * entry's HTML content goes in as escaped text (type="html").  The
 * iCalendar is text, written with event.c's writers.  Dates are RFC 3339
 * in UTC.  Links are absolute, built from the base_url setting and never
 * from the request's Host header, which a client controls.
 */
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "event.h"
#include "feed.h"
#include "i18n.h"
#include "jobs.h"
#include "page.h"
#include "place.h"
#include "request.h"
#include "tmpl.h"

/* Atom's dates: RFC 3339 in UTC. */
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
/* iCalendar's: UTC, the basic format. */
#define ICS(col) "to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYYMMDD\"T\"HH24MISS\"Z\"')"

static const struct db_stmt stmts[] = {
	{ "feed_board_meta",
	    "SELECT b.id, b.slug, coalesce(l.name, e.name) AS name, "
	    "coalesce(l.description, e.description) AS description, "
	    ISO("coalesce(b.last_post_at, now())") " AS feed_updated "
	    "FROM boards b JOIN board_names e ON e.board_id = b.id "
	    "AND e.lang = 'en' LEFT JOIN board_names l ON l.board_id = b.id "
	    "AND l.lang = $2 WHERE b.slug = $1" },
	/* content: the first post's stored HTML, escaped as Atom's
	 * type="html" wants it. */
	{ "feed_board_entries",
	    "SELECT t.id, t.title, u.username AS author, "
	    ISO("t.created_at") " AS published, "
	    ISO("t.last_post_at") " AS updated, "
	    "coalesce(p.body_html, '') AS content "
	    "FROM threads t JOIN users u ON u.id = t.author_id "
	    "LEFT JOIN posts p ON p.thread_id = t.id AND p.seq = 1 "
	    "AND p.state = 'published' "
	    "WHERE t.board_id = $1 AND t.state = 'published' "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT 20" },
	/* The calendar: events from 90 days back on, cancelled ones too. */
	{ "feed_zone", "SELECT magnet_zone() AS zone" },
#define EVENT_ICS_ROW \
	    "SELECT e.id, e.kind, e.title, " ICS("e.starts_at") " AS dtstart, " \
	    ICS("e.ends_at") " AS dtend, " ICS("e.updated_at") " AS stamp, " \
	    ICS("e.created_at") " AS created, e.online, " \
	    "coalesce(e.governorate, '') AS governorate, e.city, e.address, " \
	    "e.link, e.organiser, e.body_md, e.state = 'cancelled' AS " \
	    "cancelled, e.sequence FROM events e "
	{ "feed_events_ics", EVENT_ICS_ROW
	    "WHERE e.ends_at > now() - interval '90 days' "
	    "ORDER BY e.starts_at, e.id LIMIT 500" },
	/* One event's own file ("add to my calendar"). */
	{ "feed_event_ics", EVENT_ICS_ROW "WHERE e.id = $1" },
	/* A person's calendar feed by its token's hash (migration 0028):
	 * the events they signed up to, from 90 days back on. */
	{ "feed_calendar_owner", "SELECT c.user_id FROM calendar_feeds c "
	    "JOIN users u ON u.id = c.user_id AND u.deleted_at IS NULL "
	    "WHERE c.token_hash = $1" },
	{ "feed_calendar_events", EVENT_ICS_ROW
	    "JOIN event_signups s ON s.event_id = e.id AND s.user_id = $1 "
	    "WHERE e.ends_at > now() - interval '90 days' "
	    "ORDER BY e.starts_at, e.id LIMIT 500" },
	{ "feed_events_atom",
	    "SELECT e.id, e.title, e.kind, " ISO("e.created_at")
	    " AS published, " ISO("e.updated_at") " AS updated, "
	    "e.body_html, to_char(magnet_local(e.starts_at), "
	    "'YYYY-MM-DD HH24:MI') AS starts, e.online, "
	    "coalesce(e.governorate, '') AS governorate, e.city, "
	    "e.state = 'cancelled' AS cancelled FROM events e "
	    "WHERE e.ends_at > now() ORDER BY e.starts_at, e.id LIMIT 50" },
};

void
feed_init(void)
{
	DB_REGISTER(stmts);
}

/* The feed in req->out from the template name: 200, or 500. */
static int
atom(struct request *req, const char *name, struct tmpl_vars *v)
{
	tmpl_set(v, "lang", i18n_langs[req->lang].tag);
	tmpl_set(v, "base", conf_active()->base_url);
	buf_reset(&req->out);
	if (tmpl_render(&req->out, name, req->lang, v) == -1)
		return page_error(req, 500, N_("Something went wrong"));
	req->content_type = "application/atom+xml; charset=utf-8";
	req->cache_public = 1;
	return 200;
}

/* /feeds/b/{slug}.atom: the board's newest threads. */
int
feed_board(struct request *req)
{
	struct tmpl_vars v;
	PGresult *m, *r;
	char slug[80];
	size_t len;

	len = strlen(req->slug);
	if (len <= 5 || len - 5 >= sizeof(slug) ||
	    strcmp(req->slug + len - 5, ".atom") != 0)
		return page_error(req, 404, N_("There is no such feed."));
	memcpy(slug, req->slug, len - 5);
	slug[len - 5] = '\0';
	if ((m = DB_Q(req, "feed_board_meta", slug,
	    i18n_langs[req->lang].tag)) == NULL)
		return page_unavailable(req);
	if (PQntuples(m) != 1)
		return page_error(req, 404, N_("There is no such feed."));
	if ((r = DB_Q(req, "feed_board_entries", db_get(m, 0, "id"))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, m, 0);
	tmpl_set_rows(&v, "entries", r, NULL, NULL);
	return atom(req, "feed_board", &v);
}

/* A vacancy's labels (jobs_vacancy_row) and its "Apply by" date. */
static void
jobs_entry(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	jobs_vacancy_row(req, row, r, i);
	tmpl_set(row, "apply_by", arena_printf(req->arena, T(req,
	    "Apply by %s"), jobs_date(req, db_get(r, i, "deadline"))));
}

/* /feeds/jobs.atom: the newest live vacancies, with /jobs's filters. */
int
feed_jobs(struct request *req)
{
	struct tmpl_vars v;
	struct jobs_filters f;
	PGresult *r;

	if (jobs_read_filters(req, &f) == -1 || req->nerrors > 0)
		return page_error(req, 400, N_("This feed address is not "
		    "valid."));
	f.cur_us = JOBS_CURSOR_TOP;	/* a feed has no pages */
	f.cur_id = "0";
	if ((r = jobs_public_rows(req, &f, JOBS_FEED_SIZE)) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "fq", jobs_filter_query(req, &f));
	tmpl_set(&v, "feed_updated", PQntuples(r) > 0 ?
	    db_get(r, 0, "updated_iso") : "1970-01-01T00:00:00Z");
	tmpl_set_rows(&v, "entries", r, jobs_entry, req);
	return atom(req, "feed_jobs", &v);
}

/*
 * An event's content: feed_event_content.html (its kind, time and
 * place, then its stored HTML), which feed_events.html escapes as
 * type="html" text.
 */
static void
events_entry(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	struct tmpl_vars c;
	struct buf b;

	tmpl_init(&c, req->arena);
	tmpl_bind_row(&c, r, i);
	tmpl_set(&c, "kind_name", event_kind_label(req, db_get(r, i, "kind")));
	tmpl_set(&c, "gov_name", place_governorate_label(req,
	    db_get(r, i, "governorate")));
	buf_init(&b);
	if (tmpl_render(&b, "feed_event_content", req->lang, &c) == 0)
		tmpl_set(row, "content", arena_strndup(req->arena,
		    b.p ? b.p : "", b.len));
	buf_free(&b);
}

/* /feeds/events.atom: the coming events. */
int
feed_events_atom(struct request *req)
{
	struct tmpl_vars v;
	const char *updated = NULL;
	PGresult *r;
	int i;

	if ((r = DB_Q(req, "feed_events_atom")) == NULL)
		return page_unavailable(req);
	for (i = 0; i < PQntuples(r); i++)
		if (updated == NULL || strcmp(db_get(r, i, "updated"),
		    updated) > 0)
			updated = db_get(r, i, "updated");
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "feed_updated", updated ? updated :
	    "1970-01-01T00:00:00Z");
	tmpl_set_rows(&v, "entries", r, events_entry, req);
	return atom(req, "feed_events", &v);
}

/* The host part of base_url, for UIDs. */
static const char *
base_host(struct request *req)
{
	const char *b = conf_active()->base_url, *p;

	if ((p = strstr(b, "://")) != NULL)
		b = p + 3;
	return arena_strndup(req->arena, b, strcspn(b, "/"));
}

/* One event as a VEVENT; d is scratch space. */
static void
vevent(struct request *req, struct buf *b, struct buf *d, const PGresult *r,
    int i, const char *host)
{
	const char *base = conf_active()->base_url, *id = db_get(r, i, "id");

	event_ics_raw(b, "BEGIN", "VEVENT");
	event_ics_raw(b, "UID", arena_printf(req->arena, "event-%s@%s", id,
	    host));
	event_ics_raw(b, "DTSTAMP", db_get(r, i, "stamp"));
	event_ics_raw(b, "CREATED", db_get(r, i, "created"));
	event_ics_raw(b, "LAST-MODIFIED", db_get(r, i, "stamp"));
	event_ics_raw(b, "DTSTART", db_get(r, i, "dtstart"));
	event_ics_raw(b, "DTEND", db_get(r, i, "dtend"));
	event_ics_raw(b, "SEQUENCE", db_get(r, i, "sequence"));
	event_ics_prop(b, "SUMMARY", db_get(r, i, "title"));
	event_ics_prop(b, "CATEGORIES", event_kind_label(req,
	    db_get(r, i, "kind")));
	buf_reset(d);
	if (db_get_bool(r, i, "online")) {
		buf_puts(d, T(req, "Online"));
		if (*db_get(r, i, "link"))
			buf_printf(d, " %s", db_get(r, i, "link"));
	} else {
		if (*db_get(r, i, "address"))
			buf_printf(d, "%s, ", db_get(r, i, "address"));
		buf_printf(d, "%s, %s", db_get(r, i, "city"),
		    place_governorate_label(req, db_get(r, i, "governorate")));
	}
	event_ics_prop(b, "LOCATION", d->p ? d->p : "");
	buf_reset(d);
	buf_printf(d, "%s\n\n%s %s\n%s/events/%s", db_get(r, i, "body_md"),
	    T(req, "Organiser:"), db_get(r, i, "organiser"), base, id);
	event_ics_prop(b, "DESCRIPTION", d->p);
	event_ics_raw(b, "URL", arena_printf(req->arena, "%s/events/%s", base,
	    id));
	event_ics_raw(b, "STATUS", db_get_bool(r, i, "cancelled") ?
	    "CANCELLED" : "CONFIRMED");
	event_ics_raw(b, "TRANSP", "OPAQUE");
	event_ics_raw(b, "END", "VEVENT");
}

/* A VCALENDAR of the events of r, named name, into the answer. */
static int
calendar(struct request *req, const PGresult *r, const char *name)
{
	const char *host;
	struct buf d;
	PGresult *z;
	int i;

	if ((z = DB_Q(req, "feed_zone")) == NULL)
		return page_unavailable(req);
	host = base_host(req);
	buf_init(&d);
	buf_reset(&req->out);
	event_ics_raw(&req->out, "BEGIN", "VCALENDAR");
	event_ics_raw(&req->out, "VERSION", "2.0");
	event_ics_raw(&req->out, "PRODID", "-//Magnet//Events//EN");
	event_ics_raw(&req->out, "CALSCALE", "GREGORIAN");
	event_ics_raw(&req->out, "METHOD", "PUBLISH");
	event_ics_prop(&req->out, "X-WR-CALNAME", name);
	/* The calendar's own zone: every time below is UTC, so this is
	 * only a hint to readers. */
	event_ics_raw(&req->out, "X-WR-TIMEZONE", db_get(z, 0, "zone"));
	for (i = 0; i < PQntuples(r); i++)
		vevent(req, &req->out, &d, r, i, host);
	event_ics_raw(&req->out, "END", "VCALENDAR");
	buf_free(&d);
	req->content_type = "text/calendar; charset=utf-8";
	return 200;
}

/* /feeds/events.ics: the calendar, from 90 days back on. */
int
feed_events_ics(struct request *req)
{
	PGresult *r;

	if ((r = DB_Q(req, "feed_events_ics")) == NULL)
		return page_unavailable(req);
	req->cache_public = 1;
	return calendar(req, r, T(req, "Magnet events"));
}

/* /events/{id}/ics: one event's own file, to add to a calendar. */
int
feed_event_ics(struct request *req)
{
	PGresult *r;

	if ((r = DB_Q(req, "feed_event_ics", request_id(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such event."));
	request_set_header(req, "Content-Disposition", arena_printf(req->arena,
	    "attachment; filename=\"event-%lld.ics\"", req->id));
	req->cache_public = 1;
	return calendar(req, r, db_get(r, 0, "title"));
}

/*
 * /feeds/calendar/TOKEN.ics: a person's own calendar, the events they
 * signed up to.  The token is the only key (calendar programs send no
 * cookie); an unknown or revoked one is a 404 like any other.
 */
int
feed_calendar(struct request *req)
{
	char tok[65], hash[65];
	size_t len = strlen(req->slug), i;
	PGresult *o, *r;

	if (len != 68 || strcmp(req->slug + 64, ".ics") != 0)
		return page_error(req, 404, N_("There is no such feed."));
	for (i = 0; i < 64; i++)
		if (strchr("0123456789abcdef", req->slug[i]) == NULL)
			return page_error(req, 404, N_("There is no such "
			    "feed."));
	memcpy(tok, req->slug, 64);
	tok[64] = '\0';
	auth_token_hash(tok, hash);
	if ((o = DB_Q(req, "feed_calendar_owner", hash)) == NULL)
		return page_unavailable(req);
	if (PQntuples(o) != 1)
		return page_error(req, 404, N_("There is no such feed."));
	if ((r = DB_Q(req, "feed_calendar_events", db_get(o, 0,
	    "user_id"))) == NULL)
		return page_unavailable(req);
	req->personal = 1;
	return calendar(req, r, T(req, "My Magnet events"));
}
