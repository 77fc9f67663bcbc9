/*
 * Translation catalogues and the choice of language.  A catalogue is the
 * whole .mo image copied into memory this module owns plus a table of
 * (msgid, msgstr) pointers into it, sorted by msgid for binary search.
 * The .mo format (GNU gettext manual, "The Format of GNU MO Files") is
 * read here rather than through libintl because libintl picks catalogues
 * by installed locale and there is no locale for Bahdini.  The file is
 * treated as untrusted: every offset and length is checked against its
 * size, strings must be NUL-terminated and valid UTF-8, and the order of
 * entries in the file is not relied upon.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "i18n.h"
#include "log.h"

#define MO_MAGIC	0x950412deU
#define MO_MAGIC_SWAP	0xde120495U
#define MO_HDRLEN	28		/* magic, revision, N, O, T, S, H */
#define MO_MAXSIZE	(16U << 20)	/* far above any real catalogue */

const struct lang_info i18n_langs[LANG__MAX] = {
	[LANG_EN] = { "en", "English", "ltr" },
	[LANG_CKB] = { "ckb", "کوردی (سۆرانی)", "rtl" },
	[LANG_KMR] = { "kmr-Arab", "کوردی (بادینی)", "rtl" },
	[LANG_AR] = { "ar", "العربية", "rtl" },
};

struct entry {
	const char	*id;
	const char	*str;
	size_t		 slen;	/* str: every plural form, NULs between */
};

/*
 * Plural rules: which form (msgstr[i]) a count takes.  The Plural-Forms
 * header of each catalogue must be one of these expressions (spaces
 * aside) with its nplurals, and the one its language needs.
 */
static const struct {
	int		 nplurals;
	const char	*expr;	/* without spaces */
} plural_rules[I18N_PLURAL__MAX] = {
	[I18N_PLURAL_ONE_OTHER] = { 2, "(n!=1)" },
	[I18N_PLURAL_AR] = { 6, "(n==0?0:n==1?1:n==2?2:n%100>=3&&n%100<=10?3:"
	    "n%100>=11?4:5)" },
};

/* The rule each language needs (CLDR: Arabic has six forms). */
static const enum i18n_plural lang_rule[LANG__MAX] = {
	[LANG_EN] = I18N_PLURAL_ONE_OTHER,
	[LANG_CKB] = I18N_PLURAL_ONE_OTHER,
	[LANG_KMR] = I18N_PLURAL_ONE_OTHER,
	[LANG_AR] = I18N_PLURAL_AR,
};

struct catalogue {
	unsigned char	*image;	/* the .mo file; id and str point into it */
	struct entry	*ents;
	size_t		 n;
};

static struct catalogue cats[LANG__MAX];

static void
cat_free(struct catalogue *c)
{
	free(c->ents);
	free(c->image);
	memset(c, 0, sizeof(*c));
}

/* One 32-bit word of the image at off: little-endian, or big if swap. */
static uint32_t
get32(const unsigned char *p, size_t off, int swap)
{
	if (swap)
		return (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
		    (uint32_t)p[off + 2] << 8 | (uint32_t)p[off + 3];
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	    (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

/* Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static int
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			cp = s[i] & 0x1f;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			cp = s[i] & 0x0f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			cp = s[i] & 0x07;
		} else
			return -1;
		if (len - i - 1 < n)
			return -1;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return -1;
		i += n + 1;
	}
	return 0;
}

/*
 * Check the string descriptor at table offset off: the string lies
 * inside the image and is followed by a NUL.  Its first NUL-terminated
 * part (the singular, for a plural entry) is returned in *sp, its
 * length in *lenp; the whole stored length is added to *work.
 */
static int
mo_string(const unsigned char *p, size_t len, size_t off, int swap,
    const char **sp, size_t *lenp, size_t *work, size_t *whole)
{
	size_t slen, soff;
	const unsigned char *nul;

	slen = get32(p, off, swap);
	soff = get32(p, off + 4, swap);
	if (soff >= len || slen >= len - soff || p[soff + slen] != '\0')
		return -1;
	*work += slen;
	if (whole != NULL)
		*whole = slen;
	nul = memchr(p + soff, '\0', slen + 1);
	*sp = (const char *)(p + soff);
	*lenp = (size_t)(nul - (p + soff));
	return 0;
}

/* The header entry must not name a charset other than UTF-8. */
static int
mo_header(const char *h)
{
	const char *cs;
	size_t n;

	if ((cs = strstr(h, "charset=")) == NULL)
		return 0;
	cs += strlen("charset=");
	n = strcspn(cs, " ;\t\r\n");
	if (n == 5 && strncasecmp(cs, "UTF-8", 5) == 0)
		return 0;
	return -1;
}

int
i18n_plural_forms(const char *h)
{
	char nbuf[16], ebuf[160];
	const char *p, *e;
	size_t i, k;
	int r;

	if (h == NULL || (p = strstr(h, "Plural-Forms:")) == NULL)
		return -1;
	p += strlen("Plural-Forms:");
	e = p + strcspn(p, "\n");
	/* "nplurals=N; plural=EXPR;" with the spaces taken out. */
	for (k = 0, i = 0; p + i < e && k < sizeof(ebuf) - 1; i++)
		if (p[i] != ' ' && p[i] != '\t')
			ebuf[k++] = p[i];
	ebuf[k] = '\0';
	if (p + i < e)
		return -1;
	for (r = 0; r < I18N_PLURAL__MAX; r++) {
		snprintf(nbuf, sizeof(nbuf), "%d", plural_rules[r].nplurals);
		if (strncmp(ebuf, "nplurals=", 9) == 0 &&
		    strncmp(ebuf + 9, nbuf, strlen(nbuf)) == 0 &&
		    strncmp(ebuf + 9 + strlen(nbuf), ";plural=", 8) == 0 &&
		    strncmp(ebuf + 17 + strlen(nbuf), plural_rules[r].expr,
		    strlen(plural_rules[r].expr)) == 0 &&
		    strcmp(ebuf + 17 + strlen(nbuf) +
		    strlen(plural_rules[r].expr), ";") == 0)
			return r;
	}
	return -1;
}

/* The form a count takes under a rule. */
static unsigned int
plural_form(enum i18n_plural r, unsigned long long n)
{
	if (r == I18N_PLURAL_AR)
		return n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 :
		    n % 100 >= 3 && n % 100 <= 10 ? 3 : n % 100 >= 11 ? 4 : 5;
	return n != 1;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r;

	if ((r = strcmp(x->id, y->id)) != 0)
		return r;
	/* Duplicates: keep the one stored first in the file. */
	return (x->str > y->str) - (x->str < y->str);
}

static int
parse_mo(struct catalogue *out, const unsigned char *src, size_t len,
    const char *name, const enum i18n_plural *rule)
{
	struct catalogue c;
	uint32_t magic, n, otab, ttab;
	size_t i, j, idlen, stlen, whole, work = 0;
	const char *id, *str;
	int swap;

	memset(&c, 0, sizeof(c));
	if (len < MO_HDRLEN || len > MO_MAXSIZE) {
		log_warnx("%s: %s: bad size %zu", __func__, name, len);
		return -1;
	}
	magic = get32(src, 0, 0);
	if (magic == MO_MAGIC)
		swap = 0;
	else if (magic == MO_MAGIC_SWAP)
		swap = 1;
	else {
		log_warnx("%s: %s: not a .mo file", __func__, name);
		return -1;
	}
	/* Major revisions 0 and 1 share the layout read here. */
	if (get32(src, 4, swap) >> 16 > 1) {
		log_warnx("%s: %s: unknown revision", __func__, name);
		return -1;
	}
	n = get32(src, 8, swap);
	otab = get32(src, 12, swap);
	ttab = get32(src, 16, swap);
	if (otab > len || (len - otab) / 8 < n ||
	    ttab > len || (len - ttab) / 8 < n) {
		log_warnx("%s: %s: tables out of bounds", __func__, name);
		return -1;
	}

	/* Own a copy, so the entries may point into it. */
	c.image = xmalloc(len);
	memcpy(c.image, src, len);
	c.ents = xcalloc(n ? n : 1, sizeof(*c.ents));

	for (i = 0; i < n; i++) {
		if (mo_string(c.image, len, otab + i * 8, swap, &id, &idlen,
		    &work, NULL) == -1 ||
		    mo_string(c.image, len, ttab + i * 8, swap, &str, &stlen,
		    &work, &whole) == -1) {
			log_warnx("%s: %s: entry %zu out of bounds", __func__,
			    name, i);
			goto fail;
		}
		/*
		 * Distinct strings of a real file do not overlap, so their
		 * lengths add up to less than the file.  Refuse files whose
		 * entries share bytes over and over: they only cost time.
		 */
		if (work > len) {
			log_warnx("%s: %s: overlapping strings", __func__,
			    name);
			goto fail;
		}
		if (utf8_valid((const unsigned char *)id, idlen) == -1 ||
		    utf8_valid((const unsigned char *)str, stlen) == -1) {
			log_warnx("%s: %s: entry %zu is not UTF-8", __func__,
			    name, i);
			goto fail;
		}
		if (idlen == 0) {
			if (mo_header(str) == -1) {
				log_warnx("%s: %s: charset is not UTF-8",
				    __func__, name);
				goto fail;
			}
			if (rule != NULL && i18n_plural_forms(str) !=
			    (int)*rule)
				log_warnx("%s: %s: Plural-Forms is not the "
				    "language's; counts use its own rule",
				    __func__, name);
			continue;
		}
		/* Untranslated.  (An id "context\4msgid" has a context.) */
		if (stlen == 0)
			continue;
		c.ents[c.n].id = id;
		c.ents[c.n].str = str;
		c.ents[c.n].slen = whole;
		c.n++;
	}

	if (c.n > 1) {
		qsort(c.ents, c.n, sizeof(*c.ents), entry_cmp);
		for (i = 1, j = 1; i < c.n; i++)
			if (strcmp(c.ents[i].id, c.ents[j - 1].id) != 0)
				c.ents[j++] = c.ents[i];
		c.n = j;
	}
	*out = c;
	return 0;
 fail:
	cat_free(&c);
	return -1;
}

int
i18n_parse_mo(enum lang l, const unsigned char *p, size_t len)
{
	struct catalogue c;

	if ((unsigned)l >= LANG__MAX || (p == NULL && len > 0))
		return -1;
	if (parse_mo(&c, p, len, i18n_langs[l].tag, &lang_rule[l]) == -1)
		return -1;
	cat_free(&cats[l]);
	cats[l] = c;
	return 0;
}

/* Read path into out; a missing file gives an empty catalogue. */
static int
load_file(struct catalogue *out, const char *path,
    const enum i18n_plural *rule)
{
	struct stat st;
	unsigned char *p = NULL;
	size_t len, off = 0;
	ssize_t r;
	int fd, rv = -1;

	memset(out, 0, sizeof(*out));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT) {
			log_warnx("%s: %s: missing, using English", __func__,
			    path);
			return 0;
		}
		log_warn("%s: %s", __func__, path);
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		log_warn("%s: %s", __func__, path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (unsigned long long)st.st_size > MO_MAXSIZE) {
		log_warnx("%s: %s: not a regular file of sane size", __func__,
		    path);
		goto out;
	}
	len = (size_t)st.st_size;
	p = xmalloc(len ? len : 1);
	while (off < len) {
		if ((r = read(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s: %s", __func__, path);
			goto out;
		}
		if (r == 0)
			break;
		off += (size_t)r;
	}
	rv = parse_mo(out, p, off, path, rule);
 out:
	free(p);
	close(fd);
	return rv;
}

int
i18n_load(const char *dir)
{
	struct catalogue next[LANG__MAX];
	char path[PATH_MAX];
	int l, i, len;

	memset(next, 0, sizeof(next));
	for (l = 0; l < LANG__MAX; l++) {
		if (l == LANG_EN)
			continue;
		len = snprintf(path, sizeof(path), "%s/%s.mo", dir,
		    i18n_langs[l].tag);
		if (len < 0 || (size_t)len >= sizeof(path)) {
			log_warnx("%s: %s: path too long", __func__, dir);
			goto fail;
		}
		if (load_file(&next[l], path, &lang_rule[l]) == -1)
			goto fail;
		log_debug("%s: %s: %zu messages", __func__, path, next[l].n);
	}
	for (l = 0; l < LANG__MAX; l++) {
		cat_free(&cats[l]);
		cats[l] = next[l];
	}
	return 0;
 fail:
	for (i = 0; i < LANG__MAX; i++)
		cat_free(&next[i]);
	return -1;
}

void
i18n_free(void)
{
	int l;

	for (l = 0; l < LANG__MAX; l++)
		cat_free(&cats[l]);
}

size_t
i18n_count(enum lang l)
{
	if ((unsigned)l >= LANG__MAX)
		return 0;
	return cats[l].n;
}

static const struct entry *
find(enum lang l, const char *id)
{
	const struct catalogue *c;
	size_t lo, hi, mid;
	int r;

	if ((unsigned)l >= LANG__MAX)
		return NULL;
	c = &cats[l];
	lo = 0;
	hi = c->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = strcmp(id, c->ents[mid].id)) == 0)
			return &c->ents[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
i18n_get(enum lang l, const char *msgid)
{
	const struct entry *e;

	if (msgid == NULL)
		return "";
	return (e = find(l, msgid)) != NULL ? e->str : msgid;
}

const char *
i18n_nget(enum lang l, const char *singular, const char *plural,
    unsigned long long n)
{
	const struct entry *e;
	const char *s, *end;
	unsigned int form, i;

	if (singular == NULL || plural == NULL)
		return "";
	if ((unsigned)l < LANG__MAX && (e = find(l, singular)) != NULL) {
		form = plural_form(lang_rule[l], n);
		s = e->str;
		end = e->str + e->slen;
		for (i = 0; i < form && s < end; i++)
			s += strlen(s) + 1;
		/* A form the catalogue lacks: English, not a wrong form. */
		if (s < end && *s != '\0')
			return s;
	}
	return n == 1 ? singular : plural;
}

const char *
i18n_pget(enum lang l, const char *context, const char *msgid)
{
	const struct entry *e;
	char id[256];
	int len;

	if (msgid == NULL)
		return "";
	len = snprintf(id, sizeof(id), "%s\004%s", context, msgid);
	if (len < 0 || (size_t)len >= sizeof(id))
		return msgid;
	return (e = find(l, id)) != NULL ? e->str : msgid;
}

int
i18n_from_tag(const char *tag, enum lang *out)
{
	int l;

	if (tag == NULL)
		return -1;
	for (l = 0; l < LANG__MAX; l++)
		if (strcasecmp(tag, i18n_langs[l].tag) == 0) {
			*out = (enum lang)l;
			return 0;
		}
	return -1;
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim optional whitespace from both ends of [*b, *e). */
static void
trim(const char **b, const char **e)
{
	while (*b < *e && is_ows(**b))
		(*b)++;
	while (*e > *b && is_ows((*e)[-1]))
		(*e)--;
}

/*
 * A qvalue (RFC 9110 12.4.2): "0" ["." 0*3DIGIT] or "1" ["." 0*3"0"],
 * in thousandths.
 */
static int
parse_q(const char *b, const char *e, int *q)
{
	int v, scale = 100;

	if (b == e || (*b != '0' && *b != '1'))
		return -1;
	v = (*b++ - '0') * 1000;
	if (b == e)
		goto done;
	if (*b++ != '.' || e - b > 3)
		return -1;
	for (; b < e; b++, scale /= 10) {
		if (!is_digit(*b))
			return -1;
		v += (*b - '0') * scale;
	}
	if (v > 1000)
		return -1;
 done:
	*q = v;
	return 0;
}

/* Which of our languages a range names: see the table in i18n.h. */
static int
map_range(const char *b, const char *e, int *l)
{
	const char *p, *sub;
	char prim[9];
	size_t n = 0;
	int arab = 0;

	if (e - b == 1 && *b == '*') {
		*l = -1;	/* the wildcard */
		return 0;
	}
	for (p = b; p < e && is_alpha(*p); p++)
		if (n < 8)
			prim[n++] = (char)(*p | 0x20);
		else
			return -1;
	if (n == 0)
		return -1;
	prim[n] = '\0';
	/* Subtags: 1*8 alphanum each; '_' is taken for '-' as sent by
	 * some clients that pass POSIX locale names. */
	while (p < e) {
		if (*p != '-' && *p != '_')
			return -1;
		sub = ++p;
		while (p < e && (is_alpha(*p) || is_digit(*p)))
			p++;
		if (p == sub || p - sub > 8)
			return -1;
		if (p - sub == 4 && strncasecmp(sub, "arab", 4) == 0)
			arab = 1;
	}
	if (strcmp(prim, "en") == 0)
		*l = LANG_EN;
	else if (strcmp(prim, "ar") == 0)
		*l = LANG_AR;
	else if (strcmp(prim, "ckb") == 0 || strcmp(prim, "sdh") == 0)
		*l = LANG_CKB;
	else if (strcmp(prim, "kmr") == 0)
		*l = LANG_KMR;
	else if (strcmp(prim, "ku") == 0)
		*l = arab ? LANG_CKB : LANG_KMR;
	else
		return -1;
	return 0;
}

/* One parameter, [b, e) without the ';'.  Only q is understood. */
static int
parse_param(const char *b, const char *e, int *q, int *seen_q)
{
	const char *eq, *vb;

	trim(&b, &e);
	for (eq = b; eq < e && *eq != '='; eq++)
		continue;
	if (eq == e)
		return 0;	/* a bare parameter: ignore */
	vb = eq + 1;
	trim(&b, &eq);
	if (eq - b != 1 || (*b | 0x20) != 'q')
		return 0;
	trim(&vb, &e);
	if ((*seen_q)++ || parse_q(vb, e, q) == -1)
		return -1;
	return 0;
}

/*
 * One element of the list, [b, e) without the comma: a range, then
 * parameters.  An element whose q is malformed (or given twice) is
 * ignored as a whole, since its weight cannot be known.
 */
static int
parse_element(const char *b, const char *e, int *l, int *q)
{
	const char *p, *pe;
	int seen_q = 0;

	*q = 1000;
	for (p = b; p < e && *p != ';'; p++)
		continue;
	pe = p;
	trim(&b, &pe);
	if (map_range(b, pe, l) == -1)
		return -1;
	while (p < e) {
		b = ++p;	/* past ';' */
		while (p < e && *p != ';')
			p++;
		if (parse_param(b, p, q, &seen_q) == -1)
			return -1;
	}
	return 0;
}

enum lang
i18n_negotiate(const char *h)
{
	int q[LANG__MAX], named[LANG__MAX];
	size_t pos[LANG__MAX], star_pos = 0, elem = 0;
	const char *b, *e;
	int l, eq, star_q = -1, best = LANG_EN, best_q = 0;
	size_t best_pos = SIZE_MAX;

	if (h == NULL)
		return LANG_EN;
	for (l = 0; l < LANG__MAX; l++) {
		q[l] = -1;
		named[l] = 0;
		pos[l] = SIZE_MAX;
	}
	for (b = h; *b != '\0'; b = *e == ',' ? e + 1 : e, elem++) {
		for (e = b; *e != '\0' && *e != ','; e++)
			continue;
		if (parse_element(b, e, &l, &eq) == -1)
			continue;
		if (l == -1) {
			if (eq > star_q) {
				star_q = eq;
				star_pos = elem;
			}
			continue;
		}
		named[l] = 1;
		if (eq > q[l]) {
			q[l] = eq;
			pos[l] = elem;
		}
	}
	/* The wildcard stands for every language not named. */
	for (l = 0; l < LANG__MAX; l++)
		if (!named[l] && star_q >= 0) {
			q[l] = star_q;
			pos[l] = star_pos;
		}
	for (l = 0; l < LANG__MAX; l++)
		if (q[l] > best_q || (q[l] > 0 && q[l] == best_q &&
		    pos[l] < best_pos)) {
			best = l;
			best_q = q[l];
			best_pos = pos[l];
		}
	return (enum lang)best;
}

int
i18n_format_int(enum lang l, long long v, char *dst, size_t dstlen)
{
	/* U+0660..U+0669 are D9 A0..D9 A9; U+061C is D8 9C. */
	static const char alm_minus[] = "\xd8\x9c-";
	char digits[24];
	unsigned long long u;
	size_t nd = 0, need, o = 0, dw;
	int arabic;

	if (dst == NULL || dstlen == 0)
		return -1;
	dst[0] = '\0';
	arabic = (unsigned)l < LANG__MAX && l != LANG_EN;
	/* Negate in unsigned arithmetic: LLONG_MIN has no positive twin. */
	u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	dw = arabic ? 2 : 1;
	need = nd * dw + 1;
	if (v < 0)
		need += arabic ? sizeof(alm_minus) - 1 : 1;
	if (need > dstlen)
		return -1;
	if (v < 0) {
		if (arabic) {
			memcpy(dst, alm_minus, sizeof(alm_minus) - 1);
			o = sizeof(alm_minus) - 1;
		} else
			dst[o++] = '-';
	}
	while (nd > 0) {
		nd--;
		if (arabic) {
			dst[o++] = '\xd9';
			dst[o++] = (char)(0xa0 + (digits[nd] - '0'));
		} else
			dst[o++] = digits[nd];
	}
	dst[o] = '\0';
	return 0;
}

const char *
i18n_num(struct arena *a, enum lang l, long long v)
{
	char tmp[96];

	if (i18n_format_int(l, v, tmp, sizeof(tmp)) == -1)
		return "?";
	return arena_strdup(a, tmp);
}

const char *
i18n_isolate(struct arena *a, const char *s)
{
	return arena_printf(a, I18N_FSI "%s" I18N_PDI, s);
}

const char *
i18n_digits(struct arena *a, enum lang l, const char *s)
{
	struct buf b;
	const char *out;

	/* Always a copy, as i18n.h says: callers free the PGresult that s
	 * points into before the page is made (mod_user's "since"). */
	if (l == LANG_EN)
		return arena_strdup(a, s);
	buf_init(&b);
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9') {
			/* U+0660 ARABIC-INDIC DIGIT ZERO onwards */
			buf_putc(&b, (char)0xd9);
			buf_putc(&b, (char)(0xa0 + (*s - '0')));
		} else
			buf_putc(&b, *s);
	}
	out = arena_buf(a, &b);
	buf_free(&b);
	return out;
}

const char *
i18n_ago(struct arena *a, enum lang l, long long seconds)
{
	const char *msgid;
	long long n;

	if (seconds < 0 || seconds >= 7 * 86400)
		return NULL;
	if (seconds < 60)
		return i18n_get(l, N_("just now"));
	if (seconds < 120)
		return i18n_get(l, N_("a minute ago"));
	if (seconds < 3600) {
		n = seconds / 60;
		/* TRANSLATORS: %s is a number from 2 to 59. */
		msgid = i18n_nget(l, NN_("%s minute ago", "%s minutes ago"),
		    (unsigned long long)n);
	} else if (seconds < 7200)
		return i18n_get(l, N_("an hour ago"));
	else if (seconds < 86400) {
		n = seconds / 3600;
		/* TRANSLATORS: %s is a number from 2 to 23. */
		msgid = i18n_nget(l, NN_("%s hour ago", "%s hours ago"),
		    (unsigned long long)n);
	} else if (seconds < 2 * 86400)
		return i18n_get(l, N_("a day ago"));
	else {
		n = seconds / 86400;
		/* TRANSLATORS: %s is a number from 2 to 6. */
		msgid = i18n_nget(l, NN_("%s day ago", "%s days ago"),
		    (unsigned long long)n);
	}
	return arena_printf(a, msgid, i18n_num(a, l, n));
}

/* s with Arabic-Indic (U+0660..9) and Persian (U+06F0..9) digits made
 * ASCII, into out[n]; -1 when it does not fit. */
static int
ascii_digits(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	char c;

	while (*p != '\0') {
		if (p[0] == 0xd9 && p[1] >= 0xa0 && p[1] <= 0xa9) {
			c = (char)('0' + (p[1] - 0xa0));
			p += 2;
		} else if (p[0] == 0xdb && p[1] >= 0xb0 && p[1] <= 0xb9) {
			c = (char)('0' + (p[1] - 0xb0));
			p += 2;
		} else
			c = (char)*p++;
		if (o + 1 >= n)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static int
digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
i18n_parse_date(const char *s, char out[11])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	char a[16];
	int y, m, d, leap;

	if (ascii_digits(s, a, sizeof(a)) == -1 || strlen(a) != 10 ||
	    a[4] != '-' || a[7] != '-')
		return -1;
	y = digits(a, 4);
	m = digits(a + 5, 2);
	d = digits(a + 8, 2);
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1)
		return -1;
	leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

int
i18n_parse_time(const char *s, char out[6])
{
	char a[16];
	int h, m;
	size_t n;

	if (ascii_digits(s, a, sizeof(a)) == -1)
		return -1;
	n = strlen(a);
	/* "9:30", "09:30", and "09:30:00" as some browsers send it. */
	if (n == 4 && a[1] == ':') {
		h = digits(a, 1);
		m = digits(a + 2, 2);
	} else if ((n == 5 || (n == 8 && a[5] == ':' &&
	    digits(a + 6, 2) == 0)) && a[2] == ':') {
		h = digits(a, 2);
		m = digits(a + 3, 2);
	} else
		return -1;
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	snprintf(out, 6, "%02d:%02d", h, m);
	return 0;
}
