/*
 * Returnee profiles: private.  The returnee, counsellors, and employers
 * the returnee applied to or was referred to, with the returnee's
 * consent, see one; nobody else learns that it exists.
 */
#ifndef MAGNET_PROFILE_H
#define MAGNET_PROFILE_H

#include "param.h"

struct request;


void	profile_init(void);
int	profile_form(struct request *);
int	profile_save(struct request *);
int	profile_view(struct request *);

#endif
