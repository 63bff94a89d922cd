/* Statements and row mapping for complaint handling (see complaint_handle_store.h). */
#include "store/complaint_handle_store.h"

#include <string.h>

#include "store/complaint_store.h"

static const struct pd_sql SQL_UPDATE = {
	"cmh_update",
	"UPDATE complaint SET status = $3, held = $4, published = $5, public_title = $6, "
	"public_text = $7, unit_id = $8, unit_path = $9, merged_into = $10, answer_public = $11, "
	"reopen_count = $12, due_ms = $13, paused_since_ms = $14, overdue = $15, "
	"escalated_ms = $16, answered_ms = $17, closed_ms = $18, confirmed_ms = $19, "
	"updated_ms = $20, version = version + 1 WHERE id = $1 AND version = $2",
	NULL};
static const struct pd_sql SQL_CONFIRMED = {
	"cmh_confirmed", "SELECT confirmed_ms FROM complaint WHERE id = $1", NULL};

#define RANGE(i, j) "(c.unit_path >= $" #i " AND c.unit_path < $" #j ")"
static const struct pd_sql SQL_QUEUE = {
	"cmh_queue",
	"SELECT c.id, c.tracking, c.status, c.visibility, c.public_title, c.held, c.published, "
	"c.overdue, k.code, k.name, u.name, u.slug, c.unit_path, COALESCE(c.due_ms, 0), "
	"c.created_ms, c.escalated_ms, c.support_count, c.version, c.reopen_count "
	"FROM complaint c JOIN complaint_category k ON k.id = c.category_id "
	"JOIN unit u ON u.id = c.unit_id WHERE (" RANGE(1, 2) " OR " RANGE(3, 4) " OR " RANGE(5, 6)
	" OR " RANGE(7, 8) " OR " RANGE(9, 10) " OR " RANGE(11, 12) " OR " RANGE(13, 14)
	" OR " RANGE(15, 16) ") "
	"AND ($17 = '' OR c.status = $17 "
	"OR ($17 = 'open' AND c.status IN ('new', 'needs_info', 'dispositioned', 'reopened')) "
	"OR ($17 = 'closed' AND c.status IN ('answered', 'out_of_scope', 'merged'))) "
	"AND ($18 = '' OR k.code = $18) AND ($19 = 0 OR c.overdue = 1) AND ($20 = 0 OR c.held = 1) "
	"AND ($21 = '' OR COALESCE(c.due_ms, 0) > $22 "
	"OR (COALESCE(c.due_ms, 0) = $22 AND c.id > $21)) "
	"ORDER BY COALESCE(c.due_ms, 0), c.id LIMIT $23",
	NULL};
static const struct pd_sql SQL_DUE = {
	"cmh_due",
	"SELECT id FROM complaint WHERE status IN ('new', 'dispositioned', 'reopened') "
	"AND due_ms < $1 AND escalated_ms IS NULL ORDER BY due_ms, id LIMIT $2",
	NULL};
static const struct pd_sql SQL_ESCALATE = {
	"cmh_escalate",
	"UPDATE complaint SET overdue = 1, escalated_ms = $2, updated_ms = $2 WHERE id = $1 "
	"AND escalated_ms IS NULL AND status IN ('new', 'dispositioned', 'reopened') "
	"AND due_ms < $2",
	NULL};
static const struct pd_sql SQL_COUNT_OVERDUE = {
	"cmh_count_overdue",
	"SELECT COUNT(*) FROM complaint WHERE overdue = 1 "
	"AND status IN ('new', 'needs_info', 'dispositioned', 'reopened')",
	NULL};
static const struct pd_sql SQL_SUPERVISORS = {
	"cmh_supervisors",
	"SELECT DISTINCT ac.id FROM account ac JOIN account_grant g ON g.account_id = ac.id "
	"JOIN unit u ON u.id = g.unit_id WHERE ac.kind = 'staff' AND ac.disabled = 0 "
	"AND ac.erased_ms IS NULL AND g.role = 'supervisor' "
	"AND substr($1, 1, length(u.path)) = u.path ORDER BY ac.id LIMIT $2",
	NULL};
static const struct pd_sql SQL_NOTE_INSERT = {
	"cmh_notification_insert",
	"INSERT INTO complaint_notification (id, account_id, complaint_id, kind, status, "
	"created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_NOTES = {
	"cmh_notifications",
	"SELECT n.id, n.account_id, n.complaint_id, n.kind, n.status, n.created_ms, n.read_ms, "
	"c.tracking FROM complaint_notification n JOIN complaint c ON c.id = n.complaint_id "
	"WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_UNITS = {
	"cmh_units",
	"SELECT id, slug, name, path, kind FROM unit "
	"WHERE kind IN ('agency', 'district', 'regency', 'city') ORDER BY path LIMIT $1",
	NULL};
static const struct pd_sql SQL_DISTRICT_AGENCY = {
	"cmh_district_agency",
	"SELECT a.id, a.slug, a.name, a.path, a.kind FROM unit v JOIN unit d ON d.id = v.parent_id "
	"JOIN unit a ON a.parent_id = d.id WHERE v.id = $1 AND d.kind = 'district' "
	"AND a.kind = 'agency' AND a.slug LIKE $2 ORDER BY a.slug LIMIT 1",
	NULL};
static const struct pd_sql SQL_CARRY = {
	"cmh_carry_support",
	"INSERT INTO complaint_support (complaint_id, account_id, created_ms) "
	"SELECT $2, account_id, created_ms FROM complaint_support WHERE complaint_id = $1 "
	"ON CONFLICT (complaint_id, account_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_RECOUNT = {
	"cmh_recount_support",
	"UPDATE complaint SET support_count = (SELECT COUNT(*) FROM complaint_support "
	"WHERE complaint_id = $1) WHERE id = $1",
	NULL};

enum pd_qs pd_store_cmh_update(struct pd_tx *tx, const struct pd_cmh_update *u, int64_t version)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, u->id);
	pd_q_int(q, 2, version);
	pd_q_text(q, 3, u->status);
	pd_q_int(q, 4, u->held ? 1 : 0);
	pd_q_int(q, 5, u->published ? 1 : 0);
	pd_q_text(q, 6, u->public_title);
	pd_q_text(q, 7, u->public_text);
	pd_q_text(q, 8, u->unit_id);
	pd_q_text(q, 9, u->unit_path);
	pd_q_text(q, 10, u->merged_into);
	pd_q_text(q, 11, u->answer_public);
	pd_q_int(q, 12, u->reopen_count);
	pd_q_int_or_null(q, 13, u->due_ms);
	pd_q_int_or_null(q, 14, u->paused_since_ms);
	pd_q_int(q, 15, u->overdue ? 1 : 0);
	pd_q_int_or_null(q, 16, u->escalated_ms);
	pd_q_int_or_null(q, 17, u->answered_ms);
	pd_q_int_or_null(q, 18, u->closed_ms);
	pd_q_int_or_null(q, 19, u->confirmed_ms);
	pd_q_int(q, 20, u->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmh_confirmed(struct pd_tx *tx, const char *id, int64_t *confirmed_ms)
{
	*confirmed_ms = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_CONFIRMED);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q);
	if (rc == 1)
		*confirmed_ms = pd_store_cmp_col_int(q, 0);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_cmh_queue(struct pd_tx *tx, const struct pd_cmh_queue_filter *f,
                              struct pd_arena *a, struct pd_cmh_queue_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_QUEUE);
	struct pd_arena *ta = pd_tx_arena(tx);
	for (int i = 0; i < PD_STORE_CMH_RANGES; i++) {
		/* Every path under `path` starts with it; '~' sorts after the characters used. An
		 * unused range ['', '') matches nothing. */
		bool used = i < f->n_paths && f->paths[i] && *f->paths[i];
		pd_q_text(q, 2 * i + 1, used ? f->paths[i] : "");
		pd_q_text(q, 2 * i + 2, used ? pd_arena_printf(ta, "%s~", f->paths[i]) : "");
	}
	pd_q_text(q, 17, f->status ? f->status : "");
	pd_q_text(q, 18, f->category_code ? f->category_code : "");
	pd_q_int(q, 19, f->overdue ? 1 : 0);
	pd_q_int(q, 20, f->held ? 1 : 0);
	pd_q_text(q, 21, f->after_id ? f->after_id : "");
	pd_q_int(q, 22, f->after_due);
	pd_q_int(q, 23, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmh_queue_row *r = &out[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = pd_q_col_dup(q, 0, a);
		r->tracking = pd_q_col_dup(q, 1, a);
		r->status = pd_q_col_dup(q, 2, a);
		r->visibility = pd_q_col_dup(q, 3, a);
		r->public_title = pd_store_cmp_col_text(q, 4, a);
		r->held = pd_q_col_int(q, 5) != 0;
		r->published = pd_q_col_int(q, 6) != 0;
		r->overdue = pd_q_col_int(q, 7) != 0;
		r->category_code = pd_q_col_dup(q, 8, a);
		r->category_name = pd_q_col_dup(q, 9, a);
		r->unit_name = pd_q_col_dup(q, 10, a);
		r->unit_slug = pd_q_col_dup(q, 11, a);
		r->unit_path = pd_q_col_dup(q, 12, a);
		r->due_ms = pd_q_col_int(q, 13);
		r->created_ms = pd_q_col_int(q, 14);
		r->escalated_ms = pd_store_cmp_col_int(q, 15);
		r->support_count = pd_q_col_int(q, 16);
		r->version = pd_q_col_int(q, 17);
		r->reopen_count = pd_q_col_int(q, 18);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmh_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_DUE);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		ids[(*n)++] = pd_q_col_dup(q, 0, a);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmh_escalate(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ESCALATE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmh_count_overdue(struct pd_tx *tx, int64_t *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_COUNT_OVERDUE);
	int rc = pd_q_step(q);
	if (rc == 1)
		*n = pd_q_col_int(q, 0);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_cmh_supervisors(struct pd_tx *tx, const char *unit_path, struct pd_arena *a,
                                    const char **ids, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_SUPERVISORS);
	pd_q_text(q, 1, unit_path);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		ids[(*n)++] = pd_q_col_dup(q, 0, a);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmh_notification_insert(struct pd_tx *tx,
                                            const struct pd_cmh_notification_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->account_id);
	pd_q_text(q, 3, r->complaint_id);
	pd_q_text(q, 4, r->kind);
	pd_q_text(q, 5, r->status);
	pd_q_int(q, 6, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmh_notifications(struct pd_tx *tx, const char *account_id,
                                      struct pd_arena *a, struct pd_cmh_notification_row *out,
                                      int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_NOTES);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmh_notification_row *r = &out[(*n)++];
		r->id = pd_q_col_dup(q, 0, a);
		r->account_id = pd_q_col_dup(q, 1, a);
		r->complaint_id = pd_q_col_dup(q, 2, a);
		r->kind = pd_q_col_dup(q, 3, a);
		r->status = pd_q_col_dup(q, 4, a);
		r->created_ms = pd_q_col_int(q, 5);
		r->read_ms = pd_store_cmp_col_int(q, 6);
		r->tracking = pd_q_col_dup(q, 7, a);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

static void read_unit(struct pd_q *q, struct pd_arena *a, struct pd_cmh_unit_row *u)
{
	u->id = pd_q_col_dup(q, 0, a);
	u->slug = pd_q_col_dup(q, 1, a);
	u->name = pd_q_col_dup(q, 2, a);
	u->path = pd_q_col_dup(q, 3, a);
	u->kind = pd_q_col_dup(q, 4, a);
}

enum pd_qs pd_store_cmh_units(struct pd_tx *tx, struct pd_arena *a, struct pd_cmh_unit_row *out,
                              int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_UNITS);
	pd_q_int(q, 1, max);
	while (*n < max && pd_q_step(q) == 1)
		read_unit(q, a, &out[(*n)++]);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmh_district_agency(struct pd_tx *tx, const char *village_id,
                                        const char *slug_like, struct pd_arena *a,
                                        struct pd_cmh_unit_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DISTRICT_AGENCY);
	pd_q_text(q, 1, village_id);
	pd_q_text(q, 2, slug_like);
	int rc = pd_q_step(q);
	if (rc == 1)
		read_unit(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_cmh_carry_support(struct pd_tx *tx, const char *from_id, const char *into_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CARRY);
	pd_q_text(q, 1, from_id);
	pd_q_text(q, 2, into_id);
	if (pd_q_exec(q) < 0)
		return PD_QS_HARD;
	q = pd_q_open(tx, &SQL_RECOUNT);
	pd_q_text(q, 1, into_id);
	return pd_qs_of_changes(pd_q_exec(q));
}
