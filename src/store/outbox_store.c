/* Statements and row mapping for the durable outbox (sealed recipient and message). */
#include "store/outbox_store.h"

#include <string.h>

static const struct pd_sql SQL_INSERT = {
	"outbox_insert",
	"INSERT INTO outbox (id, channel, recipient_ct, body_ct, message_id, state, attempts, "
	"next_attempt_ms, claimed_until_ms, last_error, created_ms) "
	"VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, 0, '', $6)",
	NULL};

#define DUE "state = 'pending' AND next_attempt_ms <= $1 AND claimed_until_ms < $1"
#define RETURNING " RETURNING id, channel, recipient_ct, body_ct, message_id, attempts"
/* SQLite serialises writers (BEGIN IMMEDIATE), so its claim needs no row locks; PostgreSQL
 * nodes skip the rows another node is claiming at the same moment. */
static const struct pd_sql SQL_CLAIM = {
	"outbox_claim",
	"UPDATE outbox SET claimed_until_ms = $2 WHERE id IN (SELECT id FROM outbox WHERE " DUE
	" ORDER BY next_attempt_ms, id LIMIT $3)" RETURNING,
	"UPDATE outbox SET claimed_until_ms = $2 WHERE id IN (SELECT id FROM outbox WHERE " DUE
	" ORDER BY next_attempt_ms, id LIMIT $3 FOR UPDATE SKIP LOCKED)" RETURNING};
static const struct pd_sql SQL_ANY_DUE = {
	"outbox_any_due", "SELECT 1 FROM outbox WHERE " DUE " LIMIT 1", NULL};
static const struct pd_sql SQL_SENT = {
	"outbox_sent",
	"UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_ms = $2, "
	"claimed_until_ms = 0, last_error = '' WHERE id = $1 AND state = 'pending'",
	NULL};
static const struct pd_sql SQL_RETRY = {
	"outbox_retry",
	"UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $2, claimed_until_ms = 0, "
	"last_error = $3 WHERE id = $1 AND state = 'pending'",
	NULL};
static const struct pd_sql SQL_FAILED = {
	"outbox_failed",
	"UPDATE outbox SET state = 'failed', attempts = attempts + 1, claimed_until_ms = 0, "
	"last_error = $2 WHERE id = $1 AND state = 'pending'",
	NULL};
static const struct pd_sql SQL_RELEASE = {
	"outbox_release",
	"UPDATE outbox SET claimed_until_ms = 0 WHERE id = $1 AND state = 'pending'", NULL};
static const struct pd_sql SQL_PURGE = {
	"outbox_purge",
	"DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state = 'sent' "
	"AND sent_ms < $1 LIMIT $2)",
	NULL};
static const struct pd_sql SQL_COUNTS = {
	"outbox_counts",
	"SELECT state, COUNT(*), SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) FROM outbox "
	"GROUP BY state",
	NULL};

enum pd_qs pd_store_outbox_insert(struct pd_tx *tx, const struct pd_outbox_new *m)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, m->id);
	pd_q_text(q, 2, m->channel);
	pd_q_blob(q, 3, m->recipient_ct, m->recipient_ct_len);
	pd_q_blob(q, 4, m->body_ct, m->body_ct_len);
	pd_q_text(q, 5, m->message_id);
	pd_q_int(q, 6, m->now_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_outbox_claim(struct pd_tx *tx, int64_t now_ms, int64_t lease_ms, int max,
                                 struct pd_arena *a, struct pd_outbox_msg *out, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_CLAIM);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, now_ms + lease_ms);
	pd_q_int(q, 3, max);
	int rc;
	/* Step through every returned row: the UPDATE is complete only when they are read. */
	while ((rc = pd_q_step(q)) == 1) {
		if (*n >= max)
			continue;
		struct pd_outbox_msg *m = &out[(*n)++];
		m->id = pd_q_col_dup(q, 0, a);
		m->channel = pd_q_col_dup(q, 1, a);
		size_t len = 0;
		const void *p = pd_q_col_blob(q, 2, &len);
		m->recipient_ct = pd_arena_memdup(a, p ? p : "", len);
		m->recipient_ct_len = len;
		len = 0;
		p = pd_q_col_blob(q, 3, &len);
		m->body_ct = pd_arena_memdup(a, p ? p : "", len);
		m->body_ct_len = len;
		m->message_id = pd_q_col_dup(q, 4, a);
		m->attempts = pd_q_col_int(q, 5);
	}
	pd_q_close(q);
	if (rc < 0 || pd_tx_error(tx))
		return PD_QS_HARD;
	if (*n == 0)
		return PD_QS_NONE;
	return *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_outbox_any_due(struct pd_tx *tx, int64_t now_ms, int *due)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ANY_DUE);
	pd_q_int(q, 1, now_ms);
	int rc = pd_q_step(q);
	pd_q_close(q);
	if (rc < 0)
		return PD_QS_HARD;
	*due = rc == 1;
	return rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_outbox_mark_sent(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SENT);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_outbox_mark_retry(struct pd_tx *tx, const char *id, int64_t next_ms,
                                      const char *error)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RETRY);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, next_ms);
	pd_q_text(q, 3, error ? error : "");
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_outbox_mark_failed(struct pd_tx *tx, const char *id, const char *error)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FAILED);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, error ? error : "");
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_outbox_release(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RELEASE);
	pd_q_text(q, 1, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_outbox_purge_sent(struct pd_tx *tx, int64_t before_ms, int max, int64_t *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PURGE);
	pd_q_int(q, 1, before_ms);
	pd_q_int(q, 2, max);
	*n = pd_q_exec(q);
	if (*n < 0) {
		*n = 0;
		return PD_QS_HARD;
	}
	return *n ? PD_QS_MANY : PD_QS_NONE;
}

enum pd_qs pd_store_outbox_counts(struct pd_tx *tx, struct pd_outbox_counts *out)
{
	memset(out, 0, sizeof *out);
	struct pd_q *q = pd_q_open(tx, &SQL_COUNTS);
	int rc;
	while ((rc = pd_q_step(q)) == 1) {
		const char *state = pd_q_col_text(q, 0);
		int64_t count = pd_q_col_int(q, 1);
		if (!state)
			continue;
		if (strcmp(state, "pending") == 0) {
			out->pending = count;
			out->retrying = pd_q_col_int(q, 2);
		} else if (strcmp(state, "sent") == 0) {
			out->sent = count;
		} else if (strcmp(state, "failed") == 0) {
			out->failed = count;
		}
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_ONE;
}
