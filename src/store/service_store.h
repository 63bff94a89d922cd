/* Storage of the public service catalogue: services with their Standar Pelayanan and search. */
#ifndef PD_STORE_SERVICE_STORE_H
#define PD_STORE_SERVICE_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* One service. The text fields are the components of the Standar Pelayanan (UU 25/2009
 * Pasal 21); processing_days counts working days; fee is in rupiah (0: free). */
struct pd_service {
	const char *id, *unit_id, *slug, *name, *category, *summary;
	const char *legal_basis, *requirements, *procedure;
	int64_t processing_days, fee;
	const char *product, *complaint_channel;
	const char *facilities, *staff_competence, *internal_oversight, *staff_count;
	const char *service_guarantee, *security_guarantee, *performance_evaluation;
	bool enabled;
	const char *search_stems; /* stems of name, summary, requirements and product */
	int64_t created_ms, updated_ms;
	/* read only, filled by the queries from the owner unit */
	const char *unit_slug, *unit_name, *unit_path;
};

/* Inserts s (every text field non-NULL). Conflict (latched) on a duplicate slug. */
enum pd_qs pd_store_service_insert(struct pd_tx *tx, const struct pd_service *s);

/* Updates every field of the service with s->id except id, unit_id and created_ms. */
enum pd_qs pd_store_service_update(struct pd_tx *tx, const struct pd_service *s);

/* Loads the service with this slug (enabled or not) with its unit's slug, name and path into
 * *out; strings in a (the transaction's arena when NULL). */
enum pd_qs pd_store_service_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                                    struct pd_service *out);

/* The same for the service with this id. */
enum pd_qs pd_store_service_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                  struct pd_service *out);

/* A filter of the public list. Every member may be NULL (no filter). */
struct pd_service_filter {
	const char *unit_path;  /* owner unit in this subtree (materialised path) */
	const char *category;
	const char *stems;      /* space-separated stems that must all occur (full-text search) */
	const char *after_id;   /* keyset: after this service in (name, id) order */
};

/* Enabled services matching f in (name, id) order, at most max into out (summary fields and
 * unit only: the Standar Pelayanan text is left NULL); strings in a. */
enum pd_qs pd_store_service_list(struct pd_tx *tx, const struct pd_service_filter *f,
                                 struct pd_arena *a, struct pd_service *out, int max, int *n);

/* Distinct categories of enabled services, in order, at most max into out (strings in a). */
enum pd_qs pd_store_service_categories(struct pd_tx *tx, struct pd_arena *a, const char **out,
                                       int max, int *n);

/* Units owning enabled services (slug and name) by name, at most max (strings in a). */
enum pd_qs pd_store_service_units(struct pd_tx *tx, struct pd_arena *a, const char **slugs,
                                  const char **names, int max, int *n);

#endif
