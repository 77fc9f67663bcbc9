/*
 * Templates: HTML files under assets/templates, parsed once at start-up.
 * Escaping is the default; a handler must ask for raw HTML by name.
 *
 *   {{name}}             the variable, HTML-escaped
 *   {{&name}}            the variable as trusted HTML (built by our own
 *                        escapers or the markdown sanitiser, never input)
 *   {{%name}}            the variable, HTML-escaped, with phone numbers
 *                        and spaced amounts in <bdi dir="ltr"> (for plain
 *                        user text shown in right-to-left pages)
 *   {{>name}}            the template assets/templates/name.html, with
 *                        the same variables (a shared piece of a form);
 *                        a partial holds no partial
 *   {{_ English text}}   the text through the catalogue, escaped
 *   {{#name}} … {{/name}} shown when the variable is set and not empty
 *   {{^name}} … {{/name}} shown when it is not
 */
#ifndef MAGNET_TMPL_H
#define MAGNET_TMPL_H

#include <stddef.h>

#include "i18n.h"

struct buf;

#define TMPL_MAXVARS	64

struct tmpl_vars {
	size_t	 n;
	struct {
		const char	*name;
		const char	*value;
		int		 raw;
	} v[TMPL_MAXVARS];
};

int	 tmpl_load(const char *dir, char *err, size_t errlen);
int	 tmpl_load_one(const char *name, const char *text, char *err,
	    size_t errlen);
void	 tmpl_free(void);
int	 tmpl_exists(const char *name);
/* Set or replace a variable; the value must live until rendering ends. */
void	 tmpl_set(struct tmpl_vars *, const char *name, const char *value);
void	 tmpl_set_raw(struct tmpl_vars *, const char *name, const char *html);
void	 tmpl_set_int(struct tmpl_vars *, struct arena *, const char *name,
	    long long);
/* The value of a variable set earlier, or NULL. */
const char *tmpl_var(const struct tmpl_vars *, const char *name);
/* -1 if there is no such template. */
int	 tmpl_render(struct buf *, const char *name, enum lang,
	    const struct tmpl_vars *);

#endif
