/*
 * Atom feeds of published content, for feed readers and for other sites.
 */
#ifndef MAGNET_FEED_H
#define MAGNET_FEED_H

struct request;

void	feed_init(void);
int	feed_board(struct request *);

#endif
