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
#include "partner.h"
#include "route.h"
#include "setting.h"
#include "account.h"
#include "mailpage.h"
#include "mailpref.h"
#include "admin.h"
#include "api.h"
#include "apply.h"
#include "jobs_saved.h"
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
#include "place.h"
#include "placement.h"
#include "admin_vocab.h"
#include "profile.h"
#include "referral.h"
#include "search.h"
#include "site.h"
#include "user.h"

/*
 * The parameters each route reads, beside the routes as Kore's own
 * configuration declares them ("params get /path { validate ... }"):
 * name, type, query or form, limits, required, choices.  A handler
 * reads them by name (param.c); a name declared nowhere fails the build
 * (tests/lint/params.sh).  Grouped by the file of their handlers.
 */

/* account.c */

static const struct param account_password_params[] = {
	{ "current", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param account_reset_params[] = {
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param account_welcome_params[] = {
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param account_delete_params[] = {
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mailpage.c */

static const struct param mailpage_email_params[] = {
	{ "email", P_LINE, P_FORM, 0, 254, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param mailpage_email_query[] = {
	{ "sent", P_LINE, P_QUERY, 0, 1, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mailpref.c */

static const struct param mailpref_query[] = {
	{ "saved", P_LINE, P_QUERY, 0, 1, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* The filters of /jobs (jobs_list_params), sent by its button. */
static const struct param mailpref_alert_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates_any },
	{ "sector", P_ENUM, P_FORM, 0, 0, 0, jobs_sector_any },
	{ "kind", P_ENUM, P_FORM, 0, 0, 0, jobs_kind_any },
	{ "contract", P_ENUM, P_FORM, 0, 0, 0, jobs_contract_any },
	{ "q", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "profile", P_ENUM, P_FORM, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param mailpage_forgot_params[] = {
	{ "who", P_LINE, P_FORM, 1, 254, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* admin.c */

static const struct param admin_role_params[] = {
	{ "role", P_ENUM, P_FORM, 0, 0, 1, admin_roles },
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates_any },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param admin_settings_params[] = {
	{ "new_user_holds", P_INT, P_FORM, 0, 100, 1, NULL },
	{ "report_threshold", P_INT, P_FORM, 1, 100, 1, NULL },
	{ "new_user_post_interval", P_INT, P_FORM, 0, 3600, 1, NULL },
	{ "peer_messages", P_INT, P_FORM, 0, 1, 1, NULL },
	{ SET_TEXT_OFFICES, P_TEXT, P_FORM, 0, SET_TEXT_OFFICES_MAX, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param admin_board_params[] = {
	{ "position", P_INT, P_FORM, 0, 1000, 1, NULL },
	{ "name_en", P_LINE, P_FORM, 1, 80, 1, NULL },
	{ "description_en", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_ckb", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_ckb", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_kmr-Arab", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_kmr-Arab", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "name_ar", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "description_ar", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* api.c */

static const struct param api_thread_params[] = {
	{ "page", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param api_jobs_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates_any },
	{ "sector", P_ENUM, P_QUERY, 0, 0, 0, jobs_sector_any },
	{ "kind", P_ENUM, P_QUERY, 0, 0, 0, jobs_kind_any },
	{ "contract", P_ENUM, P_QUERY, 0, 0, 0, jobs_contract_any },
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* apply.c */

static const struct param apply_params[] = {
	{ "message", P_TEXT, P_FORM, 1, APPLY_MESSAGE_MAX, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param apply_mine_params[] = {
	{ "sent", P_ENUM, P_QUERY, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param apply_status_params[] = {
	{ "status", P_ENUM, P_FORM, 0, 0, 1, jobs_app_statuses },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* jobs_saved.c (issue 21): back=saved returns to the list. */
static const struct param jobs_saved_params[] = {
	{ "back", P_ENUM, P_FORM, 0, 0, 0, jobs_saved_backs },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* apply_tools.c (issue 21): notes, bulk status, interviews.  The bulk
 * form's repeated "app" ids are read as mod.c reads "post". */
static const struct param apply_list_params[] = {
	{ "sort", P_ENUM, P_QUERY, 0, 0, 0, apply_sorts },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* Outcomes (outcomes.c): the period, year-month-day. */
static const struct param outcomes_params[] = {
	{ "from", P_LINE, P_QUERY, 0, 10, 0, NULL },
	{ "to", P_LINE, P_QUERY, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param apply_note_params[] = {
	{ "body", P_TEXT, P_FORM, 1, APPLY_NOTE_MAX, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param apply_interview_params[] = {
	{ "date", P_LINE, P_FORM, 0, 40, 1, NULL },
	{ "start", P_LINE, P_FORM, 0, 20, 1, NULL },
	{ "minutes", P_INT, P_FORM, 15, 480, 0, NULL },
	{ "place", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "link", P_LINE, P_FORM, 0, 500, 0, NULL },
	{ "message", P_TEXT, P_FORM, 0, APPLY_NOTE_MAX, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* enterprise.c */

static const struct param enterprise_edit_params[] = {
	{ "name", P_LINE, P_FORM, 2, 120, 1, NULL },
	{ "sector", P_ENUM, P_FORM, 0, 0, 0, jobs_sector_any },
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates_any },
	{ "address", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "phone", P_LINE, P_FORM, 0, 40, 0, NULL },
	{ "website", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "description", P_TEXT, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param enterprise_unverify_params[] = {
	{ "reason", P_LINE, P_FORM, 1, 300, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* event.c */

static const struct param event_list_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates },
	{ "kind", P_ENUM, P_QUERY, 0, 0, 0, event_kinds },
	{ "page", P_INT, P_QUERY, 1, 1000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param event_form_params[] = {
	{ "kind", P_ENUM, P_FORM, 0, 0, 1, event_kinds },
	{ "title", P_LINE, P_FORM, EVENT_TITLE_MIN, EVENT_TITLE_MAX, 1, NULL },
	{ "date", P_LINE, P_FORM, 0, 40, 1, NULL },
	{ "start", P_LINE, P_FORM, 0, 20, 1, NULL },
	{ "end_date", P_LINE, P_FORM, 0, 40, 0, NULL },
	{ "end", P_LINE, P_FORM, 0, 20, 1, NULL },
	{ "online", P_LINE, P_FORM, 0, 5, 0, NULL },
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates },
	{ "city", P_LINE, P_FORM, 0, 100, 0, NULL },
	{ "address", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "link", P_LINE, P_FORM, 0, EVENT_LINK_MAX, 0, NULL },
	{ "organiser", P_LINE, P_FORM, 2, 200, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, EVENT_BODY_MAX, 1, NULL },
	{ "capacity", P_INT, P_FORM, 1, EVENT_CAPACITY_MAX, 0, NULL },
	{ "attended", P_INT, P_FORM, 0, 1000000, 0, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param event_cancel_params[] = {
	{ "reason", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* forum.c */

static const struct param forum_board_params[] = {
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "before", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "p", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_thread_params[] = {
	{ "page", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ "unread", P_LINE, P_QUERY, 0, 1, 0, NULL },
	{ "thanked", P_INT, P_QUERY, 0, 1, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* forum_follow.c */

static const struct param forum_thread_watch_params[] = {
	{ "level", P_ENUM, P_FORM, 0, 0, 1, forum_watch_levels },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_thank_params[] = {
	{ "post", P_INT, P_FORM, 1, 9007199254740991LL, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_board_watch_params[] = {
	{ "level", P_ENUM, P_FORM, 0, 0, 1, forum_board_levels },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* forum_post.c */

static const struct param forum_new_params[] = {
	{ "title", P_LINE, P_FORM, FORUM_TITLE_MIN, FORUM_TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_reply_form_params[] = {
	{ "quote", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_reply_params[] = {
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "quote", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param forum_edit_params[] = {
	{ "title", P_LINE, P_FORM, FORUM_TITLE_MIN, FORUM_TITLE_MAX, 0, NULL },
	{ "body", P_TEXT, P_FORM, 1, FORUM_BODY_MAX, 1, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* guide.c */

static const struct param guide_list_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates },
	{ "topic", P_ENUM, P_QUERY, 0, 0, 0, guide_topics },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param guide_view_params[] = {
	{ "lang", P_ENUM, P_QUERY, 0, 0, 0, guide_langs },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param guide_new_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "topic", P_ENUM, P_FORM, 0, 0, 1, guide_topics },
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, guide_langs },
	{ "title", P_LINE, P_FORM, GUIDE_TITLE_MIN, GUIDE_TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, GUIDE_BODY_MAX, 1, NULL },
	{ "reviewed", P_LINE, P_FORM, 0, 20, 0, NULL },
	{ "note", P_LINE, P_FORM, 0, GUIDE_NOTE_MAX, 0, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param guide_edit_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "topic", P_ENUM, P_FORM, 0, 0, 1, guide_topics },
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, guide_langs },
	{ "rev", P_INT, P_FORM, 0, 1000000000, 1, NULL },
	{ "title", P_LINE, P_FORM, GUIDE_TITLE_MIN, GUIDE_TITLE_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, GUIDE_BODY_MAX, 1, NULL },
	{ "reviewed", P_LINE, P_FORM, 0, 20, 0, NULL },
	{ "note", P_LINE, P_FORM, 0, GUIDE_NOTE_MAX, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* jobs.c */

static const struct param jobs_list_params[] = {
	{ "governorate", P_ENUM, P_QUERY, 0, 0, 0, place_governorates_any },
	{ "sector", P_ENUM, P_QUERY, 0, 0, 0, jobs_sector_any },
	{ "kind", P_ENUM, P_QUERY, 0, 0, 0, jobs_kind_any },
	{ "contract", P_ENUM, P_QUERY, 0, 0, 0, jobs_contract_any },
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* jobs_employer.c */

static const struct param jobs_form_params[] = {
	{ "title", P_LINE, P_FORM, JOBS_TITLE_MIN, JOBS_TITLE_MAX, 1, NULL },
	{ "description", P_TEXT, P_FORM, 1, JOBS_DESC_MAX, 1, NULL },
	{ "kind", P_ENUM, P_FORM, 0, 0, 1, jobs_kind_any + 1 },
	{ "governorate", P_ENUM, P_FORM, 0, 0, 1, place_governorates },
	{ "city", P_LINE, P_FORM, 0, 80, 0, NULL },
	{ "sector", P_ENUM, P_FORM, 0, 0, 1, jobs_sector_any + 1 },
	{ "contract", P_ENUM, P_FORM, 0, 0, 1, jobs_contract_any + 1 },
	{ "positions", P_LINE, P_FORM, 0, 12, 0, NULL },
	{ "occupation", P_LINE, P_FORM, 0, 120, 0, NULL },
	{ "skill", P_LINE, P_FORM, 0, 32, 0, NULL },
	{ "skills", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "salary_min", P_LINE, P_FORM, 0, 30, 0, NULL },
	{ "salary_max", P_LINE, P_FORM, 0, 30, 0, NULL },
	{ "deadline", P_LINE, P_FORM, 0, 10, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "action", P_ENUM, P_FORM, 0, 0, 0, jobs_employer_actions },
	JOBS_LANG_PARAMS,
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param jobs_close_params[] = {
	{ "reason", P_ENUM, P_FORM, 0, 0, 1, jobs_close_keys },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param jobs_dashboard_params[] = {
	{ "saved", P_ENUM, P_QUERY, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* jobs_mod.c */

static const struct param jobs_decide_params[] = {
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param jobs_reject_params[] = {
	{ "reason", P_ENUM, P_FORM, 0, 0, 0, jobs_reject_any },
	{ "note", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mod.c */

static const struct param mod_reason_params[] = {
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param mod_bulk_params[] = {
	{ "action", P_ENUM, P_FORM, 0, 0, 1, mod_bulk_actions },
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param mod_move_params[] = {
	{ "board", P_LINE, P_FORM, 1, 64, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mod_audit.c */

static const struct param mod_audit_params[] = {
	{ "action", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ "actor", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mod_report.c */

static const struct param mod_report_params[] = {
	{ "reason", P_TEXT, P_FORM, 3, 1000, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* mod_user.c */

static const struct param mod_suspend_params[] = {
	{ "until", P_LINE, P_FORM, 10, 10, 1, NULL },
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ "template", P_INT, P_FORM, 0, 4, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param mod_users_params[] = {
	{ "q", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* msg.c */

static const struct param msg_list_params[] = {
	{ "after", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "before", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "page", P_INT, P_QUERY, 1, 50, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_new_form_params[] = {
	{ "to", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ "application", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ "referral", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_new_params[] = {
	{ "to", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "subject", P_LINE, P_FORM, MSG_SUBJECT_MIN, MSG_SUBJECT_MAX, 1, NULL },
	{ "body", P_TEXT, P_FORM, 1, MSG_BODY_MAX, 1, NULL },
	{ "application", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "referral", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_view_params[] = {
	{ "page", P_INT, P_QUERY, 1, 1000000, 0, NULL },
	{ "reported", P_INT, P_QUERY, 1, 1, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_reply_params[] = {
	{ "body", P_TEXT, P_FORM, 1, MSG_BODY_MAX, 1, NULL },
	{ "idem", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "preview", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_report_params[] = {
	{ "reason", P_TEXT, P_FORM, 3, 1000, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* msg_contact.c */

static const struct param msg_contact_params[] = {
	{ "username", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "reach", P_LINE, P_FORM, 3, 200, 1, NULL },
	{ "body", P_TEXT, P_FORM, 10, 3000, 1, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param msg_contact_form_params[] = {
	{ "sent", P_ENUM, P_QUERY, 0, 0, 0, msg_contact_sent },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* msg_mod.c */

static const struct param msg_mod_resolve_params[] = {
	{ "reason", P_TEXT, P_FORM, 0, 1000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* profile.c */

static const struct param profile_form_params[] = {
	{ "saved", P_ENUM, P_QUERY, 0, 0, 0, jobs_on },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param profile_params[] = {
	{ "governorate", P_ENUM, P_FORM, 0, 0, 0, place_governorates_any },
	{ "country", P_ENUM, P_FORM, 0, 0, 0, jobs_country_any },
	{ "return_date", P_LINE, P_FORM, 0, 10, 0, NULL },
	{ "occupation", P_LINE, P_FORM, 0, 120, 0, NULL },
	{ "skill", P_LINE, P_FORM, 0, 32, 0, NULL },
	{ "skills", P_LINE, P_FORM, 0, 300, 0, NULL },
	{ "education", P_ENUM, P_FORM, 0, 0, 0, jobs_education_any },
	{ "experience", P_TEXT, P_FORM, 0, 3000, 0, NULL },
	{ "consent", P_ENUM, P_FORM, 0, 0, 0, jobs_on },
	JOBS_LANG_PARAMS,
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* placement.c */

static const struct param placement_cv_params[] = {
	{ "lang", P_ENUM, P_QUERY, 0, 0, 0, placement_cv_langs },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* admin_vocab.c */

static const struct param admin_vocab_list_params[] = {
	{ "q", P_LINE, P_QUERY, 0, 100, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param admin_vocab_params[] = {
	{ "en", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "ckb", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "kmr", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ "ar", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* referral.c */

static const struct param referral_create_params[] = {
	{ "user", P_INT, P_FORM, 1, 9007199254740991LL, 0, NULL },
	{ "username", P_LINE, P_FORM, 0, 64, 0, NULL },
	{ "note", P_TEXT, P_FORM, 0, REFERRAL_NOTE_MAX, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param referral_status_params[] = {
	{ "status", P_ENUM, P_FORM, 0, 0, 1, jobs_ref_statuses },
	{ "next", P_LINE, P_FORM, 0, 200, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param referral_list_params[] = {
	{ "status", P_ENUM, P_QUERY, 0, 0, 0, referral_status_any },
	{ "before", P_INT, P_QUERY, 1, 9007199254740991LL, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* search.c */

static const struct param search_params[] = {
	{ "q", P_LINE, P_QUERY, 0, 200, 0, NULL },
	{ "page", P_INT, P_QUERY, 1, 50, 0, NULL },
	{ "board", P_LINE, P_QUERY, 0, 40, 0, NULL },
	{ "author", P_LINE, P_QUERY, 0, 64, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

/* user.c */

static const struct param user_register_params[] = {
	{ "username", P_LINE, P_FORM, 3, 32, 1, NULL },
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ "role", P_ENUM, P_FORM, 0, 0, 1, user_role_choices },
	{ "enterprise", P_LINE, P_FORM, 2, 120, 0, NULL },
	{ "email", P_LINE, P_FORM, 0, 254, 0, NULL },
	{ "lang", P_ENUM, P_FORM, 0, 0, 0, user_lang_opt_choices },
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param user_register_form_params[] = {
	{ "next", P_LINE, P_QUERY, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param user_login_params[] = {
	{ "username", P_LINE, P_FORM, 0, 64, 1, NULL },
	{ "password", P_SECRET, P_FORM, 0, 0, 1, NULL },
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param user_login_form_params[] = {
	{ "next", P_LINE, P_QUERY, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param user_lang_params[] = {
	{ "lang", P_ENUM, P_FORM, 0, 0, 1, user_lang_choices },
	{ "next", P_LINE, P_FORM, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const struct param user_lang_link_params[] = {
	{ "next", P_LINE, P_QUERY, 0, 2000, 0, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

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
	{ M_POST, "/logout", user_logout, A_USER, NULL, R_PARTNER },
	{ M_POST, "/lang", user_set_lang, A_ANY, user_lang_params, R_PARTNER },
	{ M_GET, "/lang/{slug}", user_lang_link, A_ANY, user_lang_link_params,
	    0 },
	{ M_GET, "/account", account_home, A_USER, NULL, R_PARTNER },
	{ M_GET, "/account/password", account_password_form, A_USER, NULL,
	    R_PARTNER },
	{ M_POST, "/account/password", account_password, A_USER,
	    account_password_params, R_HASH | R_PARTNER },
	{ M_GET, "/account/export", account_export, A_USER, NULL, 0 },
	{ M_POST, "/account/calendar", account_calendar, A_USER, NULL, 0 },
	{ M_POST, "/account/calendar/revoke", account_calendar_revoke, A_USER,
	    NULL, 0 },
	{ M_GET, "/account/delete", account_delete_form, A_USER, NULL, 0 },
	{ M_POST, "/account/delete", account_delete, A_USER,
	    account_delete_params, R_HASH },
	{ M_POST, "/account/welcome", account_welcome_close, A_USER,
	    account_welcome_params, 0 },
	/* Help for someone who cannot sign in (msg_contact.c). */
	{ M_GET, "/contact", msg_contact_form, A_ANY, msg_contact_form_params,
	    0 },
	{ M_POST, "/contact", msg_contact, A_ANY, msg_contact_params, 0 },
	{ M_GET, "/account/email", mailpage_email_form, A_USER,
	    mailpage_email_query, 0 },
	{ M_POST, "/account/email", mailpage_email, A_USER,
	    mailpage_email_params, 0 },
	{ M_GET, "/account/mail", mailpref_form, A_USER, mailpref_query, 0 },
	{ M_POST, "/account/mail", mailpref_save, A_USER, NULL, 0 },
	{ M_GET, "/account/alerts", mailpref_alerts, A_USER, mailpref_query,
	    0 },
	{ M_POST, "/account/alerts", mailpref_alert_add, A_USER,
	    mailpref_alert_params, 0 },
	{ M_POST, "/account/alerts/{id}/delete", mailpref_alert_del, A_USER,
	    NULL, 0 },
	{ M_GET, "/account/email/confirm/{slug}", mailpage_confirm_form,
	    A_ANY, NULL, 0 },
	{ M_POST, "/account/email/confirm/{slug}", mailpage_confirm, A_ANY,
	    NULL, 0 },
	{ M_GET, "/password/forgot", mailpage_forgot_form, A_ANY, NULL, 0 },
	{ M_POST, "/password/forgot", mailpage_forgot, A_ANY,
	    mailpage_forgot_params, 0 },
	{ M_GET, "/mail/unsubscribe/{id}/{slug}", mailpage_unsub_form, A_ANY,
	    NULL, 0 },
	{ M_POST, "/mail/unsubscribe/{id}/{slug}", mailpage_unsub, A_ANY,
	    NULL, R_NOCSRF },
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
	{ M_POST, "/t/{id}/watch", forum_thread_watch, A_USER,
	    forum_thread_watch_params, 0 },
	{ M_POST, "/t/{id}/thank", forum_thank, A_USER, forum_thank_params,
	    0 },
	{ M_POST, "/b/{slug}/watch", forum_board_watch, A_USER,
	    forum_board_watch_params, 0 },
	{ M_POST, "/b/{slug}/read", forum_board_read, A_USER, NULL, 0 },
	{ M_GET, "/u/{id}", forum_user, A_ANY, NULL, R_CACHE },
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
	{ M_GET, "/mod/stats", mod_stats, A_MOD, outcomes_params, 0 },
	{ M_GET, "/mod/stats.csv", mod_stats_csv, A_MOD, NULL, 0 },
	{ M_GET, "/mod/stats/outcomes.csv", mod_stats_outcomes_csv, A_MOD,
	    outcomes_params, 0 },

	/* Partner offices (issue 21, item 7): the outcomes, read-only. */
	{ M_GET, "/partner", partner_home, A_PARTNER, outcomes_params, 0 },
	{ M_GET, "/partner/outcomes.csv", partner_outcomes_csv, A_PARTNER,
	    outcomes_params, 0 },

	/* Administration: admins only. */
	{ M_GET, "/admin", admin_home, A_ADMIN, NULL, 0 },
	{ M_POST, "/admin/users/{id}/role", admin_role, A_ADMIN,
	    admin_role_params, 0 },
	{ M_POST, "/admin/settings", admin_settings, A_ADMIN,
	    admin_settings_params, 0 },
	{ M_GET, "/admin/boards/{slug}", admin_board_form, A_ADMIN, NULL, 0 },
	{ M_GET, "/mod/vocabulary", admin_vocab_list, A_MOD,
	    admin_vocab_list_params, 0 },
	{ M_GET, "/admin/vocabulary/{slug}", admin_vocab_form, A_ADMIN, NULL,
	    0 },
	{ M_POST, "/admin/vocabulary/{slug}", admin_vocab_save, A_ADMIN,
	    admin_vocab_params, 0 },
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
	    apply_list_params, 0 },
	{ M_POST, "/jobs/{id}/applications/status", apply_bulk, A_EMPLOYER,
	    apply_status_params, 0 },
	{ M_POST, "/applications/{id}/notes", apply_note, A_EMPLOYER,
	    apply_note_params, 0 },
	{ M_GET, "/applications/{id}/interview", apply_interview_form,
	    A_EMPLOYER, NULL, 0 },
	{ M_POST, "/applications/{id}/interview", apply_interview, A_EMPLOYER,
	    apply_interview_params, R_RENDER },
	{ M_GET, "/applications/{id}/interview.ics", apply_interview_ics,
	    A_USER, NULL, 0 },
	{ M_POST, "/jobs/{id}/duplicate", jobs_employer_duplicate, A_EMPLOYER,
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
	{ M_GET, "/profile/cv", placement_cv, A_USER, placement_cv_params, 0 },
	{ M_GET, "/profile/cv/download", placement_cv_download, A_USER,
	    placement_cv_params, 0 },
	{ M_GET, "/applications/{id}/cv", placement_app_cv, A_USER,
	    placement_cv_params, 0 },
	{ M_GET, "/jobs/for-you", placement_for_you, A_USER, NULL, 0 },
	{ M_GET, "/jobs/saved", jobs_saved_list, A_USER, NULL, 0 },
	{ M_POST, "/jobs/{id}/save", jobs_saved_add, A_USER,
	    jobs_saved_params, 0 },
	{ M_POST, "/jobs/{id}/unsave", jobs_saved_remove, A_USER,
	    jobs_saved_params, 0 },
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
	{ M_GET, "/guides", guide_list, A_ANY, guide_list_params, R_CACHE },
	{ M_GET, "/guides/new", guide_new_form, A_MOD, NULL, 0 },
	{ M_POST, "/guides/new", guide_new, A_MOD, guide_new_params, R_RENDER },
	{ M_GET, "/guides/{id}", guide_view, A_ANY, guide_view_params,
	    R_CACHE },
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
	{ M_GET, "/events/{id}/ics", feed_event_ics, A_ANY, NULL, 0 },
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
	{ M_GET, "/feeds/calendar/{slug}", feed_calendar, A_ANY, NULL, 0 },
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
/*
 * A partner office only reads: what a visitor sees, its own pages
 * (A_PARTNER), and the few A_USER pages and forms marked R_PARTNER (its
 * password, signing out, the language); every other form is refused
 * here, whatever its handler would check.
 */
int
route_allowed(const struct route *r, const struct user *u)
{
	if (u != NULL && u->role == ROLE_PARTNER && !(r->flags & R_PARTNER))
		return r->method != M_POST &&
		    (r->allow == A_ANY || r->allow == A_PARTNER);
	switch (r->allow) {
	case A_ANY:
		return 1;
	case A_USER:
		return u != NULL;
	case A_EMPLOYER:
		return u != NULL && (u->role == ROLE_EMPLOYER ||
		    u->role >= ROLE_MODERATOR);
	case A_PARTNER:
		return u != NULL && u->role >= ROLE_PARTNER;
	case A_MOD:
		return u != NULL && u->role >= ROLE_MODERATOR;
	case A_ADMIN:
		return u != NULL && u->role == ROLE_ADMIN;
	}
	return 0;
}
