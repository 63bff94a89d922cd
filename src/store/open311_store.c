/* Statements of Open311 GeoReport v2: public columns of published complaints, their public
 * timeline, villages by code, the partner's media_url. */
#include "store/open311_store.h"

#include <string.h>

#include "store/complaint_store.h"

#define COLS                                                                                   \
	"c.id, c.tracking, c.status, k.code, k.name, c.public_title, c.public_text, "              \
	"c.answer_public, u.name, c.address, p.code, p.name, c.lat_e6, c.lon_e6, c.created_ms, "   \
	"c.updated_ms, c.due_ms, (SELECT COUNT(*) FROM complaint_photo f WHERE f.complaint_id = c.id)"
#define FROM                                                                                   \
	" FROM complaint c JOIN complaint_category k ON k.id = c.category_id "                    \
	"JOIN unit u ON u.id = c.unit_id LEFT JOIN unit p ON p.id = c.place_unit_id "
/* $1 path: the owner or the place lies in the subtree. */
#define WHERE_PATH                                                                             \
	"AND (CAST($1 AS TEXT) = '' OR substr(c.unit_path, 1, length(CAST($1 AS TEXT))) = $1 "    \
	"OR substr(p.path, 1, length(CAST($1 AS TEXT))) = $1) "

/* Pages are numbered (GeoReport v2), so page N skips (N - 1) × page_size rows. The inner
 * query picks the page's ids alone: without filters it walks only the index complaint_public
 * (published, created_ms, id) over the date range — the skipped rows cost an index entry each,
 * never a table row or a join, so page N costs the same at 10,000 or 1,000,000 complaints. The
 * filters reach other tables only through EXISTS, evaluated only when the filter is given.
 * The columns and joins are then read for the page's rows alone. */
static const struct pd_sql SQL_LIST = {
	"o311_list",
	"SELECT " COLS " FROM (SELECT c0.id AS id FROM complaint c0 WHERE c0.published = 1 "
	"AND c0.created_ms >= $4 AND c0.created_ms <= $5 "
	"AND (CAST($1 AS TEXT) = '' OR substr(c0.unit_path, 1, length(CAST($1 AS TEXT))) = $1 "
	"OR EXISTS (SELECT 1 FROM unit p0 WHERE p0.id = c0.place_unit_id "
	"AND substr(p0.path, 1, length(CAST($1 AS TEXT))) = $1)) "
	"AND (CAST($2 AS TEXT) = '' OR EXISTS (SELECT 1 FROM complaint_category k0 "
	"WHERE k0.id = c0.category_id AND (',' || $2 || ',') LIKE ('%,' || k0.code || ',%'))) "
	"AND (CAST($3 AS TEXT) = '' "
	"OR ($3 = 'open' AND c0.status IN ('new', 'needs_info', 'dispositioned', 'reopened')) "
	"OR ($3 = 'closed' AND c0.status IN ('answered', 'out_of_scope', 'merged'))) "
	"ORDER BY c0.created_ms DESC, c0.id DESC LIMIT $6 OFFSET $7) w "
	"JOIN complaint c ON c.id = w.id JOIN complaint_category k ON k.id = c.category_id "
	"JOIN unit u ON u.id = c.unit_id LEFT JOIN unit p ON p.id = c.place_unit_id "
	"ORDER BY c.created_ms DESC, c.id DESC",
	NULL};
static const struct pd_sql SQL_BY_TRACKING = {
	"o311_by_tracking", "SELECT " COLS FROM "WHERE c.published = 1 AND c.tracking = $1", NULL};
static const struct pd_sql SQL_UPDATES = {
	"o311_updates",
	"SELECT e.id, c.tracking, e.status_after, e.kind, e.public_note, e.at_ms "
	"FROM complaint_event e JOIN complaint c ON c.id = e.complaint_id "
	"LEFT JOIN unit p ON p.id = c.place_unit_id "
	"WHERE c.published = 1 " WHERE_PATH "AND e.at_ms >= $2 AND e.at_ms <= $3 "
	"ORDER BY e.at_ms, e.id LIMIT $4 OFFSET $5",
	NULL};
static const struct pd_sql SQL_VILLAGE = {
	"o311_village",
	"SELECT slug FROM unit WHERE kind = 'village' AND (slug = $2 OR (code IS NOT NULL "
	"AND CAST($1 AS TEXT) <> '' AND replace(code, '.', '') = $1)) ORDER BY slug LIMIT 1",
	NULL};
static const struct pd_sql SQL_SET_MEDIA = {
	"o311_set_media", "UPDATE complaint SET media_url = $2 WHERE id = $1", NULL};

static void read_row(struct pd_q *q, struct pd_arena *a, struct pd_o311_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = pd_q_col_dup(q, 0, a);
	r->tracking = pd_q_col_dup(q, 1, a);
	r->status = pd_q_col_dup(q, 2, a);
	r->category_code = pd_q_col_dup(q, 3, a);
	r->category_name = pd_q_col_dup(q, 4, a);
	r->public_title = pd_store_cmp_col_text(q, 5, a);
	r->public_text = pd_store_cmp_col_text(q, 6, a);
	r->answer_public = pd_store_cmp_col_text(q, 7, a);
	r->unit_name = pd_q_col_dup(q, 8, a);
	r->address = pd_store_cmp_col_text(q, 9, a);
	r->place_code = pd_store_cmp_col_text(q, 10, a);
	r->place_name = pd_store_cmp_col_text(q, 11, a);
	r->has_location = !pd_q_isnull(q, 12) && !pd_q_isnull(q, 13);
	r->lat_e6 = pd_store_cmp_col_int(q, 12);
	r->lon_e6 = pd_store_cmp_col_int(q, 13);
	r->created_ms = pd_q_col_int(q, 14);
	r->updated_ms = pd_q_col_int(q, 15);
	r->due_ms = pd_store_cmp_col_int(q, 16);
	r->n_photos = pd_q_col_int(q, 17);
}

enum pd_qs pd_store_o311_list(struct pd_tx *tx, const struct pd_o311_filter *f,
                              struct pd_arena *a, struct pd_o311_row *out, int max, int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_LIST);
	pd_q_text(q, 1, pd_store_cmp_nz(f->path));
	pd_q_text(q, 2, pd_store_cmp_nz(f->codes));
	pd_q_text(q, 3, pd_store_cmp_nz(f->status));
	pd_q_int(q, 4, f->since_ms);
	pd_q_int(q, 5, f->until_ms);
	pd_q_int(q, 6, f->limit);
	pd_q_int(q, 7, f->offset);
	while (*n < max && pd_q_step(q) == 1)
		read_row(q, a, &out[(*n)++]);
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_o311_by_tracking(struct pd_tx *tx, const char *tracking, struct pd_arena *a,
                                     struct pd_o311_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_TRACKING);
	pd_q_text(q, 1, tracking);
	int rc = pd_q_step(q);
	if (rc == 1)
		read_row(q, a ? a : pd_tx_arena(tx), out);
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_o311_updates(struct pd_tx *tx, const struct pd_o311_filter *f,
                                 struct pd_arena *a, struct pd_o311_update_row *out, int max,
                                 int *n)
{
	*n = 0;
	if (!a)
		a = pd_tx_arena(tx);
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATES);
	pd_q_text(q, 1, pd_store_cmp_nz(f->path));
	pd_q_int(q, 2, f->since_ms);
	pd_q_int(q, 3, f->until_ms);
	pd_q_int(q, 4, f->limit);
	pd_q_int(q, 5, f->offset);
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_o311_update_row *u = &out[(*n)++];
		u->id = pd_q_col_dup(q, 0, a);
		u->tracking = pd_q_col_dup(q, 1, a);
		u->status_after = pd_q_col_dup(q, 2, a);
		u->kind = pd_q_col_dup(q, 3, a);
		u->public_note = pd_store_cmp_col_text(q, 4, a);
		u->at_ms = pd_q_col_int(q, 5);
	}
	pd_q_close(q);
	return pd_store_cmp_rows_qs(tx, *n);
}

enum pd_qs pd_store_o311_village(struct pd_tx *tx, const char *code_nodots, const char *slug,
                                 struct pd_arena *a, const char **slug_out)
{
	*slug_out = NULL;
	struct pd_q *q = pd_q_open(tx, &SQL_VILLAGE);
	pd_q_text(q, 1, pd_store_cmp_nz(code_nodots));
	pd_q_text(q, 2, pd_store_cmp_nz(slug));
	int rc = pd_q_step(q);
	if (rc == 1)
		*slug_out = pd_q_col_dup(q, 0, a ? a : pd_tx_arena(tx));
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 0 ? PD_QS_NONE : PD_QS_ONE;
}

enum pd_qs pd_store_o311_set_media(struct pd_tx *tx, const char *complaint_id, const char *url)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SET_MEDIA);
	pd_q_text(q, 1, complaint_id);
	pd_q_text(q, 2, url);
	return pd_qs_of_changes(pd_q_exec(q));
}
