-- When a vacancy was closed.  The access an application or a referral
-- gives an enterprise to a returnee's profile, and to starting a
-- conversation, lasts 30 days after its vacancy ended (JOBS_APP_LIVE in
-- app/jobs.h); for a closed vacancy that is counted from here.  Closed
-- vacancies from before this migration count from their last change; a
-- closed vacancy without the date counts as closed long ago.
ALTER TABLE vacancies ADD COLUMN closed_at timestamptz;
UPDATE vacancies SET closed_at = updated_at WHERE state = 'closed';
