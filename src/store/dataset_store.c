/* Statements and row mapping for open data: datasets, tags, resources and the clear columns of
 * the generated datasets. */
#include "store/dataset_store.h"

#include <string.h>

#include "core/err.h"

#define DCOLS                                                                                \
	"d.id, d.name, d.title, d.notes, u.id, u.slug, u.name, u.kind, u.path, d.license_id, "   \
	"d.frequency, d.search_stems, d.gen_key, d.version, d.created_ms, d.modified_ms"
#define DFROM " FROM dataset d JOIN unit u ON u.id = d.unit_id "

static const struct pd_sql SQL_ALL = {
	"dataset_all", "SELECT " DCOLS DFROM "ORDER BY d.name LIMIT $1", NULL};
static const struct pd_sql SQL_GET = {
	"dataset_get", "SELECT " DCOLS DFROM "WHERE d.id = $1 OR d.name = $1", NULL};
static const struct pd_sql SQL_BY_GEN = {
	"dataset_by_gen", "SELECT " DCOLS DFROM "WHERE d.gen_key = $1", NULL};
static const struct pd_sql SQL_TAG_PAIRS = {
	"dataset_tag_pairs", "SELECT dataset_id, tag FROM dataset_tag ORDER BY dataset_id, tag "
	"LIMIT $1", NULL};
static const struct pd_sql SQL_FORMAT_PAIRS = {
	"dataset_format_pairs", "SELECT DISTINCT dataset_id, format FROM dataset_resource "
	"ORDER BY dataset_id, format LIMIT $1", NULL};
static const struct pd_sql SQL_TAGS_OF = {
	"dataset_tags_of", "SELECT tag FROM dataset_tag WHERE dataset_id = $1 ORDER BY tag", NULL};

#define RCOLS                                                                                \
	"id, dataset_id, name, description, format, media_type, size, sha256, created_ms, "      \
	"modified_ms, generated_ms, position, blob_id, gen_key"
static const struct pd_sql SQL_RES_OF = {
	"dataset_resources_of",
	"SELECT " RCOLS " FROM dataset_resource WHERE dataset_id = $1 ORDER BY position", NULL};
static const struct pd_sql SQL_RES_GET = {
	"dataset_resource_get", "SELECT " RCOLS " FROM dataset_resource WHERE id = $1", NULL};

static const struct pd_sql SQL_INSERT = {
	"dataset_insert",
	"INSERT INTO dataset (id, name, title, notes, unit_id, license_id, frequency, search_stems, "
	"gen_key, version, created_ms, modified_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
	"$11, $12)", NULL};
static const struct pd_sql SQL_UPDATE = {
	"dataset_update",
	"UPDATE dataset SET name = $2, title = $3, notes = $4, license_id = $5, frequency = $6, "
	"search_stems = $7, version = $8, modified_ms = $9 WHERE id = $1 AND version = $8 - 1",
	NULL};
static const struct pd_sql SQL_TAG_DEL = {
	"dataset_tag_delete", "DELETE FROM dataset_tag WHERE dataset_id = $1", NULL};
static const struct pd_sql SQL_TAG_INS = {
	"dataset_tag_insert", "INSERT INTO dataset_tag (dataset_id, tag) VALUES ($1, $2)", NULL};
static const struct pd_sql SQL_TOUCH = {
	"dataset_touch", "UPDATE dataset SET modified_ms = $2, version = version + 1 WHERE id = $1",
	NULL};
static const struct pd_sql SQL_RES_NEXT = {
	"dataset_resource_next",
	"SELECT COALESCE(MAX(position), -1) + 1 FROM dataset_resource WHERE dataset_id = $1", NULL};
static const struct pd_sql SQL_RES_INSERT = {
	"dataset_resource_insert",
	"INSERT INTO dataset_resource (id, dataset_id, name, description, format, media_type, size, "
	"sha256, created_ms, modified_ms, generated_ms, position, blob_id, gen_key) VALUES ($1, $2, "
	"$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)", NULL};
static const struct pd_sql SQL_RES_CONTENT = {
	"dataset_resource_content",
	"UPDATE dataset_resource SET media_type = $2, size = $3, sha256 = $4, blob_id = $5, "
	"modified_ms = $6, generated_ms = $7 WHERE id = $1", NULL};
static const struct pd_sql SQL_RES_DELETE = {
	"dataset_resource_delete", "DELETE FROM dataset_resource WHERE id = $1", NULL};

#define OCOLS "u.id, u.slug, u.name, u.kind, u.path, u.created_ms, " \
	"(SELECT COUNT(*) FROM dataset d WHERE d.unit_id = u.id)"
static const struct pd_sql SQL_ORGS = {
	"dataset_orgs",
	"SELECT " OCOLS " FROM unit u WHERE $1 = 0 OR EXISTS (SELECT 1 FROM dataset d WHERE "
	"d.unit_id = u.id) ORDER BY u.slug LIMIT $2", NULL};
static const struct pd_sql SQL_ORG_GET = {
	"dataset_org_get", "SELECT " OCOLS " FROM unit u WHERE u.slug = $1 OR u.id = $1", NULL};
static const struct pd_sql SQL_TOP = {
	"dataset_top_unit",
	"SELECT id, slug, name, kind, path FROM unit WHERE kind IN ('regency', 'city') "
	"ORDER BY path LIMIT 1", NULL};
static const struct pd_sql SQL_ROOT = {
	"dataset_root_unit",
	"SELECT id, slug, name, kind, path FROM unit WHERE parent_id IS NULL ORDER BY path LIMIT 1",
	NULL};

/* Grouped per local day ($1: the time-zone offset in ms) so that only a few rows per
 * (day, unit, service) leave the database, in day order: the caller folds days into months. */
static const struct pd_sql SQL_OD_APPS = {
	"opendata_apps",
	"SELECT s.slug, s.name, u.slug, u.name, (a.submitted_ms + $1) / 86400000 AS d, "
	"CAST(COUNT(*) AS BIGINT), "
	"CAST(SUM(CASE WHEN a.status IN ('approved', 'rejected') AND COALESCE(a.decided_ms, 0) > 0 "
	"THEN 1 ELSE 0 END) AS BIGINT), "
	"CAST(SUM(CASE WHEN a.status IN ('approved', 'rejected') AND COALESCE(a.decided_ms, 0) > 0 "
	"AND COALESCE(a.due_ms, 0) > 0 AND a.decided_ms <= a.due_ms THEN 1 ELSE 0 END) AS BIGINT) "
	"FROM application a JOIN service s ON s.id = a.service_id "
	"JOIN unit u ON u.id = a.unit_id WHERE a.status <> 'draft' AND a.submitted_ms IS NOT NULL "
	"GROUP BY d, s.slug, s.name, u.slug, u.name ORDER BY d",
	NULL};
/* Grouped per (local day filed in $1's zone, days filed and answered in $2's zone, category,
 * village), in day order. */
static const struct pd_sql SQL_OD_COMPLAINTS = {
	"opendata_complaints",
	"SELECT cc.code, cc.name, COALESCE(p.slug, ''), COALESCE(p.name, ''), "
	"(c.created_ms + $1) / 86400000 AS md, (c.created_ms + $2) / 86400000 AS cd, "
	"CASE WHEN COALESCE(c.answered_ms, 0) > 0 THEN (c.answered_ms + $2) / 86400000 "
	"ELSE -1 END AS ad, CAST(COUNT(*) AS BIGINT) FROM complaint c JOIN complaint_category cc ON "
	"cc.id = c.category_id LEFT JOIN unit p ON p.id = c.place_unit_id WHERE c.status <> 'merged' "
	"GROUP BY md, cd, ad, cc.code, cc.name, p.slug, p.name ORDER BY md",
	NULL};
static const struct pd_sql SQL_OD_SURVEY = {
	"opendata_survey",
	"SELECT t.year, t.quarter, u.slug, u.name, CAST(SUM(t.n) AS BIGINT), CAST(SUM(t.t1) AS BIGINT), CAST(SUM(t.t2) AS BIGINT), CAST(SUM(t.t3) AS BIGINT), "
	"CAST(SUM(t.t4) AS BIGINT), CAST(SUM(t.t5) AS BIGINT), CAST(SUM(t.t6) AS BIGINT), CAST(SUM(t.t7) AS BIGINT), CAST(SUM(t.t8) AS BIGINT), CAST(SUM(t.t9) AS BIGINT) FROM survey_tally t "
	"JOIN unit u ON u.id = t.unit_id GROUP BY t.year, t.quarter, u.slug, u.name "
	"ORDER BY t.year, t.quarter, u.slug",
	/* byte order, as the C code and the tests compare slugs */
	"SELECT t.year, t.quarter, u.slug, u.name, CAST(SUM(t.n) AS BIGINT), "
	"CAST(SUM(t.t1) AS BIGINT), CAST(SUM(t.t2) AS BIGINT), CAST(SUM(t.t3) AS BIGINT), "
	"CAST(SUM(t.t4) AS BIGINT), CAST(SUM(t.t5) AS BIGINT), CAST(SUM(t.t6) AS BIGINT), "
	"CAST(SUM(t.t7) AS BIGINT), CAST(SUM(t.t8) AS BIGINT), CAST(SUM(t.t9) AS BIGINT) "
	"FROM survey_tally t JOIN unit u ON u.id = t.unit_id GROUP BY t.year, t.quarter, u.slug, "
	"u.name ORDER BY t.year, t.quarter, u.slug COLLATE \"C\""};

static void drow(struct pd_q *q, struct pd_arena *a, struct pd_dataset *d)
{
	memset(d, 0, sizeof *d);
	d->id = pd_q_col_dup(q, 0, a);
	d->name = pd_q_col_dup(q, 1, a);
	d->title = pd_q_col_dup(q, 2, a);
	d->notes = pd_q_col_dup(q, 3, a);
	d->unit.id = pd_q_col_dup(q, 4, a);
	d->unit.slug = pd_q_col_dup(q, 5, a);
	d->unit.name = pd_q_col_dup(q, 6, a);
	d->unit.kind = pd_q_col_dup(q, 7, a);
	d->unit.path = pd_q_col_dup(q, 8, a);
	d->license_id = pd_q_col_dup(q, 9, a);
	d->frequency = pd_q_col_dup(q, 10, a);
	d->search_stems = pd_q_col_dup(q, 11, a);
	d->gen_key = pd_q_isnull(q, 12) ? NULL : pd_q_col_dup(q, 12, a);
	d->generated = d->gen_key != NULL;
	d->version = pd_q_col_int(q, 13);
	d->created_ms = pd_q_col_int(q, 14);
	d->modified_ms = pd_q_col_int(q, 15);
}

static void rrow(struct pd_q *q, struct pd_arena *a, struct pd_resource *r)
{
	memset(r, 0, sizeof *r);
	r->id = pd_q_col_dup(q, 0, a);
	r->dataset_id = pd_q_col_dup(q, 1, a);
	r->name = pd_q_col_dup(q, 2, a);
	r->description = pd_q_col_dup(q, 3, a);
	r->format = pd_q_col_dup(q, 4, a);
	r->media_type = pd_q_col_dup(q, 5, a);
	r->size = pd_q_col_int(q, 6);
	r->sha256 = pd_q_col_dup(q, 7, a);
	r->created_ms = pd_q_col_int(q, 8);
	r->modified_ms = pd_q_col_int(q, 9);
	r->generated_ms = pd_q_col_int(q, 10);
	r->position = (int)pd_q_col_int(q, 11);
	r->blob_id = pd_q_col_dup(q, 12, a);
	r->gen_key = pd_q_isnull(q, 13) ? NULL : pd_q_col_dup(q, 13, a);
}

static enum pd_qs finish(struct pd_tx *tx, struct pd_q *q, int n)
{
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

/* Grows *arr (elements of size sz) to hold at least need, doubling. */
static void *grow(struct pd_arena *a, void *arr, int *cap, int need, size_t sz)
{
	if (need <= *cap)
		return arr;
	int nc = *cap ? *cap * 2 : 16;
	while (nc < need)
		nc *= 2;
	void *p = pd_arena_alloc(a, (size_t)nc * sz);
	if (arr && *cap)
		memcpy(p, arr, (size_t)*cap * sz);
	*cap = nc;
	return p;
}

enum pd_qs pd_store_dataset_all(struct pd_tx *tx, struct pd_arena *a, int max,
                                struct pd_dataset **out, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ALL);
	pd_q_int(q, 1, max);
	int cap = 0;
	*out = NULL;
	*n = 0;
	while (pd_q_step(q) == 1) {
		*out = grow(a, *out, &cap, *n + 1, sizeof **out);
		drow(q, a, &(*out)[(*n)++]);
	}
	return finish(tx, q, *n);
}

static enum pd_qs pairs(struct pd_tx *tx, const struct pd_sql *sql, struct pd_arena *a, int max,
                        const char ***out, int *n)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_int(q, 1, max);
	int cap = 0;
	*out = NULL;
	*n = 0;
	while (pd_q_step(q) == 1) {
		*out = grow(a, *out, &cap, 2 * (*n + 1), sizeof **out);
		(*out)[2 * *n] = pd_q_col_dup(q, 0, a);
		(*out)[2 * *n + 1] = pd_q_col_dup(q, 1, a);
		(*n)++;
	}
	return finish(tx, q, *n);
}

enum pd_qs pd_store_dataset_tag_pairs(struct pd_tx *tx, struct pd_arena *a, int max,
                                      const char ***out, int *n)
{
	return pairs(tx, &SQL_TAG_PAIRS, a, max, out, n);
}

enum pd_qs pd_store_dataset_format_pairs(struct pd_tx *tx, struct pd_arena *a, int max,
                                         const char ***out, int *n)
{
	return pairs(tx, &SQL_FORMAT_PAIRS, a, max, out, n);
}

static enum pd_qs get_one(struct pd_tx *tx, const struct pd_sql *sql, const char *key,
                          struct pd_arena *a, struct pd_dataset *out)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, key);
	int n = 0;
	if (pd_q_step(q) == 1) {
		drow(q, a, out);
		n = 1;
	}
	return finish(tx, q, n);
}

enum pd_qs pd_store_dataset_get(struct pd_tx *tx, const char *id_or_name, struct pd_arena *a,
                                struct pd_dataset *out)
{
	return get_one(tx, &SQL_GET, id_or_name, a, out);
}

enum pd_qs pd_store_dataset_by_gen(struct pd_tx *tx, const char *gen_key, struct pd_arena *a,
                                   struct pd_dataset *out)
{
	return get_one(tx, &SQL_BY_GEN, gen_key, a, out);
}

enum pd_qs pd_store_dataset_tags_of(struct pd_tx *tx, const char *dataset_id,
                                    struct pd_arena *a, const char ***tags, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TAGS_OF);
	pd_q_text(q, 1, dataset_id);
	int cap = 0;
	*tags = NULL;
	*n = 0;
	while (pd_q_step(q) == 1) {
		*tags = grow(a, *tags, &cap, *n + 1, sizeof **tags);
		(*tags)[(*n)++] = pd_q_col_dup(q, 0, a);
	}
	return finish(tx, q, *n);
}

enum pd_qs pd_store_dataset_resources_of(struct pd_tx *tx, const char *dataset_id,
                                         struct pd_arena *a, struct pd_resource **out, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_OF);
	pd_q_text(q, 1, dataset_id);
	int cap = 0;
	*out = NULL;
	*n = 0;
	while (pd_q_step(q) == 1) {
		*out = grow(a, *out, &cap, *n + 1, sizeof **out);
		rrow(q, a, &(*out)[(*n)++]);
	}
	return finish(tx, q, *n);
}

enum pd_qs pd_store_resource_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_resource *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_GET);
	pd_q_text(q, 1, id);
	int n = 0;
	if (pd_q_step(q) == 1) {
		rrow(q, a, out);
		n = 1;
	}
	return finish(tx, q, n);
}

enum pd_qs pd_store_dataset_insert(struct pd_tx *tx, const struct pd_dataset *d)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, d->id);
	pd_q_text(q, 2, d->name);
	pd_q_text(q, 3, d->title);
	pd_q_text(q, 4, d->notes ? d->notes : "");
	pd_q_text(q, 5, d->unit.id);
	pd_q_text(q, 6, d->license_id);
	pd_q_text(q, 7, d->frequency);
	pd_q_text(q, 8, d->search_stems ? d->search_stems : "");
	if (d->gen_key)
		pd_q_text(q, 9, d->gen_key);
	else
		pd_q_null(q, 9);
	pd_q_int(q, 10, d->version);
	pd_q_int(q, 11, d->created_ms);
	pd_q_int(q, 12, d->modified_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_dataset_update(struct pd_tx *tx, const struct pd_dataset *d)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, d->id);
	pd_q_text(q, 2, d->name);
	pd_q_text(q, 3, d->title);
	pd_q_text(q, 4, d->notes ? d->notes : "");
	pd_q_text(q, 5, d->license_id);
	pd_q_text(q, 6, d->frequency);
	pd_q_text(q, 7, d->search_stems ? d->search_stems : "");
	pd_q_int(q, 8, d->version);
	pd_q_int(q, 9, d->modified_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_dataset_set_tags(struct pd_tx *tx, const char *dataset_id,
                                     const char *const *tags, int n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TAG_DEL);
	pd_q_text(q, 1, dataset_id);
	pd_q_exec(q);
	for (int i = 0; i < n; i++) {
		q = pd_q_open(tx, &SQL_TAG_INS);
		pd_q_text(q, 1, dataset_id);
		pd_q_text(q, 2, tags[i]);
		pd_q_exec(q);
	}
	return pd_tx_error(tx) ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_dataset_touch(struct pd_tx *tx, const char *dataset_id, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_TOUCH);
	pd_q_text(q, 1, dataset_id);
	pd_q_int(q, 2, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_resource_next_position(struct pd_tx *tx, const char *dataset_id, int *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_NEXT);
	pd_q_text(q, 1, dataset_id);
	*out = 0;
	int n = 0;
	if (pd_q_step(q) == 1) {
		*out = (int)pd_q_col_int(q, 0);
		n = 1;
	}
	return finish(tx, q, n);
}

enum pd_qs pd_store_resource_insert(struct pd_tx *tx, const struct pd_resource *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->dataset_id);
	pd_q_text(q, 3, r->name);
	pd_q_text(q, 4, r->description ? r->description : "");
	pd_q_text(q, 5, r->format);
	pd_q_text(q, 6, r->media_type);
	pd_q_int(q, 7, r->size);
	pd_q_text(q, 8, r->sha256);
	pd_q_int(q, 9, r->created_ms);
	pd_q_int(q, 10, r->modified_ms);
	pd_q_int(q, 11, r->generated_ms);
	pd_q_int(q, 12, r->position);
	pd_q_text(q, 13, r->blob_id);
	if (r->gen_key)
		pd_q_text(q, 14, r->gen_key);
	else
		pd_q_null(q, 14);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_resource_update_content(struct pd_tx *tx, const struct pd_resource *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_CONTENT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->media_type);
	pd_q_int(q, 3, r->size);
	pd_q_text(q, 4, r->sha256);
	pd_q_text(q, 5, r->blob_id);
	pd_q_int(q, 6, r->modified_ms);
	pd_q_int(q, 7, r->generated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_resource_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_RES_DELETE);
	pd_q_text(q, 1, id);
	return pd_qs_of_changes(pd_q_exec(q));
}

static void orow(struct pd_q *q, struct pd_arena *a, struct pd_dataset_org_row *o)
{
	memset(o, 0, sizeof *o);
	o->unit.id = pd_q_col_dup(q, 0, a);
	o->unit.slug = pd_q_col_dup(q, 1, a);
	o->unit.name = pd_q_col_dup(q, 2, a);
	o->unit.kind = pd_q_col_dup(q, 3, a);
	o->unit.path = pd_q_col_dup(q, 4, a);
	o->created_ms = pd_q_col_int(q, 5);
	o->n_datasets = pd_q_col_int(q, 6);
}

enum pd_qs pd_store_dataset_orgs(struct pd_tx *tx, bool only_with, struct pd_arena *a, int max,
                                 struct pd_dataset_org_row **out, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ORGS);
	pd_q_int(q, 1, only_with ? 1 : 0);
	pd_q_int(q, 2, max);
	int cap = 0;
	*out = NULL;
	*n = 0;
	while (pd_q_step(q) == 1) {
		*out = grow(a, *out, &cap, *n + 1, sizeof **out);
		orow(q, a, &(*out)[(*n)++]);
	}
	return finish(tx, q, *n);
}

enum pd_qs pd_store_dataset_org_get(struct pd_tx *tx, const char *slug_or_id,
                                    struct pd_arena *a, struct pd_dataset_org_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ORG_GET);
	pd_q_text(q, 1, slug_or_id);
	int n = 0;
	if (pd_q_step(q) == 1) {
		orow(q, a, out);
		n = 1;
	}
	return finish(tx, q, n);
}

enum pd_qs pd_store_dataset_top_unit(struct pd_tx *tx, struct pd_arena *a,
                                     struct pd_dataset_unit *out)
{
	for (int i = 0; i < 2; i++) {
		struct pd_q *q = pd_q_open(tx, i == 0 ? &SQL_TOP : &SQL_ROOT);
		if (pd_q_step(q) == 1) {
			memset(out, 0, sizeof *out);
			out->id = pd_q_col_dup(q, 0, a);
			out->slug = pd_q_col_dup(q, 1, a);
			out->name = pd_q_col_dup(q, 2, a);
			out->kind = pd_q_col_dup(q, 3, a);
			out->path = pd_q_col_dup(q, 4, a);
			return finish(tx, q, 1);
		}
		pd_q_close(q);
	}
	return pd_tx_error(tx) ? PD_QS_HARD : PD_QS_NONE;
}

int pd_store_opendata_apps(struct pd_tx *tx, int64_t tz_ms,
                           int (*fn)(const struct pd_od_app_row *, void *), void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_OD_APPS);
	pd_q_int(q, 1, tz_ms);
	int rc = 0;
	while (!rc && pd_q_step(q) == 1) {
		struct pd_od_app_row r = {
			pd_q_col_text(q, 0), pd_q_col_text(q, 1), pd_q_col_text(q, 2), pd_q_col_text(q, 3),
			(int32_t)pd_q_col_int(q, 4), pd_q_col_int(q, 5), pd_q_col_int(q, 6),
			pd_q_col_int(q, 7)};
		rc = fn(&r, arg);
	}
	pd_q_close(q);
	return rc ? rc : pd_tx_error(tx);
}

int pd_store_opendata_complaints(struct pd_tx *tx, int64_t tz_ms, int64_t cal_tz_ms,
                                 int (*fn)(const struct pd_od_complaint_row *, void *), void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_OD_COMPLAINTS);
	pd_q_int(q, 1, tz_ms);
	pd_q_int(q, 2, cal_tz_ms);
	int rc = 0;
	while (!rc && pd_q_step(q) == 1) {
		struct pd_od_complaint_row r = {pd_q_col_text(q, 0), pd_q_col_text(q, 1),
		                                pd_q_col_text(q, 2), pd_q_col_text(q, 3),
		                                (int32_t)pd_q_col_int(q, 4), (int32_t)pd_q_col_int(q, 5),
		                                (int32_t)pd_q_col_int(q, 6), pd_q_col_int(q, 7)};
		rc = fn(&r, arg);
	}
	pd_q_close(q);
	return rc ? rc : pd_tx_error(tx);
}

int pd_store_opendata_survey(struct pd_tx *tx, int (*fn)(const struct pd_od_survey_row *, void *),
                             void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_OD_SURVEY);
	int rc = 0;
	while (!rc && pd_q_step(q) == 1) {
		struct pd_od_survey_row r = {(int)pd_q_col_int(q, 0), (int)pd_q_col_int(q, 1),
		                             pd_q_col_text(q, 2), pd_q_col_text(q, 3),
		                             pd_q_col_int(q, 4), {0}};
		for (int i = 0; i < 9; i++)
			r.sum[i] = pd_q_col_int(q, 5 + i);
		rc = fn(&r, arg);
	}
	pd_q_close(q);
	return rc ? rc : pd_tx_error(tx);
}
