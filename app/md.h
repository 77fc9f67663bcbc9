/*
 * The markdown pipeline: limits, discount, allow-list sanitiser.  Posts
 * are rendered once, when saved, and the HTML is stored.  discount runs
 * in helper processes ("magnet-md md-worker") with memory and CPU limits,
 * so a crash, a hang or a leak in it cannot touch the server; what comes
 * back is treated as hostile and passed through md_clean, whose output
 * is the only markdown-derived HTML that ever reaches a page.
 *
 * Three files share this header: md_check.c (the checks on the source
 * and the limits), md_clean.c (the sanitiser) and md.c (discount, its
 * workers and their pool; the only file that includes mkdio.h).
 */
#ifndef MAGNET_MD_H
#define MAGNET_MD_H

#include <stddef.h>
#include <sys/types.h>

struct buf;

enum md_err {
	MD_OK = 0,
	MD_EMPTY,
	MD_TOO_LONG,
	MD_TOO_DEEP,
	MD_BAD_UTF8,
	MD_FAILED,
	MD__MAX
};

struct md_limits {
	size_t	 max_src;	/* bytes of markdown source, default 20000 */
	int	 max_depth;	/* nesting of quotes/lists, default 8 */
	int	 timeout_ms;	/* per render, default 2000 */
	size_t	 mem_limit;	/* worker RLIMIT_AS bytes, default 256 MiB */
	int	 workers;	/* worker processes, default 2 */
	int	 recycle_after;	/* renders before a worker is replaced */
	int	 lazy;		/* start workers at their first render, e.g.
				 * after the server has dropped root */
	const char *self_exe;	/* the magnet binary, default /proc/self/exe */
};

#define MD_DEFAULT_MAX_SRC	20000
#define MD_DEFAULT_MAX_DEPTH	8
#define MD_DEFAULT_TIMEOUT_MS	2000
#define MD_DEFAULT_MEM_LIMIT	((size_t)256 << 20)
#define MD_DEFAULT_WORKERS	2
#define MD_DEFAULT_RECYCLE	1000
#define MD_MAX_DEPTH_CAP	64	/* larger max_depth values are clamped */
#define MD_MAX_WORKERS		64
/* Sanitised HTML may be at most this many times the source, plus 4 KiB. */
#define MD_OUT_FACTOR		16

/* ---- md_check.c: the source and the limits ---- */

/* Fill in the defaults; zero fields given to md_init also mean default. */
void		 md_limits_default(struct md_limits *);
/* in's fields into l, defaults for zero ones, clamped (in may be NULL). */
void		 md_limits_fill(struct md_limits *l, const struct md_limits *in);
/* The limits md_check applies (md_init sets them too, for its pool). */
void		 md_configure(const struct md_limits *);
/* The limits in force: the last md_init's or md_configure's, else the
 * defaults. */
void		 md_limits_current(struct md_limits *);
/* Only the checks md_render makes before rendering: for form validation. */
enum md_err	 md_check(const char *src, size_t len);
/* The same checks against the limits l. */
enum md_err	 md_check_limits(const struct md_limits *l, const char *src,
		    size_t len);
/*
 * 1 if quotes and lists seem to nest no deeper than max_depth, else 0:
 * a cheap line-by-line estimate made before discount runs (fuzzing
 * found it off by at most a factor of two on crafted input; md_render
 * then checks the nesting of discount's output exactly).
 */
int		 md_check_depth(const char *src, size_t len, int max_depth);
/* 1 if src is UTF-8 with no NUL byte, else 0. */
int		 md_check_utf8(const char *src, size_t len);
/* Length of the valid UTF-8 sequence at p (1 to 4), or 0: no overlong
 * forms, no surrogates, nothing above U+10FFFF. */
size_t		 md_check_utf8_seq(const unsigned char *p, size_t n);
/* English message for an error; these are the translation msgids. */
const char	*md_err_msgid(enum md_err);

/* ---- md_clean.c: the sanitiser ---- */

/*
 * Allow-list filter: p br hr em strong code pre blockquote ul ol li del
 * and a (href only: http, https, mailto or relative; rel="nofollow ugc
 * noopener" added).  h1-h6 become h3-h6: a post sits under the page's
 * own headings.  Every other tag is dropped, all text is escaped, and
 * the output is balanced.  Appends to out; returns how deep blockquote,
 * ul and ol nest in it.
 */
int		 md_clean(const char *html, size_t len, struct buf *out);

/* ---- md.c: discount in its workers ---- */

/*
 * Start the workers (NULL means all defaults).  Call once at start-up,
 * before or after the privilege drop: respawned workers run as whatever
 * user the server is by then.  0 or -1.
 */
int		 md_init(const struct md_limits *);
/* Wait for renders in flight, then stop and reap every worker. */
void		 md_shutdown(void);

/*
 * Check the limits, render in a worker, sanitise; append safe HTML to
 * out (out is left as it was on any error).  Thread-safe.  Never raises
 * SIGPIPE: the workers are reached over a socketpair with MSG_NOSIGNAL.
 */
enum md_err	 md_render(const char *src, size_t len, struct buf *out);
/*
 * Markdown source as plain text, for a search result's snippet: line
 * markers (#, >, -, *, +, 1.), emphasis and code marks and link targets
 * are left out, lines are joined with a space.  The bytes \1 and \2
 * (ts_headline's hit marks) are kept.  Not HTML: escape what comes out.
 */
void		 md_plain(struct buf *out, const char *src);
/*
 * The body of "magnet-md md-worker": framed requests on stdin, framed
 * replies on stdout, limits from the MAGNET_MD environment variable that
 * md_init passes.  Applies RLIMIT_AS, a CPU alarm (per render) and
 * RLIMIT_CORE=0, and a seccomp filter where available.  Returns the exit
 * status for main().
 */
int		 md_worker_main(void);

/*
 * discount and md_clean in this process, no limits checked: for the
 * fuzzer, tests and seeding only.  Serialised by a mutex.  0 or -1.
 */
int		 md_render_inproc(const char *src, size_t len, struct buf *out);

/* For tests: the pids of running workers (up to n); returns the count. */
int		 md_worker_pids(pid_t *pids, int n);

#endif
