/*
 * Pages that belong to no single domain: the home page and /healthz.
 */
#ifndef MAGNET_SITE_H
#define MAGNET_SITE_H

struct request;

void	site_init(void);
int	site_home(struct request *);
int	site_healthz(struct request *);

#endif
