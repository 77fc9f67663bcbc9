-- A thousand replies a second into one thread (issue 19), second part.
--
-- The replies of one thread take turns: each waits for the thread's row,
-- which the reply before holds from its UPDATE to its commit.  0035 made
-- that one statement; here the row is taken as late as it can be, and
-- what is done while it is held is made cheap:
--
-- 1. Who hears of a reply is written before the thread's row is taken:
--    the post's id comes from its sequence first, and the foreign keys
--    to posts of notifications and post_mentions are checked at commit.
--    The thread is read, unlocked, first; if it is locked or hidden
--    between that read and the UPDATE, the statement fails ('MG409')
--    and nothing of it stays.
-- 2. A reply is found by search a moment after it is saved, not as it
--    is saved.  Its words went into the RUM index of 0026 with the row,
--    a millisecond of the hold; now a reply is saved with search NULL,
--    and the node's background process (app/search_index.c) fills it in
--    once no new post has come for a tenth of a second.  A first post
--    and an edit still fill search at once.

ALTER TABLE notifications ALTER CONSTRAINT notifications_post_id_fkey
	DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE post_mentions ALTER CONSTRAINT post_mentions_post_id_fkey
	DEFERRABLE INITIALLY DEFERRED;

-- The posts search has yet to see; and the RUM index of 0026 without
-- them (a reply would still write its NULL into it).
CREATE INDEX posts_unindexed ON posts (id) WHERE search IS NULL;
CREATE INDEX posts_search_rum_0036 ON posts
	USING rum (search rum_tsvector_addon_ops, id)
	WITH (attach = 'id', to = 'search') WHERE search IS NOT NULL;
DROP INDEX posts_search_rum;
ALTER INDEX posts_search_rum_0036 RENAME TO posts_search_rum;

-- Filling in search changes nothing a page shows: no notification (the
-- visitors' caches stay).  Every other column of posts still sends one.
DROP TRIGGER posts_notify ON posts;
CREATE TRIGGER posts_notify AFTER INSERT OR DELETE OR TRUNCATE
    ON posts FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER posts_notify_update AFTER UPDATE OF id, thread_id, seq,
    author_id, body_md, body_html, created_at, edited_at, state, quote_of,
    idem_key, official, mod_reason, moderated_at, moderated_by,
    mod_reason_key, thanks
    ON posts FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');

-- magnet_search_index(n): search filled in for up to n posts without it,
-- oldest first; the number done.  Nodes share the work (SKIP LOCKED).
CREATE FUNCTION magnet_search_index(n integer) RETURNS integer
LANGUAGE sql AS $$
	WITH todo AS (SELECT id FROM posts WHERE search IS NULL
		ORDER BY id LIMIT n FOR NO KEY UPDATE SKIP LOCKED),
	done AS (UPDATE posts p
		SET search = to_tsvector('simple', magnet_fold(p.body_md))
		FROM todo WHERE p.id = todo.id RETURNING 1)
	SELECT count(*)::integer FROM done
$$;

-- magnet_forum_tell: the notifications of a published post, from what
-- is known of it (0028's magnet_forum_notify reads that from the post
-- and its thread; a reply knows it before the post is written).  first:
-- the thread's first post; named: the post may name people
-- (post_mentions).  A new reply that names and quotes nobody, the usual
-- one, is told by a statement of its own: only the watchers, none told
-- before (a statement's set-up is much of a reply's cost).
CREATE FUNCTION magnet_forum_tell(pid bigint, tid bigint, author bigint,
    quote bigint, board integer, thread_author bigint, title text,
    first boolean, edit boolean, named boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	IF NOT edit THEN
		INSERT INTO thread_watches (thread_id, user_id, level)
		VALUES (tid, author, 'watch')
		ON CONFLICT DO NOTHING;
	END IF;
	IF NOT named AND quote IS NULL AND NOT first AND NOT edit THEN
		INSERT INTO notifications (user_id, kind, actor_id, thread_id,
		    post_id, subject, link)
		SELECT w.who, w.kind, author, tid, pid, title, '/p/' || pid
		FROM (SELECT DISTINCT ON (c.who) c.who, c.kind FROM (
			SELECT tw.user_id AS who, CASE
			    WHEN tw.user_id = thread_author THEN 'reply'
			    ELSE 'watch_reply' END AS kind, 3 AS rank
			FROM thread_watches tw WHERE tw.thread_id = tid
			    AND tw.level = 'watch'
			UNION ALL
			SELECT bw.user_id, 'board_reply', 4
			FROM board_watches bw WHERE bw.board_id = board
		    ) c ORDER BY c.who, c.rank) w
		JOIN users u ON u.id = w.who AND u.deleted_at IS NULL
		WHERE w.who <> author
		    AND NOT EXISTS (SELECT 1 FROM thread_watches x
			WHERE x.thread_id = tid AND x.user_id = w.who
			AND x.level = 'mute');
		GET DIAGNOSTICS n = ROW_COUNT;
		RETURN n;
	END IF;
	INSERT INTO notifications (user_id, kind, actor_id, thread_id,
	    post_id, subject, link)
	SELECT w.who, w.kind, author, tid, pid, title, '/p/' || pid
	FROM (SELECT DISTINCT ON (c.who) c.who, c.kind FROM (
		SELECT m.user_id AS who, 'mention' AS kind, 1 AS rank
		FROM post_mentions m WHERE m.post_id = pid AND NOT m.notified
		UNION ALL
		SELECT q.author_id, 'quote', 2 FROM posts q
		WHERE q.id = quote AND NOT edit
		UNION ALL
		SELECT tw.user_id, CASE WHEN tw.user_id = thread_author
		    THEN 'reply' ELSE 'watch_reply' END, 3
		FROM thread_watches tw WHERE tw.thread_id = tid
		    AND tw.level = 'watch' AND NOT first AND NOT edit
		UNION ALL
		SELECT bw.user_id, CASE WHEN first THEN 'board_thread'
		    ELSE 'board_reply' END, 4
		FROM board_watches bw WHERE bw.board_id = board
		    AND NOT edit
	    ) c ORDER BY c.who, c.rank) w
	JOIN users u ON u.id = w.who AND u.deleted_at IS NULL
	WHERE w.who <> author
	    AND NOT EXISTS (SELECT 1 FROM thread_watches x
		WHERE x.thread_id = tid AND x.user_id = w.who
		AND x.level = 'mute')
	    AND NOT EXISTS (SELECT 1 FROM notifications o
		WHERE o.post_id = pid AND o.user_id = w.who
		AND o.kind IN ('mention', 'quote', 'reply', 'watch_reply',
		    'board_thread', 'board_reply'));
	GET DIAGNOSTICS n = ROW_COUNT;
	IF named THEN
		UPDATE post_mentions SET notified = true
		WHERE post_id = pid AND NOT notified;
	END IF;
	RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION magnet_forum_notify(pid bigint, edit boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p	record;
BEGIN
	SELECT po.thread_id, po.seq, po.author_id, po.quote_of,
	    t.board_id, t.author_id AS thread_author, t.title
	INTO p FROM posts po JOIN threads t ON t.id = po.thread_id
	WHERE po.id = pid AND po.state = 'published'
	    AND t.state = 'published';
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	RETURN magnet_forum_tell(pid, p.thread_id, p.author_id, p.quote_of,
	    p.board_id, p.thread_author, p.title, p.seq = 1, edit, true);
END
$$;

-- As 0035's, in the order above.
CREATE OR REPLACE FUNCTION magnet_forum_reply(tid bigint, uid bigint,
    md text, html text, quote bigint, idem text, st text, mentioned text)
RETURNS TABLE (id bigint, seq integer)
LANGUAGE plpgsql AS $$
DECLARE
	pub	boolean := st = 'published';
	pid	bigint := nextval('posts_id_seq');
	th	record;
	t	record;
	q	bigint;
BEGIN
	SELECT x.board_id, x.author_id, x.title INTO th FROM threads x
	WHERE x.id = tid AND x.state = 'published' AND NOT x.locked;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF quote IS NOT NULL THEN
		SELECT p.id INTO q FROM posts p WHERE p.id = quote
		    AND p.thread_id = tid AND p.state = 'published';
	END IF;
	IF mentioned <> '' THEN
		INSERT INTO post_mentions (post_id, user_id)
		SELECT pid, unnest(string_to_array(mentioned, ' ')::bigint[])
		ON CONFLICT DO NOTHING;
	END IF;
	IF pub THEN
		PERFORM magnet_forum_tell(pid, tid, uid, q, th.board_id,
		    th.author_id, th.title, false, false, mentioned <> '');
	END IF;
	-- The thread's row, held to the commit from here.
	UPDATE threads x SET post_count = x.post_count + 1,
	    reply_count = x.reply_count + pub::int,
	    last_post_at = CASE WHEN pub THEN now()
		ELSE x.last_post_at END,
	    last_author_id = CASE WHEN pub THEN uid ELSE x.last_author_id END
	WHERE x.id = tid AND x.state = 'published' AND NOT x.locked
	RETURNING x.board_id, x.post_count, x.reply_count INTO t;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'thread % was closed to replies', tid
		    USING ERRCODE = 'MG409';
	END IF;
	INSERT INTO posts (id, thread_id, seq, author_id, body_md, body_html,
	    quote_of, idem_key, state)
	VALUES (pid, tid, t.post_count, uid, md, html, q, idem, st);
	IF pub THEN
		UPDATE boards SET post_count = post_count + 1,
		    last_post_at = now(), last_thread_id = tid
		WHERE boards.id = t.board_id;
	END IF;
	INSERT INTO thread_reads AS r (user_id, thread_id, seq, replies)
	VALUES (uid, tid, t.post_count, t.reply_count)
	ON CONFLICT (user_id, thread_id) DO UPDATE SET seq = EXCLUDED.seq,
	    replies = EXCLUDED.replies, read_at = now()
	WHERE r.seq < EXCLUDED.seq;
	RETURN QUERY SELECT pid, t.post_count;
END
$$;

