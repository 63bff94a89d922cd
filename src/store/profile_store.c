/* Statements and row mapping for account_profile (the sealed address) and account_document. */
#include "store/profile_store.h"

static const struct pd_sql SQL_ADDRESS_GET = {
	"profile_address_get",
	"SELECT address_ct FROM account_profile WHERE account_id = $1 AND address_ct IS NOT NULL",
	NULL};
static const struct pd_sql SQL_ADDRESS_PUT = {
	"profile_address_put",
	"INSERT INTO account_profile (account_id, address_ct, updated_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT (account_id) DO UPDATE SET address_ct = excluded.address_ct, "
	"updated_ms = excluded.updated_ms",
	NULL};
#define DOC_COLS "id, account_id, attachment_id, note_ct, created_ms"
static const struct pd_sql SQL_DOC_INSERT = {
	"account_doc_insert",
	"INSERT INTO account_document (" DOC_COLS ") VALUES ($1, $2, $3, $4, $5)", NULL};
static const struct pd_sql SQL_DOC_GET = {
	"account_doc_get", "SELECT " DOC_COLS " FROM account_document WHERE id = $1", NULL};
static const struct pd_sql SQL_DOC_LIST = {
	"account_doc_list",
	"SELECT " DOC_COLS " FROM account_document WHERE account_id = $1 ORDER BY id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_DOC_COUNT = {
	"account_doc_count", "SELECT COUNT(*) FROM account_document WHERE account_id = $1", NULL};

static const struct pd_sql SQL_PROFILE_DELETE = {
	"profile_delete", "DELETE FROM account_profile WHERE account_id = $1", NULL};
static const struct pd_sql SQL_DOC_DELETE = {
	"account_doc_delete", "DELETE FROM account_document WHERE id = $1", NULL};

enum pd_qs pd_store_profile_address_get(struct pd_tx *tx, const char *account_id,
                                        struct pd_arena *a, struct pd_blob *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ADDRESS_GET);
	pd_q_text(q, 1, account_id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 1)
		*out = pd_q_col_blob_dup(q, 0, a ? a : pd_tx_arena(tx));
	pd_q_close(q);
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_profile_address_put(struct pd_tx *tx, const char *account_id,
                                        struct pd_blob ct, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ADDRESS_PUT);
	pd_q_text(q, 1, account_id);
	if (ct.p)
		pd_q_blob(q, 2, ct.p, ct.n);
	else
		pd_q_null(q, 2);
	pd_q_int(q, 3, now_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

static void doc_row(struct pd_q *q, struct pd_arena *a, struct pd_account_doc_row *o)
{
	o->id = pd_q_col_dup(q, 0, a);
	o->account_id = pd_q_col_dup(q, 1, a);
	o->attachment_id = pd_q_col_dup(q, 2, a);
	o->note_ct = pd_q_col_blob_dup(q, 3, a);
	o->created_ms = pd_q_col_int(q, 4);
}

enum pd_qs pd_store_account_doc_insert(struct pd_tx *tx, const struct pd_account_doc_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DOC_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->account_id);
	pd_q_text(q, 3, r->attachment_id);
	if (r->note_ct.p)
		pd_q_blob(q, 4, r->note_ct.p, r->note_ct.n);
	else
		pd_q_null(q, 4);
	pd_q_int(q, 5, r->created_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_account_doc_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                    struct pd_account_doc_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DOC_GET);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 1)
		doc_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_account_doc_count(struct pd_tx *tx, const char *account_id, int64_t *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DOC_COUNT);
	pd_q_text(q, 1, account_id);
	if (pd_q_step(q) != 1)
		return PD_QS_HARD;
	*out = pd_q_col_int(q, 0);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_account_doc_list(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                     struct pd_account_doc_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_DOC_LIST);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	int rc;
	while (*n < max && (rc = pd_q_step(q)) == 1)
		doc_row(q, a ? a : pd_tx_arena(tx), &out[(*n)++]);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_profile_delete(struct pd_tx *tx, const char *account_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROFILE_DELETE);
	pd_q_text(q, 1, account_id);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_account_doc_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DOC_DELETE);
	pd_q_text(q, 1, id);
	int64_t k = pd_q_exec(q);
	return k < 0 ? PD_QS_HARD : k == 0 ? PD_QS_NONE : PD_QS_ONE;
}
