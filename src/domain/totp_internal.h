/* Helpers shared by the files of the TOTP domain only (totp.c, totp_policy.c, signin_totp.c). */
#ifndef PD_DOMAIN_TOTP_INTERNAL_H
#define PD_DOMAIN_TOTP_INTERNAL_H

#include "domain/totp.h"

/* Checks code (a TOTP code, or a recovery code when it has their form) for account_id with an
 * active secret: advances the last step or spends the recovery code. A reuse is audited
 * (committed with tx, so the caller must not fail tx for a wrong code). *ok, *replay and
 * *recovery (may be NULL) say what happened. */
int pd_totp_verify_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                      const char *code, bool *ok, bool *replay, bool *recovery);

/* Creates a pending secret for account_id unless one exists (pending or active). */
int pd_totp_ensure_pending(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id);

/* Confirms account_id's pending secret with code: as pd_totp_confirm without access checks. */
int pd_totp_confirm_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                       const char *code, struct pd_totp_confirmed *out);

/* Reads account_id's pending secret and email (label) into out. */
int pd_totp_pending_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                       struct pd_arena *a, struct pd_totp_enrolment *out);

#endif
