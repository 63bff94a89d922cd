/* The administrators' open-data pages: the datasets of their units at /admin/data, a new
 * dataset, editing one, uploading and deleting its resources. Access is decided in domain
 * (domain/dataset.h: PD_ACT_CONFIGURE on the owner unit's subtree). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/dataset.h"
#include "domain/service_admin.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/data.h"

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

void pd_web_admin_data(struct pd_req *r)
{
	if (!pd_service_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct pd_dataset_page p;
	int rc = pd_dataset_admin_list(r->store, r->actor, pd_req_query(r, "setelah"), 50, r->arena,
	                               &p);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < p.n_items; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:b}", "name", p.items[i].name,
		                                       "title", p.items[i].title, "unit_name",
		                                       p.items[i].unit.name, "generated",
		                                       p.items[i].generated));
	json_t *ctx = json_pack("{s:o}", "items", items);
	if (p.next_after)
		json_object_set_new(ctx, "next_after", json_string(p.next_after));
	pd_reply_page(r, 200, "admin/data/index", N_("Kelola data terbuka"), ctx);
}

struct edit_state {
	const char *old_name;          /* NULL: new */
	struct pd_dataset_input in;
	int64_t version;
	struct pd_field_errors errs;
	struct pd_field_errors up_errs; /* of the upload form */
	const char *up_name, *up_desc, *up_format;
};

static void edit_page(struct pd_req *r, int status, struct edit_state *st)
{
	bool create = st->old_name == NULL;
	struct pd_dataset cur = {0};
	int rc;
	if (!create) {
		rc = pd_dataset_get(r->store, st->old_name, r->arena, &cur);
		if (rc == PD_OK && (strcmp(cur.name, st->old_name) != 0 ||
		                    !pd_dataset_may_admin(r->actor, cur.unit.path)))
			rc = PD_ERR_NOT_FOUND;
		if (rc) {
			pd_web_reply_rc(r, rc);
			return;
		}
		if (status == 200) {
			st->in.name = cur.name;
			st->in.title = cur.title;
			st->in.notes = cur.notes;
			st->in.license_id = cur.license_id;
			st->in.frequency = cur.frequency;
			char *tags = pd_arena_strdup(r->arena, "");
			for (int i = 0; i < cur.n_tags; i++)
				tags = pd_arena_printf(r->arena, "%s%s%s", tags, i ? ", " : "", cur.tags[i]);
			st->in.tags = tags;
			st->version = cur.version;
		}
	}
	json_t *ctx = json_pack("{s:b,s:I}", "create", create, "version", (json_int_t)st->version);
	json_object_set_new(ctx, "values",
	                    json_pack("{s:o,s:o,s:o,s:o}", "name", str(st->in.name), "title",
	                              str(st->in.title), "notes", str(st->in.notes), "tags",
	                              str(st->in.tags)));
	size_t nl;
	const struct pd_licence *lic = pd_licence_list(&nl);
	json_t *jl = json_array();
	for (size_t i = 0; i < nl; i++)
		json_array_append_new(jl, json_pack("{s:s,s:s,s:b}", "id", lic[i].id, "title",
		                                    lic[i].title, "chosen",
		                                    st->in.license_id &&
		                                        strcmp(st->in.license_id, lic[i].id) == 0));
	json_object_set_new(ctx, "licences", jl);
	size_t nf;
	const char *const *fr = pd_frequency_list(&nf);
	json_t *jf = json_array();
	for (size_t i = 0; i < nf; i++)
		json_array_append_new(jf, json_pack("{s:s,s:s,s:b}", "id", fr[i], "label",
		                                    pd_req_t(r, pd_frequency_label(fr[i])), "chosen",
		                                    st->in.frequency &&
		                                        strcmp(st->in.frequency, fr[i]) == 0));
	json_object_set_new(ctx, "frequencies", jf);
	json_object_set_new(ctx, "errors", pd_web_errors_json(r, &st->errs));
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
		pd_reply_page(r, status, "admin/data/edit", N_("Dataset baru"), ctx);
		return;
	}
	json_t *res = json_array();
	for (int i = 0; i < cur.n_resources; i++)
		json_array_append_new(res, json_pack("{s:s,s:s,s:s,s:s}", "id", cur.resources[i].id,
		                                     "name", cur.resources[i].name, "format",
		                                     cur.resources[i].format, "url",
		                                     cur.resources[i].url_path));
	json_object_set_new(ctx, "current",
	                    json_pack("{s:s,s:s,s:s,s:b,s:o}", "name", cur.name, "title", cur.title,
	                              "unit_name", cur.unit.name, "generated", cur.generated,
	                              "resources", res));
	json_object_set_new(ctx, "upload",
	                    json_pack("{s:o,s:o,s:o,s:o}", "name", str(st->up_name), "description",
	                              str(st->up_desc), "format", str(st->up_format), "errors",
	                              pd_web_errors_json(r, &st->up_errs)));
	if (st->up_errs.n)
		json_object_set_new(ctx, "has_errors", json_true());
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page_titled(r, status, "admin/data/edit", cur.title, ctx);
}

void pd_web_admin_data_new(struct pd_req *r)
{
	if (!pd_service_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	st->in.unit_slug = pd_req_query(r, "unit");
	st->in.license_id = "cc-by-4.0";
	st->in.frequency = "irregular";
	edit_page(r, 200, st);
}

void pd_web_admin_data_edit(struct pd_req *r)
{
	struct edit_state *st = pd_arena_alloc(r->arena, sizeof *st);
	st->old_name = r->params[0];
	edit_page(r, 200, st);
}

struct save_job {
	const struct pd_actor *actor;
	struct edit_state *st;
	char id[37];
	const char *res_id;
	struct pd_resource_input up;
	int kind; /* 0 save dataset, 1 upload, 2 delete */
};

static int save_tx(struct pd_tx *tx, void *p)
{
	struct save_job *j = p;
	switch (j->kind) {
	case 1:
		return pd_resource_add_tx(tx, j->actor, j->st->old_name, &j->up, j->id, &j->st->up_errs);
	case 2:
		return pd_resource_delete_tx(tx, j->actor, j->st->old_name, j->res_id);
	default:
		if (!j->st->old_name)
			return pd_dataset_create_tx(tx, j->actor, &j->st->in, j->id, &j->st->errs);
		return pd_dataset_update_tx(tx, j->actor, j->st->old_name, j->st->version, &j->st->in,
		                            &j->st->errs);
	}
}

static void save_done(struct pd_req *r, int rc)
{
	struct save_job *j = r->user;
	struct edit_state *st = j->st;
	bool field_errs = j->kind == 1 ? st->up_errs.n > 0 : st->errs.n > 0;
	if (field_errs && (rc == PD_ERR_INVALID || rc == PD_ERR_CONFLICT ||
	                   (rc == PD_ERR_NOT_FOUND && !st->old_name))) {
		edit_page(r, rc == PD_ERR_CONFLICT && j->kind == 0 && st->old_name ? 409 : 422, st);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	const char *name = j->kind == 0 ? st->in.name : st->old_name;
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/data/%s?disimpan=1", name));
}

static void read_post(struct pd_req *r, struct edit_state *st)
{
	st->in.unit_slug = pd_web_field(r, "unit");
	st->in.name = pd_web_field(r, "name");
	st->in.title = pd_web_field(r, "title");
	st->in.notes = pd_web_field(r, "notes");
	st->in.tags = pd_web_field(r, "tags");
	st->in.license_id = pd_web_field(r, "license_id");
	st->in.frequency = pd_web_field(r, "frequency");
	int64_t v = 0;
	if (pd_parse_i64(pd_web_field(r, "version"), 0, INT64_MAX, &v) == PD_OK)
		st->version = v;
}

static void run(struct pd_req *r, struct save_job *j)
{
	j->actor = r->actor;
	r->user = j;
	pd_req_write(r, save_tx, j, save_done);
}

void pd_web_admin_data_create(struct pd_req *r)
{
	if (!pd_service_admin_any(r->actor)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->st = pd_arena_alloc(r->arena, sizeof *j->st);
	read_post(r, j->st);
	run(r, j);
}

void pd_web_admin_data_save(struct pd_req *r)
{
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->st = pd_arena_alloc(r->arena, sizeof *j->st);
	j->st->old_name = r->params[0];
	read_post(r, j->st);
	run(r, j);
}

/* Reads the uploaded file (at most PD_RESOURCE_BYTES_MAX + 1 bytes) into the arena. */
static int read_upload(struct pd_req *r, const struct pd_upload *u, const void **p, size_t *n)
{
	*p = NULL;
	*n = 0;
	if (u->size > PD_RESOURCE_BYTES_MAX) {
		*n = u->size;
		return PD_OK;
	}
	FILE *f = fopen(u->path, "rb");
	if (!f)
		return PD_ERR_IO;
	char *buf = pd_arena_alloc(r->arena, u->size + 1);
	size_t got = fread(buf, 1, u->size, f);
	fclose(f);
	if (got != u->size)
		return PD_ERR_IO;
	*p = buf;
	*n = got;
	return PD_OK;
}

void pd_web_admin_data_upload(struct pd_req *r)
{
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->st = pd_arena_alloc(r->arena, sizeof *j->st);
	j->st->old_name = r->params[0];
	j->kind = 1;
	j->up.name = j->st->up_name = pd_web_field(r, "name");
	j->up.description = j->st->up_desc = pd_web_field(r, "description");
	j->up.format = j->st->up_format = pd_web_field(r, "format");
	for (const struct pd_upload *u = r->uploads; u; u = u->next)
		if (strcmp(u->field, "file") == 0) {
			j->up.filename = u->filename;
			int rc = read_upload(r, u, &j->up.bytes, &j->up.len);
			if (rc) {
				pd_web_reply_rc(r, rc);
				return;
			}
		}
	if (j->up.len > PD_RESOURCE_BYTES_MAX && !j->up.bytes) {
		/* too large: the domain's message, without reading the file */
		j->up.bytes = "";
	}
	run(r, j);
}

void pd_web_admin_data_delete(struct pd_req *r)
{
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->st = pd_arena_alloc(r->arena, sizeof *j->st);
	j->st->old_name = r->params[0];
	j->res_id = r->params[1];
	j->kind = 2;
	run(r, j);
}
