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

-- The share of posts that have all the words of a search, from the
-- statistics ANALYZE keeps of posts.search: pg_stats lists the lexemes in
-- more than about 1 % of posts (on a small table, nearly all) with the
-- share of each; several words' shares are multiplied.  0 when a word is
-- not listed (rarer than those), or there are no statistics yet.
-- PL/pgSQL, so that its read of pg_stats (a view of many expressions) is
-- planned once per connection, not with every search.
CREATE FUNCTION magnet_search_share(words text) RETURNS float8
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
	e text[];
	f real[];
	lex text;
	i integer;
	share float8 := 0;
BEGIN
	SELECT most_common_elems::text::text[], most_common_elem_freqs
	    INTO e, f FROM pg_stats WHERE schemaname = current_schema()
	    AND tablename = 'posts' AND attname = 'search';
	IF e IS NULL THEN
		RETURN 0;
	END IF;
	FOREACH lex IN ARRAY tsvector_to_array(to_tsvector('simple',
	    magnet_fold(words))) LOOP
		i := array_position(e, lex);
		IF i IS NULL THEN
			RETURN 0;
		END IF;
		share := CASE WHEN share = 0 THEN f[i] ELSE share * f[i] END;
	END LOOP;
	RETURN share;
END
$$;

ANALYZE posts, threads;
