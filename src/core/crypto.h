/* Encryption of personal data at rest over libsodium (DESIGN §4): the master key set and its key
 * file, self-describing XChaCha20-Poly1305 blobs bound to their table, column and row, per-subject
 * keys for erasure (UU 27/2022), chunked attachments with crypto_secretstream and keyed blind
 * indexes with the normalisation of the values they index.
 *
 * Blob formats (every header byte is also authenticated as associated data):
 *   master data     0x01 | key id (4, big endian) | nonce (24) | ciphertext + tag (16)
 *   subject data    0x02 | nonce (24) | ciphertext + tag
 *   wrapped key     0x03 | key id (4) | nonce (24) | 32-byte key + tag          (77 bytes)
 *   master stream   0x04 | key id (4) | secretstream header (24), then chunks
 *   subject stream  0x05 | secretstream header (24), then chunks
 * Associated data: header || table "\0" column "\0" row_id (a wrapped key: header ||
 * "subject_key\0" subject_id). A master key is never used directly: separate subkeys for data,
 * wrapping and streams are derived from it (crypto_kdf, context "pdmaster").
 *
 * Key file: text, one key a line, `ID BASE64KEY` (ID 1..4294967295, 32-byte keys), plus exactly
 * one `index BASE64KEY` line; '#' lines and blank lines are ignored. The index key feeds the
 * blind indexes and is never rotated (a rotated index key would make every stored index
 * unfindable); it lives on its own line so that retiring master keys never touches it. */
#ifndef PD_CORE_CRYPTO_H
#define PD_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "core/buf.h"

#define PD_CRYPTO_KEY_BYTES 32
#define PD_CRYPTO_FP_LEN 32          /* hex characters of a fingerprint (BLAKE2b-128) */
#define PD_CRYPTO_BLIND_BYTES 32
#define PD_CRYPTO_WRAPPED_BYTES 77   /* a wrapped subject key */
#define PD_CRYPTO_AD_MAX 255         /* most bytes in each of table, column, row id */
#define PD_CRYPTO_CHUNK 65536        /* plaintext bytes per stream chunk (the last may be less) */
#define PD_CRYPTO_STREAM_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define PD_CRYPTO_STREAM_HEADER_MAX 29
#define PD_CRYPTO_MAX_KEYS 64        /* most master keys in one key file */

enum {
	PD_CRYPTO_V_DATA = 1,
	PD_CRYPTO_V_SUBJECT_DATA = 2,
	PD_CRYPTO_V_WRAPPED = 3,
	PD_CRYPTO_V_STREAM = 4,
	PD_CRYPTO_V_SUBJECT_STREAM = 5,
};

/* A set of master keys by id, one of them current for writing, and the index key. Shared
 * read-only by every thread: a reload builds a new immutable generation and swaps it in with
 * an atomic pointer store; older generations stay alive until pd_keyset_free, so a reader never
 * sees a half-built set. Raw keys are kept only as derived subkeys in locked memory. */
struct pd_keyset;

/* --- the key set --------------------------------------------------------------------------- */

/* Loads the key file at path. The file must be a regular file with mode 0600 or stricter
 * (PD_ERR_FORBIDDEN otherwise, with the chmod to run in err). When it does not exist and
 * `create` is set, writes a new one (parent directory made 0700, file 0600, written to a
 * temporary file, fsynced and linked into place) holding a fresh index key and key 1. The
 * current key is the highest id until pd_keyset_set_current says otherwise. Caller frees
 * with pd_keyset_free. err never contains key material. */
int pd_keyset_load(const char *path, bool create, struct pd_keyset **out, char *err,
                   size_t errlen);

/* Frees the set and every older generation, wiping the keys. NULL is a no-op. */
void pd_keyset_free(struct pd_keyset *ks);

/* Makes key id current for writing (new generation). PD_ERR_NOT_FOUND when not in the set. */
int pd_keyset_set_current(struct pd_keyset *ks, uint32_t id);

/* Takes the keys of `from` (which is freed) into ks as a new generation with `current` as the
 * writing key (0: keep ks's current when `from` holds it, else from's highest id). Used after a
 * reload has been checked against the database. PD_ERR_NOT_FOUND when current is missing;
 * then ks is unchanged and from is still freed. */
int pd_keyset_replace(struct pd_keyset *ks, struct pd_keyset *from, uint32_t current);

/* The key file the set was loaded from (borrowed for the set's lifetime). */
const char *pd_keyset_path(const struct pd_keyset *ks);

/* The id of the current key. */
uint32_t pd_keyset_current(const struct pd_keyset *ks);

/* Number of master keys, and the id and fingerprint (hex, NUL-terminated) of the i-th one in
 * ascending id order. */
int pd_keyset_count(const struct pd_keyset *ks);
int pd_keyset_entry(const struct pd_keyset *ks, int i, uint32_t *id,
                    char fp[PD_CRYPTO_FP_LEN + 1]);

/* Fingerprint of master key id; false when the set lacks it. */
bool pd_keyset_fingerprint(const struct pd_keyset *ks, uint32_t id,
                           char fp[PD_CRYPTO_FP_LEN + 1]);

/* Fingerprint of the index key. */
void pd_keyset_index_fingerprint(const struct pd_keyset *ks, char fp[PD_CRYPTO_FP_LEN + 1]);

/* The database's key generation this set reflects (kept for domain/keys; starts at -1). */
int64_t pd_keyset_generation(const struct pd_keyset *ks);
void pd_keyset_set_generation(struct pd_keyset *ks, int64_t generation);

/* Hex of BLAKE2b-128(key, personal "pendopo-fp"): names a key without revealing it. */
void pd_crypto_fingerprint(const unsigned char key[PD_CRYPTO_KEY_BYTES],
                           char out[PD_CRYPTO_FP_LEN + 1]);

/* --- editing key files (hold pd_keyfile_lock around a read-modify-write) -------------------- */

/* Takes an exclusive lock on the directory of path (flock), so that two `keys` commands do not
 * edit the file at once. Returns a descriptor for pd_keyfile_unlock, or -1 with err set. */
int pd_keyfile_lock(const char *path, char *err, size_t errlen);
void pd_keyfile_unlock(int fd);

/* Appends `ID BASE64` to the key file atomically (temporary file, fsync, rename, fsync of the
 * directory). key NULL: a fresh random key. A line with the same id and key already present is
 * not repeated (*added false); the same id with another key is PD_ERR_CONFLICT. The new key's
 * fingerprint goes to fp. */
int pd_keyfile_append(const char *path, uint32_t id, const unsigned char *key,
                      char fp[PD_CRYPTO_FP_LEN + 1], bool *added, char *err, size_t errlen);

/* Removes key id's line from the key file atomically; PD_OK also when it was not there. */
int pd_keyfile_remove(const char *path, uint32_t id, char *err, size_t errlen);

/* Reads the one key of a `--new-key` file: `ID BASE64` or a bare `BASE64` line (*id 0). The
 * same mode rule applies. The caller wipes key with sodium_memzero. */
int pd_keyfile_read_new(const char *path, uint32_t *id, unsigned char key[PD_CRYPTO_KEY_BYTES],
                        char *err, size_t errlen);

/* --- data under the master key ------------------------------------------------------------- */

/* Encrypts n bytes under the current master key and appends the blob (format 0x01) to out.
 * table, column and row_id (each 1..PD_CRYPTO_AD_MAX bytes) are authenticated, so a blob copied
 * to another row, column or table does not open. PD_ERR_INVALID for bad names,
 * PD_ERR_TOO_LARGE when out's maximum is reached. */
int pd_crypto_seal(const struct pd_keyset *ks, const void *plaintext, size_t n,
                   const char *table, const char *column, const char *row_id, struct pd_buf *out);

/* Decrypts a 0x01 blob and appends the plaintext to out. PD_ERR_CRYPTO on any failure
 * (unknown key id, wrong associated data, altered or truncated blob); out is then unchanged.
 * An unknown key id makes the set re-read its key file once a second at most, since another
 * node may have rotated in a key this process has not reloaded yet. */
int pd_crypto_open(const struct pd_keyset *ks, const void *blob, size_t n, const char *table,
                   const char *column, const char *row_id, struct pd_buf *out);

/* Re-encrypts a 0x01 blob under the current key (same associated data), appending to out. */
int pd_crypto_reseal(const struct pd_keyset *ks, const void *blob, size_t n, const char *table,
                     const char *column, const char *row_id, struct pd_buf *out);

/* The master key id a 0x01, 0x03 or 0x04 blob is under; 0 for anything else. */
uint32_t pd_crypto_blob_key_id(const void *blob, size_t n);

/* --- per-subject keys (UU 27/2022: erasing a citizen destroys the key) ---------------------- */

/* Makes a fresh random subject key: raw_out receives it (wipe it with sodium_memzero when
 * done), wrapped_out gets it wrapped by the current master key (0x03, AD "subject_key\0" id),
 * PD_CRYPTO_WRAPPED_BYTES appended. Store the wrapped form; erasing it erases the subject. */
int pd_crypto_subject_key_new(const struct pd_keyset *ks, const char *subject_id,
                              unsigned char raw_out[PD_CRYPTO_KEY_BYTES],
                              struct pd_buf *wrapped_out);

/* Unwraps a subject key. PD_ERR_CRYPTO on any failure (raw_out then zeroed). */
int pd_crypto_subject_key_unwrap(const struct pd_keyset *ks, const char *subject_id,
                                 const void *wrapped, size_t n,
                                 unsigned char raw_out[PD_CRYPTO_KEY_BYTES]);

/* Re-wraps a subject key under the current master key, appending to out. */
int pd_crypto_subject_key_rewrap(const struct pd_keyset *ks, const char *subject_id,
                                 const void *wrapped, size_t n, struct pd_buf *out);

/* Like pd_crypto_seal / pd_crypto_open with a raw 32-byte subject key (format 0x02). */
int pd_crypto_seal_with(const unsigned char key[PD_CRYPTO_KEY_BYTES], const void *plaintext,
                        size_t n, const char *table, const char *column, const char *row_id,
                        struct pd_buf *out);
int pd_crypto_open_with(const unsigned char key[PD_CRYPTO_KEY_BYTES], const void *blob, size_t n,
                        const char *table, const char *column, const char *row_id,
                        struct pd_buf *out);

/* --- attachments: chunked streams ---------------------------------------------------------- */

/* One stream being written or read. Wipe with pd_crypto_stream_wipe when done. */
struct pd_crypto_stream {
	crypto_secretstream_xchacha20poly1305_state state;
	unsigned char ad[PD_CRYPTO_STREAM_HEADER_MAX + 3 * PD_CRYPTO_AD_MAX + 2];
	size_t ad_len;
	bool started, finished;
};

/* Starts a stream under the current master key (ks non-NULL, format 0x04) or under a subject
 * key (ks NULL, key non-NULL, format 0x05); appends the header to header_out, to be stored
 * before the chunks. */
int pd_crypto_stream_push_init(struct pd_crypto_stream *s, const struct pd_keyset *ks,
                               const unsigned char *key, const char *table, const char *column,
                               const char *row_id, struct pd_buf *header_out);

/* Encrypts one chunk (at most PD_CRYPTO_CHUNK bytes; every chunk but the last exactly that
 * size) and appends n + PD_CRYPTO_STREAM_ABYTES bytes to out. `last` marks the final chunk. */
int pd_crypto_stream_push(struct pd_crypto_stream *s, const void *chunk, size_t n, bool last,
                          struct pd_buf *out);

/* Length of the header that starts with these bytes (0 when not a stream header). */
size_t pd_crypto_stream_header_len(const void *p, size_t n);

/* Starts reading: header is what push_init produced; ks or key as for push_init (a 0x04 header
 * needs ks). PD_ERR_CRYPTO for a bad header or an unknown key. */
int pd_crypto_stream_pull_init(struct pd_crypto_stream *s, const struct pd_keyset *ks,
                               const unsigned char *key, const void *header, size_t n,
                               const char *table, const char *column, const char *row_id);

/* Decrypts one chunk and appends its plaintext to out; *last says whether it was the final one.
 * PD_ERR_CRYPTO for an altered, reordered or misplaced chunk, or any chunk after the last. */
int pd_crypto_stream_pull(struct pd_crypto_stream *s, const void *chunk, size_t n,
                          struct pd_buf *out, bool *last);

/* PD_OK when the final chunk has been read; PD_ERR_CRYPTO for a truncated stream. Chunks are
 * authenticated one by one, so a reader that passes plaintext on before this must abort
 * (e.g. reset the connection) when it fails. */
int pd_crypto_stream_pull_end(const struct pd_crypto_stream *s);

void pd_crypto_stream_wipe(struct pd_crypto_stream *s);

/* Whole streams between file descriptors: header then chunks, read to end of file. */
int pd_crypto_stream_encrypt_fd(const struct pd_keyset *ks, const unsigned char *key, int in_fd,
                                int out_fd, const char *table, const char *column,
                                const char *row_id);
int pd_crypto_stream_decrypt_fd(const struct pd_keyset *ks, const unsigned char *key, int in_fd,
                                int out_fd, const char *table, const char *column,
                                const char *row_id);

/* --- blind indexes ------------------------------------------------------------------------- */

/* Keyed BLAKE2b-256 of a normalised value under a key derived from the index key for this
 * domain ("email", "nik", "phone", …; crypto_kdf context "pdblindx"). Stable across master key
 * rotation; different per domain. */
int pd_crypto_blind_index(const struct pd_keyset *ks, const char *domain,
                          const char *normalized_value, unsigned char out[PD_CRYPTO_BLIND_BYTES]);

/* Normalisation before indexing or comparing. Each returns PD_OK or PD_ERR_INVALID.
 * email: ASCII whitespace trimmed, ASCII lower-cased, one '@' with text either side.
 * nik: spaces, '.', '-' and '/' dropped; exactly 16 digits remain (out holds 17 bytes).
 * phone: to E.164: separators " .-()" dropped; "08…" and "8…" become "+628…", "62…" and
 * "0062…" become "+62…", another "+CC…" is kept; 8..15 digits after '+'. */
int pd_crypto_norm_email(const char *in, char *out, size_t outlen);
int pd_crypto_norm_nik(const char *in, char out[17]);
int pd_crypto_norm_phone(const char *in, char *out, size_t outlen);

#endif
