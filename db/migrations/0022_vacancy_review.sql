-- An edit of a vacancy that counsellors have approved (published, also
-- past its deadline, or closed) waits here for review, beside the
-- version the public sees, which stays on the board with its links
-- (issue 17).  Approving copies it over the vacancy (and reopens a
-- closed one); rejecting keeps the vacancy as it was and the edit, with
-- the reason, for the employer to change and send again.  One edit per
-- vacancy: saving again replaces it.
--
-- A vacancy's own state 'pending' now only means "never approved" (or
-- sent again after a counsellor rejected it): the access rule
-- (JOBS_VACANCY_CURRENT in app/jobs.h) no longer counts it as current.
CREATE TABLE vacancy_edits (
	vacancy_id	bigint PRIMARY KEY REFERENCES vacancies(id)
			    ON DELETE CASCADE,
	author_id	bigint NOT NULL REFERENCES users(id),
	kind		text NOT NULL CHECK (kind IN ('job', 'training')),
	title		text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description_md	text NOT NULL,
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
	salary_min	bigint CHECK (salary_min >= 0),
	salary_max	bigint CHECK (salary_max >= 0 AND
			    salary_max >= coalesce(salary_min, 0)),
	deadline	date NOT NULL,
	state		text NOT NULL CHECK (state IN ('draft', 'pending',
			    'rejected')),
	reject_code	text NOT NULL DEFAULT '',
	reject_note	text NOT NULL DEFAULT '',
	submitted_at	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	decided_by	bigint REFERENCES users(id),
	decided_at	timestamptz
);
-- The moderators' queue, oldest first, beside vacancies_pending.
CREATE INDEX vacancy_edits_pending ON vacancy_edits (submitted_at, vacancy_id)
	WHERE state = 'pending';

-- A sample vacancy (`magnet seed-demo`) shows how one looks and takes no
-- applications or referrals: nobody would ever answer them.  Those
-- seeded before this migration are the sample employer's.
ALTER TABLE vacancies ADD COLUMN sample boolean NOT NULL DEFAULT false;
UPDATE vacancies SET sample = true WHERE author_id IN
	(SELECT id FROM users WHERE username_key = 'magnet-sample-employer');
