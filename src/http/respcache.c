/* The response cache: sharded hash tables with an LRU list and a byte budget per shard,
 * entries stamped with the generation they were rendered from and shared by refcount. */
#include "http/respcache.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define N_SHARDS 8
#define N_BUCKETS 512 /* per shard; chains stay short for the few hundred public pages */

struct shard {
	pthread_mutex_t lock;
	struct pd_rc_entry *buckets[N_BUCKETS];
	struct pd_rc_entry *lru_head, *lru_tail; /* head: most recently used */
	size_t bytes, entries, budget;
};

struct pd_respcache {
	struct shard shards[N_SHARDS];
	size_t budget;
	_Atomic uint64_t hits, misses, evictions, stores;
};

static uint64_t hash_key(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

struct pd_respcache *pd_respcache_new(size_t budget)
{
	if (budget == 0)
		return NULL;
	struct pd_respcache *c = pd_xcalloc(1, sizeof *c);
	c->budget = budget;
	for (int i = 0; i < N_SHARDS; i++) {
		pthread_mutex_init(&c->shards[i].lock, NULL);
		c->shards[i].budget = budget / N_SHARDS;
	}
	return c;
}

static void entry_free(struct pd_rc_entry *e)
{
	for (size_t i = 0; i < e->n_headers; i++) {
		free(e->headers[i].name);
		free(e->headers[i].value);
	}
	free(e->headers);
	free(e->key);
	free(e->content_type);
	free(e->body);
	free(e->gz);
	free(e);
}

void pd_rc_entry_ref(struct pd_rc_entry *e)
{
	if (e)
		atomic_fetch_add(&e->refs, 1);
}

void pd_rc_entry_unref(struct pd_rc_entry *e)
{
	if (e && atomic_fetch_sub(&e->refs, 1) == 1)
		entry_free(e);
}

static char *dup_bytes(const char *p, size_t n)
{
	char *d = pd_xmalloc(n + 1);
	if (n)
		memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

struct pd_rc_entry *pd_rc_entry_new(const char *key, size_t key_len, uint64_t gen,
                                    int64_t expires_ms, int status, const char *content_type,
                                    const char *body, size_t body_len, const char *gz,
                                    size_t gz_len, const struct pd_rc_header *headers,
                                    size_t n_headers)
{
	size_t cost = sizeof(struct pd_rc_entry) + key_len + body_len + (gz ? gz_len : 0) +
	              (content_type ? strlen(content_type) : 0);
	for (size_t i = 0; i < n_headers; i++)
		cost += strlen(headers[i].name) + strlen(headers[i].value) + 2 * sizeof(char *);
	if (cost > PD_RESPCACHE_MAX_ENTRY)
		return NULL;
	struct pd_rc_entry *e = pd_xcalloc(1, sizeof *e);
	e->key = dup_bytes(key, key_len);
	e->key_len = key_len;
	e->hash = hash_key(key, key_len);
	e->gen = gen;
	e->expires_ms = expires_ms;
	e->status = status;
	e->content_type = pd_xstrdup(content_type ? content_type : "application/octet-stream");
	e->body = dup_bytes(body, body_len);
	e->body_len = body_len;
	if (gz) {
		e->gz = dup_bytes(gz, gz_len);
		e->gz_len = gz_len;
	}
	if (n_headers) {
		e->headers = pd_xcalloc(n_headers, sizeof *e->headers);
		for (size_t i = 0; i < n_headers; i++) {
			e->headers[i].name = pd_xstrdup(headers[i].name);
			e->headers[i].value = pd_xstrdup(headers[i].value);
		}
		e->n_headers = n_headers;
	}
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)body, body_len, NULL, 0);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	memcpy(e->etag, "W/\"", 3);
	memcpy(e->etag + 3, hex, 32);
	e->etag[35] = '"';
	e->etag[36] = '\0';
	e->cost = cost;
	atomic_init(&e->refs, 1);
	return e;
}

static struct shard *shard_of(struct pd_respcache *c, uint64_t h)
{
	return &c->shards[(h >> 56) % N_SHARDS];
}

static size_t bucket_of(uint64_t h)
{
	return (size_t)(h % N_BUCKETS);
}

static void lru_unlink(struct shard *s, struct pd_rc_entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		s->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		s->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_push_front(struct shard *s, struct pd_rc_entry *e)
{
	e->lru_prev = NULL;
	e->lru_next = s->lru_head;
	if (s->lru_head)
		s->lru_head->lru_prev = e;
	s->lru_head = e;
	if (!s->lru_tail)
		s->lru_tail = e;
}

/* Takes e out of the shard; the cache's reference is handed to the caller. */
static void shard_remove(struct shard *s, struct pd_rc_entry *e)
{
	struct pd_rc_entry **pp = &s->buckets[bucket_of(e->hash)];
	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	e->hnext = NULL;
	lru_unlink(s, e);
	e->linked = false;
	s->bytes -= e->cost;
	s->entries--;
}

static struct pd_rc_entry *shard_find(struct shard *s, const char *key, size_t n, uint64_t h)
{
	for (struct pd_rc_entry *e = s->buckets[bucket_of(h)]; e; e = e->hnext)
		if (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
			return e;
	return NULL;
}

struct pd_rc_entry *pd_respcache_get(struct pd_respcache *c, const char *key, size_t key_len,
                                     uint64_t gen, int64_t now_ms)
{
	if (!c)
		return NULL;
	uint64_t h = hash_key(key, key_len);
	struct shard *s = shard_of(c, h);
	struct pd_rc_entry *dead = NULL, *hit = NULL;
	pthread_mutex_lock(&s->lock);
	struct pd_rc_entry *e = shard_find(s, key, key_len, h);
	if (e) {
		if (e->gen == gen && now_ms < e->expires_ms) {
			hit = e;
			atomic_fetch_add(&e->refs, 1);
			if (s->lru_head != e) {
				lru_unlink(s, e);
				lru_push_front(s, e);
			}
		} else if (e->gen < gen || now_ms >= e->expires_ms) {
			/* Rendered before a write (or out of date): never useful again. An entry of a
			 * newer generation than the reader's stays for the readers that follow. */
			shard_remove(s, e);
			dead = e;
		}
	}
	pthread_mutex_unlock(&s->lock);
	pd_rc_entry_unref(dead);
	atomic_fetch_add(hit ? &c->hits : &c->misses, 1);
	return hit;
}

bool pd_respcache_put(struct pd_respcache *c, struct pd_rc_entry *e)
{
	if (!c || !e)
		return false;
	struct shard *s = shard_of(c, e->hash);
	if (e->cost > s->budget)
		return false;
	struct pd_rc_entry *freed = NULL; /* chained through hnext, unreferenced after unlocking */
	uint64_t evicted = 0;
	bool stored = false;
	pthread_mutex_lock(&s->lock);
	struct pd_rc_entry *old = shard_find(s, e->key, e->key_len, e->hash);
	if (old && old->gen > e->gen)
		goto out;
	if (old) {
		shard_remove(s, old);
		old->hnext = freed;
		freed = old;
	}
	while (s->bytes + e->cost > s->budget && s->lru_tail) {
		struct pd_rc_entry *v = s->lru_tail;
		shard_remove(s, v);
		v->hnext = freed;
		freed = v;
		evicted++;
	}
	atomic_fetch_add(&e->refs, 1);
	size_t b = bucket_of(e->hash);
	e->hnext = s->buckets[b];
	s->buckets[b] = e;
	lru_push_front(s, e);
	e->linked = true;
	s->bytes += e->cost;
	s->entries++;
	stored = true;
out:
	pthread_mutex_unlock(&s->lock);
	while (freed) {
		struct pd_rc_entry *next = freed->hnext;
		pd_rc_entry_unref(freed);
		freed = next;
	}
	if (evicted)
		atomic_fetch_add(&c->evictions, evicted);
	if (stored)
		atomic_fetch_add(&c->stores, 1);
	return stored;
}

void pd_respcache_stats(struct pd_respcache *c, struct pd_respcache_stats *out)
{
	memset(out, 0, sizeof *out);
	if (!c)
		return;
	out->hits = atomic_load(&c->hits);
	out->misses = atomic_load(&c->misses);
	out->evictions = atomic_load(&c->evictions);
	out->stores = atomic_load(&c->stores);
	out->budget = c->budget;
	for (int i = 0; i < N_SHARDS; i++) {
		struct shard *s = &c->shards[i];
		pthread_mutex_lock(&s->lock);
		out->bytes += s->bytes;
		out->entries += s->entries;
		pthread_mutex_unlock(&s->lock);
	}
}

void pd_respcache_free(struct pd_respcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < N_SHARDS; i++) {
		struct shard *s = &c->shards[i];
		while (s->lru_head) {
			struct pd_rc_entry *e = s->lru_head;
			shard_remove(s, e);
			pd_rc_entry_unref(e);
		}
		pthread_mutex_destroy(&s->lock);
	}
	free(c);
}
