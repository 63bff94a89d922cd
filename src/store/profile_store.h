/* Storage of what an account holder adds on /akun beyond the sign-up form — the address and
 * supporting documents with their notes — as ciphertexts only. */
#ifndef PD_STORE_PROFILE_STORE_H
#define PD_STORE_PROFILE_STORE_H

#include <stdint.h>

#include "core/arena.h"
#include "store/account_store.h"
#include "store/store.h"

/* The sealed address of account_id into *out (a copy in a); PD_QS_NONE when there is none. */
enum pd_qs pd_store_profile_address_get(struct pd_tx *tx, const char *account_id,
                                        struct pd_arena *a, struct pd_blob *out);

/* Sets the sealed address of account_id (ct NULL clears it), inserting the row when new. */
enum pd_qs pd_store_profile_address_put(struct pd_tx *tx, const char *account_id,
                                        struct pd_blob ct, int64_t now_ms);

/* One supporting document: the attachment holding the file and the sealed note. */
struct pd_account_doc_row {
	const char *id, *account_id, *attachment_id;
	struct pd_blob note_ct;        /* NULL when no note */
	int64_t created_ms;
};

/* Inserts r; a duplicate id or attachment latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_account_doc_insert(struct pd_tx *tx, const struct pd_account_doc_row *r);

/* Loads document id (copies in a); PD_QS_NONE when absent. */
enum pd_qs pd_store_account_doc_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                    struct pd_account_doc_row *out);

/* Number of documents account_id keeps. */
enum pd_qs pd_store_account_doc_count(struct pd_tx *tx, const char *account_id, int64_t *out);

/* The documents of account_id, newest first, at most max into out (copies in a); *n the count. */
enum pd_qs pd_store_account_doc_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                     struct pd_account_doc_row *out, int max, int *n);

/* Deletes the account's profile row (its sealed address). */
enum pd_qs pd_store_profile_delete(struct pd_tx *tx, const char *account_id);

/* Deletes document id (its attachment is deleted by the caller, after this row, which refers to
 * it). PD_QS_NONE when absent. */
enum pd_qs pd_store_account_doc_delete(struct pd_tx *tx, const char *id);

#endif
