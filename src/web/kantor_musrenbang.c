/* The Musrenbang back office at /kantor/musrenbang: the rounds with a form to open one, and
 * one round with its steps — verification of proposals, the next phase (voting opens with the
 * voter snapshot, ranking freezes the results), the hand-over of the top items from the level
 * below, progress updates on funded items. Access is the domain's (domain/musrenbang.h). */
#include <inttypes.h>
#include <string.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/unit.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/form.h"
#include "web/account_internal.h"
#include "web/kantor_common.h"
#include "web/musrenbang.h"

#define PAGE 50
#define UNITS_MAX 400

struct units_job {
	struct pd_req *r;
	json_t *arr;
	const char *selected;
	int n;
};

static void on_unit(const struct pd_unit *u, const char *parent_slug, void *arg)
{
	(void)parent_slug;
	struct units_job *j = arg;
	if (j->n >= UNITS_MAX || !u->kind ||
	    (strcmp(u->kind, "village") && strcmp(u->kind, "district") && strcmp(u->kind, "regency") &&
	     strcmp(u->kind, "city")) ||
	    !pd_mus_staff_may(j->r->actor, PD_ACT_CONFIGURE, u->path))
		return;
	j->n++;
	json_array_append_new(j->arr, json_pack("{s:s,s:s,s:b}", "slug", u->slug, "name", u->name,
	                                        "selected", j->selected && strcmp(j->selected, u->slug) == 0));
}

struct create_job {
	struct pd_app_ctx c;
	struct pd_mus_round_new in;
	struct pd_app_errors errs;
	char id[37];
};

static json_t *errors_json(struct pd_req *r, const struct pd_app_errors *e)
{
	json_t *o = json_object();
	for (int i = 0; i < e->n; i++)
		if (!json_object_get(o, e->field[i]))
			json_object_set_new(o, e->field[i], json_string(pd_req_t(r, e->msg[i])));
	return o;
}

static void render_list(struct pd_req *r, int status, struct create_job *j)
{
	const char *before = pd_kantor_query(r, "setelah");
	struct pd_mus_round_row *rows = pd_arena_alloc(r->arena, PAGE * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_mus_round_list(r->store, before, PAGE, r->arena, rows, &n, &next);
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
		json_t *o = pd_web_mus_round_json(r, &rows[i]);
		if (pd_mus_staff_may(r->actor, PD_ACT_CONFIGURE, rows[i].unit_path) ||
		    pd_mus_staff_may(r->actor, PD_ACT_CASE_WORK, rows[i].unit_path))
			json_object_set_new(o, "mine", json_true());
		json_array_append_new(items, o);
	}
	json_t *ctx = json_pack("{s:o}", "items", items);
	struct units_job uj = {r, json_array(), j ? j->in.unit_slug : NULL, 0};
	pd_unit_each(r->store, on_unit, &uj);
	if (uj.n) {
		json_object_set_new(ctx, "units", uj.arr);
		json_object_set_new(ctx, "may_create", json_true());
	} else {
		json_decref(uj.arr);
	}
	if (j) {
		json_object_set_new(ctx, "errors", errors_json(r, &j->errs));
		json_object_set_new(ctx, "has_errors", json_true());
		json_object_set_new(ctx, "typed", json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
		                                            "title", pd_web_field(r, "judul"), "year", pd_web_field(r, "tahun"),
		                                            "budget", pd_web_field(r, "pagu"), "carry_up", pd_web_field(r, "naik"),
		                                            "d1", pd_web_field(r, "tgl_usul"), "d2", pd_web_field(r, "tgl_verifikasi"),
		                                            "d3", pd_web_field(r, "tgl_pilih"), "d4", pd_web_field(r, "tgl_peringkat")));
	}
	pd_kantor_page_links(r, ctx, "/kantor/musrenbang", "", next, before);
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "kantor/musrenbang/index", N_("Musrenbang"), ctx);
}

void pd_web_kantor_musrenbang(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	render_list(r, 200, NULL);
}

/* The end of the local day typed as YYYY-MM-DD, or 0 when malformed. */
static int64_t end_of_day(struct pd_req *r, const char *s)
{
	int64_t y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    pd_parse_i64n(s, 4, 2000, 2100, &y) || pd_parse_i64n(s + 5, 2, 1, 12, &m) ||
	    pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return 0;
	int32_t day = pd_civil_day((int)y, (int)m, (int)d);
	int64_t noon = (int64_t)day * 86400000 + 12 * 3600000;  /* inside the local day for +07..+09 */
	return pd_calendar_due(pd_http_calendar(r), noon, 0, NULL, 0);
}

static int create_tx(struct pd_tx *tx, void *p)
{
	struct create_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_mus_round_create(tx, &j->c, &j->in, &j->errs, j->id);
}

static void create_done(struct pd_req *r, int rc)
{
	struct create_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/musrenbang/%s", j->id));
		return;
	}
	if (rc == PD_ERR_INVALID || rc == PD_ERR_CONFLICT) {
		if (rc == PD_ERR_CONFLICT)
			pd_app_error(&j->errs, "year", N_("Unit ini sudah punya musrenbang untuk tahun tersebut."));
		render_list(r, rc == PD_ERR_CONFLICT ? 409 : 422, j);
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_kantor_musrenbang_create(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct create_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	pd_kantor_step_ctx(r, &j->c);
	j->in.unit_slug = pd_web_field(r, "unit");
	j->in.title = pd_web_field(r, "judul");
	int64_t v = 0;
	j->in.year = pd_parse_i64(pd_web_field(r, "tahun"), 1, 9999, &v) ? 0 : v;
	j->in.budget = pd_parse_i64(pd_web_field(r, "pagu"), 1, PD_MUS_COST_MAX, &v) ? 0 : v;
	j->in.carry_up = pd_parse_i64(pd_web_field(r, "naik"), 0, 1000, &v) ? -1 : v;
	j->in.proposals_until = end_of_day(r, pd_web_field(r, "tgl_usul"));
	j->in.verification_until = end_of_day(r, pd_web_field(r, "tgl_verifikasi"));
	j->in.voting_until = end_of_day(r, pd_web_field(r, "tgl_pilih"));
	j->in.ranking_until = end_of_day(r, pd_web_field(r, "tgl_peringkat"));
	r->user = j;
	pd_req_write(r, create_tx, j, create_done);
}

/* --- one round ------------------------------------------------------------------------------- */

enum step { STEP_ADVANCE, STEP_CARRY, STEP_VERIFY, STEP_PROGRESS };

struct step_job {
	struct pd_app_ctx c;
	enum step step;
	const char *id;          /* round or proposal */
	const char *round_id;    /* where to go back to */
	int64_t version;
	const char *v1, *v2, *v3, *photo;
	struct pd_app_errors errs;
	int n;
};

static void render_round(struct pd_req *r, const char *round_id, int status, struct step_job *j)
{
	struct pd_mus_round_view v;
	int rc = pd_mus_round_get(r->store, r->actor, round_id, 0, r->arena, &v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!v.may_configure && !v.may_work) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	json_t *ctx = json_object();
	json_t *round = pd_web_mus_round_json(r, &v.round);
	json_object_set_new(round, "version", json_integer(v.round.version));
	json_object_set_new(ctx, "round", round);
	bool verify = v.may_work && (v.phase == PD_MUS_PROPOSALS || v.phase == PD_MUS_VERIFICATION);
	json_t *ps = json_array();
	for (int i = 0; i < v.n_proposals; i++) {
		const struct pd_mus_proposal_row *p = &v.proposals[i];
		json_t *o = pd_web_mus_proposal_json(r, p, v.phase);
		if (verify)
			json_object_set_new(o, "may_verify", json_true());
		if (v.may_work && v.phase == PD_MUS_RESULTS && p->funded)
			json_object_set_new(o, "may_progress", json_true());
		if (j && j->id && strcmp(j->id, p->id) == 0) {
			json_object_set_new(o, "errors", errors_json(r, &j->errs));
			json_object_set_new(o, "has_errors", json_true());
		}
		json_array_append_new(ps, o);
	}
	json_object_set_new(ctx, "proposals", ps);
	json_object_set_new(ctx, "n_ballots", json_integer(v.n_ballots));
	if (v.may_configure && v.phase < PD_MUS_RESULTS)
		json_object_set_new(ctx, "next_phase", json_string(pd_req_t(r, pd_web_mus_phase_label((enum pd_mus_phase)(v.phase + 1)))));
	if (v.may_configure && strcmp(v.round.level, "village") != 0 &&
	    (v.phase == PD_MUS_PROPOSALS || v.phase == PD_MUS_VERIFICATION))
		json_object_set_new(ctx, "may_carry", json_true());
	json_t *kids = json_array();
	for (int i = 0; i < v.n_children; i++)
		json_array_append_new(kids, pd_web_mus_round_json(r, &v.children[i]));
	json_object_set_new(ctx, "children", kids);
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	if (pd_kantor_query(r, "dibawa"))
		json_object_set_new(ctx, "carried", json_string(pd_kantor_query(r, "dibawa")));
	if (j)
		json_object_set_new(ctx, "has_errors", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, status, "kantor/musrenbang/round", v.round.title, ctx);
}

void pd_web_kantor_musrenbang_round(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	render_round(r, r->params[0], 200, NULL);
}

static int step_tx(struct pd_tx *tx, void *p)
{
	struct step_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	j->n = 0;
	switch (j->step) {
	case STEP_ADVANCE:
		return pd_mus_round_advance(tx, &j->c, j->id, j->version);
	case STEP_CARRY:
		return pd_mus_carry_up(tx, &j->c, j->id, &j->n);
	case STEP_VERIFY:
		return pd_mus_verify(tx, &j->c, j->id, j->v1, j->v2, j->v3, &j->errs);
	case STEP_PROGRESS:
		return pd_mus_progress(tx, &j->c, j->id, j->v1, j->v2, j->v3, j->photo, &j->errs);
	}
	return PD_ERR_INVALID;
}

static void step_done(struct pd_req *r, int rc)
{
	struct step_job *j = r->user;
	if (rc == PD_OK) {
		const char *to = j->step == STEP_CARRY
		                         ? pd_arena_printf(r->arena, "/kantor/musrenbang/%s?dibawa=%d", j->round_id, j->n)
		                         : pd_arena_printf(r->arena, "/kantor/musrenbang/%s?ok=1", j->round_id);
		pd_reply_redirect(r, 303, to);
		return;
	}
	if (rc == PD_ERR_INVALID && j->round_id) {
		render_round(r, j->round_id, 422, j);
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_kantor_conflict_page(r, N_("Langkah ini tidak berlaku pada tahap musrenbang sekarang, atau orang lain sudah mengubahnya."),
		                        pd_arena_printf(r->arena, "/kantor/musrenbang/%s", j->round_id ? j->round_id : ""),
		                        N_("Buka lagi musrenbang ini"));
		return;
	}
	pd_web_reply_rc(r, rc);
}

static struct step_job *new_step(struct pd_req *r, enum step step)
{
	if (!pd_kantor_staff_or_reply(r))
		return NULL;
	struct step_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	pd_kantor_step_ctx(r, &j->c);
	j->step = step;
	j->id = r->params[0];
	j->round_id = pd_web_field(r, "musrenbang");
	if (!*j->round_id)
		j->round_id = step == STEP_ADVANCE || step == STEP_CARRY ? j->id : NULL;
	r->user = j;
	return j;
}

void pd_web_kantor_musrenbang_advance(struct pd_req *r)
{
	struct step_job *j = new_step(r, STEP_ADVANCE);
	if (!j || !pd_kantor_form_version(r, &j->version, N_("Versi musrenbang (versi) tidak ada atau tidak sah.")))
		return;
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_musrenbang_carry(struct pd_req *r)
{
	struct step_job *j = new_step(r, STEP_CARRY);
	if (j)
		pd_req_write(r, step_tx, j, step_done);
}

/* The round a proposal form came from must be a well-formed id to render again. */
static bool round_field_ok(struct pd_req *r, struct step_job *j)
{
	if (!j->round_id || strlen(j->round_id) != 36) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Isian musrenbang tidak ada atau tidak sah."));
		return false;
	}
	return true;
}

void pd_web_kantor_musrenbang_verify(struct pd_req *r)
{
	struct step_job *j = new_step(r, STEP_VERIFY);
	if (!j || !round_field_ok(r, j))
		return;
	j->v1 = pd_web_field(r, "layak");
	j->v2 = pd_web_field(r, "biaya");
	j->v3 = pd_web_field(r, "alasan");
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_musrenbang_progress(struct pd_req *r)
{
	struct step_job *j = new_step(r, STEP_PROGRESS);
	if (!j || !round_field_ok(r, j))
		return;
	j->v1 = pd_web_field(r, "tahap");
	j->v2 = pd_web_field(r, "persen");
	j->v3 = pd_web_field(r, "catatan");
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		if (u->field && strcmp(u->field, "foto") == 0 && u->size > 0)
			j->photo = u->path;
	pd_req_write(r, step_tx, j, step_done);
}
