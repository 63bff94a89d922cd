/* Storage of attachment rows: which chunked blob holds a file's encrypted stream, under whose
 * key, its recognised type and size, and its sealed original name. */
#ifndef PD_STORE_ATTACHMENT_STORE_H
#define PD_STORE_ATTACHMENT_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "store/account_store.h"
#include "store/store.h"

/* One attachment row. Reading fills every field with copies in the given arena. */
struct pd_attachment_row {
	const char *id;
	const char *subject_id;    /* the account whose subject key the stream is under, or NULL */
	struct pd_blob file_key;   /* the file's own key wrapped by the master key (no subject) */
	const char *blob_id;       /* the chunked blob holding header and chunks of the stream */
	const char *content_type;  /* recognised from the bytes: application/pdf, image/… */
	int64_t size;              /* bytes of the plain file */
	struct pd_blob filename_ct;/* the name it was sent under, sealed; NULL when none */
	int64_t created_ms;
};

/* Inserts r. A duplicate id or blob id latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_attachment_insert(struct pd_tx *tx, const struct pd_attachment_row *r);

/* Loads attachment id into *out (copies in a, or the transaction's arena when a is NULL);
 * PD_QS_NONE when absent. */
enum pd_qs pd_store_attachment_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                   struct pd_attachment_row *out);

/* Puts attachment id under subject_id's key: subject_id, no own key, blob_id and filename_ct
 * replaced (the caller re-encrypted the stream into the new blob and deletes the old one). */
enum pd_qs pd_store_attachment_rekey(struct pd_tx *tx, const char *id, const char *subject_id,
                                     const char *blob_id, struct pd_blob filename_ct);

/* Deletes the row (its blob is deleted by the caller with pd_store_blob_delete). */
enum pd_qs pd_store_attachment_delete(struct pd_tx *tx, const char *id);

/* The ids of up to max attachments under subject_id's key, in id order, into out (copies in a,
 * or the transaction's arena when a is NULL); *n the count. */
enum pd_qs pd_store_attachment_ids_of_subject(struct pd_tx *tx, const char *subject_id,
                                              struct pd_arena *a, const char **out, int max,
                                              int *n);

#endif
