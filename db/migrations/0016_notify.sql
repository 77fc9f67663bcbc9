-- Cache invalidation across nodes (app/notify.c).  Every statement that
-- changes what a visitor's cached page shows (boards, threads, posts,
-- names and roles of their authors, vacancies and their enterprises,
-- guides, events) or the settings sends one notification on the channel
-- `magnet`, whichever node, command or psql session ran it.  The triggers
-- are per statement, and PostgreSQL folds equal notifications of one
-- transaction into one, so a request that writes many rows costs one
-- message; it is delivered at commit, never for a rolled-back change.
-- The payload says which cache: 'cache' (visitors' pages) or 'settings'.

CREATE FUNCTION magnet_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('magnet', TG_ARGV[0]);
	RETURN NULL;
END $$;

CREATE TRIGGER boards_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON boards FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER board_names_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON board_names FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER threads_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON threads FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER posts_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON posts FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
-- Only the columns pages show: sign-ins, rate stamps and password changes
-- write users too and must not empty every cache.
CREATE TRIGGER users_notify AFTER UPDATE OF username, role, deleted_at
    OR DELETE OR TRUNCATE
    ON users FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER enterprises_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON enterprises FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER vacancies_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON vacancies FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER guides_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON guides FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER guide_versions_notify AFTER INSERT OR UPDATE OR DELETE
    OR TRUNCATE
    ON guide_versions FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER events_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON events FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');

CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON settings FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('settings');

-- Restoring a pg_dump (docs/deploy.md): pg_restore runs with an empty
-- search_path, so a SQL function that calls another by its bare name
-- cannot be inlined while the generated column returnee_profiles.
-- skill_keys is restored, and the restore stops there.  A body in the
-- SQL-standard form is parsed once, here: it refers to magnet_fold by
-- identity, pg_dump writes it qualified and orders it after magnet_fold.
CREATE OR REPLACE FUNCTION magnet_skill_keys(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}')
	FROM (SELECT btrim(magnet_fold(x)) AS k
	      FROM regexp_split_to_table(t, '[,،;\n]+') AS x) s
	WHERE k <> '';
END;
