/* The installation's working-day calendar: seeded with the national decrees in every
 * installation, editable by administrators, loaded into memory for due-date computation. */
#ifndef PD_DOMAIN_CALENDAR_H
#define PD_DOMAIN_CALENDAR_H

#include "core/calendar.h"
#include "store/store.h"

/* Adds the embedded national holidays and collective leave (data/holidays-id-*.csv) for years
 * not loaded yet; a year an administrator already edited is left alone. Idempotent. */
int pd_calendar_seed(struct pd_store *st);

/* Builds the in-memory calendar from the database. Caller frees with pd_calendar_free. */
int pd_calendar_from_store(struct pd_store *st, int tz_offset_min, struct pd_calendar **out);

#endif
