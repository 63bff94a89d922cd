/* "Permohonan saya": the citizen's applications (keyset paged), one application with its
 * answers, files, timeline, due date, document and survey links, the receipt PDF, file and
 * document downloads, attaching an application filed with an officer's help, and the portal
 * notifications. Only the owner sees these pages: anyone else gets 404. */
#include "web/permohonan.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/application.h"
#include "domain/complaint_handle.h"
#include "domain/inforeq.h"
#include "domain/document.h"
#include "domain/form.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "render/pdf.h"
#include "web/account_internal.h"
#include "web/common_download.h"
#include "web/informasi.h"
#include "web/kantor_common.h"
#include "web/pengaduan.h"

#define PAGE 20

static int tz_min(struct pd_req *r)
{
	return r->app->cfg ? r->app->cfg->tz_offset_min : 420;
}

static const char *tz_name(int off)
{
	return off == 420 ? "WIB" : off == 480 ? "WITA" : off == 540 ? "WIT" : "UTC";
}

const char *pd_web_app_when(struct pd_req *r, int64_t ms)
{
	if (!ms)
		return "";
	int off = tz_min(r);
	time_t t = (time_t)(ms / 1000 + (int64_t)off * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[48];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	return pd_arena_printf(r->arena, "%s %s", buf, tz_name(off));
}

const char *pd_web_app_date(struct pd_req *r, int64_t ms)
{
	if (!ms)
		return "";
	time_t t = (time_t)(ms / 1000 + (int64_t)tz_min(r) * 60);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[16];
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	return pd_arena_strdup(r->arena, buf);
}

/* The absolute base of links that leave the site (mail, QR), without a trailing '/'. */
static const char *public_base(struct pd_req *r)
{
	const char *u = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : "";
	size_t n = strlen(u);
	while (n && u[n - 1] == '/')
		n--;
	return pd_arena_strndup(r->arena, u, n);
}

/* The actor's own application id (summary only), or PD_ERR_NOT_FOUND. */
static int own_summary(struct pd_req *r, struct pd_application *app)
{
	int rc = pd_application_summary(r->store, r->actor, r->params[0], r->arena, app);
	if (!rc && (!app->citizen_account_id || !r->actor ||
	            strcmp(app->citizen_account_id, r->actor->account_id) != 0))
		rc = PD_ERR_NOT_FOUND;
	return rc;
}

static json_t *app_json(struct pd_req *r, const struct pd_application *a)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", a->id, "status",
	                      pd_app_status_name(a->status), "status_label",
	                      pd_req_t(r, pd_app_status_label(a->status)), "service_name",
	                      a->service_name, "service_slug", a->service_slug);
	json_object_set_new(o, "unit_name", json_string(a->unit_name ? a->unit_name : ""));
	if (a->tracking_display)
		json_object_set_new(o, "tracking", json_string(a->tracking_display));
	if (a->submitted_ms)
		json_object_set_new(o, "submitted", json_string(pd_web_app_when(r, a->submitted_ms)));
	if (a->due_ms && !pd_app_status_final(a->status))
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, a->due_ms)));
	if (a->decided_ms)
		json_object_set_new(o, "decided", json_string(pd_web_app_when(r, a->decided_ms)));
	json_object_set_new(o, "updated", json_string(pd_web_app_when(r, a->updated_ms)));
	json_object_set_new(o, "created", json_string(pd_web_app_when(r, a->created_ms)));
	if (a->overdue && !pd_app_status_final(a->status))
		json_object_set_new(o, "overdue", json_true());
	if (a->assisted)
		json_object_set_new(o, "assisted", json_true());
	json_object_set_new(o, pd_arena_printf(r->arena, "is_%s", pd_app_status_name(a->status)),
	                    json_true());
	if (pd_app_status_final(a->status))
		json_object_set_new(o, "final", json_true());
	return o;
}

/* --- the list -------------------------------------------------------------------------------- */

/* True when a page of a list was read (rc PD_OK), else queues the reply: 400 for a bad page
 * cursor (PD_ERR_INVALID), the error's page otherwise. */
static bool page_ok_or_reply(struct pd_req *r, int rc)
{
	if (rc == PD_ERR_INVALID)
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
	else if (rc)
		pd_web_reply_rc(r, rc);
	return rc == PD_OK;
}

/* Renders /permohonan; attach_error (a msgid) after a refused attach, with the typed number;
 * attach_field "akun-nik" when the account itself lacks a NIK (the message links to /akun#nik). */
static void list_page(struct pd_req *r, int status, const char *attach_error,
                      const char *attach_field)
{
	struct pd_application *items = pd_arena_alloc(r->arena, PAGE * sizeof *items);
	int n = 0;
	const char *next = NULL;
	int rc = pd_application_list_mine(r->store, r->actor, pd_req_query(r, "setelah"), PAGE,
	                                  r->arena, items, &n, &next);
	if (!page_ok_or_reply(r, rc))
		return;
	json_t *ctx = json_object();
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, app_json(r, &items[i]));
	json_object_set_new(ctx, "items", list);
	if (next)
		json_object_set_new(ctx, "next", json_string(next));
	if (pd_req_query(r, "setelah"))
		json_object_set_new(ctx, "paged", json_true());
	if (attach_error) {
		json_object_set_new(ctx, "attach_error", json_string(pd_req_t(r, attach_error)));
		json_object_set_new(ctx, "attach_field", json_string(attach_field));
		/* The account holds no NIK: the refusal links to the form on /akun that adds one. */
		json_object_set_new(ctx, "attach_add_nik",
		                    json_boolean(strcmp(attach_field, "akun-nik") == 0));
		json_object_set_new(ctx, "nomor", json_string(pd_web_field(r, "nomor")));
	}
	pd_reply_page(r, status, "permohonan/index", N_("Permohonan saya"), ctx);
}

void pd_web_applications(struct pd_req *r)
{
	list_page(r, 200, NULL, NULL);
}

/* --- one application ------------------------------------------------------------------------- */

const char *pd_web_app_event_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"created", N_("Draf dibuat")},
		{"submitted", N_("Permohonan diajukan")},
		{"claimed", N_("Mulai diproses petugas")},
		{"assigned", N_("Ditugaskan kepada petugas")},
		{"checked", N_("Persyaratan diperiksa")},
		{"returned", N_("Dikembalikan untuk diperbaiki")},
		{"resubmitted", N_("Perbaikan dikirim")},
		{"approved", N_("Disetujui")},
		{"rejected", N_("Ditolak")},
		{"attached", N_("Ditautkan ke akun Anda")},
		{"overdue", N_("Melewati batas waktu")},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind;
}

void pd_web_application(struct pd_req *r)
{
	struct pd_application app;
	int rc = own_summary(r, &app);
	if (!rc)
		rc = pd_application_get(r->store, r->app->keys, r->actor, r->params[0], r->arena, &app);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *a = app_json(r, &app);
	if (app.note)
		json_object_set_new(a, "note", json_string(app.note));
	if (app.document_id)
		json_object_set_new(a, "document", json_true());
	json_object_set_new(a, "version", json_integer(app.version));
	json_object_set_new(ctx, "app", a);

	/* The answers, shown with the form version they were given on. */
	struct pd_form form;
	if (pd_form_version(r->store, app.service_id, app.form_version, r->arena, &form) == PD_OK) {
		struct pd_form_display_row *rows = NULL;
		int nr = 0;
		if (pd_form_display(NULL, &form, app.answers_json, r->lang, r->arena, &rows, &nr) ==
		    PD_OK) {
			json_t *answers = json_array();
			for (int i = 0; i < nr; i++) {
				if (rows[i].type == PD_FORM_FILE)
					continue;
				json_array_append_new(answers, json_pack("{s:s,s:s}", "label", rows[i].label,
				                                         "value", rows[i].value ? rows[i].value : ""));
			}
			json_object_set_new(ctx, "answers", answers);
		}
		json_t *files = json_array();
		for (int i = 0; i < app.n_files; i++) {
			const struct pd_form_field *f = pd_form_field_find(&form, app.files[i].field_key);
			json_array_append_new(
			        files,
			        json_pack("{s:s,s:s,s:s,s:I}", "label",
			                  f ? pd_form_field_label(f, r->lang) : app.files[i].field_key, "name",
			                  app.files[i].filename ? app.files[i].filename
			                                        : pd_req_t(r, N_("Berkas")),
			                  "href",
			                  pd_arena_printf(r->arena, "/permohonan/%s/berkas/%s", app.id,
			                                  app.files[i].id),
			                  "size_kb", (json_int_t)((app.files[i].size + 1023) / 1024)));
		}
		json_object_set_new(ctx, "files", files);
	}
	json_t *events = json_array();
	for (int i = 0; i < app.n_events; i++) {
		const struct pd_app_event *e = &app.events[i];
		json_t *ev = json_pack("{s:s,s:s}", "when", pd_web_app_when(r, e->at_ms), "label",
		                       pd_req_t(r, pd_web_app_event_label(e->kind)));
		if (e->note)
			json_object_set_new(ev, "note", json_string(e->note));
		/* The office, never the officer's name (domain/application.h: the citizen reads
		 * role and unit; the domain does not even open the name for the owner). */
		if (e->by_staff)
			json_object_set_new(ev, "by_staff", json_string(pd_kantor_role_unit(r, e->actor)));
		json_array_append_new(events, ev);
	}
	json_object_set_new(ctx, "events", events);
	if (pd_req_query(r, "baru") && app.status != PD_APP_DRAFT)
		json_object_set_new(ctx, "new", json_true());
	if (pd_req_query(r, "diperbaiki"))
		json_object_set_new(ctx, "corrected", json_true());
	if (pd_req_query(r, "ditautkan"))
		json_object_set_new(ctx, "attached", json_true());
	const char *title = app.tracking_display
	                            ? pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Permohonan")),
	                                              app.tracking_display)
	                            : pd_arena_printf(r->arena, "%s: %s", pd_req_t(r, N_("Draf")),
	                                              app.service_name);
	pd_reply_page_titled(r, 200, "permohonan/detail", title, ctx);
}

/* --- the receipt ----------------------------------------------------------------------------- */

void pd_web_application_receipt(struct pd_req *r)
{
	struct pd_application app;
	int rc = own_summary(r, &app);
	if (!rc && app.status == PD_APP_DRAFT)
		rc = PD_ERR_NOT_FOUND;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	const char *base = public_base(r);
	struct pd_pdf_row rows[] = {
		{pd_req_t(r, N_("Nomor permohonan")), app.tracking_display},
		{pd_req_t(r, N_("Layanan")), app.service_name},
		{pd_req_t(r, N_("Unit pelayanan")), app.unit_name},
		{pd_req_t(r, N_("Diajukan")), pd_web_app_when(r, app.submitted_ms)},
		{pd_req_t(r, N_("Batas waktu penyelesaian")), pd_web_app_date(r, app.due_ms)},
		{pd_req_t(r, N_("Waktu penyelesaian")),
		 pd_arena_printf(r->arena, "%lld %s", (long long)app.sla_days,
		                 pd_req_t(r, N_("hari kerja")))},
	};
	const char *url = pd_arena_printf(r->arena, "%s/lacak/%s", base, app.tracking_display);
	const char *paras[] = {
		pd_req_t(r, N_("Simpan tanda terima ini. Dengan nomor permohonan, siapa pun dapat melihat status permohonan ini (tanpa data pribadi) di halaman Lacak.")),
		pd_req_t(r, N_("Batas waktu dihitung dalam hari kerja dan bergeser bila permohonan dikembalikan kepada Anda untuk diperbaiki.")),
		url,
	};
	struct pd_pdf_spec spec = {
		.title = pd_req_t(r, N_("Tanda terima permohonan")),
		.subtitle = app.unit_name,
		.rows = rows,
		.n_rows = (int)(sizeof rows / sizeof rows[0]),
		.paragraphs = paras,
		.n_paragraphs = 3,
		.qr_url = *base ? url : NULL,
		.qr_caption = *base ? pd_req_t(r, N_("Pindai untuk melihat status permohonan.")) : NULL,
		.footer = r->app->site_name,
	};
	struct pd_buf pdf;
	pd_buf_init(&pdf, 4 * 1024 * 1024);
	rc = pd_pdf_render(&spec, &pdf);
	if (rc) {
		pd_buf_free(&pdf);
		pd_web_reply_rc(r, rc == PD_ERR_INVALID ? PD_ERR_DB : rc);
		return;
	}
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"tanda-terima-%s.pdf\"",
	                                app.tracking));
	pd_reply_bytes(r, 200, "application/pdf", pdf.data, pdf.len);
	pd_buf_free(&pdf);
}

/* --- files and the document ------------------------------------------------------------------ */

void pd_web_application_file(struct pd_req *r)
{
	struct pd_buf file;
	pd_buf_init(&file, PD_ATTACHMENT_MAX_BYTES + 1);
	struct pd_app_file info;
	memset(&info, 0, sizeof info);
	/* The owner's page: staff read files at /kantor/permohonan/{id}/berkas/{file}. */
	struct pd_application app;
	int rc = own_summary(r, &app);
	if (!rc)
		rc = pd_application_file_read(r->store, r->app->keys, r->actor, r->params[0],
		                              r->params[1], r->arena, &info, pd_web_download_collect, &file);
	pd_web_download_reply(r, rc, &file, "file", info.id, "berkas", info.id, info.ext,
	                      info.content_type);
}

void pd_web_application_document(struct pd_req *r)
{
	struct pd_application app;
	int rc = own_summary(r, &app);
	if (!rc && !app.document_id)
		rc = PD_ERR_NOT_FOUND;
	struct pd_buf pdf;
	pd_buf_init(&pdf, 8 * 1024 * 1024);
	const char *filename = NULL;
	if (!rc)
		rc = pd_document_pdf(r->store, r->actor, app.document_id, r->arena, &pdf, &filename);
	if (rc) {
		pd_buf_free(&pdf);
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"%s\"",
	                                filename ? filename : "dokumen.pdf"));
	pd_reply_bytes(r, 200, "application/pdf", pdf.data, pdf.len);
	if (pdf.data)
		sodium_memzero(pdf.data, pdf.cap);
	pd_buf_free(&pdf);
}

/* --- attaching an assisted application ------------------------------------------------------- */

struct attach_job {
	struct pd_app_ctx c;
	const char *nomor, *nik;
	char id[37];
};

static int attach_tx(struct pd_tx *tx, void *p)
{
	struct attach_job *j = p;
	return pd_application_attach(tx, &j->c, j->nomor, j->nik, j->id);
}

static void attach_done(struct pd_req *r, int rc)
{
	struct attach_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		list_page(r, 422, N_("Tulis nomor permohonan dan NIK seperti tertulis pada tanda terima dan KTP."),
		          "nomor");
		return;
	}
	if (rc == PD_ERR_NOT_FOUND) {
		list_page(r, 404, N_("Tidak ada permohonan berbantuan yang cocok dengan nomor dan NIK ini."),
		          "nomor");
		return;
	}
	if (rc == PD_ERR_FORBIDDEN && r->actor && r->actor->email_verified) {
		/* Verified, but the account holds no NIK: only the NIK's holder may attach. */
		list_page(r, 403, N_("Akun Anda belum mencantumkan NIK. Permohonan yang diajukan dengan bantuan petugas hanya dapat ditautkan ke akun yang mencantumkan NIK pemohon."),
		          "akun-nik");
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s?ditautkan=1", j->id));
}

void pd_web_application_attach(struct pd_req *r)
{
	struct attach_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	j->nomor = pd_web_field(r, "nomor");
	j->nik = pd_web_field(r, "nik");
	r->user = j;
	pd_req_write(r, attach_tx, j, attach_done);
}

/* --- notifications --------------------------------------------------------------------------- */

/* The complaint and information-request notifications shown with the first page of
 * /notifikasi (each). */
#define COMPLAINT_NOTES 20

/* GET /notifikasi reads only; "Tandai semua dibaca" posts to /notifikasi/dibaca. */
void pd_web_notifications(struct pd_req *r)
{
	struct pd_notification *items = pd_arena_alloc(r->arena, PAGE * sizeof *items);
	int n = 0;
	const char *next = NULL;
	int rc = pd_notification_list(r->store, r->actor, pd_req_query(r, "setelah"), PAGE, r->arena,
	                              items, &n, &next);
	if (!page_ok_or_reply(r, rc))
		return;
	json_t *ctx = json_object();
	json_t *list = json_array();
	int64_t newest_unread = 0;
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "application_id",
		                      items[i].application_id, "service_name", items[i].service_name,
		                      "label", pd_req_t(r, pd_web_app_event_label(items[i].kind)), "status_label",
		                      pd_req_t(r, pd_app_status_label(items[i].status)), "when",
		                      pd_web_app_when(r, items[i].created_ms));
		if (items[i].tracking_display)
			json_object_set_new(o, "tracking", json_string(items[i].tracking_display));
		if (!items[i].read_ms) {
			json_object_set_new(o, "unread", json_true());
			if (items[i].created_ms > newest_unread)
				newest_unread = items[i].created_ms;
		}
		json_array_append_new(list, o);
	}
	json_object_set_new(ctx, "items", list);
	if (next)
		json_object_set_new(ctx, "next", json_string(next));
	/* Complaint and information-request notifications have tables of their own
	 * (complaint_handle.h, inforeq.h): the newest of each, with the first page only. */
	if (!pd_req_query(r, "setelah")) {
		struct pd_complaint_notification notes[COMPLAINT_NOTES];
		int k = 0;
		json_t *cl = json_array();
		if (pd_complaint_notifications(r->store, r->actor, r->arena, notes, COMPLAINT_NOTES,
		                               &k) == PD_OK)
			for (int i = 0; i < k; i++)
				json_array_append_new(
				        cl, json_pack("{s:s,s:s,s:s,s:s}", "tracking",
				                      notes[i].tracking_display, "label",
				                      pd_req_t(r, pd_web_complaint_event_label(notes[i].kind)),
				                      "status_label",
				                      pd_req_t(r, pd_complaint_status_label(notes[i].status)),
				                      "when", pd_web_app_when(r, notes[i].created_ms)));
		json_object_set_new(ctx, "complaints", cl);
		struct pd_inforeq_notification inotes[COMPLAINT_NOTES];
		json_t *il = json_array();
		if (pd_inforeq_notifications(r->store, r->actor, r->arena, inotes, COMPLAINT_NOTES,
		                             &k) == PD_OK)
			for (int i = 0; i < k; i++)
				json_array_append_new(
				        il, json_pack("{s:s,s:s,s:s}", "tracking", inotes[i].tracking_display,
				                      "label", pd_req_t(r, pd_web_inforeq_event_label(inotes[i].kind)),
				                      "when", pd_web_app_when(r, inotes[i].created_ms)));
		json_object_set_new(ctx, "inforeqs", il);
	}
	/* Marks what this page showed, not what arrives after it was read. */
	if (newest_unread)
		json_object_set_new(ctx, "upto", json_integer(newest_unread));
	pd_reply_page(r, 200, "permohonan/notifikasi", N_("Notifikasi"), ctx);
}

struct mark_job {
	const struct pd_actor *actor;
	int64_t upto;
};

static int mark_tx(struct pd_tx *tx, void *p)
{
	struct mark_job *j = p;
	return pd_notification_mark_read(tx, j->actor, j->upto);
}

static void mark_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/notifikasi");
}

void pd_web_notifications_read(struct pd_req *r)
{
	struct mark_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	const char *upto = pd_web_field(r, "sampai");
	if (!upto || pd_parse_i64(upto, 1, INT64_MAX, &j->upto) != PD_OK) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	r->user = j;
	pd_req_write(r, mark_tx, j, mark_done);
}
