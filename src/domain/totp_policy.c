/* The rule "TOTP required for this subtree": an administrator of a unit sets it, and it binds
 * every staff account with a grant on that unit or below it at their next sign-in. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/totp.h"
#include "domain/totp_internal.h"
#include "store/totp_store.h"

#define MAX_REQUIRED 4096
#define MAX_GRANTS 64

/* True when the unit at unit_path lies on or under the unit at subtree_path. */
static bool within(const char *unit_path, const char *subtree_path)
{
	size_t n = subtree_path ? strlen(subtree_path) : 0;
	return n && unit_path && strncmp(unit_path, subtree_path, n) == 0;
}

int pd_totp_policy_applies(struct pd_tx *tx, const char *account_id, bool *required)
{
	*required = false;
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, account_id, NULL, &acc);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strcmp(acc.kind, "staff") != 0)
		return PD_OK; /* citizens sign in with their password alone */
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_grant_row *grants = pd_arena_alloc(a, MAX_GRANTS * sizeof *grants);
	int n_grants = 0;
	if (pd_store_grant_list(tx, account_id, a, grants, MAX_GRANTS, &n_grants) < 0)
		return pd_tx_error(tx);
	if (!n_grants)
		return PD_OK;
	const char **paths = pd_arena_alloc(a, MAX_REQUIRED * sizeof *paths);
	int n_paths = 0;
	if (pd_store_totp_required_paths(tx, a, paths, MAX_REQUIRED, &n_paths) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < n_grants && !*required; i++)
		for (int k = 0; k < n_paths && !*required; k++)
			*required = within(grants[i].unit_path, paths[k]);
	return PD_OK;
}

/* The unit with this slug and the actor's access to its settings: PD_OK (may edit),
 * PD_ERR_FORBIDDEN (may see only) or PD_ERR_NOT_FOUND. */
static int unit_access(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                       struct pd_arena *a, struct pd_unit *u)
{
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (!slug || !*slug)
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, a, u);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, u->path};
	return pd_authz(actor, PD_ACT_CONFIGURE, &obj);
}

struct view_arg {
	const struct pd_actor *actor;
	const char *slug;
	struct pd_arena *a;
	struct pd_unit_security *out;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	struct pd_unit_security *o = va->out;
	int rc = unit_access(tx, va->actor, va->slug, va->a, &o->unit);
	if (rc && rc != PD_ERR_FORBIDDEN)
		return rc;
	o->may_edit = rc == PD_OK;
	if (pd_store_unit_security_get(tx, o->unit.id, &o->totp_required) < 0)
		return pd_tx_error(tx);
	struct pd_arena *ta = pd_tx_arena(tx);
	const char **paths = pd_arena_alloc(ta, MAX_REQUIRED * sizeof *paths);
	int n = 0;
	if (pd_store_totp_required_paths(tx, ta, paths, MAX_REQUIRED, &n) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < n && !o->inherited_from; i++) {
		if (strcmp(paths[i], o->unit.path) == 0 || !within(o->unit.path, paths[i]))
			continue;
		/* "/…/<ancestor id>/": the ancestor's id is the last segment. */
		size_t len = strlen(paths[i]);
		const char *end = paths[i] + len - 1, *start = end;
		while (start > paths[i] && start[-1] != '/')
			start--;
		const char *id = pd_arena_strndup(ta, start, (size_t)(end - start));
		struct pd_unit anc;
		enum pd_qs qs = pd_store_unit_by_id(tx, id, va->a, &anc);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_ONE)
			o->inherited_from = anc.name;
	}
	return PD_OK;
}

int pd_totp_policy_view(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                        struct pd_arena *a, struct pd_unit_security *out)
{
	memset(out, 0, sizeof *out);
	struct view_arg va = {actor, slug, a, out};
	return pd_store_read(st, view_tx, &va);
}

int pd_totp_policy_set(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                       bool required)
{
	struct pd_unit u;
	int rc = unit_access(tx, actor, slug, NULL, &u);
	if (rc)
		return rc;
	if (pd_store_unit_security_set(tx, u.id, required, pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_audit_event ev = {
		.actor = actor->system ? "system" : pd_acct_audit_actor(a, actor->account_id),
		.action = "unit.totp_policy",
		.object_type = "unit",
		.object_id = u.id,
		.unit_id = u.id,
		.details = required ? "{\"totp_required\":true}" : "{\"totp_required\":false}",
	};
	return pd_audit_append(tx, &ev);
}
