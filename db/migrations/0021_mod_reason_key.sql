-- A post's built-in moderation reason is kept as a key, not as a sentence
-- (issue 17): the author reads it in their own language, whatever the
-- counsellor's.  mod_reason keeps only what the counsellor typed.  Reasons
-- stored before, in the language of the counsellor who chose them, become
-- keys when they are one of the built-in sentences (in any language).
ALTER TABLE posts ADD COLUMN mod_reason_key text NOT NULL DEFAULT ''
	CHECK (mod_reason_key IN ('', 'personal', 'spam', 'respect',
	    'offtopic', 'misleading'));

UPDATE posts SET mod_reason_key = 'personal', mod_reason = ''
WHERE mod_reason IN ('Personal information (a phone number, an address) should not be posted publicly.',
	'نابێت زانیاریی کەسی (ژمارەی تەلەفۆن، ناونیشان) بە ئاشکرا بڵاو بکرێتەوە.',
	'نابیت پێزانینێن کەسی (ژمارا تەلەفۆنێ، ناڤونیشان) ب ئاشکەرا بێنە بەلاڤکرن.',
	'لا ينبغي نشر المعلومات الشخصية (رقم هاتف، عنوان) علنًا.');

UPDATE posts SET mod_reason_key = 'spam', mod_reason = ''
WHERE mod_reason IN ('This is advertising or spam.',
	'ئەمە ڕیکلام یان سپامە.',
	'ئەڤە ریکلام یان سپامە.',
	'هذا إعلان أو رسائل مزعجة.');

UPDATE posts SET mod_reason_key = 'respect', mod_reason = ''
WHERE mod_reason IN ('Please stay respectful: insults and threats are not allowed.',
	'تکایە ڕێزدار بە: جنێو و هەڕەشە ڕێگەپێنەدراون.',
	'تکایە رێزێ بگرە: جنێڤ و گەف نە دەستووردارن.',
	'يُرجى الالتزام بالاحترام: الإهانات والتهديدات غير مسموح بها.');

UPDATE posts SET mod_reason_key = 'offtopic', mod_reason = ''
WHERE mod_reason IN ('This is not about return, work or life in the Kurdistan Region.',
	'ئەمە پەیوەندی بە گەڕانەوە، کار یان ژیان لە هەرێمی کوردستانەوە نییە.',
	'ئەڤە نە ل سەر زڤڕین، کار یان ژیانێ ل هەرێما کوردستانێیە.',
	'هذا لا يتعلق بالعودة أو العمل أو الحياة في إقليم كوردستان.');

UPDATE posts SET mod_reason_key = 'misleading', mod_reason = ''
WHERE mod_reason IN ('This may be misleading; please check it with a counsellor.',
	'لەوانەیە ئەمە چەواشەکارانە بێت؛ تکایە لەگەڵ ڕاوێژکارێک پشتڕاستی بکەرەوە.',
	'بەلکی ئەڤە یا خەلەتبەر بیت؛ تکایە دگەل شیرەتکارەکی پشتڕاست بکە.',
	'قد يكون هذا مضلِّلًا؛ يُرجى التحقق منه مع أحد المستشارين.');
