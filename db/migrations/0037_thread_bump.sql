-- A thousand replies a second into one thread (issue 19), third part:
-- the thread's row is written in place.
--
-- Every reply moves its thread's last_post_at, and the board's list and
-- the list of recent threads are ordered by it through two indexes.  So
-- every reply wrote a new version of the thread's row with an entry in
-- each of the thread's six indexes (two of them GIN), while it held the
-- row that the next reply waits for, and left a dead version of the row
-- for autovacuum to clear through all six.
--
-- The lists are now ordered by bumped_at.  It is last_post_at, except
-- that a reply to the thread that is already first in every list (the
-- newest bumped_at of all published threads) leaves it as it is: the
-- thread's place cannot change.  Such a reply changes no indexed column,
-- and PostgreSQL writes it on the same page without touching an index
-- (a HOT update).  A burst of replies to one thread is just that case.
-- Every page still shows last_post_at, and the unread markers compare
-- it, as before.
--
-- The order of the lists stays the order of last_post_at: a thread's
-- bumped_at lags its last_post_at only while no other thread has been
-- bumped after it, and it is then above every other thread either way.
-- The one exception is a race: a reply that waits for its thread's row
-- while another thread is bumped does not see that bump, and its thread
-- stays second until its next reply.
--
-- bumped_at is set by a trigger, for every writer of last_post_at (a new
-- thread, a reply, a moderator's move or restore, the seed, the tests).

DROP INDEX threads_board_list;
DROP INDEX threads_recent;
ALTER TABLE threads ADD COLUMN bumped_at timestamptz;
UPDATE threads SET bumped_at = last_post_at;
ALTER TABLE threads ALTER COLUMN bumped_at SET NOT NULL;
CREATE INDEX threads_board_list ON threads
	(board_id, pinned DESC, bumped_at DESC, id DESC)
	WHERE state = 'published';
CREATE INDEX threads_recent ON threads (bumped_at DESC)
	WHERE state = 'published';

CREATE FUNCTION magnet_thread_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.last_post_at >= OLD.bumped_at
	    AND OLD.state = 'published' AND NEW.state = 'published'
	    AND OLD.bumped_at >= (SELECT t.bumped_at FROM threads t
		WHERE t.state = 'published'
		ORDER BY t.bumped_at DESC LIMIT 1) THEN
		NEW.bumped_at := OLD.bumped_at;
	ELSE
		NEW.bumped_at := NEW.last_post_at;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER threads_bump BEFORE INSERT OR UPDATE OF last_post_at, state
    ON threads FOR EACH ROW EXECUTE FUNCTION magnet_thread_bump();
