-- The forum people expect (issue 22): watching threads and boards,
-- @mentions, and what is new since the last visit.
--
-- Who hears of a published post is decided in one place,
-- magnet_forum_notify(post), which the forum calls after saving a
-- published reply and moderation after approving a held one: nothing is
-- sent for held, rejected or hidden posts, and a person hears of a post
-- once, whatever the reasons (mentioned, quoted, the thread's author,
-- watching the thread or its board).  Muting a thread silences all of it.

-- A person's choice for a thread: 'watch' (told of every new published
-- reply) or 'mute' (told of nothing from it).  No row: told only when
-- quoted or mentioned.  Writing a post in a thread watches it.
CREATE TABLE thread_watches (
	thread_id	bigint NOT NULL REFERENCES threads(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	level		text NOT NULL CHECK (level IN ('watch', 'mute')),
	PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_watches_user ON thread_watches (user_id);

-- Watching a whole board: every new thread and reply in it.
CREATE TABLE board_watches (
	board_id	integer NOT NULL REFERENCES boards(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	PRIMARY KEY (board_id, user_id)
);
CREATE INDEX board_watches_user ON board_watches (user_id);

-- The people a post names with @name, found when it is saved (and at
-- each edit; a name already there keeps its row, so an edit does not
-- notify twice).  notified: the notification went out (at publication).
CREATE TABLE post_mentions (
	post_id		bigint NOT NULL REFERENCES posts(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	notified	boolean NOT NULL DEFAULT false,
	PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_mentions_user ON post_mentions (user_id);

-- What a reader has seen of a thread: the last post position (seq) on
-- the pages they opened, and the published replies up to it.  Rows older
-- than 90 days are pruned (the thread then shows no marker, as one never
-- opened); "mark board read" deletes the reader's rows of the board and
-- keeps one time per board instead (board_reads).
CREATE TABLE thread_reads (
	user_id		bigint NOT NULL REFERENCES users(id),
	thread_id	bigint NOT NULL REFERENCES threads(id),
	seq		integer NOT NULL,
	replies		integer NOT NULL,
	read_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_reads_thread ON thread_reads (thread_id);
CREATE INDEX thread_reads_old ON thread_reads (read_at);

CREATE TABLE board_reads (
	user_id		bigint NOT NULL REFERENCES users(id),
	board_id	integer NOT NULL REFERENCES boards(id),
	read_before	timestamptz NOT NULL,
	PRIMARY KEY (user_id, board_id)
);

-- Who wrote in a thread watches it, as if they had from the start.
INSERT INTO thread_watches (thread_id, user_id, level)
SELECT DISTINCT p.thread_id, p.author_id, 'watch' FROM posts p
WHERE p.state = 'published'
ON CONFLICT DO NOTHING;

-- The notifications of a post just published (or mentions added by an
-- edit of a published post: edit true, mentions only).  Kinds, first reason wins: 'mention',
-- 'quote', 'reply' (the thread's author), 'watch_reply' (watching the
-- thread), 'board_thread' and 'board_reply' (watching the board).
CREATE FUNCTION magnet_forum_notify(pid bigint, edit boolean)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p	record;
	n	integer;
BEGIN
	SELECT po.id, po.thread_id, po.seq, po.author_id, po.quote_of,
	    t.board_id, t.author_id AS thread_author, t.title
	INTO p FROM posts po JOIN threads t ON t.id = po.thread_id
	WHERE po.id = pid AND po.state = 'published'
	    AND t.state = 'published';
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	IF NOT edit THEN
		INSERT INTO thread_watches (thread_id, user_id, level)
		VALUES (p.thread_id, p.author_id, 'watch')
		ON CONFLICT DO NOTHING;
	END IF;
	INSERT INTO notifications (user_id, kind, actor_id, thread_id,
	    post_id, subject, link)
	SELECT w.uid, w.kind, p.author_id, p.thread_id, p.id, p.title,
	    '/p/' || p.id
	FROM (SELECT DISTINCT ON (c.uid) c.uid, c.kind FROM (
		SELECT m.user_id AS uid, 'mention' AS kind, 1 AS rank
		FROM post_mentions m WHERE m.post_id = p.id AND NOT m.notified
		UNION ALL
		SELECT q.author_id, 'quote', 2 FROM posts q
		WHERE q.id = p.quote_of AND NOT edit
		UNION ALL
		SELECT tw.user_id, CASE WHEN tw.user_id = p.thread_author
		    THEN 'reply' ELSE 'watch_reply' END, 3
		FROM thread_watches tw WHERE tw.thread_id = p.thread_id
		    AND tw.level = 'watch' AND p.seq > 1
		    AND NOT edit
		UNION ALL
		SELECT bw.user_id, CASE WHEN p.seq = 1 THEN 'board_thread'
		    ELSE 'board_reply' END, 4
		FROM board_watches bw WHERE bw.board_id = p.board_id
		    AND NOT edit
	    ) c ORDER BY c.uid, c.rank) w
	JOIN users u ON u.id = w.uid AND u.deleted_at IS NULL
	WHERE w.uid <> p.author_id
	    AND NOT EXISTS (SELECT 1 FROM thread_watches x
		WHERE x.thread_id = p.thread_id AND x.user_id = w.uid
		AND x.level = 'mute')
	    AND NOT EXISTS (SELECT 1 FROM notifications o
		WHERE o.post_id = p.id AND o.user_id = w.uid
		AND o.kind IN ('mention', 'quote', 'reply', 'watch_reply',
		    'board_thread', 'board_reply'));
	GET DIAGNOSTICS n = ROW_COUNT;
	UPDATE post_mentions SET notified = true
	WHERE post_id = p.id AND NOT notified;
	RETURN n;
END
$$;

-- Thanks: a signed-in reader thanks a reply once (and may take it back);
-- the count is kept on the post.  A thread whose counsellor's reply has
-- three thanks or more is "well answered" on the
-- board.  No dislikes.
ALTER TABLE posts ADD COLUMN thanks integer NOT NULL DEFAULT 0
	CHECK (thanks >= 0);
ALTER TABLE threads ADD COLUMN well_answered boolean NOT NULL DEFAULT false;
CREATE TABLE post_thanks (
	post_id		bigint NOT NULL REFERENCES posts(id),
	user_id		bigint NOT NULL REFERENCES users(id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_thanks_user ON post_thanks (user_id);

-- Thank reply pid of thread tid as user uid, or take the thanks back if
-- given: 'thanked' or 'unthanked'; NULL when uid may not (not a
-- published reply of a published thread, or their own).  The author is
-- told in a digest: while their notification about the reply is unread,
-- further thanks update it ("X and others thanked you") instead of
-- adding rows, so a popular answer makes one notification (and one mail).
CREATE FUNCTION magnet_thank(pid bigint, tid bigint, uid bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	p	record;
BEGIN
	SELECT po.id, po.author_id, t.title,
	    u.role IN ('moderator', 'admin') AS staff
	INTO p FROM posts po JOIN threads t ON t.id = po.thread_id
	JOIN users u ON u.id = po.author_id
	WHERE po.id = pid AND po.thread_id = tid AND po.seq > 1
	    AND po.state = 'published' AND t.state = 'published'
	    AND po.author_id <> uid
	FOR UPDATE OF po;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	DELETE FROM post_thanks WHERE post_id = pid AND user_id = uid;
	IF FOUND THEN
		UPDATE posts SET thanks = thanks - 1 WHERE id = pid;
	ELSE
		INSERT INTO post_thanks (post_id, user_id) VALUES (pid, uid);
		UPDATE posts SET thanks = thanks + 1 WHERE id = pid;
		UPDATE notifications SET kind = CASE WHEN actor_id = uid
		    THEN kind ELSE 'thanks_more' END, actor_id = uid
		WHERE user_id = p.author_id AND post_id = pid
		    AND kind IN ('thanks', 'thanks_more') AND read_at IS NULL;
		IF NOT FOUND THEN
			INSERT INTO notifications (user_id, kind, actor_id,
			    thread_id, post_id, subject, link)
			SELECT p.author_id, 'thanks', uid, tid, pid, p.title,
			    '/p/' || pid
			FROM users a WHERE a.id = p.author_id
			    AND a.deleted_at IS NULL AND NOT EXISTS (SELECT 1
			    FROM thread_watches x WHERE x.thread_id = tid
			    AND x.user_id = p.author_id AND x.level = 'mute');
		END IF;
	END IF;
	IF p.staff THEN
		UPDATE threads SET well_answered = EXISTS (SELECT 1
		    FROM posts q JOIN users qu ON qu.id = q.author_id
		    WHERE q.thread_id = tid AND q.seq > 1 AND q.thanks >= 3
		    AND q.state = 'published'
		    AND qu.role IN ('moderator', 'admin'))
		WHERE id = tid;
	END IF;
	RETURN CASE WHEN EXISTS (SELECT 1 FROM post_thanks
	    WHERE post_id = pid AND user_id = uid) THEN 'thanked'
	    ELSE 'unthanked' END;
END
$$;

-- A person's calendar feed: the events they signed up to, at
-- /feeds/calendar/TOKEN.ics for calendar programs (which send no
-- cookie).  Only a keyed hash of the token is kept (auth_token_hash);
-- making a new link replaces the old one, revoking deletes the row and
-- the link answers 404.
CREATE TABLE calendar_feeds (
	user_id		bigint PRIMARY KEY REFERENCES users(id),
	token_hash	text NOT NULL UNIQUE,
	created_at	timestamptz NOT NULL DEFAULT now()
);
