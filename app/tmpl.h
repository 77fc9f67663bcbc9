/*
 * Templates: HTML files under assets/templates, parsed once at start-up.
 * Escaping is the default; raw HTML is asked for by name.
 *
 *   {{name}}             the variable, HTML-escaped
 *   {{&name}}            trusted HTML: a variable set with tmpl_set_raw,
 *                        or a column whose name ends in "_html" (stored,
 *                        sanitised markdown); anything else is escaped
 *   {{%name}}            escaped, with phone numbers and spaced amounts
 *                        in <bdi dir="ltr"> (plain user text in
 *                        right-to-left pages)
 *   {{+name}}            an integer in the reader's digits and grouping
 *   {{@name}}            a moment: <time> with the reader's "3 hours
 *                        ago" (the local date and time after a week), from
 *                        magnet_time() in SQL; or a date, from magnet_day()
 *   {{>name}}            the template assets/templates/name.html here,
 *                        seeing the same variables (partials may nest;
 *                        a loop or a missing one stops the start)
 *   {{_ English text}}   the text through the catalogue, escaped
 *   {{#name}} … {{/name}} for a list (rows of a result, or items): the
 *                        body once per row, the row's columns and the
 *                        hook's values visible over the page's; for a
 *                        value: shown when it is true
 *   {{?name}} … {{/name}} shown once when the value is true or the list
 *                        has rows (a list's wrapper)
 *   {{^name}} … {{/name}} shown when the value is false or the list empty
 *
 * A value is false when it is unset, NULL, empty, a boolean column's "f"
 * or a number column's 0.  Names are found from the innermost row out to
 * the page's variables, then the rows bound with tmpl_bind_row.
 */
#ifndef MAGNET_TMPL_H
#define MAGNET_TMPL_H

#include <stddef.h>

#include <libpq-fe.h>

#include "i18n.h"

struct arena;
struct buf;
struct tmpl_vars;

/*
 * Called for each row of a bound result before its body is rendered, to
 * set what SQL cannot give: labels in the reader's language, badges.
 * Values set on row are escaped like any other; they live in the arena.
 */
typedef void (*tmpl_hook)(void *ctx, struct tmpl_vars *row,
    const PGresult *, int i);

#define TMPL_INLINE	16

struct tmpl_var {
	const char		*name;
	unsigned		 hash;
	enum { TV_TEXT, TV_RAW, TV_ROWS, TV_ITEMS, TV_ROW } kind;
	const char		*value;		/* TEXT, RAW */
	const PGresult		*res;		/* ROWS, ROW */
	int			 row;		/* ROW */
	int			 max;		/* ROWS: -1 for all */
	tmpl_hook		 hook;		/* ROWS */
	void			*ctx;
	const struct tmpl_vars	*items;		/* ITEMS */
	size_t			 nitems;
};

struct tmpl_vars {
	struct arena	*arena;		/* grows past TMPL_INLINE */
	size_t		 n, cap;
	struct tmpl_var	*v;
	struct tmpl_var	 fixed[TMPL_INLINE];
	int		 overflow;	/* set failed: the render fails */
};

int	 tmpl_load(const char *dir, char *err, size_t errlen);
int	 tmpl_load_one(const char *name, const char *text, char *err,
	    size_t errlen);
/* Every partial named exists and none includes itself: 0 or -1. */
int	 tmpl_check(char *err, size_t errlen);
void	 tmpl_free(void);
int	 tmpl_exists(const char *name);

/* Empty variables whose values and growth come from the arena. */
void	 tmpl_init(struct tmpl_vars *, struct arena *);
/* Set or replace a variable; the value must live until rendering ends. */
void	 tmpl_set(struct tmpl_vars *, const char *name, const char *value);
void	 tmpl_set_raw(struct tmpl_vars *, const char *name, const char *html);
void	 tmpl_set_int(struct tmpl_vars *, struct arena *, const char *name,
	    long long);
void	 tmpl_set_bool(struct tmpl_vars *, const char *name, int);
/* A result's rows as the list name; hook (may be NULL) runs per row. */
void	 tmpl_set_rows(struct tmpl_vars *, const char *name, const PGresult *,
	    tmpl_hook, void *ctx);
/* The same, only the first max rows (a query asked one more, to know
 * that there is a next page). */
void	 tmpl_set_rows_max(struct tmpl_vars *, const char *name,
	    const PGresult *, int max, tmpl_hook, void *ctx);
/* A list of items made in C (tmpl_init'd, each with its own values). */
void	 tmpl_set_items(struct tmpl_vars *, const char *name,
	    const struct tmpl_vars *items, size_t n);
/* Make one row's columns visible as variables (after the named ones). */
void	 tmpl_bind_row(struct tmpl_vars *, const PGresult *, int row);
/* The text of a variable or bound column, or NULL. */
const char *tmpl_var(const struct tmpl_vars *, const char *name);
/* -1 if there is no such template, or a render limit was passed (the
 * page fails; the server goes on). */
int	 tmpl_render(struct buf *, const char *name, enum lang,
	    const struct tmpl_vars *);

#endif
