/* The master key set: immutable generations of keys swapped in atomically, so that readers
 * never see a half-built set, and the lookups the encryption functions use. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/crypto_internal.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"

/* One immutable generation: published once, freed only with the set. */
struct kgen {
	struct kgen *prev;
	uint32_t current;
	int n;
	unsigned char index[32];
	char index_fp[PD_CRYPTO_FP_LEN + 1];
	struct pd_mkey keys[]; /* ascending id */
};

struct pd_keyset {
	_Atomic(struct kgen *) cur;
	pthread_mutex_t lock; /* serialises publishing generations */
	char *path;
	_Atomic int64_t generation;
	_Atomic int64_t last_refresh_ms;
};

/* --- generations ------------------------------------------------------------------------------ */

static struct kgen *gen_alloc(int n)
{
	return pd_crypto_secure_alloc(sizeof(struct kgen) + (size_t)n * sizeof(struct pd_mkey));
}

static struct kgen *gen_from_parsed(const struct pd_keyfile_parsed *p)
{
	struct kgen *g = gen_alloc(p->n);
	g->n = p->n;
	memcpy(g->index, p->index, sizeof g->index);
	pd_crypto_fingerprint(p->index, g->index_fp);
	for (int i = 0; i < p->n; i++) {
		struct pd_mkey k = {.id = p->ids[i]};
		pd_crypto_fingerprint(p->keys[i], k.fp);
		crypto_kdf_derive_from_key(k.data, sizeof k.data, 1, "pdmaster", p->keys[i]);
		crypto_kdf_derive_from_key(k.wrap, sizeof k.wrap, 2, "pdmaster", p->keys[i]);
		crypto_kdf_derive_from_key(k.stream, sizeof k.stream, 3, "pdmaster", p->keys[i]);
		int j = i;
		while (j > 0 && g->keys[j - 1].id > k.id) {
			g->keys[j] = g->keys[j - 1];
			j--;
		}
		g->keys[j] = k;
		sodium_memzero(&k, sizeof k);
	}
	g->current = g->keys[g->n - 1].id;
	return g;
}

static const struct pd_mkey *gen_find(const struct kgen *g, uint32_t id)
{
	for (int i = 0; i < g->n; i++)
		if (g->keys[i].id == id)
			return &g->keys[i];
	return NULL;
}

static struct kgen *gen_copy(const struct kgen *g, uint32_t current)
{
	size_t size = sizeof(struct kgen) + (size_t)g->n * sizeof(struct pd_mkey);
	struct kgen *c = gen_alloc(g->n);
	memcpy(c, g, size);
	c->prev = NULL;
	c->current = current;
	return c;
}

static struct kgen *load_gen(const struct pd_keyset *ks)
{
	return atomic_load_explicit(&((struct pd_keyset *)ks)->cur, memory_order_acquire);
}

/* Publishes g as the newest generation; the caller holds ks->lock. */
static void publish(struct pd_keyset *ks, struct kgen *g)
{
	g->prev = atomic_load_explicit(&ks->cur, memory_order_relaxed);
	atomic_store_explicit(&ks->cur, g, memory_order_release);
}

int pd_keyset_load(const char *path, bool create, struct pd_keyset **out, char *err,
                   size_t errlen)
{
	*out = NULL;
	if (create && access(path, F_OK) && errno == ENOENT) {
		int rc = pd_keyfile_create(path, err, errlen);
		if (rc)
			return rc;
	}
	struct pd_keyfile_parsed *p = pd_crypto_secure_alloc(sizeof *p);
	int rc = pd_keyfile_read_parsed(path, false, p, err, errlen);
	if (!rc && !p->has_index) {
		snprintf(err, errlen,
		         "the key file %s has no `index KEY` line (the blind-index key, never rotated)",
		         path);
		rc = PD_ERR_INVALID;
	}
	if (!rc && p->n == 0) {
		snprintf(err, errlen, "the key file %s holds no master key (`ID KEY` line)", path);
		rc = PD_ERR_INVALID;
	}
	if (rc) {
		sodium_free(p);
		return rc;
	}
	struct pd_keyset *ks = pd_xcalloc(1, sizeof *ks);
	pthread_mutex_init(&ks->lock, NULL);
	ks->path = pd_xstrdup(path);
	atomic_init(&ks->generation, -1);
	atomic_init(&ks->last_refresh_ms, 0);
	atomic_init(&ks->cur, gen_from_parsed(p));
	sodium_free(p);
	*out = ks;
	return PD_OK;
}

void pd_keyset_free(struct pd_keyset *ks)
{
	if (!ks)
		return;
	struct kgen *g = atomic_load(&ks->cur);
	while (g) {
		struct kgen *prev = g->prev;
		sodium_free(g);
		g = prev;
	}
	pthread_mutex_destroy(&ks->lock);
	free(ks->path);
	free(ks);
}

int pd_keyset_set_current(struct pd_keyset *ks, uint32_t id)
{
	pthread_mutex_lock(&ks->lock);
	struct kgen *g = atomic_load(&ks->cur);
	int rc = PD_ERR_NOT_FOUND;
	if (gen_find(g, id)) {
		if (g->current != id)
			publish(ks, gen_copy(g, id));
		rc = PD_OK;
	}
	pthread_mutex_unlock(&ks->lock);
	return rc;
}

int pd_keyset_replace(struct pd_keyset *ks, struct pd_keyset *from, uint32_t current)
{
	pthread_mutex_lock(&ks->lock);
	struct kgen *g = atomic_load(&from->cur);
	if (!current)
		current = atomic_load(&ks->cur)->current;
	int rc = PD_ERR_NOT_FOUND;
	if (gen_find(g, current)) {
		publish(ks, gen_copy(g, current));
		rc = PD_OK;
	}
	pthread_mutex_unlock(&ks->lock);
	pd_keyset_free(from);
	return rc;
}

const char *pd_keyset_path(const struct pd_keyset *ks)
{
	return ks->path;
}

uint32_t pd_keyset_current(const struct pd_keyset *ks)
{
	return load_gen(ks)->current;
}

int pd_keyset_count(const struct pd_keyset *ks)
{
	return load_gen(ks)->n;
}

int pd_keyset_entry(const struct pd_keyset *ks, int i, uint32_t *id,
                    char fp[PD_CRYPTO_FP_LEN + 1])
{
	const struct kgen *g = load_gen(ks);
	if (i < 0 || i >= g->n)
		return PD_ERR_NOT_FOUND;
	*id = g->keys[i].id;
	memcpy(fp, g->keys[i].fp, PD_CRYPTO_FP_LEN + 1);
	return PD_OK;
}

bool pd_keyset_fingerprint(const struct pd_keyset *ks, uint32_t id,
                           char fp[PD_CRYPTO_FP_LEN + 1])
{
	const struct pd_mkey *k = gen_find(load_gen(ks), id);
	if (k)
		memcpy(fp, k->fp, PD_CRYPTO_FP_LEN + 1);
	return k != NULL;
}

void pd_keyset_index_fingerprint(const struct pd_keyset *ks, char fp[PD_CRYPTO_FP_LEN + 1])
{
	memcpy(fp, load_gen(ks)->index_fp, PD_CRYPTO_FP_LEN + 1);
}

int64_t pd_keyset_generation(const struct pd_keyset *ks)
{
	return atomic_load(&((struct pd_keyset *)ks)->generation);
}

void pd_keyset_set_generation(struct pd_keyset *ks, int64_t generation)
{
	atomic_store(&ks->generation, generation);
}

const struct pd_mkey *pd_keyset_current_key(const struct pd_keyset *ks)
{
	const struct kgen *g = load_gen(ks);
	return gen_find(g, g->current);
}

const struct pd_mkey *pd_keyset_find(const struct pd_keyset *cks, uint32_t id)
{
	struct pd_keyset *ks = (struct pd_keyset *)cks;
	const struct pd_mkey *k = gen_find(load_gen(ks), id);
	if (k || !id || !ks->path)
		return k;
	/* Another node may have rotated in a key this process has not reloaded yet. */
	int64_t now = pd_clock_mono_ms();
	int64_t last = atomic_load(&ks->last_refresh_ms);
	if (now - last < 1000 || !atomic_compare_exchange_strong(&ks->last_refresh_ms, &last, now))
		return NULL;
	struct pd_keyset *fresh = NULL;
	char err[256];
	if (pd_keyset_load(ks->path, false, &fresh, err, sizeof err)) {
		pd_log(PD_LOG_WARN, "key_file_refresh_failed", "key_id=%u", (unsigned)id);
		return NULL;
	}
	if (!gen_find(atomic_load(&fresh->cur), id)) {
		pd_keyset_free(fresh);
		return NULL;
	}
	if (pd_keyset_replace(ks, fresh, 0) == PD_OK)
		pd_log(PD_LOG_INFO, "key_file_refreshed", "key_id=%u", (unsigned)id);
	return gen_find(load_gen(ks), id);
}

void pd_keyset_index_subkey(const struct pd_keyset *ks, uint64_t subkey_id,
                            unsigned char out[32])
{
	crypto_kdf_derive_from_key(out, 32, subkey_id, "pdblindx", load_gen(ks)->index);
}
