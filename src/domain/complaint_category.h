/* Administration of complaint categories (/admin/pengaduan/kategori): the list of an
 * administrator's categories, adding, editing (name, description, default unit, deadline,
 * keywords) and enabling or disabling one. Access: PD_ACT_CONFIGURE on the subtree holding the
 * category's unit (and, when the unit changes, the new unit's too). Every change bumps the
 * category's version (a stale version is PD_ERR_CONFLICT) and writes an audit entry in the
 * same transaction. A disabled category is not offered for filing nor listed as an Open311
 * service (pd_complaint_categories lists enabled ones only). */
#ifndef PD_DOMAIN_COMPLAINT_CATEGORY_H
#define PD_DOMAIN_COMPLAINT_CATEGORY_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/application.h"
#include "domain/authz.h"
#include "domain/complaint.h"
#include "store/store.h"

#define PD_CATEGORY_ADMIN_PAGE 50      /* categories on one page of the list */
#define PD_CATEGORY_NAME_MAX 120       /* code points */
#define PD_CATEGORY_DESCRIPTION_MAX 1000
#define PD_CATEGORY_KEYWORDS_MAX 500

/* A category as the administration pages show it. Strings arena-owned. */
struct pd_category_admin {
	struct pd_complaint_category k;
	const char *unit_path;
	int64_t version, updated_ms;
};

/* What the add and edit forms send. Borrowed for the call. */
struct pd_category_input {
	const char *code;          /* add only: [a-z0-9-] 1..64, unique (Open311 service_code) */
	const char *name, *description, *unit_slug, *keywords;
	int64_t deadline_days;     /* 1..90 working days (0 when the form sent no number) */
	bool enabled;
};

/* True when the actor administers some unit (or is the system). */
bool pd_category_admin_any(const struct pd_actor *actor);

/* Categories (enabled or not) of the units in the actor's administrator subtrees, by code after
 * after_code (NULL or "": from the first), at most PD_CATEGORY_ADMIN_PAGE into out (room for
 * that many); *next gets the last code when more follow, else NULL. PD_ERR_NOT_FOUND when the
 * actor administers nothing. */
int pd_category_admin_list(struct pd_store *st, const struct pd_actor *actor,
                           const char *after_code, struct pd_arena *a,
                           struct pd_category_admin *out, int *n, const char **next);

/* One category by code for the actor (PD_ACT_CONFIGURE on its unit's subtree):
 * PD_ERR_NOT_FOUND (unknown, or outside every grant), PD_ERR_FORBIDDEN (may see only). */
int pd_category_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *code,
                          struct pd_arena *a, struct pd_category_admin *out);

/* Checks the fields of in (field keys "code" (create only), "name", "description", "unit",
 * "deadline_days", "keywords"); no database. */
void pd_category_check(const struct pd_category_input *in, bool create,
                       struct pd_app_errors *errs);

/* Adds a category in tx after the checks and the access check on in->unit_slug; errors by
 * field in errs (a taken code: "code", PD_ERR_CONFLICT; an unknown unit: "unit"). Enabled as
 * in->enabled. Audit "complaint.category.add" (and "complaint.category.disable" when added
 * disabled). code_out gets nothing; the code is in->code. */
int pd_category_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                       const struct pd_category_input *in, struct pd_app_errors *errs);

/* Updates the category `code` seen at `version` (0: whatever is current) with in (in->code is
 * ignored; in->enabled is applied too). PD_ERR_INVALID with errs, PD_ERR_NOT_FOUND /
 * PD_ERR_FORBIDDEN as pd_category_admin_get, PD_ERR_CONFLICT when the version moved on. Audit
 * "complaint.category.update". */
int pd_category_update(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                       int64_t version, const struct pd_category_input *in,
                       struct pd_app_errors *errs);

/* Enables or disables the category `code` seen at `version` (0: current). Same refusals as
 * pd_category_update. Audit "complaint.category.enable" / "complaint.category.disable". */
int pd_category_set_enabled(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                            int64_t version, bool enabled);

#endif
