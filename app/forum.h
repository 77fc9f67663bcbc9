/*
 * The forum: boards, threads, posts (forum.c); writing them, with
 * quotes, edits with revisions, soft deletion and notifications
 * (forum_post.c).  Search is in search.h.
 */
#ifndef MAGNET_FORUM_H
#define MAGNET_FORUM_H

#include "param.h"

struct request;


/* forum.c: reading. */
void	forum_init(void);
int	forum_board(struct request *);
int	forum_thread(struct request *);
int	forum_post(struct request *);
int	forum_revisions(struct request *);
/* "/t/{tid}?page=N#p{pid}": the page of a thread with post seq on it. */
const char *forum_link(struct request *, const char *tid, long long seq,
	    const char *pid);

/* forum_post.c: writing. */
void	forum_post_init(void);
int	forum_new_form(struct request *);
int	forum_new(struct request *);
int	forum_reply_form(struct request *);
int	forum_reply(struct request *);
int	forum_edit_form(struct request *);
int	forum_edit(struct request *);
int	forum_delete_form(struct request *);
int	forum_delete(struct request *);

/* forum_follow.c: watching, mentions' cards, marking read. */
void	forum_follow_init(void);
int	forum_thread_watch(struct request *);
int	forum_board_watch(struct request *);
int	forum_board_read(struct request *);
int	forum_user(struct request *);
int	forum_thank(struct request *);
extern const char *const forum_watch_levels[];
extern const char *const forum_board_levels[];

/* Posts shown on a page of a thread. */
#define FORUM_PAGE	20
#define FORUM_PAGE_S	"20"
/* The longest post, in characters. */
#define FORUM_BODY_MAX	20000
/* An account is new, and waits longer between posts, until it has this
 * many published posts. */
#define FORUM_NEW_POSTS	5

/* The limits of its forms (the route table declares them). */
#define FORUM_TITLE_MAX	200
#define FORUM_TITLE_MIN	3

#endif
