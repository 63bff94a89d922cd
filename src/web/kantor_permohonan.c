/* The back office's applications: the queue at /kantor/permohonan (filters, due dates on the
 * working-day clock, keyset pages) and one application with its answers, files, timeline,
 * requirements checklist and the officers' steps posted from it. Access is the domain's
 * (domain/application.h); this file only decides which forms to offer. */
#include "web/kantor_permohonan.h"

#include <string.h>
#include <time.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/application.h"
#include "domain/catalogue.h"
#include "domain/form.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_download.h"
#include "web/common_time.h"
#include "web/kantor_common.h"

#define PAGE 25
#define SERVICES_MAX 100

/* --- the queue ------------------------------------------------------------------------------ */

/* The queue's filters as typed (for the form and the links). */
struct queue_filters {
	const char *status;   /* stored name, or NULL: open work */
	const char *layanan;  /* service slug, or NULL */
	bool terlambat, saya;
};

static const char *filter_query(struct pd_req *r, const struct queue_filters *f)
{
	const char *q = "";
	if (f->status)
		q = pd_arena_printf(r->arena, "%sstatus=%s&", q, pd_url_encode(r->arena, f->status));
	if (f->layanan)
		q = pd_arena_printf(r->arena, "%slayanan=%s&", q, pd_url_encode(r->arena, f->layanan));
	if (f->terlambat)
		q = pd_arena_printf(r->arena, "%sterlambat=1&", q);
	if (f->saya)
		q = pd_arena_printf(r->arena, "%ssaya=1&", q);
	return q;
}

/* The status choices of the filter: open work first, then each status but draft. */
static json_t *status_options(struct pd_req *r, const char *selected)
{
	json_t *a = json_array();
	json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", "", "label",
	                                   pd_req_t(r, N_("Belum selesai (diajukan dan diproses)")),
	                                   "selected", selected == NULL));
	for (int s = PD_APP_SUBMITTED; s < PD_APP__MAX; s++) {
		const char *name = pd_app_status_name((enum pd_app_status)s);
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", name, "label",
		                                   pd_req_t(r, pd_app_status_label((enum pd_app_status)s)),
		                                   "selected", selected && strcmp(selected, name) == 0));
	}
	return a;
}

/* The services of the actor's staff grants (enabled ones, from the public catalogue), each
 * once, for the service filter. */
static json_t *service_options(struct pd_req *r, const char *selected)
{
	json_t *a = json_array();
	const struct pd_actor *actor = r->actor;
	for (size_t g = 0; actor && g < actor->n_grants; g++) {
		const struct pd_grant *gr = &actor->grants[g];
		if (gr->role != PD_ROLE_OFFICER && gr->role != PD_ROLE_SUPERVISOR &&
		    gr->role != PD_ROLE_COORDINATOR)
			continue;
		if (!gr->unit_slug)
			continue;
		struct pd_catalogue_query q = {.unit = gr->unit_slug, .limit = SERVICES_MAX};
		struct pd_catalogue_page p;
		if (pd_catalogue_list(r->store, &q, r->arena, &p))
			continue;
		for (int i = 0; i < p.n_items; i++) {
			bool seen = false;
			size_t k;
			json_t *o;
			json_array_foreach(a, k, o)
			{
				if (strcmp(json_string_value(json_object_get(o, "value")), p.items[i].slug) == 0)
					seen = true;
			}
			if (!seen)
				json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", p.items[i].slug,
				                                   "label", p.items[i].name, "selected",
				                                   selected && strcmp(selected, p.items[i].slug) == 0));
		}
	}
	return a;
}

static json_t *queue_row(struct pd_req *r, const struct pd_calendar *cal, int64_t now,
                         const struct pd_application *app)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "id", app->id, "tracking",
	                      app->tracking_display ? app->tracking_display : "", "service",
	                      app->service_name ? app->service_name : "", "status_label",
	                      pd_req_t(r, pd_app_status_label(app->status)), "assisted", app->assisted,
	                      "mine", pd_kantor_is_self(r, app->assigned_to));
	json_object_set_new(o, "status", json_string(pd_app_status_name(app->status)));
	json_object_set_new(o, "due", pd_kantor_due_json(r, cal, now, app));
	json_object_set_new(o, "assignee", json_string(pd_kantor_who(r, app->assigned_to,
	                                                             app->assigned_person,
	                                                             N_("Belum ada"))));
	if (!app->assigned_to)
		json_object_set_new(o, "unassigned", json_true());
	return o;
}

void pd_web_kantor_queue(struct pd_req *r)
{
	struct queue_filters f = {
		.status = pd_kantor_query(r, "status"),
		.layanan = pd_kantor_query(r, "layanan"),
		.terlambat = pd_kantor_query(r, "terlambat") != NULL,
		.saya = pd_kantor_query(r, "saya") != NULL,
	};
	struct pd_app_queue_query q = {
		.status = f.status,
		.service_slug = f.layanan,
		.overdue = f.terlambat,
		.mine = f.saya,
		.after = pd_kantor_query(r, "setelah"),
		.limit = PAGE,
		.ks = r->app->keys, /* the assignees named, in the queue's one transaction */
	};
	struct pd_application *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_application_queue(r->store, r->actor, &q, r->arena, rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Saringan atau parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	const struct pd_calendar *cal = pd_http_calendar(r);
	int64_t now = pd_clock_now_ms();
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, queue_row(r, cal, now, &rows[i]));
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "n_items", json_integer(n));
	json_t *filters = json_pack("{s:o,s:o,s:b,s:b}", "statuses", status_options(r, f.status),
	                            "services", service_options(r, f.layanan), "terlambat",
	                            f.terlambat, "saya", f.saya);
	json_object_set_new(ctx, "filters", filters);
	pd_kantor_page_links(r, ctx, "/kantor/permohonan", filter_query(r, &f), next, q.after);
	bool supervisor = pd_authz_has_role(r->actor, PD_ROLE_SUPERVISOR, NULL);
	if (supervisor)
		json_object_set_new(ctx, "supervisor", json_true());
	if (f.terlambat)
		json_object_set_new(ctx, "overdue_view", json_true());
	pd_reply_page(r, 200, "kantor/permohonan_antrian",
	              f.terlambat ? N_("Permohonan yang terlambat") : N_("Antrean permohonan"), ctx);
}

/* --- one application ------------------------------------------------------------------------ */

/* The steps of the back office, in the order of the route table. */
enum step { STEP_VIEW, STEP_CLAIM, STEP_ASSIGN, STEP_CHECK, STEP_RETURN, STEP_APPROVE, STEP_REJECT };

/* One request's work: the step posted (if any), then the page's data. */
struct app_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	struct pd_app_ctx c;
	const char *id;
	const char *lang;
	struct pd_arena *a;
	enum step step;
	int64_t version;
	const char *text;          /* the note, the reason, or the assignee's account id */
	bool done[PD_APP_CHECKLIST_MAX];
	int n_done;
	/* after a refused step: the page again, with the message beside the field */
	int status;
	struct pd_app_errors errs;
	/* the page's data */
	struct pd_application app;
	struct pd_app_person assignees[PD_APP_ASSIGNEES_MAX];
	int n_assignees;
	bool may_assign;           /* the supervisor's choice of assignees is offered */
	struct pd_form form;
	struct pd_form_display_row *rows;
	int n_rows;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct app_job *j = p;
	memset(&j->app, 0, sizeof j->app);
	int rc = pd_application_get_tx(tx, j->ks, j->actor, j->id, j->a, &j->app);
	if (rc)
		return rc;
	/* The answers are read with the form version they were filed on, never the newest. */
	rc = pd_form_version_tx(tx, j->app.service_id, j->app.form_version, j->a, &j->form);
	if (rc)
		return rc;
	/* The supervisor's choice of assignees, in the same transaction. */
	j->n_assignees = 0;
	j->may_assign = false;
	if (j->app.status == PD_APP_SUBMITTED || j->app.status == PD_APP_PROCESSING) {
		rc = pd_application_assignees_tx(tx, j->ks, j->actor, j->id, j->a, j->assignees,
		                                 PD_APP_ASSIGNEES_MAX, &j->n_assignees);
		if (rc && rc != PD_ERR_FORBIDDEN)
			return rc;
		j->may_assign = rc == PD_OK;
	}
	return pd_form_display(tx, &j->form, j->app.answers_json ? j->app.answers_json : "{}", j->lang,
	                       j->a, &j->rows, &j->n_rows);
}

static const struct pd_app_file *file_of(const struct pd_application *app, const char *key)
{
	for (int i = 0; i < app->n_files; i++)
		if (app->files[i].field_key && strcmp(app->files[i].field_key, key) == 0)
			return &app->files[i];
	return NULL;
}

static json_t *file_json(struct pd_req *r, const struct pd_application *app,
                         const struct pd_app_file *f)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "url",
	                      pd_arena_printf(r->arena, "/kantor/permohonan/%s/berkas/%s", app->id, f->id),
	                      "name", f->filename && *f->filename ? f->filename : pd_arena_printf(r->arena, "berkas%s", f->ext ? f->ext : ""),
	                      "size", pd_kantor_size(r, f->size));
	json_object_set_new(o, "field", json_string(f->field_key ? f->field_key : ""));
	return o;
}

static json_t *answers_json(struct pd_req *r, const struct app_job *j)
{
	json_t *a = json_array();
	for (int i = 0; i < j->n_rows; i++) {
		const struct pd_form_display_row *row = &j->rows[i];
		json_t *o = json_pack("{s:s}", "label", row->label ? row->label : row->key);
		if (row->type == PD_FORM_FILE) {
			const struct pd_app_file *f = file_of(&j->app, row->key);
			if (f)
				json_object_set_new(o, "file", file_json(r, &j->app, f));
		} else if (row->n_values > 0) {
			json_t *vals = json_array();
			for (int k = 0; k < row->n_values; k++)
				json_array_append_new(vals, json_string(row->values[k]));
			json_object_set_new(o, "values", vals);
		} else if (row->value && *row->value) {
			json_object_set_new(o, "value", json_string(row->value));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static const char *event_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"created", N_("Draf dibuat")},
		{"submitted", N_("Diajukan")},
		{"claimed", N_("Diambil oleh petugas")},
		{"assigned", N_("Ditugaskan kepada petugas")},
		{"checked", N_("Persyaratan diperiksa")},
		{"returned", N_("Dikembalikan kepada pemohon untuk diperbaiki")},
		{"resubmitted", N_("Diajukan kembali setelah diperbaiki")},
		{"approved", N_("Disetujui; dokumen diterbitkan")},
		{"rejected", N_("Ditolak")},
		{"attached", N_("Ditautkan ke akun warga")},
		{"overdue", N_("Melewati tenggat")},
	};
	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind ? kind : "";
}

/* The timeline with the staff named (the domain resolved them with the application). */
static json_t *timeline_json(struct pd_req *r, const struct pd_app_event *ev, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++) {
		const struct pd_app_event *e = &ev[i];
		const char *who = !e->actor_id   ? pd_req_t(r, N_("Sistem"))
		                  : !e->by_staff ? pd_req_t(r, N_("Pemohon"))
		                                 : pd_kantor_who(r, e->actor_id, e->actor, N_("Sistem"));
		json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "time", pd_web_local_time(r, e->at_ms),
		                      "who", who, "what", pd_req_t(r, event_label(e->kind)), "kind",
		                      e->kind ? e->kind : "");
		if (e->by_staff && e->actor && e->actor->role)
			json_object_set_new(o, "who_role", json_string(pd_kantor_role_unit(r, e->actor)));
		if (e->note && *e->note)
			json_object_set_new(o, "note", json_string(e->note));
		if (e->assignee_id)
			json_object_set_new(o, "assignee", json_string(pd_kantor_who(r, e->assignee_id,
			                                                             e->assignee,
			                                                             N_("Belum ada"))));
		json_array_append_new(a, o);
	}
	return a;
}

/* The supervisor's choice: the actor first ("Saya sendiri"), then the others by name, each
 * with role and unit; the typed one (after a refusal) selected. */
static json_t *assignees_json(struct pd_req *r, const struct app_job *j, const char *typed)
{
	json_t *a = json_array();
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < j->n_assignees; i++) {
			const struct pd_app_person *p = &j->assignees[i];
			bool self = pd_kantor_is_self(r, p->account_id);
			if (self != (pass == 0))
				continue;
			const char *name = p->name && *p->name ? p->name : pd_kantor_role_unit(r, p);
			const char *label =
			        self ? pd_arena_printf(r->arena, "%s (%s)", pd_req_t(r, N_("Saya sendiri")), name)
			             : pd_arena_printf(r->arena, "%s — %s", name, pd_kantor_role_unit(r, p));
			json_t *o = json_pack("{s:s,s:s,s:b}", "id", p->account_id, "label", label,
			                      "selected", typed && strcmp(typed, p->account_id) == 0);
			if (j->app.assigned_to && strcmp(j->app.assigned_to, p->account_id) == 0)
				json_object_set_new(o, "current", json_true());
			json_array_append_new(a, o);
		}
	return a;
}

/* Which steps the actor may take now (the domain decides again when one is posted). */
static json_t *actions_json(struct pd_req *r, const struct pd_application *app)
{
	struct pd_authz_object obj = {NULL, app->unit_path};
	bool work = pd_authz(r->actor, PD_ACT_CASE_WORK, &obj) == PD_OK;
	bool assign = pd_authz(r->actor, PD_ACT_CASE_ASSIGN, &obj) == PD_OK;
	bool decide = app->status == PD_APP_PROCESSING &&
	              (assign || (work && pd_kantor_is_self(r, app->assigned_to)));
	json_t *o = json_object();
	if (work && app->status == PD_APP_SUBMITTED)
		json_object_set_new(o, "ambil", json_true());
	if (assign && (app->status == PD_APP_SUBMITTED || app->status == PD_APP_PROCESSING))
		json_object_set_new(o, "tugaskan", json_true());
	if (decide) {
		json_object_set_new(o, "periksa", json_true());
		json_object_set_new(o, "kembalikan", json_true());
		json_object_set_new(o, "setujui", json_true());
		json_object_set_new(o, "tolak", json_true());
	}
	if (json_object_size(o))
		json_object_set_new(o, "any", json_true());
	return o;
}

static json_t *checklist_json(struct pd_req *r, const struct app_job *j)
{
	/* The read gave the checklist (stored snapshot or the service's requirements). */
	struct pd_app_check_item *items = j->app.checklist;
	int n = j->app.n_checklist;
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i,s:s,s:b}", "i", i, "label", items[i].label,
		                                   "done", items[i].done));
	return a;
}

/* The form field of the page that a domain error field belongs to (step: enum step). */
static const char *form_field(int step, const char *field)
{
	if (strcmp(field, "note") == 0 || strcmp(field, "catatan") == 0)
		return step == STEP_APPROVE ? "catatan_setuju" : "catatan";
	if (strcmp(field, "reason") == 0)
		return "alasan";
	if (strcmp(field, "assignee") == 0)
		return "petugas";
	return field;
}

static void render_app(struct pd_req *r, struct app_job *j)
{
	const struct pd_application *app = &j->app;
	const struct pd_calendar *cal = pd_http_calendar(r);
	int64_t now = pd_clock_now_ms();
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:b}", "id", app->id, "tracking",
	                      app->tracking_display ? app->tracking_display : "", "service",
	                      app->service_name ? app->service_name : "", "service_slug",
	                      app->service_slug ? app->service_slug : "", "unit",
	                      app->unit_name ? app->unit_name : "", "status_label",
	                      pd_req_t(r, pd_app_status_label(app->status)), "version",
	                      (json_int_t)app->version, "form_version", (json_int_t)app->form_version,
	                      "assisted", app->assisted);
	json_object_set_new(o, "status", json_string(pd_app_status_name(app->status)));
	json_object_set_new(o, "due", pd_kantor_due_json(r, cal, now, app));
	if (app->submitted_ms)
		json_object_set_new(o, "submitted", json_string(pd_web_local_time(r, app->submitted_ms)));
	if (app->decided_ms)
		json_object_set_new(o, "decided", json_string(pd_web_local_time(r, app->decided_ms)));
	if (app->assisted) {
		if (app->holder_name)
			json_object_set_new(o, "holder_name", json_string(app->holder_name));
		if (app->consent_ms)
			json_object_set_new(o, "consent", json_string(pd_web_local_time(r, app->consent_ms)));
		json_object_set_new(o, "assisted_by", json_string(pd_kantor_who(r, app->assisted_by,
		                                                                app->assisted_person,
		                                                                N_("Sistem"))));
		if (!app->citizen_account_id)
			json_object_set_new(o, "unattached", json_true());
	}
	json_object_set_new(o, "assignee", json_string(pd_kantor_who(r, app->assigned_to,
	                                                             app->assigned_person,
	                                                             N_("Belum ada"))));
	if (app->assigned_person && app->assigned_person->role)
		json_object_set_new(o, "assignee_role",
		                    json_string(pd_kantor_role_unit(r, app->assigned_person)));
	if (!app->assigned_to)
		json_object_set_new(o, "unassigned", json_true());
	if (app->note && *app->note)
		json_object_set_new(o, app->status == PD_APP_REJECTED ? "reason" : "note",
		                    json_string(app->note));
	if (app->document_id)
		json_object_set_new(o, "document_id", json_string(app->document_id));
	if (app->paused_days)
		json_object_set_new(o, "paused_days", json_integer(app->paused_days));
	json_object_set_new(o, "sla_days", json_integer(app->sla_days));

	json_t *ctx = json_object();
	json_object_set_new(ctx, "app", o);
	json_object_set_new(ctx, "answers", answers_json(r, j));
	json_t *files = json_array();
	for (int i = 0; i < app->n_files; i++)
		json_array_append_new(files, file_json(r, app, &app->files[i]));
	json_object_set_new(ctx, "files", files);

	/* The timeline came with the application, in the page's one transaction. */
	json_object_set_new(ctx, "timeline", timeline_json(r, app->events, app->n_events));
	json_t *checklist = checklist_json(r, j);
	json_object_set_new(ctx, "n_checklist", json_integer((json_int_t)json_array_size(checklist)));
	json_object_set_new(ctx, "checklist", checklist);
	json_t *actions = actions_json(r, app);
	if (!j->may_assign) { /* the domain decides who may assign; the list is its answer */
		json_object_del(actions, "tugaskan");
		if (json_object_size(actions) == 1)
			json_object_del(actions, "any");
	} else
		json_object_set_new(ctx, "assignees",
		                    assignees_json(r, j, j->status == 422 && j->step == STEP_ASSIGN
		                                                 ? j->text
		                                                 : NULL));
	json_object_set_new(ctx, "actions", actions);
	if (j->status == 422) {
		json_object_set_new(ctx, "errors",
		                    pd_kantor_errors_json(r, &j->errs, form_field, (int)j->step));
		json_object_set_new(ctx, "has_errors", json_true());
		const char *field = form_field(j->step, j->step == STEP_REJECT   ? "reason"
		                                        : j->step == STEP_ASSIGN ? "assignee"
		                                                                 : "note");
		json_object_set_new(ctx, "typed", json_pack("{s:s}", field, j->text ? j->text : ""));
	}
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	pd_reply_page_titled(r, j->status ? j->status : 200, "kantor/permohonan",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Permohonan")),
	                                     app->tracking_display ? app->tracking_display : ""),
	                     ctx);
}

static void view_done(struct pd_req *r, int rc)
{
	struct app_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	render_app(r, j);
}

static struct app_job *new_job(struct pd_req *r, enum step step)
{
	struct app_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->id = r->params[0];
	j->lang = r->lang ? r->lang : "id";
	j->a = r->arena;
	j->step = step;
	pd_kantor_step_ctx(r, &j->c);
	r->user = j;
	return j;
}

void pd_web_kantor_app(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct app_job *j = new_job(r, STEP_VIEW);
	/* A staff read of personal data is recorded in the same transaction that returns it. */
	pd_req_write(r, view_tx, j, view_done);
}

/* --- the steps ------------------------------------------------------------------------------- */

static int step_tx(struct pd_tx *tx, void *p)
{
	struct app_job *j = p;
	j->errs.n = 0;
	switch (j->step) {
	case STEP_CLAIM:
		return pd_application_claim(tx, &j->c, j->id, j->version);
	case STEP_ASSIGN:
		return pd_application_assign(tx, &j->c, j->id, j->version, j->text);
	case STEP_CHECK:
		return pd_application_check(tx, &j->c, j->id, j->version, j->done, j->n_done);
	case STEP_RETURN:
		return pd_application_return(tx, &j->c, j->id, j->version, j->text, &j->errs);
	case STEP_APPROVE:
		return pd_application_approve(tx, &j->c, j->id, j->version, j->text, &j->errs);
	case STEP_REJECT:
		return pd_application_reject(tx, &j->c, j->id, j->version, j->text, &j->errs);
	default:
		return PD_ERR_INVALID;
	}
}

static void step_done(struct pd_req *r, int rc)
{
	struct app_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/permohonan/%s?ok=1", j->id));
		return;
	}
	if (rc == PD_ERR_CONFLICT || (rc == PD_ERR_INVALID && j->step == STEP_CHECK)) {
		/* A checklist of another length: the requirements changed since the page was shown. */
		pd_kantor_conflict_page(r, N_("Orang lain sudah menangani permohonan ini lebih dulu, atau statusnya sudah berubah. Buka lagi permohonannya untuk melihat keadaan terbarunya sebelum bertindak."),
		                        pd_arena_printf(r->arena, "/kantor/permohonan/%s", j->id),
		                        N_("Buka lagi permohonan ini"));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		if (j->step == STEP_ASSIGN && !pd_app_error_for(&j->errs, "petugas"))
			pd_app_error(&j->errs, "petugas",
			             N_("Pilih petugas yang bertugas di unit pemilik layanan ini."));
		if (j->errs.n == 0)
			pd_app_error(&j->errs, "_form", N_("Langkah ini tidak dapat dicatat dengan isian tersebut."));
		j->status = 422;
		pd_req_write(r, view_tx, j, view_done);
		return;
	}
	pd_web_reply_rc(r, rc);
}

static void post_step(struct pd_req *r, enum step step)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct app_job *j = new_job(r, step);
	if (!pd_kantor_form_version(r, &j->version, N_("Versi permohonan (versi) tidak ada atau tidak sah.")))
		return;
	switch (step) {
	case STEP_ASSIGN:
		j->text = pd_web_field(r, "petugas");
		break;
	case STEP_RETURN:
	case STEP_APPROVE:
		j->text = pd_web_field(r, "catatan");
		if (step == STEP_APPROVE && !*j->text)
			j->text = NULL; /* optional */
		break;
	case STEP_REJECT:
		j->text = pd_web_field(r, "alasan");
		break;
	case STEP_CHECK: {
		const char *n = pd_req_form(r, "jumlah");
		int64_t count;
		if (!n || pd_parse_i64(n, 0, PD_APP_CHECKLIST_MAX, &count) != PD_OK) {
			pd_reply_error(r, PD_E_BAD_REQUEST, N_("Jumlah persyaratan (jumlah) tidak sah."));
			return;
		}
		j->n_done = (int)count;
		size_t n_ticked = 0;
		const char **ticked = pd_kv_get_all(r->arena, &r->form, "syarat", &n_ticked);
		for (size_t i = 0; i < n_ticked; i++) {
			int64_t k;
			if (pd_parse_i64(ticked[i], 0, count - 1, &k) != PD_OK) {
				pd_reply_error(r, PD_E_BAD_REQUEST, N_("Nomor persyaratan (syarat) tidak sah."));
				return;
			}
			j->done[k] = true;
		}
		break;
	}
	default:
		break;
	}
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_app_claim(struct pd_req *r)
{
	post_step(r, STEP_CLAIM);
}

void pd_web_kantor_app_assign(struct pd_req *r)
{
	post_step(r, STEP_ASSIGN);
}

void pd_web_kantor_app_check(struct pd_req *r)
{
	post_step(r, STEP_CHECK);
}

void pd_web_kantor_app_return(struct pd_req *r)
{
	post_step(r, STEP_RETURN);
}

void pd_web_kantor_app_approve(struct pd_req *r)
{
	post_step(r, STEP_APPROVE);
}

void pd_web_kantor_app_reject(struct pd_req *r)
{
	post_step(r, STEP_REJECT);
}

/* --- files ----------------------------------------------------------------------------------- */

/* The file of a staff download: the read is recorded in a durable write first (the connection
 * suspended, no pool thread waiting for the writer), then the file is read and sent. */
struct file_job {
	const struct pd_actor *actor;
	const char *id, *file_id;
};

static int file_record_tx(struct pd_tx *tx, void *p)
{
	struct file_job *j = p;
	return pd_application_file_record_tx(tx, j->actor, j->id, j->file_id);
}

static void file_recorded(struct pd_req *r, int rc)
{
	struct file_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct pd_buf file;
	pd_buf_init(&file, PD_ATTACHMENT_MAX_BYTES + 1);
	struct pd_app_file info;
	memset(&info, 0, sizeof info);
	rc = pd_application_file_read_recorded(r->store, r->app->keys, j->actor, j->id, j->file_id,
	                                       r->arena, &info, pd_web_download_collect, &file);
	pd_web_download_reply(r, rc, &file, "file", j->file_id, "berkas", info.id, info.ext,
	                      info.content_type);
}

void pd_web_kantor_app_file(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct file_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct file_job){r->actor, r->params[0], r->params[1]};
	r->user = j;
	pd_req_write(r, file_record_tx, j, file_recorded);
}
