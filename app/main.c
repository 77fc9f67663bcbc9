/*
 * Start-up: read the configuration, check the database and apply its
 * migrations, load templates and catalogues, start the markdown workers,
 * bind, drop privileges, serve until SIGINT or SIGTERM, and stop cleanly.
 *
 *   magnet serve | migrate | user add NAME --role ROLE | seed-demo | routes
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "conf.h"
#include "db.h"
#include "account.h"
#include "api.h"
#include "apply.h"
#include "audit.h"
#include "enterprise.h"
#include "event.h"
#include "feed.h"
#include "forum.h"
#include "guide.h"
#include "http.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"
#include "md.h"
#include "mod.h"
#include "msg.h"
#include "setting.h"
#include "note.h"
#include "notify.h"
#include "profile.h"
#include "referral.h"
#include "route.h"
#include "seed.h"
#include "site.h"
#include "tmpl.h"
#include "user.h"

static struct conf conf;

static void
usage(void)
{
	fprintf(stderr, "usage: magnet serve | migrate | "
	    "user add NAME --role ROLE | seed-demo | routes\n");
	exit(2);
}

/* The route table as "METHOD PATTERN ACCESS PARAMS" lines, PARAMS the
 * declared parameters joined by commas ("-" for none), for the access
 * sweep and the scanners of tests/security (it needs no configuration
 * or database). */
static int
print_routes(void)
{
	static const char *const access_names[] = {
		"any", "user", "employer", "moderator", "admin"
	};
	const struct route *r;
	const struct param *p;
	size_t i, n;

	r = route_table(&n);
	for (i = 0; i < n; i++) {
		printf("%s %s %s ", r[i].method == M_POST ? "POST" : "GET",
		    r[i].pattern, access_names[r[i].access]);
		p = r[i].params;
		if (p == NULL || p->name == NULL)
			putchar('-');
		for (; p != NULL && p->name != NULL; p++)
			printf("%s%s", p == r[i].params ? "" : ",", p->name);
		putchar('\n');
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static void
load_conf(void)
{
	char err[1400];
	const char *path;

	path = getenv("MAGNET_CONF");
	if (path == NULL && access("conf/magnet.conf", R_OK) == 0)
		path = "conf/magnet.conf";
	if (conf_load(&conf, path, err, sizeof(err)) == -1)
		fatalx("configuration: %s", err);
	log_set_debug(conf.debug);
}

/* Every module registers its statements before any connection opens. */
static void
init_modules(void)
{
	if (auth_init(&conf) == -1)
		fatalx("libsodium did not initialise");
	user_init();
	site_init();
	audit_init();
	note_init();
	setting_init();
	account_init();
	forum_init();
	guide_init();
	event_init();
	mod_init();
	msg_init();
	feed_init();
	api_init();
	jobs_init();
	enterprise_init();
	apply_init();
	profile_init();
	referral_init();
	seed_init();
	db_init(&conf);
}

static PGconn *
connect_or_die(void)
{
	char err[600];
	PGconn *c;
	int tries;

	/* The database may still be starting next to us. */
	for (tries = 0; tries < 10; tries++) {
		if ((c = db_connect_direct(conf.db, err, sizeof(err))) != NULL)
			return c;
		sleep(1);
	}
	fatalx("database (setting db or MAGNET_DB): %s", err);
}

static void
migrate_or_die(void)
{
	PGconn *c;

	c = connect_or_die();
	if (db_migrate(c, conf.migrations) == -1)
		fatalx("migrations in %s failed", conf.migrations);
	PQfinish(c);
}

/* Kore's privsep: look the user up first, then give up root for good. */
static void
drop_privileges(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam(conf.user)) == NULL)
		fatalx("user: no such user \"%s\"", conf.user);
	if (setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		fatal("dropping privileges to %s", conf.user);
	if (setuid(0) != -1)
		fatalx("privileges could be regained");
	log_info("running as %s", conf.user);
}

static int
serve(const char *self)
{
	struct md_limits ml;
	char err[1400], path[1200];
	sigset_t set;
	int fd, sig;

	if (conf.access_log[0] != '\0' && log_open_access(conf.access_log) == -1)
		fatal("access_log %s", conf.access_log);
	if (conf.error_log[0] != '\0' && log_open_error(conf.error_log) == -1)
		fatal("error_log %s", conf.error_log);
	if (i18n_load(conf.locale_dir) == -1)
		fatalx("locale_dir: a catalogue in %s is damaged",
		    conf.locale_dir);
	snprintf(path, sizeof(path), "%s/templates", conf.assets);
	if (tmpl_load(path, err, sizeof(err)) == -1)
		fatalx("assets: template %s", err);
	if (!tmpl_exists("layout") || !tmpl_exists("error"))
		fatalx("assets: %s has no layout or error template", path);
	snprintf(path, sizeof(path), "%s/common-passwords.txt", conf.assets);
	if (auth_load_common(path) == -1)
		fatal("assets: %s", path);
	migrate_or_die();
	if (db_prepare_all() == -1)
		fatalx("database: the statements do not fit the schema (see "
		    "the log above)");
	if (auth_load_key() == -1)
		fatalx("database: cannot read the token key");
	db_close();

	/* Block the signals in every thread; the main thread waits. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&ml, 0, sizeof(ml));
	ml.max_src = 80000;	/* bytes: 20,000 characters of Sorani */
	ml.max_depth = 8;
	ml.timeout_ms = conf.md_timeout_ms;
	ml.mem_limit = 256UL << 20;
	ml.workers = conf.md_workers;
	ml.recycle_after = 1000;
	ml.self_exe = self;
	/* The descriptor of our binary is opened now; the workers start
	 * at their first render, as the unprivileged user. */
	ml.lazy = 1;
	if (md_init(&ml) == -1)
		fatalx("markdown workers did not start");

	if ((fd = http_listen(&conf)) == -1)
		fatalx("listen: cannot listen on %s:%d", conf.listen_host,
		    conf.listen_port);
	drop_privileges();
	/* Cache invalidation from every node's writes (LISTEN/NOTIFY). */
	if (notify_start(&conf) == -1)
		fatalx("the cache invalidation listener did not start");
	if (http_start(&conf, fd) == -1)
		fatalx("server did not start");
	log_info("serving on http://%s:%d/ with %d threads", conf.listen_host,
	    conf.listen_port, conf.threads);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGINT || sig == SIGTERM)
			break;
	}
	log_info("stopping on signal %d", sig);
	http_stop();
	notify_stop();
	md_shutdown();
	tmpl_free();
	i18n_free();
	log_info("stopped");
	return 0;
}

int
main(int argc, char *argv[])
{
	char self[1024], path[1100];
	ssize_t n;
	PGconn *c;
	int rc;

	log_init("magnet");
	if (argc >= 2 && strcmp(argv[1], "md-worker") == 0)
		return md_worker_main();
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "routes") == 0 && argc == 2)
		return print_routes();
	load_conf();
	init_modules();
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		fatal("readlink /proc/self/exe");
	self[n] = '\0';
	if (strcmp(argv[1], "serve") == 0 && argc == 2)
		return serve(self);
	if (strcmp(argv[1], "migrate") == 0 && argc == 2) {
		migrate_or_die();
		return 0;
	}
	if (strcmp(argv[1], "user") == 0 && argc == 6 &&
	    strcmp(argv[2], "add") == 0 && strcmp(argv[4], "--role") == 0) {
		snprintf(path, sizeof(path), "%s/common-passwords.txt",
		    conf.assets);
		if (auth_load_common(path) == -1)
			fatal("assets: %s", path);
		migrate_or_die();
		c = connect_or_die();
		rc = user_cmd_add(c, argv[3], argv[5]);
		PQfinish(c);
		return rc == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "seed-demo") == 0 && argc == 2) {
		migrate_or_die();
		c = connect_or_die();
		rc = seed_demo(c);
		PQfinish(c);
		return rc == -1 ? 1 : 0;
	}
	usage();
}
