/*
 * Private conversations: returnees with the counsellors' shared inbox,
 * counsellors with anyone, employers with the people who applied or were
 * referred to their vacancies, peers when an admin allows it.  Blocking,
 * reports to the counsellors, and the counsellors' audited reading of a
 * reported conversation.  The counsellors' list of reported ones is
 * msg_mod.c; the contact form of people who cannot sign in, msg_contact.c.
 */
#ifndef MAGNET_MSG_H
#define MAGNET_MSG_H

#include "request.h"
#include "param.h"

struct request;

/* Messages on a page of a conversation. */
#define MSG_PAGE	20
/* Longest message, in characters. */
#define MSG_BODY_MAX	8000

/* What starting a conversation from one role to another makes. */
enum msg_start {
	MSG_COUNSELLING,	/* with the counsellors' shared inbox */
	MSG_DIRECT,		/* between the two people */
	MSG_NO_SELF,		/* to oneself */
	MSG_NO_PEER,		/* peers, and the admin has not allowed it */
	MSG_NEED_CONTEXT,	/* employer to returnee: only about an
				 * application or a referral */
	MSG_NO_EMPLOYER,	/* returnee to employer */
	MSG_NO_STAFF,		/* a counsellor named by a returnee or an
				 * employer: the shared inbox is the way */
	MSG_NO_ACCOUNT,		/* no account has that name */
	MSG_NEED_PERSON,	/* a counsellor must name someone */
	MSG_START__MAX
};

/*
 * The rule for starting a conversation.  to is the recipient's role, or
 * ROLE_NONE for "the counsellors" (no name given).  peer is the admin
 * setting; context is 1 when the conversation is about an application
 * or a referral the sender's enterprise may use.
 */
enum msg_start	 msg_start_rule(enum role from, enum role to, int self,
		    int peer, int context);
/*
 * The msgid explaining a refusal to a sender of role from; NULL for the
 * two allowed results.  A returnee or an employer gets one sentence for
 * every name they may not write to (no account, another role, a
 * counsellor), so the answer never tells whether a name exists or what
 * role it has; counsellors, who may write to anyone, are told when no
 * account has the name.
 */
const char	*msg_start_problem(enum msg_start, enum role from);


/* Registers msg_mod.c's and msg_contact.c's statements too. */
void	 msg_init(void);
int	 msg_list(struct request *);
int	 msg_inbox(struct request *);
int	 msg_new_form(struct request *);
int	 msg_new(struct request *);
int	 msg_view(struct request *);
int	 msg_reply(struct request *);
int	 msg_block_form(struct request *);
int	 msg_block(struct request *);
int	 msg_unblock(struct request *);
int	 msg_answered(struct request *);
int	 msg_report_form(struct request *);
int	 msg_report(struct request *);
/* A message about an application from its enterprise, in the caller's
 * transaction: 1 sent (*href), 0 refused (a block, a suspension), -1. */
int	 msg_send_about(struct request *, long long application,
	    long long to, const char *subject, const char *body,
	    const char *html, const char **href);
/* The name of the statement that anonymises a deleted account's part in
 * conversations (run by account_delete in its transaction, with the
 * user's id). */
#define MSG_FORGET_STMT	"msg_forget"

/* The limits of its forms (the route table declares them). */
#define MSG_SUBJECT_MAX	200
#define MSG_SUBJECT_MIN	3

#endif
