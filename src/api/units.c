/* /api/v1/units: the organisation tree as JSON. */
#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/unit.h"
#include "api/api.h"

static json_t *unit_json(const struct pd_unit *u)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "slug", u->slug, "name", u->name, "kind", u->kind);
	json_object_set_new(o, "code", u->code ? json_string(u->code) : json_null());
	return o;
}

static void reply_view(struct pd_req *r, const char *slug)
{
	struct pd_unit_view v;
	int limit;
	struct pd_cursor cur = {0};
	const char *cursor = pd_req_query(r, "cursor");
	if (pd_cursor_limit(pd_req_query(r, "limit"), 50, 200, &limit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "limit must be a whole number from 1 to 200");
		return;
	}
	if (cursor && (pd_cursor_decode(r->arena, cursor, &cur) || !pd_uuid_valid(cur.k2))) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "cursor is not one this server gave");
		return;
	}
	int rc = pd_unit_view(r->store, slug, cursor ? cur.k2 : NULL, limit, r->arena, &v);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < v.n_children; i++)
		json_array_append_new(items, unit_json(&v.children[i]));
	json_t *next = json_null();
	if (v.next_after) {
		struct pd_cursor nc = {0, v.next_after};
		next = json_string(pd_cursor_encode(r->arena, &nc));
	}
	if (!slug) {
		pd_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
		return;
	}
	json_t *o = unit_json(&v.unit);
	json_t *anc = json_array();
	for (int i = 0; i < v.n_ancestors; i++)
		json_array_append_new(anc, json_string(v.ancestors[i].slug));
	json_object_set_new(o, "ancestors", anc);
	json_object_set_new(o, "children", items);
	json_object_set_new(o, "next_cursor", next);
	pd_reply_json(r, 200, o);
}

void pd_api_units(struct pd_req *r)
{
	reply_view(r, NULL);
}

void pd_api_unit(struct pd_req *r)
{
	reply_view(r, r->params[0]);
}
