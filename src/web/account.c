/* The account's own page /akun: its details, password change, language, email change with
 * re-verification, adding a NIK to a citizen account without one, and its sessions (sign out
 * one or all the others). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/authz.h"
#include "domain/nik_desk.h"
#include "http/app.h"
#include "http/cookie.h"
#include "http/metrics.h"
#include "http/session.h"
#include "store/session_store.h"
#include "web/account.h"
#include "web/account_internal.h"

#define MAX_SESSIONS 50

/* "2026-11-27 14:05 UTC": session times shown to their owner. */
static const char *when(struct pd_req *r, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
	return pd_arena_strdup(r->arena, buf);
}

static const char *masked_nik(struct pd_req *r, const char *nik)
{
	size_t n = nik ? strlen(nik) : 0;
	if (n < 10)
		return NULL;
	return pd_arena_printf(r->arena, "%.6s••••••%s", nik, nik + n - 4);
}

/* Renders /akun; errors (may be NULL) go beside the fields of the form named by `form`. */
static void account_page(struct pd_req *r, int status, const char *form,
                         const struct pd_field_errors *errs)
{
	struct pd_account acc;
	int rc = pd_web_load_own(r, &acc);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object();
	json_t *a = json_pack("{s:s,s:s,s:b,s:b}", "name", acc.name ? acc.name : "", "email",
	                      acc.email ? acc.email : "", "email_verified",
	                      acc.row.email_verified_ms != 0, "staff", strcmp(acc.row.kind, "staff") == 0);
	if (acc.phone)
		json_object_set_new(a, "phone", json_string(acc.phone));
	if (acc.nik) {
		json_object_set_new(a, "nik", json_string(masked_nik(r, acc.nik)));
		json_object_set_new(a, "nik_verified", json_boolean(acc.row.nik_verified));
	}
	/* Only a citizen without a NIK adds one here; changing one is the village office's work. */
	json_object_set_new(ctx, "nik_form", json_boolean(!acc.row.nik_bidx.p &&
	                                                  strcmp(acc.row.kind, "citizen") == 0));
	json_object_set_new(ctx, "account", a);
	json_t *grants = json_array();
	for (size_t i = 0; r->actor && i < r->actor->n_grants; i++)
		json_array_append_new(grants, json_pack("{s:s,s:s}", "role",
		                                        pd_role_name(r->actor->grants[i].role), "unit",
		                                        r->actor->grants[i].unit_slug));
	json_object_set_new(ctx, "grants", grants);
	json_object_set_new(ctx, "lang_id", json_boolean(strcmp(r->lang, "id") == 0));
	json_object_set_new(ctx, "lang_en", json_boolean(strcmp(r->lang, "en") == 0));
	json_object_set_new(ctx, "nik_desk", json_boolean(pd_nik_desk_open(r->actor) == PD_OK));
	/* Links to the back-office pages this account's grants open. */
	json_t *admin_units = json_array();
	bool auditor = false;
	for (size_t i = 0; r->actor && i < r->actor->n_grants; i++) {
		const struct pd_grant *g = &r->actor->grants[i];
		if (g->role == PD_ROLE_ADMINISTRATOR && g->unit_slug)
			json_array_append_new(admin_units, json_pack("{s:s}", "slug", g->unit_slug));
		auditor |= g->role == PD_ROLE_AUDITOR;
	}
	json_object_set_new(ctx, "administrator", json_boolean(json_array_size(admin_units) > 0));
	json_object_set_new(ctx, "admin_units", admin_units);
	json_object_set_new(ctx, "auditor", json_boolean(auditor));

	struct pd_session_row *rows = pd_arena_alloc(r->arena, MAX_SESSIONS * sizeof *rows);
	int n = 0;
	rc = pd_session_list(r->store, r->actor, r->arena, rows, MAX_SESSIONS, &n);
	if (rc) {
		json_decref(ctx);
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *sessions = json_array();
	int64_t now = pd_clock_now_ms();
	int others = 0;
	for (int i = 0; i < n; i++) {
		if (rows[i].expires_ms <= now)
			continue;
		bool current = r->actor->session_id && strcmp(rows[i].id, r->actor->session_id) == 0;
		others += !current;
		json_array_append_new(sessions, json_pack("{s:s,s:s,s:s,s:b}", "id", rows[i].id,
		                                          "created", when(r, rows[i].created_ms),
		                                          "last_seen", when(r, rows[i].last_seen_ms),
		                                          "current", current));
	}
	json_object_set_new(ctx, "sessions", sessions);
	json_object_set_new(ctx, "has_others", json_boolean(others > 0));
	static const char *const notices[] = {"sandi", "bahasa", "email", "verifikasi", "sesi"};
	for (size_t i = 0; status == 200 && i < sizeof notices / sizeof notices[0]; i++)
		if (pd_req_query(r, notices[i]))
			json_object_set_new(ctx, notices[i], json_true());
	if (status == 200 && pd_req_query(r, "nik"))
		json_object_set_new(ctx, "nik_added", json_true());
	if (errs && errs->n && form) {
		json_object_set_new(ctx, form, pd_web_errors_json(r, errs));
		json_object_set_new(ctx, "has_errors", json_true());
		if (strcmp(form, "email_errors") == 0)
			json_object_set_new(ctx, "new_email", json_string(pd_web_field(r, "email")));
		if (strcmp(form, "nik_errors") == 0)
			json_object_set_new(ctx, "new_nik", json_string(pd_web_field(r, "nik")));
	}
	pd_reply_page(r, status, "akun/index", N_("Akun saya"), ctx);
}

void pd_web_account(struct pd_req *r)
{
	account_page(r, 200, NULL, NULL);
}

/* --- password change: verify the current one, hash the new one (two hashes, on a worker) --- */

/* State of one account form across the worker and the durable write. */
struct pw_job {
	const char *hash, *current, *fresh;  /* stored hash, typed current and new passwords */
	bool ok;
	int n_hashes;
	char new_hash[PD_HASH_MAX];
	const struct pd_actor *actor;
	const char *token;                   /* the request's session token */
	const char *value;                   /* the new email, the language or a session id */
	const struct pd_keyset *ks;
	const char *base_url;
	struct pd_field_errors errs;
};

static int pw_hash(void *p)
{
	struct pw_job *j = p;
	j->ok = pd_password_verify(j->hash, j->current, NULL);
	j->n_hashes = 1;
	if (j->ok && j->fresh) {
		if (pd_password_hash(j->fresh, j->new_hash))
			return PD_ERR_NOMEM;
		j->n_hashes++;
	}
	return PD_OK;
}

static int pw_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	return pd_account_change_password(tx, j->actor, j->token, j->new_hash);
}

static void pw_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun?sandi=1");
}

static void pw_hashed(struct pd_req *r, int rc)
{
	struct pw_job *j = r->user;
	for (int i = 0; i < j->n_hashes; i++)
		pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!j->ok) {
		pd_field_error(&j->errs, "current", N_("Kata sandi saat ini salah."));
		account_page(r, 422, "password_errors", &j->errs);
		return;
	}
	pd_req_write(r, pw_tx, j, pw_done);
}

static struct pw_job *pw_job_new(struct pd_req *r)
{
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->token = r->session_token;
	j->ks = r->app->keys;
	j->current = pd_req_form(r, "current");
	if (!j->current || !*j->current)
		pd_field_error(&j->errs, "current", N_("Isi kata sandi saat ini."));
	return j;
}

void pd_web_account_password(struct pd_req *r)
{
	struct pw_job *j = pw_job_new(r);
	j->fresh = pd_req_form(r, "password");
	const char *why = pd_password_problem(j->fresh);
	if (why)
		pd_field_error(&j->errs, "password", why);
	if (j->errs.n) {
		account_page(r, 422, "password_errors", &j->errs);
		return;
	}
	int rc = pd_account_password_hash(r->store, r->actor, r->arena, &j->hash);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	r->user = j;
	pd_req_offload(r, pw_hash, j, pw_hashed);
}

/* --- email change: the password confirms it -------------------------------------------------- */

static int email_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_account_change_email(tx, j->ks, j->actor, j->value, j->base_url, &j->errs);
}

static void email_done(struct pd_req *r, int rc)
{
	struct pw_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		account_page(r, 422, "email_errors", &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun?email=1");
}

static void email_hashed(struct pd_req *r, int rc)
{
	struct pw_job *j = r->user;
	pd_metrics_hash(r->app->metrics);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (!j->ok) {
		pd_field_error(&j->errs, "current", N_("Kata sandi saat ini salah."));
		account_page(r, 422, "email_errors", &j->errs);
		return;
	}
	pd_req_write(r, email_tx, j, email_done);
}

void pd_web_account_email(struct pd_req *r)
{
	struct pw_job *j = pw_job_new(r);
	j->value = pd_web_field(r, "email");
	j->base_url = pd_http_base_url(r);
	if (!*j->value)
		pd_field_error(&j->errs, "email", N_("Isi alamat email baru."));
	if (j->errs.n) {
		account_page(r, 422, "email_errors", &j->errs);
		return;
	}
	int rc = pd_account_password_hash(r->store, r->actor, r->arena, &j->hash);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	r->user = j;
	pd_req_offload(r, pw_hash, j, email_hashed);
}

/* --- adding a NIK (the checks and words of registration, in the domain) ---------------------- */

static int nik_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_account_add_nik(tx, j->ks, j->actor, j->value, &j->errs);
}

static void nik_done(struct pd_req *r, int rc)
{
	struct pw_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		account_page(r, 422, "nik_errors", &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/akun?nik=1");
}

void pd_web_account_nik(struct pd_req *r)
{
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->value = pd_web_field(r, "nik");
	r->user = j;
	pd_req_write(r, nik_tx, j, nik_done);
}

/* --- language, verification mail, sessions -------------------------------------------------- */

static int lang_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	return pd_account_set_lang(tx, j->actor, j->value);
}

static void redirect_done(struct pd_req *r, int rc)
{
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, r->user);
}

void pd_web_account_lang(struct pd_req *r)
{
	const char *lang = pd_i18n_canonical(pd_web_field(r, "lang"));
	if (!lang) {
		struct pd_field_errors errs = {0};
		pd_field_error(&errs, "lang", N_("Pilih Bahasa Indonesia atau English."));
		account_page(r, 422, "lang_errors", &errs);
		return;
	}
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->value = lang;
	unsigned flags = PD_COOKIE_SAMESITE_LAX | PD_COOKIE_PATH_ROOT | PD_COOKIE_HTTPONLY |
	                 (r->https ? PD_COOKIE_SECURE : 0);
	pd_reply_header(r, "Set-Cookie", pd_cookie_format(r->arena, "lang", lang, 365LL * 24 * 3600, flags));
	r->user = (void *)"/akun?bahasa=1";
	pd_req_write(r, lang_tx, j, redirect_done);
}

static int resend_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	return pd_account_resend_verification(tx, j->ks, j->actor, j->base_url);
}

void pd_web_account_verify(struct pd_req *r)
{
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->base_url = pd_http_base_url(r);
	r->user = (void *)"/akun?verifikasi=1";
	pd_req_write(r, resend_tx, j, redirect_done);
}

static int end_others_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	int64_t n = 0;
	return pd_session_end_others(tx, j->actor, j->token, &n);
}

void pd_web_account_sessions_end(struct pd_req *r)
{
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->token = r->session_token;
	r->user = (void *)"/akun?sesi=1";
	pd_req_write(r, end_others_tx, j, redirect_done);
}

static int end_one_tx(struct pd_tx *tx, void *p)
{
	struct pw_job *j = p;
	return pd_session_end_by_id(tx, j->actor, j->value);
}

void pd_web_account_session_end(struct pd_req *r)
{
	struct pw_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->actor = r->actor;
	j->value = r->params[0];
	r->user = (void *)"/akun?sesi=1";
	pd_req_write(r, end_one_tx, j, redirect_done);
}
