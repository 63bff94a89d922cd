/* Storage of information requests (migration 0018): the request row (sealed fields leave and
 * arrive sealed), its versioned update, timeline, answer files, notifications, the queue, the
 * requester's list, the public register, the deadline job's statements and the raw rows the
 * figures are counted from. */
#ifndef PD_STORE_INFOREQ_STORE_H
#define PD_STORE_INFOREQ_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One request as stored. Optional times: 0 for NULL. Strings in the arena given (reads). */
struct pd_irq_row {
	const char *id, *tracking, *requester_account_id, *unit_id, *unit_path;
	const char *unit_slug, *unit_name;           /* read only (joined) */
	struct pd_blob subject_ct, details_ct, purpose_ct, objection_ct;
	const char *format, *delivery;
	bool publish_consent;
	const char *status, *outcome, *ground, *answer, *register_subject, *register_answer;
	int64_t received_ms, due_ms, answered_ms;
	int64_t extension_days;
	const char *extension_reason;
	bool overdue;
	const char *forwarded_from, *forwarded_to;
	const char *forwarded_from_tracking, *forwarded_to_tracking;  /* read only (joined) */
	int64_t objected_ms, objection_due_ms, objection_reasons;
	const char *objection_outcome, *objection_answer;
	int64_t objection_decided_ms;
	bool objection_overdue;
	const char *form_id;
	int64_t version, updated_ms;
};

/* Inserts r (version 1): PD_QS_NONE (nothing inserted) when r->tracking is taken. A duplicate
 * form_id latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_irq_insert(struct pd_tx *tx, const struct pd_irq_row *r);
/* Loads by id, by compact tracking number or by form id. */
enum pd_qs pd_store_irq_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_irq_row *r);
enum pd_qs pd_store_irq_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_irq_row *r);
enum pd_qs pd_store_irq_by_form(struct pd_tx *tx, const char *form_id, struct pd_arena *a,
                                struct pd_irq_row *r);
/* Writes every changeable column of r WHERE id AND version = version; version + 1.
 * PD_QS_ONE for the winner, PD_QS_NONE when the version moved on. */
enum pd_qs pd_store_irq_update(struct pd_tx *tx, const struct pd_irq_row *r, int64_t version);

/* --- timeline, files, notifications ------------------------------------------------------- */

struct pd_irq_event_row {
	const char *id, *inforeq_id, *actor_id, *kind, *note;
	int64_t at_ms;
	bool by_staff;
};
enum pd_qs pd_store_irq_event_insert(struct pd_tx *tx, const struct pd_irq_event_row *e);
/* Events of a request, oldest first, at most max. */
enum pd_qs pd_store_irq_events(struct pd_tx *tx, const char *inforeq_id, struct pd_arena *a,
                               struct pd_irq_event_row *out, int max, int *n);

enum pd_qs pd_store_irq_file_insert(struct pd_tx *tx, const char *inforeq_id, int n,
                                    const char *attachment_id);
/* Attachment ids of a request's answer, in order (n 1..), at most max. */
enum pd_qs pd_store_irq_files(struct pd_tx *tx, const char *inforeq_id, struct pd_arena *a,
                              const char **ids, int max, int *n);

struct pd_irq_notification_row {
	const char *id, *account_id, *inforeq_id, *kind;
	int64_t created_ms;
	const char *tracking;  /* read only (joined) */
};
enum pd_qs pd_store_irq_notification_insert(struct pd_tx *tx,
                                            const struct pd_irq_notification_row *r);
enum pd_qs pd_store_irq_notifications(struct pd_tx *tx, const char *account_id,
                                      struct pd_arena *a, struct pd_irq_notification_row *out,
                                      int max, int *n);

/* Active staff accounts holding role (a stored role name) on a unit whose subtree holds
 * unit_path, each once, at most max. */
enum pd_qs pd_store_irq_staff(struct pd_tx *tx, const char *role, const char *unit_path,
                              struct pd_arena *a, const char **ids, int max, int *n);

/* --- lists --------------------------------------------------------------------------------- */

/* The requester's requests, newest first (id DESC), ids below after_id (NULL: from the top). */
enum pd_qs pd_store_irq_own(struct pd_tx *tx, const char *account_id, const char *after_id,
                            struct pd_arena *a, struct pd_irq_row *out, int max, int *n);

#define PD_STORE_IRQ_RANGES 8
/* Requests whose unit path lies in paths[0..n_paths); status "" any, "open" (received,
 * objected), "closed", or a status name; overdue only; ordered by the running due date (the
 * objection's when objected, PD_STORE_IRQ_NO_DUE when none), then id; keyset after. */
#define PD_STORE_IRQ_NO_DUE 9000000000000000LL
struct pd_irq_queue_filter {
	const char *paths[PD_STORE_IRQ_RANGES];
	int n_paths;
	const char *status;
	bool overdue;
	int64_t after_due;
	const char *after_id;
};
enum pd_qs pd_store_irq_queue(struct pd_tx *tx, const struct pd_irq_queue_filter *f,
                              struct pd_arena *a, struct pd_irq_row *out, int max, int *n);

/* Register entries (answered, consent, not refused, a public summary) under unit path prefix
 * path ("" all), newest answer first, keyset (after_ms, after_id; after_id NULL: the top). */
enum pd_qs pd_store_irq_register(struct pd_tx *tx, const char *path, int64_t after_ms,
                                 const char *after_id, struct pd_arena *a,
                                 struct pd_irq_row *out, int max, int *n);

/* --- the job ------------------------------------------------------------------------------- */

/* Ids of received requests past due and not flagged, then objected ones past their objection
 * due and not flagged (kind[i] 0 / 1), at most max. */
enum pd_qs pd_store_irq_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int *kinds, int max, int *n);
/* Flags id (kind 0: the answer, 1: the objection) when still due and unflagged; PD_QS_ONE
 * when flagged now. No version change. */
enum pd_qs pd_store_irq_flag(struct pd_tx *tx, const char *id, int kind, int64_t now_ms);
/* Received requests flagged overdue plus objected ones flagged. */
enum pd_qs pd_store_irq_count_overdue(struct pd_tx *tx, int64_t *n);

/* --- figures ------------------------------------------------------------------------------- */

/* Requests received in [since, until) under path ("" all), by unit path then received_ms, at
 * most max (fields of the figures only; no sealed columns). */
enum pd_qs pd_store_irq_figure_rows(struct pd_tx *tx, const char *path, int64_t since,
                                    int64_t until, struct pd_arena *a, struct pd_irq_row *out,
                                    int max, int *n);

#endif
