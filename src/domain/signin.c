/* Signing in and sessions: the throttle kept in the database (shared by every node), new
 * 256-bit session tokens of which only the hash is stored, expiry, and resolving a cookie into
 * the actor with its grants. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/mail.h"
#include "store/session_store.h"

#define MAX_GRANTS 64
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

/* --- sign-in ------------------------------------------------------------------------------- */

struct prep_arg {
	struct pd_signin_prep *out;
	struct pd_blob email_bidx;
};

static int64_t remaining_s(const struct pd_throttle *t, int64_t now)
{
	return t->locked_until_ms > now ? (t->locked_until_ms - now + 999) / 1000 : 0;
}

static int prep_tx(struct pd_tx *tx, void *p)
{
	struct prep_arg *pa = p;
	struct pd_signin_prep *o = pa->out;
	int64_t now = pd_clock_now_ms();
	struct pd_throttle te, ta;
	if (pd_store_throttle_get(tx, (struct pd_blob){o->email_key, sizeof o->email_key}, &te) < 0 ||
	    pd_store_throttle_get(tx, (struct pd_blob){o->addr_key, sizeof o->addr_key}, &ta) < 0)
		return pd_tx_error(tx);
	int64_t wait = remaining_s(&te, now);
	if (remaining_s(&ta, now) > wait)
		wait = remaining_s(&ta, now);
	o->locked = wait > 0;
	o->retry_after_s = wait;
	if (!pa->email_bidx.p)
		return PD_OK;
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_email(tx, pa->email_bidx, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK;
	o->found = true;
	o->disabled = row.disabled || row.erased_ms;
	if (strlen(row.id) < sizeof o->account_id)
		memcpy(o->account_id, row.id, strlen(row.id) + 1);
	if (row.password_hash && strlen(row.password_hash) < sizeof o->hash)
		memcpy(o->hash, row.password_hash, strlen(row.password_hash) + 1);
	return PD_OK;
}

int pd_signin_prepare(struct pd_store *st, const struct pd_keyset *ks, const char *email,
                      const char *client_addr, struct pd_signin_prep *out)
{
	memset(out, 0, sizeof *out);
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	struct prep_arg pa = {out, {NULL, 0}};
	/* The email's throttle key exists for every address typed, known or not, so a locked
	 * unknown address answers exactly as a locked account does. */
	out->email_key[0] = 'e';
	if (pd_acct_email_index(ks, email, bidx, NULL, 0) == PD_OK) {
		memcpy(out->email_key + 1, bidx, sizeof bidx);
		pa.email_bidx = (struct pd_blob){bidx, sizeof bidx};
	} else if (pd_crypto_blind_index(ks, "signin-email", email ? email : "", out->email_key + 1)) {
		return PD_ERR_CRYPTO;
	}
	out->addr_key[0] = 'a';
	if (pd_crypto_blind_index(ks, "signin-address", client_addr ? client_addr : "",
	                          out->addr_key + 1))
		return PD_ERR_CRYPTO;
	return pd_store_read(st, prep_tx, &pa);
}

static int count_failure(struct pd_tx *tx, const unsigned char *key, size_t n, int max, int64_t now)
{
	struct pd_blob k = {key, n};
	struct pd_throttle t;
	if (pd_store_throttle_get(tx, k, &t) < 0)
		return pd_tx_error(tx);
	if (t.locked_until_ms > now)
		return PD_OK; /* already locked: the lock does not grow */
	if (now - t.window_start_ms > PD_THROTTLE_WINDOW_MS) {
		t.failures = 0;
		t.window_start_ms = now;
	}
	t.failures++;
	if (t.failures >= max) {
		t.locked_until_ms = now + PD_THROTTLE_LOCK_MS;
		t.failures = 0;
		t.window_start_ms = now;
	}
	if (pd_store_throttle_put(tx, k, &t) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_signin_failed(struct pd_tx *tx, const struct pd_signin_prep *prep)
{
	int64_t now = pd_clock_now_ms();
	int rc = count_failure(tx, prep->email_key, sizeof prep->email_key, PD_THROTTLE_EMAIL_MAX, now);
	if (!rc)
		rc = count_failure(tx, prep->addr_key, sizeof prep->addr_key, PD_THROTTLE_ADDR_MAX, now);
	return rc;
}

int pd_signin_succeeded(struct pd_tx *tx, const struct pd_signin_prep *prep,
                        const char *new_hash, struct pd_new_session *out)
{
	int64_t now = pd_clock_now_ms();
	const char *id = prep->account_id;
	if (pd_store_throttle_clear(tx, (struct pd_blob){prep->email_key, sizeof prep->email_key}) < 0)
		return pd_tx_error(tx);
	if (new_hash && pd_store_account_set_password(tx, id, new_hash) < 0)
		return pd_tx_error(tx);
	struct pd_account_row row;
	enum pd_qs qs = pd_store_account_by_id(tx, id, NULL, &row);
	if (qs <= 0)
		return qs < 0 ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	int64_t idle_before = strcmp(row.kind, "staff") == 0 ? now - PD_SESSION_IDLE_STAFF_MS : 0;
	if (pd_store_session_purge(tx, id, now, idle_before) < 0)
		return pd_tx_error(tx);
	unsigned char hash[PD_TOKEN_HASH_BYTES], secret[32];
	pd_acct_token_new(out->token, hash);
	randombytes_buf(secret, sizeof secret);
	sodium_bin2base64(out->csrf_secret, sizeof out->csrf_secret, secret, sizeof secret, B64);
	pd_uuid7(out->id);
	struct pd_session_row s = {
		.token_hash = {hash, sizeof hash},
		.id = out->id,
		.account_id = id,
		.created_ms = now,
		.last_seen_ms = now,
		.expires_ms = now + PD_SESSION_ABSOLUTE_MS,
		.csrf_secret = out->csrf_secret,
	};
	if (pd_store_session_insert(tx, &s) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return pd_acct_audit(tx, NULL, "session.create", id);
}

/* --- resolving a session ------------------------------------------------------------------- */

struct resolve_arg {
	const struct pd_keyset *ks;
	const char *token;
	struct pd_arena *a;
	struct pd_actor *actor;
	const char *csrf;
	bool touch;
};

static int resolve_tx(struct pd_tx *tx, void *p)
{
	struct resolve_arg *ra = p;
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(ra->token, hash))
		return PD_ERR_NOT_FOUND;
	int64_t now = pd_clock_now_ms();
	struct pd_session_row s;
	enum pd_qs qs = pd_store_session_by_hash(tx, (struct pd_blob){hash, sizeof hash}, ra->a, &s);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE || now >= s.expires_ms)
		return PD_ERR_NOT_FOUND;
	struct pd_account acc;
	int rc = pd_account_load(tx, NULL, s.account_id, ra->a, &acc);
	if (rc)
		return rc;
	if (acc.row.disabled || acc.row.erased_ms)
		return PD_ERR_NOT_FOUND;
	bool staff = strcmp(acc.row.kind, "staff") == 0;
	if (staff && now - s.last_seen_ms > PD_SESSION_IDLE_STAFF_MS)
		return PD_ERR_NOT_FOUND;
	struct pd_actor *ac = pd_arena_alloc(ra->a, sizeof *ac);
	ac->account_id = s.account_id;
	ac->kind = staff ? PD_ACCOUNT_STAFF : PD_ACCOUNT_CITIZEN;
	ac->lang = acc.row.lang;
	ac->email_verified = acc.row.email_verified_ms != 0;
	ac->session_id = s.id;
	ac->name = "";
	if (ra->ks && acc.row.subject_key.p && acc.row.name_ct.p) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		struct pd_buf name;
		pd_buf_init(&name, 4096);
		if (pd_crypto_subject_key_unwrap(ra->ks, s.account_id, acc.row.subject_key.p,
		                                 acc.row.subject_key.n, key) == PD_OK &&
		    pd_crypto_open_with(key, acc.row.name_ct.p, acc.row.name_ct.n, "account", "name",
		                        s.account_id, &name) == PD_OK)
			ac->name = pd_arena_strndup(ra->a, pd_buf_cstr(&name), name.len);
		sodium_memzero(key, sizeof key);
		pd_buf_free(&name);
	}
	struct pd_grant_row *rows = pd_arena_alloc(ra->a, MAX_GRANTS * sizeof *rows);
	int n = 0;
	if (pd_store_grant_list(tx, s.account_id, ra->a, rows, MAX_GRANTS, &n) < 0)
		return pd_tx_error(tx);
	ac->grants = pd_arena_alloc(ra->a, (size_t)(n ? n : 1) * sizeof *ac->grants);
	for (int i = 0; i < n; i++) {
		struct pd_grant *g = &ac->grants[ac->n_grants];
		if (pd_role_parse(rows[i].role, &g->role))
			continue;
		g->unit_id = rows[i].unit_id;
		g->unit_path = rows[i].unit_path;
		g->unit_slug = rows[i].unit_slug;
		ac->n_grants++;
	}
	ra->actor = ac;
	ra->csrf = s.csrf_secret;
	ra->touch = now - s.last_seen_ms >= PD_SESSION_TOUCH_MS;
	return PD_OK;
}

int pd_session_resolve(struct pd_store *st, const struct pd_keyset *ks, const char *token,
                       struct pd_arena *a, struct pd_actor **actor, const char **csrf_secret,
                       bool *touch)
{
	struct resolve_arg ra = {ks, token, a, NULL, NULL, false};
	*actor = NULL;
	*csrf_secret = NULL;
	*touch = false;
	int rc = pd_store_read(st, resolve_tx, &ra);
	if (rc)
		return rc;
	*actor = ra.actor;
	*csrf_secret = ra.csrf;
	*touch = ra.touch;
	return PD_OK;
}

int pd_session_touch(struct pd_tx *tx, const char *token, int64_t seen_ms)
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(token, hash))
		return PD_ERR_NOT_FOUND;
	if (pd_store_session_touch(tx, (struct pd_blob){hash, sizeof hash}, seen_ms,
	                           PD_SESSION_TOUCH_MS) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_session_end(struct pd_tx *tx, const char *token)
{
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(token, hash))
		return PD_OK;
	struct pd_blob h = {hash, sizeof hash};
	struct pd_session_row s;
	enum pd_qs qs = pd_store_session_by_hash(tx, h, NULL, &s);
	if (qs <= 0)
		return qs < 0 ? pd_tx_error(tx) : PD_OK;
	if (pd_store_session_delete(tx, h) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "session.end", s.account_id);
}

int pd_session_end_by_id(struct pd_tx *tx, const struct pd_actor *actor, const char *id)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_session_delete_by_id(tx, actor->account_id, id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND; /* unknown, or another account's: the same answer */
	return pd_acct_audit(tx, NULL, "session.end", actor->account_id);
}

int pd_session_end_others(struct pd_tx *tx, const struct pd_actor *actor, const char *token,
                          int64_t *n)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	unsigned char hash[PD_TOKEN_HASH_BYTES];
	if (!pd_acct_token_hash(token, hash))
		return PD_ERR_NOT_FOUND;
	if (pd_store_session_delete_others(tx, actor->account_id, (struct pd_blob){hash, sizeof hash},
	                                   n) < 0)
		return pd_tx_error(tx);
	return pd_acct_audit(tx, NULL, "session.end_others", actor->account_id);
}

struct list_arg {
	const char *account_id;
	struct pd_arena *a;
	struct pd_session_row *out;
	int max, n;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *la = p;
	if (pd_store_session_list(tx, la->account_id, la->a, la->out, la->max, &la->n) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_session_list(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                    struct pd_session_row *out, int max, int *n)
{
	*n = 0;
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_VIEW, &own);
	if (rc)
		return rc;
	struct list_arg la = {actor->account_id, a, out, max, 0};
	rc = pd_store_read(st, list_tx, &la);
	*n = la.n;
	return rc;
}
