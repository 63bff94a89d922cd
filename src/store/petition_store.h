/* Storage of petitions (migration 0023): the petition row (sealed draft fields leave and
 * arrive sealed), its versioned update, signatures (one per NIK blind index per petition),
 * counts, public signers, the unit settings inherited down the tree, the public list, the
 * back-office queue, the overdue job's statements and the per-unit figures. */
#ifndef PD_STORE_PETITION_STORE_H
#define PD_STORE_PETITION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One petition as stored. Optional times and numbers: 0 for NULL. Strings in the arena given. */
struct pd_pet_row {
	const char *id, *author_account_id, *unit_id, *unit_path;
	const char *unit_slug, *unit_name;           /* read only (joined) */
	struct pd_blob title_ct, body_ct, ask_ct;
	int64_t period_days;
	const char *status;                          /* pending | refused | open | answered */
	const char *title, *body, *ask, *refusal_reason;
	int64_t threshold, answer_days;
	int64_t created_ms, decided_ms;
	const char *moderator_id;
	int64_t opens_ms, closes_ms, reached_ms, answer_due_ms;
	const char *answer;
	int64_t answered_ms;
	const char *answered_by;
	bool overdue;
	const char *form_id;
	int64_t version, updated_ms;
};

/* Inserts r (version 1). A duplicate form_id latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_pet_insert(struct pd_tx *tx, const struct pd_pet_row *r);
/* Loads by id or by form id (a NULL a: the transaction's arena). */
enum pd_qs pd_store_pet_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_pet_row *r);
enum pd_qs pd_store_pet_by_form(struct pd_tx *tx, const char *form_id, struct pd_arena *a,
                                struct pd_pet_row *r);
/* Writes every changeable column of r WHERE id AND version = version; version + 1.
 * PD_QS_ONE for the winner, PD_QS_NONE when the version moved on. */
enum pd_qs pd_store_pet_update(struct pd_tx *tx, const struct pd_pet_row *r, int64_t version);
/* Sets reached_ms and answer_due_ms once (only while reached_ms is NULL): PD_QS_ONE when this
 * call set them. Does not touch the version (signatures run concurrently). */
enum pd_qs pd_store_pet_set_reached(struct pd_tx *tx, const char *id, int64_t reached_ms,
                                    int64_t answer_due_ms);

/* Public petitions (open or answered), newest first, after after_id ("" or NULL: from the
 * first), in the subtree of unit_path (NULL: all), at most max. Sealed fields are not read. */
enum pd_qs pd_store_pet_public(struct pd_tx *tx, const char *unit_path, const char *after_id,
                               struct pd_arena *a, struct pd_pet_row *out, int max, int *n);
/* The back-office queue under unit_path: pending ones and those obliged and unanswered, the
 * nearest deadline first (pending by age), at most max. */
enum pd_qs pd_store_pet_queue(struct pd_tx *tx, const char *unit_path, struct pd_arena *a,
                              struct pd_pet_row *out, int max, int *n);
/* The author's petitions, newest first, at most max. */
enum pd_qs pd_store_pet_mine(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                             struct pd_pet_row *out, int max, int *n);

/* --- signatures ------------------------------------------------------------------------ */

struct pd_pet_sig_row {
	const char *petition_id, *account_id;
	struct pd_blob nik_bidx;
	bool nik_verified;
	const char *public_name;  /* NULL: the signer did not agree to show it */
	int64_t signed_ms;
};
/* Inserts s. A second signature with the same NIK (or account) latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_pet_sign(struct pd_tx *tx, const struct pd_pet_sig_row *s);
/* Signatures of a petition with a verified and with a self-declared NIK. */
enum pd_qs pd_store_pet_counts(struct pd_tx *tx, const char *petition_id, int64_t *verified,
                               int64_t *self_declared);
/* Whether account_id signed the petition. */
enum pd_qs pd_store_pet_signed(struct pd_tx *tx, const char *petition_id, const char *account_id,
                               bool *out);
/* Names of signers who agreed to show them, newest first, at most max (names in a). */
enum pd_qs pd_store_pet_signers(struct pd_tx *tx, const char *petition_id, struct pd_arena *a,
                                const char **names, int64_t *signed_ms, int max, int *n);

/* --- settings -------------------------------------------------------------------------- */

/* The threshold and answer days set on the nearest unit at or above unit_path: PD_QS_NONE
 * when no unit on the way up has a setting. */
enum pd_qs pd_store_pet_setting(struct pd_tx *tx, const char *unit_path, int64_t *threshold,
                                int64_t *answer_days);
/* Sets (insert or replace) the setting of unit_id. */
enum pd_qs pd_store_pet_setting_put(struct pd_tx *tx, const char *unit_id, int64_t threshold,
                                    int64_t answer_days, int64_t now_ms);

/* --- the overdue job and figures ------------------------------------------------------- */

/* Ids (at most max, in a) of petitions obliged, unanswered, not flagged and due before now. */
enum pd_qs pd_store_pet_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int max, int *n);
/* Flags one overdue (only when still unanswered and past due); PD_QS_ONE when it did. */
enum pd_qs pd_store_pet_flag(struct pd_tx *tx, const char *id, int64_t now_ms);

/* Locks petition id's row until the transaction ends (PostgreSQL: FOR UPDATE; SQLite's one
 * writer needs nothing), so signatures of one petition count one after another and the one that
 * reaches the threshold sees every earlier one. NONE when there is no such petition. */
enum pd_qs pd_store_pet_lock(struct pd_tx *tx, const char *id);

/* Account erasure: removes the shown name from every signature of account_id (the signature
 * and its count stay). 0, or -1 on a database error. */
int pd_store_pet_erase_names(struct pd_tx *tx, const char *account_id);

/* Per-unit figures of public petitions, by unit name. */
struct pd_pet_fig_row {
	const char *unit_slug, *unit_name;
	int64_t petitions, reached, answered, answered_on_time, overdue_open, answered_late;
};
enum pd_qs pd_store_pet_figures(struct pd_tx *tx, struct pd_arena *a, struct pd_pet_fig_row *out,
                                int max, int *n);

#endif
