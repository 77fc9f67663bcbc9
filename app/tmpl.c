/*
 * The template engine.  Each file is compiled once into a flat list of
 * operations; rendering walks it with the handler's variables.  Unknown
 * syntax or unbalanced sections stop the server at start-up with the file
 * and line, so a broken template never reaches a user.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "tmpl.h"

enum op { OP_TEXT, OP_VAR, OP_RAW, OP_BIDI, OP_PART, OP_TR, OP_IF,
    OP_UNLESS, OP_END };

struct op_t {
	enum op		 op;
	char		*s;	/* text, name or msgid */
	size_t		 len;
	size_t		 jump;	/* IF/UNLESS: index of the matching END */
};

struct tmpl {
	char		*name;
	struct op_t	*ops;
	size_t		 nops;
};

static struct tmpl *tmpls;
static size_t ntmpls;

static void
push(struct tmpl *t, enum op op, const char *s, size_t len)
{
	struct op_t *o;

	t->ops = xrealloc(t->ops, (t->nops + 1) * sizeof(*t->ops));
	o = &t->ops[t->nops++];
	o->op = op;
	o->s = xmalloc(len + 1);
	memcpy(o->s, s, len);
	o->s[len] = '\0';
	o->len = len;
	o->jump = 0;
}

static int
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
		    (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static void
free_one(struct tmpl *t)
{
	size_t i;

	for (i = 0; i < t->nops; i++)
		free(t->ops[i].s);
	free(t->ops);
	free(t->name);
}

static int
compile(struct tmpl *t, const char *text, char *err, size_t errlen)
{
	size_t stack[32], depth = 0, len;
	const char *p = text, *open, *close, *in;
	int line = 1;

	while (*p != '\0') {
		if ((open = strstr(p, "{{")) == NULL) {
			push(t, OP_TEXT, p, strlen(p));
			break;
		}
		if (open > p)
			push(t, OP_TEXT, p, (size_t)(open - p));
		for (const char *q = p; q < open; q++)
			line += *q == '\n';
		if ((close = strstr(open + 2, "}}")) == NULL) {
			snprintf(err, errlen, "%s:%d: unclosed {{", t->name,
			    line);
			return -1;
		}
		in = open + 2;
		len = (size_t)(close - in);
		if (len >= 2 && in[0] == '_' && in[1] == ' ') {
			push(t, OP_TR, in + 2, len - 2);
		} else if (len > 0 && (in[0] == '#' || in[0] == '^')) {
			if (!valid_name(in + 1, len - 1) || depth == 32)
				goto bad;
			push(t, in[0] == '#' ? OP_IF : OP_UNLESS, in + 1,
			    len - 1);
			stack[depth++] = t->nops - 1;
		} else if (len > 0 && in[0] == '/') {
			if (depth == 0 || strlen(t->ops[stack[depth - 1]].s) !=
			    len - 1 || strncmp(t->ops[stack[depth - 1]].s,
			    in + 1, len - 1) != 0)
				goto bad;
			push(t, OP_END, in + 1, len - 1);
			t->ops[stack[--depth]].jump = t->nops - 1;
		} else if (len > 0 && in[0] == '&') {
			if (!valid_name(in + 1, len - 1))
				goto bad;
			push(t, OP_RAW, in + 1, len - 1);
		} else if (len > 0 && in[0] == '%') {
			if (!valid_name(in + 1, len - 1))
				goto bad;
			push(t, OP_BIDI, in + 1, len - 1);
		} else if (len > 0 && in[0] == '>') {
			if (!valid_name(in + 1, len - 1))
				goto bad;
			push(t, OP_PART, in + 1, len - 1);
		} else {
			if (!valid_name(in, len))
				goto bad;
			push(t, OP_VAR, in, len);
		}
		for (const char *q = open; q < close; q++)
			line += *q == '\n';
		p = close + 2;
	}
	if (depth != 0) {
		snprintf(err, errlen, "%s: section {{%s}} is not closed",
		    t->name, t->ops[stack[depth - 1]].s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "%s:%d: bad tag {{%.*s}}", t->name, line,
	    (int)len, in);
	return -1;
}

int
tmpl_load_one(const char *name, const char *text, char *err, size_t errlen)
{
	struct tmpl t;

	memset(&t, 0, sizeof(t));
	t.name = xstrdup(name);
	if (compile(&t, text, err, errlen) == -1) {
		free_one(&t);
		return -1;
	}
	tmpls = xrealloc(tmpls, (ntmpls + 1) * sizeof(*tmpls));
	tmpls[ntmpls++] = t;
	return 0;
}

int
tmpl_load(const char *dir, char *err, size_t errlen)
{
	struct dirent *de;
	struct buf b;
	char path[2048], name[256], chunk[4096];
	size_t n, len;
	FILE *f;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	buf_init(&b);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || len >= sizeof(name) ||
		    strcmp(de->d_name + len - 5, ".html") != 0)
			continue;
		memcpy(name, de->d_name, len - 5);
		name[len - 5] = '\0';
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			rc = -1;
			break;
		}
		buf_reset(&b);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&b, chunk, n);
		fclose(f);
		rc = tmpl_load_one(name, b.p ? b.p : "", err, errlen);
	}
	closedir(d);
	buf_free(&b);
	return rc;
}

void
tmpl_free(void)
{
	size_t i;

	for (i = 0; i < ntmpls; i++)
		free_one(&tmpls[i]);
	free(tmpls);
	tmpls = NULL;
	ntmpls = 0;
}

static const struct tmpl *
find(const char *name)
{
	size_t i;

	for (i = 0; i < ntmpls; i++)
		if (strcmp(tmpls[i].name, name) == 0)
			return &tmpls[i];
	return NULL;
}

int
tmpl_exists(const char *name)
{
	return find(name) != NULL;
}

static void
set(struct tmpl_vars *vars, const char *name, const char *value, int raw)
{
	size_t i;

	for (i = 0; i < vars->n; i++)
		if (strcmp(vars->v[i].name, name) == 0)
			break;
	if (i == vars->n) {
		if (vars->n == TMPL_MAXVARS)
			log_fatalx("tmpl_set: too many variables (%s)", name);
		vars->n++;
	}
	vars->v[i].name = name;
	vars->v[i].value = value;
	vars->v[i].raw = raw;
}

void
tmpl_set(struct tmpl_vars *vars, const char *name, const char *value)
{
	set(vars, name, value, 0);
}

void
tmpl_set_raw(struct tmpl_vars *vars, const char *name, const char *html)
{
	set(vars, name, html, 1);
}

void
tmpl_set_int(struct tmpl_vars *vars, struct arena *a, const char *name,
    long long v)
{
	set(vars, name, arena_printf(a, "%lld", v), 0);
}

static const char *
lookup(const struct tmpl_vars *vars, const char *name, int *raw)
{
	size_t i;

	for (i = 0; vars != NULL && i < vars->n; i++)
		if (strcmp(vars->v[i].name, name) == 0) {
			if (raw != NULL)
				*raw = vars->v[i].raw;
			return vars->v[i].value;
		}
	return NULL;
}

const char *
tmpl_var(const struct tmpl_vars *vars, const char *name)
{
	return lookup(vars, name, NULL);
}

/*
 * depth: 1 inside a partial, where no other partial is rendered, so that
 * no template can recurse or multiply its work.
 */
static int
render(struct buf *out, const char *name, enum lang lang,
    const struct tmpl_vars *vars, int depth)
{
	const struct tmpl *t;
	const struct op_t *o;
	const char *v;
	size_t i;
	int raw;

	if ((t = find(name)) == NULL || depth > 1) {
		log_warnx("tmpl_render: no template %s", name);
		return -1;
	}
	for (i = 0; i < t->nops; i++) {
		o = &t->ops[i];
		switch (o->op) {
		case OP_TEXT:
			buf_append(out, o->s, o->len);
			break;
		case OP_TR:
			html_txt(out, i18n_get(lang, o->s));
			break;
		case OP_VAR:
			html_txt(out, lookup(vars, o->s, NULL));
			break;
		case OP_RAW:
			raw = 0;
			v = lookup(vars, o->s, &raw);
			/* A plain value never becomes markup by accident. */
			if (raw)
				buf_puts(out, v ? v : "");
			else
				html_txt(out, v);
			break;
		case OP_BIDI:
			html_txt_bidi(out, lookup(vars, o->s, NULL));
			break;
		case OP_PART:
			if (render(out, o->s, lang, vars, depth + 1) == -1)
				return -1;
			break;
		case OP_IF:
		case OP_UNLESS:
			v = lookup(vars, o->s, NULL);
			if ((v != NULL && *v != '\0') != (o->op == OP_IF))
				i = o->jump;
			break;
		case OP_END:
			break;
		}
	}
	return 0;
}

int
tmpl_render(struct buf *out, const char *name, enum lang lang,
    const struct tmpl_vars *vars)
{
	return render(out, name, lang, vars, 0);
}
