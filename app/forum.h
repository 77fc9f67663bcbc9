/*
 * The forum: boards, threads, posts, quoting, edits with revisions,
 * soft deletion, notifications and search.
 */
#ifndef MAGNET_FORUM_H
#define MAGNET_FORUM_H

#include "param.h"

struct request;

extern const struct param forum_board_params[];
extern const struct param forum_new_params[];
extern const struct param forum_thread_params[];
extern const struct param forum_reply_form_params[];
extern const struct param forum_reply_params[];
extern const struct param forum_edit_params[];
extern const struct param forum_search_params[];

void	forum_init(void);
int	forum_board(struct request *);
int	forum_new_form(struct request *);
int	forum_new(struct request *);
int	forum_thread(struct request *);
int	forum_reply_form(struct request *);
int	forum_reply(struct request *);
int	forum_post(struct request *);
int	forum_edit_form(struct request *);
int	forum_edit(struct request *);
int	forum_delete_form(struct request *);
int	forum_delete(struct request *);
int	forum_revisions(struct request *);
int	forum_search(struct request *);

/* Posts shown on a page of a thread. */
#define FORUM_PAGE	20
/* An account is new, and waits longer between posts, until it has this
 * many published posts. */
#define FORUM_NEW_POSTS	5

#endif
