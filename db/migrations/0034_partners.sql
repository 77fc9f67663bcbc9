-- Partner offices (issue 21, item 7): an account of a Kurdistan Regional
-- Government office (the Bureau of Migration and Displacement, the
-- Ministry of Labour and Social Affairs) that reads the programme's
-- outcomes, read-only.  Its governorate limits what it reads; NULL is
-- every governorate.  Only a partner has one.
ALTER TABLE users DROP CONSTRAINT users_role_check,
	ADD CONSTRAINT users_role_check CHECK (role IN
	    ('returnee', 'employer', 'partner', 'moderator', 'admin')),
	ADD COLUMN partner_governorate text
	    CONSTRAINT users_partner_governorate CHECK (partner_governorate IN
	    ('erbil', 'sulaymaniyah', 'duhok', 'halabja')),
	ADD CONSTRAINT users_partner_governorate_role CHECK
	    (partner_governorate IS NULL OR role = 'partner');
