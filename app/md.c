/*
 * Rendering markdown.  discount 2.2.7 is not safe on its own: with
 * MKD_NOHTML javascript: links survive, images skip the link check,
 * deep nesting overflows its stack, some inputs take seconds and it
 * leaks.  So the source is checked first (md_check.c: length, UTF-8, no
 * NUL, nesting depth), discount runs with every optional feature that
 * is not needed switched off, in a pool of helper processes ("magnet-md
 * md-worker", here) with memory, CPU and system-call limits that are
 * killed on a timeout and replaced after a number of renders, and its
 * output is treated as hostile: it is rebuilt through an allow-list of
 * tags and attributes, escaping every byte of text (md_clean.c).
 *
 * Protocol between server and worker, over a socketpair that is the
 * worker's stdin and stdout: a request is a 4-byte big-endian length and
 * the markdown; a reply is a 4-byte big-endian length n >= 1, a status
 * byte (enum md_err) and n - 1 bytes of raw discount HTML.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mkdio.h>

#include "buf.h"
#include "log.h"
#include "md.h"

/* Sanitizer runtimes need address space and system calls of their own. */
#if defined(__SANITIZE_ADDRESS__)
#define MD_SANITIZED	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define MD_SANITIZED	1
#endif
#endif

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__)) && \
    !defined(MD_SANITIZED)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#define MD_SECCOMP	1
#endif

/*
 * The discount features a forum post needs, and nothing else: no raw
 * HTML, no pseudo-protocols, no images, no div quotes, no style blocks,
 * no smarty quotes, tables, superscript, alphabetic or definition lists,
 * no pandoc header (it would swallow a first line starting with %).
 * Fenced code and bare http:// links are on because people paste both.
 */
#define MD_FLAGS	(MKD_NOHTML | MKD_SAFELINK | MKD_NO_EXT |	\
	    MKD_NOIMAGE | MKD_NODIVQUOTE | MKD_NOSTYLE | MKD_NOPANTS |	\
	    MKD_NOTABLES | MKD_NOSUPERSCRIPT | MKD_NOALPHALIST |	\
	    MKD_NODLIST | MKD_NOHEADER | MKD_EXPLICITLIST |		\
	    MKD_FENCEDCODE | MKD_AUTOLINK)

#define MD_ENV		"MAGNET_MD"

enum wfail {
	WF_SEND,
	WF_TIMEOUT,
	WF_EOF,
	WF_FRAME
};

static const char *const wfail_str[] = {
	"could not be written to",
	"timed out",
	"died or closed its socket",
	"sent a bad frame"
};

/* The largest raw discount reply accepted, and the largest result. */
static size_t
raw_cap(const struct md_limits *l)
{
	return l->max_src * 64 + 65536;
}

static size_t
out_cap(const struct md_limits *l)
{
	return l->max_src * MD_OUT_FACTOR + 4096;
}

/* discount itself, raw output appended to out.  Not thread-safe. */
static int
discount(const char *src, size_t len, struct buf *out)
{
	MMIOT *doc;
	char *html = NULL;
	int n, rc = -1;

	if (len > INT_MAX)
		return -1;
	if ((doc = mkd_string(src, (int)len, MD_FLAGS)) == NULL)
		return -1;
	if (!mkd_compile(doc, MD_FLAGS))
		goto out;
	if ((n = mkd_document(doc, &html)) < 0)
		goto out;
	if (n > 0 && html != NULL)
		buf_append(out, html, (size_t)n);
	rc = 0;
out:
	mkd_cleanup(doc);
	return rc;
}

/* discount and md_clean in this process (tests, the fuzzer, seeding). */
static pthread_mutex_t inproc_mtx = PTHREAD_MUTEX_INITIALIZER;

int
md_render_inproc(const char *src, size_t len, struct buf *out)
{
	struct buf raw;
	int rc;

	buf_init(&raw);
	pthread_mutex_lock(&inproc_mtx);
	rc = discount(src, len, &raw);
	pthread_mutex_unlock(&inproc_mtx);
	if (rc == 0)
		(void)md_clean(raw.p != NULL ? raw.p : "", raw.len, out);
	buf_free(&raw);
	return rc;
}

/* ---- frames ---- */

/* Blocking read of exactly n bytes: n, 0 at a clean EOF, or -1. */
static ssize_t
read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
write_full(int fd, const void *p, size_t n)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = write(fd, (const char *)p + done, n - done);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* ---- the worker ---- */

/* Limits as md_init wrote them into MAGNET_MD; defaults otherwise. */
static void
worker_limits(struct md_limits *l)
{
	struct md_limits in;
	unsigned long long src, mem;
	int depth, tmo;
	const char *e;

	md_limits_default(l);
	if ((e = getenv(MD_ENV)) == NULL)
		return;
	if (sscanf(e, "%llu:%d:%d:%llu", &src, &depth, &tmo, &mem) != 4) {
		log_warnx("md-worker: bad %s", MD_ENV);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.max_src = (size_t)src;
	in.max_depth = depth;
	in.timeout_ms = tmo;
	in.mem_limit = (size_t)mem;
	md_limits_fill(l, &in);
}

static int
worker_rlimits(const struct md_limits *l)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		log_warn("md-worker: RLIMIT_CORE");
		return -1;
	}
#ifndef MD_SANITIZED
	rl.rlim_cur = rl.rlim_max = l->mem_limit;
	if (setrlimit(RLIMIT_AS, &rl) == -1) {
		log_warn("md-worker: RLIMIT_AS");
		return -1;
	}
#else
	(void)l;
#endif
	return 0;
}

/*
 * Around each render: an alarm on the process's CPU clock, the timeout
 * and one second from now; off again when the render is done.  The
 * server kills a late worker itself; this ends one that outlives the
 * server in a loop.  ITIMER_PROF runs on the clock the kernel charges
 * CPU time to, which gains on getrusage(2)'s on a loaded machine (a
 * third here), so a budget of "used so far plus the timeout" as
 * RLIMIT_CPU killed workers well inside the timeout after a few hundred
 * renders.  SIGPROF's default action ends the worker.
 */
static void
worker_cpu_alarm(const struct md_limits *l, int on)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	if (on) {
		it.it_value.tv_sec = l->timeout_ms / 1000 + 1;
		it.it_value.tv_usec = (l->timeout_ms % 1000) * 1000;
	}
	(void)setitimer(ITIMER_PROF, &it, NULL);
}

#ifdef MD_SECCOMP
#if defined(__x86_64__)
#define MD_AUDIT_ARCH	AUDIT_ARCH_X86_64
#else
#define MD_AUDIT_ARCH	AUDIT_ARCH_AARCH64
#endif
#define SC_ALLOW(nr)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),		\
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
#define SC_ERRNO(nr, e)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),		\
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (e))

/*
 * After start-up the worker only reads, writes, allocates and exits:
 * anything else (a socket to the database, exec, open) kills it, and
 * memory can never be made executable.  A compromised discount gets no
 * further than its own process.
 */
static int
worker_seccomp(void)
{
	static struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, MD_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		SC_ALLOW(__NR_read),
		SC_ALLOW(__NR_write),
		SC_ALLOW(__NR_close),
		SC_ALLOW(__NR_exit),
		SC_ALLOW(__NR_exit_group),
		SC_ALLOW(__NR_brk),
		SC_ALLOW(__NR_munmap),
		SC_ALLOW(__NR_mremap),
		SC_ALLOW(__NR_madvise),
		SC_ALLOW(__NR_futex),
		SC_ALLOW(__NR_rt_sigreturn),
		SC_ALLOW(__NR_rt_sigprocmask),
		SC_ALLOW(__NR_setitimer),
		SC_ALLOW(__NR_clock_gettime),
		SC_ALLOW(__NR_gettimeofday),
		SC_ALLOW(__NR_getpid),
		/* glibc's qsort asks for the machine's memory before sorting
		 * more than 1 KiB (discount sorts a text's references). */
		SC_ALLOW(__NR_sysinfo),
		SC_ALLOW(__NR_gettid),
		SC_ALLOW(__NR_tgkill),
		SC_ALLOW(__NR_restart_syscall),
		SC_ALLOW(__NR_newfstatat),
		SC_ALLOW(__NR_fstat),
#ifdef __NR_time
		SC_ALLOW(__NR_time),
#endif
		SC_ERRNO(__NR_openat, EACCES),
#ifdef __NR_open
		SC_ERRNO(__NR_open, EACCES),
#endif
		/* mmap and mprotect, but never with PROT_EXEC */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = (unsigned short)(sizeof(f) / sizeof(f[0])),
		.filter = f,
	};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
		return -1;
	return 0;
}
#else
static int
worker_seccomp(void)
{
	return 0;
}
#endif

int
md_worker_main(void)
{
	struct md_limits l;
	struct buf in, raw;
	unsigned char hdr[5];
	uint32_t n;
	ssize_t r;
	int rc = 1;
	enum md_err st;

	log_init("magnet-md md-worker");
	signal(SIGPIPE, SIG_DFL);
	signal(SIGPROF, SIG_DFL);
	/* Nothing of the server's may stay open in here. */
	(void)close_range(3, ~0U, 0);
	tzset();	/* the log's clock reads /etc/localtime once, now */
	worker_limits(&l);
	buf_init(&in);
	buf_init(&raw);
	if (worker_rlimits(&l) == -1)
		goto out;
	if (worker_seccomp() == -1)
		log_warn("md-worker: seccomp filter not installed");
	/* Ready: the server starts a render's clock only after this. */
	if (write_full(1, "R", 1) == -1)
		goto out;
	for (;;) {
		if ((r = read_full(0, hdr, 4)) == 0) {
			rc = 0;
			break;
		}
		if (r == -1)
			goto out;
		if ((n = buf_be32_get(hdr)) > l.max_src) {
			log_warnx("md-worker: request of %u bytes refused", n);
			goto out;
		}
		buf_reset(&in);
		buf_grow(&in, n);
		if (n > 0 && read_full(0, in.p, n) != (ssize_t)n)
			goto out;
		in.len = n;
		buf_reset(&raw);
		if ((st = md_check_limits(&l, in.p, n)) == MD_OK) {
			worker_cpu_alarm(&l, 1);
			r = discount(in.p, n, &raw);
			worker_cpu_alarm(&l, 0);
			if (r == -1)
				st = MD_FAILED;
			else if (raw.len > raw_cap(&l))
				st = MD_TOO_LONG;
			if (st != MD_OK)
				buf_reset(&raw);
		}
		buf_be32_put(hdr, (uint32_t)(raw.len + 1));
		hdr[4] = (unsigned char)st;
		if (write_full(1, hdr, 5) == -1 ||
		    write_full(1, raw.p, raw.len) == -1)
			goto out;
	}
out:
	/* _exit: discount's leaks are the process's to drop, not LSan's. */
	_exit(rc);
}

/* ---- the pool, in the server ---- */

struct worker {
	pid_t	pid;		/* -1 when not running */
	uid_t	uid;		/* the server's euid when it was started */
	int	fd;		/* our end of the socketpair */
	int	renders;
	int	busy;		/* its thread alone may touch pid and fd */
};

static pthread_mutex_t	 pool_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 pool_cv;
static int		 pool_cv_ready;
static struct worker	*pool_w;
static int		 pool_n;
static int		 pool_up;
static struct md_limits	 pool_lim;
static char		*pool_exe;
static int		 pool_exe_fd = -1;

/* How long a new worker may take to say it is ready. */
#define SPAWN_TIMEOUT_MS	5000
static char		 pool_envbuf[4][512];
static char		*pool_env[5];

/* The child's whole environment: its limits and sanitizer options. */
static void
pool_env_build(const struct md_limits *l)
{
	static const char *const pass[] = {
		"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"
	};
	const char *v;
	size_t i, klen, vlen;
	int n = 0;

	snprintf(pool_envbuf[n], sizeof(pool_envbuf[n]), "%s=%zu:%d:%d:%zu",
	    MD_ENV, l->max_src, l->max_depth, l->timeout_ms, l->mem_limit);
	pool_env[n] = pool_envbuf[n];
	n++;
	for (i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
		if ((v = getenv(pass[i])) == NULL ||
		    (klen = strlen(pass[i])) + (vlen = strlen(v)) + 2 >
		    sizeof(pool_envbuf[n]))
			continue;
		memcpy(pool_envbuf[n], pass[i], klen);
		pool_envbuf[n][klen] = '=';
		memcpy(pool_envbuf[n] + klen + 1, v, vlen + 1);
		pool_env[n] = pool_envbuf[n];
		n++;
	}
	pool_env[n] = NULL;
}

/*
 * Start a worker on a fresh socketpair.  The child gets the socket as
 * stdin and stdout, keeps stderr for the log, and nothing else: every
 * other descriptor is closed, signals are back to their defaults and it
 * has a process group of its own, so a ^C to the server's terminal does
 * not reach it (it ends at EOF when the server goes).
 */
static int
worker_spawn(struct worker *w)
{
	static char arg0[] = "magnet-md", arg1[] = "md-worker";
	char *argv[] = { arg0, arg1, NULL };
	static const int defsigs[] = { SIGPIPE, SIGPROF, SIGCHLD, SIGINT,
	    SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t none, all, old;
	struct pollfd pfd;
	pid_t pid;
	size_t i;
	char ready;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn("md: socketpair");
		return -1;
	}
	/*
	 * fork and execveat(2) on the descriptor opened at start-up, not
	 * posix_spawn on a path: after the privilege drop the path may lie
	 * under a directory the new user cannot enter.  Between fork and
	 * exec the child makes only async-signal-safe calls.
	 */
	sigfillset(&all);
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = fork();
	if (pid == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		for (i = 0; i < sizeof(defsigs) / sizeof(defsigs[0]); i++)
			sigaction(defsigs[i], &sa, NULL);
		setpgid(0, 0);
		if (dup2(sv[1], 0) == -1 || dup2(sv[1], 1) == -1)
			_exit(127);
		if (pool_exe_fd > 3)
			syscall(SYS_close_range, 3U, (unsigned int)pool_exe_fd - 1,
			    0U);
		syscall(SYS_close_range, (unsigned int)pool_exe_fd + 1, ~0U, 0U);
		sigprocmask(SIG_SETMASK, &none, NULL);
		syscall(SYS_execveat, pool_exe_fd, "", argv, pool_env,
		    AT_EMPTY_PATH);
		_exit(127);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	if (pid == -1) {
		log_warn("md: fork for md-worker");
		close(sv[0]);
		return -1;
	}
	/*
	 * Wait for the worker's ready byte, so that the time it takes to
	 * start (a sanitizer build takes a while) never counts against the
	 * render that follows.
	 */
	pfd.fd = sv[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, SPAWN_TIMEOUT_MS) != 1 || read(sv[0], &ready, 1) != 1 ||
	    ready != 'R') {
		log_warnx("md: worker %d did not start", (int)pid);
		close(sv[0]);
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, NULL, 0);
		return -1;
	}
	pthread_mutex_lock(&pool_mtx);
	w->pid = pid;
	w->uid = geteuid();
	w->fd = sv[0];
	w->renders = 0;
	pthread_mutex_unlock(&pool_mtx);
	return 0;
}

/*
 * Stop and reap a worker; why == NULL for a routine recycle.  Closing
 * the socket first matters for a worker started as root before the
 * privilege drop, which we may no longer signal: idle, it exits at EOF;
 * busy, its CPU alarm ends it within the timeout and a second.
 */
static void
worker_kill(struct worker *w, const char *why)
{
	pid_t pid = w->pid;
	int status = 0;

	if (pid <= 0)
		return;
	close(w->fd);
	(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	pthread_mutex_lock(&pool_mtx);
	w->pid = -1;
	w->fd = -1;
	pthread_mutex_unlock(&pool_mtx);
	if (why == NULL)
		log_debug("md: worker %d recycled", (int)pid);
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		log_warnx("md: worker %d %s, killed by signal %d", (int)pid,
		    why, WTERMSIG(status));
	else if (WIFEXITED(status))
		log_warnx("md: worker %d %s, exit status %d", (int)pid, why,
		    WEXITSTATUS(status));
	else
		log_warnx("md: worker %d %s, killed", (int)pid, why);
}

/*
 * Make sure w runs.  An idle worker never speaks: anything readable
 * means it is gone.  One started before the server dropped its
 * privileges is replaced, so workers run as root only until first used.
 */
static int
worker_ready(struct worker *w)
{
	struct pollfd pfd;

	if (w->pid > 0 && w->uid != geteuid())
		worker_kill(w, NULL);
	if (w->pid > 0) {
		pfd.fd = w->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) == 0)
			return 0;
		worker_kill(w, "was found dead");
	}
	return worker_spawn(w);
}

/* Wait for fd to be ready for ev until the deadline: 0, or -1 timed out. */
static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd pfd;
	long long left;
	int r;

	for (;;) {
		if ((left = deadline - mono_ms()) <= 0)
			return -1;
		pfd.fd = fd;
		pfd.events = ev;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return -1;
	}
}

/* MSG_NOSIGNAL: a dead worker gives EPIPE here, never SIGPIPE. */
static int
send_all(int fd, const void *p, size_t n, long long deadline,
    enum wfail *why)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = send(fd, (const char *)p + done, n - done,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline) == -1) {
				*why = WF_TIMEOUT;
				return -1;
			}
			continue;
		}
		*why = WF_SEND;
		return -1;
	}
	return 0;
}

static int
recv_all(int fd, void *p, size_t n, long long deadline, enum wfail *why)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, (char *)p + got, n - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0) {
			*why = WF_EOF;
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if (wait_fd(fd, POLLIN, deadline) == -1) {
				*why = WF_TIMEOUT;
				return -1;
			}
			continue;
		}
		*why = WF_EOF;
		return -1;
	}
	return 0;
}

/* One request and its reply; raw gets discount's HTML.  0 or -1. */
static int
worker_call(struct worker *w, const struct md_limits *l, const char *src,
    size_t len, struct buf *raw, enum md_err *st, enum wfail *why)
{
	unsigned char hdr[4], status;
	long long deadline = mono_ms() + l->timeout_ms;
	uint32_t n;

	buf_be32_put(hdr, (uint32_t)len);
	if (send_all(w->fd, hdr, 4, deadline, why) == -1 ||
	    send_all(w->fd, src, len, deadline, why) == -1)
		return -1;
	if (recv_all(w->fd, hdr, 4, deadline, why) == -1 ||
	    recv_all(w->fd, &status, 1, deadline, why) == -1)
		return -1;
	n = buf_be32_get(hdr);
	if (n < 1 || n - 1 > raw_cap(l) || status >= MD__MAX ||
	    (status != MD_OK && n != 1)) {
		*why = WF_FRAME;
		return -1;
	}
	buf_grow(raw, n - 1);
	if (recv_all(w->fd, raw->p + raw->len, n - 1, deadline, why) == -1)
		return -1;
	raw->len += n - 1;
	raw->p[raw->len] = '\0';
	*st = (enum md_err)status;
	return 0;
}

/* Take an idle worker, waiting at most timeout_ms; NULL if none. */
static struct worker *
pool_acquire(struct md_limits *l)
{
	struct timespec ts;
	struct worker *w = NULL;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&pool_mtx);
	if (pool_up) {
		*l = pool_lim;
		ts.tv_sec += l->timeout_ms / 1000;
		ts.tv_nsec += (long)(l->timeout_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
	}
	while (pool_up) {
		for (i = 0; i < pool_n; i++)
			if (!pool_w[i].busy)
				break;
		if (i < pool_n) {
			w = &pool_w[i];
			w->busy = 1;
			break;
		}
		if (pthread_cond_timedwait(&pool_cv, &pool_mtx, &ts) ==
		    ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&pool_mtx);
	return w;
}

static void
pool_release(struct worker *w)
{
	pthread_mutex_lock(&pool_mtx);
	w->busy = 0;
	pthread_cond_broadcast(&pool_cv);
	pthread_mutex_unlock(&pool_mtx);
}

/* The pool's limits in *l, when it is running: 1, else 0. */
static int
pool_limits(struct md_limits *l)
{
	int up;

	pthread_mutex_lock(&pool_mtx);
	if ((up = pool_up))
		*l = pool_lim;
	pthread_mutex_unlock(&pool_mtx);
	return up;
}

/*
 * Replace idle workers that died (killed from outside, out of memory),
 * so that none stays a zombie until its next use, and those started
 * before the privilege drop.  One poll per render.
 */
static void
pool_sweep(void)
{
	struct pollfd pfd[MD_MAX_WORKERS];
	int pidx[MD_MAX_WORKERS], idx[MD_MAX_WORKERS], i, n = 0, dead = 0;
	uid_t uid = geteuid();

	pthread_mutex_lock(&pool_mtx);
	for (i = 0; pool_up && i < pool_n; i++) {
		if (pool_w[i].busy || pool_w[i].pid <= 0)
			continue;
		if (pool_w[i].uid != uid) {
			pool_w[i].busy = 1;
			idx[dead++] = i;
			continue;
		}
		pfd[n].fd = pool_w[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		pidx[n++] = i;
	}
	if (n > 0 && poll(pfd, (nfds_t)n, 0) > 0)
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0) {
				pool_w[pidx[i]].busy = 1;
				idx[dead++] = pidx[i];
			}
	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < dead; i++) {
		worker_kill(&pool_w[idx[i]], pool_w[idx[i]].uid != uid ?
		    NULL : "was found dead");
		(void)worker_spawn(&pool_w[idx[i]]);
		pool_release(&pool_w[idx[i]]);
	}
}

enum md_err
md_render(const char *src, size_t len, struct buf *out)
{
	struct md_limits l;
	struct worker *w = NULL;
	struct buf raw;
	size_t mark = out->len;
	enum md_err rc;
	enum wfail why;

	buf_init(&raw);
	if (!pool_limits(&l)) {
		log_warnx("md: render before md_init");
		return MD_FAILED;
	}
	if ((rc = md_check_limits(&l, src, len)) != MD_OK)
		return rc;
	if ((w = pool_acquire(&l)) == NULL) {
		log_warnx("md: no worker free within %d ms", l.timeout_ms);
		rc = MD_FAILED;
		goto out;
	}
	if (worker_ready(w) == -1) {
		rc = MD_FAILED;
		goto out;
	}
	if (worker_call(w, &l, src, len, &raw, &rc, &why) == -1) {
		worker_kill(w, wfail_str[why]);
		(void)worker_spawn(w);
		rc = MD_FAILED;
		goto out;
	}
	if (++w->renders >= l.recycle_after) {
		worker_kill(w, NULL);
		(void)worker_spawn(w);
	}
	if (rc != MD_OK)
		goto out;
	/* md_check_depth is an estimate; this is the real nesting. */
	if (md_clean(raw.p != NULL ? raw.p : "", raw.len, out) > l.max_depth)
		rc = MD_TOO_DEEP;
	else if (out->len - mark > out_cap(&l))
		rc = MD_TOO_LONG;
out:
	if (w != NULL) {
		pool_release(w);
		pool_sweep();
	}
	if (rc != MD_OK && out->p != NULL) {
		out->len = mark;
		out->p[mark] = '\0';
	}
	buf_free(&raw);
	return rc;
}

/* Stop every worker; called with pool_mtx held and no worker busy. */
static void
pool_stop(void)
{
	int i;

	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < pool_n; i++)
		worker_kill(&pool_w[i], NULL);
	pthread_mutex_lock(&pool_mtx);
	free(pool_w);
	pool_w = NULL;
	pool_n = 0;
	free(pool_exe);
	pool_exe = NULL;
	if (pool_exe_fd != -1)
		close(pool_exe_fd);
	pool_exe_fd = -1;
}

int
md_init(const struct md_limits *in)
{
	pthread_condattr_t ca;
	int i, rc = -1;

	pthread_mutex_lock(&pool_mtx);
	if (pool_up || pool_w != NULL) {
		log_warnx("md: md_init called twice");
		goto out;
	}
	if (!pool_cv_ready) {
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&pool_cv, &ca);
		pthread_condattr_destroy(&ca);
		pool_cv_ready = 1;
	}
	md_limits_fill(&pool_lim, in);
	if (access(pool_lim.self_exe, X_OK) == -1 || (pool_exe_fd =
	    open(pool_lim.self_exe, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("md: %s", pool_lim.self_exe);
		goto out;
	}
	pool_exe = xstrdup(pool_lim.self_exe);
	pool_lim.self_exe = pool_exe;
	pool_env_build(&pool_lim);
	pool_n = pool_lim.workers;
	pool_w = xcalloc((size_t)pool_n, sizeof(*pool_w));
	for (i = 0; i < pool_n; i++) {
		pool_w[i].pid = -1;
		pool_w[i].fd = -1;
	}
	/* spawn takes the lock to publish each pid */
	pthread_mutex_unlock(&pool_mtx);
	for (i = 0; i < pool_n && !pool_lim.lazy; i++)
		if (worker_spawn(&pool_w[i]) == -1)
			break;
	if (pool_lim.lazy)
		i = pool_n;
	pthread_mutex_lock(&pool_mtx);
	if (i < pool_n) {
		pool_stop();
		goto out;
	}
	pool_up = 1;
	rc = 0;
	/* md_check, for a render or alone, applies the pool's limits. */
	md_configure(in);
out:
	pthread_mutex_unlock(&pool_mtx);
	return rc;
}

void
md_shutdown(void)
{
	int i, busy;

	pthread_mutex_lock(&pool_mtx);
	if (pool_w == NULL) {
		pthread_mutex_unlock(&pool_mtx);
		return;
	}
	pool_up = 0;
	pthread_cond_broadcast(&pool_cv);
	for (;;) {
		for (busy = 0, i = 0; i < pool_n; i++)
			busy += pool_w[i].busy;
		if (busy == 0)
			break;
		pthread_cond_wait(&pool_cv, &pool_mtx);
	}
	pool_stop();
	pthread_mutex_unlock(&pool_mtx);
}

int
md_worker_pids(pid_t *pids, int n)
{
	int i, k = 0;

	pthread_mutex_lock(&pool_mtx);
	for (i = 0; i < pool_n && k < n; i++)
		if (pool_w[i].pid > 0)
			pids[k++] = pool_w[i].pid;
	pthread_mutex_unlock(&pool_mtx);
	return k;
}

static int
plain_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Skip a line's block markers: quotes, headings, list items. */
static const char *
plain_line_start(const char *p)
{
	const char *q;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '>') {
			p++;
			continue;
		}
		if (*p == '#') {
			for (q = p; *q == '#'; q++)
				;
			if (*q == ' ' || *q == '\t') {
				p = q;
				continue;
			}
			return p;
		}
		if ((*p == '-' || *p == '*' || *p == '+') &&
		    (p[1] == ' ' || p[1] == '\t')) {
			p += 2;
			continue;
		}
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		if (q > p && q - p < 10 && (*q == '.' || *q == ')') &&
		    (q[1] == ' ' || q[1] == '\t')) {
			p = q + 2;
			continue;
		}
		return p;
	}
}

void
md_plain(struct buf *out, const char *src)
{
	const char *p = src, *q;
	int space = 1;	/* the last byte written was a space (or none) */

	p = plain_line_start(p);
	while (*p != '\0') {
		switch (*p) {
		case '\n':
		case '\r':
		case '\t':
		case ' ':
			if (!space)
				buf_puts(out, " ");
			space = 1;
			if (*p == '\n' || *p == '\r')
				p = plain_line_start(p + 1);
			else
				p++;
			continue;
		case '*':
		case '`':
		case '~':
			p++;
			continue;
		case '_':
			if (p == src || !plain_alnum((unsigned char)p[-1]) ||
			    !plain_alnum((unsigned char)p[1])) {
				p++;
				continue;
			}
			break;
		case '!':
			if (p[1] == '[') {
				p++;
				continue;
			}
			break;
		case '[':
			/* The text of [text](target) stays, the brackets go. */
			q = p + 1;
			while (*q != '\0' && *q != '\n' && *q != ']')
				q++;
			if (*q == ']' && q[1] == '(') {
				p++;
				continue;
			}
			break;
		case ']':
			if (p[1] == '(') {
				/* The target goes; a hit mark in it stays. */
				for (p += 2; *p != '\0' && *p != ')' &&
				    *p != '\n'; p++)
					if (*p == '\001' || *p == '\002')
						buf_append(out, p, 1);
				if (*p == ')')
					p++;
				continue;
			}
			break;
		}
		buf_append(out, p, 1);
		space = 0;
		p++;
	}
}
