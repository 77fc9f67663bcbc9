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

#endif
