/* Uploaded files as chunked blobs in the database, so every node of a deployment sees them. */
#ifndef PD_STORE_BLOB_STORE_H
#define PD_STORE_BLOB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define PD_BLOB_CHUNK (256 * 1024)

/* Stores the bytes of the file at path as blob `id` with content_type (recognised from the
 * bytes by the caller), in chunks of PD_BLOB_CHUNK, inside tx. PD_ERR_IO when the file cannot
 * be read. The size stored is what was read. */
int pd_store_blob_put_file(struct pd_tx *tx, const char *id, const char *content_type,
                           const char *path, int64_t now_ms);

/* Stores n bytes from memory as blob id. */
int pd_store_blob_put(struct pd_tx *tx, const char *id, const char *content_type, const void *p,
                      size_t n, int64_t now_ms);

struct pd_blob_info {
	const char *content_type;
	int64_t size;
	int n_chunks;
};

/* Reads the blob's description; PD_QS_NONE when absent. Strings in the tx arena. */
enum pd_qs pd_store_blob_info(struct pd_tx *tx, const char *id, struct pd_blob_info *out);

/* Calls fn for each chunk in order; stops and returns fn's non-zero result. */
int pd_store_blob_read(struct pd_tx *tx, const char *id,
                       int (*fn)(const void *p, size_t n, void *arg), void *arg);

/* Deletes the blob and its chunks. */
enum pd_qs pd_store_blob_delete(struct pd_tx *tx, const char *id);

#endif
