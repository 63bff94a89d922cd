/* The reporter's steps on their complaint: confirm it solved, reopen it once with a reason,
 * and reply to the coordinator's question (the page shows the question). The reporter is the
 * signed-in reporter account or the holder of the follow-up token (form field or query `t`);
 * the domain decides (domain/complaint_handle.h). */
#include "web/kantor_pengaduan.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/complaint_handle.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"

enum rstep { R_CONFIRM, R_REOPEN, R_REPLY };

struct lapor_job {
	struct pd_app_ctx c;
	enum rstep step;
	const char *tracking;  /* as in the path */
	const char *token;     /* NULL when none */
	const char *text;
	struct pd_app_errors errs;
};

/* The follow-up token from the form (hidden field t) or the query; NULL when none. */
static const char *token_of(struct pd_req *r)
{
	const char *t = pd_req_form(r, "t");
	if (!t || !*t)
		t = pd_req_query(r, "t");
	return t && *t ? t : NULL;
}

/* Where the reporter reads their complaint again. */
static const char *back_url(struct pd_req *r, const char *tracking, const char *token)
{
	const char *g = pd_url_encode(r->arena, tracking);
	return token ? pd_arena_printf(r->arena, "/pengaduan/%s?t=%s", g, pd_url_encode(r->arena, token))
	             : pd_arena_printf(r->arena, "/pengaduan/%s", g);
}

/* The reporter's form page (the reply to a question, or the reopen reason after a refusal). */
static void render_form(struct pd_req *r, int status, enum rstep step, const char *tracking,
                        const char *token, const char *question, const char *typed,
                        const char *error)
{
	json_t *ctx = json_pack("{s:s,s:s}", "tracking", tracking, "back_url",
	                        back_url(r, tracking, token));
	if (token)
		json_object_set_new(ctx, "token", json_string(token));
	json_object_set_new(ctx, step == R_REOPEN ? "reopen" : "reply", json_true());
	if (question)
		json_object_set_new(ctx, "question", json_string(question));
	if (typed)
		json_object_set_new(ctx, "typed", json_string(typed));
	if (error)
		json_object_set_new(ctx, "error", json_string(pd_req_t(r, error)));
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_header(r, "Referrer-Policy", "no-referrer");
	pd_reply_page_titled(r, status, "pengaduan/tindak",
	                     step == R_REOPEN ? pd_req_t(r, N_("Buka kembali pengaduan"))
	                                      : pd_req_t(r, N_("Lengkapi keterangan pengaduan")),
	                     ctx);
}

static int lapor_tx(struct pd_tx *tx, void *p)
{
	struct lapor_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	switch (j->step) {
	case R_CONFIRM:
		return pd_complaint_confirm(tx, &j->c, j->tracking, j->token);
	case R_REOPEN:
		return pd_complaint_reopen(tx, &j->c, j->tracking, j->token, j->text, &j->errs);
	case R_REPLY:
		return pd_complaint_reporter_reply(tx, &j->c, j->tracking, j->token, j->text, &j->errs);
	}
	return PD_ERR_INVALID;
}

static void lapor_done(struct pd_req *r, int rc)
{
	struct lapor_job *j = r->user;
	if (rc == PD_OK) {
		pd_reply_redirect(r, 303, back_url(r, j->tracking, j->token));
		return;
	}
	if (rc == PD_ERR_CONFLICT) {
		json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 409, "message",
		                        pd_req_t(r, N_("Langkah ini tidak berlaku lagi untuk pengaduan ini: statusnya sudah berubah, atau pengaduan sudah pernah dibuka kembali atau dinyatakan selesai.")),
		                        "back_url", back_url(r, j->tracking, j->token), "back_label",
		                        pd_req_t(r, N_("Kembali ke pengaduan")));
		pd_reply_page(r, 409, "error", N_("Langkah tidak berlaku lagi"), ctx);
		return;
	}
	if (rc == PD_ERR_INVALID) {
		const char *msg = j->errs.n ? j->errs.msg[0] : N_("Isian tidak sah.");
		const char *question = NULL;
		if (j->step == R_REPLY)
			pd_complaint_question(r->store, r->app->keys, r->actor, j->tracking, j->token,
			                      r->arena, &question);
		render_form(r, 422, j->step, j->tracking, j->token, question, j->text, msg);
		return;
	}
	pd_web_reply_rc(r, rc);
}

static void post_lapor(struct pd_req *r, enum rstep step, const char *field)
{
	struct lapor_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->step = step;
	j->tracking = r->params[0];
	j->token = token_of(r);
	j->text = field ? pd_web_field(r, field) : NULL;
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	r->user = j;
	pd_req_write(r, lapor_tx, j, lapor_done);
}

void pd_web_complaint_confirm(struct pd_req *r)
{
	post_lapor(r, R_CONFIRM, NULL);
}

void pd_web_complaint_reopen(struct pd_req *r)
{
	post_lapor(r, R_REOPEN, "alasan");
}

void pd_web_complaint_reply(struct pd_req *r)
{
	post_lapor(r, R_REPLY, "keterangan");
}

void pd_web_complaint_reply_form(struct pd_req *r)
{
	const char *token = token_of(r);
	const char *question = NULL;
	int rc = pd_complaint_question(r->store, r->app->keys, r->actor, r->params[0], token,
	                               r->arena, &question);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	render_form(r, 200, R_REPLY, r->params[0], token, question, NULL, NULL);
}

json_t *pd_web_complaint_reporter_actions(struct pd_req *r, const char *tracking,
                                          const char *token)
{
	struct pd_complaint_reporter_options opt;
	if (pd_complaint_reporter_options(r->store, r->actor, tracking, token, &opt))
		return NULL;
	json_t *o = json_pack("{s:s,s:b,s:b,s:b,s:b}", "tracking", tracking, "selesai",
	                      opt.may_confirm, "buka_kembali", opt.may_reopen, "lengkapi",
	                      opt.may_reply, "any",
	                      opt.may_confirm || opt.may_reopen || opt.may_reply);
	if (token && *token)
		json_object_set_new(o, "token", json_string(token));
	return o;
}
