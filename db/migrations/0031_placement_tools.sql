-- Placement tools (issue 21, items 4 and 5): an employer's private notes
-- on an application, interview proposals, and a returnee's saved
-- vacancies.

-- Notes the enterprise's employers write about an application; the
-- applicant never sees them, counsellors may read them.
CREATE TABLE application_notes (
	id		bigserial PRIMARY KEY,
	application_id	bigint NOT NULL REFERENCES applications(id)
			    ON DELETE CASCADE,
	author_id	bigint NOT NULL REFERENCES users(id),
	body		text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_notes_app ON application_notes
	(application_id, id);

-- An interview the enterprise proposed: a local start (Baghdad time, as
-- typed), how long, and a place or an https link.  The applicant gets a
-- message about it and downloads it as iCalendar.
CREATE TABLE application_interviews (
	id		bigserial PRIMARY KEY,
	application_id	bigint NOT NULL REFERENCES applications(id)
			    ON DELETE CASCADE,
	author_id	bigint NOT NULL REFERENCES users(id),
	starts_at	timestamptz NOT NULL,
	minutes		integer NOT NULL DEFAULT 60
			    CHECK (minutes BETWEEN 15 AND 480),
	place		text NOT NULL DEFAULT '' CHECK (length(place) <= 300),
	link		text NOT NULL DEFAULT '' CHECK (length(link) <= 500),
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (place <> '' OR link <> '')
);
CREATE INDEX application_interviews_app ON application_interviews
	(application_id, id DESC);

-- A returnee's saved vacancies, newest first.
CREATE TABLE saved_vacancies (
	user_id		bigint NOT NULL REFERENCES users(id),
	vacancy_id	bigint NOT NULL REFERENCES vacancies(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, vacancy_id)
);
CREATE INDEX saved_vacancies_user ON saved_vacancies (user_id, created_at DESC);
