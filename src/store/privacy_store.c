/* Statements for erasure, NIK verification, the export's extra lists and the WAL checkpoint. */
#include "store/privacy_store.h"

#include <string.h>

#include "core/err.h"

static const struct pd_sql SQL_ERASE = {
	"privacy_account_erase",
	"UPDATE account SET email_ct = NULL, email_bidx = NULL, name_ct = NULL, phone_ct = NULL, "
	"nik_ct = NULL, nik_bidx = NULL, nik_verified = 0, nik_district = NULL, "
	"home_village_id = NULL, subject_key = NULL, password_hash = '', email_verified_ms = NULL, "
	"lang = NULL, erased_ms = $2 WHERE id = $1 AND erased_ms IS NULL",
	NULL};
static const struct pd_sql SQL_NIK_VERIFIED = {
	"privacy_nik_verified",
	"UPDATE account SET nik_verified = 1 WHERE id = $1 AND nik_bidx IS NOT NULL "
	"AND erased_ms IS NULL",
	NULL};
static const struct pd_sql SQL_TOKEN_DELETE = {
	"privacy_token_delete", "DELETE FROM account_token WHERE account_id = $1", NULL};
static const struct pd_sql SQL_GRANT_DELETE = {
	"privacy_grant_delete", "DELETE FROM account_grant WHERE account_id = $1", NULL};
static const struct pd_sql SQL_TOKEN_LIST = {
	"privacy_token_list",
	"SELECT kind, created_ms, expires_ms, used_ms FROM account_token WHERE account_id = $1 "
	"ORDER BY created_ms DESC LIMIT $2",
	NULL};
/* SQLite only; answers one row (busy, log frames, checkpointed frames). */
static const struct pd_sql SQL_CHECKPOINT = {
	"privacy_wal_checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)", NULL};

static enum pd_qs by_id(struct pd_tx *tx, const struct pd_sql *sql, const char *id)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_erase(struct pd_tx *tx, const char *id, int64_t erased_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ERASE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, erased_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_account_set_nik_verified(struct pd_tx *tx, const char *id)
{
	return by_id(tx, &SQL_NIK_VERIFIED, id);
}

enum pd_qs pd_store_token_delete_account(struct pd_tx *tx, const char *account_id)
{
	return by_id(tx, &SQL_TOKEN_DELETE, account_id) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_grant_delete_account(struct pd_tx *tx, const char *account_id)
{
	return by_id(tx, &SQL_GRANT_DELETE, account_id) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

static enum pd_qs counted(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

static int64_t opt_ms(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

enum pd_qs pd_store_token_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                               struct pd_token_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_TOKEN_LIST);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_token_row *t = &out[(*n)++];
		t->kind = pd_q_col_dup(q, 0, a);
		t->created_ms = pd_q_col_int(q, 1);
		t->expires_ms = pd_q_col_int(q, 2);
		t->used_ms = opt_ms(q, 3);
	}
	pd_q_close(q);
	return counted(tx, *n);
}

/* A checkpoint cannot run inside a transaction, and pd_store_read runs its body inside one:
 * the body prepares the statement, ends that read transaction, checkpoints in autocommit mode
 * and begins a new read transaction for pd_store_read to end. A reader connection may
 * checkpoint: query_only forbids changes to the content, not checkpoints. */
static int checkpoint_tx(struct pd_tx *tx, void *p)
{
	(void)p;
	struct pd_q *q = pd_q_open(tx, &SQL_CHECKPOINT);
	if (pd_tx_exec_raw(tx, "COMMIT"))
		return pd_tx_error(tx);
	int rc = pd_q_step(q);
	int64_t busy = rc == 1 ? pd_q_col_int(q, 0) : 1;
	pd_q_close(q);
	int err = pd_tx_error(tx);
	if (!err && pd_tx_exec_raw(tx, "BEGIN"))
		return pd_tx_error(tx);
	if (err)
		return err;
	return busy ? PD_ERR_BUSY : PD_OK;
}

int pd_store_checkpoint(struct pd_store *st)
{
	if (strcmp(pd_store_backend(st), "sqlite") != 0)
		return PD_OK;
	return pd_store_read(st, checkpoint_tx, NULL);
}
