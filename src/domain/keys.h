/* The personal-data keys over their life (DESIGN §3, §4): loading and checking them against the
 * identities the database records, reloading when another process changed them, rotation,
 * re-encryption in batches and retirement. */
#ifndef PD_DOMAIN_KEYS_H
#define PD_DOMAIN_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/crypto.h"
#include "store/keys_store.h"
#include "store/store.h"

/* The key file of a configuration: --keys / PENDOPO_KEYS, else <data>/keys/master.keys. */
void pd_keys_file(const struct pd_config *cfg, char *out, size_t n);

/* Loads the key set for a server (the schema must be current). On a database that records no
 * keys yet, creates the key file when missing and records every key in it (the highest id
 * active) with the index key's fingerprint. Otherwise refuses (PD_ERR_INVALID or the load
 * error, with err naming the key id, both fingerprints and what to do) when a recorded active
 * or retiring key is missing from the file or has another fingerprint, or the index key
 * differs. The current key is the one the database records as active. Caller frees *out with
 * pd_keyset_free. */
int pd_keys_startup(const struct pd_config *cfg, struct pd_store *st, struct pd_keyset **out,
                    char *err, size_t errlen);

/* The same check without creating or recording anything, for subcommands: PD_OK when the
 * database records no keys (or predates the key registry) or when the key file matches. */
int pd_keys_verify(const struct pd_config *cfg, struct pd_store *st, char *err, size_t errlen);

/* Reads the key generation (one small query) and, when it changed since ks was loaded,
 * re-reads ks's key file, checks it against the database and swaps the new set in atomically
 * (readers keep working on the old one). Safe from any thread; concurrent calls while a reload
 * runs return at once. PD_OK when nothing changed or the reload succeeded; on failure the old
 * set stays in use and the problem is logged once per generation. */
int pd_keys_maybe_reload(struct pd_store *st, struct pd_keyset *ks);

/* Adds a key to key_file and makes it current, in this order: the key is appended to the file
 * (atomically; new_key_file gives one the operator holds, `ID KEY` or a bare `KEY`, else a fresh
 * one), then recorded as active with the previous active key set to retiring and the key
 * generation bumped in one transaction, so that running servers load it before they write with
 * it. The new id goes to *new_id. On a failed transaction a key this call appended is removed
 * again. */
int pd_keys_rotate(struct pd_store *st, const char *key_file, const char *new_key_file,
                   uint32_t *new_id, char *err, size_t errlen);

/* Called after each batch with the values re-encrypted so far and the total found at the
 * start. */
typedef void (*pd_keys_progress_fn)(int64_t done, int64_t total, void *arg);

/* Re-encrypts every blob in the registered columns that is not under ks's current key: column
 * by column in id order, batch_size rows per write transaction (so servers keep running),
 * decrypting with the old key and sealing with the current one under the same associated
 * data; a row changed meanwhile by a writer is left alone. Values that fail to decrypt stay as
 * they are: PD_ERR_CRYPTO at the end, err naming the first (table, column, row id). */
int pd_keys_reencrypt(struct pd_store *st, struct pd_keyset *ks, int batch_size,
                      pd_keys_progress_fn progress, void *arg, char *err, size_t errlen);

/* Ends a rotation: refuses the active key (PD_ERR_FORBIDDEN), an unknown one
 * (PD_ERR_NOT_FOUND) and one still under any blob of a registered column (PD_ERR_CONFLICT, err
 * says how many where); otherwise records it retired, bumps the generation and removes its line
 * from key_file. Retiring a retired key only makes sure its line is gone. */
int pd_keys_retire(struct pd_store *st, const char *key_file, uint32_t id, char *err,
                   size_t errlen);

/* The recorded keys (ids, fingerprints, states) by ascending id, at most max. */
int pd_keys_records(struct pd_store *st, struct pd_key_record *out, int max, int *n);

/* Adds a column to the re-encryption registry at run time (tests; see enc_columns[] in
 * store/keys_store.c for the built-in list). PD_ERR_INVALID for a bad identifier. */
int pd_keys_register_column(const char *table, const char *id_column, const char *blob_column,
                            enum pd_enc_kind kind);

#endif
