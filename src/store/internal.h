/* Declarations shared by the files of store/ only. */
#ifndef PD_STORE_INTERNAL_H
#define PD_STORE_INTERNAL_H

#include "store/driver.h"
#include "store/store.h"

const struct pd_driver *pd_store_driver(const struct pd_store *st);

#endif
