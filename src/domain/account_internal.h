/* Helpers shared by the files of the account domain only (account.c, signin.c, account_admin.c,
 * account_settings.c, privacy.c, nik_desk.c, totp.c, totp_policy.c, signin_totp.c). */
#ifndef PD_DOMAIN_ACCOUNT_INTERNAL_H
#define PD_DOMAIN_ACCOUNT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/crypto.h"
#include "domain/account.h"

#define PD_TOKEN_HASH_BYTES 32

/* A fresh 256-bit token as base64url text (43 characters) and the hash that is stored. */
void pd_acct_token_new(char text[PD_SESSION_TOKEN_LEN + 1], unsigned char hash[PD_TOKEN_HASH_BYTES]);

/* The stored hash of a token's text; false when the text is not a well-formed token. */
bool pd_acct_token_hash(const char *text, unsigned char hash[PD_TOKEN_HASH_BYTES]);

/* Normalises email and computes its blind index ("email"). norm may be NULL. PD_ERR_INVALID
 * for an address that does not normalise. */
int pd_acct_email_index(const struct pd_keyset *ks, const char *email,
                        unsigned char out[PD_CRYPTO_BLIND_BYTES], char *norm, size_t normlen);

/* The NIK checks of registration, shared by adding a NIK on /akun: normalises in (pd_nik_check)
 * into nik and district, computes its blind index ("nik") into bidx and looks inside tx for an
 * account holding it. PD_ERR_INVALID with a field error "nik" (the messages registration shows)
 * when in is malformed or already bound to an account; PD_ERR_CRYPTO; a storage error. */
int pd_acct_nik_claim(struct pd_tx *tx, const struct pd_keyset *ks, const char *in, char nik[17],
                      char district[7], unsigned char bidx[PD_CRYPTO_BLIND_BYTES],
                      struct pd_field_errors *errs);

/* "account:<id>" in arena a, the audit actor of an account. */
const char *pd_acct_audit_actor(struct pd_arena *a, const char *account_id);

/* Appends an audit entry about account id (subject id too) with actor (NULL: the account). */
int pd_acct_audit(struct pd_tx *tx, const char *actor, const char *action, const char *id);

/* Queues a plain mail in lang: subject msgid, then each msgid paragraph translated, with url
 * (may be NULL) on a line of its own after the first paragraph. */
int pd_acct_mail(struct pd_tx *tx, const char *to, const char *lang, const char *subject,
                 const char *para1, const char *url, const char *para2);

/* Issues a one-time token of kind for account id expiring ttl_ms from now; text receives it. */
int pd_acct_token_issue(struct pd_tx *tx, const char *kind, const char *id, int64_t ttl_ms,
                        char text[PD_SESSION_TOKEN_LEN + 1]);

#endif
