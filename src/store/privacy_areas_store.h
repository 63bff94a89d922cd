/* Reads for the citizen's data export (/akun/unduh) across the participation areas: the
 * account's petition signatures, consultation comments, Musrenbang proposals and ballots with
 * their items. Strings are copied into the given arena (the transaction's when NULL). */
#ifndef PD_STORE_PRIVACY_AREAS_STORE_H
#define PD_STORE_PRIVACY_AREAS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One signature of the account with the petition's public title and status. */
struct pd_prv_signature_row {
	const char *petition_id, *petition_title, *petition_status;
	int64_t signed_ms;
	bool name_shown, nik_verified;
};

/* One comment the account wrote, with its consultation and the section's title (NULL for the
 * whole draft or a section no longer found). */
struct pd_prv_comment_row {
	const char *id, *consultation_slug, *consultation_title, *section, *section_title;
	const char *parent_id, *stance, *body, *state, *mod_reason, *author_name;
	int64_t version, created_ms;
};

/* One Musrenbang proposal the account made, with its round. No verifier. */
struct pd_prv_proposal_row {
	const char *id, *round_id, *round_title, *round_unit, *title, *location, *beneficiaries;
	const char *status, *verify_reason, *progress_status;
	int64_t round_year, est_cost, votes, rank, progress_pct, created_ms;
	bool funded;
};

/* One Musrenbang ballot of the account with its round; items filled by the items read. */
struct pd_prv_ballot_row {
	const char *id, *round_id, *round_title, *round_unit;
	int64_t round_year, cast_ms, updated_ms;
	const char **item_ids, **item_titles;
	int n_items;
};

/* The account's petition signatures, newest first, at most max into out; *n rows filled. */
enum pd_qs pd_store_prv_signatures(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                   struct pd_prv_signature_row *out, int max, int *n);
/* The account's consultation comments (replies too), newest first, at most max. */
enum pd_qs pd_store_prv_comments(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                 struct pd_prv_comment_row *out, int max, int *n);
/* The account's Musrenbang proposals, newest first, at most max. */
enum pd_qs pd_store_prv_proposals(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                  struct pd_prv_proposal_row *out, int max, int *n);
/* The account's Musrenbang ballots, newest first, at most max (items not filled). */
enum pd_qs pd_store_prv_ballots(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                struct pd_prv_ballot_row *out, int max, int *n);
/* The proposals chosen on ballot b->id (ids and titles, at most max), into b's item arrays
 * (allocated in a). */
enum pd_qs pd_store_prv_ballot_items(struct pd_tx *tx, struct pd_arena *a,
                                     struct pd_prv_ballot_row *b, int max);

#endif
