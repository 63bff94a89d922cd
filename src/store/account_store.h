/* Storage of accounts, their role grants, one-time tokens and the sign-in throttle. Personal
 * fields arrive sealed and leave sealed: this file sees ciphertexts and blind indexes only. */
#ifndef PD_STORE_ACCOUNT_STORE_H
#define PD_STORE_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* One account row. Reading fills every field with copies in the given arena. */
struct pd_account_row {
	const char *id;
	const char *kind;              /* "citizen" | "staff" */
	struct pd_blob email_ct, email_bidx;
	struct pd_blob name_ct, phone_ct;
	struct pd_blob nik_ct, nik_bidx;
	bool nik_verified;
	const char *nik_district;      /* first 6 digits of the NIK, or NULL */
	const char *home_village_id;   /* unit id, or NULL */
	struct pd_blob subject_key;    /* wrapped per-subject key; NULL once erased */
	const char *password_hash;     /* argon2id string; "" for none */
	int64_t email_verified_ms;     /* 0: not verified */
	const char *lang;              /* NULL: no choice */
	bool disabled;
	int64_t created_ms, erased_ms; /* erased_ms 0: not erased */
};

/* Inserts a. A duplicate email or NIK blind index latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_account_insert(struct pd_tx *tx, const struct pd_account_row *a);

/* Loads an account by id, by email blind index or by NIK blind index into *out (copies in
 * arena a, or the transaction's arena when a is NULL). */
enum pd_qs pd_store_account_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                  struct pd_account_row *out);
enum pd_qs pd_store_account_by_email(struct pd_tx *tx, struct pd_blob bidx, struct pd_arena *a,
                                     struct pd_account_row *out);
enum pd_qs pd_store_account_by_nik(struct pd_tx *tx, struct pd_blob bidx, struct pd_arena *a,
                                   struct pd_account_row *out);

/* Single-field updates; PD_QS_NONE when no such account. */
enum pd_qs pd_store_account_set_password(struct pd_tx *tx, const char *id, const char *hash);
enum pd_qs pd_store_account_set_lang(struct pd_tx *tx, const char *id, const char *lang);
enum pd_qs pd_store_account_set_email(struct pd_tx *tx, const char *id, struct pd_blob ct,
                                      struct pd_blob bidx, int64_t verified_ms);
/* Sets the NIK (sealed, blind index, district; unverified) of an account that has none:
 * PD_QS_NONE when there is no such account or it already holds a NIK. A NIK bound to another
 * account latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_account_set_nik(struct pd_tx *tx, const char *id, struct pd_blob ct,
                                    struct pd_blob bidx, const char *district);
enum pd_qs pd_store_account_set_email_verified(struct pd_tx *tx, const char *id, int64_t ms);
enum pd_qs pd_store_account_set_disabled(struct pd_tx *tx, const char *id, bool disabled);
enum pd_qs pd_store_account_set_kind(struct pd_tx *tx, const char *id, const char *kind);

/* Up to max accounts with an id after after_id (NULL: from the start) in id order, for
 * `user list`; copies in a. */
enum pd_qs pd_store_account_list(struct pd_tx *tx, const char *after_id, struct pd_arena *a,
                                 struct pd_account_row *out, int max, int *n);

/* A grant with its unit's path and slug (copies in the arena given to the read). */
struct pd_grant_row {
	const char *account_id, *role, *unit_id, *unit_path, *unit_slug;
	int64_t created_ms;
};

/* Adds a grant; PD_QS_NONE when the account already held it. */
enum pd_qs pd_store_grant_insert(struct pd_tx *tx, const char *account_id, const char *role,
                                 const char *unit_id, int64_t now_ms);

/* The grants of an account (at most max), ordered by role then unit path. */
enum pd_qs pd_store_grant_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                               struct pd_grant_row *out, int max, int *n);

/* One-time tokens (kind "verify_email" | "reset_password"); only their hash is stored. */
enum pd_qs pd_store_token_insert(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                                 const char *account_id, int64_t now_ms, int64_t expires_ms);

/* Marks the token used at now_ms when it is of this kind, unused and not expired, and copies
 * its account id into account_id (arena a). PD_QS_NONE when there is no such usable token. */
enum pd_qs pd_store_token_take(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                               int64_t now_ms, struct pd_arena *a, const char **account_id);

/* Like pd_store_token_take without using it up (to show the form a link leads to). */
enum pd_qs pd_store_token_peek(struct pd_tx *tx, struct pd_blob hash, const char *kind,
                               int64_t now_ms, struct pd_arena *a, const char **account_id);

/* Marks every unused token of this kind of the account used (a new password ends old links). */
enum pd_qs pd_store_token_use_all(struct pd_tx *tx, const char *account_id, const char *kind,
                                  int64_t now_ms);

/* For the periodic purge: deletes at most max tokens that were used or expired by now_ms;
 * *n the number deleted. */
enum pd_qs pd_store_token_purge(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n);

/* Sign-in throttle state under a key (a keyed hash, never a raw address or email). */
struct pd_throttle {
	int64_t failures, window_start_ms, locked_until_ms;
};

/* Loads the state of key; PD_QS_NONE (and *out zeroed) when there is none. */
enum pd_qs pd_store_throttle_get(struct pd_tx *tx, struct pd_blob key, struct pd_throttle *out);

/* Writes the state of key (insert or replace). */
enum pd_qs pd_store_throttle_put(struct pd_tx *tx, struct pd_blob key, const struct pd_throttle *t);

/* Forgets key (after a successful sign-in). */
enum pd_qs pd_store_throttle_clear(struct pd_tx *tx, struct pd_blob key);

/* For the periodic purge: deletes at most max throttle rows whose window started before
 * window_before_ms and whose lock (if any) ended by now_ms; *n the number deleted. */
enum pd_qs pd_store_throttle_purge(struct pd_tx *tx, int64_t window_before_ms, int64_t now_ms,
                                   int max, int64_t *n);

#endif
