/* The periodic job "petition-deadline": petitions whose obligatory answer is past its
 * working-day deadline are flagged overdue (domain/petition.h), on the petition and in the
 * unit's figures. */
#ifndef PD_JOBS_PETITION_DEADLINE_H
#define PD_JOBS_PETITION_DEADLINE_H

#include <stddef.h>

struct pd_app;

/* Flags, as of the clock's now, every obliged petition past due (pd_petition_flag_overdue in
 * batches of PD_PETITION_JOB_MAX). Writes "flagged:N" into result (n bytes). Returns PD_OK or
 * the first error. Runs on the jobs worker thread. */
int pd_jobs_petition_deadline(struct pd_app *app, char *result, size_t n);

#endif
