/* Statements of the benchmark's seeding: the citizens that may file, and table sizes. */
#include "store/bench_store.h"

#include <string.h>

static const struct pd_sql SQL_CITIZENS = {
	"bench_citizens",
	"SELECT id FROM account WHERE kind = 'citizen' AND email_verified_ms IS NOT NULL "
	"AND disabled = 0 AND erased_ms IS NULL ORDER BY id LIMIT $1", NULL};
static const struct pd_sql SQL_COUNTS = {
	"bench_counts",
	"SELECT (SELECT COUNT(*) FROM service), (SELECT COUNT(*) FROM application), "
	"(SELECT COUNT(*) FROM complaint), (SELECT COUNT(*) FROM complaint WHERE published = 1)",
	NULL};

enum pd_qs pd_store_bench_citizens(struct pd_tx *tx, char (*ids)[37], int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_CITIZENS);
	pd_q_int(q, 1, max);
	int rc;
	while ((rc = pd_q_step(q)) == 1) {
		const char *id = pd_q_col_text(q, 0);
		if (id && strlen(id) < 37 && *n < max)
			memcpy(ids[(*n)++], id, strlen(id) + 1);
	}
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return *n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_bench_counts(struct pd_tx *tx, struct pd_bench_counts *out)
{
	memset(out, 0, sizeof *out);
	struct pd_q *q = pd_q_open(tx, &SQL_COUNTS);
	if (pd_q_step(q) != 1)
		return PD_QS_HARD;
	out->services = pd_q_col_int(q, 0);
	out->applications = pd_q_col_int(q, 1);
	out->complaints = pd_q_col_int(q, 2);
	out->published = pd_q_col_int(q, 3);
	pd_q_close(q);
	return PD_QS_ONE;
}
