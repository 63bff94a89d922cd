/* The demo installation's service catalogue (Kabupaten Sukamaju). */
#ifndef PD_DOMAIN_DEMO_SERVICES_H
#define PD_DOMAIN_DEMO_SERVICES_H

#include <jansson.h>

#include "store/store.h"

/* Adds the demo services with their complete Standar Pelayanan, read from the embedded
 * data/demo-services.json, to the units of the demo regency (which must exist), as the system
 * actor with audit entries. Returns PD_OK or the first error (logged). Called by
 * pd_demo_create after the units. */
int pd_demo_services(struct pd_store *st);

/* Parses the embedded file name (e.g. "data/demo-services.json") into *out, a JSON object the
 * caller releases with json_decref. PD_ERR_NOT_FOUND when not embedded, PD_ERR_INVALID when it
 * is not a JSON object (both logged). */
int pd_demo_load_json(const char *name, json_t **out);

/* Saves the application form of each demo service (data/demo-forms.json) as its version 1 and
 * the Maklumat Pelayanan of the units owning services, as the system, with audit entries, in
 * one write transaction. Returns PD_OK or the first error (logged). Called after
 * pd_demo_services. */
int pd_demo_forms(struct pd_store *st);

#endif
