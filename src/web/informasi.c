/* Information requests for the public and the requester: what the service is, the public
 * register (no personal data), the filing form with its receipt, the requester's list and
 * request pages with the objection form and the answer's files, and /lacak for 'K' numbers.
 * Access is the domain's (domain/inforeq.h). */
#include "web/informasi.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/tracking.h"
#include "core/uuid.h"
#include "domain/attachment.h"
#include "domain/inforeq.h"
#include "http/app.h"
#include "http/form.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_download.h"
#include "web/common_time.h"
#include "web/permohonan.h"

#define PAGE 20
#define UNITS_MAX 300
#define NOTES_MAX 10

/* --- labels -------------------------------------------------------------------------------- */

const char *pd_web_inforeq_status_label(int s)
{
	static const char *const l[] = {N_("Diterima, menunggu jawaban"), N_("Dijawab"),
	                                N_("Keberatan diajukan"), N_("Keberatan diputus")};
	return s >= 0 && s < PD_INFOREQ_STATUS__MAX ? l[s] : "";
}

const char *pd_web_inforeq_outcome_label(int o)
{
	static const char *const l[] = {N_("Belum dijawab"), N_("Dikabulkan"),
	                                N_("Dikabulkan sebagian"), N_("Ditolak (dikecualikan)"),
	                                N_("Informasi tidak dikuasai"), N_("Diteruskan ke unit lain")};
	return o >= 0 && o < PD_INFOREQ_OUTCOME__MAX ? l[o] : "";
}

const char *pd_web_inforeq_format_label(int f)
{
	static const char *const l[] = {N_("Salinan elektronik (softcopy)"),
	                                N_("Salinan tercetak (hardcopy)"), N_("Melihat atau membaca")};
	return f >= 0 && f < PD_INFOREQ_FORMAT__MAX ? l[f] : "";
}

const char *pd_web_inforeq_delivery_label(int d)
{
	static const char *const l[] = {N_("Melalui portal"), N_("Surat elektronik"), N_("Pos"),
	                                N_("Diambil langsung")};
	return d >= 0 && d < PD_INFOREQ_DELIVERY__MAX ? l[d] : "";
}

const char *pd_web_inforeq_event_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} l[] = {
		{"received", N_("Permohonan diterima")},
		{"forwarded_in", N_("Diterima sebagai terusan dari unit lain")},
		{"extended", N_("Jangka waktu diperpanjang")},
		{"answered", N_("Dijawab")},
		{"forwarded", N_("Diteruskan ke unit lain")},
		{"objected", N_("Keberatan diajukan")},
		{"objection_decided", N_("Keberatan diputus")},
		{"overdue", N_("Melewati batas waktu jawaban")},
		{"objection_overdue", N_("Keberatan melewati batas waktu")},
	};
	for (size_t i = 0; kind && i < sizeof l / sizeof l[0]; i++)
		if (strcmp(l[i].kind, kind) == 0)
			return l[i].label;
	return N_("Perubahan status");
}

json_t *pd_web_inforeq_timeline(struct pd_req *r, const struct pd_inforeq *q)
{
	json_t *a = json_array();
	for (int i = 0; i < q->n_events; i++) {
		const struct pd_inforeq_event *e = &q->events[i];
		json_t *o = json_pack("{s:s,s:s,s:s}", "kind", e->kind, "what",
		                      pd_req_t(r, pd_web_inforeq_event_label(e->kind)), "time",
		                      pd_web_local_time(r, e->at_ms));
		if (e->note)
			json_object_set_new(o, "note", json_string(e->note));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *units_json(struct pd_req *r, const char *selected, const char *exclude)
{
	json_t *a = json_array();
	struct pd_inforeq_unit *u = pd_arena_alloc(r->arena, UNITS_MAX * sizeof *u);
	int n = 0;
	if (pd_inforeq_units(r->store, r->arena, u, UNITS_MAX, &n))
		return a;
	for (int i = 0; i < n; i++) {
		if (exclude && strcmp(exclude, u[i].slug) == 0)
			continue;
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "name",
		                                   u[i].name, "selected",
		                                   selected && strcmp(selected, u[i].slug) == 0));
	}
	return a;
}

static json_t *options_json(struct pd_req *r, const char *(*name)(int), const char *(*label)(int),
                            int n, const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", name(i), "label",
		                                   pd_req_t(r, label(i)), "selected",
		                                   selected && strcmp(selected, name(i)) == 0));
	return a;
}

static const char *format_name(int i) { return pd_inforeq_format_name((enum pd_inforeq_format)i); }
static const char *delivery_name(int i) { return pd_inforeq_delivery_name((enum pd_inforeq_delivery)i); }

/* --- public pages -------------------------------------------------------------------------- */

void pd_web_informasi(struct pd_req *r)
{
	json_t *ctx = json_object();
	if (r->actor)
		json_object_set_new(ctx, "signed_in", json_true());
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "informasi", 1));
	pd_reply_page(r, 200, "informasi/index", N_("Permohonan informasi publik"), ctx);
}

void pd_web_informasi_register(struct pd_req *r)
{
	const char *unit = pd_req_query(r, "unit");
	const char *after = pd_req_query(r, "setelah");
	struct pd_inforeq_public *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_inforeq_register(r->store, unit && *unit ? unit : NULL, after, PAGE, r->arena,
	                             rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "tracking",
		                      rows[i].tracking_display, "unit", rows[i].unit_name, "subject",
		                      rows[i].subject ? rows[i].subject : "", "answer",
		                      rows[i].answer ? rows[i].answer : "", "outcome",
		                      pd_req_t(r, pd_web_inforeq_outcome_label(rows[i].outcome)),
		                      "received", pd_web_app_date(r, rows[i].received_ms), "answered",
		                      pd_web_app_date(r, rows[i].answered_ms), "on_time",
		                      rows[i].on_time);
		json_array_append_new(items, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "units", units_json(r, unit, NULL));
	const char *fq = unit && *unit ? pd_arena_printf(r->arena, "unit=%s&", pd_url_encode(r->arena, unit)) : "";
	if (next)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "/informasi/register?%ssetelah=%s",
		                                                fq, pd_url_encode(r->arena, next))));
	if (after)
		json_object_set_new(ctx, "first_url",
		                    json_string(pd_arena_printf(r->arena, "/informasi/register?%s", fq)));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "informasi", 1));
	pd_reply_page(r, 200, "informasi/register", N_("Register permohonan informasi"), ctx);
}

/* --- filing -------------------------------------------------------------------------------- */

struct file_job {
	struct pd_app_ctx c;
	struct pd_inforeq_input in;
	struct pd_app_errors errs;
	char id[37], tracking[11];
};

static void render_form(struct pd_req *r, int status, const struct file_job *j)
{
	json_t *ctx = json_object();
	const struct pd_inforeq_input *in = j ? &j->in : NULL;
	char form_id[PD_UUID_LEN + 1];
	pd_uuid7(form_id);
	json_object_set_new(ctx, "form_id",
	                    json_string(in && in->form_id && *in->form_id ? in->form_id : form_id));
	json_object_set_new(ctx, "units", units_json(r, in ? in->unit_slug : pd_req_query(r, "unit"), NULL));
	json_object_set_new(ctx, "formats", options_json(r, format_name, pd_web_inforeq_format_label,
	                                                 PD_INFOREQ_FORMAT__MAX,
	                                                 in ? in->format : "softcopy"));
	json_object_set_new(ctx, "deliveries",
	                    options_json(r, delivery_name, pd_web_inforeq_delivery_label,
	                                 PD_INFOREQ_DELIVERY__MAX, in ? in->delivery : "portal"));
	if (in) {
		json_object_set_new(ctx, "typed",
		                    json_pack("{s:s,s:s,s:s,s:b}", "subject", in->subject ? in->subject : "",
		                              "details", in->details ? in->details : "", "purpose",
		                              in->purpose ? in->purpose : "", "consent",
		                              in->publish_consent));
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		if (j->errs.n)
			json_object_set_new(ctx, "has_errors", json_true());
	} else {
		json_object_set_new(ctx, "typed", json_pack("{s:b}", "consent", 1));
	}
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "informasi/ajukan", N_("Ajukan permohonan informasi"), ctx);
}

void pd_web_informasi_form(struct pd_req *r)
{
	render_form(r, 200, NULL);
}

static int file_tx(struct pd_tx *tx, void *p)
{
	struct file_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_inforeq_file(tx, &j->c, &j->in, &j->errs, j->id, j->tracking);
}

static void file_done(struct pd_req *r, int rc)
{
	struct file_job *j = r->user;
	if (rc == PD_OK) {
		char g[PD_TRACKING_GROUPED_LEN + 1];
		pd_tracking_format(j->tracking, g);
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/informasi/saya/%s?baru=1", g));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_form(r, 422, j);
		return;
	}
	if (rc == PD_ERR_FORBIDDEN) {
		json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 403, "message",
		                        pd_req_t(r, N_("Permohonan informasi hanya dapat diajukan dari akun warga dengan alamat surel yang sudah diverifikasi.")),
		                        "back_url", "/akun", "back_label", pd_req_t(r, N_("Buka akun Anda")));
		pd_reply_page(r, 403, "error", N_("Belum dapat mengajukan"), ctx);
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_informasi_file(struct pd_req *r)
{
	struct file_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	j->in.unit_slug = pd_web_field(r, "unit");
	j->in.subject = pd_web_field(r, "judul");
	j->in.details = pd_web_field(r, "rincian");
	j->in.purpose = pd_web_field(r, "tujuan");
	j->in.format = pd_web_field(r, "bentuk");
	j->in.delivery = pd_web_field(r, "cara");
	j->in.publish_consent = strcmp(pd_web_field(r, "terbit"), "1") == 0;
	j->in.form_id = pd_web_field(r, "form_id");
	r->user = j;
	pd_req_write(r, file_tx, j, file_done);
}

/* --- the requester's pages ----------------------------------------------------------------- */

static json_t *row_json(struct pd_req *r, const struct pd_inforeq *q)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "tracking", q->tracking_display, "unit",
	                      q->unit_name ? q->unit_name : "", "status",
	                      pd_inforeq_status_name(q->status), "status_label",
	                      pd_req_t(r, pd_web_inforeq_status_label(q->status)), "received",
	                      pd_web_app_date(r, q->received_ms), "subject",
	                      q->subject ? q->subject : "");
	if (q->outcome != PD_INFOREQ_OUTCOME_NONE)
		json_object_set_new(o, "outcome",
		                    json_string(pd_req_t(r, pd_web_inforeq_outcome_label(q->outcome))));
	if (q->status == PD_INFOREQ_RECEIVED)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, q->due_ms)));
	if (q->overdue && q->status == PD_INFOREQ_RECEIVED)
		json_object_set_new(o, "overdue", json_true());
	return o;
}

void pd_web_informasi_mine(struct pd_req *r)
{
	const char *after = pd_req_query(r, "setelah");
	struct pd_inforeq *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_inforeq_list_own(r->store, r->app->keys, r->actor, after, PAGE, r->arena, rows,
	                             &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, row_json(r, &rows[i]));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	struct pd_inforeq_notification notes[NOTES_MAX];
	int nn = 0;
	json_t *na = json_array();
	if (pd_inforeq_notifications(r->store, r->actor, r->arena, notes, NOTES_MAX, &nn) == PD_OK)
		for (int i = 0; i < nn; i++)
			json_array_append_new(na, json_pack("{s:s,s:s,s:s}", "tracking",
			                                    notes[i].tracking_display, "what",
			                                    pd_req_t(r, pd_web_inforeq_event_label(notes[i].kind)),
			                                    "time", pd_web_local_time(r, notes[i].created_ms)));
	json_object_set_new(ctx, "notifications", na);
	if (next)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "/informasi/saya?setelah=%s", next)));
	if (after)
		json_object_set_new(ctx, "first_url", json_string("/informasi/saya"));
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, 200, "informasi/saya", N_("Permohonan informasi saya"), ctx);
}

struct own_view {
	struct pd_app_ctx c;
	const char *tracking;
	unsigned reasons;
	const char *text;
	struct pd_app_errors errs;
};

static void render_own(struct pd_req *r, int status, struct own_view *v)
{
	struct pd_inforeq q;
	int rc = pd_inforeq_get_own(r->store, r->app->keys, r->actor, pd_http_calendar(r),
	                            r->params[0], r->arena, &q);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *o = row_json(r, &q);
	json_object_set_new(o, "details", json_string(q.details ? q.details : ""));
	json_object_set_new(o, "purpose", json_string(q.purpose ? q.purpose : ""));
	json_object_set_new(o, "format", json_string(pd_req_t(r, pd_web_inforeq_format_label(q.format))));
	json_object_set_new(o, "delivery", json_string(pd_req_t(r, pd_web_inforeq_delivery_label(q.delivery))));
	json_object_set_new(o, "consent", json_boolean(q.publish_consent));
	if (q.answer)
		json_object_set_new(o, "answer", json_string(q.answer));
	if (q.ground)
		json_object_set_new(o, "ground", json_string(pd_req_t(r, pd_inforeq_ground_label(q.ground))));
	if (q.answered_ms)
		json_object_set_new(o, "answered", json_string(pd_web_app_date(r, q.answered_ms)));
	if (q.extension_days)
		json_object_set_new(o, "extension", json_pack("{s:i,s:s}", "days", q.extension_days,
		                                              "reason", q.extension_reason ? q.extension_reason : ""));
	if (q.forwarded_to_tracking)
		json_object_set_new(o, "forwarded_to", json_string(q.forwarded_to_tracking));
	if (q.forwarded_from_tracking)
		json_object_set_new(o, "forwarded_from", json_string(q.forwarded_from_tracking));
	if (q.objected_ms) {
		json_t *ob = json_pack("{s:s,s:s}", "date", pd_web_app_date(r, q.objected_ms), "text",
		                       q.objection_text ? q.objection_text : "");
		if (q.status == PD_INFOREQ_OBJECTED)
			json_object_set_new(ob, "due", json_string(pd_web_app_date(r, q.objection_due_ms)));
		if (q.objection_outcome != PD_OBJECTION_NONE) {
			json_object_set_new(ob, "outcome", json_string(pd_objection_outcome_name(q.objection_outcome)));
			json_object_set_new(ob, "outcome_label",
			                    json_string(q.objection_outcome == PD_OBJECTION_UPHELD
			                                        ? pd_req_t(r, N_("Jawaban PPID dikuatkan"))
			                                        : pd_req_t(r, N_("Jawaban PPID dibatalkan: informasi wajib diberikan"))));
			json_object_set_new(ob, "answer", json_string(q.objection_answer ? q.objection_answer : ""));
		}
		json_object_set_new(o, "objection", ob);
	}
	json_t *files = json_array();
	for (int i = 0; i < q.n_files; i++)
		json_array_append_new(files, json_pack("{s:s,s:s}", "href",
		                                       pd_arena_printf(r->arena, "/informasi/saya/%s/berkas/%d",
		                                                       q.tracking_display, i + 1),
		                                       "name", q.files[i].filename));
	json_object_set_new(o, "files", files);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "q", o);
	json_object_set_new(ctx, "timeline", pd_web_inforeq_timeline(r, &q));
	if (q.may_object) {
		json_t *reasons = json_array();
		for (char l = 'a'; l <= 'g'; l++)
			json_array_append_new(reasons,
			                      json_pack("{s:s,s:s,s:b}", "letter",
			                                pd_arena_printf(r->arena, "%c", l), "label",
			                                pd_req_t(r, pd_objection_reason_label(l)), "checked",
			                                v && (v->reasons & (1u << (l - 'a')))));
		json_object_set_new(ctx, "object",
		                    json_pack("{s:o,s:s,s:s}", "reasons", reasons, "until",
		                              pd_web_app_date(r, q.objection_until_ms), "typed",
		                              v && v->text ? v->text : ""));
	}
	if (v && v->errs.n) {
		json_t *e = json_object();
		for (int i = 0; i < v->errs.n; i++)
			if (!json_object_get(e, v->errs.field[i]))
				json_object_set_new(e, v->errs.field[i], json_string(pd_req_t(r, v->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (pd_req_query(r, "baru"))
		json_object_set_new(ctx, "receipt", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, status, "informasi/detail",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Permohonan informasi")),
	                                     q.tracking_display),
	                     ctx);
}

void pd_web_informasi_own(struct pd_req *r)
{
	render_own(r, 200, NULL);
}

static int object_tx(struct pd_tx *tx, void *p)
{
	struct own_view *v = p;
	memset(&v->errs, 0, sizeof v->errs);
	return pd_inforeq_object(tx, &v->c, v->tracking, v->reasons, v->text, &v->errs);
}

static void object_done(struct pd_req *r, int rc)
{
	struct own_view *v = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/informasi/saya/%s",
		                                          pd_url_encode(r->arena, v->tracking)));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_own(r, 422, v);
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 409, "message",
		                        pd_req_t(r, N_("Keberatan tidak dapat diajukan: jangka waktu 30 hari kerja sudah lewat, belum ada jawaban atau tenggat yang lewat, atau keberatan sudah pernah diajukan.")),
		                        "back_url",
		                        pd_arena_printf(r->arena, "/informasi/saya/%s", pd_url_encode(r->arena, v->tracking)),
		                        "back_label", pd_req_t(r, N_("Kembali ke permohonan")));
		pd_reply_page(r, 409, "error", N_("Keberatan tidak dapat diajukan"), ctx);
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_informasi_object(struct pd_req *r)
{
	struct own_view *v = pd_arena_alloc(r->arena, sizeof *v);
	memset(v, 0, sizeof *v);
	v->c.actor = r->actor;
	v->c.ks = r->app->keys;
	v->c.cal = pd_http_calendar(r);
	v->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	v->tracking = r->params[0];
	for (char l = 'a'; l <= 'g'; l++)
		if (strcmp(pd_web_field(r, pd_arena_printf(r->arena, "alasan_%c", l)), "1") == 0)
			v->reasons |= 1u << (l - 'a');
	v->text = pd_web_field(r, "uraian");
	r->user = v;
	pd_req_write(r, object_tx, v, object_done);
}

/* --- downloads ----------------------------------------------------------------------------- */

struct dl_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const char *id;
	int n;
	struct pd_arena *a;
	struct pd_attachment_info info;
	struct pd_buf buf;
};

static int dl_tx(struct pd_tx *tx, void *p)
{
	struct dl_job *j = p;
	const char *att = NULL;
	int rc = pd_inforeq_file_tx(tx, j->actor, j->id, j->n, j->a, &att, NULL, NULL);
	if (!rc)
		rc = pd_attachment_info(tx, j->ks, att, j->a, &j->info);
	if (!rc)
		rc = pd_attachment_read(tx, j->ks, att, pd_web_download_collect, &j->buf);
	return rc;
}

void pd_web_inforeq_download(struct pd_req *r, const char *id, const char *n)
{
	int64_t k;
	if (pd_parse_i64(n, 1, PD_INFOREQ_FILES_MAX, &k)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct dl_job j = {r->actor, r->app->keys, id, (int)k, r->arena, {0}, {0}};
	pd_buf_init(&j.buf, PD_ATTACHMENT_MAX_BYTES);
	int rc = pd_store_read(r->store, dl_tx, &j);
	pd_web_download_reply(r, rc, &j.buf, "inforeq", id, "informasi",
	                      pd_arena_printf(r->arena, "%d", (int)k), rc ? NULL : j.info.ext,
	                      rc ? NULL : j.info.content_type);
}

void pd_web_informasi_own_file(struct pd_req *r)
{
	struct pd_inforeq q;
	int rc = pd_inforeq_get_own(r->store, r->app->keys, r->actor, pd_http_calendar(r),
	                            r->params[0], r->arena, &q);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_web_inforeq_download(r, pd_arena_strdup(r->arena, q.id), r->params[1]);
}

/* --- /lacak -------------------------------------------------------------------------------- */

void pd_web_track_inforeq(struct pd_req *r, const char *compact)
{
	struct pd_inforeq q;
	int rc = pd_inforeq_track(r->store, compact, r->arena, &q);
	if (rc == PD_ERR_NOT_FOUND) {
		json_t *ctx = json_pack("{s:s,s:s}", "nomor", r->params[0], "error",
		                        pd_req_t(r, N_("Tidak ada permohonan dengan nomor ini. Periksa kembali nomor pada tanda terima Anda.")));
		pd_reply_page(r, 404, "lacak/index", N_("Lacak permohonan"), ctx);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "tracking", q.tracking_display, "unit",
	                      q.unit_name ? q.unit_name : "", "status_label",
	                      pd_req_t(r, pd_web_inforeq_status_label(q.status)), "status",
	                      pd_inforeq_status_name(q.status), "received",
	                      pd_web_app_date(r, q.received_ms));
	if (q.status == PD_INFOREQ_RECEIVED)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, q.due_ms)));
	if (q.answered_ms)
		json_object_set_new(o, "answered", json_string(pd_web_app_date(r, q.answered_ms)));
	if (q.outcome != PD_INFOREQ_OUTCOME_NONE)
		json_object_set_new(o, "outcome", json_string(pd_req_t(r, pd_web_inforeq_outcome_label(q.outcome))));
	if (q.overdue)
		json_object_set_new(o, "overdue", json_true());
	json_t *ctx = json_object();
	json_object_set_new(ctx, "q", o);
	pd_reply_page_titled(r, 200, "informasi/lacak",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Permohonan informasi")),
	                                     q.tracking_display),
	                     ctx);
}
