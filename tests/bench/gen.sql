-- tests/bench/gen.sql: fill a freshly migrated Magnet database with a
-- synthetic but realistic forum, entirely in SQL (generate_series), for
-- `make bench`.  Run by tests/bench/run.sh as the database owner:
--
--   psql -X -v ON_ERROR_STOP=1 -v nthreads=100000 -v nposts=1000000 \
--        -v nusers=2000 -v seed=0.42 -f tests/bench/gen.sql "$conn"
--
-- Before it runs, the database must be migrated and hold the accounts the
-- benchmark signs in with (created by `magnet user add`); every generated
-- user gets the password hash of the first of them, copied, so no Argon2
-- hash is computed here.
--
-- What it makes (with the default sizes):
--   users         nusers: 92 % returnee, 5 % employer (each with its own
--                 enterprise), 2.5 % moderator, 0.5 % admin; Latin and
--                 Arabic-script names; activity skewed (a few write a lot)
--   threads       nthreads over the five boards (erbil busiest), created over
--                 three years, titles of 3 to 12 words, two pinned per board
--   posts         at least nposts: about 10 per thread on average
--                 (geometric), one long thread of thousands of posts, and
--                 thread nthreads*9/10 with exactly 20 posts (the thread the
--                 benchmark reads); seq 1..n per thread; ids in time order, so
--                 a thread's posts lie scattered over the table as in life;
--                 bodies of 200 to 2,000 characters in 1 to 4 paragraphs of
--                 English, Sorani and Arabic words (a Zipf-like vocabulary of
--                 about 20,000 words, with the Arabic ي/ك that magnet_fold
--                 folds); body_html = the paragraphs HTML-escaped in <p>
--   notifications one per reply to another user's thread; those older than
--                 two weeks read
--   counters      threads.post_count/last_post_at/last_author_id and
--                 boards.thread_count/post_count/last_post_at/last_thread_id
--                 as the server keeps them
--   search        threads.search and posts.search as
--                 to_tsvector('simple', magnet_fold(...))
--   bench_meta    key/value facts for run.sh (the 20-post thread, a search
--                 word, the sizes)
--
-- Speed: the forum tables are truncated and loaded in one transaction with
-- their secondary indexes dropped and rebuilt afterwards from their own
-- definitions (read from pg_indexes, so this file never repeats the
-- schema).  With wal_level = minimal (run.sh sets it on the bench cluster)
-- PostgreSQL then writes no WAL for the load.  fsync stays on.

\set ON_ERROR_STOP on
\timing on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';
SET statement_timeout = 0;
SET max_parallel_maintenance_workers = 2;

SELECT setseed(:seed);

BEGIN;

-- ---- vocabulary -------------------------------------------------------------

-- Common words first (rank = frequency order); then invented words of
-- each script for the long tail, so the search indexes get a realistic
-- number of distinct lexemes.
CREATE TEMP TABLE w_en AS
SELECT ord - 1 AS r, w FROM regexp_split_to_table(trim(
'the to and of a in I is for you it my we that have was on with can not be are this from at do they what how there work job when he she will
if but or all so one about get would they my family return returned Erbil visa passport house money know need time year months new good
help people go back after before Germany Sweden Netherlands Belgium Finland Norway Austria France UK Iraq Kurdistan Sulaymaniyah Duhok Halabja
company business shop salary rent apartment children school university certificate diploma training course learn language English Arabic
Kurdish German computer phone internet address documents form application apply permit bank loan project market price buy sell city village
street hour day week today tomorrow yesterday now later very much little big small old easy hard question answer advice counselling IOM
government ministry office health hospital doctor medicine insurance engineer teacher driver cook carpenter blacksmith tailor barber
mechanic electrician plumber nurse pharmacy mobile repair taxi minibus checkpoint residency card ID marriage translation embassy consulate
ticket luggage customs hotel relatives cousin uncle neighbour bazaar winter summer heat generator ampere wifi Asiacell Korek interview
employer vacancy contract reintegration grant plan startup equipment tools restaurant bakery factory farm agriculture construction
electricity water oil first second thanks please yes no why because also some experience profession skills father mother brother sister
friend dinar dollars euro car road airport flight arrived still waiting anyone knows where does cost ask told said think maybe better
workshop sewing welding driving licence exam test registration transcript accepted refused appointment queue month wage shift daily
evening morning night weekend holiday Newroz Eid cousin nephew wife husband son daughter baby kindergarten rent landlord deposit contractor
supplier customer client profit capital savings transfer Western Union hawala cash card ATM branch manager staff colleague boss team'),
'\s+') WITH ORDINALITY AS t(w, ord);

CREATE TEMP TABLE w_ar AS
SELECT ord - 1 AS r, w FROM regexp_split_to_table(trim(
'و لە بە بۆ کە ئەم ئەو من تۆ ئێمە ئەوان هەیە نییە دەبێت دەکرێت کار ژیان گەڕانەوە هەولێر سلێمانی دهۆک هەڵەبجە کوردستان عێراق
ئەڵمانیا سوید هۆڵەندا بەلجیکا فینلەندا نەرویج ئینگلتەرا فەرەنسا نەمسا پاسپۆرت ڤیزا بڕوانامە زانکۆ قوتابخانە منداڵ خێزان باوک دایک
برا خوشک هاوڕێ پارە دینار دۆلار یۆرۆ کرێ خانوو ماڵ شوقە ئۆتۆمبێل ڕێگا فڕۆکەخانە گەشت کۆمپانیا بازرگانی دوکان چێشتخانە نانەوایی کارگە
کشتوکاڵ بیناسازی کارەبا ئاو نەوت مووچە مانگ ساڵ هەفتە ڕۆژ ئەمڕۆ سبەی دوێنێ ئێستا دواتر پێشتر زۆر کەم باش خراپ گەورە بچووک نوێ کۆن
ئاسان سەخت پرسیار وەڵام یارمەتی ڕاوێژ ڕێکخراو حکومەت وەزارەت فەرمانگە تەندروستی نەخۆشخانە دکتۆر دەرمان بیمە ڕاهێنان خول فێربوون
زمان ئینگلیزی عەرەبی کوردی ئەڵمانی کۆمپیوتەر ئینتەرنێت مۆبایل تەلەفۆن ژمارە ناونیشان بەڵگەنامە فۆڕم داواکاری مۆڵەت پسوولە بانک
قەرز پڕۆژە بازاڕ نرخ کڕین فرۆشتن شار گوند گەڕەک شەقام کاتژمێر کات ئەزموون پیشە شارەزایی وەستا ئەندازیار مامۆستا شۆفێر چێشتلێنەر
دارتاش ئاسنگەر بەرگدروو سەرتاش فرۆشیار پاسەوان سوپاس تکایە بەڵێ نەخێر چۆن بۆچی کەی لەکوێ چەند کێ چی ئایا بەڵام یان هەروەها
چونکە ئەگەر تا لەگەڵ بێ دوای پێش نێوان سەر ژێر ناو دەرەوە هەموو هیچ هەندێک یەکەم دووەم دەچم دێم دەکەم دەزانم دەمەوێت دەتوانم
دەگەڕێمەوە کارم بووم هاتم چووم وتی گوتی العمل الحياة العودة أربيل السليمانية وظيفة تدريب شركة راتب سكن إيجار جواز سفر تأشيرة
شهادة جامعة مدرسة أطفال عائلة مساعدة سؤال جواب الحكومة وزارة مستشفى طبيب تأمين لغة هاتف عنوان وثيقة طلب قرض مشروع سوق سعر مدينة
قرية شارع وقت خبرة مهنة مهندس معلم سائق طباخ نجار حداد خياط حلاق بائع شكرا نعم كيف لماذا متى أين كم ماذا هل لكن أيضا لأن إذا مع
بدون بعد قبل بين على في إلى كل بعض جديد قديم كبير صغير جيد سهل صعب الكهرباء المولد الأمبير كركوك بغداد الموصل كيلو ديناري
هێشتا چاوەڕێ کەسێک دەزانێت کوێ دەکات نرخی پرسی وتم پێموایە باشترە ئیش مەکینە دوورمان شوفێری مۆڵەتی تاقیکردنەوە تۆمارکردن
وەرگیرا ڕەتکرایەوە ژوان ڕیز کرێی بەیانی ئێوارە شەو پشوو نەورۆز جەژن ئامۆزا خاڵ ژن مێرد کوڕ کچ ساوا باخچەی خاوەنماڵ بەڵێندەر
کڕیار قازانج سەرمایە پاشەکەوت گواستنەوە حەواڵە نەختینە کارمەند بەڕێوەبەر هاوکار تیم ليرة يجب كبيرة الي التي الذي علي'),
'\s+') WITH ORDINALITY AS t(w, ord);

-- The long tail: invented words from syllables, distinct by construction.
CREATE TEMP TABLE syl (lang text, i int, s text);
INSERT INTO syl
SELECT 'en', ord - 1, s FROM unnest(string_to_array(
    'ka mer tol in ra sen bar dik lo van tes rum ef nal pi gor sha ul bek tri mon zal ash ed',
    ' ')) WITH ORDINALITY AS t(s, ord)
UNION ALL
SELECT 'ar', ord - 1, s FROM unnest(string_to_array(
    'کا ر مە ند ێن گە شت ی وان بە دە ڕۆ سا ژی هۆ ڵە نا پێ کۆ زا تی فر چە خو',
    ' ')) WITH ORDINALITY AS t(s, ord);

INSERT INTO w_en
SELECT (SELECT count(*) FROM w_en) + g,
       a.s || b.s || c.s
FROM generate_series(0, 9999) g
JOIN syl a ON a.lang = 'en' AND a.i = g % 24
JOIN syl b ON b.lang = 'en' AND b.i = (g / 24) % 24
JOIN syl c ON c.lang = 'en' AND c.i = (g / 576) % 24;

INSERT INTO w_ar
SELECT (SELECT count(*) FROM w_ar) + g,
       a.s || b.s || c.s
FROM generate_series(0, 9999) g
JOIN syl a ON a.lang = 'ar' AND a.i = g % 24
JOIN syl b ON b.lang = 'ar' AND b.i = (g / 24) % 24
JOIN syl c ON c.lang = 'ar' AND c.i = (g / 576) % 24;

CREATE TEMP TABLE vocab (lang text, r int, w text, PRIMARY KEY (lang, r));
INSERT INTO vocab SELECT 'en', r, w FROM w_en;
INSERT INTO vocab SELECT 'ar', r, w FROM w_ar;
ANALYZE vocab;
SELECT count(*) AS n_en FROM w_en \gset
SELECT count(*) AS n_ar FROM w_ar \gset

-- A Zipf-like rank: P(r) ~ 1/(r+1) over n words.
CREATE FUNCTION pg_temp.zipf(n int) RETURNS int
LANGUAGE sql VOLATILE AS
$$ SELECT least(n - 1, floor(exp(random() * ln(n + 1)))::int - 1) $$;

-- ---- paragraphs -------------------------------------------------------------

-- A pool of paragraphs of about 200 to 470 characters; a post is 1 to 4 of
-- them.  Each is English, Arabic-script (Sorani with some Arabic), or a mix
-- (Sorani with English words in it, as returnees write).
\set npara 30000
CREATE TEMP TABLE para (i int PRIMARY KEY, md text, html text, tsv tsvector);

WITH p AS MATERIALIZED (
	SELECT i, 215 + floor(random() * 255)::int AS len,
	       CASE WHEN random() < 0.35 THEN 'en'
		    WHEN random() < 0.85 THEN 'ar' ELSE 'mix' END AS kind
	FROM generate_series(0, :npara - 1) i
), words AS MATERIALIZED (
	SELECT i, len, k, lang,
	       pg_temp.zipf(CASE lang WHEN 'en' THEN :n_en ELSE :n_ar END) AS r,
	       CASE WHEN random() < 0.07 THEN '.'
		    WHEN random() < 0.05 THEN ','
		    WHEN random() < 0.01 THEN '?'
		    ELSE '' END AS punct
	FROM (
		SELECT p.i, p.len, k,
		       CASE p.kind WHEN 'mix' THEN CASE WHEN random() < 0.25
			    THEN 'en' ELSE 'ar' END ELSE p.kind END AS lang
		FROM p, generate_series(1, 110) k
	) x
), joined AS (
	SELECT i, len, string_agg(v.w || words.punct, ' ' ORDER BY k) AS s
	FROM words JOIN vocab v USING (lang, r)
	GROUP BY i, len
), cut AS (
	-- cut at the last word boundary before len; sprinkle the characters
	-- HTML escaping must handle
	SELECT i, regexp_replace(left(s, len), '\s+\S*$', '') ||
	       CASE WHEN i % 17 = 0 THEN ' Q&A <3 "thanks"'
		    WHEN i % 29 = 0 THEN ' (rent > 500$ & deposit)'
		    ELSE '.' END AS s
	FROM joined
)
INSERT INTO para
SELECT i, s,
       '<p dir="auto">' || replace(replace(replace(replace(replace(s,
	   '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'),
	   '''', '&#39;') || '</p>',
       to_tsvector('simple', magnet_fold(s))
FROM cut;
ANALYZE para;

-- ---- users ------------------------------------------------------------------

-- The accounts run.sh created with `magnet user add` (ids below this) keep
-- their roles; generated users copy the first one's password hash.

CREATE TEMP TABLE gu AS
SELECT g AS n,
       CASE WHEN g % 200 = 7 THEN 'admin'
	    WHEN g % 40 = 3 THEN 'moderator'
	    WHEN g % 20 = 11 THEN 'employer'
	    ELSE 'returnee' END AS role,
       CASE WHEN g % 3 = 0
	    THEN (SELECT w FROM w_ar WHERE r = 10 + g % 150 AND g >= 0) || '_' || g
	    ELSE (ARRAY['azad','karwan','shwan','rebin','dilan','shilan','sara',
		'hawre','bestun','hemin','zana','soran','ari','lana','nian',
		'kawa','darya','goran','awat','rawand'])[1 + g % 20] || '.' || g
       END AS username,
       (ARRAY['en','ckb','ckb','kmr-Arab','ar',NULL])[1 + g % 6] AS lang,
       now() - interval '3 years' * random() - interval '40 days' AS created_at
FROM generate_series(1, :nusers) g;

INSERT INTO enterprises (name, sector, governorate, created_at, verified_at)
SELECT 'Enterprise of ' || username,
       (ARRAY['construction','hospitality','agriculture','retail','services',
	   'manufacturing'])[1 + n % 6],
       (ARRAY['erbil','sulaymaniyah','duhok','halabja'])[1 + n % 4],
       created_at, created_at + interval '3 days'
FROM gu WHERE role = 'employer' ORDER BY n;

INSERT INTO users (username, username_key, password_hash, role, lang,
    enterprise_id, created_at)
SELECT gu.username, translate(lower(gu.username), 'يىك', 'ییک'),
       (SELECT password_hash FROM users ORDER BY id LIMIT 1),
       gu.role, gu.lang, e.id, gu.created_at
FROM gu LEFT JOIN enterprises e ON e.name = 'Enterprise of ' || gu.username
ORDER BY gu.n;

-- Authors by activity rank: a few users write most posts.
CREATE TEMP TABLE authors AS
SELECT row_number() OVER (ORDER BY random()) - 1 AS r, id FROM users;
CREATE UNIQUE INDEX ON authors (r);
ANALYZE authors;
SELECT count(*) AS nauthors FROM authors \gset

-- ---- threads ----------------------------------------------------------------

-- The forum tables are empty; truncated in this transaction, they are
-- loaded without WAL when wal_level = minimal.  CASCADE: any later table
-- that refers to posts or threads (reports, say) is empty too.
TRUNCATE threads, posts, notifications CASCADE;

-- Secondary indexes and foreign keys go; their own definitions bring them
-- back at the end (adding a foreign key checks it in one join).
CREATE TEMP TABLE saved_idx AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid IN ('threads'::regclass, 'posts'::regclass,
    'notifications'::regclass)
  AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);
CREATE TEMP TABLE saved_fk AS
SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
FROM pg_constraint
WHERE contype = 'f' AND conrelid IN ('threads'::regclass, 'posts'::regclass,
    'notifications'::regclass);
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tab, conname) FROM saved_fk \gexec
SELECT format('DROP INDEX %s', name) FROM saved_idx \gexec

-- Per thread: board (erbil busiest), creation time, number of posts
-- (1 + geometric, mean about 9.8), and two special threads.
SELECT (:nthreads * 9 / 10)::bigint AS bench_thread,
       (:nthreads * 8 / 10)::bigint AS post_thread,
       (:nthreads * 3 / 10)::bigint AS long_thread,
       greatest(1.0, (:nposts * 0.98 / :nthreads) - 1) AS mean_extra \gset

CREATE TEMP TABLE t0 AS
SELECT row_number() OVER (ORDER BY created_at) AS id, s.*, b.id AS board_id
FROM (
	SELECT floor(random() * 20)::int AS slot,
	       now() - interval '3 years' * random() - interval '1 hour' AS created_at,
	       1 + floor(ln(1 - random()) /
		   ln(:mean_extra / (1 + :mean_extra)))::int AS post_count,
	       pg_temp.zipf(:nauthors) AS author_r,
	       3 + floor(random() * 10)::int AS title_words,
	       random() < 0.4 AS title_en
	FROM generate_series(1, :nthreads) g
) s
JOIN (VALUES (0, 'erbil'), (1, 'erbil'), (2, 'erbil'), (3, 'erbil'),
	(4, 'erbil'), (5, 'erbil'), (6, 'erbil'), (7, 'sulaymaniyah'),
	(8, 'sulaymaniyah'), (9, 'sulaymaniyah'), (10, 'sulaymaniyah'),
	(11, 'sulaymaniyah'), (12, 'duhok'), (13, 'duhok'), (14, 'duhok'),
	(15, 'halabja'), (16, 'before-departure'), (17, 'before-departure'),
	(18, 'before-departure'), (19, 'before-departure')) AS m(slot, slug)
    ON m.slot = s.slot
JOIN boards b ON b.slug = m.slug;
UPDATE t0 SET post_count = 20 WHERE id = :bench_thread;
UPDATE t0 SET post_count = 1 WHERE id = :long_thread;
-- the long thread takes what is left to reach nposts
UPDATE t0 SET post_count = greatest(1,
	:nposts - (SELECT sum(post_count) FROM t0 WHERE id <> :long_thread))
WHERE id = :long_thread;
CREATE UNIQUE INDEX ON t0 (id);
ANALYZE t0;

-- The skeleton of every post in time order; seq follows time in a thread.
-- Post s of n in a thread made at c is dated c + (now - c) * ((s-1)/n)^3.
CREATE TEMP TABLE p0 AS
SELECT row_number() OVER (ORDER BY created_at, thread_id, seq) AS id, s.*,
       a.id AS author_id
FROM (
	SELECT t0.id AS thread_id, g AS seq,
	       CASE WHEN g = 1 THEN t0.author_r
		    ELSE pg_temp.zipf(:nauthors) END AS author_r,
	       t0.created_at + (now() - interval '1 minute' - t0.created_at) *
		   power((g - 1)::float8 / t0.post_count, 3) AS created_at,
	       -- paragraphs: 1 (35 %), 2 (30 %), 3 (20 %), 4 (15 %)
	       CASE WHEN random() < 0.35 THEN 1 WHEN random() < 0.46 THEN 2
		    WHEN random() < 0.57 THEN 3 ELSE 4 END AS npara,
	       floor(random() * :npara)::int AS p1
	FROM t0, generate_series(1, t0.post_count) g
) s
JOIN authors a ON a.r = s.author_r;
CREATE UNIQUE INDEX ON p0 (thread_id, seq);
ANALYZE p0;

INSERT INTO threads (id, board_id, author_id, title, created_at,
    last_post_at, last_author_id, post_count, pinned, search)
SELECT t0.id, t0.board_id, first.author_id, ttl.title, first.created_at,
       last.created_at, last.author_id, t0.post_count, false,
       to_tsvector('simple', magnet_fold(ttl.title))
FROM t0
JOIN p0 first ON first.thread_id = t0.id AND first.seq = 1
JOIN p0 last ON last.thread_id = t0.id AND last.seq = t0.post_count
CROSS JOIN LATERAL (
	SELECT left(string_agg((SELECT v.w FROM vocab v
		WHERE v.lang = CASE WHEN t0.title_en THEN 'en' ELSE 'ar' END
		  AND v.r = (t0.id * 31 + k * 977) % 300), ' ' ORDER BY k), 120) ||
	       CASE WHEN t0.id % 5 = 0 THEN '?' ELSE '' END AS title
	FROM generate_series(1, t0.title_words) k
) ttl;

UPDATE threads SET title = '[bench] The twenty-post thread: finding work in Erbil after return / کار لە هەولێر'
WHERE id = :bench_thread;
UPDATE threads SET search = to_tsvector('simple', magnet_fold(title))
WHERE id = :bench_thread;

-- Two pinned threads per board: the oldest of each.
UPDATE threads SET pinned = true
WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY
    board_id ORDER BY id) AS n FROM threads) x WHERE n <= 2);

-- ---- posts ------------------------------------------------------------------

-- Bodies: npara paragraphs of the pool from a random start, so no two
-- posts need be alike.  p0 is read in id (= time) order.  The tsvector of
-- the body is the concatenation of its paragraphs' (tsvector || shifts the
-- positions of the right operand past the left's, so this equals
-- to_tsvector('simple', magnet_fold(body_md)) exactly, and saves folding
-- and parsing a gigabyte of text).
INSERT INTO posts (id, thread_id, seq, author_id, body_md, body_html,
    created_at, search)
SELECT p0.id, p0.thread_id, p0.seq, p0.author_id,
       concat_ws(E'\n\n', a.md, b.md, c.md, d.md),
       concat_ws(E'\n', a.html, b.html, c.html, d.html),
       p0.created_at,
       a.tsv || coalesce(b.tsv, '') || coalesce(c.tsv, '') || coalesce(d.tsv, '')
FROM p0
JOIN para a ON a.i = p0.p1
LEFT JOIN para b ON p0.npara >= 2 AND b.i = (p0.p1 + 7919) % :npara
LEFT JOIN para c ON p0.npara >= 3 AND c.i = (p0.p1 + 2 * 7919) % :npara
LEFT JOIN para d ON p0.npara >= 4 AND d.i = (p0.p1 + 3 * 7919) % :npara;

-- ---- notifications ----------------------------------------------------------

-- Columns later migrations added are filled when they exist.
SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid =
    'notifications'::regclass AND attname = 'subject' AND NOT attisdropped)
    AS has_subject,
    EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'threads'::regclass
    AND attname = 'reply_count' AND NOT attisdropped) AS has_reply_count \gset

\if :has_subject
INSERT INTO notifications (user_id, kind, actor_id, thread_id, post_id,
    created_at, read_at, subject, link)
SELECT t.author_id, 'reply', p.author_id, p.thread_id, p.id, p.created_at,
       CASE WHEN p.created_at < now() - interval '14 days'
	    THEN p.created_at + interval '5 hours' END,
       t.title, '/p/' || p.id
FROM posts p JOIN threads t ON t.id = p.thread_id
WHERE p.seq > 1 AND p.author_id <> t.author_id;
\else
INSERT INTO notifications (user_id, kind, actor_id, thread_id, post_id,
    created_at, read_at)
SELECT t.author_id, 'reply', p.author_id, p.thread_id, p.id, p.created_at,
       CASE WHEN p.created_at < now() - interval '14 days'
	    THEN p.created_at + interval '5 hours' END
FROM posts p JOIN threads t ON t.id = p.thread_id
WHERE p.seq > 1 AND p.author_id <> t.author_id;
\endif

\if :has_reply_count
-- replies shown in lists: the posts after the first
UPDATE threads SET reply_count = post_count - 1;
\endif

-- ---- counters and sequences -------------------------------------------------

UPDATE boards b SET thread_count = s.tc, post_count = s.pc,
    last_post_at = s.lp, last_thread_id = s.lt
FROM (
	SELECT board_id, count(*) AS tc, sum(post_count) AS pc,
	       max(last_post_at) AS lp,
	       (array_agg(id ORDER BY last_post_at DESC, id DESC))[1] AS lt
	FROM threads WHERE state = 'published' GROUP BY board_id
) s
WHERE b.id = s.board_id;

SELECT setval(pg_get_serial_sequence('threads', 'id'), (SELECT max(id) FROM threads));
SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts));
SELECT setval(pg_get_serial_sequence('notifications', 'id'),
    greatest(1, (SELECT max(id) FROM notifications)));

-- ---- indexes back -----------------------------------------------------------

SELECT def FROM saved_idx ORDER BY name \gexec
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tab, conname, def)
FROM saved_fk \gexec

-- ---- a vacancy and a guide (the anonymous vacancy and guide pages) -----------

-- A live vacancy of the first enterprise, by its employer; a guide in
-- Sorani (the visitors' default language) and English.  Texts from the
-- paragraph pool, as long as a real one's.
INSERT INTO vacancies (enterprise_id, author_id, kind, title, description_md,
    description_html, governorate, city, sector, contract, positions,
    languages, skills, salary_min, salary_max, deadline, state,
    published_at, decided_at)
SELECT u.enterprise_id, u.id, 'job',
       'Site engineer / ئەندازیاری کارگە, Erbil',
       concat_ws(E'\n\n', a.md, b.md, c.md),
       concat_ws(E'\n', a.html, b.html, c.html),
       'erbil', 'Erbil', 'construction', 'full_time', 3, '{ckb,ar,en}',
       'AutoCAD, site safety, concrete', 900000, 1400000,
       current_date + 3650, 'published', now(), now()
FROM (SELECT id, enterprise_id FROM users WHERE role = 'employer'
      AND enterprise_id IS NOT NULL ORDER BY id LIMIT 1) u
JOIN para a ON a.i = 11 JOIN para b ON b.i = 12 JOIN para c ON c.i = 13;

INSERT INTO guides (governorate, topic, created_by)
SELECT 'erbil', 'work', (SELECT min(id) FROM users WHERE role = 'moderator');
INSERT INTO guide_versions (guide_id, lang, title, body_md, body_html,
    reviewed_on, updated_by, search)
SELECT g.id, l.lang, l.title, concat_ws(E'\n\n', a.md, b.md, c.md, d.md),
       concat_ws(E'\n', a.html, b.html, c.html, d.html), current_date,
       g.created_by, a.tsv || b.tsv || c.tsv || d.tsv
FROM (SELECT max(id) AS id, min(created_by) AS created_by FROM guides) g
CROSS JOIN (VALUES ('ckb', 'دۆزینەوەی کار لە هەولێر'),
    ('en', 'Finding work in Erbil')) l(lang, title)
JOIN para a ON a.i = 21 JOIN para b ON b.i = 22 JOIN para c ON c.i = 23
JOIN para d ON d.i = 24;

-- ---- facts for run.sh ---------------------------------------------------------

CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL);
DELETE FROM bench_meta;
INSERT INTO bench_meta VALUES
	('bench_thread', :bench_thread),
	('long_thread', :long_thread),
	-- the thread the posting measurement replies to
	('post_thread', :post_thread),
	('threads', (SELECT count(*) FROM threads)),
	('posts', (SELECT count(*) FROM posts)),
	('users', (SELECT count(*) FROM users)),
	('notifications', (SELECT count(*) FROM notifications)),
	-- a word a returnee would search for: in about 1.5 % of posts
	('search_word', 'contractor'),
	-- a common one, for the signed-in search: in about 13 % of posts
	('common_word', 'work'),
	('vacancy', (SELECT max(id) FROM vacancies WHERE state = 'published')),
	('guide', (SELECT max(id) FROM guides)),
	('schema_version', (SELECT max(version) FROM schema_migrations));

COMMIT;

VACUUM (FREEZE, ANALYZE) users, enterprises, boards, threads, posts,
    notifications;
