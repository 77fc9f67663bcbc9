/*
 * Growable buffers and a bump-pointer arena.  The arena hands out memory
 * from chunks and frees them all at once: a request never frees piece by
 * piece, so it cannot leak piece by piece.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "log.h"

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		log_fatal("malloc %zu", n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p;

	if ((p = calloc(n ? n : 1, sz ? sz : 1)) == NULL)
		log_fatal("calloc %zu", n * sz);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p;

	if ((p = realloc(old, n ? n : 1)) == NULL)
		log_fatal("realloc %zu", n);
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		log_fatal("strdup");
	return p;
}

void
buf_init(struct buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	size_t want;

	if (n > SIZE_MAX / 2 - b->len)
		log_fatalx("buf_grow: overflow");
	want = b->len + n + 1;
	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < want)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

void
buf_append(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	char probe[1];
	int n;

	if (fmt == NULL)
		log_fatalx("buf_vprintf: no format");
	va_copy(ap2, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		log_fatalx("buf_vprintf: bad format");
	buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_release(struct buf *b, size_t *len)
{
	char *p;

	if (b->p == NULL)
		buf_grow(b, 0), b->p[0] = '\0';
	p = b->p;
	if (len != NULL)
		*len = b->len;
	buf_init(b);
	return p;
}

#define ARENA_CHUNK	8192
#define ARENA_ALIGN	16

struct chunk {
	struct chunk	*next;
	size_t		 used;
	size_t		 size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

/* Run when the arena is freed, newest first: results of queries. */
struct cleanup {
	struct cleanup	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct arena {
	struct chunk	*head;
	struct cleanup	*cleanups;
};

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void
arena_free(struct arena *a)
{
	struct chunk *c, *next;

	if (a == NULL)
		return;
	for (struct cleanup *k = a->cleanups; k != NULL; k = k->next)
		k->fn(k->arg);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct cleanup *k;

	k = arena_alloc(a, sizeof(*k));
	k->fn = fn;
	k->arg = arg;
	k->next = a->cleanups;
	a->cleanups = k;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c;
	size_t size;
	void *p;

	if (n > SIZE_MAX / 2)
		log_fatalx("arena_alloc: overflow");
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		/* Keep a big one-off block behind the current chunk. */
		if (n > ARENA_CHUNK / 2 && a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_buf(struct arena *a, const struct buf *b)
{
	return arena_strndup(a, b->p != NULL ? b->p : "", b->len);
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p, probe[1];
	int n;

	if (fmt == NULL)
		log_fatalx("arena_printf: no format");
	va_start(ap, fmt);
	n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	if (n < 0)
		log_fatalx("arena_printf: bad format");
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * zlib's streams, kept for the next page: setting one up costs more than
 * compressing a small page with it (its 256 KB of tables are allocated
 * and cleared each time), so a few are reused (deflateReset) by whichever
 * thread compresses.  More than ZPOOL at once get a stream of their own.
 * They make raw deflate at level 1 (a 31 KB page in 0.2 ms instead of
 * 0.7 ms at level 5, for a few per cent more bytes); gzip's header and
 * trailer are written here, so that a page can be joined from pieces
 * compressed apart (buf_gzip_join).
 */
#define ZPOOL	4

static pthread_mutex_t zpool_mtx = PTHREAD_MUTEX_INITIALIZER;
static z_stream *zpool[ZPOOL];
static int nzpool;

static z_stream *
zstream_new(int level)
{
	z_stream *z;

	z = xcalloc(1, sizeof(*z));
	if (deflateInit2(z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

static z_stream *
zstream_get(void)
{
	z_stream *z = NULL;

	pthread_mutex_lock(&zpool_mtx);
	if (nzpool > 0)
		z = zpool[--nzpool];
	pthread_mutex_unlock(&zpool_mtx);
	if (z != NULL) {
		deflateReset(z);
		return z;
	}
	return zstream_new(1);
}

static void
zstream_put(z_stream *z)
{
	pthread_mutex_lock(&zpool_mtx);
	if (nzpool < ZPOOL) {
		zpool[nzpool++] = z;
		z = NULL;
	}
	pthread_mutex_unlock(&zpool_mtx);
	if (z != NULL) {
		deflateEnd(z);
		free(z);
	}
}

void
buf_gzip_free(void)
{
	pthread_mutex_lock(&zpool_mtx);
	while (nzpool > 0) {
		deflateEnd(zpool[--nzpool]);
		free(zpool[nzpool]);
	}
	pthread_mutex_unlock(&zpool_mtx);
}

/* Compress in onto the end of out with z; flush is Z_SYNC_FLUSH (the
 * output ends on a byte boundary, no last block) or Z_FINISH. */
static int
deflate_onto(z_stream *z, struct buf *out, const char *in, size_t len,
    int flush)
{
	size_t bound = deflateBound(z, len) + 16;
	int rc;

	buf_grow(out, bound);
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)out->p + out->len;
	z->avail_out = (uInt)bound;
	rc = deflate(z, flush);
	out->len = bound - z->avail_out + out->len;
	if (z->avail_in != 0 || (flush == Z_FINISH ? rc != Z_STREAM_END :
	    rc != Z_OK))
		return -1;
	return 0;
}

int
buf_deflate_part(struct gz_piece *pc, int level)
{
	struct buf out;
	z_stream *z;
	int rc;

	if ((z = zstream_new(level)) == NULL)
		return -1;
	buf_init(&out);
	rc = deflate_onto(z, &out, pc->p, pc->len, Z_SYNC_FLUSH);
	deflateEnd(z);
	free(z);
	if (rc == -1) {
		buf_free(&out);
		return -1;
	}
	pc->crc = crc32(crc32(0, NULL, 0), (const Bytef *)pc->p,
	    (uInt)pc->len);
	pc->z = buf_release(&out, &pc->zlen);
	return 0;
}

static void
le32_put(struct buf *b, uint32_t v)
{
	unsigned char p[4];

	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	buf_append(b, p, sizeof(p));
}

/*
 * Append in as stored blocks (deflate's type 0: a byte of flags on a byte
 * boundary, the length and its complement, the bytes), the last one
 * ending the stream when last.
 */
static void
stored_onto(struct buf *out, const char *in, size_t len, int last)
{
	unsigned char h[5];
	size_t n;

	do {
		n = len < 65535 ? len : 65535;
		h[0] = last && n == len ? 1 : 0;
		h[1] = (unsigned char)n;
		h[2] = (unsigned char)(n >> 8);
		h[3] = (unsigned char)~n;
		h[4] = (unsigned char)(~n >> 8);
		buf_append(out, h, sizeof(h));
		buf_append(out, in, n);
		in += n;
		len -= n;
	} while (len > 0);
}

/*
 * Each piece compressed here starts a stream anew (deflateReset): its
 * matches may not reach back past a piece compressed elsewhere, whose
 * bytes the stream has not seen.  A stored piece ends on a byte boundary
 * without a last block (buf_deflate_part); after one at the end, an empty
 * last block (fixed codes: the bits 1, 01 and the end code 0000000) ends
 * the stream.  The CRC of the whole is combined from the pieces'.
 */
int
buf_gzip_join(struct buf *out, const struct gz_piece *pc, size_t n,
    int store)
{
	static const unsigned char head[10] = {
		0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff	/* OS: unknown */
	};
	static const unsigned char last_block[2] = { 0x03, 0x00 };
	z_stream *z = NULL;
	uLong crc = crc32(0, NULL, 0);
	size_t i, total = 0;
	int used = 0;

	if (!store && (z = zstream_get()) == NULL)
		return -1;
	buf_append(out, head, sizeof(head));
	for (i = 0; i < n; i++) {
		if (pc[i].z != NULL) {
			buf_append(out, pc[i].z, pc[i].zlen);
			if (i == n - 1)
				buf_append(out, last_block, sizeof(last_block));
			crc = crc32_combine(crc, pc[i].crc, (z_off_t)pc[i].len);
		} else if (store) {
			stored_onto(out, pc[i].p, pc[i].len, i == n - 1);
			crc = crc32(crc, (const Bytef *)pc[i].p,
			    (uInt)pc[i].len);
		} else {
			if (used++)
				deflateReset(z);
			if (deflate_onto(z, out, pc[i].p, pc[i].len, i == n - 1 ?
			    Z_FINISH : Z_SYNC_FLUSH) == -1) {
				zstream_put(z);
				return -1;
			}
			crc = crc32(crc, (const Bytef *)pc[i].p,
			    (uInt)pc[i].len);
		}
		total += pc[i].len;
	}
	if (z != NULL)
		zstream_put(z);
	le32_put(out, (uint32_t)crc);
	le32_put(out, (uint32_t)total);
	return 0;
}

int
buf_gzip(const char *in, size_t len, char **out, size_t *outlen)
{
	struct gz_piece pc = { .p = in, .len = len };
	struct buf b;

	buf_init(&b);
	if (buf_gzip_join(&b, &pc, 1, 0) == -1 || b.len >= len) {
		buf_free(&b);
		return -1;
	}
	*out = buf_release(&b, outlen);
	return 0;
}

void
buf_be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

uint32_t
buf_be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
