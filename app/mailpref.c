/*
 * What is mailed to a person (README "Mail"): for each kind of
 * notification the database knows (mail_kinds, kinds added later too),
 * at once, in the daily digest or never (/account/mail); and job alerts,
 * saved searches of /jobs or "vacancies that match my profile"
 * (/account/alerts), which a trigger on vacancies turns into mail when a
 * counsellor publishes one (migration 0032).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "jobs.h"
#include "mailpref.h"
#include "page.h"
#include "param.h"
#include "request.h"
#include "tmpl.h"
#include "user.h"

/* The label of each kind; another kind gets a generic one. */
static const struct {
	const char	*kind;
	const char	*label;
} labels[] = {
	{ "message", N_("Messages written to you") },
	{ "application_status", N_("Changes to your applications") },
	{ "application", N_("Applications to your vacancies") },
	{ "application_withdrawn", N_("Applications withdrawn from your "
	    "vacancies") },
	{ "referral", N_("A counsellor referred you to a vacancy") },
	{ "referral_status", N_("Changes to your referrals") },
	{ "referral_employer", N_("Returnees referred to your vacancies") },
	{ "alert", N_("Job alerts: new vacancies like those you asked for") },
	{ "reply", N_("Replies to your posts") },
	{ "quote", N_("Your posts quoted") },
	{ "mention", N_("Your name mentioned in a post") },
	{ "watch_reply", N_("New replies in threads you watch") },
	{ "board_thread", N_("New threads on boards you watch") },
	{ "board_reply", N_("New replies on boards you watch") },
	{ "thanks", N_("Thanks for your posts") },
	{ "thanks_more", N_("More thanks for a post already thanked") },
	{ "event_moved", N_("An event you go to moved") },
	{ "event_cancelled", N_("An event you go to was cancelled") },
	{ "approved", N_("A counsellor approved what you wrote") },
	{ "rejected", N_("A counsellor did not approve what you wrote") },
	{ "edit_approved", N_("Changes to your vacancies approved") },
	{ "edit_rejected", N_("Changes to your vacancies not approved") },
	{ "verified", N_("Your enterprise verified") },
	{ "unverified", N_("Your enterprise's verified badge taken back") },
};

static const struct db_stmt stmts[] = {
	/* Every kind with the person's choice, else the default. */
	{ "mailpref_kinds", "SELECT k.kind, coalesce(p.mode, "
	    "magnet_mail_default(k.kind)) AS mode, magnet_mail_default(k.kind) "
	    "AS dflt FROM mail_kinds k LEFT JOIN mail_prefs p ON p.user_id = "
	    "$1 AND p.kind = k.kind ORDER BY k.pos, k.kind" },
	/* A choice equal to the default is no row: the default stays the
	 * person's if it changes. */
	{ "mailpref_clear", "DELETE FROM mail_prefs WHERE user_id = $1 AND "
	    "kind = ANY ($2::text[])" },
	{ "alert_list", "SELECT id, profile, governorate, sector, kind, "
	    "contract, words, magnet_day(created_at) AS day FROM job_alerts "
	    "WHERE user_id = $1 ORDER BY id DESC" },
	/* At most 20 alerts each; the same search twice is one. */
	{ "alert_add", "INSERT INTO job_alerts (user_id, profile, governorate, "
	    "sector, kind, contract, words) SELECT $1, $2::boolean, $3, $4, "
	    "$5, $6, $7 WHERE (SELECT count(*) FROM job_alerts WHERE user_id "
	    "= $1) < 20 ON CONFLICT DO NOTHING" },
	{ "alert_mail", "SELECT email IS NULL AS no_mail FROM users "
	    "WHERE id = $1" },
	{ "alert_del", "DELETE FROM job_alerts WHERE id = $1 AND user_id = $2 "
	    "RETURNING id" },
	{ "mailpref_set", "INSERT INTO mail_prefs (user_id, kind, mode) "
	    "SELECT $1, t.k, t.m FROM unnest($2::text[], $3::text[]) AS "
	    "t(k, m) JOIN mail_kinds mk ON mk.kind = t.k WHERE t.m <> "
	    "magnet_mail_default(t.k)" },
};

void
mailpref_init(void)
{
	DB_REGISTER(stmts);
}

/* The choice the refused form sent for kind, or NULL. */
static const char *
posted(struct request *req, const char *kind)
{
	size_t i;

	for (i = 0; i < req->nfields; i++)
		if (strncmp(req->fields[i].key, "m_", 2) == 0 &&
		    strcmp(req->fields[i].key + 2, kind) == 0)
			return req->fields[i].val;
	return NULL;
}

static void
kind_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const char *kind = db_get(r, i, "kind"), *mode, *label = NULL;
	size_t k;

	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		if (strcmp(labels[k].kind, kind) == 0)
			label = T(req, labels[k].label);
	tmpl_set(row, "label", label != NULL ? label :
	    T(req, "Other notifications"));
	tmpl_set_bool(row, "other", label == NULL);
	/* A refused form shows what was sent; else the choice in force. */
	mode = req->method == M_POST ? posted(req, kind) :
	    db_get(r, i, "mode");
	if (mode == NULL)
		mode = "";
	tmpl_set_bool(row, "now", strcmp(mode, "now") == 0);
	tmpl_set_bool(row, "digest", strcmp(mode, "digest") == 0);
	tmpl_set_bool(row, "never", strcmp(mode, "never") == 0);
}

static int
prefs_page(struct request *req, int status, const char *problem)
{
	struct tmpl_vars v;
	PGresult *r;

	if ((r = DB_Q(req, "mailpref_kinds", request_uid(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_set_rows(&v, "kinds", r, kind_row, req);
	tmpl_set(&v, "problem", problem ? T(req, problem) : NULL);
	tmpl_set_bool(&v, "saved", request_query(req, "saved") != NULL);
	tmpl_set_bool(&v, "returnee", req->user->role == ROLE_RETURNEE);
	req->personal = 1;
	return page_render(req, status, T(req, "What is mailed to you"),
	    "account_mail", &v);
}

int
mailpref_form(struct request *req)
{
	return prefs_page(req, 200, NULL);
}

/* The fields m_KIND = now, digest or never; any other value refuses the
 * form, which comes back with every choice as it was sent. */
int
mailpref_save(struct request *req)
{
	struct buf kinds, modes;
	const char *k, *m;
	size_t i;
	int bad = 0, rc;

	buf_init(&kinds);
	buf_init(&modes);
	for (i = 0; i < req->nfields; i++) {
		if (strncmp(req->fields[i].key, "m_", 2) != 0)
			continue;
		k = req->fields[i].key + 2;
		m = req->fields[i].val;
		if (*k == '\0' || strlen(k) > 32 || strspn(k,
		    "abcdefghijklmnopqrstuvwxyz_") != strlen(k) ||
		    (strcmp(m, "now") != 0 && strcmp(m, "digest") != 0 &&
		    strcmp(m, "never") != 0)) {
			bad = 1;
			break;
		}
		buf_puts(&kinds, kinds.len ? "," : "{");
		buf_puts(&kinds, k);
		buf_puts(&modes, modes.len ? "," : "{");
		buf_puts(&modes, m);
	}
	buf_puts(&kinds, kinds.len ? "}" : "{}");
	buf_puts(&modes, modes.len ? "}" : "{}");
	if (bad) {
		buf_free(&kinds);
		buf_free(&modes);
		return prefs_page(req, 422, N_("Choose one of the answers "
		    "offered for each kind of mail."));
	}
	rc = db_begin() == -1 || DB_RUN("mailpref_clear", request_uid(req),
	    kinds.p) == -1 || DB_RUN("mailpref_set", request_uid(req),
	    kinds.p, modes.p) == -1 || db_commit() == -1;
	buf_free(&kinds);
	buf_free(&modes);
	if (rc) {
		db_rollback();
		return page_unavailable(req);
	}
	return request_redirect(req, "/account/mail?saved=1");
}

/* ---- job alerts ---- */

static void
alert_row(void *ctx, struct tmpl_vars *row, const PGresult *r, int i)
{
	struct request *req = ctx;
	const struct {
		enum jobs_list	 l;
		const char	*col;
	} f[] = { { JOBS_GOVERNORATE, "governorate" },
	    { JOBS_SECTOR, "sector" }, { JOBS_KIND, "kind" },
	    { JOBS_CONTRACT, "contract" } };
	const char *what = NULL, *val;
	size_t k;

	for (k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		if (*(val = db_get(r, i, f[k].col)) == '\0')
			continue;
		val = jobs_label(req, f[k].l, val);
		what = what == NULL ? val : arena_printf(req->arena, "%s · %s",
		    what, val);
	}
	tmpl_set(row, "filters", what);
	tmpl_set_bool(row, "profile", strcmp(db_get(r, i, "profile"),
	    "t") == 0);
}

int
mailpref_alerts(struct request *req)
{
	struct tmpl_vars v;
	PGresult *r, *m;

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Job alerts are for "
		    "returnees."));
	if ((r = DB_Q(req, "alert_list", request_uid(req))) == NULL ||
	    (m = DB_Q(req, "alert_mail", request_uid(req))) == NULL)
		return page_unavailable(req);
	tmpl_init(&v, req->arena);
	tmpl_bind_row(&v, m, 0);
	tmpl_set_rows(&v, "alerts", r, alert_row, req);
	tmpl_set_bool(&v, "saved", request_query(req, "saved") != NULL);
	req->personal = 1;
	return page_render(req, 200, T(req, "Job alerts"), "account_alerts",
	    &v);
}

/* The search of /jobs (its filters, already checked as /jobs checks
 * them) or "profile=1": vacancies that match the profile. */
int
mailpref_alert_add(struct request *req)
{
	const char *profile = param_str(req, "profile");

	if (req->user->role != ROLE_RETURNEE)
		return page_error(req, 403, N_("Job alerts are for "
		    "returnees."));
	if (req->nerrors > 0)
		return page_error(req, 400, N_("This page link is not valid."));
	if (DB_RUN("alert_add", request_uid(req), *profile ? "true" : "false",
	    *profile ? "" : param_str(req, "governorate"), *profile ? "" :
	    param_str(req, "sector"), *profile ? "" : param_str(req, "kind"),
	    *profile ? "" : param_str(req, "contract"), *profile ? "" :
	    param_str(req, "q")) == -1)
		return page_unavailable(req);
	return request_redirect(req, "/account/alerts?saved=1");
}

int
mailpref_alert_del(struct request *req)
{
	PGresult *r;

	if ((r = DB_Q(req, "alert_del", request_id(req),
	    request_uid(req))) == NULL)
		return page_unavailable(req);
	if (PQntuples(r) != 1)
		return page_error(req, 404, N_("There is no such alert."));
	return request_redirect(req, "/account/alerts");
}
