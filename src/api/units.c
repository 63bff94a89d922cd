/* /api/v1/units: the organisation tree as JSON. */
#include <string.h>

#include "core/err.h"
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
	int rc = pd_unit_view(r->store, slug, r->arena, &v);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < v.n_children; i++)
		json_array_append_new(items, unit_json(&v.children[i]));
	if (!slug) {
		pd_reply_json(r, 200, json_pack("{s:o,s:n}", "items", items, "next_cursor"));
		return;
	}
	json_t *o = unit_json(&v.unit);
	json_t *anc = json_array();
	for (int i = 0; i < v.n_ancestors; i++)
		json_array_append_new(anc, json_string(v.ancestors[i].slug));
	json_object_set_new(o, "ancestors", anc);
	json_object_set_new(o, "children", items);
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
