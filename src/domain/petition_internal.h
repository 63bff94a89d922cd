/* Helpers shared by the petition files of domain/ (petition.c, petition_read.c). */
#ifndef PD_DOMAIN_PETITION_INTERNAL_H
#define PD_DOMAIN_PETITION_INTERNAL_H

#include "core/crypto.h"
#include "domain/petition.h"

/* Loads petition id into r (transaction's arena). PD_ERR_NOT_FOUND for a malformed or unknown
 * id; the transaction's error. */
int pd_pet_load(struct pd_tx *tx, const char *id, struct pd_pet_row *r);

/* The author's subject key (PD_ERR_NOT_FOUND once erased). Wipe key after. */
int pd_pet_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_pet_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES]);

/* True when actor is staff allowed action on r's unit (or the system). */
bool pd_pet_may(const struct pd_actor *actor, enum pd_action action, const struct pd_pet_row *r);

/* True when actor may publish the unit's answer: PD_ACT_CASE_WORK or PD_ACT_MODERATE. */
bool pd_pet_may_answer(const struct pd_actor *actor, const struct pd_pet_row *r);

/* Appends the audit entry action about r (object petition, subject its author). */
int pd_pet_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_pet_row *r,
                 const char *action, const char *details);

#endif
