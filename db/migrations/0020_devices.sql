-- Browsers an account has signed in from (issue 16): a sign-in from one
-- of them is not held back by the per-account limit, so that attempts
-- from elsewhere cannot lock the owner out.  The cookie holds a random
-- token; the table only its keyed hash, as for sessions.
CREATE TABLE devices (
	token_hash	bytea PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_user ON devices (user_id);
CREATE INDEX devices_last_used ON devices (last_used);
