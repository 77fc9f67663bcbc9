/*
 * The markdown broker and its client (see mdb.h).  A request is the
 * source's length (4 bytes, big-endian) and the source; the answer is
 * the length of what follows (4 bytes), a status byte (enum md_err) and
 * the sanitised HTML.  The broker renders with md_render, so the limits,
 * the time-out, the recycling of workers and the sanitiser are md.c's;
 * what comes back over the socket is already safe HTML.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "md.h"
#include "mdb.h"

/* How long a new md worker may take to start (md.c), for the client's
 * deadline: a render may wait for a free worker, for one to start, and
 * then run, each up to its own limit. */
#define SPAWN_MS	5000
#define MAX_CLIENTS	256

static struct sockaddr_un addr;		/* the broker's abstract name */
static char parent_env[32];
static socklen_t addrlen;
static pid_t broker = -1;

static __thread int cfd = -1;		/* this thread's connection */

/* Send or receive exactly n bytes before the deadline (mono_ms), or
 * without one (deadline 0): 0, or -1 on EOF, error or time-out. */
static int
io_all(int fd, void *p, size_t n, long long deadline, int out)
{
	struct pollfd pfd;
	size_t done = 0;
	long long left;
	ssize_t r;

	while (done < n) {
		if (out)
			r = send(fd, (char *)p + done, n - done,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
		else
			r = recv(fd, (char *)p + done, n - done, MSG_DONTWAIT);
		if (r > 0) {
			done += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR))
			return -1;
		if (errno == EINTR)
			continue;
		pfd.fd = fd;
		pfd.events = out ? POLLOUT : POLLIN;
		left = deadline ? deadline - mono_ms() : -1;
		if (deadline && left <= 0)
			return -1;
		if (poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left) == -1 &&
		    errno != EINTR)
			return -1;
	}
	return 0;
}

/* ---- the parent ---- */

void
mdb_limits(struct md_limits *l, int workers, int timeout_ms, const char *exe)
{
	memset(l, 0, sizeof(*l));
	l->max_src = 80000;	/* bytes: 20,000 characters of Sorani */
	l->max_depth = 8;
	l->timeout_ms = timeout_ms;
	l->mem_limit = 256UL << 20;
	l->workers = workers;
	l->recycle_after = 1000;
	l->self_exe = exe;
	/* Workers start at their first render, as the unprivileged user. */
	l->lazy = 1;
}

int
mdb_start(const char *exe, const char *user, int workers, int timeout_ms)
{
	static char arg0[] = "magnet-md", arg1[] = "md-broker";
	char nw[16], tm[16], *argv[6];
	extern char **environ;
	int fd, exe_fd;
	pid_t pid;

	/* The broker checks it has not already lost its parent. */
	snprintf(parent_env, sizeof(parent_env), "MAGNET_MD_PARENT=%d",
	    (int)getpid());
	if (putenv(parent_env) != 0) {
		log_warn("md-broker: putenv");
		return -1;
	}
	snprintf(nw, sizeof(nw), "%d", workers);
	snprintf(tm, sizeof(tm), "%d", timeout_ms);
	argv[0] = arg0;
	argv[1] = arg1;
	argv[2] = (char *)(uintptr_t)user;
	argv[3] = nw;
	argv[4] = tm;
	argv[5] = NULL;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_warn("md-broker: socket");
		return -1;
	}
	/* An abstract name the kernel picks: nothing in the file system,
	 * so it is reachable from a chroot, and never a stale file. */
	memset(&addr, 0, sizeof(addr));
	addr.sun_family = AF_UNIX;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(sa_family_t)) == -1 ||
	    listen(fd, MAX_CLIENTS) == -1) {
		log_warn("md-broker: bind");
		close(fd);
		return -1;
	}
	addrlen = sizeof(addr);
	if (getsockname(fd, (struct sockaddr *)&addr, &addrlen) == -1) {
		log_warn("md-broker: getsockname");
		close(fd);
		return -1;
	}
	if ((exe_fd = open(exe, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("md-broker: %s", exe);
		close(fd);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_warn("md-broker: fork");
		close(fd);
		close(exe_fd);
		return -1;
	}
	if (pid == 0) {
		/* Ends with us even before it has started (the broker sets
		 * it again once it has changed user, which clears it). */
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* The listening socket as descriptor 3, our binary as 4
		 * (closed by the exec), nothing else. */
		if (exe_fd == 3 && (exe_fd = fcntl(exe_fd, F_DUPFD, 5)) == -1)
			_exit(127);
		if (dup2(fd, 3) == -1 || fcntl(3, F_SETFD, 0) == -1 ||
		    dup2(exe_fd, 4) == -1 || fcntl(4, F_SETFD, FD_CLOEXEC) == -1)
			_exit(127);
		(void)syscall(SYS_close_range, 5U, ~0U, 0U);
		(void)syscall(SYS_execveat, 4, "", argv, environ,
		    AT_EMPTY_PATH);
		_exit(127);
	}
	close(fd);
	close(exe_fd);
	broker = pid;
	log_info("md-broker: started, pid %d", (int)pid);
	return 0;
}

pid_t
mdb_pid(void)
{
	return broker;
}

void
mdb_stop(void)
{
	int i, status;

	if (broker <= 0)
		return;
	(void)kill(broker, SIGTERM);
	/* Renders in flight end within their time-out. */
	for (i = 0; i < 100; i++) {
		if (waitpid(broker, &status, WNOHANG) != 0)
			break;
		usleep(50000);
	}
	if (i == 100) {
		(void)kill(broker, SIGKILL);
		(void)waitpid(broker, &status, 0);
	}
	broker = -1;
}

/* ---- the broker ---- */

static int stop_pipe[2] = { -1, -1 };
static pthread_mutex_t clients_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct {
	pthread_t	 thread;
	int		 fd;		/* -1: free slot */
	int		 done;
} clients[MAX_CLIENTS];

static void
on_term(int sig)
{
	char c = 0;

	(void)sig;
	if (write(stop_pipe[1], &c, 1) == -1)
		return;		/* full: the loop is waking anyway */
}

/* One connection: renders until the client closes it. */
static void *
serve_client(void *arg)
{
	struct md_limits l;
	struct buf src, out;
	unsigned char hdr[5];
	uint32_t n;
	long slot = (long)(intptr_t)arg;
	int fd = clients[slot].fd;
	enum md_err st;

	md_limits_current(&l);
	buf_init(&src);
	buf_init(&out);
	for (;;) {
		if (io_all(fd, hdr, 4, 0, 0) == -1)
			break;
		/* A source over the limit is refused by md_render; more
		 * than that is not a client of ours. */
		if ((n = buf_be32_get(hdr)) > l.max_src + 16)
			break;
		buf_reset(&src);
		buf_grow(&src, n);
		if (n > 0 && io_all(fd, src.p, n, 0, 0) == -1)
			break;
		src.len = n;
		buf_reset(&out);
		st = md_render(src.p != NULL ? src.p : "", n, &out);
		buf_be32_put(hdr, (uint32_t)(out.len + 1));
		hdr[4] = (unsigned char)st;
		if (io_all(fd, hdr, 5, 0, 1) == -1 ||
		    io_all(fd, out.p, out.len, 0, 1) == -1)
			break;
	}
	buf_free(&src);
	buf_free(&out);
	pthread_mutex_lock(&clients_mtx);
	clients[slot].done = 1;
	pthread_mutex_unlock(&clients_mtx);
	return NULL;
}

/* Only our own user (the workers) and root may ask for renders. */
static int
peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return 0;
	return cr.uid == 0 || cr.uid == geteuid();
}

/* Reap the threads of closed connections; with all, every one. */
static void
reap_clients(int all)
{
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		pthread_mutex_lock(&clients_mtx);
		if (clients[i].fd == -1 || (!all && !clients[i].done)) {
			pthread_mutex_unlock(&clients_mtx);
			continue;
		}
		if (all && !clients[i].done)
			(void)shutdown(clients[i].fd, SHUT_RDWR);
		pthread_mutex_unlock(&clients_mtx);
		pthread_join(clients[i].thread, NULL);
		close(clients[i].fd);
		clients[i].fd = -1;
		clients[i].done = 0;
	}
}

static int
clients_left(void)
{
	int i, n = 0;

	pthread_mutex_lock(&clients_mtx);
	for (i = 0; i < MAX_CLIENTS; i++)
		n += clients[i].fd != -1;
	pthread_mutex_unlock(&clients_mtx);
	return n;
}

static int
drop_to(const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		log_warnx("md-broker: no such user \"%s\"", user);
		return -1;
	}
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1) {
		log_warn("md-broker: dropping privileges to %s", user);
		return -1;
	}
	return 0;
}

/*
 * The broker proper: serve renders on lfd until SIGTERM or until parent
 * (the supervisor below) goes.  Returns the exit status.
 */
static int
broker_serve(pid_t parent, int lfd, const struct md_limits *lim)
{
	struct sigaction sa;
	struct pollfd pfd[2];
	long long deadline;
	int i, fd, rc = 0;

	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	if (pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_warn("md-broker: pipe");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (md_init(lim) == -1) {
		log_warnx("md-broker: the markdown workers did not start");
		return 1;
	}
	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	pfd[1].fd = stop_pipe[0];
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, 1000) == -1 && errno != EINTR) {
			log_warn("md-broker: poll");
			rc = 1;
			break;
		}
		if (pfd[1].revents != 0 || getppid() != parent)
			break;
		reap_clients(0);
		if (!(pfd[0].revents & POLLIN))
			continue;
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
			continue;
		if (!peer_ok(fd)) {
			log_warnx("md-broker: refused a client of another user");
			close(fd);
			continue;
		}
		pthread_mutex_lock(&clients_mtx);
		for (i = 0; i < MAX_CLIENTS && clients[i].fd != -1; i++)
			;
		if (i < MAX_CLIENTS) {
			clients[i].fd = fd;
			clients[i].done = 0;
			if (pthread_create(&clients[i].thread, NULL,
			    serve_client, (void *)(intptr_t)i) != 0) {
				clients[i].fd = -1;
				i = MAX_CLIENTS;
			}
		}
		pthread_mutex_unlock(&clients_mtx);
		if (i == MAX_CLIENTS) {
			log_warnx("md-broker: too many clients");
			close(fd);
		}
	}
	/* Stopping (the server stops, or its parent is gone): no new
	 * client, but the workers' requests in flight still get their
	 * renders while the workers finish them (Kore's workers take at
	 * most ten seconds), then whoever is left is cut off. */
	close(lfd);
	for (deadline = mono_ms() + 12000; mono_ms() < deadline; ) {
		reap_clients(0);
		if (clients_left() == 0)
			break;
		usleep(20000);
	}
	reap_clients(1);
	md_shutdown();
	return rc;
}

/* A broker that lived less than this is restarted only after a pause,
 * doubled each time up to BACKOFF_MAX_MS, so a crash loop costs little. */
#define BACKOFF_MIN_MS	100
#define BACKOFF_MAX_MS	5000
#define SHORT_LIFE_MS	1000

/*
 * The broker runs in a child of this process, which starts it again
 * whenever it dies: a crash in the broker costs the renders in flight,
 * not every render until the server is restarted.  The listening
 * socket stays open here, so its name never changes and the Kore
 * workers' connections wait in its backlog while a new broker starts.
 * SIGTERM (or the server gone) is passed on, and waited for.
 */
static int
supervise(pid_t parent, const struct md_limits *lim)
{
	sigset_t set, old;
	struct timespec ts;
	long long now, started = 0, next = 0, pause = 0, wait_ms;
	pid_t self = getpid(), child = -1, pid;
	int sig, status, stopping = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (;;) {
		now = mono_ms();
		if (child == -1 && !stopping && now >= next) {
			started = now;
			if ((child = fork()) == 0) {
				sigprocmask(SIG_SETMASK, &old, NULL);
				(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
				(void)prctl(PR_SET_NAME, "md-broker");
				if (getppid() != self)
					_exit(0);
				_exit(broker_serve(self, 3, lim));
			}
			if (child == -1) {
				log_warn("md-broker: fork");
				next = now + BACKOFF_MAX_MS;
			}
		}
		wait_ms = child == -1 && !stopping ? next - now : 1000;
		if (wait_ms < 1)
			wait_ms = 1;
		if (wait_ms > 1000)
			wait_ms = 1000;
		ts.tv_sec = wait_ms / 1000;
		ts.tv_nsec = (wait_ms % 1000) * 1000000L;
		sig = sigtimedwait(&set, NULL, &ts);
		if (!stopping && (sig == SIGTERM || sig == SIGINT ||
		    getppid() != parent)) {
			stopping = 1;
			if (child > 0)
				(void)kill(child, SIGTERM);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid != child)
				continue;
			child = -1;
			if (stopping)
				break;
			if (WIFSIGNALED(status))
				log_warnx("md-broker: the broker (pid %d) died of "
				    "signal %d; starting another", (int)pid,
				    WTERMSIG(status));
			else
				log_warnx("md-broker: the broker (pid %d) exited "
				    "with status %d; starting another", (int)pid,
				    WEXITSTATUS(status));
			if (mono_ms() - started < SHORT_LIFE_MS)
				pause = pause == 0 ? BACKOFF_MIN_MS :
				    pause * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
				    pause * 2;
			else
				pause = 0;
			next = mono_ms() + pause;
		}
		if (stopping && child == -1)
			return 0;
	}
}

int
mdb_broker_main(const char *user, const struct md_limits *lim)
{
	const char *env = getenv("MAGNET_MD_PARENT");
	pid_t parent = env != NULL ? (pid_t)atoi(env) : getppid();

	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (drop_to(user) == -1)
		return 1;
	/* Go when the server goes (a changed uid clears this, so after). */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return 0;
	return supervise(parent, lim);
}

/* ---- the client, in Kore's workers ---- */

static int
client_connect(void)
{
	int fd;

	if (addrlen == 0)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, addrlen) == -1) {
		log_warn("md-broker: connect");
		close(fd);
		return -1;
	}
	return fd;
}

void
mdb_close(void)
{
	if (cfd != -1)
		close(cfd);
	cfd = -1;
}

/*
 * One request and its answer on fd: 0, or -1 with *early set when the
 * connection failed before any time passed (a broker that restarted or
 * closed an idle connection: worth one fresh try).
 */
static int
exchange(int fd, const struct md_limits *l, const char *src, size_t len,
    struct buf *out, enum md_err *rc, int *early)
{
	unsigned char hdr[5];
	long long start = mono_ms(), deadline;
	uint32_t n;

	deadline = start + 2LL * l->timeout_ms + SPAWN_MS + 1000;
	buf_be32_put(hdr, (uint32_t)len);
	*early = 0;
	if (io_all(fd, hdr, 4, deadline, 1) == -1 ||
	    io_all(fd, (void *)(uintptr_t)src, len, deadline, 1) == -1 ||
	    io_all(fd, hdr, 5, deadline, 0) == -1) {
		*early = mono_ms() - start < 100;
		return -1;
	}
	n = buf_be32_get(hdr);
	if (n < 1 || hdr[4] >= MD__MAX ||
	    n - 1 > l->max_src * MD_OUT_FACTOR + 4096)
		return -1;
	buf_grow(out, n - 1);
	if (n > 1 && io_all(fd, out->p + out->len, n - 1, deadline, 0) == -1)
		return -1;
	*rc = (enum md_err)hdr[4];
	if (*rc == MD_OK) {
		out->len += n - 1;
		out->p[out->len] = '\0';
	}
	return 0;
}

enum md_err
mdb_render(const char *src, size_t len, struct buf *out)
{
	struct md_limits l;
	enum md_err rc;
	int tries, early, reused;

	if ((rc = md_check(src, len)) != MD_OK)
		return rc;
	md_limits_current(&l);
	for (tries = 0; tries < 2; tries++) {
		reused = cfd != -1;
		if (cfd == -1 && (cfd = client_connect()) == -1)
			return MD_FAILED;
		if (exchange(cfd, &l, src, len, out, &rc, &early) == 0)
			return rc;
		mdb_close();
		if (!(early && reused))
			break;
	}
	log_warnx("md-broker: no answer");
	return MD_FAILED;
}
