/*
 * Applications: a returnee applies once per vacancy with a message; the
 * employer moves each application through its statuses; both sides are
 * notified and the returnee follows every status on one page.
 */
#ifndef MAGNET_APPLY_H
#define MAGNET_APPLY_H

#include "param.h"

struct request;


void	apply_init(void);
int	apply_form(struct request *);
int	apply_submit(struct request *);
int	apply_mine(struct request *);
int	apply_for_vacancy(struct request *);
int	apply_status(struct request *);
int	apply_withdraw(struct request *);
/* The orders of a vacancy's applications: "old", "new", "status". */
extern const char *const apply_sorts[];

/* apply_tools.c: the employer's notes, bulk status and interviews. */
void	apply_tools_init(void);
int	apply_note(struct request *);
int	apply_bulk(struct request *);
int	apply_interview_form(struct request *);
int	apply_interview(struct request *);
int	apply_interview_ics(struct request *);
#define APPLY_NOTE_MAX		2000

/* The limits of its forms (the route table declares them). */
#define APPLY_MESSAGE_MAX	4000

#endif
