/*
 * The route table: the one list of every URL, its handler, who may call
 * it and the parameters it reads.  Patterns are literal segments, {id}
 * (a positive number) and {slug} (lower-case letters, digits, '-', '.'
 * and '_'), each a whole segment, typed by param.c.  GET routes answer
 * HEAD too.  A path that matches a pattern under another method is 405,
 * not 404.  server.c registers one Kore route per pattern from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "page.h"
#include "param.h"
#include "route.h"
#include "account.h"
#include "admin.h"
#include "api.h"
#include "apply.h"
#include "enterprise.h"
#include "event.h"
#include "feed.h"
#include "forum.h"
#include "guide.h"
#include "jobs.h"
#include "jobs_employer.h"
#include "jobs_mod.h"
#include "mod.h"
#include "msg.h"
#include "msg_contact.h"
#include "msg_mod.h"
#include "note.h"
#include "profile.h"
#include "referral.h"
#include "search.h"
#include "site.h"
#include "user.h"

static const struct route routes[] = {
	{ M_GET, "/", site_home, A_ANY, NULL, R_CACHE },
	{ M_GET, "/healthz", site_healthz, A_ANY, NULL, R_NODB },
	{ M_GET, "/static/{slug}", page_static, A_ANY, NULL,
	    R_NODB | R_INLINE },
	{ M_GET, "/register", user_register_form, A_ANY,
	    user_register_form_params, 0 },
	{ M_POST, "/register", user_register, A_ANY, user_register_params,
	    R_HASH },
	{ M_GET, "/login", user_login_form, A_ANY, user_login_form_params, 0 },
	{ M_POST, "/login", user_login, A_ANY, user_login_params, R_HASH },
	{ M_POST, "/logout", user_logout, A_USER, NULL, 0 },
	{ M_POST, "/lang", user_set_lang, A_ANY, user_lang_params, 0 },
	{ M_GET, "/account", account_home, A_USER, NULL, 0 },
	{ M_GET, "/account/password", account_password_form, A_USER, NULL, 0 },
	{ M_POST, "/account/password", account_password, A_USER,
	    account_password_params, R_HASH },
	{ M_GET, "/account/export", account_export, A_USER, NULL, 0 },
	{ M_GET, "/account/delete", account_delete_form, A_USER, NULL, 0 },
	{ M_POST, "/account/delete", account_delete, A_USER,
	    account_delete_params, R_HASH },
	{ M_POST, "/account/welcome", account_welcome_close, A_USER,
	    account_welcome_params, 0 },
	/* Help for someone who cannot sign in (msg_contact.c). */
	{ M_GET, "/contact", msg_contact_form, A_ANY, msg_contact_form_params,
	    0 },
	{ M_POST, "/contact", msg_contact, A_ANY, msg_contact_params, 0 },
	{ M_GET, "/reset/{slug}", account_reset_form, A_ANY, NULL, 0 },
	{ M_POST, "/reset/{slug}", account_reset, A_ANY, account_reset_params,
	    R_HASH },
	{ M_GET, "/b/{slug}", forum_board, A_ANY, forum_board_params,
	    R_CACHE },
	{ M_GET, "/b/{slug}/new", forum_new_form, A_USER, NULL, 0 },
	{ M_POST, "/b/{slug}/new", forum_new, A_USER, forum_new_params,
	    R_RENDER },
	{ M_GET, "/t/{id}", forum_thread, A_ANY, forum_thread_params,
	    R_CACHE },
	{ M_GET, "/t/{id}/reply", forum_reply_form, A_USER,
	    forum_reply_form_params, 0 },
	{ M_POST, "/t/{id}/reply", forum_reply, A_USER, forum_reply_params,
	    R_RENDER },
	{ M_GET, "/p/{id}", forum_post, A_ANY, NULL, 0 },
	{ M_GET, "/p/{id}/edit", forum_edit_form, A_USER, NULL, 0 },
	{ M_POST, "/p/{id}/edit", forum_edit, A_USER, forum_edit_params,
	    R_RENDER },
	{ M_GET, "/p/{id}/delete", forum_delete_form, A_USER, NULL, 0 },
	{ M_POST, "/p/{id}/delete", forum_delete, A_USER, NULL, 0 },
	{ M_GET, "/p/{id}/revisions", forum_revisions, A_MOD, NULL, 0 },
	{ M_GET, "/notifications", note_list, A_USER, NULL, 0 },
	{ M_POST, "/notifications/read", note_read_all, A_USER, NULL, 0 },
	{ M_POST, "/notifications/{id}/open", note_open, A_USER, NULL, 0 },
	{ M_GET, "/search", search_page, A_ANY, search_params,
	    R_CACHE },
	{ M_GET, "/p/{id}/report", mod_report_form, A_USER, NULL, 0 },
	{ M_POST, "/p/{id}/report", mod_report, A_USER, mod_report_params, 0 },
	{ M_GET, "/jobs/{id}/report", mod_report_vacancy_form, A_USER, NULL,
	    0 },
	{ M_POST, "/jobs/{id}/report", mod_report_vacancy, A_USER,
	    mod_report_params, 0 },
	{ M_POST, "/mod/vacancies/{id}/dismiss", mod_vacancy_dismiss, A_MOD,
	    NULL, 0 },

	/* Private conversations (msg.c).  The handlers answer 404 to
	 * anyone outside a conversation; /messages/m/{id} is a message. */
	{ M_GET, "/messages", msg_list, A_USER, msg_list_params, 0 },
	{ M_GET, "/messages/counselling", msg_inbox, A_MOD, msg_list_params,
	    0 },
	{ M_GET, "/messages/new", msg_new_form, A_USER, msg_new_form_params,
	    0 },
	{ M_POST, "/messages/new", msg_new, A_USER, msg_new_params, R_RENDER },
	{ M_GET, "/messages/{id}", msg_view, A_USER, msg_view_params, 0 },
	{ M_POST, "/messages/{id}/reply", msg_reply, A_USER, msg_reply_params,
	    R_RENDER },
	{ M_GET, "/messages/{id}/block", msg_block_form, A_USER, NULL, 0 },
	{ M_POST, "/messages/{id}/block", msg_block, A_USER, NULL, 0 },
	{ M_POST, "/messages/{id}/unblock", msg_unblock, A_USER, NULL, 0 },
	{ M_POST, "/messages/{id}/answered", msg_answered, A_MOD, NULL, 0 },
	{ M_GET, "/messages/m/{id}/report", msg_report_form, A_USER, NULL, 0 },
	{ M_POST, "/messages/m/{id}/report", msg_report, A_USER,
	    msg_report_params, 0 },
	/* The reported ones, for the counsellors (msg_mod.c). */
	{ M_GET, "/mod/messages", msg_mod_page, A_MOD, NULL, 0 },
	{ M_POST, "/mod/messages/{id}/resolve", msg_mod_resolve, A_MOD,
	    msg_mod_resolve_params, 0 },

	/* Moderation: counsellors and admins. */
	{ M_GET, "/mod", mod_queue, A_MOD, NULL, 0 },
	{ M_POST, "/mod/bulk", mod_bulk, A_MOD, mod_bulk_params, 0 },
	{ M_POST, "/mod/bulk/reject", mod_bulk_reject, A_MOD,
	    mod_reason_params, 0 },
	{ M_POST, "/mod/posts/{id}/approve", mod_post_approve, A_MOD, NULL, 0 },
	{ M_GET, "/mod/posts/{id}/reject", mod_post_reject_form, A_MOD, NULL,
	    0 },
	{ M_POST, "/mod/posts/{id}/reject", mod_post_reject, A_MOD,
	    mod_reason_params, 0 },
	{ M_GET, "/mod/posts/{id}/hide", mod_post_hide_form, A_MOD, NULL, 0 },
	{ M_POST, "/mod/posts/{id}/hide", mod_post_hide, A_MOD,
	    mod_reason_params, 0 },
	{ M_POST, "/mod/posts/{id}/restore", mod_post_restore, A_MOD, NULL, 0 },
	{ M_POST, "/mod/posts/{id}/official", mod_post_official, A_MOD, NULL,
	    0 },
	{ M_POST, "/mod/threads/{id}/lock", mod_thread_lock, A_MOD, NULL, 0 },
	{ M_POST, "/mod/threads/{id}/unlock", mod_thread_unlock, A_MOD, NULL,
	    0 },
	{ M_POST, "/mod/threads/{id}/pin", mod_thread_pin, A_MOD, NULL, 0 },
	{ M_POST, "/mod/threads/{id}/unpin", mod_thread_unpin, A_MOD, NULL, 0 },
	{ M_GET, "/mod/threads/{id}/move", mod_thread_move_form, A_MOD, NULL,
	    0 },
	{ M_POST, "/mod/threads/{id}/move", mod_thread_move, A_MOD,
	    mod_move_params, 0 },
	{ M_GET, "/mod/threads/{id}/hide", mod_thread_hide_form, A_MOD, NULL,
	    0 },
	{ M_POST, "/mod/threads/{id}/hide", mod_thread_hide, A_MOD,
	    mod_reason_params, 0 },
	{ M_POST, "/mod/threads/{id}/restore", mod_thread_restore, A_MOD, NULL,
	    0 },
	{ M_GET, "/mod/users", mod_users, A_MOD, mod_users_params, 0 },
	{ M_GET, "/mod/users/{id}", mod_user, A_MOD, NULL, 0 },
	{ M_GET, "/mod/users/{id}/suspend", mod_suspend_form, A_MOD, NULL, 0 },
	{ M_POST, "/mod/users/{id}/suspend", mod_suspend, A_MOD,
	    mod_suspend_params, 0 },
	{ M_POST, "/mod/users/{id}/unsuspend", mod_unsuspend, A_MOD, NULL, 0 },
	{ M_POST, "/mod/users/{id}/reset", mod_reset_link, A_MOD, NULL, 0 },
	{ M_GET, "/mod/audit", mod_audit, A_MOD, mod_audit_params, 0 },
	{ M_GET, "/mod/stats", mod_stats, A_MOD, NULL, 0 },
	{ M_GET, "/mod/stats.csv", mod_stats_csv, A_MOD, NULL, 0 },

	/* Administration: admins only. */
	{ M_GET, "/admin", admin_home, A_ADMIN, NULL, 0 },
	{ M_POST, "/admin/users/{id}/role", admin_role, A_ADMIN,
	    admin_role_params, 0 },
	{ M_POST, "/admin/settings", admin_settings, A_ADMIN,
	    admin_settings_params, 0 },
	{ M_GET, "/admin/boards/{slug}", admin_board_form, A_ADMIN, NULL, 0 },
	{ M_POST, "/admin/boards/{slug}", admin_board, A_ADMIN,
	    admin_board_params, 0 },
	/* The job board: jobs.c, jobs_employer.c, jobs_mod.c, enterprise.c,
	 * apply.c, profile.c and referral.c.  Handlers check that an
	 * employer's vacancy, an application or a profile is theirs to
	 * see. */
	{ M_GET, "/jobs", jobs_list, A_ANY, jobs_list_params, R_CACHE },
	{ M_GET, "/jobs/new", jobs_employer_new_form, A_EMPLOYER, NULL, 0 },
	{ M_POST, "/jobs/new", jobs_employer_new, A_EMPLOYER, jobs_form_params,
	    R_RENDER },
	{ M_GET, "/jobs/{id}", jobs_view, A_ANY, NULL, R_CACHE },
	{ M_GET, "/jobs/{id}/edit", jobs_employer_edit_form, A_EMPLOYER,
	    NULL, 0 },
	{ M_POST, "/jobs/{id}/edit", jobs_employer_edit, A_EMPLOYER,
	    jobs_form_params, R_RENDER },
	{ M_POST, "/jobs/{id}/close", jobs_employer_close, A_EMPLOYER,
	    jobs_close_params, 0 },
	{ M_GET, "/jobs/{id}/apply", apply_form, A_USER, NULL, 0 },
	{ M_POST, "/jobs/{id}/apply", apply_submit, A_USER, apply_params, 0 },
	{ M_GET, "/jobs/{id}/applications", apply_for_vacancy, A_EMPLOYER,
	    NULL, 0 },
	{ M_POST, "/applications/{id}/status", apply_status, A_EMPLOYER,
	    apply_status_params, 0 },
	{ M_POST, "/applications/{id}/withdraw", apply_withdraw, A_USER, NULL,
	    0 },
	{ M_GET, "/applications", apply_mine, A_USER, apply_mine_params,
	    0 },
	{ M_GET, "/employer", jobs_employer_dashboard, A_EMPLOYER,
	    jobs_dashboard_params, 0 },
	{ M_GET, "/enterprise", enterprise_edit_form, A_EMPLOYER, NULL, 0 },
	{ M_POST, "/enterprise", enterprise_edit, A_EMPLOYER,
	    enterprise_edit_params, 0 },
	{ M_GET, "/enterprises/{id}", enterprise_page, A_ANY, NULL,
	    R_CACHE },
	{ M_GET, "/profile", profile_form, A_USER, profile_form_params, 0 },
	{ M_POST, "/profile", profile_save, A_USER, profile_params, 0 },
	{ M_GET, "/profiles/{id}", profile_view, A_USER, NULL, 0 },
	{ M_GET, "/mod/jobs", jobs_mod_page, A_MOD, NULL, 0 },
	{ M_POST, "/mod/jobs/{id}/approve", jobs_mod_approve, A_MOD,
	    jobs_decide_params, 0 },
	{ M_POST, "/mod/jobs/{id}/reject", jobs_mod_reject, A_MOD,
	    jobs_reject_params, 0 },
	{ M_GET, "/mod/jobs/{id}/suggestions", referral_suggestions, A_MOD,
	    NULL, 0 },
	{ M_POST, "/mod/jobs/{id}/refer", referral_create, A_MOD,
	    referral_create_params, 0 },
	{ M_POST, "/mod/enterprises/{id}/verify", enterprise_verify, A_MOD,
	    jobs_decide_params, 0 },
	{ M_POST, "/mod/enterprises/{id}/unverify", enterprise_unverify, A_MOD,
	    enterprise_unverify_params, 0 },
	{ M_GET, "/mod/referrals", referral_list, A_MOD, referral_list_params,
	    0 },
	{ M_POST, "/mod/referrals/{id}/status", referral_status, A_MOD,
	    referral_status_params, 0 },

	/* Guides, booklets and events (issue 8): guide.c, event.c. */
	{ M_GET, "/guides", guide_list, A_ANY, guide_list_params, 0 },
	{ M_GET, "/guides/new", guide_new_form, A_MOD, NULL, 0 },
	{ M_POST, "/guides/new", guide_new, A_MOD, guide_new_params, R_RENDER },
	{ M_GET, "/guides/{id}", guide_view, A_ANY, guide_view_params, 0 },
	{ M_GET, "/guides/{id}/download", guide_download, A_ANY,
	    guide_view_params, 0 },
	{ M_GET, "/guides/{id}/edit", guide_edit_form, A_MOD,
	    guide_view_params, 0 },
	{ M_POST, "/guides/{id}/edit", guide_edit, A_MOD, guide_edit_params,
	    R_RENDER },
	{ M_GET, "/guides/{id}/revisions", guide_revisions, A_MOD,
	    guide_view_params, 0 },
	{ M_GET, "/booklets/{slug}", guide_booklet, A_ANY, guide_view_params,
	    0 },
	{ M_GET, "/booklets/{slug}/download", guide_booklet_download, A_ANY,
	    guide_view_params, 0 },
	{ M_GET, "/events", event_list, A_ANY, event_list_params, 0 },
	{ M_GET, "/events/past", event_past, A_ANY, event_list_params, 0 },
	{ M_GET, "/events/mine", event_mine, A_USER, NULL, 0 },
	{ M_GET, "/events/new", event_new_form, A_MOD, NULL, 0 },
	{ M_POST, "/events/new", event_new, A_MOD, event_form_params,
	    R_RENDER },
	{ M_GET, "/events/{id}", event_view, A_ANY, NULL, 0 },
	{ M_GET, "/events/{id}/edit", event_edit_form, A_MOD, NULL, 0 },
	{ M_POST, "/events/{id}/edit", event_edit, A_MOD, event_form_params,
	    R_RENDER },
	{ M_GET, "/events/{id}/cancel", event_cancel_form, A_MOD, NULL, 0 },
	{ M_POST, "/events/{id}/cancel", event_cancel, A_MOD,
	    event_cancel_params, 0 },
	{ M_POST, "/events/{id}/signup", event_signup, A_USER, NULL, 0 },
	{ M_POST, "/events/{id}/withdraw", event_withdraw, A_USER, NULL, 0 },
	{ M_GET, "/events/{id}/attendees", event_attendees, A_MOD, NULL, 0 },
	{ M_GET, "/events/{id}/attendees.csv", event_attendees_csv, A_MOD,
	    NULL, 0 },

	/* Feeds (feed.c) and the JSON API (api.c). */
	{ M_GET, "/feeds/jobs.atom", feed_jobs, A_ANY, jobs_list_params,
	    R_CACHE },
	{ M_GET, "/feeds/b/{slug}", feed_board, A_ANY, NULL, R_CACHE },
	{ M_GET, "/feeds/events.ics", feed_events_ics, A_ANY, NULL, 0 },
	{ M_GET, "/feeds/events.atom", feed_events_atom, A_ANY, NULL, 0 },
	{ M_GET, "/api/v1/jobs", api_jobs, A_ANY, api_jobs_params, R_CACHE },
	{ M_GET, "/api/v1/jobs/{id}", api_job, A_ANY, NULL, R_CACHE },
	{ M_GET, "/api/v1/boards", api_boards, A_ANY, NULL, R_CACHE },
	{ M_GET, "/api/v1/threads/{id}", api_thread, A_ANY, api_thread_params,
	    0 },
};

#define NROUTES		(sizeof(routes) / sizeof(routes[0]))

static struct route_group grouped[NROUTES];
static size_t ngroups;

const struct route *
route_table(size_t *n)
{
	*n = NROUTES;
	return routes;
}

const struct route_group *
route_groups(size_t *n)
{
	size_t i, g;

	if (ngroups == 0) {
		for (i = 0; i < NROUTES; i++) {
			for (g = 0; g < ngroups; g++)
				if (strcmp(grouped[g].pattern,
				    routes[i].pattern) == 0)
					break;
			if (g == ngroups)
				grouped[ngroups++].pattern = routes[i].pattern;
			if (routes[i].method == M_POST)
				grouped[g].post = &routes[i];
			else
				grouped[g].get = &routes[i];
		}
	}
	*n = ngroups;
	return grouped;
}

int
route_kore_path(const struct route_group *g, char *buf, size_t len)
{
	struct buf b;
	const char *p;
	int rc;

	if (strchr(g->pattern, '{') == NULL)
		return snprintf(buf, len, "%s", g->pattern) < (int)len ? 0 : -1;
	buf_init(&b);
	buf_putc(&b, '^');
	for (p = g->pattern; *p != '\0'; p++) {
		if (strncmp(p, "{id}", 4) == 0) {
			buf_puts(&b, "[1-9][0-9]*");
			p += 3;
		} else if (strncmp(p, "{slug}", 6) == 0) {
			buf_puts(&b, "[^/]+");
			p += 5;
		} else {
			if (strchr(".[]()*+?^$|\\{}", *p) != NULL)
				buf_putc(&b, '\\');
			buf_putc(&b, *p);
		}
	}
	buf_putc(&b, '$');
	rc = snprintf(buf, len, "%s", b.p) < (int)len ? 0 : -1;
	buf_free(&b);
	return rc;
}

/* Match one pattern; 1 on a match, filling the typed path parameters. */
static int
match(struct arena *a, const char *pat, const char *path,
    struct route_path *rp)
{
	const struct param *decl;
	const char *val;
	long long num;
	size_t len;
	int nids = 0;

	memset(rp, 0, sizeof(*rp));
	while (*pat != '\0') {
		if (*pat != '{') {
			if (*pat != *path)
				return 0;
			pat++;
			path++;
			continue;
		}
		decl = strncmp(pat, "{id}", 4) == 0 ? &param_path_id :
		    &param_path_slug;
		pat += decl == &param_path_id ? 4 : 6;
		len = strcspn(path, "/");
		/* One spelling per number: no leading zero. */
		if ((decl == &param_path_id && *path == '0') ||
		    param_check(a, decl, path, len, &val, &num) != NULL ||
		    *val == '\0')
			return 0;
		if (decl == &param_path_slug)
			rp->slug = val;
		else if (nids++ == 0)
			rp->id = num;
		else
			rp->id2 = num;
		path += len;
	}
	return *path == '\0';
}

enum route_result
route_match_group(const struct route_group *g, struct arena *a,
    const char *path, enum method m, const struct route **out,
    struct route_path *rp)
{
	*out = NULL;
	if (!match(a, g->pattern, path, rp))
		return ROUTE_NOT_FOUND;
	*out = m == M_POST ? g->post : m == M_OTHER ? NULL : g->get;
	if (*out != NULL)
		return ROUTE_OK;
	*out = g->get != NULL ? g->get : g->post;
	return ROUTE_BAD_METHOD;
}

enum route_result
route_match(struct arena *a, const char *path, enum method m,
    const struct route **out, struct route_path *rp)
{
	const struct route_group *g;
	enum route_result rr;
	size_t i, n;

	g = route_groups(&n);
	for (i = 0; i < n; i++)
		if ((rr = route_match_group(&g[i], a, path, m, out, rp)) !=
		    ROUTE_NOT_FOUND)
			return rr;
	memset(rp, 0, sizeof(*rp));
	*out = NULL;
	return ROUTE_NOT_FOUND;
}
int
route_allowed(const struct route *r, const struct user *u)
{
	switch (r->allow) {
	case A_ANY:
		return 1;
	case A_USER:
		return u != NULL;
	case A_EMPLOYER:
		return u != NULL && (u->role == ROLE_EMPLOYER ||
		    u->role >= ROLE_MODERATOR);
	case A_MOD:
		return u != NULL && u->role >= ROLE_MODERATOR;
	case A_ADMIN:
		return u != NULL && u->role == ROLE_ADMIN;
	}
	return 0;
}
