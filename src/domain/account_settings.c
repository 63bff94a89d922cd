/* The account's own settings and recovery: password change and reset by email, language,
 * email change with re-verification, and adding a NIK to an account that has none. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/account.h"
#include "domain/account_internal.h"
#include "domain/mail.h"
#include "store/session_store.h"

struct hash_read {
	const char *id;
	struct pd_arena *a;
	const char *hash;
};

static int hash_tx(struct pd_tx *tx, void *p)
{
	struct hash_read *h = p;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_id(tx, h->id, h->a, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	h->hash = row.password_hash;
	return PD_OK;
}

int pd_account_password_hash(struct pd_store *st, const struct pd_actor *actor,
                             struct pd_arena *a, const char **hash)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	struct hash_read h = {actor->account_id, a, NULL};
	rc = pd_store_read(st, hash_tx, &h);
	*hash = h.hash;
	return rc;
}

int pd_account_change_password(struct pd_tx *tx, const struct pd_actor *actor,
                               const char *token, const char *new_hash)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	if (pd_store_account_set_password(tx, actor->account_id, new_hash) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	struct pd_blob keep = {NULL, 0};
	if (token && pd_acct_token_hash(token, hash))
		keep = (struct pd_blob){hash, sizeof hash};
	if (pd_store_session_delete_others(tx, actor->account_id, keep, NULL) < 0)
		return pd_tx_error(tx);
	if (pd_store_token_use_all(tx, actor->account_id, "reset_password", pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "account.password_change", actor->account_id);
}

int pd_account_request_reset(struct pd_tx *tx, const struct pd_keyset *ks, const char *email,
                             const char *lang, const char *base_url)
{
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	char norm[PD_MAIL_ADDR_MAX];
	if (pd_acct_email_index(ks, email, bidx, norm, sizeof norm))
		return PD_OK;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_email(tx, (struct pd_blob){bidx, sizeof bidx}, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || row.disabled || row.erased_ms)
		return PD_OK;
	char token[PD_SESSION_TOKEN_LEN + 1];
	int rc = pd_acct_token_issue(tx, "reset_password", row.id, PD_RESET_TTL_MS, token);
	if (rc)
		return rc;
	rc = pd_acct_mail(tx, norm, row.lang ? row.lang : lang, N_("Atur ulang kata sandi"),
	                  N_("Ada permintaan untuk mengatur ulang kata sandi akun Anda. Buka tautan berikut untuk membuat kata sandi baru:"),
	                  pd_arena_printf(pd_tx_arena(tx), "%s/atur-ulang-sandi?token=%s", base_url, token),
	                  N_("Tautan ini berlaku 1 jam dan hanya dapat dipakai sekali. Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak berubah."));
	if (rc)
		return rc;
	return pd_acct_audit(tx, "system", "account.reset_request", row.id);
}

struct peek_arg {
	const char *token;
	bool valid;
};

static int peek_tx(struct pd_tx *tx, void *p)
{
	struct peek_arg *pa = p;
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	pa->valid = false;
	if (!pd_acct_token_hash(pa->token, hash))
		return PD_OK;
	const char *id = NULL;
	enum pd_qs qs = pd_store_token_peek(tx, (struct pd_blob){hash, sizeof hash}, "reset_password",
	                                    pd_clock_now_ms(), NULL, &id);
	if (qs < 0)
		return pd_tx_error(tx);
	pa->valid = qs > 0;
	return PD_OK;
}

int pd_account_reset_valid(struct pd_store *st, const char *token, bool *valid)
{
	struct peek_arg pa = {token, false};
	int rc = pd_store_read(st, peek_tx, &pa);
	*valid = pa.valid;
	return rc;
}

int pd_account_reset_password(struct pd_tx *tx, const char *token, const char *new_hash)
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(token, hash))
		return PD_ERR_NOT_FOUND;
	int64_t now = pd_clock_now_ms();
	const char *id = NULL;
	enum pd_qs qs = pd_store_token_take(tx, (struct pd_blob){hash, sizeof hash}, "reset_password",
	                                    now, NULL, &id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (pd_store_account_set_password(tx, id, new_hash) < 0 ||
	    pd_store_session_delete_others(tx, id, (struct pd_blob){NULL, 0}, NULL) < 0 ||
	    pd_store_token_use_all(tx, id, "reset_password", now) < 0 ||
	    pd_store_account_set_email_verified(tx, id, now) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "account.password_reset", id);
}

int pd_account_set_lang(struct pd_tx *tx, const struct pd_actor *actor, const char *lang)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	const char *canon = pd_i18n_canonical(lang);
	if (!canon)
		return PD_ERR_INVALID;
	if (pd_store_account_set_lang(tx, actor->account_id, canon) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_account_change_email(struct pd_tx *tx, const struct pd_keyset *ks,
                            const struct pd_actor *actor, const char *new_email,
                            const char *base_url, struct pd_field_errors *errs)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	char norm[PD_MAIL_ADDR_MAX];
	if (pd_acct_email_index(ks, new_email, bidx, norm, sizeof norm)) {
		pd_field_error(errs, "email", N_("Alamat email tidak sah, contoh: nama@contoh.id."));
		return PD_ERR_INVALID;
	}
	struct pd_account acc;
	rc = pd_account_load(tx, ks, actor->account_id, a, &acc);
	if (rc)
		return rc;
	struct pd_account_row other;
	enum pd_qs qs = pd_store_account_by_email(tx, (struct pd_blob){bidx, sizeof bidx}, a, &other);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs > 0) {
		pd_field_error(errs, "email", strcmp(other.id, actor->account_id) == 0
		                                  ? N_("Ini sudah alamat email akun Anda.")
		                                  : N_("Alamat email ini sudah dipakai akun lain."));
		return PD_ERR_INVALID;
	}
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	if (!acc.row.subject_key.p ||
	    pd_crypto_subject_key_unwrap(ks, actor->account_id, acc.row.subject_key.p,
	                                 acc.row.subject_key.n, key))
		return PD_ERR_CRYPTO;
	struct pd_blob ct = pd_account_seal(a, key, actor->account_id, "email", norm);
	sodium_memzero(key, sizeof key);
	if (!ct.p)
		return PD_ERR_CRYPTO;
	if (pd_store_account_set_email(tx, actor->account_id, ct, (struct pd_blob){bidx, sizeof bidx}, 0) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	const char *lang = actor->lang ? actor->lang : acc.row.lang;
	if (acc.email) {
		rc = pd_acct_mail(tx, acc.email, lang, N_("Alamat email akun Anda diubah"),
		                  N_("Alamat email akun Anda baru saja diubah. Jika bukan Anda yang mengubahnya, segera atur ulang kata sandi dan hubungi pengelola."),
		                  NULL, NULL);
		if (rc)
			return rc;
	}
	char token[PD_SESSION_TOKEN_LEN + 1];
	rc = pd_acct_token_issue(tx, "verify_email", actor->account_id, PD_VERIFY_TTL_MS, token);
	if (rc)
		return rc;
	rc = pd_acct_mail(tx, norm, lang, N_("Verifikasi alamat email Anda"),
	                  N_("Buka tautan berikut untuk memverifikasi alamat email akun Anda:"),
	                  pd_arena_printf(a, "%s/verifikasi-email?token=%s", base_url, token),
	                  N_("Tautan ini berlaku 48 jam dan hanya dapat dipakai sekali. Jika Anda tidak mendaftar, abaikan email ini."));
	if (rc)
		return rc;
	return pd_acct_audit(tx, NULL, "account.email_change", actor->account_id);
}

int pd_account_add_nik(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *nik_in, struct pd_field_errors *errs)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_id(tx, actor->account_id, a, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || row.erased_ms || !row.subject_key.p)
		return PD_ERR_NOT_FOUND;
	/* Citizens only; a NIK once given is changed at the village office, never here. */
	if (strcmp(row.kind, "citizen") != 0 || row.nik_bidx.p)
		return PD_ERR_FORBIDDEN;
	char nik[17], district[7];
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	rc = pd_acct_nik_claim(tx, ks, nik_in, nik, district, bidx, errs);
	if (rc)
		return rc;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	if (pd_crypto_subject_key_unwrap(ks, row.id, row.subject_key.p, row.subject_key.n, key))
		return PD_ERR_CRYPTO;
	struct pd_blob ct = pd_account_seal(a, key, row.id, "nik", nik);
	sodium_memzero(key, sizeof key);
	sodium_memzero(nik, sizeof nik);
	if (!ct.p)
		return PD_ERR_CRYPTO;
	qs = pd_store_account_set_nik(tx, row.id, ct, (struct pd_blob){bidx, sizeof bidx}, district);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_FORBIDDEN; /* a NIK arrived meanwhile */
	return pd_acct_audit(tx, NULL, "account.nik_add", row.id);
}
