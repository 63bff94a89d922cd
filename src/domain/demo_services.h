/* The demo installation's service catalogue (Kabupaten Sukamaju). */
#ifndef PD_DOMAIN_DEMO_SERVICES_H
#define PD_DOMAIN_DEMO_SERVICES_H

#include "store/store.h"

/* Adds the demo services with their Standar Pelayanan to the units of the demo regency (which
 * must exist), as the system actor with audit entries. Returns PD_OK or the first error
 * (logged). Called by pd_demo_create after the units. */
int pd_demo_services(struct pd_store *st);

#endif
