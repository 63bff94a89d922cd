/* The fields of a service's application form for templates/partials/form_fields.html: labels in
 * the reader's language, the values to show again, the message beside each field and the files
 * already kept. */
#include "web/common_form.h"

#include <string.h>

#include "core/i18n.h"
#include "domain/unit.h"
#include "http/app.h"

#define MAX_VILLAGES 2000

static const char *typed_get(void *arg, const char *name, int i)
{
	struct pd_req *r = arg;
	for (size_t k = 0; k < r->form.n; k++)
		if (strcmp(r->form.items[k].key, name) == 0 && i-- == 0)
			return r->form.items[k].val;
	return NULL;
}

struct pd_form_values pd_web_form_typed(struct pd_req *r)
{
	return (struct pd_form_values){.get = typed_get, .arg = r};
}

struct pd_app_value *pd_web_form_answers(struct pd_req *r, bool (*own)(const char *key), int *n)
{
	struct pd_app_value *vals = pd_arena_alloc(r->arena, (r->form.n + 1) * sizeof *vals);
	int nv = 0;
	for (size_t k = 0; k < r->form.n; k++) {
		if (own(r->form.items[k].key))
			continue;
		vals[nv++] = (struct pd_app_value){r->form.items[k].key, r->form.items[k].val};
	}
	*n = nv;
	return vals;
}

struct villages {
	json_t *list;
	int n;
};

static void add_village(const struct pd_unit *u, const char *parent_slug, void *arg)
{
	(void)parent_slug;
	struct villages *v = arg;
	if (strcmp(u->kind, "village") != 0 || v->n >= MAX_VILLAGES)
		return;
	json_array_append_new(v->list, json_pack("{s:s,s:s}", "slug", u->slug, "name", u->name));
	v->n++;
}

/* The villages of all (as add_village lists them) with chosen marked. New reference. */
static json_t *villages_marked(json_t *all, const char *chosen)
{
	json_t *list = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(all, i, it)
	{
		const char *slug = json_string_value(json_object_get(it, "slug"));
		json_array_append_new(list, json_pack("{s:O,s:O,s:b}", "slug", json_object_get(it, "slug"),
		                                      "name", json_object_get(it, "name"), "selected",
		                                      chosen && slug && strcmp(chosen, slug) == 0));
	}
	return list;
}

static json_t *villages_all(struct pd_req *r)
{
	struct villages vs = {json_array(), 0};
	pd_unit_each(r->store, add_village, &vs);
	return vs.list;
}

json_t *pd_web_villages(struct pd_req *r, const char *chosen)
{
	json_t *all = villages_all(r);
	json_t *list = villages_marked(all, chosen);
	json_decref(all);
	return list;
}

static const char *val(const struct pd_form_values *vals, const char *name, int i)
{
	return vals && vals->get ? vals->get(vals->arg, name, i) : NULL;
}

static bool has_val(const struct pd_form_values *vals, const char *name, const char *value)
{
	const char *v;
	for (int i = 0; (v = val(vals, name, i)) != NULL; i++)
		if (strcmp(v, value) == 0)
			return true;
	return false;
}

static json_t *field_json(struct pd_req *r, const struct pd_form_field *f,
                          const struct pd_form_values *vals, const struct pd_app_errors *errs,
                          const struct pd_application *app, json_t **villages)
{
	const char *lang = r->lang ? r->lang : "id";
	const char *type = pd_form_type_name(f->type);
	json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:b}", "key", f->key, "id",
	                      pd_arena_printf(r->arena, "f-%s", f->key), "label",
	                      pd_form_field_label(f, lang), "required", f->required,
	                      pd_arena_printf(r->arena, "is_%s", type ? type : "text"), 1);
	const char *help = pd_form_field_help(f, lang);
	if (help && *help)
		json_object_set_new(o, "help", json_string(help));
	const char *error = pd_app_error_for(errs, f->key);
	if (error)
		json_object_set_new(o, "error", json_string(pd_req_t(r, error)));
	if (f->type == PD_FORM_TEXT || f->type == PD_FORM_LONGTEXT)
		json_object_set_new(o, "max", json_integer(pd_form_field_limit(f)));
	const char *v = val(vals, f->key, 0);
	if (v && f->type != PD_FORM_FILE)
		json_object_set_new(o, "value", json_string(v));
	if (f->type == PD_FORM_CHOICE || f->type == PD_FORM_MULTI) {
		json_t *opts = json_array();
		for (int i = 0; i < f->n_options; i++)
			json_array_append_new(opts, json_pack("{s:s,s:s,s:b}", "value", f->options[i], "id",
			                                      pd_arena_printf(r->arena, "f-%s-%d", f->key, i),
			                                      "checked", has_val(vals, f->key, f->options[i])));
		json_object_set_new(o, "options", opts);
	}
	if (f->type == PD_FORM_YESNO) {
		json_object_set_new(o, "is_ya", json_boolean(v && strcmp(v, "ya") == 0));
		json_object_set_new(o, "is_tidak", json_boolean(v && strcmp(v, "tidak") == 0));
	}
	if (f->type == PD_FORM_ADDRESS) {
		if (!*villages)
			*villages = villages_all(r);
		const char *desa = val(vals, pd_arena_printf(r->arena, "%s.desa", f->key), 0);
		const char *jalan = val(vals, pd_arena_printf(r->arena, "%s.jalan", f->key), 0);
		json_object_set_new(o, "villages", villages_marked(*villages, desa));
		json_object_set_new(o, "jalan", json_string(jalan ? jalan : ""));
	}
	if (f->type == PD_FORM_FILE) {
		json_object_set_new(o, "max_kb", json_integer((pd_form_field_limit(f) + 1023) / 1024));
		for (int i = 0; app && i < app->n_files; i++) {
			const struct pd_app_file *af = &app->files[i];
			if (strcmp(af->field_key, f->key) != 0)
				continue;
			json_t *kept = json_pack("{s:s,s:I,s:s}", "href",
			                         pd_arena_printf(r->arena, "/permohonan/%s/berkas/%s", app->id,
			                                         af->id),
			                         "size_kb", (json_int_t)((af->size + 1023) / 1024), "name",
			                         af->filename ? af->filename : pd_req_t(r, N_("Berkas")));
			json_object_set_new(o, "kept", kept);
		}
	}
	return o;
}

json_t *pd_web_form_fields(struct pd_req *r, const struct pd_form *form,
                           const struct pd_form_values *vals, const struct pd_app_errors *errs,
                           const struct pd_application *app)
{
	json_t *fields = json_array();
	json_t *villages = NULL;
	for (int i = 0; i < form->n_fields; i++)
		json_array_append_new(fields,
		                      field_json(r, &form->fields[i], vals, errs, app, &villages));
	json_decref(villages);
	return fields;
}
