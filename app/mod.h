/*
 * Moderation, one file per family of pages: the queue and the decisions
 * on posts and threads (mod.c), reports (mod_report.c), users, sanctions
 * and one-time password links (mod_user.c), the audit log (mod_audit.c)
 * and statistics (mod_stats.c).  The admin pages are admin.h's.
 */
#ifndef MAGNET_MOD_H
#define MAGNET_MOD_H

#include "param.h"

struct request;
struct tmpl_vars;


/* Register the statements of every moderation file. */
void	mod_init(void);
void	mod_report_init(void);
void	mod_user_init(void);
void	mod_audit_init(void);
void	mod_stats_init(void);

/* The sentence (a msgid) of a built-in reason's key, or NULL. */
const char *mod_reason_msgid(const char *);
/* The reason typed, else the chosen one in the reader's language. */
const char *mod_reason(struct request *);
/*
 * For a post: the chosen reason's key ("" for none) and the note as
 * typed; *audit_why gets both, the reason in English.  0, or -1 when
 * there is neither.
 */
int	mod_reason_parts(struct request *, const char **key,
	    const char **note, const char **audit_why);
/*
 * A moderation action confirmed on a page of its own (mod_confirm.html):
 * v holds what the form shows besides (excerpt, posts, boards, until);
 * with_reason asks for the reason the author reads; problem is a msgid
 * or NULL.
 */
int	mod_confirm(struct request *, struct tmpl_vars *, int status,
	    const char *action, const char *question, const char *button,
	    int with_reason, const char *problem);

/* mod.c: the queue, posts and threads. */
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

/* mod_report.c: reports of posts and vacancies. */
int	mod_report_form(struct request *);
int	mod_report(struct request *);
int	mod_report_vacancy_form(struct request *);
int	mod_report_vacancy(struct request *);
int	mod_vacancy_dismiss(struct request *);

/* mod_user.c: users, suspensions, reset links. */
int	mod_users(struct request *);
int	mod_user(struct request *);
int	mod_suspend_form(struct request *);
int	mod_suspend(struct request *);
int	mod_unsuspend(struct request *);
int	mod_reset_link(struct request *);

/* mod_audit.c */
int	mod_audit(struct request *);

/* mod_stats.c */
int	mod_stats(struct request *);
int	mod_stats_csv(struct request *);
int	mod_stats_outcomes_csv(struct request *);

/* Choices of a parameter (the route table declares it). */
extern const char *const mod_bulk_actions[];

#endif
