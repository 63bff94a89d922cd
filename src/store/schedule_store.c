/* Statements for the scheduler's table job_schedule. */
#include "store/schedule_store.h"

static const struct pd_sql SQL_ENSURE = {
	"schedule_ensure",
	"INSERT INTO job_schedule (name, interval_ms, next_run_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT (name) DO NOTHING",
	NULL};
static const struct pd_sql SQL_CLAIM = {
	"schedule_claim",
	"UPDATE job_schedule SET locked_by = $2, locked_until_ms = $4, next_run_ms = $5, "
	"interval_ms = $6, last_run_ms = $3, runs = runs + 1 "
	"WHERE name = $1 AND next_run_ms <= $3 AND locked_until_ms < $3",
	NULL};
static const struct pd_sql SQL_FINISH = {
	"schedule_finish",
	"UPDATE job_schedule SET locked_until_ms = 0, last_result = $3 "
	"WHERE name = $1 AND locked_by = $2",
	NULL};

enum pd_qs pd_store_schedule_ensure(struct pd_tx *tx, const char *name, int64_t interval_ms,
                                    int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ENSURE);
	pd_q_text(q, 1, name);
	pd_q_int(q, 2, interval_ms);
	pd_q_int(q, 3, now_ms);
	int64_t n = pd_q_exec(q);
	if (n < 0)
		return PD_QS_HARD;
	return n ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_schedule_claim(struct pd_tx *tx, const char *name, const char *node,
                                   int64_t now_ms, int64_t lease_ms, int64_t interval_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CLAIM);
	pd_q_text(q, 1, name);
	pd_q_text(q, 2, node);
	pd_q_int(q, 3, now_ms);
	pd_q_int(q, 4, now_ms + lease_ms);
	pd_q_int(q, 5, now_ms + interval_ms);
	pd_q_int(q, 6, interval_ms);
	int64_t n = pd_q_exec(q);
	if (n < 0)
		return PD_QS_HARD;
	return n ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_schedule_finish(struct pd_tx *tx, const char *name, const char *node,
                                    const char *result)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FINISH);
	pd_q_text(q, 1, name);
	pd_q_text(q, 2, node);
	pd_q_text(q, 3, result ? result : "");
	int64_t n = pd_q_exec(q);
	if (n < 0)
		return PD_QS_HARD;
	return n ? PD_QS_ONE : PD_QS_NONE;
}
