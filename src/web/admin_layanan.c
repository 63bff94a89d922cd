/* The administrators' service pages: the list of services of their subtrees at /admin/layanan,
 * creating one at /admin/layanan/baru, editing every Standar Pelayanan field (and enabling or
 * disabling) at /admin/layanan/{slug}, and a unit's Maklumat Pelayanan at
 * /admin/unit/{slug}/maklumat. Access is decided in domain (service_admin.h): 404 outside the
 * actor's grants, 403 where it may only see. */
#include "web/admin_layanan.h"

#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/service_admin.h"
#include "http/app.h"
#include "web/account_internal.h"

/* The Standar Pelayanan's texts (UU 25/2009 Pasal 21) in the order of the edit page. */
static const struct {
	const char *name, *label;
	size_t off;
	bool lines;
} texts[] = {
	{"summary", N_("Ringkasan"), offsetof(struct pd_service, summary), true},
	{"requirements", N_("Persyaratan"), offsetof(struct pd_service, requirements), true},
	{"procedure", N_("Sistem, mekanisme dan prosedur"), offsetof(struct pd_service, procedure), true},
	{"product", N_("Produk pelayanan"), offsetof(struct pd_service, product), false},
	{"complaint_channel", N_("Penanganan pengaduan, saran dan masukan"),
	 offsetof(struct pd_service, complaint_channel), true},
	{"legal_basis", N_("Dasar hukum"), offsetof(struct pd_service, legal_basis), true},
	{"facilities", N_("Sarana, prasarana dan fasilitas"), offsetof(struct pd_service, facilities), true},
	{"staff_competence", N_("Kompetensi pelaksana"), offsetof(struct pd_service, staff_competence), true},
	{"internal_oversight", N_("Pengawasan internal"), offsetof(struct pd_service, internal_oversight), true},
	{"staff_count", N_("Jumlah pelaksana"), offsetof(struct pd_service, staff_count), false},
	{"service_guarantee", N_("Jaminan pelayanan"), offsetof(struct pd_service, service_guarantee), true},
	{"security_guarantee", N_("Jaminan keamanan dan keselamatan pelayanan"),
	 offsetof(struct pd_service, security_guarantee), true},
	{"performance_evaluation", N_("Evaluasi kinerja pelaksana"),
	 offsetof(struct pd_service, performance_evaluation), true},
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

static const char **text_at(struct pd_service *s, size_t i)
{
	return (const char **)((char *)s + texts[i].off);
}

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

/* --- the list ----------------------------------------------------------------------------------- */

void pd_web_admin_services(struct pd_req *r)
{
	struct pd_service_admin_page p;
	int rc = pd_service_admin_list(r->store, r->actor, pd_req_query(r, "unit"),
	                               pd_req_query(r, "setelah"), r->arena, &p);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < p.n_items; i++) {
		const struct pd_service *s = &p.items[i];
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:b,s:I}", "slug", s->slug,
		                                       "name", s->name, "category", s->category,
		                                       "unit_name", s->unit_name, "enabled", s->enabled,
		                                       "days", (json_int_t)s->processing_days));
	}
	json_t *scopes = json_array();
	for (int i = 0; i < p.n_scopes; i++)
		json_array_append_new(scopes, json_pack("{s:s,s:s,s:b}", "slug", p.scope_slugs[i], "name",
		                                        p.scope_names[i], "listed",
		                                        strcmp(p.scope_slugs[i], p.unit_slug) == 0));
	json_t *ctx = json_pack("{s:{s:s,s:s},s:o,s:o}", "scope", "slug", p.unit_slug, "name",
	                        p.unit_name, "items", items, "scopes", scopes);
	if (p.next_after)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "/admin/layanan?unit=%s&setelah=%s",
		                                                p.unit_slug, p.next_after)));
	pd_reply_page(r, 200, "admin/layanan", N_("Kelola layanan"), ctx);
}

/* --- one service: new and edit ------------------------------------------------------------------ */

/* A refused or loaded service with its errors. */
struct edit_state {
	const char *old_slug;           /* NULL: a new service */
	struct pd_catalogue_input in;
	const char *days, *fee;         /* as typed */
	struct pd_field_errors errs;
};

static void edit_page(struct pd_req *r, int status, struct edit_state *st)
{
	struct pd_service cur = {0};
	struct pd_form form = {0};
	bool create = st->old_slug == NULL;
	int rc;
	if (!create) {
		rc = pd_service_admin_get(r->store, r->actor, st->old_slug, r->arena, &cur, &form);
		if (rc) {
			pd_web_reply_rc(r, rc);
			return;
		}
	}
	if (status == 200 && !create) {
		st->in.s = cur;
		st->days = pd_arena_printf(r->arena, "%" PRId64, cur.processing_days);
		st->fee = pd_arena_printf(r->arena, "%" PRId64, cur.fee);
	}
	struct pd_service *s = &st->in.s;
	json_t *ctx = json_pack("{s:b,s:b}", "create", create, "enabled", s->enabled);
	json_object_set_new(ctx, "values",
	                    json_pack("{s:o,s:o,s:o,s:o,s:o}", "slug", str(s->slug), "name",
	                              str(s->name), "category", str(s->category), "days",
	                              str(st->days), "fee", str(st->fee)));
	json_t *err = pd_web_errors_json(r, &st->errs);
	json_t *tl = json_array();
	for (size_t i = 0; i < N_TEXTS; i++) {
		json_t *o = json_pack("{s:s,s:s,s:o,s:b}", "name", texts[i].name, "label",
		                      pd_req_t(r, texts[i].label), "value", str(*text_at(s, i)),
		                      "lines", texts[i].lines);
		json_t *e = json_object_get(err, texts[i].name);
		if (e)
			json_object_set(o, "error", e);
		json_array_append_new(tl, o);
	}
	json_object_set_new(ctx, "texts", tl);
	json_object_set_new(ctx, "errors", err);
	if (st->errs.n)
		json_object_set_new(ctx, "has_errors", json_true());
	if (create) {
		const char **slugs, **names;
		int n;
		rc = pd_service_admin_units(r->store, r->actor, r->arena, &slugs, &names, &n);
		if (rc) {
			json_decref(ctx);
			pd_web_reply_rc(r, rc);
			return;
		}
		const char *want = st->in.unit_slug ? st->in.unit_slug : "";
		json_t *units = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", slugs[i], "name",
			                                       names[i], "chosen",
			                                       strcmp(slugs[i], want) == 0));
		json_object_set_new(ctx, "units", units);
		pd_reply_page(r, status, "admin/layanan_edit", N_("Layanan baru"), ctx);
		return;
	}
	json_object_set_new(ctx, "current",
	                    json_pack("{s:s,s:s,s:s,s:b,s:i,s:i}", "slug", cur.slug, "name", cur.name,
	                              "unit_name", cur.unit_name, "enabled", cur.enabled,
	                              "form_version", form.version, "n_fields", form.n_fields));
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page_titled(r, status, "admin/layanan_edit", cur.name, ctx);
}

void pd_web_admin_service_new(struct pd_req *r)
{
	if (!pd_service_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	memset(st, 0, sizeof *st);
	st->in.unit_slug = pd_req_query(r, "unit");
	st->in.s.enabled = false; /* a new service is published when its form is ready */
	st->days = "";
	st->fee = "0";
	edit_page(r, 200, st);
}

void pd_web_admin_service(struct pd_req *r)
{
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	memset(st, 0, sizeof *st);
	st->old_slug = r->params[0];
	edit_page(r, 200, st);
}

struct save_job {
	const struct pd_actor *actor;
	struct edit_state *st;
};

static int save_tx(struct pd_tx *tx, void *p)
{
	struct save_job *j = p;
	return pd_service_admin_save_tx(tx, j->actor, j->st->old_slug, &j->st->in, &j->st->errs);
}

static void save_done(struct pd_req *r, int rc)
{
	struct save_job *j = r->user;
	if (j->st->errs.n && (rc == PD_ERR_INVALID || rc == PD_ERR_CONFLICT ||
	                      (rc == PD_ERR_NOT_FOUND && !j->st->old_slug))) {
		edit_page(r, 422, j->st);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/layanan/%s?disimpan=1",
	                                          j->st->in.s.slug));
}

/* Reads the posted service; number fields that are not numbers are refused here. */
static void read_post(struct pd_req *r, struct edit_state *st)
{
	struct pd_service *s = &st->in.s;
	st->in.unit_slug = pd_web_field(r, "unit");
	s->slug = pd_web_field(r, "slug");
	s->name = pd_web_field(r, "name");
	s->category = pd_web_field(r, "category");
	for (size_t i = 0; i < N_TEXTS; i++)
		*text_at(s, i) = pd_web_field(r, texts[i].name);
	s->enabled = pd_req_form(r, "enabled") != NULL;
	st->days = pd_web_field(r, "days");
	st->fee = pd_web_field(r, "fee");
	if (pd_parse_i64(st->days, 0, 3650, &s->processing_days))
		pd_field_error(&st->errs, "processing_days", N_("Jangka waktu: 0 sampai 3650 hari kerja."));
	if (pd_parse_i64(st->fee, 0, 1000000000000LL, &s->fee))
		pd_field_error(&st->errs, "fee", N_("Biaya: 0 (gratis) atau jumlah rupiah tanpa titik."));
}

static void save(struct pd_req *r, const char *old_slug)
{
	if (!pd_service_admin_any(r->actor) && old_slug == NULL) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->st = pd_arena_alloc(r->arena, sizeof *j->st);
	memset(j->st, 0, sizeof *j->st);
	j->st->old_slug = old_slug;
	read_post(r, j->st);
	if (j->st->errs.n) {
		/* Access first: a stranger learns nothing from the checks of the fields. */
		if (old_slug) {
			struct pd_service s;
			int rc = pd_service_admin_get(r->store, r->actor, old_slug, r->arena, &s, NULL);
			if (rc) {
				pd_web_reply_rc(r, rc);
				return;
			}
		}
		pd_service_admin_check(&j->st->in, old_slug == NULL, &j->st->errs);
		edit_page(r, 422, j->st);
		return;
	}
	r->user = j;
	pd_req_write(r, save_tx, j, save_done);
}

void pd_web_admin_service_create(struct pd_req *r)
{
	save(r, NULL);
}

void pd_web_admin_service_save(struct pd_req *r)
{
	if (!pd_slug_valid(r->params[0])) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	save(r, r->params[0]);
}

/* --- Maklumat Pelayanan --------------------------------------------------------------------------- */

static void maklumat_page(struct pd_req *r, int status, const char *text,
                          const struct pd_field_errors *errs)
{
	struct pd_maklumat m;
	int rc = pd_maklumat_admin_get(r->store, r->actor, r->params[0], r->arena, &m);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_pack("{s:s,s:s,s:o}", "slug", m.unit.slug, "unit_name", m.unit.name,
	                        "text", str(text ? text : m.text));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page(r, status, "admin/maklumat", N_("Maklumat Pelayanan"), ctx);
}

void pd_web_admin_maklumat(struct pd_req *r)
{
	maklumat_page(r, 200, NULL, NULL);
}

struct mk_job {
	const struct pd_actor *actor;
	const char *slug, *text;
	struct pd_field_errors errs;
};

static int mk_tx(struct pd_tx *tx, void *p)
{
	struct mk_job *j = p;
	return pd_maklumat_set_tx(tx, j->actor, j->slug, j->text, &j->errs);
}

static void mk_done(struct pd_req *r, int rc)
{
	struct mk_job *j = r->user;
	if (rc == PD_ERR_INVALID && j->errs.n) {
		maklumat_page(r, 422, j->text, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/unit/%s/maklumat?disimpan=1",
	                                          j->slug));
}

void pd_web_admin_maklumat_save(struct pd_req *r)
{
	struct mk_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->slug = r->params[0];
	j->text = pd_web_field(r, "text");
	if (!pd_slug_valid(j->slug)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	r->user = j;
	pd_req_write(r, mk_tx, j, mk_done);
}

void pd_web_maklumat_ctx(struct pd_req *r, const char *unit_id, json_t *ctx)
{
	const char *text = "";
	if (pd_maklumat_of_unit(r->store, unit_id, r->arena, &text) == PD_OK && *text)
		json_object_set_new(ctx, "maklumat", json_string(text));
}
