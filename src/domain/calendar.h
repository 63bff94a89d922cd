/* The installation's working-day calendar: seeded with the national decrees in every
 * installation, editable by administrators, loaded into memory for due-date computation. */
#ifndef PD_DOMAIN_CALENDAR_H
#define PD_DOMAIN_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/calendar_live.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/store.h"

/* Adds the embedded national holidays and collective leave (data/holidays-id-*.csv) for years
 * not loaded yet; a year an administrator already edited is left alone. Idempotent. */
int pd_calendar_seed(struct pd_store *st);

/* Builds the in-memory calendar from the database. Caller frees with pd_calendar_free. */
int pd_calendar_from_store(struct pd_store *st, int tz_offset_min, struct pd_calendar **out);

/* The same, with the calendar generation the rows were read at (read first, in the same
 * transaction, so the calendar is never older than the generation it is published with). */
int pd_calendar_load(struct pd_store *st, int tz_offset_min, struct pd_calendar **out,
                     int64_t *generation);

/* Reads the calendar generation (one small query) and, when it differs from the published
 * one, builds the calendar afresh and publishes it in live (DESIGN §3: a node's cache checks a
 * generation counter in the database). Called about once a second by the server's main loop,
 * and by a request that must not answer from a calendar older than a write it could have seen;
 * concurrent callers wait for one reload. PD_OK, or the database error (the published calendar
 * then stays in use; logged once per generation). */
int pd_calendar_maybe_reload(struct pd_store *st, struct pd_calendar_live *live);

/* --- administration (calendar_admin.c, /admin/kalender) ------------------------------------- */

/* Who may do what with the calendar. Holidays and collective leave are national, so only an
 * administrator of a unit at the top of the tree (a unit with no parent; pd_authz with
 * PD_ACT_CONFIGURE on that unit) edits them: PD_OK. Every other administrator may see the
 * calendar, since the deadlines of the services they configure count by it, but not change it:
 * PD_ERR_FORBIDDEN. Anyone else (other staff, citizens, anonymous): PD_ERR_NOT_FOUND. */
int pd_calendar_access(const struct pd_actor *actor);

/* The year whose calendar administrators must be told is missing, or 0: for an actor holding
 * an administrator grant anywhere, when pd_calendar_needs_warning(cal, now_ms) — the last
 * loaded year plus one (the current year when none is loaded). */
int pd_calendar_warning_year(const struct pd_actor *actor, const struct pd_calendar *cal,
                             int64_t now_ms);

/* One non-working day as administrators see it (strings arena-owned). */
struct pd_calendar_day {
	int32_t day;        /* civil day */
	const char *date;   /* "YYYY-MM-DD" */
	int weekday;        /* 0 = Monday … 6 = Sunday */
	const char *kind;   /* "libur" or "cuti_bersama" */
	const char *name_id, *name_en, *source;
};

/* A loaded year with its non-working days in date order. */
struct pd_calendar_year_view {
	int year;
	struct pd_calendar_day *days;
	int n_days;
	int n_working;      /* working days of the whole year */
};

/* The calendar as the database holds it now, read in one transaction. */
struct pd_calendar_view {
	bool may_edit;
	struct pd_calendar_year_view *years;  /* in year order */
	int n_years;
	int64_t generation;
	const struct pd_calendar *cal;        /* built from the same rows, for sample due dates;
	                                       * freed with the arena */
};

/* Reads the calendar for actor (pd_calendar_access: PD_OK and PD_ERR_FORBIDDEN may view,
 * with may_edit set accordingly; PD_ERR_NOT_FOUND otherwise). Everything arena-owned. */
int pd_calendar_view(struct pd_store *st, const struct pd_actor *actor, int tz_offset_min,
                     struct pd_arena *a, struct pd_calendar_view *out);

#define PD_CALENDAR_NAME_MAX 200    /* code points of a day's name */
#define PD_CALENDAR_SOURCE_MAX 300  /* code points of the decree it comes from */

/* A day to add or change, as typed (every field may be NULL or ""). */
struct pd_calendar_day_input {
	const char *date;     /* YYYY-MM-DD, in a loaded year */
	const char *kind;     /* "libur" or "cuti_bersama" */
	const char *name_id;  /* required */
	const char *name_en;  /* "" or NULL: the Indonesian name */
	const char *source;   /* the decree; optional */
};

/* Adds the day or replaces the one on that date, inside the caller's write transaction:
 * access first (PD_ERR_NOT_FOUND / PD_ERR_FORBIDDEN as pd_calendar_access), then the fields
 * (PD_ERR_INVALID with messages in errs on "date", "kind", "name_id", "name_en", "source";
 * nothing written), then the row, a new calendar generation and the audit entry
 * "calendar.day_put" (details: date, kind, previous kind or null). */
int pd_calendar_day_put(struct pd_tx *tx, const struct pd_actor *actor,
                        const struct pd_calendar_day_input *in, struct pd_field_errors *errs);

/* Makes the day a working day again, as pd_calendar_day_put: PD_ERR_INVALID with a message on
 * "date" for a malformed date or one not in the list; audit entry "calendar.day_remove". */
int pd_calendar_day_remove(struct pd_tx *tx, const struct pd_actor *actor, const char *date,
                           struct pd_field_errors *errs);

/* Marks a year loaded — its deadlines count by the calendar's list from then on, even while the
 * list is still empty — as pd_calendar_day_put: PD_ERR_INVALID with a message on "year" unless
 * it is four digits from 2000 to five years after the current one (now_ms) and not loaded yet;
 * audit entry "calendar.year_load". */
int pd_calendar_year_load(struct pd_tx *tx, const struct pd_actor *actor, const char *year,
                          int64_t now_ms, struct pd_field_errors *errs);

#endif
