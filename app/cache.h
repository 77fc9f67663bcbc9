/*
 * The visitors' micro-cache: pages a visitor (no session cookie) asked
 * for, kept for cache_ms in the worker that made them, by language, path
 * and declared query parameters.  A copy dies early when any node writes
 * what such pages show (notify.c): it keeps the generation it was read
 * under.  server.c decides which requests may use it.
 */
#ifndef MAGNET_CACHE_H
#define MAGNET_CACHE_H

#include <stddef.h>

struct gz_piece;
struct param;
struct request;

#define CACHE_KEYLEN	600

void	 cache_init(void);
void	 cache_free(void);
/* The key of a request: language, path and the declared query
 * parameters it carries.  0, or -1 when it would not fit. */
int	 cache_key(const struct request *, const struct param *declared,
	    char *key, size_t len);
/* A copy still fresh for generation gen: 1 and req->out (the stored
 * gzipped bytes for a client that takes them), content type and ETag
 * filled in; 0 when there is none. */
int	 cache_get(struct request *, const char *key, unsigned long gen);
/* Keep req's answer for ttl_ms, if it is a plain page (200, no header of
 * its own but a new CSRF cookie, no user, no token in it), with its ETag
 * and gzipped once; req's own answer becomes that copy. */
void	 cache_put(struct request *, const char *key, unsigned long gen,
	    long long ttl_ms);

/*
 * Shared parts of pages (forum.c, page_join): a fragment that is the same
 * for every reader with the same rights, kept for ttl_ms (a write drops
 * it at once) with its bytes compressed once.  A reader's page is joined
 * from it and the bytes made for them alone (see buf_gzip_join).
 */
/* A part still fresh for gen: 1 and *pc, a copy in req's arena of the
 * part compressed (a client that takes gzip) or as it is, and of the
 * bytes its maker kept beside it (meta, metalen); else 0. */
int	 cache_part_get(struct request *, const char *key, unsigned long gen,
	    struct gz_piece *pc, void **meta, size_t *metalen);
/* Keep pc->p (pc->len bytes) as key's part with meta beside it, and fill
 * in the compressed form when the request takes gzip: 0, or -1 when it
 * is not kept (it holds a form token, or would not compress). */
int	 cache_part_put(struct request *, const char *key, unsigned long gen,
	    long long ttl_ms, struct gz_piece *pc, const void *meta,
	    size_t metalen);

/* A small value (len bytes, no pointers in it) kept under key for ttl_ms
 * while the generation is gen: a session read a moment ago (auth.c), a
 * reader's mark on a thread (forum.c).  get: 1 and *out, else 0. */
int	 cache_value_get(const char *key, unsigned long gen, void *out,
	    size_t len);
void	 cache_value_put(const char *key, unsigned long gen, long long ttl_ms,
	    const void *p, size_t len);
/* A text kept the same way: a fragment of a page that is the same for
 * every reader (a board's events and guides, forum.c).  get: a copy in
 * req's arena, or NULL. */
const char *cache_text_get(struct request *, const char *key,
	    unsigned long gen);
void	 cache_text_put(const char *key, unsigned long gen, long long ttl_ms,
	    const char *);

#endif
