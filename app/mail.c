/*
 * The mail sender (see mail.h and README "Mail").
 *
 * Kore's parent forks one supervisor per node (magnet-bgsup), which forks
 * the node's background process (magnet-bg) and starts another whenever
 * it dies.  That process sends the mail when the node is its sender
 * (mail_sender) and, on every node, fills in the search of new replies
 * (search_index.c).  Both run outside Kore's sandbox (it
 * closes in the workers only), as `user` when started as root, with the
 * templates, catalogues and keys the parent loaded.  The sender claims
 * due rows of mail_outbox with FOR UPDATE SKIP LOCKED, setting a lease:
 * another sender (another node) skips a locked or leased row, and a
 * sender that dies after claiming leaves its rows to whoever comes after
 * the lease, so a crash sends a mail at most once more and never loses
 * it.  A batch may take longer to send than the lease: before each mail
 * the sender renews its lease on that row, and only if the row is still
 * its own (the attempt it claimed, the lease not yet run out); a row
 * another sender claimed meanwhile is left to that sender.  A relay that refuses for now, or cannot be reached, gets the mail
 * again after a back-off (mail_retry_min, doubling to an hour) until
 * mail_retry_for has passed; a refusal for good (5xx) fails that mail
 * only.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "conf.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "note.h"
#include "request.h"
#include "search_index.h"
#include "tmpl.h"

#define BATCH		20
#define IDLE_MS		1000

static pid_t supervisor = -1;
static volatile sig_atomic_t stopping;
static const struct conf *cf;
static char password[256];

/* ---- composing ---- */

int
mail_header_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

int
mail_address_ok(const char *s)
{
	const char *at, *p;
	size_t len;

	if (s == NULL || (len = strlen(s)) < 6 || len > 254 ||
	    (at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    at == s || at - s > 64)
		return 0;
	for (p = s; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>()[]\\,;:\"", *p))
			return 0;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, "..") != NULL)
		return 0;
	for (p = at + 1; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	p = strrchr(at + 1, '.');
	return p != NULL && p != at + 1 && p[1] != '\0' && p[2] != '\0' &&
	    at[1] != '-' && at[1] != '.';
}

static void
base64(struct buf *b, const unsigned char *p, size_t n)
{
	char out[sodium_base64_ENCODED_LEN(57,
	    sodium_base64_VARIANT_ORIGINAL)];
	size_t k;

	while (n > 0) {
		k = n > 57 ? 57 : n;
		sodium_bin2base64(out, sizeof(out), p, k,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_puts(b, out);
		buf_puts(b, "\r\n");
		p += k;
		n -= k;
	}
}

void
mail_encode_words(struct buf *b, const char *s)
{
	char out[sodium_base64_ENCODED_LEN(45,
	    sodium_base64_VARIANT_ORIGINAL)];
	const unsigned char *p = (const unsigned char *)s;
	size_t n, k;
	int plain = strstr(s, "=?") == NULL;

	for (n = 0; p[n] != '\0'; n++)
		if (p[n] < ' ' || p[n] >= 0x7f)
			plain = 0;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	while (n > 0) {
		/* At most 45 bytes a word (a line under 76), never
		 * splitting a character. */
		k = n > 45 ? 45 : n;
		while (k < n && k > 0 && (p[k] & 0xc0) == 0x80)
			k--;
		sodium_bin2base64(out, sizeof(out), p, k,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_printf(b, "=?UTF-8?B?%s?=", out);
		p += k;
		n -= k;
		if (n > 0)
			buf_puts(b, "\r\n ");
	}
}

int
mail_compose(struct buf *b, const struct mail_msg *m)
{
	char date[64], bound[33];
	unsigned char rnd[16];
	struct tm tm;
	time_t now = time(NULL);

	/* The From address is the configuration's (checked at start; it
	 * may be user@localhost). */
	if (!mail_header_ok(m->from) || strpbrk(m->from, " <>") != NULL ||
	    !mail_address_ok(m->to) ||
	    !mail_header_ok(m->from_name) || !mail_header_ok(m->subject) ||
	    !mail_header_ok(m->msgid) || (m->unsub != NULL &&
	    (!mail_header_ok(m->unsub) || strpbrk(m->unsub, "<> ") != NULL)))
		return -1;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(bound, sizeof(bound), rnd, sizeof(rnd));
	buf_puts(b, "From: ");
	mail_encode_words(b, m->from_name);
	buf_printf(b, " <%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
	mail_encode_words(b, m->subject);
	buf_printf(b, "\r\nDate: %s\r\nMessage-ID: <%s>\r\n"
	    "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n", date,
	    m->msgid);
	if (m->unsub != NULL)
		buf_printf(b, "List-Unsubscribe: <%s>\r\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		    m->unsub);
	buf_printf(b, "Content-Type: multipart/alternative; "
	    "boundary=\"%s\"\r\n\r\n", bound);
	buf_printf(b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", bound);
	base64(b, (const unsigned char *)m->text, strlen(m->text));
	buf_printf(b, "--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", bound);
	base64(b, (const unsigned char *)m->html, strlen(m->html));
	buf_printf(b, "--%s--\r\n", bound);
	return 0;
}

void
mail_unsub_sig(long long uid, const char *kind, char out[33])
{
	char msg[128], h[65];

	snprintf(msg, sizeof(msg), "mail-unsubscribe:%lld:%s", uid, kind);
	auth_token_hash(msg, h);
	memcpy(out, h, 32);
	out[32] = '\0';
}

/* ---- transport ---- */

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
reader(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(ptr, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* 0 sent; -1 failed, *permanent when the relay refused for good. */
static int
smtp_send(const char *to, const struct buf *msg, char *err, size_t errlen,
    int *permanent)
{
	struct curl_slist *rcpt = NULL;
	struct upload u = { msg->p, msg->len };
	char url[300], from[300], rto[300];
	long code = 0;
	CURLcode rc;
	CURL *c;

	*permanent = 0;
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "curl_easy_init");
		return -1;
	}
	snprintf(url, sizeof(url), "%s://%s:%d",
	    strcmp(cf->smtp_tls, "tls") == 0 ? "smtps" : "smtp",
	    cf->smtp_host, cf->smtp_port);
	snprintf(from, sizeof(from), "<%s>", cf->mail_from);
	snprintf(rto, sizeof(rto), "<%s>", to);
	rcpt = curl_slist_append(rcpt, rto);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (strcmp(cf->smtp_tls, "starttls") == 0)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cf->smtp_user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cf->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, reader);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK)
		return 0;
	*permanent = code >= 500 && code < 600;
	snprintf(err, errlen, "%s (SMTP %ld)", curl_easy_strerror(rc), code);
	return -1;
}

/* With no relay: mail_dir/ID.eml, written whole or not at all. */
static int
eml_write(const char *id, const struct buf *msg, char *err, size_t errlen)
{
	char tmp[1200], path[1200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", cf->mail_dir, id);
	snprintf(path, sizeof(path), "%s/%s.eml", cf->mail_dir, id);
	if ((f = fopen(tmp, "w")) == NULL) {
		snprintf(err, errlen, "%.300s: %s", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(msg->p, 1, msg->len, f) != msg->len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		snprintf(err, errlen, "%.300s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%.300s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- the database ---- */

static PGresult *
q(PGconn *c, const char *sql, int n, const char *const *args)
{
	PGresult *r;

	r = PQexecParams(c, sql, n, NULL, args, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_warnx("mail: %.*s", (int)strcspn(PQerrorMessage(c), "\n"),
		    PQerrorMessage(c));
		PQclear(r);
		return NULL;
	}
	return r;
}

static const char *
col(const PGresult *r, int i, const char *name)
{
	int k = PQfnumber(r, name);

	return k < 0 || PQgetisnull(r, i, k) ? NULL : PQgetvalue(r, i, k);
}

/* The claimed mails: due, not locked by another sender, not leased. */
static const char SQL_CLAIM[] =
    "UPDATE mail_outbox SET lease_until = now() + make_interval(secs => $1), "
    "attempts = attempts + 1 WHERE id IN (SELECT id FROM mail_outbox "
    "WHERE state = 'queued' AND next_at <= now() AND (lease_until IS NULL "
    "OR lease_until < now()) ORDER BY next_at, id LIMIT 20 "
    "FOR UPDATE SKIP LOCKED) RETURNING id, attempts";

/* Still ours: the attempt we claimed, the lease running; renewed. */
static const char SQL_MINE[] =
    "UPDATE mail_outbox SET lease_until = now() + make_interval(secs => $3) "
    "WHERE id = $1 AND attempts = $2::int AND state = 'queued' AND "
    "lease_until > now() RETURNING id";

static const char SQL_ROW[] =
    "SELECT o.id, o.user_id AS uid, o.kind, o.note_kind, o.secret, "
    "coalesce(o.address, u.email) AS address, u.username AS name, "
    "coalesce(u.lang, 'ckb') AS lang, u.deleted_at IS NOT NULL AS gone "
    "FROM mail_outbox o JOIN users u ON u.id = o.user_id WHERE o.id = $1";

/* What a notice, a message or a digest says, item by item, with only
 * what the recipient may see now: a post or thread still published, a
 * message of a conversation the recipient is in, from nobody blocked;
 * a kind turned off since is left out. */
static const char SQL_ITEMS[] =
    "SELECT o.id, n.kind, coalesce(a.username, '') AS actor, n.subject, "
    "n.link FROM mail_outbox o JOIN notifications n ON n.id = o.note_id "
    "LEFT JOIN users a ON a.id = n.actor_id "
    "LEFT JOIN posts p ON p.id = n.post_id "
    "LEFT JOIN threads t ON t.id = n.thread_id "
    "WHERE (o.id = $1 OR o.digest_id = $1) AND o.kind = 'note' "
    "AND (n.post_id IS NULL OR p.state = 'published') "
    "AND (n.thread_id IS NULL OR t.state = 'published') "
    "AND magnet_mail_mode(o.user_id, o.note_kind) <> 'never' "
    "UNION ALL SELECT o.id, 'message', a.username, c.subject, "
    "'/messages/' || c.id FROM mail_outbox o "
    "JOIN messages m ON m.id = o.message_id "
    "JOIN conversations c ON c.id = m.conversation_id "
    "JOIN users a ON a.id = m.author_id "
    "WHERE (o.id = $1 OR o.digest_id = $1) AND o.kind = 'message' "
    "AND EXISTS (SELECT 1 FROM conversation_members cm WHERE "
    "cm.conversation_id = c.id AND cm.user_id = o.user_id) "
    "AND NOT EXISTS (SELECT 1 FROM message_blocks b WHERE "
    "b.blocker_id = o.user_id AND b.blocked_id = m.author_id) "
    "AND magnet_mail_mode(o.user_id, 'message') <> 'never' "
    /* A job alert: the vacancy still published and open. */
    "UNION ALL SELECT o.id, 'alert', '', v.title, '/jobs/' || v.id "
    "FROM mail_outbox o JOIN vacancies v ON v.id = o.vacancy_id "
    "WHERE (o.id = $1 OR o.digest_id = $1) AND o.kind = 'alert' "
    "AND v.state = 'published' AND v.deadline >= magnet_today() "
    "AND magnet_mail_mode(o.user_id, 'alert') <> 'never' "
    "ORDER BY 1";

/* ---- rendering ---- */

struct mail {
	struct request	*rq;		/* lang and arena, for T() */
	const char	*to;
	const char	*subject;
	const char	*unsub;
	struct buf	 text;
	struct buf	 html;
};

/* The items of a notice or digest as the list "items" and the text. */
static int
items(PGconn *c, struct mail *m, const char *id, struct tmpl_vars *v)
{
	struct request *rq = m->rq;
	struct tmpl_vars *it;
	const char *args[1] = { id }, *s;
	PGresult *r;
	int i, n;

	if ((r = q(c, SQL_ITEMS, 1, args)) == NULL)
		return -1;
	n = PQntuples(r);
	it = arena_alloc(rq->arena, sizeof(*it) * (size_t)(n > 0 ? n : 1));
	for (i = 0; i < n; i++) {
		s = note_sentence(rq, col(r, i, "kind"), col(r, i, "actor"),
		    col(r, i, "subject"));
		tmpl_init(&it[i], rq->arena);
		tmpl_set(&it[i], "text", s);
		tmpl_set(&it[i], "link", arena_printf(rq->arena, "%s%s",
		    cf->base_url, col(r, i, "link")));
		buf_printf(&m->text, "* %s\n  %s%s\n\n", s, cf->base_url,
		    col(r, i, "link"));
		if (i == 0)
			m->subject = s;
	}
	tmpl_set_items(v, "items", it, (size_t)n);
	PQclear(r);
	return n;
}

/*
 * Render outbox row id into m: 1 ready, 0 nothing to send (the reason
 * in why), -1 the database failed.
 */
static int
render(PGconn *c, const char *id, struct mail *m, const char **why)
{
	struct request *rq = m->rq;
	struct tmpl_vars v;
	const char *args[1] = { id }, *kind, *secret, *name, *intro = NULL;
	const char *link = NULL, *label = NULL, *nk;
	char sig[33];
	enum lang l;
	PGresult *r;
	long long uid;
	int n;

	if ((r = q(c, SQL_ROW, 1, args)) == NULL)
		return -1;
	if (PQntuples(r) != 1 || strcmp(col(r, 0, "gone"), "t") == 0 ||
	    col(r, 0, "address") == NULL) {
		PQclear(r);
		*why = "no address";
		return 0;
	}
	if (i18n_from_tag(col(r, 0, "lang"), &l) == -1)
		l = LANG_CKB;
	rq->lang = l;
	m->to = arena_strdup(rq->arena, col(r, 0, "address"));
	kind = arena_strdup(rq->arena, col(r, 0, "kind"));
	nk = col(r, 0, "note_kind");
	nk = arena_strdup(rq->arena, nk != NULL ? nk : "");
	secret = col(r, 0, "secret");
	secret = secret != NULL ? arena_strdup(rq->arena, secret) : NULL;
	name = i18n_isolate(rq->arena, col(r, 0, "name"));
	uid = strtoll(col(r, 0, "uid"), NULL, 10);
	PQclear(r);

	tmpl_init(&v, rq->arena);
	if (strcmp(kind, "confirm") == 0 || strcmp(kind, "reset") == 0) {
		if (secret == NULL) {
			*why = "link already sent";
			return 0;
		}
		if (kind[0] == 'c') {
			m->subject = T(rq, "Confirm your e-mail address");
			intro = arena_printf(rq->arena, T(rq, "Someone, "
			    "probably you, gave this address for the account "
			    "%s on Magnet. Open the link to confirm it: it "
			    "works once, for a day. If it was not you, "
			    "ignore this mail."), name);
			link = arena_printf(rq->arena, "%s/account/email/"
			    "confirm/%s", cf->base_url, secret);
			label = T(rq, "Confirm the address");
		} else {
			m->subject = T(rq, "Choose a new password");
			intro = arena_printf(rq->arena, T(rq, "Someone asked "
			    "for a new password for the account %s on Magnet. "
			    "Open the link to choose one: it works once, for "
			    "an hour. If it was not you, ignore this mail; "
			    "your password stays as it is."), name);
			link = arena_printf(rq->arena, "%s/reset/%s",
			    cf->base_url, secret);
			label = T(rq, "Choose a new password");
		}
	} else if (strcmp(kind, "changed") == 0) {
		m->subject = T(rq, "The e-mail address of your account "
		    "changed");
		intro = arena_printf(rq->arena, T(rq, "The e-mail address of "
		    "the account %s on Magnet was changed; mail now goes to "
		    "the new address. If you did not do this, write to the "
		    "counsellors."), name);
		link = arena_printf(rq->arena, "%s/contact", cf->base_url);
		label = T(rq, "Write to the counsellors");
	} else {
		if ((n = items(c, m, id, &v)) == -1)
			return -1;
		if (n == 0) {
			*why = "nothing left the recipient may see";
			return 0;
		}
		if (strcmp(kind, "digest") == 0) {
			m->subject = T(rq, "Your daily summary from Magnet");
			intro = T(rq, "You get this summary once a day because "
			    "you asked for these notifications by mail.");
			nk = "digest";
		} else
			intro = T(rq, "You get this mail because you asked to "
			    "be told of this at once.");
		mail_unsub_sig(uid, nk, sig);
		m->unsub = arena_printf(rq->arena, "%s/mail/unsubscribe/%lld/"
		    "%s.%s", cf->base_url, uid, nk, sig);
		tmpl_set(&v, "unsub", m->unsub);
		tmpl_set(&v, "settings", arena_printf(rq->arena,
		    "%s/account/mail", cf->base_url));
	}
	tmpl_set(&v, "lang", i18n_langs[l].tag);
	tmpl_set(&v, "dir", i18n_langs[l].dir);
	tmpl_set(&v, "subject", m->subject);
	tmpl_set(&v, "intro", intro);
	tmpl_set(&v, "link", link);
	tmpl_set(&v, "label", label);
	if (tmpl_render(&m->html, "mail_body", l, &v) == -1) {
		*why = "the template failed";
		return 0;
	}
	/* The plain-text part: the same words, no markup. */
	if (link != NULL)
		buf_printf(&m->text, "%s\n\n%s\n\n%s:\n%s\n", m->subject,
		    intro, label, link);
	else
		buf_printf(&m->text, "%s\n%s\n%s\n%s\n%s\n", intro,
		    T(rq, "Choose what is mailed to you:"),
		    tmpl_var(&v, "settings"), T(rq, "Stop these mails:"),
		    m->unsub);
	return 1;
}

/* ---- sending ---- */

static void
mark(PGconn *c, const char *sql, const char *id, const char *a2,
    const char *a3)
{
	const char *args[3] = { id, a2, a3 };
	PGresult *r;

	if ((r = q(c, sql, a3 != NULL ? 3 : a2 != NULL ? 2 : 1, args)) != NULL)
		PQclear(r);
}

static const char SQL_SENT[] = "UPDATE mail_outbox SET state = 'sent', "
    "sent_at = now(), sent_to = $2, secret = NULL, lease_until = NULL, "
    "last_error = NULL WHERE id = $1";
static const char SQL_DROP[] = "UPDATE mail_outbox SET state = 'dropped', "
    "secret = NULL, lease_until = NULL, last_error = $2 WHERE id = $1";
/* $2 the error, $3 'perm' for a refusal for good; else retried after
 * mail_retry_min doubling per attempt up to an hour, until
 * mail_retry_for has passed since it was written. */
static const char SQL_RETRY[] = "UPDATE mail_outbox SET lease_until = NULL, "
    "last_error = $2, state = CASE WHEN $3 = 'perm' OR created_at < now() - "
    "make_interval(secs => $5) THEN 'failed' ELSE 'queued' END, "
    "secret = CASE WHEN $3 = 'perm' OR created_at < now() - "
    "make_interval(secs => $5) THEN NULL ELSE secret END, "
    "next_at = now() + make_interval(secs => least(3600, $4::float8 * "
    "power(2, least(attempts - 1, 20)))) WHERE id = $1";
/* Over the address's hourly limit: wait, without counting an attempt. */
static const char SQL_LIMIT[] = "SELECT count(*) >= $2::int AS over "
    "FROM mail_outbox WHERE sent_to = $1 AND state = 'sent' AND "
    "sent_at > now() - interval '1 hour'";
static const char SQL_WAIT[] = "UPDATE mail_outbox SET lease_until = NULL, "
    "attempts = attempts - 1, next_at = now() + interval '5 minutes' "
    "WHERE id = $1";

/* 1 if the row is still this sender's (its lease renewed), 0 if another
 * sender has it now, -1 on a database error. */
static int
still_mine(PGconn *c, const char *id, const char *attempt, const char *lease)
{
	const char *args[3] = { id, attempt, lease };
	PGresult *r;
	int n;

	if ((r = q(c, SQL_MINE, 3, args)) == NULL)
		return -1;
	n = PQntuples(r);
	PQclear(r);
	if (n == 0)
		log_info("mail %s: taken by another sender", id);
	return n > 0;
}

static int
send_one(PGconn *c, const char *id, const char *attempt, const char *lease)
{
	struct mail m;
	struct buf msg;
	struct mail_msg mm;
	char err[512], msgid[300], per[16], nmin[16], nfor[16];
	const char *why = NULL, *args[5];
	char *subj, *p;
	PGresult *r;
	int rc, perm = 0, over;

	if ((rc = still_mine(c, id, attempt, lease)) != 1)
		return rc;
	memset(&m, 0, sizeof(m));
	m.rq = request_new("GET", "/");
	buf_init(&m.text);
	buf_init(&m.html);
	buf_init(&msg);
	if ((rc = render(c, id, &m, &why)) == 0) {
		log_info("mail %s dropped: %s", id, why);
		mark(c, SQL_DROP, id, why, NULL);
		goto done;
	}
	if (rc == -1)
		goto done;
	snprintf(per, sizeof(per), "%d", cf->mail_per_hour);
	args[0] = m.to;
	args[1] = per;
	if ((r = q(c, SQL_LIMIT, 2, args)) == NULL) {
		rc = -1;
		goto done;
	}
	over = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (over) {
		log_info("mail %s waits: %d mails this hour to its address",
		    id, cf->mail_per_hour);
		mark(c, SQL_WAIT, id, NULL, NULL);
		goto done;
	}
	snprintf(msgid, sizeof(msgid), "magnet-mail-%s@%s", id,
	    strchr(cf->mail_from, '@') + 1);
	mm.from = cf->mail_from;
	mm.from_name = cf->mail_from_name;
	mm.to = m.to;
	/* A title with a line break (never from a form, but the database
	 * does not forbid it) becomes one line; compose refuses CR and LF
	 * in any header all the same. */
	subj = arena_strdup(m.rq->arena, m.subject);
	for (p = subj; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	mm.subject = subj;
	mm.msgid = msgid;
	mm.unsub = m.unsub;
	mm.text = m.text.p != NULL ? m.text.p : "";
	mm.html = m.html.p != NULL ? m.html.p : "";
	if (mail_compose(&msg, &mm) == -1) {
		mark(c, SQL_DROP, id, "a header or address is not allowed",
		    NULL);
		goto done;
	}
	if (cf->smtp_host[0] == '\0')
		rc = eml_write(id, &msg, err, sizeof(err));
	else
		rc = smtp_send(m.to, &msg, err, sizeof(err), &perm);
	if (rc == 0) {
		log_info("mail %s sent", id);
		mark(c, SQL_SENT, id, m.to, NULL);
	} else {
		log_warnx("mail %s not sent: %s", id, err);
		snprintf(nmin, sizeof(nmin), "%d", cf->mail_retry_min);
		snprintf(nfor, sizeof(nfor), "%d", cf->mail_retry_for);
		args[0] = id;
		args[1] = err;
		args[2] = perm ? "perm" : "";
		args[3] = nmin;
		args[4] = nfor;
		if ((r = q(c, SQL_RETRY, 5, args)) != NULL)
			PQclear(r);
		rc = 0;
	}
done:
	buf_free(&msg);
	buf_free(&m.text);
	buf_free(&m.html);
	request_free(m.rq);
	return rc;
}

/* Claim and send what is due: how many were claimed, or -1. */
static int
send_due(PGconn *c)
{
	char lease[16];
	const char *args[1] = { lease };
	PGresult *r;
	int i, n;

	snprintf(lease, sizeof(lease), "%d", cf->mail_lease);
	if ((r = q(c, SQL_CLAIM, 1, args)) == NULL)
		return -1;
	n = PQntuples(r);
	for (i = 0; i < n && !stopping; i++)
		if (send_one(c, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    lease) == -1)
			break;
	PQclear(r);
	return i < n && !stopping ? -1 : n;
}

/* The daily digest, once a day past mail_digest_hour, by one node. */
static void
digest_due(PGconn *c)
{
	char hour[16];
	const char *args[1] = { hour };
	PGresult *r;

	if (cf->mail_digest_hour < 0)
		return;
	snprintf(hour, sizeof(hour), "%d", cf->mail_digest_hour);
	r = q(c, "WITH d AS (INSERT INTO mail_digest_runs (day) "
	    "SELECT magnet_today() WHERE extract(hour FROM "
	    "magnet_local(now())) >= $1::int ON CONFLICT DO NOTHING "
	    "RETURNING day) SELECT magnet_mail_digest() FROM d", 1, args);
	if (r != NULL)
		PQclear(r);
}

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static PGconn *
connect_db(void)
{
	PGconn *c;

	c = PQconnectdb(cf->db);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* The node's background process: the mail that is due (when this node
 * sends mail) and the search of new replies (search_index.c). */
static void
sender_main(void)
{
	PGconn *c = NULL;
	long long last_digest = 0;
	int n, quiet = 0;

	(void)prctl(PR_SET_NAME, "magnet-bg");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	while (!stopping) {
		if (c == NULL && (c = connect_db()) == NULL) {
			if (!quiet)
				log_warnx("background: no database; trying "
				    "again");
			quiet = 1;
			sleep(2);
			continue;
		}
		quiet = 0;
		n = 0;
		if (cf->mail_sender) {
			if (mono_ms() - last_digest > 30000) {
				digest_due(c);
				last_digest = mono_ms();
			}
			n = send_due(c);
		}
		if (search_index_step(c, n > 0 ? 0 : IDLE_MS) == -1 ||
		    n == -1) {
			if (PQstatus(c) == CONNECTION_OK)
				sleep(1);	/* refused: not in a loop */
			else {
				PQfinish(c);
				c = NULL;
			}
		}
	}
	if (c != NULL)
		PQfinish(c);
	curl_global_cleanup();
}

/* As root: become `user`, after making mail_dir its. */
static int
drop_privileges(void)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	if ((pw = getpwnam(cf->user)) == NULL)
		return -1;
	if (chown(cf->mail_dir, pw->pw_uid, pw->pw_gid) == -1 &&
	    errno != ENOENT)
		log_warn("mail_dir %s", cf->mail_dir);
	return setgroups(1, &pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1 ? -1 : 0;
}

static int
read_password(void)
{
	FILE *f;

	snprintf(password, sizeof(password), "%s", cf->smtp_password);
	if (cf->smtp_password_file[0] == '\0')
		return 0;
	if ((f = fopen(cf->smtp_password_file, "r")) == NULL) {
		log_warn("smtp_password_file %s", cf->smtp_password_file);
		return -1;
	}
	if (fgets(password, sizeof(password), f) == NULL)
		password[0] = '\0';
	password[strcspn(password, "\r\n")] = '\0';
	fclose(f);
	return 0;
}

/* The supervisor: keeps one sender running until told to stop. */
static void
supervise(pid_t parent)
{
	struct sigaction sa;
	pid_t pid;
	int status;

	(void)prctl(PR_SET_NAME, "magnet-bgsup");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (drop_privileges() == -1) {
		log_warnx("mail: cannot become %s", cf->user);
		_exit(1);
	}
	/* setuid cleared it: end with Kore's parent. */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	while (!stopping) {
		if ((pid = fork()) == -1) {
			sleep(1);
			continue;
		}
		if (pid == 0) {
			(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
			sender_main();
			_exit(0);
		}
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			if (stopping)
				(void)kill(pid, SIGTERM);
		if (!stopping) {
			log_warnx("background: the process ended (status %d); "
			    "starting another", status);
			sleep(1);
		}
	}
	_exit(0);
}

int
mail_start(const struct conf *c)
{
	pid_t parent = getpid();

	cf = c;
	if (c->mail_sender && read_password() == -1)
		return -1;
	if (c->mail_sender && c->smtp_host[0] == '\0' &&
	    mkdir(c->mail_dir, 0750) == -1 && errno != EEXIST) {
		log_warn("mail_dir %s", c->mail_dir);
		return -1;
	}
	if ((supervisor = fork()) == -1) {
		log_warn("background: fork");
		return -1;
	}
	if (supervisor == 0)
		supervise(parent);
	if (c->mail_sender)
		log_info("mail: sender started (%s)", c->smtp_host[0] != '\0' ?
		    c->smtp_host : c->mail_dir);
	return 0;
}

void
mail_stop(void)
{
	int i, status;

	if (supervisor <= 0)
		return;
	(void)kill(supervisor, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(supervisor, &status, WNOHANG) != 0)
			break;
		usleep(50000);
	}
	if (i == 200) {
		(void)kill(supervisor, SIGKILL);
		(void)waitpid(supervisor, &status, 0);
	}
	supervisor = -1;
}

int
mail_cmd(const struct conf *c, const char *what)
{
	PGconn *db;
	PGresult *r;
	int rc = 1;

	cf = c;
	if ((db = connect_db()) == NULL) {
		log_warnx("mail: cannot connect to the database");
		return 1;
	}
	if (strcmp(what, "digest") == 0) {
		if ((r = q(db, "SELECT magnet_mail_digest() AS n", 0,
		    NULL)) != NULL) {
			printf("%s digests\n", PQgetvalue(r, 0, 0));
			PQclear(r);
			rc = 0;
		}
	} else if (strcmp(what, "send") == 0 && read_password() == 0) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		while ((rc = send_due(db)) > 0)
			;
		rc = rc == -1;
		curl_global_cleanup();
	}
	PQfinish(db);
	return rc;
}
