/* The dashboards' named statements: per-service counts of applications, per-category and
 * per-village counts of complaints, the times behind their medians and trends, and complaints
 * per owner unit for the digitisation score. */
#include "store/dashboard_store.h"

#include <string.h>

/* column X lies in the subtree whose path is $n */
#define SUBTREE(x, n) "substr(" x ", 1, length(CAST($" #n " AS TEXT))) = $" #n
#define FINISHED "a.status IN ('approved', 'rejected')"
#define APP_WHERE                                                                            \
	"a.status <> 'draft' AND a.submitted_ms >= $1 AND a.submitted_ms < $2 AND "           \
	SUBTREE("a.unit_path", 3)
#define CMP_FROM                                                                             \
	"FROM complaint c JOIN complaint_category k ON k.id = c.category_id "                 \
	"LEFT JOIN unit p ON p.id = c.place_unit_id "                                         \
	"WHERE c.created_ms >= $1 AND c.created_ms < $2 AND (" SUBTREE("c.unit_path", 3)       \
	" OR (p.path IS NOT NULL AND " SUBTREE("p.path", 3) ")) "
#define CMP_SUMS                                                                             \
	"COUNT(*), "                                                                          \
	"CAST(SUM(CASE WHEN c.answered_ms IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), "        \
	"CAST(SUM(CASE WHEN c.answered_ms IS NOT NULL AND c.due_ms IS NOT NULL AND "          \
	"c.answered_ms <= c.due_ms THEN 1 ELSE 0 END) AS BIGINT), "                           \
	"CAST(SUM(CASE WHEN c.status IN ('new', 'needs_info', 'dispositioned', 'reopened') "  \
	"THEN 1 ELSE 0 END) AS BIGINT) "

static const struct pd_sql SQL_APP_COUNTS = {
	"dash_app_counts",
	"SELECT s.id, s.slug, s.name, u.id, u.slug, u.name, s.processing_days, COUNT(*), "
	"CAST(SUM(CASE WHEN " FINISHED " THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN " FINISHED " AND a.due_ms IS NOT NULL AND a.decided_ms <= a.due_ms "
	"THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN a.status IN ('submitted', 'processing', 'returned') THEN 1 ELSE 0 END) "
	"AS BIGINT), "
	"CAST(SUM(CASE WHEN a.status IN ('submitted', 'processing') AND (a.overdue = 1 OR "
	"(a.due_ms IS NOT NULL AND a.due_ms < $4)) THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN a.assisted_by IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) "
	"FROM application a JOIN service s ON s.id = a.service_id JOIN unit u ON u.id = s.unit_id "
	"WHERE " APP_WHERE " "
	"GROUP BY s.id, s.slug, s.name, u.id, u.slug, u.name, s.processing_days "
	"ORDER BY s.name, s.id LIMIT $5",
	NULL};
static const struct pd_sql SQL_APP_TIMES = {
	"dash_app_times",
	"SELECT a.service_id, a.submitted_ms, CASE WHEN " FINISHED " THEN a.decided_ms END "
	"FROM application a WHERE " APP_WHERE " LIMIT $4",
	NULL};
static const struct pd_sql SQL_CMP_BY_CATEGORY = {
	"dash_cmp_by_category",
	"SELECT k.code, k.name, " CMP_SUMS CMP_FROM "GROUP BY k.code, k.name ORDER BY k.name LIMIT $4",
	NULL};
static const struct pd_sql SQL_CMP_BY_VILLAGE = {
	"dash_cmp_by_village",
	"SELECT COALESCE(p.slug, ''), COALESCE(p.name, ''), " CMP_SUMS CMP_FROM
	"GROUP BY COALESCE(p.slug, ''), COALESCE(p.name, '') "
	"ORDER BY COALESCE(p.name, '') LIMIT $4",
	NULL};
static const struct pd_sql SQL_CMP_TIMES = {
	"dash_cmp_times",
	"SELECT k.code, COALESCE(p.slug, ''), c.created_ms, c.answered_ms " CMP_FROM "LIMIT $4",
	NULL};
static const struct pd_sql SQL_CMP_BY_OWNER = {
	"dash_cmp_by_owner",
	"SELECT c.unit_id, COUNT(*) FROM complaint c WHERE c.created_ms >= $1 AND c.created_ms < $2 "
	"GROUP BY c.unit_id ORDER BY c.unit_id LIMIT $3",
	NULL};

static enum pd_qs rows_qs(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_dash_app_counts(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                    const char *path, int64_t now_ms, struct pd_arena *a,
                                    struct pd_dash_app_counts *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_APP_COUNTS);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_text(q, 3, path);
	pd_q_int(q, 4, now_ms);
	pd_q_int(q, 5, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_dash_app_counts *c = &out[(*n)++];
		c->service_id = pd_q_col_dup(q, 0, a);
		c->service_slug = pd_q_col_dup(q, 1, a);
		c->service_name = pd_q_col_dup(q, 2, a);
		c->unit_id = pd_q_col_dup(q, 3, a);
		c->unit_slug = pd_q_col_dup(q, 4, a);
		c->unit_name = pd_q_col_dup(q, 5, a);
		c->promised_days = pd_q_col_int(q, 6);
		c->received = pd_q_col_int(q, 7);
		c->finished = pd_q_col_int(q, 8);
		c->within = pd_q_col_int(q, 9);
		c->open = pd_q_col_int(q, 10);
		c->overdue = pd_q_col_int(q, 11);
		c->assisted = pd_q_col_int(q, 12);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_dash_app_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                   const char *path, int max,
                                   int (*fn)(void *arg, const char *service_id,
                                             int64_t submitted_ms, int64_t decided_ms),
                                   void *arg, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_APP_TIMES);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_text(q, 3, path);
	pd_q_int(q, 4, max);
	while (*n < max && pd_q_step(q) == 1) {
		(*n)++;
		if (fn(arg, pd_q_col_text(q, 0), pd_q_col_int(q, 1),
		       pd_q_isnull(q, 2) ? 0 : pd_q_col_int(q, 2)))
			break;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_dash_cmp_counts(struct pd_tx *tx, enum pd_dash_cmp_by by, int64_t since_ms,
                                    int64_t until_ms, const char *path, struct pd_arena *a,
                                    struct pd_dash_cmp_counts *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, by == PD_DASH_BY_VILLAGE ? &SQL_CMP_BY_VILLAGE
	                                                        : &SQL_CMP_BY_CATEGORY);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_text(q, 3, path);
	pd_q_int(q, 4, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_dash_cmp_counts *c = &out[(*n)++];
		c->key = pd_q_col_dup(q, 0, a);
		c->name = pd_q_col_dup(q, 1, a);
		c->received = pd_q_col_int(q, 2);
		c->answered = pd_q_col_int(q, 3);
		c->within = pd_q_col_int(q, 4);
		c->open = pd_q_col_int(q, 5);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_dash_cmp_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                   const char *path, int max,
                                   int (*fn)(void *arg, const char *category,
                                             const char *village, int64_t created_ms,
                                             int64_t answered_ms),
                                   void *arg, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_CMP_TIMES);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_text(q, 3, path);
	pd_q_int(q, 4, max);
	while (*n < max && pd_q_step(q) == 1) {
		(*n)++;
		if (fn(arg, pd_q_col_text(q, 0), pd_q_col_text(q, 1), pd_q_col_int(q, 2),
		       pd_q_isnull(q, 3) ? 0 : pd_q_col_int(q, 3)))
			break;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_dash_cmp_by_owner(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                      struct pd_arena *a, struct pd_dash_unit_count *out,
                                      int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_CMP_BY_OWNER);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_int(q, 3, max);
	while (*n < max && pd_q_step(q) == 1) {
		out[*n].unit_id = pd_q_col_dup(q, 0, a);
		out[*n].n = pd_q_col_int(q, 1);
		(*n)++;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}
