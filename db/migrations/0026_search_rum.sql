-- Search in milliseconds (issue 19).  The forum's search shows the newest
-- matches first, 21 a page.  A GIN index finds the posts with a word but
-- not the newest of them: a word in 1 % of a million posts meant reading
-- 10,000 rows from the heap to sort them (100 to 600 ms).  A RUM index
-- (the rum extension, Debian postgresql-15-rum) keeps each post's id
-- beside its words, so `ORDER BY id <=| max` sorts the ids in the index
-- and reads only the rows shown.  For a word in most posts even that sort
-- is long (600,000 ids); search.c then walks the newest posts backwards
-- instead, which stops after a few hundred.  The choice is made from the
-- statistics of posts.search (pg_stats), see search.c and README.md.
--
-- rum is not a trusted extension: the superuser creates it (db/pg.sh for
-- the local clusters, docs/deploy.md in production); this is then a
-- no-op for the owner of the database.
CREATE EXTENSION IF NOT EXISTS rum;

CREATE INDEX posts_search_rum ON posts
	USING rum (search rum_tsvector_addon_ops, id)
	WITH (attach = 'id', to = 'search');
DROP INDEX posts_search;

-- Threads whose titles match, newest reply first, for a common word: the
-- walk stops early.  A rare one is still read from threads_search and
-- threads_title_trgm.
CREATE INDEX threads_recent ON threads (last_post_at DESC)
	WHERE state = 'published';

ANALYZE posts, threads;
