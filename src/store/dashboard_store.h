/* Storage side of the performance dashboards (/dasbor, /kantor/dasbor) and the ranking of what
 * to digitise next: aggregates of applications per service and of complaints per category and
 * per village over a period and a unit subtree, and the per-record times the medians and the
 * monthly trends are computed from. Counts and times only: no personal data is read. */
#ifndef PD_STORE_DASHBOARD_STORE_H
#define PD_STORE_DASHBOARD_STORE_H

#include <stdint.h>

#include "store/store.h"

/* Applications received (submitted) in [since, until) per service, owner unit in the subtree
 * of path ("/" or a unit's materialised path). Strings in a (the transaction's arena when
 * NULL). */
struct pd_dash_app_counts {
	const char *service_id, *service_slug, *service_name, *unit_id, *unit_slug, *unit_name;
	int64_t promised_days;  /* the service's processing_days */
	int64_t received;       /* not drafts, submitted in the period */
	int64_t finished;       /* approved or rejected */
	int64_t within;         /* finished no later than the due date */
	int64_t open;           /* submitted, processing or returned */
	int64_t overdue;        /* submitted or processing, flagged or past the due date at now */
	int64_t assisted;       /* filed by an officer for the citizen (at a counter) */
};

/* At most max services, by service name. */
enum pd_qs pd_store_dash_app_counts(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                    const char *path, int64_t now_ms, struct pd_arena *a,
                                    struct pd_dash_app_counts *out, int max, int *n);

/* Calls fn for each application of the same selection (at most max; *n how many were read):
 * service id (borrowed for the call), submitted_ms, decided_ms (0 while undecided). A non-zero
 * return of fn stops the walk. */
enum pd_qs pd_store_dash_app_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                   const char *path, int max,
                                   int (*fn)(void *arg, const char *service_id,
                                             int64_t submitted_ms, int64_t decided_ms),
                                   void *arg, int *n);

/* Complaints received in [since, until) whose owner unit or village lies in the subtree of
 * path, grouped by category (key: code, name) or by village (key: the village's slug and
 * name; "" for complaints without one). */
enum pd_dash_cmp_by { PD_DASH_BY_CATEGORY, PD_DASH_BY_VILLAGE };

struct pd_dash_cmp_counts {
	const char *key, *name;
	int64_t received, answered, within, open;
};

/* At most max groups, by name. */
enum pd_qs pd_store_dash_cmp_counts(struct pd_tx *tx, enum pd_dash_cmp_by by, int64_t since_ms,
                                    int64_t until_ms, const char *path, struct pd_arena *a,
                                    struct pd_dash_cmp_counts *out, int max, int *n);

/* Calls fn for each complaint of the same selection (at most max): category code and village
 * slug ("" when none; both borrowed for the call), created_ms, answered_ms (0 while
 * unanswered). A non-zero return of fn stops the walk. */
enum pd_qs pd_store_dash_cmp_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                   const char *path, int max,
                                   int (*fn)(void *arg, const char *category,
                                             const char *village, int64_t created_ms,
                                             int64_t answered_ms),
                                   void *arg, int *n);

/* Complaints received in [since, until) per OWNER unit id (all units; the digitisation score
 * counts those of a service's unit). */
struct pd_dash_unit_count {
	const char *unit_id;
	int64_t n;
};
enum pd_qs pd_store_dash_cmp_by_owner(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                      struct pd_arena *a, struct pd_dash_unit_count *out,
                                      int max, int *n);

#endif
