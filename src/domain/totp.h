/* TOTP for staff accounts (RFC 6238; DESIGN §4): enrolment with a secret sealed under the
 * account's subject key, single-use recovery codes, disabling, the second step of sign-in
 * (a short-lived pending token between password and code, not a session), replay refusal
 * across nodes, and the administrators' "TOTP required for this subtree" setting. No HTTP
 * here; operations on behalf of a signed-in actor check access with pd_authz, those of the
 * second step are bound to the pending sign-in's token instead. */
#ifndef PD_DOMAIN_TOTP_H
#define PD_DOMAIN_TOTP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/totp.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/store.h"
#include "store/unit_store.h"

#define PD_RECOVERY_CODES 10
#define PD_RECOVERY_CODE_LEN 14                      /* "xxxx-xxxx-xxxx": 60 random bits */
#define PD_PENDING_CODE_TTL_MS (5LL * 60 * 1000)     /* password done, code awaited */
#define PD_PENDING_ENROL_TTL_MS (15LL * 60 * 1000)   /* enrolment forced before sign-in */
#define PD_PENDING_MAX_ATTEMPTS 5                    /* wrong codes before the password again */

/* --- the account's own second factor (/akun/totp) ------------------------------------------- */

struct pd_totp_status {
	bool active;             /* enrolled and confirmed */
	bool pending;            /* a secret was shown but not confirmed yet */
	bool required;           /* a unit above one of the account's grants requires TOTP */
	int64_t enabled_ms;
	int64_t recovery_left;   /* unused recovery codes */
};

/* The actor's TOTP state. PD_ERR_NOT_FOUND for anyone but a signed-in staff account. */
int pd_totp_status(struct pd_store *st, const struct pd_actor *actor, struct pd_totp_status *out);

/* A secret being enrolled, for showing: base32 text and the label of the key URI (the
 * account's email address; personal: never log it). Arena-owned. */
struct pd_totp_enrolment {
	char secret_b32[PD_TOTP_SECRET_B32 + 1];
	const char *label;
};

/* Starts enrolment for the actor (write transaction): a fresh 160-bit secret, sealed, kept
 * pending until confirmed; an existing pending secret is kept. PD_ERR_CONFLICT when TOTP is
 * already active; PD_ERR_NOT_FOUND for a non-staff actor. */
int pd_totp_begin(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor);

/* The actor's pending secret (read). PD_ERR_NOT_FOUND when none is pending. */
int pd_totp_enrolment(struct pd_store *st, const struct pd_keyset *ks,
                      const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_totp_enrolment *out);

/* Result of a form that takes a code. */
struct pd_totp_confirmed {
	bool wrong;                                   /* the code was wrong or reused */
	bool replay;                                  /* … reused: log event=totp_replay */
	char codes[PD_RECOVERY_CODES][PD_RECOVERY_CODE_LEN + 1];  /* after enrolment: show once */
};

/* Confirms the actor's pending secret with a current code (write transaction): activates it,
 * records the code's step as used, makes PD_RECOVERY_CODES recovery codes (stored as keyed
 * hashes) into out->codes and appends "account.totp_enable". A wrong code sets out->wrong
 * and returns PD_OK (nothing changed). PD_ERR_NOT_FOUND when nothing is pending. */
int pd_totp_confirm(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *code, struct pd_totp_confirmed *out);

/* Disables the actor's TOTP after checking a current code or an unused recovery code (write
 * transaction); a wrong or reused code sets out->wrong (a reuse is audited as
 * "account.totp_replay", committed) and changes nothing else. PD_ERR_FORBIDDEN when a unit
 * above the account's grants requires TOTP; PD_ERR_NOT_FOUND when it is not active. */
int pd_totp_disable(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *code, struct pd_totp_confirmed *out);

/* Writes the log line of a refused reuse (event=totp_replay), after the transaction that
 * audited it has committed. where: "signin", "disable". */
void pd_totp_log_replay(const char *account_id, const char *where, const char *request_id);

/* --- sign-in with a second step (signin_totp.c) --------------------------------------------- */

enum pd_signin_step {
	PD_SIGNIN_DONE,   /* a full session was made */
	PD_SIGNIN_CODE,   /* TOTP enrolled: a code is needed (/masuk/kode) */
	PD_SIGNIN_ENROL,  /* TOTP required but not enrolled: enrol first (/masuk/totp) */
};

struct pd_signin_result {
	enum pd_signin_step step;
	struct pd_new_session session;           /* DONE */
	char pending[PD_SESSION_TOKEN_LEN + 1];  /* CODE, ENROL: the pending token for its cookie */
};

/* After a verified password, in place of pd_signin_succeeded (write transaction): a staff
 * account with active TOTP, or one whose grants lie under a unit requiring TOTP, gets a
 * pending sign-in bound to binding (the browser's CSRF secret) with next (a safe relative
 * path) instead of a session; the email's throttle is kept until the second step succeeds.
 * new_hash (may be NULL) is stored as for pd_signin_succeeded. Everyone else gets a session. */
int pd_signin_password_ok(struct pd_tx *tx, const struct pd_keyset *ks,
                          const struct pd_signin_prep *prep, const char *new_hash,
                          const char *binding, const char *next, struct pd_signin_result *out);

enum pd_second_outcome {
	PD_SECOND_OK,      /* signed in: out->session */
	PD_SECOND_WRONG,   /* wrong or reused code (one answer for both); a failure was counted */
	PD_SECOND_LOCKED,  /* throttled: out->retry_after_s */
	PD_SECOND_GONE,    /* no usable pending sign-in (unknown, expired, other browser, used) */
};

struct pd_second_result {
	enum pd_second_outcome outcome;
	bool replay;                 /* the wrong code was a reuse: log it after commit */
	bool recovery_used;
	int64_t retry_after_s;
	char account_id[37];
	char next[2048];
	struct pd_new_session session;
	struct pd_totp_confirmed enrolled;  /* after enrolment at sign-in: the recovery codes */
};

/* A pending sign-in as seen by the pages of the second step (read). PD_ERR_NOT_FOUND when the
 * token is unknown, expired, bound to another browser or of another step ("code", "enrol").
 * For "enrol", out (may be NULL) receives the pending secret. */
int pd_signin_pending_view(struct pd_store *st, const struct pd_keyset *ks, const char *token,
                           const char *binding, const char *step, struct pd_arena *a,
                           struct pd_totp_enrolment *out);

/* The second step (write transaction): a TOTP code or an unused recovery code completes the
 * pending sign-in and makes a session; wrong codes count as failed sign-ins (the email's and
 * the address's throttle) and after PD_PENDING_MAX_ATTEMPTS the pending sign-in ends. A code
 * reused within its window is refused like a wrong one and audited "account.totp_replay".
 * Returns PD_OK with the outcome in out unless the database fails. */
int pd_signin_second(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                     const char *binding, const char *client_addr, const char *code,
                     struct pd_second_result *out);

/* Enrolment forced at sign-in (write transaction): confirms the pending secret with code,
 * makes the recovery codes (out->enrolled.codes) and the session. Outcomes as
 * pd_signin_second. */
int pd_signin_enrol(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                    const char *binding, const char *client_addr, const char *code,
                    struct pd_second_result *out);

/* Ends a pending sign-in (the cookie is being dropped). */
int pd_signin_pending_end(struct pd_tx *tx, const char *token);

/* --- policy: TOTP required for a subtree (totp_policy.c) ------------------------------------ */

/* True in *required when the account is staff and one of its grants lies on or under a unit
 * that requires TOTP. */
int pd_totp_policy_applies(struct pd_tx *tx, const char *account_id, bool *required);

/* A unit's security settings as its administrator sees them (arena-owned). */
struct pd_unit_security {
	struct pd_unit unit;
	bool totp_required;          /* set on this unit */
	const char *inherited_from;  /* name of an ancestor that requires TOTP, or NULL */
	bool may_edit;               /* the actor is an administrator over the unit */
};

/* Loads the settings of the unit with this slug. Access: PD_ACT_CONFIGURE on the unit
 * (PD_ERR_NOT_FOUND outside the actor's grants or for an unknown slug). */
int pd_totp_policy_view(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                        struct pd_arena *a, struct pd_unit_security *out);

/* Sets whether TOTP is required for the unit's subtree (write transaction) and appends
 * "unit.totp_policy". Access as pd_totp_policy_view, and PD_ERR_FORBIDDEN for those who may
 * only see the unit. */
int pd_totp_policy_set(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                       bool required);

#endif
