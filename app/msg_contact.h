/*
 * /contact: help for someone who cannot sign in, written to the
 * counsellors' shared inbox without an account.
 */
#ifndef MAGNET_MSG_CONTACT_H
#define MAGNET_MSG_CONTACT_H

#include "param.h"

struct request;

extern const struct param msg_contact_params[];
extern const struct param msg_contact_form_params[];

void	 msg_contact_init(void);
int	 msg_contact_form(struct request *);
int	 msg_contact(struct request *);

#endif
