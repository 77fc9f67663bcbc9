/*
 * The visitors' micro-cache (see cache.h).  Under load most visitors'
 * pages are then a copy.  Nothing in such a page is the visitor's own
 * (no form token: visitors switch language by links), so a copy is the
 * same bytes for everyone: kept with its ETag and gzipped once, and sent
 * as it is.  Slots are a fixed hash table, a mutex each: the worker's
 * event loop reads them while its request threads write them.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "i18n.h"
#include "log.h"
#include "param.h"
#include "request.h"

#define CACHE_SLOTS	2039

struct centry {
	pthread_mutex_t	 mtx;
	char		*key;		/* with the body, in one allocation */
	char		*body;
	size_t		 len;
	char		*gz;		/* the body gzipped (a part: raw
					 * deflate, see buf.h), or NULL */
	size_t		 gzlen;
	uint32_t	 crc;		/* a part's CRC-32 */
	char		*meta;		/* what a part's page needs beside */
	size_t		 metalen;
	char		 etag[REQUEST_ETAGLEN];
	const char	*ctype;
	long long	 expires;
	long long	 refreshing;	/* when a request went to make it anew */
	unsigned long	 gen;		/* notify_gen(NOTIFY_CACHE) when read */
};

static struct centry cache[CACHE_SLOTS];

void
cache_init(void)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++)
		pthread_mutex_init(&cache[i].mtx, NULL);
}

void
cache_free(void)
{
	int i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		pthread_mutex_lock(&cache[i].mtx);
		free(cache[i].key);
		free(cache[i].gz);
		cache[i].key = cache[i].body = cache[i].gz = NULL;
		pthread_mutex_unlock(&cache[i].mtx);
	}
}

int
cache_key(const struct request *req, const struct param *declared,
    char *key, size_t len)
{
	const struct param *p;
	const char *v;
	size_t n;

	n = (size_t)snprintf(key, len, "%s|%s", i18n_langs[req->lang].tag,
	    req->path);
	for (p = declared; p != NULL && p->name != NULL; p++) {
		if (p->src != P_QUERY || (v = request_query(req, p->name)) ==
		    NULL)
			continue;
		n += (size_t)snprintf(key + (n < len ? n : len), n < len ?
		    len - n : 0, "|%s=%s", p->name, v);
	}
	return n < len ? 0 : -1;
}

static struct centry *
slot(const char *key)
{
	unsigned int h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return &cache[h % CACHE_SLOTS];
}

/*
 * A copy that has only aged (no write since) is still given out while
 * one request makes it anew, for at most REFRESH_MS: otherwise every
 * visitor arriving in that moment would make the same page again at
 * once.  A write ends the copy at once, as always.
 */
#define REFRESH_MS	2000

/* Whether e (locked) holds key, fresh for gen. */
static int
fresh(struct centry *e, const char *key, unsigned long gen)
{
	long long now = mono_ms();

	if (e->body == NULL || e->gen != gen || strcmp(e->key, key) != 0)
		return 0;
	if (e->expires > now || (e->refreshing != 0 &&
	    now - e->refreshing < REFRESH_MS))
		return 1;
	e->refreshing = now;
	return 0;
}

/* Keep body (len bytes), meta and gz (malloc'd, or NULL: taken) under
 * key. */
static void
keep(const char *key, unsigned long gen, long long ttl_ms, const char *body,
    size_t len, const void *meta, size_t metalen, char *gz, size_t gzlen,
    uint32_t crc, const char *etag, const char *ctype)
{
	struct centry *e = slot(key);
	size_t klen = strlen(key) + 1;
	char *copy, *oldgz;

	copy = xmalloc(klen + len + 1 + metalen);
	memcpy(copy, key, klen);
	memcpy(copy + klen, body != NULL ? body : "", len);
	copy[klen + len] = '\0';
	if (metalen > 0)
		memcpy(copy + klen + len + 1, meta, metalen);
	pthread_mutex_lock(&e->mtx);
	free(e->key);
	oldgz = e->gz;
	e->key = copy;
	e->body = copy + klen;
	e->len = len;
	e->meta = copy + klen + len + 1;
	e->metalen = metalen;
	e->gz = gz;
	e->gzlen = gzlen;
	e->crc = crc;
	snprintf(e->etag, sizeof(e->etag), "%s", etag != NULL ? etag : "");
	e->ctype = ctype;
	e->expires = mono_ms() + ttl_ms;
	e->refreshing = 0;
	e->gen = gen;
	pthread_mutex_unlock(&e->mtx);
	free(oldgz);
}

/* Whether req's answer holds its own form token (never to be kept). */
static int
holds_token(const struct request *req, const char *p, size_t len)
{
	return req->csrf[0] != '\0' && len > 0 &&
	    memmem(p, len, req->csrf, strlen(req->csrf)) != NULL;
}

int
cache_get(struct request *req, const char *key, unsigned long gen)
{
	struct centry *e = slot(key);
	int hit, gz;

	gz = request_takes_gzip(req);
	pthread_mutex_lock(&e->mtx);
	if ((hit = fresh(e, key, gen))) {
		buf_reset(&req->out);
		if (gz && e->gz != NULL) {
			buf_append(&req->out, e->gz, e->gzlen);
			req->gzipped = 1;
		} else
			buf_append(&req->out, e->body, e->len);
		req->content_type = e->ctype;
		req->etag = arena_strdup(req->arena, e->etag);
	}
	pthread_mutex_unlock(&e->mtx);
	return hit;
}

/*
 * A page holding the visitor's own token must never be given to another:
 * such a page is not kept (none should be: see layout.html).
 */
void
cache_put(struct request *req, const char *key, unsigned long gen,
    long long ttl_ms)
{
	struct buf sent;
	size_t gzlen = 0;
	char *gz = NULL;

	if (req->status != 200 || req->cache_forever || req->user != NULL ||
	    req->nhdrs_out != (req->new_csrf_cookie != NULL ? 1u : 0u) ||
	    req->gzipped || holds_token(req, req->out.p, req->out.len))
		return;
	request_etag(req);
	if (req->out.len > 512 && buf_gzip(req->out.p, req->out.len, &gz,
	    &gzlen) == -1)
		gz = NULL;
	/* This request too is sent the copy compressed once.  The copy is
	 * taken first: once kept, gz is the slot's, and another request
	 * keeping the same key may free it at once. */
	buf_init(&sent);
	if (gz != NULL && request_takes_gzip(req))
		buf_append(&sent, gz, gzlen);
	keep(key, gen, ttl_ms, req->out.p, req->out.len, NULL, 0, gz, gzlen,
	    0, req->etag, req->content_type);
	if (sent.len > 0) {
		buf_free(&req->out);
		req->out = sent;
		req->gzipped = 1;
	} else
		buf_free(&sent);
}

/* The form the request needs of a part: compressed for a client that
 * takes gzip, else as it is; a copy in the request's arena. */
static void
part_copy(struct request *req, const struct centry *e, struct gz_piece *pc,
    void **meta, size_t *metalen)
{
	char *p;

	*meta = arena_alloc(req->arena, e->metalen + 1);
	memcpy(*meta, e->meta, e->metalen);
	*metalen = e->metalen;
	memset(pc, 0, sizeof(*pc));
	pc->len = e->len;
	if (request_takes_gzip(req) && e->gz != NULL) {
		p = arena_alloc(req->arena, e->gzlen);
		memcpy(p, e->gz, e->gzlen);
		pc->z = p;
		pc->zlen = e->gzlen;
		pc->crc = e->crc;
	} else
		pc->p = arena_strndup(req->arena, e->body, e->len);
}

int
cache_part_get(struct request *req, const char *key, unsigned long gen,
    struct gz_piece *pc, void **meta, size_t *metalen)
{
	struct centry *e = slot(key);
	int hit;

	pthread_mutex_lock(&e->mtx);
	if ((hit = fresh(e, key, gen)))
		part_copy(req, e, pc, meta, metalen);
	pthread_mutex_unlock(&e->mtx);
	return hit;
}

int
cache_part_put(struct request *req, const char *key, unsigned long gen,
    long long ttl_ms, struct gz_piece *pc, const void *meta, size_t metalen)
{
	struct gz_piece z = *pc;

	if (holds_token(req, pc->p, pc->len)) {
		log_warnx("cache: a shared part holds a form token: %s", key);
		return -1;
	}
	if (buf_deflate_part(&z, 9) == -1)
		return -1;
	/* The copy goes first: once kept, z.z is the slot's to free. */
	if (request_takes_gzip(req)) {
		pc->z = arena_alloc(req->arena, z.zlen);
		memcpy(pc->z, z.z, z.zlen);
		pc->zlen = z.zlen;
		pc->crc = z.crc;
	}
	keep(key, gen, ttl_ms, pc->p, pc->len, meta, metalen, z.z, z.zlen,
	    z.crc, NULL, NULL);
	return 0;
}

/* Whether e holds key's value for gen, strictly within its time: a
 * session is never given out while another request reads it anew
 * (fresh's grace for pages). */
static int
value_fresh(const struct centry *e, const char *key, unsigned long gen)
{
	return e->body != NULL && e->gen == gen && e->expires > mono_ms() &&
	    strcmp(e->key, key) == 0;
}

int
cache_value_get(const char *key, unsigned long gen, void *out, size_t len)
{
	struct centry *e = slot(key);
	int hit;

	pthread_mutex_lock(&e->mtx);
	if ((hit = value_fresh(e, key, gen) && e->metalen == len))
		memcpy(out, e->meta, len);
	pthread_mutex_unlock(&e->mtx);
	return hit;
}

const char *
cache_text_get(struct request *req, const char *key, unsigned long gen)
{
	struct centry *e = slot(key);
	const char *s = NULL;

	pthread_mutex_lock(&e->mtx);
	if (value_fresh(e, key, gen) && e->metalen > 0 &&
	    ((const char *)e->meta)[e->metalen - 1] == '\0')
		s = arena_strndup(req->arena, e->meta, e->metalen - 1);
	pthread_mutex_unlock(&e->mtx);
	return s;
}

void
cache_text_put(const char *key, unsigned long gen, long long ttl_ms,
    const char *s)
{
	keep(key, gen, ttl_ms, NULL, 0, s, strlen(s) + 1, NULL, 0, 0, NULL,
	    NULL);
}

void
cache_value_put(const char *key, unsigned long gen, long long ttl_ms,
    const void *p, size_t len)
{
	keep(key, gen, ttl_ms, NULL, 0, p, len, NULL, 0, 0, NULL, NULL);
}
