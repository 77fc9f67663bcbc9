/*
 * Escaping by context, after cgit: text, attribute, URL argument, JSON.
 * These are the only functions that put request-derived bytes into a
 * response; everything else is built on them.
 */
#ifndef MAGNET_HTML_H
#define MAGNET_HTML_H

#include <stddef.h>

struct buf;

void	html_txt(struct buf *, const char *);
void	html_ntxt(struct buf *, const char *, size_t);
void	html_attr(struct buf *, const char *);
void	html_url_arg(struct buf *, const char *);
/* A path: as html_url_arg, but the slashes kept. */
void	html_url_path(struct buf *, const char *);
/* A JSON string literal with quotes; safe inside <script> too. */
void	html_json(struct buf *, const char *);
/* 1 when s[0..len) is well-formed UTF-8 with no NUL and no C0 control
 * other than tab, CR and LF. */
int	html_utf8_ok(const char *, size_t);

/* Right-to-left layout of numbers and examples (the bidi algorithm
 * reverses the groups of "+964 750 123 4567" among Arabic letters). */
/* A digit at u (ASCII, Arabic-Indic, Extended Arabic-Indic): its length. */
size_t	html_digit_len(const unsigned char *, size_t);
/* A phone number or amount in spaced groups at p: its length, or 0. */
size_t	html_number_run(const char *, size_t);
/* Text, with such numbers in <bdi dir="ltr">. */
void	html_txt_bidi(struct buf *, const char *);
/* Text with the hits of a search between \1 and \2 (ts_headline's
 * marks): escaped, the hits in <mark>. */
void	html_marked(struct buf *, const char *);
/* Something to type, as typed: <bdi dir="ltr"><code>s</code></bdi>. */
void	html_example(struct buf *, const char *);
/* A translated sentence, escaped, with %s / %1$s and %2$s replaced by
 * ex1 and ex2 as html_example (a NULL example is left out). */
void	html_fill(struct buf *, const char *, const char *, const char *);

#endif
