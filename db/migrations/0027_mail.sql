-- Mail (app/mail.c, README "Mail").  An account may have an address,
-- confirmed by a link; what happens on the site is written to an outbox
-- in the same transaction as the event, by triggers, so that every kind
-- of notification (kinds added later too) can be mailed and nothing is
-- lost between the event and the sender.  The sender claims rows with
-- FOR UPDATE SKIP LOCKED and a lease, renders each mail at sending time
-- in the recipient's language, and re-checks that its subject is still
-- visible to the recipient.

ALTER TABLE users
	-- the confirmed address (NULL: none); never shown to others
	ADD COLUMN email	text CHECK (length(email) <= 254),
	-- an address waiting for its confirmation link
	ADD COLUMN email_pending text CHECK (length(email_pending) <= 254);

-- Confirmation links (single use, a day).  Only a keyed hash is kept.
CREATE TABLE mail_confirms (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	address		text NOT NULL,
	token_hash	bytea NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);
CREATE INDEX mail_confirms_user ON mail_confirms (user_id);

-- How each kind of notification is mailed: 'now', 'digest' or 'never'.
-- No row: the default of magnet_mail_default.
CREATE TABLE mail_prefs (
	user_id		bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
	mode		text NOT NULL CHECK (mode IN ('now', 'digest', 'never')),
	PRIMARY KEY (user_id, kind)
);

CREATE FUNCTION magnet_mail_default(k text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE
	WHEN k IN ('reply', 'quote', 'mention', 'watch', 'thanks') THEN 'digest'
	WHEN k IN ('message', 'application', 'application_status',
	    'application_withdrawn', 'referral', 'referral_status',
	    'referral_employer', 'approved', 'rejected', 'edit_approved',
	    'edit_rejected', 'verified', 'unverified', 'event_moved',
	    'event_cancelled') THEN 'now'
	ELSE 'digest' END;

CREATE FUNCTION magnet_mail_mode(uid bigint, k text) RETURNS text
LANGUAGE sql STABLE
RETURN coalesce((SELECT mode FROM mail_prefs WHERE user_id = uid AND
    kind = k), magnet_mail_default(k));

-- One mail to send.  kind: 'note' (a notification, note_id), 'message'
-- (a later message of a conversation, message_id), 'digest' (the rows
-- with digest_id = its id), 'confirm' and 'changed' (to address),
-- 'reset' (a password link), 'alert' (a job alert, vacancy_id).
-- state: 'digest' waits for the next digest, 'in_digest' was put in one,
-- 'queued' waits for the sender, 'sent', 'failed' (given up after a day
-- of retries), 'dropped' (nothing left to say: no address, the content
-- no longer visible, the kind turned off).
CREATE TABLE mail_outbox (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind IN ('note', 'message',
			    'digest', 'confirm', 'changed', 'reset', 'alert')),
	-- the notification's kind (for List-Unsubscribe and the digest)
	note_kind	text,
	note_id		bigint REFERENCES notifications(id) ON DELETE SET NULL,
	message_id	bigint REFERENCES messages(id) ON DELETE SET NULL,
	vacancy_id	bigint REFERENCES vacancies(id) ON DELETE SET NULL,
	digest_id	bigint REFERENCES mail_outbox(id),
	-- confirm, changed: the address; else the account's at sending
	address		text,
	-- confirm, reset: the link's token until the mail is sent
	secret		text,
	state		text NOT NULL DEFAULT 'queued' CHECK (state IN
			    ('digest', 'in_digest', 'queued', 'sent',
			    'failed', 'dropped')),
	attempts	integer NOT NULL DEFAULT 0,
	next_at		timestamptz NOT NULL DEFAULT now(),
	-- claimed by a sender until then; a crash frees it at that time
	lease_until	timestamptz,
	last_error	text,
	sent_to		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_at, id)
	WHERE state = 'queued';
CREATE INDEX mail_outbox_digest ON mail_outbox (user_id)
	WHERE state = 'digest';
CREATE INDEX mail_outbox_user ON mail_outbox (user_id);
CREATE INDEX mail_outbox_sent ON mail_outbox (sent_to, sent_at)
	WHERE state = 'sent';
CREATE INDEX mail_outbox_failed ON mail_outbox (id) WHERE state = 'failed';
CREATE INDEX mail_outbox_in ON mail_outbox (digest_id)
	WHERE digest_id IS NOT NULL;

-- Digests made: one a day, whichever node comes first.
CREATE TABLE mail_digest_runs (
	day		date PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now()
);

-- Every notification, of any kind: queued at once or for the digest by
-- the recipient's choice, when the recipient has a confirmed address.
CREATE FUNCTION magnet_mail_note() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	m text;
	-- an application's new status is written "appst_" and the status
	k text := CASE WHEN NEW.kind LIKE 'appst\_%' THEN 'application_status'
	    ELSE NEW.kind END;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.user_id AND
	    email IS NOT NULL AND deleted_at IS NULL) THEN
		RETURN NULL;
	END IF;
	m := magnet_mail_mode(NEW.user_id, k);
	IF m = 'never' THEN
		RETURN NULL;
	END IF;
	INSERT INTO mail_outbox (user_id, kind, note_kind, note_id, state)
	VALUES (NEW.user_id, 'note', k, NEW.id,
	    CASE m WHEN 'now' THEN 'queued' ELSE 'digest' END);
	RETURN NULL;
END $$;
CREATE TRIGGER notifications_mail AFTER INSERT ON notifications
	FOR EACH ROW EXECUTE FUNCTION magnet_mail_note();

-- A later message of a conversation (the first one is a notification of
-- kind 'message'): to the other side when it is a person.
CREATE FUNCTION magnet_mail_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.seq <= 1 THEN
		RETURN NULL;
	END IF;
	INSERT INTO mail_outbox (user_id, kind, note_kind, message_id, state)
	SELECT m.user_id, 'message', 'message', NEW.id,
	    CASE magnet_mail_mode(m.user_id, 'message')
	    WHEN 'now' THEN 'queued' ELSE 'digest' END
	FROM conversation_members m JOIN users u ON u.id = m.user_id
	WHERE m.conversation_id = NEW.conversation_id AND
	    m.user_id <> NEW.author_id AND u.email IS NOT NULL AND
	    u.deleted_at IS NULL AND
	    magnet_mail_mode(m.user_id, 'message') <> 'never';
	RETURN NULL;
END $$;
CREATE TRIGGER messages_mail AFTER INSERT ON messages
	FOR EACH ROW EXECUTE FUNCTION magnet_mail_message();

-- Gather each person's waiting rows into one digest mail.  Two nodes
-- running it at once take turns on the advisory lock.
CREATE FUNCTION magnet_mail_digest() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	u bigint;
	d bigint;
	n integer := 0;
BEGIN
	PERFORM pg_advisory_xact_lock(7208201);
	FOR u IN SELECT DISTINCT user_id FROM mail_outbox
	    WHERE state = 'digest' LOOP
		INSERT INTO mail_outbox (user_id, kind) VALUES (u, 'digest')
		RETURNING id INTO d;
		UPDATE mail_outbox SET state = 'in_digest', digest_id = d
		WHERE user_id = u AND state = 'digest';
		n := n + 1;
	END LOOP;
	RETURN n;
END $$;
