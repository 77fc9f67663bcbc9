/*
 * What is mailed to a person: the choice per kind of notification
 * (/account/mail) and job alerts (/account/alerts).
 */
#ifndef MAGNET_MAILPREF_H
#define MAGNET_MAILPREF_H

struct request;

void	mailpref_init(void);
int	mailpref_form(struct request *);
int	mailpref_save(struct request *);
int	mailpref_alerts(struct request *);
int	mailpref_alert_add(struct request *);
int	mailpref_alert_del(struct request *);

#endif
