/*
 * Statistics for the counsellors and their funders: twelve months of
 * accounts, forum activity, moderation speed, vacancies, applications
 * and referrals, drawn as charts (SVG in the template: no script, no
 * image request) and tabled, the boards, and totals by kind; the months
 * also as a spreadsheet (CSV: only dates and numbers).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "jobs.h"
#include "mod.h"
#include "outcomes.h"
#include "param.h"
#include "page.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "mod_stats",
	    "WITH m AS (SELECT generate_series(date_trunc('month', now()) - "
	    "interval '11 months', date_trunc('month', now()), "
	    "interval '1 month') AS month) "
	    "SELECT to_char(m.month, 'YYYY-MM') AS month, "
	    "(SELECT count(*) FROM users WHERE role = 'returnee' AND "
	    "date_trunc('month', created_at) = m.month) AS returnees, "
	    "(SELECT count(*) FROM users WHERE role = 'employer' AND "
	    "date_trunc('month', created_at) = m.month) AS employers, "
	    "(SELECT count(*) FROM threads WHERE state = 'published' AND "
	    "date_trunc('month', created_at) = m.month) AS threads, "
	    "(SELECT count(*) FROM posts WHERE state = 'published' AND "
	    "date_trunc('month', created_at) = m.month) AS posts, "
	    "(SELECT count(*) FROM reports WHERE "
	    "date_trunc('month', created_at) = m.month) AS reports, "
	    "coalesce((SELECT round(extract(epoch FROM percentile_cont(0.5) "
	    "WITHIN GROUP (ORDER BY moderated_at - created_at)) / 60) "
	    "FROM posts WHERE moderated_at IS NOT NULL AND "
	    "date_trunc('month', moderated_at) = m.month), 0) "
	    "AS median_minutes, "
	    "(SELECT count(*) FROM vacancies WHERE "
	    "date_trunc('month', published_at) = m.month) AS vacancies, "
	    "(SELECT count(*) FROM applications WHERE "
	    "date_trunc('month', created_at) = m.month) AS applications, "
	    "(SELECT count(*) FROM applications WHERE status = 'hired' AND "
	    "date_trunc('month', updated_at) = m.month) AS hired, "
	    "(SELECT count(*) FROM referrals WHERE "
	    "date_trunc('month', created_at) = m.month) AS referrals, "
	    "(SELECT count(*) FROM referrals WHERE status IN ('placed', "
	    "'enrolled', 'completed') AND "
	    "date_trunc('month', updated_at) = m.month) AS placed "
	    "FROM m ORDER BY m.month" },
	/* Totals by kind: (kind, key, second key, count) rows; the keys are
	 * the database's and are translated in totals_row. */
	{ "mod_stats_totals",
	    "SELECT 'users' AS kind, role AS key, coalesce(g, '') AS key2, "
	    "count(*) AS n FROM (SELECT "
	    "u.role, CASE u.role WHEN 'returnee' THEN p.governorate "
	    "WHEN 'employer' THEN e.governorate END AS g "
	    "FROM users u LEFT JOIN returnee_profiles p ON p.user_id = u.id "
	    "LEFT JOIN enterprises e ON e.id = u.enterprise_id "
	    "WHERE u.deleted_at IS NULL) x GROUP BY 2, 3 "
	    "UNION ALL SELECT 'vacancies', state, sector, count(*) "
	    "FROM vacancies GROUP BY 2, 3 "
	    "UNION ALL SELECT 'applications', status, '', count(*) "
	    "FROM applications GROUP BY 2 "
	    "UNION ALL SELECT 'referrals', status, '', count(*) FROM referrals "
	    "GROUP BY 2 "
	    /* The outbox (app/mail.c): failed mails are the admins' to
	     * look into (the log says why). */
	    "UNION ALL SELECT 'mail', state, '', count(*) FROM mail_outbox "
	    "WHERE state IN ('queued', 'sent', 'failed', 'digest') "
	    "GROUP BY 2 "
	    /* Job alerts (app/mailpref.c). */
	    "UNION ALL SELECT 'alerts', CASE WHEN profile THEN 'profile' "
	    "ELSE 'search' END, '', count(*) FROM job_alerts GROUP BY 2 "
	    "ORDER BY 1, 2, 3" },
	{ "mod_stats_boards",
	    "SELECT coalesce((SELECT name FROM board_names WHERE board_id = "
	    "b.id AND lang = $1), (SELECT name FROM board_names WHERE "
	    "board_id = b.id AND lang = 'en'), b.slug) AS name, "
	    "b.thread_count AS threads, b.post_count AS posts "
	    "FROM boards b ORDER BY b.position, b.id" },
};

void
mod_stats_init(void)
{
	DB_REGISTER(stmts);
	outcomes_init();
}

/* The monthly columns of mod_stats, their headings, and which are
 * drawn (the table's headings are mod_stats.html's). */
static const struct {
	const char	*col;
	const char	*msgid;
	int		 chart;
} cols[] = {
	{ "month", N_("Month"), 0 },
	{ "returnees", N_("New returnees"), 1 },
	{ "employers", N_("New employers"), 0 },
	{ "threads", N_("Threads"), 0 },
	{ "posts", N_("Posts"), 1 },
	{ "reports", N_("Reports"), 0 },
	{ "median_minutes", N_("Median minutes to moderation"), 0 },
	{ "vacancies", N_("Vacancies published"), 1 },
	{ "applications", N_("Applications"), 1 },
	{ "hired", N_("Hired"), 0 },
	{ "referrals", N_("Referrals"), 0 },
	{ "placed", N_("Placed or enrolled"), 1 },
};

#define NCOLS	(sizeof(cols) / sizeof(cols[0]))
#define NCHARTS	5

/* One chart's series: its column and its largest value. */
struct chart {
	struct request	*req;
	const char	*col;
	long long	 max;
};

/*
 * A month's bar in a chart 130 high, 30 wide a month: 90 for the
 * largest value, the value above the bar, the month's number below.
 */
static void
bar_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct chart *c = ctx;
	struct arena *a = c->req->arena;
	long long v = db_get_ll(r, i, c->col);
	int h = (int)(v * 90 / c->max);

	tmpl_set_int(row, a, "v", v);
	tmpl_set_int(row, a, "x", i * 30 + 4);
	tmpl_set_int(row, a, "y", 100 - h);
	tmpl_set_int(row, a, "h", h);
	tmpl_set_int(row, a, "tx", i * 30 + 15);
	tmpl_set_int(row, a, "ty", 96 - h);
	/* "2026-11" -> "11" */
	tmpl_set(row, "mon", i18n_digits(a, c->req->lang,
	    db_get(r, i, "month") + 5));
}

/* The charted series as the list "charts", each with its "bars". */
static void
charts(struct request *req, struct tmpl_vars *v, const PGresult *r)
{
	struct tmpl_vars *items;
	struct chart *c;
	size_t j, n = 0;
	int i;

	items = arena_alloc(req->arena, NCHARTS * sizeof(*items));
	c = arena_alloc(req->arena, NCHARTS * sizeof(*c));
	for (j = 0; j < NCOLS && n < NCHARTS; j++) {
		if (!cols[j].chart)
			continue;
		c[n].req = req;
		c[n].col = cols[j].col;
		c[n].max = 1;
		for (i = 0; i < PQntuples(r); i++)
			if (db_get_ll(r, i, cols[j].col) > c[n].max)
				c[n].max = db_get_ll(r, i, cols[j].col);
		tmpl_init(&items[n], req->arena);
		tmpl_set(&items[n], "title", T(req, cols[j].msgid));
		tmpl_set_int(&items[n], req->arena, "width",
		    PQntuples(r) * 30);
		tmpl_set_rows(&items[n], "bars", r, bar_row, &c[n]);
		n++;
	}
	tmpl_set_items(v, "charts", items, n);
}

static void
month_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;

	tmpl_set(row, "month_shown", i18n_digits(req->arena, req->lang,
	    db_get(r, i, "month")));
}

/* A row of the totals in the reader's words: which things are counted,
 * and their group (a role and a governorate, a vacancy's state and
 * sector, or a status). */
/* An outbox state in the reader's language. */
static const char *
mail_state(struct request *req, const char *key)
{
	if (strcmp(key, "queued") == 0)
		return T(req, "Waiting to be sent");
	if (strcmp(key, "sent") == 0)
		return T(req, "Sent");
	if (strcmp(key, "digest") == 0)
		return T(req, "Waiting for the daily summary");
	return T(req, "Failed after a day of retries");
}

static void
totals_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *kind = db_get(r, i, "kind"), *key = db_get(r, i, "key");
	const char *key2 = db_get(r, i, "key2"), *what, *a, *b = NULL;

	if (strcmp(kind, "users") == 0) {
		what = T(req, "Accounts");
		a = page_role_label(req, key);
		if (*key2 != '\0')
			b = jobs_label(req, JOBS_GOVERNORATE, key2);
	} else if (strcmp(kind, "vacancies") == 0) {
		what = T(req, "Vacancies");
		a = jobs_label(req, JOBS_STATE, key);
		b = jobs_label(req, JOBS_SECTOR, key2);
	} else if (strcmp(kind, "applications") == 0) {
		what = T(req, "Applications");
		a = jobs_label(req, JOBS_APP_STATUS, key);
	} else if (strcmp(kind, "alerts") == 0) {
		what = T(req, "Job alerts");
		a = strcmp(key, "profile") == 0 ? T(req, "Vacancies that match "
		    "the profile") : T(req, "Saved searches");
	} else if (strcmp(kind, "mail") == 0) {
		what = T(req, "Mails");
		a = mail_state(req, key);
	} else {
		what = T(req, "Referrals");
		a = jobs_label(req, JOBS_REF_STATUS, key);
	}
	tmpl_set(row, "what", what);
	tmpl_set(row, "group", a);
	tmpl_set(row, "group2", b);
}

int
mod_stats(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r, *b, *k;
	char from[11], to[11];
	int ok;

	/* The outcomes of a period (outcomes.c); a bad date comes back
	 * named in the form, with the rest of the page. */
	tmpl_init(&v, req->arena);
	tmpl_set(&v, "outcomes_action", "/mod/stats");
	if ((ok = outcomes_period(req, from, to)) == -2 ||
	    outcomes_set(req, &v, ok == 0, from, to, NULL, 0) == -1)
		return page_unavailable(req);
	if ((r = DB_Q(req, "mod_stats")) == NULL ||
	    (b = DB_Q(req, "mod_stats_boards",
	    i18n_langs[req->lang].tag)) == NULL ||
	    (k = DB_Q(req, "mod_stats_totals")) == NULL)
		return page_unavailable(req);
	charts(req, &v, r);
	tmpl_set_rows(&v, "months", r, month_row, req);
	tmpl_set_rows(&v, "boards", b, NULL, NULL);
	tmpl_set_rows(&v, "totals", k, totals_row, req);
	req->personal = 1;
	return page_render(req, ok == 0 ? 200 : 422, T(req, "Statistics"),
	    "mod_stats", &v);
}

/* The outcomes of a period as a spreadsheet; a bad period is refused. */
int
mod_stats_outcomes_csv(struct request *req)
{
	return outcomes_csv(req, NULL, 0);
}

int
mod_stats_csv(struct request *req)
{
	PGresult *r;
	struct buf b;
	size_t j;
	int i;

	if ((r = DB_Q(req, "mod_stats")) == NULL)
		return page_unavailable(req);
	buf_init(&b);
	for (j = 0; j < NCOLS; j++)
		buf_printf(&b, "%s\"%s\"", j ? "," : "", cols[j].msgid);
	buf_puts(&b, "\r\n");
	/* Only dates and numbers: nothing a spreadsheet could run. */
	for (i = 0; i < PQntuples(r); i++) {
		for (j = 0; j < NCOLS; j++)
			buf_printf(&b, "%s%s", j ? "," : "",
			    db_get(r, i, cols[j].col));
		buf_puts(&b, "\r\n");
	}
	return page_csv(req, &b, "magnet-statistics.csv");
}
