/* The public Musrenbang pages at /partisipasi/musrenbang: the rounds, one round with its
 * proposals, the proposal form, the knapsack ballot, the results, and one proposal with its
 * trace (village → district → regency) and progress. Rules are the domain's (musrenbang.h). */
#include "web/musrenbang.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "http/app.h"
#include "http/form.h"
#include "web/account_internal.h"
#include "web/common_time.h"
#include "web/permohonan.h"

#define PAGE 20

const char *pd_web_mus_rupiah(struct pd_arena *a, int64_t v)
{
	char digits[32], out[48];
	int n = snprintf(digits, sizeof digits, "%" PRId64, v < 0 ? 0 : v);
	size_t o = 0;
	out[o++] = 'R';
	out[o++] = 'p';
	for (int i = 0; i < n && o + 2 < sizeof out; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = '.';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return pd_arena_strdup(a, out);
}

const char *pd_web_mus_phase_label(enum pd_mus_phase p)
{
	static const char *const l[PD_MUS_PHASE__MAX] = {
		N_("Pengusulan"), N_("Verifikasi"), N_("Pemungutan suara"),
		N_("Pemeringkatan dan penyerahan"), N_("Hasil"),
	};
	return (unsigned)p < PD_MUS_PHASE__MAX ? l[p] : "";
}

const char *pd_web_mus_level_label(const char *level)
{
	if (level && strcmp(level, "village") == 0)
		return N_("Desa");
	if (level && strcmp(level, "district") == 0)
		return N_("Kecamatan");
	return N_("Kabupaten");
}

const char *pd_web_mus_status_label(const char *status)
{
	if (status && strcmp(status, "feasible") == 0)
		return N_("Layak");
	if (status && strcmp(status, "infeasible") == 0)
		return N_("Tidak layak");
	return N_("Menunggu verifikasi");
}

const char *pd_web_mus_progress_label(const char *status)
{
	if (status && strcmp(status, "in_progress") == 0)
		return N_("Sedang dikerjakan");
	if (status && strcmp(status, "done") == 0)
		return N_("Selesai");
	return N_("Direncanakan");
}

json_t *pd_web_mus_round_json(struct pd_req *r, const struct pd_mus_round_row *x)
{
	enum pd_mus_phase ph = pd_mus_phase_parse(x->phase);
	int64_t closes = ph == PD_MUS_PROPOSALS      ? x->proposals_until
	                 : ph == PD_MUS_VERIFICATION ? x->verification_until
	                 : ph == PD_MUS_VOTING       ? x->voting_until
	                 : ph == PD_MUS_RANKING      ? x->ranking_until
	                                             : 0;
	json_t *o = json_pack(
		"{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", x->id, "title",
		x->title, "unit", x->unit_name ? x->unit_name : "", "unit_slug",
		x->unit_slug ? x->unit_slug : "", "level", pd_req_t(r, pd_web_mus_level_label(x->level)),
		"year", (json_int_t)x->year, "phase", x->phase, "phase_label",
		pd_req_t(r, pd_web_mus_phase_label(ph)), "budget", pd_web_mus_rupiah(r->arena, x->budget),
		"proposals_until", pd_web_app_date(r, x->proposals_until), "verification_until",
		pd_web_app_date(r, x->verification_until), "voting_until",
		pd_web_app_date(r, x->voting_until), "ranking_until", pd_web_app_date(r, x->ranking_until),
		"carry_up", (json_int_t)x->carry_up);
	if (closes) {
		json_object_set_new(o, "closes", json_string(pd_web_app_date(r, closes)));
		json_object_set_new(o, "closes_iso", json_string(pd_web_rfc3339(r->arena, closes)));
	}
	if (ph >= PD_MUS_RANKING)
		json_object_set_new(o, "ranked", json_true());
	return o;
}

json_t *pd_web_mus_proposal_json(struct pd_req *r, const struct pd_mus_proposal_row *p,
                                 enum pd_mus_phase phase)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", p->id, "title", p->title,
	                      "location", p->location, "beneficiaries", p->beneficiaries, "est_cost",
	                      pd_web_mus_rupiah(r->arena, p->est_cost), "status", p->status,
	                      "status_label", pd_req_t(r, pd_web_mus_status_label(p->status)));
	if (strcmp(p->status, "feasible") == 0) {
		json_object_set_new(o, "feasible", json_true());
		json_object_set_new(o, "checked_cost", json_string(pd_web_mus_rupiah(r->arena, p->checked_cost)));
		json_object_set_new(o, "cost_value", json_integer(p->checked_cost));
	}
	if (p->verify_reason)
		json_object_set_new(o, "reason", json_string(p->verify_reason));
	if (p->origin_proposal_id)
		json_object_set_new(o, "carried", json_true());
	if (phase >= PD_MUS_RANKING && p->rank) {
		json_object_set_new(o, "rank", json_integer(p->rank));
		json_object_set_new(o, "votes", json_integer(p->votes));
		if (p->funded)
			json_object_set_new(o, "funded", json_true());
	}
	if (p->funded && p->progress_status) {
		json_object_set_new(o, "progress", json_pack("{s:s,s:I}", "label",
		                                             pd_req_t(r, pd_web_mus_progress_label(p->progress_status)),
		                                             "pct", (json_int_t)p->progress_pct));
	}
	if (p->n_photos > 0)
		json_object_set_new(o, "photo", json_string(pd_arena_printf(r->arena, "/partisipasi/musrenbang/usulan/%s/foto/1", p->id)));
	return o;
}

/* --- the rounds ------------------------------------------------------------------------------ */

void pd_web_musrenbang(struct pd_req *r)
{
	const char *before = pd_req_query(r, "setelah");
	struct pd_mus_round_row *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	struct pd_mus_round_row *open = pd_arena_alloc(r->arena, PAGE * sizeof *open);
	int n = 0, n_open = 0;
	const char *next = NULL;
	int rc = pd_mus_round_list(r->store, before && *before ? before : NULL, PAGE, r->arena, rows,
	                           &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
		return;
	}
	if (rc || (rc = pd_mus_open_now(r->store, r->arena, open, PAGE, &n_open))) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array(), *opens = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, pd_web_mus_round_json(r, &rows[i]));
	for (int i = 0; i < n_open; i++)
		json_array_append_new(opens, pd_web_mus_round_json(r, &open[i]));
	json_t *ctx = json_pack("{s:o,s:o}", "items", items, "open", opens);
	if (next)
		json_object_set_new(ctx, "next_url", json_string(pd_arena_printf(r->arena, "/partisipasi/musrenbang?setelah=%s", next)));
	if (before)
		json_object_set_new(ctx, "first_url", json_string("/partisipasi/musrenbang"));
	pd_reply_page(r, 200, "musrenbang/index", N_("Musrenbang"), ctx);
}

static bool chosen(const struct pd_mus_round_view *v, const char *id)
{
	for (int i = 0; i < v->n_chosen; i++)
		if (strcmp(v->chosen[i], id) == 0)
			return true;
	return false;
}

/* Renders the round page with status, errors and the typed choice (ids, may be NULL). */
static void render_round(struct pd_req *r, int status, const char *error,
                         const char *const *typed, size_t n_typed)
{
	struct pd_mus_round_view v;
	int rc = pd_mus_round_get(r->store, r->actor, r->params[0], 0, r->arena, &v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "round", pd_web_mus_round_json(r, &v.round));
	json_t *ps = json_array();
	bool any_feasible = false;
	for (int i = 0; i < v.n_proposals; i++) {
		json_t *o = pd_web_mus_proposal_json(r, &v.proposals[i], v.phase);
		bool on = false;
		if (typed) {
			for (size_t k = 0; k < n_typed; k++)
				on = on || strcmp(typed[k], v.proposals[i].id) == 0;
		} else {
			on = chosen(&v, v.proposals[i].id);
		}
		if (on)
			json_object_set_new(o, "chosen", json_true());
		any_feasible = any_feasible || strcmp(v.proposals[i].status, "feasible") == 0;
		json_array_append_new(ps, o);
	}
	json_object_set_new(ctx, "proposals", ps);
	json_object_set_new(ctx, "n_ballots", json_integer(v.n_ballots));
	json_t *kids = json_array();
	for (int i = 0; i < v.n_children; i++)
		json_array_append_new(kids, pd_web_mus_round_json(r, &v.children[i]));
	json_object_set_new(ctx, "children", kids);
	if (v.proposals_open)
		json_object_set_new(ctx, "proposals_open", json_true());
	if (v.voting_open && any_feasible) {
		json_object_set_new(ctx, "voting_open", json_true());
		if (r->actor)
			json_object_set_new(ctx, "signed_in", json_true());
		else
			json_object_set_new(ctx, "signin_url", json_string(pd_arena_printf(r->arena, "/masuk?next=%s", pd_url_encode(r->arena, pd_http_safe_path(r)))));
	}
	if (v.n_chosen)
		json_object_set_new(ctx, "has_ballot", json_true());
	if (v.may_configure || v.may_work)
		json_object_set_new(ctx, "kantor_url", json_string(pd_arena_printf(r->arena, "/kantor/musrenbang/%s", v.round.id)));
	if (error) {
		json_object_set_new(ctx, "errors", json_pack("{s:s}", "items", pd_req_t(r, error)));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (pd_req_query(r, "tersimpan"))
		json_object_set_new(ctx, "saved", json_true());
	if (r->actor)
		pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, status, "musrenbang/round", v.round.title, ctx);
}

void pd_web_musrenbang_round(struct pd_req *r)
{
	render_round(r, 200, NULL, NULL, 0);
}

/* --- proposing ------------------------------------------------------------------------------- */

struct prop_job {
	struct pd_app_ctx c;
	const char *round_id;
	struct pd_mus_proposal_new in;
	struct pd_app_errors errs;
	char id[37];
};

static void render_form(struct pd_req *r, int status, struct prop_job *j)
{
	struct pd_mus_round_view v;
	int rc = pd_mus_round_get(r->store, r->actor, r->params[0], 0, r->arena, &v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!v.proposals_open) {
		pd_reply_error(r, PD_E_CONFLICT, N_("Musrenbang ini tidak sedang menerima usulan."));
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "round", pd_web_mus_round_json(r, &v.round));
	if (j) {
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
		json_object_set_new(ctx, "typed", json_pack("{s:s,s:s,s:s,s:s}", "title", j->in.title,
		                                            "location", j->in.location, "est_cost",
		                                            j->in.est_cost, "beneficiaries",
		                                            j->in.beneficiaries));
	}
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "musrenbang/usul", N_("Kirim usulan"), ctx);
}

void pd_web_musrenbang_propose_form(struct pd_req *r)
{
	render_form(r, 200, NULL);
}

static int propose_tx(struct pd_tx *tx, void *p)
{
	struct prop_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_mus_propose(tx, &j->c, j->round_id, &j->in, &j->errs, j->id);
}

static void propose_done(struct pd_req *r, int rc)
{
	struct prop_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/partisipasi/musrenbang/usulan/%s", j->id));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_form(r, 422, j);
		return;
	}
	if (rc == PD_ERR_FORBIDDEN) {
		pd_reply_error(r, PD_E_FORBIDDEN, j->errs.n ? j->errs.msg[0] : NULL);
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_reply_error(r, PD_E_CONFLICT, N_("Musrenbang ini tidak sedang menerima usulan."));
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_musrenbang_propose(struct pd_req *r)
{
	struct prop_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->round_id = r->params[0];
	j->in.title = pd_web_field(r, "judul");
	j->in.location = pd_web_field(r, "lokasi");
	j->in.est_cost = pd_web_field(r, "biaya");
	j->in.beneficiaries = pd_web_field(r, "penerima");
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		if (u->field && strcmp(u->field, "foto") == 0 && u->size > 0)
			j->in.photo_path = u->path;
	r->user = j;
	pd_req_write(r, propose_tx, j, propose_done);
}

/* --- voting ---------------------------------------------------------------------------------- */

struct vote_job {
	struct pd_app_ctx c;
	const char *round_id;
	const char **ids;
	size_t n;
	struct pd_app_errors errs;
	bool replaced;
};

static int vote_tx(struct pd_tx *tx, void *p)
{
	struct vote_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_mus_cast(tx, &j->c, j->round_id, j->ids, (int)j->n, &j->errs, &j->replaced);
}

static void vote_done(struct pd_req *r, int rc)
{
	struct vote_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/partisipasi/musrenbang/%s?tersimpan=1", j->round_id));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_round(r, 422, j->errs.n ? j->errs.msg[0] : N_("Pilihan tidak sah."), j->ids, j->n);
		return;
	}
	if (rc == PD_ERR_FORBIDDEN) {
		pd_reply_error(r, PD_E_FORBIDDEN, j->errs.n ? j->errs.msg[0] : NULL);
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_reply_error(r, PD_E_CONFLICT, N_("Pemungutan suara musrenbang ini tidak sedang dibuka."));
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_musrenbang_vote(struct pd_req *r)
{
	struct vote_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->round_id = r->params[0];
	j->ids = pd_kv_get_all(r->arena, &r->form, "usulan", &j->n);
	r->user = j;
	pd_req_write(r, vote_tx, j, vote_done);
}

/* --- one proposal ---------------------------------------------------------------------------- */

static json_t *step_json(struct pd_req *r, const struct pd_mus_trace_step *s)
{
	json_t *o = pd_web_mus_proposal_json(r, &s->p, pd_mus_phase_parse(s->round.phase));
	json_object_set_new(o, "round", pd_web_mus_round_json(r, &s->round));
	return o;
}

void pd_web_musrenbang_proposal(struct pd_req *r)
{
	struct pd_mus_proposal_view v;
	int rc = pd_mus_proposal_get(r->store, r->actor, r->params[0], r->arena, &v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "p", step_json(r, &v.origin[0]));
	json_t *trace = json_array();
	for (int i = v.n_up - 1; i >= 0; i--)
		json_array_append_new(trace, step_json(r, &v.up[i]));
	json_t *self = step_json(r, &v.origin[0]);
	json_object_set_new(self, "self", json_true());
	json_array_append_new(trace, self);
	for (int i = 1; i < v.n_origin; i++)
		json_array_append_new(trace, step_json(r, &v.origin[i]));
	json_object_set_new(ctx, "trace", trace);
	if (v.n_up || v.n_origin > 1)
		json_object_set_new(ctx, "has_trace", json_true());
	json_t *prog = json_array();
	for (int i = 0; i < v.n_progress; i++)
		json_array_append_new(prog, json_pack("{s:s,s:I,s:s,s:s}", "label",
		                                      pd_req_t(r, pd_web_mus_progress_label(v.progress[i].status)),
		                                      "pct", (json_int_t)v.progress[i].percent, "note",
		                                      v.progress[i].note ? v.progress[i].note : "", "date",
		                                      pd_web_app_date(r, v.progress[i].at_ms)));
	json_object_set_new(ctx, "progress", prog);
	json_t *photos = json_array();
	for (int64_t i = 1; i <= v.origin[0].p.n_photos && i <= 20; i++)
		json_array_append_new(photos, json_pack("{s:s,s:I}", "href", pd_arena_printf(r->arena, "/partisipasi/musrenbang/usulan/%s/foto/%" PRId64, v.origin[0].p.id, i), "n", (json_int_t)i));
	json_object_set_new(ctx, "photos", photos);
	pd_reply_page_titled(r, 200, "musrenbang/usulan", v.origin[0].p.title, ctx);
}

void pd_web_musrenbang_photo(struct pd_req *r)
{
	int64_t n = 0;
	const char *mime = NULL;
	struct pd_blob data = {0};
	if (pd_parse_i64(r->params[1], 1, 20, &n)) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	int rc = pd_mus_photo(r->store, r->params[0], n, r->arena, &mime, &data);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_header(r, "Content-Security-Policy", "sandbox");
	pd_reply_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	pd_reply_header(r, "Cache-Control", "public, max-age=300");
	pd_reply_bytes(r, 200, mime, data.p, data.n);
}
