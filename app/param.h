/*
 * Declared parameters, after Kore: each route lists the fields it reads,
 * with a type and limits.  Everything else the client sent is ignored.
 * Values are checked once, before the handler runs; the handler reads
 * them through typed getters and finds each problem next to its field.
 */
#ifndef MAGNET_PARAM_H
#define MAGNET_PARAM_H

struct arena;
struct request;

enum ptype {
	P_LINE,		/* one line of text: trimmed, CR/LF become spaces */
	P_TEXT,		/* several lines (a post body): CRLF becomes LF */
	P_INT,		/* a whole number in [min, max] */
	P_ENUM,		/* one of choices */
	P_SECRET,	/* a password: kept byte for byte, never trimmed */
	P_SLUG		/* lower-case letters, digits, '-', '.', '_'; not
			 * starting with '.' */
};

enum psrc { P_QUERY, P_FORM, P_PATH };

struct param {
	const char		*name;
	enum ptype		 type;
	enum psrc		 src;
	long long		 min;	/* characters, or the lowest number */
	long long		 max;	/* characters, or the highest number */
	int			 required;
	const char *const	*choices;	/* P_ENUM, NULL-terminated */
};

/* The path parameters of route patterns, {id} and {slug}. */
extern const struct param param_path_id;
extern const struct param param_path_slug;

void		 param_validate(struct request *);
const char	*param_str(struct request *, const char *);
long long	 param_int(struct request *, const char *);
int		 param_present(struct request *, const char *);
/* The translated problem with the field, or NULL. */
const char	*param_err(struct request *, const char *);
/* Set a problem found by the handler (a msgid). */
void		 param_set_err(struct request *, const char *, const char *);
/*
 * The same, for a msgid with one or two %s (or %1$s, %2$s) standing for
 * something to type ("such as %s"), kept out of the msgid so that it is
 * shown left to right, as typed, in every language.
 */
void		 param_set_err_ex(struct request *, const char *,
		    const char *, const char *, const char *);
/*
 * A web address typed without its scheme ("example.com/jobs": no colon
 * before the first slash, a dot in the host) gets "https://" in front;
 * anything else comes back as it was.  The caller keeps the completed
 * address only when it passes its check, so a refused one comes back to
 * the form as it was typed.
 */
const char	*param_url_fill(struct request *, const char *);
/* The problem as HTML, its examples in <bdi dir="ltr"><code>; or NULL. */
const char	*param_err_html(struct request *, const char *);
/* Validate one value as the declared type; for tests and the fuzzer.
 * Returns the msgid of the problem or NULL; *out gets the clean value. */
const char	*param_check(struct arena *, const struct param *,
		    const char *, size_t, const char **out, long long *num);
/* Render a markdown field through the workers (md.c): 0 and *html (in
 * the request's arena), or -1 with the problem set on the field. */
int		 param_markdown(struct request *, const char *field,
		    const char *src, const char **html);
/* Number of code points in a UTF-8 string. */
size_t		 param_utf8_len(const char *);

#endif
