/* Storage reads of Open311 GeoReport v2: published complaints as service requests (filters,
 * page by offset as the standard defines it), their public timeline as updates, villages by
 * code, and the partner's media_url. Nothing of the reporter is ever selected here. */
#ifndef PD_STORE_OPEN311_STORE_H
#define PD_STORE_OPEN311_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* The public columns of one published complaint. Optional values NULL / 0. */
struct pd_o311_row {
	const char *id, *tracking, *status, *category_code, *category_name;
	const char *public_title, *public_text, *answer_public, *unit_name, *address;
	const char *place_code, *place_name;
	bool has_location;
	int64_t lat_e6, lon_e6, created_ms, updated_ms, due_ms, n_photos;
};

/* Filters ("" or NULL: any). codes: comma-separated category codes; status: "open" or
 * "closed"; path: the materialised path of a unit whose subtree holds the owner or the place
 * unit; created (or, for updates, happened) in [since_ms, until_ms]. */
struct pd_o311_filter {
	const char *codes, *status, *path;
	int64_t since_ms, until_ms;
	int64_t limit, offset;
};

/* Published complaints, newest first (created_ms, id), limit/offset, at most max. */
enum pd_qs pd_store_o311_list(struct pd_tx *tx, const struct pd_o311_filter *f,
                              struct pd_arena *a, struct pd_o311_row *out, int max, int *n);
/* One published complaint by compact tracking number. */
enum pd_qs pd_store_o311_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                     struct pd_o311_row *out);

/* One public timeline event of a published complaint. */
struct pd_o311_update_row {
	const char *id, *tracking, *status_after, *kind, *public_note;
	int64_t at_ms;
};
/* Events of published complaints in [since, until] (codes and status ignored), oldest first
 * (at_ms, id), limit/offset, at most max. */
enum pd_qs pd_store_o311_updates(struct pd_tx *tx, const struct pd_o311_filter *f,
                                 struct pd_arena *a, struct pd_o311_update_row *out, int max,
                                 int *n);

/* The slug of the village whose Kemendagri code without dots is code_nodots, or whose slug is
 * slug; *slug_out arena-owned. */
enum pd_qs pd_store_o311_village(struct pd_tx *tx, const char *code_nodots, const char *slug,
                                 struct pd_arena *a, const char **slug_out);

/* Stores the partner's media_url on the complaint (never fetched). */
enum pd_qs pd_store_o311_set_media(struct pd_tx *tx, const char *complaint_id, const char *url);

#endif
