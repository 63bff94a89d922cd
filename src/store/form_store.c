/* Statements and row mapping for services' form versions, the administrators' service list and
 * the units' Maklumat Pelayanan. */
#include "store/form_store.h"

#include <string.h>

#define FORM_COLS "service_id, version, fields_json, created_ms, created_by"

static const struct pd_sql SQL_FORM_INSERT = {
	"form_insert",
	"INSERT INTO service_form (" FORM_COLS ") VALUES ($1, $2, $3, $4, $5)", NULL};
static const struct pd_sql SQL_FORM_LATEST = {
	"form_latest",
	"SELECT " FORM_COLS " FROM service_form WHERE service_id = $1 ORDER BY version DESC LIMIT 1",
	NULL};
static const struct pd_sql SQL_FORM_GET = {
	"form_get", "SELECT " FORM_COLS " FROM service_form WHERE service_id = $1 AND version = $2",
	NULL};
/* $1/$2 the subtree's path range ($1 || '~'), $3 the keyset's last id ('' from the start). */
static const struct pd_sql SQL_ADMIN_LIST = {
	"service_admin_list",
	"SELECT s.id, s.unit_id, s.slug, s.name, s.category, s.summary, s.processing_days, s.fee, "
	"s.enabled, u.slug, u.name, u.path FROM service s JOIN unit u ON u.id = s.unit_id "
	"WHERE u.path >= $1 AND u.path < $2 "
	"AND ($3 = '' OR (s.name, s.id) > (SELECT name, id FROM service WHERE id = $3)) "
	"ORDER BY s.name, s.id LIMIT $4",
	NULL};
static const struct pd_sql SQL_MAKLUMAT_GET = {
	"maklumat_get", "SELECT text, updated_ms FROM unit_maklumat WHERE unit_id = $1", NULL};
static const struct pd_sql SQL_MAKLUMAT_PUT = {
	"maklumat_put",
	"INSERT INTO unit_maklumat (unit_id, text, updated_ms, updated_by) VALUES ($1, $2, $3, $4) "
	"ON CONFLICT (unit_id) DO UPDATE SET text = excluded.text, updated_ms = excluded.updated_ms, "
	"updated_by = excluded.updated_by",
	NULL};

enum pd_qs pd_store_form_insert(struct pd_tx *tx, const struct pd_form_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FORM_INSERT);
	pd_q_text(q, 1, r->service_id);
	pd_q_int(q, 2, r->version);
	pd_q_text(q, 3, r->fields_json);
	pd_q_int(q, 4, r->created_ms);
	pd_q_text(q, 5, r->created_by);
	return pd_qs_of_changes(pd_q_exec(q));
}

static enum pd_qs form_one(struct pd_q *q, struct pd_arena *a, struct pd_form_row *out)
{
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0) {
		pd_q_close(q);
		return PD_QS_NONE;
	}
	out->service_id = pd_q_col_dup(q, 0, a);
	out->version = pd_q_col_int(q, 1);
	out->fields_json = pd_q_col_dup(q, 2, a);
	out->created_ms = pd_q_col_int(q, 3);
	out->created_by = pd_q_col_dup(q, 4, a);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_form_latest(struct pd_tx *tx, const char *service_id, struct pd_arena *a,
                                struct pd_form_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FORM_LATEST);
	pd_q_text(q, 1, service_id);
	return form_one(q, a, out);
}

enum pd_qs pd_store_form_get(struct pd_tx *tx, const char *service_id, int64_t version,
                             struct pd_arena *a, struct pd_form_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FORM_GET);
	pd_q_text(q, 1, service_id);
	pd_q_int(q, 2, version);
	return form_one(q, a, out);
}

enum pd_qs pd_store_service_admin_list(struct pd_tx *tx, const char *unit_path,
                                       const char *after_id, struct pd_arena *a,
                                       struct pd_service *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ADMIN_LIST);
	/* Every path under unit_path starts with it; '~' sorts after the id characters used. */
	pd_q_text(q, 1, unit_path);
	pd_q_text(q, 2, pd_arena_printf(pd_tx_arena(tx), "%s~", unit_path));
	pd_q_text(q, 3, after_id ? after_id : "");
	pd_q_int(q, 4, max);
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
		s->enabled = pd_q_col_int(q, 8) != 0;
		s->unit_slug = pd_q_col_dup(q, 9, a);
		s->unit_name = pd_q_col_dup(q, 10, a);
		s->unit_path = pd_q_col_dup(q, 11, a);
	}
	pd_q_close(q);
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return *n == 0 ? PD_QS_NONE : *n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_maklumat_get(struct pd_tx *tx, const char *unit_id, struct pd_arena *a,
                                 const char **text, int64_t *updated_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MAKLUMAT_GET);
	pd_q_text(q, 1, unit_id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0) {
		pd_q_close(q);
		return PD_QS_NONE;
	}
	*text = pd_q_col_dup(q, 0, a);
	*updated_ms = pd_q_col_int(q, 1);
	pd_q_close(q);
	return PD_QS_ONE;
}

enum pd_qs pd_store_maklumat_put(struct pd_tx *tx, const char *unit_id, const char *text,
                                 int64_t updated_ms, const char *updated_by)
{
	struct pd_q *q = pd_q_open(tx, &SQL_MAKLUMAT_PUT);
	pd_q_text(q, 1, unit_id);
	pd_q_text(q, 2, text);
	pd_q_int(q, 3, updated_ms);
	pd_q_text(q, 4, updated_by);
	return pd_qs_of_changes(pd_q_exec(q));
}
