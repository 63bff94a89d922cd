/* Staff administration by administrators (issue 3, DESIGN §2): the staff accounts holding roles
 * in the subtrees an administrator configures, new staff accounts invited by a set-password
 * link, roles granted and revoked on units of those subtrees, and accounts disabled.
 *
 * The rules, from DESIGN §2 ("administrator: configures a subtree: … users"; a grant is valid
 * for its unit's subtree) and issue 3 ("staff accounts are created by an administrator of a
 * unit above theirs"):
 *  - An administrator's reach is the subtree of each unit it holds `administrator` on, that unit
 *    included. A staff account is visible when at least one of its grants lies in that reach;
 *    anything else — another subtree, a unit above, a citizen account — is not there (404), and
 *    so is the whole directory for anyone who administers nothing. pd_authz decides the reach
 *    (PD_ACT_USERS_MANAGE); it lets auditors see, but the directory shows staff names and email
 *    addresses and an auditor "sees no personal data", so a see-only answer is a 404 here too.
 *  - Roles other than `administrator` may be granted and revoked on any unit of the reach, the
 *    administrator's own unit included (the regency's administrator names the regency's
 *    coordinator). `administrator` only on units strictly below the actor's own: an
 *    administrator makes administrators of the units under it, never a peer on its own unit
 *    (who could then revoke it) and never one above (403). Units above or beside the reach are
 *    404. Citizen is not a staff role and is not granted here.
 *  - An administrator never changes its own account here (403): no self-granted roles, no
 *    self-revoked last grant, no self-disabling. Another administrator changes it.
 *  - Disabling ends every session and every unused set-password link, and is allowed only when
 *    every grant of the account lies where the actor may revoke it: an account that also works
 *    elsewhere, or a peer administrator, is disabled by whoever administers all of it (403).
 *  - A new account gets no password from the administrator: the new staff member receives a
 *    one-time link (PD_STAFF_INVITE_TTL_MS) by mail through the outbox, queued in the same
 *    transaction, and chooses it at /atur-ulang-sandi; the link proves the address, so the
 *    account counts as verified from the start, like `pendopo user add`.
 *
 * Reading the directory opens the name and email address of staff accounts. That is not logged
 * in the access log (DESIGN §4 records staff reads of citizens' personal data, with a purpose,
 * for the citizen's /akun/akses): these are the work identities of staff, shown only to the
 * administrators answerable for their access, who need them to do exactly this — the same
 * fields `pendopo user list` prints for operators. Only name and email are opened, never a
 * phone number or NIK; citizen accounts are never listed. Every change is in the audit log
 * with ids only. */
#ifndef PD_DOMAIN_STAFF_ADMIN_H
#define PD_DOMAIN_STAFF_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/store.h"
#include "store/unit_store.h"

struct pd_keyset;

#define PD_STAFF_PAGE_MAX 50                        /* accounts on one page of the directory */
#define PD_STAFF_UNITS_MAX 2000                     /* units offered in the forms */
#define PD_STAFF_INVITE_TTL_MS (72LL * 3600 * 1000) /* the set-password link of a new account */

/* PD_OK when the actor administers some unit (the staff pages are there for it);
 * PD_ERR_NOT_FOUND otherwise. */
int pd_staff_open(const struct pd_actor *actor);

/* A grant of a listed account, inside the actor's reach. Strings arena-owned. */
struct pd_staff_grant {
	const char *role;                 /* "officer" */
	const char *unit_slug, *unit_name;
	bool may_revoke;
};

/* A staff account as its administrator sees it. Strings and arrays arena-owned. */
struct pd_staff_member {
	const char *id;
	const char *name, *email;         /* opened for display only: never log them */
	bool disabled;
	bool self;                        /* the actor's own account: shown, never changed here */
	bool may_grant;                   /* the actor may grant it roles */
	bool may_disable;
	int64_t created_ms;
	struct pd_staff_grant *grants;    /* only those inside the actor's reach */
	int n_grants;
};

/* One page of the directory: the staff accounts with a grant in the subtree of scope. */
struct pd_staff_page {
	struct pd_unit scope;
	struct pd_staff_member *items;
	int n;
	const char *next_after;           /* cursor of the next page; NULL on the last */
};

/* Lists the staff accounts with a grant in the subtree of the unit scope_slug (NULL or "": the
 * first unit the actor administers, in path order), in id order after the account after_id
 * (NULL: from the first), at most PD_STAFF_PAGE_MAX, opening names and emails with ks.
 * PD_ERR_NOT_FOUND when the actor administers nothing or the unit is outside its reach;
 * PD_ERR_INVALID for a malformed cursor. out and its strings arena-owned. */
int pd_staff_list(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                  const char *scope_slug, const char *after_id, struct pd_arena *a,
                  struct pd_staff_page *out);

/* The units of the actor's reach, in path order, each once (at most PD_STAFF_UNITS_MAX): the
 * choices of the forms. *out arena-owned. PD_ERR_NOT_FOUND when it administers nothing. */
int pd_staff_units(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                   struct pd_unit **out, int *n);

/* One staff account in the actor's reach, opened with ks. PD_ERR_NOT_FOUND when it is not a
 * staff account with a grant in the reach (or id is malformed). */
int pd_staff_view(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                  const char *id, struct pd_arena *a, struct pd_staff_member *out);

/* A new staff account. Every field borrowed for the call. */
struct pd_staff_new {
	const char *name, *email;
	const char *role, *unit_slug;     /* its first grant */
	const char *lang;                 /* language of the invitation mail ("id", "en") */
	const char *base_url;             /* absolute, for the link in the mail */
};

/* Creates a staff account inside write transaction tx: checks the actor's reach over the unit
 * (PD_ERR_NOT_FOUND) and the administrator rule (PD_ERR_FORBIDDEN), then the fields (with
 * messages in errs by field "name", "email", "role", "unit"; PD_ERR_INVALID, also for an email
 * that already has an account); registers the account without a password (sealed fields,
 * subject key), grants the role, issues a reset_password link valid PD_STAFF_INVITE_TTL_MS and
 * queues the mail carrying it (pd_mail_enqueue, same transaction), and appends
 * "account.register", "account.grant" and "account.invite" with ids only. The new id goes to
 * id_out. Return the error from the transaction body so that nothing half-made commits. */
int pd_staff_create(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const struct pd_staff_new *in, struct pd_field_errors *errs, char id_out[37]);

/* Grants role on the unit unit_slug to staff account account_id inside tx and appends
 * "account.grant" (granting a role already held changes nothing and records nothing).
 * PD_ERR_NOT_FOUND: account not visible, or unit outside the reach; PD_ERR_FORBIDDEN: the actor's
 * own account, or `administrator` not strictly below the actor's unit; PD_ERR_INVALID with errs
 * ("role", "unit"): no such role or unit, or citizen. */
int pd_staff_grant(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id,
                   const char *role, const char *unit_slug, struct pd_field_errors *errs);

/* Revokes the grant (role, unit_slug) of staff account account_id inside tx and appends
 * "account.revoke". Takes effect at the account's next request (grants are read per request).
 * PD_ERR_NOT_FOUND: account not visible, or no such grant inside the reach; PD_ERR_FORBIDDEN: the
 * actor's own account, or an `administrator` grant not strictly below the actor's unit. */
int pd_staff_revoke(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id,
                    const char *role, const char *unit_slug);

/* Disables staff account account_id inside tx: ends its sessions, pending sign-ins and unused
 * set-password links, and appends "account.disable" (disabling twice is PD_OK, recorded once).
 * PD_ERR_NOT_FOUND: not visible; PD_ERR_FORBIDDEN: the actor's own account, or a grant of the
 * account that the actor could not revoke. */
int pd_staff_disable(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id);

#endif
