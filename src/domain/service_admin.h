/* Administration of services for the pages under /admin/layanan: the services of an
 * administrator's subtrees (enabled or not), one service with its current form, the checks
 * of the edit page field by field, and the Maklumat Pelayanan of units. */
#ifndef PD_DOMAIN_SERVICE_ADMIN_H
#define PD_DOMAIN_SERVICE_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "domain/catalogue.h"
#include "domain/form.h"
#include "store/store.h"
#include "store/unit_store.h"

#define PD_SERVICE_ADMIN_PAGE 50
#define PD_SERVICE_ADMIN_SCOPES 32  /* most units offered as scopes of the list */
#define PD_MAKLUMAT_MAX 4000        /* bytes of a Maklumat Pelayanan */

/* One page of the administrators' list; everything arena-owned. */
struct pd_service_admin_page {
	const char *unit_slug, *unit_name;   /* the subtree listed */
	const char **scope_slugs, **scope_names; /* units the actor administers, to choose from */
	int n_scopes;
	struct pd_service *items;            /* summary fields and enabled (as the public list) */
	int n_items;
	const char *next_after;              /* id of the last service when more follow */
};

/* Services (enabled or not) in the subtree of unit_slug (NULL or "": the actor's first unit
 * with the administrator role), after the service with id `after` (NULL: from the first).
 * PD_ERR_NOT_FOUND when the actor administers no unit or cannot see unit_slug, PD_ERR_FORBIDDEN
 * when it may see but not configure it, PD_ERR_INVALID for a malformed cursor. */
int pd_service_admin_list(struct pd_store *st, const struct pd_actor *actor,
                          const char *unit_slug, const char *after, struct pd_arena *a,
                          struct pd_service_admin_page *out);

/* The service at slug, enabled or not, and its current form, for actor (PD_ACT_CONFIGURE on the
 * service's unit subtree). form may be NULL. PD_ERR_NOT_FOUND / PD_ERR_FORBIDDEN as pd_authz. */
int pd_service_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                         struct pd_arena *a, struct pd_service *out, struct pd_form *form);

/* Units a new service of actor may belong to: every unit of the subtrees it administers, in
 * tree order, at most PD_SERVICE_ADMIN_UNITS (slugs and names arena-owned). */
#define PD_SERVICE_ADMIN_UNITS 300
int pd_service_admin_units(struct pd_store *st, const struct pd_actor *actor,
                           struct pd_arena *a, const char ***slugs, const char ***names, int *n);

/* True when actor administers some unit (shows the pages' links). */
bool pd_service_admin_any(const struct pd_actor *actor);

/* Checks what the edit page sends, field by field (msgids under "unit", "slug", "name",
 * "category", "processing_days", "fee" and the text fields' names as in struct pd_service). */
void pd_service_admin_check(const struct pd_catalogue_input *in, bool create,
                            struct pd_field_errors *errs);

/* Creates (create) or updates the service at slug inside write transaction tx, after
 * pd_service_admin_check, audited by the catalogue in the same transaction. On a refusal that
 * concerns a field, a msgid goes into errs ("slug" for a slug taken, which also fails tx with
 * PD_ERR_CONFLICT; "unit" for an unknown unit). Returns PD_OK or a pd_err. */
int pd_service_admin_save_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                             const struct pd_catalogue_input *in, struct pd_field_errors *errs);

/* --- Maklumat Pelayanan (UU 25/2009 Pasal 22) ---------------------------------------------- */

/* A unit's published service promise (text "" when it has none). Arena-owned. */
struct pd_maklumat {
	struct pd_unit unit;
	const char *text;
	int64_t updated_ms;   /* 0 when never set */
};

/* The Maklumat of the unit with this id inside tx (public; text "" when none). */
int pd_maklumat_of_unit_tx(struct pd_tx *tx, const char *unit_id, struct pd_arena *a,
                           const char **text);

/* The same from the store, for the public pages. */
int pd_maklumat_of_unit(struct pd_store *st, const char *unit_id, struct pd_arena *a,
                        const char **text);

/* The unit at slug with its Maklumat, for actor to edit (PD_ACT_CONFIGURE on its subtree).
 * PD_ERR_NOT_FOUND / PD_ERR_FORBIDDEN. */
int pd_maklumat_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                          struct pd_arena *a, struct pd_maklumat *out);

/* Sets the Maklumat of the unit at slug inside write transaction tx, by actor (as
 * pd_maklumat_admin_get), audited "unit.maklumat.update" in the same transaction. "" removes
 * it from the pages. PD_ERR_INVALID with a msgid under "text" in errs (over PD_MAKLUMAT_MAX
 * bytes, not UTF-8, control characters). */
int pd_maklumat_set_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                       const char *text, struct pd_field_errors *errs);

#endif
