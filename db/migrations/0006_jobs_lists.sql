-- The job board's filtered lists read their own index in the order they
-- are shown: by governorate and by sector (jobs.c has one statement for
-- each case).  Measured on 20,000 vacancies: a rare filter scanned the
-- whole list index (26 ms); with these it reads only its rows.
CREATE INDEX vacancies_public_governorate ON vacancies
	(governorate, published_at DESC, id DESC) WHERE state = 'published';
CREATE INDEX vacancies_public_sector ON vacancies
	(sector, published_at DESC, id DESC) WHERE state = 'published';
