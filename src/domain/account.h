/* Accounts (DESIGN §2, §4): registration with sealed personal fields, email verification,
 * passwords (argon2id), sign-in with a throttle, sessions, password reset and the account's
 * own settings, plus the operators' user administration. No HTTP here: the web layer calls
 * these and runs the slow password hashes on its worker pool. */
#ifndef PD_DOMAIN_ACCOUNT_H
#define PD_DOMAIN_ACCOUNT_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "domain/authz.h"
#include "store/account_store.h"
#include "store/session_store.h"
#include "store/store.h"

struct pd_keyset;

#define PD_PASSWORD_MIN 12          /* characters (code points); no composition rules */
#define PD_PASSWORD_MAX_BYTES 1024
#define PD_PASSWORD_OPSLIMIT 2      /* argon2id t = 2 (DESIGN §4) */
#define PD_PASSWORD_MEMLIMIT (19u * 1024 * 1024)  /* m = 19 MiB */
#define PD_HASH_MAX crypto_pwhash_STRBYTES
#define PD_SESSION_TOKEN_LEN 43     /* base64url of 32 bytes, without padding */
#define PD_SESSION_ABSOLUTE_MS (12LL * 3600 * 1000)
#define PD_SESSION_IDLE_STAFF_MS (30LL * 60 * 1000)
#define PD_SESSION_TOUCH_MS (60LL * 1000)  /* last_seen written at most once a minute */
#define PD_VERIFY_TTL_MS (48LL * 3600 * 1000)
#define PD_RESET_TTL_MS (3600LL * 1000)
/* Sign-in throttle: this many failures within the window lock the email (known or not) or the
 * client address for the lock time. */
#define PD_THROTTLE_EMAIL_MAX 5
#define PD_THROTTLE_ADDR_MAX 30
#define PD_THROTTLE_WINDOW_MS (15LL * 60 * 1000)
#define PD_THROTTLE_LOCK_MS (15LL * 60 * 1000)

/* --- checks of input (no database) ----------------------------------------------------------- */

/* Field errors of a form: msgids (Indonesian, translate with pd_i18n_text) by field name. */
struct pd_field_errors {
	const char *field[12];
	const char *msg[12];
	int n;
};

/* Adds an error for field (the first one per field wins). */
void pd_field_error(struct pd_field_errors *e, const char *field, const char *msgid);

/* Why a password is refused (a msgid), or NULL when it is acceptable: fewer than 12
 * characters, more than PD_PASSWORD_MAX_BYTES, not UTF-8, or one of the 10,000 most common
 * passwords (data/common-passwords.txt, compared lower-case). */
const char *pd_password_problem(const char *password);

/* Validates a NIK (DESIGN §2): 16 digits once spaces, dots, dashes and slashes are dropped; a
 * province code of Indonesia; regency and district not 00; a date part DDMMYY with DD + 40
 * for women and a real day of that month; a serial not 0000. On PD_OK copies the 16 digits to
 * out and the district code (first 6 digits) to district. PD_ERR_INVALID otherwise. */
int pd_nik_check(const char *in, char out[17], char district[7]);

/* --- passwords (each call computes exactly one argon2id hash) -------------------------------- */

/* Hashes password with argon2id at PD_PASSWORD_OPSLIMIT / PD_PASSWORD_MEMLIMIT into out.
 * PD_OK, PD_ERR_NOMEM. Slow (tens of ms): call on a worker, never a pool thread. */
int pd_password_hash(const char *password, char out[PD_HASH_MAX]);

/* Verifies password against hash; when hash is NULL or "" (unknown account), against a fixed
 * dummy hash of the same cost, so that both answers take the same time. *needs_rehash (may
 * be NULL) says whether the hash's parameters are older than the current ones. Returns true
 * only for a real hash that matches. */
bool pd_password_verify(const char *hash, const char *password, bool *needs_rehash);

/* --- the account's fields, opened ------------------------------------------------------------ */

/* An account with its personal fields decrypted (arena-owned; never log them). */
struct pd_account {
	struct pd_account_row row;
	const char *email, *name, *phone, *nik;  /* NULL when absent or erased */
};

/* Loads account id and opens its sealed fields with ks. PD_ERR_NOT_FOUND, PD_ERR_CRYPTO. */
int pd_account_load(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                    struct pd_arena *a, struct pd_account *out);

/* The actor's own account, opened (the owner's view: PD_ERR_NOT_FOUND for anyone else). */
int pd_account_view_own(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, struct pd_arena *a, struct pd_account *out);

/* Seals value under the account's subject key raw_key for column (AD account/column/id) into
 * an arena-owned blob. value NULL gives the NULL blob. */
struct pd_blob pd_account_seal(struct pd_arena *a, const unsigned char raw_key[32],
                               const char *id, const char *column, const char *value);

/* --- registration and email verification ----------------------------------------------------- */

struct pd_registration {
	const char *name, *email, *phone, *nik, *village_slug, *lang;
	const char *password_hash;  /* computed by the caller (pd_password_hash) */
	const char *base_url;       /* absolute, for the link in the mail */
	bool email_verified;        /* set by `user add`: no verification mail */
	const char *kind;           /* "citizen" (default) or "staff" */
	const char *actor;          /* audit actor; NULL: the new account itself */
};

/* Checks the fields that need no database; fills errs. password is the plain text. */
void pd_account_check_registration(const struct pd_registration *in, const char *password,
                                   struct pd_field_errors *errs);

struct pd_register_result {
	char id[37];                /* the new account's id ("" when none was made) */
	bool email_taken;           /* no account made; a notice went to that address instead */
	struct pd_field_errors errs;
};

/* Registers inside write transaction tx: resolves the village (must be a unit of kind
 * village), refuses a NIK already bound to an account (PD_ERR_INVALID with a field error),
 * makes the subject key, seals the personal fields, inserts the account, queues the
 * verification mail (unless in->email_verified) and appends the audit entry. When the email
 * is taken, makes nothing but queues a notice to that address and returns PD_OK with
 * email_taken (so the answer is the same as for a new address). Validation errors return
 * PD_ERR_INVALID without failing tx. */
int pd_account_register(struct pd_tx *tx, const struct pd_keyset *ks,
                        const struct pd_registration *in, struct pd_register_result *out);

/* Uses a verification token: marks the email verified. PD_ERR_NOT_FOUND for an unknown, used
 * or expired token. The account id goes to account_id (37 bytes). */
int pd_account_verify_email(struct pd_tx *tx, const char *token, char account_id[37]);

/* Queues a new verification mail for the signed-in account (no-op when already verified). */
int pd_account_resend_verification(struct pd_tx *tx, const struct pd_keyset *ks,
                                   const struct pd_actor *actor, const char *base_url);

/* --- sign-in and sessions -------------------------------------------------------------------- */

/* What a sign-in attempt needs before hashing: read in one read transaction. */
struct pd_signin_prep {
	bool locked;               /* throttled: refuse without hashing */
	int64_t retry_after_s;
	bool found;                /* an account with this email exists (never shown) */
	char account_id[37];
	char hash[PD_HASH_MAX];    /* its password hash, or "" */
	bool disabled;
	unsigned char email_key[PD_CRYPTO_BLIND_BYTES + 1];
	unsigned char addr_key[PD_CRYPTO_BLIND_BYTES + 1];
};

/* Reads the throttle state for the email and client address and the account's hash. */
int pd_signin_prepare(struct pd_store *st, const struct pd_keyset *ks, const char *email,
                      const char *client_addr, struct pd_signin_prep *out);

/* Records a failed attempt (write transaction). */
int pd_signin_failed(struct pd_tx *tx, const struct pd_signin_prep *prep);

/* A new session: token and its CSRF secret (base64url, NUL-terminated). */
struct pd_new_session {
	char token[PD_SESSION_TOKEN_LEN + 1];
	char csrf_secret[PD_SESSION_TOKEN_LEN + 1];
	char id[37];
};

/* After a verified password: clears the email's throttle, stores new_hash when not NULL
 * (rehash), ends the account's expired sessions and creates a new one (write transaction).
 * Fills out. */
int pd_signin_succeeded(struct pd_tx *tx, const struct pd_signin_prep *prep,
                        const char *new_hash, struct pd_new_session *out);

/* The session a cookie token names, with its actor (arena-owned). PD_ERR_NOT_FOUND when the
 * token is unknown, expired (12 hours after sign-in; for staff also 30 minutes idle), or its
 * account is disabled or erased. *touch says whether last_seen should be written. */
int pd_session_resolve(struct pd_store *st, const struct pd_keyset *ks, const char *token,
                       struct pd_arena *a, struct pd_actor **actor, const char **csrf_secret,
                       bool *touch);

/* Writes last_seen of the session of token (at most once a minute). */
int pd_session_touch(struct pd_tx *tx, const char *token, int64_t seen_ms);

/* Ends the session of token (sign-out). */
int pd_session_end(struct pd_tx *tx, const char *token);

/* Ends one session of the actor by its id: PD_ERR_NOT_FOUND when it is not the actor's. */
int pd_session_end_by_id(struct pd_tx *tx, const struct pd_actor *actor, const char *id);

/* Ends every session of the actor except the current one (token). *n: how many ended. */
int pd_session_end_others(struct pd_tx *tx, const struct pd_actor *actor, const char *token,
                          int64_t *n);

/* The actor's sessions, newest first (arena-owned rows, at most max). */
int pd_session_list(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                    struct pd_session_row *out, int max, int *n);

/* --- passwords, reset, settings -------------------------------------------------------------- */

/* Loads the actor's current password hash (for a change: verify, then hash the new one). */
int pd_account_password_hash(struct pd_store *st, const struct pd_actor *actor,
                             struct pd_arena *a, const char **hash);

/* Sets a new password hash for the actor and ends its other sessions (token: the current). */
int pd_account_change_password(struct pd_tx *tx, const struct pd_actor *actor,
                               const char *token, const char *new_hash);

/* Queues a reset link to email when such an account exists (and is usable); does nothing
 * otherwise. Always PD_OK unless the database fails: the answer never says which. */
int pd_account_request_reset(struct pd_tx *tx, const struct pd_keyset *ks, const char *email,
                             const char *lang, const char *base_url);

/* True when token is an unused, unexpired reset token (to show the form). */
int pd_account_reset_valid(struct pd_store *st, const char *token, bool *valid);

/* Uses a reset token: sets the new hash, ends every session and every other reset link, and
 * marks the email verified (the link proved it). PD_ERR_NOT_FOUND for an unknown, used or
 * expired token. */
int pd_account_reset_password(struct pd_tx *tx, const char *token, const char *new_hash);

/* Sets the actor's language ("id" or "en"). */
int pd_account_set_lang(struct pd_tx *tx, const struct pd_actor *actor, const char *lang);

/* Changes the actor's email: sealed anew, unverified until the link sent there is followed;
 * a notice goes to the old address. PD_ERR_INVALID with a field error when the address is
 * malformed or belongs to another account. */
int pd_account_change_email(struct pd_tx *tx, const struct pd_keyset *ks,
                            const struct pd_actor *actor, const char *new_email,
                            const char *base_url, struct pd_field_errors *errs);

/* Adds a NIK to the actor's citizen account, which has none, inside write transaction tx: the
 * checks of registration (pd_nik_check; a NIK bound to another account refused with the words
 * /daftar uses), sealed under the account's key with its blind index, unverified until the
 * village office checks the card; "account.nik_add" audited (ids only). PD_ERR_INVALID with a
 * field error "nik"; PD_ERR_FORBIDDEN for a staff account or one that already holds a NIK (a
 * NIK is changed at the village office only); PD_ERR_NOT_FOUND for an erased account. */
int pd_account_add_nik(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *nik, struct pd_field_errors *errs);

/* True when the actor may file things as a citizen: signed in with a verified email. */
bool pd_account_may_file(const struct pd_actor *actor);

/* --- operators (CLI) ------------------------------------------------------------------------- */

/* Grants role on the unit with this slug to the account with this email; a staff role makes
 * the account staff. PD_ERR_NOT_FOUND (account or unit), PD_ERR_INVALID (role). */
int pd_account_grant(struct pd_tx *tx, const struct pd_keyset *ks, const char *actor,
                     const char *email, const char *role, const char *unit_slug);

/* Disables the account with this email and ends its sessions. */
int pd_account_disable(struct pd_tx *tx, const struct pd_keyset *ks, const char *actor,
                       const char *email);

/* Finds an account id by email (PD_ERR_NOT_FOUND). */
int pd_account_find_email(struct pd_tx *tx, const struct pd_keyset *ks, const char *email,
                          char id[37]);

/* Calls fn for every account in id order with its grants; email is the decrypted address of
 * a staff account when ks is not NULL, and NULL otherwise: a citizen's address stays sealed
 * (reading it would be a read of personal data). */
int pd_account_each(struct pd_store *st, const struct pd_keyset *ks,
                    void (*fn)(const struct pd_account_row *a, const char *email,
                               const struct pd_grant_row *grants, int n_grants, void *arg),
                    void *arg);

#endif
