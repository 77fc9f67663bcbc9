-- Mail, part 2 (issue 20; README "Mail"): the kinds of notification a
-- person chooses for on /account/mail, and job alerts.

-- Every kind of notification the database has seen, so that the page of
-- choices lists kinds added later too: the known ones in the order the
-- page shows them, and any other the first time a notification of it is
-- written (the trigger below), after them.
CREATE TABLE mail_kinds (
	kind		text PRIMARY KEY CHECK (kind ~ '^[a-z_]{1,32}$'),
	pos		integer NOT NULL DEFAULT 1000
);
INSERT INTO mail_kinds (kind, pos)
SELECT k, n FROM unnest(ARRAY['message', 'application_status',
    'application', 'application_withdrawn', 'referral', 'referral_status',
    'referral_employer', 'alert', 'reply', 'quote', 'mention',
    'watch_reply', 'board_thread', 'board_reply', 'thanks', 'thanks_more',
    'event_moved', 'event_cancelled', 'approved', 'rejected',
    'edit_approved', 'edit_rejected', 'verified', 'unverified'])
    WITH ORDINALITY AS t(k, n);
INSERT INTO mail_kinds (kind)
SELECT DISTINCT CASE WHEN kind LIKE 'appst\_%' THEN 'application_status'
    ELSE kind END FROM notifications
WHERE kind ~ '^[a-z_]{1,32}$'
ON CONFLICT DO NOTHING;

CREATE FUNCTION magnet_mail_kind() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	k text := CASE WHEN NEW.kind LIKE 'appst\_%' THEN 'application_status'
	    ELSE NEW.kind END;
BEGIN
	IF k ~ '^[a-z_]{1,32}$' AND NOT EXISTS (SELECT 1 FROM mail_kinds
	    WHERE kind = k) THEN
		INSERT INTO mail_kinds (kind) VALUES (k) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER notifications_mail_kind AFTER INSERT ON notifications
	FOR EACH ROW EXECUTE FUNCTION magnet_mail_kind();

-- Job alerts: a saved search of /jobs (each filter '' for any), or
-- profile = true: the vacancies placement_matches pairs with the
-- person's profile by occupation or skills (the governorate alone is
-- not enough).
CREATE TABLE job_alerts (
	id		bigserial PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users(id),
	profile		boolean NOT NULL DEFAULT false,
	governorate	text NOT NULL DEFAULT '',
	sector		text NOT NULL DEFAULT '',
	kind		text NOT NULL DEFAULT '',
	contract	text NOT NULL DEFAULT '',
	words		text NOT NULL DEFAULT '' CHECK (length(words) <= 200),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (user_id, profile, governorate, sector, kind, contract, words)
);
CREATE INDEX job_alerts_user ON job_alerts (user_id);

-- At most one alert per vacancy per person, however many searches
-- match it and however often it is published again.
CREATE UNIQUE INDEX mail_outbox_alert_once ON mail_outbox
	(user_id, vacancy_id) WHERE kind = 'alert';

-- Does the saved search a match the vacancy v?
CREATE FUNCTION magnet_alert_matches(a job_alerts, v vacancies)
RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
	pat text;
BEGIN
	IF a.profile THEN
		RETURN EXISTS (SELECT 1 FROM placement_matches m
		    WHERE m.user_id = a.user_id AND m.vacancy_id = v.id AND
		    (m.occ_level > 0 OR cardinality(m.skill_codes) > 0 OR
		    cardinality(m.skill_words) > 0));
	END IF;
	IF (a.governorate <> '' AND a.governorate <> v.governorate) OR
	    (a.sector <> '' AND a.sector <> v.sector) OR
	    (a.kind <> '' AND a.kind <> v.kind) OR
	    (a.contract <> '' AND a.contract <> v.contract) THEN
		RETURN false;
	END IF;
	IF a.words = '' THEN
		RETURN true;
	END IF;
	-- The same test as the list of /jobs (app/jobs.c, jobs_public_q).
	pat := '%' || replace(replace(replace(magnet_fold(a.words), '\',
	    '\\'), '%', '\%'), '_', '\_') || '%';
	RETURN v.search @@ plainto_tsquery('simple', magnet_fold(a.words))
	    OR magnet_fold(v.title) LIKE pat
	    OR EXISTS (SELECT 1 FROM vocabulary o WHERE o.kind = 'occupation'
	    AND v.occupation_code LIKE o.code || '%' AND o.folded LIKE pat);
END $$;

-- A vacancy becomes published (a counsellor approved it): in the same
-- transaction, one outbox row per person with a matching alert, a
-- confirmed address and alerts not turned off; at once or for the
-- digest by the choice for kind 'alert'.  Nothing while it is a draft,
-- pending review or rejected.
CREATE FUNCTION magnet_mail_alerts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state <> 'published' OR (TG_OP = 'UPDATE' AND
	    OLD.state = 'published') OR NEW.deadline < magnet_today() THEN
		RETURN NULL;
	END IF;
	INSERT INTO mail_outbox (user_id, kind, note_kind, vacancy_id, state)
	SELECT DISTINCT u.id, 'alert', 'alert', NEW.id,
	    CASE magnet_mail_mode(u.id, 'alert') WHEN 'now' THEN 'queued'
	    ELSE 'digest' END
	FROM job_alerts a JOIN users u ON u.id = a.user_id
	WHERE u.email IS NOT NULL AND u.deleted_at IS NULL AND
	    u.role = 'returnee' AND
	    magnet_mail_mode(u.id, 'alert') <> 'never' AND
	    magnet_alert_matches(a, NEW)
	ON CONFLICT (user_id, vacancy_id) WHERE kind = 'alert' DO NOTHING;
	RETURN NULL;
END $$;
CREATE TRIGGER vacancies_mail_alerts AFTER INSERT OR UPDATE OF state
	ON vacancies FOR EACH ROW EXECUTE FUNCTION magnet_mail_alerts();
