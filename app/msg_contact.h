/*
 * /contact: help for someone who cannot sign in, written to the
 * counsellors' shared inbox without an account.
 */
#ifndef MAGNET_MSG_CONTACT_H
#define MAGNET_MSG_CONTACT_H

#include "param.h"

struct request;


void	 msg_contact_init(void);
int	 msg_contact_form(struct request *);
int	 msg_contact(struct request *);

/* Choices of a parameter (the route table declares it). */
extern const char *const msg_contact_sent[];

#endif
