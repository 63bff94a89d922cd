/* Complaint handling (Pengaduan #5): the staff view and queue, the coordinator's verification
 * (dispose, ask for information, out of scope, merge, approve the public copy), the unit's
 * hand-on and answer, the reporter's reply, confirmation and reopening, and the escalation job. */
#ifndef PD_DOMAIN_COMPLAINT_HANDLE_H
#define PD_DOMAIN_COMPLAINT_HANDLE_H

/* Conventions (those of domain/complaint.h and domain/application.h).
 * - Writes take a write transaction tx and a struct pd_app_ctx c (actor, keys, calendar, now,
 *   quiet). version is the complaint's version the actor saw; 0 = do not check (the demo and
 *   the job only). Every transition is UPDATE … WHERE id AND version: exactly one winner, the
 *   loser gets PD_ERR_CONFLICT and nothing is written. A transition from a status it does not
 *   apply to is PD_ERR_CONFLICT too.
 * - Each transition writes a complaint_event (public_note only for the public part: an answer,
 *   an out-of-scope reason; internal notes sealed in note_ct under the complaint's key), an
 *   audit entry (ids only, "complaint.<step>") and notifies the reporter: a portal notification
 *   when they have an account, mail to the account's email or the sealed contact email (none in
 *   quiet contexts).
 * - Access is checked here: the coordinator's steps need PD_ACT_CASE_ROUTE on the complaint's
 *   owner unit (a coordinator at or above it); the unit's steps (hand-on, answer) need
 *   PD_ACT_CASE_WORK on the owner unit; approve_public needs either. Staff who may see the
 *   complaint but not do the step get PD_ERR_FORBIDDEN; everyone else PD_ERR_NOT_FOUND.
 * - Deadlines use the working-day calendar of applications (c->cal; with no calendar, calendar
 *   days at the end of the day). Disposition, hand-on and reopen set due_ms = now + the
 *   category's deadline_days working days. needs_info pauses the clock (paused_since_ms); the
 *   reporter's reply resumes it: back to "new" with due_ms moved on by the working days spent
 *   waiting (at least the days left before, never before now).
 * - errs (may be NULL) gets field errors for what a person typed; keys as on the forms:
 *   "unit", "note", "question", "reason", "into", "public_title", "public_text", "answer",
 *   "text". PD_ERR_INVALID then, nothing written.
 * - Strings returned are arena-owned. */

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "domain/complaint.h"
#include "store/store.h"

#define PD_COMPLAINT_NOTE_MAX 4000    /* code points of a note, question, reason or answer */
#define PD_COMPLAINT_QUEUE_MAX 100    /* most rows of one queue page */
#define PD_COMPLAINT_ESCALATE_MAX 500 /* most complaints one job run escalates */

/* One timeline event as staff see it. */
struct pd_complaint_staff_event {
	int64_t at_ms;
	const char *kind;          /* as struct pd_complaint_event, plus "info_given", "confirmed",
	                            * "public_checked" */
	enum pd_complaint_status status_after;
	const char *unit_name;     /* the unit it went to, or NULL */
	const char *public_note;   /* the public part, or NULL */
	const char *note;          /* the internal note opened, or NULL */
	bool by_staff;             /* done by staff (names are never shown publicly) */
	const char *actor_name;    /* staff only: the staff member's name opened, or NULL (the
	                            * reporter, the system, or an anonymous complaint's reporter) */
};

/* A complaint as staff see it: c holds the common fields (c.title and c.text are the sealed
 * original opened; c.reporter_account_id and the contact are NULL for an anonymous
 * complaint, always). */
struct pd_complaint_staff {
	struct pd_complaint c;
	const char *public_title;          /* the public copy's title, or NULL */
	const char *unit_slug;             /* owner unit */
	const char *place_path;            /* the village's path, or NULL */
	const char *reporter_name;         /* account's name or contact name; NULL if anonymous */
	bool reporter_hidden;              /* anonymous: nothing of the reporter is given */
	bool overdue;
	int64_t escalated_ms, paused_since_ms, closed_ms;
	int64_t reopen_count;
	const char *merged_into_tracking;  /* grouped, or NULL */
	bool may_route;                    /* the actor may do the coordinator's steps */
	bool may_work;                     /* the actor may hand on / answer */
	struct pd_complaint_staff_event *events;  /* oldest first (get only, not the queue) */
	int n_events;
};

/* Complaint id for staff with PD_ACT_CASE_VIEW on its owner unit (officer, coordinator,
 * supervisor at or above it). Opens the sealed original title and text, the timeline with
 * internal notes, and, unless anonymous, the reporter's name and contact. Records the staff
 * read of personal data for the reporter's /akun/akses (purpose "pengaduan <tracking>") when
 * the reporter has an account. PD_ERR_NOT_FOUND for an unknown id or an actor without access.
 * The plain form opens its own write transaction; the _tx form runs in the caller's. */
int pd_complaint_get(struct pd_store *st, const struct pd_keyset *ks,
                     const struct pd_actor *actor, const char *id, struct pd_arena *a,
                     struct pd_complaint_staff *out);
int pd_complaint_get_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *id, struct pd_arena *a,
                        struct pd_complaint_staff *out);

/* A queue request; every member may be NULL/0/false (no filter). */
struct pd_complaint_queue_query {
	const char *status;         /* a stored status name, "open" (the default for NULL/""),
	                             * "closed" or "all" */
	const char *category_code;
	bool overdue;               /* only flagged overdue */
	bool held;                  /* only held (waiting for the public-copy check) */
	const char *after;          /* opaque cursor of the previous page */
	int limit;                  /* 1..PD_COMPLAINT_QUEUE_MAX (0: 50) */
};

/* One page of complaints under the actor's PD_ACT_CASE_VIEW grants, ordered by due date (none
 * last) then id; keyset cursor in *next (NULL on the last page). Rows carry no personal data:
 * c.title is the public title or NULL; events NULL. PD_ERR_INVALID for a bad cursor, limit or
 * status; PD_ERR_NOT_FOUND for an actor without such grants. */
int pd_complaint_queue(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_complaint_queue_query *q, struct pd_arena *a,
                       struct pd_complaint_staff *out, int *n, const char **next);

/* The suggested unit for complaint id: the category's unit; but when the complaint's village
 * lies in a district that has, directly below it, an agency whose slug is the category unit's
 * slug followed by '-' (a branch office, e.g. "dpupr-cibening" below the district for "dpupr"),
 * that branch. *slug and *name (arena) receive it. PD_ERR_NOT_FOUND for an unknown complaint.
 * No access check (the caller has read it). */
int pd_complaint_suggest_unit(struct pd_store *st, const char *id, struct pd_arena *a,
                              const char **slug, const char **name);

/* A unit a complaint may be sent to (any non-village unit). */
struct pd_complaint_unit {
	const char *slug, *name, *path;
};
/* The units complaints may be disposed or handed on to, by path, at most max. */
int pd_complaint_units(struct pd_store *st, struct pd_arena *a, struct pd_complaint_unit *out,
                       int max, int *n);

/* --- the coordinator ----------------------------------------------------------------------- */

/* new/needs_info → dispositioned: owner = unit_slug (errs "unit": unknown or a village), due =
 * category's deadline_days working days from now, overdue/escalated cleared, optional internal
 * note. Event "dispositioned" (unit), audit "complaint.dispose". */
int pd_complaint_dispose(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const char *unit_slug, const char *note,
                         struct pd_app_errors *errs);

/* new → needs_info with the question (1..PD_COMPLAINT_NOTE_MAX; errs "question"; sealed, shown
 * to the reporter only); paused_since_ms = now. Event "needs_info", audit "complaint.ask_info". */
int pd_complaint_ask_info(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *question, struct pd_app_errors *errs);

/* new/needs_info → out_of_scope (closed, closed_ms) with the reason (required; errs "reason";
 * public: public_note). Event "out_of_scope", audit "complaint.out_of_scope". */
int pd_complaint_out_of_scope(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                              int64_t version, const char *reason, struct pd_app_errors *errs);

/* new/needs_info → merged into the complaint with tracking number into_tracking (any accepted
 * spelling; errs "into": unknown, itself, closed or merged). merged_into set, closed_ms; the
 * supporters carry over to the target (each account once; support_count recounted). Events
 * "merged" on both, audit "complaint.merge". */
int pd_complaint_merge(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                       int64_t version, const char *into_tracking, struct pd_app_errors *errs);

/* The officer's check of the public copy (any status): public_title (1..PD_COMPLAINT_TITLE_MAX)
 * and public_text (1..PD_COMPLAINT_TEXT_MAX) replace the public copy; refused (errs
 * "public_title"/"public_text") while either still holds a NIK or phone number
 * (pd_complaint_text_sensitive). held cleared; published unless confidential. Event
 * "public_checked", audit "complaint.approve_public". Needs PD_ACT_CASE_ROUTE or
 * PD_ACT_CASE_WORK on the owner unit. No notification. */
int pd_complaint_approve_public(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                                int64_t version, const char *public_title,
                                const char *public_text, struct pd_app_errors *errs);

/* --- the unit ------------------------------------------------------------------------------ */

/* dispositioned/reopened → dispositioned at another unit (errs "unit": unknown, a village, or
 * the same unit) with the reason (required, errs "reason", sealed); new due date as for
 * disposition. Event "handed_on" (unit), audit "complaint.hand_on". PD_ACT_CASE_WORK. */
int pd_complaint_hand_on(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const char *unit_slug, const char *reason,
                         struct pd_app_errors *errs);

/* dispositioned/reopened → answered with the public answer (required, errs "answer"):
 * answer_public, answered_ms, closed_ms, overdue cleared; published unless confidential (or
 * still held). Event "answered" (public_note), audit "complaint.answer"; the reporter is asked
 * whether it is solved. PD_ACT_CASE_WORK. */
int pd_complaint_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                        int64_t version, const char *answer, struct pd_app_errors *errs);

/* --- the reporter ---------------------------------------------------------------------------- */
/* The reporter is the signed-in reporter account (c->actor) or the holder of the follow-up
 * token (token, may be NULL), checked like pd_complaint_get_own; anyone else (and an unknown
 * tracking number) PD_ERR_NOT_FOUND. */

/* needs_info → new with the reporter's additional information (required, errs "text"; sealed,
 * internal); due moved on by the working days paused. Event "info_given", audit
 * "complaint.reply". */
int pd_complaint_reporter_reply(struct pd_tx *tx, const struct pd_app_ctx *c,
                                const char *tracking, const char *token, const char *text,
                                struct pd_app_errors *errs);

/* The reporter confirms an answered complaint solved: event "confirmed", audit
 * "complaint.confirm"; status unchanged. PD_ERR_CONFLICT when not answered or already
 * confirmed. */
int pd_complaint_confirm(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                         const char *token);

/* answered → reopened (once: reopen_count 0 → 1; a second time PD_ERR_CONFLICT), back to the
 * same unit with a new due date; reason required (errs "reason", sealed). Event "reopened",
 * audit "complaint.reopen"; the owner unit's staff see it in the queue. */
int pd_complaint_reopen(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                        const char *token, const char *reason, struct pd_app_errors *errs);

/* The question of the latest needs_info step (sealed, opened) for the reporter (as above),
 * into *question; NULL when none was asked. PD_ERR_NOT_FOUND like the steps. */
int pd_complaint_question(struct pd_store *st, const struct pd_keyset *ks,
                          const struct pd_actor *actor, const char *tracking, const char *token,
                          struct pd_arena *a, const char **question);

/* Which of the steps above the reporter (as above) may take now: confirm (answered, not yet
 * confirmed), reopen (answered, never reopened, not confirmed), reply (needs_info).
 * PD_ERR_NOT_FOUND for anyone else. */
struct pd_complaint_reporter_options {
	bool may_confirm, may_reopen, may_reply;
};
int pd_complaint_reporter_options(struct pd_store *st, const struct pd_actor *actor,
                                  const char *tracking, const char *token,
                                  struct pd_complaint_reporter_options *out);

/* --- staff photos and notifications ------------------------------------------------------- */

/* Photo n (1..) of complaint id for staff with PD_ACT_CASE_VIEW (published or not): records the
 * staff read like pd_complaint_get_tx and gives the attachment id and type. PD_ERR_NOT_FOUND. */
int pd_complaint_staff_photo_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                                int n, struct pd_arena *a, const char **attachment_id,
                                const char **content_type);

/* One portal notification about a complaint (no personal data). */
struct pd_complaint_notification {
	const char *complaint_id;
	const char *tracking_display;  /* grouped */
	const char *kind;              /* the event kind ("escalated", "answered", …) */
	enum pd_complaint_status status;
	int64_t created_ms, read_ms;
};
/* The actor's complaint notifications, newest first, at most max (≤ PD_COMPLAINT_QUEUE_MAX).
 * PD_ERR_NOT_FOUND for nobody signed in. */
int pd_complaint_notifications(struct pd_store *st, const struct pd_actor *actor,
                               struct pd_arena *a, struct pd_complaint_notification *out,
                               int max, int *n);

/* --- the job --------------------------------------------------------------------------------- */

/* Escalates at most max (1..PD_COMPLAINT_ESCALATE_MAX) open complaints (new: verification
 * deadline; dispositioned/reopened: answer deadline) whose due_ms < now_ms and that are not
 * yet escalated: overdue = 1, escalated_ms = now, event "escalated" (by the system), a portal
 * notification (and mail unless quiet) to every active supervisor whose grant covers the owner
 * unit, audit "complaint.escalate" with the count. *n receives how many. A complaint is
 * escalated once per deadline (a new disposition, hand-on or reopen clears the flag). */
int pd_complaint_escalate_due(struct pd_tx *tx, const struct pd_app_ctx *c, int64_t now_ms,
                              int max, int64_t *n);

/* How many open complaints are flagged overdue (for /metrics pendopo_complaints_overdue). */
int pd_complaint_count_overdue(struct pd_store *st, int64_t *n);

#endif
