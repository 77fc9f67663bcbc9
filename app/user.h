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

extern const char *const user_role_choices[];

void	 user_init(void);
int	 user_register_form(struct request *);
int	 user_register(struct request *);
int	 user_login_form(struct request *);
int	 user_login(struct request *);
int	 user_logout(struct request *);
int	 user_set_lang(struct request *);
int	 user_lang_link(struct request *);
/* The version of user_name_key's folding, stored with each key: raise it
 * when the key changes, and `magnet migrate` recomputes the older ones. */
#define USER_KEY_VERSION_SQL	"1"
/* Fold a user name for uniqueness: NFKC, case, marks, invisible
 * characters, and the letters and digits that look alike. */
void	 user_name_key(const char *, char *, size_t);
/* NULL when the name is acceptable, else a msgid. */
const char *user_name_problem(const char *);
/* Recompute the keys of an older version; 0 or -1. */
int	 user_rekey(PGconn *);
/* `magnet user add NAME --role ROLE`: 0 or -1. */
int	 user_cmd_add(PGconn *, const char *name, const char *role,
	    const char *governorate);

/* Choices of a parameter (the route table declares it). */
extern const char *const user_lang_choices[];
extern const char *const user_lang_opt_choices[];

#endif
