-- A reply is saved by one statement, committed as it ends (issue 19:
-- 1,000 replies a second into one thread).  Every reply to a thread
-- waits for the thread's row, which the reply before holds until its
-- commit; the replies of one thread are as fast as that hold is short.
-- Saved by four statements in a transaction (the post, who hears of it,
-- the writer's read mark, COMMIT), the row was held over four round
-- trips, and the read mark counted the thread's published replies, a
-- scan as long as the thread.  Here the row is held for one statement
-- and its commit, and the read mark takes the count from the thread's
-- row, which the reply has just moved on (a published reply of the
-- thread counts all the published replies before it: no other reply
-- can come between while the row is held).
--
-- magnet_forum_reply(thread, author, body_md, body_html, quote, idem,
-- state, mentioned) -> (id, seq) of the new post, or no row when the
-- thread is not published or is locked.  quote is a post of the same
-- thread, kept only when published; mentioned holds the ids of the
-- people the post names, separated by spaces ('' for none).  A
-- published post is told to those who hear of it (0028's
-- magnet_forum_notify); a held one waits for its approval.  An idem key
-- used before is a unique violation, as the insert of 0003 was.
CREATE FUNCTION magnet_forum_reply(tid bigint, uid bigint, md text,
    html text, quote bigint, idem text, st text, mentioned text)
RETURNS TABLE (id bigint, seq integer)
LANGUAGE plpgsql AS $$
DECLARE
	pub	boolean := st = 'published';
	t	record;
	pid	bigint;
	pseq	integer;
BEGIN
	UPDATE threads SET post_count = post_count + 1,
	    reply_count = reply_count + pub::int,
	    last_post_at = CASE WHEN pub THEN now() ELSE last_post_at END,
	    last_author_id = CASE WHEN pub THEN uid ELSE last_author_id END
	WHERE threads.id = tid AND state = 'published' AND NOT locked
	RETURNING threads.board_id, threads.post_count, threads.reply_count
	INTO t;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	INSERT INTO posts (thread_id, seq, author_id, body_md, body_html,
	    quote_of, idem_key, state, search)
	VALUES (tid, t.post_count, uid, md, html,
	    (SELECT q.id FROM posts q WHERE q.id = quote
		AND q.thread_id = tid AND q.state = 'published'),
	    idem, st, to_tsvector('simple', magnet_fold(md)))
	RETURNING posts.id, posts.seq INTO pid, pseq;
	IF mentioned <> '' THEN
		INSERT INTO post_mentions (post_id, user_id)
		SELECT pid, unnest(string_to_array(mentioned, ' ')::bigint[])
		ON CONFLICT DO NOTHING;
	END IF;
	IF pub THEN
		UPDATE boards SET post_count = post_count + 1,
		    last_post_at = now(), last_thread_id = tid
		WHERE boards.id = t.board_id;
		PERFORM magnet_forum_notify(pid, false);
	END IF;
	INSERT INTO thread_reads AS r (user_id, thread_id, seq, replies)
	VALUES (uid, tid, pseq, t.reply_count)
	ON CONFLICT (user_id, thread_id) DO UPDATE SET seq = EXCLUDED.seq,
	    replies = EXCLUDED.replies, read_at = now()
	WHERE r.seq < EXCLUDED.seq;
	RETURN QUERY SELECT pid, pseq;
END
$$;
