/* The periodic job "identity-purge": expired sessions, spent one-time links, expired pending
 * sign-ins and stale sign-in throttle rows removed in small batches. */
#ifndef PD_JOBS_IDENTITY_PURGE_H
#define PD_JOBS_IDENTITY_PURGE_H

#include <stddef.h>

struct pd_app;

/* Deletes, as of the clock's now: sessions past their absolute expiry and staff sessions idle
 * longer than PD_SESSION_IDLE_STAFF_MS (neither would resolve any more); one-time tokens that
 * were used or expired; pending sign-ins that expired; throttle rows whose window and lock both
 * ended. Each write transaction deletes at most a few hundred rows of each kind, so a large
 * backlog never holds the writer long; returns early when the worker stops. Writes
 * "sessions:N,tokens:N,pending:N,throttle:N" (counts only) into result (n bytes). Returns PD_OK
 * or the first store error. Runs on the jobs worker thread. */
int pd_jobs_identity_purge(struct pd_app *app, char *result, size_t n);

#endif
