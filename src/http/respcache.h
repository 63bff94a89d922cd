/* A bounded in-memory cache of whole public responses (issue #8): entries keyed by request,
 * each stamped with the data generation it was rendered from, evicted least recently used
 * within a byte budget, shared by the worker threads through sharded locks and refcounts. */
#ifndef PD_HTTP_RESPCACHE_H
#define PD_HTTP_RESPCACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest answer worth keeping (identity and gzip forms together); larger ones are not cached. */
#define PD_RESPCACHE_MAX_ENTRY ((size_t)1024 * 1024)

/* An extra response header the handler set (copied into the entry). */
struct pd_rc_header {
	char *name, *value;
};

/* One cached response. Immutable once built; shared by reference count. */
struct pd_rc_entry {
	char *key;
	size_t key_len;
	uint64_t hash;
	uint64_t gen;            /* generation the body was rendered from */
	int64_t expires_ms;      /* wall clock (ms) after which it is not served */
	int status;
	char *content_type;
	char *body;              /* identity bytes */
	size_t body_len;
	char *gz;                /* gzip bytes, or NULL when gzip does not pay */
	size_t gz_len;
	char etag[40];           /* W/"…" over the identity bytes */
	bool csrf_marked;        /* body holds the CSRF stand-in: each response gets its own token
	                          * (then no gzip form is kept and no ETag is sent) */
	struct pd_rc_header *headers;
	size_t n_headers;
	size_t cost;             /* bytes counted against the budget */
	atomic_int refs;
	/* shard bookkeeping (under the shard's lock) */
	struct pd_rc_entry *hnext;
	struct pd_rc_entry *lru_prev, *lru_next;
	bool linked;
};

struct pd_respcache;

struct pd_respcache_stats {
	uint64_t hits, misses, evictions, stores;
	uint64_t bytes, entries;
	uint64_t budget;
};

/* A cache of at most budget bytes; NULL when budget is 0 (the cache is off). Free with
 * pd_respcache_free (entries still referenced elsewhere live until their last unref). */
struct pd_respcache *pd_respcache_new(size_t budget);
void pd_respcache_free(struct pd_respcache *c);

/* Builds an entry (refs = 1, owned by the caller) copying every argument. gz may be NULL.
 * Returns NULL when it would cost more than PD_RESPCACHE_MAX_ENTRY. */
struct pd_rc_entry *pd_rc_entry_new(const char *key, size_t key_len, uint64_t gen,
                                    int64_t expires_ms, int status, const char *content_type,
                                    const char *body, size_t body_len, const char *gz,
                                    size_t gz_len, const struct pd_rc_header *headers,
                                    size_t n_headers);

/* Takes one more reference / drops one (the last frees the entry). NULL is a no-op. */
void pd_rc_entry_ref(struct pd_rc_entry *e);
void pd_rc_entry_unref(struct pd_rc_entry *e);

/* The entry for key rendered from exactly generation gen and not expired at now_ms, with a
 * reference for the caller (pd_rc_entry_unref it), or NULL (a miss). An entry of another
 * generation or expired is dropped on the way. Counts a hit or a miss. */
struct pd_rc_entry *pd_respcache_get(struct pd_respcache *c, const char *key, size_t key_len,
                                     uint64_t gen, int64_t now_ms);

/* Stores e (the cache takes its own reference; the caller keeps its own). An entry already
 * there for the same key from a newer generation wins: e is then not stored (a render that
 * began before a write must never replace one that began after it). Evicts least recently
 * used entries of the shard until the budget holds. Returns true when stored. */
bool pd_respcache_put(struct pd_respcache *c, struct pd_rc_entry *e);

/* Counters for /metrics and tests. */
void pd_respcache_stats(struct pd_respcache *c, struct pd_respcache_stats *out);

#endif
