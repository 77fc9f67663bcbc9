-- Outcomes as the programme reports them (issue 21, item 6): for a period
-- of Baghdad days, how many returnees were counselled before departure and
-- after return, referred, placed in a job or in training; how many
-- vacancies were published with how many positions, and how many partner
-- enterprises were verified; each in all, by governorate, by sector and
-- by occupation major group (the first digit of the ISCO-08 code).
--
-- People are counted once per outcome and group (a returnee placed twice
-- is one person placed); sample accounts (`magnet seed-demo`, their
-- usernames start with "magnet-sample") and deleted accounts are left
-- out, and so are the sample vacancies and the sample enterprise.
-- /mod/stats and its CSV read these; so do the partners' pages.

-- A moment's local day (magnet_zone: the Kurdistan Region's) as a date,
-- to compare with the period's.
CREATE FUNCTION outcome_day(t timestamptz) RETURNS date
LANGUAGE sql STABLE STRICT PARALLEL SAFE AS
$$ SELECT (t AT TIME ZONE magnet_zone())::date $$;

-- Every counted fact of the period: (measure, who, governorate, sector,
-- major group, positions).  "who" is a person for the people's outcomes,
-- a vacancy or an enterprise for theirs.
--
-- Counselled: a counselling conversation that a counsellor answered in
-- the period; before departure when the returnee's return date was still
-- ahead on the day of the answer, or, with no return date, when the
-- profile names a European country; otherwise after return.  Placed: a
-- hired application or a placed, enrolled or completed referral whose
-- status last changed in the period; in training when the offer is a
-- training offer or the referral says enrolled or completed.  The
-- people's governorate is the profile's for counselling and the
-- vacancy's for referrals and placements (where the work is).
CREATE FUNCTION outcome_facts(p_from date, p_to date)
RETURNS TABLE (measure text, who bigint, gov text, sector text,
    major text, positions integer)
LANGUAGE sql STABLE AS $$
WITH people AS (SELECT id FROM users WHERE deleted_at IS NULL AND
	username_key NOT LIKE 'magnet-sample%'),
answered AS (SELECT DISTINCT ON (cm.user_id, outcome_day(m.created_at))
	cm.user_id, outcome_day(m.created_at) AS day
	FROM conversations c
	JOIN conversation_members cm ON cm.conversation_id = c.id AND
	    cm.user_id IS NOT NULL
	JOIN messages m ON m.conversation_id = c.id AND
	    m.author_id <> cm.user_id
	JOIN users s ON s.id = m.author_id AND
	    s.role IN ('moderator', 'admin')
	WHERE c.kind = 'counselling' AND
	    outcome_day(m.created_at) BETWEEN p_from AND p_to),
placed AS (SELECT r.user_id, r.vacancy_id,
	r.status IN ('enrolled', 'completed') AS training
	FROM referrals r WHERE r.status IN ('placed', 'enrolled', 'completed')
	    AND outcome_day(r.updated_at) BETWEEN p_from AND p_to
	UNION ALL SELECT a.user_id, a.vacancy_id, false FROM applications a
	WHERE a.status = 'hired' AND
	    outcome_day(a.updated_at) BETWEEN p_from AND p_to)
SELECT CASE WHEN p.return_date > a.day OR (p.return_date IS NULL AND
	    coalesce(p.country, '') NOT IN ('', 'other'))
	    THEN 'before' ELSE 'after' END,
	a.user_id, coalesce(p.governorate, ''), '',
	coalesce(left(p.occupation_code, 1), ''), 0
	FROM answered a JOIN people ON people.id = a.user_id
	JOIN users u ON u.id = a.user_id AND u.role = 'returnee'
	LEFT JOIN returnee_profiles p ON p.user_id = a.user_id
UNION ALL SELECT 'referred', r.user_id, v.governorate, v.sector,
	coalesce(left(v.occupation_code, 1), ''), 0
	FROM referrals r JOIN vacancies v ON v.id = r.vacancy_id
	JOIN people ON people.id = r.user_id
	WHERE NOT v.sample AND outcome_day(r.created_at) BETWEEN p_from AND p_to
UNION ALL SELECT CASE WHEN v.kind = 'training' OR x.training
	    THEN 'training' ELSE 'job' END, x.user_id, v.governorate,
	v.sector, coalesce(left(v.occupation_code, 1), ''), 0
	FROM placed x JOIN vacancies v ON v.id = x.vacancy_id
	JOIN people ON people.id = x.user_id
	WHERE NOT v.sample
UNION ALL SELECT 'vacancy', v.id, v.governorate, v.sector,
	coalesce(left(v.occupation_code, 1), ''), v.positions
	FROM vacancies v WHERE NOT v.sample AND
	    outcome_day(v.published_at) BETWEEN p_from AND p_to
UNION ALL SELECT 'enterprise', e.id, e.governorate, e.sector, '', 0
	FROM enterprises e WHERE
	    outcome_day(e.verified_at) BETWEEN p_from AND p_to AND
	    NOT EXISTS (SELECT 1 FROM users s WHERE s.enterprise_id = e.id AND
	    s.username_key LIKE 'magnet-sample%')
$$;

-- The outcomes, one row per group: dim is 'all' (key ''), 'governorate',
-- 'sector' or 'major' (key the database's key, '' when not given).  With
-- p_gov, only the facts of that governorate.
CREATE FUNCTION placement_outcomes(p_from date, p_to date,
    p_gov text DEFAULT NULL)
RETURNS TABLE (dim text, key text, counselled_before bigint,
    counselled_after bigint, referred bigint, placed_job bigint,
    placed_training bigint, vacancies bigint, positions bigint,
    enterprises bigint)
LANGUAGE sql STABLE AS $$
SELECT CASE WHEN grouping(f.gov) = 0 THEN 'governorate'
	    WHEN grouping(f.sector) = 0 THEN 'sector'
	    WHEN grouping(f.major) = 0 THEN 'major' ELSE 'all' END,
	coalesce(f.gov, f.sector, f.major, ''),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'before'),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'after'),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'referred'),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'job'),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'training'),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'vacancy'),
	coalesce(sum(f.positions) FILTER (WHERE f.measure = 'vacancy'), 0),
	count(DISTINCT f.who) FILTER (WHERE f.measure = 'enterprise')
FROM outcome_facts(p_from, p_to) f
WHERE p_gov IS NULL OR f.gov = p_gov
GROUP BY GROUPING SETS ((), (f.gov), (f.sector), (f.major))
$$;

-- The referrals' funnel per governorate of the vacancy: the people
-- referred in the period, and of them those whose referral has since
-- reached contact, an interview, and a placement (placed, enrolled or
-- completed).  A referral keeps only its latest status, so "not placed"
-- counts as referred only.  Every governorate has a row.
CREATE FUNCTION placement_funnel(p_from date, p_to date,
    p_gov text DEFAULT NULL)
RETURNS TABLE (governorate text, referred bigint, contacted bigint,
    interview bigint, placed bigint)
LANGUAGE sql STABLE AS $$
SELECT g.gov, count(DISTINCT r.user_id),
	count(DISTINCT r.user_id) FILTER (WHERE r.status IN ('contacted',
	    'interview', 'placed', 'enrolled', 'completed')),
	count(DISTINCT r.user_id) FILTER (WHERE r.status IN ('interview',
	    'placed', 'enrolled', 'completed')),
	count(DISTINCT r.user_id) FILTER (WHERE r.status IN ('placed',
	    'enrolled', 'completed'))
FROM (VALUES (1, 'erbil'), (2, 'sulaymaniyah'), (3, 'duhok'),
	(4, 'halabja')) g(pos, gov)
LEFT JOIN (referrals r JOIN vacancies v ON v.id = r.vacancy_id AND
	NOT v.sample AND outcome_day(r.created_at) BETWEEN p_from AND p_to
	JOIN users u ON u.id = r.user_id AND u.deleted_at IS NULL AND
	u.username_key NOT LIKE 'magnet-sample%') ON v.governorate = g.gov
WHERE p_gov IS NULL OR g.gov = p_gov
GROUP BY g.pos, g.gov ORDER BY g.pos
$$;
