/* Declarations shared by the files of jobs/ only. */
#ifndef PD_JOBS_INTERNAL_H
#define PD_JOBS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/app.h"

/* True once pd_jobs_stop was called: long work returns early. */
bool pd_jobs_stopping(void);

/* Counters kept by jobs.c. */
void pd_jobs_count_delivery(int outcome); /* 0 delivered, 1 retried, 2 gave up */
void pd_jobs_count_run(void);
void pd_jobs_set_counts(int64_t pending, int64_t sent, int64_t failed, int64_t retrying);

/* Delivers the due outbox messages (a few batches at most); returns how many it handled. */
int pd_jobs_outbox_pass(struct pd_app *app);

/* Reads the outbox counts per state into the stats; PD_OK or a store error. */
int pd_jobs_outbox_refresh_counts(struct pd_app *app);

/* Scheduled job "outbox-retention": deletes messages sent more than 30 days ago. Writes a
 * short result ("deleted:N") into result. Returns PD_OK or an error. */
int pd_jobs_outbox_retention(struct pd_app *app, char *result, size_t n);

/* Scheduler: creates the rows of the registered jobs (first sight), then on each pass runs
 * the jobs that are due and that this node (id `node`) wins. */
int pd_jobs_schedule_init(struct pd_app *app);
void pd_jobs_schedule_pass(struct pd_app *app, const char *node);

#endif
