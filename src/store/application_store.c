/* Statements and row mapping for applications, their timeline, files and notifications. */
#include "store/application_store.h"

#include <string.h>

#define COLS                                                                                    \
	"a.id, a.tracking, a.service_id, a.form_version, a.unit_id, a.unit_path, a.place_unit_id, " \
	"a.citizen_account_id, a.subject_key, a.nik_bidx, a.holder_ct, a.assisted_by, "           \
	"a.consent_ms, a.status, a.assigned_to, a.answers_ct, a.checklist, a.note_ct, a.sla_days, " \
	"a.submitted_ms, a.due_ms, a.paused_since_ms, a.paused_days, a.overdue, a.decided_ms, "   \
	"a.document_id, a.version, a.created_ms, a.updated_ms, s.slug, s.name, s.product, u.name"
#define FROM " FROM application a JOIN service s ON s.id = a.service_id JOIN unit u ON u.id = a.unit_id "

static const struct pd_sql SQL_INSERT = {
	"app_insert",
	"INSERT INTO application (id, tracking, service_id, form_version, unit_id, unit_path, "
	"place_unit_id, citizen_account_id, subject_key, nik_bidx, holder_ct, assisted_by, "
	"consent_ms, status, assigned_to, answers_ct, checklist, note_ct, sla_days, submitted_ms, "
	"due_ms, paused_since_ms, paused_days, overdue, decided_ms, document_id, version, "
	"created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
	"$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)",
	NULL};
static const struct pd_sql SQL_UPDATE = {
	"app_update",
	"UPDATE application SET tracking = $2, form_version = $3, place_unit_id = $4, "
	"citizen_account_id = $5, subject_key = $6, nik_bidx = $7, holder_ct = $8, "
	"assisted_by = $9, consent_ms = $10, status = $11, assigned_to = $12, answers_ct = $13, "
	"checklist = $14, note_ct = $15, sla_days = $16, submitted_ms = $17, due_ms = $18, "
	"paused_since_ms = $19, paused_days = $20, "
	/* overdue belongs to the deadline job: a step writes it only where the clock pauses
	 * (→ returned) or starts again (from draft or returned); any other step keeps the stored
	 * flag, so a step that read the row before the job flagged it cannot clear the flag. */
	"overdue = CASE WHEN $11 = 'returned' OR status IN ('draft', 'returned') THEN $21 "
	"ELSE overdue END, decided_ms = $22, "
	"document_id = $23, updated_ms = $24, version = $25 WHERE id = $1 AND version = $26",
	NULL};
static const struct pd_sql SQL_BY_ID = {"app_by_id", "SELECT " COLS FROM "WHERE a.id = $1",
                                        NULL};
static const struct pd_sql SQL_BY_TRACKING = {
	"app_by_tracking", "SELECT " COLS FROM "WHERE a.tracking = $1", NULL};
static const struct pd_sql SQL_DRAFT = {
	"app_draft",
	"SELECT " COLS FROM "WHERE a.citizen_account_id = $1 AND a.service_id = $2 "
	"AND a.status = 'draft'",
	NULL};
static const struct pd_sql SQL_DELETE = {"app_delete", "DELETE FROM application WHERE id = $1",
                                         NULL};
static const struct pd_sql SQL_MINE = {
	"app_mine",
	"SELECT " COLS FROM "WHERE a.citizen_account_id = $1 AND ($2 = '' OR a.id < $2) "
	"ORDER BY a.id DESC LIMIT $3",
	NULL};

#define RANGE(i, j) "(a.unit_path >= $" #i " AND a.unit_path < $" #j ")"
static const struct pd_sql SQL_QUEUE = {
	"app_queue",
	"SELECT " COLS FROM "WHERE a.status <> 'draft' AND (" RANGE(1, 2) " OR " RANGE(3, 4)
	" OR " RANGE(5, 6) " OR " RANGE(7, 8) " OR " RANGE(9, 10) " OR " RANGE(11, 12)
	" OR " RANGE(13, 14) " OR " RANGE(15, 16) ") "
	"AND (($17 = '' AND a.status IN ('submitted', 'processing')) OR a.status = $17) "
	"AND ($18 = '' OR a.service_id = $18) AND ($19 = '' OR a.assigned_to = $19) "
	"AND ($20 = 0 OR (a.status IN ('submitted', 'processing') AND a.due_ms < $21)) "
	"AND ($22 = '' OR a.due_ms > $23 OR (a.due_ms = $23 AND a.id > $22)) "
	"ORDER BY a.due_ms, a.id LIMIT $24",
	NULL};
static const struct pd_sql SQL_DUE_UNFLAGGED = {
	"app_due_unflagged",
	"SELECT id, version FROM application WHERE status IN ('submitted', 'processing') "
	"AND due_ms < $1 AND overdue = 0 ORDER BY due_ms, id LIMIT $2",
	NULL};
static const struct pd_sql SQL_FLAG_OVERDUE = {
	"app_flag_overdue",
	"UPDATE application SET overdue = 1, updated_ms = $2 WHERE id = $1 AND overdue = 0 "
	"AND status IN ('submitted', 'processing') AND due_ms < $2",
	NULL};
static const struct pd_sql SQL_COUNT_OVERDUE = {
	"app_count_overdue",
	"SELECT COUNT(*) FROM application WHERE status IN ('submitted', 'processing') "
	"AND overdue = 1",
	NULL};

static const struct pd_sql SQL_EVENT_INSERT = {
	"app_event_insert",
	"INSERT INTO application_event (id, application_id, at_ms, actor_id, by_staff, kind, "
	"status_after, assignee_id, note_ct) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	NULL};
static const struct pd_sql SQL_EVENTS = {
	"app_events",
	"SELECT id, application_id, at_ms, actor_id, by_staff, kind, status_after, assignee_id, "
	"note_ct FROM application_event WHERE application_id = $1 ORDER BY at_ms, id LIMIT $2",
	NULL};
static const struct pd_sql SQL_EVENT_NOTE = {
	"app_event_note", "UPDATE application_event SET note_ct = $2 WHERE id = $1", NULL};

static const struct pd_sql SQL_FILE_INSERT = {
	"app_file_insert",
	"INSERT INTO application_file (id, application_id, field_key, attachment_id, created_ms) "
	"VALUES ($1, $2, $3, $4, $5)",
	NULL};
static const struct pd_sql SQL_FILES = {
	"app_files",
	"SELECT id, application_id, field_key, attachment_id, created_ms FROM application_file "
	"WHERE application_id = $1 ORDER BY field_key LIMIT $2",
	NULL};
static const struct pd_sql SQL_FILE_DELETE = {
	"app_file_delete", "DELETE FROM application_file WHERE id = $1", NULL};

static const struct pd_sql SQL_NOTE_INSERT = {
	"notification_insert",
	"INSERT INTO notification (id, account_id, application_id, kind, status, created_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_NOTE_LIST = {
	"notification_list",
	"SELECT n.id, n.account_id, n.application_id, n.kind, n.status, n.created_ms, n.read_ms, "
	"a.tracking, s.name FROM notification n JOIN application a ON a.id = n.application_id "
	"JOIN service s ON s.id = a.service_id WHERE n.account_id = $1 AND ($2 = '' OR n.id < $2) "
	"ORDER BY n.id DESC LIMIT $3",
	NULL};
static const struct pd_sql SQL_NOTE_UNREAD = {
	"notification_unread",
	"SELECT COUNT(*) FROM notification WHERE account_id = $1 AND read_ms IS NULL", NULL};
static const struct pd_sql SQL_NOTE_READ = {
	"notification_read",
	"UPDATE notification SET read_ms = $3 WHERE account_id = $1 AND read_ms IS NULL "
	"AND created_ms <= $2",
	NULL};

/* Staff accounts and their case grants (see pd_store_app_staff): $1 a JSON array of ids. */
#define STAFF_COLS                                                                              \
	"SELECT ac.id, ac.subject_key, ac.name_ct, g.role, u.id, u.name, u.path FROM account ac " \
	"LEFT JOIN account_grant g ON g.account_id = ac.id "                                       \
	"AND g.role IN ('officer', 'coordinator', 'supervisor') LEFT JOIN unit u ON u.id = g.unit_id "
static const struct pd_sql SQL_STAFF = {
	"app_staff",
	STAFF_COLS "WHERE ac.kind = 'staff' AND ac.id IN (SELECT value FROM json_each($1)) "
	"ORDER BY ac.id, u.path LIMIT $2",
	STAFF_COLS "WHERE ac.kind = 'staff' AND ac.id IN (SELECT jsonb_array_elements_text($1::jsonb)) "
	"ORDER BY ac.id, u.path LIMIT $2"};
static const struct pd_sql SQL_ASSIGNEES = {
	"app_assignees",
	"SELECT ac.id, ac.subject_key, ac.name_ct, g.role, u.id, u.name, u.path FROM account ac "
	"JOIN account_grant g ON g.account_id = ac.id JOIN unit u ON u.id = g.unit_id "
	"WHERE ac.kind = 'staff' AND ac.disabled = 0 AND ac.erased_ms IS NULL "
	"AND g.role IN ('officer', 'supervisor') AND substr($1, 1, length(u.path)) = u.path "
	"AND ($2 = '' OR ac.id = $2) ORDER BY ac.id, length(u.path) DESC, g.role LIMIT $3",
	NULL};

static enum pd_qs qs_of_count(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

static int64_t opt_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static const char *opt_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_app_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = pd_q_col_dup(q, 0, a);
	r->tracking = opt_text(q, 1, a);
	r->service_id = pd_q_col_dup(q, 2, a);
	r->form_version = pd_q_col_int(q, 3);
	r->unit_id = pd_q_col_dup(q, 4, a);
	r->unit_path = pd_q_col_dup(q, 5, a);
	r->place_unit_id = opt_text(q, 6, a);
	r->citizen_account_id = opt_text(q, 7, a);
	r->subject_key = pd_q_col_blob_dup(q, 8, a);
	r->nik_bidx = pd_q_col_blob_dup(q, 9, a);
	r->holder_ct = pd_q_col_blob_dup(q, 10, a);
	r->assisted_by = opt_text(q, 11, a);
	r->consent_ms = opt_int(q, 12);
	r->status = pd_q_col_dup(q, 13, a);
	r->assigned_to = opt_text(q, 14, a);
	r->answers_ct = pd_q_col_blob_dup(q, 15, a);
	r->checklist = opt_text(q, 16, a);
	r->note_ct = pd_q_col_blob_dup(q, 17, a);
	r->sla_days = pd_q_col_int(q, 18);
	r->submitted_ms = opt_int(q, 19);
	r->due_ms = opt_int(q, 20);
	r->paused_since_ms = opt_int(q, 21);
	r->paused_days = pd_q_col_int(q, 22);
	r->overdue = pd_q_col_int(q, 23) != 0;
	r->decided_ms = opt_int(q, 24);
	r->document_id = opt_text(q, 25, a);
	r->version = pd_q_col_int(q, 26);
	r->created_ms = pd_q_col_int(q, 27);
	r->updated_ms = pd_q_col_int(q, 28);
	r->service_slug = pd_q_col_dup(q, 29, a);
	r->service_name = pd_q_col_dup(q, 30, a);
	r->service_product = pd_q_col_dup(q, 31, a);
	r->unit_name = pd_q_col_dup(q, 32, a);
}

/* Binds the mutable fields from tracking to document_id at $first.. (23 parameters). */
static void bind_mutable(struct pd_q *q, int first, const struct pd_app_row *r)
{
	int i = first;
	pd_q_text(q, i++, r->tracking);
	pd_q_int(q, i++, r->form_version);
	pd_q_text(q, i++, r->place_unit_id);
	pd_q_text(q, i++, r->citizen_account_id);
	pd_q_blob_or_null(q, i++, r->subject_key);
	pd_q_blob_or_null(q, i++, r->nik_bidx);
	pd_q_blob_or_null(q, i++, r->holder_ct);
	pd_q_text(q, i++, r->assisted_by);
	pd_q_int_or_null(q, i++, r->consent_ms);
	pd_q_text(q, i++, r->status);
	pd_q_text(q, i++, r->assigned_to);
	pd_q_blob_or_null(q, i++, r->answers_ct);
	pd_q_text(q, i++, r->checklist);
	pd_q_blob_or_null(q, i++, r->note_ct);
	pd_q_int(q, i++, r->sla_days);
	pd_q_int_or_null(q, i++, r->submitted_ms);
	pd_q_int_or_null(q, i++, r->due_ms);
	pd_q_int_or_null(q, i++, r->paused_since_ms);
	pd_q_int(q, i++, r->paused_days);
	pd_q_int(q, i++, r->overdue ? 1 : 0);
	pd_q_int_or_null(q, i++, r->decided_ms);
	pd_q_text(q, i, r->document_id);
}

enum pd_qs pd_store_app_insert(struct pd_tx *tx, const struct pd_app_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->tracking);
	pd_q_text(q, 3, r->service_id);
	pd_q_int(q, 4, r->form_version);
	pd_q_text(q, 5, r->unit_id);
	pd_q_text(q, 6, r->unit_path);
	pd_q_text(q, 7, r->place_unit_id);
	pd_q_text(q, 8, r->citizen_account_id);
	pd_q_blob_or_null(q, 9, r->subject_key);
	pd_q_blob_or_null(q, 10, r->nik_bidx);
	pd_q_blob_or_null(q, 11, r->holder_ct);
	pd_q_text(q, 12, r->assisted_by);
	pd_q_int_or_null(q, 13, r->consent_ms);
	pd_q_text(q, 14, r->status);
	pd_q_text(q, 15, r->assigned_to);
	pd_q_blob_or_null(q, 16, r->answers_ct);
	pd_q_text(q, 17, r->checklist);
	pd_q_blob_or_null(q, 18, r->note_ct);
	pd_q_int(q, 19, r->sla_days);
	pd_q_int_or_null(q, 20, r->submitted_ms);
	pd_q_int_or_null(q, 21, r->due_ms);
	pd_q_int_or_null(q, 22, r->paused_since_ms);
	pd_q_int(q, 23, r->paused_days);
	pd_q_int(q, 24, r->overdue ? 1 : 0);
	pd_q_int_or_null(q, 25, r->decided_ms);
	pd_q_text(q, 26, r->document_id);
	pd_q_int(q, 27, r->version);
	pd_q_int(q, 28, r->created_ms);
	pd_q_int(q, 29, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_app_update(struct pd_tx *tx, const struct pd_app_row *r, int64_t expected)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, r->id);
	bind_mutable(q, 2, r);
	pd_q_int(q, 24, r->updated_ms);
	pd_q_int(q, 25, expected + 1);
	pd_q_int(q, 26, expected);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs app_one(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                          struct pd_app_row *out)
{
	int rc = pd_q_step(q);
	if (rc == 1)
		read_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_app_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_app_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_ID);
	pd_q_text(q, 1, id);
	return app_one(q, tx, a, out);
}

enum pd_qs pd_store_app_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_app_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_TRACKING);
	pd_q_text(q, 1, tracking);
	return app_one(q, tx, a, out);
}

enum pd_qs pd_store_app_draft(struct pd_tx *tx, const char *account_id, const char *service_id,
                              struct pd_arena *a, struct pd_app_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DRAFT);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, service_id);
	return app_one(q, tx, a, out);
}

enum pd_qs pd_store_app_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DELETE);
	pd_q_text(q, 1, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs app_rows(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                           struct pd_app_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

enum pd_qs pd_store_app_list_mine(struct pd_tx *tx, const char *account_id,
                                  const char *before_id, struct pd_arena *a,
                                  struct pd_app_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MINE);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, before_id ? before_id : "");
	pd_q_int(q, 3, max);
	return app_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_app_queue(struct pd_tx *tx, const struct pd_app_queue_filter *f,
                              struct pd_arena *a, struct pd_app_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_QUEUE);
	struct pd_arena *ta = pd_tx_arena(tx);
	for (int i = 0; i < PD_STORE_APP_RANGES; i++) {
		/* Every path under `path` starts with it; '~' sorts after the id characters used. An
		 * unused range ['', '') matches nothing. */
		bool used = i < f->n_paths && f->paths[i] && *f->paths[i];
		pd_q_text(q, 2 * i + 1, used ? f->paths[i] : "");
		pd_q_text(q, 2 * i + 2, used ? pd_arena_printf(ta, "%s~", f->paths[i]) : "");
	}
	pd_q_text(q, 17, f->status ? f->status : "");
	pd_q_text(q, 18, f->service_id ? f->service_id : "");
	pd_q_text(q, 19, f->assigned_to ? f->assigned_to : "");
	pd_q_int(q, 20, f->overdue_before > 0 ? 1 : 0);
	pd_q_int(q, 21, f->overdue_before);
	pd_q_text(q, 22, f->after_id ? f->after_id : "");
	pd_q_int(q, 23, f->after_due);
	pd_q_int(q, 24, max);
	return app_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_app_due_unflagged(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                                      const char **ids, int64_t *versions, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DUE_UNFLAGGED);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		ids[*n] = pd_q_col_dup(q, 0, a ? a : pd_tx_arena(tx));
		versions[*n] = pd_q_col_int(q, 1);
		(*n)++;
	}
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

enum pd_qs pd_store_app_flag_overdue(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FLAG_OVERDUE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs count_one(struct pd_q *q, int64_t *n)
{
	*n = 0;
	int rc = pd_q_step(q);
	if (rc == 1)
		*n = pd_q_col_int(q, 0);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_app_count_overdue(struct pd_tx *tx, int64_t *n)
{
	return count_one(pd_q_open(tx, &SQL_COUNT_OVERDUE), n);
}

/* --- timeline ------------------------------------------------------------------------------ */

enum pd_qs pd_store_app_event_insert(struct pd_tx *tx, const struct pd_app_event_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EVENT_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->application_id);
	pd_q_int(q, 3, r->at_ms);
	pd_q_text(q, 4, r->actor_id);
	pd_q_int(q, 5, r->by_staff ? 1 : 0);
	pd_q_text(q, 6, r->kind);
	pd_q_text(q, 7, r->status_after);
	pd_q_text(q, 8, r->assignee_id);
	pd_q_blob_or_null(q, 9, r->note_ct);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_app_events(struct pd_tx *tx, const char *application_id, struct pd_arena *a,
                               struct pd_app_event_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EVENTS);
	pd_q_text(q, 1, application_id);
	pd_q_int(q, 2, max);
	if (!a)
		a = pd_tx_arena(tx);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_app_event_row *e = &out[(*n)++];
		e->id = pd_q_col_dup(q, 0, a);
		e->application_id = pd_q_col_dup(q, 1, a);
		e->at_ms = pd_q_col_int(q, 2);
		e->actor_id = opt_text(q, 3, a);
		e->by_staff = pd_q_col_int(q, 4) != 0;
		e->kind = pd_q_col_dup(q, 5, a);
		e->status_after = pd_q_col_dup(q, 6, a);
		e->assignee_id = opt_text(q, 7, a);
		e->note_ct = pd_q_col_blob_dup(q, 8, a);
	}
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

enum pd_qs pd_store_app_event_set_note(struct pd_tx *tx, const char *id, struct pd_blob note_ct)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EVENT_NOTE);
	pd_q_text(q, 1, id);
	pd_q_blob_or_null(q, 2, note_ct);
	return pd_qs_of_changes(pd_q_exec(q));
}

/* --- files --------------------------------------------------------------------------------- */

enum pd_qs pd_store_app_file_insert(struct pd_tx *tx, const struct pd_app_file_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FILE_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->application_id);
	pd_q_text(q, 3, r->field_key);
	pd_q_text(q, 4, r->attachment_id);
	pd_q_int(q, 5, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_app_files(struct pd_tx *tx, const char *application_id, struct pd_arena *a,
                              struct pd_app_file_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FILES);
	pd_q_text(q, 1, application_id);
	pd_q_int(q, 2, max);
	if (!a)
		a = pd_tx_arena(tx);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_app_file_row *f = &out[(*n)++];
		f->id = pd_q_col_dup(q, 0, a);
		f->application_id = pd_q_col_dup(q, 1, a);
		f->field_key = pd_q_col_dup(q, 2, a);
		f->attachment_id = pd_q_col_dup(q, 3, a);
		f->created_ms = pd_q_col_int(q, 4);
	}
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

enum pd_qs pd_store_app_file_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FILE_DELETE);
	pd_q_text(q, 1, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

/* --- notifications ------------------------------------------------------------------------- */

enum pd_qs pd_store_notification_insert(struct pd_tx *tx, const struct pd_notification_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->account_id);
	pd_q_text(q, 3, r->application_id);
	pd_q_text(q, 4, r->kind);
	pd_q_text(q, 5, r->status);
	pd_q_int(q, 6, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_notification_list(struct pd_tx *tx, const char *account_id,
                                      const char *before_id, struct pd_arena *a,
                                      struct pd_notification_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_LIST);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, before_id ? before_id : "");
	pd_q_int(q, 3, max);
	if (!a)
		a = pd_tx_arena(tx);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_notification_row *r = &out[(*n)++];
		r->id = pd_q_col_dup(q, 0, a);
		r->account_id = pd_q_col_dup(q, 1, a);
		r->application_id = pd_q_col_dup(q, 2, a);
		r->kind = pd_q_col_dup(q, 3, a);
		r->status = pd_q_col_dup(q, 4, a);
		r->created_ms = pd_q_col_int(q, 5);
		r->read_ms = opt_int(q, 6);
		r->tracking = opt_text(q, 7, a);
		r->service_name = pd_q_col_dup(q, 8, a);
	}
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

enum pd_qs pd_store_notification_unread(struct pd_tx *tx, const char *account_id, int64_t *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_UNREAD);
	pd_q_text(q, 1, account_id);
	return count_one(q, n);
}

enum pd_qs pd_store_notification_mark_read(struct pd_tx *tx, const char *account_id,
                                           int64_t upto_ms, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_NOTE_READ);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, upto_ms);
	pd_q_int(q, 3, now_ms);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_ONE;
}

/* --- staff as the pages name them ---------------------------------------------------------- */

static enum pd_qs staff_rows(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                             struct pd_app_staff_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_app_staff_row *r = &out[(*n)++];
		r->account_id = pd_q_col_dup(q, 0, a);
		r->subject_key = pd_q_col_blob_dup(q, 1, a);
		r->name_ct = pd_q_col_blob_dup(q, 2, a);
		r->role = opt_text(q, 3, a);
		r->unit_id = opt_text(q, 4, a);
		r->unit_name = opt_text(q, 5, a);
		r->unit_path = opt_text(q, 6, a);
	}
	pd_q_close(q);
	return qs_of_count(tx, *n);
}

/* An account id as the JSON array may carry it without escaping: [0-9A-Za-z-], 1..64. */
static bool plain_id(const char *s)
{
	size_t i = 0;
	for (; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-') || i >= 64)
			return false;
	return i > 0;
}

enum pd_qs pd_store_app_staff(struct pd_tx *tx, const char *const *ids, int n_ids,
                              struct pd_arena *a, struct pd_app_staff_row *out, int max, int *n)
{
	*n = 0;
	struct pd_arena *ta = pd_tx_arena(tx);
	const char *list = "[";
	int used = 0;
	for (int i = 0; i < n_ids; i++) {
		if (!plain_id(ids[i]))
			continue;
		bool seen = false;
		for (int k = 0; k < i && !seen; k++)
			seen = ids[k] && strcmp(ids[k], ids[i]) == 0;
		if (seen)
			continue;
		list = pd_arena_printf(ta, "%s%s\"%s\"", list, used++ ? "," : "", ids[i]);
	}
	if (!used)
		return PD_QS_NONE;
	struct pd_q *q = pd_q_open(tx, &SQL_STAFF);
	pd_q_text(q, 1, pd_arena_printf(ta, "%s]", list));
	pd_q_int(q, 2, max);
	return staff_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_app_assignees(struct pd_tx *tx, const char *unit_path, const char *only_id,
                                  struct pd_arena *a, struct pd_app_staff_row *out, int max,
                                  int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ASSIGNEES);
	pd_q_text(q, 1, unit_path ? unit_path : "");
	pd_q_text(q, 2, only_id ? only_id : "");
	pd_q_int(q, 3, max);
	return staff_rows(q, tx, a, out, max, n);
}
