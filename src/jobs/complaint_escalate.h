/* The periodic job "complaint-escalate": open complaints past their working-day due date are
 * flagged overdue and escalated to the owner unit's supervisors (domain/complaint_handle.h),
 * and the figure /metrics shows is refreshed. */
#ifndef PD_JOBS_COMPLAINT_ESCALATE_H
#define PD_JOBS_COMPLAINT_ESCALATE_H

#include <stddef.h>
#include <stdint.h>

struct pd_app;

/* Escalates, as of the clock's now, every open complaint past its due date not escalated yet
 * (pd_complaint_escalate_due, in batches of PD_COMPLAINT_ESCALATE_MAX, one write transaction
 * each), then counts the open complaints flagged overdue. Writes "escalated:N,overdue:M" into
 * result (n bytes). Returns PD_OK or the first error. Runs on the jobs worker thread. */
int pd_jobs_complaint_escalate(struct pd_app *app, char *result, size_t n);

/* Figures for /metrics: open complaints flagged overdue at the last run (-1 before the first
 * run of this process) and escalations made by this process's runs in all. */
void pd_jobs_complaint_escalate_stats(int64_t *overdue_now, uint64_t *escalated_total);

#endif
