/*
 * The glue to Kore.  Kore listens, runs one worker process per core,
 * drops privileges, sandboxes the workers with seccomp, enforces the
 * request limits and time-outs, speaks TLS, parses requests and routes
 * them: every pattern of route.c is one Kore route to server_serve.
 *
 * A Kore worker is one event loop, and Magnet's handlers block (libpq,
 * Argon2id, a markdown render), so server_serve runs a handler on a
 * thread of the worker and puts the request to sleep; when the thread is
 * done it writes an eventfd that Kore's loop watches, and the request
 * wakes and is answered.  Threads come in three lanes, each with its own
 * database connections: pages, password hashing (R_HASH) and markdown
 * rendering (R_RENDER), so a flood of sign-ins or of hostile markdown
 * never holds up a page.  What needs no database (the stylesheet, a copy
 * from the visitors' cache, a 404 or 405) is answered in the loop.
 *
 * A handler's thread sees only the struct request built here, a copy of
 * what Kore parsed; Kore's own structures are touched only by the loop.
 */
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/seccomp.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "cache.h"
#include "conf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "mdb.h"
#include "notify.h"
#include "page.h"
#include "param.h"
#include "partner.h"
#include "request.h"
#include "route.h"
#include "server.h"

/*
 * Kore's configuration.  kodev compiles conf/<app>.conf into a single
 * binary as these two symbols; Magnet writes them at start instead, from
 * conf/magnet.conf and the route table (server_kore_conf), before Kore's
 * parent reads them.  `magnet kore-conf` prints the text.
 */
u_int8_t	asset_builtin_kore_conf[256 * 1024];
u_int32_t	asset_len_builtin_kore_conf;

/* Called by Kore by name (dlsym), so not static. */
int	server_serve(struct http_request *);
void	server_connect(struct connection *);
void	kore_worker_configure(void);
void	kore_worker_teardown(void);
void	kore_seccomp_hook(void);
void	kore_parent_teardown(void);

#define CSP	"default-src 'none'; style-src 'self'; img-src 'self' data:; " \
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; " \
		"object-src 'none'"

static const struct conf *conf;
static pid_t parent_pid;		/* Kore's parent */
static int ncpu = 1;			/* counted in the parent */

/* ---- the lanes of request threads ---- */

enum lane_id { LANE_PAGE, LANE_HASH, LANE_RENDER, LANE__MAX };
enum jstate { J_QUEUED, J_RUNNING, J_DONE };

struct job {
	struct request		*req;
	struct http_request	*kreq;		/* NULL once Kore let go */
	enum jstate		 state;		/* under done_mtx */
	int			 in_doneq;	/* under done_mtx */
	int			 cacheable;
	unsigned long		 gen;		/* the cache's generation */
	char			*key;		/* the cache key */
	struct job		*next;
};

struct lane {
	pthread_mutex_t		 mtx;
	pthread_cond_t		 cv;
	struct job		*head, *tail;
	pthread_t		*threads;
	int			 nthreads;
	int			 stopping;
};

static struct lane lanes[LANE__MAX];
static pthread_mutex_t done_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct job *done_head, *done_tail;
static atomic_int inflight;
static int stopping;		/* SIGTERM came: take no new request */
static int done_fd = -1;
static struct kore_event done_evt;

/* ---- connections per client address, across the workers ---- */

/*
 * Kore has no per-address connection limit, so the listener's connect
 * callback keeps one: counters in memory the parent maps before it forks
 * the workers, one row per worker (a worker that dies and is restarted
 * clears its own row), a column per hashed address.  Two addresses
 * sharing a column share a limit; the hash is keyed with a random key,
 * so an attacker cannot choose whom to collide with.
 */
#define IP_COLUMNS	4096

struct conn_extra {
	unsigned int	 requests;	/* answered on this connection */
	unsigned int	 column;
	int		 counted;
	int		(*read)(struct connection *, size_t *);	/* Kore's */
};

static _Atomic unsigned short (*ip_counts)[IP_COLUMNS];
static int ip_rows;		/* worker ids run from 1 */
static unsigned char ip_key[crypto_shorthash_KEYBYTES];

/* ---- the Kore configuration ---- */

static int
workers_of(const struct conf *c)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return c->workers > 0 ? c->workers : (n > 0 ? (int)n : 1);
}

void
server_kore_conf(const struct conf *c, struct buf *b)
{
	const struct route_group *g;
	char path[512];
	size_t i, n;
	int workers, per;

	workers = workers_of(c);
	per = (c->max_connections + workers - 1) / workers;
	buf_printf(b, "# Made by magnet from its configuration and the route "
	    "table.\n"
	    "server magnet {\n"
	    "\tbind %s %d server_connect\n"
	    "\ttls %s\n"
	    "}\n", c->listen_host, c->listen_port,
	    c->tls_certificate[0] != '\0' ? "yes" : "no");
	/* A worker that holds Kore's accept lock keeps it until it has
	 * accepted worker_accept_threshold connections at once: with more
	 * than one, a proxy's or a benchmark's connections, opened a few at
	 * a time, all land on one worker and one core.  One at a time they
	 * spread over the workers.  Threads are not pinned to a core. */
	buf_printf(b, "workers %d\n"
	    "worker_max_connections %d\n"
	    "worker_rlimit_nofiles %d\n"
	    "worker_accept_threshold 1\n"
	    "worker_set_affinity 0\n", workers, per, per + 256);
	/* Kore keeps a pool of this many requests a worker, made at start:
	 * no more than its connections. */
	buf_printf(b, "http_request_limit %d\n", per);
	buf_printf(b, "http_header_max %d\n"
	    "http_header_timeout %d\n"
	    "http_body_max %d\n"
	    "http_body_timeout %d\n"
	    "http_keepalive_time %d\n"
	    "http_hsts_enable %d\n"
	    "http_server_version kore\n"
	    "http_pretty_error yes\n", c->connection_memory,
	    c->header_timeout, c->max_body, c->body_timeout,
	    c->keepalive_timeout,
	    c->secure_cookies || c->tls_certificate[0] != '\0' ? 31536000 : 0);
	if (geteuid() == 0)
		buf_printf(b, "runas %s\n", c->user);
	if (c->chroot[0] != '\0')
		buf_printf(b, "chroot %s\n", c->chroot);
	buf_printf(b, "pidfile %s\n", c->pidfile);
	buf_printf(b, "seccomp_tracing %s\n", c->seccomp_tracing ? "yes" :
	    "no");
	if (c->tls_certificate[0] != '\0')
		buf_printf(b, "tls_dhparam %s\n", c->tls_dhparam);
	buf_puts(b, "domain * {\n\tattach magnet\n");
	if (c->tls_certificate[0] != '\0')
		buf_printf(b, "\tcertfile %s\n\tcertkey %s\n",
		    c->tls_certificate, c->tls_key);
	/* Literal paths first (Kore compares them with strcmp), then the
	 * patterns as regular expressions, then everything else: our 404. */
	g = route_groups(&n);
	for (i = 0; i < n; i++)
		if (strchr(g[i].pattern, '{') == NULL)
			buf_printf(b, "\troute %s server_serve\n", g[i].pattern);
	for (i = 0; i < n; i++)
		if (strchr(g[i].pattern, '{') != NULL &&
		    route_kore_path(&g[i], path, sizeof(path)) == 0)
			buf_printf(b, "\troute %s server_serve\n", path);
	buf_puts(b, "\troute ^/ server_serve\n}\n");
}

/* ---- the answer ---- */

static int
etag_matches(const struct request *req, const char *etag)
{
	const char *inm;

	inm = request_header(req, "if-none-match");
	return inm != NULL && strstr(inm, etag) != NULL;
}

/*
 * Make the bytes to send: an ETag (and 304) for a public 200, then gzip
 * for a client that takes it.  Runs on the request's thread, or in the
 * loop for what the loop answers.
 */
static void
finish(struct request *req)
{
	char *gz;
	const char *pre, *etag;
	size_t gzlen;

	if (req->content_type == NULL)
		req->content_type = "text/html; charset=utf-8";
	if (req->status == 200 && !req->personal) {
		etag = request_etag(req);
		request_set_header(req, "etag", etag);
		if (etag_matches(req, etag)) {
			req->status = 304;
			req->gzipped = 0;
			buf_reset(&req->out);
		}
	}
	req->compressible = strncmp(req->content_type, "text/", 5) == 0 ||
	    strncmp(req->content_type, "application/", 12) == 0;
	/* A visitors' copy comes gzipped once already (cache.c). */
	if (req->gzipped || !req->compressible || !request_takes_gzip(req) ||
	    req->out.len <= 512)
		return;
	if ((pre = page_static_gz(req, &gzlen)) != NULL) {
		buf_reset(&req->out);
		buf_append(&req->out, pre, gzlen);
		req->gzipped = 1;
	} else if (buf_gzip(req->out.p, req->out.len, &gz, &gzlen) == 0) {
		buf_free(&req->out);
		req->out.p = gz;
		req->out.len = req->out.cap = gzlen;
		req->gzipped = 1;
	}
}

/* HTTP's Date, made once a second. */
static const char *
http_date(void)
{
	static char date[64];
	static time_t last;
	struct tm tm;
	time_t now;

	if ((now = time(NULL)) != last) {
		gmtime_r(&now, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		last = now;
	}
	return date;
}

/* Send req's answer through Kore (the loop only). */
static void
respond(struct http_request *kreq, struct request *req)
{
	size_t i;

	http_response_header(kreq, "content-type", req->content_type);
	http_response_header(kreq, "date", http_date());
	http_response_header(kreq, "content-security-policy", CSP);
	http_response_header(kreq, "x-content-type-options", "nosniff");
	http_response_header(kreq, "x-frame-options", "DENY");
	http_response_header(kreq, "referrer-policy", "same-origin");
	http_response_header(kreq, "cross-origin-opener-policy",
	    "same-origin");
	http_response_header(kreq, "cross-origin-resource-policy",
	    "same-origin");
	http_response_header(kreq, "permissions-policy", "camera=(), "
	    "microphone=(), geolocation=(), interest-cohort=()");
	if (req->cache_forever)
		http_response_header(kreq, "cache-control",
		    "public, max-age=31536000, immutable");
	else if (req->personal || req->user != NULL)
		http_response_header(kreq, "cache-control", "no-store");
	else
		http_response_header(kreq, "cache-control", req->cache_public ?
		    "public, max-age=60" : "private, no-cache");
	if (req->compressible)
		http_response_header(kreq, "vary", "Accept-Encoding, Cookie");
	if (req->gzipped)
		http_response_header(kreq, "content-encoding", "gzip");
	for (i = 0; i < req->nhdrs_out; i++)
		http_response_header(kreq, req->hdrs_out[i].name,
		    req->hdrs_out[i].value);
	if (req->close && kreq->owner != NULL)
		kreq->owner->flags |= CONN_CLOSE_EMPTY;
	http_response(kreq, req->status, req->out.p, req->out.len);
	log_access(req->ip, req->method_name, req->path, req->status,
	    req->out.len, (double)(mono_ms() - req->start_ms),
	    req->user ? req->user->id : 0);
}

/* ---- the request from Kore ---- */

/* The language before the account is known: cookie, then browser. */
static void
pick_lang(struct request *req)
{
	const char *c;
	enum lang l;

	if ((c = request_cookie(req, COOKIE_LANG)) != NULL &&
	    i18n_from_tag(c, &l) == 0) {
		req->lang = l;
		return;
	}
	req->lang = i18n_negotiate(request_header(req, "accept-language"));
}

static void
client_ip(struct request *req, const struct connection *c)
{
	const char *xff;

	if (conf->trust_proxy && (xff = request_header(req,
	    "x-forwarded-for")) != NULL &&
	    request_forwarded_ip(xff, req->ip, sizeof(req->ip)) == 0)
		;
	else if (c != NULL && c->family == AF_INET)
		inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, req->ip,
		    sizeof(req->ip));
	else if (c != NULL && c->family == AF_INET6)
		inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, req->ip,
		    sizeof(req->ip));
	request_ip_net(req->ip, req->ip_net, sizeof(req->ip_net));
}

/*
 * Copy what a handler may read out of Kore's request: headers (Kore
 * keeps Host apart), our three cookies through Kore's cookie parser, the
 * query and the body.  Returns 0, or -1 when the request's framing is
 * one Kore let through but we refuse (two different Content-Lengths,
 * Transfer-Encoding next to Content-Length).
 */
static int
copy_request(struct request *req, struct http_request *kreq)
{
	struct http_header *hdr;
	const char *cl = NULL;
	char *v;
	size_t i;
	int te = 0;

	TAILQ_FOREACH(hdr, &kreq->req_headers, list) {
		if (strcasecmp(hdr->header, "content-length") == 0) {
			if (cl != NULL && strcmp(cl, hdr->value) != 0)
				return -1;
			cl = hdr->value;
		}
		if (strcasecmp(hdr->header, "transfer-encoding") == 0)
			te = 1;
		if (req->nhdrs == REQUEST_MAXHDRS - 1)
			continue;
		req->hdrs[req->nhdrs].key = arena_strdup(req->arena,
		    hdr->header);
		req->hdrs[req->nhdrs].val = arena_strdup(req->arena,
		    hdr->value);
		req->nhdrs++;
	}
	if (te)
		return -1;
	req->hdrs[req->nhdrs].key = "host";
	req->hdrs[req->nhdrs].val = arena_strdup(req->arena,
	    kreq->host != NULL ? kreq->host : "");
	req->nhdrs++;
	http_populate_cookies(kreq);
	for (i = 0; i < COOKIE__MAX; i++) {
		if (conf->secure_cookies) {
			if (http_request_cookie(kreq, arena_printf(req->arena,
			    "__Host-%s", request_cookie_names[i]), &v))
				req->cookies[i] = arena_strdup(req->arena, v);
		} else if (http_request_cookie(kreq, request_cookie_names[i],
		    &v))
			req->cookies[i] = arena_strdup(req->arena, v);
	}
	if (kreq->query_string != NULL &&
	    request_parse_form(req->arena, kreq->query_string,
	    strlen(kreq->query_string), req->query, REQUEST_MAXFIELDS,
	    &req->nquery) == -1)
		req->nquery = 0;	/* a malformed query is no query */
	/* Kore has rewound the body for reading: its length is apart. */
	if (kreq->http_body != NULL && kreq->http_body_length > 0 &&
	    kreq->http_body_length <= kreq->http_body->length) {
		req->body_len = kreq->http_body_length;
		req->body = arena_strndup(req->arena,
		    (const char *)kreq->http_body->data, req->body_len);
	}
	return 0;
}

/* The group of routes Kore matched, by the route it matched. */
static const struct route_group *
group_of(const struct http_request *kreq)
{
	static struct {
		const void			*hdlr;
		const struct route_group	*g;
	} seen[512];
	static size_t nseen;
	const struct route_group *g;
	char path[512];
	size_t i, n;

	for (i = 0; i < nseen; i++)
		if (seen[i].hdlr == kreq->hdlr)
			return seen[i].g;
	g = route_groups(&n);
	for (i = 0; i < n; i++) {
		if (route_kore_path(&g[i], path, sizeof(path)) == 0 &&
		    strcmp(path, kreq->hdlr->path) == 0)
			break;
	}
	if (nseen < sizeof(seen) / sizeof(seen[0])) {
		seen[nseen].hdlr = kreq->hdlr;
		seen[nseen++].g = i < n ? &g[i] : NULL;
	}
	return i < n ? &g[i] : NULL;
}

static int
not_found(struct request *req)
{
	auth_csrf_prepare(req);
	return page_error(req, 404, N_("There is nothing at this address. It "
	    "may have been moved or removed."));
}

static int
bad_method(struct request *req, const struct route_group *g)
{
	auth_csrf_prepare(req);
	request_set_header(req, "allow", g->get != NULL && g->post != NULL ?
	    "GET, HEAD, POST" : g->get != NULL ? "GET, HEAD" : "POST");
	return page_error(req, 405, N_("This method is not allowed here."));
}

/* A visitor's way to a page for members: sign in, then come back. */
static int
to_login(struct request *req)
{
	struct buf b;
	char *loc;

	buf_init(&b);
	buf_puts(&b, "/login?next=");
	html_url_arg(&b, req->path);
	loc = arena_buf(req->arena, &b);
	buf_free(&b);
	return request_redirect(req, loc);
}

/* ---- the handler's side, on a thread ---- */

/* Session, CSRF, access and parameters, then the handler. */
static int
dispatch(struct request *req)
{
	const char *ct;

	if (req->route->flags & R_NODB)
		return req->route->handler(req);
	if (auth_session_load(req) == -1)
		return page_unavailable(req);
	auth_csrf_prepare(req);
	if (req->method == M_POST) {
		ct = request_header(req, "content-type");
		if (ct != NULL && strncasecmp(ct,
		    "application/x-www-form-urlencoded", 33) == 0) {
			if (request_parse_form(req->arena, req->body ?
			    req->body : "", req->body_len, req->fields,
			    REQUEST_MAXFIELDS, &req->nfields) == -1)
				return page_error(req, 400, N_("The form could "
				    "not be read."));
		} else if (req->body_len > 0)
			return page_error(req, 400, N_("The form could not be "
			    "read."));
		if (!(req->route->flags & R_NOCSRF) &&
		    auth_csrf_check(req) == -1) {
			log_warnx("csrf refused ip=%s path=%s", req->ip,
			    req->path);
			return page_error(req, 403, N_("This form has expired "
			    "or did not come from this site. Please go back, "
			    "reload the page and try again."));
		}
	}
	if (!route_allowed(req->route, req->user)) {
		if (req->user == NULL && req->method != M_POST)
			return to_login(req);
		log_warnx("access refused ip=%s user=%lld path=%s", req->ip,
		    req->user ? req->user->id : 0, req->path);
		return page_error(req, 403, N_("You do not have access to "
		    "this page."));
	}
	param_validate(req);
	/* A partner office's every page is audited, or not shown. */
	if (req->user != NULL && req->user->role == ROLE_PARTNER &&
	    req->method != M_POST && partner_audit_view(req) == -1)
		return page_unavailable(req);
	return req->route->handler(req);
}

static void
run_job(struct job *j)
{
	struct request *req = j->req;
	int gone;

	pthread_mutex_lock(&done_mtx);
	j->state = J_RUNNING;
	gone = j->kreq == NULL;
	pthread_mutex_unlock(&done_mtx);
	/* A page nobody waits for any more is not made; a form is saved,
	 * as it would have been a moment earlier. */
	if (gone && req->method != M_POST)
		req->status = 499;
	else
		req->status = dispatch(req);
	/* A form saved (a refused one wrote nothing a page shows). */
	if (req->method == M_POST && req->status < 400)
		notify_wrote();
	if (j->cacheable && req->user == NULL)
		cache_put(req, j->key, j->gen, conf->cache_ms);
	finish(req);
}

static void *
lane_main(void *arg)
{
	struct lane *l = arg;
	struct job *j;
	uint64_t one = 1;

	for (;;) {
		pthread_mutex_lock(&l->mtx);
		while (l->head == NULL && !l->stopping)
			pthread_cond_wait(&l->cv, &l->mtx);
		if ((j = l->head) == NULL) {
			pthread_mutex_unlock(&l->mtx);
			break;
		}
		if ((l->head = j->next) == NULL)
			l->tail = NULL;
		pthread_mutex_unlock(&l->mtx);
		run_job(j);
		pthread_mutex_lock(&done_mtx);
		j->state = J_DONE;
		j->in_doneq = 1;
		j->next = NULL;
		if (done_tail != NULL)
			done_tail->next = j;
		else
			done_head = j;
		done_tail = j;
		pthread_mutex_unlock(&done_mtx);
		if (write(done_fd, &one, sizeof(one)) == -1 && errno != EAGAIN)
			log_warn("server: eventfd");
	}
	mdb_close();
	db_close();
	return NULL;
}

static void
job_free(struct job *j)
{
	request_free(j->req);
	free(j);
	atomic_fetch_sub(&inflight, 1);
}

/* The loop: wake the requests whose handlers are done. */
static void
done_event(void *arg, int error)
{
	struct job *j, *next;
	uint64_t n;

	(void)arg;
	(void)error;
	if (read(done_fd, &n, sizeof(n)) == -1 && errno != EAGAIN)
		log_warn("server: eventfd");
	pthread_mutex_lock(&done_mtx);
	j = done_head;
	done_head = done_tail = NULL;
	for (next = j; next != NULL; next = next->next)
		next->in_doneq = 0;
	pthread_mutex_unlock(&done_mtx);
	for (; j != NULL; j = next) {
		next = j->next;
		if (j->kreq == NULL)
			job_free(j);
		else
			http_request_wakeup(j->kreq);
	}
}

/* Kore frees a request: its connection went, or it was answered. */
static void
request_gone(struct http_request *kreq)
{
	struct job *j = kreq->hdlr_extra;
	int now;

	if (j == NULL)
		return;
	kreq->hdlr_extra = NULL;
	pthread_mutex_lock(&done_mtx);
	j->kreq = NULL;
	/* Done and already taken from the done queue: nobody else will. */
	now = j->state == J_DONE && !j->in_doneq;
	pthread_mutex_unlock(&done_mtx);
	if (now)
		job_free(j);
}

static void
enqueue(struct job *j, enum lane_id which)
{
	struct lane *l = &lanes[which];

	j->next = NULL;
	pthread_mutex_lock(&l->mtx);
	if (l->tail != NULL)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mtx);
}

/* ---- Kore's request handler ---- */

static int
answer_now(struct http_request *kreq, struct request *req, int status)
{
	req->status = status;
	finish(req);
	respond(kreq, req);
	request_free(req);
	return KORE_RESULT_OK;
}

int
server_serve(struct http_request *kreq)
{
	const struct route_group *g;
	struct route_path rp;
	struct conn_extra *cx;
	struct request *req;
	struct job *j;
	enum route_result rr;
	char key[CACHE_KEYLEN];
	int cacheable = 0;
	unsigned long gen = 0;

	/* A stopping worker closes a request that came after SIGTERM on a
	 * kept-alive connection without an answer: the proxy sends it to
	 * another node (haproxy's retry-on empty-response). */
	if (stopping && kreq->hdlr_extra == NULL)
		return KORE_RESULT_ERROR;
	if ((j = kreq->hdlr_extra) != NULL) {
		/* Woken: the handler's thread is done. */
		kreq->hdlr_extra = NULL;
		kreq->onfree = NULL;
		respond(kreq, j->req);
		job_free(j);
		return KORE_RESULT_OK;
	}

	req = request_new(http_method_text(kreq->method), kreq->path);
	if (copy_request(req, kreq) == -1) {
		/* Kore would read the body by the first Content-Length:
		 * refuse, and end the connection (RFC 9112, 6.3). */
		req->close = 1;
		client_ip(req, kreq->owner);
		pick_lang(req);
		auth_csrf_prepare(req);
		return answer_now(kreq, req, page_error(req, 400,
		    N_("The address is not valid.")));
	}
	client_ip(req, kreq->owner);
	pick_lang(req);
	if (kreq->owner != NULL && (cx = kreq->owner->hdlr_extra) != NULL &&
	    ++cx->requests >= (unsigned int)conf->keepalive_requests)
		req->close = 1;

	if (!html_utf8_ok(req->path, strlen(req->path)) ||
	    strlen(req->path) > 2048) {
		auth_csrf_prepare(req);
		return answer_now(kreq, req, page_error(req, 400,
		    N_("The address is not valid.")));
	}
	if ((g = group_of(kreq)) == NULL)
		return answer_now(kreq, req, not_found(req));
	rr = route_match_group(g, req->arena, req->path, req->method,
	    &req->route, &rp);
	if (rr == ROUTE_NOT_FOUND)
		return answer_now(kreq, req, not_found(req));
	if (rr == ROUTE_BAD_METHOD)
		return answer_now(kreq, req, bad_method(req, g));
	req->id = rp.id;
	req->id2 = rp.id2;
	req->slug = rp.slug;
	if (req->route->flags & R_INLINE)
		return answer_now(kreq, req, req->route->handler(req));

	/* A visitor's page that a moment ago was made for another. */
	if (conf->cache_ms > 0 && req->method != M_POST &&
	    (req->route->flags & R_CACHE) &&
	    request_cookie(req, COOKIE_SESSION) == NULL &&
	    cache_key(req, req->route->params, key, sizeof(key)) == 0) {
		gen = notify_gen(NOTIFY_CACHE);
		if (cache_get(req, key, gen))
			return answer_now(kreq, req, 200);
		cacheable = 1;
	}

	j = xcalloc(1, sizeof(*j));
	j->req = req;
	j->kreq = kreq;
	j->cacheable = cacheable;
	j->gen = gen;
	j->key = cacheable ? arena_strdup(req->arena, key) : NULL;
	atomic_fetch_add(&inflight, 1);
	kreq->hdlr_extra = j;
	kreq->flags |= HTTP_REQUEST_RETAIN_EXTRA;
	kreq->onfree = request_gone;
	http_request_sleep(kreq);
	enqueue(j, req->route->flags & R_HASH ? LANE_HASH :
	    req->route->flags & R_RENDER ? LANE_RENDER : LANE_PAGE);
	return KORE_RESULT_RETRY;
}

/* ---- connections ---- */

static unsigned int
ip_column(const struct connection *c)
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	if (c->family == AF_INET)
		crypto_shorthash(h, (const unsigned char *)
		    &c->addr.ipv4.sin_addr, sizeof(c->addr.ipv4.sin_addr),
		    ip_key);
	else if (c->family == AF_INET6)
		crypto_shorthash(h, (const unsigned char *)
		    &c->addr.ipv6.sin6_addr, sizeof(c->addr.ipv6.sin6_addr),
		    ip_key);
	else
		memset(h, 0, sizeof(h));
	memcpy(&v, h, sizeof(v));
	return (unsigned int)(v % IP_COLUMNS);
}

static void
conn_gone(struct connection *c)
{
	struct conn_extra *cx = c->hdlr_extra;

	if (cx != NULL && cx->counted)
		atomic_fetch_sub(&ip_counts[worker->id][cx->column], 1);
}

/*
 * Kore's read, watched: when the request line and headers fill Kore's
 * buffer (connection_memory) without their end, Kore 4.1.0 would read
 * zero bytes into the full buffer, take that for the client's end and
 * close without a word.  Answer 414 (no line end yet: the request line
 * is too long) or 431 instead, then close.
 */
static int
read_guard(struct connection *c, size_t *bytes)
{
	static const char e414[] = "HTTP/1.1 414 URI Too Long\r\n"
	    "server: kore\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
	static const char e431[] = "HTTP/1.1 431 Request Header Fields Too "
	    "Large\r\nserver: kore\r\nconnection: close\r\n"
	    "content-length: 0\r\n\r\n";
	struct conn_extra *cx = c->hdlr_extra;
	struct netbuf *nb = c->rnb;

	if (nb != NULL && nb->cb == http_header_recv && nb->b_len > 0 &&
	    nb->s_off == nb->b_len) {
		if (memchr(nb->buf, '\n', nb->s_off) == NULL)
			net_send_queue(c, e414, sizeof(e414) - 1);
		else
			net_send_queue(c, e431, sizeof(e431) - 1);
		c->flags |= CONN_CLOSE_EMPTY;
		(void)net_send_flush(c);
		return KORE_RESULT_ERROR;
	}
	return cx->read(c, bytes);
}

/*
 * The listener's connect callback: refuse an address over max_per_ip,
 * then set the connection up for HTTP as Kore does without a callback.
 */
void
server_connect(struct connection *c)
{
	struct conn_extra *cx;
	unsigned int col, n = 0;
	int row;

	cx = kore_calloc(1, sizeof(*cx));
	c->hdlr_extra = cx;
	c->disconnect = conn_gone;
	col = ip_column(c);
	for (row = 0; row < ip_rows; row++)
		n += atomic_load(&ip_counts[row][col]);
	if (n >= (unsigned int)conf->max_per_ip) {
		kore_connection_disconnect(c);
		return;
	}
	cx->column = col;
	cx->counted = 1;
	atomic_fetch_add(&ip_counts[worker->id][col], 1);
	cx->read = c->read;
	c->read = read_guard;
	c->proto = CONN_PROTO_HTTP;
	if (http_keepalive_time != 0)
		c->idle_timer.length = http_keepalive_time * 1000;
	net_recv_queue(c, http_header_max, NETBUF_CALL_CB_ALWAYS,
	    http_header_recv);
	/* After a TLS handshake Kore 4.1.0 returns from a connect callback
	 * without moving the connection on, and reads nothing that came
	 * with the handshake: do both, as it does without a callback. */
	if (c->state == CONN_STATE_TLS_SHAKE) {
		c->state = CONN_STATE_ESTABLISHED;
		if ((c->evt.flags & KORE_EVENT_READ) && !net_recv_flush(c))
			kore_connection_disconnect(c);
	}
}

/* ---- start and stop ---- */

/*
 * The system calls Magnet adds to Kore's worker sandbox, each for a
 * reason; everything else ends the worker.
 */
static struct sock_filter filter_magnet[] = {
	/* Threads: glibc tries clone3 first and falls back to clone
	 * (allowed by Kore's task filter) when it is refused so; rseq and
	 * the robust futex list are registered by every new thread. */
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(set_robust_list),
	/* glibc counts the processors (malloc sizes its arenas for new
	 * threads by them) with this when /sys is out of reach: a chroot. */
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	/* The threads' wake-up for the event loop. */
	KORE_SYSCALL_ALLOW(eventfd2),
	/* libpq: a socket to PostgreSQL and its options; the cache
	 * listener's wake-up pipe; the broker's Unix socket. */
	KORE_SYSCALL_ALLOW(socket),
	KORE_SYSCALL_ALLOW(connect),
	KORE_SYSCALL_ALLOW(getsockopt),
	KORE_SYSCALL_ALLOW(getsockname),
	KORE_SYSCALL_ALLOW(getpeername),
	KORE_SYSCALL_ALLOW(pipe2),
	/* libpq looks for ~/.pgpass and certificates (and finds none). */
	KORE_SYSCALL_ALLOW(newfstatat),
	/* glibc's realloc moves a block of more than its mmap threshold
	 * (128 KB at first) with mremap: a page of long posts grows its
	 * buffer so (tests/http/test_shared.py, a page of a megabyte). */
	KORE_SYSCALL_ALLOW(mremap),
};

#if defined(__SANITIZE_ADDRESS__)
/*
 * The sanitizer build only (make SANITIZE=...): what AddressSanitizer's
 * runtime does for itself.  LeakSanitizer stops the world at exit with a
 * tracer that ptraces the worker's threads.  The release build, which the fault,
 * cluster and benchmark suites run, has none of these.
 */
static struct sock_filter filter_sanitizer[] = {
	KORE_SYSCALL_ALLOW(prctl),
	KORE_SYSCALL_ALLOW(ptrace),
	KORE_SYSCALL_ALLOW(wait4),
	KORE_SYSCALL_ALLOW(getppid),
	KORE_SYSCALL_ALLOW(getdents),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(sched_yield),
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(tgkill),
};
#endif

void
kore_seccomp_hook(void)
{
	/*
	 * Called in each new worker before its sandbox closes: have the
	 * kernel stop it when Kore's parent dies.  Kore's own notice (the
	 * parent's end of a socket closing) does not come when the parent
	 * is killed with SIGKILL, since every worker holds a copy of its
	 * siblings' sockets, and orphaned workers would go on serving.
	 */
	(void)prctl(PR_SET_PDEATHSIG, SIGQUIT);
	if (getppid() != parent_pid)
		(void)raise(SIGQUIT);

	kore_seccomp_filter("magnet", filter_magnet,
	    KORE_FILTER_LEN(filter_magnet));
#if defined(__SANITIZE_ADDRESS__)
	kore_seccomp_filter("sanitizer", filter_sanitizer,
	    KORE_FILTER_LEN(filter_sanitizer));
#endif
}

static int
lane_threads(enum lane_id which)
{
	int workers = worker_count > 2 ? worker_count - 2 : 1;
	int hashes = conf->hash_concurrency > 0 ? conf->hash_concurrency :
	    ncpu;

	switch (which) {
	case LANE_PAGE:
		return (conf->threads + workers - 1) / workers;
	case LANE_HASH:
		/* The hashes the whole node may run at once, shared out,
		 * and one more: a sign-in refused by its rate limit needs no
		 * hashing slot. */
		return (hashes + workers - 1) / workers + 1;
	case LANE_RENDER:
	case LANE__MAX:
		break;
	}
	/* Likewise with the markdown workers of the broker. */
	return (conf->md_workers + workers - 1) / workers + 1;
}

/* Wakes the loop twice a second: Kore checks its time-outs only when
 * the loop turns, and an idle worker would otherwise wait on epoll for
 * ever (slow clients are cut off by these checks). */
static void
tick(void *arg, u_int64_t now)
{
	static u_int64_t trimmed;

	(void)arg;
	/* Give freed memory back to the system when the worker is idle,
	 * at most every ten seconds: what a burst of pages left behind in
	 * the heap need not stay resident. */
	if (now - trimmed >= 10000 && atomic_load(&inflight) == 0) {
		malloc_trim(0);
		trimmed = now;
	}
}

void
kore_worker_configure(void)
{
	sigset_t all, old;
	int i, k;

	/* A worker that was restarted starts its row again. */
	for (i = 0; i < IP_COLUMNS; i++)
		atomic_store(&ip_counts[worker->id][i], 0);
	cache_init();
	if ((done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		log_fatal("server: eventfd");
	done_evt.type = KORE_TYPE_CONNECTION + 100;
	done_evt.handle = done_event;
	kore_platform_event_level_read(done_fd, &done_evt);
	/* Signals are Kore's, in this thread: the threads block them all,
	 * so a SIGTERM always interrupts the loop's epoll_wait. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (k = 0; k < LANE__MAX; k++) {
		pthread_mutex_init(&lanes[k].mtx, NULL);
		pthread_cond_init(&lanes[k].cv, NULL);
		lanes[k].nthreads = lane_threads((enum lane_id)k);
		lanes[k].threads = xcalloc((size_t)lanes[k].nthreads,
		    sizeof(pthread_t));
		for (i = 0; i < lanes[k].nthreads; i++)
			if (pthread_create(&lanes[k].threads[i], NULL,
			    lane_main, &lanes[k]) != 0)
				log_fatal("server: thread");
	}
	if (notify_start(conf) == -1)
		log_fatalx("the cache invalidation listener did not start");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	kore_timer_add(tick, 500, NULL, 0);
}

/*
 * SIGTERM: stop accepting, answer what is in flight (at most ten
 * seconds), then stop the threads.  A request a stopping node drops
 * unanswered is sent again by the proxy (deploy/haproxy.cfg).
 */
void
kore_worker_teardown(void)
{
	struct kore_server *srv;
	struct listener *l;
	long long until = mono_ms() + 10000;
	int k, i;

	stopping = 1;
	LIST_FOREACH(srv, &kore_servers, list) {
		LIST_FOREACH(l, &srv->listeners, list) {
			if (l->fd != -1)
				close(l->fd);
			l->fd = -1;
		}
	}
	while ((atomic_load(&inflight) > 0 || http_request_count > 0) &&
	    mono_ms() < until) {
		kore_platform_event_wait(50);
		http_process();
		kore_connection_prune(KORE_CONNECTION_PRUNE_DISCONNECT);
	}
	kore_connection_prune(KORE_CONNECTION_PRUNE_ALL);
	for (k = 0; k < LANE__MAX; k++) {
		pthread_mutex_lock(&lanes[k].mtx);
		lanes[k].stopping = 1;
		pthread_cond_broadcast(&lanes[k].cv);
		pthread_mutex_unlock(&lanes[k].mtx);
	}
	for (k = 0; k < LANE__MAX; k++) {
		for (i = 0; i < lanes[k].nthreads; i++)
			pthread_join(lanes[k].threads[i], NULL);
		free(lanes[k].threads);
		lanes[k].threads = NULL;
	}
	done_event(NULL, 0);
	notify_stop();
	cache_free();
	buf_gzip_free();
	close(done_fd);
}

void
kore_parent_teardown(void)
{
	mail_stop();
	mdb_stop();
	page_free();
	buf_gzip_free();
}

/*
 * Kore's key manager reads the certificate and key as `user`, inside the
 * chroot (its root is Kore's); a file it cannot read there ends it, and
 * Kore then stops the whole server.  Try as it will, at start, in a
 * child that becomes what the key manager will be.
 */
static void
tls_files_check(const struct conf *c)
{
	const char *files[] = { c->tls_certificate, c->tls_key };
	struct passwd *pw = NULL;
	pid_t pid;
	int i, status;

	if (geteuid() == 0 && (pw = getpwnam(c->user)) == NULL)
		log_fatalx("user: no such user \"%s\"", c->user);
	if ((pid = fork()) == -1)
		log_fatal("fork");
	if (pid == 0) {
		if (geteuid() == 0) {
			if (c->chroot[0] != '\0' && (chroot(c->chroot) == -1 ||
			    chdir("/") == -1))
				_exit(100);
			if (setgroups(1, &pw->pw_gid) == -1 ||
			    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
			    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
				_exit(100);
		}
		for (i = 0; i < 2; i++)
			if (access(files[i], R_OK) == -1)
				_exit(i + 1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		log_fatal("tls: checking the certificate files");
	if (WEXITSTATUS(status) == 1 || WEXITSTATUS(status) == 2)
		log_fatalx("%s: %s cannot be read by %s%s%s", WEXITSTATUS(status)
		    == 1 ? "tls_certificate" : "tls_key",
		    files[WEXITSTATUS(status) - 1], geteuid() == 0 ? c->user :
		    "this user", c->chroot[0] != '\0' && geteuid() == 0 ?
		    " inside the chroot " : "", c->chroot[0] != '\0' &&
		    geteuid() == 0 ? c->chroot : "");
	if (WEXITSTATUS(status) != 0)
		log_fatalx("tls: cannot become %s to check the certificate "
		    "files", c->user);
}

void
server_configure(const struct conf *c, const char *helper)
{
	struct buf b;
	size_t len;

	conf = c;
	parent_pid = getpid();
	/* Two malloc arenas for a worker's threads (inherited from here)
	 * rather than one a thread: requests allocate from their own
	 * arena (buf.c), so the threads hardly contend, and each arena
	 * costs resident memory. */
	mallopt(M_ARENA_MAX, 2);
	if ((ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		ncpu = 1;
	if (c->chroot[0] != '\0' && geteuid() != 0)
		log_fatalx("chroot: Kore chroots its workers only when started "
		    "as root; leave chroot empty or start as root");
	if (c->tls_certificate[0] != '\0')
		tls_files_check(c);
	if (page_init(c->assets) == -1)
		log_fatalx("assets: no stylesheet in %s/css", c->assets);
	ip_rows = workers_of(c) + 1;
	len = sizeof(*ip_counts) * (size_t)ip_rows;
	ip_counts = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ip_counts == MAP_FAILED)
		log_fatal("server: shared memory");
	crypto_shorthash_keygen(ip_key);
	notify_share();
	if (mdb_start(helper, c->user, c->md_workers, c->md_timeout_ms) == -1)
		log_fatalx("the markdown broker did not start");
	buf_init(&b);
	server_kore_conf(c, &b);
	if (b.len >= sizeof(asset_builtin_kore_conf))
		log_fatalx("the Kore configuration is too long");
	memcpy(asset_builtin_kore_conf, b.p, b.len);
	asset_len_builtin_kore_conf = (u_int32_t)b.len;
	buf_free(&b);
	/* Kore's own command line is ours: foreground, and privilege
	 * separation only where it can work. */
	kore_foreground = 1;
	if (geteuid() != 0) {
		skip_runas = 1;
		skip_chroot = 1;
	} else if (c->chroot[0] == '\0')
		skip_chroot = 1;
}
