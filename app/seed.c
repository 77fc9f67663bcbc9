/*
 * Sample content.  Every sample is marked as such at the start of its
 * title, in the title's language ("[Sample]", "[نموونە]", "[نموذج]"), so
 * nobody mistakes it for real advice; it is written once, on a new
 * database.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "md.h"
#include "seed.h"

void
seed_init(void)
{
}

static int
exec_ok(PGconn *c, const char *sql, int n, const char *const *v)
{
	PGresult *r;
	int ok;

	r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		log_warnx("seed: %s", PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/* Sample threads, one or two per board, by a sample counsellor whose
 * password is unusable.  Markdown is kept simple so the stored HTML can be
 * written here without the renderer. */
static const struct {
	const char	*board;
	const char	*title;
	const char	*body;
	const char	*reply;
} samples[] = {
	{ "before-departure", "[Sample] Which documents should I bring back "
	    "from Germany?",
	    "I am returning to Duhok next spring. Which papers from my time "
	    "in Germany will help me find work?",
	    "Bring certificates of every course and job, translated if you "
	    "can. Counsellors can tell you which ones employers ask for." },
	{ "erbil", "[نموونە] کار لە هەولێر بۆ کەسێک کە ئەڵمانی دەزانێت",
	    "سڵاو، من ساڵێک لە ئەڵمانیا بووم و زمانی ئەڵمانی دەزانم. لە "
	    "هەولێر کار هەیە بۆ من؟",
	    "Hotels and travel agencies in Erbil often ask for German. Look "
	    "at the job board and ask a counsellor about training." },
	{ "sulaymaniyah", "[Sample] Starting a small business after return",
	    "Is there support for returnees who want to open a small shop in "
	    "Sulaymaniyah?", NULL },
	{ "duhok", "[Sample] Schools for children who studied in Europe",
	    "My children went to school in Sweden. How do they continue in "
	    "Duhok?", NULL },
	{ "halabja", "[Sample] Farming training in Halabja",
	    "Are there training places in agriculture this year?", NULL },
};

static int
seed_forum(PGconn *c)
{
	const char *v[4];
	size_t i;

	if (exec_ok(c, "INSERT INTO users (username, username_key, "
	    "password_hash, role) VALUES ('magnet-sample', 'magnet-sample', "
	    "'!', 'moderator') ON CONFLICT (username_key) DO NOTHING", 0,
	    NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		v[0] = samples[i].board;
		v[1] = samples[i].title;
		v[2] = samples[i].body;
		v[3] = samples[i].reply;
		/* The text has no markdown: a paragraph, escaped by SQL. */
		if (exec_ok(c,
		    "WITH u AS (SELECT id FROM users WHERE username_key = "
		    "'magnet-sample'), b AS (SELECT id FROM boards WHERE "
		    "slug = $1), "
		    "t AS (INSERT INTO threads (board_id, author_id, title, "
		    "post_count, reply_count, last_author_id, search) "
		    "SELECT b.id, u.id, $2, 1 + ($4::text IS NOT NULL)::int, "
		    "($4::text IS NOT NULL)::int, u.id, "
		    "to_tsvector('simple', magnet_fold($2)) FROM b, u "
		    "RETURNING id, board_id), "
		    "p1 AS (INSERT INTO posts (thread_id, seq, author_id, "
		    "body_md, body_html, search) SELECT t.id, 1, u.id, $3, "
		    "'<p>' || replace(replace(replace($3, '&', '&amp;'), '<', "
		    "'&lt;'), '>', '&gt;') || '</p>', "
		    "to_tsvector('simple', magnet_fold($3)) FROM t, u), "
		    "p2 AS (INSERT INTO posts (thread_id, seq, author_id, "
		    "body_md, body_html, official, search) SELECT t.id, 2, u.id, "
		    "$4, '<p>' || replace(replace(replace($4, '&', '&amp;'), "
		    "'<', '&lt;'), '>', '&gt;') || '</p>', true, "
		    "to_tsvector('simple', magnet_fold($4)) FROM t, u "
		    "WHERE $4::text IS NOT NULL) "
		    "UPDATE boards SET thread_count = thread_count + 1, "
		    "post_count = post_count + 1 + ($4::text IS NOT NULL)::int, "
		    "last_post_at = now(), last_thread_id = t.id FROM t "
		    "WHERE boards.id = t.board_id", 4, v) == -1)
			return -1;
	}
	return 0;
}

/* Sample guides (issue 8): one or two per governorate, each in two or
 * three languages, by the same sample counsellor.  Their markdown is
 * rendered here, in this one-shot command, since the text is ours. */
static const struct {
	const char	*governorate;
	const char	*topic;
	struct {
		const char	*lang, *title, *body;
	}		 v[3];
} sample_guides[] = {
	{ "erbil", "work", {
	    { "en", "[Sample] Finding work in Erbil",
	    "*This is sample text that shows how a guide looks. A counsellor "
	    "replaces it with checked information.*\n\n"
	    "## Where to look\n\n"
	    "- The **job board** on Magnet: vacancies from enterprises the "
	    "counsellors have verified.\n"
	    "- The Erbil board of the forum, where employers and returnees "
	    "answer questions.\n"
	    "- Job fairs: see the events calendar.\n\n"
	    "## Before you apply\n\n"
	    "- Have copies of your certificates, translated if you can.\n"
	    "- Write down the work you did in Europe, with dates.\n\n"
	    "Ask a counsellor in the forum if you are unsure." },
	    { "ckb", "[نموونە] دۆزینەوەی کار لە هەولێر",
	    "*ئەمە دەقێکی نموونەیە بۆ پیشاندانی شێوەی ڕێنماییەک. ڕاوێژکارێک "
	    "زانیاریی پشکنراو لە جێگەی دادەنێت.*\n\n"
	    "## لە کوێ بگەڕێیت\n\n"
	    "- **تابلۆی کار** لە ماگنێت: هەلی کار لەو کۆمپانیایانەی ڕاوێژکاران "
	    "پشتڕاستیان کردوونەتەوە.\n"
	    "- بەشی هەولێر لە مەکۆکە، کە خاوەنکاران و گەڕاوەکان وەڵامی "
	    "پرسیارەکان دەدەنەوە.\n"
	    "- پێشانگاکانی کار: سەیری ساڵنامەی چالاکییەکان بکە.\n\n"
	    "## پێش ئەوەی داوا بکەیت\n\n"
	    "- کۆپی بڕوانامەکانت ئامادە بکە، ئەگەر دەتوانیت وەرگێڕدراو.\n"
	    "- ئەو کارانەی لە ئەوروپا کردووتە لەگەڵ مێژووەکانیان بنووسە.\n\n"
	    "ئەگەر دڵنیا نیت، لە مەکۆکەدا پرسیار لە ڕاوێژکارێک بکە." },
	    { "ar", "[نموذج] البحث عن عمل في أربيل",
	    "*هذا نص تجريبي يوضح شكل الدليل. سيستبدله مرشد بمعلومات تم "
	    "التحقق منها.*\n\n"
	    "## أين تبحث\n\n"
	    "- **لوحة الوظائف** في ماغنت: وظائف من شركات تحقق منها "
	    "المرشدون.\n"
	    "- قسم أربيل في المنتدى، حيث يجيب أصحاب العمل والعائدون عن "
	    "الأسئلة.\n"
	    "- معارض العمل: راجع تقويم الفعاليات.\n\n"
	    "## قبل أن تتقدم\n\n"
	    "- جهّز نسخًا من شهاداتك، مترجمة إن أمكن.\n"
	    "- اكتب الأعمال التي قمت بها في أوروبا مع تواريخها.\n\n"
	    "اسأل مرشدًا في المنتدى إذا لم تكن متأكدًا." } } },
	{ "sulaymaniyah", "training", {
	    { "en", "[Sample] Training and courses in Sulaymaniyah",
	    "*This is sample text that shows how a guide looks. A counsellor "
	    "replaces it with checked information.*\n\n"
	    "## Kinds of training\n\n"
	    "- Vocational courses, for example electrical work, tailoring or "
	    "IT.\n"
	    "- Language courses.\n"
	    "- Training that enterprises offer on the job board.\n\n"
	    "## How to take part\n\n"
	    "1. Look at the training offers and the events calendar.\n"
	    "2. Sign up for an information meeting.\n"
	    "3. Ask a counsellor which course fits your experience." },
	    { "ckb", "[نموونە] ڕاهێنان و خولەکان لە سلێمانی",
	    "*ئەمە دەقێکی نموونەیە بۆ پیشاندانی شێوەی ڕێنماییەک. ڕاوێژکارێک "
	    "زانیاریی پشکنراو لە جێگەی دادەنێت.*\n\n"
	    "## جۆرەکانی ڕاهێنان\n\n"
	    "- خولی پیشەیی، بۆ نموونە کارەبا، دروومان یان تەکنەلۆجیای "
	    "زانیاری.\n"
	    "- خولی زمان.\n"
	    "- ئەو ڕاهێنانانەی کۆمپانیاکان لە تابلۆی کار بڵاوی دەکەنەوە.\n\n"
	    "## چۆن بەشداری بکەیت\n\n"
	    "1. سەیری پێشنیارەکانی ڕاهێنان و ساڵنامەی چالاکییەکان بکە.\n"
	    "2. بۆ کۆبوونەوەیەکی زانیاری ناو تۆمار بکە.\n"
	    "3. لە ڕاوێژکارێک بپرسە کام خول لەگەڵ ئەزموونەکەت دەگونجێت." },
	    { NULL, NULL, NULL } } },
	{ "duhok", "documents", {
	    { "en", "[Sample] Documents after returning to Duhok",
	    "*This is sample text that shows how a guide looks. A counsellor "
	    "replaces it with checked information.*\n\n"
	    "## Keep these papers together\n\n"
	    "- Your Iraqi identity documents and passport.\n"
	    "- Certificates of schools, courses and jobs in Europe.\n"
	    "- The papers your children need for school.\n\n"
	    "## Translations\n\n"
	    "Many offices and employers ask for Arabic or Kurdish "
	    "translations of European certificates. A counsellor can tell "
	    "you which ones are needed." },
	    { "ckb", "[نموونە] بەڵگەنامەکان دوای گەڕانەوە بۆ دهۆک",
	    "*ئەمە دەقێکی نموونەیە بۆ پیشاندانی شێوەی ڕێنماییەک. ڕاوێژکارێک "
	    "زانیاریی پشکنراو لە جێگەی دادەنێت.*\n\n"
	    "## ئەم بەڵگانە پێکەوە بپارێزە\n\n"
	    "- بەڵگەنامەکانی ناسنامەی عێراقی و پاسپۆرت.\n"
	    "- بڕوانامەی قوتابخانە، خول و کار لە ئەوروپا.\n"
	    "- ئەو بەڵگانەی منداڵەکانت بۆ قوتابخانە پێویستیانە.\n\n"
	    "## وەرگێڕان\n\n"
	    "زۆر فەرمانگە و خاوەنکار داوای وەرگێڕانی عەرەبی یان کوردیی "
	    "بڕوانامە ئەوروپییەکان دەکەن. ڕاوێژکارێک پێت دەڵێت کامیان "
	    "پێویستن." },
	    { "kmr-Arab", "[نموونە] بەلگەنامە پشتی زڤڕینێ بۆ دهۆکێ",
	    "*ئەڤە دەقەکێ نموونەیە بۆ نیشاندانا شێوەیێ رێبەرەکێ. "
	    "شێورمەندەک دێ پێزانینێن پشکنی ل جهێ وی دانیت.*\n\n"
	    "## ڤان بەلگەیان پێکڤە بپارێزە\n\n"
	    "- بەلگەنامێن ناسنامەیا عیراقی و پاسپۆرت.\n"
	    "- بروانامێن قوتابخانێ، خولان و کاری ل ئەورووپا.\n"
	    "- ئەو بەلگەیێن زارۆکێن تە بۆ قوتابخانێ پێدڤی.\n\n"
	    "## وەرگێران\n\n"
	    "گەلەک فەرمانگەه و خودانکار داخوازا وەرگێرانا عەرەبی یان کوردی "
	    "یا بروانامێن ئەورووپی دکەن. شێورمەندەک دێ بێژتە تە کیژ "
	    "پێدڤینە." } } },
	{ "halabja", "housing", {
	    { "en", "[Sample] Housing in Halabja",
	    "*This is sample text that shows how a guide looks. A counsellor "
	    "replaces it with checked information.*\n\n"
	    "## Finding a place to live\n\n"
	    "- Ask family and neighbours first: many rooms are let by word of "
	    "mouth.\n"
	    "- Agree the rent, the deposit and who pays for water and "
	    "electricity **in writing**.\n"
	    "- Ask a counsellor before you sign a contract you do not "
	    "understand." },
	    { "ckb", "[نموونە] خانوو لە هەڵەبجە",
	    "*ئەمە دەقێکی نموونەیە بۆ پیشاندانی شێوەی ڕێنماییەک. ڕاوێژکارێک "
	    "زانیاریی پشکنراو لە جێگەی دادەنێت.*\n\n"
	    "## دۆزینەوەی شوێنی نیشتەجێبوون\n\n"
	    "- سەرەتا لە خێزان و دراوسێکان بپرسە: زۆر ژوور بە قسەی دەم بە "
	    "کرێ دەدرێن.\n"
	    "- کرێ، بارمتە و ئەوەی کێ پارەی ئاو و کارەبا دەدات **بە نووسین** "
	    "ڕێک بخە.\n"
	    "- پێش واژۆکردنی گرێبەستێک کە لێی تێناگەیت، لە ڕاوێژکارێک "
	    "بپرسە." },
	    { NULL, NULL, NULL } } },
};

static int
seed_guides(PGconn *c)
{
	const char *v[5];
	struct buf html;
	PGresult *r;
	char id[24];
	size_t i, j;
	int ok;

	if (exec_ok(c, "INSERT INTO users (username, username_key, "
	    "password_hash, role) VALUES ('magnet-sample', 'magnet-sample', "
	    "'!', 'moderator') ON CONFLICT (username_key) DO NOTHING", 0,
	    NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(sample_guides) / sizeof(sample_guides[0]);
	    i++) {
		v[0] = sample_guides[i].governorate;
		v[1] = sample_guides[i].topic;
		r = PQexecParams(c, "INSERT INTO guides (governorate, topic, "
		    "created_by) SELECT $1, $2, id FROM users WHERE "
		    "username_key = 'magnet-sample' RETURNING id", 2, NULL, v,
		    NULL, NULL, 0);
		ok = PQresultStatus(r) == PGRES_TUPLES_OK &&
		    PQntuples(r) == 1;
		if (!ok)
			log_warnx("seed: %s", PQresultErrorMessage(r));
		else
			snprintf(id, sizeof(id), "%s", PQgetvalue(r, 0, 0));
		PQclear(r);
		if (!ok)
			return -1;
		for (j = 0; j < 3 && sample_guides[i].v[j].lang != NULL; j++) {
			buf_init(&html);
			if (md_render_inproc(sample_guides[i].v[j].body,
			    strlen(sample_guides[i].v[j].body), &html) == -1) {
				buf_free(&html);
				return -1;
			}
			v[0] = id;
			v[1] = sample_guides[i].v[j].lang;
			v[2] = sample_guides[i].v[j].title;
			v[3] = sample_guides[i].v[j].body;
			v[4] = html.p ? html.p : "";
			ok = exec_ok(c, "WITH u AS (SELECT id FROM users WHERE "
			    "username_key = 'magnet-sample'), "
			    "v AS (INSERT INTO guide_versions (guide_id, lang, "
			    "title, body_md, body_html, reviewed_on, updated_by, "
			    "search) SELECT $1, $2, $3, $4, $5, current_date, "
			    "u.id, to_tsvector('simple', magnet_fold($3 || ' ' "
			    "|| $4)) FROM u RETURNING id, updated_by) "
			    "INSERT INTO guide_revisions (version_id, revision, "
			    "title, body_md, reviewed_on, note, edited_by) "
			    "SELECT id, 1, $3, $4, current_date, 'sample', "
			    "updated_by FROM v", 5, v);
			buf_free(&html);
			if (ok == -1)
				return -1;
		}
	}
	return 0;
}

/* Sample vacancies (issue 4), by a sample enterprise whose employer
 * cannot sign in, published for six weeks from the day of the seed and
 * marked as samples: they take no applications (issue 17). */
static const struct {
	const char	*kind, *title, *gov, *city, *sector, *contract;
	const char	*positions, *skills, *smin, *smax, *langs, *body;
} sample_jobs[] = {
	{ "job", "[Sample] Site electrician for school buildings", "erbil",
	    "Erbil", "construction", "full_time", "2",
	    "electrical installation, reading drawings", "900000", "1300000",
	    "{ckb,ar,de}",
	    "*This is a sample vacancy, to show how one looks.*\n\n"
	    "We build and renovate schools around Erbil and look for "
	    "electricians who worked on building sites in Europe.\n\n"
	    "- Installation and testing of school wiring\n"
	    "- Six days a week, 8:00 to 16:00, transport from the city\n"
	    "- A German or Swedish electrician's certificate is welcome\n\n"
	    "Apply here with a short message; we answer within two weeks." },
	{ "training", "[نموونە] خولی ڕاهێنانی کارگێڕیی ئۆفیس", "sulaymaniyah",
	    "سلێمانی", "education", "course", "15",
	    "Excel، نووسینی ڕاپۆرت", NULL, NULL, "{ckb,en}",
	    "*ئەمە هەلێکی نموونەیە، بۆ پیشاندانی شێوەی هەلێکی ڕاهێنان.*\n\n"
	    "خولێکی شەش هەفتەیی بۆ گەڕاوەکان: Excel، نووسینی ڕاپۆرت و "
	    "ئەرشیفکردن.\n\n"
	    "- سێ ڕۆژ لە هەفتەیەکدا، ٩ تا ١٢\n"
	    "- بەخۆڕایی، بە بڕوانامەی بەشداریکردن" },
	{ "job", "[Sample] Greenhouse worker, tomatoes and cucumbers",
	    "duhok", "Zakho", "agriculture", "seasonal", "6",
	    "greenhouse, irrigation", "600000", "750000", "{kmr,ar}",
	    "*This is a sample vacancy, to show how one looks.*\n\n"
	    "Seasonal work from March to October in our greenhouses near "
	    "Zakho. Experience from the Netherlands or Germany is a plus.\n\n"
	    "- Planting, drip irrigation, harvest\n"
	    "- Lunch and transport from Zakho provided" },
};

/* Sample events (issue 8), by the sample counsellor, Baghdad time. */
static const struct {
	const char	*kind, *title, *days, *start, *hours, *online, *gov;
	const char	*city, *address, *link, *organiser, *capacity, *body;
} sample_events[] = {
	{ "job_fair", "[Sample] Job fair for returnees in Erbil", "21",
	    "09:00", "6", "f", "erbil", "Erbil", "Chamber of Commerce, hall 2",
	    "", "IOM and the Erbil Chamber of Commerce", "300",
	    "*This is a sample event, to show how one looks.*\n\n"
	    "Forty employers from construction, health and hospitality meet "
	    "returnees. Bring copies of your CV and certificates." },
	{ "info_meeting", "[نموونە] کۆبوونەوەی زانیاری لەسەر گەڕانەوە", "10",
	    "18:00", "1", "t", NULL, "", "", "https://meet.example.org/magnet",
	    "IOM", NULL,
	    "*ئەمە چالاکییەکی نموونەیە.*\n\n"
	    "ڕاوێژکاران وەڵامی پرسیارەکانتان دەدەنەوە لەسەر بەڵگەنامەکان، "
	    "کار و خوێندن دوای گەڕانەوە." },
};

static int
seed_jobs_events(PGconn *c)
{
	const char *v[14];
	struct buf html;
	size_t i;
	int ok;

	if (exec_ok(c, "WITH e AS (INSERT INTO enterprises (name, sector, "
	    "governorate, description) VALUES ('[Sample] Kurdistan Builders "
	    "and Growers', 'construction', 'erbil', 'A sample enterprise, to "
	    "show how vacancies look.') RETURNING id) INSERT INTO users "
	    "(username, username_key, password_hash, role, enterprise_id) "
	    "SELECT 'magnet-sample-employer', 'magnet-sample-employer', '!', "
	    "'employer', id FROM e ON CONFLICT (username_key) DO NOTHING", 0,
	    NULL) == -1)
		return -1;
	for (i = 0; i < sizeof(sample_jobs) / sizeof(sample_jobs[0]); i++) {
		buf_init(&html);
		if (md_render_inproc(sample_jobs[i].body,
		    strlen(sample_jobs[i].body), &html) == -1) {
			buf_free(&html);
			return -1;
		}
		v[0] = sample_jobs[i].kind;
		v[1] = sample_jobs[i].title;
		v[2] = sample_jobs[i].body;
		v[3] = html.p ? html.p : "";
		v[4] = sample_jobs[i].gov;
		v[5] = sample_jobs[i].city;
		v[6] = sample_jobs[i].sector;
		v[7] = sample_jobs[i].contract;
		v[8] = sample_jobs[i].positions;
		v[9] = sample_jobs[i].langs;
		v[10] = sample_jobs[i].skills;
		v[11] = sample_jobs[i].smin;
		v[12] = sample_jobs[i].smax;
		ok = exec_ok(c, "INSERT INTO vacancies (enterprise_id, "
		    "author_id, kind, title, description_md, description_html, "
		    "governorate, city, sector, contract, positions, languages, "
		    "skills, salary_min, salary_max, deadline, state, "
		    "submitted_at, published_at, sample) SELECT "
		    "u.enterprise_id, u.id, "
		    "$1, $2, $3, $4, $5, $6, $7, $8, $9::integer, $10::text[], "
		    "$11, $12::bigint, $13::bigint, magnet_today() + 42, "
		    "'published', now(), now(), true FROM users u WHERE "
		    "u.username_key = 'magnet-sample-employer'", 13, v);
		buf_free(&html);
		if (ok == -1)
			return -1;
	}
	for (i = 0; i < sizeof(sample_events) / sizeof(sample_events[0]);
	    i++) {
		buf_init(&html);
		if (md_render_inproc(sample_events[i].body,
		    strlen(sample_events[i].body), &html) == -1) {
			buf_free(&html);
			return -1;
		}
		v[0] = sample_events[i].kind;
		v[1] = sample_events[i].title;
		v[2] = sample_events[i].days;
		v[3] = sample_events[i].start;
		v[4] = sample_events[i].hours;
		v[5] = sample_events[i].online;
		v[6] = sample_events[i].gov;
		v[7] = sample_events[i].city;
		v[8] = sample_events[i].address;
		v[9] = sample_events[i].link;
		v[10] = sample_events[i].organiser;
		v[11] = sample_events[i].capacity;
		v[12] = sample_events[i].body;
		v[13] = html.p ? html.p : "";
		ok = exec_ok(c, "WITH t AS (SELECT magnet_moment((magnet_today() + "
		    "$3::integer) + $4::time) AS s) "
		    "INSERT INTO events (kind, title, starts_at, ends_at, "
		    "online, governorate, city, address, link, organiser, "
		    "capacity, body_md, body_html, created_by) SELECT $1, $2, "
		    "t.s, t.s + $5::integer * interval '1 hour', $6::boolean, "
		    "$7, $8, $9, $10, $11, $12::integer, $13, $14, u.id "
		    "FROM t, users u WHERE u.username_key = 'magnet-sample'",
		    14, v);
		buf_free(&html);
		if (ok == -1)
			return -1;
	}
	return 0;
}

int
seed_demo(PGconn *c)
{
	PGresult *r;
	int fresh;

	if (exec_ok(c, "BEGIN", 0, NULL) == -1)
		return -1;
	r = PQexec(c, "INSERT INTO settings (key, value) VALUES "
	    "('demo_seeded', now()::text) ON CONFLICT DO NOTHING");
	fresh = PQresultStatus(r) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdTuples(r), "1") == 0;
	PQclear(r);
	if (!fresh) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		printf("sample content: already there\n");
		return 0;
	}
	if (seed_forum(c) == -1) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		return -1;
	}
	if (seed_guides(c) == -1 || seed_jobs_events(c) == -1) {
		exec_ok(c, "ROLLBACK", 0, NULL);
		return -1;
	}
	if (exec_ok(c, "COMMIT", 0, NULL) == -1)
		return -1;
	printf("sample content: added\n");
	return 1;
}
