/* The citizen's satisfaction survey (/permohonan/{id}/survei): nine questions of
 * PermenPANRB 14/2017 as radio groups, answered once per completed application, anonymously. */
#include "web/ikm.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/tracking.h"
#include "domain/survey.h"
#include "http/app.h"
#include "web/account_internal.h"

/* The form's field of element e: "u1" .. "u9" (unsur 1..9 of the regulation). */
static const char *field_name(int e)
{
	static const char *const names[PD_IKM__MAX] = {"u1", "u2", "u3", "u4", "u5",
	                                               "u6", "u7", "u8", "u9"};
	return names[e];
}

static const char *tracking_display(struct pd_req *r, const char *compact)
{
	if (!compact || strlen(compact) != PD_TRACKING_COMPACT_LEN)
		return "";
	char out[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(compact, out);
	return pd_arena_strdup(r->arena, out);
}

static json_t *target_json(struct pd_req *r, const struct pd_survey_target *t)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "id", t->application_id, "tracking",
	                 tracking_display(r, t->tracking), "service", t->service_name ? t->service_name : "",
	                 "unit", t->unit_name ? t->unit_name : "");
}

/* The questionnaire; scores[e] (0: none) are shown checked, errs beside their groups. */
static void form_page(struct pd_req *r, int status, const struct pd_survey_target *t,
                      const int scores[PD_IKM__MAX], const struct pd_field_errors *errs)
{
	json_t *ctx = json_object();
	json_t *questions = json_array();
	for (int e = 0; e < PD_IKM__MAX; e++) {
		const char *name = field_name(e);
		json_t *answers = json_array();
		for (int s = PD_IKM_SCORE_MIN; s <= PD_IKM_SCORE_MAX; s++)
			json_array_append_new(
				answers,
				json_pack("{s:i,s:s,s:s,s:b}", "value", s, "id",
				          pd_arena_printf(r->arena, "%s-%d", name, s), "label",
				          pd_req_t(r, pd_ikm_element_answer((enum pd_ikm_element)e, s)),
				          "checked", scores && scores[e] == s));
		json_t *q = json_pack("{s:s,s:i,s:s,s:s,s:o}", "name", name, "number", e + 1, "element",
		                      pd_req_t(r, pd_ikm_element_name((enum pd_ikm_element)e)),
		                      "question",
		                      pd_req_t(r, pd_ikm_element_question((enum pd_ikm_element)e)),
		                      "answers", answers);
		for (int i = 0; errs && i < errs->n; i++)
			if (strcmp(errs->field[i], name) == 0)
				json_object_set_new(q, "error", json_string(pd_req_t(r, errs->msg[i])));
		json_array_append_new(questions, q);
	}
	json_object_set_new(ctx, "questions", questions);
	json_object_set_new(ctx, "app", target_json(r, t));
	if (errs && errs->n)
		json_object_set_new(ctx, "has_errors", json_true());
	pd_reply_page(r, status, "survei/form", N_("Survei kepuasan masyarakat"), ctx);
}

static void thanks_page(struct pd_req *r, const struct pd_survey_target *t)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "app", target_json(r, t));
	pd_reply_page(r, 200, "survei/terima_kasih", N_("Terima kasih atas penilaian Anda"), ctx);
}

/* Replies for a refusal of pd_survey_target or the write. */
static void reply_refusal(struct pd_req *r, int rc)
{
	if (rc == PD_ERR_FORBIDDEN)
		pd_reply_error(r, PD_E_FORBIDDEN,
		               N_("Survei dapat diisi setelah permohonan selesai (disetujui atau ditolak)."));
	else if (rc == PD_ERR_CONFLICT)
		pd_reply_error(r, PD_E_CONFLICT, N_("Survei permohonan ini sudah diisi. Terima kasih."));
	else if (rc == PD_ERR_NOT_FOUND)
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Permohonan ini tidak ada."));
	else
		pd_web_reply_rc(r, rc);
}

void pd_web_survey_form(struct pd_req *r)
{
	struct pd_survey_target t;
	int rc = pd_survey_target(r->store, r->actor, r->params[0], r->arena, &t);
	if (rc) {
		reply_refusal(r, rc);
		return;
	}
	if (t.answered)
		thanks_page(r, &t);
	else
		form_page(r, 200, &t, NULL, NULL);
}

struct survey_job {
	const struct pd_actor *actor;
	const char *id;
	int scores[PD_IKM__MAX];
	int64_t now_ms;
	int tz;
};

static int survey_tx(struct pd_tx *tx, void *p)
{
	struct survey_job *j = p;
	return pd_survey_submit_tx(tx, j->actor, j->id, j->scores, j->now_ms, j->tz);
}

static void survey_done(struct pd_req *r, int rc)
{
	struct survey_job *j = r->user;
	if (rc) {
		reply_refusal(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/permohonan/%s/survei", j->id));
}

void pd_web_survey_submit(struct pd_req *r)
{
	/* Who may answer is decided before what was answered (404 → 403 → 409 → 422). */
	struct pd_survey_target t;
	int rc = pd_survey_target(r->store, r->actor, r->params[0], r->arena, &t);
	if (rc == PD_OK && t.answered)
		rc = PD_ERR_CONFLICT;
	if (rc) {
		reply_refusal(r, rc);
		return;
	}
	struct survey_job *j = pd_arena_alloc(r->arena, sizeof *j);
	struct pd_field_errors errs = {0};
	for (int e = 0; e < PD_IKM__MAX; e++) {
		const char *v = pd_web_field(r, field_name(e));
		j->scores[e] = 0;
		if (strlen(v) == 1 && v[0] >= '0' + PD_IKM_SCORE_MIN && v[0] <= '0' + PD_IKM_SCORE_MAX)
			j->scores[e] = v[0] - '0';
		else
			pd_field_error(&errs, field_name(e), *v ? N_("Pilih salah satu jawaban yang tersedia.")
			                                        : N_("Pilih salah satu jawaban."));
	}
	if (errs.n) {
		form_page(r, 422, &t, j->scores, &errs);
		return;
	}
	j->actor = r->actor;
	j->id = t.application_id;
	j->now_ms = pd_clock_now_ms();
	j->tz = r->app->cfg->tz_offset_min;
	r->user = j;
	pd_req_write(r, survey_tx, j, survey_done);
}
