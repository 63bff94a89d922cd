/* The account's own second factor at /akun/totp (staff only): its state, starting enrolment,
 * confirming it with a current code (then the recovery codes, shown once) and disabling it
 * with a current code. */
#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/totp.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/totp.h"
#include "web/totp_internal.h"

static const char *date_of(struct pd_req *r, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
	return pd_arena_strdup(r->arena, buf);
}

/* /akun/totp: the state with the disable form, the enrolment page while a secret is pending,
 * or the start button. error (a msgid) goes beside the disable form's code field. */
static void totp_page(struct pd_req *r, int status, const char *error)
{
	struct pd_totp_status st;
	int rc = pd_totp_status(r->store, r->actor, &st);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (st.pending) {
		struct pd_totp_enrolment en;
		rc = pd_totp_enrolment(r->store, r->app->keys, r->actor, r->arena, &en);
		if (rc) {
			pd_web_reply_rc(r, rc);
			return;
		}
		pd_web_totp_enrol_page(r, status, "/akun/totp", &en, NULL, false);
		sodium_memzero(en.secret_b32, sizeof en.secret_b32);
		return;
	}
	json_t *ctx = json_pack("{s:b,s:b,s:I}", "active", st.active, "required", st.required,
	                        "recovery_left", (json_int_t)st.recovery_left);
	if (st.active)
		json_object_set_new(ctx, "enabled", json_string(date_of(r, st.enabled_ms)));
	if (error) {
		json_object_set_new(ctx, "errors", json_pack("{s:s}", "code", pd_req_t(r, error)));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	static const char *const notices[] = {"nonaktif", "pemulihan"};
	for (size_t i = 0; status == 200 && i < sizeof notices / sizeof notices[0]; i++)
		if (pd_req_query(r, notices[i]))
			json_object_set_new(ctx, notices[i], json_true());
	pd_reply_page(r, status, "akun/totp", N_("Verifikasi dua langkah"), ctx);
}

void pd_web_account_totp(struct pd_req *r)
{
	totp_page(r, 200, NULL);
}

struct totp_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *code;
	struct pd_totp_confirmed res;
};

static struct totp_job *job_new(struct pd_req *r)
{
	struct totp_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->ks = r->app->keys;
	j->actor = r->actor;
	j->code = pd_web_field(r, "code");
	r->user = j;
	return j;
}

static int begin_tx(struct pd_tx *tx, void *p)
{
	struct totp_job *j = p;
	return pd_totp_begin(tx, j->ks, j->actor);
}

static void begin_done(struct pd_req *r, int rc)
{
	if (rc && rc != PD_ERR_CONFLICT) { /* already active: the page says so */
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun/totp");
}

void pd_web_account_totp_begin(struct pd_req *r)
{
	pd_req_write(r, begin_tx, job_new(r), begin_done);
}

static int confirm_tx(struct pd_tx *tx, void *p)
{
	struct totp_job *j = p;
	return pd_totp_confirm(tx, j->ks, j->actor, j->code, &j->res);
}

/* The enrolment page again with the error beside the code field. */
static void enrol_again(struct pd_req *r, const char *error)
{
	struct pd_totp_enrolment en;
	int rc = pd_totp_enrolment(r->store, r->app->keys, r->actor, r->arena, &en);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_web_totp_enrol_page(r, 422, "/akun/totp", &en, error, false);
	sodium_memzero(en.secret_b32, sizeof en.secret_b32);
}

static void confirm_done(struct pd_req *r, int rc)
{
	struct totp_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->res.wrong) {
		enrol_again(r, pd_web_totp_wrong);
		return;
	}
	pd_web_totp_codes_page(r, &j->res, "/akun/totp");
	sodium_memzero(&j->res, sizeof j->res);
}

void pd_web_account_totp_confirm(struct pd_req *r)
{
	struct totp_job *j = job_new(r);
	if (!*j->code) {
		enrol_again(r, N_("Isi kode dari aplikasi autentikator."));
		return;
	}
	pd_req_write(r, confirm_tx, j, confirm_done);
}

static int disable_tx(struct pd_tx *tx, void *p)
{
	struct totp_job *j = p;
	return pd_totp_disable(tx, j->ks, j->actor, j->code, &j->res);
}

static void disable_done(struct pd_req *r, int rc)
{
	struct totp_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->res.replay)
		pd_totp_log_replay(j->actor->account_id, "disable", r->request_id);
	if (j->res.wrong) {
		totp_page(r, 422, pd_web_totp_wrong);
		return;
	}
	pd_reply_redirect(r, 303, "/akun/totp?nonaktif=1");
}

void pd_web_account_totp_disable(struct pd_req *r)
{
	struct totp_job *j = job_new(r);
	if (!*j->code) {
		totp_page(r, 422, N_("Isi kode dari aplikasi autentikator."));
		return;
	}
	pd_req_write(r, disable_tx, j, disable_done);
}
