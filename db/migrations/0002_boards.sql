-- The five boards every Magnet starts with, named in each interface
-- language.  An admin can rename and reorder them later.

INSERT INTO boards (slug, position, governorate) VALUES
	('before-departure', 1, NULL),
	('erbil', 2, 'erbil'),
	('sulaymaniyah', 3, 'sulaymaniyah'),
	('duhok', 4, 'duhok'),
	('halabja', 5, 'halabja');

INSERT INTO board_names (board_id, lang, name, description)
SELECT b.id, v.lang, v.name, v.description
FROM (VALUES
	('before-departure', 'en', 'Before departure',
	    'Questions from people still in Europe who are preparing to return.'),
	('before-departure', 'ckb', 'پێش گەڕانەوە',
	    'پرسیاری ئەو کەسانەی هێشتا لە ئەوروپان و خۆیان بۆ گەڕانەوە ئامادە دەکەن.'),
	('before-departure', 'kmr-Arab', 'بەری زڤڕینێ',
	    'پسیارێن وان کەسێن هێشتا ل ئەورووپا و خۆ بۆ زڤڕینێ ئامادە دکەن.'),
	('before-departure', 'ar', 'قبل العودة',
	    'أسئلة من لا يزالون في أوروبا ويستعدون للعودة.'),
	('erbil', 'en', 'Erbil',
	    'Life, work and training after return in Erbil governorate.'),
	('erbil', 'ckb', 'هەولێر',
	    'ژیان، کار و ڕاهێنان دوای گەڕانەوە لە پارێزگای هەولێر.'),
	('erbil', 'kmr-Arab', 'هەولێر',
	    'ژیان، کار و راهێنان پشتی زڤڕینێ ل پارێزگەها هەولێرێ.'),
	('erbil', 'ar', 'أربيل',
	    'الحياة والعمل والتدريب بعد العودة في محافظة أربيل.'),
	('sulaymaniyah', 'en', 'Sulaymaniyah',
	    'Life, work and training after return in Sulaymaniyah governorate.'),
	('sulaymaniyah', 'ckb', 'سلێمانی',
	    'ژیان، کار و ڕاهێنان دوای گەڕانەوە لە پارێزگای سلێمانی.'),
	('sulaymaniyah', 'kmr-Arab', 'سلێمانی',
	    'ژیان، کار و راهێنان پشتی زڤڕینێ ل پارێزگەها سلێمانیێ.'),
	('sulaymaniyah', 'ar', 'السليمانية',
	    'الحياة والعمل والتدريب بعد العودة في محافظة السليمانية.'),
	('duhok', 'en', 'Duhok',
	    'Life, work and training after return in Duhok governorate.'),
	('duhok', 'ckb', 'دهۆک',
	    'ژیان، کار و ڕاهێنان دوای گەڕانەوە لە پارێزگای دهۆک.'),
	('duhok', 'kmr-Arab', 'دهۆک',
	    'ژیان، کار و راهێنان پشتی زڤڕینێ ل پارێزگەها دهۆکێ.'),
	('duhok', 'ar', 'دهوك',
	    'الحياة والعمل والتدريب بعد العودة في محافظة دهوك.'),
	('halabja', 'en', 'Halabja',
	    'Life, work and training after return in Halabja governorate.'),
	('halabja', 'ckb', 'هەڵەبجە',
	    'ژیان، کار و ڕاهێنان دوای گەڕانەوە لە پارێزگای هەڵەبجە.'),
	('halabja', 'kmr-Arab', 'هەلەبجە',
	    'ژیان، کار و راهێنان پشتی زڤڕینێ ل پارێزگەها هەلەبجەیێ.'),
	('halabja', 'ar', 'حلبجة',
	    'الحياة والعمل والتدريب بعد العودة في محافظة حلبجة.')
) AS v(slug, lang, name, description)
JOIN boards b ON b.slug = v.slug;
