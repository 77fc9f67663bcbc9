-- Which version of the name key (user_name_key in app/user.c: NFKC, case,
-- marks, and the look-alike letters and digits of the site's scripts)
-- made username_key.  `magnet migrate` recomputes the keys of an older
-- version in C (user_rekey), as the key function is C's alone; a row
-- written without it (0: the keys before, the seed, the bench data) is
-- recomputed at the next start.
ALTER TABLE users ADD COLUMN username_key_version smallint NOT NULL
    DEFAULT 0;
