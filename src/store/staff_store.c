/* Statements of the staff directory: staff with a grant in a subtree, and one grant removed. */
#include "store/staff_store.h"

/* $1 the subtree's path, $2 the path just past it ($1 || '~': '~' sorts after every character
 * of the ids a path is made of), $3 the keyset cursor, $4 the limit. */
static const struct pd_sql SQL_LIST = {
	"staff_list",
	"SELECT a.id, a.disabled, a.created_ms FROM account a WHERE a.kind = 'staff' "
	"AND a.erased_ms IS NULL AND a.id > $3 AND EXISTS (SELECT 1 FROM account_grant g "
	"JOIN unit u ON u.id = g.unit_id WHERE g.account_id = a.id AND u.path >= $1 "
	"AND u.path < $2) ORDER BY a.id LIMIT $4",
	NULL};
static const struct pd_sql SQL_GRANT_DELETE = {
	"staff_grant_delete",
	"DELETE FROM account_grant WHERE account_id = $1 AND role = $2 AND unit_id = $3", NULL};

enum pd_qs pd_store_staff_list(struct pd_tx *tx, const char *path, const char *after_id,
                               struct pd_arena *a, struct pd_staff_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, pd_arena_printf(pd_tx_arena(tx), "%s~", path));
	pd_q_text(q, 3, after_id ? after_id : "");
	pd_q_int(q, 4, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_staff_row *r = &out[(*n)++];
		r->id = pd_q_col_dup(q, 0, a);
		r->disabled = pd_q_col_int(q, 1) != 0;
		r->created_ms = pd_q_col_int(q, 2);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_grant_delete(struct pd_tx *tx, const char *account_id, const char *role,
                                 const char *unit_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_GRANT_DELETE);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, role);
	pd_q_text(q, 3, unit_id);
	int64_t k = pd_q_exec(q);
	return k < 0 ? PD_QS_HARD : k == 0 ? PD_QS_NONE : PD_QS_ONE;
}
