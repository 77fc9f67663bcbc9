-- The foundation: accounts, sessions, boards, secrets, rate limits and the
-- append-only audit log.  Later migrations add the forum, jobs and the rest.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE site_secrets (
	name	text PRIMARY KEY,
	value	bytea NOT NULL
);

CREATE TABLE settings (
	key	text PRIMARY KEY,
	value	text NOT NULL
);

CREATE TABLE enterprises (
	id		bigserial PRIMARY KEY,
	name		text NOT NULL,
	sector		text NOT NULL DEFAULT '',
	governorate	text NOT NULL DEFAULT '',
	address		text NOT NULL DEFAULT '',
	phone		text NOT NULL DEFAULT '',
	website		text NOT NULL DEFAULT '',
	description	text NOT NULL DEFAULT '',
	verified_at	timestamptz,
	verified_by	bigint,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
	id		bigserial PRIMARY KEY,
	username	text NOT NULL,
	-- the name folded for comparison: case and Arabic/Persian letter
	-- variants, so "Ali" and "ali", "علي" and "علی" cannot both exist
	username_key	text NOT NULL UNIQUE,
	password_hash	text NOT NULL,
	role		text NOT NULL CHECK (role IN
			    ('returnee', 'employer', 'moderator', 'admin')),
	lang		text,
	enterprise_id	bigint REFERENCES enterprises(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	suspended_until	timestamptz,
	suspend_reason	text,
	deleted_at	timestamptz,
	CHECK (role <> 'employer' OR enterprise_id IS NOT NULL)
);

CREATE TABLE sessions (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	-- a keyed BLAKE2b hash of the cookie's token; never the token
	token_hash	bytea NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE rate_counters (
	key		text NOT NULL,
	window_start	timestamptz NOT NULL,
	count		integer NOT NULL,
	PRIMARY KEY (key, window_start)
);

CREATE TABLE boards (
	id		serial PRIMARY KEY,
	slug		text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
	position	integer NOT NULL DEFAULT 0,
	governorate	text
);

CREATE TABLE board_names (
	board_id	integer NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	lang		text NOT NULL,
	name		text NOT NULL,
	description	text NOT NULL,
	PRIMARY KEY (board_id, lang)
);

-- Every moderator and admin action.  Rows are only ever inserted: the
-- trigger refuses UPDATE and DELETE even from this program's own role.
CREATE TABLE audit_log (
	id		bigserial PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_id	bigint REFERENCES users(id),
	action		text NOT NULL,
	target		text NOT NULL DEFAULT '',
	reason		text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only';
END $$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE
    ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
