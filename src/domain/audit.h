/* The audit log (DESIGN §4): a hash chain appended inside the transaction of every change it
 * records, staff reads of personal data, checkpoints signed with an Ed25519 key of its own,
 * and the verifier behind `pendopo audit verify`. */
#ifndef PD_DOMAIN_AUDIT_H
#define PD_DOMAIN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/config.h"
#include "store/audit_store.h"
#include "store/store.h"

/* What happened, by whom, to what. Every string is borrowed for the call. Name people and
 * objects by id only: never a name, NIK, phone number, address or form answer. */
struct pd_audit_event {
	const char *actor;       /* required: "account:<uuid>", "apikey:<id>", "cli:<unix user>",
	                          * "system" (1-128 bytes of UTF-8, no control characters) */
	const char *action;      /* required: "<area>.<verb>", e.g. "unit.add" ([a-z0-9._-], <= 64) */
	const char *object_type; /* e.g. "unit", "application"; NULL when none ([a-z0-9._-]) */
	const char *object_id;   /* NULL when none */
	const char *unit_id;     /* the owner unit of the object, NULL when none */
	const char *subject_id;  /* the citizen account whose personal data was read or changed;
	                          * lists /akun/akses. NULL when none */
	const char *purpose;     /* why personal data was read: the work item, or the reason staff
	                          * gave (<= 500 bytes); NULL when none */
	const char *details;     /* a JSON object of ids and codes only (<= 8 KiB); NULL: "{}" */
	int64_t ts_ms;           /* 0: now (pd_clock_now_ms) */
};

#define PD_AUDIT_ACTION_READ "personal.read"

/* Appends ev to the log inside the caller's write transaction (pd_store_write), as its last
 * statement: on PostgreSQL takes the audit advisory lock (held until commit, so concurrent
 * appenders wait a moment), reads the newest (seq, hash), and inserts seq + 1 with
 * hash = BLAKE2b-256(canonical encoding of the row and the previous hash). The entry commits
 * or rolls back with the change it records. Returns PD_OK, or an error that is also latched in
 * tx (PD_ERR_INVALID for a malformed event: our bug, logged). No effect outside tx, so the
 * transaction body may be retried. */
int pd_audit_append(struct pd_tx *tx, const struct pd_audit_event *ev);

/* Records that actor (staff) read personal data of the citizen account subject_id, for
 * purpose, while handling object_type/object_id (may be NULL) of unit_id (may be NULL): an
 * entry with action "personal.read". Call it inside the write transaction that loads the
 * personal data, so that the record is durable before the data leaves the domain layer.
 * purpose and subject_id are required (PD_ERR_INVALID otherwise). Same return as
 * pd_audit_append. */
int pd_audit_record_read(struct pd_tx *tx, const char *actor, const char *subject_id,
                         const char *purpose, const char *object_type, const char *object_id,
                         const char *unit_id);

/* Entries naming subject_id (the citizen's own account id: the caller checks that the signed-in
 * citizen asks for their own), only those of action when not NULL (PD_AUDIT_ACTION_READ: the
 * staff reads), newest first, before seq before_seq (0: from the newest; the keyset cursor is
 * the last seq shown), at most max into out; strings arena-owned. For /akun/akses ("Siapa yang
 * mengakses data saya"). */
int pd_audit_subject_list(struct pd_store *st, const char *subject_id, const char *action,
                          int64_t before_seq, struct pd_arena *a, struct pd_audit_entry *out,
                          int max, int *n);

/* The entry hash of r: BLAKE2b-256 over "pendopo.audit.v1", seq and ts_ms as 8-byte big-endian,
 * then actor, action, object_type, object_id, unit_id, subject_id, purpose and details each as
 * a tag byte (0 NULL, 1 present) plus a 4-byte big-endian length and the bytes, then prev_hash
 * with its length. Exposed for the verifier and its tests. */
void pd_audit_hash(const struct pd_audit_row *r, unsigned char out[PD_AUDIT_HASH_LEN]);

/* --- the checkpoint key ------------------------------------------------------------------------ */

/* An Ed25519 key: the secret part only when loaded from the key file. */
struct pd_audit_key {
	unsigned char pk[32];
	unsigned char sk[64];
	bool has_secret;
	char key_id[17];  /* first 8 bytes of BLAKE2b-256(pk), lower-case hex */
};

/* Writes the key id of a public key into out. */
void pd_audit_key_id(const unsigned char pk[32], char out[17]);

/* The key file's path: the `audit-key` setting, else <data>/keys/audit-signing.key.
 * PD_ERR_TOO_LARGE when it does not fit in out. */
int pd_audit_key_path(const struct pd_config *cfg, char *out, size_t n);

/* Loads the key file at path: one line of 64 hex digits, the Ed25519 seed. With create, a
 * missing file is created first (mode 0600, written to a temporary file and linked into place,
 * so concurrent first uses agree on one key; a missing <data>/keys directory is made 0700).
 * PD_ERR_NOT_FOUND when it is missing and !create; PD_ERR_INVALID for a malformed file;
 * PD_ERR_IO otherwise; a message in err. Wipe *out with pd_audit_key_wipe when done. */
int pd_audit_key_load(const char *path, bool create, struct pd_audit_key *out, char *err,
                      size_t errlen);

/* Zeroes the secret part. */
void pd_audit_key_wipe(struct pd_audit_key *k);

/* --- checkpoints ------------------------------------------------------------------------------- */

struct pd_audit_cp_result {
	bool created;      /* a new checkpoint was written */
	int64_t seq;       /* the newest checkpoint's seq afterwards (0: none, empty log) */
	int64_t bad_seq;   /* when PD_ERR_CRYPTO: the first bad entry found */
	char what[256];    /* when PD_ERR_CRYPTO: what is wrong there */
};

/* Signs (seq, hash, ts_ms) of the newest entry with key when it is newer than the newest
 * checkpoint. First checks the entries since that checkpoint (seq, links, hashes) in a read
 * transaction, so a checkpoint never vouches for a chain already broken: PD_ERR_CRYPTO with
 * out->bad_seq/what then (also logged). The write itself is a short transaction. PD_OK when a
 * checkpoint was written or none was needed. */
int pd_audit_checkpoint(struct pd_store *st, const struct pd_audit_key *key,
                        struct pd_audit_cp_result *out);

/* pd_audit_checkpoint with the key named by cfg (created on first use). For the periodic
 * scheduler and the server's stop. Logs the outcome. */
int pd_audit_checkpoint_config(struct pd_store *st, const struct pd_config *cfg,
                               struct pd_audit_cp_result *out);

/* --- verification (audit_verify.c) ------------------------------------------------------------- */

struct pd_audit_report {
	int64_t n_entries;       /* entries checked in order (the chain's length when sound) */
	int64_t n_checkpoints;   /* checkpoints in the database checked */
	int64_t n_exported;      /* lines of the checkpoints file checked */
	int64_t last_checkpoint; /* seq of the newest checkpoint in the database, 0 when none */
	bool sound;
	int64_t bad_seq;         /* when !sound: the first bad entry */
	char what[320];          /* when !sound: what is wrong there; or why no verdict */
};

/* Walks the whole log in seq order (keyset pages, bounded memory) in one read transaction:
 * seq gapless from 1, each prev_hash equal to the previous hash, each hash recomputed; then
 * every checkpoint in the database: signed by a known key (keys[], plus those of the
 * checkpoints file), a valid signature, and equal to the chain's hash at its seq (so a
 * truncated tail or a rewritten chain shows); then, with checkpoints_file (JSON lines as
 * written by pd_audit_export; NULL: none), that each exported checkpoint is still in the
 * database unchanged and matches the chain. The first bad entry (lowest seq) is reported.
 * Returns PD_OK when sound, PD_ERR_CRYPTO when not (report->bad_seq, report->what), or
 * PD_ERR_INVALID / PD_ERR_IO for an unreadable checkpoints file and database errors (no
 * verdict; report->what says why). */
int pd_audit_verify(struct pd_store *st, const char *checkpoints_file,
                    const struct pd_audit_key *keys, size_t n_keys, struct pd_audit_report *report);

/* Writes every checkpoint to path as JSON lines {"seq","hash","ts_ms","key_id","public_key",
 * "signature"} (hex; public_key null for a key not in keys[]), through a temporary file renamed
 * into place. *n_written: lines written. Message in err on failure. */
int pd_audit_export(struct pd_store *st, const char *path, const struct pd_audit_key *keys,
                    size_t n_keys, int64_t *n_written, char *err, size_t errlen);

#endif
