/* Musrenbang, participatory development planning (issue #7): rounds per year and unit (village,
 * district, regency) with phases, dates and a budget; residents' proposals; the officers'
 * verification; knapsack ballots, one per NIK; frozen results; the hand-over of the top items
 * up a level; progress updates on the funded items. */
#ifndef PD_DOMAIN_MUSRENBANG_H
#define PD_DOMAIN_MUSRENBANG_H

/* Rules (tests/unit/test_musrenbang.c, tests/http/test_musrenbang.py).
 * - A round belongs to one unit of kind village, district or regency (its level) and one year
 *   (unique per unit and year). Phases in order: proposals → verification → voting → ranking
 *   (ranking and hand-over) → results; staff holding PD_ACT_CONFIGURE on the round's unit
 *   subtree create rounds and move them one phase on. Each phase before results has a closing
 *   date: proposals and ballots are refused after it even when the phase was not moved on.
 * - Proposals (village rounds only, phase proposals): from a signed-in citizen whose account's
 *   home village is the round's village; what, where, estimated cost, who benefits, an optional
 *   photo (cleaned by pd_image_clean). At most PD_MUS_PROPOSALS_PER_ACCOUNT per account and
 *   round (the rate limit of the area).
 * - Verification (phase proposals or verification; PD_ACT_CASE_WORK on the unit subtree):
 *   feasible with a checked cost, or not feasible; a reason either way.
 * - Voting opens with the phase change to voting: the voter snapshot freezes, for this round,
 *   the home village of every citizen account whose home village lies under the round's unit.
 *   A ballot is accepted from an account that holds a NIK whose district code (first 6 digits)
 *   lies in the round's area (village: the village's district; district: the district;
 *   regency: a district of the regency) and whose frozen home village lies under the round's
 *   unit. One ballot per NIK (unique blind index); casting again replaces the choice; the sum of
 *   the chosen feasible items' checked costs must not exceed the budget (a knapsack ballot).
 * - Ranking (the phase change to ranking freezes it): by votes (more first), then lower checked
 *   cost, then earlier proposal; the funded set is taken greedily down the ranking: an item is
 *   funded when it still fits in what is left of the budget.
 * - Hand-over (PD_ACT_CONFIGURE on the upper round, phase proposals or verification): from
 *   every round one level below (the units whose parent is the round's unit, same year) in phase
 *   ranking or results, its first carry_up funded items by rank become proposals of the upper
 *   round (origin_proposal_id → the lower proposal, estimated cost = its checked cost), each
 *   recorded as a hand-over. Trace: a proposal's origin chain leads to the village proposal.
 * - Progress (phase results, funded items, PD_ACT_CASE_WORK): planned, in progress, done with a
 *   percentage (0..100; done means 100), a note and an optional photo.
 * - Every write is audited ("musrenbang.<verb>", ids only). errs keys as on the forms. */

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "store/musrenbang_store.h"
#include "store/store.h"

#define PD_MUS_PROPOSALS_MAX 300        /* proposals of one round shown and ranked */
#define PD_MUS_PROPOSALS_PER_ACCOUNT 5  /* proposals one account may make in one round */
#define PD_MUS_TEXT_MAX 500             /* code points of the free-text fields */
#define PD_MUS_COST_MAX INT64_C(1000000000000)  /* Rp 1 trillion */
#define PD_MUS_PHOTO_PX 1600
#define PD_MUS_PAGE_MAX 200
#define PD_MUS_PROGRESS_MAX 50

enum pd_mus_phase {
	PD_MUS_PROPOSALS,
	PD_MUS_VERIFICATION,
	PD_MUS_VOTING,
	PD_MUS_RANKING,
	PD_MUS_RESULTS,
	PD_MUS_PHASE__MAX
};

/* Stored phase names ("proposals", …) and the parser (PD_MUS_PHASE__MAX when unknown). */
const char *pd_mus_phase_name(enum pd_mus_phase p);
enum pd_mus_phase pd_mus_phase_parse(const char *s);

/* --- pure rules ------------------------------------------------------------------------------ */

/* One item of the ranking: id and cost in, rank (1..n) and funded out. */
struct pd_mus_item {
	const char *id;
	int64_t cost;        /* checked cost */
	int64_t votes;
	int64_t order;       /* earlier proposals have a lower order (creation ms) */
	int64_t rank;
	bool funded;
};

/* Sorts items by votes (desc), cost (asc), order (asc), id (asc), numbers their ranks from 1
 * and marks funded greedily down the ranking within budget. */
void pd_mus_rank(struct pd_mus_item *items, int n, int64_t budget);

/* True when the costs sum to at most budget (no overflow). */
bool pd_mus_within_budget(const int64_t *costs, int n, int64_t budget);

/* The digits of an area code ("32.19.01" → "321901") into out (up to n - 1 digits). */
void pd_mus_code_digits(const char *code, char *out, size_t n);

/* True when a NIK's district (6 digits) lies in the area whose code digits are area (a
 * village's code names its district by the first 6 digits; a district's is 6 digits; a
 * regency's 4). */
bool pd_mus_district_in_area(const char *nik_district, const char *area);

/* --- writes (in a write transaction; c->actor acts, c->now_ms or the clock) ------------------ */

struct pd_mus_round_new {
	const char *unit_slug, *title;
	int64_t year, budget, carry_up;
	int64_t proposals_until, verification_until, voting_until, ranking_until;  /* UTC ms */
};

/* Creates a round in phase proposals. PD_ERR_INVALID with errs ("unit", "title", "year",
 * "budget", "carry_up", "dates"); PD_ERR_CONFLICT for a second round of the unit and year;
 * authorisation as pd_authz(PD_ACT_CONFIGURE) on the unit. id_out gets the id. */
int pd_mus_round_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                        const struct pd_mus_round_new *in, struct pd_app_errors *errs,
                        char id_out[37]);

/* Moves round id (seen at version) one phase on; to voting takes the voter snapshot, to
 * ranking freezes the results. PD_ERR_CONFLICT for a stale version or the last phase. */
int pd_mus_round_advance(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version);

struct pd_mus_proposal_new {
	const char *title, *location, *beneficiaries;
	const char *est_cost;      /* typed rupiah (digits, dots allowed as separators) */
	const char *photo_path;    /* uploaded file or NULL */
};

/* A citizen's proposal to village round round_id. PD_ERR_INVALID with errs ("title",
 * "location", "est_cost", "beneficiaries", "photo", "_form"); PD_ERR_CONFLICT when the round
 * takes no proposals (phase, closing date, level); PD_ERR_FORBIDDEN when the actor's home
 * village is another (errs "_form"). */
int pd_mus_propose(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                   const struct pd_mus_proposal_new *in, struct pd_app_errors *errs,
                   char id_out[37]);

/* Verification: feasible (checked_cost typed) or not, with a reason. errs "feasible",
 * "checked_cost", "reason". */
int pd_mus_verify(struct pd_tx *tx, const struct pd_app_ctx *c, const char *proposal_id,
                  const char *feasible, const char *checked_cost, const char *reason,
                  struct pd_app_errors *errs);

/* Casts or replaces the actor's ballot: the chosen proposal ids (feasible items of the round,
 * no repeats, at most PD_MUS_PROPOSALS_MAX). PD_ERR_CONFLICT when voting is not open;
 * PD_ERR_FORBIDDEN (errs "_form" says why) when the actor may not vote in this round;
 * PD_ERR_INVALID with errs "items" (over budget, unknown item, none chosen). *replaced says
 * whether an earlier ballot was replaced. */
int pd_mus_cast(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                const char *const *ids, int n, struct pd_app_errors *errs, bool *replaced);

/* Carries up the top items of the rounds below round_id; *n_out the number carried. */
int pd_mus_carry_up(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                    int *n_out);

/* A progress update on a funded item. errs "status", "percent", "note", "photo". */
int pd_mus_progress(struct pd_tx *tx, const struct pd_app_ctx *c, const char *proposal_id,
                    const char *status, const char *percent, const char *note,
                    const char *photo_path, struct pd_app_errors *errs);

/* --- reads ----------------------------------------------------------------------------------- */

/* A round with its proposals (arrival order, or rank order once ranked) and, for a signed-in
 * actor, the ids on the actor's ballot and whether the actor may act as staff. */
struct pd_mus_round_view {
	struct pd_mus_round_row round;
	enum pd_mus_phase phase;
	struct pd_mus_proposal_row *proposals;
	int n_proposals;
	const char **chosen;       /* the actor's ballot */
	int n_chosen;
	int64_t n_ballots;
	bool may_configure, may_work;  /* staff rights on this round */
	bool proposals_open, voting_open;  /* as of now */
	const char *parent_round_id;   /* never filled: rounds link downwards through children */
	struct pd_mus_round_row *children;  /* rounds one level below, same year */
	int n_children;
};

/* Loads round id. PD_ERR_NOT_FOUND for an unknown or malformed id. */
int pd_mus_round_get(struct pd_store *st, const struct pd_actor *actor, const char *id,
                     int64_t now_ms, struct pd_arena *a, struct pd_mus_round_view *out);

/* A page of rounds, newest first, before the id `before` (NULL: the first page). *next is the
 * id to pass for the next page, or NULL. */
int pd_mus_round_list(struct pd_store *st, const char *before, int limit, struct pd_arena *a,
                      struct pd_mus_round_row *out, int *n, const char **next);

/* Rounds open now (proposals or voting) with their closing dates, soonest first. */
int pd_mus_open_now(struct pd_store *st, struct pd_arena *a, struct pd_mus_round_row *out,
                    int max, int *n);

/* One step of a trace: a proposal and its round. */
struct pd_mus_trace_step {
	struct pd_mus_proposal_row p;
	struct pd_mus_round_row round;
};

/* A proposal with its round, progress updates and its trace: origin[0] is the proposal
 * itself, then the proposal it was carried from, down to the village proposal; up[] the
 * proposals it was carried up to. */
struct pd_mus_proposal_view {
	struct pd_mus_trace_step origin[3];
	int n_origin;
	struct pd_mus_trace_step up[2];
	int n_up;
	struct pd_mus_progress_row *progress;
	int n_progress;
	bool may_work;
};

int pd_mus_proposal_get(struct pd_store *st, const struct pd_actor *actor, const char *id,
                        struct pd_arena *a, struct pd_mus_proposal_view *out);

/* True when a staff actor may do action (PD_ACT_CONFIGURE, PD_ACT_CASE_WORK) on rounds of the
 * unit at unit_path (its subtree): which forms the back office offers. */
bool pd_mus_staff_may(const struct pd_actor *actor, enum pd_action action, const char *unit_path);

/* Photo n (1..) of proposal id: type and bytes in a. PD_ERR_NOT_FOUND when none. */
int pd_mus_photo(struct pd_store *st, const char *proposal_id, int64_t n, struct pd_arena *a,
                 const char **mime, struct pd_blob *data);

/* Account erasure (called by pd_privacy_erase inside its transaction): detaches the account
 * from its proposals and ballots, which stay and count, and drops it from voter snapshots.
 * PD_OK or a database error. */
int pd_mus_erase_account(struct pd_tx *tx, const char *account_id);

#endif
