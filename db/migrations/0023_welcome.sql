-- The welcome of a new account (issue 17): a returnee who registered is
-- asked for the profile (what it is for, who sees it), an employer for
-- the enterprise's details, on every page until they save it or close
-- the welcome.  Accounts made before, and by `magnet user add`, have none.
ALTER TABLE users ADD COLUMN welcome_pending boolean NOT NULL DEFAULT false;
