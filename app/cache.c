/*
 * The visitors' micro-cache (see cache.h).  Under load most visitors'
 * pages are then a copy.  The visitor's CSRF token is the only
 * per-visitor byte in such a page: it is stored as a marker of the same
 * length (control bytes never occur in our pages) and put back for each
 * visitor.  Slots are a fixed hash table, a mutex each: the worker's
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
	const char	*ctype;
	long long	 expires;
	long long	 refreshing;	/* when a request went to make it anew */
	unsigned long	 gen;		/* notify_gen(NOTIFY_CACHE) when read */
};

static struct centry cache[CACHE_SLOTS];
static const char csrf_mark[65] =
    "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1"
    "\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1\1";

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
		cache[i].key = cache[i].body = NULL;
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

/* Replace every occurrence of a 64-byte string in place. */
static void
swap64(char *p, size_t len, const char *from, const char *to)
{
	char *end = p + len, *q;

	while (p < end && (q = memmem(p, (size_t)(end - p), from, 64)) !=
	    NULL) {
		memcpy(q, to, 64);
		p = q + 64;
	}
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
	int hit = 0;

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
		buf_append(&req->out, e->body, e->len);
		req->content_type = e->ctype;
	}
	pthread_mutex_unlock(&e->mtx);
	if (hit)
		swap64(req->out.p, req->out.len, csrf_mark, req->csrf);
	return hit;
}

void
cache_put(const struct request *req, const char *key, unsigned long gen,
    long long ttl_ms)
{
	struct centry *e = slot(key);
	size_t klen;
	char *body;

	if (req->status != 200 || req->cache_forever || req->user != NULL ||
	    req->nhdrs_out != (req->new_csrf_cookie != NULL ? 1u : 0u) ||
	    strlen(req->csrf) != 64)
		return;
	klen = strlen(key) + 1;
	body = xmalloc(klen + req->out.len + 1);
	memcpy(body, key, klen);
	memcpy(body + klen, req->out.p ? req->out.p : "", req->out.len);
	swap64(body + klen, req->out.len, req->csrf, csrf_mark);
	pthread_mutex_lock(&e->mtx);
	free(e->key);
	e->key = body;
	e->body = body + klen;
	e->len = req->out.len;
	e->ctype = req->content_type;
	e->expires = mono_ms() + ttl_ms;
	e->refreshing = 0;
	e->gen = gen;
	pthread_mutex_unlock(&e->mtx);
}
