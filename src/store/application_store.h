/* Storage of applications, their timeline, files and the citizens' notifications. Personal
 * fields arrive sealed and leave sealed: this file sees ciphertexts and blind indexes only. */
#ifndef PD_STORE_APPLICATION_STORE_H
#define PD_STORE_APPLICATION_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One application row. Reading fills every field (copies in the given arena, the
 * transaction's when NULL) and the joined service and unit names. Optional times are 0 when
 * NULL, optional strings NULL. */
struct pd_app_row {
	const char *id, *tracking, *service_id;
	int64_t form_version;
	const char *unit_id, *unit_path, *place_unit_id, *citizen_account_id;
	struct pd_blob subject_key, nik_bidx, holder_ct;
	const char *assisted_by;
	int64_t consent_ms;
	const char *status, *assigned_to;
	struct pd_blob answers_ct;
	const char *checklist;
	struct pd_blob note_ct;
	int64_t sla_days, submitted_ms, due_ms, paused_since_ms, paused_days;
	bool overdue;
	int64_t decided_ms;
	const char *document_id;
	int64_t version, created_ms, updated_ms;
	/* read only (joined) */
	const char *service_slug, *service_name, *service_product, *unit_name;
};

/* Inserts r (version as given). A second draft of one citizen and service, or a duplicate
 * tracking number, latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_app_insert(struct pd_tx *tx, const struct pd_app_row *r);

/* Writes every mutable field of r (all but id, service_id, unit and created_ms) with
 * version = expected + 1 where id = r->id AND version = expected. PD_QS_NONE when the version
 * (or the id) did not match. r->overdue is written only when r->status is "returned" or the
 * stored status is "draft" or "returned" (the clock pauses or starts); otherwise the stored
 * flag stays, as only the deadline job raises it (pd_store_app_flag_overdue). */
enum pd_qs pd_store_app_update(struct pd_tx *tx, const struct pd_app_row *r, int64_t expected);

enum pd_qs pd_store_app_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_app_row *out);
enum pd_qs pd_store_app_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_app_row *out);
/* The citizen's draft of the service, if any. */
enum pd_qs pd_store_app_draft(struct pd_tx *tx, const char *account_id, const char *service_id,
                              struct pd_arena *a, struct pd_app_row *out);

/* Deletes the application with its events and file rows (not the attachments). */
enum pd_qs pd_store_app_delete(struct pd_tx *tx, const char *id);

/* The citizen's applications with id < before_id (NULL: from the newest), newest first, at
 * most max; *n the count. */
enum pd_qs pd_store_app_list_mine(struct pd_tx *tx, const char *account_id,
                                  const char *before_id, struct pd_arena *a,
                                  struct pd_app_row *out, int max, int *n);

#define PD_STORE_APP_RANGES 8

/* The back-office queue: rows whose unit_path lies in one of the n_ranges path subtrees
 * (1..PD_STORE_APP_RANGES), in (due_ms, id) order after (after_due, after_id) (after_id NULL:
 * from the start). status NULL: submitted and processing; service_id, assigned_to NULL: any;
 * overdue_before > 0: only submitted/processing with due_ms < overdue_before. */
struct pd_app_queue_filter {
	const char *paths[PD_STORE_APP_RANGES];
	int n_paths;
	const char *status;
	const char *service_id;
	const char *assigned_to;
	int64_t overdue_before;
	int64_t after_due;
	const char *after_id;
};
enum pd_qs pd_store_app_queue(struct pd_tx *tx, const struct pd_app_queue_filter *f,
                              struct pd_arena *a, struct pd_app_row *out, int max, int *n);

/* Ids and versions of up to max submitted/processing applications due before now_ms and not
 * flagged overdue. */
enum pd_qs pd_store_app_due_unflagged(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                                      const char **ids, int64_t *versions, int max, int *n);
/* Flags application id overdue when it still is (submitted or processing, due before now_ms,
 * not flagged): PD_QS_ONE when flagged now, PD_QS_NONE when not (a step changed it since it
 * was listed). No version change: the job does not race people, and the general update never
 * clears the flag outside a return or a resubmission (see pd_store_app_update). */
enum pd_qs pd_store_app_flag_overdue(struct pd_tx *tx, const char *id, int64_t now_ms);
/* Number of submitted/processing applications flagged overdue. */
enum pd_qs pd_store_app_count_overdue(struct pd_tx *tx, int64_t *n);

/* --- timeline ------------------------------------------------------------------------------ */

struct pd_app_event_row {
	const char *id, *application_id;
	int64_t at_ms;
	const char *actor_id;
	bool by_staff;
	const char *kind, *status_after, *assignee_id;
	struct pd_blob note_ct;
};
enum pd_qs pd_store_app_event_insert(struct pd_tx *tx, const struct pd_app_event_row *r);
/* Events of the application in (at_ms, id) order, at most max. */
enum pd_qs pd_store_app_events(struct pd_tx *tx, const char *application_id, struct pd_arena *a,
                               struct pd_app_event_row *out, int max, int *n);
/* Replaces the sealed note of an event (attach: sealed anew under another key). */
enum pd_qs pd_store_app_event_set_note(struct pd_tx *tx, const char *id, struct pd_blob note_ct);

/* --- files --------------------------------------------------------------------------------- */

struct pd_app_file_row {
	const char *id, *application_id, *field_key, *attachment_id;
	int64_t created_ms;
};
enum pd_qs pd_store_app_file_insert(struct pd_tx *tx, const struct pd_app_file_row *r);
/* Files of the application in field_key order, at most max. */
enum pd_qs pd_store_app_files(struct pd_tx *tx, const char *application_id, struct pd_arena *a,
                              struct pd_app_file_row *out, int max, int *n);
enum pd_qs pd_store_app_file_delete(struct pd_tx *tx, const char *id);

/* --- notifications ------------------------------------------------------------------------- */

struct pd_notification_row {
	const char *id, *account_id, *application_id, *kind, *status;
	int64_t created_ms, read_ms;
	/* read only (joined) */
	const char *tracking, *service_name;
};
enum pd_qs pd_store_notification_insert(struct pd_tx *tx, const struct pd_notification_row *r);
/* The account's notifications with id < before_id (NULL: newest), newest first, at most max. */
enum pd_qs pd_store_notification_list(struct pd_tx *tx, const char *account_id,
                                      const char *before_id, struct pd_arena *a,
                                      struct pd_notification_row *out, int max, int *n);
enum pd_qs pd_store_notification_unread(struct pd_tx *tx, const char *account_id, int64_t *n);
/* Sets read_ms = now on the account's unread notifications created at or before upto_ms. */
enum pd_qs pd_store_notification_mark_read(struct pd_tx *tx, const char *account_id,
                                           int64_t upto_ms, int64_t now_ms);

/* --- staff as the pages name them ---------------------------------------------------------- */

/* A staff account with one of its case grants. The name stays sealed here (the domain opens it
 * with the account's subject key); role, unit_id, unit_name and unit_path are NULL for an
 * account that holds no such grant any more. */
struct pd_app_staff_row {
	const char *account_id;
	struct pd_blob subject_key, name_ct;
	const char *role, *unit_id, *unit_name, *unit_path;
};

/* The staff accounts among ids[0..n_ids) (NULLs, duplicates and strings that are no account id
 * ignored), in one statement: one row per officer, coordinator or supervisor grant of each
 * (one row with no grant when it holds none), in account id order; at most max rows. */
enum pd_qs pd_store_app_staff(struct pd_tx *tx, const char *const *ids, int n_ids,
                              struct pd_arena *a, struct pd_app_staff_row *out, int max, int *n);

/* Who may be assigned an application of unit_path: active staff accounts (not disabled, not
 * erased) holding officer or supervisor on a unit whose path is a prefix of unit_path (its
 * subtree holds the application's unit), only account only_id when that is not NULL. One row
 * per such grant, in account id order and, per account, the nearest grant (longest path)
 * first; at most max rows. */
enum pd_qs pd_store_app_assignees(struct pd_tx *tx, const char *unit_path, const char *only_id,
                                  struct pd_arena *a, struct pd_app_staff_row *out, int max,
                                  int *n);

#endif
