/* Petitions for the public and citizens: the list of public petitions with keyset pages and the
 * citizen's own, one petition with its counts (verified and self-declared NIKs apart), signers
 * who agreed to be named, the obligation and the unit's answer, the form to start one, the
 * signing step and the per-unit figures. Access is the domain's (domain/petition.h). */
#include "web/petisi.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/inforeq.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_time.h"
#include "web/permohonan.h"

#define PAGE 20
#define MINE_MAX 20
#define UNITS_MAX 300
#define FIGS_MAX 300

const char *pd_web_petition_status_label(enum pd_petition_status s)
{
	static const char *const l[] = {N_("Menunggu pemeriksaan moderator"), N_("Ditolak moderator"),
	                                N_("Terbuka"), N_("Sudah dijawab")};
	return (int)s >= 0 && s < PD_PETITION_STATUS__MAX ? l[s] : "";
}

json_t *pd_web_petition_json(struct pd_req *r, const struct pd_petition *p)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I}", "id", p->id, "title",
	                      p->title ? p->title : pd_req_t(r, N_("(judul menunggu pemeriksaan)")),
	                      "unit", p->unit_name ? p->unit_name : "", "status",
	                      pd_petition_status_name(p->status), "status_label",
	                      pd_req_t(r, pd_web_petition_status_label(p->status)), "verified",
	                      (json_int_t)p->n_verified, "self_declared",
	                      (json_int_t)p->n_self_declared, "total",
	                      (json_int_t)(p->n_verified + p->n_self_declared), "version",
	                      (json_int_t)p->version);
	json_object_set_new(o, "created", json_string(pd_web_app_date(r, p->created_ms)));
	if (p->threshold)
		json_object_set_new(o, "threshold", json_integer(p->threshold));
	if (p->closes_ms) {
		json_object_set_new(o, "closes", json_string(pd_web_app_date(r, p->closes_ms)));
		json_object_set_new(o, "closes_iso", json_string(pd_web_rfc3339(r->arena, p->closes_ms)));
	}
	if (p->collecting)
		json_object_set_new(o, "collecting", json_true());
	if (p->reached_ms)
		json_object_set_new(o, "reached", json_string(pd_web_app_date(r, p->reached_ms)));
	if (p->answer_due_ms)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, p->answer_due_ms)));
	if (p->answered_ms)
		json_object_set_new(o, "answered", json_string(pd_web_app_date(r, p->answered_ms)));
	if (p->overdue)
		json_object_set_new(o, "overdue", json_true());
	return o;
}

/* --- the list ---------------------------------------------------------------------------- */

void pd_web_petisi(struct pd_req *r)
{
	const char *after = pd_req_query(r, "setelah");
	struct pd_petition *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_petition_list(r->store, NULL, after && *after ? after : NULL, PAGE, r->arena, rows,
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
		json_array_append_new(items, pd_web_petition_json(r, &rows[i]));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	if (next)
		json_object_set_new(ctx, "next_url", json_string(pd_arena_printf(
		                                         r->arena, "/petisi?setelah=%s", next)));
	if (after)
		json_object_set_new(ctx, "first_url", json_string("/petisi"));
	if (r->actor && !r->actor->system) {
		json_object_set_new(ctx, "signed_in", json_true());
		struct pd_petition *mine = pd_arena_alloc(r->arena, MINE_MAX * sizeof *mine);
		int m = 0;
		json_t *own = json_array();
		if (pd_petition_mine(r->store, r->actor, r->arena, mine, MINE_MAX, &m) == PD_OK)
			for (int i = 0; i < m; i++)
				json_array_append_new(own, pd_web_petition_json(r, &mine[i]));
		json_object_set_new(ctx, "mine", own);
		pd_reply_header(r, "Cache-Control", "no-store");
	}
	pd_reply_page(r, 200, "petisi/index", N_("Petisi"), ctx);
}

void pd_web_petisi_statistik(struct pd_req *r)
{
	struct pd_pet_fig_row *f = pd_arena_alloc(r->arena, FIGS_MAX * sizeof *f);
	int n = 0;
	int rc = pd_petition_figures(r->store, r->arena, f, FIGS_MAX, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "slug",
		                                       f[i].unit_slug, "unit", f[i].unit_name, "petitions",
		                                       (json_int_t)f[i].petitions, "reached",
		                                       (json_int_t)f[i].reached, "answered",
		                                       (json_int_t)f[i].answered, "on_time",
		                                       (json_int_t)f[i].answered_on_time, "overdue",
		                                       (json_int_t)f[i].overdue_open, "late",
		                                       (json_int_t)f[i].answered_late));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	pd_reply_page(r, 200, "petisi/statistik", N_("Petisi per unit"), ctx);
}

/* --- starting one ------------------------------------------------------------------------ */

struct create_job {
	struct pd_app_ctx c;
	struct pd_petition_input in;
	struct pd_app_errors errs;
	char id[37];
};

static json_t *units_json(struct pd_req *r, const char *selected)
{
	json_t *a = json_array();
	struct pd_inforeq_unit *u = pd_arena_alloc(r->arena, UNITS_MAX * sizeof *u);
	int n = 0;
	if (pd_inforeq_units(r->store, r->arena, u, UNITS_MAX, &n))
		return a;
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "name", u[i].name,
		                                   "selected", selected && strcmp(selected, u[i].slug) == 0));
	return a;
}

static void render_form(struct pd_req *r, int status, const struct create_job *j)
{
	json_t *ctx = json_object();
	const struct pd_petition_input *in = j ? &j->in : NULL;
	char form_id[PD_UUID_LEN + 1];
	pd_uuid7(form_id);
	json_object_set_new(ctx, "form_id",
	                    json_string(in && in->form_id && *in->form_id ? in->form_id : form_id));
	json_object_set_new(ctx, "units", units_json(r, in ? in->unit_slug : pd_req_query(r, "unit")));
	json_object_set_new(ctx, "typed",
	                    json_pack("{s:s,s:s,s:s,s:s}", "title", in && in->title ? in->title : "",
	                              "body", in && in->body ? in->body : "", "ask",
	                              in && in->ask ? in->ask : "", "period",
	                              in && in->period_days && *in->period_days ? in->period_days : "30"));
	if (j) {
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		if (j->errs.n)
			json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "petisi/baru", N_("Mulai petisi"), ctx);
}

void pd_web_petisi_form(struct pd_req *r)
{
	render_form(r, 200, NULL);
}

static int create_tx(struct pd_tx *tx, void *p)
{
	struct create_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_petition_create(tx, &j->c, &j->in, &j->errs, j->id);
}

static void forbidden_page(struct pd_req *r, const char *title, const char *msg)
{
	json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 403, "message", pd_req_t(r, msg),
	                        "back_url", "/akun", "back_label", pd_req_t(r, N_("Buka akun Anda")));
	pd_reply_page(r, 403, "error", title, ctx);
}

static void create_done(struct pd_req *r, int rc)
{
	struct create_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/petisi/%s?baru=1", j->id));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_form(r, 422, j);
		return;
	}
	if (rc == PD_ERR_FORBIDDEN) {
		forbidden_page(r, N_("Belum dapat memulai petisi"),
		               N_("Petisi hanya dapat dimulai dari akun warga dengan alamat surel yang sudah diverifikasi."));
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_petisi_create(struct pd_req *r)
{
	struct create_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->in.unit_slug = pd_web_field(r, "unit");
	j->in.title = pd_web_field(r, "judul");
	j->in.body = pd_web_field(r, "isi");
	j->in.ask = pd_web_field(r, "tuntutan");
	j->in.period_days = pd_web_field(r, "masa");
	j->in.form_id = pd_web_field(r, "form_id");
	r->user = j;
	pd_req_write(r, create_tx, j, create_done);
}

/* --- one petition and signing ------------------------------------------------------------ */

void pd_web_petisi_view(struct pd_req *r)
{
	struct pd_petition p;
	int rc = pd_petition_get(r->store, r->app->keys, r->actor, r->params[0], r->arena, &p);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *o = pd_web_petition_json(r, &p);
	json_object_set_new(o, "body", json_string(p.body ? p.body : ""));
	json_object_set_new(o, "ask", json_string(p.ask ? p.ask : ""));
	if (p.answer)
		json_object_set_new(o, "answer", json_string(p.answer));
	if (p.refusal_reason && p.mine)
		json_object_set_new(o, "refusal_reason", json_string(p.refusal_reason));
	json_t *signers = json_array();
	for (int i = 0; i < p.n_signers; i++)
		json_array_append_new(signers, json_string(p.signers[i]));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "p", o);
	json_object_set_new(ctx, "signers", signers);
	if (p.collecting && !p.signed_by_me)
		json_object_set_new(ctx, "may_sign", json_true());
	if (p.signed_by_me)
		json_object_set_new(ctx, "signed", json_true());
	if (!r->actor)
		json_object_set_new(ctx, "signin_url", json_string(pd_arena_printf(
		                                           r->arena, "/masuk?next=/petisi/%s", p.id)));
	if (pd_req_query(r, "baru"))
		json_object_set_new(ctx, "created_notice", json_true());
	if (pd_req_query(r, "ok"))
		json_object_set_new(ctx, "signed_notice", json_true());
	if (r->actor || p.status == PD_PETITION_PENDING || p.status == PD_PETITION_REFUSED)
		pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, 200, "petisi/detail", p.title ? p.title : pd_req_t(r, N_("Petisi")), ctx);
}

struct sign_job {
	struct pd_app_ctx c;
	const char *id;
	bool show_name;
};

static int sign_tx(struct pd_tx *tx, void *p)
{
	struct sign_job *j = p;
	return pd_petition_sign(tx, &j->c, j->id, j->show_name);
}

static void sign_done(struct pd_req *r, int rc)
{
	struct sign_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/petisi/%s?ok=1", j->id));
		return;
	}
	if (rc == PD_ERR_FORBIDDEN) {
		forbidden_page(r, N_("Belum dapat menandatangani"),
		               N_("Petisi ditandatangani dengan NIK: satu NIK, satu tanda tangan. Tambahkan NIK Anda di halaman akun; petugas kantor desa dapat memverifikasinya dengan KTP Anda."));
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 409, "message",
		                        pd_req_t(r, N_("NIK Anda sudah menandatangani petisi ini, atau petisi ini tidak lagi menerima tanda tangan.")),
		                        "back_url", pd_arena_printf(r->arena, "/petisi/%s", j->id),
		                        "back_label", pd_req_t(r, N_("Kembali ke petisi")));
		pd_reply_page(r, 409, "error", N_("Tanda tangan tidak dicatat"), ctx);
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_petisi_sign(struct pd_req *r)
{
	struct sign_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->id = r->params[0];
	j->show_name = strcmp(pd_web_field(r, "tampilkan_nama"), "1") == 0;
	r->user = j;
	pd_req_write(r, sign_tx, j, sign_done);
}
