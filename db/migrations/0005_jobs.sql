-- The job board: enterprises' details, vacancies and training offers with
-- their moderation states, returnee profiles, applications and referrals.
--
-- "Expired" is never stored: a published vacancy whose deadline has
-- passed is expired by the queries themselves (deadline >=
-- magnet_today()), so no job has to run for it to leave the public lists
-- on time.  Lists are read from partial indexes in the order they are
-- shown.

-- Today's date in the Kurdistan Region (Asia/Baghdad, UTC+3 all year).
-- STABLE, so a query compares an index range against it.
CREATE FUNCTION magnet_today() RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT (now() AT TIME ZONE 'Asia/Baghdad')::date $$;

-- "Welding, Excel ، Driving" -> {driving,excel,welding}: the keys that
-- suggestions match on, folded as search folds (magnet_fold).
CREATE FUNCTION magnet_skill_keys(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}')
   FROM (SELECT btrim(magnet_fold(x)) AS k
         FROM regexp_split_to_table(t, '[,،;\n]+') AS x) s
   WHERE k <> '' $$;

ALTER TABLE enterprises
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	-- when it (re-)entered the verification queue: renaming a verified
	-- enterprise takes its badge away until a counsellor looks again
	ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now(),
	ADD CONSTRAINT enterprises_governorate CHECK (governorate IN
	    ('', 'erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	ADD CONSTRAINT enterprises_sector CHECK (sector IN ('',
	    'construction', 'agriculture', 'education', 'health',
	    'hospitality', 'it', 'manufacturing', 'retail', 'transport',
	    'ngo', 'public', 'other')),
	ADD CONSTRAINT enterprises_verified_by FOREIGN KEY (verified_by)
	    REFERENCES users(id);
-- The moderators' queue of enterprises to verify, oldest first.
CREATE INDEX enterprises_unverified ON enterprises (queued_at, id)
	WHERE verified_at IS NULL;
CREATE INDEX users_enterprise ON users (enterprise_id)
	WHERE enterprise_id IS NOT NULL;

CREATE TABLE vacancies (
	id		bigserial PRIMARY KEY,
	enterprise_id	bigint NOT NULL REFERENCES enterprises(id),
	author_id	bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind IN ('job', 'training')),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description_md	text NOT NULL,
	-- rendered once, on save, by the markdown workers
	description_html text NOT NULL,
	governorate	text NOT NULL CHECK (governorate IN
			    ('erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	city		text NOT NULL DEFAULT '',
	sector		text NOT NULL CHECK (sector IN ('construction',
			    'agriculture', 'education', 'health',
			    'hospitality', 'it', 'manufacturing', 'retail',
			    'transport', 'ngo', 'public', 'other')),
	contract	text NOT NULL CHECK (contract IN ('full_time',
			    'part_time', 'temporary', 'seasonal', 'internship',
			    'apprenticeship', 'course')),
	positions	integer NOT NULL DEFAULT 1
			    CHECK (positions BETWEEN 1 AND 10000),
	languages	text[] NOT NULL DEFAULT '{}',
	skills		text NOT NULL DEFAULT '',
	skill_keys	text[] GENERATED ALWAYS AS
			    (magnet_skill_keys(skills)) STORED,
	-- a month's pay in Iraqi dinars
	salary_min	bigint CHECK (salary_min >= 0),
	salary_max	bigint CHECK (salary_max >= 0 AND
			    salary_max >= coalesce(salary_min, 0)),
	deadline	date NOT NULL,
	state		text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',
			    'pending', 'published', 'rejected', 'closed')),
	reject_code	text NOT NULL DEFAULT '',
	reject_note	text NOT NULL DEFAULT '',
	close_reason	text NOT NULL DEFAULT '' CHECK (close_reason IN
			    ('', 'filled', 'withdrawn')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- when it last entered the queue; the queue shows how long it waited
	submitted_at	timestamptz,
	-- the first approval: a re-approved edit keeps its place in lists
	published_at	timestamptz,
	decided_by	bigint REFERENCES users(id),
	decided_at	timestamptz,
	idem_key	text,
	search		tsvector GENERATED ALWAYS AS (to_tsvector('simple',
			    magnet_fold(title || ' ' || city || ' ' || skills ||
			    ' ' || description_md))) STORED,
	UNIQUE (author_id, idem_key),
	CHECK (state <> 'published' OR published_at IS NOT NULL)
);
-- /jobs, the feed and the API: newest first, keyset on (published_at, id).
CREATE INDEX vacancies_public ON vacancies (published_at DESC, id DESC)
	WHERE state = 'published';
CREATE INDEX vacancies_search ON vacancies USING gin (search)
	WHERE state = 'published';
CREATE INDEX vacancies_title_trgm ON vacancies
	USING gin (magnet_fold(title) gin_trgm_ops) WHERE state = 'published';
-- The moderators' queue, oldest first.
CREATE INDEX vacancies_pending ON vacancies (submitted_at, id)
	WHERE state = 'pending';
-- The employer's dashboard.
CREATE INDEX vacancies_enterprise ON vacancies (enterprise_id, id DESC);

CREATE TABLE returnee_profiles (
	user_id		bigint PRIMARY KEY REFERENCES users(id),
	governorate	text NOT NULL DEFAULT '' CHECK (governorate IN
			    ('', 'erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	country		text NOT NULL DEFAULT ''
			    CHECK (country ~ '^[a-z_]{0,16}$'),
	return_date	date,
	occupation	text NOT NULL DEFAULT '',
	skills		text NOT NULL DEFAULT '',
	skill_keys	text[] GENERATED ALWAYS AS
			    (magnet_skill_keys(skills)) STORED,
	education	text NOT NULL DEFAULT ''
			    CHECK (education ~ '^[a-z_]{0,16}$'),
	languages	text[] NOT NULL DEFAULT '{}',
	experience	text NOT NULL DEFAULT '',
	-- shown to employers the returnee applied to or was referred to
	consent		boolean NOT NULL DEFAULT false,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
-- Suggestions: governorate, skills or languages in common with a vacancy.
CREATE INDEX returnee_profiles_governorate ON returnee_profiles
	(governorate);
CREATE INDEX returnee_profiles_skills ON returnee_profiles
	USING gin (skill_keys);
CREATE INDEX returnee_profiles_languages ON returnee_profiles
	USING gin (languages);

CREATE TABLE applications (
	id		bigserial PRIMARY KEY,
	vacancy_id	bigint NOT NULL REFERENCES vacancies(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	message		text NOT NULL CHECK (length(message) BETWEEN 1 AND 4000),
	status		text NOT NULL DEFAULT 'submitted' CHECK (status IN
			    ('submitted', 'viewed', 'shortlisted', 'interview',
			    'offered', 'hired', 'not_selected')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	-- once per vacancy; also the employer's list per vacancy
	UNIQUE (vacancy_id, user_id)
);
CREATE INDEX applications_user ON applications (user_id, id DESC);

CREATE TABLE referrals (
	id		bigserial PRIMARY KEY,
	vacancy_id	bigint NOT NULL REFERENCES vacancies(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	moderator_id	bigint NOT NULL REFERENCES users(id),
	note		text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
	status		text NOT NULL DEFAULT 'referred' CHECK (status IN
			    ('referred', 'contacted', 'interview', 'placed',
			    'not_placed', 'enrolled', 'completed')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (vacancy_id, user_id)
);
CREATE INDEX referrals_user ON referrals (user_id, id DESC);
CREATE INDEX referrals_status ON referrals (status, id DESC);
