/*
 * The feeds of published content, for feed readers, calendars and other
 * sites: Atom of a board, of the job board and of the events; iCalendar
 * of the events.
 */
#ifndef MAGNET_FEED_H
#define MAGNET_FEED_H

struct request;

void	feed_init(void);
int	feed_board(struct request *);
int	feed_jobs(struct request *);
int	feed_events_atom(struct request *);
int	feed_events_ics(struct request *);
int	feed_event_ics(struct request *);
int	feed_calendar(struct request *);

#endif
