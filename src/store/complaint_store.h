/* Storage of complaints, their categories, timeline, support and photos. Personal fields
 * arrive sealed and leave sealed: this file sees ciphertexts and hashes only. */
#ifndef PD_STORE_COMPLAINT_STORE_H
#define PD_STORE_COMPLAINT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One category row with its unit's slug and name (read only). */
struct pd_cmp_category_row {
	const char *id, *code, *name, *description, *unit_id;
	int64_t deadline_days;
	bool enabled;
	const char *keywords;
	int64_t version, created_ms, updated_ms;
	const char *unit_slug, *unit_name, *unit_path;  /* read only (joined) */
};

/* The columns pd_store_cmp_read_category reads, in order: category k joined with its unit u. */
#define PD_STORE_CMP_CAT_COLS                                                                  \
	"k.id, k.code, k.name, k.description, k.unit_id, k.deadline_days, k.enabled, k.keywords, " \
	"k.version, k.created_ms, k.updated_ms, u.slug, u.name, u.path"

/* Column readers shared by the complaint stores (complaint*_store.c, open311_store.c). */
/* The result of a read that gave n rows: HARD after a statement error, else NONE/ONE/MANY. */
enum pd_qs pd_store_cmp_rows_qs(struct pd_tx *tx, int n);
/* Column i as an integer, 0 for SQL NULL. */
int64_t pd_store_cmp_col_int(struct pd_q *q, int i);
/* Column i copied into a, NULL for SQL NULL. */
const char *pd_store_cmp_col_text(struct pd_q *q, int i, struct pd_arena *a);
/* s, or "" for NULL (for NOT NULL text parameters). */
const char *pd_store_cmp_nz(const char *s);

/* The keyset cursor of the lists, `(created_ms, id) < ($ms, $id)`, is always a row-value range
 * the index walk starts from (issue #8: "$id = '' OR …" made SQLite scan the index from its top
 * to the cursor, a cost that grew with the page's depth); without a cursor (no id) it starts
 * past every row. */
#define PD_CMP_AFTER_MS(after_id, after_ms) \
	((after_id) && *(after_id) ? (after_ms) : INT64_MAX)
/* *r from the current row of a PD_STORE_CMP_CAT_COLS select (strings in a). */
void pd_store_cmp_read_category(struct pd_q *q, struct pd_arena *a,
                                struct pd_cmp_category_row *r);

/* Inserts a category; a taken code latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_cmp_category_insert(struct pd_tx *tx, const struct pd_cmp_category_row *r);
/* The category with code (enabled or not). */
enum pd_qs pd_store_cmp_category_by_code(struct pd_tx *tx, const char *code, struct pd_arena *a,
                                         struct pd_cmp_category_row *out);
/* Enabled categories in name order, at most max. */
enum pd_qs pd_store_cmp_categories(struct pd_tx *tx, struct pd_arena *a,
                                   struct pd_cmp_category_row *out, int max, int *n);

/* One complaint row. Reading fills every field (copies in the given arena, the transaction's
 * when NULL) and the joined names. Optional times are 0 when NULL, optional strings NULL;
 * has_location tells whether lat_e6/lon_e6 are set. */
struct pd_cmp_row {
	const char *id, *tracking, *category_id, *channel, *status, *visibility;
	bool held, about_person, published;
	const char *public_title, *public_text;
	struct pd_blob title_ct, text_ct;
	const char *reporter_account_id;
	struct pd_blob subject_key, contact_ct, followup_hash;
	const char *unit_id, *unit_path, *place_unit_id, *address;
	bool has_location;
	int64_t lat_e6, lon_e6, occurred_ms;
	const char *media_url, *assigned_to, *merged_into, *answer_public;
	int64_t reopen_count, support_count, due_ms, paused_since_ms;
	bool overdue;
	int64_t escalated_ms, answered_ms, closed_ms, version, created_ms, updated_ms;
	/* read only (joined) */
	const char *category_code, *category_name, *unit_name, *place_slug, *place_name;
};

/* Inserts r (every column as given). A tracking number already taken inserts nothing
 * (PD_QS_NONE: draw another); a duplicate id or token hash latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_cmp_insert(struct pd_tx *tx, const struct pd_cmp_row *r);
enum pd_qs pd_store_cmp_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_cmp_row *out);
enum pd_qs pd_store_cmp_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_cmp_row *out);

/* The public list (published = 1) with filters ("" or NULL: any): category code, unit slug (its
 * subtree holds the owner unit), village slug, status (a stored name, "open" or "closed"),
 * created in [since, until) (0: open-ended); newest first by (created_ms, id) after the keyset
 * (after_ms, after_id; after_id NULL: from the newest); at most max. */
struct pd_cmp_list_filter {
	const char *category_code, *unit_slug, *village_slug, *status;
	int64_t since_ms, until_ms;
	int64_t after_ms;
	const char *after_id;
};
enum pd_qs pd_store_cmp_list_public(struct pd_tx *tx, const struct pd_cmp_list_filter *f,
                                    struct pd_arena *a, struct pd_cmp_row *out, int max, int *n);
/* The account's complaints, newest first, after the keyset (after_id NULL: newest). */
enum pd_qs pd_store_cmp_list_mine(struct pd_tx *tx, const char *account_id, int64_t after_ms,
                                  const char *after_id, struct pd_arena *a,
                                  struct pd_cmp_row *out, int max, int *n);

/* --- timeline ------------------------------------------------------------------------------ */

struct pd_cmp_event_row {
	const char *id, *complaint_id;
	int64_t at_ms;
	const char *actor_id;
	bool by_staff;
	const char *kind, *status_after, *unit_id, *public_note;
	struct pd_blob note_ct;
	const char *unit_name;  /* read only (joined), NULL without a unit */
};
enum pd_qs pd_store_cmp_event_insert(struct pd_tx *tx, const struct pd_cmp_event_row *r);
/* Events of the complaint in (at_ms, id) order, at most max. */
enum pd_qs pd_store_cmp_events(struct pd_tx *tx, const char *complaint_id, struct pd_arena *a,
                               struct pd_cmp_event_row *out, int max, int *n);

/* --- support ------------------------------------------------------------------------------- */

/* Adds the support row of account for complaint unless it exists (INSERT … ON CONFLICT DO
 * NOTHING) and, when a row was added, bumps support_count in the same statement order:
 * PD_QS_ONE when counted now, PD_QS_NONE when it was counted before. */
enum pd_qs pd_store_cmp_support(struct pd_tx *tx, const char *complaint_id,
                                const char *account_id, int64_t now_ms);
/* *out: account supports complaint. */
enum pd_qs pd_store_cmp_supports(struct pd_tx *tx, const char *complaint_id,
                                 const char *account_id, bool *out);

/* --- photos -------------------------------------------------------------------------------- */

struct pd_cmp_photo_row {
	const char *id, *complaint_id;
	int64_t n;
	const char *attachment_id, *content_type;
	int64_t created_ms;
};
enum pd_qs pd_store_cmp_photo_insert(struct pd_tx *tx, const struct pd_cmp_photo_row *r);
/* Photo n of the complaint. */
enum pd_qs pd_store_cmp_photo(struct pd_tx *tx, const char *complaint_id, int64_t n,
                              struct pd_arena *a, struct pd_cmp_photo_row *out);
/* Number of photos of the complaint. */
enum pd_qs pd_store_cmp_photo_count(struct pd_tx *tx, const char *complaint_id, int64_t *n);

#endif
