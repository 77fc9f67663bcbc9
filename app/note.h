/*
 * Notifications inside the application (mailed too: app/mail.c): a reply, a
 * quote, a change to an application, a moderator's decision.  Each kind
 * has one sentence in the catalogue; the header shows the unread count.
 */
#ifndef MAGNET_NOTE_H
#define MAGNET_NOTE_H

struct request;

void	note_init(void);
/* Tell user_id: kind (see kinds[] in note.c), caused by actor_id (0 for
 * the system), about subject, leading to link (a local path).  Runs on
 * this thread's connection, so inside the caller's transaction. */
int	note_add(long long user_id, const char *kind, long long actor_id,
	    const char *subject, const char *link);
/* A notification's sentence in req's language (req->lang, req->arena
 * are all it reads): actor and subject isolated; a kind it does not
 * know gets "actor: subject". */
const char *note_sentence(struct request *, const char *kind,
	    const char *actor, const char *subject);
int	note_list(struct request *);
int	note_read_all(struct request *);
int	note_open(struct request *);

#endif
