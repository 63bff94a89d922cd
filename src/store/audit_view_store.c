/* Statements and row mapping of the auditors' view of the audit log. */
#include "store/audit_view_store.h"

#include <string.h>

#include "core/err.h"

/* $1 before_seq, $2 from_seq, $3 action, $4 actor prefix, $5 object type, $6 from_ms,
 * $7 until_ms, $8 no_unit, $9 any_unit, $10..$13 unit path prefixes, $14 limit, $15 subject.
 * An unused filter is bound NULL. The seq window keeps each statement a bounded range scan of
 * the primary key (or of audit_log_subject for a subject), newest first. */
#define VIEW_SELECT                                                                             \
	"SELECT a.seq, a.ts_ms, a.actor, a.action, a.object_type, a.object_id, a.unit_id, "        \
	"a.subject_id, a.purpose, a.details, u.slug, u.path "                                      \
	"FROM audit_log a LEFT JOIN unit u ON u.id = a.unit_id "                                   \
	"WHERE a.seq < $1 AND a.seq >= $2 "
/* A parameter's first use must give PostgreSQL its type ("$3 IS NULL" alone does not: 42P08,
 * could not determine data type), hence the casts; SQLite reads them the same. */
#define VIEW_FILTERS                                                                            \
	"AND (CAST($3 AS TEXT) IS NULL OR a.action = $3) "                                         \
	"AND (CAST($4 AS TEXT) IS NULL OR substr(a.actor, 1, length(CAST($4 AS TEXT))) = $4) "     \
	"AND (CAST($5 AS TEXT) IS NULL OR a.object_type = $5) "                                    \
	"AND (CAST($6 AS BIGINT) IS NULL OR a.ts_ms >= $6) "                                       \
	"AND (CAST($7 AS BIGINT) IS NULL OR a.ts_ms < $7) "                                        \
	"AND (($8 = 1 AND u.path IS NULL) OR ($9 = 1 AND u.path IS NOT NULL) "                     \
	"OR substr(u.path, 1, length(CAST($10 AS TEXT))) = $10 "                                   \
	"OR substr(u.path, 1, length(CAST($11 AS TEXT))) = $11 "                                   \
	"OR substr(u.path, 1, length(CAST($12 AS TEXT))) = $12 "                                   \
	"OR substr(u.path, 1, length(CAST($13 AS TEXT))) = $13) "
#define VIEW_ORDER "ORDER BY a.seq DESC LIMIT $14"

static const struct pd_sql SQL_VIEW = {"audit_view", VIEW_SELECT VIEW_FILTERS VIEW_ORDER, NULL};
static const struct pd_sql SQL_VIEW_SUBJECT = {
	"audit_view_subject", VIEW_SELECT "AND a.subject_id = $15 " VIEW_FILTERS VIEW_ORDER, NULL};

static const struct pd_sql SQL_NEWEST = {
	"audit_view_newest", "SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1", NULL};

enum pd_qs pd_store_audit_view_newest(struct pd_tx *tx, int64_t *seq)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NEWEST);
	int rc = pd_q_step(q);
	if (rc > 0)
		*seq = pd_q_col_int(q, 0);
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return rc > 0 ? PD_QS_ONE : PD_QS_NONE;
}

static void bind_opt_int(struct pd_q *q, int i, int64_t v)
{
	if (v)
		pd_q_int(q, i, v);
	else
		pd_q_null(q, i);
}

enum pd_qs pd_store_audit_view(struct pd_tx *tx, const struct pd_audit_view_query *vq,
                               struct pd_arena *a, struct pd_audit_view_row *out, int *n)
{
	*n = 0;
	if (vq->max <= 0)
		return PD_QS_NONE;
	struct pd_q *q = pd_q_open(tx, vq->subject_id ? &SQL_VIEW_SUBJECT : &SQL_VIEW);
	pd_q_int(q, 1, vq->before_seq);
	pd_q_int(q, 2, vq->from_seq);
	pd_q_text(q, 3, vq->action);
	pd_q_text(q, 4, vq->actor_prefix);
	pd_q_text(q, 5, vq->object_type);
	bind_opt_int(q, 6, vq->from_ms);
	bind_opt_int(q, 7, vq->until_ms);
	pd_q_int(q, 8, vq->no_unit ? 1 : 0);
	pd_q_int(q, 9, vq->any_unit ? 1 : 0);
	for (int i = 0; i < PD_AUDIT_VIEW_PREFIXES; i++)
		pd_q_text(q, 10 + i, vq->unit_prefixes[i]);
	pd_q_int(q, 14, vq->max);
	if (vq->subject_id)
		pd_q_text(q, 15, vq->subject_id);
	while (*n < vq->max && pd_q_step(q) == 1) {
		struct pd_audit_view_row *r = &out[(*n)++];
		memset(r, 0, sizeof *r);
		r->seq = pd_q_col_int(q, 0);
		r->ts_ms = pd_q_col_int(q, 1);
		r->actor = pd_q_col_dup(q, 2, a);
		r->action = pd_q_col_dup(q, 3, a);
		r->object_type = pd_q_col_dup(q, 4, a);
		r->object_id = pd_q_col_dup(q, 5, a);
		r->unit_id = pd_q_col_dup(q, 6, a);
		r->subject_id = pd_q_col_dup(q, 7, a);
		r->purpose = pd_q_col_dup(q, 8, a);
		r->details = pd_q_col_dup(q, 9, a);
		r->unit_slug = pd_q_col_dup(q, 10, a);
		r->unit_path = pd_q_col_dup(q, 11, a);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : (*n == 1 ? PD_QS_ONE : PD_QS_MANY);
}
