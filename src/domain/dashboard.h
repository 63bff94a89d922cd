/* The performance dashboards of issue #6: the public /dasbor (one unit's subtree or the whole
 * installation, over a period) and the staff view with monthly trends, built from the
 * applications, complaints and satisfaction figures the platform already holds.
 *
 * Definitions (the page explains them too; tests/http/test_dasbor*.py recompute them):
 * - The period is the last 12 months (the running month and the 11 before it, in the
 *   installation's time zone), a calendar year or a quarter; every figure is over the records
 *   RECEIVED in it (a cohort), its "now" figures (open, overdue) as they stand now.
 * - Applications count for the unit that provides the service (owner unit in the subtree);
 *   drafts never count. finished: approved or rejected; within: decided no later than the due
 *   date (which moves with a return for correction); median: the working days from the day of
 *   submission to the day of the decision (pd_cstats_answer_days), shown from
 *   PD_DASH_MEDIAN_MIN finished applications on; open: submitted, processing or returned;
 *   overdue: submitted or processing, flagged or past the due date now; assisted: filed by an
 *   officer at a counter for the citizen.
 * - Complaints count for the unit handling them and for the village where they happened (owner
 *   unit or place in the subtree): received, answered, answered within the deadline, open, and
 *   the median working days to an answer (from PD_DASH_MEDIAN_MIN answers on).
 * - IKM: the published figures (domain/survey.h) of the newest closed quarter that ends in the
 *   period, for the units of the subtree; withheld figures stay withheld. */
#ifndef PD_DOMAIN_DASHBOARD_H
#define PD_DOMAIN_DASHBOARD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "domain/authz.h"
#include "domain/survey.h"
#include "store/store.h"

#define PD_DASH_MEDIAN_MIN 10      /* fewest finished records a median is shown for */
#define PD_DASH_SERVICES_MAX 500   /* most services in a dashboard */
#define PD_DASH_GROUPS_MAX 500     /* most categories or villages */
#define PD_DASH_TIMES_MAX 200000   /* most records read for medians and trends */
#define PD_DASH_MONTHS_MAX 12      /* the longest period, in months */
#define PD_DASH_TOP 5              /* "most complaints", "slowest services" on the staff view */

enum pd_dash_period_kind { PD_DASH_LAST12, PD_DASH_YEAR, PD_DASH_QUARTER };

/* A period: [since_ms, until_ms) in UTC, and the months it spans (first_year, first_month
 * 1..12, n_months). */
struct pd_dash_period {
	enum pd_dash_period_kind kind;
	int year, quarter;          /* PD_DASH_YEAR / PD_DASH_QUARTER */
	int64_t since_ms, until_ms;
	int first_year, first_month, n_months;
};

/* Parses a period as the filter writes it: NULL or "" (the last 12 months up to now_ms),
 * "2026" (a year), "2026-T3" (a quarter, T1..T4), in the time zone tz_offset_min minutes east
 * of UTC. PD_ERR_INVALID for anything else or a year outside 2000..2100. */
int pd_dash_period_parse(const char *s, int64_t now_ms, int tz_offset_min,
                         struct pd_dash_period *out);

/* The filter's spelling of a period ("" for the last 12 months, "2026", "2026-T3"), written
 * into buf (at least 16 bytes). Returns buf. */
char *pd_dash_period_name(const struct pd_dash_period *p, char *buf, int len);

/* The applications of one service (or, as the total, of all). */
struct pd_dash_service {
	const char *id, *slug, *name, *unit_id, *unit_slug, *unit_name;
	int64_t promised_days;
	int64_t received, finished, within, open, overdue, assisted;
	int64_t share_x10;    /* within / finished, tenths of a percent; -1: nothing finished */
	int64_t median_x10;   /* tenths of working days; -1: fewer than PD_DASH_MEDIAN_MIN */
	int64_t n_times;      /* finished applications the median is over */
};

/* Complaints of one category or village (or the total). */
struct pd_dash_group {
	const char *key, *name;  /* category code / village slug ("" : without a village) */
	int64_t received, answered, within, open;
	int64_t share_x10, median_x10, n_times;
};

/* One month of the trend: the records received in it, and how many of them are finished. */
struct pd_dash_month {
	int year, month;
	int64_t app_received, app_finished, app_within, cmp_received, cmp_answered, info_received;
};

/* Information requests of one unit (or the total), from the PPID figures (domain/inforeq.h),
 * summed over the months of the period. */
struct pd_dash_info {
	const char *slug, *name;
	int64_t received, answered, on_time, open, overdue, objections;
	int64_t share_x10;    /* on_time / answered, tenths of a percent; -1: nothing answered */
};

struct pd_dash_ikm {
	const char *slug, *name;
	struct pd_survey_figure f;
};

struct pd_dashboard {
	const char *unit_slug, *unit_name, *unit_path;  /* NULL slug: the whole installation */
	struct pd_dash_period period;
	struct pd_dash_service *services;  /* by name */
	int n_services;
	struct pd_dash_service apps;       /* all services together */
	struct pd_dash_group *categories, *villages;  /* by name */
	int n_categories, n_villages;
	struct pd_dash_group complaints;   /* all complaints together */
	struct pd_dash_month months[PD_DASH_MONTHS_MAX];
	int n_months;
	int ikm_year, ikm_quarter;         /* 0: no closed quarter in the period */
	struct pd_dash_ikm *ikm;           /* units of the subtree with published responses */
	int n_ikm;
	struct pd_dash_ikm *ikm_services;  /* the services of those units, as published */
	int n_ikm_services;
	bool info_available;               /* false: the PPID figures could not be read */
	struct pd_dash_info *info;         /* units with requests, by path */
	int n_info;
	struct pd_dash_info info_total;
	bool truncated;                    /* limits reached: figures partial */
};

struct pd_dash_query {
	const char *unit_slug;              /* NULL or "": the whole installation */
	struct pd_dash_period period;
	int64_t now_ms;
	int tz_offset_min;
	const struct pd_calendar *cal;      /* working days (NULL: weekdays only) */
};

/* The public dashboard (anyone may read it: counts, shares and medians only). Everything
 * arena-owned. PD_ERR_NOT_FOUND for an unknown unit. */
int pd_dashboard_load(struct pd_store *st, const struct pd_dash_query *q, struct pd_arena *a,
                      struct pd_dashboard *out);

/* Adds the information-request figures of out's unit and period to out (info_*, months'
 * info_received); called by pd_dashboard_load. A failure to read them leaves
 * out->info_available false and is not an error. */
void pd_dashboard_load_info(struct pd_store *st, const struct pd_dash_query *q,
                            struct pd_arena *a, struct pd_dashboard *out);

/* The staff dashboard: the same for a unit in one of actor's grants' subtrees (any staff
 * role). q->unit_slug NULL or "": the unit of the actor's first grant with the shortest path.
 * PD_ERR_NOT_FOUND for a citizen or anonymous actor, an unknown unit or one outside every
 * grant. The unit chosen is out->unit_slug. */
int pd_dashboard_staff(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_dash_query *q, struct pd_arena *a,
                       struct pd_dashboard *out);

/* Units the actor may choose on the staff dashboard (its grants' units and their subtrees,
 * in path order, at most max) or, for NULL actor, every unit (the public filter). Slug and
 * name arena-owned; depth counts from the shallowest unit listed. */
struct pd_dash_unit {
	const char *slug, *name;
	int depth;
};
int pd_dashboard_units(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                       struct pd_dash_unit *out, int max, int *n);

/* Indexes of up to max entries with the highest key (ties: the earlier one) into idx:
 * by = 0 complaints received (groups), used for "most complaints". *n how many. */
void pd_dash_top_groups(const struct pd_dash_group *g, int n_groups, int *idx, int max, int *n);

/* The same for services by median (services without a median last, left out). */
void pd_dash_slowest(const struct pd_dash_service *s, int n_services, int *idx, int max, int *n);

#endif
