/* The application form: /layanan/{slug}/ajukan (a resumable draft with "Simpan draf", or
 * "Kirim" to submit) and /permohonan/{id}/perbaiki (correct a returned application and send it
 * again). No JavaScript: every field is plain HTML, files are chosen again only to replace the
 * ones already kept, and a refused form comes back with a message beside each field. */
#include "web/permohonan.h"

#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/application.h"
#include "domain/catalogue.h"
#include "domain/form.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_form.h"

/* Form fields of the page itself, never passed on as answers. */
static bool own_field(const char *key)
{
	return key[0] == '_' || strcmp(key, "csrf") == 0 || strcmp(key, "aksi") == 0 ||
	       strcmp(key, "hapus") == 0 || strcmp(key, "versi") == 0;
}

/* What the page shows. */
struct form_page {
	const char *action, *title, *heading;
	bool correcting;
	const char *service_slug, *service_name;
	const struct pd_application *app;  /* the draft or the returned application, or NULL */
	const char *fresh_id;              /* no draft: the id a new application will get */
	const struct pd_form *form;
	struct pd_form_values vals;        /* get NULL: nothing to show */
	const struct pd_app_errors *errs;
};

static void form_page(struct pd_req *r, int status, const struct form_page *p)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "action", json_string(p->action));
	json_object_set_new(ctx, "heading", json_string(p->heading));
	json_object_set_new(ctx, "service", json_pack("{s:s,s:s}", "slug", p->service_slug, "name",
	                                              p->service_name));
	if (p->correcting)
		json_object_set_new(ctx, "correcting", json_true());
	/* The application this page is for, so that sending it twice files it once. */
	json_object_set_new(ctx, "draft_id", json_string(p->app ? p->app->id : p->fresh_id));
	json_object_set_new(ctx, "draft_version",
	                    json_integer(p->app ? (json_int_t)p->app->version : 0));
	if (p->app) {
		json_t *app = json_pack("{s:s,s:I}", "id", p->app->id, "version",
		                        (json_int_t)p->app->version);
		if (p->app->tracking_display)
			json_object_set_new(app, "tracking", json_string(p->app->tracking_display));
		if (p->app->note)
			json_object_set_new(app, "note", json_string(p->app->note));
		if (p->app->status == PD_APP_DRAFT)
			json_object_set_new(app, "updated", json_string(pd_web_app_when(r, p->app->updated_ms)));
		json_object_set_new(ctx, "app", app);
	}
	json_object_set_new(ctx, "fields",
	                    pd_web_form_fields(r, p->form, &p->vals, p->errs, p->app));
	if (status == 200 && pd_req_query(r, "tersimpan"))
		json_object_set_new(ctx, "saved", json_true());
	if (r->actor && !r->actor->email_verified)
		json_object_set_new(ctx, "unverified", json_true());
	if (p->errs && p->errs->n) {
		json_object_set_new(ctx, "has_errors", json_true());
		const char *general = pd_app_error_for(p->errs, "_form");
		if (general)
			json_object_set_new(ctx, "form_error", json_string(pd_req_t(r, general)));
	}
	pd_reply_page_titled(r, status, "permohonan/formulir", p->title, ctx);
}

/* --- /layanan/{slug}/ajukan ------------------------------------------------------------------ */

static void apply_page(struct pd_req *r, int status, const struct pd_app_errors *errs,
                       bool typed)
{
	struct pd_service s;
	int rc = pd_catalogue_get(r->store, r->params[0], r->arena, &s);
	struct pd_form form;
	if (!rc)
		rc = pd_form_current(r->store, s.id, r->arena, &form);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct pd_application draft;
	rc = pd_application_draft(r->store, r->app->keys, r->actor, s.slug, r->arena, &draft);
	if (rc && rc != PD_ERR_NOT_FOUND) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct form_page p = {
		.action = pd_arena_printf(r->arena, "/layanan/%s/ajukan", s.slug),
		.title = pd_arena_printf(r->arena, "%s: %s", pd_req_t(r, N_("Ajukan permohonan")),
		                         s.name),
		.heading = s.name,
		.service_slug = s.slug,
		.service_name = s.name,
		.app = rc ? NULL : &draft,
		.form = &form,
		.errs = errs,
	};
	char fresh[PD_UUID_LEN + 1];
	if (rc) {
		pd_uuid7(fresh);
		p.fresh_id = pd_arena_strdup(r->arena, fresh);
	}
	if (typed) {
		p.vals = pd_web_form_typed(r);
	} else if (!rc && draft.answers_json &&
	           pd_form_values_from_answers(draft.answers_json, r->arena, &p.vals) != PD_OK) {
		p.vals.get = NULL;
	}
	form_page(r, status, &p);
}

void pd_web_apply_form(struct pd_req *r)
{
	apply_page(r, 200, NULL, false);
}

struct apply_job {
	struct pd_app_ctx c;
	struct pd_app_input in;
	struct pd_app_errors errs;
	const char *id;   /* resubmit: the application */
	int64_t version;
	bool invalid;
	bool conflict;    /* sent already (out_id set) or changed elsewhere (errs) */
	char out_id[37];
};

/* Collects the answers, uploads and removals of the request into j->in. */
static void read_request(struct pd_req *r, struct apply_job *j)
{
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	j->in.values = pd_web_form_answers(r, own_field, &j->in.n_values);
	int nu = 0;
	for (const struct pd_upload *u = r->uploads; u; u = u->next)
		nu++;
	struct pd_app_upload *ups = pd_arena_alloc(r->arena, (size_t)(nu + 1) * sizeof *ups);
	nu = 0;
	for (const struct pd_upload *u = r->uploads; u; u = u->next) {
		if (!u->path || !u->field)
			continue;
		ups[nu++] = (struct pd_app_upload){
			u->field, {u->path, u->sniffed_type, (int64_t)u->size, u->filename}};
	}
	j->in.uploads = ups;
	j->in.n_uploads = nu;
	size_t nr = 0;
	const char **rem = pd_kv_get_all(r->arena, &r->form, "hapus", &nr);
	j->in.remove_files = rem;
	j->in.n_remove = (int)nr;
	const char *aksi = pd_req_form(r, "aksi");
	j->in.submit = aksi && strcmp(aksi, "kirim") == 0;
}

static int apply_tx(struct pd_tx *tx, void *p)
{
	struct apply_job *j = p;
	j->invalid = j->conflict = false;
	int rc = pd_application_save(tx, &j->c, &j->in, &j->errs, j->out_id);
	if (rc == PD_ERR_CONFLICT && !pd_tx_error(tx)) {
		j->conflict = true; /* nothing was written */
		return PD_OK;
	}
	if (rc == PD_ERR_INVALID) {
		/* Keep the draft with what was valid (the uploads above all) and show the form
		 * again with the messages. */
		j->invalid = true;
		return PD_OK;
	}
	return rc;
}

static void apply_done(struct pd_req *r, int rc)
{
	struct apply_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->invalid) {
		apply_page(r, 422, &j->errs, true);
		return;
	}
	if (j->conflict && j->out_id[0]) { /* sent already: no second application */
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s", j->out_id));
		return;
	}
	if (j->conflict) {
		apply_page(r, 409, &j->errs, true);
		return;
	}
	if (j->in.submit)
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s?baru=1", j->out_id));
	else
		pd_reply_redirect(r, 303,
		                  pd_arena_printf(r->arena, "/layanan/%s/ajukan?tersimpan=1#formulir",
		                                  r->params[0]));
}

void pd_web_apply(struct pd_req *r)
{
	struct apply_job *j = pd_arena_alloc(r->arena, sizeof *j);
	read_request(r, j);
	j->in.service_slug = r->params[0];
	/* The page's application and version (absent from a form of another make: the draft). */
	const char *draft = pd_req_form(r, "_draf");
	if (draft && *draft) {
		j->in.draft_id = draft;
		const char *vs = pd_req_form(r, "versi");
		if (!vs || pd_parse_i64(vs, 0, INT64_MAX, &j->in.draft_version) != PD_OK)
			j->in.draft_version = -1; /* cannot match */
	}
	r->user = j;
	pd_req_write(r, apply_tx, j, apply_done);
}

/* --- /permohonan/{id}/perbaiki --------------------------------------------------------------- */

/* The actor's own returned application id, or a reply (404 for anyone else's; back to its
 * page when it is not waiting for a correction). */
static bool load_returned(struct pd_req *r, struct pd_application *app, struct pd_form *form)
{
	struct pd_application sum;
	int rc = pd_application_summary(r->store, r->actor, r->params[0], r->arena, &sum);
	if (!rc && (!sum.citizen_account_id || !r->actor ||
	            strcmp(sum.citizen_account_id, r->actor->account_id) != 0))
		rc = PD_ERR_NOT_FOUND;
	if (!rc)
		rc = pd_application_get(r->store, r->app->keys, r->actor, r->params[0], r->arena, app);
	if (!rc && app->status != PD_APP_RETURNED) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s", app->id));
		return false;
	}
	if (!rc)
		rc = pd_form_version(r->store, app->service_id, app->form_version, r->arena, form);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return false;
	}
	return true;
}

static void correct_page(struct pd_req *r, int status, const struct pd_app_errors *errs,
                         bool typed)
{
	struct pd_application app;
	struct pd_form form;
	if (!load_returned(r, &app, &form))
		return;
	struct form_page p = {
		.action = pd_arena_printf(r->arena, "/permohonan/%s/perbaiki", app.id),
		.title = pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Perbaiki permohonan")),
		                         app.tracking_display),
		.heading = app.service_name,
		.correcting = true,
		.service_slug = app.service_slug,
		.service_name = app.service_name,
		.app = &app,
		.form = &form,
		.errs = errs,
	};
	if (typed) {
		p.vals = pd_web_form_typed(r);
	} else if (pd_form_values_from_answers(app.answers_json, r->arena, &p.vals) != PD_OK) {
		p.vals.get = NULL;
	}
	form_page(r, status, &p);
}

void pd_web_correct_form(struct pd_req *r)
{
	correct_page(r, 200, NULL, false);
}

static int correct_tx(struct pd_tx *tx, void *p)
{
	struct apply_job *j = p;
	return pd_application_resubmit(tx, &j->c, j->id, j->version, &j->in, &j->errs);
}

static void correct_done(struct pd_req *r, int rc)
{
	struct apply_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		correct_page(r, 422, &j->errs, true);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s?diperbaiki=1", j->id));
}

void pd_web_correct(struct pd_req *r)
{
	struct apply_job *j = pd_arena_alloc(r->arena, sizeof *j);
	read_request(r, j);
	j->id = r->params[0];
	int64_t v = 0;
	const char *vs = pd_req_form(r, "versi");
	if (vs && pd_parse_i64(vs, 1, INT64_MAX, &v) != PD_OK)
		v = -1; /* a version that cannot match: someone else acted */
	j->version = v;
	r->user = j;
	pd_req_write(r, correct_tx, j, correct_done);
}
