/*
 * Settings cache.  Every node re-reads the table when a change is
 * announced (notify.c: a trigger on the table, heard by every node) and
 * in any case every few seconds, which is the limit while the listener
 * is away; the node that made a change sees it at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "i18n.h"
#include "notify.h"
#include "setting.h"

#define TTL_SECONDS	5

const struct setting_info setting_info[SET__MAX] = {
	{ "new_user_holds", N_("First posts of a new account held for "
	    "approval"), 2, 0, 100 },
	{ "report_threshold", N_("Reports from different people that hide a "
	    "post until a counsellor decides"), 3, 1, 100 },
	{ "new_user_post_interval", N_("Seconds a new account waits between "
	    "posts"), 30, 0, 3600 },
	{ "peer_messages", N_("Returnees may write to returnees, employers "
	    "to employers (1 yes, 0 no)"), 0, 0, 1 },
};

static const struct db_stmt stmts[] = {
	{ "setting_all", "SELECT key, value FROM settings" },
	{ "setting_set", "INSERT INTO settings (key, value) VALUES ($1, $2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value" },
	{ "setting_text", "SELECT value FROM settings WHERE key = $1" },
};

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long long values[SET__MAX];
static time_t loaded;
static unsigned long loaded_gen;

void
setting_init(void)
{
	int i;

	DB_REGISTER(stmts);
	for (i = 0; i < SET__MAX; i++)
		values[i] = setting_info[i].def;
}

static void
reload(void)
{
	long long fresh[SET__MAX], v;
	PGresult *r;
	int i, j;

	for (j = 0; j < SET__MAX; j++)
		fresh[j] = setting_info[j].def;
	if ((r = db_exec("setting_all", 0, NULL)) == NULL)
		return;
	for (i = 0; i < PQntuples(r); i++)
		for (j = 0; j < SET__MAX; j++) {
			if (strcmp(db_get(r, i, "key"), setting_info[j].key) !=
			    0)
				continue;
			v = db_get_ll(r, i, "value");
			if (v >= setting_info[j].min && v <= setting_info[j].max)
				fresh[j] = v;
		}
	PQclear(r);
	pthread_mutex_lock(&mtx);
	memcpy(values, fresh, sizeof(values));
	pthread_mutex_unlock(&mtx);
}

long long
setting_get(enum setting s)
{
	unsigned long gen = notify_gen(NOTIFY_SETTINGS);
	time_t now = time(NULL);
	long long v;

	pthread_mutex_lock(&mtx);
	if (now - loaded >= TTL_SECONDS || gen != loaded_gen) {
		/* The generation is taken before the read, so a change
		 * announced during it is read again next time. */
		loaded = now;
		loaded_gen = gen;
		pthread_mutex_unlock(&mtx);
		/* Read outside the lock: a slow database must not block
		 * other threads, which use the old values meanwhile. */
		reload();
		pthread_mutex_lock(&mtx);
	}
	v = values[s];
	pthread_mutex_unlock(&mtx);
	return v;
}

int
setting_set(enum setting s, long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	if (DB_RUN("setting_set", setting_info[s].key, buf) == -1)
		return -1;
	pthread_mutex_lock(&mtx);
	values[s] = v;
	pthread_mutex_unlock(&mtx);
	return 0;
}

void
setting_flush(void)
{
	pthread_mutex_lock(&mtx);
	loaded = 0;
	pthread_mutex_unlock(&mtx);
}

/* A text setting (the offices' contacts), read when a page needs it:
 * "" when unset, NULL when the database cannot be read. */
const char *
setting_text(struct arena *a, const char *key)
{
	PGresult *r;

	if ((r = db_query(a, "setting_text", 1, DBV(key))) == NULL)
		return NULL;
	return db_get(r, 0, "value");
}

int
setting_set_text(const char *key, const char *value)
{
	return DB_RUN("setting_set", key, value);
}
