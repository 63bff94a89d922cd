/* Attachments at rest (DESIGN §4): uploaded files checked by their content, encrypted chunk by
 * chunk with crypto_secretstream under their subject's key or a wrapped key of their own, kept
 * as chunked blobs and read back by streaming decryption. */
#ifndef PD_DOMAIN_ATTACHMENT_H
#define PD_DOMAIN_ATTACHMENT_H

/* The building block of every feature that takes documents or photos (Layanan, Pengaduan).
 * Under a subject key, erasing the citizen destroys the file with the rest of their data.
 * Access checks are the caller's: these functions take ids, not actors, so call pd_authz
 * first; never log a file's name or bytes. */

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "store/store.h"

#define PD_ATTACHMENT_MAX_BYTES (10 * 1024 * 1024) /* the largest file accepted */
#define PD_ATTACHMENT_NAME_MAX 255                 /* bytes of an original name kept */

/* A file to store, e.g. an upload's temporary file (http's struct pd_upload gives path,
 * sniffed_type, size and filename). Every field is borrowed for the call. */
struct pd_attachment_file {
	const char *path;          /* read from start to end, never changed */
	const char *sniffed_type;  /* the type the receiver recognised, or NULL; checked again */
	int64_t size;              /* the size the receiver counted, or -1; checked again */
	const char *filename;      /* as sent (may be NULL); only its last path part is kept */
};

/* What is known of a stored attachment. Strings in the arena given to the call. */
struct pd_attachment_info {
	const char *id;
	const char *subject_id;    /* NULL when under a key of its own */
	const char *content_type;  /* "application/pdf", "image/jpeg" or "image/png" */
	const char *ext;           /* ".pdf", ".jpg", ".png": for naming a download */
	int64_t size;
	const char *filename;      /* the original name, opened; NULL when none was given */
	int64_t created_ms;
};

/* The type of a file from its first bytes when it is one that attachments accept (PDF, JPEG,
 * PNG), else NULL. Static string. */
const char *pd_attachment_type_allowed(const void *head, size_t n);

/* Stores the file inside write transaction tx and writes the new attachment's id to id_out.
 * The type is recognised again from the file's own bytes and must be PDF, JPEG or PNG, the
 * size (from the file itself) 1..PD_ATTACHMENT_MAX_BYTES, and both must agree with what the
 * receiver reported when it reported something. The file is read in chunks of
 * PD_CRYPTO_CHUNK and encrypted as it is read into a temporary file beside it (ciphertext
 * only), which becomes the blob and is removed; the plain file is never whole in memory.
 * With subject_id (an account id) the stream is under that account's subject key, else under a
 * fresh key wrapped by the master key (kept in the row, re-wrapped by `keys rotate`). The
 * original name is sealed under the same key (AD attachment/filename_ct/id).
 * Returns PD_OK; PD_ERR_INVALID (type not accepted, empty file, a mismatch with what was
 * reported) and PD_ERR_TOO_LARGE without failing tx; PD_ERR_NOT_FOUND when subject_id names
 * no account or an erased one; PD_ERR_IO, PD_ERR_CRYPTO or the transaction's error otherwise
 * (return it from the transaction body so that nothing half-stored commits). No effect outside
 * tx: the transaction body may be retried. */
int pd_attachment_put(struct pd_tx *tx, const struct pd_keyset *ks, const char *subject_id,
                      const struct pd_attachment_file *f, char id_out[37]);

/* Describes attachment id, opening its original name. PD_ERR_NOT_FOUND when there is no such
 * attachment or its subject was erased; PD_ERR_CRYPTO when its key or name does not open. */
int pd_attachment_info(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       struct pd_arena *a, struct pd_attachment_info *out);

/* Receives plaintext in order, up to PD_CRYPTO_CHUNK bytes a call (borrowed for the call and
 * wiped after it); a non-zero return stops the read and is returned by pd_attachment_read.
 * Each read first calls fn(NULL, 0, arg): start from nothing (a transaction that is retried
 * reads the file again from its first byte). */
typedef int (*pd_attachment_sink)(const void *p, size_t n, void *arg);

/* Decrypts attachment id chunk by chunk to fn, inside a read or write transaction. Each chunk
 * is authenticated before fn sees it; an altered, reordered, missing or extra chunk stops the
 * read with PD_ERR_CRYPTO, and a truncated stream is found only at the end, so a caller that
 * passes plaintext on before PD_OK must be able to abandon it (buffer, or reset the
 * connection). PD_ERR_NOT_FOUND as for pd_attachment_info. */
int pd_attachment_read(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       pd_attachment_sink fn, void *arg);

/* Moves attachment id under account subject_id's key inside tx: the stream is decrypted and
 * encrypted anew under that key into a new blob (the old blob is deleted), the original name
 * sealed anew, and the file's own key dropped, so that erasing the account destroys the file
 * with the rest of its data. The id stays the same. Nothing happens when it is under that
 * account already. PD_ERR_NOT_FOUND when there is no such attachment or account (or it was
 * erased); PD_ERR_CRYPTO for an altered file; the transaction's error. The whole file is held
 * in memory once (at most PD_ATTACHMENT_MAX_BYTES). */
int pd_attachment_rekey(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                        const char *subject_id);

/* Deletes the attachment, its key (when it had one of its own) and its blob inside tx.
 * PD_ERR_NOT_FOUND when there is no such attachment. */
int pd_attachment_delete(struct pd_tx *tx, const char *id);

#endif
