-- Private conversations.  A conversation has a subject, its messages (in
-- order, with the stored HTML) and exactly two member rows.  A member row
-- is a person, or, when user_id is NULL, the counsellors' shared inbox:
-- a "counselling" conversation is between one returnee or employer and
-- every counsellor at once, so any of them can answer.  A "direct"
-- conversation is between two people (an employer and an applicant, two
-- counsellors, or peers when the admin allows it); counsellors read one
-- only while a participant's report on it is open, and every such
-- reading is in the audit log.
--
-- Each member row carries its own unread count and a copy of the
-- conversation's last activity, so a person's list and the header's
-- count are each one index range.

CREATE TABLE conversations (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('counselling', 'direct')),
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
	created_by	bigint NOT NULL REFERENCES users(id),
	-- what an employer's conversation with a returnee is about
	application_id	bigint REFERENCES applications(id),
	referral_id	bigint REFERENCES referrals(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_at		timestamptz NOT NULL DEFAULT now(),
	last_author_id	bigint REFERENCES users(id),
	-- messages so far; seq of the newest
	message_count	integer NOT NULL DEFAULT 0,
	-- the oldest open report on one of its messages; NULL when none
	reported_at	timestamptz
);
CREATE INDEX conversations_reported ON conversations (reported_at, id)
	WHERE reported_at IS NOT NULL;
CREATE INDEX conversations_application ON conversations (application_id)
	WHERE application_id IS NOT NULL;
CREATE INDEX conversations_referral ON conversations (referral_id)
	WHERE referral_id IS NOT NULL;

CREATE TABLE conversation_members (
	conversation_id	bigint NOT NULL REFERENCES conversations(id),
	-- NULL: the counsellors' shared inbox
	user_id		bigint REFERENCES users(id),
	-- messages from the other side not yet read (for the inbox: not yet
	-- answered by a counsellor)
	unread		integer NOT NULL DEFAULT 0,
	-- the seq this member has read up to
	read_seq	integer NOT NULL DEFAULT 0,
	-- the conversation's last activity, copied for the list's index
	last_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (conversation_id, user_id)
);
CREATE INDEX conversation_members_list ON conversation_members
	(user_id, last_at DESC, conversation_id DESC);
-- The header's count: conversations with something unread.
CREATE INDEX conversation_members_unread ON conversation_members (user_id)
	WHERE unread > 0;

CREATE TABLE messages (
	id		bigserial PRIMARY KEY,
	conversation_id	bigint NOT NULL REFERENCES conversations(id),
	-- position in the conversation, from 1; pages are ranges of it
	seq		integer NOT NULL,
	author_id	bigint NOT NULL REFERENCES users(id),
	body_md		text NOT NULL,
	-- rendered once, on save, by the markdown workers
	body_html	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	-- the form's idempotency key: a retried submit finds its message
	idem_key	text,
	search		tsvector,
	UNIQUE (conversation_id, seq),
	-- also serves "messages by this author"
	UNIQUE (author_id, idem_key)
);
CREATE INDEX messages_search ON messages USING gin (search);

-- A person who does not want messages from another.  Either direction
-- stops a direct conversation and the starting of new ones.
CREATE TABLE message_blocks (
	blocker_id	bigint NOT NULL REFERENCES users(id),
	blocked_id	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (blocker_id, blocked_id),
	CHECK (blocker_id <> blocked_id)
);
CREATE INDEX message_blocks_blocked ON message_blocks (blocked_id);

-- Messages are rate limited on their own clock, apart from posts.
ALTER TABLE users ADD COLUMN last_message_at timestamptz;
