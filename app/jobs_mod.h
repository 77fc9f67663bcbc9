/*
 * The counsellors' part of the job board: vacancies and edits waiting
 * for review, enterprises waiting to be verified, and the decisions.
 */
#ifndef MAGNET_JOBS_MOD_H
#define MAGNET_JOBS_MOD_H

#include "param.h"

struct request;
struct tmpl_vars;


void		 jobs_mod_init(void);
int		 jobs_mod_page(struct request *);
int		 jobs_mod_approve(struct request *);
int		 jobs_mod_reject(struct request *);
/*
 * The queue as the lists mod_vacancies and mod_enterprises of v, with
 * their counts, for {{>jobs_mod}}; 0, or -1 when the database is down.
 */
int		 jobs_mod_bind(struct request *, struct tmpl_vars *);
/*
 * The card of vacancy id, when it waits for review, as the list decide
 * of v (one row, {{>jobs_mod_vacancy}}), deciding back to its page; 0,
 * or -1 when the database is down.
 */
int		 jobs_mod_bind_one(struct request *, struct tmpl_vars *,
		    long long id);

#endif
