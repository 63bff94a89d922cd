/* The second step of sign-in for staff: after the password, a pending sign-in (a short-lived,
 * single-use token whose hash is stored, bound to the browser's CSRF secret) that a TOTP code,
 * a recovery code or a forced enrolment turns into a session, with wrong codes throttled as
 * wrong passwords are. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/totp.h"
#include "domain/totp_internal.h"
#include "store/totp_store.h"

#define BINDING_BYTES 32

static void binding_hash(const char *binding, unsigned char out[BINDING_BYTES])
{
	const char *b = binding ? binding : "";
	crypto_generichash(out, BINDING_BYTES, (const unsigned char *)b, strlen(b), NULL, 0);
}

int pd_signin_password_ok(struct pd_tx *tx, const struct pd_keyset *ks,
                          const struct pd_signin_prep *prep, const char *new_hash,
                          const char *binding, const char *next, struct pd_signin_result *out)
{
	memset(out, 0, sizeof *out);
	const char *id = prep->account_id;
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, id, NULL, &acc);
	if (qs <= 0)
		return qs < 0 ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	out->step = PD_SIGNIN_DONE;
	if (strcmp(acc.kind, "staff") == 0) {
		struct pd_totp_row row;
		qs = pd_store_totp_get(tx, id, NULL, &row);
		if (qs < 0)
			return pd_tx_error(tx);
		bool required = false;
		int rc = PD_OK;
		if (qs == PD_QS_ONE && strcmp(row.state, "active") == 0)
			out->step = PD_SIGNIN_CODE;
		else if ((rc = pd_totp_policy_applies(tx, id, &required)))
			return rc;
		else if (required)
			out->step = PD_SIGNIN_ENROL;
		if (out->step == PD_SIGNIN_ENROL && (rc = pd_totp_ensure_pending(tx, ks, id)))
			return rc;
	}
	if (out->step == PD_SIGNIN_DONE)
		return pd_signin_succeeded(tx, prep, new_hash, &out->session);
	/* Half signed in: no session, and the email's throttle stays until the second step. */
	if (new_hash && pd_store_account_set_password(tx, id, new_hash) < 0)
		return pd_tx_error(tx);
	unsigned char hash[PD_TOKEN_HASH_BYTES], bind[BINDING_BYTES];
	pd_acct_token_new(out->pending, hash);
	binding_hash(binding, bind);
	int64_t now = pd_clock_now_ms();
	bool enrol = out->step == PD_SIGNIN_ENROL;
	struct pd_pending_row p = {
		.token_hash = {hash, sizeof hash},
		.account_id = id,
		.step = enrol ? "enrol" : "code",
		.binding = {bind, sizeof bind},
		.next = next && strlen(next) < 2000 ? next : "/akun",
		.created_ms = now,
		.expires_ms = now + (enrol ? PD_PENDING_ENROL_TTL_MS : PD_PENDING_CODE_TTL_MS),
	};
	if (pd_store_pending_insert(tx, &p, now) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return pd_acct_audit(tx, NULL, enrol ? "session.pending_enrol" : "session.pending_code", id);
}

/* A pending sign-in with its account and, for the write paths, the throttle keys. */
struct pending {
	struct pd_pending_row p;
	struct pd_signin_prep prep;
	unsigned char hash[PD_TOKEN_HASH_BYTES];
};

/* Loads the usable pending sign-in of token for this browser and step; PD_ERR_NOT_FOUND
 * otherwise. With client_addr, fills the throttle keys of c->prep as pd_signin_prepare does. */
static int load_pending(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                        const char *binding, const char *step, const char *client_addr,
                        struct pending *c)
{
	memset(c, 0, sizeof *c);
	if (!pd_acct_token_hash(token, c->hash))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_pending_get(tx, (struct pd_blob){c->hash, sizeof c->hash}, NULL, &c->p);
	if (qs < 0)
		return pd_tx_error(tx);
	unsigned char bind[BINDING_BYTES];
	binding_hash(binding, bind);
	if (qs == PD_QS_NONE || c->p.expires_ms <= pd_clock_now_ms() || strcmp(c->p.step, step) != 0 ||
	    c->p.binding.n != sizeof bind || sodium_memcmp(c->p.binding.p, bind, sizeof bind) != 0)
		return PD_ERR_NOT_FOUND;
	struct pd_account_row acc;
	qs = pd_store_account_by_id(tx, c->p.account_id, NULL, &acc);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || acc.disabled || acc.erased_ms || strlen(acc.id) > 36 ||
	    acc.email_bidx.n != PD_CRYPTO_BLIND_BYTES)
		return PD_ERR_NOT_FOUND;
	struct pd_signin_prep *pr = &c->prep;
	pr->found = true;
	memcpy(pr->account_id, acc.id, strlen(acc.id) + 1);
	if (!client_addr)
		return PD_OK;
	pr->email_key[0] = 'e';
	memcpy(pr->email_key + 1, acc.email_bidx.p, PD_CRYPTO_BLIND_BYTES);
	pr->addr_key[0] = 'a';
	if (pd_crypto_blind_index(ks, "signin-address", client_addr, pr->addr_key + 1))
		return PD_ERR_CRYPTO;
	return PD_OK;
}

/* Seconds the email or the address is still locked (0: not locked). */
static int locked_for(struct pd_tx *tx, const struct pd_signin_prep *pr, int64_t *wait)
{
	int64_t now = pd_clock_now_ms();
	struct pd_throttle te, ta;
	if (pd_store_throttle_get(tx, (struct pd_blob){pr->email_key, sizeof pr->email_key}, &te) < 0 ||
	    pd_store_throttle_get(tx, (struct pd_blob){pr->addr_key, sizeof pr->addr_key}, &ta) < 0)
		return pd_tx_error(tx);
	int64_t until = te.locked_until_ms > ta.locked_until_ms ? te.locked_until_ms : ta.locked_until_ms;
	*wait = until > now ? (until - now + 999) / 1000 : 0;
	return PD_OK;
}

/* A wrong code: counted as a failed sign-in; the pending sign-in ends after too many. */
static int wrong_code(struct pd_tx *tx, struct pending *c, struct pd_second_result *out)
{
	out->outcome = PD_SECOND_WRONG;
	int rc = pd_signin_failed(tx, &c->prep);
	if (rc)
		return rc;
	struct pd_blob h = {c->hash, sizeof c->hash};
	enum pd_qs qs = c->p.attempts + 1 >= PD_PENDING_MAX_ATTEMPTS ? pd_store_pending_delete(tx, h)
	                                                            : pd_store_pending_attempt(tx, h);
	return qs < 0 ? pd_tx_error(tx) : PD_OK;
}

/* The second step succeeded: the pending sign-in is used up and a session begins. */
static int complete(struct pd_tx *tx, struct pending *c, struct pd_second_result *out)
{
	if (pd_store_pending_delete(tx, (struct pd_blob){c->hash, sizeof c->hash}) < 0)
		return pd_tx_error(tx);
	int rc = pd_signin_succeeded(tx, &c->prep, NULL, &out->session);
	if (rc)
		return rc;
	out->outcome = PD_SECOND_OK;
	return PD_OK;
}

/* Common start of both write paths: PD_OK with out->outcome GONE or LOCKED when there is
 * nothing to check, *go true when the code should be checked. */
static int start(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                 const char *binding, const char *step, const char *client_addr,
                 struct pending *c, struct pd_second_result *out, bool *go)
{
	memset(out, 0, sizeof *out);
	*go = false;
	out->outcome = PD_SECOND_GONE;
	int rc = load_pending(tx, ks, token, binding, step, client_addr ? client_addr : "", c);
	if (rc == PD_ERR_NOT_FOUND)
		return PD_OK;
	if (rc)
		return rc;
	memcpy(out->account_id, c->prep.account_id, sizeof out->account_id);
	size_t n = strlen(c->p.next);
	if (n < sizeof out->next)
		memcpy(out->next, c->p.next, n + 1);
	if ((rc = locked_for(tx, &c->prep, &out->retry_after_s)))
		return rc;
	if (out->retry_after_s > 0) {
		out->outcome = PD_SECOND_LOCKED;
		return PD_OK;
	}
	*go = true;
	return PD_OK;
}

int pd_signin_second(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                     const char *binding, const char *client_addr, const char *code,
                     struct pd_second_result *out)
{
	struct pending c;
	bool go = false;
	int rc = start(tx, ks, token, binding, "code", client_addr, &c, out, &go);
	if (rc || !go)
		return rc;
	bool ok = false;
	rc = pd_totp_verify_tx(tx, ks, c.prep.account_id, code, &ok, &out->replay,
	                       &out->recovery_used);
	if (rc)
		return rc;
	return ok ? complete(tx, &c, out) : wrong_code(tx, &c, out);
}

int pd_signin_enrol(struct pd_tx *tx, const struct pd_keyset *ks, const char *token,
                    const char *binding, const char *client_addr, const char *code,
                    struct pd_second_result *out)
{
	struct pending c;
	bool go = false;
	int rc = start(tx, ks, token, binding, "enrol", client_addr, &c, out, &go);
	if (rc || !go)
		return rc;
	rc = pd_totp_confirm_tx(tx, ks, c.prep.account_id, code, &out->enrolled);
	if (rc == PD_ERR_NOT_FOUND) {
		out->outcome = PD_SECOND_GONE; /* enrolled meanwhile: sign in again */
		return PD_OK;
	}
	if (rc)
		return rc;
	return out->enrolled.wrong ? wrong_code(tx, &c, out) : complete(tx, &c, out);
}

struct view_arg {
	const struct pd_keyset *ks;
	const char *token, *binding, *step;
	struct pd_arena *a;
	struct pd_totp_enrolment *out;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	struct pending c;
	int rc = load_pending(tx, va->ks, va->token, va->binding, va->step, NULL, &c);
	if (rc || !va->out || strcmp(va->step, "enrol") != 0)
		return rc;
	return pd_totp_pending_tx(tx, va->ks, c.prep.account_id, va->a, va->out);
}

int pd_signin_pending_view(struct pd_store *st, const struct pd_keyset *ks, const char *token,
                           const char *binding, const char *step, struct pd_arena *a,
                           struct pd_totp_enrolment *out)
{
	struct view_arg va = {ks, token, binding, step, a, out};
	return pd_store_read(st, view_tx, &va);
}

int pd_signin_pending_end(struct pd_tx *tx, const char *token)
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(token, hash))
		return PD_OK;
	if (pd_store_pending_delete(tx, (struct pd_blob){hash, sizeof hash}) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}
