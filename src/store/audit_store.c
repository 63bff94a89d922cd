/* Statements and row mapping for the audit log and its checkpoints. */
#include "store/audit_store.h"

#include <stdint.h>
#include <string.h>

#include "core/err.h"

/* Any constant shared by all nodes, distinct from the migration lock's. */
#define AUDIT_LOCK_KEY "7064617564697431"

static const struct pd_sql SQL_LOCK = {
	"audit_lock", "SELECT 1", "SELECT pg_advisory_xact_lock(" AUDIT_LOCK_KEY ")"};
static const struct pd_sql SQL_LAST = {
	"audit_last", "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL};
static const struct pd_sql SQL_INSERT = {
	"audit_insert",
	"INSERT INTO audit_log (seq, ts_ms, actor, action, object_type, object_id, unit_id, "
	"subject_id, purpose, details, prev_hash, hash) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
	NULL};
#define COLS                                                                                     \
	"seq, ts_ms, actor, action, object_type, object_id, unit_id, subject_id, purpose, details, " \
	"prev_hash, hash"
static const struct pd_sql SQL_FIRST_PAGE = {
	"audit_first_page", "SELECT " COLS " FROM audit_log ORDER BY seq LIMIT $1", NULL};
static const struct pd_sql SQL_PAGE = {
	"audit_page", "SELECT " COLS " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", NULL};
static const struct pd_sql SQL_HASH_AT = {
	"audit_hash_at", "SELECT hash FROM audit_log WHERE seq = $1", NULL};
static const struct pd_sql SQL_BY_SUBJECT = {
	"audit_by_subject",
	"SELECT seq, ts_ms, actor, action, object_type, object_id, unit_id, purpose FROM audit_log "
	"WHERE subject_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
	NULL};
static const struct pd_sql SQL_BY_SUBJECT_ACTION = {
	"audit_by_subject_action",
	"SELECT seq, ts_ms, actor, action, object_type, object_id, unit_id, purpose FROM audit_log "
	"WHERE subject_id = $1 AND seq < $2 AND action = $4 ORDER BY seq DESC LIMIT $3",
	NULL};

static const struct pd_sql SQL_CP_INSERT = {
	"audit_cp_insert",
	"INSERT INTO audit_checkpoint (seq, hash, ts_ms, key_id, signature) "
	"VALUES ($1, $2, $3, $4, $5)",
	NULL};
static const struct pd_sql SQL_CP_LAST = {
	"audit_cp_last", "SELECT seq FROM audit_checkpoint ORDER BY seq DESC LIMIT 1", NULL};
#define CP_COLS "seq, hash, ts_ms, key_id, signature"
static const struct pd_sql SQL_CP_FIRST_PAGE = {
	"audit_cp_first_page", "SELECT " CP_COLS " FROM audit_checkpoint ORDER BY seq LIMIT $1",
	NULL};
static const struct pd_sql SQL_CP_PAGE = {
	"audit_cp_page",
	"SELECT " CP_COLS " FROM audit_checkpoint WHERE seq > $1 ORDER BY seq LIMIT $2", NULL};
static const struct pd_sql SQL_CP_AT = {
	"audit_cp_at", "SELECT " CP_COLS " FROM audit_checkpoint WHERE seq = $1", NULL};

/* A text column as exact bytes: NULL stays NULL, an empty value is "" (SQLite answers NULL for
 * the bytes of a zero-length value). */
static struct pd_audit_text text_col(struct pd_q *q, int i)
{
	struct pd_audit_text t = {NULL, 0};
	if (pd_q_isnull(q, i))
		return t;
	t.p = pd_q_col_blob(q, i, &t.n);
	if (!t.p) {
		t.p = "";
		t.n = 0;
	}
	return t;
}

static const unsigned char *blob_col(struct pd_q *q, int i, size_t *n)
{
	const unsigned char *p = pd_q_col_blob(q, i, n);
	return p ? p : (const unsigned char *)"";
}

static void bind_text(struct pd_q *q, int i, struct pd_audit_text t)
{
	if (t.p)
		pd_q_textn(q, i, t.p, t.n);
	else
		pd_q_null(q, i);
}

enum pd_qs pd_store_audit_lock(struct pd_tx *tx)
{
	struct pd_q *q = pd_q_open(tx, &SQL_LOCK);
	int rc = pd_q_step(q);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_audit_last(struct pd_tx *tx, int64_t *seq, unsigned char hash[32])
{
	struct pd_q *q = pd_q_open(tx, &SQL_LAST);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	size_t n = 0;
	const void *h = pd_q_col_blob(q, 1, &n);
	if (!h || n != PD_AUDIT_HASH_LEN) {
		pd_q_close(q);
		pd_tx_fail(tx, PD_ERR_INVALID);
		return PD_QS_HARD;
	}
	*seq = pd_q_col_int(q, 0);
	memcpy(hash, h, PD_AUDIT_HASH_LEN);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_audit_insert(struct pd_tx *tx, const struct pd_audit_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_int(q, 1, r->seq);
	pd_q_int(q, 2, r->ts_ms);
	bind_text(q, 3, r->actor);
	bind_text(q, 4, r->action);
	bind_text(q, 5, r->object_type);
	bind_text(q, 6, r->object_id);
	bind_text(q, 7, r->unit_id);
	bind_text(q, 8, r->subject_id);
	bind_text(q, 9, r->purpose);
	bind_text(q, 10, r->details);
	pd_q_blob(q, 11, r->prev_hash, r->prev_hash_len);
	pd_q_blob(q, 12, r->hash, r->hash_len);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

static void audit_row(struct pd_q *q, struct pd_audit_row *r)
{
	r->seq = pd_q_col_int(q, 0);
	r->ts_ms = pd_q_col_int(q, 1);
	r->actor = text_col(q, 2);
	r->action = text_col(q, 3);
	r->object_type = text_col(q, 4);
	r->object_id = text_col(q, 5);
	r->unit_id = text_col(q, 6);
	r->subject_id = text_col(q, 7);
	r->purpose = text_col(q, 8);
	r->details = text_col(q, 9);
	r->prev_hash = blob_col(q, 10, &r->prev_hash_len);
	r->hash = blob_col(q, 11, &r->hash_len);
}

enum pd_qs pd_store_audit_page(struct pd_tx *tx, const int64_t *after_seq, int max,
                               int (*fn)(const struct pd_audit_row *r, void *arg), void *arg,
                               int *n)
{
	struct pd_q *q;
	if (after_seq) {
		q = pd_q_open(tx, &SQL_PAGE);
		pd_q_int(q, 1, *after_seq);
		pd_q_int(q, 2, max);
	} else {
		q = pd_q_open(tx, &SQL_FIRST_PAGE);
		pd_q_int(q, 1, max);
	}
	*n = 0;
	bool stopped = false;
	while (!stopped && pd_q_step(q) == 1) {
		struct pd_audit_row r;
		audit_row(q, &r);
		(*n)++;
		stopped = fn(&r, arg) != 0;
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	if (stopped)
		return PD_QS_MANY;
	return *n == 0 ? PD_QS_NONE : (*n == 1 ? PD_QS_ONE : PD_QS_MANY);
}

enum pd_qs pd_store_audit_hash_at(struct pd_tx *tx, int64_t seq, unsigned char out[32],
                                  size_t *len)
{
	struct pd_q *q = pd_q_open(tx, &SQL_HASH_AT);
	pd_q_int(q, 1, seq);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	size_t n = 0;
	const unsigned char *h = blob_col(q, 0, &n);
	*len = n;
	memset(out, 0, PD_AUDIT_HASH_LEN);
	memcpy(out, h, n < PD_AUDIT_HASH_LEN ? n : PD_AUDIT_HASH_LEN);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_audit_by_subject(struct pd_tx *tx, const char *subject_id, const char *action,
                                     int64_t before_seq, struct pd_arena *a,
                                     struct pd_audit_entry *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, action ? &SQL_BY_SUBJECT_ACTION : &SQL_BY_SUBJECT);
	pd_q_text(q, 1, subject_id);
	pd_q_int(q, 2, before_seq > 0 ? before_seq : INT64_MAX);
	pd_q_int(q, 3, max);
	if (action)
		pd_q_text(q, 4, action);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_audit_entry *e = &out[(*n)++];
		e->seq = pd_q_col_int(q, 0);
		e->ts_ms = pd_q_col_int(q, 1);
		e->actor = pd_q_col_dup(q, 2, a);
		e->action = pd_q_col_dup(q, 3, a);
		e->object_type = pd_q_col_dup(q, 4, a);
		e->object_id = pd_q_col_dup(q, 5, a);
		e->unit_id = pd_q_col_dup(q, 6, a);
		e->purpose = pd_q_col_dup(q, 7, a);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : (*n == 1 ? PD_QS_ONE : PD_QS_MANY);
}

/* --- checkpoints ---------------------------------------------------------------------------- */

enum pd_qs pd_store_audit_cp_insert(struct pd_tx *tx, const struct pd_audit_cp_row *c)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CP_INSERT);
	pd_q_int(q, 1, c->seq);
	pd_q_blob(q, 2, c->hash, c->hash_len);
	pd_q_int(q, 3, c->ts_ms);
	bind_text(q, 4, c->key_id);
	pd_q_blob(q, 5, c->signature, c->signature_len);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_audit_cp_last(struct pd_tx *tx, int64_t *seq)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CP_LAST);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	*seq = pd_q_col_int(q, 0);
	pd_q_close(q);
	return PD_QS_ONE;
}

static void cp_row(struct pd_q *q, struct pd_audit_cp_row *c)
{
	c->seq = pd_q_col_int(q, 0);
	c->hash = blob_col(q, 1, &c->hash_len);
	c->ts_ms = pd_q_col_int(q, 2);
	c->key_id = text_col(q, 3);
	c->signature = blob_col(q, 4, &c->signature_len);
}

enum pd_qs pd_store_audit_cp_page(struct pd_tx *tx, const int64_t *after_seq, int max,
                                  int (*fn)(const struct pd_audit_cp_row *c, void *arg),
                                  void *arg, int *n)
{
	struct pd_q *q;
	if (after_seq) {
		q = pd_q_open(tx, &SQL_CP_PAGE);
		pd_q_int(q, 1, *after_seq);
		pd_q_int(q, 2, max);
	} else {
		q = pd_q_open(tx, &SQL_CP_FIRST_PAGE);
		pd_q_int(q, 1, max);
	}
	*n = 0;
	bool stopped = false;
	while (!stopped && pd_q_step(q) == 1) {
		struct pd_audit_cp_row c;
		cp_row(q, &c);
		(*n)++;
		stopped = fn(&c, arg) != 0;
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	if (stopped)
		return PD_QS_MANY;
	return *n == 0 ? PD_QS_NONE : (*n == 1 ? PD_QS_ONE : PD_QS_MANY);
}

enum pd_qs pd_store_audit_cp_at(struct pd_tx *tx, int64_t seq,
                                int (*fn)(const struct pd_audit_cp_row *c, void *arg), void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CP_AT);
	pd_q_int(q, 1, seq);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	struct pd_audit_cp_row c;
	cp_row(q, &c);
	fn(&c, arg);
	pd_q_close(q);
	return PD_QS_ONE;
}
