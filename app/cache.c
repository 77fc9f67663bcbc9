/*
 * The visitors' micro-cache (see cache.h).  Under load most visitors'
 * pages are then a copy.  Nothing in such a page is the visitor's own
 * (no form token: visitors switch language by links), so a copy is the
 * same bytes for everyone: kept with its ETag and gzipped once, and sent
 * as it is.  Slots are a fixed hash table, a mutex each: the worker's
 * event loop reads them while its request threads write them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cache.h"
#include "i18n.h"
#include "log.h"
#include "param.h"
#include "request.h"

#define CACHE_SLOTS	509

struct centry {
	pthread_mutex_t	 mtx;
	char		*key;		/* with the body, in one allocation */
	char		*body;
	size_t		 len;
	char		*gz;		/* the body gzipped, or NULL */
	size_t		 gzlen;
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

int
cache_get(struct request *req, const char *key, unsigned long gen)
{
	struct centry *e = slot(key);
	long long now = mono_ms();
	int hit = 0, gz;

	gz = request_takes_gzip(req);
	pthread_mutex_lock(&e->mtx);
	if (e->body != NULL && e->gen == gen && strcmp(e->key, key) == 0) {
		if (e->expires > now || (e->refreshing != 0 &&
		    now - e->refreshing < REFRESH_MS))
			hit = 1;
		else
			e->refreshing = now;
	}
	if (hit) {
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
	struct centry *e = slot(key);
	size_t klen, gzlen = 0;
	char *body, *gz = NULL, *oldgz;

	if (req->status != 200 || req->cache_forever || req->user != NULL ||
	    req->nhdrs_out != (req->new_csrf_cookie != NULL ? 1u : 0u) ||
	    req->gzipped || (req->csrf[0] != '\0' && req->out.len > 0 &&
	    memmem(req->out.p, req->out.len, req->csrf, strlen(req->csrf)) !=
	    NULL))
		return;
	request_etag(req);
	klen = strlen(key) + 1;
	body = xmalloc(klen + req->out.len + 1);
	memcpy(body, key, klen);
	memcpy(body + klen, req->out.p ? req->out.p : "", req->out.len);
	if (req->out.len > 512 && buf_gzip(req->out.p, req->out.len, &gz,
	    &gzlen) == -1)
		gz = NULL;
	pthread_mutex_lock(&e->mtx);
	free(e->key);
	oldgz = e->gz;
	e->key = body;
	e->body = body + klen;
	e->len = req->out.len;
	e->gz = gz;
	e->gzlen = gzlen;
	snprintf(e->etag, sizeof(e->etag), "%s", req->etag);
	e->ctype = req->content_type;
	e->expires = mono_ms() + ttl_ms;
	e->refreshing = 0;
	e->gen = gen;
	pthread_mutex_unlock(&e->mtx);
	free(oldgz);
	/* This request too is sent the copy compressed once. */
	if (gz != NULL && request_takes_gzip(req)) {
		buf_reset(&req->out);
		buf_append(&req->out, gz, gzlen);
		req->gzipped = 1;
	}
}
