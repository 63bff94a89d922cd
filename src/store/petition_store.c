/* Statements and row mapping for petitions (see petition_store.h). */
#include "store/petition_store.h"

#include <string.h>

#define COLS                                                                                     \
	"p.id, p.author_account_id, p.unit_id, p.unit_path, u.slug, u.name, p.title_ct, "        \
	"p.body_ct, p.ask_ct, p.period_days, p.status, p.title, p.body, p.ask, p.refusal_reason, " \
	"p.threshold, p.answer_days, p.created_ms, p.decided_ms, p.moderator_id, p.opens_ms, "   \
	"p.closes_ms, p.reached_ms, p.answer_due_ms, p.answer, p.answered_ms, p.answered_by, "   \
	"p.overdue, p.form_id, p.version, p.updated_ms "
/* Light columns (lists): the sealed blobs and the long texts are not read. */
#define LCOLS                                                                                    \
	"p.id, p.author_account_id, p.unit_id, p.unit_path, u.slug, u.name, NULL, NULL, NULL, "   \
	"p.period_days, p.status, p.title, NULL, p.ask, NULL, p.threshold, p.answer_days, "      \
	"p.created_ms, p.decided_ms, NULL, p.opens_ms, p.closes_ms, p.reached_ms, "              \
	"p.answer_due_ms, NULL, p.answered_ms, NULL, p.overdue, NULL, p.version, p.updated_ms "
#define FROM "FROM petition p JOIN unit u ON u.id = p.unit_id "

static const struct pd_sql SQL_ERASE_NAMES = {
	"pet_erase_names",
	"UPDATE petition_signature SET public_name = NULL WHERE account_id = $1 "
	"AND public_name IS NOT NULL",
	NULL};
static const struct pd_sql SQL_INSERT = {
	"pet_insert",
	"INSERT INTO petition (id, author_account_id, unit_id, unit_path, title_ct, body_ct, "
	"ask_ct, period_days, status, created_ms, form_id, version, updated_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, 1, $9)",
	NULL};
static const struct pd_sql SQL_BY_ID = {"pet_by_id", "SELECT " COLS FROM "WHERE p.id = $1", NULL};
static const struct pd_sql SQL_BY_FORM = {
	"pet_by_form", "SELECT " COLS FROM "WHERE p.form_id = $1", NULL};
static const struct pd_sql SQL_UPDATE = {
	"pet_update",
	"UPDATE petition SET status = $3, title = $4, body = $5, ask = $6, refusal_reason = $7, "
	"threshold = $8, answer_days = $9, decided_ms = $10, moderator_id = $11, opens_ms = $12, "
	"closes_ms = $13, answer = $14, answered_ms = $15, answered_by = $16, overdue = $17, "
	"updated_ms = $18, version = version + 1 WHERE id = $1 AND version = $2",
	NULL};
static const struct pd_sql SQL_LOCK = {
	"pet_lock", "SELECT 1 FROM petition WHERE id = $1",
	"SELECT 1 FROM petition WHERE id = $1 FOR UPDATE"};
static const struct pd_sql SQL_REACHED = {
	"pet_reached",
	"UPDATE petition SET reached_ms = $2, answer_due_ms = $3 WHERE id = $1 "
	"AND reached_ms IS NULL",
	NULL};
static const struct pd_sql SQL_PUBLIC = {
	"pet_public",
	"SELECT " LCOLS FROM "WHERE p.status IN ('open', 'answered') "
	"AND ($1 = '' OR (p.unit_path >= $1 AND p.unit_path < $2)) "
	"AND ($3 = '' OR p.id < $3) ORDER BY p.id DESC LIMIT $4",
	NULL};
static const struct pd_sql SQL_QUEUE = {
	"pet_queue",
	"SELECT " LCOLS FROM "WHERE p.unit_path >= $1 AND p.unit_path < $2 "
	"AND (p.status = 'pending' OR (p.answer_due_ms IS NOT NULL AND p.answered_ms IS NULL)) "
	"ORDER BY COALESCE(p.answer_due_ms, p.created_ms), p.id LIMIT $3",
	NULL};
static const struct pd_sql SQL_MINE = {
	"pet_mine",
	"SELECT " LCOLS FROM "WHERE p.author_account_id = $1 ORDER BY p.id DESC LIMIT $2", NULL};
static const struct pd_sql SQL_SIGN = {
	"pet_sign",
	"INSERT INTO petition_signature (petition_id, nik_bidx, account_id, nik_verified, "
	"public_name, signed_ms) VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_COUNTS = {
	"pet_counts",
	"SELECT COUNT(*) FILTER (WHERE nik_verified = 1), COUNT(*) FILTER (WHERE nik_verified = 0) "
	"FROM petition_signature WHERE petition_id = $1",
	NULL};
static const struct pd_sql SQL_SIGNED = {
	"pet_signed",
	"SELECT 1 FROM petition_signature WHERE petition_id = $1 AND account_id = $2", NULL};
static const struct pd_sql SQL_SIGNERS = {
	"pet_signers",
	"SELECT public_name, signed_ms FROM petition_signature WHERE petition_id = $1 "
	"AND public_name IS NOT NULL ORDER BY signed_ms DESC, account_id LIMIT $2",
	NULL};
static const struct pd_sql SQL_SETTING = {
	"pet_setting",
	"SELECT s.threshold, s.answer_days FROM petition_setting s JOIN unit u ON u.id = s.unit_id "
	"WHERE substr($1, 1, length(u.path)) = u.path ORDER BY length(u.path) DESC LIMIT 1",
	NULL};
static const struct pd_sql SQL_SETTING_PUT = {
	"pet_setting_put",
	"INSERT INTO petition_setting (unit_id, threshold, answer_days, updated_ms) "
	"VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET threshold = excluded.threshold, "
	"answer_days = excluded.answer_days, updated_ms = excluded.updated_ms",
	NULL};
static const struct pd_sql SQL_DUE = {
	"pet_due",
	"SELECT id FROM petition WHERE answer_due_ms IS NOT NULL AND answered_ms IS NULL "
	"AND overdue = 0 AND answer_due_ms < $1 ORDER BY answer_due_ms LIMIT $2",
	NULL};
static const struct pd_sql SQL_FLAG = {
	"pet_flag",
	"UPDATE petition SET overdue = 1, updated_ms = $2 WHERE id = $1 AND answered_ms IS NULL "
	"AND overdue = 0 AND answer_due_ms < $2",
	NULL};
static const struct pd_sql SQL_FIGURES = {
	"pet_figures",
	"SELECT u.slug, u.name, COUNT(*), COUNT(*) FILTER (WHERE p.reached_ms IS NOT NULL), "
	"COUNT(*) FILTER (WHERE p.answered_ms IS NOT NULL), "
	"COUNT(*) FILTER (WHERE p.answered_ms IS NOT NULL AND p.answer_due_ms IS NOT NULL "
	"AND p.answered_ms <= p.answer_due_ms), "
	"COUNT(*) FILTER (WHERE p.answered_ms IS NULL AND p.overdue = 1), "
	"COUNT(*) FILTER (WHERE p.answered_ms IS NOT NULL AND p.answer_due_ms IS NOT NULL "
	"AND p.answered_ms > p.answer_due_ms) "
	"FROM petition p JOIN unit u ON u.id = p.unit_id WHERE p.status IN ('open', 'answered') "
	"GROUP BY u.id, u.slug, u.name ORDER BY u.name, u.id LIMIT $1",
	NULL};

static const char *col_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

static int64_t col_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static enum pd_qs rows_qs(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_pet_row *r)
{
	memset(r, 0, sizeof *r);
	int i = 0;
	r->id = col_text(q, i++, a);
	r->author_account_id = col_text(q, i++, a);
	r->unit_id = col_text(q, i++, a);
	r->unit_path = col_text(q, i++, a);
	r->unit_slug = col_text(q, i++, a);
	r->unit_name = col_text(q, i++, a);
	r->title_ct = pd_q_col_blob_dup(q, i++, a);
	r->body_ct = pd_q_col_blob_dup(q, i++, a);
	r->ask_ct = pd_q_col_blob_dup(q, i++, a);
	r->period_days = col_int(q, i++);
	r->status = col_text(q, i++, a);
	r->title = col_text(q, i++, a);
	r->body = col_text(q, i++, a);
	r->ask = col_text(q, i++, a);
	r->refusal_reason = col_text(q, i++, a);
	r->threshold = col_int(q, i++);
	r->answer_days = col_int(q, i++);
	r->created_ms = col_int(q, i++);
	r->decided_ms = col_int(q, i++);
	r->moderator_id = col_text(q, i++, a);
	r->opens_ms = col_int(q, i++);
	r->closes_ms = col_int(q, i++);
	r->reached_ms = col_int(q, i++);
	r->answer_due_ms = col_int(q, i++);
	r->answer = col_text(q, i++, a);
	r->answered_ms = col_int(q, i++);
	r->answered_by = col_text(q, i++, a);
	r->overdue = col_int(q, i++) != 0;
	r->form_id = col_text(q, i++, a);
	r->version = col_int(q, i++);
	r->updated_ms = col_int(q, i++);
}

enum pd_qs pd_store_pet_insert(struct pd_tx *tx, const struct pd_pet_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->author_account_id);
	pd_q_text(q, 3, r->unit_id);
	pd_q_text(q, 4, r->unit_path);
	pd_q_blob_or_null(q, 5, r->title_ct);
	pd_q_blob_or_null(q, 6, r->body_ct);
	pd_q_blob_or_null(q, 7, r->ask_ct);
	pd_q_int(q, 8, r->period_days);
	pd_q_int(q, 9, r->created_ms);
	pd_q_text(q, 10, r->form_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs by_key(struct pd_tx *tx, const struct pd_sql *sql, const char *key,
                         struct pd_arena *a, struct pd_pet_row *r)
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

enum pd_qs pd_store_pet_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                              struct pd_pet_row *r)
{
	return by_key(tx, &SQL_BY_ID, id, a, r);
}

enum pd_qs pd_store_pet_by_form(struct pd_tx *tx, const char *form_id, struct pd_arena *a,
                                struct pd_pet_row *r)
{
	return by_key(tx, &SQL_BY_FORM, form_id, a, r);
}

enum pd_qs pd_store_pet_update(struct pd_tx *tx, const struct pd_pet_row *r, int64_t version)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, r->id);
	pd_q_int(q, 2, version);
	pd_q_text(q, 3, r->status);
	pd_q_text(q, 4, r->title);
	pd_q_text(q, 5, r->body);
	pd_q_text(q, 6, r->ask);
	pd_q_text(q, 7, r->refusal_reason);
	pd_q_int_or_null(q, 8, r->threshold);
	pd_q_int_or_null(q, 9, r->answer_days);
	pd_q_int_or_null(q, 10, r->decided_ms);
	pd_q_text(q, 11, r->moderator_id);
	pd_q_int_or_null(q, 12, r->opens_ms);
	pd_q_int_or_null(q, 13, r->closes_ms);
	pd_q_text(q, 14, r->answer);
	pd_q_int_or_null(q, 15, r->answered_ms);
	pd_q_text(q, 16, r->answered_by);
	pd_q_int(q, 17, r->overdue ? 1 : 0);
	pd_q_int(q, 18, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_pet_set_reached(struct pd_tx *tx, const char *id, int64_t reached_ms,
                                    int64_t answer_due_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REACHED);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, reached_ms);
	pd_q_int(q, 3, answer_due_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs read_rows(struct pd_tx *tx, struct pd_q *q, struct pd_arena *a,
                            struct pd_pet_row *out, int max, int *n)
{
	if (!a)
		a = pd_tx_arena(tx);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_pet_public(struct pd_tx *tx, const char *unit_path, const char *after_id,
                               struct pd_arena *a, struct pd_pet_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PUBLIC);
	bool scoped = unit_path && *unit_path;
	pd_q_text(q, 1, scoped ? unit_path : "");
	pd_q_text(q, 2, scoped ? pd_arena_printf(pd_tx_arena(tx), "%s~", unit_path) : "");
	pd_q_text(q, 3, after_id ? after_id : "");
	pd_q_int(q, 4, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_pet_queue(struct pd_tx *tx, const char *unit_path, struct pd_arena *a,
                              struct pd_pet_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_QUEUE);
	/* '~' sorts after the characters of a path. */
	pd_q_text(q, 1, unit_path);
	pd_q_text(q, 2, pd_arena_printf(pd_tx_arena(tx), "%s~", unit_path));
	pd_q_int(q, 3, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_pet_mine(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                             struct pd_pet_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MINE);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	return read_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_pet_sign(struct pd_tx *tx, const struct pd_pet_sig_row *s)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SIGN);
	pd_q_text(q, 1, s->petition_id);
	pd_q_blob(q, 2, s->nik_bidx.p, s->nik_bidx.n);
	pd_q_text(q, 3, s->account_id);
	pd_q_int(q, 4, s->nik_verified ? 1 : 0);
	pd_q_text(q, 5, s->public_name);
	pd_q_int(q, 6, s->signed_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_pet_counts(struct pd_tx *tx, const char *petition_id, int64_t *verified,
                               int64_t *self_declared)
{
	*verified = *self_declared = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_COUNTS);
	pd_q_text(q, 1, petition_id);
	int rc = pd_q_step(q);
	if (rc == 1) {
		*verified = col_int(q, 0);
		*self_declared = col_int(q, 1);
	}
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_pet_signed(struct pd_tx *tx, const char *petition_id, const char *account_id,
                               bool *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SIGNED);
	pd_q_text(q, 1, petition_id);
	pd_q_text(q, 2, account_id);
	int rc = pd_q_step(q);
	*out = rc == 1;
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_pet_signers(struct pd_tx *tx, const char *petition_id, struct pd_arena *a,
                                const char **names, int64_t *signed_ms, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SIGNERS);
	pd_q_text(q, 1, petition_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		names[*n] = col_text(q, 0, a);
		signed_ms[*n] = col_int(q, 1);
		(*n)++;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_pet_setting(struct pd_tx *tx, const char *unit_path, int64_t *threshold,
                                int64_t *answer_days)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SETTING);
	pd_q_text(q, 1, unit_path);
	int rc = pd_q_step(q);
	if (rc == 1) {
		*threshold = col_int(q, 0);
		*answer_days = col_int(q, 1);
	}
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_pet_setting_put(struct pd_tx *tx, const char *unit_id, int64_t threshold,
                                    int64_t answer_days, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SETTING_PUT);
	pd_q_text(q, 1, unit_id);
	pd_q_int(q, 2, threshold);
	pd_q_int(q, 3, answer_days);
	pd_q_int(q, 4, now_ms);
	int64_t ch = pd_q_exec(q);
	return ch < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_pet_due(struct pd_tx *tx, int64_t now_ms, struct pd_arena *a,
                            const char **ids, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_DUE);
	pd_q_int(q, 1, now_ms);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		ids[(*n)++] = col_text(q, 0, a);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_pet_flag(struct pd_tx *tx, const char *id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FLAG);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_pet_figures(struct pd_tx *tx, struct pd_arena *a, struct pd_pet_fig_row *out,
                                int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FIGURES);
	pd_q_int(q, 1, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_pet_fig_row *f = &out[(*n)++];
		f->unit_slug = col_text(q, 0, a);
		f->unit_name = col_text(q, 1, a);
		f->petitions = col_int(q, 2);
		f->reached = col_int(q, 3);
		f->answered = col_int(q, 4);
		f->answered_on_time = col_int(q, 5);
		f->overdue_open = col_int(q, 6);
		f->answered_late = col_int(q, 7);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

int pd_store_pet_erase_names(struct pd_tx *tx, const char *account_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ERASE_NAMES);
	pd_q_text(q, 1, account_id);
	return pd_q_exec(q) < 0 || pd_tx_error(tx) ? -1 : 0;
}

enum pd_qs pd_store_pet_lock(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_LOCK);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q);
	pd_q_close(q);
	return rc < 0 || pd_tx_error(tx) ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}
