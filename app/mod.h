/*
 * Moderation: the queue, decisions on posts and threads, reports,
 * sanctions, one-time password links, the audit log, statistics, and the
 * admin pages for moderators, boards and settings.
 */
#ifndef MAGNET_MOD_H
#define MAGNET_MOD_H

#include "param.h"

struct request;

extern const struct param mod_reason_params[];
extern const struct param mod_bulk_params[];
extern const struct param mod_move_params[];
extern const struct param mod_suspend_params[];
extern const struct param mod_users_params[];
extern const struct param mod_audit_params[];
extern const struct param mod_report_params[];
extern const struct param admin_role_params[];
extern const struct param admin_settings_params[];
extern const struct param admin_board_params[];

void	mod_init(void);
/* The sentence (a msgid) of a built-in reason's key, or NULL. */
const char *mod_reason_msgid(const char *);
int	mod_queue(struct request *);
int	mod_bulk(struct request *);
int	mod_bulk_reject(struct request *);
int	mod_post_approve(struct request *);
int	mod_post_reject_form(struct request *);
int	mod_post_reject(struct request *);
int	mod_post_hide_form(struct request *);
int	mod_post_hide(struct request *);
int	mod_post_restore(struct request *);
int	mod_post_official(struct request *);
int	mod_thread_lock(struct request *);
int	mod_thread_unlock(struct request *);
int	mod_thread_pin(struct request *);
int	mod_thread_unpin(struct request *);
int	mod_thread_move_form(struct request *);
int	mod_thread_move(struct request *);
int	mod_thread_hide_form(struct request *);
int	mod_thread_hide(struct request *);
int	mod_thread_restore(struct request *);
int	mod_report_form(struct request *);
int	mod_report(struct request *);
int	mod_report_vacancy_form(struct request *);
int	mod_report_vacancy(struct request *);
int	mod_vacancy_dismiss(struct request *);
int	mod_users(struct request *);
int	mod_user(struct request *);
int	mod_suspend_form(struct request *);
int	mod_suspend(struct request *);
int	mod_unsuspend(struct request *);
int	mod_reset_link(struct request *);
int	mod_audit(struct request *);
int	mod_stats(struct request *);
int	mod_stats_csv(struct request *);
int	admin_home(struct request *);
int	admin_role(struct request *);
int	admin_settings(struct request *);
int	admin_board_form(struct request *);
int	admin_board(struct request *);

#endif
