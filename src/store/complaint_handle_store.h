/* Storage of complaint handling: the versioned step update, the staff queue, the escalation
 * job's statements, supervisors of a unit, complaint notifications, the units a complaint may
 * go to, and support carried over on a merge. Sealed fields leave and arrive sealed. */
#ifndef PD_STORE_COMPLAINT_HANDLE_STORE_H
#define PD_STORE_COMPLAINT_HANDLE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* The columns a handling step changes. Optional times: 0 writes NULL. */
struct pd_cmh_update {
	const char *id;
	const char *status;
	bool held, published;
	const char *public_title, *public_text;
	const char *unit_id, *unit_path;
	const char *merged_into, *answer_public;
	int64_t reopen_count, due_ms, paused_since_ms;
	bool overdue;
	int64_t escalated_ms, answered_ms, closed_ms, confirmed_ms;
	int64_t updated_ms;
};

/* UPDATE … WHERE id = u->id AND version = version, version + 1: PD_QS_ONE for the winner,
 * PD_QS_NONE when the version moved on (or no such row). */
enum pd_qs pd_store_cmh_update(struct pd_tx *tx, const struct pd_cmh_update *u, int64_t version);

/* The complaint's confirmed_ms (0 when not confirmed). */
enum pd_qs pd_store_cmh_confirmed(struct pd_tx *tx, const char *id, int64_t *confirmed_ms);

#define PD_STORE_CMH_RANGES 8  /* most subtrees one queue query covers */

/* A queue request: complaints whose owner path lies in one of paths[0..n_paths); status "" any,
 * a stored name, "open" or "closed"; category code or ""; only overdue / held when set; after
 * the keyset (after_due, after_id; after_id NULL: from the start), ordered by due_ms, id. */
struct pd_cmh_queue_filter {
	const char *paths[PD_STORE_CMH_RANGES];
	int n_paths;
	const char *status, *category_code;
	bool overdue, held;
	int64_t after_due;
	const char *after_id;
};

/* One queue row: no personal data. */
struct pd_cmh_queue_row {
	const char *id, *tracking, *status, *visibility, *public_title;
	bool held, published, overdue;
	const char *category_code, *category_name, *unit_name, *unit_slug, *unit_path;
	int64_t due_ms, created_ms, escalated_ms, support_count, version, reopen_count;
};
enum pd_qs pd_store_cmh_queue(struct pd_tx *tx, const struct pd_cmh_queue_filter *f,
                              struct pd_arena *a, struct pd_cmh_queue_row *out, int max, int *n);

/* Ids of open complaints (new, dispositioned, reopened) with due_ms < now_ms and no
 * escalation yet, by due date, at most max. */
enum pd_qs pd_store_cmh_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int max, int *n);
/* Flags id overdue and escalated at now_ms when it is still due and unescalated (no version
 * change: a step in flight is not turned into a conflict). PD_QS_ONE when flagged now. */
enum pd_qs pd_store_cmh_escalate(struct pd_tx *tx, const char *id, int64_t now_ms);
/* Open complaints flagged overdue. */
enum pd_qs pd_store_cmh_count_overdue(struct pd_tx *tx, int64_t *n);

/* Active staff accounts holding supervisor on a unit whose subtree holds unit_path, each once,
 * at most max. */
enum pd_qs pd_store_cmh_supervisors(struct pd_tx *tx, const char *unit_path, struct pd_arena *a,
                                    const char **ids, int max, int *n);

/* --- notifications ------------------------------------------------------------------------- */

struct pd_cmh_notification_row {
	const char *id, *account_id, *complaint_id, *kind, *status;
	int64_t created_ms, read_ms;
	const char *tracking;  /* read only (joined) */
};
enum pd_qs pd_store_cmh_notification_insert(struct pd_tx *tx,
                                            const struct pd_cmh_notification_row *r);
/* The account's complaint notifications, newest first, at most max. */
enum pd_qs pd_store_cmh_notifications(struct pd_tx *tx, const char *account_id,
                                      struct pd_arena *a, struct pd_cmh_notification_row *out,
                                      int max, int *n);

/* --- units --------------------------------------------------------------------------------- */

struct pd_cmh_unit_row {
	const char *id, *slug, *name, *path, *kind;
};
/* Units of kind agency, district, regency or city by path, at most max. */
enum pd_qs pd_store_cmh_units(struct pd_tx *tx, struct pd_arena *a, struct pd_cmh_unit_row *out,
                              int max, int *n);
/* The agency directly below the district holding village_id whose slug matches the LIKE
 * pattern slug_like (e.g. "dpupr-%"; slugs hold no '_' or '%'), if any. */
enum pd_qs pd_store_cmh_district_agency(struct pd_tx *tx, const char *village_id,
                                        const char *slug_like, struct pd_arena *a,
                                        struct pd_cmh_unit_row *out);

/* --- merge --------------------------------------------------------------------------------- */

/* Copies the supporters of from_id to into_id (each account once) and recounts into_id's
 * support_count. */
enum pd_qs pd_store_cmh_carry_support(struct pd_tx *tx, const char *from_id, const char *into_id);

#endif
