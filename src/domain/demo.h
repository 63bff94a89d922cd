/* The demo installation: the fictional Kabupaten Sukamaju. */
#ifndef PD_DOMAIN_DEMO_H
#define PD_DOMAIN_DEMO_H

#include <stdbool.h>

#include "core/config.h"
#include "store/store.h"

/* Creates the demo regency when the database holds no unit yet; *created says whether it did.
 * Demo records are dated across the 12 months before now. */
int pd_demo_create(struct pd_store *st, const struct pd_config *cfg, bool *created);

/* Adds one account for each role on units of the demo regency and a few citizens, hashing
 * generated passwords, and writes them to <data>/demo-accounts.txt (mode 0600) as TSV
 * `role unit email password` with a header; prints where. Called by pd_demo_create. */
int pd_demo_accounts(struct pd_store *st, const struct pd_config *cfg);

#endif
