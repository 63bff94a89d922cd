/* Partner API keys: access, issue (shown once, hash kept), revoke, list, verify. */
#include "domain/apikey.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "domain/unit.h"
#include "store/apikey_store.h"

#define KEY_TAG "pdk_"

int pd_apikey_access(const struct pd_actor *actor)
{
	if (actor && actor->system)
		return PD_OK;
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	/* Keys reach the whole installation: the configuration of a top unit. */
	for (size_t i = 0; i < actor->n_grants; i++) {
		const char *path = actor->grants[i].unit_path;
		if (!pd_unit_path_is_top(path))
			continue;
		struct pd_authz_object obj = {NULL, path};
		if (pd_authz(actor, PD_ACT_CONFIGURE, &obj) == PD_OK)
			return PD_OK;
	}
	return pd_authz_has_role(actor, PD_ROLE_ADMINISTRATOR, NULL) ? PD_ERR_FORBIDDEN
	                                                             : PD_ERR_NOT_FOUND;
}

static void key_hash(const char *key, unsigned char h[32])
{
	crypto_generichash(h, 32, (const unsigned char *)key, strlen(key), NULL, 0);
}

static void from_row(const struct pd_apikey_row *r, struct pd_apikey *out)
{
	*out = (struct pd_apikey){r->id, r->partner, r->prefix, r->created_by,
	                          r->trusted_identities, r->per_min, r->created_ms,
	                          r->revoked_ms, r->last_used_ms};
}

int pd_apikey_add(struct pd_tx *tx, const struct pd_actor *actor, const char *partner,
                  bool trusted_identities, int64_t per_min, char key_out[PD_APIKEY_LEN + 1],
                  char id_out[37])
{
	key_out[0] = '\0';
	int rc = pd_apikey_access(actor);
	if (rc)
		return rc;
	if (per_min == 0)
		per_min = PD_APIKEY_PER_MIN;
	if (!pd_app_text_ok(partner, PD_APIKEY_PARTNER_MAX, true) || per_min < 1 ||
	    per_min > PD_APIKEY_PER_MIN_MAX)
		return PD_ERR_INVALID;
	struct pd_arena *a = pd_tx_arena(tx);
	unsigned char raw[32], h[32];
	randombytes_buf(raw, sizeof raw);
	memcpy(key_out, KEY_TAG, sizeof KEY_TAG - 1);
	sodium_bin2base64(key_out + sizeof KEY_TAG - 1, PD_APIKEY_LEN + 2 - sizeof KEY_TAG, raw,
	                  sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	key_hash(key_out, h);
	char id[PD_UUID_LEN + 1], prefix[PD_APIKEY_PREFIX_LEN + 1];
	pd_uuid7(id);
	snprintf(prefix, sizeof prefix, "%s", key_out);
	int64_t now = pd_clock_now_ms();
	const char *who = pd_app_audit_actor(a, actor);
	struct pd_apikey_row r = {
		.id = id, .partner = partner, .key_hash = {h, sizeof h}, .prefix = prefix,
		.trusted_identities = trusted_identities, .per_min = per_min, .created_by = who,
		.created_ms = now};
	if (pd_store_apikey_insert(tx, &r) <= 0) {
		rc = pd_app_db_error(tx);
		goto out;
	}
	char details[128];
	snprintf(details, sizeof details, "{\"prefix\":\"%s\",\"trusted_identities\":%s}", prefix,
	         trusted_identities ? "true" : "false");
	struct pd_audit_event ev = {.actor = who, .action = "apikey.add", .object_type = "api_key",
	                            .object_id = id, .details = details, .ts_ms = now};
	if ((rc = pd_audit_append(tx, &ev)))
		goto out;
	memcpy(id_out, id, PD_UUID_LEN + 1);
out:
	if (rc)
		sodium_memzero(key_out, PD_APIKEY_LEN + 1);
	return rc;
}

int pd_apikey_revoke(struct pd_tx *tx, const struct pd_actor *actor, const char *id)
{
	int rc = pd_apikey_access(actor);
	if (rc)
		return rc;
	if (!id || strlen(id) != PD_UUID_LEN)
		return PD_ERR_NOT_FOUND;
	struct pd_apikey_row r;
	enum pd_qs qs = pd_store_apikey_by_id(tx, id, NULL, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (r.revoked_ms)
		return PD_ERR_CONFLICT;
	int64_t now = pd_clock_now_ms();
	qs = pd_store_apikey_revoke(tx, id, now);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	struct pd_audit_event ev = {.actor = pd_app_audit_actor(pd_tx_arena(tx), actor),
	                            .action = "apikey.revoke", .object_type = "api_key",
	                            .object_id = id, .ts_ms = now};
	return pd_audit_append(tx, &ev);
}

struct list_arg {
	struct pd_arena *a;
	struct pd_apikey *out;
	int max, *n;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *l = p;
	struct pd_apikey_row *rows = pd_arena_alloc(l->a, (size_t)l->max * sizeof *rows);
	int n = 0;
	if (pd_store_apikey_list(tx, l->a, rows, l->max, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++)
		from_row(&rows[i], &l->out[i]);
	*l->n = n;
	return PD_OK;
}

int pd_apikey_list(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                   struct pd_apikey *out, int max, int *n)
{
	*n = 0;
	int rc = pd_apikey_access(actor);
	if (rc)
		return rc;
	if (max < 1 || max > PD_APIKEY_LIST_MAX)
		return PD_ERR_INVALID;
	struct list_arg l = {a, out, max, n};
	return pd_store_read(st, list_tx, &l);
}

int pd_apikey_verify_tx(struct pd_tx *tx, const char *key, struct pd_arena *a,
                        struct pd_apikey *out)
{
	memset(out, 0, sizeof *out);
	if (!key || strlen(key) != PD_APIKEY_LEN || strncmp(key, KEY_TAG, sizeof KEY_TAG - 1) != 0)
		return PD_ERR_NOT_FOUND;
	unsigned char h[32];
	key_hash(key, h);
	struct pd_apikey_row r;
	enum pd_qs qs = pd_store_apikey_by_hash(tx, h, sizeof h, a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || r.key_hash.n != sizeof h || sodium_memcmp(r.key_hash.p, h, sizeof h))
		return PD_ERR_NOT_FOUND;
	from_row(&r, out);
	return r.revoked_ms ? PD_ERR_FORBIDDEN : PD_OK;
}

struct verify_arg {
	const char *key;
	struct pd_arena *a;
	struct pd_apikey *out;
};

static int verify_tx(struct pd_tx *tx, void *p)
{
	struct verify_arg *v = p;
	return pd_apikey_verify_tx(tx, v->key, v->a, v->out);
}

int pd_apikey_verify(struct pd_store *st, const char *key, struct pd_arena *a,
                     struct pd_apikey *out)
{
	struct verify_arg v = {key, a, out};
	return pd_store_read(st, verify_tx, &v);
}

int pd_apikey_touch(struct pd_tx *tx, const struct pd_apikey *k, int64_t now_ms)
{
	if (k->last_used_ms && now_ms >= k->last_used_ms && now_ms - k->last_used_ms < 60000)
		return PD_OK;
	return pd_store_apikey_touch(tx, k->id, now_ms) < 0 ? pd_app_db_error(tx) : PD_OK;
}
