/* Working-day calendar: Monday to Friday minus national holidays and collective leave
 * (cuti bersama), and the one function that computes due dates for every feature. */
#ifndef PD_CORE_CALENDAR_H
#define PD_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pd_day_kind { PD_DAY_LIBUR = 1, PD_DAY_CUTI_BERSAMA = 2 };

/* Getters never modify a calendar, so any number of threads may read one at the same time;
 * pd_calendar_add/remove/mark_year/load_csv need exclusive access (build, then share). */
struct pd_calendar;

/* A pause: the item was handed back to the citizen at `from_ms` and came back at `to_ms`. */
struct pd_pause {
	int64_t from_ms;
	int64_t to_ms;
};

/* Creates an empty calendar for a time zone given as minutes east of UTC (+420 WIB, +480 WITA,
 * +540 WIT). Caller frees with pd_calendar_free. */
struct pd_calendar *pd_calendar_new(int tz_offset_min);
void pd_calendar_free(struct pd_calendar *cal);

/* Days are counted as days since 1970-01-01 in the calendar's time zone ("civil days"). */
int32_t pd_civil_day(int y, int m, int d);
void pd_civil_from_day(int32_t day, int *y, int *m, int *d);
/* 0 = Monday … 6 = Sunday */
int pd_civil_weekday(int32_t day);

/* Civil day (in the calendar's zone) of a UTC millisecond timestamp. */
int32_t pd_calendar_day_of(const struct pd_calendar *cal, int64_t ms);

/* Marks a day as non-working. Also marks its year as loaded. PD_OK or PD_ERR_INVALID (unknown
 * kind, year outside 1900..9999); PD_ERR_NOMEM when out of memory. Replaces the kind of a day
 * already listed. */
int pd_calendar_add(struct pd_calendar *cal, int32_t day, enum pd_day_kind kind);

/* Removes a day from the non-working list (an administrator's correction). */
void pd_calendar_remove(struct pd_calendar *cal, int32_t day);

/* Marks a year as loaded even when it has no holidays. */
void pd_calendar_mark_year(struct pd_calendar *cal, int year);

/* Loads rows "date,kind,…" (the CSV of data/holidays-id-2026-2027.csv, header line
 * "date,kind,name_id,name_en,source" first; RFC 4180 quoting, LF or CRLF, at most 1 MiB of
 * UTF-8). Dates are YYYY-MM-DD, kinds "libur" or "cuti_bersama"; a date listed twice in one
 * file is a libur when either row says so. Adds to what is loaded already.
 * Returns PD_OK or PD_ERR_INVALID (PD_ERR_NOMEM when out of memory; nothing loaded then). */
int pd_calendar_load_csv(struct pd_calendar *cal, const char *csv, size_t len);

/* True for Monday–Friday that is neither a holiday nor collective leave. */
bool pd_calendar_is_working(const struct pd_calendar *cal, int32_t day);

/* Last loaded year, or 0 when none. */
int pd_calendar_last_year(const struct pd_calendar *cal);

/* True when administrators should be warned that the calendar runs out: from 1 October of the
 * last loaded year on (past it, days are counted Monday to Friday only), local date; also true
 * when no year is loaded at all. */
bool pd_calendar_needs_warning(const struct pd_calendar *cal, int64_t now_ms);

/* Due date of an item received at received_ms with n_days working days to handle it: day 1 is
 * the first working day after the day of receipt; the deadline ends at 23:59:59.999 local time
 * of day n. Each pause moves the due date on by the working days from the day after the item was
 * handed back up to and including the day it returned (pauses simply add up; one that returns
 * on the day it was handed back moves nothing). n_days <= 0 gives the end of the day of
 * receipt; the total is capped at 100000 working days. Returns UTC milliseconds. */
int64_t pd_calendar_due(const struct pd_calendar *cal, int64_t received_ms, int n_days,
                        const struct pd_pause *pauses, size_t n_pauses);

/* Number of working days in (from_day, to_day] — 0 when to_day <= from_day. */
int pd_calendar_working_days_between(const struct pd_calendar *cal, int32_t from_day,
                                     int32_t to_day);

/* The working day n working days after `day` (n >= 0; n = 0 gives day itself; n is capped at
 * 100000). */
int32_t pd_calendar_add_working(const struct pd_calendar *cal, int32_t day, int n);

/* Iterates the non-working days of a year in order (weekend ones included); returns how many
 * were written to out (at most max; out_kinds may be NULL). */
size_t pd_calendar_list_year(const struct pd_calendar *cal, int year, int32_t *out_days,
                             enum pd_day_kind *out_kinds, size_t max);

#endif
