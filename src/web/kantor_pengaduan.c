/* The back office's complaints: the queue at /kantor/pengaduan (filters, due dates, keyset
 * pages, the actor's complaint notifications) and one complaint with its sealed original,
 * photos, timeline with internal notes and the steps posted from it. Access is the domain's
 * (domain/complaint_handle.h); this file only decides which forms to offer. */
#include "web/kantor_pengaduan.h"
#include "web/pengaduan.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/complaint_handle.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_download.h"
#include "web/common_time.h"
#include "web/kantor_common.h"
#include "web/permohonan.h"

#define PAGE 25
#define UNITS_MAX 300
#define NOTES_MAX 10

static const char *vis_label(enum pd_complaint_visibility v)
{
	return v == PD_CMP_PUBLIC ? N_("Publik") : v == PD_CMP_ANONYMOUS ? N_("Anonim") : N_("Rahasia");
}

/* The due date as the page shows it: {date, overdue, paused}; empty when closed. */
static json_t *due_json(const struct pd_complaint_staff *s, int64_t now)
{
	json_t *o = json_object();
	if (pd_complaint_status_closed(s->c.status) || !s->c.due_ms)
		return o;
	if (s->c.status == PD_CMP_NEEDS_INFO)
		json_object_set_new(o, "paused", json_true());
	else if (s->overdue || s->c.due_ms < now)
		json_object_set_new(o, "overdue", json_true());
	return o;
}

/* --- the queue ----------------------------------------------------------------------------- */

struct queue_filters {
	const char *status, *kategori;
	bool terlambat, ditahan;
};

static const char *filter_query(struct pd_req *r, const struct queue_filters *f)
{
	const char *q = "";
	if (f->status)
		q = pd_arena_printf(r->arena, "%sstatus=%s&", q, pd_url_encode(r->arena, f->status));
	if (f->kategori)
		q = pd_arena_printf(r->arena, "%skategori=%s&", q, pd_url_encode(r->arena, f->kategori));
	if (f->terlambat)
		q = pd_arena_printf(r->arena, "%sterlambat=1&", q);
	if (f->ditahan)
		q = pd_arena_printf(r->arena, "%sditahan=1&", q);
	return q;
}

static json_t *status_options(struct pd_req *r, const char *selected)
{
	json_t *a = json_array();
	static const struct {
		const char *value, *label;
	} extra[] = {{"", N_("Belum selesai")}, {"closed", N_("Sudah ditutup")}, {"all", N_("Semua")}};
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", extra[i].value, "label",
		                                   pd_req_t(r, extra[i].label), "selected",
		                                   selected ? strcmp(selected, extra[i].value) == 0
		                                            : i == 0));
	for (int s = 0; s < PD_CMP__MAX; s++) {
		const char *name = pd_complaint_status_name((enum pd_complaint_status)s);
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", name, "label",
		                                   pd_req_t(r, pd_complaint_status_label(
		                                                       (enum pd_complaint_status)s)),
		                                   "selected", selected && strcmp(selected, name) == 0));
	}
	return a;
}

static json_t *category_options(struct pd_req *r, const char *selected)
{
	json_t *a = json_array();
	struct pd_complaint_category cats[64];
	int n = 0;
	if (pd_complaint_categories(r->store, r->arena, cats, 64, &n))
		return a;
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "value", cats[i].code, "label",
		                                   cats[i].name, "selected",
		                                   selected && strcmp(selected, cats[i].code) == 0));
	return a;
}

static json_t *queue_row(struct pd_req *r, int64_t now, const struct pd_complaint_staff *s)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", s->c.id, "tracking",
	                      s->c.tracking_display, "status", pd_complaint_status_name(s->c.status),
	                      "status_label", pd_req_t(r, pd_complaint_status_label(s->c.status)),
	                      "category", s->c.category_name ? s->c.category_name : "", "unit",
	                      s->c.unit_name ? s->c.unit_name : "", "visibility",
	                      pd_req_t(r, vis_label(s->c.visibility)));
	json_object_set_new(o, "title", json_string(s->public_title
	                                                    ? s->public_title
	                                                    : pd_req_t(r, N_("(judul belum diperiksa)"))));
	if (s->c.due_ms && !pd_complaint_status_closed(s->c.status))
		json_object_set_new(o, "due_date", json_string(pd_web_app_date(r, s->c.due_ms)));
	json_object_set_new(o, "due", due_json(s, now));
	if (s->c.held)
		json_object_set_new(o, "held", json_true());
	return o;
}

static json_t *notifications_json(struct pd_req *r)
{
	json_t *a = json_array();
	struct pd_complaint_notification notes[NOTES_MAX];
	int n = 0;
	if (pd_complaint_notifications(r->store, r->actor, r->arena, notes, NOTES_MAX, &n))
		return a;
	for (int i = 0; i < n; i++)
		json_array_append_new(
		        a, json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", notes[i].complaint_id, "tracking",
		                     notes[i].tracking_display, "kind", notes[i].kind, "what",
		                     pd_req_t(r, pd_web_complaint_event_label(notes[i].kind)), "time",
		                     pd_web_local_time(r, notes[i].created_ms)));
	return a;
}

void pd_web_kantor_complaints(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct queue_filters f = {pd_kantor_query(r, "status"), pd_kantor_query(r, "kategori"),
	                          pd_kantor_query(r, "terlambat") != NULL,
	                          pd_kantor_query(r, "ditahan") != NULL};
	struct pd_complaint_queue_query q = {f.status, f.kategori, f.terlambat, f.ditahan,
	                                     pd_kantor_query(r, "setelah"), PAGE};
	struct pd_complaint_staff *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_complaint_queue(r->store, r->actor, &q, r->arena, rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Saringan atau parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	int64_t now = pd_clock_now_ms();
	json_t *ctx = json_object();
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, queue_row(r, now, &rows[i]));
	json_object_set_new(ctx, "items", items);
	json_object_set_new(ctx, "n_items", json_integer(n));
	json_object_set_new(ctx, "filters",
	                    json_pack("{s:o,s:o,s:b,s:b}", "statuses", status_options(r, f.status),
	                              "categories", category_options(r, f.kategori), "terlambat",
	                              f.terlambat, "ditahan", f.ditahan));
	json_object_set_new(ctx, "notifications", notifications_json(r));
	pd_kantor_page_links(r, ctx, "/kantor/pengaduan", filter_query(r, &f), next, q.after);
	if (pd_kantor_query(r, "dialihkan"))
		json_object_set_new(ctx, "handed_on_notice", json_true());
	pd_reply_page(r, 200, "kantor/pengaduan/antrian", N_("Antrean pengaduan"), ctx);
}

/* --- one complaint ------------------------------------------------------------------------- */

enum step {
	STEP_VIEW,
	STEP_DISPOSE,
	STEP_ASK,
	STEP_OUT,
	STEP_MERGE,
	STEP_HAND_ON,
	STEP_ANSWER,
	STEP_PUBLIC
};

struct cmp_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	struct pd_app_ctx c;
	const char *id;
	struct pd_arena *a;
	enum step step;
	int64_t version;
	const char *v1, *v2;  /* the typed values of the step */
	int status;           /* 422 after a refused step */
	struct pd_app_errors errs;
	struct pd_complaint_staff s;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct cmp_job *j = p;
	return pd_complaint_get_tx(tx, j->ks, j->actor, j->id, j->a, &j->s);
}

/* The page's field (template key) of a domain error field for the step posted (enum step). */
static const char *form_field(int step, const char *field)
{
	if (strcmp(field, "unit") == 0)
		return step == STEP_HAND_ON ? "unit_alih" : "unit";
	if (strcmp(field, "reason") == 0)
		return step == STEP_HAND_ON ? "alasan_alih" : "alasan";
	if (strcmp(field, "note") == 0)
		return "catatan";
	if (strcmp(field, "question") == 0)
		return "pertanyaan";
	if (strcmp(field, "into") == 0)
		return "nomor";
	if (strcmp(field, "public_title") == 0)
		return "judul_publik";
	if (strcmp(field, "public_text") == 0)
		return "isi_publik";
	if (strcmp(field, "answer") == 0)
		return "jawaban";
	return field;
}

static json_t *units_json(struct pd_req *r, const char *selected, const char *exclude_slug)
{
	json_t *a = json_array();
	struct pd_complaint_unit *u = pd_arena_alloc(r->arena, UNITS_MAX * sizeof *u);
	int n = 0;
	if (pd_complaint_units(r->store, r->arena, u, UNITS_MAX, &n))
		return a;
	for (int i = 0; i < n; i++) {
		if (exclude_slug && strcmp(u[i].slug, exclude_slug) == 0)
			continue;
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "name",
		                                   u[i].name, "selected",
		                                   selected && strcmp(selected, u[i].slug) == 0));
	}
	return a;
}

static json_t *timeline_json(struct pd_req *r, const struct pd_complaint_staff *s)
{
	json_t *a = json_array();
	for (int i = 0; i < s->n_events; i++) {
		const struct pd_complaint_staff_event *e = &s->events[i];
		const char *who = e->by_staff ? (e->actor_name ? e->actor_name : pd_req_t(r, N_("Petugas")))
		                  : strcmp(e->kind, "escalated") == 0 || strcmp(e->kind, "filed") == 0
		                          ? NULL
		                          : pd_req_t(r, N_("Pelapor"));
		json_t *o = json_pack("{s:s,s:s,s:s}", "kind", e->kind, "what",
		                      pd_req_t(r, pd_web_complaint_event_label(e->kind)), "time",
		                      pd_web_local_time(r, e->at_ms));
		if (who)
			json_object_set_new(o, "who", json_string(who));
		if (e->unit_name)
			json_object_set_new(o, "unit", json_string(e->unit_name));
		if (e->public_note)
			json_object_set_new(o, "public_note", json_string(e->public_note));
		if (e->note)
			json_object_set_new(o, "note", json_string(e->note));
		json_array_append_new(a, o);
	}
	return a;
}

static void render(struct pd_req *r, struct cmp_job *j)
{
	const struct pd_complaint_staff *s = &j->s;
	const struct pd_complaint *c = &s->c;
	int64_t now = pd_clock_now_ms();
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "id", c->id, "tracking",
	                      c->tracking_display, "status", pd_complaint_status_name(c->status),
	                      "status_label", pd_req_t(r, pd_complaint_status_label(c->status)),
	                      "category", c->category_name ? c->category_name : "", "unit",
	                      c->unit_name ? c->unit_name : "", "visibility",
	                      pd_req_t(r, vis_label(c->visibility)), "version",
	                      (json_int_t)c->version, "support", (json_int_t)c->support_count);
	json_object_set_new(o, "title", json_string(c->title ? c->title : ""));
	json_object_set_new(o, "text", json_string(c->text ? c->text : ""));
	if (s->public_title)
		json_object_set_new(o, "public_title", json_string(s->public_title));
	if (c->public_text)
		json_object_set_new(o, "public_text", json_string(c->public_text));
	if (c->held)
		json_object_set_new(o, "held", json_true());
	if (c->published)
		json_object_set_new(o, "published", json_true());
	if (c->place_name)
		json_object_set_new(o, "village", json_string(c->place_name));
	if (c->address)
		json_object_set_new(o, "address", json_string(c->address));
	if (c->occurred_ms)
		json_object_set_new(o, "occurred", json_string(pd_web_app_date(r, c->occurred_ms)));
	json_object_set_new(o, "created", json_string(pd_web_local_time(r, c->created_ms)));
	if (c->due_ms && !pd_complaint_status_closed(c->status))
		json_object_set_new(o, "due_date", json_string(pd_web_app_date(r, c->due_ms)));
	json_object_set_new(o, "due", due_json(s, now));
	if (s->escalated_ms)
		json_object_set_new(o, "escalated", json_string(pd_web_local_time(r, s->escalated_ms)));
	if (c->answer_public)
		json_object_set_new(o, "answer", json_string(c->answer_public));
	if (s->merged_into_tracking)
		json_object_set_new(o, "merged_into", json_string(s->merged_into_tracking));
	if (s->reopen_count)
		json_object_set_new(o, "reopened", json_true());
	json_t *photos = json_array();
	for (int i = 1; i <= c->n_photos; i++)
		json_array_append_new(photos, json_pack("{s:s,s:i}", "href",
		                                        pd_arena_printf(r->arena,
		                                                        "/kantor/pengaduan/%s/foto/%d",
		                                                        c->id, i),
		                                        "n", i));
	json_object_set_new(o, "photos", photos);
	/* The reporter: never anything of an anonymous one. */
	json_t *rep = json_object();
	if (s->reporter_hidden) {
		json_object_set_new(rep, "hidden", json_true());
	} else {
		if (s->reporter_name)
			json_object_set_new(rep, "name", json_string(s->reporter_name));
		if (c->contact_email)
			json_object_set_new(rep, "email", json_string(c->contact_email));
		if (c->contact_phone)
			json_object_set_new(rep, "phone", json_string(c->contact_phone));
		if (c->reporter_account_id)
			json_object_set_new(rep, "account", json_true());
	}
	json_object_set_new(o, "reporter", rep);

	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", o);
	json_object_set_new(ctx, "timeline", timeline_json(r, s));

	/* The steps this actor may take now (the domain decides again when one is posted). */
	bool verify = s->may_route && (c->status == PD_CMP_NEW || c->status == PD_CMP_NEEDS_INFO);
	bool work = s->may_work && (c->status == PD_CMP_DISPOSITIONED || c->status == PD_CMP_REOPENED);
	bool check = (s->may_route || s->may_work) &&
	             (c->held || c->visibility != PD_CMP_CONFIDENTIAL);
	json_t *act = json_object();
	if (verify) {
		json_object_set_new(act, "disposisi", json_true());
		json_object_set_new(act, "luar_wewenang", json_true());
		json_object_set_new(act, "gabung", json_true());
		if (c->status == PD_CMP_NEW)
			json_object_set_new(act, "minta_info", json_true());
	}
	if (work) {
		json_object_set_new(act, "alihkan", json_true());
		json_object_set_new(act, "jawab", json_true());
	}
	if (check)
		json_object_set_new(act, "periksa_publik", json_true());
	if (json_object_size(act))
		json_object_set_new(act, "any", json_true());
	json_object_set_new(ctx, "actions", act);

	bool typed_step = j->status == 422;
	if (verify) {
		const char *sel = typed_step && j->step == STEP_DISPOSE ? j->v1 : NULL;
		const char *sug_slug = NULL, *sug_name = NULL;
		if (!sel && pd_complaint_suggest_unit(r->store, c->id, r->arena, &sug_slug,
		                                      &sug_name) == PD_OK) {
			sel = sug_slug;
			json_object_set_new(ctx, "suggested", json_string(sug_name));
		}
		json_object_set_new(ctx, "units", units_json(r, sel, NULL));
	}
	if (work)
		json_object_set_new(ctx, "units_alih",
		                    units_json(r, typed_step && j->step == STEP_HAND_ON ? j->v1 : NULL,
		                               s->unit_slug));
	/* The public copy's form starts from the current copy, or from the original. */
	json_object_set_new(ctx, "copy",
	                    json_pack("{s:s,s:s}", "title",
	                              s->public_title ? s->public_title : (c->title ? c->title : ""),
	                              "text", c->public_text ? c->public_text : (c->text ? c->text : "")));
	if (typed_step) {
		json_object_set_new(ctx, "errors",
		                    pd_kantor_errors_json(r, &j->errs, form_field, (int)j->step));
		json_object_set_new(ctx, "has_errors", json_true());
		json_t *typed = json_object();
		const char *v1 = j->v1 ? j->v1 : "", *v2 = j->v2 ? j->v2 : "";
		switch (j->step) {
		case STEP_DISPOSE: json_object_set_new(typed, "catatan", json_string(v2)); break;
		case STEP_ASK: json_object_set_new(typed, "pertanyaan", json_string(v1)); break;
		case STEP_OUT: json_object_set_new(typed, "alasan", json_string(v1)); break;
		case STEP_MERGE: json_object_set_new(typed, "nomor", json_string(v1)); break;
		case STEP_HAND_ON: json_object_set_new(typed, "alasan_alih", json_string(v2)); break;
		case STEP_ANSWER: json_object_set_new(typed, "jawaban", json_string(v1)); break;
		case STEP_PUBLIC:
			json_object_set_new(ctx, "copy", json_pack("{s:s,s:s}", "title", v1, "text", v2));
			break;
		default: break;
		}
		json_object_set_new(ctx, "typed", typed);
	}
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, j->status ? j->status : 200, "kantor/pengaduan/detail",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Pengaduan")),
	                                     c->tracking_display),
	                     ctx);
}

static void view_done(struct pd_req *r, int rc)
{
	struct cmp_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	render(r, j);
}

static struct cmp_job *new_job(struct pd_req *r, enum step step)
{
	struct cmp_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->id = r->params[0];
	j->a = r->arena;
	j->step = step;
	pd_kantor_step_ctx(r, &j->c);
	r->user = j;
	return j;
}

void pd_web_kantor_complaint(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct cmp_job *j = new_job(r, STEP_VIEW);
	/* The staff read of personal data is recorded in the transaction that returns it. */
	pd_req_write(r, view_tx, j, view_done);
}

/* --- photos -------------------------------------------------------------------------------- */

struct photo_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const char *id;
	int n;
	const char *att, *type;
	struct pd_arena *a;
};

static int photo_record_tx(struct pd_tx *tx, void *p)
{
	struct photo_job *j = p;
	return pd_complaint_staff_photo_tx(tx, j->actor, j->id, j->n, j->a, &j->att, &j->type);
}

struct photo_read {
	const struct pd_keyset *ks;
	const char *att;
	struct pd_buf buf;
};

static int photo_read_tx(struct pd_tx *tx, void *p)
{
	struct photo_read *pr = p;
	return pd_attachment_read(tx, pr->ks, pr->att, pd_web_download_collect, &pr->buf);
}

static void photo_recorded(struct pd_req *r, int rc)
{
	struct photo_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct photo_read pr = {j->ks, j->att, {0}};
	pd_buf_init(&pr.buf, PD_ATTACHMENT_MAX_BYTES);
	rc = pd_store_read(r->store, photo_read_tx, &pr);
	if (rc) {
		pd_buf_free(&pr.buf);
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_header(r, "Content-Security-Policy", "sandbox");
	pd_reply_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	pd_reply_header(r, "Cache-Control", "private, no-store");
	pd_reply_bytes(r, 200, j->type, pr.buf.data, pr.buf.len);
	pd_buf_free(&pr.buf);
}

void pd_web_kantor_complaint_photo(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	int64_t n;
	if (pd_parse_i64(r->params[1], 1, PD_COMPLAINT_PHOTOS_MAX, &n)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	struct photo_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct photo_job){r->actor, r->app->keys, r->params[0], (int)n, NULL, NULL, r->arena};
	r->user = j;
	pd_req_write(r, photo_record_tx, j, photo_recorded);
}

/* --- the steps ----------------------------------------------------------------------------- */

static int step_tx(struct pd_tx *tx, void *p)
{
	struct cmp_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	switch (j->step) {
	case STEP_DISPOSE:
		return pd_complaint_dispose(tx, &j->c, j->id, j->version, j->v1, j->v2, &j->errs);
	case STEP_ASK:
		return pd_complaint_ask_info(tx, &j->c, j->id, j->version, j->v1, &j->errs);
	case STEP_OUT:
		return pd_complaint_out_of_scope(tx, &j->c, j->id, j->version, j->v1, &j->errs);
	case STEP_MERGE:
		return pd_complaint_merge(tx, &j->c, j->id, j->version, j->v1, &j->errs);
	case STEP_HAND_ON:
		return pd_complaint_hand_on(tx, &j->c, j->id, j->version, j->v1, j->v2, &j->errs);
	case STEP_ANSWER:
		return pd_complaint_answer(tx, &j->c, j->id, j->version, j->v1, &j->errs);
	case STEP_PUBLIC:
		return pd_complaint_approve_public(tx, &j->c, j->id, j->version, j->v1, j->v2,
		                                   &j->errs);
	default:
		return PD_ERR_INVALID;
	}
}

static void step_done(struct pd_req *r, int rc)
{
	struct cmp_job *j = r->user;
	if (rc == PD_OK) {
		/* After a hand-on the complaint may be out of the actor's reach: back to the queue. */
		pd_reply_redirect(r, 303, j->step == STEP_HAND_ON
		                                  ? "/kantor/pengaduan?dialihkan=1"
		                                  : pd_arena_printf(r->arena, "/kantor/pengaduan/%s?ok=1",
		                                                    j->id));
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_kantor_conflict_page(r, N_("Orang lain sudah menangani pengaduan ini lebih dulu, atau statusnya sudah berubah. Buka lagi pengaduannya untuk melihat keadaan terbarunya sebelum bertindak."),
		                        pd_arena_printf(r->arena, "/kantor/pengaduan/%s", j->id),
		                        N_("Buka lagi pengaduan ini"));
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

static void post_step(struct pd_req *r, enum step step, const char *f1, const char *f2)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct cmp_job *j = new_job(r, step);
	if (!pd_kantor_form_version(r, &j->version, N_("Versi pengaduan (versi) tidak ada atau tidak sah.")))
		return;
	j->v1 = f1 ? pd_web_field(r, f1) : NULL;
	j->v2 = f2 ? pd_web_field(r, f2) : NULL;
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_complaint_dispose(struct pd_req *r)
{
	post_step(r, STEP_DISPOSE, "unit", "catatan");
}

void pd_web_kantor_complaint_ask_info(struct pd_req *r)
{
	post_step(r, STEP_ASK, "pertanyaan", NULL);
}

void pd_web_kantor_complaint_out_of_scope(struct pd_req *r)
{
	post_step(r, STEP_OUT, "alasan", NULL);
}

void pd_web_kantor_complaint_merge(struct pd_req *r)
{
	post_step(r, STEP_MERGE, "nomor", NULL);
}

void pd_web_kantor_complaint_hand_on(struct pd_req *r)
{
	post_step(r, STEP_HAND_ON, "unit", "alasan");
}

void pd_web_kantor_complaint_answer(struct pd_req *r)
{
	post_step(r, STEP_ANSWER, "jawaban", NULL);
}

void pd_web_kantor_complaint_approve_public(struct pd_req *r)
{
	post_step(r, STEP_PUBLIC, "judul", "isi");
}
