/* The one authorisation decision: a table of who may see and who may act per action, grants
 * valid for their unit's subtree, and owners who see their own records only. */
#include "domain/authz.h"

#include <string.h>

#include "core/err.h"

#define R(x) (1u << PD_ROLE_##x)

static const char *const role_names[PD_ROLE__MAX] = {
	[PD_ROLE_CITIZEN] = "citizen",
	[PD_ROLE_OFFICER] = "officer",
	[PD_ROLE_COORDINATOR] = "coordinator",
	[PD_ROLE_SUPERVISOR] = "supervisor",
	[PD_ROLE_MODERATOR] = "moderator",
	[PD_ROLE_PPID] = "ppid",
	[PD_ROLE_PPID_SUPERIOR] = "ppid_superior",
	[PD_ROLE_ADMINISTRATOR] = "administrator",
	[PD_ROLE_AUDITOR] = "auditor",
};

struct rule {
	unsigned see;    /* roles that may see the object (besides those that may act) */
	unsigned act;    /* roles that may do the action */
	bool owner_see;  /* the citizen the object belongs to may see it */
	bool owner_act;  /* … and may do the action */
};

#define CASE_STAFF (R(OFFICER) | R(COORDINATOR) | R(SUPERVISOR))

static const struct rule rules[PD_ACT__MAX] = {
	[PD_ACT_OWN_VIEW] = {0, 0, true, true},
	[PD_ACT_OWN_EDIT] = {0, 0, true, true},
	[PD_ACT_FILE] = {0, 0, true, true},
	[PD_ACT_CASE_VIEW] = {0, CASE_STAFF, true, true},
	[PD_ACT_CASE_WORK] = {CASE_STAFF, R(OFFICER) | R(SUPERVISOR), true, false},
	[PD_ACT_CASE_ROUTE] = {CASE_STAFF, R(COORDINATOR) | R(SUPERVISOR), true, false},
	[PD_ACT_CASE_ASSIGN] = {CASE_STAFF, R(SUPERVISOR), true, false},
	[PD_ACT_MODERATE] = {R(ADMINISTRATOR), R(MODERATOR), true, false},
	[PD_ACT_INFOREQ_DECIDE] = {R(PPID_SUPERIOR), R(PPID), true, false},
	[PD_ACT_OBJECTION_DECIDE] = {R(PPID), R(PPID_SUPERIOR), true, false},
	[PD_ACT_SURVEY] = {0, 0, true, true},
	[PD_ACT_CONFIGURE] = {R(SUPERVISOR) | R(AUDITOR), R(ADMINISTRATOR), false, false},
	[PD_ACT_USERS_MANAGE] = {R(AUDITOR), R(ADMINISTRATOR), false, false},
	[PD_ACT_AUDIT_READ] = {0, R(AUDITOR), false, false},
	[PD_ACT_AUDIT_EXPORT] = {0, R(AUDITOR), false, false},
	[PD_ACT_NIK_VERIFY] = {R(SUPERVISOR) | R(ADMINISTRATOR), R(OFFICER), true, false},
};

const char *pd_role_name(enum pd_role role)
{
	return (unsigned)role < PD_ROLE__MAX ? role_names[role] : NULL;
}

int pd_role_parse(const char *name, enum pd_role *out)
{
	for (int i = 0; name && i < PD_ROLE__MAX; i++)
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum pd_role)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

/* True when a grant on grant_path covers an object under unit_path (its subtree). */
static bool covers(const char *grant_path, const char *unit_path)
{
	if (!grant_path || !*grant_path)
		return false;
	if (!unit_path)
		return false;
	size_t n = strlen(grant_path);
	/* A materialised path ends in '/': without it "/r/x" would cover "/r/xx/". */
	if (grant_path[n - 1] != '/')
		return false;
	return strncmp(unit_path, grant_path, n) == 0;
}

bool pd_authz_has_role(const struct pd_actor *actor, enum pd_role role, const char *unit_path)
{
	if (!actor)
		return false;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role == role && (!unit_path || covers(g->unit_path, unit_path)))
			return true;
	}
	return false;
}

/* The roles the actor holds on a unit covering unit_path, as a bit set. */
static unsigned roles_covering(const struct pd_actor *actor, const char *unit_path)
{
	unsigned held = 0;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if ((unsigned)g->role < PD_ROLE__MAX && covers(g->unit_path, unit_path))
			held |= 1u << g->role;
	}
	return held;
}

int pd_authz(const struct pd_actor *actor, enum pd_action action,
             const struct pd_authz_object *object)
{
	if ((unsigned)action >= PD_ACT__MAX)
		return PD_ERR_FORBIDDEN;
	/* An empty id is nobody: it must never match an object whose owner is unset ("") too. */
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (actor->system)
		return PD_OK;
	const struct rule *rule = &rules[action];
	static const struct pd_authz_object none = {NULL, NULL};
	if (!object)
		object = &none;
	bool owner = object->owner_account_id && *object->owner_account_id &&
	             strcmp(object->owner_account_id, actor->account_id) == 0;
	unsigned held = roles_covering(actor, object->unit_path);
	bool may_act = (held & rule->act) != 0 || (owner && rule->owner_act);
	bool may_see = may_act || (held & rule->see) != 0 || (owner && rule->owner_see);
	if (!may_see)
		return PD_ERR_NOT_FOUND;
	if (!may_act)
		return PD_ERR_FORBIDDEN;
	if (action == PD_ACT_FILE && !actor->email_verified)
		return PD_ERR_FORBIDDEN;
	return PD_OK;
}
