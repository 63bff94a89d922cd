/* What the open-data interfaces (the CKAN Action API and the DCAT-AP catalogue) need from the
 * domain beyond domain/dataset.h. */
#ifndef PD_DOMAIN_CKAN_H
#define PD_DOMAIN_CKAN_H

#include "core/arena.h"
#include "domain/dataset.h"
#include "store/store.h"

/* The publisher of the whole catalogue: the installation's top unit (the regency or city, else
 * the first root), the same unit the generated datasets belong to, into *out (arena-owned).
 * PD_ERR_NOT_FOUND when there are no units. */
int pd_opendata_publisher(struct pd_store *st, struct pd_arena *a, struct pd_dataset_unit *out);

#endif
