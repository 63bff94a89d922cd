/* Statements for the key registry (ids and fingerprints of the master keys, the key generation)
 * and the registry of columns that hold ciphertext under a master key, which re-encryption and
 * retirement walk. */
#ifndef PD_STORE_KEYS_STORE_H
#define PD_STORE_KEYS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

#define PD_KEY_RECORDS_MAX 256

/* One row of key_registry. state: "active" (the one key new data is written under),
 * "retiring" (still decrypts older data; re-encryption pending) or "retired" (gone). */
struct pd_key_record {
	int64_t id;
	char fingerprint[33];
	char state[12];
	int64_t created_ms;
};

/* True when the key_registry table exists (a database migrated to 0005 or later). */
enum pd_qs pd_store_keys_table_exists(struct pd_tx *tx, bool *out);

/* Every recorded key by ascending id, at most max; *n the count. */
enum pd_qs pd_store_keys_list(struct pd_tx *tx, struct pd_key_record *out, int max, int *n);

enum pd_qs pd_store_keys_insert(struct pd_tx *tx, const struct pd_key_record *r);

/* Sets a key's state; PD_QS_NONE when no such key. */
enum pd_qs pd_store_keys_set_state(struct pd_tx *tx, int64_t id, const char *state);

/* The key generation (meta 'key_generation'); bump adds one, so every node reloads its set. */
enum pd_qs pd_store_keys_generation(struct pd_tx *tx, int64_t *out);
enum pd_qs pd_store_keys_bump_generation(struct pd_tx *tx);

/* The fingerprint of the index key recorded in meta 'index_key_fingerprint' (PD_QS_NONE when
 * unset; out holds 33 bytes), and setting it. */
enum pd_qs pd_store_keys_index_fp(struct pd_tx *tx, char out[33]);
enum pd_qs pd_store_keys_set_index_fp(struct pd_tx *tx, const char *fp);

/* --- the registry of encrypted columns ------------------------------------------------------- */

enum pd_enc_kind {
	PD_ENC_MASTER,      /* pd_crypto_seal blobs, AD (table, blob_column, id) */
	PD_ENC_SUBJECT_KEY, /* pd_crypto_subject_key_new wrapped keys, AD ("subject_key", id) */
	PD_ENC__MAX
};

/* A column holding blobs under a master key: the rows are walked in id order. Names are SQL
 * identifiers ([a-z_][a-z0-9_]*, at most 63 bytes) that come from code, never from input. */
struct pd_enc_column {
	const char *table;
	const char *id_column;
	const char *blob_column;
	enum pd_enc_kind kind;
};

/* Adds a column at run time (tests, or a feature that registers itself at start-up); the
 * strings are copied. The same column twice is PD_OK; a bad identifier PD_ERR_INVALID. The
 * built-in columns are listed in enc_columns[] in keys_store.c. */
int pd_store_enc_register(const struct pd_enc_column *c);

/* Number of registered columns and the i-th one (borrowed for the process's lifetime). */
int pd_store_enc_count(void);
const struct pd_enc_column *pd_store_enc_column(int i);

/* Number of blobs in column i under key_id (`other` false) or under any other key (true). */
enum pd_qs pd_store_enc_count_key(struct pd_tx *tx, int i, uint32_t key_id, bool other,
                                  int64_t *out);

struct pd_enc_row {
	char *id;
	unsigned char *blob;
	size_t n;
};

/* Up to max rows of column i whose blob is not under key_id, ids after after_id (NULL: from
 * the start), in id order; id and blob are copied into a. */
enum pd_qs pd_store_enc_batch(struct pd_tx *tx, int i, const char *after_id, uint32_t key_id,
                              struct pd_arena *a, struct pd_enc_row *out, int max, int *n);

/* Replaces a row's blob only if it still holds `old` (a writer may have changed it since). */
enum pd_qs pd_store_enc_replace(struct pd_tx *tx, int i, const char *id, const void *old,
                                size_t old_n, const void *blob, size_t n);

#endif
