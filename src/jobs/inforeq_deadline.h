/* The periodic job "inforeq-deadline": information requests past their answer deadline and
 * objections past the superior's deadline are flagged overdue (domain/inforeq.h), and the
 * figure /metrics shows (pendopo_inforeq_overdue) is refreshed. */
#ifndef PD_JOBS_INFOREQ_DEADLINE_H
#define PD_JOBS_INFOREQ_DEADLINE_H

#include <stddef.h>
#include <stdint.h>

struct pd_app;

/* Flags, as of the clock's now, every request and objection past due (pd_inforeq_flag_overdue
 * in batches of PD_INFOREQ_JOB_MAX), then counts those flagged. Writes "flagged:N,overdue:M"
 * into result (n bytes). Returns PD_OK or the first error. Runs on the jobs worker thread. */
int pd_jobs_inforeq_deadline(struct pd_app *app, char *result, size_t n);

/* For /metrics: requests and objections flagged overdue at the last run (-1 before the first
 * run of this process), and how many this process's runs flagged in all. */
void pd_jobs_inforeq_deadline_stats(int64_t *overdue_now, uint64_t *flagged_total);

#endif
