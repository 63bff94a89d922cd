/* The back office of information requests: the queue at /kantor/informasi (by the due date
 * that runs, keyset pages) and one request with the requester's text, the timeline and the
 * steps — extension, answer with files, forwarding, the superior's objection decision. Access
 * is the domain's (domain/inforeq.h); this file only decides which forms to offer. */
#include "web/kantor_informasi.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/inforeq.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/form.h"
#include "web/account_internal.h"
#include "web/common_time.h"
#include "web/informasi.h"
#include "web/kantor_common.h"
#include "web/permohonan.h"

#define PAGE 25
#define UNITS_MAX 300

/* --- the queue ----------------------------------------------------------------------------- */

void pd_web_kantor_inforeqs(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	const char *status = pd_kantor_query(r, "status");
	bool late = pd_kantor_query(r, "terlambat") != NULL;
	struct pd_inforeq_queue_query q = {status, late, pd_kantor_query(r, "setelah"), PAGE};
	struct pd_inforeq *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_inforeq_queue(r->store, r->actor, &q, r->arena, rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Saringan atau parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		const struct pd_inforeq *x = &rows[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "id", x->id, "tracking",
		                      x->tracking_display, "unit", x->unit_name ? x->unit_name : "",
		                      "status", pd_inforeq_status_name(x->status), "status_label",
		                      pd_req_t(r, pd_web_inforeq_status_label(x->status)), "received",
		                      pd_web_app_date(r, x->received_ms));
		if (x->status == PD_INFOREQ_RECEIVED)
			json_object_set_new(o, "due", json_string(pd_web_app_date(r, x->due_ms)));
		if (x->status == PD_INFOREQ_OBJECTED) {
			json_object_set_new(o, "due", json_string(pd_web_app_date(r, x->objection_due_ms)));
			json_object_set_new(o, "objection", json_true());
		}
		if ((x->status == PD_INFOREQ_RECEIVED && x->overdue) ||
		    (x->status == PD_INFOREQ_OBJECTED && x->objection_overdue))
			json_object_set_new(o, "overdue", json_true());
		if (x->extension_days)
			json_object_set_new(o, "extended", json_true());
		json_array_append_new(items, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	json_t *st = json_array();
	static const struct {
		const char *value, *label;
	} opts[] = {{"", N_("Belum selesai")}, {"received", N_("Menunggu jawaban")},
	            {"objected", N_("Keberatan menunggu putusan")}, {"closed", N_("Sudah selesai")},
	            {"all", N_("Semua")}};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		json_array_append_new(st, json_pack("{s:s,s:s,s:b}", "value", opts[i].value, "label",
		                                    pd_req_t(r, opts[i].label), "selected",
		                                    status ? strcmp(status, opts[i].value) == 0 : i == 0));
	json_object_set_new(ctx, "statuses", st);
	json_object_set_new(ctx, "terlambat", json_boolean(late));
	const char *fq = "";
	if (status)
		fq = pd_arena_printf(r->arena, "status=%s&", pd_url_encode(r->arena, status));
	if (late)
		fq = pd_arena_printf(r->arena, "%sterlambat=1&", fq);
	pd_kantor_page_links(r, ctx, "/kantor/informasi", fq, next, q.after);
	pd_reply_page(r, 200, "kantor/informasi/antrian", N_("Antrean permohonan informasi"), ctx);
}

/* --- one request --------------------------------------------------------------------------- */

enum step { STEP_VIEW, STEP_EXTEND, STEP_ANSWER, STEP_DECIDE };

struct irq_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;
	struct pd_app_ctx c;
	const char *id;
	struct pd_arena *a;
	enum step step;
	int64_t version;
	int days;
	const char *v1, *v2;
	struct pd_inforeq_answer ans;
	int status;
	struct pd_app_errors errs;
	struct pd_inforeq q;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct irq_job *j = p;
	return pd_inforeq_get_tx(tx, j->ks, j->actor, j->cal, j->id, j->a, &j->q);
}

static json_t *units_json(struct pd_req *r, const char *selected, const char *exclude)
{
	json_t *a = json_array();
	struct pd_inforeq_unit *u = pd_arena_alloc(r->arena, UNITS_MAX * sizeof *u);
	int n = 0;
	if (pd_inforeq_units(r->store, r->arena, u, UNITS_MAX, &n))
		return a;
	for (int i = 0; i < n; i++)
		if (!exclude || strcmp(exclude, u[i].slug) != 0)
			json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "name",
			                                   u[i].name, "selected",
			                                   selected && strcmp(selected, u[i].slug) == 0));
	return a;
}

static void render(struct pd_req *r, struct irq_job *j)
{
	const struct pd_inforeq *q = &j->q;
	bool typed = j->status == 422;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:b}", "id", q->id,
	                      "tracking", q->tracking_display, "unit", q->unit_name ? q->unit_name : "",
	                      "status", pd_inforeq_status_name(q->status), "status_label",
	                      pd_req_t(r, pd_web_inforeq_status_label(q->status)), "version",
	                      (json_int_t)q->version, "received", pd_web_local_time(r, q->received_ms),
	                      "subject", q->subject ? q->subject : "", "details",
	                      q->details ? q->details : "", "purpose", q->purpose ? q->purpose : "",
	                      "requester", q->requester_name ? q->requester_name : "", "consent",
	                      q->publish_consent);
	json_object_set_new(o, "format", json_string(pd_req_t(r, pd_web_inforeq_format_label(q->format))));
	json_object_set_new(o, "delivery", json_string(pd_req_t(r, pd_web_inforeq_delivery_label(q->delivery))));
	if (q->status == PD_INFOREQ_RECEIVED)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, q->due_ms)));
	if (q->overdue && q->status == PD_INFOREQ_RECEIVED)
		json_object_set_new(o, "overdue", json_true());
	if (q->extension_days)
		json_object_set_new(o, "extension", json_pack("{s:i,s:s}", "days", q->extension_days,
		                                              "reason", q->extension_reason ? q->extension_reason : ""));
	if (q->outcome != PD_INFOREQ_OUTCOME_NONE)
		json_object_set_new(o, "outcome", json_string(pd_req_t(r, pd_web_inforeq_outcome_label(q->outcome))));
	if (q->answer)
		json_object_set_new(o, "answer", json_string(q->answer));
	if (q->ground)
		json_object_set_new(o, "ground", json_string(pd_req_t(r, pd_inforeq_ground_label(q->ground))));
	if (q->register_subject)
		json_object_set_new(o, "register", json_pack("{s:s,s:s}", "subject", q->register_subject,
		                                             "answer", q->register_answer ? q->register_answer : ""));
	if (q->forwarded_to_tracking)
		json_object_set_new(o, "forwarded_to", json_string(q->forwarded_to_tracking));
	if (q->forwarded_from_tracking)
		json_object_set_new(o, "forwarded_from", json_string(q->forwarded_from_tracking));
	if (q->objected_ms) {
		json_t *reasons = json_array();
		for (char l = 'a'; l <= 'g'; l++)
			if (q->objection_reasons & (1u << (l - 'a')))
				json_array_append_new(reasons, json_string(pd_req_t(r, pd_objection_reason_label(l))));
		json_t *ob = json_pack("{s:s,s:s,s:o}", "date", pd_web_app_date(r, q->objected_ms), "text",
		                       q->objection_text ? q->objection_text : "", "reasons", reasons);
		if (q->status == PD_INFOREQ_OBJECTED)
			json_object_set_new(ob, "due", json_string(pd_web_app_date(r, q->objection_due_ms)));
		if (q->objection_overdue && q->status == PD_INFOREQ_OBJECTED)
			json_object_set_new(ob, "overdue", json_true());
		if (q->objection_outcome != PD_OBJECTION_NONE)
			json_object_set_new(ob, "outcome", json_string(pd_objection_outcome_name(q->objection_outcome)));
		if (q->objection_answer)
			json_object_set_new(ob, "answer", json_string(q->objection_answer));
		json_object_set_new(o, "objection", ob);
	}
	json_t *files = json_array();
	for (int i = 0; i < q->n_files; i++)
		json_array_append_new(files, json_pack("{s:s,s:s}", "href",
		                                       pd_arena_printf(r->arena, "/kantor/informasi/%s/berkas/%d",
		                                                       q->id, i + 1),
		                                       "name", q->files[i].filename));
	json_object_set_new(o, "files", files);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "q", o);
	json_object_set_new(ctx, "timeline", pd_web_inforeq_timeline(r, q));
	json_t *act = json_object();
	if (q->may_extend)
		json_object_set_new(act, "perpanjang", json_true());
	if (q->may_decide) {
		json_object_set_new(act, "jawab", json_true());
		json_t *outs = json_array();
		for (int k = 1; k < PD_INFOREQ_OUTCOME__MAX; k++) {
			const char *name = pd_inforeq_outcome_name((enum pd_inforeq_outcome)k);
			json_array_append_new(outs, json_pack("{s:s,s:s,s:b}", "value", name, "label",
			                                      pd_req_t(r, pd_web_inforeq_outcome_label(k)),
			                                      "selected", typed && j->ans.outcome &&
			                                                          strcmp(j->ans.outcome, name) == 0));
		}
		json_object_set_new(ctx, "outcomes", outs);
		json_t *grounds = json_array();
		for (char l = 'a'; l <= 'j'; l++)
			json_array_append_new(grounds, json_pack("{s:s,s:s,s:b}", "value",
			                                         pd_arena_printf(r->arena, "%c", l), "label",
			                                         pd_req_t(r, pd_inforeq_ground_label(l)),
			                                         "selected", typed && j->ans.ground &&
			                                                             j->ans.ground[0] == l));
		json_object_set_new(ctx, "grounds", grounds);
		json_object_set_new(ctx, "units", units_json(r, typed ? j->ans.to_unit : NULL, q->unit_slug));
	}
	if (q->may_decide_objection)
		json_object_set_new(act, "keberatan", json_true());
	if (json_object_size(act))
		json_object_set_new(act, "any", json_true());
	json_object_set_new(ctx, "actions", act);
	if (typed) {
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
		json_t *t = json_object();
		if (j->step == STEP_EXTEND)
			json_object_set_new(t, "reason", json_string(j->v1 ? j->v1 : ""));
		if (j->step == STEP_ANSWER)
			json_object_set_new(t, "ans", json_pack("{s:s,s:s,s:s}", "answer",
			                                        j->ans.answer ? j->ans.answer : "", "rs",
			                                        j->ans.register_subject ? j->ans.register_subject : "",
			                                        "ra", j->ans.register_answer ? j->ans.register_answer : ""));
		if (j->step == STEP_DECIDE)
			json_object_set_new(t, "decision", json_string(j->v2 ? j->v2 : ""));
		json_object_set_new(ctx, "typed", t);
	}
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, j->status ? j->status : 200, "kantor/informasi/detail",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Permohonan informasi")),
	                                     q->tracking_display),
	                     ctx);
}

static void view_done(struct pd_req *r, int rc)
{
	struct irq_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	render(r, j);
}

static struct irq_job *new_job(struct pd_req *r, enum step step)
{
	struct irq_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->cal = pd_http_calendar(r);
	j->id = r->params[0];
	j->a = r->arena;
	j->step = step;
	pd_kantor_step_ctx(r, &j->c);
	r->user = j;
	return j;
}

void pd_web_kantor_inforeq(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct irq_job *j = new_job(r, STEP_VIEW);
	/* The staff read of personal data is recorded in the transaction that returns it. */
	pd_req_write(r, view_tx, j, view_done);
}

void pd_web_kantor_inforeq_file(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	pd_web_inforeq_download(r, r->params[0], r->params[1]);
}

/* --- the steps ----------------------------------------------------------------------------- */

static int step_tx(struct pd_tx *tx, void *p)
{
	struct irq_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	switch (j->step) {
	case STEP_EXTEND:
		return pd_inforeq_extend(tx, &j->c, j->id, j->version, j->days, j->v1, &j->errs);
	case STEP_ANSWER:
		return pd_inforeq_answer(tx, &j->c, j->id, j->version, &j->ans, &j->errs);
	case STEP_DECIDE:
		return pd_inforeq_decide_objection(tx, &j->c, j->id, j->version, j->v1, j->v2, &j->errs);
	default:
		return PD_ERR_INVALID;
	}
}

static void step_done(struct pd_req *r, int rc)
{
	struct irq_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/informasi/%s?ok=1", j->id));
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_kantor_conflict_page(r, N_("Langkah ini tidak berlaku lagi: permohonan sudah ditangani orang lain, statusnya berubah, atau perpanjangan sudah pernah diberikan atau tenggatnya sudah lewat."),
		                        pd_arena_printf(r->arena, "/kantor/informasi/%s", j->id),
		                        N_("Buka lagi permohonan ini"));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		if (j->errs.n == 0)
			pd_app_error(&j->errs, "_form", N_("Langkah ini tidak dapat dicatat dengan isian tersebut."));
		j->status = 422;
		pd_req_write(r, view_tx, j, view_done);
		return;
	}
	pd_web_reply_rc(r, rc);
}

static struct irq_job *post_job(struct pd_req *r, enum step step)
{
	if (!pd_kantor_staff_or_reply(r))
		return NULL;
	struct irq_job *j = new_job(r, step);
	if (!pd_kantor_form_version(r, &j->version, N_("Versi permohonan (versi) tidak ada atau tidak sah.")))
		return NULL;
	return j;
}

void pd_web_kantor_inforeq_extend(struct pd_req *r)
{
	struct irq_job *j = post_job(r, STEP_EXTEND);
	if (!j)
		return;
	int64_t d = 0;
	j->days = pd_parse_i64(pd_web_field(r, "hari"), 0, 1000, &d) ? 0 : (int)d;
	j->v1 = pd_web_field(r, "alasan");
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_inforeq_answer(struct pd_req *r)
{
	struct irq_job *j = post_job(r, STEP_ANSWER);
	if (!j)
		return;
	j->ans.outcome = pd_web_field(r, "hasil");
	j->ans.answer = pd_web_field(r, "jawaban");
	j->ans.ground = pd_web_field(r, "dasar");
	j->ans.to_unit = pd_web_field(r, "unit_tujuan");
	j->ans.register_subject = pd_web_field(r, "ringkasan_judul");
	j->ans.register_answer = pd_web_field(r, "ringkasan_jawaban");
	int n = 0;
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		if (u->field && strcmp(u->field, "berkas") == 0 && u->size > 0)
			n++;
	struct pd_inforeq_upload *files = pd_arena_alloc(r->arena, (size_t)(n ? n : 1) * sizeof *files);
	int k = 0;
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		if (u->field && strcmp(u->field, "berkas") == 0 && u->size > 0)
			files[k++] = (struct pd_inforeq_upload){u->path, u->filename, (int64_t)u->size};
	j->ans.files = files;
	j->ans.n_files = k;
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_inforeq_decide(struct pd_req *r)
{
	struct irq_job *j = post_job(r, STEP_DECIDE);
	if (!j)
		return;
	j->v1 = pd_web_field(r, "putusan");
	j->v2 = pd_web_field(r, "tanggapan");
	pd_req_write(r, step_tx, j, step_done);
}
