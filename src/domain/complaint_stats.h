/* The public side of complaints beyond the list: full-text search over the public copy,
 * similar open complaints offered while filing, and the per-unit figures of
 * /pengaduan/statistik (with the small pure functions they are computed with). */
#ifndef PD_DOMAIN_COMPLAINT_STATS_H
#define PD_DOMAIN_COMPLAINT_STATS_H

/* Rules (tested in tests/unit/test_complaint_stats.c and tests/http/test_pengaduan_*.py).
 * - Search finds words of the PUBLIC COPY only (public title, public text, the public answer),
 *   stemmed with Snowball's Indonesian stemmer exactly as the service catalogue does
 *   (core/stem.h): "perbaikan" finds "diperbaiki". The index (migration 0017) holds one row per
 *   complaint and version; a row counts only while the complaint still has that version and is
 *   published, so a held, confidential or withdrawn complaint is never found, and a public copy
 *   edited since it was indexed is not found by its old words. The index is brought up to date
 *   before a search (pd_complaint_search_pending / pd_complaint_search_refresh_tx).
 * - Similar complaints: open (new, needs_info, dispositioned, reopened), published, the same
 *   category, and either the same village or, when the citizen gave a location, within
 *   PD_COMPLAINT_NEAR_M metres of it (equirectangular distance); most supported first.
 * - Figures, per owner unit (the unit handling it now), over the complaints RECEIVED in the
 *   period (a calendar year, or the last 365 days), every visibility counted (confidential ones
 *   as numbers only):
 *     received  — filed in the period;
 *     answered  — of those, answered (answered_ms set);
 *     within    — of those answered, answered_ms <= due_ms: the deadline that was running when
 *                 the unit answered (answering never moves due_ms);
 *     share     — within / answered, in tenths of a percent;
 *     median    — the median of the WORKING DAYS from the day of filing to the day of the
 *                 answer (pd_calendar_working_days_between: an answer on the day of filing is 0;
 *                 weekends and holidays do not count), shown only from PD_CSTATS_MEDIAN_MIN
 *                 answers on (fewer: "—", small numbers);
 *     open      — of those received, still open now;
 *     overdue   — of the open ones, flagged overdue or past their due date now (not while the
 *                 reporter is asked for more: that clock is paused).
 *   Rolled up, every unit inside a top-level agency (an agency whose parent is no agency)
 *   counts for that agency; other units (villages, districts) stay as they are. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "domain/complaint.h"
#include "store/store.h"

#define PD_COMPLAINT_Q_MAX 200        /* bytes of a search query */
#define PD_COMPLAINT_Q_WORDS 8        /* words of a query kept */
#define PD_COMPLAINT_REFRESH_MAX 500  /* complaints indexed by one refresh */
#define PD_COMPLAINT_SIMILAR_MAX 5    /* similar complaints offered */
#define PD_COMPLAINT_NEAR_M 1000      /* "nearby": within this many metres */
#define PD_CSTATS_MEDIAN_MIN 10       /* fewest answers a median is shown for */
#define PD_CSTATS_UNITS_MAX 500       /* most units in the figures */
#define PD_CSTATS_TIMES_MAX 200000    /* most answer times read for the medians */

/* --- pure functions -------------------------------------------------------------------------- */

/* The median of n values sorted ascending, in tenths (the mean of the two middle values when n
 * is even, rounded half away from zero to a tenth); -1 when n is 0. */
int64_t pd_cstats_median_x10(const int64_t *sorted, size_t n);

/* part / whole in tenths of a percent (rounded half up; 1000 = 100 %), -1 when whole <= 0. */
int64_t pd_cstats_share_x10(int64_t part, int64_t whole);

/* Working days from the day of created_ms to the day of answered_ms in cal (weekdays only when
 * cal is NULL, days in UTC+7); 0 for an answer on the same day or earlier. */
int64_t pd_cstats_answer_days(const struct pd_calendar *cal, int64_t created_ms,
                              int64_t answered_ms);

/* The period [since, until) in UTC ms: the calendar year `year` in the time zone tz_offset_min
 * (minutes east of UTC), or, for year 0, the 365 days up to now_ms (until = now_ms + 1).
 * PD_ERR_INVALID for a year outside 2000..2100. */
int pd_cstats_period(int year, int64_t now_ms, int tz_offset_min, int64_t *since,
                     int64_t *until);

/* Distance in metres between two points in micro-degrees (equirectangular approximation, good
 * to well under 1 % at the distances compared here). */
int64_t pd_complaint_distance_m(int64_t lat1_e6, int64_t lon1_e6, int64_t lat2_e6,
                                int64_t lon2_e6);

/* --- search ---------------------------------------------------------------------------------- */

/* Published complaints matching every word of q (stemmed) and the filters f, newest first,
 * keyset as pd_complaint_list_public; summary fields only (as the list). q NULL, "" or without
 * a word: the plain public list. PD_ERR_INVALID for a malformed status or a query longer than
 * PD_COMPLAINT_Q_MAX bytes or not UTF-8. */
int pd_complaint_search(struct pd_store *st, const struct pd_complaint_filter *f, const char *q,
                        int64_t after_ms, const char *after_id, struct pd_arena *a,
                        struct pd_complaint *out, int max, int *n);

/* True (in *out) when some published complaint's index row is missing or out of date: a cheap
 * read, so that the write below is queued only when needed. */
int pd_complaint_search_pending(struct pd_store *st, bool *out);

/* A write-transaction body (pd_tx_fn; arg unused, may be NULL) that indexes up to
 * PD_COMPLAINT_REFRESH_MAX published complaints whose row is missing or out of date. Writes
 * no audit entry: the index holds only stems of text that is public already. */
int pd_complaint_search_refresh_tx(struct pd_tx *tx, void *arg);

/* --- similar complaints ---------------------------------------------------------------------- */

struct pd_complaint_near {
	struct pd_complaint c;   /* summary fields, as the list */
	int64_t distance_m;      /* -1 when either side has no location */
	bool same_village;
};

/* Up to max (≤ PD_COMPLAINT_SIMILAR_MAX) similar complaints (see the rules above) for the
 * category code and village slug (may be NULL) or the location (has_location). Nothing (n 0)
 * without a category, or without both a village and a location. PD_ERR_INVALID for a location
 * out of range. */
int pd_complaint_similar(struct pd_store *st, const char *category_code,
                         const char *village_slug, bool has_location, int64_t lat_e6,
                         int64_t lon_e6, struct pd_arena *a, struct pd_complaint_near *out,
                         int max, int *n);

/* --- figures --------------------------------------------------------------------------------- */

struct pd_cstats_query {
	int year;             /* a calendar year, or 0: the last 365 days */
	bool rollup;          /* per top-level agency instead of per owner unit */
	int64_t now_ms;       /* 0: the clock */
	int tz_offset_min;    /* the installation's time zone (minutes east of UTC) */
	const struct pd_calendar *cal;  /* for working days (may be NULL: weekdays only) */
};

struct pd_cstats_row {
	const char *unit_slug, *unit_name;
	int64_t received, answered, within, open, overdue;
	int64_t share_x10;    /* within / answered, tenths of a percent; -1: nothing answered */
	int64_t median_x10;   /* tenths of working days; -1: fewer than PD_CSTATS_MEDIAN_MIN */
	int64_t n_times;      /* answers the median is over */
};

struct pd_cstats {
	int64_t since_ms, until_ms;
	struct pd_cstats_row *rows;   /* by unit path (rolled up: by the agency's path) */
	int n;
	struct pd_cstats_row total;   /* the whole installation (its median over every answer) */
	bool truncated;               /* more units or answers than the limits: figures partial */
};

/* The figures for q (arena-owned). PD_ERR_INVALID for a year out of range. Public: counts
 * only, nothing of any complaint's content. */
int pd_complaint_stats(struct pd_store *st, const struct pd_cstats_query *q, struct pd_arena *a,
                       struct pd_cstats *out);

#endif
