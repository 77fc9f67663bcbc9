/*
 * @mentions in forum posts: the names a post's sanitised HTML names,
 * and that HTML with each name that is an account made a link to the
 * account's card.  Pure functions; forum_post.c looks the names up and
 * stores who was mentioned.
 */
#ifndef MAGNET_MENTION_H
#define MAGNET_MENTION_H

#include <stddef.h>

struct buf;

/* At most this many people are named (linked and notified) per post:
 * a longer list is not a conversation but a broadcast. */
#define MENTION_MAX		10
/* The longest name read after an @, in bytes. */
#define MENTION_NAME_MAX	96
#define MENTION_KEY_MAX		(MENTION_NAME_MAX * 4 + 4)

struct mention {
	char		name[MENTION_NAME_MAX + 1];	/* as typed */
	char		key[MENTION_KEY_MAX];		/* user_name_key */
	long long	id;				/* 0: no account */
};

/* The distinct names (by key) written as @name in text of html outside
 * links, code and tags, at most max of them; returns how many. */
int	 mention_scan(const char *html, struct mention *, int max);
/* html with every @name whose key is one of m[] with an id made a link
 * <a class="mention" href="/u/ID">@name</a>, into out. */
void	 mention_link(const char *html, const struct mention *, int n,
	    struct buf *out);

#endif
