/* Storage of the working-day calendar: holidays, collective leave and the loaded years. */
#ifndef PD_STORE_CALENDAR_STORE_H
#define PD_STORE_CALENDAR_STORE_H

#include <stdint.h>

#include "store/store.h"

struct pd_holiday {
	int32_t day;  /* civil day number */
	const char *date, *kind, *name_id, *name_en, *source;
};

/* Inserts or replaces a holiday. */
enum pd_qs pd_store_holiday_put(struct pd_tx *tx, const struct pd_holiday *h, int64_t now_ms);

/* Removes a holiday; PD_QS_NONE when there was none. */
enum pd_qs pd_store_holiday_delete(struct pd_tx *tx, int32_t day);

/* Marks a year loaded unless it already is; PD_QS_ONE when newly marked. */
enum pd_qs pd_store_calendar_year_mark(struct pd_tx *tx, int year, int64_t now_ms);

/* Calls fn for every holiday in day order and every loaded year. */
enum pd_qs pd_store_holiday_each(struct pd_tx *tx, void (*fn)(const struct pd_holiday *h, void *arg),
                                 void *arg);
enum pd_qs pd_store_calendar_years(struct pd_tx *tx, void (*fn)(int year, void *arg), void *arg);

/* The holiday on civil day `day` into out (strings copied into a, or the transaction's arena
 * when a is NULL); PD_QS_NONE when the day is a working day as far as the list goes. */
enum pd_qs pd_store_holiday_get(struct pd_tx *tx, int32_t day, struct pd_arena *a,
                                struct pd_holiday *out);

/* PD_QS_ONE when the year is marked loaded, PD_QS_NONE when not. */
enum pd_qs pd_store_calendar_year_exists(struct pd_tx *tx, int year);

/* The calendar generation (meta 'calendar_generation', 0 when never bumped) that running
 * servers watch to reload their calendar; bump adds one in the caller's write transaction. */
enum pd_qs pd_store_calendar_generation(struct pd_tx *tx, int64_t *out);
enum pd_qs pd_store_calendar_bump_generation(struct pd_tx *tx);

#endif
