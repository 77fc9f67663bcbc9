/*
 * Referrals, as in MAGNET's post-arrival counselling: a counsellor
 * refers a returnee to a vacancy or a training offer with a note, and
 * tracks the outcome.  The suggestions view ranks returnees whose
 * governorate, skills and languages match a vacancy.
 */
#ifndef MAGNET_REFERRAL_H
#define MAGNET_REFERRAL_H

#include "param.h"

struct request;
struct tmpl_vars;


void	referral_init(void);
int	referral_suggestions(struct request *);
int	referral_create(struct request *);
int	referral_status(struct request *);
int	referral_list(struct request *);
/* The signed-in returnee's referrals as the list refs of v, for the
 * partial {{>referral_mine}}; 0 or -1. */
int	referral_mine(struct request *, struct tmpl_vars *v);
/* The referrals to one vacancy as the list refs of v, for the partial
 * {{>referral_vacancy}}: for its employer (owner: each row links to a
 * message about it) or a counsellor (with the status form); 0 or -1. */
int	referral_for_vacancy(struct request *, struct tmpl_vars *v,
	    long long vacancy, int owner);

/* The limits of its forms (the route table declares them). */
#define REFERRAL_NOTE_MAX	2000

/* Choices of a parameter (the route table declares it). */
extern const char *const referral_status_any[];

#endif
