/* Background work of a running server: the outbox worker and the periodic-job scheduler, run
 * on one dedicated thread so the main loop and the HTTP pool never wait for mail or jobs. */
#ifndef PD_JOBS_JOBS_H
#define PD_JOBS_JOBS_H

#include <stddef.h>
#include <stdint.h>

struct pd_app;

/* Configures outgoing mail from app->cfg (smtp_from, public_url) and starts the worker
 * thread, which keeps app (borrowed) until pd_jobs_stop. Call once, before pd_http_serve.
 * Returns PD_OK, or an error with a message for the operator in err (e.g. a bad
 * --smtp-from). */
int pd_jobs_start(struct pd_app *app, char *err, size_t errlen);

/* Asks the worker to stop (an SMTP transfer in flight is aborted and its message stays
 * pending) and joins it. Call after pd_http_serve returns and before the store is closed.
 * Safe when pd_jobs_start was not called or failed. */
void pd_jobs_stop(struct pd_app *app);

/* Figures for /metrics. The message counts are the database's (shared by every node),
 * refreshed by the worker every few seconds; the totals count this process's attempts. */
struct pd_jobs_stats {
	int64_t pending, sent, failed, retrying;  /* outbox messages per state (-1: not read yet) */
	uint64_t delivered_total;                 /* accepted by the SMTP server or written */
	uint64_t retried_total;                   /* attempts that failed for now */
	uint64_t gave_up_total;                   /* messages marked failed for good */
	uint64_t job_runs_total;                  /* scheduled job runs this node won */
};
void pd_jobs_stats(struct pd_jobs_stats *out);

#endif
