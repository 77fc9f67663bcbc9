/*
 * The counsellors' side of private conversations: the reported ones,
 * listed without their text (reading one is a separate, audited step in
 * msg.c), and closing their reports.
 */
#ifndef MAGNET_MSG_MOD_H
#define MAGNET_MSG_MOD_H

#include "param.h"

struct request;
struct tmpl_vars;


void	 msg_mod_init(void);
/* GET /mod/messages: the section below on a page of its own. */
int	 msg_mod_page(struct request *);
/* POST /mod/messages/{id}/resolve. */
int	 msg_mod_resolve(struct request *);
/*
 * The conversations part of the moderation queue (GET /mod): reported
 * conversations, oldest open report first, with how long they have
 * waited, who is in them and the reporters' reasons (never the private
 * text).  Sets the list msg_reports on v for the partial {{>msg_mod}};
 * 0, or -1 when the database is down (answer 503).
 */
int	 msg_mod_section(struct request *, struct tmpl_vars *v);

#endif
