/* Helpers shared by the files of information requests only (inforeq.c, inforeq_read.c). */
#ifndef PD_DOMAIN_INFOREQ_INTERNAL_H
#define PD_DOMAIN_INFOREQ_INTERNAL_H

#include "domain/inforeq.h"
#include "store/inforeq_store.h"

/* Loads request id (NOT_FOUND for a malformed or unknown id). Strings in the tx arena. */
int pd_irq_load(struct pd_tx *tx, const char *id, struct pd_irq_row *r);

/* Staff rules (the requester is no staff here): PD_OK when actor may do action on r;
 * PD_ERR_FORBIDDEN when the actor may see r (ppid or ppid_superior covering its unit) but not
 * do it; PD_ERR_NOT_FOUND otherwise. */
int pd_irq_staff_access(const struct pd_actor *actor, enum pd_action action,
                        const struct pd_irq_row *r);

/* True when actor is r's requester (a signed-in citizen). */
bool pd_irq_is_requester(const struct pd_actor *actor, const struct pd_irq_row *r);

/* The requester's subject key. Wipe after. */
int pd_irq_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_irq_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES]);

/* Fills out from r (strings borrowed from r / copied into a); sealed fields not opened. */
void pd_irq_from_row(const struct pd_irq_row *r, struct pd_arena *a, struct pd_inforeq *out);

/* Opens the sealed fields of r into out. */
int pd_irq_open(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_irq_row *r,
                struct pd_arena *a, struct pd_inforeq *out);

/* Loads events and files of out->id into out. */
int pd_irq_details(struct pd_tx *tx, const struct pd_keyset *ks, struct pd_arena *a,
                   struct pd_inforeq *out);

/* Sets the may_* members for actor at now. */
void pd_irq_options(const struct pd_actor *actor, const struct pd_calendar *cal, int64_t now,
                    const struct pd_irq_row *r, struct pd_inforeq *out);

#endif
