/*
 * Growable byte buffers and the per-request arena.  Every page is built
 * into a struct buf; every allocation made while serving a request comes
 * from that request's arena and is released in one place when the
 * request completes.
 */
#ifndef MAGNET_BUF_H
#define MAGNET_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*p;	/* always NUL-terminated when len > 0 or after init */
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t);
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
/* Hand the bytes to the caller (malloc'd, NUL-terminated); buf is reset. */
char	*buf_release(struct buf *, size_t *);
/* A 32-bit length in network order, for the markdown processes' frames. */
void	 buf_be32_put(unsigned char *, uint32_t);
uint32_t buf_be32_get(const unsigned char *);
/* gzip (zlib, level 1) into a malloc'd *out: 0, or -1 when it would not
 * make the bytes smaller. */
int	 buf_gzip(const char *in, size_t len, char **out, size_t *outlen);

/* A piece of a gzipped answer: its bytes (p, len), and when z is not
 * NULL the same bytes compressed once already (raw deflate ending on a
 * byte boundary, crc their CRC-32), to be copied as they are. */
struct gz_piece {
	const char	*p;
	size_t		 len;
	char		*z;
	size_t		 zlen;
	uint32_t	 crc;
};
/* Compress pc's bytes once, at level, into pc->z (malloc'd) and pc->crc:
 * 0 or -1. */
int	 buf_deflate_part(struct gz_piece *pc, int level);
/* Append to out one gzip stream of the pieces in order: those with z
 * copied, the others compressed here (level 1), or stored as they are
 * when store (a few bytes more, a tenth of the time: zlib's level 1 takes
 * 20 us for 2 KB here).  0 or -1. */
int	 buf_gzip_join(struct buf *out, const struct gz_piece *, size_t n,
	    int store);
/* Free the compression streams kept for reuse (at exit). */
void	 buf_gzip_free(void);

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		*arena_alloc(struct arena *, size_t);
/* Call fn(arg) when the arena is freed (before its memory goes). */
void		 arena_defer(struct arena *, void (*fn)(void *), void *arg);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
/* A copy of a buffer's bytes, NUL-terminated ("" for an empty one). */
char		*arena_buf(struct arena *, const struct buf *);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Allocation failure is fatal: the server cannot serve half a page. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);

#endif
