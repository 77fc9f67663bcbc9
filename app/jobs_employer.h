/*
 * The employer's side of the job board: writing, changing and closing a
 * vacancy or training offer, and the dashboard of the enterprise's
 * vacancies (GET /employer).
 */
#ifndef MAGNET_JOBS_EMPLOYER_H
#define MAGNET_JOBS_EMPLOYER_H

#include "param.h"

struct request;


void		 jobs_employer_init(void);
int		 jobs_employer_new_form(struct request *);
int		 jobs_employer_new(struct request *);
int		 jobs_employer_edit_form(struct request *);
int		 jobs_employer_edit(struct request *);
int		 jobs_employer_close(struct request *);
int		 jobs_employer_duplicate(struct request *);
int		 jobs_employer_dashboard(struct request *);

/* The limits of its forms (the route table declares them). */
#define JOBS_DESC_MAX	10000	/* characters of markdown */
#define JOBS_TITLE_MAX	200
#define JOBS_TITLE_MIN	3

/* Choices of a parameter (the route table declares it). */
extern const char *const jobs_employer_actions[];

#endif
