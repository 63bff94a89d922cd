/* Statements and row mapping for information requests (see inforeq_store.h). */
#include "store/inforeq_store.h"

#include <string.h>

#define COLS                                                                                     \
	"i.id, i.tracking, i.requester_account_id, i.unit_id, i.unit_path, u.slug, u.name, "     \
	"i.subject_ct, i.details_ct, i.purpose_ct, i.objection_ct, i.format, i.delivery, "       \
	"i.publish_consent, i.status, i.outcome, i.ground, i.answer, i.register_subject, "       \
	"i.register_answer, i.received_ms, i.due_ms, i.answered_ms, i.extension_days, "          \
	"i.extension_reason, i.overdue, i.forwarded_from, i.forwarded_to, ff.tracking, "         \
	"ft.tracking, i.objected_ms, i.objection_due_ms, i.objection_reasons, "                  \
	"i.objection_outcome, i.objection_answer, i.objection_decided_ms, i.objection_overdue, " \
	"i.form_id, i.version, i.updated_ms "
#define FROM                                                                                     \
	"FROM inforeq i JOIN unit u ON u.id = i.unit_id "                                         \
	"LEFT JOIN inforeq ff ON ff.id = i.forwarded_from LEFT JOIN inforeq ft ON ft.id = i.forwarded_to "

/* Light columns (lists): the sealed blobs are not read. */
#define LCOLS                                                                                    \
	"i.id, i.tracking, i.requester_account_id, i.unit_id, i.unit_path, u.slug, u.name, "     \
	"NULL, NULL, NULL, NULL, i.format, i.delivery, "                                         \
	"i.publish_consent, i.status, i.outcome, i.ground, NULL, i.register_subject, "           \
	"i.register_answer, i.received_ms, i.due_ms, i.answered_ms, i.extension_days, "          \
	"NULL, i.overdue, i.forwarded_from, i.forwarded_to, NULL, "                              \
	"NULL, i.objected_ms, i.objection_due_ms, i.objection_reasons, "                         \
	"i.objection_outcome, NULL, i.objection_decided_ms, i.objection_overdue, "               \
	"NULL, i.version, i.updated_ms "
#define LFROM "FROM inforeq i JOIN unit u ON u.id = i.unit_id "

static const struct pd_sql SQL_INSERT = {
	"irq_insert",
	"INSERT INTO inforeq (id, tracking, requester_account_id, unit_id, unit_path, subject_ct, "
	"details_ct, purpose_ct, format, delivery, publish_consent, status, received_ms, due_ms, "
	"forwarded_from, form_id, version, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	"$10, $11, $12, $13, $14, $15, $16, 1, $17) "
	/* A tracking number drawn twice (40 random bits: the birthday bound) inserts nothing, so
	 * the caller draws again; any other unique violation (the id, form_id) is still an error. */
	"ON CONFLICT (tracking) DO NOTHING",
	NULL};
static const struct pd_sql SQL_BY_ID = {"irq_by_id", "SELECT " COLS FROM "WHERE i.id = $1", NULL};
static const struct pd_sql SQL_BY_TRACKING = {
	"irq_by_tracking", "SELECT " COLS FROM "WHERE i.tracking = $1", NULL};
static const struct pd_sql SQL_BY_FORM = {
	"irq_by_form", "SELECT " COLS FROM "WHERE i.form_id = $1", NULL};
static const struct pd_sql SQL_UPDATE = {
	"irq_update",
	"UPDATE inforeq SET status = $3, outcome = $4, ground = $5, answer = $6, "
	"register_subject = $7, register_answer = $8, due_ms = $9, answered_ms = $10, "
	"extension_days = $11, extension_reason = $12, overdue = $13, forwarded_to = $14, "
	"objected_ms = $15, objection_due_ms = $16, objection_reasons = $17, objection_ct = $18, "
	"objection_outcome = $19, objection_answer = $20, objection_decided_ms = $21, "
	"objection_overdue = $22, updated_ms = $23, version = version + 1 "
	"WHERE id = $1 AND version = $2",
	NULL};
static const struct pd_sql SQL_EVENT_INSERT = {
	"irq_event_insert",
	"INSERT INTO inforeq_event (id, inforeq_id, at_ms, actor_id, by_staff, kind, note) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7)",
	NULL};
static const struct pd_sql SQL_EVENTS = {
	"irq_events",
	"SELECT id, inforeq_id, actor_id, kind, note, at_ms, by_staff FROM inforeq_event "
	"WHERE inforeq_id = $1 ORDER BY at_ms, id LIMIT $2",
	NULL};
static const struct pd_sql SQL_FILE_INSERT = {
	"irq_file_insert", "INSERT INTO inforeq_file (inforeq_id, n, attachment_id) VALUES ($1, $2, $3)",
	NULL};
static const struct pd_sql SQL_FILES = {
	"irq_files", "SELECT attachment_id FROM inforeq_file WHERE inforeq_id = $1 ORDER BY n LIMIT $2",
	NULL};
static const struct pd_sql SQL_NOTE_INSERT = {
	"irq_notification_insert",
	"INSERT INTO inforeq_notification (id, account_id, inforeq_id, kind, created_ms) "
	"VALUES ($1, $2, $3, $4, $5)",
	NULL};
static const struct pd_sql SQL_NOTES = {
	"irq_notifications",
	"SELECT n.id, n.account_id, n.inforeq_id, n.kind, n.created_ms, i.tracking "
	"FROM inforeq_notification n JOIN inforeq i ON i.id = n.inforeq_id "
	"WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_STAFF = {
	"irq_staff",
	"SELECT DISTINCT ac.id FROM account ac JOIN account_grant g ON g.account_id = ac.id "
	"JOIN unit u ON u.id = g.unit_id WHERE ac.kind = 'staff' AND ac.disabled = 0 "
	"AND ac.erased_ms IS NULL AND g.role = $1 "
	"AND substr($2, 1, length(u.path)) = u.path ORDER BY ac.id LIMIT $3",
	NULL};
static const struct pd_sql SQL_OWN = {
	"irq_own",
	"SELECT " COLS FROM "WHERE i.requester_account_id = $1 AND ($2 = '' OR i.id < $2) "
	"ORDER BY i.id DESC LIMIT $3",
	NULL};

#define RANGE(i, j) "(i.unit_path >= $" #i " AND i.unit_path < $" #j ")"
#define RUNNING_DUE                                                                              \
	"(CASE i.status WHEN 'received' THEN i.due_ms WHEN 'objected' THEN i.objection_due_ms "   \
	"ELSE 9000000000000000 END)"
static const struct pd_sql SQL_QUEUE = {
	"irq_queue",
	"SELECT " LCOLS LFROM "WHERE (" RANGE(1, 2) " OR " RANGE(3, 4) " OR " RANGE(5, 6)
	" OR " RANGE(7, 8) " OR " RANGE(9, 10) " OR " RANGE(11, 12) " OR " RANGE(13, 14)
	" OR " RANGE(15, 16) ") "
	"AND ($17 = '' OR i.status = $17 "
	"OR ($17 = 'open' AND i.status IN ('received', 'objected')) "
	"OR ($17 = 'closed' AND i.status IN ('answered', 'objection_decided'))) "
	"AND ($18 = 0 OR (i.status = 'received' AND i.overdue = 1) "
	"OR (i.status = 'objected' AND i.objection_overdue = 1)) "
	"AND ($19 = '' OR " RUNNING_DUE " > $20 OR (" RUNNING_DUE " = $20 AND i.id > $19)) "
	"ORDER BY " RUNNING_DUE ", i.id LIMIT $21",
	NULL};
static const struct pd_sql SQL_REGISTER = {
	"irq_register",
	"SELECT " LCOLS LFROM "WHERE i.answered_ms IS NOT NULL AND i.publish_consent = 1 "
	"AND i.outcome <> 'refused' AND i.register_subject IS NOT NULL "
	"AND ($1 = '' OR (i.unit_path >= $1 AND i.unit_path < $2)) "
	"AND ($3 = '' OR i.answered_ms < $4 OR (i.answered_ms = $4 AND i.id < $3)) "
	"ORDER BY i.answered_ms DESC, i.id DESC LIMIT $5",
	NULL};
static const struct pd_sql SQL_DUE = {
	"irq_due",
	"SELECT id, 0 FROM inforeq WHERE status = 'received' AND overdue = 0 AND due_ms < $1 "
	"UNION ALL SELECT id, 1 FROM inforeq WHERE status = 'objected' AND objection_overdue = 0 "
	"AND objection_due_ms < $1 LIMIT $2",
	NULL};
static const struct pd_sql SQL_FLAG0 = {
	"irq_flag_answer",
	"UPDATE inforeq SET overdue = 1, updated_ms = $2 WHERE id = $1 AND status = 'received' "
	"AND overdue = 0 AND due_ms < $2",
	NULL};
static const struct pd_sql SQL_FLAG1 = {
	"irq_flag_objection",
	"UPDATE inforeq SET objection_overdue = 1, updated_ms = $2 WHERE id = $1 "
	"AND status = 'objected' AND objection_overdue = 0 AND objection_due_ms < $2",
	NULL};
static const struct pd_sql SQL_COUNT_OVERDUE = {
	"irq_count_overdue",
	"SELECT COUNT(*) FROM inforeq WHERE (status = 'received' AND overdue = 1) "
	"OR (status = 'objected' AND objection_overdue = 1)",
	NULL};
static const struct pd_sql SQL_FIGURES = {
	"irq_figures",
	"SELECT " LCOLS LFROM "WHERE i.received_ms >= $1 AND i.received_ms < $2 "
	"AND ($3 = '' OR (i.unit_path >= $3 AND i.unit_path < $4)) "
	"ORDER BY i.unit_path, i.received_ms, i.id LIMIT $5",
	NULL};

static enum pd_qs rows_qs(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

static const char *col_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

static int64_t col_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_irq_row *r)
{
	memset(r, 0, sizeof *r);
	int i = 0;
	r->id = col_text(q, i++, a);
	r->tracking = col_text(q, i++, a);
	r->requester_account_id = col_text(q, i++, a);
	r->unit_id = col_text(q, i++, a);
	r->unit_path = col_text(q, i++, a);
	r->unit_slug = col_text(q, i++, a);
	r->unit_name = col_text(q, i++, a);
	r->subject_ct = pd_q_col_blob_dup(q, i++, a);
	r->details_ct = pd_q_col_blob_dup(q, i++, a);
	r->purpose_ct = pd_q_col_blob_dup(q, i++, a);
	r->objection_ct = pd_q_col_blob_dup(q, i++, a);
	r->format = col_text(q, i++, a);
	r->delivery = col_text(q, i++, a);
	r->publish_consent = col_int(q, i++) != 0;
	r->status = col_text(q, i++, a);
	r->outcome = col_text(q, i++, a);
	r->ground = col_text(q, i++, a);
	r->answer = col_text(q, i++, a);
	r->register_subject = col_text(q, i++, a);
	r->register_answer = col_text(q, i++, a);
	r->received_ms = col_int(q, i++);
	r->due_ms = col_int(q, i++);
	r->answered_ms = col_int(q, i++);
	r->extension_days = col_int(q, i++);
	r->extension_reason = col_text(q, i++, a);
	r->overdue = col_int(q, i++) != 0;
	r->forwarded_from = col_text(q, i++, a);
	r->forwarded_to = col_text(q, i++, a);
	r->forwarded_from_tracking = col_text(q, i++, a);
	r->forwarded_to_tracking = col_text(q, i++, a);
	r->objected_ms = col_int(q, i++);
	r->objection_due_ms = col_int(q, i++);
	r->objection_reasons = col_int(q, i++);
	r->objection_outcome = col_text(q, i++, a);
	r->objection_answer = col_text(q, i++, a);
	r->objection_decided_ms = col_int(q, i++);
	r->objection_overdue = col_int(q, i++) != 0;
	r->form_id = col_text(q, i++, a);
	r->version = col_int(q, i++);
	r->updated_ms = col_int(q, i++);
}

enum pd_qs pd_store_irq_insert(struct pd_tx *tx, const struct pd_irq_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->tracking);
	pd_q_text(q, 3, r->requester_account_id);
	pd_q_text(q, 4, r->unit_id);
	pd_q_text(q, 5, r->unit_path);
	pd_q_blob(q, 6, r->subject_ct.p, r->subject_ct.n);
	pd_q_blob(q, 7, r->details_ct.p, r->details_ct.n);
	pd_q_blob(q, 8, r->purpose_ct.p, r->purpose_ct.n);
	pd_q_text(q, 9, r->format);
	pd_q_text(q, 10, r->delivery);
	pd_q_int(q, 11, r->publish_consent ? 1 : 0);
	pd_q_text(q, 12, r->status);
	pd_q_int(q, 13, r->received_ms);
	pd_q_int(q, 14, r->due_ms);
	pd_q_text(q, 15, r->forwarded_from);
	pd_q_text(q, 16, r->form_id);
	pd_q_int(q, 17, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs by_key(struct pd_tx *tx, const struct pd_sql *sql, const char *key,
                         struct pd_arena *a, struct pd_irq_row *r)
{
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, key);
	int rc = pd_q_step(q);
	if (rc == 1)
		read_row(q, a, r);
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_irq_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_irq_row *r)
{
	return by_key(tx, &SQL_BY_ID, id, a, r);
}

enum pd_qs pd_store_irq_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_irq_row *r)
{
	return by_key(tx, &SQL_BY_TRACKING, tracking, a, r);
}

enum pd_qs pd_store_irq_by_form(struct pd_tx *tx, const char *form_id, struct pd_arena *a,
                                struct pd_irq_row *r)
{
	return by_key(tx, &SQL_BY_FORM, form_id, a, r);
}

enum pd_qs pd_store_irq_update(struct pd_tx *tx, const struct pd_irq_row *r, int64_t version)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, r->id);
	pd_q_int(q, 2, version);
	pd_q_text(q, 3, r->status);
	pd_q_text(q, 4, r->outcome);
	pd_q_text(q, 5, r->ground);
	pd_q_text(q, 6, r->answer);
	pd_q_text(q, 7, r->register_subject);
	pd_q_text(q, 8, r->register_answer);
	pd_q_int(q, 9, r->due_ms);
	pd_q_int_or_null(q, 10, r->answered_ms);
	pd_q_int(q, 11, r->extension_days);
	pd_q_text(q, 12, r->extension_reason);
	pd_q_int(q, 13, r->overdue ? 1 : 0);
	pd_q_text(q, 14, r->forwarded_to);
	pd_q_int_or_null(q, 15, r->objected_ms);
	pd_q_int_or_null(q, 16, r->objection_due_ms);
	pd_q_int(q, 17, r->objection_reasons);
	pd_q_blob_or_null(q, 18, r->objection_ct);
	pd_q_text(q, 19, r->objection_outcome);
	pd_q_text(q, 20, r->objection_answer);
	pd_q_int_or_null(q, 21, r->objection_decided_ms);
	pd_q_int(q, 22, r->objection_overdue ? 1 : 0);
	pd_q_int(q, 23, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_irq_event_insert(struct pd_tx *tx, const struct pd_irq_event_row *e)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EVENT_INSERT);
	pd_q_text(q, 1, e->id);
	pd_q_text(q, 2, e->inforeq_id);
	pd_q_int(q, 3, e->at_ms);
	pd_q_text(q, 4, e->actor_id);
	pd_q_int(q, 5, e->by_staff ? 1 : 0);
	pd_q_text(q, 6, e->kind);
	pd_q_text(q, 7, e->note);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_irq_events(struct pd_tx *tx, const char *inforeq_id, struct pd_arena *a,
                               struct pd_irq_event_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_EVENTS);
	pd_q_text(q, 1, inforeq_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_irq_event_row *e = &out[(*n)++];
		e->id = col_text(q, 0, a);
		e->inforeq_id = col_text(q, 1, a);
		e->actor_id = col_text(q, 2, a);
		e->kind = col_text(q, 3, a);
		e->note = col_text(q, 4, a);
		e->at_ms = col_int(q, 5);
		e->by_staff = col_int(q, 6) != 0;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_irq_file_insert(struct pd_tx *tx, const char *inforeq_id, int n,
                                    const char *attachment_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FILE_INSERT);
	pd_q_text(q, 1, inforeq_id);
	pd_q_int(q, 2, n);
	pd_q_text(q, 3, attachment_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_irq_files(struct pd_tx *tx, const char *inforeq_id, struct pd_arena *a,
                              const char **ids, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_FILES);
	pd_q_text(q, 1, inforeq_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1)
		ids[(*n)++] = col_text(q, 0, a);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_irq_notification_insert(struct pd_tx *tx,
                                            const struct pd_irq_notification_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->account_id);
	pd_q_text(q, 3, r->inforeq_id);
	pd_q_text(q, 4, r->kind);
	pd_q_int(q, 5, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_irq_notifications(struct pd_tx *tx, const char *account_id,
                                      struct pd_arena *a, struct pd_irq_notification_row *out,
                                      int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_NOTES);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_irq_notification_row *r = &out[(*n)++];
		r->id = col_text(q, 0, a);
		r->account_id = col_text(q, 1, a);
		r->inforeq_id = col_text(q, 2, a);
		r->kind = col_text(q, 3, a);
		r->created_ms = col_int(q, 4);
		r->tracking = col_text(q, 5, a);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_irq_staff(struct pd_tx *tx, const char *role, const char *unit_path,
                              struct pd_arena *a, const char **ids, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_STAFF);
	pd_q_text(q, 1, role);
	pd_q_text(q, 2, unit_path);
	pd_q_int(q, 3, max);
	while (*n < max && pd_q_step(q) == 1)
		ids[(*n)++] = col_text(q, 0, a);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

static enum pd_qs read_rows(struct pd_tx *tx, struct pd_q *q, struct pd_arena *a,
                            struct pd_irq_row *out, int max, int *n)
{
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_irq_own(struct pd_tx *tx, const char *account_id, const char *after_id,
                            struct pd_arena *a, struct pd_irq_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_OWN);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, after_id ? after_id : "");
	pd_q_int(q, 3, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_irq_queue(struct pd_tx *tx, const struct pd_irq_queue_filter *f,
                              struct pd_arena *a, struct pd_irq_row *out, int max, int *n)
{
	*n = 0;
	struct pd_arena *ta = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_QUEUE);
	for (int i = 0; i < PD_STORE_IRQ_RANGES; i++) {
		/* '~' sorts after the characters of a path; an unused range matches nothing. */
		bool used = i < f->n_paths && f->paths[i] && *f->paths[i];
		pd_q_text(q, 2 * i + 1, used ? f->paths[i] : "");
		pd_q_text(q, 2 * i + 2, used ? pd_arena_printf(ta, "%s~", f->paths[i]) : "");
	}
	pd_q_text(q, 17, f->status ? f->status : "");
	pd_q_int(q, 18, f->overdue ? 1 : 0);
	pd_q_text(q, 19, f->after_id ? f->after_id : "");
	pd_q_int(q, 20, f->after_due);
	pd_q_int(q, 21, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_irq_register(struct pd_tx *tx, const char *path, int64_t after_ms,
                                 const char *after_id, struct pd_arena *a,
                                 struct pd_irq_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_REGISTER);
	pd_q_text(q, 1, path ? path : "");
	pd_q_text(q, 2, path && *path ? pd_arena_printf(pd_tx_arena(tx), "%s~", path) : "");
	pd_q_text(q, 3, after_id ? after_id : "");
	pd_q_int(q, 4, after_ms);
	pd_q_int(q, 5, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_irq_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int *kinds, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_DUE);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		ids[*n] = col_text(q, 0, a);
		kinds[*n] = (int)col_int(q, 1);
		(*n)++;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_irq_flag(struct pd_tx *tx, const char *id, int kind, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, kind ? &SQL_FLAG1 : &SQL_FLAG0);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_irq_count_overdue(struct pd_tx *tx, int64_t *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_COUNT_OVERDUE);
	int rc = pd_q_step(q);
	if (rc == 1)
		*n = col_int(q, 0);
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_irq_figure_rows(struct pd_tx *tx, const char *path, int64_t since,
                                    int64_t until, struct pd_arena *a, struct pd_irq_row *out,
                                    int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_FIGURES);
	pd_q_int(q, 1, since);
	pd_q_int(q, 2, until);
	pd_q_text(q, 3, path ? path : "");
	pd_q_text(q, 4, path && *path ? pd_arena_printf(pd_tx_arena(tx), "%s~", path) : "");
	pd_q_int(q, 5, max);
	return read_rows(tx, q, a, out, max, n);
}
