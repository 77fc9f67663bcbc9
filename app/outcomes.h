/*
 * Outcomes as the programme reports them (issue 21, item 6): a period's
 * counselling, referrals, placements, vacancies and verified enterprises
 * by governorate, sector and occupation major group, and the referrals'
 * funnel per governorate, on /mod/stats and as CSV.  The figures are SQL
 * (placement_outcomes, placement_funnel: migration 0033); this file reads
 * the period, labels the groups and writes the page's values and the CSV.
 */
#ifndef MAGNET_OUTCOMES_H
#define MAGNET_OUTCOMES_H

struct request;
struct tmpl_vars;

void	outcomes_init(void);
/*
 * The period from the query's "from" and "to" (year-month-day; empty:
 * the last twelve months), into from and to; a problem is set on its
 * field.  0, -1 when there is a problem, -2 when the database fails.
 */
int	outcomes_period(struct request *, char from[11], char to[11]);
/*
 * The outcomes of the period as the page's values: the form's from, to
 * and their problems always, the figures when ok; gov limits them to one
 * governorate (NULL: all); masked shows counts from 1 to 4 as "fewer
 * than 5".  0, or -1 when the database fails.
 */
int	outcomes_set(struct request *, struct tmpl_vars *, int ok,
	    const char *from, const char *to, const char *gov, int masked);
/* The same figures for the query's period (outcomes_period) as a
 * spreadsheet (UTF-8 with a byte order mark, CRLF, every cell quoted); a
 * bad period is a 400.  The status to answer. */
int	outcomes_csv(struct request *, const char *gov, int masked);

#endif
