/*
 * Administration: the counsellors and administrators, roles, the
 * settings, and the boards' names and order.
 */
#ifndef MAGNET_ADMIN_H
#define MAGNET_ADMIN_H

#include "param.h"

struct request;


void	admin_init(void);
int	admin_home(struct request *);
int	admin_role(struct request *);
int	admin_settings(struct request *);
int	admin_board_form(struct request *);
int	admin_board(struct request *);

/* Choices of a parameter (the route table declares it). */
extern const char *const admin_roles[];
/* Their names, to translate (T). */
extern const char *const admin_role_names[];

#endif
