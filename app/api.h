/*
 * The read-only JSON API, /api/v1: published content only.
 */
#ifndef MAGNET_API_H
#define MAGNET_API_H

#include "param.h"

struct request;


void	api_init(void);
int	api_boards(struct request *);
int	api_thread(struct request *);
int	api_jobs(struct request *);
int	api_job(struct request *);

#endif
