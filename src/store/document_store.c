/* Statements and row mapping for issued documents, their counters and the document keys. */
#include "store/document_store.h"

#include <string.h>

#define COLS                                                                                    \
	"id, number, application_id, unit_id, unit_path, content, kid, sig, holder_ct, issued_by, " \
	"revoked_ms, revoke_reason, revoked_by, created_ms"

static const struct pd_sql SQL_NEXT = {
	"document_next_number",
	"INSERT INTO document_counter (unit_id, year, last) VALUES ($1, $2, 1) "
	"ON CONFLICT (unit_id, year) DO UPDATE SET last = document_counter.last + 1 RETURNING last",
	NULL};
static const struct pd_sql SQL_INSERT = {
	"document_insert",
	"INSERT INTO document (id, number, application_id, unit_id, unit_path, content, kid, sig, "
	"holder_ct, issued_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
	NULL};
static const struct pd_sql SQL_GET = {"document_get",
                                      "SELECT " COLS " FROM document WHERE id = $1", NULL};
static const struct pd_sql SQL_BY_APP = {
	"document_by_application", "SELECT " COLS " FROM document WHERE application_id = $1", NULL};
static const struct pd_sql SQL_REVOKE = {
	"document_revoke",
	"UPDATE document SET revoked_ms = $2, revoke_reason = $3, revoked_by = $4 "
	"WHERE id = $1 AND revoked_ms IS NULL",
	NULL};
static const struct pd_sql SQL_SET_HOLDER = {
	"document_set_holder", "UPDATE document SET holder_ct = $2 WHERE id = $1", NULL};
static const struct pd_sql SQL_KEY_CURRENT = {
	"document_key_current",
	"SELECT kid, generation, public_key, created_ms FROM document_key "
	"ORDER BY generation DESC LIMIT 1",
	NULL};
static const struct pd_sql SQL_KEY_INSERT = {
	"document_key_insert",
	"INSERT INTO document_key (kid, generation, public_key, created_ms) VALUES ($1, $2, $3, $4) "
	"ON CONFLICT DO NOTHING",
	NULL};
static const struct pd_sql SQL_KEY_LIST = {
	"document_key_list",
	"SELECT kid, generation, public_key, created_ms FROM document_key "
	"ORDER BY generation DESC LIMIT $1",
	NULL};

enum pd_qs pd_store_document_next_number(struct pd_tx *tx, const char *unit_id, int64_t year,
                                         int64_t *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NEXT);
	pd_q_text(q, 1, unit_id);
	pd_q_int(q, 2, year);
	int rc = pd_q_step(q);
	if (rc == 1) {
		*out = pd_q_col_int(q, 0);
		while (pd_q_step(q) == 1)
			;
	}
	pd_q_close(q);
	if (rc < 0 || pd_tx_error(tx))
		return PD_QS_HARD;
	return rc == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_document_insert(struct pd_tx *tx, const struct pd_document_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->number);
	pd_q_text(q, 3, r->application_id);
	pd_q_text(q, 4, r->unit_id);
	pd_q_text(q, 5, r->unit_path);
	pd_q_text(q, 6, r->content);
	pd_q_text(q, 7, r->kid);
	pd_q_text(q, 8, r->sig);
	pd_q_blob(q, 9, r->holder_ct.p, r->holder_ct.n);
	pd_q_text(q, 10, r->issued_by);
	pd_q_int(q, 11, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs one(struct pd_tx *tx, const struct pd_sql *sql, const char *key,
                      struct pd_arena *a, struct pd_document_row *r)
{
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, key);
	int rc = pd_q_step(q);
	if (rc == 1) {
		memset(r, 0, sizeof *r);
		const char **text[] = {&r->id,        &r->number, &r->application_id,
		                       &r->unit_id,   &r->unit_path, &r->content,
		                       &r->kid,       &r->sig};
		for (int i = 0; i < 8; i++)
			*text[i] = pd_q_col_dup(q, i, a);
		r->holder_ct = pd_q_col_blob_dup(q, 8, a);
		r->issued_by = pd_q_isnull(q, 9) ? NULL : pd_q_col_dup(q, 9, a);
		r->revoked_ms = pd_q_isnull(q, 10) ? 0 : pd_q_col_int(q, 10);
		r->revoke_reason = pd_q_isnull(q, 11) ? NULL : pd_q_col_dup(q, 11, a);
		r->revoked_by = pd_q_isnull(q, 12) ? NULL : pd_q_col_dup(q, 12, a);
		r->created_ms = pd_q_col_int(q, 13);
	}
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_document_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_document_row *out)
{
	return one(tx, &SQL_GET, id, a, out);
}

enum pd_qs pd_store_document_by_application(struct pd_tx *tx, const char *application_id,
                                            struct pd_arena *a, struct pd_document_row *out)
{
	return one(tx, &SQL_BY_APP, application_id, a, out);
}

enum pd_qs pd_store_document_set_holder(struct pd_tx *tx, const char *id, struct pd_blob holder_ct)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_HOLDER);
	pd_q_text(q, 1, id);
	pd_q_blob(q, 2, holder_ct.p, holder_ct.n);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_document_revoke(struct pd_tx *tx, const char *id, int64_t revoked_ms,
                                    const char *reason, const char *revoked_by)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REVOKE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, revoked_ms);
	pd_q_text(q, 3, reason);
	pd_q_text(q, 4, revoked_by);
	return pd_qs_of_changes(pd_q_exec(q));
}

static void key_row(struct pd_q *q, struct pd_arena *a, struct pd_document_key_row *k)
{
	k->kid = pd_q_col_dup(q, 0, a);
	k->generation = pd_q_col_int(q, 1);
	k->public_key = pd_q_col_dup(q, 2, a);
	k->created_ms = pd_q_col_int(q, 3);
}

enum pd_qs pd_store_document_key_current(struct pd_tx *tx, struct pd_arena *a,
                                         struct pd_document_key_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_KEY_CURRENT);
	int rc = pd_q_step(q);
	if (rc == 1)
		key_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_document_key_insert(struct pd_tx *tx, const struct pd_document_key_row *k)
{
	struct pd_q *q = pd_q_open(tx, &SQL_KEY_INSERT);
	pd_q_text(q, 1, k->kid);
	pd_q_int(q, 2, k->generation);
	pd_q_text(q, 3, k->public_key);
	pd_q_int(q, 4, k->created_ms);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_document_key_list(struct pd_tx *tx, struct pd_arena *a,
                                      struct pd_document_key_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_KEY_LIST);
	pd_q_int(q, 1, max);
	int rc;
	while ((rc = pd_q_step(q)) == 1 && *n < max)
		key_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}
