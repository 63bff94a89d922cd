/* Statements and row mapping for the public side of complaints: the search index over the
 * public copy (FTS5 / tsvector per dialect), similar complaints, per-unit aggregates and the
 * category rows of the administration pages. No sealed column is ever selected here. */
#include "store/complaint_public_store.h"

#include <string.h>

#define OPEN_STATUSES "('new', 'needs_info', 'dispositioned', 'reopened')"

/* --- search index ---------------------------------------------------------------------------- */

static const struct pd_sql SQL_MARK = {
	"cmpp_index_mark", "SELECT COALESCE(MAX(updated_ms), 0) FROM complaint_search", NULL};
static const struct pd_sql SQL_STALE = {
	"cmpp_stale",
	"SELECT c.id, c.version, c.updated_ms, c.public_title, c.public_text, c.answer_public "
	"FROM complaint c LEFT JOIN complaint_search s ON s.complaint_id = c.id "
	"WHERE c.updated_ms >= $1 AND c.published = 1 "
	"AND (s.version IS NULL OR s.version <> c.version) "
	"ORDER BY c.updated_ms, c.id LIMIT $2",
	NULL};
static const struct pd_sql SQL_PUT = {
	"cmpp_index_put",
	"INSERT INTO complaint_search (complaint_id, version, updated_ms, search_stems) "
	"VALUES ($1, $2, $3, $4) ON CONFLICT (complaint_id) DO UPDATE SET "
	"version = excluded.version, updated_ms = excluded.updated_ms, "
	"search_stems = excluded.search_stems WHERE complaint_search.version < excluded.version",
	NULL};

/* --- public lists ---------------------------------------------------------------------------- */

#define PUB_COLS                                                                               \
	"c.id, c.tracking, c.status, c.public_title, k.code, k.name, u.name, p.slug, p.name, "    \
	"c.lat_e6, c.lon_e6, c.created_ms, c.updated_ms, c.support_count"
#define PUB_FROM                                                                               \
	" FROM complaint c JOIN complaint_category k ON k.id = c.category_id "                    \
	"JOIN unit u ON u.id = c.unit_id LEFT JOIN unit p ON p.id = c.place_unit_id "
/* The filters of the public list, $1..$8 as in complaint_store.c's cmp_list_public. */
#define PUB_WHERE                                                                              \
	"WHERE c.published = 1 AND ($1 = '' OR k.code = $1) "                                     \
	"AND ($2 = '' OR EXISTS (SELECT 1 FROM unit f WHERE f.slug = $2 "                         \
	"AND substr(c.unit_path, 1, length(f.path)) = f.path)) "                                  \
	"AND ($3 = '' OR p.slug = $3) "                                                           \
	"AND ($4 = '' OR c.status = $4 "                                                          \
	"OR ($4 = 'open' AND c.status IN " OPEN_STATUSES ") "                                     \
	"OR ($4 = 'closed' AND c.status IN ('answered', 'out_of_scope', 'merged'))) "             \
	"AND ($5 = 0 OR c.created_ms >= $5) AND ($6 = 0 OR c.created_ms < $6) "                   \
	"AND (c.created_ms, c.id) < ($8, $7) "
#define PUB_ORDER "ORDER BY c.created_ms DESC, c.id DESC LIMIT $9"

/* $10: the stems that must all occur in the complaint's CURRENT index row (same version). */
static const struct pd_sql SQL_SEARCH = {
	"cmpp_search",
	"SELECT " PUB_COLS PUB_FROM PUB_WHERE
	"AND EXISTS (SELECT 1 FROM complaint_search s WHERE s.complaint_id = c.id "
	"AND s.version = c.version "
	"AND s.rowid IN (SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH $10)) " PUB_ORDER,
	"SELECT " PUB_COLS PUB_FROM PUB_WHERE
	"AND EXISTS (SELECT 1 FROM complaint_search s WHERE s.complaint_id = c.id "
	"AND s.version = c.version "
	"AND to_tsvector('simple', s.search_stems) @@ plainto_tsquery('simple', $10)) " PUB_ORDER};

static const struct pd_sql SQL_SIMILAR = {
	"cmpp_similar",
	"SELECT " PUB_COLS PUB_FROM "WHERE c.published = 1 AND k.code = $1 "
	"AND c.status IN " OPEN_STATUSES " "
	"AND ((p.slug = $2) OR ($3 = 1 AND c.lat_e6 BETWEEN $4 AND $5 "
	"AND c.lon_e6 BETWEEN $6 AND $7)) "
	"ORDER BY c.support_count DESC, c.created_ms DESC, c.id DESC LIMIT $8",
	NULL};

/* --- figures --------------------------------------------------------------------------------- */

static const struct pd_sql SQL_COUNTS = {
	"cmpp_unit_counts",
	"SELECT c.unit_id, u.slug, u.name, u.path, COUNT(*), "
	"CAST(SUM(CASE WHEN c.answered_ms IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN c.answered_ms IS NOT NULL AND c.due_ms IS NOT NULL "
	"AND c.answered_ms <= c.due_ms THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN c.status IN " OPEN_STATUSES " THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN c.status IN ('new', 'dispositioned', 'reopened') AND (c.overdue = 1 "
	"OR (c.due_ms IS NOT NULL AND c.due_ms < $3)) THEN 1 ELSE 0 END) AS BIGINT) "
	"FROM complaint c JOIN unit u ON u.id = c.unit_id "
	"WHERE c.created_ms >= $1 AND c.created_ms < $2 "
	"GROUP BY c.unit_id, u.slug, u.name, u.path ORDER BY u.path LIMIT $4",
	NULL};
static const struct pd_sql SQL_TIMES = {
	"cmpp_answer_times",
	"SELECT c.unit_path, c.created_ms, c.answered_ms FROM complaint c "
	"WHERE c.created_ms >= $1 AND c.created_ms < $2 AND c.answered_ms IS NOT NULL LIMIT $3",
	NULL};
static const struct pd_sql SQL_TOP_AGENCIES = {
	"cmpp_top_agencies",
	"SELECT u.id, u.slug, u.name, u.path FROM unit u LEFT JOIN unit p ON p.id = u.parent_id "
	"WHERE u.kind = 'agency' AND (p.kind IS NULL OR p.kind <> 'agency') "
	"ORDER BY u.path LIMIT $1",
	NULL};

/* --- categories ------------------------------------------------------------------------------ */

/* u.path lies in the subtree whose path is $n. */
#define SUBTREE(n) "substr(u.path, 1, length(CAST($" #n " AS TEXT))) = $" #n
static const struct pd_sql SQL_CATS_ADMIN = {
	"cmpp_categories_admin",
	"SELECT " PD_STORE_CMP_CAT_COLS " FROM complaint_category k JOIN unit u ON u.id = k.unit_id "
	"WHERE (" SUBTREE(1) " OR " SUBTREE(2) " OR " SUBTREE(3) " OR " SUBTREE(4)
	" OR " SUBTREE(5) " OR " SUBTREE(6) " OR " SUBTREE(7) " OR " SUBTREE(8) ") "
	"AND k.code > $9 ORDER BY k.code LIMIT $10",
	NULL};
static const struct pd_sql SQL_CAT_UPDATE = {
	"cmpp_category_update",
	"UPDATE complaint_category SET name = $3, description = $4, unit_id = $5, "
	"deadline_days = $6, keywords = $7, enabled = $8, updated_ms = $9, version = version + 1 "
	"WHERE id = $1 AND version = $2",
	NULL};

enum pd_qs pd_store_cmpp_index_mark(struct pd_tx *tx, int64_t *out)
{
	*out = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_MARK);
	int rc = pd_q_step(q);
	if (rc == 1)
		*out = pd_q_col_int(q, 0);
	pd_q_close(q);
	return rc == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_cmpp_stale(struct pd_tx *tx, int64_t since_ms, struct pd_arena *a,
                               struct pd_cmpp_stale *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_STALE);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmpp_stale *s = &out[(*n)++];
		s->id = pd_q_col_dup(q, 0, a);
		s->version = pd_q_col_int(q, 1);
		s->updated_ms = pd_q_col_int(q, 2);
		s->public_title = pd_store_cmp_col_text(q, 3, a);
		s->public_text = pd_store_cmp_col_text(q, 4, a);
		s->answer_public = pd_store_cmp_col_text(q, 5, a);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_index_put(struct pd_tx *tx, const char *complaint_id, int64_t version,
                                   int64_t updated_ms, const char *stems)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PUT);
	pd_q_text(q, 1, complaint_id);
	pd_q_int(q, 2, version);
	pd_q_int(q, 3, updated_ms);
	pd_q_text(q, 4, pd_store_cmp_nz(stems));
	int64_t changed = pd_q_exec(q);
	return changed < 0 ? PD_QS_HARD : changed == 0 ? PD_QS_NONE : PD_QS_ONE;
}

static enum pd_qs pub_rows(struct pd_q *q, struct pd_tx *tx, struct pd_arena *a,
                           struct pd_cmpp_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmpp_row *r = &out[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = pd_q_col_dup(q, 0, a);
		r->tracking = pd_q_col_dup(q, 1, a);
		r->status = pd_q_col_dup(q, 2, a);
		r->title = pd_store_cmp_col_text(q, 3, a);
		r->category_code = pd_q_col_dup(q, 4, a);
		r->category_name = pd_q_col_dup(q, 5, a);
		r->unit_name = pd_q_col_dup(q, 6, a);
		r->place_slug = pd_store_cmp_col_text(q, 7, a);
		r->place_name = pd_store_cmp_col_text(q, 8, a);
		r->has_location = !pd_q_isnull(q, 9) && !pd_q_isnull(q, 10);
		r->lat_e6 = r->has_location ? pd_q_col_int(q, 9) : 0;
		r->lon_e6 = r->has_location ? pd_q_col_int(q, 10) : 0;
		r->created_ms = pd_q_col_int(q, 11);
		r->updated_ms = pd_q_col_int(q, 12);
		r->support_count = pd_q_col_int(q, 13);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_search(struct pd_tx *tx, const struct pd_cmp_list_filter *f,
                                const char *stems, struct pd_arena *a, struct pd_cmpp_row *out,
                                int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SEARCH);
	pd_q_text(q, 1, pd_store_cmp_nz(f->category_code));
	pd_q_text(q, 2, pd_store_cmp_nz(f->unit_slug));
	pd_q_text(q, 3, pd_store_cmp_nz(f->village_slug));
	pd_q_text(q, 4, pd_store_cmp_nz(f->status));
	pd_q_int(q, 5, f->since_ms);
	pd_q_int(q, 6, f->until_ms);
	pd_q_text(q, 7, pd_store_cmp_nz(f->after_id));
	pd_q_int(q, 8, PD_CMP_AFTER_MS(f->after_id, f->after_ms));
	pd_q_int(q, 9, max);
	pd_q_text(q, 10, stems);
	return pub_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_cmpp_similar(struct pd_tx *tx, const struct pd_cmpp_near *nq,
                                 struct pd_arena *a, struct pd_cmpp_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SIMILAR);
	pd_q_text(q, 1, pd_store_cmp_nz(nq->category_code));
	pd_q_text(q, 2, pd_store_cmp_nz(nq->village_slug));
	pd_q_int(q, 3, nq->has_box ? 1 : 0);
	pd_q_int(q, 4, nq->lat_min);
	pd_q_int(q, 5, nq->lat_max);
	pd_q_int(q, 6, nq->lon_min);
	pd_q_int(q, 7, nq->lon_max);
	pd_q_int(q, 8, max);
	return pub_rows(q, tx, a, out, max, n);
}

enum pd_qs pd_store_cmpp_unit_counts(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                     int64_t now_ms, struct pd_arena *a,
                                     struct pd_cmpp_unit_counts *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_COUNTS);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_int(q, 3, now_ms);
	pd_q_int(q, 4, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmpp_unit_counts *c = &out[(*n)++];
		c->unit_id = pd_q_col_dup(q, 0, a);
		c->unit_slug = pd_q_col_dup(q, 1, a);
		c->unit_name = pd_q_col_dup(q, 2, a);
		c->unit_path = pd_q_col_dup(q, 3, a);
		c->received = pd_q_col_int(q, 4);
		c->answered = pd_q_col_int(q, 5);
		c->within = pd_q_col_int(q, 6);
		c->open = pd_q_col_int(q, 7);
		c->overdue = pd_q_col_int(q, 8);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_answer_times(struct pd_tx *tx, int64_t since_ms, int64_t until_ms,
                                      int max,
                                      int (*fn)(void *arg, const char *unit_path,
                                                int64_t created_ms, int64_t answered_ms),
                                      void *arg, int *n)
{
	*n = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_TIMES);
	pd_q_int(q, 1, since_ms);
	pd_q_int(q, 2, until_ms);
	pd_q_int(q, 3, max);
	while (*n < max && pd_q_step(q) == 1) {
		(*n)++;
		if (fn(arg, pd_q_col_text(q, 0), pd_q_col_int(q, 1), pd_q_col_int(q, 2)))
			break;
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_top_agencies(struct pd_tx *tx, struct pd_arena *a,
                                      struct pd_cmpp_unit *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_TOP_AGENCIES);
	pd_q_int(q, 1, max);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_cmpp_unit *u = &out[(*n)++];
		u->id = pd_q_col_dup(q, 0, a);
		u->slug = pd_q_col_dup(q, 1, a);
		u->name = pd_q_col_dup(q, 2, a);
		u->path = pd_q_col_dup(q, 3, a);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_categories_admin(struct pd_tx *tx, const char *const *paths,
                                          int n_paths, const char *after_code,
                                          struct pd_arena *a, struct pd_cmp_category_row *out,
                                          int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_CATS_ADMIN);
	/* Unused slots repeat a path that matches nothing ("\x01" is no unit path). */
	for (int i = 0; i < 8; i++)
		pd_q_text(q, i + 1, i < n_paths && paths[i] ? paths[i] : "\x01");
	pd_q_text(q, 9, pd_store_cmp_nz(after_code));
	pd_q_int(q, 10, max);
	while (*n < max && pd_q_step(q) == 1)
		pd_store_cmp_read_category(q, a, &out[(*n)++]);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_cmpp_category_update(struct pd_tx *tx, const struct pd_cmp_category_row *r,
                                         int64_t version)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CAT_UPDATE);
	pd_q_text(q, 1, r->id);
	pd_q_int(q, 2, version);
	pd_q_text(q, 3, r->name);
	pd_q_text(q, 4, pd_store_cmp_nz(r->description));
	pd_q_text(q, 5, r->unit_id);
	pd_q_int(q, 6, r->deadline_days);
	pd_q_text(q, 7, pd_store_cmp_nz(r->keywords));
	pd_q_int(q, 8, r->enabled ? 1 : 0);
	pd_q_int(q, 9, r->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}
