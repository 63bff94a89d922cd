/* Statements and row mapping for attachments; the file's bytes live in blob_store. */
#include "store/attachment_store.h"

static const struct pd_sql SQL_INSERT = {
	"attachment_insert",
	"INSERT INTO attachment (id, subject_id, file_key, blob_id, content_type, size, filename_ct, "
	"created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	NULL};
static const struct pd_sql SQL_GET = {
	"attachment_get",
	"SELECT id, subject_id, file_key, blob_id, content_type, size, filename_ct, created_ms "
	"FROM attachment WHERE id = $1",
	NULL};
static const struct pd_sql SQL_DELETE = {
	"attachment_delete", "DELETE FROM attachment WHERE id = $1", NULL};

static const struct pd_sql SQL_REKEY = {
	"attachment_rekey",
	"UPDATE attachment SET subject_id = $2, file_key = NULL, blob_id = $3, filename_ct = $4 "
	"WHERE id = $1",
	NULL};

static const struct pd_sql SQL_BY_SUBJECT = {
	"attachment_by_subject",
	"SELECT id FROM attachment WHERE subject_id = $1 ORDER BY id LIMIT $2", NULL};

enum pd_qs pd_store_attachment_insert(struct pd_tx *tx, const struct pd_attachment_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->subject_id);
	pd_q_blob_or_null(q, 3, r->file_key);
	pd_q_text(q, 4, r->blob_id);
	pd_q_text(q, 5, r->content_type);
	pd_q_int(q, 6, r->size);
	pd_q_blob_or_null(q, 7, r->filename_ct);
	pd_q_int(q, 8, r->created_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_attachment_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                   struct pd_attachment_row *out)
{
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_GET);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0) {
		pd_q_close(q);
		return PD_QS_NONE;
	}
	out->id = pd_q_col_dup(q, 0, a);
	out->subject_id = pd_q_isnull(q, 1) ? NULL : pd_q_col_dup(q, 1, a);
	out->file_key = pd_q_col_blob_dup(q, 2, a);
	out->blob_id = pd_q_col_dup(q, 3, a);
	out->content_type = pd_q_col_dup(q, 4, a);
	out->size = pd_q_col_int(q, 5);
	out->filename_ct = pd_q_col_blob_dup(q, 6, a);
	out->created_ms = pd_q_col_int(q, 7);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_attachment_rekey(struct pd_tx *tx, const char *id, const char *subject_id,
                                     const char *blob_id, struct pd_blob filename_ct)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REKEY);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, subject_id);
	pd_q_text(q, 3, blob_id);
	pd_q_blob_or_null(q, 4, filename_ct);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_attachment_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DELETE);
	pd_q_text(q, 1, id);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_attachment_ids_of_subject(struct pd_tx *tx, const char *subject_id,
                                              struct pd_arena *a, const char **out, int max,
                                              int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_BY_SUBJECT);
	pd_q_text(q, 1, subject_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		out[(*n)++] = pd_q_col_dup(q, 0, a ? a : pd_tx_arena(tx));
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}
