/*
 * Enterprises: the public page of an employer, the form its employers
 * keep up to date, and a counsellor's verification (the badge).
 */
#ifndef MAGNET_ENTERPRISE_H
#define MAGNET_ENTERPRISE_H

#include "param.h"

struct request;


void	enterprise_init(void);
int	enterprise_page(struct request *);
int	enterprise_edit_form(struct request *);
int	enterprise_edit(struct request *);
int	enterprise_verify(struct request *);
int	enterprise_unverify(struct request *);

#endif
