/* The back office of petitions: the queue at /kantor/petisi (pending ones to check, obliged ones
 * to answer, the nearest deadline first), one petition with the moderator's approve / refuse
 * form and the unit's answer form, and the threshold setting of a unit. Access is the
 * domain's (domain/petition.h); this file only decides which forms to offer. */
#include "web/petisi.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/inforeq.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/form.h"
#include "web/account_internal.h"
#include "web/kantor_common.h"
#include "web/permohonan.h"

#define QUEUE_MAX 100
#define UNITS_MAX 300

void pd_web_kantor_petisi(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct pd_petition *rows = pd_arena_alloc(r->arena, QUEUE_MAX * sizeof *rows);
	int n = 0;
	int rc = pd_petition_queue(r->store, r->actor, r->arena, rows, QUEUE_MAX, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, pd_web_petition_json(r, &rows[i]));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "items", items);
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, 200, "kantor/petisi/antrian", N_("Antrean petisi"), ctx);
}

enum step { STEP_VIEW, STEP_MODERATE, STEP_ANSWER };

struct pet_job {
	struct pd_app_ctx c;
	const char *id;
	struct pd_arena *a;
	enum step step;
	int64_t version;
	bool approve;
	const char *text;
	int status;
	struct pd_app_errors errs;
	struct pd_petition p;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct pet_job *j = p;
	return pd_petition_get_tx(tx, j->c.ks, j->c.actor, j->id, true, j->a, &j->p);
}

static void render(struct pd_req *r, struct pet_job *j)
{
	const struct pd_petition *p = &j->p;
	json_t *o = pd_web_petition_json(r, p);
	json_object_set_new(o, "body", json_string(p->body ? p->body : ""));
	json_object_set_new(o, "ask", json_string(p->ask ? p->ask : ""));
	json_object_set_new(o, "period_days", json_integer(p->period_days));
	if (p->answer)
		json_object_set_new(o, "answer", json_string(p->answer));
	if (p->refusal_reason)
		json_object_set_new(o, "refusal_reason", json_string(p->refusal_reason));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "p", o);
	if (p->may_moderate)
		json_object_set_new(ctx, "may_moderate", json_true());
	if (p->may_answer)
		json_object_set_new(ctx, "may_answer", json_true());
	if (j->status == 422) {
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
		json_object_set_new(ctx, "typed", json_pack("{s:s}", "text", j->text ? j->text : ""));
	}
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, j->status ? j->status : 200, "kantor/petisi/detail",
	                     pd_arena_printf(r->arena, "%s: %s", pd_req_t(r, N_("Petisi")),
	                                     p->title ? p->title : p->id),
	                     ctx);
}

static void view_done(struct pd_req *r, int rc)
{
	struct pet_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	render(r, j);
}

static struct pet_job *new_job(struct pd_req *r, enum step step)
{
	struct pet_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	pd_kantor_step_ctx(r, &j->c);
	j->id = r->params[0];
	j->a = r->arena;
	j->step = step;
	r->user = j;
	return j;
}

void pd_web_kantor_petisi_view(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct pet_job *j = new_job(r, STEP_VIEW);
	/* Opening a pending draft is a staff read of personal data, recorded in the same tx. */
	pd_req_write(r, view_tx, j, view_done);
}

static int step_tx(struct pd_tx *tx, void *p)
{
	struct pet_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	if (j->step == STEP_MODERATE)
		return pd_petition_moderate(tx, &j->c, j->id, j->version, j->approve, j->text, &j->errs);
	return pd_petition_answer(tx, &j->c, j->id, j->version, j->text, &j->errs);
}

static void step_done(struct pd_req *r, int rc)
{
	struct pet_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/kantor/petisi/%s?ok=1", j->id));
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		pd_kantor_conflict_page(r, N_("Langkah ini tidak berlaku lagi: petisi sudah diperiksa atau dijawab, atau versinya berubah."),
		                        pd_arena_printf(r->arena, "/kantor/petisi/%s", j->id),
		                        N_("Buka lagi petisi ini"));
		return;
	}
	if (rc == PD_ERR_INVALID) {
		j->status = 422;
		j->step = STEP_VIEW;
		pd_req_write(r, view_tx, j, view_done);
		return;
	}
	pd_web_reply_rc(r, rc);
}

static struct pet_job *post_job(struct pd_req *r, enum step step)
{
	if (!pd_kantor_staff_or_reply(r))
		return NULL;
	struct pet_job *j = new_job(r, step);
	if (!pd_kantor_form_version(r, &j->version, N_("Versi petisi (versi) tidak ada atau tidak sah.")))
		return NULL;
	return j;
}

void pd_web_kantor_petisi_moderate(struct pd_req *r)
{
	struct pet_job *j = post_job(r, STEP_MODERATE);
	if (!j)
		return;
	const char *d = pd_web_field(r, "keputusan");
	if (strcmp(d, "setujui") != 0 && strcmp(d, "tolak") != 0) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Keputusan (keputusan) harus setujui atau tolak."));
		return;
	}
	j->approve = strcmp(d, "setujui") == 0;
	j->text = pd_web_field(r, "alasan");
	pd_req_write(r, step_tx, j, step_done);
}

void pd_web_kantor_petisi_answer(struct pd_req *r)
{
	struct pet_job *j = post_job(r, STEP_ANSWER);
	if (!j)
		return;
	j->text = pd_web_field(r, "jawaban");
	pd_req_write(r, step_tx, j, step_done);
}

/* --- the threshold setting ------------------------------------------------------------- */

struct set_job {
	struct pd_app_ctx c;
	const char *unit, *threshold, *days;
	struct pd_app_errors errs;
};

static void render_setting(struct pd_req *r, int status, const struct set_job *j)
{
	json_t *ctx = json_object();
	json_t *units = json_array();
	struct pd_inforeq_unit *u = pd_arena_alloc(r->arena, UNITS_MAX * sizeof *u);
	int n = 0;
	if (pd_inforeq_units(r->store, r->arena, u, UNITS_MAX, &n) == PD_OK)
		for (int i = 0; i < n; i++)
			json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "name",
			                                       u[i].name, "selected",
			                                       j && j->unit && strcmp(j->unit, u[i].slug) == 0));
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "defaults", json_pack("{s:i,s:i}", "threshold",
	                                               PD_PETITION_THRESHOLD_DEFAULT, "days",
	                                               PD_PETITION_ANSWER_DAYS_DEFAULT));
	json_object_set_new(ctx, "typed", json_pack("{s:s,s:s}", "threshold",
	                                            j && j->threshold ? j->threshold : "",
	                                            "days", j && j->days ? j->days : ""));
	if (j && j->errs.n) {
		json_t *e = json_object();
		for (int i = 0; i < j->errs.n; i++)
			if (!json_object_get(e, j->errs.field[i]))
				json_object_set_new(e, j->errs.field[i], json_string(pd_req_t(r, j->errs.msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (pd_kantor_query(r, "ok"))
		json_object_set_new(ctx, "done_notice", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "kantor/petisi/ambang", N_("Ambang petisi"), ctx);
}

void pd_web_kantor_petisi_setting(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	render_setting(r, 200, NULL);
}

static int set_tx(struct pd_tx *tx, void *p)
{
	struct set_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_petition_setting_set(tx, &j->c, j->unit, j->threshold, j->days, &j->errs);
}

static void set_done(struct pd_req *r, int rc)
{
	struct set_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, "/kantor/petisi/ambang?ok=1");
		return;
	}
	if (rc == PD_ERR_INVALID) {
		render_setting(r, 422, j);
		return;
	}
	pd_web_reply_rc(r, rc);
}

void pd_web_kantor_petisi_setting_save(struct pd_req *r)
{
	if (!pd_kantor_staff_or_reply(r))
		return;
	struct set_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	pd_kantor_step_ctx(r, &j->c);
	j->unit = pd_web_field(r, "unit");
	j->threshold = pd_web_field(r, "ambang");
	j->days = pd_web_field(r, "hari");
	r->user = j;
	pd_req_write(r, set_tx, j, set_done);
}
