/* The administrators' complaint-category pages: the list of the categories of their subtrees
 * at /admin/pengaduan/kategori, adding one, editing one (name, description, default unit,
 * deadline, keywords, enabled) and enabling or disabling it. Access, versions and audit are
 * the domain's (complaint_category.h): 404 outside the actor's grants, 403 where it may only
 * see, 409 when someone else changed the category since the page was shown. */
#include "web/admin_pengaduan.h"

#include <inttypes.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/complaint_category.h"
#include "domain/service_admin.h"
#include "http/app.h"
#include "web/account_internal.h"

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

void pd_web_admin_categories(struct pd_req *r)
{
	struct pd_category_admin items[PD_CATEGORY_ADMIN_PAGE];
	int n = 0;
	const char *next = NULL;
	const char *after = pd_req_query(r, "setelah");
	int rc = pd_category_admin_list(r->store, r->actor, after, r->arena, items, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const struct pd_complaint_category *k = &items[i].k;
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:b}", "code", k->code, "name",
		                                     k->name, "unit_name", k->unit_name, "days",
		                                     (json_int_t)k->deadline_days, "enabled",
		                                     k->enabled));
	}
	json_t *ctx = json_pack("{s:o}", "items", arr);
	if (next)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena,
		                                                "/admin/pengaduan/kategori?setelah=%s",
		                                                pd_url_encode(r->arena, next))));
	if (after)
		json_object_set_new(ctx, "paged", json_true());
	pd_reply_page(r, 200, "admin/pengaduan/kategori", N_("Kategori pengaduan"), ctx);
}

/* --- one category: new and edit ----------------------------------------------------------------- */

struct edit_state {
	const char *code;             /* NULL: a new category */
	struct pd_category_input in;
	const char *days;             /* as typed */
	int64_t version;
	struct pd_app_errors errs;
};

static void edit_page(struct pd_req *r, int status, struct edit_state *st)
{
	bool create = st->code == NULL;
	struct pd_category_admin cur;
	memset(&cur, 0, sizeof cur);
	if (!create) {
		int rc = pd_category_admin_get(r->store, r->actor, st->code, r->arena, &cur);
		if (rc) {
			pd_web_reply_rc(r, rc);
			return;
		}
		if (status == 200) {
			st->in = (struct pd_category_input){cur.k.code, cur.k.name, cur.k.description,
			                                    cur.k.unit_slug, cur.k.keywords,
			                                    cur.k.deadline_days, cur.k.enabled};
			st->days = pd_arena_printf(r->arena, "%" PRId64, cur.k.deadline_days);
			st->version = cur.version;
		}
	}
	const char **slugs = NULL, **names = NULL;
	int n = 0;
	int rc = pd_service_admin_units(r->store, r->actor, r->arena, &slugs, &names, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	const char *want = st->in.unit_slug ? st->in.unit_slug : "";
	json_t *units = json_array();
	bool listed = false;
	for (int i = 0; i < n; i++) {
		bool chosen = strcmp(slugs[i], want) == 0;
		listed = listed || chosen;
		json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", slugs[i], "name",
		                                       names[i], "chosen", chosen));
	}
	if (!listed && !create && cur.k.unit_slug)
		json_array_insert_new(units, 0, json_pack("{s:s,s:s,s:b}", "slug", cur.k.unit_slug,
		                                          "name", cur.k.unit_name, "chosen", true));
	json_t *ctx = json_pack("{s:b,s:b,s:o}", "create", create, "enabled", st->in.enabled,
	                        "units", units);
	json_object_set_new(ctx, "values",
	                    json_pack("{s:o,s:o,s:o,s:o,s:o}", "code", str(st->in.code), "name",
	                              str(st->in.name), "description", str(st->in.description),
	                              "keywords", str(st->in.keywords), "days", str(st->days)));
	json_object_set_new(ctx, "version", json_integer(st->version));
	if (st->errs.n) {
		json_t *e = json_object();
		for (int i = 0; i < st->errs.n; i++)
			json_object_set_new(e, st->errs.field[i], json_string(pd_req_t(r, st->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (!create) {
		json_object_set_new(ctx, "current",
		                    json_pack("{s:s,s:s,s:s,s:b}", "code", cur.k.code, "name", cur.k.name,
		                              "unit_name", cur.k.unit_name, "enabled", cur.k.enabled));
		if (status == 200 && pd_req_query(r, "disimpan"))
			json_object_set_new(ctx, "saved", json_true());
		pd_reply_page_titled(r, status, "admin/pengaduan/kategori_edit", cur.k.name, ctx);
		return;
	}
	pd_reply_page(r, status, "admin/pengaduan/kategori_edit", N_("Kategori pengaduan baru"), ctx);
}

void pd_web_admin_category_new(struct pd_req *r)
{
	if (!pd_category_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	memset(st, 0, sizeof *st);
	st->in.unit_slug = pd_req_query(r, "unit");
	st->in.enabled = true;
	st->days = "5";
	edit_page(r, 200, st);
}

void pd_web_admin_category(struct pd_req *r)
{
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	memset(st, 0, sizeof *st);
	st->code = r->params[0];
	edit_page(r, 200, st);
}

struct save_job {
	struct pd_app_ctx c;
	struct edit_state *st;
};

static int save_tx(struct pd_tx *tx, void *p)
{
	struct save_job *j = p;
	j->st->errs.n = 0;
	int rc = j->st->code ? pd_category_update(tx, &j->c, j->st->code, j->st->version, &j->st->in,
	                                          &j->st->errs)
	                     : pd_category_create(tx, &j->c, &j->st->in, &j->st->errs);
	return rc;
}

static void save_done(struct pd_req *r, int rc)
{
	struct save_job *j = r->user;
	if (j->st->errs.n && (rc == PD_ERR_INVALID || rc == PD_ERR_CONFLICT)) {
		edit_page(r, 422, j->st);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/pengaduan/kategori/%s?disimpan=1",
	                                          j->st->code ? j->st->code : j->st->in.code));
}

static void save(struct pd_req *r, const char *code)
{
	if (!pd_category_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	struct edit_state *st = j->st = pd_arena_alloc(r->arena, sizeof *st);
	memset(st, 0, sizeof *st);
	st->code = code;
	st->in.code = code ? code : pd_web_field(r, "code");
	st->in.name = pd_web_field(r, "name");
	st->in.description = pd_web_field(r, "description");
	st->in.keywords = pd_web_field(r, "keywords");
	st->in.unit_slug = pd_web_field(r, "unit");
	st->in.enabled = pd_req_form(r, "enabled") != NULL;
	st->days = pd_web_field(r, "days");
	if (pd_parse_i64(st->days, 1, 90, &st->in.deadline_days))
		st->in.deadline_days = 0; /* refused by the check, with its message */
	if (code && pd_parse_i64(pd_web_field(r, "versi"), 1, INT64_MAX, &st->version)) {
		/* Access first: a stranger learns nothing from a malformed form. */
		struct pd_category_admin cur;
		int rc = pd_category_admin_get(r->store, r->actor, code, r->arena, &cur);
		if (rc)
			pd_web_reply_rc(r, rc);
		else
			pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	r->user = j;
	pd_req_write(r, save_tx, j, save_done);
}

void pd_web_admin_category_create(struct pd_req *r)
{
	save(r, NULL);
}

void pd_web_admin_category_save(struct pd_req *r)
{
	save(r, r->params[0]);
}

struct enable_job {
	struct pd_app_ctx c;
	const char *code;
	int64_t version;
	bool enabled;
};

static int enable_tx(struct pd_tx *tx, void *p)
{
	struct enable_job *j = p;
	return pd_category_set_enabled(tx, &j->c, j->code, j->version, j->enabled);
}

static void enable_done(struct pd_req *r, int rc)
{
	struct enable_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/pengaduan/kategori/%s?disimpan=1",
	                                          j->code));
}

void pd_web_admin_category_enable(struct pd_req *r)
{
	struct enable_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->code = r->params[0];
	const char *on = pd_web_field(r, "aktif");
	j->enabled = strcmp(on, "1") == 0;
	if ((!j->enabled && strcmp(on, "0") != 0) ||
	    pd_parse_i64(pd_web_field(r, "versi"), 1, INT64_MAX, &j->version)) {
		/* Access first: a stranger learns nothing from a malformed form. */
		struct pd_category_admin cur;
		int rc = pd_category_admin_get(r->store, r->actor, j->code, r->arena, &cur);
		if (rc)
			pd_web_reply_rc(r, rc);
		else
			pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	r->user = j;
	pd_req_write(r, enable_tx, j, enable_done);
}
