-- A returnee may withdraw an application: it stays on the employer's list
-- as withdrawn, without its message, and can be sent again later.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
	CHECK (status IN ('submitted', 'viewed', 'shortlisted', 'interview',
	    'offered', 'hired', 'not_selected', 'withdrawn'));
