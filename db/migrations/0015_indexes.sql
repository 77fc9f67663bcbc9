-- Indexes the foreign keys need when a row they point to goes: without
-- them a post's removal scans every post and notification (seen in the
-- benchmark's clean-up of a million-post database).  Official answers are
-- read on every first page of a thread.
CREATE INDEX posts_quote_of ON posts (quote_of) WHERE quote_of IS NOT NULL;
CREATE INDEX notifications_post ON notifications (post_id)
	WHERE post_id IS NOT NULL;
CREATE INDEX posts_official ON posts (thread_id) WHERE official;
