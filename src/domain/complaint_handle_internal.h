/* Helpers shared by the files of complaint handling only (complaint_handle.c,
 * complaint_handle_read.c). */
#ifndef PD_DOMAIN_COMPLAINT_HANDLE_INTERNAL_H
#define PD_DOMAIN_COMPLAINT_HANDLE_INTERNAL_H

#include "domain/complaint_handle.h"
#include "store/complaint_store.h"

/* Loads complaint id (NOT_FOUND for a malformed or unknown id). */
int pd_cmh_load(struct pd_tx *tx, const char *id, struct pd_cmp_row *r);

/* PD_OK when actor may do action on r; PD_ERR_FORBIDDEN when the actor may see r (case staff
 * of its unit) but not do it; PD_ERR_NOT_FOUND otherwise. */
int pd_cmh_access(const struct pd_actor *actor, enum pd_action action, const struct pd_cmp_row *r);

/* The key r's sealed fields are under (its own, else its reporter's). Wipe after. */
int pd_cmh_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_cmp_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES]);

/* Appends a timeline event of r (its current status) by c's actor (NULL/system: the system):
 * unit_id the unit it went to (or NULL), public_note shown publicly (or NULL), note sealed
 * under key (both may be NULL). */
int pd_cmh_event(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                 const char *kind, bool by_staff, const char *unit_id, const char *public_note,
                 const char *note, const unsigned char *key);

/* The audit entry action about r (object "complaint", its unit; no subject for anonymous). */
int pd_cmh_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                 const char *action, const char *details);

/* A portal notification (kind, r's status) for account_id, and its mail to email in lang
 * (email NULL or c->quiet: none). lead is the mail's first paragraph (a msgid). */
int pd_cmh_notify_account(struct pd_tx *tx, const struct pd_app_ctx *c,
                          const struct pd_cmp_row *r, const char *account_id, const char *kind,
                          const char *lead, const char *path);

/* Notifies r's reporter of kind: the account (portal + mail) or the sealed contact email. */
int pd_cmh_notify_reporter(struct pd_tx *tx, const struct pd_app_ctx *c,
                           const struct pd_cmp_row *r, const char *kind);

/* The reporter check: signed-in reporter account, or the follow-up token's holder. */
bool pd_cmh_is_reporter(const struct pd_actor *actor, const char *token,
                        const struct pd_cmp_row *r);

#endif
