/* The home page and the organisation-unit pages (/unit, one unit with its children). */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "domain/unit.h"
#include "http/app.h"
#include "web/admin_layanan.h"
#include "web/web.h"

void pd_web_home(struct pd_req *r)
{
	json_t *ctx = json_object();
	pd_reply_page(r, 200, "home", N_("Beranda"), ctx);
}

static const char *kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"nation", N_("Negara")},     {"province", N_("Provinsi")},
		{"regency", N_("Kabupaten")}, {"city", N_("Kota")},
		{"district", N_("Kecamatan")}, {"village", N_("Desa/Kelurahan")},
		{"agency", N_("Perangkat daerah")},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind;
}

static json_t *unit_json(struct pd_req *r, const struct pd_unit *u)
{
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(u->slug));
	json_object_set_new(o, "name", json_string(u->name));
	json_object_set_new(o, "kind", json_string(u->kind));
	json_object_set_new(o, "kind_label", json_string(pd_req_t(r, kind_label(u->kind))));
	if (u->code)
		json_object_set_new(o, "code", json_string(u->code));
	return o;
}

#define PAGE 100

static void unit_page(struct pd_req *r, const char *slug)
{
	struct pd_unit_view v;
	const char *after = pd_req_query(r, "setelah");
	if (after && !pd_uuid_valid(after)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	int rc = pd_unit_view(r->store, slug, after, PAGE, r->arena, &v);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Unit organisasi ini tidak ada."));
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *ctx = json_object();
	if (slug) {
		json_object_set_new(ctx, "unit", unit_json(r, &v.unit));
		json_t *anc = json_array();
		for (int i = 0; i < v.n_ancestors; i++)
			json_array_append_new(anc, unit_json(r, &v.ancestors[i]));
		json_object_set_new(ctx, "ancestors", anc);
		pd_web_maklumat_ctx(r, v.unit.id, ctx); /* UU 25/2009 Pasal 22 */
	}
	json_t *kids = json_array();
	for (int i = 0; i < v.n_children; i++)
		json_array_append_new(kids, unit_json(r, &v.children[i]));
	json_object_set_new(ctx, "children", kids);
	json_object_set_new(ctx, "n_children", json_integer(v.n_children));
	if (v.next_after)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "%s?setelah=%s",
		                                                pd_http_safe_path(r), v.next_after)));
	if (slug)
		json_object_set_new(ctx, "csv_url",
		                    json_string(pd_arena_printf(r->arena, "/unit/%s/anak.csv", v.unit.slug)));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "unit", 1));
	if (slug)
		pd_reply_page_titled(r, 200, "unit", v.unit.name, ctx);
	else
		pd_reply_page(r, 200, "unit", N_("Unit organisasi"), ctx);
}

void pd_web_unit_root(struct pd_req *r)
{
	unit_page(r, NULL);
}

void pd_web_unit(struct pd_req *r)
{
	unit_page(r, r->params[0]);
}

static void csv_field(struct pd_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (!quote) {
		pd_buf_puts(b, s);
		return;
	}
	pd_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			pd_buf_putc(b, '"');
		pd_buf_putc(b, *s);
	}
	pd_buf_putc(b, '"');
}

void pd_web_unit_csv(struct pd_req *r)
{
	struct pd_buf b;
	pd_buf_init(&b, 64 * 1024 * 1024);
	pd_buf_puts(&b, "slug,kind,code,name\r\n");
	const char *after = NULL;
	/* The whole list, page by page over the keyset. */
	do {
		struct pd_unit_view v;
		int rc = pd_unit_view(r->store, r->params[0], after, PD_UNIT_PAGE_MAX, r->arena, &v);
		if (rc) {
			pd_buf_free(&b);
			pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL, NULL);
			return;
		}
		for (int i = 0; i < v.n_children; i++) {
			csv_field(&b, v.children[i].slug);
			pd_buf_putc(&b, ',');
			csv_field(&b, v.children[i].kind);
			pd_buf_putc(&b, ',');
			csv_field(&b, v.children[i].code);
			pd_buf_putc(&b, ',');
			csv_field(&b, v.children[i].name);
			pd_buf_puts(&b, "\r\n");
		}
		after = v.next_after;
	} while (after);
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
}
