/*
 * Sample content.  Every sample is marked as such in its title so nobody
 * mistakes it for real advice; it is written once, on a new database.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "seed.h"

void
seed_init(void)
{
}

static int
exec_ok(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult *r;
	int ok;

	r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		log_warnx("seed: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/* Sample threads, one or two per board, by a sample counsellor whose
 * password is unusable.  Markdown is kept simple so the stored HTML can be
 * written here without the renderer. */
static const struct {
	const char	*board;
	const char	*title;
	const char	*body;
	const char	*reply;
} samples[] = {
	{ "before-departure", "[Sample] Which documents should I bring back "
	    "from Germany?",
	    "I am returning to Duhok next spring. Which papers from my time "
	    "in Germany will help me find work?",
	    "Bring certificates of every course and job, translated if you "
	    "can. Counsellors can tell you which ones employers ask for." },
	{ "erbil", "[Sample] نموونە: کار لە هەولێر بۆ کەسێک کە ئەڵمانی دەزانێت",
	    "سڵاو، من ساڵێک لە ئەڵمانیا بووم و زمانی ئەڵمانی دەزانم. لە "
	    "هەولێر کار هەیە بۆ من؟",
	    "Hotels and travel agencies in Erbil often ask for German. Look "
	    "at the job board and ask a counsellor about training." },
	{ "sulaymaniyah", "[Sample] Starting a small business after return",
	    "Is there support for returnees who want to open a small shop in "
	    "Sulaymaniyah?", NULL },
	{ "duhok", "[Sample] Schools for children who studied in Europe",
	    "My children went to school in Sweden. How do they continue in "
	    "Duhok?", NULL },
	{ "halabja", "[Sample] Farming training in Halabja",
	    "Are there training places in agriculture this year?", NULL },
};

static int
seed_forum(PGconn *c)
{
	const char *v[4];
	size_t i;

	if (exec_ok(c, "INSERT INTO users (username, username_key, "
	    "password_hash, role) VALUES ('magnet-sample', 'magnet-sample', "
	    "'!', 'moderator') ON CONFLICT (username_key) DO NOTHING", 0,
	    NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		v[0] = samples[i].board;
		v[1] = samples[i].title;
		v[2] = samples[i].body;
		v[3] = samples[i].reply;
		/* The text has no markdown: a paragraph, escaped by SQL. */
		if (exec_ok(c,
		    "WITH u AS (SELECT id FROM users WHERE username_key = "
		    "'magnet-sample'), b AS (SELECT id FROM boards WHERE "
		    "slug = $1), "
		    "t AS (INSERT INTO threads (board_id, author_id, title, "
		    "post_count, reply_count, last_author_id, search) "
		    "SELECT b.id, u.id, $2, 1 + ($4::text IS NOT NULL)::int, "
		    "($4::text IS NOT NULL)::int, u.id, "
		    "to_tsvector('simple', magnet_fold($2)) FROM b, u "
		    "RETURNING id, board_id), "
		    "p1 AS (INSERT INTO posts (thread_id, seq, author_id, "
		    "body_md, body_html, search) SELECT t.id, 1, u.id, $3, "
		    "'<p>' || replace(replace(replace($3, '&', '&amp;'), '<', "
		    "'&lt;'), '>', '&gt;') || '</p>', "
		    "to_tsvector('simple', magnet_fold($3)) FROM t, u), "
		    "p2 AS (INSERT INTO posts (thread_id, seq, author_id, "
		    "body_md, body_html, official, search) SELECT t.id, 2, u.id, "
		    "$4, '<p>' || replace(replace(replace($4, '&', '&amp;'), "
		    "'<', '&lt;'), '>', '&gt;') || '</p>', true, "
		    "to_tsvector('simple', magnet_fold($4)) FROM t, u "
		    "WHERE $4::text IS NOT NULL) "
		    "UPDATE boards SET thread_count = thread_count + 1, "
		    "post_count = post_count + 1 + ($4::text IS NOT NULL)::int, "
		    "last_post_at = now(), last_thread_id = t.id FROM t "
		    "WHERE boards.id = t.board_id", 4, v) == -1)
			return -1;
	}
	return 0;
}

int
seed_demo(PGconn *c)
{
	PGresult *r;
	int fresh;

	if (exec_ok(c, "BEGIN", 0, NULL) == -1)
		return -1;
	r = PQexec(c, "INSERT INTO settings (key, value) VALUES "
	    "('demo_seeded', now()::text) ON CONFLICT DO NOTHING");
	fresh = PQresultStatus(r) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdTuples(r), "1") == 0;
	PQclear(r);
	if (!fresh) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		printf("sample content: already there\n");
		return 0;
	}
	if (seed_forum(c) == -1) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		return -1;
	}
	if (exec_ok(c, "COMMIT", 0, NULL) == -1)
		return -1;
	printf("sample content: added\n");
	return 1;
}
