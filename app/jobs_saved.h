/*
 * A returnee's tools on vacancies (issue 21): saved vacancies, share
 * links, similar vacancies on a vacancy's page.
 */
#ifndef MAGNET_JOBS_SAVED_H
#define MAGNET_JOBS_SAVED_H

struct request;
struct tmpl_vars;

void	jobs_saved_init(void);
/* The vacancy page's share links, similar vacancies and saved state;
 * 0 or -1. */
int	jobs_saved_view(struct request *, struct tmpl_vars *, const char *id,
	    const char *title, int live);
int	jobs_saved_add(struct request *);
int	jobs_saved_remove(struct request *);
int	jobs_saved_list(struct request *);
extern const char *const jobs_saved_backs[];

#endif
