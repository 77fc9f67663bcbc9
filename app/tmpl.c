/*
 * The template engine.  Each file is compiled once into a flat list of
 * operations; rendering walks it with a stack of scopes: the page's
 * variables at the bottom, one scope per list being looped (a result's
 * row with the hook's values, or an item).  Unknown syntax, unbalanced
 * sections, missing partials and partials that include themselves stop
 * the server at start-up with the file and line, so a broken template
 * never reaches a user.  Names are hashed when compiled and when set, so
 * a lookup compares integers first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "tmpl.h"


enum op { OP_TEXT, OP_VAR, OP_RAW, OP_BIDI, OP_NUM, OP_TIME, OP_PART,
    OP_TR, OP_IF, OP_ANY, OP_UNLESS, OP_END };

struct op_t {
	enum op		 op;
	char		*s;	/* text, name or msgid */
	size_t		 len;
	unsigned	 hash;	/* of a name */
	size_t		 jump;	/* IF/UNLESS: index of the matching END */
	int		 line;
};

struct tmpl {
	char		*name;
	struct op_t	*ops;
	size_t		 nops;
};

static struct tmpl *tmpls;
static size_t ntmpls;

#define MAXPART		8	/* partials within partials */
#define MAXSCOPE	16	/* lists within lists */
#define MAXCOLS		64	/* columns hashed for a loop */

/* PostgreSQL's type oids for the values that can be false. */
#define BOOLOID		16
#define INT8OID		20
#define INT2OID		21
#define INT4OID		23
#define NUMERICOID	1700

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
push(struct tmpl *t, enum op op, const char *s, size_t len, int line)
{
	struct op_t *o;

	t->ops = xrealloc(t->ops, (t->nops + 1) * sizeof(*t->ops));
	o = &t->ops[t->nops++];
	o->op = op;
	o->s = xmalloc(len + 1);
	memcpy(o->s, s, len);
	o->s[len] = '\0';
	o->len = len;
	o->hash = hash(o->s);
	o->jump = 0;
	o->line = line;
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

/* The tags that take a name after one sigil character. */
static const struct {
	char	 sigil;
	enum op	 op;
} sigils[] = {
	{ '&', OP_RAW }, { '%', OP_BIDI }, { '+', OP_NUM }, { '@', OP_TIME },
	{ '>', OP_PART },
};

static int
compile(struct tmpl *t, const char *text, char *err, size_t errlen)
{
	size_t stack[32], depth = 0, len, k;
	const char *p = text, *open, *close, *in;
	int line = 1;

	while (*p != '\0') {
		if ((open = strstr(p, "{{")) == NULL) {
			push(t, OP_TEXT, p, strlen(p), line);
			break;
		}
		if (open > p)
			push(t, OP_TEXT, p, (size_t)(open - p), line);
		for (const char *q = p; q < open; q++)
			line += *q == '\n';
		if ((close = strstr(open + 2, "}}")) == NULL) {
			snprintf(err, errlen, "%s:%d: unclosed {{", t->name,
			    line);
			return -1;
		}
		in = open + 2;
		len = (size_t)(close - in);
		for (k = 0; k < sizeof(sigils) / sizeof(sigils[0]); k++)
			if (len > 0 && in[0] == sigils[k].sigil)
				break;
		if (len >= 2 && in[0] == '_' && in[1] == ' ') {
			push(t, OP_TR, in + 2, len - 2, line);
		} else if (len > 0 && (in[0] == '#' || in[0] == '^' ||
		    in[0] == '?')) {
			if (!valid_name(in + 1, len - 1) || depth == 32)
				goto bad;
			push(t, in[0] == '#' ? OP_IF : in[0] == '?' ? OP_ANY :
			    OP_UNLESS, in + 1, len - 1, line);
			stack[depth++] = t->nops - 1;
		} else if (len > 0 && in[0] == '/') {
			if (depth == 0 || strlen(t->ops[stack[depth - 1]].s) !=
			    len - 1 || strncmp(t->ops[stack[depth - 1]].s,
			    in + 1, len - 1) != 0)
				goto bad;
			push(t, OP_END, in + 1, len - 1, line);
			t->ops[stack[--depth]].jump = t->nops - 1;
		} else if (k < sizeof(sigils) / sizeof(sigils[0])) {
			if (!valid_name(in + 1, len - 1))
				goto bad;
			push(t, sigils[k].op, in + 1, len - 1, line);
		} else {
			if (!valid_name(in, len))
				goto bad;
			push(t, OP_VAR, in, len, line);
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
	if (rc == 0)
		rc = tmpl_check(err, errlen);
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

/* Depth-first through the partials: a missing one, a loop, or nesting
 * deeper than rendering allows is an error. */
static int
check_one(const struct tmpl *t, const struct tmpl **path, int depth,
    char *err, size_t errlen)
{
	const struct tmpl *p;
	size_t i;
	int k;

	for (i = 0; i < t->nops; i++) {
		if (t->ops[i].op != OP_PART)
			continue;
		if ((p = find(t->ops[i].s)) == NULL) {
			snprintf(err, errlen, "%s:%d: no partial %s", t->name,
			    t->ops[i].line, t->ops[i].s);
			return -1;
		}
		for (k = 0; k <= depth; k++)
			if (path[k] == p) {
				snprintf(err, errlen, "%s:%d: partial %s "
				    "includes itself", t->name,
				    t->ops[i].line, p->name);
				return -1;
			}
		if (depth + 1 >= MAXPART) {
			snprintf(err, errlen, "%s:%d: partials nested more "
			    "than %d deep", t->name, t->ops[i].line, MAXPART);
			return -1;
		}
		path[depth + 1] = p;
		if (check_one(p, path, depth + 1, err, errlen) == -1)
			return -1;
	}
	return 0;
}

int
tmpl_check(char *err, size_t errlen)
{
	const struct tmpl *path[MAXPART + 1];
	size_t i;

	for (i = 0; i < ntmpls; i++) {
		path[0] = &tmpls[i];
		if (check_one(&tmpls[i], path, 0, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* Setting variables. */

void
tmpl_init(struct tmpl_vars *vars, struct arena *a)
{
	vars->arena = a;
	vars->n = 0;
	vars->cap = 0;
	vars->v = NULL;
	vars->overflow = 0;
}

static struct tmpl_var *
slot(struct tmpl_vars *vars, const char *name)
{
	struct tmpl_var *nv;
	unsigned h = name != NULL ? hash(name) : 0;
	size_t i;

	if (vars->v == NULL) {		/* zeroed, or tmpl_init'd */
		vars->v = vars->fixed;
		vars->cap = TMPL_INLINE;
	}
	for (i = 0; name != NULL && i < vars->n; i++)
		if (vars->v[i].hash == h && vars->v[i].name != NULL &&
		    strcmp(vars->v[i].name, name) == 0)
			goto found;
	if (vars->n == vars->cap) {
		if (vars->arena == NULL) {
			/* The render fails with a 500 page, not the server. */
			if (!vars->overflow)
				log_warnx("tmpl_set: more than %d variables "
				    "without an arena (%s)", TMPL_INLINE,
				    name ? name : "row");
			vars->overflow = 1;
			return NULL;
		}
		nv = arena_alloc(vars->arena, 2 * vars->cap * sizeof(*nv));
		memcpy(nv, vars->v, vars->n * sizeof(*nv));
		vars->v = nv;
		vars->cap *= 2;
	}
	i = vars->n++;
found:
	memset(&vars->v[i], 0, sizeof(vars->v[i]));
	vars->v[i].name = name;
	vars->v[i].hash = h;
	return &vars->v[i];
}

static void
set(struct tmpl_vars *vars, const char *name, const char *value, int raw)
{
	struct tmpl_var *v;

	if ((v = slot(vars, name)) == NULL)
		return;
	v->kind = raw ? TV_RAW : TV_TEXT;
	v->value = value;
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

void
tmpl_set_bool(struct tmpl_vars *vars, const char *name, int on)
{
	set(vars, name, on ? "1" : NULL, 0);
}

void
tmpl_set_rows_max(struct tmpl_vars *vars, const char *name,
    const PGresult *r, int max, tmpl_hook hook, void *ctx)
{
	struct tmpl_var *v;

	if ((v = slot(vars, name)) == NULL)
		return;
	v->kind = TV_ROWS;
	v->res = r;
	v->max = max;
	v->hook = hook;
	v->ctx = ctx;
}

void
tmpl_set_rows(struct tmpl_vars *vars, const char *name, const PGresult *r,
    tmpl_hook hook, void *ctx)
{
	tmpl_set_rows_max(vars, name, r, -1, hook, ctx);
}

/* The rows a list shows. */
static int
nrows(const struct tmpl_var *v)
{
	int n;

	if (v->res == NULL)
		return 0;
	n = PQntuples(v->res);
	return v->max >= 0 && v->max < n ? v->max : n;
}

void
tmpl_set_items(struct tmpl_vars *vars, const char *name,
    const struct tmpl_vars *items, size_t n)
{
	struct tmpl_var *v;

	if ((v = slot(vars, name)) == NULL)
		return;
	v->kind = TV_ITEMS;
	v->items = items;
	v->nitems = n;
}

void
tmpl_bind_row(struct tmpl_vars *vars, const PGresult *r, int row)
{
	struct tmpl_var *v;

	if (r == NULL || row < 0 || row >= PQntuples(r))
		return;
	if ((v = slot(vars, NULL)) == NULL)
		return;
	v->kind = TV_ROW;
	v->res = r;
	v->row = row;
}

/* Looking values up. */

/* One scope: variables, and maybe a result's row being looped. */
struct scope {
	const struct tmpl_vars	*vars;
	const PGresult		*res;
	int			 row;
	const unsigned		*colhash;	/* NULL: compare names */
	int			 ncols;
};

struct val {
	enum { V_NONE, V_TEXT, V_LIST } kind;
	const char		*s;	/* V_TEXT; NULL for SQL NULL */
	int			 raw;	/* may be written as it is */
	int			 falsy;
	const struct tmpl_var	*list;	/* V_LIST */
};

struct ctx {
	struct buf	*out;
	enum lang	 lang;
	struct arena	*arena;
	struct scope	 sc[MAXSCOPE];
	int		 nsc;
	int		 failed;
};

static int
ends_html(const char *s)
{
	size_t n = strlen(s);

	return n >= 5 && strcmp(s + n - 5, "_html") == 0;
}

static int
column(const PGresult *r, int row, int col, const char *name,
    struct val *out)
{
	const char *s;
	Oid type;

	out->kind = V_TEXT;
	out->raw = ends_html(name);
	if (PQgetisnull(r, row, col)) {
		out->s = NULL;
		out->falsy = 1;
		return 1;
	}
	s = out->s = PQgetvalue(r, row, col);
	type = PQftype(r, col);
	if (*s == '\0')
		out->falsy = 1;
	else if (type == BOOLOID)
		out->falsy = s[0] == 'f';
	else if (type == INT2OID || type == INT4OID || type == INT8OID ||
	    type == NUMERICOID)
		out->falsy = strspn(s, "0.") == strlen(s);
	else
		out->falsy = 0;
	return 1;
}

static int
find_col(const PGresult *r, const unsigned *colhash, int ncols,
    const char *name, unsigned h)
{
	int c;

	for (c = 0; c < ncols; c++)
		if ((colhash == NULL || colhash[c] == h) &&
		    strcmp(PQfname(r, c), name) == 0)
			return c;
	return -1;
}

static int
in_vars(const struct tmpl_vars *vars, const char *name, unsigned h,
    struct val *out)
{
	const struct tmpl_var *v;
	size_t i;

	if (vars == NULL)
		return 0;
	for (i = 0; i < vars->n; i++) {
		v = &vars->v[i];
		if (v->name == NULL || v->hash != h ||
		    strcmp(v->name, name) != 0)
			continue;
		if (v->kind == TV_TEXT || v->kind == TV_RAW) {
			out->kind = V_TEXT;
			out->s = v->value;
			out->raw = v->kind == TV_RAW;
			out->falsy = v->value == NULL || *v->value == '\0';
		} else {
			out->kind = V_LIST;
			out->list = v;
			out->falsy = v->kind == TV_ROWS ? nrows(v) == 0 :
			    v->nitems == 0;
		}
		return 1;
	}
	return 0;
}

static int
in_bound_rows(const struct tmpl_vars *vars, const char *name,
    struct val *out)
{
	const struct tmpl_var *v;
	size_t i;
	int c;

	if (vars == NULL)
		return 0;
	for (i = 0; i < vars->n; i++) {
		v = &vars->v[i];
		if (v->kind == TV_ROW && (c = find_col(v->res, NULL,
		    PQnfields(v->res), name, 0)) >= 0)
			return column(v->res, v->row, c, name, out);
	}
	return 0;
}

static struct val
lookup(const struct ctx *x, const char *name, unsigned h)
{
	const struct scope *s;
	struct val v;
	int i, c;

	memset(&v, 0, sizeof(v));
	v.falsy = 1;
	for (i = x->nsc - 1; i >= 0; i--) {
		s = &x->sc[i];
		if (in_vars(s->vars, name, h, &v))
			return v;
		if (s->res != NULL && (c = find_col(s->res, s->colhash,
		    s->ncols, name, h)) >= 0) {
			column(s->res, s->row, c, name, &v);
			return v;
		}
		if (in_bound_rows(s->vars, name, &v))
			return v;
	}
	return v;
}

const char *
tmpl_var(const struct tmpl_vars *vars, const char *name)
{
	struct val v;

	memset(&v, 0, sizeof(v));
	if (in_vars(vars, name, hash(name), &v) ||
	    in_bound_rows(vars, name, &v))
		return v.kind == V_TEXT ? v.s : NULL;
	return NULL;
}

/* Rendering. */

/*
 * {{@name}}: "2026-12-06T11:52:00+03:00" (magnet_time) becomes a <time>
 * saying how long ago within a week, else the local date and time; a
 * date "2026-12-06" (magnet_day) a <time> with the date in the reader's
 * digits.  Anything else is shown as text.
 */
static void
put_time(struct ctx *x, const char *s)
{
	struct tm tm;
	char local[17], sign;
	const char *at, *ago;
	int oh, om;
	time_t t;

	if (s == NULL || *s == '\0')
		return;
	memset(&tm, 0, sizeof(tm));
	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday) == 3) {
		buf_puts(x->out, "<time datetime=\"");
		html_attr(x->out, s);
		buf_puts(x->out, "\">");
		html_txt(x->out, i18n_digits(x->arena, x->lang, s));
		buf_puts(x->out, "</time>");
		return;
	}
	if (strlen(s) != 25 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d",
	    &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	    &tm.tm_sec, &sign, &oh, &om) != 9 || (sign != '+' && sign != '-')) {
		html_txt(x->out, s);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	snprintf(local, sizeof(local), "%.10s %.5s", s, s + 11);
	at = i18n_digits(x->arena, x->lang, local);
	ago = i18n_ago(x->arena, x->lang, (long long)(time(NULL) - t));
	buf_puts(x->out, "<time datetime=\"");
	html_attr(x->out, s);
	buf_puts(x->out, "\" title=\"");
	html_attr(x->out, at);
	buf_puts(x->out, "\">");
	html_txt(x->out, ago != NULL ? ago : at);
	buf_puts(x->out, "</time>");
}

static void
put_num(struct ctx *x, const char *s)
{
	char d[64], *end;
	long long n;

	if (s == NULL || *s == '\0')
		return;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || i18n_format_int(x->lang, n, d, sizeof(d)) == -1)
		html_txt(x->out, i18n_digits(x->arena, x->lang, s));
	else
		buf_puts(x->out, d);
}

static int render(struct ctx *, const struct tmpl *, size_t, size_t, int);

static int
push_scope(struct ctx *x, const struct tmpl_vars *vars, const PGresult *r,
    int row, const unsigned *colhash, int ncols)
{
	if (x->nsc == MAXSCOPE) {
		log_warnx("tmpl_render: lists nested more than %d deep",
		    MAXSCOPE);
		x->failed = 1;
		return -1;
	}
	x->sc[x->nsc].vars = vars;
	x->sc[x->nsc].res = r;
	x->sc[x->nsc].row = row;
	x->sc[x->nsc].colhash = colhash;
	x->sc[x->nsc].ncols = ncols;
	x->nsc++;
	return 0;
}

/* The body [from, to) once per row or item of a list. */
static int
loop(struct ctx *x, const struct tmpl *t, size_t from, size_t to,
    const struct tmpl_var *l, int depth)
{
	struct tmpl_vars rv;
	unsigned colhash[MAXCOLS];
	int i, n, ncols, rc = 0;

	if (l->kind == TV_ITEMS) {
		for (i = 0; rc == 0 && (size_t)i < l->nitems; i++) {
			if (push_scope(x, &l->items[i], NULL, 0, NULL, 0) == -1)
				return -1;
			rc = render(x, t, from, to, depth);
			x->nsc--;
		}
		return rc;
	}
	n = nrows(l);
	ncols = PQnfields(l->res);
	for (i = 0; i < ncols && i < MAXCOLS; i++)
		colhash[i] = hash(PQfname(l->res, i));
	for (i = 0; rc == 0 && i < n; i++) {
		tmpl_init(&rv, x->arena);
		if (l->hook != NULL)
			l->hook(l->ctx, &rv, l->res, i);
		if (push_scope(x, &rv, l->res, i, ncols <= MAXCOLS ? colhash :
		    NULL, ncols) == -1)
			return -1;
		rc = render(x, t, from, to, depth);
		x->nsc--;
	}
	return rc;
}

/*
 * depth counts partials within partials: tmpl_check refuses deeper
 * nesting at start-up, so the limit here is only a second guard.
 */
static int
render(struct ctx *x, const struct tmpl *t, size_t from, size_t to,
    int depth)
{
	const struct tmpl *p;
	const struct op_t *o;
	struct val v;
	size_t i;

	for (i = from; i < to && !x->failed; i++) {
		o = &t->ops[i];
		switch (o->op) {
		case OP_TEXT:
			buf_append(x->out, o->s, o->len);
			break;
		case OP_TR:
			html_txt(x->out, i18n_get(x->lang, o->s));
			break;
		case OP_VAR:
			v = lookup(x, o->s, o->hash);
			if (v.kind == V_TEXT)
				html_txt(x->out, v.s);
			break;
		case OP_RAW:
			v = lookup(x, o->s, o->hash);
			/* A plain value never becomes markup by accident. */
			if (v.kind == V_TEXT && v.raw)
				buf_puts(x->out, v.s ? v.s : "");
			else if (v.kind == V_TEXT)
				html_txt(x->out, v.s);
			break;
		case OP_BIDI:
			v = lookup(x, o->s, o->hash);
			if (v.kind == V_TEXT)
				html_txt_bidi(x->out, v.s);
			break;
		case OP_NUM:
			v = lookup(x, o->s, o->hash);
			if (v.kind == V_TEXT)
				put_num(x, v.s);
			break;
		case OP_TIME:
			v = lookup(x, o->s, o->hash);
			if (v.kind == V_TEXT)
				put_time(x, v.s);
			break;
		case OP_PART:
			if ((p = find(o->s)) == NULL || depth >= MAXPART) {
				log_warnx("tmpl_render: partial %s", o->s);
				x->failed = 1;
				return -1;
			}
			if (render(x, p, 0, p->nops, depth + 1) == -1)
				return -1;
			break;
		case OP_IF:
			v = lookup(x, o->s, o->hash);
			if (v.kind == V_LIST && !v.falsy &&
			    loop(x, t, i + 1, o->jump, v.list, depth) == -1)
				return -1;
			if (v.kind == V_LIST || v.falsy)
				i = o->jump;
			break;
		case OP_ANY:
			v = lookup(x, o->s, o->hash);
			if (v.falsy)
				i = o->jump;
			break;
		case OP_UNLESS:
			v = lookup(x, o->s, o->hash);
			if (!v.falsy)
				i = o->jump;
			break;
		case OP_END:
			break;
		}
	}
	return x->failed ? -1 : 0;
}

int
tmpl_render(struct buf *out, const char *name, enum lang lang,
    const struct tmpl_vars *vars)
{
	const struct tmpl *t;
	struct arena *own = NULL;
	struct ctx x;
	int rc;

	if ((t = find(name)) == NULL) {
		log_warnx("tmpl_render: no template %s", name);
		return -1;
	}
	if (vars != NULL && vars->overflow) {
		log_warnx("tmpl_render: %s: variables lost", name);
		return -1;
	}
	memset(&x, 0, sizeof(x));
	x.out = out;
	x.lang = lang;
	if (vars == NULL || (x.arena = vars->arena) == NULL)
		x.arena = own = arena_new();
	x.sc[0].vars = vars;
	x.nsc = 1;
	rc = render(&x, t, 0, t->nops, 0);
	arena_free(own);
	return rc;
}
