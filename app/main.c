/*
 * The command line.  build/magnet is Kore built as a single binary from
 * Debian's Kore sources: Kore's main() hands the command line to
 * kore_parent_configure first, which runs a command and exits, or for
 * "serve" prepares everything the workers share (configuration,
 * catalogues, templates, the database's schema and key, the markdown
 * broker) and returns to Kore, which binds, forks its workers, drops
 * their privileges and serves until SIGINT or SIGTERM.
 *
 *   magnet serve | migrate | user add NAME --role ROLE
 *          [--governorate GOV] | seed-demo | routes | kore-conf
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "admin.h"
#include "api.h"
#include "apply.h"
#include "jobs_saved.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "enterprise.h"
#include "event.h"
#include "feed.h"
#include "forum.h"
#include "guide.h"
#include "i18n.h"
#include "jobs.h"
#include "jobs_employer.h"
#include "jobs_mod.h"
#include "log.h"
#include "mail.h"
#include "mailpage.h"
#include "mailpref.h"
#include "md.h"
#include "mdb.h"
#include "mod.h"
#include "msg.h"
#include "note.h"
#include "page.h"
#include "profile.h"
#include "placement.h"
#include "admin_vocab.h"
#include "referral.h"
#include "route.h"
#include "search.h"
#include "seed.h"
#include "server.h"
#include "setting.h"
#include "site.h"
#include "tmpl.h"
#include "user.h"

void	kore_parent_configure(int, char *[]);

static struct conf conf;

static void
usage(void)
{
	fprintf(stderr, "usage: magnet serve | migrate | "
	    "user add NAME --role ROLE [--governorate GOV] | seed-demo | "
	    "routes | kore-conf | mail digest|send\n");
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
		"any", "user", "employer", "partner", "moderator", "admin"
	};
	const struct route *r;
	const struct param *p;
	size_t i, n;

	r = route_table(&n);
	for (i = 0; i < n; i++) {
		printf("%s %s %s ", r[i].method == M_POST ? "POST" : "GET",
		    r[i].pattern, access_names[r[i].allow]);
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
		log_fatalx("configuration: %s", err);
	log_set_debug(conf.debug);
	conf_activate(&conf);
}

/* Every module registers its statements before any connection opens. */
static void
init_modules(void)
{
	if (auth_init(&conf) == -1)
		log_fatalx("libsodium did not initialise");
	user_init();
	page_init_db();
	site_init();
	audit_init();
	note_init();
	setting_init();
	account_init();
	mailpage_init();
	mailpref_init();
	forum_init();
	forum_post_init();
	forum_follow_init();
	search_init();
	guide_init();
	event_init();
	mod_init();
	admin_init();
	msg_init();
	feed_init();
	api_init();
	jobs_init();
	jobs_employer_init();
	jobs_mod_init();
	enterprise_init();
	apply_init();
	apply_tools_init();
	jobs_saved_init();
	profile_init();
	placement_init();
	admin_vocab_init();
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
	log_fatalx("database (setting db or MAGNET_DB): %s", err);
}

static void
migrate_or_die(void)
{
	PGconn *c;

	c = connect_or_die();
	if (db_migrate(c, conf.migrations) == -1)
		log_fatalx("migrations in %s failed", conf.migrations);
	if (user_rekey(c) == -1)
		log_fatalx("recomputing the name keys failed (see the log)");
	PQfinish(c);
}

/* The mails' templates (assets/templates/mail/, app/mail.c). */
static void
load_mail_templates(void)
{
	char err[1400], path[1200];

	snprintf(path, sizeof(path), "%s/templates/mail", conf.assets);
	if (tmpl_load(path, err, sizeof(err)) == -1)
		log_fatalx("assets: template %s", err);
	if (!tmpl_exists("mail_body"))
		log_fatalx("assets: %s has no mail_body template", path);
}

/* Everything Kore's workers share, loaded once in the parent. */
static void
serve(const char *self)
{
	struct md_limits ml;
	char err[1400], path[1200], helper[1100];

	if (conf.access_log[0] != '\0' && log_open_access(conf.access_log) == -1)
		log_fatal("access_log %s", conf.access_log);
	if (conf.error_log[0] != '\0' && log_open_error(conf.error_log) == -1)
		log_fatal("error_log %s", conf.error_log);
	if (i18n_load(conf.locale_dir) == -1)
		log_fatalx("locale_dir: a catalogue in %s is damaged",
		    conf.locale_dir);
	snprintf(path, sizeof(path), "%s/templates", conf.assets);
	if (tmpl_load(path, err, sizeof(err)) == -1)
		log_fatalx("assets: template %s", err);
	if (!tmpl_exists("layout") || !tmpl_exists("error"))
		log_fatalx("assets: %s has no layout or error template", path);
	load_mail_templates();
	snprintf(path, sizeof(path), "%s/common-passwords.txt", conf.assets);
	if (auth_load_common(path) == -1)
		log_fatal("assets: %s", path);
	migrate_or_die();
	if (db_prepare_all() == -1)
		log_fatalx("database: the statements do not fit the schema "
		    "(see the log above)");
	if (auth_load_key() == -1)
		log_fatalx("database: cannot read the token key");
	db_close();
	/* The markdown helper lives next to us (make builds both). */
	snprintf(helper, sizeof(helper), "%.*s/magnet-md",
	    (int)(strrchr(self, '/') - self), self);
	mdb_limits(&ml, conf.md_workers, conf.md_timeout_ms, helper);
	md_configure(&ml);
	/* Kore writes its pid file there (conf: pidfile). */
	if (strncmp(conf.pidfile, "var/", 4) == 0 && mkdir("var", 0755) == -1 &&
	    errno != EEXIST)
		log_fatal("mkdir var");
	server_configure(&conf, helper);
	if (mail_start(&conf) == -1)
		log_fatalx("the mail sender did not start");
	log_info("serving on %s://%s:%d/", conf.tls_certificate[0] ? "https" :
	    "http", conf.listen_host, conf.listen_port);
}

void
kore_parent_configure(int argc, char *argv[])
{
	struct buf b;
	char self[1024], path[1100];
	ssize_t n;
	PGconn *c;
	int rc;

	log_init("magnet");
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "routes") == 0 && argc == 2)
		exit(print_routes());
	load_conf();
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		log_fatal("readlink /proc/self/exe");
	self[n] = '\0';
	init_modules();
	if (strcmp(argv[1], "serve") == 0 && argc == 2) {
		/* Kore's own messages go to standard output, a line each. */
		setvbuf(stdout, NULL, _IOLBF, 0);
		serve(self);
		return;		/* Kore takes it from here */
	}
	if (strcmp(argv[1], "kore-conf") == 0 && argc == 2) {
		buf_init(&b);
		server_kore_conf(&conf, &b);
		fwrite(b.p, 1, b.len, stdout);
		buf_free(&b);
		exit(fflush(stdout) == 0 ? 0 : 1);
	}
	if (strcmp(argv[1], "migrate") == 0 && argc == 2) {
		migrate_or_die();
		exit(0);
	}
	if (strcmp(argv[1], "user") == 0 && (argc == 6 || (argc == 8 &&
	    strcmp(argv[6], "--governorate") == 0)) &&
	    strcmp(argv[2], "add") == 0 && strcmp(argv[4], "--role") == 0) {
		snprintf(path, sizeof(path), "%s/common-passwords.txt",
		    conf.assets);
		if (auth_load_common(path) == -1)
			log_fatal("assets: %s", path);
		migrate_or_die();
		c = connect_or_die();
		rc = user_cmd_add(c, argv[3], argv[5], argc == 8 ? argv[7] :
		    NULL);
		PQfinish(c);
		exit(rc == 0 ? 0 : 1);
	}
	if (strcmp(argv[1], "mail") == 0 && argc == 3) {
		if (i18n_load(conf.locale_dir) == -1)
			log_fatalx("locale_dir: a catalogue is damaged");
		snprintf(path, sizeof(path), "%s/templates", conf.assets);
		if (tmpl_load(path, self, sizeof(self)) == -1)
			log_fatalx("assets: template %s", self);
		load_mail_templates();
		migrate_or_die();
		if (db_prepare_all() == -1 || auth_load_key() == -1)
			log_fatalx("database: cannot read the token key");
		db_close();
		exit(mail_cmd(&conf, argv[2]));
	}
	if (strcmp(argv[1], "seed-demo") == 0 && argc == 2) {
		migrate_or_die();
		c = connect_or_die();
		rc = seed_demo(c);
		PQfinish(c);
		exit(rc == -1 ? 1 : 0);
	}
	usage();
}
