/*
 * Error and access logs.  Lines are written with a single write(2) so
 * lines from different threads never interleave.  Every value that came
 * from a client is escaped: a CR or LF in a user name cannot forge a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *progname = "magnet";
static int errfd = 2;
static int accfd = 2;
static int debug;

void
log_init(const char *prog)
{
	progname = prog;
}

void
log_set_debug(int on)
{
	debug = on;
}

static int
openlog_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int
log_open_access(const char *path)
{
	int fd;

	if ((fd = openlog_file(path)) == -1)
		return -1;
	accfd = fd;
	return 0;
}

int
log_open_error(const char *path)
{
	int fd;

	if ((fd = openlog_file(path)) == -1)
		return -1;
	errfd = fd;
	return 0;
}

static void
stamp(char *dst, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	if (len < 32)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(dst, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(dst + n, len - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

void
log_escape(char *dst, size_t dstlen, const char *s)
{
	size_t o = 0;
	unsigned char c;

	if (dstlen == 0)
		return;
	for (; s != NULL && *s != '\0' && o + 5 < dstlen; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(dst + o, dstlen - o, "\\x%02x", c);
		} else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

static void
vlog(int fd, const char *level, const char *fmt, va_list ap, int with_errno)
{
	char line[2048], ts[40], msg[1536], safe[1536];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_escape(safe, sizeof(safe), msg);
	stamp(ts, sizeof(ts));
	if (with_errno)
		snprintf(line, sizeof(line), "time=%s level=%s prog=%s msg=\"%s: %s\"\n",
		    ts, level, progname, safe, strerror(saved));
	else
		snprintf(line, sizeof(line), "time=%s level=%s prog=%s msg=\"%s\"\n",
		    ts, level, progname, safe);
	if (write(fd, line, strlen(line)) < 0) {
		/* Nowhere left to report it. */
	}
	errno = saved;
}

#define LOGFN(name, level, err, cond)			\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
	if (!(cond))					\
		return;					\
	va_start(ap, fmt);				\
	vlog(errfd, level, fmt, ap, err);		\
	va_end(ap);					\
}

LOGFN(log_debug, "debug", 0, debug)
LOGFN(log_info, "info", 0, 1)
LOGFN(log_warn, "warn", 1, 1)
LOGFN(log_warnx, "warn", 0, 1)

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(errfd, "fatal", fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
log_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(errfd, "fatal", fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void
log_access(const char *ip, const char *method, const char *path, int status,
    size_t bytes, double ms, long long user_id)
{
	char line[1400], ts[40], sip[64], smethod[32], spath[1024];

	stamp(ts, sizeof(ts));
	log_escape(sip, sizeof(sip), ip);
	log_escape(smethod, sizeof(smethod), method);
	log_escape(spath, sizeof(spath), path);
	snprintf(line, sizeof(line),
	    "time=%s ip=\"%s\" method=\"%s\" path=\"%s\" status=%d bytes=%zu "
	    "ms=%.2f user=%lld\n", ts, sip, smethod, spath, status, bytes, ms,
	    user_id);
	if (write(accfd, line, strlen(line)) < 0) {
		/* Nowhere left to report it. */
	}
}

long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
