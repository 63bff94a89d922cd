/* Petitions: names, settings, and the steps — start, moderation, signing (once per NIK, the
 * threshold setting the obligation to answer), the unit's answer, the overdue flag — each
 * with its audit entry in the same transaction (see petition.h). */
#include "domain/petition_internal.h"

#include <sodium.h>
#include <string.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/account_store.h"
#include "store/unit_store.h"

#define DAY_MS INT64_C(86400000)

static const char *const STATUS[] = {"pending", "refused", "open", "answered"};

const char *pd_petition_status_name(enum pd_petition_status s)
{
	return (int)s >= 0 && s < PD_PETITION_STATUS__MAX ? STATUS[s] : NULL;
}

int pd_petition_status_parse(const char *s, enum pd_petition_status *out)
{
	for (int i = 0; s && i < PD_PETITION_STATUS__MAX; i++)
		if (strcmp(STATUS[i], s) == 0) {
			*out = (enum pd_petition_status)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

int pd_pet_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_pet_row *r,
                 const char *action, const char *details)
{
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c ? c->actor : NULL),
		.action = action, .object_type = "petition", .object_id = r->id,
		.unit_id = r->unit_id, .subject_id = r->author_account_id,
		.details = details, .ts_ms = c ? pd_app_now(c) : 0};
	return pd_audit_append(tx, &ev);
}

int pd_pet_load(struct pd_tx *tx, const char *id, struct pd_pet_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_pet_by_id(tx, id, NULL, r);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

int pd_pet_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_pet_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_app_row ar;
	memset(&ar, 0, sizeof ar);
	ar.id = r->id;
	ar.citizen_account_id = r->author_account_id;
	return pd_app_key(tx, ks, &ar, key);
}

bool pd_pet_may(const struct pd_actor *actor, enum pd_action action, const struct pd_pet_row *r)
{
	if (!actor || actor->kind != PD_ACCOUNT_STAFF)
		return actor && actor->system;
	struct pd_authz_object o = {NULL, r->unit_path};
	return pd_authz(actor, action, &o) == PD_OK;
}

bool pd_pet_may_answer(const struct pd_actor *actor, const struct pd_pet_row *r)
{
	return pd_pet_may(actor, PD_ACT_CASE_WORK, r) || pd_pet_may(actor, PD_ACT_MODERATE, r);
}

int pd_petition_setting_tx(struct pd_tx *tx, const char *unit_path, int64_t *threshold,
                           int64_t *answer_days)
{
	*threshold = PD_PETITION_THRESHOLD_DEFAULT;
	*answer_days = PD_PETITION_ANSWER_DAYS_DEFAULT;
	enum pd_qs qs = pd_store_pet_setting(tx, unit_path, threshold, answer_days);
	return qs < 0 ? pd_app_db_error(tx) : PD_OK;
}

static bool text_ok(const char *s, size_t max)
{
	return s && pd_app_text_ok(s, max, true);
}

/* --- start ----------------------------------------------------------------------------- */

int pd_petition_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                       const struct pd_petition_input *in, struct pd_app_errors *errs,
                       char id_out[37])
{
	const struct pd_actor *actor = c->actor;
	if (!actor || actor->system || !actor->account_id || actor->kind != PD_ACCOUNT_CITIZEN)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object own = {actor->account_id, NULL};
	int rc = pd_authz(actor, PD_ACT_FILE, &own);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	if (in->form_id && *in->form_id) {
		if (!pd_uuid_valid(in->form_id)) {
			pd_app_error(errs, "_form", N_("Formulir tidak sah. Muat ulang halamannya."));
			return PD_ERR_INVALID;
		}
		struct pd_pet_row old;
		enum pd_qs qs = pd_store_pet_by_form(tx, in->form_id, a, &old);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE) {
			if (strcmp(old.author_account_id, actor->account_id) != 0)
				return PD_ERR_CONFLICT;
			memcpy(id_out, old.id, PD_UUID_LEN + 1);
			return PD_OK;
		}
	}
	struct pd_unit u;
	memset(&u, 0, sizeof u);
	if (!in->unit_slug || !*in->unit_slug) {
		pd_app_error(errs, "unit", N_("Pilih unit yang dituju."));
	} else {
		enum pd_qs qs = pd_store_unit_by_slug(tx, in->unit_slug, NULL, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			pd_app_error(errs, "unit", N_("Unit tidak dikenal."));
	}
	if (!text_ok(in->title, PD_PETITION_TITLE_MAX))
		pd_app_error(errs, "title", N_("Tuliskan judul petisi (paling banyak 200 karakter)."));
	if (!text_ok(in->body, PD_PETITION_TEXT_MAX))
		pd_app_error(errs, "body", N_("Tuliskan isi petisi (paling banyak 8000 karakter)."));
	if (!text_ok(in->ask, PD_PETITION_ASK_MAX))
		pd_app_error(errs, "ask", N_("Tuliskan apa yang Anda minta dari unit (paling banyak 2000 karakter)."));
	int64_t days = 0;
	if (pd_parse_i64(in->period_days, PD_PETITION_PERIOD_MIN, PD_PETITION_PERIOD_MAX, &days))
		pd_app_error(errs, "period", N_("Masa pengumpulan tanda tangan 7 sampai 90 hari."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_pet_row r;
	memset(&r, 0, sizeof r);
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	r.id = id;
	r.author_account_id = actor->account_id;
	r.unit_id = u.id;
	r.unit_path = u.path;
	r.period_days = days;
	r.created_ms = pd_app_now(c);
	r.form_id = in->form_id && *in->form_id ? in->form_id : NULL;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	rc = pd_pet_key(tx, c->ks, &r, key);
	if (rc)
		return rc;
	r.title_ct = pd_app_seal(a, key, in->title, "petition", "title_ct", id, &rc);
	if (!rc)
		r.body_ct = pd_app_seal(a, key, in->body, "petition", "body_ct", id, &rc);
	if (!rc)
		r.ask_ct = pd_app_seal(a, key, in->ask, "petition", "ask_ct", id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	if (pd_store_pet_insert(tx, &r) <= 0)
		return pd_app_db_error(tx);
	rc = pd_pet_audit(tx, c, &r, "petition.create", NULL);
	if (!rc)
		memcpy(id_out, id, PD_UUID_LEN + 1);
	return rc;
}

/* --- moderation ------------------------------------------------------------------------ */

static int update(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_pet_row *r,
                  int64_t version)
{
	if (version && version != r->version)
		return PD_ERR_CONFLICT;
	r->updated_ms = pd_app_now(c);
	enum pd_qs qs = pd_store_pet_update(tx, r, r->version);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_CONFLICT : PD_OK;
}

int pd_petition_moderate(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, bool approve, const char *reason,
                         struct pd_app_errors *errs)
{
	struct pd_pet_row r;
	int rc = pd_pet_load(tx, id, &r);
	if (rc)
		return rc;
	if (!pd_pet_may(c->actor, PD_ACT_MODERATE, &r))
		return pd_pet_may_answer(c->actor, &r) ? PD_ERR_FORBIDDEN : PD_ERR_NOT_FOUND;
	if (strcmp(r.status, "pending") != 0)
		return PD_ERR_CONFLICT;
	int64_t now = pd_app_now(c);
	r.decided_ms = now;
	r.moderator_id = c->actor->system ? NULL : c->actor->account_id;
	if (!approve) {
		if (!text_ok(reason, PD_PETITION_ASK_MAX)) {
			pd_app_error(errs, "reason", N_("Tuliskan alasan penolakan; penulis petisi membacanya."));
			return PD_ERR_INVALID;
		}
		r.status = "refused";
		r.refusal_reason = reason;
		rc = update(tx, c, &r, version);
		return rc ? rc : pd_pet_audit(tx, c, &r, "petition.refuse", NULL);
	}
	/* The checked public copy goes into clear; the sealed draft stays under the author's key. */
	struct pd_arena *a = pd_tx_arena(tx);
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	rc = pd_pet_key(tx, c->ks, &r, key);
	if (rc)
		return rc == PD_ERR_NOT_FOUND ? PD_ERR_CONFLICT : rc; /* author erased */
	r.title = pd_app_open(a, key, r.title_ct, "petition", "title_ct", r.id, &rc);
	if (!rc)
		r.body = pd_app_open(a, key, r.body_ct, "petition", "body_ct", r.id, &rc);
	if (!rc)
		r.ask = pd_app_open(a, key, r.ask_ct, "petition", "ask_ct", r.id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	rc = pd_petition_setting_tx(tx, r.unit_path, &r.threshold, &r.answer_days);
	if (rc)
		return rc;
	r.status = "open";
	r.opens_ms = now;
	r.closes_ms = now + r.period_days * DAY_MS;
	rc = update(tx, c, &r, version);
	return rc ? rc
	          : pd_pet_audit(tx, c, &r, "petition.approve",
	                         pd_arena_printf(a, "{\"threshold\":%lld,\"answer_days\":%lld}",
	                                         (long long)r.threshold, (long long)r.answer_days));
}

/* --- signing --------------------------------------------------------------------------- */

int pd_petition_sign(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id, bool show_name)
{
	const struct pd_actor *actor = c->actor;
	if (!actor || actor->system || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	/* Signatures of one petition one after another (PostgreSQL commits them concurrently
	 * under READ COMMITTED): the one that reaches the threshold counts every earlier one. */
	enum pd_qs lk = id && pd_uuid_valid(id) ? pd_store_pet_lock(tx, id) : PD_QS_NONE;
	if (lk < 0)
		return pd_app_db_error(tx);
	if (lk == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_pet_row r;
	int rc = pd_pet_load(tx, id, &r);
	if (rc)
		return rc;
	if (strcmp(r.status, "open") != 0 && strcmp(r.status, "answered") != 0)
		return strcmp(r.author_account_id, actor->account_id) == 0 ? PD_ERR_CONFLICT
		                                                           : PD_ERR_NOT_FOUND;
	if (actor->kind != PD_ACCOUNT_CITIZEN)
		return PD_ERR_FORBIDDEN;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_account acc;
	rc = pd_account_load(tx, c->ks, actor->account_id, a, &acc);
	if (rc)
		return rc == PD_ERR_NOT_FOUND ? PD_ERR_FORBIDDEN : rc;
	/* DESIGN §2: one signature per NIK; an account without one cannot sign. */
	if (!acc.row.nik_bidx.p || acc.row.nik_bidx.n == 0)
		return PD_ERR_FORBIDDEN;
	int64_t now = pd_app_now(c);
	if (strcmp(r.status, "open") != 0 || now >= r.closes_ms)
		return PD_ERR_CONFLICT;
	struct pd_pet_sig_row s = {r.id, actor->account_id, acc.row.nik_bidx, acc.row.nik_verified,
	                           show_name && acc.name && *acc.name ? acc.name : NULL, now};
	/* The unique index decides: a second signature with this NIK latches PD_ERR_CONFLICT. */
	if (pd_store_pet_sign(tx, &s) <= 0)
		return pd_app_db_error(tx);
	int64_t nv = 0, ns = 0;
	if (pd_store_pet_counts(tx, r.id, &nv, &ns) < 0)
		return pd_app_db_error(tx);
	if (!r.reached_ms && r.threshold > 0 && nv + ns >= r.threshold) {
		/* Reached within the period: the unit must answer within its working days. */
		int64_t due = pd_calendar_due(c->cal, now, (int)r.answer_days, NULL, 0);
		enum pd_qs qs = pd_store_pet_set_reached(tx, r.id, now, due);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE) {
			r.reached_ms = now;
			rc = pd_pet_audit(tx, c, &r, "petition.threshold",
			                  pd_arena_printf(a, "{\"signatures\":%lld}", (long long)(nv + ns)));
			if (rc)
				return rc;
		}
	}
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(a, actor), .action = "petition.sign",
		.object_type = "petition", .object_id = r.id, .unit_id = r.unit_id,
		.subject_id = actor->account_id,
		.details = s.nik_verified ? "{\"nik\":\"verified\"}" : "{\"nik\":\"self_declared\"}",
		.ts_ms = now};
	return pd_audit_append(tx, &ev);
}

/* --- the answer ------------------------------------------------------------------------ */

int pd_petition_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                       int64_t version, const char *text, struct pd_app_errors *errs)
{
	struct pd_pet_row r;
	int rc = pd_pet_load(tx, id, &r);
	if (rc)
		return rc;
	if (!pd_pet_may_answer(c->actor, &r))
		return PD_ERR_NOT_FOUND;
	if (strcmp(r.status, "open") != 0 || r.answered_ms)
		return PD_ERR_CONFLICT;
	if (!text_ok(text, PD_PETITION_TEXT_MAX)) {
		pd_app_error(errs, "answer", N_("Tuliskan jawaban unit (paling banyak 8000 karakter)."));
		return PD_ERR_INVALID;
	}
	int64_t now = pd_app_now(c);
	r.status = "answered";
	r.answer = text;
	r.answered_ms = now;
	r.answered_by = c->actor->system ? NULL : c->actor->account_id;
	rc = update(tx, c, &r, version);
	if (rc)
		return rc;
	bool late = r.answer_due_ms && now > r.answer_due_ms;
	return pd_pet_audit(tx, c, &r, "petition.answer", late ? "{\"late\":true}" : NULL);
}

/* --- settings and the job -------------------------------------------------------------- */

int pd_petition_setting_set(struct pd_tx *tx, const struct pd_app_ctx *c, const char *unit_slug,
                            const char *threshold, const char *days, struct pd_app_errors *errs)
{
	struct pd_unit u;
	memset(&u, 0, sizeof u);
	enum pd_qs qs = unit_slug && *unit_slug ? pd_store_unit_by_slug(tx, unit_slug, NULL, &u)
	                                        : PD_QS_NONE;
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE) {
		pd_app_error(errs, "unit", N_("Unit tidak dikenal."));
		return PD_ERR_INVALID;
	}
	struct pd_authz_object o = {NULL, u.path};
	int rc = c->actor && c->actor->system ? PD_OK : pd_authz(c->actor, PD_ACT_CONFIGURE, &o);
	if (rc)
		return rc;
	int64_t t = 0, d = 0;
	if (pd_parse_i64(threshold, 1, 10000000, &t))
		pd_app_error(errs, "threshold", N_("Ambang 1 sampai 10.000.000 tanda tangan."));
	if (pd_parse_i64(days, 1, 100, &d))
		pd_app_error(errs, "days", N_("Tenggat jawaban 1 sampai 100 hari kerja."));
	if (errs->n)
		return PD_ERR_INVALID;
	int64_t now = pd_app_now(c);
	if (pd_store_pet_setting_put(tx, u.id, t, d, now) < 0)
		return pd_app_db_error(tx);
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c->actor), .action = "petition.setting",
		.object_type = "unit", .object_id = u.id, .unit_id = u.id,
		.details = pd_arena_printf(pd_tx_arena(tx), "{\"threshold\":%lld,\"answer_days\":%lld}",
		                           (long long)t, (long long)d),
		.ts_ms = now};
	return pd_audit_append(tx, &ev);
}

int pd_petition_flag_overdue(struct pd_tx *tx, int64_t now_ms, int max, int64_t *n)
{
	*n = 0;
	struct pd_arena *a = pd_tx_arena(tx);
	const char **ids = pd_arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof *ids);
	int k = 0;
	if (pd_store_pet_due(tx, now_ms, a, ids, max, &k) < 0)
		return pd_app_db_error(tx);
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {.actor = &sys, .now_ms = now_ms};
	for (int i = 0; i < k; i++) {
		enum pd_qs qs = pd_store_pet_flag(tx, ids[i], now_ms);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs != PD_QS_ONE)
			continue;
		struct pd_pet_row r;
		int rc = pd_pet_load(tx, ids[i], &r);
		if (!rc)
			rc = pd_pet_audit(tx, &c, &r, "petition.overdue", NULL);
		if (rc)
			return rc;
		(*n)++;
	}
	return PD_OK;
}

/* --- erasure --------------------------------------------------------------------------- */

int pd_petition_erase_account(struct pd_tx *tx, const char *account_id)
{
	return pd_store_pet_erase_names(tx, account_id) < 0 ? pd_app_db_error(tx) : PD_OK;
}
