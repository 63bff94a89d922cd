/* TOTP enrolment, verification with replay refusal, recovery codes and disabling for the
 * account's own second factor; the secret is sealed under the account's subject key. */
#include "domain/totp.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/totp_internal.h"
#include "store/totp_store.h"

#define TABLE "account_totp"
#define COLUMN "secret"
#define RECOVERY_RAW 12 /* characters of a recovery code without its dashes */

static const char RECOVERY_ALPHABET[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32, unambiguous */

/* --- the sealed secret ------------------------------------------------------------------- */

/* The account's unwrapped subject key. PD_ERR_NOT_FOUND for an unknown or erased account. */
static int subject_key(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                       unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_id(tx, id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || !row.subject_key.p)
		return PD_ERR_NOT_FOUND;
	return pd_crypto_subject_key_unwrap(ks, id, row.subject_key.p, row.subject_key.n, key);
}

/* Opens row's secret into out (PD_TOTP_SECRET_BYTES). Wipe out when done. */
static int open_secret(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_totp_row *row,
                       unsigned char out[PD_TOTP_SECRET_BYTES])
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = subject_key(tx, ks, row->account_id, key);
	if (rc)
		return rc;
	struct pd_buf b;
	pd_buf_init(&b, 256);
	rc = pd_crypto_open_with(key, row->secret_ct.p, row->secret_ct.n, TABLE, COLUMN,
	                         row->account_id, &b);
	sodium_memzero(key, sizeof key);
	if (!rc && b.len != PD_TOTP_SECRET_BYTES)
		rc = PD_ERR_CRYPTO;
	if (!rc)
		memcpy(out, b.data, PD_TOTP_SECRET_BYTES);
	if (b.data)
		sodium_memzero(b.data, b.len);
	pd_buf_free(&b);
	return rc;
}

int pd_totp_ensure_pending(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id)
{
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_ONE)
		return PD_OK;
	unsigned char key[PD_CRYPTO_KEY_BYTES], secret[PD_TOTP_SECRET_BYTES];
	int rc = subject_key(tx, ks, account_id, key);
	if (rc)
		return rc;
	randombytes_buf(secret, sizeof secret);
	struct pd_buf ct;
	pd_buf_init(&ct, 256);
	rc = pd_crypto_seal_with(key, secret, sizeof secret, TABLE, COLUMN, account_id, &ct);
	sodium_memzero(key, sizeof key);
	sodium_memzero(secret, sizeof secret);
	if (!rc && pd_store_totp_insert_pending(tx, account_id, (struct pd_blob){ct.data, ct.len},
	                                        pd_clock_now_ms()) < 0)
		rc = pd_tx_error(tx);
	pd_buf_free(&ct);
	return rc;
}

/* Opens the secret of an enrolment that waits for its first code; PD_ERR_NOT_FOUND when the
 * account has none pending. The caller wipes secret. */
static int pending_secret(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                          unsigned char secret[PD_TOTP_SECRET_BYTES])
{
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strcmp(row.state, "pending") != 0)
		return PD_ERR_NOT_FOUND;
	return open_secret(tx, ks, &row, secret);
}

int pd_totp_pending_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                       struct pd_arena *a, struct pd_totp_enrolment *out)
{
	memset(out, 0, sizeof *out);
	unsigned char secret[PD_TOTP_SECRET_BYTES];
	int rc = pending_secret(tx, ks, account_id, secret);
	if (rc)
		return rc;
	pd_base32_encode(secret, sizeof secret, out->secret_b32, sizeof out->secret_b32);
	sodium_memzero(secret, sizeof secret);
	struct pd_account acc;
	rc = pd_account_load(tx, ks, account_id, a, &acc);
	if (rc)
		return rc;
	out->label = acc.email ? acc.email : account_id;
	return PD_OK;
}

/* --- recovery codes ---------------------------------------------------------------------- */

/* The stored hash of a normalised recovery code: keyed BLAKE2b under the index key, bound to
 * the account so a code of one account is nothing for another. */
static int recovery_hash(const struct pd_keyset *ks, const char *account_id, const char *raw,
                         unsigned char out[PD_CRYPTO_BLIND_BYTES])
{
	char in[64 + RECOVERY_RAW];
	int n = snprintf(in, sizeof in, "%s:%s", account_id, raw);
	if (n < 0 || (size_t)n >= sizeof in)
		return PD_ERR_INVALID;
	int rc = pd_crypto_blind_index(ks, "totp-recovery", in, out);
	sodium_memzero(in, sizeof in);
	return rc;
}

/* Lower-cases code and drops spaces and dashes into raw; true when it has the form of a
 * recovery code. */
static bool recovery_norm(const char *code, char raw[RECOVERY_RAW + 1])
{
	size_t n = 0;
	for (const char *p = code; p && *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (n >= RECOVERY_RAW || !strchr(RECOVERY_ALPHABET, c))
			return false;
		raw[n++] = c;
	}
	raw[n] = '\0';
	return n == RECOVERY_RAW;
}

/* Makes fresh recovery codes into codes and stores their hashes, replacing older ones. */
static int recovery_make(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                         char codes[PD_RECOVERY_CODES][PD_RECOVERY_CODE_LEN + 1])
{
	unsigned char hashes[PD_RECOVERY_CODES][32];
	for (int i = 0; i < PD_RECOVERY_CODES; i++) {
		char raw[RECOVERY_RAW + 1];
		for (int k = 0; k < RECOVERY_RAW; k++)
			raw[k] = RECOVERY_ALPHABET[randombytes_uniform(32)];
		raw[RECOVERY_RAW] = '\0';
		snprintf(codes[i], PD_RECOVERY_CODE_LEN + 1, "%.4s-%.4s-%.4s", raw, raw + 4, raw + 8);
		int rc = recovery_hash(ks, account_id, raw, hashes[i]);
		sodium_memzero(raw, sizeof raw);
		if (rc)
			return rc;
	}
	if (pd_store_recovery_replace(tx, account_id, (const unsigned char(*)[32])hashes,
	                              PD_RECOVERY_CODES, pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

/* --- checking a code ------------------------------------------------------------------------ */

int pd_totp_verify_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                      const char *code, bool *ok, bool *replay, bool *recovery)
{
	*ok = false;
	if (replay)
		*replay = false;
	if (recovery)
		*recovery = false;
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strcmp(row.state, "active") != 0 || !code)
		return PD_OK;
	char raw[RECOVERY_RAW + 1];
	if (recovery_norm(code, raw)) {
		unsigned char h[PD_CRYPTO_BLIND_BYTES];
		int rc = recovery_hash(ks, account_id, raw, h);
		sodium_memzero(raw, sizeof raw);
		if (rc)
			return rc;
		qs = pd_store_recovery_take(tx, account_id, (struct pd_blob){h, sizeof h},
		                            pd_clock_now_ms());
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE)
			return PD_OK; /* unknown or already spent */
		*ok = true;
		if (recovery)
			*recovery = true;
		return pd_acct_audit(tx, NULL, "account.totp_recovery_used", account_id);
	}
	unsigned char secret[PD_TOTP_SECRET_BYTES];
	int rc = open_secret(tx, ks, &row, secret);
	if (rc)
		return rc;
	int64_t step = 0;
	enum pd_totp_result res = pd_totp_check(secret, sizeof secret, code, pd_clock_now_ms(),
	                                        row.last_step, &step);
	sodium_memzero(secret, sizeof secret);
	if (res == PD_TOTP_OK) {
		/* Compare-and-set: another node that accepted the same code first wins. */
		qs = pd_store_totp_advance(tx, account_id, step);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_ONE) {
			*ok = true;
			return PD_OK;
		}
		res = PD_TOTP_REPLAY;
	}
	if (res == PD_TOTP_REPLAY) {
		if (replay)
			*replay = true;
		return pd_acct_audit(tx, NULL, "account.totp_replay", account_id);
	}
	return PD_OK;
}

void pd_totp_log_replay(const char *account_id, const char *where, const char *request_id)
{
	pd_log(PD_LOG_WARN, "totp_replay", "rid=%s account=%s where=%s",
	       request_id ? request_id : "-", account_id ? account_id : "-", where);
}

int pd_totp_confirm_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *account_id,
                       const char *code, struct pd_totp_confirmed *out)
{
	memset(out, 0, sizeof *out);
	unsigned char secret[PD_TOTP_SECRET_BYTES];
	int rc = pending_secret(tx, ks, account_id, secret);
	if (rc)
		return rc;
	int64_t step = 0;
	enum pd_totp_result res = pd_totp_check(secret, sizeof secret, code, pd_clock_now_ms(), 0,
	                                        &step);
	sodium_memzero(secret, sizeof secret);
	if (res != PD_TOTP_OK) {
		out->wrong = true;
		return PD_OK;
	}
	/* The confirming code's step counts as used: it cannot sign in afterwards. */
	enum pd_qs qs = pd_store_totp_activate(tx, account_id, step, pd_clock_now_ms());
	if (qs <= 0)
		return qs < 0 ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	if ((rc = recovery_make(tx, ks, account_id, out->codes)))
		return rc;
	return pd_acct_audit(tx, NULL, "account.totp_enable", account_id);
}

/* --- the actor's own second factor ---------------------------------------------------------- */

/* The actor's own staff account, or PD_ERR_NOT_FOUND. */
static int own_staff(const struct pd_actor *actor, enum pd_action action)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, action, &own);
	if (rc)
		return rc;
	return actor->kind == PD_ACCOUNT_STAFF && !actor->system ? PD_OK : PD_ERR_NOT_FOUND;
}

struct status_arg {
	const char *id;
	struct pd_totp_status *out;
};

static int status_tx(struct pd_tx *tx, void *p)
{
	struct status_arg *sa = p;
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, sa->id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_ONE) {
		sa->out->active = strcmp(row.state, "active") == 0;
		sa->out->pending = !sa->out->active;
		sa->out->enabled_ms = row.enabled_ms;
	}
	if (pd_store_recovery_unused(tx, sa->id, &sa->out->recovery_left) < 0)
		return pd_tx_error(tx);
	return pd_totp_policy_applies(tx, sa->id, &sa->out->required);
}

int pd_totp_status(struct pd_store *st, const struct pd_actor *actor, struct pd_totp_status *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_staff(actor, PD_ACT_OWN_VIEW);
	if (rc)
		return rc;
	struct status_arg sa = {actor->account_id, out};
	return pd_store_read(st, status_tx, &sa);
}

int pd_totp_begin(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor)
{
	int rc = own_staff(actor, PD_ACT_OWN_EDIT);
	if (rc)
		return rc;
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, actor->account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_ONE)
		return strcmp(row.state, "active") == 0 ? PD_ERR_CONFLICT : PD_OK;
	if ((rc = pd_totp_ensure_pending(tx, ks, actor->account_id)))
		return rc;
	return pd_acct_audit(tx, NULL, "account.totp_begin", actor->account_id);
}

struct enrol_arg {
	const struct pd_keyset *ks;
	const char *id;
	struct pd_arena *a;
	struct pd_totp_enrolment *out;
};

static int enrolment_tx(struct pd_tx *tx, void *p)
{
	struct enrol_arg *ea = p;
	return pd_totp_pending_tx(tx, ea->ks, ea->id, ea->a, ea->out);
}

int pd_totp_enrolment(struct pd_store *st, const struct pd_keyset *ks,
                      const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_totp_enrolment *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_staff(actor, PD_ACT_OWN_VIEW);
	if (rc)
		return rc;
	struct enrol_arg ea = {ks, actor->account_id, a, out};
	return pd_store_read(st, enrolment_tx, &ea);
}

int pd_totp_confirm(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *code, struct pd_totp_confirmed *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_staff(actor, PD_ACT_OWN_EDIT);
	if (rc)
		return rc;
	return pd_totp_confirm_tx(tx, ks, actor->account_id, code, out);
}

int pd_totp_disable(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *code, struct pd_totp_confirmed *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_staff(actor, PD_ACT_OWN_EDIT);
	if (rc)
		return rc;
	struct pd_totp_row row;
	enum pd_qs qs = pd_store_totp_get(tx, actor->account_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || strcmp(row.state, "active") != 0)
		return PD_ERR_NOT_FOUND;
	bool required = false;
	if ((rc = pd_totp_policy_applies(tx, actor->account_id, &required)))
		return rc;
	if (required)
		return PD_ERR_FORBIDDEN;
	bool ok = false;
	if ((rc = pd_totp_verify_tx(tx, ks, actor->account_id, code, &ok, &out->replay, NULL)))
		return rc;
	if (!ok) {
		out->wrong = true;
		return PD_OK; /* a reuse's audit entry commits */
	}
	if (pd_store_totp_delete(tx, actor->account_id) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "account.totp_disable", actor->account_id);
}
