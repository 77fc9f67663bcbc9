/*
 * Translation catalogues and the choice of language.  Each interface
 * language other than English has one table, read at start-up from the
 * compiled gettext catalogue build/locale/<tag>.mo (made by msgfmt from
 * assets/i18n/<tag>.po) and kept read-only afterwards, so every thread
 * may look strings up without locks.  glibc's gettext and setlocale are
 * not used: they need an installed locale, and none exists for Bahdini.
 *
 * Marking strings for translation (assets/i18n/extract.sh finds them):
 *
 *  - In C, a string shown to a user is written T(req, "English text");
 *    T is defined next to struct request as
 *    i18n_get((req)->lang, (msgid)).  The msgid must be a string
 *    literal, never a variable, so that xgettext can see it.
 *  - In a static table, where there is no request yet, write
 *    N_("English text"): it only marks the string; translate it where
 *    it is used, with i18n_get(req->lang, table[i].label).
 *  - A note for translators is a comment that starts with
 *    "TRANSLATORS:" on the line just above the marked string.
 *  - In templates (the .html files in assets/templates) write
 *    {{_ English text}}.  The msgid is exactly the bytes between "{{_ "
 *    and "}}", on one line, with no trimming.
 *
 *  - A sentence with a count: TN(req, "%s post", "%s posts", n) (in a
 *    table, NN_("%s post", "%s posts") marks the pair); the catalogue
 *    gives every plural form the language has (Arabic six: zero, one,
 *    two, three to ten, eleven to 99, and 100 and more), chosen by the
 *    Plural-Forms rule of the language.  A label ("Replies: %s") needs
 *    none.
 *  - One English word with two meanings gets a context:
 *    TC(req, "application status", "Withdrawn").
 *
 * English is the msgid, so English never needs a catalogue and every
 * string missing from another catalogue falls back to English (for a
 * count, the English singular for 1 and plural otherwise).
 */
#ifndef MAGNET_I18N_H
#define MAGNET_I18N_H

#include <stddef.h>

/* Marks a string for extraction without translating it. */
#define N_(s)	(s)
/* Marks a singular and plural pair: two arguments of i18n_nget. */
#define NN_(s, p)	(s), (p)

/* The plural rules known (the Plural-Forms a catalogue may carry). */
enum i18n_plural {
	I18N_PLURAL_ONE_OTHER,	/* nplurals=2; plural=(n != 1); */
	I18N_PLURAL_AR,		/* nplurals=6; Arabic's rule */
	I18N_PLURAL__MAX
};

enum lang {
	LANG_EN,
	LANG_CKB,
	LANG_KMR,
	LANG_AR,
	LANG__MAX
};

struct lang_info {
	const char	*tag;	 /* BCP 47, used in <html lang> and file names */
	const char	*native; /* the language's own name, for the switch */
	const char	*dir;	 /* "ltr" or "rtl" */
};

extern const struct lang_info i18n_langs[LANG__MAX];

/*
 * Read dir/<tag>.mo for every language but English.  A missing file
 * leaves that language empty (all English) with a warning; an unreadable
 * or corrupt file returns -1 and leaves the catalogues as they were.
 * Call before serving threads start; not safe against concurrent lookups.
 */
int		 i18n_load(const char *dir);
void		 i18n_free(void);

/* The translation of msgid, else msgid itself.  Thread-safe after load. */
const char	*i18n_get(enum lang, const char *msgid);
/* The form of a plural entry that the count n takes in the language. */
const char	*i18n_nget(enum lang, const char *singular,
		    const char *plural, unsigned long long n);
/* The translation of msgid in a context (msgctxt), else msgid. */
const char	*i18n_pget(enum lang, const char *context, const char *msgid);
/*
 * The rule of a catalogue header's Plural-Forms line, or -1 when it has
 * none or one we do not know (spaces do not matter).  For tests.
 */
int		 i18n_plural_forms(const char *header);

/* Exact tag ("en", "ckb", "kmr-Arab", "ar"), case-insensitive; 0 or -1. */
int		 i18n_from_tag(const char *tag, enum lang *out);

/*
 * The best of our languages for an Accept-Language header (RFC 9110
 * 12.5.4, with q-values); English when nothing acceptable is named, the
 * header is NULL, or it cannot be parsed.  Mapping of language ranges:
 *   en, en-*                        English
 *   ar, ar-*                        Arabic
 *   ckb, ckb-*                      Sorani
 *   ku-Arab, ku-Arab-*              Sorani: Windows and most software
 *                                   name Central Kurdish "ku-Arab"
 *   sdh, sdh-*                      Sorani: Southern Kurdish readers
 *                                   read Sorani, not Kurmanji
 *   kmr, kmr-*                      Bahdini
 *   ku, ku-* (any other script)     Bahdini: "ku" alone means Kurmanji
 *                                   (CLDR, Firefox, Android), and Bahdini
 *                                   is the Kurmanji of Duhok
 *   *                               English, unless English is named
 * Equal weights go to the range named first.
 */
enum lang	 i18n_negotiate(const char *accept_language);

/*
 * Format v with the language's digits: Arabic-Indic (U+0660..U+0669) for
 * Sorani, Bahdini and Arabic, ASCII for English; no grouping.  A negative
 * number in an Arabic-script language starts with U+061C ARABIC LETTER
 * MARK and "-", as CLDR does, so the sign stays in front in either
 * direction.  Writes a NUL-terminated string; 0, or -1 if it does not
 * fit (dst is then the empty string when dstlen > 0).
 */
int		 i18n_format_int(enum lang, long long v, char *dst,
		    size_t dstlen);

/*
 * Internal, for tests and the fuzzer: replace the catalogue of lang with
 * the one in the .mo image p[0..len); 0, or -1 (catalogue unchanged) if
 * the image is malformed.  Not thread-safe.
 */
int		 i18n_parse_mo(enum lang, const unsigned char *p, size_t len);

/* Number of entries held for lang (tests, start-up log). */
size_t		 i18n_count(enum lang);

struct arena;
/* i18n_format_int into the arena. */
const char *i18n_num(struct arena *, enum lang, long long);
/* A copy of s with its ASCII digits written in the language's digits. */
const char *i18n_digits(struct arena *, enum lang, const char *);
/*
 * s between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a value
 * written by a user, set apart from the sentence it is put into, so that
 * its direction (or a U+202E in it) cannot reorder the site's words
 * around it.  For plain-text places <bdi> cannot go: <title>, a sentence
 * made with printf, a button's label.
 */
#define I18N_FSI	"\xe2\x81\xa8"
#define I18N_PDI	"\xe2\x81\xa9"
const char *i18n_isolate(struct arena *, const char *);
/*
 * How long ago, in words ("3 hours ago"), for 0 <= seconds < 7 days;
 * NULL otherwise, when the date itself says more.  No plural lookup
 * (see above): one form per unit after a number, as Sorani, Bahdini
 * and everyday Arabic use after numerals.
 */
const char *i18n_ago(struct arena *, enum lang, long long seconds);

/* "YYYY-MM-DD" (years 2000 to 2099, a real day) and "HH:MM" (24 hours);
 * Arabic-Indic and Persian digits are read as well.  The value is
 * written back in ASCII to out (11 and 6 bytes).  0, or -1 if invalid. */
int	 i18n_parse_date(const char *, char out[11]);
int	 i18n_parse_time(const char *, char out[6]);

#endif
