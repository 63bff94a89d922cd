/* Statements and row mapping for organisation units. */
#include "store/unit_store.h"

#include <string.h>

static const struct pd_sql SQL_INSERT = {
	"unit_insert",
	"INSERT INTO unit (id, slug, kind, name, code, parent_id, path, created_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", NULL};
#define COLS "id, slug, kind, name, code, parent_id, path, created_ms"
static const struct pd_sql SQL_BY_SLUG = {
	"unit_by_slug", "SELECT " COLS " FROM unit WHERE slug = $1", NULL};
static const struct pd_sql SQL_BY_ID = {
	"unit_by_id", "SELECT " COLS " FROM unit WHERE id = $1", NULL};
/* Children in (kind, name, id) order, after the child whose id is $2 ('' for the start). */
static const struct pd_sql SQL_CHILDREN = {
	"unit_children",
	"SELECT " COLS " FROM unit WHERE parent_id = $1 AND ($2 = '' OR (kind, name, id) > "
	"(SELECT kind, name, id FROM unit WHERE id = $2)) ORDER BY kind, name, id LIMIT $3", NULL};
static const struct pd_sql SQL_ROOTS = {
	"unit_roots",
	"SELECT " COLS " FROM unit WHERE parent_id IS NULL AND ($1 = '' OR (kind, name, id) > "
	"(SELECT kind, name, id FROM unit WHERE id = $1)) ORDER BY kind, name, id LIMIT $2", NULL};
static const struct pd_sql SQL_SUBTREE = {
	"unit_subtree",
	"SELECT " COLS " FROM unit WHERE path >= $1 AND path < $2 AND path > $3 ORDER BY path LIMIT $4",
	NULL};
/* The same with each unit's parent's slug ('' for a root): one query instead of a lookup of
 * the parent per unit. */
static const struct pd_sql SQL_SUBTREE_PARENTS = {
	"unit_subtree_parents",
	"SELECT u.id, u.slug, u.kind, u.name, u.code, u.parent_id, u.path, u.created_ms, "
	"COALESCE(p.slug, '') FROM unit u LEFT JOIN unit p ON p.id = u.parent_id "
	"WHERE u.path >= $1 AND u.path < $2 AND u.path > $3 ORDER BY u.path LIMIT $4",
	NULL};
static const struct pd_sql SQL_COUNT = {"unit_count", "SELECT COUNT(*) FROM unit", NULL};

static void row(struct pd_q *q, struct pd_arena *a, struct pd_unit *u)
{
	u->id = pd_q_col_dup(q, 0, a);
	u->slug = pd_q_col_dup(q, 1, a);
	u->kind = pd_q_col_dup(q, 2, a);
	u->name = pd_q_col_dup(q, 3, a);
	u->code = pd_q_col_dup(q, 4, a);
	u->parent_id = pd_q_col_dup(q, 5, a);
	u->path = pd_q_col_dup(q, 6, a);
	u->created_ms = pd_q_col_int(q, 7);
}

static enum pd_qs one(struct pd_q *q, struct pd_arena *a, struct pd_unit *out)
{
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	row(q, a, out);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_unit_insert(struct pd_tx *tx, const struct pd_unit *u)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, u->id);
	pd_q_text(q, 2, u->slug);
	pd_q_text(q, 3, u->kind);
	pd_q_text(q, 4, u->name);
	pd_q_text(q, 5, u->code);
	pd_q_text(q, 6, u->parent_id);
	pd_q_text(q, 7, u->path);
	pd_q_int(q, 8, u->created_ms);
	return pd_q_exec(q) == 1 ? PD_QS_ONE : PD_QS_HARD;
}

enum pd_qs pd_store_unit_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                                 struct pd_unit *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_SLUG);
	pd_q_text(q, 1, slug);
	return one(q, a, out);
}

enum pd_qs pd_store_unit_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                               struct pd_unit *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BY_ID);
	pd_q_text(q, 1, id);
	return one(q, a, out);
}

static enum pd_qs many(struct pd_q *q, struct pd_arena *a, struct pd_unit *out, int max, int *n)
{
	*n = 0;
	int rc;
	while (*n < max && (rc = pd_q_step(q)) == 1)
		row(q, a, &out[(*n)++]);
	pd_q_close(q);
	if (*n == 0)
		return PD_QS_NONE;
	return *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_unit_children(struct pd_tx *tx, const char *parent_id, const char *after_id,
                                  struct pd_arena *a, struct pd_unit *out, int max, int *n)
{
	struct pd_q *q;
	if (parent_id) {
		q = pd_q_open(tx, &SQL_CHILDREN);
		pd_q_text(q, 1, parent_id);
		pd_q_text(q, 2, after_id ? after_id : "");
		pd_q_int(q, 3, max);
	} else {
		q = pd_q_open(tx, &SQL_ROOTS);
		pd_q_text(q, 1, after_id ? after_id : "");
		pd_q_int(q, 2, max);
	}
	enum pd_qs qs = many(q, a, out, max, n);
	return pd_tx_error(tx) ? PD_QS_HARD : qs;
}

enum pd_qs pd_store_unit_subtree(struct pd_tx *tx, const char *path, const char *after_path,
                                 struct pd_arena *a, struct pd_unit *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SUBTREE);
	/* Every path under `path` starts with it; '~' sorts after the id characters used. */
	char *end = pd_arena_printf(pd_tx_arena(tx), "%s~", path);
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, end);
	pd_q_text(q, 3, after_path ? after_path : "");
	pd_q_int(q, 4, max);
	enum pd_qs qs = many(q, a, out, max, n);
	return pd_tx_error(tx) ? PD_QS_HARD : qs;
}

enum pd_qs pd_store_unit_subtree_parents(struct pd_tx *tx, const char *path,
                                         const char *after_path, struct pd_arena *a,
                                         struct pd_unit *out, const char **parent_slugs,
                                         int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SUBTREE_PARENTS);
	char *end = pd_arena_printf(pd_tx_arena(tx), "%s~", path);
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, end);
	pd_q_text(q, 3, after_path ? after_path : "");
	pd_q_int(q, 4, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		row(q, a, &out[*n]);
		parent_slugs[*n] = pd_q_col_dup(q, 8, a);
		(*n)++;
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_unit_count(struct pd_tx *tx, int64_t *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_COUNT);
	if (pd_q_step(q) != 1)
		return PD_QS_HARD;
	*out = pd_q_col_int(q, 0);
	pd_q_close(q);
	return PD_QS_ONE;
}
