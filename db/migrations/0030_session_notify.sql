-- Sessions kept for a second by the worker that read them (app/auth.c):
-- whatever ends a session or shuts an account out must reach every node
-- at once, as a change of a cached page does (0016).  A session deleted
-- (sign-out, sign-out everywhere, a new password, account deletion) or
-- shortened (its end or its last use moved back, as an operator would),
-- and a suspension, notify 'cache'.  Sign-ins (INSERT) and the minutely
-- touch of last_seen (forward) do not, or every active reader would empty
-- the caches.
CREATE TRIGGER sessions_notify AFTER DELETE OR TRUNCATE
    ON sessions FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
CREATE TRIGGER sessions_shortened_notify AFTER UPDATE ON sessions
    FOR EACH ROW WHEN (NEW.expires_at < OLD.expires_at
    OR NEW.last_seen < OLD.last_seen)
    EXECUTE FUNCTION magnet_notify('cache');

-- Everything a kept session carries of its account: a change of any
-- (by a counsellor, an admin, another node or psql) reaches every node.
DROP TRIGGER users_notify ON users;
CREATE TRIGGER users_notify AFTER UPDATE OF username, role, lang,
    enterprise_id, welcome_pending, deleted_at, suspended_until
    OR DELETE OR TRUNCATE
    ON users FOR EACH STATEMENT EXECUTE FUNCTION magnet_notify('cache');
