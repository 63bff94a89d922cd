/* The second step of sign-in: /masuk/kode asks a staff account with TOTP for a code or a
 * recovery code, /masuk/totp makes one whose unit requires TOTP enrol first. Both work on a
 * pending sign-in held in its own short-lived cookie and bound to the browser's CSRF secret;
 * only their success sets the session cookie. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/totp.h"
#include "http/app.h"
#include "http/cookie.h"
#include "http/session.h"
#include "web/account_internal.h"
#include "web/totp.h"
#include "web/totp_internal.h"

#define LOCKED_MSG N_("Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit lalu coba lagi, atau atur ulang kata sandi.")

static const char *cookie_name(const struct pd_req *r)
{
	return r->https ? "__Host-pd_signin" : "pd_signin";
}

static unsigned cookie_flags(const struct pd_req *r)
{
	return PD_COOKIE_HTTPONLY | PD_COOKIE_SAMESITE_STRICT | PD_COOKIE_PATH_ROOT |
	       (r->https ? PD_COOKIE_SECURE : 0);
}

void pd_web_pending_cookie_set(struct pd_req *r, const char *token, int64_t ttl_ms)
{
	const char *c = pd_cookie_format(r->arena, cookie_name(r), token, ttl_ms / 1000,
	                                 cookie_flags(r));
	if (c)
		pd_reply_header(r, "Set-Cookie", c);
}

static void cookie_clear(struct pd_req *r)
{
	const char *c = pd_cookie_format(r->arena, cookie_name(r), "x", 0, cookie_flags(r));
	if (c)
		pd_reply_header(r, "Set-Cookie", c);
}

static const char *pending_token(struct pd_req *r)
{
	return pd_kv_get(&r->cookies, cookie_name(r));
}

/* No usable pending sign-in (expired, used, another browser): back to the password. */
static void gone(struct pd_req *r)
{
	if (pending_token(r))
		cookie_clear(r);
	pd_reply_redirect(r, 303, "/masuk?kedaluwarsa=1");
}

static void code_page(struct pd_req *r, int status, const char *error, const char *alert)
{
	json_t *ctx = json_object();
	if (error)
		json_object_set_new(ctx, "errors", json_pack("{s:s}", "code", pd_req_t(r, error)));
	if (alert)
		json_object_set_new(ctx, "alert", json_string(pd_req_t(r, alert)));
	pd_reply_page(r, status, "auth/kode", N_("Verifikasi dua langkah"), ctx);
}

void pd_web_signin_code_form(struct pd_req *r)
{
	const char *token = pending_token(r);
	int rc = token ? pd_signin_pending_view(r->store, r->app->keys, token, r->csrf_secret, "code",
	                                        r->arena, NULL)
	               : PD_ERR_NOT_FOUND;
	if (rc == PD_ERR_NOT_FOUND) {
		gone(r);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	code_page(r, 200, NULL, NULL);
}

/* Shows the forced enrolment page again (or goes back to the password when it has ended). */
static void enrol_page(struct pd_req *r, int status, const char *error)
{
	struct pd_totp_enrolment en;
	const char *token = pending_token(r);
	int rc = token ? pd_signin_pending_view(r->store, r->app->keys, token, r->csrf_secret,
	                                        "enrol", r->arena, &en)
	               : PD_ERR_NOT_FOUND;
	if (rc == PD_ERR_NOT_FOUND) {
		gone(r);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_web_totp_enrol_page(r, status, "/masuk/totp", &en, error, true);
	sodium_memzero(en.secret_b32, sizeof en.secret_b32);
}

void pd_web_signin_enrol_form(struct pd_req *r)
{
	enrol_page(r, 200, NULL);
}

struct second_job {
	const struct pd_keyset *ks;
	const char *token, *binding, *addr, *code;
	bool enrol;
	struct pd_second_result res;
};

static int second_tx(struct pd_tx *tx, void *p)
{
	struct second_job *j = p;
	if (j->enrol)
		return pd_signin_enrol(tx, j->ks, j->token, j->binding, j->addr, j->code, &j->res);
	return pd_signin_second(tx, j->ks, j->token, j->binding, j->addr, j->code, &j->res);
}

static void second_done(struct pd_req *r, int rc)
{
	struct second_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->res.replay)
		pd_totp_log_replay(j->res.account_id, j->enrol ? "enrol" : "signin", r->request_id);
	switch (j->res.outcome) {
	case PD_SECOND_GONE:
		gone(r);
		return;
	case PD_SECOND_LOCKED: {
		char ra[32];
		snprintf(ra, sizeof ra, "%lld", (long long)j->res.retry_after_s);
		pd_reply_header(r, "Retry-After", ra);
		if (j->enrol)
			pd_reply_error(r, PD_E_RATE_LIMITED, LOCKED_MSG);
		else
			code_page(r, 429, NULL, LOCKED_MSG);
		return;
	}
	case PD_SECOND_WRONG:
		if (j->enrol)
			enrol_page(r, 422, pd_web_totp_wrong);
		else
			code_page(r, 422, pd_web_totp_wrong, NULL);
		return;
	case PD_SECOND_OK:
		break;
	}
	cookie_clear(r);
	pd_http_session_cookie_set(r, j->res.session.token);
	const char *next = pd_web_safe_next(j->res.next);
	if (j->enrol)
		pd_web_totp_codes_page(r, &j->res.enrolled, next);
	else
		pd_reply_redirect(r, 303, j->res.recovery_used ? "/akun/totp?pemulihan=1" : next);
	sodium_memzero(&j->res, sizeof j->res);
}

static void second_start(struct pd_req *r, bool enrol)
{
	const char *token = pending_token(r);
	if (!token) {
		gone(r);
		return;
	}
	struct second_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct second_job){.ks = r->app->keys, .token = token, .binding = r->csrf_secret,
	                         .addr = r->client_ip, .code = pd_web_field(r, "code"), .enrol = enrol};
	if (!*j->code || strlen(j->code) > 64) {
		const char *why = *j->code ? pd_web_totp_wrong : N_("Isi kode dari aplikasi autentikator.");
		if (enrol)
			enrol_page(r, 422, why);
		else
			code_page(r, 422, why, NULL);
		return;
	}
	r->user = j;
	pd_req_write(r, second_tx, j, second_done);
}

void pd_web_signin_code(struct pd_req *r)
{
	second_start(r, false);
}

void pd_web_signin_enrol(struct pd_req *r)
{
	second_start(r, true);
}
