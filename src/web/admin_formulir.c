/* The form builder at /admin/layanan/{slug}/formulir: a service's application form, field by
 * field in order, with plain HTML forms (no JavaScript) to add, change, remove and move fields.
 * Every saved change is the form's next version (domain/form.h), so applications filed on an
 * earlier version stay readable; each form carries the version it was drawn from, and a change
 * made meanwhile by someone else is refused with 409. */
#include <inttypes.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/form.h"
#include "domain/service_admin.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/admin_layanan.h"

/* What the field form shows: a refused post, the field named by ?ubah=, or a new field. */
struct field_state {
	const char *key;            /* UPDATE: the field changed; NULL: adding */
	struct pd_form_field f;
	const char *options_text, *max_len, *max_kb;
	struct pd_field_errors errs;
	bool refused;
};

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

static const char *i64(struct pd_req *r, int64_t v)
{
	return v ? pd_arena_printf(r->arena, "%" PRId64, v) : "";
}

static const char *join_options(struct pd_req *r, const struct pd_form_field *f)
{
	const char *out = "";
	for (int i = 0; i < f->n_options; i++)
		out = pd_arena_printf(r->arena, "%s%s%s", out, i ? "\n" : "", f->options[i]);
	return out;
}

static json_t *field_form_json(struct pd_req *r, const struct field_state *fs)
{
	const struct pd_form_field *f = &fs->f;
	json_t *types = json_array();
	for (int t = 0; t < PD_FORM__MAX; t++)
		json_array_append_new(types, json_pack("{s:s,s:s,s:b}", "value",
		                                       pd_form_type_name((enum pd_form_type)t), "label",
		                                       pd_req_t(r, pd_form_type_label((enum pd_form_type)t)),
		                                       "chosen", (int)f->type == t));
	json_t *o = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "key", str(f->key),
	                      "label", str(f->label), "help", str(f->help), "label_en",
	                      str(f->label_en), "help_en", str(f->help_en), "types", types,
	                      "required", f->required, "options", str(fs->options_text), "max_len",
	                      str(fs->max_len), "max_kb", str(fs->max_kb), "errors",
	                      pd_web_errors_json(r, &fs->errs));
	if (fs->key)
		json_object_set_new(o, "editing", json_string(fs->key));
	if (fs->errs.n)
		json_object_set_new(o, "has_errors", json_true());
	return o;
}

static void builder_page(struct pd_req *r, int status, struct field_state *fs)
{
	struct pd_service s;
	struct pd_form form;
	int rc = pd_service_admin_get(r->store, r->actor, r->params[0], r->arena, &s, &form);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct field_state fresh = {0};
	if (!fs) {
		fs = &fresh;
		const char *want = pd_req_query(r, "ubah");
		const struct pd_form_field *f = want ? pd_form_field_find(&form, want) : NULL;
		if (f) {
			fs->key = f->key;
			fs->f = *f;
			fs->options_text = join_options(r, f);
			fs->max_len = i64(r, f->max_len);
			fs->max_kb = i64(r, f->max_bytes / 1024);
		}
	}
	json_t *fields = json_array();
	for (int i = 0; i < form.n_fields; i++) {
		const struct pd_form_field *f = &form.fields[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:i}", "key", f->key, "label",
		                      f->label, "type_label", pd_req_t(r, pd_form_type_label(f->type)),
		                      "required", f->required, "first", i == 0, "last",
		                      i == form.n_fields - 1, "n", i + 1);
		if (f->help && *f->help)
			json_object_set_new(o, "help", json_string(f->help));
		if (f->n_options)
			json_object_set_new(o, "options", json_string(join_options(r, f)));
		json_array_append_new(fields, o);
	}
	json_t *ctx = json_pack("{s:s,s:s,s:b,s:i,s:o}", "slug", s.slug, "name", s.name, "enabled",
	                        s.enabled, "version", form.version, "fields", fields);
	json_object_set_new(ctx, "field_form", field_form_json(r, fs));
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page_titled(r, status, "admin/layanan_formulir",
	                     pd_arena_printf(r->arena, "%s: %s", pd_req_t(r, N_("Formulir")), s.name),
	                     ctx);
}

void pd_web_admin_form(struct pd_req *r)
{
	builder_page(r, 200, NULL);
}

/* --- the changes --------------------------------------------------------------------------------- */

struct edit_job {
	const struct pd_actor *actor;
	const char *slug;
	struct pd_form_edit edit;
	struct field_state fs;
	int version;
};

static int edit_tx(struct pd_tx *tx, void *p)
{
	struct edit_job *j = p;
	return pd_form_edit_tx(tx, j->actor, j->slug, &j->edit, &j->fs.errs, &j->version);
}

static void edit_done(struct pd_req *r, int rc)
{
	struct edit_job *j = r->user;
	if (rc == PD_ERR_INVALID && j->fs.errs.n) {
		builder_page(r, 422, &j->fs);
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_reply_error(r, PD_E_CONFLICT,
		               N_("Formulir ini baru saja diubah orang lain. Muat ulang halaman formulir lalu ulangi perubahan Anda."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/layanan/%s/formulir?disimpan=%d",
	                                          j->slug, j->version));
}

/* Options typed one per line: blank lines dropped, spaces trimmed. Arena-owned. */
static void split_options(struct pd_req *r, const char *text, struct pd_form_field *f)
{
	f->options = pd_arena_alloc(r->arena, sizeof *f->options * (PD_FORM_OPTIONS_MAX + 2));
	f->n_options = 0;
	const char *p = text;
	while (f->options && *p && f->n_options <= PD_FORM_OPTIONS_MAX) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		size_t k = n;
		while (k && (*s == ' ' || *s == '\t')) {
			s++;
			k--;
		}
		while (k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r'))
			k--;
		if (k)
			f->options[f->n_options++] = pd_arena_strndup(r->arena, s, k);
		p += n + (end ? 1 : 0);
	}
}

static struct edit_job *job(struct pd_req *r, enum pd_form_op op, const char *key)
{
	struct edit_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->slug = r->params[0];
	j->edit.op = op;
	j->edit.key = key;
	int64_t v = -1;
	const char *bv = pd_req_form(r, "versi");
	j->edit.base_version = bv && !pd_parse_i64(bv, 0, 1000000000, &v) ? (int)v : -1;
	return j;
}

static void submit(struct pd_req *r, struct edit_job *j)
{
	if (!pd_slug_valid(j->slug) || (j->edit.key && !*j->edit.key)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	r->user = j;
	pd_req_write(r, edit_tx, j, edit_done);
}

/* Reads the field form into j; refuses what is not a number before the write. */
static bool read_field(struct pd_req *r, struct edit_job *j)
{
	struct field_state *fs = &j->fs;
	struct pd_form_field *f = &fs->f;
	fs->key = j->edit.key;
	f->key = j->edit.key ? j->edit.key : pd_web_field(r, "key");
	f->label = pd_web_field(r, "label");
	f->help = pd_web_field(r, "help");
	f->label_en = pd_web_field(r, "label_en");
	f->help_en = pd_web_field(r, "help_en");
	f->required = pd_req_form(r, "required") != NULL;
	if (pd_form_type_parse(pd_web_field(r, "type"), &f->type)) {
		f->type = PD_FORM_TEXT;
		pd_field_error(&fs->errs, "type", N_("Pilih jenis isian dari daftar."));
	}
	fs->options_text = pd_web_field(r, "options");
	split_options(r, fs->options_text, f);
	fs->max_len = pd_web_field(r, "max_len");
	fs->max_kb = pd_web_field(r, "max_kb");
	int64_t v = 0;
	if (*fs->max_len && pd_parse_i64(fs->max_len, 1, PD_FORM_LEN_MAX, &v))
		pd_field_error(&fs->errs, "max_len", N_("Panjang maksimum: 1–10000 karakter, atau kosong untuk bawaan."));
	f->max_len = *fs->max_len ? v : 0;
	v = 0;
	if (*fs->max_kb && pd_parse_i64(fs->max_kb, 1, PD_FORM_FILE_MAX / 1024, &v))
		pd_field_error(&fs->errs, "max_bytes", N_("Ukuran maksimum berkas: 1 KB sampai 10 MB."));
	f->max_bytes = *fs->max_kb ? v * 1024 : 0;
	j->edit.field = *f;
	return fs->errs.n == 0;
}

static void field_post(struct pd_req *r, enum pd_form_op op, const char *key)
{
	struct edit_job *j = job(r, op, key);
	if (!read_field(r, j)) {
		/* Access first (builder_page checks it); then the messages beside the fields. */
		pd_form_field_validate(&j->fs.f, &j->fs.errs);
		builder_page(r, 422, &j->fs);
		return;
	}
	submit(r, j);
}

void pd_web_admin_form_add(struct pd_req *r)
{
	field_post(r, PD_FORM_OP_ADD, NULL);
}

void pd_web_admin_form_update(struct pd_req *r)
{
	field_post(r, PD_FORM_OP_UPDATE, r->params[1]);
}

void pd_web_admin_form_remove(struct pd_req *r)
{
	submit(r, job(r, PD_FORM_OP_REMOVE, r->params[1]));
}

void pd_web_admin_form_up(struct pd_req *r)
{
	submit(r, job(r, PD_FORM_OP_UP, r->params[1]));
}

void pd_web_admin_form_down(struct pd_req *r)
{
	submit(r, job(r, PD_FORM_OP_DOWN, r->params[1]));
}
