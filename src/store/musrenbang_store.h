/* Storage of Musrenbang rounds, proposals, the voter snapshot, ballots, hand-overs, progress
 * updates and photos (migration 0024). Rows are read with copies in the given arena (the
 * transaction's when NULL). */
#ifndef PD_STORE_MUSRENBANG_STORE_H
#define PD_STORE_MUSRENBANG_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* A round with its unit's slug, name and area code. */
struct pd_mus_round_row {
	const char *id, *unit_id, *unit_path, *unit_slug, *unit_name, *unit_code, *unit_parent_id;
	const char *level, *title, *phase;
	int64_t year, budget, carry_up;
	int64_t proposals_until, verification_until, voting_until, ranking_until;
	int64_t snapshot_ms, created_ms, updated_ms, version;
};

/* A proposal; votes and rank are 0 until the results are frozen. */
struct pd_mus_proposal_row {
	const char *id, *round_id, *proposer_account_id, *title, *location, *beneficiaries;
	const char *status, *verify_reason, *verified_by, *origin_proposal_id, *progress_status;
	int64_t est_cost, checked_cost, verified_ms, votes, rank, progress_pct;
	bool funded;
	int64_t created_ms, updated_ms;
	int64_t n_photos;  /* filled by reads */
};

struct pd_mus_progress_row {
	const char *id, *proposal_id, *status, *note, *actor_id;
	int64_t percent, at_ms;
};

/* Rounds. Insert conflicts (PD_ERR_CONFLICT latched) on a second round of a unit and year. */
enum pd_qs pd_store_mus_round_insert(struct pd_tx *tx, const struct pd_mus_round_row *r);
enum pd_qs pd_store_mus_round_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                    struct pd_mus_round_row *out);
/* Up to max rounds, newest first, with an id below before_id ("" or NULL: from the newest). */
enum pd_qs pd_store_mus_round_list(struct pd_tx *tx, const char *before_id, struct pd_arena *a,
                                   struct pd_mus_round_row *out, int max, int *n);
/* Up to max rounds in phase "proposals" or "voting", the soonest closing first. */
enum pd_qs pd_store_mus_round_open(struct pd_tx *tx, struct pd_arena *a,
                                   struct pd_mus_round_row *out, int max, int *n);
/* The rounds of year whose unit's parent is parent_unit_id (the level below), up to max. */
enum pd_qs pd_store_mus_round_children(struct pd_tx *tx, const char *parent_unit_id, int64_t year,
                                       struct pd_arena *a, struct pd_mus_round_row *out, int max,
                                       int *n);
/* Sets phase and snapshot_ms (0: unchanged) when the version matches; NONE otherwise. */
enum pd_qs pd_store_mus_round_set_phase(struct pd_tx *tx, const char *id, int64_t version,
                                        const char *phase, int64_t snapshot_ms, int64_t now_ms);

/* Proposals. */
enum pd_qs pd_store_mus_proposal_insert(struct pd_tx *tx, const struct pd_mus_proposal_row *p);
enum pd_qs pd_store_mus_proposal_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                       struct pd_mus_proposal_row *out);
/* The proposals of a round (at most max) in order of arrival (id). */
enum pd_qs pd_store_mus_proposal_list(struct pd_tx *tx, const char *round_id, struct pd_arena *a,
                                      struct pd_mus_proposal_row *out, int max, int *n);
/* Proposals by account in round (for the per-account limit). */
enum pd_qs pd_store_mus_proposal_count_by(struct pd_tx *tx, const char *round_id,
                                          const char *account_id, int64_t *out);
enum pd_qs pd_store_mus_proposal_verify(struct pd_tx *tx, const struct pd_mus_proposal_row *p);
enum pd_qs pd_store_mus_proposal_result(struct pd_tx *tx, const char *id, int64_t votes,
                                        int64_t rank, bool funded, int64_t now_ms);
enum pd_qs pd_store_mus_proposal_progress(struct pd_tx *tx, const char *id, const char *status,
                                          int64_t pct, int64_t now_ms);
/* Votes of every proposal of a round: calls fn(proposal_id, count, arg) for those with any. */
enum pd_qs pd_store_mus_vote_counts(struct pd_tx *tx, const char *round_id,
                                    void (*fn)(const char *proposal_id, int64_t n, void *arg),
                                    void *arg);

/* Photos. */
enum pd_qs pd_store_mus_photo_insert(struct pd_tx *tx, const char *id, const char *proposal_id,
                                     const char *progress_id, const char *mime, const void *data,
                                     size_t n, int64_t now_ms);
/* Photo n (1..) of a proposal in id order; mime and bytes in a. */
enum pd_qs pd_store_mus_photo_get(struct pd_tx *tx, const char *proposal_id, int64_t n,
                                  struct pd_arena *a, const char **mime, struct pd_blob *data);

/* The voter snapshot: every citizen account whose home village lies under path (range
 * [lo, hi)) is recorded for the round. */
enum pd_qs pd_store_mus_snapshot(struct pd_tx *tx, const char *round_id, const char *lo,
                                 const char *hi);
/* The frozen home village of account in the round; NONE when not in the snapshot. */
enum pd_qs pd_store_mus_voter(struct pd_tx *tx, const char *round_id, const char *account_id,
                              struct pd_arena *a, const char **home_village_id);

/* Ballots: one per (round, NIK blind index). */
enum pd_qs pd_store_mus_ballot_by_nik(struct pd_tx *tx, const char *round_id, struct pd_blob bidx,
                                      struct pd_arena *a, const char **ballot_id);
enum pd_qs pd_store_mus_ballot_insert(struct pd_tx *tx, const char *id, const char *round_id,
                                      const char *account_id, struct pd_blob bidx, int64_t now_ms);
enum pd_qs pd_store_mus_ballot_touch(struct pd_tx *tx, const char *id, const char *account_id,
                                     int64_t now_ms);
enum pd_qs pd_store_mus_ballot_clear(struct pd_tx *tx, const char *ballot_id);
enum pd_qs pd_store_mus_ballot_item_insert(struct pd_tx *tx, const char *ballot_id,
                                           const char *proposal_id);
/* The proposals chosen on account's ballot in round (at most max ids into out). */
enum pd_qs pd_store_mus_ballot_items_of(struct pd_tx *tx, const char *round_id,
                                        const char *account_id, struct pd_arena *a,
                                        const char **out, int max, int *n);
enum pd_qs pd_store_mus_ballot_count(struct pd_tx *tx, const char *round_id, int64_t *out);

/* Hand-overs. */
enum pd_qs pd_store_mus_handover_insert(struct pd_tx *tx, const char *id, const char *from_round,
                                        const char *from_proposal, const char *to_round,
                                        const char *to_proposal, const char *actor_id,
                                        int64_t now_ms);
/* The proposal a proposal was carried up to; NONE when it was not. */
enum pd_qs pd_store_mus_handover_to(struct pd_tx *tx, const char *from_proposal,
                                    struct pd_arena *a, const char **to_proposal);

/* Progress updates. */
enum pd_qs pd_store_mus_progress_insert(struct pd_tx *tx, const struct pd_mus_progress_row *p);
enum pd_qs pd_store_mus_progress_list(struct pd_tx *tx, const char *proposal_id,
                                      struct pd_arena *a, struct pd_mus_progress_row *out,
                                      int max, int *n);

/* Account erasure: detaches account_id from its proposals and ballots (they stay, counted,
 * without an owner; the ballot keeps its NIK's blind index so the NIK still votes once) and
 * removes it from every voter snapshot. 0, or -1 on a database error. */
int pd_store_mus_erase_account(struct pd_tx *tx, const char *account_id);

#endif
