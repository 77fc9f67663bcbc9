/*
 * Site settings an admin changes from a page (the `settings` table), read
 * through a short-lived cache so a page view costs no query for them.
 */
#ifndef MAGNET_SETTING_H
#define MAGNET_SETTING_H

enum setting {
	SET_NEW_USER_HOLDS,		/* first posts held for approval */
	SET_REPORT_THRESHOLD,		/* reporters who hide a post */
	SET_NEW_USER_POST_INTERVAL,	/* seconds between a new user's posts */
	SET_PEER_MESSAGES,		/* 1: returnees may write to returnees */
	SET__MAX
};

struct setting_info {
	const char	*key;
	const char	*label;		/* msgid */
	long long	 def, min, max;
};

extern const struct setting_info setting_info[SET__MAX];

void		setting_init(void);
/* The current value; the default when the database cannot be read. */
long long	setting_get(enum setting);
/* Store a new value (in the caller's transaction); 0 or -1. */
int		setting_set(enum setting, long long);
/* Forget the cache, e.g. after a change on this node. */
void		setting_flush(void);

struct arena;
/* Text settings: SET_TEXT_OFFICES, the counselling offices' addresses,
 * phones and hours that the sign-in and contact pages show.  The value,
 * "" when unset, NULL when the database is down; set: 0 or -1. */
#define SET_TEXT_OFFICES	"offices"
#define SET_TEXT_OFFICES_MAX	1000
const char	*setting_text(struct arena *, const char *key);
int		 setting_set_text(const char *key, const char *value);

#endif
