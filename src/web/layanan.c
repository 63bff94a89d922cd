/* The public service catalogue pages: the searchable list and one service's standard. */
#include "web/layanan.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/catalogue.h"
#include "http/app.h"
#include "web/admin_layanan.h"

#define PAGE 20

/* Rupiah with dots between thousands ("Rp150.000"), arena-owned. */
static const char *rupiah(struct pd_arena *a, int64_t v)
{
	char digits[32], out[48];
	int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? 0 : v);
	size_t o = 0;
	out[o++] = 'R';
	out[o++] = 'p';
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return pd_arena_strdup(a, out);
}

static void set_cost(struct pd_req *r, json_t *o, const struct pd_service *s)
{
	json_object_set_new(o, "days", json_integer(s->processing_days));
	if (s->fee == 0)
		json_object_set_new(o, "free", json_true());
	else
		json_object_set_new(o, "fee", json_string(rupiah(r->arena, s->fee)));
}

static const char *param(struct pd_req *r, const char *key)
{
	const char *v = pd_req_query(r, key);
	return v ? v : "";
}

void pd_web_layanan(struct pd_req *r)
{
	struct pd_catalogue_query q = {
		.q = param(r, "q"),
		.unit = param(r, "unit"),
		.category = param(r, "kategori"),
		.after = param(r, "setelah"),
		.limit = PAGE,
	};
	struct pd_catalogue_page p;
	int rc = pd_catalogue_list(r->store, &q, r->arena, &p);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST,
		               N_("Pencarian atau parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Unit organisasi ini tidak ada."));
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < p.n_items; i++) {
		const struct pd_service *s = &p.items[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "slug", s->slug, "name", s->name,
		                      "category", s->category, "summary", s->summary, "unit_slug",
		                      s->unit_slug, "unit_name", s->unit_name);
		set_cost(r, o, s);
		json_array_append_new(items, o);
	}
	json_object_set_new(ctx, "services", items);
	json_t *units = json_array();
	for (int i = 0; i < p.n_units; i++)
		json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", p.unit_slugs[i], "name",
		                                       p.unit_names[i], "selected",
		                                       strcmp(p.unit_slugs[i], q.unit) == 0));
	json_object_set_new(ctx, "units", units);
	json_t *cats = json_array();
	for (int i = 0; i < p.n_categories; i++)
		json_array_append_new(cats, json_pack("{s:s,s:b}", "name", p.categories[i], "selected",
		                                      strcmp(p.categories[i], q.category) == 0));
	json_object_set_new(ctx, "categories", cats);
	json_object_set_new(ctx, "q", json_string(q.q));
	json_object_set_new(ctx, "unit", json_string(q.unit));
	json_object_set_new(ctx, "category", json_string(q.category));
	json_object_set_new(ctx, "filtered", json_boolean(*q.q || *q.unit || *q.category));
	if (p.next_after)
		json_object_set_new(ctx, "next_after", json_string(p.next_after));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "layanan", 1));
	pd_reply_page(r, 200, "layanan/index", N_("Katalog layanan"), ctx);
}

void pd_web_layanan_service(struct pd_req *r)
{
	struct pd_service s;
	int rc = pd_catalogue_get(r->store, r->params[0], r->arena, &s);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Layanan ini tidak ada."));
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *o = json_object();
	const struct {
		const char *key, *value;
	} fields[] = {
		{"slug", s.slug},
		{"name", s.name},
		{"category", s.category},
		{"summary", s.summary},
		{"unit_slug", s.unit_slug},
		{"unit_name", s.unit_name},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		json_object_set_new(o, fields[i].key, json_string(fields[i].value ? fields[i].value : ""));
	/* The Standar Pelayanan (UU 25/2009 Pasal 21). */
	struct pd_catalogue_part parts[PD_CATALOGUE_STANDARD_N];
	int n_parts = pd_catalogue_standard(&s, parts);
	for (int i = 0; i < n_parts; i++)
		json_object_set_new(o, parts[i].key, json_string(parts[i].value ? parts[i].value : ""));
	set_cost(r, o, &s);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "service", o);
	pd_web_maklumat_ctx(r, s.unit_id, ctx); /* the owner unit's promise, UU 25/2009 Pasal 22 */
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "layanan", 1));
	pd_reply_page_titled(r, 200, "layanan/service", s.name, ctx);
}
