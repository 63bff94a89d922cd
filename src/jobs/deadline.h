/* The periodic job "deadline-check": applications whose working-day due date has passed are
 * flagged overdue (domain/application.h), and the figures /metrics shows are refreshed. */
#ifndef PD_JOBS_DEADLINE_H
#define PD_JOBS_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

struct pd_app;

/* Flags, as of the clock's now, every submitted or processing application whose due date has
 * passed (pd_application_mark_overdue: one timeline event and audit entry per run), then counts
 * the applications flagged overdue now. Writes "flagged:N,overdue:M" into result (n bytes).
 * Returns PD_OK or the first error. Runs on the jobs worker thread. */
int pd_jobs_deadline_check(struct pd_app *app, char *result, size_t n);

/* Figures for /metrics: applications flagged overdue at the last run (-1 before the first run
 * of this process) and flags set by this process's runs in all. */
void pd_jobs_deadline_stats(int64_t *overdue_now, uint64_t *flagged_total);

#endif
