/*
 * Mail: the outbox the database's triggers fill (db/migrations/
 * 0027_mail.sql) and the sender that empties it, a process of its own
 * forked by Kore's parent (README "Mail").  Each mail is rendered when it
 * is sent, in the recipient's language, from assets/templates/mail/, and
 * goes to the SMTP relay through libcurl, or, with no relay configured,
 * into mail_dir as one .eml file.
 */
#ifndef MAGNET_MAIL_H
#define MAGNET_MAIL_H

#include <libpq-fe.h>

struct buf;
struct conf;

struct mail_msg {
	const char	*from;		/* address */
	const char	*from_name;
	const char	*to;		/* address */
	const char	*subject;
	const char	*msgid;		/* without <> */
	const char	*unsub;		/* URL for List-Unsubscribe, or NULL */
	const char	*text;		/* the plain-text part */
	const char	*html;		/* the HTML part */
};

/* 1 when s may go into a header: no CR or LF. */
int	 mail_header_ok(const char *s);
/* 1 when s has an address's shape (local@domain.tld, ASCII). */
int	 mail_address_ok(const char *s);
/* s as a header's words: as it is when plain ASCII, else RFC 2047
 * encoded words (UTF-8, base64), folded. */
void	 mail_encode_words(struct buf *, const char *s);
/* The whole message (headers, a text and an HTML part), CRLF lines:
 * 0, or -1 when a header value holds CR or LF or an address is bad. */
int	 mail_compose(struct buf *, const struct mail_msg *);
/* The signature of a one-click unsubscribe link (hex, in out[33]). */
void	 mail_unsub_sig(long long uid, const char *kind, char out[33]);

/* Fork the node's background process, which sends the mail when
 * mail_sender is on and fills in the search of new replies (after
 * templates, catalogues and keys are loaded): 0, or -1. */
int	 mail_start(const struct conf *);
void	 mail_stop(void);
/* `magnet mail digest|send`: make the digests now, or send what is due
 * once; exit status. */
int	 mail_cmd(const struct conf *, const char *what);

#endif
