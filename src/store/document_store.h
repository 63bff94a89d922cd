/* Storage of issued documents, their per-unit yearly counters and the public document keys. */
#ifndef PD_STORE_DOCUMENT_STORE_H
#define PD_STORE_DOCUMENT_STORE_H

#include <stdint.h>

#include "store/store.h"

/* A document row. Strings and the blob arena-owned when read; borrowed when written. */
struct pd_document_row {
	const char *id, *number, *application_id, *unit_id, *unit_path;
	const char *content, *kid, *sig;
	struct pd_blob holder_ct;    /* sealed under the application's subject key */
	const char *issued_by;       /* NULL allowed */
	int64_t revoked_ms;          /* 0: not revoked */
	const char *revoke_reason, *revoked_by;
	int64_t created_ms;
};

/* A recorded public key. */
struct pd_document_key_row {
	const char *kid;
	int64_t generation;
	const char *public_key;      /* base64url, 32 bytes */
	int64_t created_ms;
};

/* Takes the next number of (unit_id, year) in tx: one upsert, so two issuing transactions get
 * distinct numbers (the second waits for the first's row lock on PostgreSQL; SQLite has one
 * writer). *out the number (1 for the first). */
enum pd_qs pd_store_document_next_number(struct pd_tx *tx, const char *unit_id, int64_t year,
                                         int64_t *out);

/* Inserts r (revocation fields ignored). Conflict (latched) on a duplicate id, number or
 * application. */
enum pd_qs pd_store_document_insert(struct pd_tx *tx, const struct pd_document_row *r);

/* Loads the document with this id / of this application into *out (strings in a, the
 * transaction's arena when NULL). */
enum pd_qs pd_store_document_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_document_row *out);
enum pd_qs pd_store_document_by_application(struct pd_tx *tx, const char *application_id,
                                            struct pd_arena *a, struct pd_document_row *out);

/* Replaces the sealed holder data of document id (re-sealed under another key). */
enum pd_qs pd_store_document_set_holder(struct pd_tx *tx, const char *id, struct pd_blob holder_ct);

/* Marks the document revoked unless it already is: ONE when done, NONE when it was revoked
 * already or is missing. */
enum pd_qs pd_store_document_revoke(struct pd_tx *tx, const char *id, int64_t revoked_ms,
                                    const char *reason, const char *revoked_by);

/* The key with the highest generation (NONE when no key is recorded). */
enum pd_qs pd_store_document_key_current(struct pd_tx *tx, struct pd_arena *a,
                                         struct pd_document_key_row *out);

/* Records a key unless its kid or generation is there already (concurrent first issues on two
 * nodes derive the same key, so either insert wins). */
enum pd_qs pd_store_document_key_insert(struct pd_tx *tx, const struct pd_document_key_row *k);

/* Every recorded key, newest generation first, at most max into out; *n the count. */
enum pd_qs pd_store_document_key_list(struct pd_tx *tx, struct pd_arena *a,
                                      struct pd_document_key_row *out, int max, int *n);

#endif
