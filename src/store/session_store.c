/* Statements and row mapping for sign-in sessions. */
#include "store/session_store.h"

#define COLS "token_hash, id, account_id, created_ms, last_seen_ms, expires_ms, csrf_secret"

static const struct pd_sql SQL_INSERT = {
	"session_insert",
	"INSERT INTO account_session (" COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7)", NULL};
static const struct pd_sql SQL_BY_HASH = {
	"session_by_hash", "SELECT " COLS " FROM account_session WHERE token_hash = $1", NULL};
static const struct pd_sql SQL_TOUCH = {
	"session_touch",
	"UPDATE account_session SET last_seen_ms = $2 WHERE token_hash = $1 AND last_seen_ms < $3",
	NULL};
static const struct pd_sql SQL_DELETE = {
	"session_delete", "DELETE FROM account_session WHERE token_hash = $1", NULL};
static const struct pd_sql SQL_DELETE_BY_ID = {
	"session_delete_by_id", "DELETE FROM account_session WHERE account_id = $1 AND id = $2", NULL};
static const struct pd_sql SQL_DELETE_OTHERS = {
	"session_delete_others",
	"DELETE FROM account_session WHERE account_id = $1 AND token_hash <> $2", NULL};
static const struct pd_sql SQL_DELETE_ALL = {
	"session_delete_all", "DELETE FROM account_session WHERE account_id = $1", NULL};
static const struct pd_sql SQL_PURGE = {
	"session_purge",
	"DELETE FROM account_session WHERE account_id = $1 AND (expires_ms <= $2 OR last_seen_ms < $3)",
	NULL};
/* Batched purges of the periodic job (jobs/identity_purge.c): at most $2 rows a statement. */
static const struct pd_sql SQL_PURGE_EXPIRED = {
	"session_purge_expired",
	"DELETE FROM account_session WHERE token_hash IN (SELECT token_hash FROM account_session "
	"WHERE expires_ms <= $1 LIMIT $2)",
	NULL};
static const struct pd_sql SQL_PURGE_STAFF_IDLE = {
	"session_purge_staff_idle",
	"DELETE FROM account_session WHERE token_hash IN (SELECT s.token_hash FROM account_session s "
	"JOIN account a ON a.id = s.account_id WHERE a.kind = 'staff' AND s.last_seen_ms < $1 "
	"LIMIT $2)",
	NULL};
static const struct pd_sql SQL_LIST = {
	"session_list",
	"SELECT " COLS " FROM account_session WHERE account_id = $1 ORDER BY created_ms DESC, id DESC "
	"LIMIT $2",
	NULL};

static void row(struct pd_q *q, struct pd_arena *a, struct pd_session_row *o)
{
	size_t n = 0;
	const void *p = pd_q_col_blob(q, 0, &n);
	o->token_hash.p = pd_arena_memdup(a, p ? p : "", n ? n : 1);
	o->token_hash.n = n;
	o->id = pd_q_col_dup(q, 1, a);
	o->account_id = pd_q_col_dup(q, 2, a);
	o->created_ms = pd_q_col_int(q, 3);
	o->last_seen_ms = pd_q_col_int(q, 4);
	o->expires_ms = pd_q_col_int(q, 5);
	o->csrf_secret = pd_q_col_dup(q, 6, a);
}

enum pd_qs pd_store_session_insert(struct pd_tx *tx, const struct pd_session_row *s)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_blob(q, 1, s->token_hash.p, s->token_hash.n);
	pd_q_text(q, 2, s->id);
	pd_q_text(q, 3, s->account_id);
	pd_q_int(q, 4, s->created_ms);
	pd_q_int(q, 5, s->last_seen_ms);
	pd_q_int(q, 6, s->expires_ms);
	pd_q_text(q, 7, s->csrf_secret);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_session_by_hash(struct pd_tx *tx, struct pd_blob hash, struct pd_arena *a,
                                    struct pd_session_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_HASH);
	pd_q_blob(q, 1, hash.p, hash.n);
	int rc = pd_q_step(q);
	if (rc == 1)
		row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_session_touch(struct pd_tx *tx, struct pd_blob hash, int64_t now_ms,
                                  int64_t min_gap_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOUCH);
	pd_q_blob(q, 1, hash.p, hash.n);
	pd_q_int(q, 2, now_ms);
	pd_q_int(q, 3, now_ms - min_gap_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_session_delete(struct pd_tx *tx, struct pd_blob hash)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DELETE);
	pd_q_blob(q, 1, hash.p, hash.n);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_session_delete_by_id(struct pd_tx *tx, const char *account_id,
                                         const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DELETE_BY_ID);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_session_delete_others(struct pd_tx *tx, const char *account_id,
                                          struct pd_blob keep, int64_t *n)
{
	struct pd_q *q;
	if (keep.p) {
		q = pd_q_open(tx, &SQL_DELETE_OTHERS);
		pd_q_text(q, 1, account_id);
		pd_q_blob(q, 2, keep.p, keep.n);
	} else {
		q = pd_q_open(tx, &SQL_DELETE_ALL);
		pd_q_text(q, 1, account_id);
	}
	int64_t k = pd_q_exec(q);
	if (n)
		*n = k < 0 ? 0 : k;
	return k < 0 ? PD_QS_HARD : pd_qs_of_changes(k);
}

enum pd_qs pd_store_session_purge(struct pd_tx *tx, const char *account_id, int64_t now_ms,
                                  int64_t idle_before_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PURGE);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, now_ms);
	pd_q_int(q, 3, idle_before_ms);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

static int64_t purge_batch(struct pd_tx *tx, const struct pd_sql *sql, int64_t before_ms, int max)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_int(q, 1, before_ms);
	pd_q_int(q, 2, max);
	return pd_q_exec(q);
}

enum pd_qs pd_store_session_purge_expired(struct pd_tx *tx, int64_t now_ms,
                                          int64_t staff_idle_before_ms, int max, int64_t *n)
{
	*n = 0;
	int64_t expired = purge_batch(tx, &SQL_PURGE_EXPIRED, now_ms, max);
	if (expired < 0)
		return PD_QS_HARD;
	int64_t idle = purge_batch(tx, &SQL_PURGE_STAFF_IDLE, staff_idle_before_ms, max);
	if (idle < 0)
		return PD_QS_HARD;
	*n = expired + idle;
	return *n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_session_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                 struct pd_session_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		row(q, a, &out[(*n)++]);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}
