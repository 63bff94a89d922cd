/* Pages before sign-in: registration (/daftar), email verification, sign-in (/masuk), sign-out
 * (/keluar) and password reset (/lupa-sandi, /atur-ulang-sandi). Password hashes run on the
 * worker pool (pd_req_offload) and changes through durable writes (pd_req_write). */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/totp.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/session.h"
#include "web/account.h"
#include "web/account_internal.h"
#include "web/common_form.h"
#include "web/totp.h"

/* --- registration -------------------------------------------------------------------------- */

static void register_page(struct pd_req *r, int status, const struct pd_field_errors *errs)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "villages", pd_web_villages(r, pd_req_form(r, "village")));
	json_t *values = json_object();
	static const char *const keep[] = {"name", "email", "phone", "nik"};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		json_object_set_new(values, keep[i], json_string(pd_web_field(r, keep[i])));
	json_object_set_new(ctx, "values", values);
	if (errs && errs->n) {
		json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page(r, status, "auth/daftar", N_("Daftar akun"), ctx);
}

void pd_web_register_form(struct pd_req *r)
{
	if (r->actor) {
		pd_reply_redirect(r, 303, "/akun");
		return;
	}
	register_page(r, 200, NULL);
}

struct reg_job {
	const char *password;
	char hash[PD_HASH_MAX];
	struct pd_registration in;
	struct pd_register_result res;
	const struct pd_keyset *ks;
};

static int reg_hash(void *p)
{
	struct reg_job *j = p;
	return pd_password_hash(j->password, j->hash);
}

static int reg_tx(struct pd_tx *tx, void *p)
{
	struct reg_job *j = p;
	return pd_account_register(tx, j->ks, &j->in, &j->res);
}

static void reg_done(struct pd_req *r, int rc)
{
	struct reg_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		register_page(r, 422, &j->res.errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/masuk?terdaftar=1");
}

static void reg_hashed(struct pd_req *r, int rc)
{
	struct reg_job *j = r->user;
	pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	j->in.password_hash = j->hash;
	pd_req_write(r, reg_tx, j, reg_done);
}

void pd_web_register(struct pd_req *r)
{
	struct reg_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->ks = r->app->keys;
	j->password = pd_req_form(r, "password");
	j->in = (struct pd_registration){
		.name = pd_web_field(r, "name"),
		.email = pd_web_field(r, "email"),
		.phone = pd_web_field(r, "phone"),
		.nik = pd_web_field(r, "nik"),
		.village_slug = pd_web_field(r, "village"),
		.lang = r->lang,
		.base_url = pd_http_base_url(r),
	};
	struct pd_field_errors errs = {0};
	pd_account_check_registration(&j->in, j->password ? j->password : "", &errs);
	if (errs.n) {
		register_page(r, 422, &errs);
		return;
	}
	r->user = j;
	pd_req_offload(r, reg_hash, j, reg_hashed);
}

/* --- email verification -------------------------------------------------------------------- */

struct verify_job {
	const char *token;
	char account_id[37];
};

static int verify_tx(struct pd_tx *tx, void *p)
{
	struct verify_job *j = p;
	return pd_account_verify_email(tx, j->token, j->account_id);
}

static void verify_done(struct pd_req *r, int rc)
{
	if (rc == PD_ERR_NOT_FOUND) {
		json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 404, "message",
		                        pd_req_t(r, N_("Tautan verifikasi tidak berlaku: sudah dipakai, kedaluwarsa, atau salah salin. Masuk lalu minta tautan baru dari halaman akun.")),
		                        "back_url", "/akun", "back_label", pd_req_t(r, N_("Ke halaman akun")));
		pd_reply_page(r, 404, "error", N_("Tautan tidak berlaku"), ctx);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_pack("{s:b}", "signed_in", r->actor != NULL);
	pd_reply_page(r, 200, "auth/verifikasi_email", N_("Email terverifikasi"), ctx);
}

void pd_web_verify_email(struct pd_req *r)
{
	struct verify_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->token = pd_req_query(r, "token");
	if (!j->token) {
		verify_done(r, PD_ERR_NOT_FOUND);
		return;
	}
	pd_req_write(r, verify_tx, j, verify_done);
}

/* --- sign-in and sign-out ------------------------------------------------------------------ */

static void signin_page(struct pd_req *r, int status, const char *error)
{
	json_t *ctx = json_object();
	const char *next = pd_req_form(r, "next");
	if (!next)
		next = pd_req_query(r, "next");
	json_object_set_new(ctx, "next", json_string(pd_web_safe_next(next)));
	if (error)
		json_object_set_new(ctx, "error", json_string(pd_req_t(r, error)));
	if (status == 200) {
		static const char *const notices[] = {"terdaftar", "keluar", "sandi", "kedaluwarsa"};
		for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++)
			if (pd_req_query(r, notices[i]))
				json_object_set_new(ctx, notices[i], json_true());
	}
	pd_reply_page(r, status, "auth/masuk", N_("Masuk"), ctx);
}

void pd_web_signin_form(struct pd_req *r)
{
	if (r->actor) {
		pd_reply_redirect(r, 303, pd_web_safe_next(pd_req_query(r, "next")));
		return;
	}
	signin_page(r, 200, NULL);
}

struct signin_job {
	struct pd_signin_prep prep;
	const char *password;
	bool ok, rehash;
	int n_hashes;
	char new_hash[PD_HASH_MAX];
	const struct pd_keyset *ks;
	const char *binding, *next;   /* the browser's CSRF secret; where to go afterwards */
	struct pd_signin_result result;
};

/* Exactly one argon2id verification whether or not the account exists (a second hash only
 * when a known account's parameters are old and its password was right). */
static int signin_hash(void *p)
{
	struct signin_job *j = p;
	bool known = j->prep.found && j->prep.hash[0];
	j->ok = pd_password_verify(known ? j->prep.hash : NULL, j->password, &j->rehash);
	j->n_hashes = 1;
	if (j->ok && j->rehash) {
		if (pd_password_hash(j->password, j->new_hash) == PD_OK)
			j->n_hashes++;
		else
			j->rehash = false;
	}
	return PD_OK;
}

static int signin_ok_tx(struct pd_tx *tx, void *p)
{
	struct signin_job *j = p;
	return pd_signin_password_ok(tx, j->ks, &j->prep, j->rehash ? j->new_hash : NULL, j->binding,
	                             j->next, &j->result);
}

static int signin_fail_tx(struct pd_tx *tx, void *p)
{
	struct signin_job *j = p;
	return pd_signin_failed(tx, &j->prep);
}

#define SIGNIN_FAILED N_("Email atau kata sandi salah.")

static void signin_failed(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	signin_page(r, 422, SIGNIN_FAILED);
}

static void signin_ok(struct pd_req *r, int rc)
{
	struct signin_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	switch (j->result.step) {
	case PD_SIGNIN_CODE:
		/* Staff with TOTP: half signed in until the code (no session yet). */
		pd_web_pending_cookie_set(r, j->result.pending, PD_PENDING_CODE_TTL_MS);
		pd_reply_redirect(r, 303, "/masuk/kode");
		return;
	case PD_SIGNIN_ENROL:
		/* Their unit requires TOTP and they have none: enrolment before anything else. */
		pd_web_pending_cookie_set(r, j->result.pending, PD_PENDING_ENROL_TTL_MS);
		pd_reply_redirect(r, 303, "/masuk/totp");
		return;
	case PD_SIGNIN_DONE:
		break;
	}
	pd_http_session_cookie_set(r, j->result.session.token);
	pd_reply_redirect(r, 303, j->next);
}

static void signin_hashed(struct pd_req *r, int rc)
{
	struct signin_job *j = r->user;
	for (int i = 0; i < j->n_hashes; i++)
		pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->ok && !j->prep.disabled)
		pd_req_write(r, signin_ok_tx, j, signin_ok);
	else
		pd_req_write(r, signin_fail_tx, j, signin_failed);
}

void pd_web_signin(struct pd_req *r)
{
	const char *email = pd_web_field(r, "email");
	const char *password = pd_req_form(r, "password");
	if (!*email || !password || !*password) {
		signin_page(r, 422, N_("Isi alamat email dan kata sandi."));
		return;
	}
	struct signin_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->password = password;
	j->ks = r->app->keys;
	j->binding = r->csrf_secret;
	j->next = pd_web_safe_next(pd_req_form(r, "next"));
	int rc = pd_signin_prepare(r->store, r->app->keys, email, r->client_ip, &j->prep);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->prep.locked) {
		/* The same answer for a locked account and a locked unknown address. */
		char ra[32];
		snprintf(ra, sizeof ra, "%lld", (long long)j->prep.retry_after_s);
		pd_reply_header(r, "Retry-After", ra);
		signin_page(r, 429, N_("Terlalu banyak percobaan masuk yang gagal. Tunggu 15 menit lalu coba lagi, atau atur ulang kata sandi."));
		return;
	}
	r->user = j;
	pd_req_offload(r, signin_hash, j, signin_hashed);
}

static int signout_tx(struct pd_tx *tx, void *p)
{
	return pd_session_end(tx, p);
}

static void signed_out(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_http_session_cookie_clear(r);
	pd_reply_redirect(r, 303, "/masuk?keluar=1");
}

void pd_web_signout(struct pd_req *r)
{
	if (!r->actor || !r->session_token) {
		signed_out(r, PD_OK);
		return;
	}
	pd_req_write(r, signout_tx, (void *)r->session_token, signed_out);
}

/* --- password reset ------------------------------------------------------------------------ */

static void forgot_page(struct pd_req *r, int status, const char *error)
{
	json_t *ctx = json_object();
	if (error)
		json_object_set_new(ctx, "error", json_string(pd_req_t(r, error)));
	if (status == 200 && pd_req_query(r, "terkirim"))
		json_object_set_new(ctx, "sent", json_true());
	pd_reply_page(r, status, "auth/lupa_sandi", N_("Lupa kata sandi"), ctx);
}

void pd_web_forgot_form(struct pd_req *r)
{
	forgot_page(r, 200, NULL);
}

struct forgot_job {
	const struct pd_keyset *ks;
	const char *email, *lang, *base_url;
};

static int forgot_tx(struct pd_tx *tx, void *p)
{
	struct forgot_job *j = p;
	return pd_account_request_reset(tx, j->ks, j->email, j->lang, j->base_url);
}

static void forgot_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	/* The same answer whether or not the address has an account. */
	pd_reply_redirect(r, 303, "/lupa-sandi?terkirim=1");
}

void pd_web_forgot(struct pd_req *r)
{
	const char *email = pd_web_field(r, "email");
	if (!*email) {
		forgot_page(r, 422, N_("Isi alamat email."));
		return;
	}
	struct forgot_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct forgot_job){r->app->keys, email, r->lang, pd_http_base_url(r)};
	pd_req_write(r, forgot_tx, j, forgot_done);
}

static void reset_invalid(struct pd_req *r)
{
	json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 404, "message",
	                        pd_req_t(r, N_("Tautan atur ulang kata sandi tidak berlaku: sudah dipakai, kedaluwarsa (berlaku 1 jam), atau salah salin. Minta tautan baru.")),
	                        "back_url", "/lupa-sandi", "back_label", pd_req_t(r, N_("Minta tautan baru")));
	pd_reply_page(r, 404, "error", N_("Tautan tidak berlaku"), ctx);
}

static void reset_page(struct pd_req *r, int status, const char *token, const char *error)
{
	json_t *ctx = json_pack("{s:s}", "token", token);
	if (error)
		json_object_set_new(ctx, "errors", json_pack("{s:s}", "password", pd_req_t(r, error)));
	pd_reply_page(r, status, "auth/atur_ulang_sandi", N_("Atur ulang kata sandi"), ctx);
}

void pd_web_reset_form(struct pd_req *r)
{
	const char *token = pd_req_query(r, "token");
	bool valid = false;
	int rc = token ? pd_account_reset_valid(r->store, token, &valid) : PD_OK;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!valid) {
		reset_invalid(r);
		return;
	}
	reset_page(r, 200, token, NULL);
}

struct reset_job {
	const char *token, *password;
	char hash[PD_HASH_MAX];
};

static int reset_hash(void *p)
{
	struct reset_job *j = p;
	return pd_password_hash(j->password, j->hash);
}

static int reset_tx(struct pd_tx *tx, void *p)
{
	struct reset_job *j = p;
	return pd_account_reset_password(tx, j->token, j->hash);
}

static void reset_done(struct pd_req *r, int rc)
{
	if (rc == PD_ERR_NOT_FOUND) {
		reset_invalid(r);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_http_session_cookie_clear(r);
	pd_reply_redirect(r, 303, "/masuk?sandi=1");
}

static void reset_hashed(struct pd_req *r, int rc)
{
	struct reset_job *j = r->user;
	pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_req_write(r, reset_tx, j, reset_done);
}

void pd_web_reset(struct pd_req *r)
{
	struct reset_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->token = pd_web_field(r, "token");
	j->password = pd_req_form(r, "password");
	bool valid = false;
	int rc = pd_account_reset_valid(r->store, j->token, &valid);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!valid) {
		reset_invalid(r);
		return;
	}
	const char *why = pd_password_problem(j->password);
	if (why) {
		reset_page(r, 422, j->token, why);
		return;
	}
	r->user = j;
	pd_req_offload(r, reset_hash, j, reset_hashed);
}
