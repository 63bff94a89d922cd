/* The public service catalogue: listing and searching enabled services, one service's
 * Standar Pelayanan, and the administrators' create and update. */
#ifndef PD_DOMAIN_CATALOGUE_H
#define PD_DOMAIN_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/authz.h"
#include "store/service_store.h"
#include "store/store.h"

#define PD_CATALOGUE_PAGE_MAX 200 /* the API's largest ?limit= (DESIGN §5) */
#define PD_CATALOGUE_Q_MAX 200  /* longest search text (bytes) */
#define PD_CATALOGUE_Q_WORDS 8  /* most words of a search that count */

/* A public list request; every string may be NULL or "" (no filter). */
struct pd_catalogue_query {
	const char *q;        /* search text: its words are stemmed like the index */
	const char *unit;     /* slug of a unit: services of its whole subtree */
	const char *category;
	const char *after;    /* keyset cursor: id of the last service shown */
	int limit;            /* 1..PD_CATALOGUE_PAGE_MAX */
};

struct pd_catalogue_page {
	struct pd_service *items; /* without the Standar Pelayanan text (see the store) */
	int n_items;
	const char *next_after;   /* cursor of the next page when more follow, else NULL */
	const char **categories;  /* categories of enabled services, for the filter */
	int n_categories;
	const char **unit_slugs, **unit_names; /* units owning enabled services, for the filter */
	int n_units;
};

/* One page of enabled services matching query, with the filter choices; all arena-owned.
 * PD_ERR_INVALID for a malformed cursor, an overlong q or a bad limit; PD_ERR_NOT_FOUND for an
 * unknown unit slug. */
int pd_catalogue_list(struct pd_store *st, const struct pd_catalogue_query *query,
                      struct pd_arena *a, struct pd_catalogue_page *out);

/* The enabled service with this slug with its whole Standar Pelayanan, arena-owned into *out.
 * PD_ERR_NOT_FOUND for an unknown or disabled service. */
int pd_catalogue_get(struct pd_store *st, const char *slug, struct pd_arena *a,
                     struct pd_service *out);

/* The same for the enabled service with this id (a UUID; anything else is PD_ERR_NOT_FOUND). */
int pd_catalogue_get_by_id(struct pd_store *st, const char *id, struct pd_arena *a,
                           struct pd_service *out);

/* The components of the Standar Pelayanan (UU 25/2009 Pasal 21) that are text, in their
 * published order under their English snake_case keys ("legal_basis" … "performance_evaluation"),
 * the values borrowed from s (NULL when unset). Fills out and returns how many:
 * PD_CATALOGUE_STANDARD_N. */
#define PD_CATALOGUE_STANDARD_N 12
struct pd_catalogue_part {
	const char *key, *value;
};
int pd_catalogue_standard(const struct pd_service *s,
                          struct pd_catalogue_part out[PD_CATALOGUE_STANDARD_N]);

/* What an administrator writes: every Standar Pelayanan field of struct pd_service
 * (id, unit_id, search_stems, timestamps and the unit fields are ignored) and the owner unit's
 * slug. Strings are borrowed for the call; NULL text counts as "". */
struct pd_catalogue_input {
	const char *unit_slug;
	struct pd_service s;
};

/* Creates a service owned by in->unit_slug, by actor (PD_ACT_CONFIGURE on that unit's subtree),
 * with its audit entry "service.create" in the same transaction; the new id goes into id_out
 * when not NULL. PD_ERR_INVALID (message in err), PD_ERR_CONFLICT (slug taken),
 * PD_ERR_NOT_FOUND (unknown unit or not visible to actor), PD_ERR_FORBIDDEN. */
int pd_catalogue_create(struct pd_store *st, const struct pd_actor *actor,
                        const struct pd_catalogue_input *in, char id_out[37], char *err,
                        size_t errlen);

/* Updates the service now at slug (its unit stays; in->unit_slug is ignored) by actor, as
 * pd_catalogue_create checks, with its audit entry "service.update". Enabling and disabling
 * is updating s.enabled. Same results as pd_catalogue_create. */
int pd_catalogue_update(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                        const struct pd_catalogue_input *in, char *err, size_t errlen);

/* The same two inside write transaction tx (for pages that write through pd_req_write); a
 * taken slug fails tx with PD_ERR_CONFLICT. The new id goes into id_out when not NULL. */
int pd_catalogue_create_tx(struct pd_tx *tx, const struct pd_actor *actor,
                           const struct pd_catalogue_input *in, char id_out[37], char *err,
                           size_t errlen);
int pd_catalogue_update_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                           const struct pd_catalogue_input *in, char *err, size_t errlen);

#endif
