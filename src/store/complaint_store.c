/* Statements and row mapping for complaints, their categories, timeline, support and photos. */
#include "store/complaint_store.h"

#include <string.h>

#define CAT_COLS PD_STORE_CMP_CAT_COLS
#define CAT_FROM " FROM complaint_category k JOIN unit u ON u.id = k.unit_id "

static const struct pd_sql SQL_CAT_INSERT = {
	"cmp_category_insert",
	"INSERT INTO complaint_category (id, code, name, description, unit_id, deadline_days, "
	"enabled, keywords, version, created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	"$8, $9, $10, $11)",
	NULL};
static const struct pd_sql SQL_CAT_BY_CODE = {
	"cmp_category_by_code", "SELECT " CAT_COLS CAT_FROM "WHERE k.code = $1", NULL};
static const struct pd_sql SQL_CATS = {
	"cmp_categories",
	"SELECT " CAT_COLS CAT_FROM "WHERE k.enabled = 1 ORDER BY k.name, k.id LIMIT $1", NULL};

#define COLS                                                                                   \
	"c.id, c.tracking, c.category_id, c.channel, c.status, c.visibility, c.held, "            \
	"c.about_person, c.published, c.public_title, c.public_text, c.title_ct, c.text_ct, "     \
	"c.reporter_account_id, c.subject_key, c.contact_ct, c.followup_hash, c.unit_id, "        \
	"c.unit_path, c.place_unit_id, c.address, c.lat_e6, c.lon_e6, c.occurred_ms, "            \
	"c.media_url, c.assigned_to, c.merged_into, c.answer_public, c.reopen_count, "            \
	"c.support_count, c.due_ms, c.paused_since_ms, c.overdue, c.escalated_ms, c.answered_ms, " \
	"c.closed_ms, c.version, c.created_ms, c.updated_ms, k.code, k.name, u.name, p.slug, p.name"
#define FROM                                                                                   \
	" FROM complaint c JOIN complaint_category k ON k.id = c.category_id "                    \
	"JOIN unit u ON u.id = c.unit_id LEFT JOIN unit p ON p.id = c.place_unit_id "

static const struct pd_sql SQL_INSERT = {
	"cmp_insert",
	"INSERT INTO complaint (id, tracking, category_id, channel, status, visibility, held, "
	"about_person, published, public_title, public_text, title_ct, text_ct, "
	"reporter_account_id, subject_key, contact_ct, followup_hash, unit_id, unit_path, "
	"place_unit_id, address, lat_e6, lon_e6, occurred_ms, media_url, assigned_to, merged_into, "
	"answer_public, reopen_count, support_count, due_ms, paused_since_ms, overdue, "
	"escalated_ms, answered_ms, closed_ms, version, created_ms, updated_ms) VALUES ($1, $2, "
	"$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
	"$22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39) "
	/* A tracking number drawn twice (40 random bits: the birthday bound) inserts nothing, so
	 * the caller draws again; any other unique violation (the id) is still an error. */
	"ON CONFLICT (tracking) DO NOTHING",
	NULL};
static const struct pd_sql SQL_BY_ID = {"cmp_by_id", "SELECT " COLS FROM "WHERE c.id = $1", NULL};
static const struct pd_sql SQL_BY_TRACKING = {
	"cmp_by_tracking", "SELECT " COLS FROM "WHERE c.tracking = $1", NULL};
static const struct pd_sql SQL_PUBLIC = {
	"cmp_list_public",
	"SELECT " COLS FROM "WHERE c.published = 1 AND ($1 = '' OR k.code = $1) "
	"AND ($2 = '' OR EXISTS (SELECT 1 FROM unit f WHERE f.slug = $2 "
	"AND substr(c.unit_path, 1, length(f.path)) = f.path)) "
	"AND ($3 = '' OR p.slug = $3) "
	"AND ($4 = '' OR c.status = $4 "
	"OR ($4 = 'open' AND c.status IN ('new', 'needs_info', 'dispositioned', 'reopened')) "
	"OR ($4 = 'closed' AND c.status IN ('answered', 'out_of_scope', 'merged'))) "
	"AND ($5 = 0 OR c.created_ms >= $5) AND ($6 = 0 OR c.created_ms < $6) "
	"AND (c.created_ms, c.id) < ($8, $7) "
	"ORDER BY c.created_ms DESC, c.id DESC LIMIT $9",
	NULL};
static const struct pd_sql SQL_MINE = {
	"cmp_list_mine",
	"SELECT " COLS FROM "WHERE c.reporter_account_id = $1 "
	"AND (c.created_ms, c.id) < ($3, $2) "
	"ORDER BY c.created_ms DESC, c.id DESC LIMIT $4",
	NULL};

static const struct pd_sql SQL_EVENT_INSERT = {
	"cmp_event_insert",
	"INSERT INTO complaint_event (id, complaint_id, at_ms, actor_id, by_staff, kind, "
	"status_after, unit_id, public_note, note_ct) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	"$10)",
	NULL};
static const struct pd_sql SQL_EVENTS = {
	"cmp_events",
	"SELECT e.id, e.complaint_id, e.at_ms, e.actor_id, e.by_staff, e.kind, e.status_after, "
	"e.unit_id, e.public_note, e.note_ct, u.name FROM complaint_event e "
	"LEFT JOIN unit u ON u.id = e.unit_id WHERE e.complaint_id = $1 "
	"ORDER BY e.at_ms, e.id LIMIT $2",
	NULL};

static const struct pd_sql SQL_SUPPORT_ADD = {
	"cmp_support_add",
	"INSERT INTO complaint_support (complaint_id, account_id, created_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT (complaint_id, account_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_SUPPORT_BUMP = {
	"cmp_support_bump",
	"UPDATE complaint SET support_count = support_count + 1 WHERE id = $1", NULL};
static const struct pd_sql SQL_SUPPORTS = {
	"cmp_supports",
	"SELECT COUNT(*) FROM complaint_support WHERE complaint_id = $1 AND account_id = $2", NULL};

static const struct pd_sql SQL_PHOTO_INSERT = {
	"cmp_photo_insert",
	"INSERT INTO complaint_photo (id, complaint_id, n, attachment_id, content_type, "
	"created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_PHOTO = {
	"cmp_photo",
	"SELECT id, complaint_id, n, attachment_id, content_type, created_ms FROM complaint_photo "
	"WHERE complaint_id = $1 AND n = $2",
	NULL};
static const struct pd_sql SQL_PHOTO_COUNT = {
	"cmp_photo_count", "SELECT COUNT(*) FROM complaint_photo WHERE complaint_id = $1", NULL};

/* --- column readers ------------------------------------------------------------------------ */

enum pd_qs pd_store_cmp_rows_qs(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

int64_t pd_store_cmp_col_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

const char *pd_store_cmp_col_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

const char *pd_store_cmp_nz(const char *s)
{
	return s ? s : "";
}

/* --- categories ---------------------------------------------------------------------------- */

void pd_store_cmp_read_category(struct pd_q *q, struct pd_arena *a,
                                struct pd_cmp_category_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = pd_q_col_dup(q, 0, a);
	r->code = pd_q_col_dup(q, 1, a);
	r->name = pd_q_col_dup(q, 2, a);
	r->description = pd_q_col_dup(q, 3, a);
	r->unit_id = pd_q_col_dup(q, 4, a);
	r->deadline_days = pd_q_col_int(q, 5);
	r->enabled = pd_q_col_int(q, 6) != 0;
	r->keywords = pd_q_col_dup(q, 7, a);
	r->version = pd_q_col_int(q, 8);
	r->created_ms = pd_q_col_int(q, 9);
	r->updated_ms = pd_q_col_int(q, 10);
	r->unit_slug = pd_q_col_dup(q, 11, a);
	r->unit_name = pd_q_col_dup(q, 12, a);
	r->unit_path = pd_q_col_dup(q, 13, a);
}

enum pd_qs pd_store_cmp_category_insert(struct pd_tx *tx, const struct pd_cmp_category_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CAT_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->code);
	pd_q_text(q, 3, r->name);
	pd_q_text(q, 4, pd_store_cmp_nz(r->description));
	pd_q_text(q, 5, r->unit_id);
	pd_q_int(q, 6, r->deadline_days);
	pd_q_int(q, 7, r->enabled ? 1 : 0);
	pd_q_text(q, 8, pd_store_cmp_nz(r->keywords));
	pd_q_int(q, 9, r->version ? r->version : 1);
	pd_q_int(q, 10, r->created_ms);
	pd_q_int(q, 11, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmp_category_by_code(struct pd_tx *tx, const char *code, struct pd_arena *a,
                                         struct pd_cmp_category_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CAT_BY_CODE);
	pd_q_text(q, 1, code);
	int rc = pd_q_step(q);
	if (rc == 1)
		pd_store_cmp_read_category(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_cmp_categories(struct pd_tx *tx, struct pd_arena *a,
                                   struct pd_cmp_category_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_CATS);
	pd_q_int(q, 1, max);
	if (!a)
		a = pd_tx_arena(tx);
	while (*n < max && pd_q_step(q) == 1)
		pd_store_cmp_read_category(q, a, &out[(*n)++]);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

/* --- complaints ---------------------------------------------------------------------------- */

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_cmp_row *r)
{
	memset(r, 0, sizeof *r);
	int i = 0;
	r->id = pd_q_col_dup(q, i++, a);
	r->tracking = pd_q_col_dup(q, i++, a);
	r->category_id = pd_q_col_dup(q, i++, a);
	r->channel = pd_q_col_dup(q, i++, a);
	r->status = pd_q_col_dup(q, i++, a);
	r->visibility = pd_q_col_dup(q, i++, a);
	r->held = pd_q_col_int(q, i++) != 0;
	r->about_person = pd_q_col_int(q, i++) != 0;
	r->published = pd_q_col_int(q, i++) != 0;
	r->public_title = pd_store_cmp_col_text(q, i++, a);
	r->public_text = pd_store_cmp_col_text(q, i++, a);
	r->title_ct = pd_q_col_blob_dup(q, i++, a);
	r->text_ct = pd_q_col_blob_dup(q, i++, a);
	r->reporter_account_id = pd_store_cmp_col_text(q, i++, a);
	r->subject_key = pd_q_col_blob_dup(q, i++, a);
	r->contact_ct = pd_q_col_blob_dup(q, i++, a);
	r->followup_hash = pd_q_col_blob_dup(q, i++, a);
	r->unit_id = pd_q_col_dup(q, i++, a);
	r->unit_path = pd_q_col_dup(q, i++, a);
	r->place_unit_id = pd_store_cmp_col_text(q, i++, a);
	r->address = pd_store_cmp_col_text(q, i++, a);
	r->has_location = !pd_q_isnull(q, i) && !pd_q_isnull(q, i + 1);
	r->lat_e6 = pd_store_cmp_col_int(q, i++);
	r->lon_e6 = pd_store_cmp_col_int(q, i++);
	r->occurred_ms = pd_store_cmp_col_int(q, i++);
	r->media_url = pd_store_cmp_col_text(q, i++, a);
	r->assigned_to = pd_store_cmp_col_text(q, i++, a);
	r->merged_into = pd_store_cmp_col_text(q, i++, a);
	r->answer_public = pd_store_cmp_col_text(q, i++, a);
	r->reopen_count = pd_q_col_int(q, i++);
	r->support_count = pd_q_col_int(q, i++);
	r->due_ms = pd_store_cmp_col_int(q, i++);
	r->paused_since_ms = pd_store_cmp_col_int(q, i++);
	r->overdue = pd_q_col_int(q, i++) != 0;
	r->escalated_ms = pd_store_cmp_col_int(q, i++);
	r->answered_ms = pd_store_cmp_col_int(q, i++);
	r->closed_ms = pd_store_cmp_col_int(q, i++);
	r->version = pd_q_col_int(q, i++);
	r->created_ms = pd_q_col_int(q, i++);
	r->updated_ms = pd_q_col_int(q, i++);
	r->category_code = pd_q_col_dup(q, i++, a);
	r->category_name = pd_q_col_dup(q, i++, a);
	r->unit_name = pd_q_col_dup(q, i++, a);
	r->place_slug = pd_store_cmp_col_text(q, i++, a);
	r->place_name = pd_store_cmp_col_text(q, i, a);
}

enum pd_qs pd_store_cmp_insert(struct pd_tx *tx, const struct pd_cmp_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	int i = 1;
	pd_q_text(q, i++, r->id);
	pd_q_text(q, i++, r->tracking);
	pd_q_text(q, i++, r->category_id);
	pd_q_text(q, i++, r->channel);
	pd_q_text(q, i++, r->status);
	pd_q_text(q, i++, r->visibility);
	pd_q_int(q, i++, r->held ? 1 : 0);
	pd_q_int(q, i++, r->about_person ? 1 : 0);
	pd_q_int(q, i++, r->published ? 1 : 0);
	pd_q_text(q, i++, r->public_title);
	pd_q_text(q, i++, r->public_text);
	pd_q_blob_or_null(q, i++, r->title_ct);
	pd_q_blob_or_null(q, i++, r->text_ct);
	pd_q_text(q, i++, r->reporter_account_id);
	pd_q_blob_or_null(q, i++, r->subject_key);
	pd_q_blob_or_null(q, i++, r->contact_ct);
	pd_q_blob_or_null(q, i++, r->followup_hash);
	pd_q_text(q, i++, r->unit_id);
	pd_q_text(q, i++, r->unit_path);
	pd_q_text(q, i++, r->place_unit_id);
	pd_q_text(q, i++, r->address);
	if (r->has_location) {
		pd_q_int(q, i++, r->lat_e6);
		pd_q_int(q, i++, r->lon_e6);
	} else {
		pd_q_null(q, i++);
		pd_q_null(q, i++);
	}
	pd_q_int_or_null(q, i++, r->occurred_ms);
	pd_q_text(q, i++, r->media_url);
	pd_q_text(q, i++, r->assigned_to);
	pd_q_text(q, i++, r->merged_into);
	pd_q_text(q, i++, r->answer_public);
	pd_q_int(q, i++, r->reopen_count);
	pd_q_int(q, i++, r->support_count);
	pd_q_int_or_null(q, i++, r->due_ms);
	pd_q_int_or_null(q, i++, r->paused_since_ms);
	pd_q_int(q, i++, r->overdue ? 1 : 0);
	pd_q_int_or_null(q, i++, r->escalated_ms);
	pd_q_int_or_null(q, i++, r->answered_ms);
	pd_q_int_or_null(q, i++, r->closed_ms);
	pd_q_int(q, i++, r->version);
	pd_q_int(q, i++, r->created_ms);
	pd_q_int(q, i, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs cmp_one(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                          struct pd_cmp_row *out)
{
	int rc = pd_q_step(q);
	if (rc == 1)
		read_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_cmp_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_cmp_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_ID);
	pd_q_text(q, 1, id);
	return cmp_one(q, tx, a, out);
}

enum pd_qs pd_store_cmp_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                    struct pd_cmp_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_TRACKING);
	pd_q_text(q, 1, tracking);
	return cmp_one(q, tx, a, out);
}

static enum pd_qs cmp_rows(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                           struct pd_cmp_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmp_list_public(struct pd_tx *tx, const struct pd_cmp_list_filter *f,
                                    struct pd_arena *a, struct pd_cmp_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PUBLIC);
	pd_q_text(q, 1, pd_store_cmp_nz(f->category_code));
	pd_q_text(q, 2, pd_store_cmp_nz(f->unit_slug));
	pd_q_text(q, 3, pd_store_cmp_nz(f->village_slug));
	pd_q_text(q, 4, pd_store_cmp_nz(f->status));
	pd_q_int(q, 5, f->since_ms);
	pd_q_int(q, 6, f->until_ms);
	pd_q_text(q, 7, pd_store_cmp_nz(f->after_id));
	pd_q_int(q, 8, PD_CMP_AFTER_MS(f->after_id, f->after_ms));
	pd_q_int(q, 9, max);
	return cmp_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_cmp_list_mine(struct pd_tx *tx, const char *account_id, int64_t after_ms,
                                  const char *after_id, struct pd_arena *a,
                                  struct pd_cmp_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MINE);
	pd_q_text(q, 1, account_id);
	pd_q_text(q, 2, pd_store_cmp_nz(after_id));
	pd_q_int(q, 3, PD_CMP_AFTER_MS(after_id, after_ms));
	pd_q_int(q, 4, max);
	return cmp_rows(q, tx, a, out, max, n);
}

/* --- timeline ------------------------------------------------------------------------------ */

enum pd_qs pd_store_cmp_event_insert(struct pd_tx *tx, const struct pd_cmp_event_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_EVENT_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->complaint_id);
	pd_q_int(q, 3, r->at_ms);
	pd_q_text(q, 4, r->actor_id);
	pd_q_int(q, 5, r->by_staff ? 1 : 0);
	pd_q_text(q, 6, r->kind);
	pd_q_text(q, 7, r->status_after);
	pd_q_text(q, 8, r->unit_id);
	pd_q_text(q, 9, r->public_note);
	pd_q_blob_or_null(q, 10, r->note_ct);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmp_events(struct pd_tx *tx, const char *complaint_id, struct pd_arena *a,
                               struct pd_cmp_event_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_EVENTS);
	pd_q_text(q, 1, complaint_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmp_event_row *e = &out[(*n)++];
		memset(e, 0, sizeof *e);
		e->id = pd_q_col_dup(q, 0, a);
		e->complaint_id = pd_q_col_dup(q, 1, a);
		e->at_ms = pd_q_col_int(q, 2);
		e->actor_id = pd_store_cmp_col_text(q, 3, a);
		e->by_staff = pd_q_col_int(q, 4) != 0;
		e->kind = pd_q_col_dup(q, 5, a);
		e->status_after = pd_q_col_dup(q, 6, a);
		e->unit_id = pd_store_cmp_col_text(q, 7, a);
		e->public_note = pd_store_cmp_col_text(q, 8, a);
		e->note_ct = pd_q_col_blob_dup(q, 9, a);
		e->unit_name = pd_store_cmp_col_text(q, 10, a);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

/* --- support ------------------------------------------------------------------------------- */

enum pd_qs pd_store_cmp_support(struct pd_tx *tx, const char *complaint_id,
                                const char *account_id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SUPPORT_ADD);
	pd_q_text(q, 1, complaint_id);
	pd_q_text(q, 2, account_id);
	pd_q_int(q, 3, now_ms);
	enum pd_qs qs = pd_qs_of_changes(pd_q_exec(q));
	if (qs != PD_QS_ONE)
		return qs;
	q = pd_q_open(tx, &SQL_SUPPORT_BUMP);
	pd_q_text(q, 1, complaint_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmp_supports(struct pd_tx *tx, const char *complaint_id,
                                 const char *account_id, bool *out)
{
	*out = false;
	struct pd_q *q = pd_q_open(tx, &SQL_SUPPORTS);
	pd_q_text(q, 1, complaint_id);
	pd_q_text(q, 2, account_id);
	int rc = pd_q_step(q);
	if (rc == 1)
		*out = pd_q_col_int(q, 0) > 0;
	pd_q_close(q);
	return rc == 1 ? PD_QS_ONE : PD_QS_HARD;
}

/* --- photos -------------------------------------------------------------------------------- */

enum pd_qs pd_store_cmp_photo_insert(struct pd_tx *tx, const struct pd_cmp_photo_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PHOTO_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->complaint_id);
	pd_q_int(q, 3, r->n);
	pd_q_text(q, 4, r->attachment_id);
	pd_q_text(q, 5, r->content_type);
	pd_q_int(q, 6, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cmp_photo(struct pd_tx *tx, const char *complaint_id, int64_t n,
                              struct pd_arena *a, struct pd_cmp_photo_row *out)
{
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_PHOTO);
	pd_q_text(q, 1, complaint_id);
	pd_q_int(q, 2, n);
	int rc = pd_q_step(q);
	if (rc == 1) {
		out->id = pd_q_col_dup(q, 0, a);
		out->complaint_id = pd_q_col_dup(q, 1, a);
		out->n = pd_q_col_int(q, 2);
		out->attachment_id = pd_q_col_dup(q, 3, a);
		out->content_type = pd_q_col_dup(q, 4, a);
		out->created_ms = pd_q_col_int(q, 5);
	}
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_cmp_photo_count(struct pd_tx *tx, const char *complaint_id, int64_t *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_PHOTO_COUNT);
	pd_q_text(q, 1, complaint_id);
	int rc = pd_q_step(q);
	if (rc == 1)
		*n = pd_q_col_int(q, 0);
	pd_q_close(q);
	return rc == 1 ? PD_QS_ONE : PD_QS_HARD;
}
