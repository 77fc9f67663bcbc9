/*
 * The employer's side of the job board: writing, changing and closing a
 * vacancy or training offer, and the dashboard of the enterprise's
 * vacancies (GET /employer).
 */
#ifndef MAGNET_JOBS_EMPLOYER_H
#define MAGNET_JOBS_EMPLOYER_H

#include "param.h"

struct request;

extern const struct param jobs_form_params[];
extern const struct param jobs_close_params[];
extern const struct param jobs_dashboard_params[];

void		 jobs_employer_init(void);
int		 jobs_employer_new_form(struct request *);
int		 jobs_employer_new(struct request *);
int		 jobs_employer_edit_form(struct request *);
int		 jobs_employer_edit(struct request *);
int		 jobs_employer_close(struct request *);
int		 jobs_employer_dashboard(struct request *);

#endif
