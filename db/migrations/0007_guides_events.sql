-- Guides and events (issue 8).
--
-- A guide is one piece of information for one governorate and topic; it
-- has a version per language (at most one each), and every saved text of
-- a version is kept in guide_revisions.  Markdown is rendered once, on
-- save, and the HTML stored, as for posts.
--
-- An event keeps its own count of sign-ups (taken) next to its capacity:
-- the sign-up statement raises it with "taken < capacity" in the WHERE of
-- an UPDATE, so concurrent last-place sign-ups queue on the event's row
-- and only one of them passes.  The CHECK below holds even if code ever
-- got that wrong.

CREATE TABLE guides (
	id		bigserial PRIMARY KEY,
	governorate	text NOT NULL CHECK (governorate IN
			    ('erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	topic		text NOT NULL CHECK (topic IN ('work', 'training',
			    'housing', 'documents', 'health', 'schooling')),
	created_by	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	-- the form's idempotency key: a retried submit finds its guide
	idem_key	text,
	UNIQUE (created_by, idem_key)
);
CREATE INDEX guides_place ON guides (governorate, topic, id);

CREATE TABLE guide_versions (
	id		bigserial PRIMARY KEY,
	guide_id	bigint NOT NULL REFERENCES guides(id),
	lang		text NOT NULL CHECK (lang IN
			    ('en', 'ckb', 'kmr-Arab', 'ar')),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	body_md		text NOT NULL,
	body_html	text NOT NULL,
	-- the day a counsellor last checked that the text is still right
	reviewed_on	date NOT NULL,
	-- raised on every save; an edit names the revision it started from
	revision	integer NOT NULL DEFAULT 1,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint NOT NULL REFERENCES users(id),
	search		tsvector,
	UNIQUE (guide_id, lang)
);
CREATE INDEX guide_versions_search ON guide_versions USING gin (search);
CREATE INDEX guide_versions_title_trgm ON guide_versions
	USING gin (magnet_fold(title) gin_trgm_ops);

CREATE TABLE guide_revisions (
	id		bigserial PRIMARY KEY,
	version_id	bigint NOT NULL REFERENCES guide_versions(id),
	revision	integer NOT NULL,
	title		text NOT NULL,
	body_md		text NOT NULL,
	reviewed_on	date NOT NULL,
	note		text NOT NULL DEFAULT '',
	edited_by	bigint NOT NULL REFERENCES users(id),
	edited_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (version_id, revision)
);

CREATE TABLE events (
	id		bigserial PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('info_meeting',
			    'job_fair', 'training_fair', 'workshop')),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	starts_at	timestamptz NOT NULL,
	ends_at		timestamptz NOT NULL,
	online		boolean NOT NULL DEFAULT false,
	-- where it happens; an online event may still belong to one
	governorate	text CHECK (governorate IN
			    ('erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	city		text NOT NULL DEFAULT '',
	address		text NOT NULL DEFAULT '',
	link		text NOT NULL DEFAULT '' CHECK (link = '' OR
			    link ~ '^https://[^[:space:]]+$'),
	organiser	text NOT NULL,
	body_md		text NOT NULL,
	body_html	text NOT NULL,
	capacity	integer CHECK (capacity > 0),	-- NULL: no limit
	taken		integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
	-- counted by the organisers after the event, for the statistics
	attended	integer CHECK (attended >= 0),
	state		text NOT NULL DEFAULT 'published' CHECK (state IN
			    ('published', 'cancelled')),
	-- iCalendar SEQUENCE: raised on every change calendars should see
	sequence	integer NOT NULL DEFAULT 0,
	created_by	bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	idem_key	text,
	UNIQUE (created_by, idem_key),
	CHECK (ends_at > starts_at),
	CHECK (online OR governorate IS NOT NULL),
	CHECK (capacity IS NULL OR taken <= capacity)
);
CREATE INDEX events_ends ON events (ends_at, starts_at);
CREATE INDEX events_governorate ON events (governorate, ends_at);

CREATE TABLE event_signups (
	event_id	bigint NOT NULL REFERENCES events(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	signed_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_signups_user ON event_signups (user_id);
