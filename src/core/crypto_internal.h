/* Declarations shared by core/crypto.c, core/keyset.c and core/keyfile.c only. */
#ifndef PD_CORE_CRYPTO_INTERNAL_H
#define PD_CORE_CRYPTO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto.h"

/* One master key as held in memory: only subkeys derived from it (crypto_kdf, context
 * "pdmaster", ids 1 data, 2 wrapping, 3 streams), never the key itself. */
struct pd_mkey {
	uint32_t id;
	char fp[PD_CRYPTO_FP_LEN + 1];
	unsigned char data[32], wrap[32], stream[32];
};

/* The current key of the set's newest generation; never NULL. Borrowed until pd_keyset_free. */
const struct pd_mkey *pd_keyset_current_key(const struct pd_keyset *ks);

/* The key with this id, or NULL. An unknown id makes a set loaded from a file re-read that
 * file (at most once a second) in case another node rotated in a new key. Borrowed until
 * pd_keyset_free. */
const struct pd_mkey *pd_keyset_find(const struct pd_keyset *ks, uint32_t id);

/* Derives the blind-index key of one domain from the index key (context "pdblindx"). */
void pd_keyset_index_subkey(const struct pd_keyset *ks, uint64_t subkey_id,
                            unsigned char out[32]);

/* What a key file holds, in locked memory while parsed. */
struct pd_keyfile_parsed {
	int n;
	bool has_index;
	uint32_t ids[PD_CRYPTO_MAX_KEYS];
	unsigned char keys[PD_CRYPTO_MAX_KEYS][PD_CRYPTO_KEY_BYTES];
	unsigned char index[PD_CRYPTO_KEY_BYTES];
};

/* sodium_malloc'd, zeroed memory (locked, guarded) whose start is 16-byte aligned; aborts when
 * out of memory. Free with sodium_free, which wipes it. */
void *pd_crypto_secure_alloc(size_t n);

/* Reads and parses a key file into p (lenient: a `--new-key` file, where a bare key line is
 * allowed). Errors as pd_keyset_load. */
int pd_keyfile_read_parsed(const char *path, bool lenient, struct pd_keyfile_parsed *p,
                           char *err, size_t errlen);

/* Writes a new key file with a fresh index key and key 1 (directories made 0700, file 0600);
 * an existing file is left as it is. */
int pd_keyfile_create(const char *path, char *err, size_t errlen);

#endif
