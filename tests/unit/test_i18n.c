/*
 * Tests for app/i18n.c: .mo parsing (msgfmt output in both byte orders,
 * hand-built and hostile images, every truncation), lookups and
 * fallback, tags, Accept-Language negotiation and digit formatting.
 *
 * Run from the project root, or pass the fixture directory and the
 * directory of the real .po files:
 *	build/unit/test_i18n [tests/unit/fixtures/i18n [assets/i18n]]
 * msgfmt (GNU gettext) must be on PATH.
 */
#include <sys/stat.h>

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "i18n.h"
#include "log.h"

#ifndef I18N_FIXTURES
#define I18N_FIXTURES	"tests/unit/fixtures/i18n"
#endif
#ifndef I18N_PODIR
#define I18N_PODIR	"assets/i18n"
#endif

static const char *fixtures = I18N_FIXTURES;
static const char *podir = I18N_PODIR;
static char tmpdir[] = "/tmp/test_i18n.XXXXXX";
static unsigned char *fixmo;	/* test.po compiled by msgfmt */
static size_t fixmolen;

static int
run_msgfmt(const char *po, const char *mo)
{
	char cmd[PATH_MAX * 2 + 64];

	snprintf(cmd, sizeof(cmd), "msgfmt --check -o '%s' '%s'", mo, po);
	return system(cmd) == 0 ? 0 : -1;
}

static unsigned char *
slurp(const char *path, size_t *lenp)
{
	FILE *f;
	unsigned char *p;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc(n > 0 ? (size_t)n : 1);
	if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*lenp = (size_t)n;
	return p;
}

static void
spit(const char *path, const void *p, size_t len)
{
	FILE *f;

	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(p, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
join(char *dst, size_t len, const char *dir, const char *name)
{
	int n;

	n = snprintf(dst, len, "%s/%s", dir, name);
	assert_true(n > 0 && (size_t)n < len);
}

static void
tmppath(char *dst, size_t len, const char *name)
{
	join(dst, len, tmpdir, name);
}

static int
setup(void **state)
{
	char po[PATH_MAX], mo[PATH_MAX];

	(void)state;
	/* The parser's warnings for the hostile cases are expected. */
	if (getenv("TEST_I18N_VERBOSE") == NULL)
		log_open_error("/dev/null");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(po, sizeof(po), "%s/test.po", fixtures);
	tmppath(mo, sizeof(mo), "fixture.mo");
	if (run_msgfmt(po, mo) == -1) {
		fprintf(stderr, "msgfmt failed on %s\n", po);
		return -1;
	}
	if ((fixmo = slurp(mo, &fixmolen)) == NULL)
		return -1;
	unlink(mo);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	i18n_free();
	free(fixmo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Build a .mo image by hand: entries in the order given, either order. */
struct moent {
	const char	*id;
	size_t		 idlen;		/* 0: strlen(id) */
	const char	*str;
	size_t		 strlen;	/* 0: strlen(str) */
};

static void
put32(unsigned char *p, size_t off, uint32_t v, int big)
{
	if (big) {
		p[off] = (unsigned char)(v >> 24);
		p[off + 1] = (unsigned char)(v >> 16 & 0xff);
		p[off + 2] = (unsigned char)(v >> 8 & 0xff);
		p[off + 3] = (unsigned char)(v & 0xff);
	} else {
		p[off] = (unsigned char)(v & 0xff);
		p[off + 1] = (unsigned char)(v >> 8 & 0xff);
		p[off + 2] = (unsigned char)(v >> 16 & 0xff);
		p[off + 3] = (unsigned char)(v >> 24);
	}
}

static unsigned char *
mo_build(const struct moent *e, uint32_t n, int big, size_t *lenp)
{
	size_t len = 28 + 16 * (size_t)n, off, i, l;
	unsigned char *p;

	for (i = 0; i < n; i++) {
		len += (e[i].idlen ? e[i].idlen : strlen(e[i].id)) + 1;
		len += (e[i].strlen ? e[i].strlen : strlen(e[i].str)) + 1;
	}
	p = calloc(1, len);
	assert_non_null(p);
	put32(p, 0, 0x950412de, big);
	put32(p, 4, 0, big);
	put32(p, 8, n, big);
	put32(p, 12, 28, big);
	put32(p, 16, 28 + 8 * n, big);
	put32(p, 20, 0, big);
	put32(p, 24, 28 + 16 * n, big);
	off = 28 + 16 * (size_t)n;
	for (i = 0; i < n; i++) {
		l = e[i].idlen ? e[i].idlen : strlen(e[i].id);
		put32(p, 28 + 8 * i, l, big);
		put32(p, 28 + 8 * i + 4, off, big);
		memcpy(p + off, e[i].id, l);
		off += l + 1;
		l = e[i].strlen ? e[i].strlen : strlen(e[i].str);
		put32(p, 28 + 8 * (n + i), l, big);
		put32(p, 28 + 8 * (n + i) + 4, off, big);
		memcpy(p + off, e[i].str, l);
		off += l + 1;
	}
	*lenp = len;
	return p;
}

/* Parse from an exactly-sized heap copy so ASan sees any overread. */
static int
parse_copy(enum lang l, const unsigned char *p, size_t len)
{
	unsigned char *c;
	int rv;

	c = malloc(len ? len : 1);
	assert_non_null(c);
	if (len)
		memcpy(c, p, len);
	rv = i18n_parse_mo(l, c, len);
	free(c);
	return rv;
}

static void
check_fixture(enum lang l)
{
	const char *s = "Untranslated";

	assert_int_equal(i18n_count(l), 8);
	assert_string_equal(i18n_get(l, "Home"), "دەستپێک");
	assert_string_equal(i18n_get(l, "Sign in"), "چوونەژوورەوە");
	assert_string_equal(i18n_get(l, "Apple"), "یەکەم");
	assert_string_equal(i18n_get(l, "Zebra"), "کۆتایی");
	assert_string_equal(i18n_get(l, "first line\nsecond line"),
	    "یەک\nدوو");
	/* Untranslated entries and unknown ids fall back to the msgid. */
	assert_ptr_equal(i18n_get(l, s), s);
	assert_string_equal(i18n_get(l, "Fuzzy"), "Fuzzy");
	assert_string_equal(i18n_get(l, "Nowhere"), "Nowhere");
	/* The header is not an entry. */
	assert_string_equal(i18n_get(l, ""), "");
	/* A context entry apart from the plain one. */
	assert_string_equal(i18n_get(l, "Open"), "plain");
	assert_string_equal(i18n_pget(l, "menu", "Open"), "context");
	assert_string_equal(i18n_pget(l, "other", "Open"), "Open");
	assert_string_equal(i18n_pget(l, "menu", "Home"), "Home");
	/* Plurals: under the singular msgid, each form by its count. */
	assert_string_equal(i18n_get(l, "%s reply"), "one %s");
	assert_string_equal(i18n_get(l, "%s replies"), "%s replies");
	assert_string_equal(i18n_nget(l, "%s reply", "%s replies", 1),
	    "one %s");
	assert_string_equal(i18n_nget(l, "%s reply", "%s replies", 0),
	    "many %s");
	assert_string_equal(i18n_nget(l, "%s reply", "%s replies", 7),
	    "many %s");
	/* Not in the catalogue: English by the count. */
	assert_string_equal(i18n_nget(l, "%s day", "%s days", 1), "%s day");
	assert_string_equal(i18n_nget(l, "%s day", "%s days", 2), "%s days");
}

/* Plural-Forms headers: the two rules known, spaces aside; others -1. */
static void
test_plural_forms(void **state)
{
	(void)state;
	assert_int_equal(i18n_plural_forms("Language: ckb\nPlural-Forms: "
	    "nplurals=2; plural=(n != 1);\n"), I18N_PLURAL_ONE_OTHER);
	assert_int_equal(i18n_plural_forms("Plural-Forms: nplurals=6; "
	    "plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
	    "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n"), I18N_PLURAL_AR);
	assert_int_equal(i18n_plural_forms("Plural-Forms: nplurals=2; "
	    "plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
	    "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\n"), -1);
	assert_int_equal(i18n_plural_forms("Plural-Forms: nplurals=1; "
	    "plural=0;\n"), -1);
	assert_int_equal(i18n_plural_forms("Plural-Forms: nplurals=2; "
	    "plural=(n != 1);x\n"), -1);
	assert_int_equal(i18n_plural_forms("Language: ar\n"), -1);
	assert_int_equal(i18n_plural_forms(NULL), -1);
}

static void
test_parse_msgfmt(void **state)
{
	(void)state;
	assert_int_equal(parse_copy(LANG_CKB, fixmo, fixmolen), 0);
	check_fixture(LANG_CKB);
	/* Other languages are untouched. */
	assert_int_equal(i18n_count(LANG_AR), 0);
	assert_string_equal(i18n_get(LANG_AR, "Home"), "Home");
	assert_string_equal(i18n_get(LANG_EN, "Home"), "Home");
	assert_string_equal(i18n_get((enum lang)99, "Home"), "Home");
	assert_string_equal(i18n_get((enum lang)-1, "Home"), "Home");
	assert_string_equal(i18n_get(LANG_CKB, NULL), "");
	i18n_free();
	assert_int_equal(i18n_count(LANG_CKB), 0);
	assert_string_equal(i18n_get(LANG_CKB, "Home"), "Home");
}

/* Byte-swap the fixture's header and tables: a big-endian file. */
static void
test_parse_swapped(void **state)
{
	unsigned char *p;
	uint32_t n, o, t, s, h, i, v;
	size_t off;

	(void)state;
	p = malloc(fixmolen);
	assert_non_null(p);
	memcpy(p, fixmo, fixmolen);
#define GET(off) ((uint32_t)p[off] | (uint32_t)p[(off) + 1] << 8 | \
	    (uint32_t)p[(off) + 2] << 16 | (uint32_t)p[(off) + 3] << 24)
	n = GET(8);
	o = GET(12);
	t = GET(16);
	s = GET(20);
	h = GET(24);
	for (off = 0; off < 28; off += 4) {
		v = GET(off);
		put32(p, off, v, 1);
	}
	for (i = 0; i < 2 * n; i++) {
		v = GET(o + 4 * i);
		put32(p, o + 4 * i, v, 1);
		v = GET(t + 4 * i);
		put32(p, t + 4 * i, v, 1);
	}
	for (i = 0; i < s; i++) {
		v = GET(h + 4 * i);
		put32(p, h + 4 * i, v, 1);
	}
#undef GET
	assert_int_equal(p[0], 0x95);
	assert_int_equal(parse_copy(LANG_KMR, p, fixmolen), 0);
	check_fixture(LANG_KMR);
	free(p);
	i18n_free();
}

static void
test_unsorted_dups(void **state)
{
	static const struct moent e[] = {
		{ "Zebra", 0, "z", 0 },
		{ "", 0, "Content-Type: text/plain; charset=utf-8\n", 0 },
		{ "Apple", 0, "a1", 0 },
		{ "Mango", 0, "m", 0 },
		{ "Apple", 0, "a2", 0 },
		{ "Kiwi", 0, "", 0 },
		{ "ctx\004Mango", 0, "cm", 0 },
		{ "Apple pie\0Apple pies", 20, "tart\0tarts", 10 },
		{ "B", 0, "b", 0 },
	};
	unsigned char *p;
	size_t len;
	int big;

	(void)state;
	for (big = 0; big < 2; big++) {
		p = mo_build(e, 9, big, &len);
		assert_int_equal(parse_copy(LANG_AR, p, len), 0);
		assert_int_equal(i18n_count(LANG_AR), 6);
		assert_string_equal(i18n_pget(LANG_AR, "ctx", "Mango"), "cm");
		/* Arabic's rule on a two-form entry: a missing form is
		 * English, never another form. */
		assert_string_equal(i18n_nget(LANG_AR, "Apple pie",
		    "Apple pies", 0), "tart");
		assert_string_equal(i18n_nget(LANG_AR, "Apple pie",
		    "Apple pies", 1), "tarts");
		assert_string_equal(i18n_nget(LANG_AR, "Apple pie",
		    "Apple pies", 2), "Apple pies");
		assert_string_equal(i18n_get(LANG_AR, "Apple"), "a1");
		assert_string_equal(i18n_get(LANG_AR, "Zebra"), "z");
		assert_string_equal(i18n_get(LANG_AR, "Mango"), "m");
		assert_string_equal(i18n_get(LANG_AR, "B"), "b");
		assert_string_equal(i18n_get(LANG_AR, "Apple pie"), "tart");
		assert_string_equal(i18n_get(LANG_AR, "Kiwi"), "Kiwi");
		assert_string_equal(i18n_get(LANG_AR, "A"), "A");
		assert_string_equal(i18n_get(LANG_AR, "Zz"), "Zz");
		free(p);
	}
	/* An empty catalogue is valid. */
	p = mo_build(e, 0, 0, &len);
	assert_int_equal(parse_copy(LANG_AR, p, len), 0);
	assert_int_equal(i18n_count(LANG_AR), 0);
	free(p);
	i18n_free();
}

static void
test_hostile(void **state)
{
	static const struct moent good[] = {
		{ "Home", 0, "home-t", 0 },
	};
	static const char *badutf8[] = {
		"\xc3\x28", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
		"\xe2\x82", "\xff", "\x80", "\xf8\x88\x80\x80\x80",
	};
	struct moent e[2];
	unsigned char *p, *big;
	size_t len, i, biglen;

	(void)state;
	/* Start from a good catalogue: failures must leave it in place. */
	p = mo_build(good, 1, 0, &len);
	assert_int_equal(parse_copy(LANG_CKB, p, len), 0);

	/* Bad magic, unknown major revision; minor revisions are fine. */
	p[0] ^= 1;
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	p[0] ^= 1;
	put32(p, 4, 0x00020000, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 4, 0x00010001, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), 0);
	put32(p, 4, 0, 0);

	/* Counts and table offsets past the end, and wrapping. */
	put32(p, 8, 0xffffffff, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 8, 0x20000000, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 8, 1, 0);
	put32(p, 12, (uint32_t)len, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 12, 0xfffffffc, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 12, 28, 0);
	put32(p, 16, (uint32_t)len - 4, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 16, 36, 0);

	/* String offsets and lengths past the end, or without their NUL. */
	put32(p, 32, (uint32_t)len, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 32, 0xffffffff, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 32, 44, 0);
	put32(p, 28, (uint32_t)len - 44, 0);	/* reaches the last byte */
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 28, 0xffffffff, 0);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	put32(p, 28, 4, 0);
	p[44 + 4] = 'x';			/* "Home" loses its NUL */
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	p[44 + 4] = '\0';
	p[len - 1] = 'x';			/* so does the msgstr */
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	p[len - 1] = '\0';
	assert_int_equal(parse_copy(LANG_CKB, p, len), 0);
	free(p);

	/* Malformed UTF-8 in a msgstr or a msgid. */
	for (i = 0; i < sizeof(badutf8) / sizeof(badutf8[0]); i++) {
		e[0].id = "Home";
		e[0].idlen = 0;
		e[0].str = badutf8[i];
		e[0].strlen = 0;
		p = mo_build(e, 1, 0, &len);
		assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
		free(p);
		e[0].id = badutf8[i];
		e[0].str = "x";
		p = mo_build(e, 1, 1, &len);
		assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
		free(p);
	}

	/* A header naming another charset. */
	e[0].id = "";
	e[0].idlen = 0;
	e[0].str = "Content-Type: text/plain; charset=ISO-8859-1\n";
	e[0].strlen = 0;
	e[1].id = "Home";
	e[1].idlen = 0;
	e[1].str = "x";
	e[1].strlen = 0;
	p = mo_build(e, 2, 0, &len);
	assert_int_equal(parse_copy(LANG_CKB, p, len), -1);
	free(p);

	/* Many entries sharing one long string: refused, not slow. */
	biglen = 28 + 16 * 1000 + 4001;
	big = calloc(1, biglen);
	assert_non_null(big);
	put32(big, 0, 0x950412de, 0);
	put32(big, 8, 1000, 0);
	put32(big, 12, 28, 0);
	put32(big, 16, 28, 0);
	for (i = 0; i < 1000; i++) {
		put32(big, 28 + 8 * i, 4000, 0);
		put32(big, 28 + 8 * i + 4, 28 + 16000, 0);
	}
	memset(big + 28 + 16000, 'a', 4000);
	assert_int_equal(parse_copy(LANG_CKB, big, biglen), -1);
	free(big);

	/* Nothing above replaced the good catalogue. */
	assert_string_equal(i18n_get(LANG_CKB, "Home"), "home-t");
	assert_int_equal(parse_copy(LANG_CKB, NULL, 0), -1);
	assert_int_equal(i18n_parse_mo((enum lang)7, fixmo, fixmolen), -1);
	i18n_free();
}

/* Every proper prefix of a real file is refused; every byte flip is
 * survived. */
static void
test_truncated_corrupt(void **state)
{
	unsigned char *p;
	size_t len, i;

	(void)state;
	assert_int_equal(parse_copy(LANG_CKB, fixmo, fixmolen), 0);
	for (len = 0; len < fixmolen; len++)
		assert_int_equal(parse_copy(LANG_CKB, fixmo, len), -1);
	check_fixture(LANG_CKB);

	p = malloc(fixmolen);
	assert_non_null(p);
	memcpy(p, fixmo, fixmolen);
	for (i = 0; i < fixmolen; i++) {
		p[i] ^= 0xff;
		(void)parse_copy(LANG_AR, p, fixmolen);
		p[i] ^= 0x01;
		(void)parse_copy(LANG_AR, p, fixmolen);
		p[i] = fixmo[i];
	}
	free(p);
	i18n_free();
}

static void
test_load(void **state)
{
	char path[PATH_MAX], sub[PATH_MAX], longdir[PATH_MAX + 10];
	static const unsigned char junk[] = "this is not a catalogue";

	(void)state;
	/* Only ckb present: others are empty, with a warning. */
	tmppath(sub, sizeof(sub), "one");
	assert_int_equal(mkdir(sub, 0700), 0);
	join(path, sizeof(path), sub, "ckb.mo");
	spit(path, fixmo, fixmolen);
	assert_int_equal(i18n_load(sub), 0);
	check_fixture(LANG_CKB);
	assert_int_equal(i18n_count(LANG_KMR), 0);
	assert_int_equal(i18n_count(LANG_AR), 0);

	/* A corrupt file fails the load and keeps what was loaded. */
	join(path, sizeof(path), sub, "kmr-Arab.mo");
	spit(path, junk, sizeof(junk));
	assert_int_equal(i18n_load(sub), -1);
	check_fixture(LANG_CKB);
	unlink(path);

	/* A directory where a file should be. */
	join(path, sizeof(path), sub, "ar.mo");
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(i18n_load(sub), -1);
	rmdir(path);

	/* An empty file is corrupt; a missing directory is all English. */
	spit(path, junk, 0);
	assert_int_equal(i18n_load(sub), -1);
	unlink(path);
	tmppath(path, sizeof(path), "nonexistent");
	assert_int_equal(i18n_load(path), 0);
	assert_int_equal(i18n_count(LANG_CKB), 0);
	assert_string_equal(i18n_get(LANG_CKB, "Home"), "Home");

	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[sizeof(longdir) - 1] = '\0';
	assert_int_equal(i18n_load(longdir), -1);
	i18n_free();
}

/* The shipped .po files compile and translate the seed strings. */
static void
test_real_catalogues(void **state)
{
	static const char *seed[] = {
		"Magnet", "Sign in", "Sign out", "Register",
		"Username", "Password", "Search", "Language", "Boards",
		"Jobs", "Page not found", "Forbidden", "Too many requests",
		"Service unavailable",
	};
	char po[PATH_MAX], mo[PATH_MAX], sub[PATH_MAX], name[32];
	size_t i;
	int l;

	(void)state;
	tmppath(sub, sizeof(sub), "real");
	assert_int_equal(mkdir(sub, 0700), 0);
	for (l = 0; l < LANG__MAX; l++) {
		if (l == LANG_EN)
			continue;
		snprintf(name, sizeof(name), "%s.po", i18n_langs[l].tag);
		join(po, sizeof(po), podir, name);
		snprintf(name, sizeof(name), "%s.mo", i18n_langs[l].tag);
		join(mo, sizeof(mo), sub, name);
		assert_int_equal(run_msgfmt(po, mo), 0);
	}
	assert_int_equal(i18n_load(sub), 0);
	for (l = 0; l < LANG__MAX; l++)
		for (i = 0; i < sizeof(seed) / sizeof(seed[0]); i++) {
			if (l == LANG_EN)
				assert_ptr_equal(i18n_get(l, seed[i]), seed[i]);
			else if (strcmp(i18n_get(l, seed[i]), seed[i]) == 0)
				fail_msg("%s: \"%s\" not translated",
				    i18n_langs[l].tag, seed[i]);
		}
	assert_string_equal(i18n_get(LANG_AR, "Sign in"), "تسجيل الدخول");
	/* Arabic counts: the dual, three to ten, eleven and more. */
	{
		struct arena *a = arena_new();

		assert_string_equal(i18n_ago(a, LANG_AR, 2 * 3600),
		    "قبل ساعتين");
		assert_string_equal(i18n_ago(a, LANG_AR, 3 * 3600),
		    "قبل ٣ ساعات");
		assert_string_equal(i18n_ago(a, LANG_AR, 11 * 3600),
		    "قبل ١١ ساعة");
		assert_string_equal(i18n_ago(a, LANG_AR, 2 * 86400),
		    "قبل يومين");
		assert_string_equal(i18n_ago(a, LANG_AR, 5 * 86400),
		    "قبل ٥ أيام");
		assert_string_equal(i18n_ago(a, LANG_CKB, 5 * 60),
		    "٥ خولەک لەمەوبەر");
		arena_free(a);
	}
	i18n_free();
}

static void
test_tags(void **state)
{
	static const struct {
		const char	*tag;
		int		 lang;	/* -1: refused */
	} t[] = {
		{ "en", LANG_EN }, { "EN", LANG_EN }, { "ckb", LANG_CKB },
		{ "CKB", LANG_CKB }, { "kmr-Arab", LANG_KMR },
		{ "KMR-ARAB", LANG_KMR }, { "kmr-arab", LANG_KMR },
		{ "ar", LANG_AR }, { "Ar", LANG_AR },
		{ "", -1 }, { "kmr", -1 }, { "ku", -1 }, { "en-US", -1 },
		{ "ar ", -1 }, { " ar", -1 }, { "kmr_Arab", -1 },
		{ "english", -1 }, { "a", -1 },
	};
	enum lang l;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		l = (enum lang)42;
		r = i18n_from_tag(t[i].tag, &l);
		if (t[i].lang == -1) {
			if (r != -1)
				fail_msg("tag \"%s\" accepted", t[i].tag);
			assert_int_equal(l, 42);
		} else {
			if (r != 0 || (int)l != t[i].lang)
				fail_msg("tag \"%s\": %d %d", t[i].tag, r,
				    (int)l);
		}
	}
	assert_int_equal(i18n_from_tag(NULL, &l), -1);
	/* Tags round-trip; directions are right. */
	for (r = 0; r < LANG__MAX; r++) {
		assert_int_equal(i18n_from_tag(i18n_langs[r].tag, &l), 0);
		assert_int_equal(l, r);
		assert_non_null(i18n_langs[r].native);
		assert_string_equal(i18n_langs[r].dir,
		    r == LANG_EN ? "ltr" : "rtl");
	}
}

static void
test_negotiate(void **state)
{
	static const struct {
		const char	*h;
		enum lang	 want;
	} t[] = {
		{ "", LANG_EN },
		{ "*", LANG_EN },
		{ "en", LANG_EN },
		{ "en-US", LANG_EN },
		{ "en-GB,en;q=0.9", LANG_EN },
		{ "ar", LANG_AR },
		{ "ar-IQ", LANG_AR },
		{ "AR-iq", LANG_AR },
		{ "ar-Arab-IQ-u-nu-arab", LANG_AR },
		{ "ckb", LANG_CKB },
		{ "ckb-IQ", LANG_CKB },
		{ "ckb-Arab-IQ", LANG_CKB },
		{ "ku-Arab", LANG_CKB },
		{ "ku-arab-IQ", LANG_CKB },
		{ "ku-Arab-IR", LANG_CKB },
		{ "sdh", LANG_CKB },
		{ "sdh-IQ", LANG_CKB },
		{ "ku", LANG_KMR },
		{ "ku-IQ", LANG_KMR },
		{ "ku-TR", LANG_KMR },
		{ "ku-Latn", LANG_KMR },
		{ "ku-Latn-TR", LANG_KMR },
		{ "ku-Arabic", LANG_KMR },
		{ "kmr", LANG_KMR },
		{ "kmr-Arab", LANG_KMR },
		{ "kmr-Arab-IQ", LANG_KMR },
		{ "kmr-Latn-TR", LANG_KMR },
		{ "KMR-ARAB", LANG_KMR },
		{ "de", LANG_EN },
		{ "fr-FR,fr;q=0.9", LANG_EN },
		{ "fr-FR, ar;q=0.5", LANG_AR },
		{ "de, tr;q=0.8, ku;q=0.7, en;q=0.5", LANG_KMR },
		{ "ar;q=0.5, ckb;q=0.8", LANG_CKB },
		{ "en-US,en;q=0.9,ar;q=0.8", LANG_EN },
		{ "en;q=0.8, ar;q=0.9", LANG_AR },
		/* Equal weights: the first named wins. */
		{ "ar, ckb", LANG_AR },
		{ "ckb, ar", LANG_CKB },
		{ "ckb;q=0.9, ar;q=0.9", LANG_CKB },
		{ "ar;q=0.9, en;q=0.9, ar;q=1", LANG_AR },
		{ "kmr;q=0.5, ku-Arab;q=0.5", LANG_KMR },
		/* q=0 means "not this one". */
		{ "ar;q=0", LANG_EN },
		{ "ar;q=0.000", LANG_EN },
		{ "ar;q=0.", LANG_EN },
		{ "ar;q=0, ckb;q=0.001", LANG_CKB },
		{ "ar;q=0.001, ckb;q=0.002", LANG_CKB },
		/* The wildcard: any language not named. */
		{ "*, ar;q=0.5", LANG_EN },
		{ "ar;q=0.5, *;q=0.9", LANG_EN },
		{ "en;q=0, *;q=0.5", LANG_CKB },
		{ "en;q=0, ckb;q=0, *", LANG_KMR },
		{ "*;q=0", LANG_EN },
		{ "ar;q=0.4, *;q=0.1", LANG_AR },
		/* Valid and invalid qvalues. */
		{ "ar;q=1", LANG_AR },
		{ "ar;q=1.0", LANG_AR },
		{ "ar;q=1.000", LANG_AR },
		{ "ar;q=0.999", LANG_AR },
		{ "ar;Q=0.5", LANG_AR },
		{ "ar ; q = 0.5 , ckb;q=0.4", LANG_AR },
		{ "ar\t;\tq=0.3, ckb;q=0.2", LANG_AR },
		{ "ar;q=1.001, ckb;q=0.1", LANG_CKB },
		{ "ar;q=2, ckb;q=0.1", LANG_CKB },
		{ "ar;q=10", LANG_EN },
		{ "ar;q=-1", LANG_EN },
		{ "ar;q=-0.5, ckb;q=0.1", LANG_CKB },
		{ "ar;q=", LANG_EN },
		{ "ar;q= ", LANG_EN },
		{ "ar;q=.5", LANG_EN },
		{ "ar;q=0.5000", LANG_EN },
		{ "ar;q=0.5x", LANG_EN },
		{ "ar;q=0,5", LANG_EN },
		{ "ar;q=1e0", LANG_EN },
		{ "ar;q=0x1", LANG_EN },
		{ "ar;q=NaN", LANG_EN },
		{ "ar;q=inf", LANG_EN },
		{ "ar;q=0.5;q=0.9", LANG_EN },
		{ "ar;q", LANG_AR },
		{ "ar;level=1", LANG_AR },
		{ "ar;foo", LANG_AR },
		{ "ar;", LANG_AR },
		{ "ar;;;", LANG_AR },
		/* Ranges that are not well formed are skipped. */
		{ ";q=", LANG_EN },
		{ ";q=1", LANG_EN },
		{ ",,,ar,,,", LANG_AR },
		{ "  ar  ", LANG_AR },
		{ "en_US", LANG_EN },
		{ "ar_IQ", LANG_AR },
		{ "ckb-", LANG_EN },
		{ "-ar", LANG_EN },
		{ "ar--IQ", LANG_EN },
		{ "ar IQ", LANG_EN },
		{ "a", LANG_EN },
		{ "arr", LANG_EN },
		{ "abcdefghi", LANG_EN },
		{ "ar-abcdefghi", LANG_EN },
		{ "ar-123", LANG_AR },
		{ "ar-*", LANG_EN },
		{ "**", LANG_EN },
		{ "\xff\xfe", LANG_EN },
		{ "ar\xd9\xa0", LANG_EN },
		{ "العربية, ckb;q=0.1", LANG_CKB },
		{ "ar\r\n", LANG_EN },
		{ "\"ar\"", LANG_EN },
		{ "ar=1", LANG_EN },
	};
	char *h;
	size_t i, n;

	(void)state;
	assert_int_equal(i18n_negotiate(NULL), LANG_EN);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		/* An exact-size copy, so ASan sees a read past the end. */
		h = strdup(t[i].h);
		assert_non_null(h);
		if (i18n_negotiate(h) != t[i].want)
			fail_msg("\"%s\": got %s, want %s", t[i].h,
			    i18n_langs[i18n_negotiate(h)].tag,
			    i18n_langs[t[i].want].tag);
		free(h);
	}

	/* Very long headers: linear, and the right answer. */
	n = 1 << 20;
	h = malloc(n + 1);
	assert_non_null(h);
	memset(h, 'a', n);
	h[n] = '\0';
	assert_int_equal(i18n_negotiate(h), LANG_EN);
	memset(h, ';', n);
	assert_int_equal(i18n_negotiate(h), LANG_EN);
	memset(h, ',', n);
	memcpy(h + n - 2, "ar", 2);
	assert_int_equal(i18n_negotiate(h), LANG_AR);
	for (i = 0; i + 9 <= n; i += 9)
		memcpy(h + i, "ar;q=0.1,", 9);
	h[i] = '\0';
	assert_int_equal(i18n_negotiate(h), LANG_AR);
	memcpy(h + i - 9, "ckb;q=0.2", 9);
	assert_int_equal(i18n_negotiate(h), LANG_CKB);
	memset(h, 'a', n);
	h[n] = '\0';
	memcpy(h, "ar-", 3);
	assert_int_equal(i18n_negotiate(h), LANG_EN);
	for (i = 0; i < n; i++)
		h[i] = "ar;q=0.5-,*"[i % 11];
	h[n] = '\0';
	(void)i18n_negotiate(h);
	free(h);
}

static void
test_format_int(void **state)
{
	static const struct {
		enum lang	 l;
		long long	 v;
		const char	*want;
	} t[] = {
		{ LANG_EN, 0, "0" },
		{ LANG_EN, 7, "7" },
		{ LANG_EN, -5, "-5" },
		{ LANG_EN, 1234567890, "1234567890" },
		{ LANG_EN, LLONG_MAX, "9223372036854775807" },
		{ LANG_EN, LLONG_MIN, "-9223372036854775808" },
		{ LANG_AR, 0, "٠" },
		{ LANG_AR, 2800, "٢٨٠٠" },
		{ LANG_CKB, 1234567890, "١٢٣٤٥٦٧٨٩٠" },
		{ LANG_KMR, 276, "٢٧٦" },
		{ LANG_KMR, -42, "\xd8\x9c-٤٢" },
		{ LANG_AR, -1, "\xd8\x9c-١" },
		{ LANG_AR, LLONG_MAX, "٩٢٢٣٣٧٢٠٣٦٨٥٤٧٧٥٨٠٧" },
		{ LANG_CKB, LLONG_MIN, "\xd8\x9c-٩٢٢٣٣٧٢٠٣٦٨٥٤٧٧٥٨٠٨" },
	};
	char buf[64], *exact;
	size_t i, need;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(i18n_format_int(t[i].l, t[i].v, buf,
		    sizeof(buf)), 0);
		assert_string_equal(buf, t[i].want);
		/* Exactly enough room fits; one byte less does not. */
		need = strlen(t[i].want) + 1;
		exact = malloc(need);
		assert_non_null(exact);
		assert_int_equal(i18n_format_int(t[i].l, t[i].v, exact, need),
		    0);
		assert_string_equal(exact, t[i].want);
		assert_int_equal(i18n_format_int(t[i].l, t[i].v, exact,
		    need - 1), -1);
		if (need > 1)
			assert_string_equal(exact, "");
		free(exact);
	}
	assert_int_equal(i18n_format_int(LANG_EN, 1, buf, 0), -1);
	assert_int_equal(i18n_format_int(LANG_EN, 1, NULL, 8), -1);
	/* An unknown language gets ASCII digits. */
	assert_int_equal(i18n_format_int((enum lang)9, -12, buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "-12");
}

static void
test_ago(void **state)
{
	static const struct {
		long long	 s;
		const char	*want;
	} t[] = {
		{ 0, "just now" },
		{ 59, "just now" },
		{ 60, "a minute ago" },
		{ 119, "a minute ago" },
		{ 120, "2 minutes ago" },
		{ 3599, "59 minutes ago" },
		{ 3600, "an hour ago" },
		{ 7200, "2 hours ago" },
		{ 86399, "23 hours ago" },
		{ 86400, "a day ago" },
		{ 2 * 86400, "2 days ago" },
		{ 7 * 86400 - 1, "6 days ago" },
	};
	struct arena *a = arena_new();
	size_t i;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(i18n_ago(a, LANG_EN, t[i].s), t[i].want);
	/* A week or more, or a clock that went backwards: the date says it. */
	assert_null(i18n_ago(a, LANG_EN, 7 * 86400));
	assert_null(i18n_ago(a, LANG_EN, -1));
	/* Numbers in the language's digits, even with no catalogue. */
	assert_non_null(strstr(i18n_ago(a, LANG_AR, 3 * 3600), "٣"));
	arena_free(a);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_msgfmt),
		cmocka_unit_test(test_parse_swapped),
		cmocka_unit_test(test_unsorted_dups),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_truncated_corrupt),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_real_catalogues),
		cmocka_unit_test(test_plural_forms),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_format_int),
		cmocka_unit_test(test_ago),
	};

	if (argc > 1)
		fixtures = argv[1];
	if (argc > 2)
		podir = argv[2];
	return cmocka_run_group_tests(tests, setup, teardown);
}
