/*
 * The pages of mail: an account's address (/account/email), its
 * confirmation link, a password reset by mail (/password/forgot) and
 * the one-click unsubscribe links (/mail/unsubscribe/...).
 */
#ifndef MAGNET_MAILPAGE_H
#define MAGNET_MAILPAGE_H

struct request;

void	mailpage_init(void);
int	mailpage_email_form(struct request *);
int	mailpage_email(struct request *);
int	mailpage_confirm_form(struct request *);
int	mailpage_confirm(struct request *);
int	mailpage_link(const char *uid, const char *addr);
int	mailpage_forgot_form(struct request *);
int	mailpage_forgot(struct request *);
int	mailpage_unsub_form(struct request *);
int	mailpage_unsub(struct request *);

#endif
