/* Storage of the satisfaction survey (IKM): the running totals of each (quarter, unit, service)
 * group — no row per response — and the record of which applications were answered. */
#ifndef PD_STORE_SURVEY_STORE_H
#define PD_STORE_SURVEY_STORE_H

#include <stdint.h>

#include "store/store.h"

#define PD_SURVEY_ELEMENTS 9

/* One response, added to its group's totals and not kept itself: no account, no application,
 * no time finer than the quarter. */
struct pd_survey_row {
	const char *unit_id, *service_id;
	int year, quarter;       /* quarter 1..4 in the installation's time zone */
	int scores[PD_SURVEY_ELEMENTS];
};

/* Records that application_id was answered: ONE, or NONE when it was answered already (no
 * error is latched: the caller decides). */
enum pd_qs pd_store_survey_mark_answered(struct pd_tx *tx, const char *application_id);

/* ONE when application_id was answered, NONE when not. */
enum pd_qs pd_store_survey_answered(struct pd_tx *tx, const char *application_id);

/* Adds response r (every field set) to the totals of its (year, quarter, unit, service) group,
 * creating the group with its first response: ONE. */
enum pd_qs pd_store_survey_add(struct pd_tx *tx, const struct pd_survey_row *r);

/* The totals of one (unit, service) group of a quarter. */
struct pd_survey_group {
	const char *unit_id, *unit_slug, *unit_name;
	const char *service_id, *service_slug, *service_name;
	int64_t n;
	int64_t sum[PD_SURVEY_ELEMENTS];
};

/* The groups of quarter (year, quarter) ordered by unit name, unit id, service name, service
 * id; at most max into out, *n the count (strings in a). */
enum pd_qs pd_store_survey_groups(struct pd_tx *tx, int year, int quarter, struct pd_arena *a,
                                  struct pd_survey_group *out, int max, int *n);

/* Quarters before (before_year, before_quarter) that have responses, newest first, at most
 * max: years[i], quarters[i]. */
enum pd_qs pd_store_survey_quarters(struct pd_tx *tx, int before_year, int before_quarter,
                                    int *years, int *quarters, int max, int *n);

#endif
