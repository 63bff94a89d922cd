/* Storage for the public side of complaints: the full-text index over the public copy
 * (migration 0017), searching and "similar complaints" over published ones, the per-unit
 * aggregates behind /pengaduan/statistik, and the category rows the administrators edit.
 * Every read here sees public fields only (never a sealed column). */
#ifndef PD_STORE_COMPLAINT_PUBLIC_STORE_H
#define PD_STORE_COMPLAINT_PUBLIC_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/complaint_store.h"
#include "store/store.h"

/* --- the search index ------------------------------------------------------------------------ */

/* A published complaint whose index row is missing or older than its version. */
struct pd_cmpp_stale {
	const char *id;
	int64_t version, updated_ms;
	const char *public_title, *public_text, *answer_public;  /* NULL when absent */
};

/* The complaint.updated_ms of the newest index row (0 when the index is empty). */
enum pd_qs pd_store_cmpp_index_mark(struct pd_tx *tx, int64_t *out);

/* Published complaints updated at or after since_ms whose index row is missing or has another
 * version, oldest change first, at most max (strings in a; the transaction's arena if NULL). */
enum pd_qs pd_store_cmpp_stale(struct pd_tx *tx, int64_t since_ms, struct pd_arena *a,
                               struct pd_cmpp_stale *out, int max, int *n);

/* Writes the index row of a complaint (insert, or update when the stored version is older). */
enum pd_qs pd_store_cmpp_index_put(struct pd_tx *tx, const char *complaint_id, int64_t version,
                                   int64_t updated_ms, const char *stems);

/* One published complaint as lists show it (public fields only). */
struct pd_cmpp_row {
	const char *id, *tracking, *status, *title;
	const char *category_code, *category_name, *unit_name, *place_slug, *place_name;
	bool has_location;
	int64_t lat_e6, lon_e6, created_ms, updated_ms, support_count;
};

/* The public list (as pd_store_cmp_list_public, same filters and keyset) restricted to
 * complaints whose CURRENT index row holds every stem of `stems` (space-separated, non-empty):
 * FTS5 on SQLite, the GIN-indexed tsvector ('simple') on PostgreSQL. */
enum pd_qs pd_store_cmpp_search(struct pd_tx *tx, const struct pd_cmp_list_filter *f,
                                const char *stems, struct pd_arena *a, struct pd_cmpp_row *out,
                                int max, int *n);

/* Open published complaints of the category code, in the village (slug; NULL/"" none) or,
 * when has_box, located inside the box [lat_min, lat_max] × [lon_min, lon_max] (micro-degrees);
 * most supported first, then newest; at most max. */
struct pd_cmpp_near {
	const char *category_code, *village_slug;
	bool has_box;
	int64_t lat_min, lat_max, lon_min, lon_max;
};
enum pd_qs pd_store_cmpp_similar(struct pd_tx *tx, const struct pd_cmpp_near *q,
                                 struct pd_arena *a, struct pd_cmpp_row *out, int max, int *n);

/* --- per-unit figures -------------------------------------------------------------------------- */

/* Counts of complaints (every visibility: confidential ones count, nothing of them is read)
 * received in [since_ms, until_ms), grouped by owner unit, in unit path order. */
struct pd_cmpp_unit_counts {
	const char *unit_id, *unit_slug, *unit_name, *unit_path;
	int64_t received;   /* filed in the period */
	int64_t answered;   /* of those: answered_ms set */
	int64_t within;     /* of those: answered_ms <= due_ms */
	int64_t open;       /* of those: status still open now */
	int64_t overdue;    /* of the open ones: flagged overdue or due_ms < now_ms (not while the
	                     * reporter was asked for more: that clock is paused) */
};
enum pd_qs pd_store_cmpp_unit_counts(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                     int64_t now_ms, struct pd_arena *a,
                                     struct pd_cmpp_unit_counts *out, int max, int *n);

/* Calls fn(arg, unit_path, created_ms, answered_ms) for every answered complaint received in
 * [since_ms, until_ms) (at most max rows; *n gets how many). unit_path is borrowed for the
 * call. fn returning non-zero stops early. */
enum pd_qs pd_store_cmpp_answer_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                      int max,
                                      int (*fn)(void *arg, const char *unit_path,
                                                int64_t created_ms, int64_t answered_ms),
                                      void *arg, int *n);

/* The units one level below the top of the tree (the regency's agencies, districts…), with
 * slug, name and path, at most max (for the roll-up of the figures). */
struct pd_cmpp_unit {
	const char *id, *slug, *name, *path;
};
enum pd_qs pd_store_cmpp_top_agencies(struct pd_tx *tx, struct pd_arena *a,
                                      struct pd_cmpp_unit *out, int max, int *n);

/* --- categories (administration) --------------------------------------------------------------- */

/* Categories, enabled or not, whose unit lies in one of the subtrees (paths, n_paths ≥ 1, at
 * most 8; a NULL entry ends the list early), by code after `after_code` ("" from the first),
 * at most max. */
enum pd_qs pd_store_cmpp_categories_admin(struct pd_tx *tx, const char *const *paths,
                                          int n_paths, const char *after_code,
                                          struct pd_arena *a, struct pd_cmp_category_row *out,
                                          int max, int *n);

/* Updates name, description, unit_id, deadline_days, keywords, enabled and updated_ms of the
 * category id at version (bumping it): PD_QS_ONE, or PD_QS_NONE when the version moved on. */
enum pd_qs pd_store_cmpp_category_update(struct pd_tx *tx, const struct pd_cmp_category_row *r,
                                         int64_t version);

#endif
