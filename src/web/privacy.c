/* The citizen's privacy pages: who read my personal data (/akun/akses, whole as CSV), everything
 * held about me as JSON (/akun/unduh), and erasing my account (/akun/hapus). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/privacy.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/metrics.h"
#include "http/session.h"
#include "web/account_internal.h"
#include "web/common_roles.h"
#include "web/common_time.h"
#include "web/permohonan.h"
#include "web/privacy.h"
#include "web/privacy_areas.h"

#define PAGE 50
#define CSV_MAX (16 * 1024 * 1024)

/* --- shared formatting ------------------------------------------------------------------------ */

/* Who did it, as shown to the citizen: "Petugas · Desa Mekarsari". Arena-owned. */
static const char *who_text(struct pd_req *r, const struct pd_privacy_who *w)
{
	const char *kind = w->kind ? w->kind : "system";
	if (strcmp(kind, "staff") == 0) {
		const char *role = pd_req_t(r, pd_web_role_label(w->role));
		return w->unit_name ? pd_arena_printf(r->arena, "%s · %s", role, w->unit_name) : role;
	}
	if (strcmp(kind, "self") == 0)
		return pd_req_t(r, N_("Anda sendiri"));
	if (strcmp(kind, "operator") == 0)
		return pd_req_t(r, N_("Operator sistem"));
	if (strcmp(kind, "partner") == 0)
		return pd_req_t(r, N_("Mitra (kunci API)"));
	return pd_req_t(r, N_("Sistem"));
}

/* What was read: the account's fields, or the work item handled. Arena-owned. */
static const char *what_text(struct pd_req *r, const struct pd_access_entry *e)
{
	if (e->object_type && strcmp(e->object_type, "account") == 0)
		return pd_req_t(r, N_("Data akun Anda: nama dan desa"));
	if (e->object_type)
		return pd_arena_printf(r->arena, "%s %s", e->object_type, e->object_id ? e->object_id : "");
	return pd_req_t(r, N_("Data pribadi Anda"));
}

/* The purposes the program records itself (domain/nik_desk.h, …): the audit log keeps them in
 * Indonesian and the page translates them; a purpose staff typed is shown as written. */
static const char *const own_purposes[] = {N_("verifikasi NIK")};

static const char *purpose_text(struct pd_req *r, const char *purpose)
{
	for (size_t i = 0; purpose && i < sizeof own_purposes / sizeof own_purposes[0]; i++)
		if (strcmp(purpose, own_purposes[i]) == 0)
			return pd_req_t(r, purpose);
	return purpose ? purpose : "";
}

/* --- /akun/akses ------------------------------------------------------------------------------ */

void pd_web_access(struct pd_req *r)
{
	int64_t before = 0;
	const char *cursor = pd_req_query(r, "sebelum");
	if (cursor && pd_parse_i64(cursor, 1, INT64_MAX, &before)) {
		pd_reply_error(r, PD_E_BAD_REQUEST,
		               pd_req_t(r, N_("Parameter halaman (sebelum) tidak sah.")));
		return;
	}
	struct pd_access_entry *rows = pd_arena_alloc(r->arena, (PAGE + 1) * sizeof *rows);
	int n = 0;
	int rc = pd_privacy_access_list(r->store, r->actor, before, r->arena, rows, PAGE + 1, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	bool more = n > PAGE;
	if (more)
		n = PAGE;
	json_t *entries = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(entries, json_pack("{s:s,s:s,s:s,s:s,s:s}",
		                                         "time", pd_web_local_time(r, rows[i].ts_ms),
		                                         "datetime", pd_web_rfc3339(r->arena, rows[i].ts_ms),
		                                         "who", who_text(r, &rows[i].who),
		                                         "purpose", purpose_text(r, rows[i].purpose),
		                                         "what", what_text(r, &rows[i])));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "entries", entries);
	json_object_set_new(ctx, "later_page", json_boolean(before > 0));
	if (more)
		json_object_set_new(ctx, "older_url", json_string(pd_arena_printf(
			r->arena, "/akun/akses?sebelum=%lld", (long long)rows[n - 1].seq)));
	pd_reply_page(r, 200, "akun/akses", N_("Siapa yang mengakses data saya"), ctx);
}

void pd_web_access_csv(struct pd_req *r)
{
	struct pd_buf b;
	pd_buf_init(&b, CSV_MAX);
	pd_buf_puts(&b, "seq,time,actor,role,unit,unit_name,purpose,object_type,object_id\r\n");
	struct pd_access_entry *rows = pd_arena_alloc(r->arena, PD_PRIVACY_PAGE_MAX * sizeof *rows);
	int64_t before = 0;
	int total = 0;
	/* The whole list, page by page over the keyset. */
	for (;;) {
		int n = 0;
		int rc = pd_privacy_access_list(r->store, r->actor, before, r->arena, rows,
		                                PD_PRIVACY_PAGE_MAX, &n);
		if (rc) {
			pd_buf_free(&b);
			pd_web_reply_rc(r, rc);
			return;
		}
		for (int i = 0; i < n; i++) {
			const struct pd_access_entry *e = &rows[i];
			pd_csv_cell(&b, pd_arena_printf(r->arena, "%lld", (long long)e->seq), false);
			pd_csv_cell(&b, pd_web_rfc3339(r->arena, e->ts_ms), false);
			pd_csv_cell(&b, e->who.kind, false);
			pd_csv_cell(&b, e->who.role, false);
			pd_csv_cell(&b, e->who.unit_slug, false);
			pd_csv_cell(&b, e->who.unit_name, false);
			pd_csv_cell(&b, e->purpose, false);
			pd_csv_cell(&b, e->object_type, false);
			pd_csv_cell(&b, e->object_id, true);
		}
		total += n;
		if (n < PD_PRIVACY_PAGE_MAX || total >= PD_PRIVACY_EXPORT_MAX)
			break;
		before = rows[n - 1].seq;
	}
	pd_reply_header(r, "Content-Disposition", "attachment; filename=\"akses-data-saya.csv\"");
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
}

/* --- /akun/unduh ------------------------------------------------------------------------------ */

/* A JSON string, or null for NULL (and for text that is not UTF-8, which jansson refuses). */
static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : NULL;
	return v ? v : json_null();
}

static json_t *jtime(struct pd_arena *a, int64_t ms)
{
	return ms ? json_string(pd_web_rfc3339(a, ms)) : json_null();
}

static json_t *who_json(const struct pd_privacy_who *w)
{
	json_t *o = json_pack("{s:o}", "kind", jstr(w->kind));
	if (w->kind && strcmp(w->kind, "staff") == 0)
		json_object_set_new(o, "role", jstr(w->role));
	if (w->unit_slug)
		json_object_set_new(o, "unit", json_pack("{s:o,s:o}", "slug", jstr(w->unit_slug),
		                                         "name", jstr(w->unit_name)));
	return o;
}

static json_t *account_json(struct pd_arena *a, const struct pd_privacy_export *x)
{
	const struct pd_account *acc = &x->account;
	json_t *village = json_null();
	if (x->home_village.id)
		village = json_pack("{s:o,s:o}", "slug", jstr(x->home_village.slug), "name",
		                    jstr(x->home_village.name));
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:b}",
	                 "id", jstr(acc->row.id), "kind", jstr(acc->row.kind),
	                 "created_at", jtime(a, acc->row.created_ms),
	                 "name", jstr(acc->name), "email", jstr(acc->email),
	                 "email_verified_at", jtime(a, acc->row.email_verified_ms),
	                 "phone", jstr(acc->phone), "nik", jstr(acc->nik),
	                 "nik_verified", acc->row.nik_verified,
	                 "nik_district", jstr(acc->row.nik_district), "home_village", village,
	                 "language", jstr(acc->row.lang), "disabled", acc->row.disabled);
}

static json_t *grant_json(struct pd_arena *a, const struct pd_grant_row *g)
{
	return json_pack("{s:o,s:o,s:o}", "role", jstr(g->role), "unit", jstr(g->unit_slug),
	                 "created_at", jtime(a, g->created_ms));
}

/* A session without its token hash and CSRF secret. */
static json_t *session_json(struct pd_arena *a, const struct pd_session_row *v)
{
	return json_pack("{s:o,s:o,s:o,s:o}", "id", jstr(v->id),
	                 "created_at", jtime(a, v->created_ms),
	                 "last_seen_at", jtime(a, v->last_seen_ms),
	                 "expires_at", jtime(a, v->expires_ms));
}

static json_t *token_json(struct pd_arena *a, const struct pd_token_row *t)
{
	return json_pack("{s:o,s:o,s:o,s:o}", "kind", jstr(t->kind),
	                 "created_at", jtime(a, t->created_ms),
	                 "expires_at", jtime(a, t->expires_ms), "used_at", jtime(a, t->used_ms));
}

/* A supporting document described, never its bytes (those are at /akun/dokumen/{id}). */
static json_t *document_json(struct pd_arena *a, const struct pd_profile_doc *d)
{
	return json_pack("{s:o,s:o,s:o,s:I,s:o,s:o}", "id", jstr(d->id),
	                 "filename", jstr(d->file.filename), "content_type", jstr(d->file.content_type),
	                 "size", (json_int_t)d->file.size, "note", jstr(d->note),
	                 "created_at", jtime(a, d->file.created_ms));
}

static json_t *access_json(struct pd_arena *a, const struct pd_access_entry *e)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o}", "seq", (json_int_t)e->seq,
	                 "at", jtime(a, e->ts_ms), "by", who_json(&e->who),
	                 "purpose", jstr(e->purpose), "object_type", jstr(e->object_type),
	                 "object_id", jstr(e->object_id));
}

static json_t *event_json(struct pd_arena *a, const struct pd_privacy_event *e)
{
	return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "seq", (json_int_t)e->seq,
	                 "at", jtime(a, e->ts_ms), "action", jstr(e->action),
	                 "by", who_json(&e->who), "object_type", jstr(e->object_type),
	                 "object_id", jstr(e->object_id), "unit_id", jstr(e->unit_id),
	                 "purpose", jstr(e->purpose));
}

/* One application as its owner sees it on /permohonan/{id}: the answers as displayed there
 * (labels of the form version it was filed on, in the reader's language), the files' names
 * (never their bytes: those are at /permohonan/{id}/berkas/{file}) and the timeline. */
static json_t *application_json(struct pd_req *r, const struct pd_application *app,
                                const struct pd_form *form)
{
	struct pd_arena *a = r->arena;
	json_t *answers = json_array(), *files = json_array(), *timeline = json_array();
	struct pd_form_display_row *rows = NULL;
	int nr = 0;
	if (form->n_fields &&
	    pd_form_display(NULL, form, app->answers_json ? app->answers_json : "{}", r->lang, a,
	                    &rows, &nr) == PD_OK)
		for (int i = 0; i < nr; i++)
			if (rows[i].type != PD_FORM_FILE)
				json_array_append_new(answers, json_pack("{s:o,s:o}", "label", jstr(rows[i].label),
				                                         "value", jstr(rows[i].value)));
	for (int i = 0; i < app->n_files; i++) {
		const struct pd_app_file *f = &app->files[i];
		const struct pd_form_field *fl = pd_form_field_find(form, f->field_key);
		json_array_append_new(
			files, json_pack("{s:o,s:o,s:o,s:o,s:I,s:o}", "field",
			                 jstr(fl ? pd_form_field_label(fl, r->lang) : f->field_key),
			                 "filename", jstr(f->filename), "content_type", jstr(f->content_type),
			                 "id", jstr(f->id), "size", (json_int_t)f->size,
			                 "uploaded_at", jtime(a, f->created_ms)));
	}
	for (int i = 0; i < app->n_events; i++) {
		const struct pd_app_event *e = &app->events[i];
		json_array_append_new(
			timeline,
			json_pack("{s:o,s:o,s:o,s:o,s:b,s:o}", "at", jtime(a, e->at_ms), "kind", jstr(e->kind),
			          "label", jstr(pd_req_t(r, pd_web_app_event_label(e->kind))), "status",
			          jstr(pd_app_status_name(e->status_after)), "by_staff", e->by_staff,
			          "note", jstr(e->note)));
	}
	json_t *o = json_pack(
		"{s:o,s:o,s:{s:o,s:o},s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "id", jstr(app->id),
		"tracking", jstr(app->tracking_display), "service", "slug", jstr(app->service_slug),
		"name", jstr(app->service_name), "unit", jstr(app->unit_name), "status",
		jstr(pd_app_status_name(app->status)), "status_label",
		jstr(pd_req_t(r, pd_app_status_label(app->status))), "assisted", app->assisted,
		"created_at", jtime(a, app->created_ms), "submitted_at", jtime(a, app->submitted_ms),
		"due_at", jtime(a, app->due_ms), "decided_at", jtime(a, app->decided_ms),
		"updated_at", jtime(a, app->updated_ms), "note", jstr(app->note));
	if (app->holder_name)
		json_object_set_new(o, "holder_name", jstr(app->holder_name));
	json_object_set_new(o, "document_id", jstr(app->document_id));
	json_object_set_new(o, "answers", answers);
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "timeline", timeline);
	return o;
}

static json_t *export_json(struct pd_req *r, const struct pd_privacy_export *x)
{
	struct pd_arena *a = r->arena;
	json_t *grants = json_array(), *sessions = json_array(), *tokens = json_array();
	json_t *access = json_array(), *events = json_array();
	json_t *documents = json_array(), *applications = json_array();
	for (int i = 0; i < x->n_applications; i++)
		json_array_append_new(applications,
		                      application_json(r, &x->applications[i], &x->forms[i]));
	for (int i = 0; i < x->n_documents; i++)
		json_array_append_new(documents, document_json(a, &x->documents[i]));
	for (int i = 0; i < x->n_grants; i++)
		json_array_append_new(grants, grant_json(a, &x->grants[i]));
	for (int i = 0; i < x->n_sessions; i++)
		json_array_append_new(sessions, session_json(a, &x->sessions[i]));
	for (int i = 0; i < x->n_tokens; i++)
		json_array_append_new(tokens, token_json(a, &x->tokens[i]));
	for (int i = 0; i < x->n_access; i++)
		json_array_append_new(access, access_json(a, &x->access[i]));
	for (int i = 0; i < x->n_events; i++)
		json_array_append_new(events, event_json(a, &x->events[i]));
	json_t *throttle = json_null();
	if (x->throttled)
		throttle = json_pack("{s:I,s:o}", "failures", (json_int_t)x->throttle_failures,
		                     "locked_until", jtime(a, x->throttle_locked_until_ms));
	json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}",
	                      "format", "pendopo.data-export.v1",
	                      "generated_at", jtime(a, pd_clock_now_ms()),
	                      "account", account_json(a, x), "profile",
	                      json_pack("{s:o}", "address", jstr(x->address)), "documents", documents,
	                      "grants", grants, "sessions", sessions,
	                      "one_time_links", tokens, "signin_throttle", throttle,
	                      "access_log", access, "audit_log", events,
	                      "audit_log_truncated", x->truncated);
	if (o) {
		json_object_set_new(o, "applications", applications);
		json_object_set_new(o, "applications_truncated", json_boolean(x->applications_truncated));
	} else {
		json_decref(applications);
	}
	return o;
}

void pd_web_export(struct pd_req *r)
{
	struct pd_privacy_export *x = pd_arena_alloc(r->arena, sizeof *x);
	int rc = pd_privacy_export(r->store, r->app->keys, r->actor, r->arena, x);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct pd_privacy_areas *areas = pd_arena_alloc(r->arena, sizeof *areas);
	rc = pd_privacy_export_areas(r->store, r->app->keys, pd_http_calendar(r), r->actor,
	                             r->arena, areas);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *doc = export_json(r, x);
	if (doc)
		pd_web_privacy_areas_json(r, areas, doc);
	char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
	json_decref(doc);
	if (!text) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	size_t len = strlen(text);
	pd_reply_header(r, "Content-Disposition", "attachment; filename=\"data-saya.json\"");
	pd_reply_bytes(r, 200, "application/json; charset=utf-8", text, len);
	sodium_memzero(text, len);
	free(text);
}

/* --- /akun/hapus ------------------------------------------------------------------------------ */

/* State of one erasure across the password check, the write and the checkpoint. */
struct erase_job {
	const char *hash, *password;
	bool ok;
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	struct pd_store *st;
	struct pd_field_errors errs;
};

static void erase_page(struct pd_req *r, int status, const struct pd_field_errors *errs)
{
	int rc = pd_privacy_may_erase(r->actor);
	if (rc && rc != PD_ERR_FORBIDDEN) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "staff", json_boolean(rc == PD_ERR_FORBIDDEN));
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page(r, status, "akun/hapus", N_("Hapus akun"), ctx);
}

void pd_web_erase_form(struct pd_req *r)
{
	erase_page(r, 200, NULL);
}

static int erase_check(void *p)
{
	struct erase_job *j = p;
	j->ok = pd_password_verify(j->hash, j->password, NULL);
	return PD_OK;
}

static int erase_tx(struct pd_tx *tx, void *p)
{
	struct erase_job *j = p;
	return pd_privacy_erase(tx, j->ks, j->actor);
}

/* Runs on a worker: the checkpoint may wait for readers. */
static int erase_checkpoint(void *p)
{
	struct erase_job *j = p;
	return pd_store_checkpoint(j->st);
}

static void erase_finished(struct pd_req *r, int rc)
{
	if (rc)
		pd_log(PD_LOG_WARN, "erase_checkpoint_incomplete", "err=%s", pd_strerror(rc));
	pd_http_session_cookie_clear(r);
	pd_reply_redirect(r, 303, "/akun/dihapus");
}

static void erase_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_req_offload(r, erase_checkpoint, r->user, erase_finished);
}

static void erase_checked(struct pd_req *r, int rc)
{
	struct erase_job *j = r->user;
	pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!j->ok) {
		pd_field_error(&j->errs, "current", N_("Kata sandi saat ini salah."));
		erase_page(r, 422, &j->errs);
		return;
	}
	pd_req_write(r, erase_tx, j, erase_done);
}

void pd_web_erase(struct pd_req *r)
{
	int rc = pd_privacy_may_erase(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct erase_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->st = r->store;
	j->password = pd_req_form(r, "current");
	if (!j->password || !*j->password)
		pd_field_error(&j->errs, "current", N_("Isi kata sandi saat ini."));
	const char *confirm = pd_req_form(r, "konfirmasi");
	if (!confirm || strcmp(confirm, "ya") != 0)
		pd_field_error(&j->errs, "konfirmasi",
		               N_("Centang kotak ini untuk menyatakan bahwa Anda mengerti penghapusan tidak dapat dibatalkan."));
	if (j->errs.n) {
		erase_page(r, 422, &j->errs);
		return;
	}
	rc = pd_account_password_hash(r->store, r->actor, r->arena, &j->hash);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	r->user = j;
	pd_req_offload(r, erase_check, j, erase_checked);
}

void pd_web_erased(struct pd_req *r)
{
	pd_reply_page(r, 200, "akun/dihapus", N_("Akun telah dihapus"), json_object());
}
