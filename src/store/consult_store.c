/* Statements and row mapping for public consultations (see consult_store.h). */
#include "store/consult_store.h"

#include <string.h>

#define COLS                                                                                     \
	"c.id, c.slug, c.unit_id, c.unit_path, c.title, c.summary, u.slug, u.name, c.opens_ms, "  \
	"c.closes_ms, c.n_versions, c.report_changes, c.report_ms, c.created_by, c.created_ms "
#define FROM "FROM consultation c JOIN unit u ON u.id = c.unit_id "
#define SORTKEY "(CASE WHEN c.closes_ms > $1 THEN c.closes_ms ELSE 100000000000000 - c.closes_ms END)"

static const struct pd_sql SQL_INSERT = {
	"cs_insert",
	"INSERT INTO consultation (id, slug, unit_id, unit_path, title, summary, opens_ms, "
	"closes_ms, n_versions, created_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	"$10, $11)",
	NULL};
static const struct pd_sql SQL_BY_SLUG = {"cs_by_slug", "SELECT " COLS FROM "WHERE c.slug = $1",
                                          NULL};
static const struct pd_sql SQL_BY_ID = {"cs_by_id", "SELECT " COLS FROM "WHERE c.id = $1", NULL};
static const struct pd_sql SQL_BUMP = {
	"cs_bump_version",
	"UPDATE consultation SET n_versions = $2 WHERE id = $1 AND n_versions = $2 - 1", NULL};
static const struct pd_sql SQL_REPORT = {
	"cs_report",
	"UPDATE consultation SET report_changes = $2, report_ms = $3 WHERE id = $1 "
	"AND report_ms IS NULL",
	NULL};
static const struct pd_sql SQL_LIST = {
	"cs_list",
	"SELECT " COLS ", " SORTKEY " " FROM "WHERE c.opens_ms <= $1 "
	"AND ($2 = '' OR (c.unit_path >= $2 AND c.unit_path < $3)) "
	"AND ($4 = 0 OR c.closes_ms > $1) "
	"AND ($5 = '' OR " SORTKEY " > $6 OR (" SORTKEY " = $6 AND c.id > $5)) "
	"ORDER BY " SORTKEY ", c.id LIMIT $7",
	NULL};
static const struct pd_sql SQL_SUBTREE = {
	"cs_of_subtree",
	"SELECT " COLS FROM "WHERE c.unit_path >= $1 AND c.unit_path < $2 "
	"ORDER BY c.created_ms DESC, c.id DESC LIMIT $3",
	NULL};
static const struct pd_sql SQL_VERSION_INSERT = {
	"cs_version_insert",
	"INSERT INTO consult_version (consultation_id, n, body_md, note, published_ms) "
	"VALUES ($1, $2, $3, $4, $5)",
	NULL};
static const struct pd_sql SQL_VERSIONS = {
	"cs_versions",
	"SELECT n, note, published_ms FROM consult_version WHERE consultation_id = $1 "
	"ORDER BY n LIMIT $2",
	NULL};
static const struct pd_sql SQL_VERSION_BODY = {
	"cs_version_body",
	"SELECT body_md FROM consult_version WHERE consultation_id = $1 AND n = $2", NULL};
static const struct pd_sql SQL_SECTION_INSERT = {
	"cs_section_insert",
	"INSERT INTO consult_section (consultation_id, version, position, anchor, title, html) "
	"VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_SECTIONS = {
	"cs_sections",
	"SELECT position, anchor, title, html FROM consult_section WHERE consultation_id = $1 "
	"AND version = $2 ORDER BY position LIMIT $3",
	NULL};

#define CCOLS                                                                                    \
	"id, consultation_id, parent_id, section, version, account_id, author_name, stance, body, " \
	"created_ms, reports, state, decided, mod_reason, mod_ms, mod_by "
static const struct pd_sql SQL_COMMENT_INSERT = {
	"cs_comment_insert",
	"INSERT INTO consult_comment (id, consultation_id, parent_id, section, version, account_id, "
	"author_name, stance, body, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
	NULL};
static const struct pd_sql SQL_COMMENT_BY_ID = {
	"cs_comment_by_id", "SELECT " CCOLS "FROM consult_comment WHERE id = $1", NULL};
static const struct pd_sql SQL_COMMENTS = {
	"cs_comments",
	"SELECT " CCOLS "FROM consult_comment WHERE consultation_id = $1 "
	"AND ($2 = '' OR created_ms > $3 OR (created_ms = $3 AND id > $2)) "
	"ORDER BY created_ms, id LIMIT $4",
	NULL};
static const struct pd_sql SQL_SINCE = {
	"cs_comments_since",
	"SELECT COUNT(*) FROM consult_comment WHERE account_id = $1 AND created_ms >= $2", NULL};
static const struct pd_sql SQL_FIGURES = {
	"cs_figures",
	"SELECT section, COUNT(*), "
	"SUM(CASE WHEN parent_id IS NULL AND stance = 'support' THEN 1 ELSE 0 END), "
	"SUM(CASE WHEN parent_id IS NULL AND stance = 'oppose' THEN 1 ELSE 0 END), "
	"SUM(CASE WHEN parent_id IS NULL AND stance = 'neutral' THEN 1 ELSE 0 END) "
	"FROM consult_comment WHERE consultation_id = $1 AND state = 'visible' "
	"GROUP BY section ORDER BY section LIMIT $2",
	NULL};
static const struct pd_sql SQL_REPORT_ADD = {
	"cs_report_add",
	"INSERT INTO consult_report (comment_id, account_id, created_ms) VALUES ($1, $2, $3) "
	"ON CONFLICT DO NOTHING",
	NULL};
static const struct pd_sql SQL_REPORT_COUNT = {
	"cs_report_count",
	"UPDATE consult_comment SET reports = reports + 1, "
	"state = CASE WHEN decided = 0 AND state = 'visible' AND reports + 1 >= $2 THEN 'held' "
	"ELSE state END WHERE id = $1",
	NULL};
static const struct pd_sql SQL_MODERATE = {
	"cs_moderate",
	"UPDATE consult_comment SET state = $2, decided = 1, mod_reason = $3, mod_ms = $4, "
	"mod_by = $5 WHERE id = $1",
	NULL};
static const struct pd_sql SQL_ERASE_NAMES = {
	"cs_erase_names",
	"UPDATE consult_comment SET author_name = NULL WHERE account_id = $1 "
	"AND author_name IS NOT NULL",
	NULL};
static const struct pd_sql SQL_HELD = {
	"cs_held",
	"SELECT k.id, k.consultation_id, k.parent_id, k.section, k.version, k.account_id, "
	"k.author_name, k.stance, k.body, k.created_ms, k.reports, k.state, k.decided, "
	"k.mod_reason, k.mod_ms, k.mod_by FROM consult_comment k "
	"JOIN consultation c ON c.id = k.consultation_id WHERE k.state = 'held' "
	"AND c.unit_path >= $1 AND c.unit_path < $2 ORDER BY k.created_ms, k.id LIMIT $3",
	NULL};
static const struct pd_sql SQL_RESPONSE_INSERT = {
	"cs_response_insert",
	"INSERT INTO consult_response (consultation_id, section, response) VALUES ($1, $2, $3)",
	NULL};
static const struct pd_sql SQL_RESPONSES = {
	"cs_responses",
	"SELECT section, response FROM consult_response WHERE consultation_id = $1 "
	"ORDER BY section LIMIT $2",
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

/* The end of the subtree range of path: path with its last byte ('/') raised by one. */
static const char *path_end(struct pd_tx *tx, const char *path)
{
	size_t n = strlen(path);
	char *e = pd_arena_strdup(pd_tx_arena(tx), path);
	if (n > 0)
		e[n - 1] = (char)(e[n - 1] + 1);
	return e;
}

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_cs_row *r)
{
	memset(r, 0, sizeof *r);
	int i = 0;
	r->id = col_text(q, i++, a);
	r->slug = col_text(q, i++, a);
	r->unit_id = col_text(q, i++, a);
	r->unit_path = col_text(q, i++, a);
	r->title = col_text(q, i++, a);
	r->summary = col_text(q, i++, a);
	r->unit_slug = col_text(q, i++, a);
	r->unit_name = col_text(q, i++, a);
	r->opens_ms = col_int(q, i++);
	r->closes_ms = col_int(q, i++);
	r->n_versions = col_int(q, i++);
	r->report_changes = col_text(q, i++, a);
	r->report_ms = col_int(q, i++);
	r->created_by = col_text(q, i++, a);
	r->created_ms = col_int(q, i++);
}

enum pd_qs pd_store_cs_insert(struct pd_tx *tx, const struct pd_cs_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->slug);
	pd_q_text(q, 3, r->unit_id);
	pd_q_text(q, 4, r->unit_path);
	pd_q_text(q, 5, r->title);
	pd_q_text(q, 6, r->summary);
	pd_q_int(q, 7, r->opens_ms);
	pd_q_int(q, 8, r->closes_ms);
	pd_q_int(q, 9, r->n_versions);
	pd_q_text(q, 10, r->created_by);
	pd_q_int(q, 11, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs one(struct pd_tx *tx, const struct pd_sql *sql, const char *key,
                      struct pd_arena *a, struct pd_cs_row *r)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, key);
	int n = 0;
	if (pd_q_step(q) == 1) {
		read_row(q, a ? a : pd_tx_arena(tx), r);
		n = 1;
	}
	pd_q_close(q);
	return rows_qs(tx, n);
}

enum pd_qs pd_store_cs_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                               struct pd_cs_row *r)
{
	return one(tx, &SQL_BY_SLUG, slug, a, r);
}

enum pd_qs pd_store_cs_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                             struct pd_cs_row *r)
{
	return one(tx, &SQL_BY_ID, id, a, r);
}

enum pd_qs pd_store_cs_bump_version(struct pd_tx *tx, const char *id, int64_t n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BUMP);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, n);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_report(struct pd_tx *tx, const char *id, const char *changes,
                              int64_t at_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REPORT);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, changes);
	pd_q_int(q, 3, at_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_list(struct pd_tx *tx, const struct pd_cs_list_filter *f,
                            struct pd_arena *a, struct pd_cs_row *out, int max, int *n)
{
	const char *path = f->unit_path ? f->unit_path : "";
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_int(q, 1, f->now_ms);
	pd_q_text(q, 2, path);
	pd_q_text(q, 3, *path ? path_end(tx, path) : "");
	pd_q_int(q, 4, f->open_only ? 1 : 0);
	pd_q_text(q, 5, f->after_id ? f->after_id : "");
	pd_q_int(q, 6, f->after_key);
	pd_q_int(q, 7, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_cs_of_subtree(struct pd_tx *tx, const char *path, struct pd_arena *a,
                                  struct pd_cs_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SUBTREE);
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, path_end(tx, path));
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_cs_version_insert(struct pd_tx *tx, const char *cs_id,
                                      const struct pd_cs_version_row *v)
{
	struct pd_q *q = pd_q_open(tx, &SQL_VERSION_INSERT);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, v->n);
	pd_q_text(q, 3, v->body_md);
	pd_q_text(q, 4, v->note);
	pd_q_int(q, 5, v->published_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_versions(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                                struct pd_cs_version_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_VERSIONS);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cs_version_row *v = &out[(*n)++];
		v->n = col_int(q, 0);
		v->body_md = NULL;
		v->note = col_text(q, 1, a);
		v->published_ms = col_int(q, 2);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_cs_version_body(struct pd_tx *tx, const char *cs_id, int64_t n,
                                    struct pd_arena *a, const char **body_md)
{
	struct pd_q *q = pd_q_open(tx, &SQL_VERSION_BODY);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, n);
	int got = 0;
	if (pd_q_step(q) == 1) {
		*body_md = col_text(q, 0, a);
		got = 1;
	}
	pd_q_close(q);
	return rows_qs(tx, got);
}

enum pd_qs pd_store_cs_section_insert(struct pd_tx *tx, const char *cs_id, int64_t version,
                                      const struct pd_cs_section_row *s)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SECTION_INSERT);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, version);
	pd_q_int(q, 3, s->position);
	pd_q_text(q, 4, s->anchor);
	pd_q_text(q, 5, s->title);
	pd_q_text(q, 6, s->html);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_sections(struct pd_tx *tx, const char *cs_id, int64_t version,
                                struct pd_arena *a, struct pd_cs_section_row *out, int max,
                                int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SECTIONS);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, version);
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cs_section_row *s = &out[(*n)++];
		s->position = col_int(q, 0);
		s->anchor = col_text(q, 1, a);
		s->title = col_text(q, 2, a);
		s->html = col_text(q, 3, a);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

static void read_comment(struct pd_q *q, struct pd_arena *a, struct pd_cs_comment_row *c)
{
	memset(c, 0, sizeof *c);
	int i = 0;
	c->id = col_text(q, i++, a);
	c->consultation_id = col_text(q, i++, a);
	c->parent_id = col_text(q, i++, a);
	c->section = col_text(q, i++, a);
	c->version = col_int(q, i++);
	c->account_id = col_text(q, i++, a);
	c->author_name = col_text(q, i++, a);
	c->stance = col_text(q, i++, a);
	c->body = col_text(q, i++, a);
	c->created_ms = col_int(q, i++);
	c->reports = col_int(q, i++);
	c->state = col_text(q, i++, a);
	c->decided = col_int(q, i++) != 0;
	c->mod_reason = col_text(q, i++, a);
	c->mod_ms = col_int(q, i++);
	c->mod_by = col_text(q, i++, a);
}

enum pd_qs pd_store_cs_comment_insert(struct pd_tx *tx, const struct pd_cs_comment_row *c)
{
	struct pd_q *q = pd_q_open(tx, &SQL_COMMENT_INSERT);
	pd_q_text(q, 1, c->id);
	pd_q_text(q, 2, c->consultation_id);
	pd_q_text(q, 3, c->parent_id);
	pd_q_text(q, 4, c->section);
	pd_q_int(q, 5, c->version);
	pd_q_text(q, 6, c->account_id);
	pd_q_text(q, 7, c->author_name);
	pd_q_text(q, 8, c->stance);
	pd_q_text(q, 9, c->body);
	pd_q_int(q, 10, c->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_comment_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                     struct pd_cs_comment_row *c)
{
	struct pd_q *q = pd_q_open(tx, &SQL_COMMENT_BY_ID);
	pd_q_text(q, 1, id);
	int n = 0;
	if (pd_q_step(q) == 1) {
		read_comment(q, a ? a : pd_tx_arena(tx), c);
		n = 1;
	}
	pd_q_close(q);
	return rows_qs(tx, n);
}

enum pd_qs pd_store_cs_comments(struct pd_tx *tx, const char *cs_id, int64_t after_ms,
                                const char *after_id, struct pd_arena *a,
                                struct pd_cs_comment_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_COMMENTS);
	pd_q_text(q, 1, cs_id);
	pd_q_text(q, 2, after_id ? after_id : "");
	pd_q_int(q, 3, after_ms);
	pd_q_int(q, 4, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_comment(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_cs_comments_since(struct pd_tx *tx, const char *account_id,
                                      int64_t since_ms, int64_t *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SINCE);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, since_ms);
	*out = 0;
	if (pd_q_step(q) == 1)
		*out = col_int(q, 0);
	pd_q_close(q);
	return rows_qs(tx, 1);
}

enum pd_qs pd_store_cs_report_add(struct pd_tx *tx, const char *comment_id,
                                  const char *account_id, int64_t at_ms, int64_t threshold)
{
	struct pd_q *q = pd_q_open(tx, &SQL_REPORT_ADD);
	pd_q_text(q, 1, comment_id);
	pd_q_text(q, 2, account_id);
	pd_q_int(q, 3, at_ms);
	enum pd_qs qs = pd_qs_of_changes(pd_q_exec(q));
	if (qs != PD_QS_ONE)
		return qs;
	q = pd_q_open(tx, &SQL_REPORT_COUNT);
	pd_q_text(q, 1, comment_id);
	pd_q_int(q, 2, threshold);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_moderate(struct pd_tx *tx, const char *comment_id, const char *state,
                                const char *reason, int64_t at_ms, const char *by)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MODERATE);
	pd_q_text(q, 1, comment_id);
	pd_q_text(q, 2, state);
	pd_q_text(q, 3, reason);
	pd_q_int(q, 4, at_ms);
	pd_q_text(q, 5, by);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_held(struct pd_tx *tx, const char *path, struct pd_arena *a,
                            struct pd_cs_comment_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_HELD);
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, path_end(tx, path));
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_comment(q, a, &out[(*n)++]);
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_cs_response_insert(struct pd_tx *tx, const char *cs_id, const char *section,
                                       const char *response)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RESPONSE_INSERT);
	pd_q_text(q, 1, cs_id);
	pd_q_text(q, 2, section);
	pd_q_text(q, 3, response);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_cs_responses(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                                 const char **sections, const char **responses, int max,
                                 int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RESPONSES);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		sections[*n] = col_text(q, 0, a);
		responses[*n] = col_text(q, 1, a);
		(*n)++;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

int pd_store_cs_erase_names(struct pd_tx *tx, const char *account_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ERASE_NAMES);
	pd_q_text(q, 1, account_id);
	return pd_q_exec(q) < 0 || pd_tx_error(tx) ? -1 : 0;
}

enum pd_qs pd_store_cs_figures(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                               struct pd_cs_figure_row *out, int max, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_FIGURES);
	pd_q_text(q, 1, cs_id);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cs_figure_row *f = &out[(*n)++];
		f->section = col_text(q, 0, a);
		f->comments = col_int(q, 1);
		f->support = col_int(q, 2);
		f->oppose = col_int(q, 3);
		f->neutral = col_int(q, 4);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}
