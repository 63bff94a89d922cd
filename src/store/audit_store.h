/* Storage of the audit log and its signed checkpoints (DESIGN §4); the hashing and signing
 * rules live in domain/audit.c, this file only moves rows. */
#ifndef PD_STORE_AUDIT_STORE_H
#define PD_STORE_AUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define PD_AUDIT_HASH_LEN 32
#define PD_AUDIT_SIG_LEN 64

/* A text field of a row as exact bytes: p NULL for SQL NULL. */
struct pd_audit_text {
	const char *p;
	size_t n;
};

/* One row of audit_log. When read from the store, every pointer is borrowed until the next
 * row of the same query (or the end of the callback). */
struct pd_audit_row {
	int64_t seq, ts_ms;
	struct pd_audit_text actor, action, object_type, object_id, unit_id, subject_id, purpose,
		details;
	const unsigned char *prev_hash, *hash;
	size_t prev_hash_len, hash_len;
};

/* One row of audit_checkpoint; pointers borrowed as for pd_audit_row. */
struct pd_audit_cp_row {
	int64_t seq, ts_ms;
	const unsigned char *hash, *signature;
	size_t hash_len, signature_len;
	struct pd_audit_text key_id;
};

/* PostgreSQL: takes the transaction-scoped advisory lock that serialises appenders across
 * nodes (released at commit or rollback). SQLite: nothing to do (one writer). */
enum pd_qs pd_store_audit_lock(struct pd_tx *tx);

/* The newest entry's seq and hash into *seq and hash (when its hash is 32 bytes; otherwise
 * PD_QS_HARD with PD_ERR_INVALID latched). PD_QS_NONE on an empty log. */
enum pd_qs pd_store_audit_last(struct pd_tx *tx, int64_t *seq, unsigned char hash[32]);

/* Inserts r (seq, hash and prev_hash computed by the caller). Conflict when seq exists. */
enum pd_qs pd_store_audit_insert(struct pd_tx *tx, const struct pd_audit_row *r);

/* Calls fn for up to max entries in seq order: the first ones when after_seq is NULL, else
 * those with seq > *after_seq. fn returns 0 to go on, anything else to stop (then
 * PD_QS_MANY is returned and *n counts the row that stopped it). *n: rows passed to fn. */
enum pd_qs pd_store_audit_page(struct pd_tx *tx, const int64_t *after_seq, int max,
                               int (*fn)(const struct pd_audit_row *r, void *arg), void *arg,
                               int *n);

/* Copies the stored hash of entry seq into out (at most 32 bytes; *len says how many there
 * were, which may exceed 32 for a damaged row). PD_QS_NONE when there is no such entry. */
enum pd_qs pd_store_audit_hash_at(struct pd_tx *tx, int64_t seq, unsigned char out[32],
                                  size_t *len);

/* Entries about one citizen (subject_id), only those of action when not NULL, newest first,
 * with seq < before_seq (0: from the newest); at most max, copied into out with strings in
 * arena a. Uses the index audit_log_subject (subject_id, seq). */
struct pd_audit_entry {
	int64_t seq, ts_ms;
	char *actor, *action, *object_type, *object_id, *unit_id, *purpose;
};
enum pd_qs pd_store_audit_by_subject(struct pd_tx *tx, const char *subject_id, const char *action,
                                     int64_t before_seq, struct pd_arena *a,
                                     struct pd_audit_entry *out, int max, int *n);

/* Checkpoints. */
enum pd_qs pd_store_audit_cp_insert(struct pd_tx *tx, const struct pd_audit_cp_row *c);

/* The newest checkpoint's seq (PD_QS_NONE when there is none). */
enum pd_qs pd_store_audit_cp_last(struct pd_tx *tx, int64_t *seq);

/* Calls fn for up to max checkpoints in seq order after *after_seq (NULL: from the first),
 * like pd_store_audit_page. */
enum pd_qs pd_store_audit_cp_page(struct pd_tx *tx, const int64_t *after_seq, int max,
                                  int (*fn)(const struct pd_audit_cp_row *c, void *arg),
                                  void *arg, int *n);

/* Calls fn once with the checkpoint at seq; PD_QS_NONE when there is none. */
enum pd_qs pd_store_audit_cp_at(struct pd_tx *tx, int64_t seq,
                                int (*fn)(const struct pd_audit_cp_row *c, void *arg), void *arg);

#endif
