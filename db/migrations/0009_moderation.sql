-- Moderation: held content, reports, thread tools, sanctions, password
-- resets by counsellors, and settings an admin changes from a page.

ALTER TABLE threads ADD COLUMN reply_count integer NOT NULL DEFAULT 0;
UPDATE threads SET reply_count = greatest(post_count - 1, 0);

ALTER TABLE posts
	ADD COLUMN official boolean NOT NULL DEFAULT false,
	-- why a counsellor rejected or hid it, shown to the author
	ADD COLUMN mod_reason text NOT NULL DEFAULT '',
	ADD COLUMN moderated_at timestamptz,
	ADD COLUMN moderated_by bigint REFERENCES users(id);
CREATE INDEX posts_held ON posts (created_at) WHERE state = 'held';
CREATE INDEX posts_published_author ON posts (author_id)
	WHERE state = 'published';

CREATE TABLE reports (
	id		bigserial PRIMARY KEY,
	target_kind	text NOT NULL CHECK (target_kind IN
			    ('post', 'vacancy', 'message')),
	target_id	bigint NOT NULL,
	reporter_id	bigint NOT NULL REFERENCES users(id),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	resolved_at	timestamptz,
	resolved_by	bigint REFERENCES users(id),
	UNIQUE (target_kind, target_id, reporter_id)
);
CREATE INDEX reports_open ON reports (created_at) WHERE resolved_at IS NULL;
CREATE INDEX reports_target ON reports (target_kind, target_id);

ALTER TABLE users
	ADD COLUMN suspended_by bigint REFERENCES users(id),
	ADD COLUMN password_changed_at timestamptz;

CREATE TABLE password_resets (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	token_hash	bytea NOT NULL UNIQUE,
	created_by	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz
);

-- Settings changed from the admin pages; conf/magnet.conf gives defaults.
INSERT INTO settings (key, value) VALUES
	('new_user_holds', '2'),
	('report_threshold', '3'),
	('new_user_post_interval', '30')
ON CONFLICT (key) DO NOTHING;

