/* Petitions (aspirasi, issue #7): a citizen addresses a petition to a unit; a moderator checks it
 * before it is public; signed-in citizens holding a NIK sign it once per NIK (DESIGN §2: a NIK
 * binds to one account; the store's unique index decides races); the unit's threshold reached
 * within the period obliges the unit to answer publicly within its working days; the overdue
 * job flags answers not given in time. Every step takes the actor and asks pd_authz. */
#ifndef PD_DOMAIN_PETITION_H
#define PD_DOMAIN_PETITION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "store/petition_store.h"
#include "store/store.h"

#define PD_PETITION_THRESHOLD_DEFAULT 100  /* signatures, when no unit on the way up sets one */
#define PD_PETITION_ANSWER_DAYS_DEFAULT 10 /* working days to answer once the threshold is met */
#define PD_PETITION_TITLE_MAX 200          /* code points */
#define PD_PETITION_TEXT_MAX 8000
#define PD_PETITION_ASK_MAX 2000
#define PD_PETITION_PERIOD_MIN 7           /* days a petition collects signatures */
#define PD_PETITION_PERIOD_MAX 90
#define PD_PETITION_PAGE_MAX 200
#define PD_PETITION_SIGNERS_MAX 50         /* public names shown on a petition's page */
#define PD_PETITION_JOB_MAX 200

enum pd_petition_status {
	PD_PETITION_PENDING,   /* waiting for a moderator; visible to its author and staff only */
	PD_PETITION_REFUSED,   /* refused with a reason; never public */
	PD_PETITION_OPEN,      /* public; collecting signatures until closes_ms */
	PD_PETITION_ANSWERED,  /* public, with the unit's answer */
	PD_PETITION_STATUS__MAX
};

/* A petition as the domain shows it (strings arena-owned). title/body/ask are the public copy,
 * or the author's sealed draft opened for its author and for staff who may moderate it. */
struct pd_petition {
	const char *id, *unit_id, *unit_slug, *unit_name, *unit_path;
	enum pd_petition_status status;
	const char *title, *body, *ask, *refusal_reason, *answer;
	int64_t period_days, created_ms, decided_ms, opens_ms, closes_ms;
	int64_t threshold, answer_days, reached_ms, answer_due_ms, answered_ms;
	bool overdue;           /* flagged by the job: the answer was (or is) late */
	bool collecting;        /* open and before closes_ms now */
	int64_t n_verified, n_self_declared;
	int64_t version;
	bool mine;              /* the actor is its author */
	bool signed_by_me;
	bool may_moderate, may_answer;
	const char **signers;   /* public names, newest first (only filled by pd_petition_get) */
	int n_signers;
};

/* Names as stored ("pending" …), NULL for an invalid value; parse: PD_OK or PD_ERR_INVALID. */
const char *pd_petition_status_name(enum pd_petition_status s);
int pd_petition_status_parse(const char *s, enum pd_petition_status *out);

/* What a citizen types to start a petition. */
struct pd_petition_input {
	const char *unit_slug, *title, *body, *ask, *period_days, *form_id;
};

/* Starts a petition by the actor (a citizen with a verified email: PD_ACT_FILE; PD_ERR_FORBIDDEN
 * otherwise, PD_ERR_NOT_FOUND for staff or nobody) inside write transaction c's. The texts are
 * sealed under the author's subject key until a moderator approves them. A form_id sent twice
 * gives the first petition. PD_ERR_INVALID with errs (unit, title, body, ask, period, _form).
 * id_out gets the id. Audit "petition.create". */
int pd_petition_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                       const struct pd_petition_input *in, struct pd_app_errors *errs,
                       char id_out[37]);

/* Loads petition id for the actor in tx into *out, with counts, the actor's options and the
 * public signers. Public (open, answered) petitions are seen by anyone; pending and refused
 * ones only by their author and by staff who may moderate or answer on the unit
 * (PD_ERR_NOT_FOUND otherwise). When staff open the author's sealed draft, the read is
 * recorded ("personal.read"), so tx must then be a write transaction (record_reads true);
 * with record_reads false staff get the petition without the draft. */
int pd_petition_get_tx(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *id, bool record_reads, struct pd_arena *a,
                       struct pd_petition *out);

/* Read-only form of pd_petition_get_tx (no staff draft reads). */
int pd_petition_get(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *id, struct pd_arena *a, struct pd_petition *out);

/* A moderator (PD_ACT_MODERATE on the petition's unit) approves it (it becomes public and
 * collects signatures for its period; the unit's threshold and answer days are fixed now) or
 * refuses it with a reason (required: PD_ERR_INVALID with errs "reason"). PD_ERR_CONFLICT
 * when it is no longer pending or version moved on. Audit "petition.approve" /
 * "petition.refuse". */
int pd_petition_moderate(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, bool approve, const char *reason,
                         struct pd_app_errors *errs);

/* The actor signs petition id once per NIK: the actor must be a citizen whose account holds a
 * NIK (PD_ERR_FORBIDDEN otherwise; PD_ERR_NOT_FOUND for nobody signed in or a petition that is
 * not public); the name is kept for display only when show_name. PD_ERR_CONFLICT when this
 * NIK (or account) already signed — also when the other request came at the same moment — or
 * the petition no longer collects. The signature that reaches the threshold within the period
 * sets the obligation: answer due answer_days working days later (c->cal). Audit
 * "petition.sign". */
int pd_petition_sign(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id, bool show_name);

/* Staff of the unit (PD_ACT_CASE_WORK or PD_ACT_MODERATE on its unit: another unit's staff get
 * PD_ERR_NOT_FOUND) publish the unit's answer to a public petition once; PD_ERR_CONFLICT when
 * it is answered already, not public or version moved on; PD_ERR_INVALID with errs "answer"
 * for an empty or too long text. A late answer keeps the overdue flag (answered late). Audit
 * "petition.answer". */
int pd_petition_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                       int64_t version, const char *text, struct pd_app_errors *errs);

/* Public petitions, newest first, keyset paged by after (the last id shown; NULL: first page),
 * limit 1..PD_PETITION_PAGE_MAX; only the unit's subtree when unit_slug is given (an unknown
 * slug: PD_ERR_NOT_FOUND). *next the next page's cursor or NULL. PD_ERR_INVALID for a
 * malformed after. Counts filled; no signers. */
int pd_petition_list(struct pd_store *st, const char *unit_slug, const char *after, int limit,
                     struct pd_arena *a, struct pd_petition *out, int *n, const char **next);

/* Petitions collecting signatures now, the nearest closing first (for /partisipasi), at most
 * max. */
int pd_petition_open_now(struct pd_store *st, struct pd_arena *a, struct pd_petition *out,
                         int max, int *n);

/* The back-office queue of a staff actor: pending petitions and obliged, unanswered ones on
 * units where the actor may moderate or answer, at most max. PD_ERR_NOT_FOUND for non-staff. */
int pd_petition_queue(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_petition *out, int max, int *n);

/* The actor's own petitions (any status), newest first, at most max. */
int pd_petition_mine(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                     struct pd_petition *out, int max, int *n);

/* The threshold and answer days in force for a unit path (the nearest setting up the tree, else
 * the defaults). */
int pd_petition_setting_tx(struct pd_tx *tx, const char *unit_path, int64_t *threshold,
                           int64_t *answer_days);

/* Sets the threshold (1..10,000,000) and answer days (1..100) of unit_slug and its subtree
 * (PD_ACT_CONFIGURE on the unit). PD_ERR_INVALID with errs "unit", "threshold", "days".
 * Applies to petitions approved afterwards. Audit "petition.setting". */
int pd_petition_setting_set(struct pd_tx *tx, const struct pd_app_ctx *c, const char *unit_slug,
                            const char *threshold, const char *days, struct pd_app_errors *errs);

/* Flags up to max obliged petitions whose answer is past due at now_ms as overdue (the job);
 * *n the number flagged. Audit "petition.overdue" each. */
int pd_petition_flag_overdue(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n);

/* Per-unit figures of public petitions (at most max rows, arena-owned). */
int pd_petition_figures(struct pd_store *st, struct pd_arena *a, struct pd_pet_fig_row *out,
                        int max, int *n);

struct pd_demo_people;
struct pd_config;
/* The demo's two petitions (one past its threshold with its obligation), by demo citizens,
 * approved by the demo moderator, with a small threshold set on the regency. Called by
 * pd_demo_create after the information requests. */
int pd_demo_petitions(struct pd_store *st, const struct pd_config *cfg,
                      const struct pd_demo_people *people);

/* Account erasure (called by pd_privacy_erase inside its transaction): the account's
 * signatures lose their shown name and stay counted (the NIK's blind index stays, so the NIK
 * still signs once). The account's own petitions need nothing: the draft is sealed under the
 * destroyed subject key and the public copy is the moderator-checked text. PD_OK or a
 * database error. */
int pd_petition_erase_account(struct pd_tx *tx, const char *account_id);

#endif
