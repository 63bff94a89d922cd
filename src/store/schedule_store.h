/* Storage of the scheduler's table: one row per periodic job, claimed by one node per run
 * with a conditional UPDATE, so several nodes sharing a database run each job once. */
#ifndef PD_STORE_SCHEDULE_STORE_H
#define PD_STORE_SCHEDULE_STORE_H

#include <stdint.h>

#include "store/store.h"

/* Creates the row of job `name` on first sight (due at now_ms); an existing row is left as
 * it is (INSERT … ON CONFLICT DO NOTHING). */
enum pd_qs pd_store_schedule_ensure(struct pd_tx *tx, const char *name, int64_t interval_ms,
                                    int64_t now_ms);

/* Claims one run of job `name` for node `node`: when the job is due and not locked, locks it
 * until now_ms + lease_ms, moves next_run_ms to now_ms + interval_ms, sets last_run_ms and
 * counts the run. PD_QS_ONE when this node won the run, PD_QS_NONE when another node has it
 * or it is not due. */
enum pd_qs pd_store_schedule_claim(struct pd_tx *tx, const char *name, const char *node,
                                   int64_t now_ms, int64_t lease_ms, int64_t interval_ms);

/* Records the result of this node's run (a short text, no secrets) and unlocks the job. */
enum pd_qs pd_store_schedule_finish(struct pd_tx *tx, const char *name, const char *node,
                                    const char *result);

#endif
