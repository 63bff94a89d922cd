/* Storage of the TOTP second factor: each account's sealed secret, enrolment state and newest
 * accepted time step, hashed recovery codes, units whose subtree requires TOTP, and pending
 * sign-ins between the password and the second step. Secrets arrive and leave sealed. */
#ifndef PD_STORE_TOTP_STORE_H
#define PD_STORE_TOTP_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/account_store.h"
#include "store/store.h"

/* One account_totp row (copies in the given arena, or the transaction's). */
struct pd_totp_row {
	const char *account_id;
	struct pd_blob secret_ct;  /* sealed under the account's subject key */
	const char *state;         /* "pending" | "active" */
	int64_t last_step;         /* newest accepted time step; 0: none */
	int64_t created_ms, enabled_ms;
};

/* Loads the account's row. PD_QS_NONE when it has none. */
enum pd_qs pd_store_totp_get(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                             struct pd_totp_row *out);

/* Inserts a pending secret unless the account already has a row (PD_QS_NONE then). */
enum pd_qs pd_store_totp_insert_pending(struct pd_tx *tx, const char *account_id,
                                        struct pd_blob secret_ct, int64_t now_ms);

/* Makes a pending secret active with last_step as the step of the confirming code.
 * PD_QS_NONE when there is no pending row. */
enum pd_qs pd_store_totp_activate(struct pd_tx *tx, const char *account_id, int64_t last_step,
                                  int64_t now_ms);

/* Raises last_step to step when it is lower (compare-and-set, so two nodes cannot both accept
 * one code). PD_QS_NONE when it was not lower (or there is no active row): a replay. */
enum pd_qs pd_store_totp_advance(struct pd_tx *tx, const char *account_id, int64_t step);

/* Removes the account's TOTP row and its recovery codes. */
enum pd_qs pd_store_totp_delete(struct pd_tx *tx, const char *account_id);

/* Replaces the account's recovery codes with n hashes (32 bytes each). */
enum pd_qs pd_store_recovery_replace(struct pd_tx *tx, const char *account_id,
                                     const unsigned char (*hashes)[32], int n, int64_t now_ms);

/* Marks the unused code with this hash spent. PD_QS_NONE when there is no such unused code. */
enum pd_qs pd_store_recovery_take(struct pd_tx *tx, const char *account_id, struct pd_blob hash,
                                  int64_t now_ms);

/* Number of unused recovery codes of the account. */
enum pd_qs pd_store_recovery_unused(struct pd_tx *tx, const char *account_id, int64_t *n);

/* Whether the unit requires TOTP for its subtree (false when never set). */
enum pd_qs pd_store_unit_security_get(struct pd_tx *tx, const char *unit_id, bool *totp_required);

/* Sets the unit's requirement (insert or update). */
enum pd_qs pd_store_unit_security_set(struct pd_tx *tx, const char *unit_id, bool totp_required,
                                      int64_t now_ms);

/* The materialised paths of the units that require TOTP, at most max, in path order (copies
 * in a). */
enum pd_qs pd_store_totp_required_paths(struct pd_tx *tx, struct pd_arena *a, const char **out,
                                        int max, int *n);

/* A pending sign-in (see signin_pending in 0006_totp.sql). */
struct pd_pending_row {
	struct pd_blob token_hash;
	const char *account_id;
	const char *step;          /* "code" | "enrol" */
	struct pd_blob binding;    /* BLAKE2b-256 of the CSRF secret it was issued with */
	const char *next;
	int64_t attempts, created_ms, expires_ms;
};

/* Inserts p after removing every expired pending sign-in (now_ms) and the account's others. */
enum pd_qs pd_store_pending_insert(struct pd_tx *tx, const struct pd_pending_row *p,
                                   int64_t now_ms);

/* Loads the pending sign-in whose token hashes to hash. */
enum pd_qs pd_store_pending_get(struct pd_tx *tx, struct pd_blob hash, struct pd_arena *a,
                                struct pd_pending_row *out);

/* Counts one more wrong code on the pending sign-in. */
enum pd_qs pd_store_pending_attempt(struct pd_tx *tx, struct pd_blob hash);

/* Removes the pending sign-in (used, expired or given up). PD_QS_NONE when there was none. */
enum pd_qs pd_store_pending_delete(struct pd_tx *tx, struct pd_blob hash);

/* Removes every pending sign-in of the account (erasure). */
enum pd_qs pd_store_pending_delete_account(struct pd_tx *tx, const char *account_id);

/* For the periodic purge: removes at most max pending sign-ins that expired by now_ms; *n the
 * number removed. */
enum pd_qs pd_store_pending_purge_expired(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n);

#endif
