/*
 * Guides: information pages written by counsellors, one per governorate
 * and topic, each in any of the four languages, with every saved text
 * kept; printable booklets of a governorate's guides in one language,
 * also as one self-contained HTML file to read offline.
 */
#ifndef MAGNET_GUIDE_H
#define MAGNET_GUIDE_H

#include "param.h"

struct request;
struct tmpl_vars;

/* Topics as stored and in URLs, NULL-terminated (P_ENUM), and their
 * English names (msgids) in the same order. */
extern const char *const guide_topics[];
extern const char *const guide_topic_names[];
/* Language tags in enum lang order, NULL-terminated (P_ENUM). */
extern const char *const guide_langs[];


void	 guide_init(void);

int	 guide_list(struct request *);
int	 guide_view(struct request *);
int	 guide_download(struct request *);
int	 guide_new_form(struct request *);
int	 guide_new(struct request *);
int	 guide_edit_form(struct request *);
int	 guide_edit(struct request *);
int	 guide_revisions(struct request *);
int	 guide_booklet(struct request *);
int	 guide_booklet_download(struct request *);

/* A board's governorate's guides, set on the caller's variables for the
 * partial {{>guide_board}} (nothing shown when there are none).  0, or
 * -1 when the database failed. */
int	 guides_for_board(struct request *, struct tmpl_vars *,
	    const char *governorate);
/* The guides matching a search, set on the search page's variables for
 * the partial {{>guide_hits}}: how many, or -1. */
int	 guide_search(struct request *, struct tmpl_vars *, const char *q);

/* The limits of its forms (the route table declares them). */
#define GUIDE_BODY_MAX	30000	/* characters; md.c caps the bytes too */
#define GUIDE_NOTE_MAX	200
#define GUIDE_TITLE_MAX	200
#define GUIDE_TITLE_MIN	3

#endif
