/*
 * Accounts: registration, signing in and out, the language preference,
 * and the `magnet user add` command.
 */
#ifndef MAGNET_USER_H
#define MAGNET_USER_H

#include <libpq-fe.h>

#include "param.h"

struct request;
struct param;

extern const struct param user_register_params[];
extern const struct param user_login_params[];
extern const struct param user_login_form_params[];
extern const struct param user_lang_params[];
extern const char *const user_role_choices[];

void	 user_init(void);
int	 user_register_form(struct request *);
int	 user_register(struct request *);
int	 user_login_form(struct request *);
int	 user_login(struct request *);
int	 user_logout(struct request *);
int	 user_set_lang(struct request *);
/* Fold a user name for uniqueness: case and Arabic letter variants. */
void	 user_name_key(const char *, char *, size_t);
/* NULL when the name is acceptable, else a msgid. */
const char *user_name_problem(const char *);
/* `magnet user add NAME --role ROLE`: 0 or -1. */
int	 user_cmd_add(PGconn *, const char *name, const char *role);

#endif
