/* Statements and row mapping for TOTP secrets, recovery codes, unit security settings and
 * pending sign-ins. */
#include "store/totp_store.h"

#include <string.h>

static const struct pd_sql SQL_TOTP_GET = {
	"totp_get",
	"SELECT account_id, secret_ct, state, last_step, created_ms, enabled_ms FROM account_totp "
	"WHERE account_id = $1",
	NULL};
static const struct pd_sql SQL_TOTP_INSERT = {
	"totp_insert",
	"INSERT INTO account_totp (account_id, secret_ct, state, last_step, created_ms) "
	"VALUES ($1, $2, 'pending', 0, $3) ON CONFLICT (account_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_TOTP_ACTIVATE = {
	"totp_activate",
	"UPDATE account_totp SET state = 'active', last_step = $2, enabled_ms = $3 "
	"WHERE account_id = $1 AND state = 'pending'",
	NULL};
static const struct pd_sql SQL_TOTP_ADVANCE = {
	"totp_advance",
	"UPDATE account_totp SET last_step = $2 WHERE account_id = $1 AND state = 'active' "
	"AND last_step < $2",
	NULL};
static const struct pd_sql SQL_TOTP_DELETE = {
	"totp_delete", "DELETE FROM account_totp WHERE account_id = $1", NULL};
static const struct pd_sql SQL_RECOVERY_DELETE = {
	"recovery_delete", "DELETE FROM account_recovery_code WHERE account_id = $1", NULL};
static const struct pd_sql SQL_RECOVERY_INSERT = {
	"recovery_insert",
	"INSERT INTO account_recovery_code (account_id, code_hash, created_ms) VALUES ($1, $2, $3)",
	NULL};
static const struct pd_sql SQL_RECOVERY_TAKE = {
	"recovery_take",
	"UPDATE account_recovery_code SET used_ms = $3 WHERE account_id = $1 AND code_hash = $2 "
	"AND used_ms IS NULL",
	NULL};
static const struct pd_sql SQL_RECOVERY_UNUSED = {
	"recovery_unused",
	"SELECT COUNT(*) FROM account_recovery_code WHERE account_id = $1 AND used_ms IS NULL",
	NULL};
static const struct pd_sql SQL_UNIT_SEC_GET = {
	"unit_security_get", "SELECT totp_required FROM unit_security WHERE unit_id = $1", NULL};
static const struct pd_sql SQL_UNIT_SEC_SET = {
	"unit_security_set",
	"INSERT INTO unit_security (unit_id, totp_required, updated_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT (unit_id) DO UPDATE SET totp_required = excluded.totp_required, "
	"updated_ms = excluded.updated_ms",
	NULL};
static const struct pd_sql SQL_REQUIRED_PATHS = {
	"totp_required_paths",
	"SELECT u.path FROM unit_security s JOIN unit u ON u.id = s.unit_id "
	"WHERE s.totp_required = 1 ORDER BY u.path LIMIT $1",
	NULL};
static const struct pd_sql SQL_PENDING_PURGE = {
	"pending_purge",
	"DELETE FROM signin_pending WHERE expires_ms <= $1 OR account_id = $2", NULL};
static const struct pd_sql SQL_PENDING_INSERT = {
	"pending_insert",
	"INSERT INTO signin_pending (token_hash, account_id, step, binding, next, attempts, "
	"created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
	NULL};
static const struct pd_sql SQL_PENDING_GET = {
	"pending_get",
	"SELECT token_hash, account_id, step, binding, next, attempts, created_ms, expires_ms "
	"FROM signin_pending WHERE token_hash = $1",
	NULL};
static const struct pd_sql SQL_PENDING_ATTEMPT = {
	"pending_attempt",
	"UPDATE signin_pending SET attempts = attempts + 1 WHERE token_hash = $1", NULL};
static const struct pd_sql SQL_PENDING_DELETE = {
	"pending_delete", "DELETE FROM signin_pending WHERE token_hash = $1", NULL};
static const struct pd_sql SQL_PENDING_DELETE_ACCOUNT = {
	"pending_delete_account", "DELETE FROM signin_pending WHERE account_id = $1", NULL};
/* The periodic job's batched purge (jobs/identity_purge.c). */
static const struct pd_sql SQL_PENDING_PURGE_EXPIRED = {
	"pending_purge_expired",
	"DELETE FROM signin_pending WHERE token_hash IN (SELECT token_hash FROM signin_pending "
	"WHERE expires_ms <= $1 LIMIT $2)",
	NULL};

/* Steps q once: PD_QS_ONE with a row ready (the caller reads and closes), else closed. */
static enum pd_qs first(struct pd_q *q)
{
	int rc = pd_q_step(q);
	if (rc == 1)
		return PD_QS_ONE;
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_NONE;
}

enum pd_qs pd_store_totp_get(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                             struct pd_totp_row *out)
{
	memset(out, 0, sizeof *out);
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_TOTP_GET);
	pd_q_text(q, 1, account_id);
	enum pd_qs qs = first(q);
	if (qs != PD_QS_ONE)
		return qs;
	out->account_id = pd_q_col_dup(q, 0, a);
	out->secret_ct = pd_q_col_blob_dup(q, 1, a);
	out->state = pd_q_col_dup(q, 2, a);
	out->last_step = pd_q_col_int(q, 3);
	out->created_ms = pd_q_col_int(q, 4);
	out->enabled_ms = pd_q_isnull(q, 5) ? 0 : pd_q_col_int(q, 5);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_totp_insert_pending(struct pd_tx *tx, const char *account_id,
                                        struct pd_blob secret_ct, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOTP_INSERT);
	pd_q_text(q, 1, account_id);
	pd_q_blob(q, 2, secret_ct.p, secret_ct.n);
	pd_q_int(q, 3, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_totp_activate(struct pd_tx *tx, const char *account_id, int64_t last_step,
                                  int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOTP_ACTIVATE);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, last_step);
	pd_q_int(q, 3, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_totp_advance(struct pd_tx *tx, const char *account_id, int64_t step)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOTP_ADVANCE);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, step);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs by_account(struct pd_tx *tx, const struct pd_sql *sql, const char *account_id)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, account_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_totp_delete(struct pd_tx *tx, const char *account_id)
{
	if (by_account(tx, &SQL_RECOVERY_DELETE, account_id) < 0)
		return PD_QS_HARD;
	return by_account(tx, &SQL_TOTP_DELETE, account_id);
}

enum pd_qs pd_store_recovery_replace(struct pd_tx *tx, const char *account_id,
                                     const unsigned char (*hashes)[32], int n, int64_t now_ms)
{
	if (by_account(tx, &SQL_RECOVERY_DELETE, account_id) < 0)
		return PD_QS_HARD;
	for (int i = 0; i < n; i++) {
		struct pd_q *q = pd_q_open(tx, &SQL_RECOVERY_INSERT);
		pd_q_text(q, 1, account_id);
		pd_q_blob(q, 2, hashes[i], 32);
		pd_q_int(q, 3, now_ms);
		if (pd_q_exec(q) != 1)
			return PD_QS_HARD;
	}
	return n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_recovery_take(struct pd_tx *tx, const char *account_id, struct pd_blob hash,
                                  int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RECOVERY_TAKE);
	pd_q_text(q, 1, account_id);
	pd_q_blob(q, 2, hash.p, hash.n);
	pd_q_int(q, 3, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_recovery_unused(struct pd_tx *tx, const char *account_id, int64_t *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_RECOVERY_UNUSED);
	pd_q_text(q, 1, account_id);
	enum pd_qs qs = first(q);
	if (qs != PD_QS_ONE)
		return qs;
	*n = pd_q_col_int(q, 0);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_unit_security_get(struct pd_tx *tx, const char *unit_id, bool *totp_required)
{
	*totp_required = false;
	struct pd_q *q = pd_q_open(tx, &SQL_UNIT_SEC_GET);
	pd_q_text(q, 1, unit_id);
	enum pd_qs qs = first(q);
	if (qs != PD_QS_ONE)
		return qs;
	*totp_required = pd_q_col_int(q, 0) != 0;
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_unit_security_set(struct pd_tx *tx, const char *unit_id, bool totp_required,
                                      int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UNIT_SEC_SET);
	pd_q_text(q, 1, unit_id);
	pd_q_int(q, 2, totp_required ? 1 : 0);
	pd_q_int(q, 3, now_ms);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_totp_required_paths(struct pd_tx *tx, struct pd_arena *a, const char **out,
                                        int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_REQUIRED_PATHS);
	pd_q_int(q, 1, max);
	while (*n < max && pd_q_step(q) == 1)
		out[(*n)++] = pd_q_col_dup(q, 0, a);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_pending_insert(struct pd_tx *tx, const struct pd_pending_row *p,
                                   int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PENDING_PURGE);
	pd_q_int(q, 1, now_ms);
	pd_q_text(q, 2, p->account_id);
	if (pd_q_exec(q) < 0)
		return PD_QS_HARD;
	q = pd_q_open(tx, &SQL_PENDING_INSERT);
	pd_q_blob(q, 1, p->token_hash.p, p->token_hash.n);
	pd_q_text(q, 2, p->account_id);
	pd_q_text(q, 3, p->step);
	pd_q_blob(q, 4, p->binding.p, p->binding.n);
	pd_q_text(q, 5, p->next);
	pd_q_int(q, 6, p->created_ms);
	pd_q_int(q, 7, p->expires_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_pending_get(struct pd_tx *tx, struct pd_blob hash, struct pd_arena *a,
                                struct pd_pending_row *out)
{
	memset(out, 0, sizeof *out);
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_PENDING_GET);
	pd_q_blob(q, 1, hash.p, hash.n);
	enum pd_qs qs = first(q);
	if (qs != PD_QS_ONE)
		return qs;
	out->token_hash = pd_q_col_blob_dup(q, 0, a);
	out->account_id = pd_q_col_dup(q, 1, a);
	out->step = pd_q_col_dup(q, 2, a);
	out->binding = pd_q_col_blob_dup(q, 3, a);
	out->next = pd_q_col_dup(q, 4, a);
	out->attempts = pd_q_col_int(q, 5);
	out->created_ms = pd_q_col_int(q, 6);
	out->expires_ms = pd_q_col_int(q, 7);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_pending_attempt(struct pd_tx *tx, struct pd_blob hash)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PENDING_ATTEMPT);
	pd_q_blob(q, 1, hash.p, hash.n);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_pending_delete(struct pd_tx *tx, struct pd_blob hash)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PENDING_DELETE);
	pd_q_blob(q, 1, hash.p, hash.n);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_pending_delete_account(struct pd_tx *tx, const char *account_id)
{
	return by_account(tx, &SQL_PENDING_DELETE_ACCOUNT, account_id) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_pending_purge_expired(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PENDING_PURGE_EXPIRED);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	*n = pd_q_exec(q);
	if (*n < 0) {
		*n = 0;
		return PD_QS_HARD;
	}
	return *n ? PD_QS_MANY : PD_QS_NONE;
}
