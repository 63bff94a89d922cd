/* Authorisation: who is acting (struct pd_actor, with its grants) and the one decision every
 * domain operation asks for, pd_authz(actor, action, object) (DESIGN §2, §5). */
#ifndef PD_DOMAIN_AUTHZ_H
#define PD_DOMAIN_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>

/* Roles of DESIGN §2; grants give them on a unit and its whole subtree. */
enum pd_role {
	PD_ROLE_CITIZEN,
	PD_ROLE_OFFICER,       /* works a queue */
	PD_ROLE_COORDINATOR,   /* verifies and routes complaints */
	PD_ROLE_SUPERVISOR,    /* assigns, reassigns, sees deadlines */
	PD_ROLE_MODERATOR,     /* participation content */
	PD_ROLE_PPID,          /* information requests */
	PD_ROLE_PPID_SUPERIOR, /* objections to information decisions */
	PD_ROLE_ADMINISTRATOR, /* configures a subtree: services, users, holidays, datasets */
	PD_ROLE_AUDITOR,       /* reads and verifies the audit log; sees no personal data */
	PD_ROLE__MAX
};

/* The role's name as stored and typed ("officer"), or NULL for an invalid value. Static. */
const char *pd_role_name(enum pd_role role);

/* Parses a role name; returns PD_OK or PD_ERR_INVALID. */
int pd_role_parse(const char *name, enum pd_role *out);

enum pd_account_kind { PD_ACCOUNT_CITIZEN, PD_ACCOUNT_STAFF };

/* One grant of an actor: role on the unit with this id and materialised path ("/a/b/"). */
struct pd_grant {
	enum pd_role role;
	const char *unit_id;
	const char *unit_path;
	const char *unit_slug;
};

/* Who is acting. Built by the session step of the HTTP layer (arena-owned, for one request)
 * or by the CLI (PD_ACTOR_SYSTEM). Strings are borrowed for the actor's lifetime. */
struct pd_actor {
	const char *account_id;
	enum pd_account_kind kind;
	const char *name;          /* for display only; personal data, never logged */
	const char *lang;          /* the account's language ("id", "en") or NULL */
	bool email_verified;
	bool system;               /* the operator on the command line: every check passes */
	const char *session_id;    /* the session this request came with, or NULL */
	struct pd_grant *grants;
	size_t n_grants;
};

/* What is being done. Each action names the roles that may see its object and the roles that
 * may act on it (a role that may act may also see), and what the owner of the object may do.
 * Add actions here as features arrive; keep the table in authz.c complete. */
enum pd_action {
	PD_ACT_OWN_VIEW,        /* the actor's own account, sessions, access list: owner only */
	PD_ACT_OWN_EDIT,        /* change the actor's own account or end its sessions */
	PD_ACT_FILE,            /* file something as a citizen (owner acts; needs a verified email) */
	PD_ACT_CASE_VIEW,       /* read a case (application, complaint) with its personal data */
	PD_ACT_CASE_WORK,       /* process a case from a queue */
	PD_ACT_CASE_ROUTE,      /* verify and route a complaint */
	PD_ACT_CASE_ASSIGN,     /* assign or reassign a case, change deadlines */
	PD_ACT_MODERATE,        /* hide, restore or answer participation content */
	PD_ACT_INFOREQ_DECIDE,  /* decide an information request (UU 14/2008) */
	PD_ACT_OBJECTION_DECIDE,/* decide an objection to an information decision */
	PD_ACT_CONFIGURE,       /* services, holidays, datasets of a subtree; holidays are national,
	                         * so the calendar needs it on a top unit (pd_calendar_access) */
	PD_ACT_USERS_MANAGE,    /* create staff accounts and grant roles in a subtree */
	PD_ACT_AUDIT_READ,      /* browse the audit log (ids only) */
	PD_ACT_AUDIT_EXPORT,    /* export or verify the audit log */
	PD_ACT_NIK_VERIFY,      /* mark a citizen's NIK checked against the card at a village office */
	PD_ACT_SURVEY,          /* answer the satisfaction survey (IKM) of one's own completed
	                         * application: its owner only, nobody else may even see it */
	PD_ACT__MAX
};

/* The object acted on: the citizen it belongs to (NULL when none) and its owner unit's
 * materialised path (NULL when it belongs to no unit). Both borrowed. */
struct pd_authz_object {
	const char *owner_account_id;
	const char *unit_path;
};

/* Decides whether actor may do action on object. Returns PD_OK when allowed;
 * PD_ERR_NOT_FOUND when the actor may not even see the object (anonymous actors, other
 * citizens' records, units outside every grant: answer 404 so existence is not revealed);
 * PD_ERR_FORBIDDEN when the actor may see it but not do this (403). A grant covers an object
 * whose unit path starts with the grant's unit path (the unit's subtree). PD_ACT_FILE also
 * answers PD_ERR_FORBIDDEN to an owner whose email is not verified yet. */
int pd_authz(const struct pd_actor *actor, enum pd_action action,
             const struct pd_authz_object *object);

/* True when the actor holds role on a unit whose subtree contains unit_path (NULL unit_path:
 * on any unit). */
bool pd_authz_has_role(const struct pd_actor *actor, enum pd_role role, const char *unit_path);

#endif
