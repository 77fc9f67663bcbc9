/*
 * Events: information meetings, job and training fairs and workshops.
 * Counsellors publish them; returnees and employers sign up and cancel;
 * counsellors see and export the attendees.  The feeds, iCalendar and
 * Atom, are feed.c's.  The iCalendar and CSV writers are pure functions,
 * declared here for feed.c and so that tests/unit/test_event.c can check
 * them.
 */
#ifndef MAGNET_EVENT_H
#define MAGNET_EVENT_H

#include <stddef.h>

#include "param.h"

struct buf;
struct request;
struct tmpl_vars;

/* Event kinds as stored, NULL-terminated (P_ENUM), and their names. */
extern const char *const event_kinds[];
extern const char *const event_kind_names[];


void	 event_init(void);
int	 event_list(struct request *);
int	 event_mine(struct request *);
int	 event_past(struct request *);
int	 event_view(struct request *);
int	 event_new_form(struct request *);
int	 event_new(struct request *);
int	 event_edit_form(struct request *);
int	 event_edit(struct request *);
int	 event_cancel_form(struct request *);
int	 event_cancel(struct request *);
int	 event_signup(struct request *);
int	 event_withdraw(struct request *);
int	 event_attendees(struct request *);
int	 event_attendees_csv(struct request *);

/* An event kind's name in the reader's language; "" for an unknown one. */
const char *event_kind_label(struct request *, const char *kind);

/* Upcoming events for the home page (governorate NULL) or a governorate's
 * board, set on the caller's variables for the partial {{>event_board}}
 * (the list "board_events", empty when there are none); with mine, the
 * reader's own signups are marked (else the list is the same for every
 * reader).  0 or -1. */
int	 events_for_board(struct request *, struct tmpl_vars *,
	    const char *governorate, int mine);

/*
 * iCalendar (RFC 5545).  event_ics_text escapes a TEXT value: backslash,
 * semicolon and comma get a backslash, a line break becomes \n, other
 * control characters but tab are dropped.  event_ics_line appends one
 * content line and its CRLF, folded so that no line exceeds 75 octets
 * (continuations start with a space; a UTF-8 character is never split).
 * event_ics_prop writes NAME:value with value escaped as TEXT;
 * event_ics_raw writes it as given (dates, URIs, enumerated values).
 */
void	 event_ics_text(struct buf *, const char *);
void	 event_ics_line(struct buf *, const char *, size_t);
void	 event_ics_prop(struct buf *, const char *name, const char *value);
void	 event_ics_raw(struct buf *, const char *name, const char *value);
/* A meeting link: https, no blanks, controls or characters that need
 * care in an attribute or a calendar (apply_tools.c checks with it). */
int	 event_link_ok(const char *);

/* One CSV cell (RFC 4180), always quoted; a cell that a spreadsheet
 * would read as a formula (starting with = + - @, tab or CR) gets a
 * leading apostrophe. */
void	 event_csv_cell(struct buf *, const char *);


/* The limits of its forms (the route table declares them). */
#define EVENT_BODY_MAX	20000
#define EVENT_CAPACITY_MAX	100000
#define EVENT_LINK_MAX	500
#define EVENT_TITLE_MAX	200
#define EVENT_TITLE_MIN	3

#endif
