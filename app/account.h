/*
 * A user's own account: password change, the one-time reset link a
 * counsellor hands over, data export and deletion.
 */
#ifndef MAGNET_ACCOUNT_H
#define MAGNET_ACCOUNT_H

#include "param.h"

struct request;


void	account_init(void);
int	account_home(struct request *);
int	account_password_form(struct request *);
int	account_password(struct request *);
int	account_reset_form(struct request *);
int	account_reset(struct request *);
int	account_export(struct request *);
int	account_delete_form(struct request *);
int	account_delete(struct request *);
int	account_welcome_close(struct request *);
int	account_calendar(struct request *);
int	account_calendar_revoke(struct request *);
int	account_welcome_done(struct request *);

#endif
