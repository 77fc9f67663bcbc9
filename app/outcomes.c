/*
 * Outcomes as the programme reports them, for any period: the figures
 * are SQL's (placement_outcomes and placement_funnel, migration 0033, so
 * that the partners' pages count exactly as the counsellors' do); here
 * the period is read and checked, the groups get their labels in the
 * reader's language, the funnel its bars, and the CSV its cells.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "event.h"
#include "i18n.h"
#include "jobs.h"
#include "outcomes.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	/* The period, the last twelve months unless given. */
	{ "outcomes_period",
	    "SELECT coalesce(nullif($1, '')::date, magnet_today() - 364) "
	    "AS \"from\", coalesce(nullif($2, '')::date, magnet_today()) "
	    "AS \"to\"" },
	/* One dimension's groups; a major group labelled from the
	 * vocabulary in the reader's language ($5). */
	{ "outcomes_dim",
	    "SELECT o.*, coalesce(CASE $5 WHEN 'ckb' THEN v.ckb "
	    "WHEN 'kmr-Arab' THEN v.kmr WHEN 'ar' THEN v.ar ELSE v.en END, "
	    "'') AS major_label FROM placement_outcomes($1::date, $2::date, "
	    "nullif($3, '')) o LEFT JOIN vocabulary v ON o.dim = 'major' AND "
	    "v.code = o.key WHERE o.dim = $4 ORDER BY o.key = '', o.key" },
	{ "outcomes_funnel",
	    "SELECT * FROM placement_funnel($1::date, $2::date, "
	    "nullif($3, ''))" },
};

void
outcomes_init(void)
{
	DB_REGISTER(stmts);
}

/* The figures, their columns and headings, in the order shown. */
static const struct {
	const char	*col;
	const char	*msgid;
} measures[] = {
	{ "counselled_before", N_("Counselled before departure") },
	{ "counselled_after", N_("Counselled after return") },
	{ "referred", N_("Referred") },
	{ "placed_job", N_("Placed in a job") },
	{ "placed_training", N_("Placed in training") },
	{ "vacancies", N_("Vacancies published") },
	{ "positions", N_("Positions offered") },
	{ "enterprises", N_("Partner enterprises verified") },
};

#define NMEASURES	(sizeof(measures) / sizeof(measures[0]))

static const char *const stages[] = { "referred", "contacted", "interview",
    "placed" };
static const char *const stage_shown[] = { "referred_shown",
    "contacted_shown", "interview_shown", "placed_shown" };
static const char *const stage_msgids[] = { N_("Referred"),
    N_("Contacted"), N_("Interview"), N_("Placed") };

struct ctx {
	struct request	*req;
	int		 masked;
	long long	 max;		/* the funnel's largest count */
};

/* A count as shown: the reader's digits, or "fewer than 5" for 1 to 4
 * when masked (a small count could point to a person). */
static const char *
shown(const struct ctx *c, long long n)
{
	if (c->masked && n > 0 && n < 5)
		return T(c->req, "fewer than 5");
	return i18n_digits(c->req->arena, c->req->lang,
	    arena_printf(c->req->arena, "%lld", n));
}

/* A group's label: a governorate, a sector or a major group. */
static const char *
group_label(struct request *req, const PGresult *r, int i)
{
	const char *dim = db_get(r, i, "dim"), *key = db_get(r, i, "key");

	if (strcmp(dim, "all") == 0)
		return T(req, "All");
	if (*key == '\0')
		return T(req, "Not given");
	if (strcmp(dim, "governorate") == 0)
		return jobs_label(req, JOBS_GOVERNORATE, key);
	if (strcmp(dim, "sector") == 0)
		return jobs_label(req, JOBS_SECTOR, key);
	return arena_printf(req->arena, "%s (%s)", db_get(r, i,
	    "major_label"), i18n_digits(req->arena, req->lang, key));
}

static void
group_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct ctx *c = ctx;
	struct tmpl_vars *cells;
	size_t j;

	cells = arena_alloc(c->req->arena, NMEASURES * sizeof(*cells));
	for (j = 0; j < NMEASURES; j++) {
		tmpl_init(&cells[j], c->req->arena);
		tmpl_set(&cells[j], "label", T(c->req, measures[j].msgid));
		tmpl_set(&cells[j], "n", shown(c, db_get_ll(r, i,
		    measures[j].col)));
	}
	tmpl_set(row, "group", group_label(c->req, r, i));
	tmpl_set_items(row, "cells", cells, NMEASURES);
}

/*
 * A governorate's funnel in a chart 320 wide: its name, then a bar a
 * stage, 150 for the largest count, the stage's name before the bar and
 * the count after it.  A masked small count is drawn as 5.
 */
static void
funnel_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct ctx *c = ctx;
	struct arena *a = c->req->arena;
	struct tmpl_vars *bars;
	long long n;
	size_t j;
	int y = i * 96;

	bars = arena_alloc(a, 4 * sizeof(*bars));
	for (j = 0; j < 4; j++) {
		n = db_get_ll(r, i, stages[j]);
		if (c->masked && n > 0 && n < 5)
			n = 5;
		tmpl_init(&bars[j], a);
		tmpl_set(&bars[j], "stage", T(c->req, stage_msgids[j]));
		tmpl_set(&bars[j], "n", shown(c, db_get_ll(r, i, stages[j])));
		tmpl_set_int(&bars[j], a, "y", y + 20 + (int)j * 18);
		tmpl_set_int(&bars[j], a, "ty", y + 32 + (int)j * 18);
		tmpl_set_int(&bars[j], a, "w", n * 150 / c->max);
		tmpl_set_int(&bars[j], a, "nx", 118 + n * 150 / c->max);
	}
	tmpl_set(row, "gov_label", jobs_label(c->req, JOBS_GOVERNORATE,
	    db_get(r, i, "governorate")));
	tmpl_set_int(row, a, "gy", y + 13);
	tmpl_set_items(row, "bars", bars, 4);
	for (j = 0; j < 4; j++)
		tmpl_set(row, stage_shown[j], shown(c, db_get_ll(r, i,
		    stages[j])));
}

int
outcomes_period(struct request *req, char from[11], char to[11])
{
	const char *f = param_str(req, "from"), *t = param_str(req, "to");
	PGresult *r;

	*from = *to = '\0';
	if (*f != '\0' && i18n_parse_date(f, from) == -1)
		param_set_err_ex(req, "from", N_("Please give the date as "
		    "year-month-day, for example %s."), "2025-03-31", NULL);
	if (*t != '\0' && i18n_parse_date(t, to) == -1)
		param_set_err_ex(req, "to", N_("Please give the date as "
		    "year-month-day, for example %s."), "2025-03-31", NULL);
	if (param_err(req, "from") != NULL || param_err(req, "to") != NULL)
		return -1;
	if ((r = DB_Q(req, "outcomes_period", from, to)) == NULL)
		return -2;
	snprintf(from, 11, "%s", db_get(r, 0, "from"));
	snprintf(to, 11, "%s", db_get(r, 0, "to"));
	if (strcmp(from, to) > 0) {
		param_set_err(req, "to", N_("The end of the period comes "
		    "before its start."));
		return -1;
	}
	return 0;
}

/* The groupings of the figures, as outcomes_dim knows them. */
static const char *const dims[] = { "all", "governorate", "sector",
    "major" };

int
outcomes_set(struct request *req, struct tmpl_vars *v, int ok,
    const char *from, const char *to, const char *gov, int masked)
{
	static const char *const lists[] = { "by_all", "by_governorate",
	    "by_sector", "by_major" };
	/* Whether a list has rows: an empty one is a sentence, not an
	 * empty table. */
	static const char *const anys[] = { "any_all", "any_governorate",
	    "any_sector", "any_major" };
	struct ctx *c = arena_alloc(req->arena, sizeof(*c));
	struct tmpl_vars *heads;
	PGresult *r;
	size_t j;
	int i;

	tmpl_set(v, "from", ok ? from : param_str(req, "from"));
	tmpl_set(v, "to", ok ? to : param_str(req, "to"));
	tmpl_set_raw(v, "from_err", param_err_html(req, "from"));
	tmpl_set_raw(v, "to_err", param_err_html(req, "to"));
	tmpl_set_bool(v, "outcomes_ok", ok);
	if (!ok)
		return 0;
	c->req = req;
	c->masked = masked;
	c->max = 1;
	heads = arena_alloc(req->arena, NMEASURES * sizeof(*heads));
	for (j = 0; j < NMEASURES; j++) {
		tmpl_init(&heads[j], req->arena);
		tmpl_set(&heads[j], "label", T(req, measures[j].msgid));
	}
	tmpl_set_items(v, "heads", heads, NMEASURES);
	for (j = 0; j < sizeof(dims) / sizeof(dims[0]); j++) {
		if ((r = DB_Q(req, "outcomes_dim", from, to, gov ? gov : "",
		    dims[j], i18n_langs[req->lang].tag)) == NULL)
			return -1;
		tmpl_set_rows(v, lists[j], r, group_row, c);
		tmpl_set_bool(v, anys[j], PQntuples(r) > 0);
	}
	if ((r = DB_Q(req, "outcomes_funnel", from, to, gov ? gov : "")) ==
	    NULL)
		return -1;
	for (i = 0; i < PQntuples(r); i++)
		if (db_get_ll(r, i, "referred") > c->max)
			c->max = db_get_ll(r, i, "referred");
	if (masked && c->max < 5)
		c->max = 5;
	tmpl_set_rows(v, "funnel", r, funnel_row, c);
	tmpl_set_bool(v, "any_funnel", PQntuples(r) > 0);
	tmpl_set_int(v, req->arena, "funnel_h", PQntuples(r) * 96);
	tmpl_set(v, "period_shown", i18n_digits(req->arena, req->lang,
	    arena_printf(req->arena, "%s – %s", from, to)));
	return 0;
}

/* One dimension's rows of the CSV: the dimension, the group, the
 * figures. */
static void
csv_rows(struct buf *b, struct ctx *c, const char *what, const PGresult *r)
{
	size_t j;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		event_csv_cell(b, what);
		buf_putc(b, ',');
		event_csv_cell(b, group_label(c->req, r, i));
		for (j = 0; j < NMEASURES; j++) {
			buf_putc(b, ',');
			event_csv_cell(b, c->masked ? shown(c, db_get_ll(r, i,
			    measures[j].col)) : db_get(r, i,
			    measures[j].col));
		}
		buf_puts(b, "\r\n");
	}
}

int
outcomes_csv(struct request *req, const char *gov, int masked)
{
	static const char *const dim_msgids[] = { N_("All"),
	    N_("Governorate"), N_("Sector"), N_("Occupation major group") };
	struct ctx c = { req, masked, 1 };
	PGresult *r[4];
	struct buf b;
	char from[11], to[11];
	size_t j;
	int ok;

	if ((ok = outcomes_period(req, from, to)) == -2)
		return page_unavailable(req);
	if (ok == -1)
		return page_error(req, 400, N_("Please give the period as two "
		    "dates, year-month-day, the start first."));
	for (j = 0; j < 4; j++)
		if ((r[j] = DB_Q(req, "outcomes_dim", from, to, gov ? gov :
		    "", dims[j], i18n_langs[req->lang].tag)) == NULL)
			return page_unavailable(req);
	buf_init(&b);
	event_csv_cell(&b, T(req, "Grouped by"));
	buf_putc(&b, ',');
	event_csv_cell(&b, T(req, "Group"));
	for (j = 0; j < NMEASURES; j++) {
		buf_putc(&b, ',');
		event_csv_cell(&b, T(req, measures[j].msgid));
	}
	buf_puts(&b, "\r\n");
	for (j = 0; j < 4; j++)
		csv_rows(&b, &c, T(req, dim_msgids[j]), r[j]);
	return page_csv(req, &b, arena_printf(req->arena,
	    "magnet-outcomes-%s-%s.csv", from, to));
}
