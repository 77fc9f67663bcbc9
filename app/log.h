/*
 * Logging: one line per event on stderr (or the configured files), in
 * key=value form with UTC times, so operators can grep and parse them.
 * Values written through log_kv are CR/LF- and quote-safe.
 */
#ifndef MAGNET_LOG_H
#define MAGNET_LOG_H

#include <stdio.h>

void	log_init(const char *prog);
int	log_open_access(const char *path);
int	log_open_error(const char *path);
void	log_set_debug(int);
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	log_fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* One access-log line; every string is quoted and escaped. */
void	log_access(const char *ip, const char *method, const char *path,
	    int status, size_t bytes, double ms, long long user_id);
/* Copy s into dst escaping quotes, backslashes and control bytes. */
void	log_escape(char *dst, size_t dstlen, const char *s);
/* Milliseconds on the monotonic clock, for durations and time-outs. */
long long mono_ms(void);

#endif
