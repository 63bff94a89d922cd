/* Statements and row mapping for the public service catalogue (full-text search per dialect). */
#include "store/service_store.h"

#include <string.h>

#define COLS                                                                                    \
	"s.id, s.unit_id, s.slug, s.name, s.category, s.summary, s.legal_basis, s.requirements, " \
	"s.procedure, s.processing_days, s.fee, s.product, s.complaint_channel, s.facilities, "    \
	"s.staff_competence, s.internal_oversight, s.staff_count, s.service_guarantee, "           \
	"s.security_guarantee, s.performance_evaluation, s.enabled, s.search_stems, "              \
	"s.created_ms, s.updated_ms, u.slug, u.name, u.path"
#define LIST_COLS                                                                               \
	"s.id, s.unit_id, s.slug, s.name, s.category, s.summary, s.processing_days, s.fee, "      \
	"u.slug, u.name, u.path"

static const struct pd_sql SQL_INSERT = {
	"service_insert",
	"INSERT INTO service (id, unit_id, slug, name, category, summary, legal_basis, requirements, "
	"procedure, processing_days, fee, product, complaint_channel, facilities, staff_competence, "
	"internal_oversight, staff_count, service_guarantee, security_guarantee, "
	"performance_evaluation, enabled, search_stems, created_ms, updated_ms) VALUES ($1, $2, $3, "
	"$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
	"$23, $24)",
	NULL};
static const struct pd_sql SQL_UPDATE = {
	"service_update",
	"UPDATE service SET slug = $2, name = $3, category = $4, summary = $5, legal_basis = $6, "
	"requirements = $7, procedure = $8, processing_days = $9, fee = $10, product = $11, "
	"complaint_channel = $12, facilities = $13, staff_competence = $14, internal_oversight = $15, "
	"staff_count = $16, service_guarantee = $17, security_guarantee = $18, "
	"performance_evaluation = $19, enabled = $20, search_stems = $21, updated_ms = $22 "
	"WHERE id = $1",
	NULL};
static const struct pd_sql SQL_BY_SLUG = {
	"service_by_slug",
	"SELECT " COLS " FROM service s JOIN unit u ON u.id = s.unit_id WHERE s.slug = $1", NULL};
static const struct pd_sql SQL_BY_ID = {
	"service_by_id",
	"SELECT " COLS " FROM service s JOIN unit u ON u.id = s.unit_id WHERE s.id = $1", NULL};

/* The list: $1/$2 the unit subtree's path range ('' for any unit), $3 the category ('' for
 * any), $4 the keyset's last id ('' from the start), $5 the limit. */
#define LIST_WHERE                                                                              \
	"FROM service s JOIN unit u ON u.id = s.unit_id WHERE s.enabled = 1 "                     \
	"AND ($1 = '' OR (u.path >= $1 AND u.path < $2)) AND ($3 = '' OR s.category = $3) "       \
	"AND ($4 = '' OR (s.name, s.id) > (SELECT name, id FROM service WHERE id = $4)) "
static const struct pd_sql SQL_LIST = {
	"service_list", "SELECT " LIST_COLS " " LIST_WHERE "ORDER BY s.name, s.id LIMIT $5", NULL};
/* The same with $6 the stems that must all occur: FTS5 over the external-content index, or
 * the GIN-indexed tsvector of the same stems ('simple': no further processing). */
static const struct pd_sql SQL_SEARCH = {
	"service_search",
	"SELECT " LIST_COLS " " LIST_WHERE
	"AND s.rowid IN (SELECT rowid FROM service_fts WHERE service_fts MATCH $6) "
	"ORDER BY s.name, s.id LIMIT $5",
	"SELECT " LIST_COLS " " LIST_WHERE
	"AND to_tsvector('simple', s.search_stems) @@ plainto_tsquery('simple', $6) "
	"ORDER BY s.name, s.id LIMIT $5"};
static const struct pd_sql SQL_CATEGORIES = {
	"service_categories",
	"SELECT DISTINCT category FROM service WHERE enabled = 1 ORDER BY category LIMIT $1", NULL};
static const struct pd_sql SQL_UNITS = {
	"service_units",
	"SELECT u.slug, u.name FROM unit u WHERE u.id IN (SELECT unit_id FROM service "
	"WHERE enabled = 1) ORDER BY u.name, u.slug LIMIT $1",
	NULL};

static void bind_fields(struct pd_q *q, int first, const struct pd_service *s)
{
	/* slug .. search_stems, in the order of SQL_INSERT from $3 (SQL_UPDATE from $2) */
	int i = first;
	pd_q_text(q, i++, s->slug);
	pd_q_text(q, i++, s->name);
	pd_q_text(q, i++, s->category);
	pd_q_text(q, i++, s->summary);
	pd_q_text(q, i++, s->legal_basis);
	pd_q_text(q, i++, s->requirements);
	pd_q_text(q, i++, s->procedure);
	pd_q_int(q, i++, s->processing_days);
	pd_q_int(q, i++, s->fee);
	pd_q_text(q, i++, s->product);
	pd_q_text(q, i++, s->complaint_channel);
	pd_q_text(q, i++, s->facilities);
	pd_q_text(q, i++, s->staff_competence);
	pd_q_text(q, i++, s->internal_oversight);
	pd_q_text(q, i++, s->staff_count);
	pd_q_text(q, i++, s->service_guarantee);
	pd_q_text(q, i++, s->security_guarantee);
	pd_q_text(q, i++, s->performance_evaluation);
	pd_q_int(q, i++, s->enabled ? 1 : 0);
	pd_q_text(q, i, s->search_stems);
}

enum pd_qs pd_store_service_insert(struct pd_tx *tx, const struct pd_service *s)
{
	struct pd_q *q = pd_q_open(tx, &SQL_INSERT);
	pd_q_text(q, 1, s->id);
	pd_q_text(q, 2, s->unit_id);
	bind_fields(q, 3, s);
	pd_q_int(q, 23, s->created_ms);
	pd_q_int(q, 24, s->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_service_update(struct pd_tx *tx, const struct pd_service *s)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UPDATE);
	pd_q_text(q, 1, s->id);
	bind_fields(q, 2, s);
	pd_q_int(q, 22, s->updated_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

/* Runs the one-row query stmt with key $1 and maps its row (COLS) into *s. */
static enum pd_qs service_one(struct pd_tx *tx, const struct pd_sql *stmt, const char *key,
                              struct pd_arena *a, struct pd_service *s)
{
	struct pd_q *q = pd_q_open(tx, stmt);
	pd_q_text(q, 1, key);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	memset(s, 0, sizeof *s);
	const char **text[] = {&s->id, &s->unit_id, &s->slug, &s->name, &s->category, &s->summary,
	                       &s->legal_basis, &s->requirements, &s->procedure};
	for (int i = 0; i < 9; i++)
		*text[i] = pd_q_col_dup(q, i, a);
	s->processing_days = pd_q_col_int(q, 9);
	s->fee = pd_q_col_int(q, 10);
	const char **rest[] = {&s->product, &s->complaint_channel, &s->facilities,
	                       &s->staff_competence, &s->internal_oversight, &s->staff_count,
	                       &s->service_guarantee, &s->security_guarantee,
	                       &s->performance_evaluation};
	for (int i = 0; i < 9; i++)
		*rest[i] = pd_q_col_dup(q, 11 + i, a);
	s->enabled = pd_q_col_int(q, 20) != 0;
	s->search_stems = pd_q_col_dup(q, 21, a);
	s->created_ms = pd_q_col_int(q, 22);
	s->updated_ms = pd_q_col_int(q, 23);
	s->unit_slug = pd_q_col_dup(q, 24, a);
	s->unit_name = pd_q_col_dup(q, 25, a);
	s->unit_path = pd_q_col_dup(q, 26, a);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_service_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                                    struct pd_service *s)
{
	return service_one(tx, &SQL_BY_SLUG, slug, a, s);
}

enum pd_qs pd_store_service_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                  struct pd_service *s)
{
	return service_one(tx, &SQL_BY_ID, id, a, s);
}

enum pd_qs pd_store_service_list(struct pd_tx *tx, const struct pd_service_filter *f,
                                 struct pd_arena *a, struct pd_service *out, int max, int *n)
{
	bool search = f->stems && *f->stems;
	struct pd_q *q = pd_q_open(tx, search ? &SQL_SEARCH : &SQL_LIST);
	const char *path = f->unit_path ? f->unit_path : "";
	/* Every path under `path` starts with it; '~' sorts after the id characters used. */
	pd_q_text(q, 1, path);
	pd_q_text(q, 2, *path ? pd_arena_printf(pd_tx_arena(tx), "%s~", path) : "");
	pd_q_text(q, 3, f->category ? f->category : "");
	pd_q_text(q, 4, f->after_id ? f->after_id : "");
	pd_q_int(q, 5, max);
	if (search)
		pd_q_text(q, 6, f->stems);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_service *s = &out[(*n)++];
		memset(s, 0, sizeof *s);
		s->id = pd_q_col_dup(q, 0, a);
		s->unit_id = pd_q_col_dup(q, 1, a);
		s->slug = pd_q_col_dup(q, 2, a);
		s->name = pd_q_col_dup(q, 3, a);
		s->category = pd_q_col_dup(q, 4, a);
		s->summary = pd_q_col_dup(q, 5, a);
		s->processing_days = pd_q_col_int(q, 6);
		s->fee = pd_q_col_int(q, 7);
		s->enabled = true;
		s->unit_slug = pd_q_col_dup(q, 8, a);
		s->unit_name = pd_q_col_dup(q, 9, a);
		s->unit_path = pd_q_col_dup(q, 10, a);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_service_categories(struct pd_tx *tx, struct pd_arena *a, const char **out,
                                       int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CATEGORIES);
	pd_q_int(q, 1, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		out[(*n)++] = pd_q_col_dup(q, 0, a);
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_service_units(struct pd_tx *tx, struct pd_arena *a, const char **slugs,
                                  const char **names, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_UNITS);
	pd_q_int(q, 1, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		slugs[*n] = pd_q_col_dup(q, 0, a);
		names[*n] = pd_q_col_dup(q, 1, a);
		(*n)++;
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}
