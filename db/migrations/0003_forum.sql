-- The forum: threads, posts with their stored HTML and revisions, and
-- notifications.  Lists are served from indexes in the order they are
-- shown; counters on boards and threads are kept in the same transaction
-- as the post that changes them.

-- Folding for search: lower case, and the Arabic and Persian forms of
-- yeh and kaf made one, so ي/ی and ك/ک find each other.
CREATE FUNCTION magnet_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT translate(lower(t), 'يىكۀ', 'ییکە') $$;

ALTER TABLE boards
	ADD COLUMN thread_count integer NOT NULL DEFAULT 0,
	ADD COLUMN post_count integer NOT NULL DEFAULT 0,
	ADD COLUMN last_post_at timestamptz,
	ADD COLUMN last_thread_id bigint;

ALTER TABLE users ADD COLUMN last_post_at timestamptz;

CREATE TABLE threads (
	id		bigserial PRIMARY KEY,
	board_id	integer NOT NULL REFERENCES boards(id),
	author_id	bigint NOT NULL REFERENCES users(id),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_post_at	timestamptz NOT NULL DEFAULT now(),
	last_author_id	bigint REFERENCES users(id),
	-- posts in the thread including the first; seq of the newest
	post_count	integer NOT NULL DEFAULT 0,
	pinned		boolean NOT NULL DEFAULT false,
	locked		boolean NOT NULL DEFAULT false,
	state		text NOT NULL DEFAULT 'published' CHECK (state IN
			    ('published', 'held', 'hidden', 'deleted')),
	search		tsvector
);
CREATE INDEX threads_board_list ON threads
	(board_id, pinned DESC, last_post_at DESC, id DESC)
	WHERE state = 'published';
CREATE INDEX threads_author ON threads (author_id);
CREATE INDEX threads_title_trgm ON threads
	USING gin (magnet_fold(title) gin_trgm_ops);
CREATE INDEX threads_search ON threads USING gin (search);

CREATE TABLE posts (
	id		bigserial PRIMARY KEY,
	thread_id	bigint NOT NULL REFERENCES threads(id),
	-- position in the thread, from 1; pages are ranges of it
	seq		integer NOT NULL,
	author_id	bigint NOT NULL REFERENCES users(id),
	body_md		text NOT NULL,
	body_html	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	edited_at	timestamptz,
	state		text NOT NULL DEFAULT 'published' CHECK (state IN
			    ('published', 'held', 'hidden', 'deleted',
			    'rejected')),
	quote_of	bigint REFERENCES posts(id),
	-- the form's idempotency key: a retried submit finds its post
	idem_key	text,
	search		tsvector,
	UNIQUE (thread_id, seq),
	UNIQUE (author_id, idem_key)
);
CREATE INDEX posts_author ON posts (author_id, id DESC);
CREATE INDEX posts_search ON posts USING gin (search);

CREATE TABLE post_revisions (
	id		bigserial PRIMARY KEY,
	post_id		bigint NOT NULL REFERENCES posts(id),
	body_md		text NOT NULL,
	edited_by	bigint NOT NULL REFERENCES users(id),
	edited_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_revisions_post ON post_revisions (post_id, id);

CREATE TABLE notifications (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind IN ('reply', 'quote')),
	actor_id	bigint NOT NULL REFERENCES users(id),
	thread_id	bigint NOT NULL REFERENCES threads(id),
	post_id		bigint NOT NULL REFERENCES posts(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	read_at		timestamptz
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id)
	WHERE read_at IS NULL;
