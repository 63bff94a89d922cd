/* The demo installation: the fictional Kabupaten Sukamaju. */
#ifndef PD_DOMAIN_DEMO_H
#define PD_DOMAIN_DEMO_H

#include <stdbool.h>

#include "core/config.h"
#include "store/store.h"

/* Creates the demo regency when the database holds no unit yet; *created says whether it did.
 * Demo records are dated across the 12 months before now. */
int pd_demo_create(struct pd_store *st, const struct pd_config *cfg, bool *created);

#endif
