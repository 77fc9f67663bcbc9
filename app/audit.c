/*
 * Writing the audit log.  There is deliberately no statement here, or
 * anywhere, that updates or deletes its rows; the table's trigger refuses
 * them too.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "db.h"
#include "html.h"
#include "i18n.h"
#include "page.h"
#include "request.h"

static const struct db_stmt stmts[] = {
	{ "audit_add", "INSERT INTO audit_log (actor_id, action, target, "
	    "reason) VALUES (nullif($1, '0')::bigint, $2, $3, $4)" },
};

void
audit_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

int
audit(long long actor_id, const char *action, const char *target,
    const char *reason)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", actor_id);
	return DB_RUN("audit_add", id, action, target, reason ? reason : "");
}

/* Every action any module records, with the words a counsellor reads. */
static const struct {
	const char	*action;
	const char	*label;
} actions[] = {
	{ "board.edit", N_("Board edited") },
	{ "enterprise.unverify", N_("Verified badge taken back") },
	{ "enterprise.verify", N_("Enterprise verified") },
	{ "event_cancel", N_("Event cancelled") },
	{ "event_create", N_("Event created") },
	{ "event_edit", N_("Event edited") },
	{ "event_export_attendees", N_("Attendee list downloaded") },
	{ "guide_add_version", N_("Guide translation added") },
	{ "guide_create", N_("Guide created") },
	{ "guide_edit", N_("Guide edited") },
	{ "message.block_employer", N_("A returnee blocked an employer they applied to") },
	{ "message.read", N_("Private conversation opened") },
	{ "message.resolve", N_("Conversation report resolved") },
	{ "post.approve", N_("Post approved") },
	{ "post.hide", N_("Post hidden") },
	{ "post.official", N_("Marked as the official answer") },
	{ "post.reject", N_("Post rejected") },
	{ "post.restore", N_("Post restored") },
	{ "referral.create", N_("Referral made") },
	{ "referral.status", N_("Referral status changed") },
	{ "settings.change", N_("Setting changed") },
	{ "thread.hide", N_("Thread hidden") },
	{ "thread.lock", N_("Thread locked") },
	{ "thread.move", N_("Thread moved") },
	{ "thread.pin", N_("Thread pinned") },
	{ "thread.restore", N_("Thread restored") },
	{ "thread.unlock", N_("Thread unlocked") },
	{ "thread.unpin", N_("Thread unpinned") },
	{ "user.delete", N_("Account deleted") },
	{ "user.reset_link", N_("Password reset link made") },
	{ "user.reset_used", N_("Password reset link used") },
	{ "user.role", N_("Role changed") },
	{ "user.suspend", N_("Account suspended") },
	{ "user.unsuspend", N_("Suspension lifted") },
	{ "vacancy.approve", N_("Vacancy approved") },
	{ "vacancy.edit_approve", N_("Changes to a vacancy approved") },
	{ "vacancy.edit_reject", N_("Changes to a vacancy rejected") },
	{ "vacancy.reject", N_("Vacancy rejected") },
	{ "vacancy.reports_dismissed", N_("Vacancy reports dismissed") },
};

/* The kinds of target, the words for one and where its page is. */
static const struct {
	const char	*kind;
	const char	*label;		/* %s: its number or name */
	const char	*href;		/* the page's path before the key */
} kinds[] = {
	{ "board", N_("Board %s"), "/b/" },
	{ "conversation", N_("Conversation %s"), "/messages/" },
	{ "enterprise", N_("Enterprise %s"), "/enterprises/" },
	{ "event", N_("Event %s"), "/events/" },
	{ "guide", N_("Guide %s"), "/guides/" },
	{ "post", N_("Post %s"), "/p/" },
	{ "referral", N_("Referral %s"), NULL },
	{ "thread", N_("Thread %s"), "/t/" },
	{ "user", N_("Account %s"), "/mod/users/" },
	{ "vacancy", N_("Vacancy %s"), "/jobs/" },
};

const char *
audit_action_label(struct request *req, const char *action)
{
	size_t i;

	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].action, action) == 0)
			return T(req, actions[i].label);
	return NULL;
}

void
audit_target_html(struct request *req, struct buf *b, const char *target)
{
	const char *key, *label, *at;
	size_t i, n;

	if ((key = strchr(target, ':')) != NULL) {
		n = (size_t)(key - target);
		key++;
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			if (strlen(kinds[i].kind) != n ||
			    strncmp(kinds[i].kind, target, n) != 0 ||
			    *key == '\0' || strlen(key) > 64 ||
			    strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-_")
			    != strlen(key))
				continue;
			if (kinds[i].href != NULL) {
				buf_puts(b, "<a href=\"");
				html_attr(b, kinds[i].href);
				html_attr(b, key);
				buf_puts(b, "\">");
			}
			/* The label around its key: a number in the
			 * reader's digits, a name (a board's address)
			 * isolated left to right. */
			label = T(req, kinds[i].label);
			if ((at = strstr(label, "%s")) == NULL)
				at = label + strlen(label);
			html_ntxt(b, label, (size_t)(at - label));
			if (key[strspn(key, "0123456789")] == '\0')
				html_txt(b, i18n_digits(req->arena, req->lang,
				    key));
			else {
				buf_puts(b, "<bdi dir=\"ltr\">");
				html_txt(b, key);
				buf_puts(b, "</bdi>");
			}
			if (*at != '\0')
				html_txt(b, at + 2);
			if (kinds[i].href != NULL)
				buf_puts(b, "</a>");
			return;
		}
	}
	buf_puts(b, "<bdi>");
	html_txt(b, target);
	buf_puts(b, "</bdi>");
}
