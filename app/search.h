/*
 * Search, /search: vacancies, guides, and the forum's threads and posts.
 */
#ifndef MAGNET_SEARCH_H
#define MAGNET_SEARCH_H

#include "param.h"

struct request;


void	search_init(void);
int	search_page(struct request *);

#endif
