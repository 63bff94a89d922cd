/* Storage of services' versioned application forms, the administrators' list of services (enabled
 * or not) and the units' Maklumat Pelayanan. */
#ifndef PD_STORE_FORM_STORE_H
#define PD_STORE_FORM_STORE_H

#include <stdint.h>

#include "store/service_store.h"
#include "store/store.h"

/* One stored version of a form; strings in the arena given. */
struct pd_form_row {
	const char *service_id;
	int64_t version;
	const char *fields_json;
	int64_t created_ms;
	const char *created_by;
};

/* Inserts a version (conflict, latched, when the version exists: a concurrent save). */
enum pd_qs pd_store_form_insert(struct pd_tx *tx, const struct pd_form_row *r);

/* The newest version of service_id's form, or version `version`. NONE when there is none. */
enum pd_qs pd_store_form_latest(struct pd_tx *tx, const char *service_id, struct pd_arena *a,
                                struct pd_form_row *out);
enum pd_qs pd_store_form_get(struct pd_tx *tx, const char *service_id, int64_t version,
                             struct pd_arena *a, struct pd_form_row *out);

/* Services enabled or not whose unit is in the subtree of unit_path, in (name, id) order after
 * the service with id after_id (NULL: from the first); at most max into out, summary fields
 * and unit only (as pd_store_service_list); strings in a. */
enum pd_qs pd_store_service_admin_list(struct pd_tx *tx, const char *unit_path,
                                       const char *after_id, struct pd_arena *a,
                                       struct pd_service *out, int max, int *n);

/* The Maklumat Pelayanan of unit_id: its text and the time it was last changed (NONE when the
 * unit has none). */
enum pd_qs pd_store_maklumat_get(struct pd_tx *tx, const char *unit_id, struct pd_arena *a,
                                 const char **text, int64_t *updated_ms);

/* Sets (inserts or replaces) the Maklumat Pelayanan of unit_id. */
enum pd_qs pd_store_maklumat_put(struct pd_tx *tx, const char *unit_id, const char *text,
                                 int64_t updated_ms, const char *updated_by);

#endif
