/* Statements and row mapping for partner API keys and the Open311 requests they filed. */
#include "store/apikey_store.h"

#include <string.h>

#define COLS                                                                                   \
	"id, partner, key_hash, prefix, trusted_identities, per_min, created_by, created_ms, "     \
	"revoked_ms, last_used_ms"

static const struct pd_sql SQL_INSERT = {
	"apikey_insert",
	"INSERT INTO api_key (" COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", NULL};
static const struct pd_sql SQL_BY_HASH = {
	"apikey_by_hash", "SELECT " COLS " FROM api_key WHERE key_hash = $1", NULL};
static const struct pd_sql SQL_BY_ID = {
	"apikey_by_id", "SELECT " COLS " FROM api_key WHERE id = $1", NULL};
static const struct pd_sql SQL_LIST = {
	"apikey_list", "SELECT " COLS " FROM api_key ORDER BY created_ms DESC, id DESC LIMIT $1",
	NULL};
static const struct pd_sql SQL_REVOKE = {
	"apikey_revoke", "UPDATE api_key SET revoked_ms = $2 WHERE id = $1 AND revoked_ms IS NULL",
	NULL};
static const struct pd_sql SQL_TOUCH = {
	"apikey_touch", "UPDATE api_key SET last_used_ms = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_REQ_INSERT = {
	"open311_request_insert",
	"INSERT INTO open311_request (complaint_id, api_key_id, created_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT (complaint_id) DO NOTHING",
	NULL};

static int64_t opt_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_apikey_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = pd_q_col_dup(q, 0, a);
	r->partner = pd_q_col_dup(q, 1, a);
	r->key_hash = pd_q_col_blob_dup(q, 2, a);
	r->prefix = pd_q_col_dup(q, 3, a);
	r->trusted_identities = pd_q_col_int(q, 4) != 0;
	r->per_min = pd_q_col_int(q, 5);
	r->created_by = pd_q_col_dup(q, 6, a);
	r->created_ms = pd_q_col_int(q, 7);
	r->revoked_ms = opt_int(q, 8);
	r->last_used_ms = opt_int(q, 9);
}

enum pd_qs pd_store_apikey_insert(struct pd_tx *tx, const struct pd_apikey_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->partner);
	pd_q_blob_or_null(q, 3, r->key_hash);
	pd_q_text(q, 4, r->prefix);
	pd_q_int(q, 5, r->trusted_identities ? 1 : 0);
	pd_q_int(q, 6, r->per_min);
	pd_q_text(q, 7, r->created_by);
	pd_q_int(q, 8, r->created_ms);
	pd_q_int_or_null(q, 9, r->revoked_ms);
	pd_q_int_or_null(q, 10, r->last_used_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs one(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                      struct pd_apikey_row *out)
{
	int rc = pd_q_step(q);
	if (rc == 1)
		read_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_apikey_by_hash(struct pd_tx *tx, const void *hash, size_t n,
                                   struct pd_arena *a, struct pd_apikey_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_HASH);
	pd_q_blob(q, 1, hash, n);
	return one(q, tx, a, out);
}

enum pd_qs pd_store_apikey_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_apikey_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_ID);
	pd_q_text(q, 1, id);
	return one(q, tx, a, out);
}

enum pd_qs pd_store_apikey_list(struct pd_tx *tx, struct pd_arena *a, struct pd_apikey_row *out,
                                int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_int(q, 1, max);
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_apikey_revoke(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REVOKE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_apikey_touch(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOUCH);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_open311_request_insert(struct pd_tx *tx, const char *complaint_id,
                                           const char *api_key_id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REQ_INSERT);
	pd_q_text(q, 1, complaint_id);
	pd_q_text(q, 2, api_key_id);
	pd_q_int(q, 3, now_ms);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}
