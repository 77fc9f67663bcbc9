/*
 * Administration: the counsellors and administrators, roles, the
 * settings, and the boards' names and order.
 */
#ifndef MAGNET_ADMIN_H
#define MAGNET_ADMIN_H

#include "param.h"

struct request;

extern const struct param admin_role_params[];
extern const struct param admin_settings_params[];
extern const struct param admin_board_params[];

void	admin_init(void);
int	admin_home(struct request *);
int	admin_role(struct request *);
int	admin_settings(struct request *);
int	admin_board_form(struct request *);
int	admin_board(struct request *);

#endif
