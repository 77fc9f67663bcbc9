-- Help for people who cannot sign in (issue 17): the contact form of
-- /contact writes to the counsellors' shared inbox as this account,
-- which cannot sign in (no password hash verifies '!') and whose name
-- no one can register (registration refuses spaces).  The offices'
-- contacts, shown on the sign-in page, are the admin setting 'offices'.
-- Dated long ago so that no month of /mod/stats counts it as a returnee.
INSERT INTO users (username, username_key, password_hash, role, created_at)
VALUES ('signed-out visitor', 'signed-out visitor', '!', 'returnee',
    '2000-01-01')
ON CONFLICT DO NOTHING;
INSERT INTO settings (key, value) VALUES ('offices', '')
ON CONFLICT DO NOTHING;
