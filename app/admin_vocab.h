/*
 * The vocabulary of occupations and skills (issue 21): counsellors see
 * it with the typed occupations it lacks; admins edit its labels.
 */
#ifndef MAGNET_ADMIN_VOCAB_H
#define MAGNET_ADMIN_VOCAB_H

struct request;

void	admin_vocab_init(void);
int	admin_vocab_list(struct request *);
int	admin_vocab_form(struct request *);
int	admin_vocab_save(struct request *);

#endif
