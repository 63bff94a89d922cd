/* Storage of sign-in sessions: only the hash of each 256-bit token is kept, with the session's
 * CSRF secret, its times and the account it belongs to. */
#ifndef PD_STORE_SESSION_STORE_H
#define PD_STORE_SESSION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/account_store.h"
#include "store/store.h"

struct pd_session_row {
	struct pd_blob token_hash;  /* BLAKE2b-256 of the token */
	const char *id;             /* UUIDv7 naming the session on /akun */
	const char *account_id;
	int64_t created_ms, last_seen_ms, expires_ms;
	const char *csrf_secret;    /* base64url, 32 bytes */
};

/* Inserts s. */
enum pd_qs pd_store_session_insert(struct pd_tx *tx, const struct pd_session_row *s);

/* Loads the session whose token hashes to hash (copies in a, or the transaction's arena). */
enum pd_qs pd_store_session_by_hash(struct pd_tx *tx, struct pd_blob hash, struct pd_arena *a,
                                    struct pd_session_row *out);

/* Sets last_seen_ms of the session when it is older than now_ms - min_gap_ms. */
enum pd_qs pd_store_session_touch(struct pd_tx *tx, struct pd_blob hash, int64_t now_ms,
                                  int64_t min_gap_ms);

/* Ends one session by token hash; PD_QS_NONE when there was none. */
enum pd_qs pd_store_session_delete(struct pd_tx *tx, struct pd_blob hash);

/* Ends the session with this id when it belongs to account_id; PD_QS_NONE otherwise. */
enum pd_qs pd_store_session_delete_by_id(struct pd_tx *tx, const char *account_id,
                                         const char *id);

/* Ends every session of the account except the one whose token hashes to keep (keep.p NULL:
 * every session); the number ended goes to *n when n is not NULL. */
enum pd_qs pd_store_session_delete_others(struct pd_tx *tx, const char *account_id,
                                          struct pd_blob keep, int64_t *n);

/* Removes the account's sessions that expired before now_ms or were idle since idle_before_ms
 * (0: no idle limit). */
enum pd_qs pd_store_session_purge(struct pd_tx *tx, const char *account_id, int64_t now_ms,
                                  int64_t idle_before_ms);

/* For the periodic purge: removes at most max sessions that expired (expires_ms <= now_ms) and
 * at most max staff sessions idle since before staff_idle_before_ms (last_seen_ms earlier), of
 * every account; *n the number removed (up to 2 * max: call again while it is max or more). */
enum pd_qs pd_store_session_purge_expired(struct pd_tx *tx, int64_t now_ms,
                                          int64_t staff_idle_before_ms, int max, int64_t *n);

/* The account's sessions, newest first, at most max (copies in a). */
enum pd_qs pd_store_session_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                 struct pd_session_row *out, int max, int *n);

#endif
