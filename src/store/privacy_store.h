/* Storage for the citizen's privacy rights (UU 27/2022): erasing an account down to its
 * tombstone, marking a NIK verified, listing what else is kept about an account for its
 * export, and the WAL checkpoint that removes erased bytes from the files. */
#ifndef PD_STORE_PRIVACY_STORE_H
#define PD_STORE_PRIVACY_STORE_H

#include <stdint.h>

#include "store/account_store.h"
#include "store/store.h"

/* Turns account id into a tombstone: every personal column, the wrapped subject key, both blind
 * indexes (email, NIK), the password hash, the home village, the language and the verification
 * times become NULL (or empty) and erased_ms is set (erased accounts never sign in); id, kind,
 * disabled and created_ms stay (the record the law requires). PD_QS_NONE when there is no such
 * account or it was erased already. */
enum pd_qs pd_store_account_erase(struct pd_tx *tx, const char *id, int64_t erased_ms);

/* Marks the NIK of account id verified (checked against the card at a village office).
 * PD_QS_NONE when the account has no NIK, is erased or does not exist. */
enum pd_qs pd_store_account_set_nik_verified(struct pd_tx *tx, const char *id);

/* Deletes every one-time token of the account (verification and reset links). */
enum pd_qs pd_store_token_delete_account(struct pd_tx *tx, const char *account_id);

/* Deletes every role grant of the account. */
enum pd_qs pd_store_grant_delete_account(struct pd_tx *tx, const char *account_id);

/* A one-time token as the export shows it: never its hash. */
struct pd_token_row {
	const char *kind;              /* "verify_email" | "reset_password" */
	int64_t created_ms, expires_ms, used_ms;  /* used_ms 0: unused */
};

/* The account's tokens, newest first, at most max (copies in a). */
enum pd_qs pd_store_token_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                               struct pd_token_row *out, int max, int *n);

/* SQLite: runs a TRUNCATE checkpoint of the write-ahead log on this thread's connection, outside
 * any transaction, so that pages rewritten by a committed change (an erasure, with
 * secure_delete on the writer) replace the old ones in the database file and the WAL file
 * shrinks to zero bytes. Waits for readers up to the busy timeout and retries a few times.
 * PD_OK when the whole log was checkpointed and truncated; PD_ERR_BUSY when readers kept it
 * from finishing; a database error otherwise. PostgreSQL: nothing to do, PD_OK. Blocks for up
 * to seconds: call it on a worker, never a pool thread. */
int pd_store_checkpoint(struct pd_store *st);

#endif
