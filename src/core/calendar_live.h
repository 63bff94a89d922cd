/* The running server's working-day calendar: one immutable calendar published at a time and
 * swapped atomically when administrators edit it, each kept alive until its last reader is done. */
#ifndef PD_CORE_CALENDAR_LIVE_H
#define PD_CORE_CALENDAR_LIVE_H

#include <stdint.h>

#include "core/calendar.h"

struct pd_calendar_live;

/* Creates a holder publishing cal (ownership passes to the holder; it must not be modified any
 * more) as built from the database at calendar generation `generation`. tz_offset_min is the
 * zone the calendars of this holder are built for (pd_calendar_new). Caller frees with
 * pd_calendar_live_free. Returns NULL when out of memory (cal is then freed). */
struct pd_calendar_live *pd_calendar_live_new(struct pd_calendar *cal, int64_t generation,
                                              int tz_offset_min);

/* Frees the holder and every calendar it still holds. No reader may hold one any more. */
void pd_calendar_live_free(struct pd_calendar_live *live);

/* The calendar published now, for reading. The caller must hand it back with
 * pd_calendar_live_release; until then it stays valid and unchanged even when a newer one is
 * published. Never NULL. Any number of threads may hold calendars at the same time. */
const struct pd_calendar *pd_calendar_live_acquire(struct pd_calendar_live *live);

/* Hands back a calendar got from pd_calendar_live_acquire; a calendar that was replaced is
 * freed when its last reader hands it back. */
void pd_calendar_live_release(struct pd_calendar_live *live, const struct pd_calendar *cal);

/* Publishes cal (ownership passes to the holder) built at `generation`; readers acquiring from
 * now on get it, readers holding the previous one keep theirs. */
void pd_calendar_live_publish(struct pd_calendar_live *live, struct pd_calendar *cal,
                              int64_t generation);

/* The generation of the calendar published now. */
int64_t pd_calendar_live_generation(struct pd_calendar_live *live);

/* The time zone the holder's calendars are built for (minutes east of UTC). */
int pd_calendar_live_tz(const struct pd_calendar_live *live);

#endif
