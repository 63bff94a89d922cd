/* Assisted filing at /kantor/layanan/{slug}/ajukan: an officer at a village office (or at the
 * agency's counter) files an application for a citizen without a device, identified by the NIK
 * on the card, with the citizen's consent ticked; the page then shows the tracking number to
 * hand over, which the citizen can later attach to an account with the NIK. The rules are the
 * domain's (pd_application_file_assisted). */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/tracking.h"
#include "domain/account.h"
#include "domain/application.h"
#include "domain/catalogue.h"
#include "domain/form.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_form.h"
#include "web/kantor_permohonan.h"

/* Form fields of the page itself, never passed on as answers. A form field's key starts with a
 * letter (domain/form.h), so names starting with '_' never collide with the service's own
 * fields (many forms ask for a "nik" of their own). */
static const char *const own_fields[] = {"csrf", "_nik", "_nama", "_persetujuan"};

struct assisted_job {
	struct pd_app_ctx c;
	struct pd_app_assisted in;
	struct pd_app_errors errs;
	char id[37];
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
};

static void assisted_page(struct pd_req *r, int status, const struct pd_service *s,
                          const struct pd_app_errors *errs)
{
	struct pd_form form;
	int rc = pd_form_current(r->store, s->id, r->arena, &form);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "service", json_pack("{s:s,s:s,s:s}", "slug", s->slug, "name", s->name,
	                                              "unit", s->unit_name ? s->unit_name : ""));
	/* The domain reports the desk's own fields under "_nik", "_holder_name" and "_consent":
	 * no form field key starts with '_', so a form's own "nik" keeps its own message. What was
	 * typed shows again after a refusal (files are chosen again: none is kept). */
	struct pd_form_values typed = pd_web_form_typed(r);
	json_object_set_new(ctx, "fields", pd_web_form_fields(r, &form, &typed, errs, NULL));
	json_object_set_new(ctx, "refile", json_true());
	json_object_set_new(ctx, "form_version", json_integer(form.version));
	json_object_set_new(ctx, "desk_nik", json_string(pd_web_field(r, "_nik")));
	json_object_set_new(ctx, "desk_nama", json_string(pd_web_field(r, "_nama")));
	if (pd_req_form(r, "_persetujuan"))
		json_object_set_new(ctx, "persetujuan", json_true());
	if (errs && errs->n) {
		json_t *e = json_object();
		static const struct {
			const char *domain, *page;
		} own[] = {{"_nik", "nik"}, {"_holder_name", "nama"}, {"_consent", "persetujuan"},
		           {"_form", "_form"}};
		for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
			const char *m = pd_app_error_for(errs, own[i].domain);
			if (m)
				json_object_set_new(e, own[i].page, json_string(pd_req_t(r, m)));
		}
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	const char *nomor = pd_req_query(r, "nomor");
	char compact[PD_TRACKING_COMPACT_LEN + 1], grouped[PD_TRACKING_GROUPED_LEN + 1];
	if (status == 200 && nomor && pd_tracking_parse(nomor, compact) == PD_OK) {
		pd_tracking_format(compact, grouped);
		json_object_set_new(ctx, "filed", json_pack("{s:s}", "tracking", grouped));
	}
	pd_reply_page_titled(r, status, "kantor/permohonan_bantuan",
	                     pd_arena_printf(r->arena, "%s: %s", pd_req_t(r, N_("Layanan berbantuan")),
	                                     s->name),
	                     ctx);
}

/* The enabled service of the path and the actor's right to the desk (the domain's rule), or a
 * reply. */
static bool service_or_reply(struct pd_req *r, struct pd_service *s)
{
	int rc = pd_application_assist_open(r->store, r->actor, r->params[0], r->arena, s);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return false;
	}
	return true;
}

void pd_web_kantor_assisted_form(struct pd_req *r)
{
	struct pd_service s;
	if (!service_or_reply(r, &s))
		return;
	assisted_page(r, 200, &s, NULL);
}

static int assisted_tx(struct pd_tx *tx, void *p)
{
	struct assisted_job *j = p;
	j->errs.n = 0;
	return pd_application_file_assisted(tx, &j->c, &j->in, &j->errs, j->id, j->tracking);
}

static void assisted_done(struct pd_req *r, int rc)
{
	struct assisted_job *j = r->user;
	if (rc == PD_OK) {
		char grouped[PD_TRACKING_GROUPED_LEN + 1];
		pd_tracking_format(j->tracking, grouped);
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/layanan/%s/ajukan?nomor=%s",
		                                          pd_url_encode(r->arena, r->params[0]), grouped));
		return;
	}
	if (rc == PD_ERR_INVALID || rc == PD_ERR_TOO_LARGE) {
		struct pd_service s;
		if (!service_or_reply(r, &s))
			return;
		if (j->errs.n == 0)
			pd_app_error(&j->errs, "_form", N_("Berkas terlalu besar."));
		assisted_page(r, 422, &s, &j->errs);
		return;
	}
	pd_web_reply_rc(r, rc);
}

static bool own_field(const char *key)
{
	for (size_t i = 0; i < sizeof own_fields / sizeof own_fields[0]; i++)
		if (strcmp(key, own_fields[i]) == 0)
			return true;
	return false;
}

void pd_web_kantor_assisted(struct pd_req *r)
{
	struct assisted_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	int n_values = 0;
	struct pd_app_value *values = pd_web_form_answers(r, own_field, &n_values);
	int n_up = 0;
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		n_up++;
	struct pd_app_upload *ups = pd_arena_alloc(r->arena, (size_t)(n_up + 1) * sizeof *ups);
	n_up = 0;
	for (struct pd_upload *u = r->uploads; u; u = u->next) {
		/* A file input left empty still sends a part with no name and no bytes. */
		if (u->size == 0 && (!u->filename || !*u->filename))
			continue;
		ups[n_up].field_key = u->field;
		ups[n_up].file.path = u->path;
		ups[n_up].file.sniffed_type = u->sniffed_type;
		ups[n_up].file.size = (int64_t)u->size;
		ups[n_up].file.filename = u->filename;
		n_up++;
	}
	const char *consent = pd_req_form(r, "_persetujuan");
	j->in = (struct pd_app_assisted){
		.service_slug = r->params[0],
		.nik = pd_web_field(r, "_nik"),
		.holder_name = pd_web_field(r, "_nama"),
		.consent = consent && strcmp(consent, "ya") == 0,
		.values = values,
		.n_values = n_values,
		.uploads = ups,
		.n_uploads = n_up,
	};
	r->user = j;
	pd_req_write(r, assisted_tx, j, assisted_done);
}
