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
#include "i18n.h"
#include "page.h"
#include "request.h"
#include "tmpl.h"

static const struct db_stmt stmts[] = {
	{ "audit_add", "INSERT INTO audit_log (actor_id, action, target, "
	    "reason) VALUES (nullif($1, '0')::bigint, $2, $3, $4)" },
};

void
audit_init(void)
{
	DB_REGISTER(stmts);
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
	{ "partner.view", N_("Partner office opened a page") },
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
static const struct kind {
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

/* The kinds entry for a target ("post:12"), with *key after the colon;
 * NULL for an unknown kind or a key that is not a plain name. */
static const struct kind *
target_kind(const char *target, const char **key)
{
	const char *k;
	size_t i, n;

	if ((k = strchr(target, ':')) == NULL)
		return NULL;
	n = (size_t)(k - target);
	k++;
	if (*k == '\0' || strlen(k) > 64 ||
	    strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(k))
		return NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].kind) == n &&
		    strncmp(kinds[i].kind, target, n) == 0) {
			*key = k;
			return &kinds[i];
		}
	return NULL;
}

/*
 * The label around its key: the words before and after the key in the
 * reader's language, a number in the reader's digits or a name (a
 * board's address) to isolate left to right; the link when the thing
 * has a page.  Unknown kinds stay as they are (target).
 */
void
audit_target(struct request *req, struct tmpl_vars *row, const char *target)
{
	const struct kind *k;
	const char *key, *label, *at;

	tmpl_set(row, "target", target);
	if ((k = target_kind(target, &key)) == NULL)
		return;
	label = T(req, k->label);
	if ((at = strstr(label, "%s")) == NULL)
		at = label + strlen(label);
	tmpl_set_bool(row, "target_known", 1);
	tmpl_set(row, "target_href", k->href != NULL ?
	    arena_printf(req->arena, "%s%s", k->href, key) : NULL);
	tmpl_set(row, "target_before", arena_strndup(req->arena, label,
	    (size_t)(at - label)));
	tmpl_set(row, "target_after", *at != '\0' ? at + 2 : NULL);
	if (key[strspn(key, "0123456789")] == '\0')
		tmpl_set(row, "target_number", i18n_digits(req->arena,
		    req->lang, key));
	else
		tmpl_set(row, "target_name", key);
}
