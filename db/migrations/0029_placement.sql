-- Placement across languages (issue 21): a shared vocabulary of
-- occupations (ILO ISCO-08) and skills, with labels in English, Sorani,
-- Bahdini and Arabic; profiles and vacancies point at it by code, and
-- matching compares codes, so "کارەبا" picked in Sorani meets an
-- electrician's vacancy posted in English.
--
-- The data below is db/data/isco08.tsv and db/data/skills.tsv as they
-- were when this migration was written (tests/http/test_placement.py
-- checks that the two agree).  Source: ILO, ISCO-08 structure and English
-- titles; the other labels are the project's translations.  Admins edit
-- labels afterwards at /admin/vocabulary (rows keep their code).

CREATE TABLE vocabulary (
	-- ISCO-08: 1 digit a major group, 2 sub-major, 3 minor, 4 a unit
	-- group; a skill: a lower-case key
	code		text PRIMARY KEY CHECK (code ~
			    '^([0-9]{1,4}|[a-z][a-z0-9_]{1,30})$'),
	kind		text GENERATED ALWAYS AS (CASE WHEN code ~ '^[0-9]'
			    THEN 'occupation' ELSE 'skill' END) STORED,
	grp		text NOT NULL DEFAULT '' CHECK (grp IN ('', 'licence',
			    'certificate', 'software', 'language')),
	en		text NOT NULL CHECK (length(en) BETWEEN 1 AND 200),
	ckb		text NOT NULL CHECK (length(ckb) BETWEEN 1 AND 200),
	kmr		text NOT NULL CHECK (length(kmr) BETWEEN 1 AND 200),
	ar		text NOT NULL CHECK (length(ar) BETWEEN 1 AND 200),
	-- every label folded, for search in any language
	folded		text GENERATED ALWAYS AS (magnet_fold(en || ' | ' ||
			    ckb || ' | ' || kmr || ' | ' || ar)) STORED,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES users(id),
	CHECK ((code ~ '^[0-9]') = (grp = ''))
);

INSERT INTO vocabulary (code, en, ckb, kmr, ar)
SELECT f[1], f[2], f[3], f[4], f[5]
FROM regexp_split_to_table($tsv$
0	Armed forces occupations	پیشەکانی هێزە چەکدارەکان	پیشەیێن هێزێن چەکدار	مهن القوات المسلحة
01	Commissioned armed forces officers	ئەفسەرانی هێزە چەکدارەکان	ئەفسەرێن هێزێن چەکدار	ضباط القوات المسلحة
011	Commissioned armed forces officers	ئەفسەرانی هێزە چەکدارەکان	ئەفسەرێن هێزێن چەکدار	ضباط القوات المسلحة
02	Non-commissioned armed forces officers	ئەفسەرانی بچووکی هێزە چەکدارەکان (نائیب ئەفسەر)	ئەفسەرێن بچووک یێن هێزێن چەکدار (نائب ئەفسەر)	ضباط الصف في القوات المسلحة
021	Non-commissioned armed forces officers	ئەفسەرانی بچووکی هێزە چەکدارەکان (نائیب ئەفسەر)	ئەفسەرێن بچووک یێن هێزێن چەکدار (نائب ئەفسەر)	ضباط الصف في القوات المسلحة
03	Armed forces occupations, other ranks	پلەکانی تری هێزە چەکدارەکان	پلەیێن دی یێن هێزێن چەکدار	الرتب الأخرى في القوات المسلحة
031	Armed forces occupations, other ranks	پلەکانی تری هێزە چەکدارەکان	پلەیێن دی یێن هێزێن چەکدار	الرتب الأخرى في القوات المسلحة
1	Managers	بەڕێوەبەران	رێڤەبەر	المديرون
11	Chief executives, senior officials and legislators	بەڕێوەبەرانی باڵا، کاربەدەستانی باڵا و یاسادانەران	رێڤەبەرێن بلند، بەرپرسێن بلند و یاسادانەر	الرؤساء التنفيذيون وكبار المسؤولين والمشرعون
111	Legislators and senior officials	یاسادانەران و کاربەدەستانی باڵا	یاسادانەر و بەرپرسێن بلند	المشرعون وكبار المسؤولين
112	Managing directors and chief executives	بەڕێوەبەرانی گشتی و بەڕێوەبەرانی جێبەجێکار	رێڤەبەرێن گشتی و رێڤەبەرێن جێبەجێکار	المديرون العامون والرؤساء التنفيذيون
1120	Managing directors and chief executives	بەڕێوەبەرانی گشتی و بەڕێوەبەرانی جێبەجێکار	رێڤەبەرێن گشتی و رێڤەبەرێن جێبەجێکار	المديرون العامون والرؤساء التنفيذيون
12	Administrative and commercial managers	بەڕێوەبەرانی کارگێڕی و بازرگانی	رێڤەبەرێن کارگێری و بازرگانی	مديرو الإدارة والأعمال التجارية
121	Business services and administration managers	بەڕێوەبەرانی خزمەتگوزاری بازرگانی و کارگێڕی	رێڤەبەرێن خزمەتگوزاریێن بازرگانی و کارگێریێ	مديرو خدمات الأعمال والإدارة
122	Sales, marketing and development managers	بەڕێوەبەرانی فرۆشتن، بازاڕگەری و گەشەپێدان	رێڤەبەرێن فرۆتنێ، بازارکرنێ و پێشڤەبرنێ	مديرو المبيعات والتسويق والتطوير
13	Production and specialised services managers	بەڕێوەبەرانی بەرهەمهێنان و خزمەتگوزارییە پسپۆڕییەکان	رێڤەبەرێن بەرهەمئینانێ و خزمەتگوزاریێن پسپۆر	مديرو الإنتاج والخدمات المتخصصة
131	Production managers in agriculture, forestry and fisheries	بەڕێوەبەرانی بەرهەمهێنان لە کشتوکاڵ، دارستان و ماسیگرتن	رێڤەبەرێن بەرهەمئینانێ د چاندن، دارستان و ماسیگرتنێ دا	مديرو الإنتاج في الزراعة والحراجة ومصايد الأسماك
132	Manufacturing, mining, construction, and distribution managers	بەڕێوەبەرانی پیشەسازی، کانزا، بیناسازی و دابەشکردن	رێڤەبەرێن پیشەسازیێ، کانزایان، ئاڤاکرنێ و بەلاڤکرنێ	مديرو الصناعة والتعدين والبناء والتوزيع
133	Information and communications technology service managers	بەڕێوەبەرانی خزمەتگوزاری تەکنەلۆجیای زانیاری و پەیوەندییەکان	رێڤەبەرێن خزمەتگوزاریێن تەکنەلۆژیا زانیاری و پەیوەندیان	مديرو خدمات تكنولوجيا المعلومات والاتصالات
134	Professional services managers	بەڕێوەبەرانی خزمەتگوزارییە پیشەییەکان	رێڤەبەرێن خزمەتگوزاریێن پیشەیی	مديرو الخدمات المهنية
14	Hospitality, retail and other services managers	بەڕێوەبەرانی میوانداری، فرۆشتنی تاک و خزمەتگوزارییەکانی تر	رێڤەبەرێن مێڤانداریێ، فرۆتنا کێم و خزمەتگوزاریێن دی	مديرو الضيافة وتجارة التجزئة والخدمات الأخرى
141	Hotel and restaurant managers	بەڕێوەبەرانی هوتێل و چێشتخانە	رێڤەبەرێن هوتێل و خوارنگەهان	مديرو الفنادق والمطاعم
142	Retail and wholesale trade managers	بەڕێوەبەرانی بازرگانی تاک و کۆ	رێڤەبەرێن بازرگانیا کێم و کۆم	مديرو تجارة التجزئة والجملة
143	Other services managers	بەڕێوەبەرانی خزمەتگوزارییەکانی تر	رێڤەبەرێن خزمەتگوزاریێن دی	مديرو الخدمات الأخرى
2	Professionals	پسپۆڕان	پسپۆر	الاختصاصيون
21	Science and engineering professionals	پسپۆڕانی زانست و ئەندازیاری	پسپۆرێن زانست و ئەندازیاریێ	اختصاصيو العلوم والهندسة
211	Physical and earth science professionals	پسپۆڕانی زانستە سروشتییەکان و زانستی زەوی	پسپۆرێن زانستێن سروشتی و زانستا ئەردی	اختصاصيو العلوم الفيزيائية وعلوم الأرض
212	Mathematicians, actuaries and statisticians	بیرکاریزانان، ژمێرەرانی بیمە و ئامارناسان	بیرکاریزان، هژمارکەرێن بیمێ و ئامارزان	علماء الرياضيات والخبراء الاكتواريون والإحصائيون
213	Life science professionals	پسپۆڕانی زانستەکانی ژیان	پسپۆرێن زانستێن ژیانێ	اختصاصيو علوم الحياة
214	Engineering professionals (excluding electrotechnology)	ئەندازیاران (جگە لە کارەبا)	ئەندازیار (ژبلی کارەبێ)	المهندسون (باستثناء الهندسة الكهربائية والإلكترونية)
2142	Civil engineers	ئەندازیارانی شارستانی	ئەندازیارێن شارستانی	المهندسون المدنيون
215	Electrotechnology engineers	ئەندازیارانی کارەبا و ئەلیکترۆنیات	ئەندازیارێن کارەبێ و ئەلەکترۆنیاتێ	مهندسو الكهرباء والإلكترونيات
2151	Electrical engineers	ئەندازیارانی کارەبا	ئەندازیارێن کارەبێ	المهندسون الكهربائيون
216	Architects, planners, surveyors and designers	تەلارسازان، پلاندانەران، ڕووپێوان و دیزاینەران	تەلارساز، پلانڤێژ، ڕووپێڤ و دیزاینەر	المعماريون والمخططون والمساحون والمصممون
2161	Building architects	تەلارسازانی بینا	تەلارسازێن ئاڤاهیان	المعماريون
22	Health professionals	پسپۆڕانی تەندروستی	پسپۆرێن ساخلەمیێ	اختصاصيو الصحة
221	Medical doctors	پزیشکان	نوژدار	الأطباء
2211	Generalist medical practitioners	پزیشکانی گشتی	نوژدارێن گشتی	الأطباء العامون
222	Nursing and midwifery professionals	پسپۆڕانی پەرستاری و مامانی	پسپۆرێن پەرستاریێ و ماماناتیێ	اختصاصيو التمريض والقبالة
2221	Nursing professionals	پەرستارانی پسپۆڕ	پەرستارێن پسپۆر	اختصاصيو التمريض
223	Traditional and complementary medicine professionals	پسپۆڕانی پزیشکی نەریتی و تەواوکەر	پسپۆرێن نوژداریا کەڤنەشۆپ و تەمامکەر	اختصاصيو الطب التقليدي والتكميلي
224	Paramedical practitioners	کارمەندانی یاریدەدەری پزیشکی	کارمەندێن هاریکارێن نوژداریێ	ممارسو المهن شبه الطبية
225	Veterinarians	پزیشکانی ئاژەڵ	نوژدارێن ئاژەلان	الأطباء البيطريون
226	Other health professionals	پسپۆڕانی تری تەندروستی	پسپۆرێن دی یێن ساخلەمیێ	اختصاصيو صحة آخرون
2261	Dentists	پزیشکانی ددان	نوژدارێن ددانان	أطباء الأسنان
2262	Pharmacists	دەرمانسازان	دەرمانساز	الصيادلة
23	Teaching professionals	مامۆستایان	مامۆستا	اختصاصيو التعليم
231	University and higher education teachers	مامۆستایانی زانکۆ و خوێندنی باڵا	مامۆستایێن زانکۆیێ و خواندنا بلند	أساتذة الجامعات والتعليم العالي
2310	University and higher education teachers	مامۆستایانی زانکۆ و خوێندنی باڵا	مامۆستایێن زانکۆیێ و خواندنا بلند	أساتذة الجامعات والتعليم العالي
232	Vocational education teachers	مامۆستایانی خوێندنی پیشەیی	مامۆستایێن خواندنا پیشەیی	معلمو التعليم المهني
2320	Vocational education teachers	مامۆستایانی خوێندنی پیشەیی	مامۆستایێن خواندنا پیشەیی	معلمو التعليم المهني
233	Secondary education teachers	مامۆستایانی قوتابخانەی ناوەندی و ئامادەیی	مامۆستایێن قوتابخانا ناڤنجی و ئامادەیی	معلمو التعليم الثانوي
2330	Secondary education teachers	مامۆستایانی قوتابخانەی ناوەندی و ئامادەیی	مامۆستایێن قوتابخانا ناڤنجی و ئامادەیی	معلمو التعليم الثانوي
234	Primary school and early childhood teachers	مامۆستایانی قوتابخانەی سەرەتایی و باخچەی ساوایان	مامۆستایێن قوتابخانا سەرەتایی و باخچا زارۆکان	معلمو المدارس الابتدائية ورياض الأطفال
2341	Primary school teachers	مامۆستایانی قوتابخانەی سەرەتایی	مامۆستایێن قوتابخانا سەرەتایی	معلمو المدارس الابتدائية
2342	Early childhood educators	پەروەردەکارانی باخچەی ساوایان	پەروەردەکارێن باخچا زارۆکان	مربو الطفولة المبكرة
235	Other teaching professionals	مامۆستایانی تر	مامۆستایێن دی	اختصاصيو تعليم آخرون
24	Business and administration professionals	پسپۆڕانی بازرگانی و کارگێڕی	پسپۆرێن بازرگانیێ و کارگێریێ	اختصاصيو الأعمال والإدارة
241	Finance professionals	پسپۆڕانی دارایی	پسپۆرێن دارایی	اختصاصيو المالية
2411	Accountants	ژمێریاران	ژمێریار	المحاسبون
242	Administration professionals	پسپۆڕانی کارگێڕی	پسپۆرێن کارگێریێ	اختصاصيو الإدارة
243	Sales, marketing and public relations professionals	پسپۆڕانی فرۆشتن، بازاڕگەری و پەیوەندییە گشتییەکان	پسپۆرێن فرۆتنێ، بازارکرنێ و پەیوەندیێن گشتی	اختصاصيو المبيعات والتسويق والعلاقات العامة
2431	Advertising and marketing professionals	پسپۆڕانی ڕیکلام و بازاڕگەری	پسپۆرێن ریکلامێ و بازارکرنێ	اختصاصيو الإعلان والتسويق
25	Information and communications technology professionals	پسپۆڕانی تەکنەلۆجیای زانیاری و پەیوەندییەکان	پسپۆرێن تەکنەلۆژیا زانیاری و پەیوەندیان	اختصاصيو تكنولوجيا المعلومات والاتصالات
251	Software and applications developers and analysts	گەشەپێدەران و شیکەرەوانی نەرمەکاڵا و بەرنامەکان	پێشڤەبەر و شلۆڤەکەرێن نەرمەکالا و بەرنامەیان	مطورو ومحللو البرمجيات والتطبيقات
2512	Software developers	گەشەپێدەرانی نەرمەکاڵا	پێشڤەبەرێن نەرمەکالا	مطورو البرمجيات
2513	Web and multimedia developers	گەشەپێدەرانی وێب و فرەمیدیا	پێشڤەبەرێن وێبێ و فرەمیدیا	مطورو الويب والوسائط المتعددة
2514	Applications programmers	بەرنامەنووسانی بەرنامەکان (ئەپ)	بەرنامەنڤیسێن بەرنامەیان (ئەپ)	مبرمجو التطبيقات
252	Database and network professionals	پسپۆڕانی بنکەدراوە و تۆڕ	پسپۆرێن بنکەدراوە و تۆران	اختصاصيو قواعد البيانات والشبكات
2522	Systems administrators	بەڕێوەبەرانی سیستەم	رێڤەبەرێن سیستەمی	مديرو النظم
26	Legal, social and cultural professionals	پسپۆڕانی یاسایی، کۆمەڵایەتی و کولتووری	پسپۆرێن یاسایی، جڤاکی و کولتووری	الاختصاصيون القانونيون والاجتماعيون والثقافيون
261	Legal professionals	پسپۆڕانی یاسا	پسپۆرێن یاسایێ	الاختصاصيون القانونيون
262	Librarians, archivists and curators	کتێبداران، ئەرشیڤکاران و مۆزەخانەداران	کتێبخانەڤان، ئەرشیڤکار و مۆزەخانەڤان	أمناء المكتبات والمحفوظات والمتاحف
263	Social and religious professionals	پسپۆڕانی کۆمەڵایەتی و ئایینی	پسپۆرێن جڤاکی و ئایینی	الاختصاصيون الاجتماعيون والدينيون
2635	Social work and counselling professionals	پسپۆڕانی کاری کۆمەڵایەتی و ڕاوێژکاری	پسپۆرێن کارێ جڤاکی و شیرەتکاریێ	اختصاصيو العمل الاجتماعي والإرشاد
264	Authors, journalists and linguists	نووسەران، ڕۆژنامەنووسان و زمانناسان	نڤیسەر، رۆژنامەڤان و زمانزان	المؤلفون والصحفيون واللغويون
2643	Translators, interpreters and other linguists	وەرگێڕان، وەرگێڕانی زارەکی و زمانناسانی تر	وەرگێر، وەرگێرێن دەڤکی و زمانزانێن دی	المترجمون والمترجمون الفوريون واللغويون الآخرون
265	Creative and performing artists	هونەرمەندانی داهێنەر و نمایشکار	هونەرمەندێن داهێنەر و نمایشکار	الفنانون المبدعون وفنانو الأداء
3	Technicians and associate professionals	تەکنیکاران و یاریدەدەرانی پسپۆڕ	تەکنیکار و هاریکارێن پسپۆر	الفنيون والاختصاصيون المساعدون
31	Science and engineering associate professionals	یاریدەدەرانی پسپۆڕی زانست و ئەندازیاری	هاریکارێن پسپۆرێن زانست و ئەندازیاریێ	الاختصاصيون المساعدون في العلوم والهندسة
311	Physical and engineering science technicians	تەکنیکارانی زانستە سروشتی و ئەندازیارییەکان	تەکنیکارێن زانستێن سروشتی و ئەندازیاریێ	فنيو العلوم الفيزيائية والهندسية
3112	Civil engineering technicians	تەکنیکارانی ئەندازیاری شارستانی	تەکنیکارێن ئەندازیاریا شارستانی	فنيو الهندسة المدنية
3113	Electrical engineering technicians	تەکنیکارانی ئەندازیاری کارەبا	تەکنیکارێن ئەندازیاریا کارەبێ	فنيو الهندسة الكهربائية
312	Mining, manufacturing and construction supervisors	سەرپەرشتیارانی کانزا، پیشەسازی و بیناسازی	سەرپەرشتیارێن کانزایان، پیشەسازیێ و ئاڤاکرنێ	مشرفو التعدين والصناعة والبناء
313	Process control technicians	تەکنیکارانی کۆنتڕۆڵی پرۆسە	تەکنیکارێن کۆنترۆلا پرۆسێ	فنيو مراقبة العمليات
314	Life science technicians and related associate professionals	تەکنیکارانی زانستەکانی ژیان و یاریدەدەرانی پەیوەندیدار	تەکنیکارێن زانستێن ژیانێ و هاریکارێن گرێدای	فنيو علوم الحياة والاختصاصيون المساعدون ذوو الصلة
315	Ship and aircraft controllers and technicians	کۆنتڕۆڵکەران و تەکنیکارانی کەشتی و فڕۆکە	کۆنترۆلکەر و تەکنیکارێن گەمی و فرۆکەیان	مراقبو وفنيو السفن والطائرات
32	Health associate professionals	یاریدەدەرانی پسپۆڕی تەندروستی	هاریکارێن پسپۆرێن ساخلەمیێ	الاختصاصيون المساعدون في الصحة
321	Medical and pharmaceutical technicians	تەکنیکارانی پزیشکی و دەرمانسازی	تەکنیکارێن نوژداریێ و دەرمانسازیێ	الفنيون الطبيون والصيدلانيون
322	Nursing and midwifery associate professionals	پەرستاران و مامانە یاریدەدەرەکان	پەرستار و مامانێن هاریکار	مساعدو التمريض والقبالة
3221	Nursing associate professionals	پەرستاران (یاریدەدەری پسپۆڕ)	پەرستار (هاریکارێن پسپۆر)	ممرضون (اختصاصيون مساعدون)
323	Traditional and complementary medicine associate professionals	یاریدەدەرانی پزیشکی نەریتی و تەواوکەر	هاریکارێن نوژداریا کەڤنەشۆپ و تەمامکەر	مساعدو الطب التقليدي والتكميلي
324	Veterinary technicians and assistants	تەکنیکاران و یاریدەدەرانی پزیشکی ئاژەڵ	تەکنیکار و هاریکارێن نوژداریا ئاژەلان	فنيو ومساعدو الطب البيطري
325	Other health associate professionals	یاریدەدەرانی تری پسپۆڕی تەندروستی	هاریکارێن دی یێن پسپۆرێن ساخلەمیێ	اختصاصيون مساعدون آخرون في الصحة
33	Business and administration associate professionals	یاریدەدەرانی پسپۆڕی بازرگانی و کارگێڕی	هاریکارێن پسپۆرێن بازرگانیێ و کارگێریێ	الاختصاصيون المساعدون في الأعمال والإدارة
331	Financial and mathematical associate professionals	یاریدەدەرانی پسپۆڕی دارایی و بیرکاری	هاریکارێن پسپۆرێن دارایی و بیرکاریێ	الاختصاصيون المساعدون في المالية والرياضيات
3313	Accounting associate professionals	یاریدەدەرانی ژمێریاری	هاریکارێن ژمێریاریێ	مساعدو المحاسبة
332	Sales and purchasing agents and brokers	بریکارانی فرۆشتن و کڕین و دەلالان	بریکارێن فرۆتن و کڕینێ و دەلال	وكلاء وسماسرة البيع والشراء
333	Business services agents	بریکارانی خزمەتگوزاری بازرگانی	بریکارێن خزمەتگوزاریێن بازرگانی	وكلاء خدمات الأعمال
334	Administrative and specialised secretaries	سکرتێرانی کارگێڕی و پسپۆڕ	سکرتێرێن کارگێری و پسپۆر	السكرتيرون الإداريون والمتخصصون
335	Regulatory government associate professionals	یاریدەدەرانی پسپۆڕی ڕێکخستنی حکومی	هاریکارێن پسپۆرێن رێکخستنا حکومی	الاختصاصيون المساعدون في الأجهزة الحكومية الرقابية
34	Legal, social, cultural and related associate professionals	یاریدەدەرانی پسپۆڕی یاسایی، کۆمەڵایەتی و کولتووری	هاریکارێن پسپۆرێن یاسایی، جڤاکی و کولتووری	الاختصاصيون المساعدون القانونيون والاجتماعيون والثقافيون
341	Legal, social and religious associate professionals	یاریدەدەرانی پسپۆڕی یاسایی، کۆمەڵایەتی و ئایینی	هاریکارێن پسپۆرێن یاسایی، جڤاکی و ئایینی	الاختصاصيون المساعدون القانونيون والاجتماعيون والدينيون
342	Sports and fitness workers	کارمەندانی وەرزش و لەشجوانی	کارمەندێن وەرزشێ و لەشجوانیێ	العاملون في الرياضة واللياقة البدنية
343	Artistic, cultural and culinary associate professionals	یاریدەدەرانی پسپۆڕی هونەری، کولتووری و چێشتلێنان	هاریکارێن پسپۆرێن هونەری، کولتووری و چێکرنا خوارنێ	الاختصاصيون المساعدون في الفنون والثقافة والطهي
3434	Chefs	سەرئاشپەزان	سەرئاشپێژ	رؤساء الطهاة
35	Information and communications technicians	تەکنیکارانی زانیاری و پەیوەندییەکان	تەکنیکارێن زانیاری و پەیوەندیان	فنيو المعلومات والاتصالات
351	Information and communications technology operations and user support technicians	تەکنیکارانی کارپێکردن و پشتگیری بەکارهێنەرانی تەکنەلۆجیای زانیاری	تەکنیکارێن کارپێکرن و پشتەڤانیا بکارهێنەرێن تەکنەلۆژیا زانیاری	فنيو تشغيل تكنولوجيا المعلومات والاتصالات ودعم المستخدمين
3512	Information and communications technology user support technicians	تەکنیکارانی پشتگیری بەکارهێنەرانی کۆمپیوتەر	تەکنیکارێن پشتەڤانیا بکارهێنەرێن کۆمپیوتەری	فنيو دعم مستخدمي تكنولوجيا المعلومات والاتصالات
352	Telecommunications and broadcasting technicians	تەکنیکارانی گەیاندن و پەخش	تەکنیکارێن گەهاندنێ و وەشانێ	فنيو الاتصالات السلكية واللاسلكية والبث
4	Clerical support workers	فەرمانبەرانی نووسینگە	فەرمانبەرێن نڤیسینگەهێ	العاملون في الدعم المكتبي
41	General and keyboard clerks	فەرمانبەرانی گشتی و تایپکەران	فەرمانبەرێن گشتی و تایپکەر	الكتبة العامون ومشغلو لوحات المفاتيح
411	General office clerks	فەرمانبەرانی گشتی نووسینگە	فەرمانبەرێن گشتی یێن نڤیسینگەهێ	كتبة المكاتب العامون
4110	General office clerks	فەرمانبەرانی گشتی نووسینگە	فەرمانبەرێن گشتی یێن نڤیسینگەهێ	كتبة المكاتب العامون
412	Secretaries (general)	سکرتێران (گشتی)	سکرتێر (گشتی)	السكرتيرون (عام)
413	Keyboard operators	تایپکەران و داخڵکەرانی داتا	تایپکەر و تێخستنکەرێن داتایان	مشغلو لوحات المفاتيح
42	Customer services clerks	فەرمانبەرانی خزمەتگوزاری کڕیاران	فەرمانبەرێن خزمەتگوزاریا کڕیاران	كتبة خدمة العملاء
421	Tellers, money collectors and related clerks	سندووقداران، کۆکەرەوانی پارە و فەرمانبەرانی پەیوەندیدار	سندوقدار، کۆمکەرێن پارەی و فەرمانبەرێن گرێدای	الصرافون وجامعو الأموال والكتبة ذوو الصلة
422	Client information workers	کارمەندانی زانیاری کڕیاران	کارمەندێن زانیاریێن کڕیاران	العاملون في معلومات العملاء
4224	Hotel receptionists	پێشوازیکارانی هوتێل	پێشوازیکەرێن هوتێلێ	موظفو الاستقبال في الفنادق
4226	Receptionists (general)	پێشوازیکاران (گشتی)	پێشوازیکەر (گشتی)	موظفو الاستقبال (عام)
43	Numerical and material recording clerks	فەرمانبەرانی تۆمارکردنی ژمارە و کەرەستە	فەرمانبەرێن تۆمارکرنا هژماران و کەرەستەیان	كتبة تسجيل الأرقام والمواد
431	Numerical clerks	فەرمانبەرانی ژمارە	فەرمانبەرێن هژماران	الكتبة الرقميون
4311	Accounting and bookkeeping clerks	فەرمانبەرانی ژمێریاری و دەفتەرداری	فەرمانبەرێن ژمێریاریێ و دەفتەرداریێ	كتبة المحاسبة ومسك الدفاتر
432	Material-recording and transport clerks	فەرمانبەرانی تۆمارکردنی کەرەستە و گواستنەوە	فەرمانبەرێن تۆمارکرنا کەرەستەیان و ڤەگوهاستنێ	كتبة تسجيل المواد والنقل
4321	Stock clerks	فەرمانبەرانی کۆگا	فەرمانبەرێن کۆگەهێ	كتبة المخازن
44	Other clerical support workers	فەرمانبەرانی تری نووسینگە	فەرمانبەرێن دی یێن نڤیسینگەهێ	عاملون آخرون في الدعم المكتبي
441	Other clerical support workers	فەرمانبەرانی تری نووسینگە	فەرمانبەرێن دی یێن نڤیسینگەهێ	عاملون آخرون في الدعم المكتبي
5	Service and sales workers	کارمەندانی خزمەتگوزاری و فرۆشتن	کارمەندێن خزمەتگوزاریێ و فرۆتنێ	العاملون في الخدمات والمبيعات
51	Personal service workers	کارمەندانی خزمەتگوزاری کەسی	کارمەندێن خزمەتگوزاریێن کەسی	العاملون في الخدمات الشخصية
511	Travel attendants, conductors and guides	خزمەتکارانی گەشت، بلیتبڕان و ڕێنیشاندەران	خزمەتکارێن گەشتێ، بلیتکەر و رێنیشاندەر	مضيفو السفر والمحصلون والمرشدون
512	Cooks	ئاشپەزان	ئاشپێژ	الطهاة
5120	Cooks	ئاشپەزان	ئاشپێژ	الطهاة
513	Waiters and bartenders	گارسۆن و خزمەتکارانی خواردنەوە	گارسۆن و خزمەتکارێن ڤەخوارنێ	النُّدُل وعمال تقديم المشروبات
5131	Waiters	گارسۆنەکان	گارسۆن	النُّدُل
514	Hairdressers, beauticians and related workers	سەرتاشان، جوانکاران و کارمەندانی پەیوەندیدار	سەرتاش، جوانکەر و کارمەندێن گرێدای	مصففو الشعر وأخصائيو التجميل والعاملون ذوو الصلة
5141	Hairdressers	سەرتاشان و قژڕێکخەران	سەرتاش و پرچچێکەر	الحلاقون ومصففو الشعر
5142	Beauticians and related workers	جوانکاران و کارمەندانی پەیوەندیدار	جوانکەر و کارمەندێن گرێدای	أخصائيو التجميل والعاملون ذوو الصلة
515	Building and housekeeping supervisors	سەرپەرشتیارانی بینا و خانەداری	سەرپەرشتیارێن ئاڤاهیان و مالداریێ	مشرفو المباني والتدبير المنزلي
516	Other personal services workers	کارمەندانی تری خزمەتگوزاری کەسی	کارمەندێن دی یێن خزمەتگوزاریێن کەسی	عاملون آخرون في الخدمات الشخصية
52	Sales workers	فرۆشیاران	فرۆشکار	العاملون في المبيعات
521	Street and market salespersons	فرۆشیارانی شەقام و بازاڕ	فرۆشکارێن جادێ و بازاری	البائعون في الشوارع والأسواق
522	Shop salespersons	فرۆشیارانی دوکان	فرۆشکارێن دوکانان	البائعون في المحلات
5221	Shop keepers	دوکاندارەکان	دوکاندار	أصحاب المحلات
5223	Shop sales assistants	یاریدەدەرانی فرۆشتن لە دوکان	هاریکارێن فرۆتنێ د دوکانان دا	مساعدو البيع في المحلات
523	Cashiers and ticket clerks	کاشێران و فرۆشیارانی بلیت	کاشێر و فرۆشکارێن بلیتان	أمناء الصناديق وبائعو التذاكر
5230	Cashiers and ticket clerks	کاشێران و فرۆشیارانی بلیت	کاشێر و فرۆشکارێن بلیتان	أمناء الصناديق وبائعو التذاكر
524	Other sales workers	فرۆشیارانی تر	فرۆشکارێن دی	عاملون آخرون في المبيعات
53	Personal care workers	کارمەندانی چاودێری کەسی	کارمەندێن چاڤدێریا کەسی	العاملون في الرعاية الشخصية
531	Child care workers and teachers' aides	چاودێرانی منداڵ و یاریدەدەرانی مامۆستا	چاڤدێرێن زارۆکان و هاریکارێن مامۆستایان	العاملون في رعاية الأطفال ومساعدو المعلمين
5311	Child care workers	چاودێرانی منداڵ	چاڤدێرێن زارۆکان	العاملون في رعاية الأطفال
532	Personal care workers in health services	کارمەندانی چاودێری کەسی لە خزمەتگوزاری تەندروستیدا	کارمەندێن چاڤدێریا کەسی د خزمەتگوزاریێن ساخلەمیێ دا	العاملون في الرعاية الشخصية في الخدمات الصحية
5321	Health care assistants	یاریدەدەرانی چاودێری تەندروستی	هاریکارێن چاڤدێریا ساخلەمیێ	مساعدو الرعاية الصحية
54	Protective services workers	کارمەندانی خزمەتگوزاری پاراستن	کارمەندێن خزمەتگوزاریێن پاراستنێ	العاملون في خدمات الحماية
541	Protective services workers	کارمەندانی خزمەتگوزاری پاراستن	کارمەندێن خزمەتگوزاریێن پاراستنێ	العاملون في خدمات الحماية
5414	Security guards	پاسەوانانی ئاسایش	پاسەڤانێن ئاسایشێ	حراس الأمن
6	Skilled agricultural, forestry and fishery workers	کارمەندانی شارەزای کشتوکاڵ، دارستان و ماسیگرتن	کارمەندێن شارەزا د چاندن، دارستان و ماسیگرتنێ دا	العمال المهرة في الزراعة والحراجة وصيد الأسماك
61	Market-oriented skilled agricultural workers	کشتیارانی شارەزا بۆ بازاڕ	جوتیارێن شارەزا بۆ بازاری	العمال الزراعيون المهرة المنتجون للسوق
611	Market gardeners and crop growers	باخەوانان و چاندنکارانی بەروبووم	باخەڤان و چاندنکارێن بەرهەمان	البستانيون ومزارعو المحاصيل
6111	Field crop and vegetable growers	چاندنکارانی بەروبوومی کێڵگە و سەوزە	چاندنکارێن بەرهەمێن زەڤیان و سەوزەیان	مزارعو المحاصيل الحقلية والخضروات
6112	Tree and shrub crop growers	چاندنکارانی دار و درەختی بەردار	چاندنکارێن دار و بەرهەمێن داران	مزارعو الأشجار والشجيرات المثمرة
612	Animal producers	بەخێوکەرانی ئاژەڵ	خودانکەرێن ئاژەلان	منتجو الحيوانات
6121	Livestock and dairy producers	بەخێوکەرانی ماڵات و بەرهەمهێنەرانی شیر	خودانکەرێن پەز و دەوار و بەرهەمئینەرێن شیری	منتجو الماشية والألبان
6122	Poultry producers	بەخێوکەرانی پەلەوەر	خودانکەرێن پەلەوەران	منتجو الدواجن
613	Mixed crop and animal producers	بەرهەمهێنەرانی تێکەڵی کشتوکاڵ و ئاژەڵداری	بەرهەمئینەرێن تێکەل یێن چاندنێ و ئاژەلداریێ	منتجو المحاصيل والحيوانات المختلطة
62	Market-oriented skilled forestry, fishery and hunting workers	کارمەندانی شارەزای دارستان، ماسیگرتن و ڕاو بۆ بازاڕ	کارمەندێن شارەزا د دارستان، ماسیگرتن و نێچیرێ دا بۆ بازاری	العمال المهرة في الحراجة وصيد الأسماك والقنص المنتجون للسوق
621	Forestry and related workers	کارمەندانی دارستان و کاری پەیوەندیدار	کارمەندێن دارستانێ و کارێن گرێدای	العاملون في الحراجة والأعمال ذات الصلة
622	Fishery workers, hunters and trappers	ماسیگران و ڕاوچییان	ماسیگر و نێچیرڤان	صيادو الأسماك والقناصون ونصابو الفخاخ
63	Subsistence farmers, fishers, hunters and gatherers	کشتیاران، ماسیگران و ڕاوچییانی بژێوی خۆ	جوتیار، ماسیگر و نێچیرڤانێن بۆ بژیوا خۆ	المزارعون والصيادون وجامعو الثمار لأغراض المعيشة
631	Subsistence crop farmers	کشتیارانی بژێوی خۆ	جوتیارێن بۆ بژیوا خۆ	مزارعو المحاصيل لأغراض المعيشة
632	Subsistence livestock farmers	ئاژەڵدارانی بژێوی خۆ	ئاژەلدارێن بۆ بژیوا خۆ	مربو الماشية لأغراض المعيشة
633	Subsistence mixed crop and livestock farmers	کشتیاران و ئاژەڵدارانی بژێوی خۆ	جوتیار و ئاژەلدارێن بۆ بژیوا خۆ	مزارعو المحاصيل ومربو الماشية لأغراض المعيشة
634	Subsistence fishers, hunters, trappers and gatherers	ماسیگران، ڕاوچییان و کۆکەرەوانی بژێوی خۆ	ماسیگر، نێچیرڤان و کۆمکەرێن بۆ بژیوا خۆ	الصيادون وجامعو الثمار لأغراض المعيشة
7	Craft and related trades workers	کارمەندانی پیشە دەستییەکان و پیشە پەیوەندیدارەکان	کارمەندێن پیشەیێن دەستی و پیشەیێن گرێدای	العاملون في الحرف والمهن ذات الصلة
71	Building and related trades workers, excluding electricians	کارمەندانی بیناسازی و پیشە پەیوەندیدارەکان (جگە لە کارەباچی)	کارمەندێن ئاڤاکرنێ و پیشەیێن گرێدای (ژبلی کارەباچیان)	عمال البناء والحرف ذات الصلة (باستثناء الكهربائيين)
711	Building frame and related trades workers	کارمەندانی چوارچێوەی بینا و پیشە پەیوەندیدارەکان	کارمەندێن چارچووڤێ ئاڤاهیان و پیشەیێن گرێدای	عمال الهياكل الإنشائية والحرف ذات الصلة
7111	House builders	خانووسازان	خانیساز	بناؤو المنازل
7112	Bricklayers and related workers	وەستای خشت و بلۆک	وەستایێن خشت و بلۆکان	عمال البناء بالطابوق والعاملون ذوو الصلة
7113	Stonemasons, stone cutters, splitters and carvers	وەستای بەرد و بەردتاشان	وەستایێن بەردی و بەردتراش	البناؤون بالحجر وقاطعو الحجارة ونحاتوها
7114	Concrete placers, concrete finishers and related workers	کارمەندانی کۆنکرێت (چیمەنتۆ)	کارمەندێن کۆنکرێتی (چیمەنتۆ)	عمال صب الخرسانة وتشطيبها والعاملون ذوو الصلة
7115	Carpenters and joiners	دارتاشان	دارتراش	النجارون
7119	Building frame and related trades workers not elsewhere classified	کارمەندانی تری چوارچێوەی بینا	کارمەندێن دی یێن چارچووڤێ ئاڤاهیان	عمال الهياكل الإنشائية الآخرون غير المصنفين في موضع آخر
712	Building finishers and related trades workers	کارمەندانی تەواوکاری بینا و پیشە پەیوەندیدارەکان	کارمەندێن تەمامکرنا ئاڤاهیان و پیشەیێن گرێدای	عمال تشطيب المباني والحرف ذات الصلة
7121	Roofers	وەستای سەربان	وەستایێن سەربانان	عمال الأسقف
7122	Floor layers and tile setters	وەستای کاشی و زەوی	وەستایێن کاشیان و ئەردی	عمال الأرضيات والبلاط
7123	Plasterers	وەستای گەچ و لەبخ	وەستایێن گەچی و سواخێ	عمال اللياسة (الجص)
7124	Insulation workers	کارمەندانی عازل	کارمەندێن عازلێ	عمال العزل
7125	Glaziers	وەستای شووشە	وەستایێن شیشەی	عمال الزجاج
7126	Plumbers and pipe fitters	بۆرییچییان (سەباک)	بۆریچی (سەباک)	السباكون ومركبو الأنابيب
7127	Air conditioning and refrigeration mechanics	وەستای فێنککەرەوە و سەلاجە	وەستایێن سارکەر و بەفرگران	ميكانيكيو التكييف والتبريد
713	Painters, building structure cleaners and related trades workers	بۆیاخچییان، پاککەرەوانی بینا و پیشە پەیوەندیدارەکان	بۆیاخچی، پاقژکەرێن ئاڤاهیان و پیشەیێن گرێدای	عمال الطلاء وتنظيف المباني والحرف ذات الصلة
7131	Painters and related workers	بۆیاخچییان و کارمەندانی پەیوەندیدار	بۆیاخچی و کارمەندێن گرێدای	عمال الطلاء (الصباغون) والعاملون ذوو الصلة
72	Metal, machinery and related trades workers	کارمەندانی کانزا، ئامێر و پیشە پەیوەندیدارەکان	کارمەندێن ئاسنی، ئامێران و پیشەیێن گرێدای	عمال المعادن والآلات والحرف ذات الصلة
721	Sheet and structural metal workers, moulders and welders, and related workers	کارمەندانی پەڕە و پێکهاتەی ئاسن، قاڵبڕێژان و لەحیمچییان	کارمەندێن تەنەکە و پێکهاتێن ئاسنی، قالبرێژ و لەحیمچی	عمال الصفائح والهياكل المعدنية والقوالب واللحامون
7212	Welders and flamecutters	لەحیمچییان و بڕەرانی ئاسن بە گڕ	لەحیمچی و بڕەرێن ئاسنی ب ئاگری	اللحامون وقاطعو المعادن باللهب
7213	Sheet-metal workers	کارمەندانی تەنەکە (پەڕەی ئاسن)	کارمەندێن تەنەکەی	عمال الصفائح المعدنية
7214	Structural-metal preparers and erectors	ئامادەکەران و دامەزرێنەرانی پێکهاتەی ئاسن	ئامادەکەر و دانەرێن پێکهاتێن ئاسنی	مجهزو ومركبو الهياكل المعدنية
722	Blacksmiths, toolmakers and related trades workers	ئاسنگەران، ئامرازسازان و پیشە پەیوەندیدارەکان	ئاسنگەر، ئامرازچێکەر و پیشەیێن گرێدای	الحدادون وصانعو العدد والحرف ذات الصلة
723	Machinery mechanics and repairers	میکانیکی و چاککەرەوانی ئامێر	میکانیکی و چێکەرێن ئامێران	ميكانيكيو ومصلحو الآلات
7231	Motor vehicle mechanics and repairers	میکانیکی ئۆتۆمبێل	میکانیکیێن ترومبێلان	ميكانيكيو ومصلحو المركبات
7233	Agricultural and industrial machinery mechanics and repairers	میکانیکی ئامێری کشتوکاڵی و پیشەسازی	میکانیکیێن ئامێرێن چاندنێ و پیشەسازیێ	ميكانيكيو الآلات الزراعية والصناعية
73	Handicraft and printing workers	کارمەندانی دەستکرد و چاپ	کارمەندێن دەستکرد و چاپێ	عمال الحرف اليدوية والطباعة
731	Handicraft workers	کارمەندانی دەستکرد	کارمەندێن دەستکرد	عمال الحرف اليدوية
732	Printing trades workers	کارمەندانی چاپ	کارمەندێن چاپێ	عمال الطباعة
74	Electrical and electronic trades workers	کارمەندانی کارەبا و ئەلیکترۆنیات	کارمەندێن کارەبێ و ئەلەکترۆنیاتێ	عمال الكهرباء والإلكترونيات
741	Electrical equipment installers and repairers	دامەزرێنەران و چاککەرەوانی ئامێری کارەبایی	دانەر و چێکەرێن ئامێرێن کارەبێ	مركبو ومصلحو المعدات الكهربائية
7411	Building and related electricians	کارەباچییانی بینا	کارەباچیێن ئاڤاهیان	كهربائيو المباني والكهربائيون ذوو الصلة
7412	Electrical mechanics and fitters	میکانیکی و دامەزرێنەرانی کارەبا	میکانیکی و دانەرێن کارەبێ	الميكانيكيون والمركبون الكهربائيون
7413	Electrical line installers and repairers	دامەزرێنەران و چاککەرەوانی هێڵی کارەبا	دانەر و چێکەرێن هێلێن کارەبێ	مركبو ومصلحو خطوط الكهرباء
742	Electronics and telecommunications installers and repairers	دامەزرێنەران و چاککەرەوانی ئەلیکترۆنیات و گەیاندن	دانەر و چێکەرێن ئەلەکترۆنیاتێ و گەهاندنێ	مركبو ومصلحو الإلكترونيات والاتصالات
7421	Electronics mechanics and servicers	چاککەرەوانی ئامێری ئەلیکترۆنی	چێکەرێن ئامێرێن ئەلەکترۆنی	ميكانيكيو ومصلحو الأجهزة الإلكترونية
7422	Information and communications technology installers and servicers	دامەزرێنەران و چاککەرەوانی کۆمپیوتەر و تۆڕ	دانەر و چێکەرێن کۆمپیوتەر و تۆران	مركبو ومصلحو معدات تكنولوجيا المعلومات والاتصالات
75	Food processing, wood working, garment and other craft and related trades workers	کارمەندانی ئامادەکردنی خۆراک، دارکاری، جلوبەرگ و پیشەکانی تر	کارمەندێن ئامادەکرنا خوارنێ، دارکاریێ، جل و بەرگان و پیشەیێن دی	عمال تجهيز الأغذية والنجارة والملابس والحرف الأخرى
751	Food processing and related trades workers	کارمەندانی ئامادەکردنی خۆراک و پیشە پەیوەندیدارەکان	کارمەندێن ئامادەکرنا خوارنێ و پیشەیێن گرێدای	عمال تجهيز الأغذية والحرف ذات الصلة
7512	Bakers, pastry-cooks and confectionery makers	نانەوایان، شیرینیپەزان و شیرینیسازان	نانپێژ، شرینیپێژ و شرینیچێکەر	الخبازون وصانعو المعجنات والحلويات
752	Wood treaters, cabinet-makers and related trades workers	دارکاران، کابینەسازان و پیشە پەیوەندیدارەکان	دارکار، دۆلابچێکەر و پیشەیێن گرێدای	معالجو الخشب وصانعو الأثاث والحرف ذات الصلة
7522	Cabinet-makers and related workers	کابینەساز و دارتاشی کەلوپەل	دۆلابچێکەر و دارترشێن کەل و پەلان	صانعو الأثاث الخشبي والعاملون ذوو الصلة
753	Garment and related trades workers	کارمەندانی جلوبەرگ و پیشە پەیوەندیدارەکان	کارمەندێن جل و بەرگان و پیشەیێن گرێدای	عمال الملابس والحرف ذات الصلة
7531	Tailors, dressmakers, furriers and hatters	بەرگدروان، جلدروانی ئافرەتان، پێستەکاران و کڵاودروان	بەرگدرو، جلدرویێن ژنان، پێستکار و کولاڤچێکەر	الخياطون وصانعو الملابس والفراء والقبعات
7533	Sewing, embroidery and related workers	کارمەندانی دروومان و چنین	کارمەندێن دروونێ و چنینێ	عمال الخياطة والتطريز والعاملون ذوو الصلة
754	Other craft and related workers	کارمەندانی تری پیشە دەستییەکان	کارمەندێن دی یێن پیشەیێن دەستی	عمال حرف آخرون
8	Plant and machine operators, and assemblers	کارپێکەرانی ئامێر و کارگە و کۆکەرەوان	کارپێکەرێن ئامێران و کارگەهان و کۆمکەر	مشغلو المصانع والآلات والمجمِّعون
81	Stationary plant and machine operators	کارپێکەرانی ئامێر و کارگەی جێگیر	کارپێکەرێن ئامێر و کارگەهێن جهگرتی	مشغلو المصانع والآلات الثابتة
811	Mining and mineral processing plant operators	کارپێکەرانی کارگەی کانزا و پرۆسێسکردنی کانزا	کارپێکەرێن کارگەهێن کانزایان	مشغلو مصانع التعدين ومعالجة المعادن
812	Metal processing and finishing plant operators	کارپێکەرانی کارگەی پرۆسێس و تەواوکردنی ئاسن	کارپێکەرێن کارگەهێن چێکرن و تەمامکرنا ئاسنی	مشغلو مصانع معالجة وتشطيب المعادن
813	Chemical and photographic products plant and machine operators	کارپێکەرانی ئامێری بەرهەمی کیمیایی و وێنەگری	کارپێکەرێن ئامێرێن بەرهەمێن کیمیایی و وێنەگرتنێ	مشغلو مصانع وآلات المنتجات الكيميائية والفوتوغرافية
814	Rubber, plastic and paper products machine operators	کارپێکەرانی ئامێری بەرهەمی لاستیک، پلاستیک و کاغەز	کارپێکەرێن ئامێرێن بەرهەمێن لاستیک، پلاستیک و کاغەزی	مشغلو آلات منتجات المطاط والبلاستيك والورق
815	Textile, fur and leather products machine operators	کارپێکەرانی ئامێری چنین، پێست و کەوڵ	کارپێکەرێن ئامێرێن چنینێ، پێستی و کەولان	مشغلو آلات منتجات النسيج والفراء والجلود
816	Food and related products machine operators	کارپێکەرانی ئامێری بەرهەمی خۆراک	کارپێکەرێن ئامێرێن بەرهەمێن خوارنێ	مشغلو آلات المنتجات الغذائية وما يتصل بها
817	Wood processing and papermaking plant operators	کارپێکەرانی کارگەی دار و کاغەزسازی	کارپێکەرێن کارگەهێن داری و چێکرنا کاغەزی	مشغلو مصانع معالجة الخشب وصناعة الورق
818	Other stationary plant and machine operators	کارپێکەرانی تری ئامێر و کارگەی جێگیر	کارپێکەرێن دی یێن ئامێر و کارگەهێن جهگرتی	مشغلو مصانع وآلات ثابتة أخرى
82	Assemblers	کۆکەرەوانی بەرهەم	کۆمکەرێن بەرهەمان	المجمِّعون
821	Assemblers	کۆکەرەوانی بەرهەم	کۆمکەرێن بەرهەمان	المجمِّعون
83	Drivers and mobile plant operators	شۆفێران و کارپێکەرانی ئامێری گەڕۆک	شوفێر و کارپێکەرێن ئامێرێن گەڕۆک	السائقون ومشغلو المعدات المتنقلة
831	Locomotive engine drivers and related workers	شۆفێرانی شەمەندەفەر و کارمەندانی پەیوەندیدار	شوفێرێن شەمەندەفەران و کارمەندێن گرێدای	سائقو القاطرات والعاملون ذوو الصلة
832	Car, van and motorcycle drivers	شۆفێرانی ئۆتۆمبێل، ڤان و ماتۆڕ	شوفێرێن ترومبێل، ڤان و ماتۆڕان	سائقو السيارات والشاحنات الصغيرة والدراجات النارية
8322	Car, taxi and van drivers	شۆفێرانی ئۆتۆمبێل، تەکسی و ڤان	شوفێرێن ترومبێل، تەکسی و ڤانان	سائقو السيارات وسيارات الأجرة والشاحنات الصغيرة
833	Heavy truck and bus drivers	شۆفێرانی بارهەڵگری قورس و پاس	شوفێرێن بارهەلگرێن گران و پاسان	سائقو الشاحنات الثقيلة والحافلات
8331	Bus and tram drivers	شۆفێرانی پاس	شوفێرێن پاسان	سائقو الحافلات والترام
8332	Heavy truck and lorry drivers	شۆفێرانی بارهەڵگری قورس (لۆری)	شوفێرێن بارهەلگرێن گران (لۆری)	سائقو الشاحنات الثقيلة (اللوري)
834	Mobile plant operators	کارپێکەرانی ئامێری گەڕۆک (شۆفڵ و کرێن)	کارپێکەرێن ئامێرێن گەڕۆک (شۆفل و کرێن)	مشغلو المعدات المتنقلة (الشفل والرافعات)
8342	Earthmoving and related plant operators	کارپێکەرانی ئامێری هەڵکەندن و خۆڵگواستنەوە	کارپێکەرێن ئامێرێن کۆلانێ و ڤەگوهاستنا ئاخێ	مشغلو معدات تحريك التربة والمعدات ذات الصلة
8343	Crane, hoist and related plant operators	کارپێکەرانی کرێن و بەرزکەرەوە	کارپێکەرێن کرێن و بلندکەران	مشغلو الرافعات والمعدات ذات الصلة
8344	Lifting truck operators	کارپێکەرانی فۆرکلیفت	کارپێکەرێن فۆرکلیفتێ	مشغلو الرافعات الشوكية
835	Ships' deck crews and related workers	کارمەندانی سەر کەشتی	کارمەندێن سەر گەمیێ	طواقم سطح السفن والعاملون ذوو الصلة
9	Elementary occupations	کارە سادەکان	کارێن سادە	المهن الأولية
91	Cleaners and helpers	پاککەرەوان و یاریدەدەران	پاقژکەر و هاریکار	عمال النظافة والمساعدون
911	Domestic, hotel and office cleaners and helpers	پاککەرەوان و یاریدەدەرانی ماڵ، هوتێل و نووسینگە	پاقژکەر و هاریکارێن مالان، هوتێلان و نڤیسینگەهان	عمال النظافة والمساعدون في المنازل والفنادق والمكاتب
9112	Cleaners and helpers in offices, hotels and other establishments	پاککەرەوان لە نووسینگە، هوتێل و شوێنەکانی تر	پاقژکەر د نڤیسینگەه، هوتێل و جهێن دی دا	عمال النظافة في المكاتب والفنادق والمنشآت الأخرى
912	Vehicle, window, laundry and other hand cleaning workers	شۆرەرانی ئۆتۆمبێل، پەنجەرە، جل و پاککردنەوەی دەستی	شۆشتەڤانێن ترومبێلان، پەنجەران، جلان و پاقژکرنا دەستی	عمال غسل المركبات والنوافذ والملابس والتنظيف اليدوي
92	Agricultural, forestry and fishery labourers	کرێکارانی کشتوکاڵ، دارستان و ماسیگرتن	کرێکارێن چاندنێ، دارستانێ و ماسیگرتنێ	عمال الزراعة والحراجة وصيد الأسماك
921	Agricultural, forestry and fishery labourers	کرێکارانی کشتوکاڵ، دارستان و ماسیگرتن	کرێکارێن چاندنێ، دارستانێ و ماسیگرتنێ	عمال الزراعة والحراجة وصيد الأسماك
9211	Crop farm labourers	کرێکارانی کێڵگە	کرێکارێن زەڤیان	عمال المزارع
93	Labourers in mining, construction, manufacturing and transport	کرێکارانی کانزا، بیناسازی، پیشەسازی و گواستنەوە	کرێکارێن کانزایان، ئاڤاکرنێ، پیشەسازیێ و ڤەگوهاستنێ	عمال التعدين والبناء والصناعة والنقل
931	Mining and construction labourers	کرێکارانی کانزا و بیناسازی	کرێکارێن کانزایان و ئاڤاکرنێ	عمال التعدين والبناء
9313	Building construction labourers	کرێکارانی بیناسازی	کرێکارێن ئاڤاکرنێ	عمال بناء المباني
932	Manufacturing labourers	کرێکارانی پیشەسازی	کرێکارێن پیشەسازیێ	عمال الصناعة
9321	Hand packers	پێچەرانی دەستی	پێچەرێن دەستی	عمال التعبئة اليدوية
933	Transport and storage labourers	کرێکارانی گواستنەوە و کۆگا	کرێکارێن ڤەگوهاستنێ و کۆگەهان	عمال النقل والتخزين
9333	Freight handlers	حەماڵان و بارکەرانی کاڵا	حەمال و بارکەرێن کەلوپەلان	عمال مناولة البضائع (الحمّالون)
94	Food preparation assistants	یاریدەدەرانی ئامادەکردنی خواردن	هاریکارێن ئامادەکرنا خوارنێ	مساعدو إعداد الطعام
941	Food preparation assistants	یاریدەدەرانی ئامادەکردنی خواردن	هاریکارێن ئامادەکرنا خوارنێ	مساعدو إعداد الطعام
9412	Kitchen helpers	یاریدەدەرانی چێشتخانە	هاریکارێن مەتبەخێ	مساعدو المطبخ
95	Street and related sales and service workers	کارمەندانی فرۆشتن و خزمەتگوزاری شەقام	کارمەندێن فرۆتن و خزمەتگوزاریا جادێ	العاملون في البيع والخدمات في الشوارع
951	Street and related service workers	کارمەندانی خزمەتگوزاری شەقام	کارمەندێن خزمەتگوزاریا جادێ	العاملون في خدمات الشوارع
952	Street vendors (excluding food)	فرۆشیارانی گەڕۆکی شەقام (جگە لە خواردن)	فرۆشکارێن گەڕۆک یێن جادێ (ژبلی خوارنێ)	الباعة المتجولون (باستثناء الأغذية)
96	Refuse workers and other elementary workers	کارمەندانی پاشماوە و کارە سادەکانی تر	کارمەندێن گەمارێ و کارێن سادە یێن دی	عمال جمع النفايات وعمال المهن الأولية الأخرى
961	Refuse workers	کارمەندانی پاشماوە	کارمەندێن گەمارێ	عمال جمع النفايات
962	Other elementary workers	کارمەندانی تری کارە سادەکان	کارمەندێن دی یێن کارێن سادە	عمال مهن أولية آخرون
9621	Messengers, package deliverers and luggage porters	نامەبەران، گەیەنەرانی پاکێت و حەماڵی جانتا	نامەبەر، گەهینەرێن پاکێتان و حەمالێن جانتایان	السعاة وموصلو الطرود وحمالو الأمتعة
$tsv$, E'\n') AS l, LATERAL string_to_array(l, E'\t') AS f
WHERE l <> '';

INSERT INTO vocabulary (code, grp, en, ckb, kmr, ar)
SELECT f[1], f[2], f[3], f[4], f[5], f[6]
FROM regexp_split_to_table($tsv$
drv_private	licence	Driving licence: private car	مۆڵەتی شۆفێری: ئۆتۆمبێلی تایبەت	مۆلەتا شوفێریێ: ترومبێلا تایبەت	إجازة سوق: سيارة خصوصي
drv_public	licence	Driving licence: taxi and public transport	مۆڵەتی شۆفێری: تەکسی و گواستنەوەی گشتی	مۆلەتا شوفێریێ: تەکسی و ڤەگوهاستنا گشتی	إجازة سوق: أجرة ونقل عام
drv_truck	licence	Driving licence: truck (heavy goods)	مۆڵەتی شۆفێری: بارهەڵگر (قورس)	مۆلەتا شوفێریێ: بارهەلگر (گران)	إجازة سوق: حمل (شاحنة ثقيلة)
drv_bus	licence	Driving licence: bus	مۆڵەتی شۆفێری: پاس	مۆلەتا شوفێریێ: پاس	إجازة سوق: حافلة
drv_moto	licence	Driving licence: motorcycle	مۆڵەتی شۆفێری: ماتۆڕ	مۆلەتا شوفێریێ: ماتۆڕ	إجازة سوق: دراجة نارية
drv_plant	licence	Licence for construction machinery (loader, excavator)	مۆڵەتی ئامێری بیناسازی (شۆفڵ، حەفارە)	مۆلەتا ئامێرێن ئاڤاکرنێ (شۆفل، حەفارە)	إجازة تشغيل آليات إنشائية (شفل، حفارة)
drv_forklift	licence	Forklift operator certificate	بڕوانامەی کارپێکردنی فۆرکلیفت	بڕوانامەیا کارپێکرنا فۆرکلیفتێ	شهادة تشغيل رافعة شوكية
drv_eu	licence	European driving licence	مۆڵەتی شۆفێری ئەوروپی	مۆلەتا شوفێریێ یا ئەورووپی	إجازة سوق أوروبية
cert_electric	certificate	Certificate in electrical installation	بڕوانامەی دامەزراندنی کارەبا	بڕوانامەیا دانانا کارەبێ	شهادة في التأسيسات الكهربائية
cert_welding	certificate	Welding certificate	بڕوانامەی لەحیمکردن	بڕوانامەیا لەحیمکرنێ	شهادة لحام
cert_plumbing	certificate	Plumbing certificate	بڕوانامەی بۆرییکاری (سەباکی)	بڕوانامەیا بۆریکاریێ (سەباکی)	شهادة سباكة
cert_hvac	certificate	Refrigeration and air conditioning certificate	بڕوانامەی سارکردنەوە و فێنککردنەوە	بڕوانامەیا سارکرن و فێنککرنێ	شهادة تبريد وتكييف
cert_auto	certificate	Vehicle mechanics certificate	بڕوانامەی میکانیکی ئۆتۆمبێل	بڕوانامەیا میکانیکیا ترومبێلان	شهادة ميكانيك سيارات
cert_carpentry	certificate	Carpentry certificate	بڕوانامەی دارتاشی	بڕوانامەیا دارتراشیێ	شهادة نجارة
cert_tailoring	certificate	Tailoring certificate	بڕوانامەی بەرگدروون	بڕوانامەیا بەرگدرووتنێ	شهادة خياطة
cert_hair	certificate	Hairdressing and beauty certificate	بڕوانامەی سەرتاشی و جوانکاری	بڕوانامەیا سەرتاشی و جوانکاریێ	شهادة حلاقة وتجميل
cert_cooking	certificate	Cooking and food hygiene certificate	بڕوانامەی چێشتلێنان و پاکوخاوێنی خواردن	بڕوانامەیا چێکرنا خوارنێ و پاقژیا خوارنێ	شهادة طبخ وسلامة غذائية
cert_firstaid	certificate	First aid certificate	بڕوانامەی فریاگوزاری سەرەتایی	بڕوانامەیا هاریکاریا سەرەتایی	شهادة إسعافات أولية
cert_safety	certificate	Occupational health and safety certificate	بڕوانامەی تەندروستی و سەلامەتی کار	بڕوانامەیا ساخلەمی و سەلامەتیا کاری	شهادة الصحة والسلامة المهنية
cert_solar	certificate	Solar panel installation certificate	بڕوانامەی دامەزراندنی پانێڵی خۆر	بڕوانامەیا دانانا پانێلێن رۆژێ	شهادة تركيب الألواح الشمسية
sw_office	software	Office software (Word, Excel)	نەرمەکاڵای نووسینگە (وۆرد، ئێکسڵ)	نەرمەکالایا نڤیسینگەهێ (وۆرد، ئێکسێل)	برامج المكتب (وورد، إكسل)
sw_accounting	software	Accounting software	نەرمەکاڵای ژمێریاری	نەرمەکالایا ژمێریاریێ	برامج المحاسبة
sw_cad	software	AutoCAD and technical drawing	ئۆتۆکاد و نەخشەکێشانی تەکنیکی	ئۆتۆکاد و نەخشەکێشانا تەکنیکی	أوتوكاد والرسم الهندسي
sw_design	software	Graphic design software	نەرمەکاڵای دیزاینی گرافیک	نەرمەکالایا دیزاینا گرافیکی	برامج التصميم الجرافيكي
sw_web	software	Web development	گەشەپێدانی وێب	پێشڤەبرنا وێبێ	تطوير الويب
sw_programming	software	Programming	بەرنامەنووسی	بەرنامەنڤیسی	البرمجة
sw_network	software	Computer networks	تۆڕی کۆمپیوتەر	تۆرێن کۆمپیوتەری	شبكات الحاسوب
lang_cert_en	language	English language certificate (such as IELTS)	بڕوانامەی زمانی ئینگلیزی (وەک ئایێڵتس)	بڕوانامەیا زمانێ ئنگلیزی (وەکی ئایێلتس)	شهادة لغة إنجليزية (مثل آيلتس)
lang_cert_de	language	German language certificate (such as Goethe)	بڕوانامەی زمانی ئەڵمانی (وەک بڕوانامەی گۆتە)	بڕوانامەیا زمانێ ئەلمانی (وەکی بڕوانامەیا گۆتە)	شهادة لغة ألمانية (مثل شهادة غوته)
lang_interpret	language	Interpreting between Kurdish, Arabic and a European language	وەرگێڕانی زارەکی لە نێوان کوردی، عەرەبی و زمانێکی ئەوروپی	وەرگێرانا دەڤکی د ناڤبەرا کوردی، عەرەبی و زمانەکێ ئەورووپی دا	الترجمة الفورية بين الكردية والعربية ولغة أوروبية
$tsv$, E'\n') AS l, LATERAL string_to_array(l, E'\t') AS f
WHERE l <> '';

-- A code picked from the vocabulary; the free text stays for what the
-- vocabulary lacks (counsellors see it as a candidate to add).
ALTER TABLE returnee_profiles
	ADD COLUMN occupation_code text REFERENCES vocabulary(code)
	    CHECK (occupation_code ~ '^[0-9]{1,4}$'),
	ADD COLUMN skill_codes text[] NOT NULL DEFAULT '{}';
ALTER TABLE vacancies
	ADD COLUMN occupation_code text REFERENCES vocabulary(code)
	    CHECK (occupation_code ~ '^[0-9]{1,4}$'),
	ADD COLUMN occupation text NOT NULL DEFAULT ''
	    CHECK (length(occupation) <= 120),
	ADD COLUMN skill_codes text[] NOT NULL DEFAULT '{}';
ALTER TABLE vacancy_edits
	ADD COLUMN occupation_code text REFERENCES vocabulary(code)
	    CHECK (occupation_code ~ '^[0-9]{1,4}$'),
	ADD COLUMN occupation text NOT NULL DEFAULT ''
	    CHECK (length(occupation) <= 120),
	ADD COLUMN skill_codes text[] NOT NULL DEFAULT '{}';
CREATE INDEX returnee_profiles_occupation ON returnee_profiles
	(occupation_code);
CREATE INDEX returnee_profiles_skill_codes ON returnee_profiles
	USING gin (skill_codes);

-- How close two ISCO-08 codes are: 4 the same unit group, 3 the same
-- minor group, 2 sub-major, 1 major, 0 none (or a code missing).  A
-- minor group picked on one side and a unit group of it on the other
-- count as the same minor group.
CREATE FUNCTION placement_occ_level(a text, b text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN 0
	ELSE (SELECT coalesce(max(n), 0) FROM generate_series(1,
	    least(length(a), length(b))) AS n
	    WHERE left(a, n) = left(b, n)) END $$;

-- Every returnee profile beside every vacancy it could suit, with why:
-- the occupation level (above), skills picked from the vocabulary in
-- common, typed skills in common (folded keys), languages in common,
-- the same governorate, and readiness (back already, or due within 90
-- days).  A pair whose occupations are both given and share not even
-- the major group is another trade and is left out; otherwise a pair
-- needs the occupation, a skill or the governorate in common.
--
-- score: unit group 12, minor 8, sub-major 5, major 2; each skill code
-- 3, each typed skill 2, each language 1, governorate 3, ready 1.
-- Used by the counsellors' suggestions (referral.c), "vacancies for
-- you" (placement.c), and meant for job alerts: filter it by user_id or
-- vacancy_id, and on the vacancy being live.
CREATE VIEW placement_matches AS
SELECT p.user_id, v.id AS vacancy_id, m.occ_level, m.skill_codes,
	m.skill_words, m.langs, m.same_gov, m.ready,
	CASE m.occ_level WHEN 4 THEN 12 WHEN 3 THEN 8 WHEN 2 THEN 5
	    WHEN 1 THEN 2 ELSE 0 END +
	3 * cardinality(m.skill_codes) + 2 * cardinality(m.skill_words) +
	cardinality(m.langs) + CASE WHEN m.same_gov THEN 3 ELSE 0 END +
	CASE WHEN m.ready THEN 1 ELSE 0 END AS score
FROM returnee_profiles p CROSS JOIN vacancies v
CROSS JOIN LATERAL (SELECT
	placement_occ_level(p.occupation_code, v.occupation_code)
	    AS occ_level,
	ARRAY(SELECT k FROM unnest(p.skill_codes) k
	    WHERE k = ANY (v.skill_codes) ORDER BY 1) AS skill_codes,
	ARRAY(SELECT k FROM unnest(p.skill_keys) k
	    WHERE k = ANY (v.skill_keys) ORDER BY 1) AS skill_words,
	ARRAY(SELECT k FROM unnest(p.languages) k
	    WHERE k = ANY (v.languages) ORDER BY 1) AS langs,
	p.governorate = v.governorate AS same_gov,
	coalesce(p.return_date <= magnet_today() + 90, false) AS ready) m
WHERE NOT (p.occupation_code IS NOT NULL AND v.occupation_code IS NOT NULL
	AND m.occ_level = 0)
	AND (m.occ_level > 0 OR m.same_gov OR cardinality(m.skill_codes) > 0
	OR cardinality(m.skill_words) > 0);

-- What people typed where the vocabulary had nothing: candidates for
-- counsellors to add (counted per folded text).
CREATE VIEW vocabulary_candidates AS
SELECT min(t.text) AS text, count(*) AS n, max(t.at) AS last
FROM (SELECT occupation AS text, updated_at AS at FROM returnee_profiles
	WHERE occupation_code IS NULL AND btrim(occupation) <> ''
	UNION ALL
	SELECT occupation, updated_at FROM vacancies
	WHERE occupation_code IS NULL AND btrim(occupation) <> '') t
GROUP BY magnet_fold(btrim(t.text));
