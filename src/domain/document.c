/* Issued documents: numbering, the signed canonical object, the installation's document key
 * (derived from the key file, so every node signs with the same key), storage, revocation and
 * the JWKS of current and earlier keys. */
#include "domain/document_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/jcs.h"
#include "core/log.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "domain/document_reason.h"
#include "store/unit_store.h"

#define KEY_DOMAIN "pendopo.document-signing.v1"
#define MAX_KEYS 64

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pd_document_env env;

void pd_document_configure(struct pd_keyset *ks, const struct pd_config *cfg)
{
	pthread_mutex_lock(&env_lock);
	memset(&env, 0, sizeof env);
	if (ks && cfg) {
		env.ks = ks;
		snprintf(env.public_url, sizeof env.public_url, "%s", cfg->public_url ? cfg->public_url : "");
		size_t n = strlen(env.public_url);
		while (n && env.public_url[n - 1] == '/')
			env.public_url[--n] = '\0';
		snprintf(env.site_name, sizeof env.site_name, "%s", cfg->site_name ? cfg->site_name : "");
		env.tz_offset_min = cfg->tz_offset_min;
	}
	pthread_mutex_unlock(&env_lock);
}

bool pd_document_env_get(struct pd_document_env *out)
{
	pthread_mutex_lock(&env_lock);
	*out = env;
	pthread_mutex_unlock(&env_lock);
	return out->ks != NULL;
}

char *pd_document_b64url(struct pd_arena *a, const void *p, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = pd_arena_alloc(a, len);
	sodium_bin2base64(out, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

long pd_document_b64url_decode(const char *s, size_t len, unsigned char *out, size_t max)
{
	size_t bin_len = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, max, s, len, NULL, &bin_len, &end,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != s + len)
		return -1;
	return (long)bin_len;
}

/* --- the document key ------------------------------------------------------------------------- */

/* The key of a generation: its seed is a keyed hash under a subkey of the key file's index key
 * (pd_crypto_blind_index, domain KEY_DOMAIN, value the generation in decimal). Every node with
 * the same key file derives the same key; the index key is never rotated, so a new generation
 * (pd_document_rotate_key) gives a new key while earlier ones stay derivable. */
struct doc_key {
	unsigned char pk[32], sk[64];
	char kid[PD_DOCUMENT_KID_MAX + 1];
};

static void kid_of(const unsigned char pk[32], char out[PD_DOCUMENT_KID_MAX + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	char hex[17];
	sodium_bin2hex(hex, sizeof hex, h, 8);
	snprintf(out, PD_DOCUMENT_KID_MAX + 1, "doc-%s", hex);
}

static int derive_key(const struct pd_keyset *ks, int64_t generation, struct doc_key *k)
{
	char gen[24];
	snprintf(gen, sizeof gen, "%lld", (long long)generation);
	unsigned char seed[32];
	int rc = pd_crypto_blind_index(ks, KEY_DOMAIN, gen, seed);
	if (rc == PD_OK && crypto_sign_seed_keypair(k->pk, k->sk, seed) != 0)
		rc = PD_ERR_CRYPTO;
	sodium_memzero(seed, sizeof seed);
	if (rc == PD_OK)
		kid_of(k->pk, k->kid);
	return rc;
}

/* The current key in tx: the newest recorded generation (recording generation 1 on first use),
 * checked against what this node's key file derives. */
static int current_key(struct pd_tx *tx, const struct pd_keyset *ks, struct doc_key *k)
{
	struct pd_document_key_row row;
	enum pd_qs qs = pd_store_document_key_current(tx, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	int64_t generation = qs == PD_QS_NONE ? 1 : row.generation;
	int rc = derive_key(ks, generation, k);
	if (rc)
		return rc;
	char *pk_b64 = pd_document_b64url(pd_tx_arena(tx), k->pk, 32);
	if (qs == PD_QS_NONE) {
		struct pd_document_key_row nk = {k->kid, generation, pk_b64, pd_clock_now_ms()};
		if (pd_store_document_key_insert(tx, &nk) < 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		qs = pd_store_document_key_current(tx, NULL, &row);
		if (qs <= 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	}
	if (strcmp(row.public_key, pk_b64) != 0 || strcmp(row.kid, k->kid) != 0) {
		pd_log(PD_LOG_ERROR, "document_key_mismatch",
		       "generation=%lld recorded_kid=%s derived_kid=%s (another key file?)",
		       (long long)generation, row.kid, k->kid);
		return PD_ERR_CRYPTO;
	}
	return PD_OK;
}

struct rotate_arg {
	const struct pd_keyset *ks;
	char kid[PD_DOCUMENT_KID_MAX + 1];
};

static int rotate_tx(struct pd_tx *tx, void *p)
{
	struct rotate_arg *ra = p;
	struct pd_document_key_row row;
	enum pd_qs qs = pd_store_document_key_current(tx, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	int64_t generation = qs == PD_QS_NONE ? 1 : row.generation + 1;
	struct doc_key k;
	int rc = derive_key(ra->ks, generation, &k);
	sodium_memzero(k.sk, sizeof k.sk);
	if (rc)
		return rc;
	struct pd_document_key_row nk = {k.kid, generation,
	                                 pd_document_b64url(pd_tx_arena(tx), k.pk, 32),
	                                 pd_clock_now_ms()};
	if (pd_store_document_key_insert(tx, &nk) != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	memcpy(ra->kid, k.kid, sizeof ra->kid);
	struct pd_audit_event ev = {.actor = "system", .action = "document.key_rotate",
	                            .object_type = "document_key", .object_id = k.kid};
	return pd_audit_append(tx, &ev);
}

int pd_document_rotate_key(struct pd_store *st, const struct pd_keyset *ks,
                           char kid_out[PD_DOCUMENT_KID_MAX + 1])
{
	struct rotate_arg ra = {ks, {0}};
	int rc = pd_store_write(st, rotate_tx, &ra);
	if (rc == PD_OK && kid_out)
		memcpy(kid_out, ra.kid, sizeof ra.kid);
	return rc;
}

/* --- issuing ---------------------------------------------------------------------------------- */

static void uuid4(char out[37])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, b, sizeof b);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* RFC 3339 local time with the zone's offset, e.g. "2026-03-04T12:06:07+07:00"; *year too. */
static void rfc3339(int64_t ms, int tz_min, char out[64], int *year)
{
	time_t t = (time_t)(ms / 1000) + (time_t)tz_min * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	int off = tz_min < 0 ? -tz_min : tz_min;
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tz_min < 0 ? '-' : '+',
	         off / 60, off % 60);
	*year = tm.tm_year + 1900;
}

static bool present(const char *s)
{
	return s && *s;
}

/* "DISDUKCAPIL" from the unit's slug; letters, digits and '-' only. */
static char *unit_code(struct pd_arena *a, const char *slug)
{
	size_t n = strlen(slug);
	char *out = pd_arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = slug[i];
		out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	return out;
}

int pd_document_holder_digest(const char *doc_id, const char *name, const char *nik,
                              const unsigned char code[16], char out[44])
{
	if (!doc_id || !name)
		return PD_ERR_INVALID;
	/* NAME: white space runs made one space, trimmed, ASCII letters upper-cased. */
	struct pd_buf msg;
	pd_buf_init(&msg, 4096);
	int rc = pd_buf_printf(&msg, "pendopo.holder.v1\n%s\n", doc_id);
	bool space = false, any = false;
	for (const char *p = name; *p && rc == PD_OK; p++) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = any;
			continue;
		}
		if (space)
			rc = pd_buf_putc(&msg, ' ');
		space = false;
		any = true;
		if (rc == PD_OK)
			rc = pd_buf_putc(&msg, (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c);
	}
	if (rc == PD_OK && !any)
		rc = PD_ERR_INVALID;
	char norm_nik[17] = "";
	if (rc == PD_OK && nik && *nik && pd_crypto_norm_nik(nik, norm_nik) != PD_OK)
		rc = PD_ERR_INVALID;
	if (rc == PD_OK)
		rc = pd_buf_printf(&msg, "\n%s", norm_nik);
	if (rc == PD_OK) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, code, 16);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg.data, msg.len);
		crypto_auth_hmacsha256_final(&st, mac);
		sodium_bin2base64(out, 44, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	sodium_memzero(msg.data, msg.cap);
	pd_buf_free(&msg);
	return rc;
}

int pd_document_issue_tx(struct pd_tx *tx, const struct pd_document_issue *in,
                         struct pd_arena *a, char doc_id_out[37])
{
	if (!in || !present(in->application_id) || !present(in->service_id) ||
	    !present(in->service_name) || !present(in->unit_id) || !present(in->unit_name) ||
	    !present(in->unit_path) || !present(in->product) || !present(in->holder_name) ||
	    !in->holder_key)
		return PD_ERR_INVALID;
	struct pd_document_env e;
	if (!pd_document_env_get(&e))
		return PD_ERR_UNAVAILABLE;
	if (!a)
		a = pd_tx_arena(tx);
	int rc;
	json_t *doc = NULL;
	struct pd_buf canon, holder, sealed;
	pd_buf_init(&canon, 64 * 1024);
	pd_buf_init(&holder, 4096);
	pd_buf_init(&sealed, 8192);
	struct doc_key k;
	memset(&k, 0, sizeof k);

	int64_t issued_ms = in->issued_ms ? in->issued_ms : pd_clock_now_ms();
	char issued[64];
	int year;
	rfc3339(issued_ms, e.tz_offset_min, issued, &year);
	struct pd_unit unit;
	enum pd_qs qs = pd_store_unit_by_id(tx, in->unit_id, a, &unit);
	if (qs <= 0) {
		rc = qs == PD_QS_NONE ? PD_ERR_INVALID : (pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB);
		goto out;
	}
	int64_t seq = 0;
	if (pd_store_document_next_number(tx, in->unit_id, year, &seq) != PD_QS_ONE) {
		rc = pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		goto out;
	}
	char *number = pd_arena_printf(a, "%04lld/%s/%d", (long long)seq, unit_code(a, unit.slug),
	                               year);
	char id[37];
	uuid4(id);
	unsigned char code[16];
	randombytes_buf(code, sizeof code);
	char digest[44];
	rc = pd_document_holder_digest(id, in->holder_name, in->holder_nik, code, digest);
	if (rc)
		goto out;
	char *verify_url = pd_arena_printf(a, "%s/verifikasi/%s", e.public_url, id);

	doc = json_pack("{s:i, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:s, s:s, s:s}",
	                "v", 1, "type", "pendopo.document", "id", id, "number", number, "product",
	                in->product, "service", "id", in->service_id, "name", in->service_name,
	                "unit", "id", in->unit_id, "name", in->unit_name, "issued", issued,
	                "holder", digest, "issuer", e.site_name, "verify", verify_url);
	if (!doc || json_object_set_new(doc, "application", json_string(in->application_id))) {
		rc = PD_ERR_INVALID; /* a string that is not UTF-8 */
		goto out;
	}
	rc = pd_jcs_serialize(doc, &canon);
	if (rc)
		goto out;
	rc = current_key(tx, e.ks, &k);
	if (rc)
		goto out;
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)canon.data, canon.len, k.sk);

	/* The holder's data, sealed under the application's subject key: name, NIK and the holder
	 * code printed on the PDF. */
	json_t *h = json_pack("{s:s, s:s, s:s}", "name", in->holder_name, "nik",
	                      in->holder_nik ? in->holder_nik : "", "code",
	                      pd_document_b64url(a, code, sizeof code));
	char *htext = h ? json_dumps(h, JSON_COMPACT) : NULL;
	json_decref(h);
	sodium_memzero(code, sizeof code);
	if (!htext) {
		rc = PD_ERR_INVALID;
		goto out;
	}
	rc = pd_crypto_seal_with(in->holder_key, htext, strlen(htext), "document", "holder_ct", id,
	                         &sealed);
	sodium_memzero(htext, strlen(htext));
	free(htext);
	if (rc)
		goto out;

	struct pd_document_row row = {
		.id = id, .number = number, .application_id = in->application_id,
		.unit_id = in->unit_id, .unit_path = in->unit_path, .content = canon.data,
		.kid = k.kid, .sig = pd_document_b64url(a, sig, sizeof sig),
		.holder_ct = {sealed.data, sealed.len}, .issued_by = in->signer_account_id,
		.created_ms = issued_ms};
	if (pd_store_document_insert(tx, &row) != PD_QS_ONE) {
		rc = pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		goto out;
	}
	char *details = pd_arena_printf(a, "{\"application_id\":\"%s\",\"number\":\"%s\",\"kid\":\"%s\"}",
	                                in->application_id, number, k.kid);
	struct pd_audit_event ev = {
		.actor = present(in->signer_account_id)
		                 ? pd_arena_printf(a, "account:%s", in->signer_account_id)
		                 : "system",
		.action = "document.issue", .object_type = "document", .object_id = id,
		.unit_id = in->unit_id, .details = details, .ts_ms = 0};
	rc = pd_audit_append(tx, &ev);
	if (rc == PD_OK)
		memcpy(doc_id_out, id, 37);
out:
	sodium_memzero(k.sk, sizeof k.sk);
	json_decref(doc);
	pd_buf_free(&canon);
	pd_buf_free(&holder);
	pd_buf_free(&sealed);
	return rc;
}

int pd_document_reseal_holder_tx(struct pd_tx *tx, const char *application_id,
                                 const unsigned char *old_key, const unsigned char *new_key)
{
	struct pd_document_row row;
	enum pd_qs qs = pd_store_document_by_application(tx, application_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (qs == PD_QS_NONE)
		return PD_OK;
	struct pd_buf plain, sealed;
	pd_buf_init(&plain, 16384);
	pd_buf_init(&sealed, 16384);
	int rc = pd_crypto_open_with(old_key, row.holder_ct.p, row.holder_ct.n, "document",
	                             "holder_ct", row.id, &plain);
	if (rc == PD_OK)
		rc = pd_crypto_seal_with(new_key, plain.data, plain.len, "document", "holder_ct", row.id,
		                         &sealed);
	if (rc == PD_OK &&
	    pd_store_document_set_holder(tx, row.id, (struct pd_blob){sealed.data, sealed.len}) !=
	            PD_QS_ONE)
		rc = pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (plain.data)
		sodium_memzero(plain.data, plain.cap);
	pd_buf_free(&plain);
	pd_buf_free(&sealed);
	return rc;
}

/* --- reading ---------------------------------------------------------------------------------- */

void pd_document_from_row(struct pd_arena *a, const struct pd_document_row *r,
                          struct pd_document *out)
{
	memset(out, 0, sizeof *out);
	out->id = r->id;
	out->number = r->number;
	out->application_id = r->application_id;
	out->unit_id = r->unit_id;
	out->unit_path = r->unit_path;
	out->content = r->content;
	out->kid = r->kid;
	out->sig = r->sig;
	out->created_ms = r->created_ms;
	out->revoked_ms = r->revoked_ms;
	out->revoke_reason = r->revoke_reason;
	out->revoked_by = r->revoked_by;
	json_t *j = json_loads(r->content, 0, NULL);
	if (j) {
		out->product = pd_arena_strdup(a, json_string_value(json_object_get(j, "product")));
		out->issued = pd_arena_strdup(a, json_string_value(json_object_get(j, "issued")));
		out->service_name = pd_arena_strdup(
			a, json_string_value(json_object_get(json_object_get(j, "service"), "name")));
		out->unit_name = pd_arena_strdup(
			a, json_string_value(json_object_get(json_object_get(j, "unit"), "name")));
		json_decref(j);
	}
}

struct get_arg {
	const char *key;
	bool by_app;
	struct pd_arena *a;
	struct pd_document_row row;
	enum pd_qs qs;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *ga = p;
	ga->qs = ga->by_app ? pd_store_document_by_application(tx, ga->key, ga->a, &ga->row)
	                    : pd_store_document_get(tx, ga->key, ga->a, &ga->row);
	return pd_tx_error(tx);
}

static int load(struct pd_store *st, const char *key, bool by_app, struct pd_arena *a,
                struct pd_document *out)
{
	if (!key || !pd_uuid_valid(key))
		return PD_ERR_NOT_FOUND;
	struct get_arg ga = {key, by_app, a, {0}, PD_QS_NONE};
	int rc = pd_store_read(st, get_tx, &ga);
	if (rc)
		return rc;
	if (ga.qs != PD_QS_ONE)
		return PD_ERR_NOT_FOUND;
	pd_document_from_row(a, &ga.row, out);
	return PD_OK;
}

int pd_document_get(struct pd_store *st, const char *id, struct pd_arena *a,
                    struct pd_document *out)
{
	return load(st, id, false, a, out);
}

int pd_document_by_application(struct pd_store *st, const char *application_id,
                               struct pd_arena *a, struct pd_document *out)
{
	return load(st, application_id, true, a, out);
}

char *pd_document_envelope(struct pd_arena *a, const struct pd_document *doc)
{
	/* Members in RFC 8785 order, so the envelope is canonical too. */
	return pd_arena_printf(a, "{\"doc\":%s,\"kid\":\"%s\",\"sig\":\"%s\"}", doc->content,
	                       doc->kid, doc->sig);
}

struct keys_arg {
	struct pd_arena *a;
	struct pd_document_key_row rows[MAX_KEYS];
	int n;
};

static int keys_tx(struct pd_tx *tx, void *p)
{
	struct keys_arg *ka = p;
	pd_store_document_key_list(tx, ka->a, ka->rows, MAX_KEYS, &ka->n);
	return pd_tx_error(tx);
}

int pd_document_pubkeys(struct pd_store *st, struct pd_document_pubkey *out, int max, int *n)
{
	*n = 0;
	struct pd_arena *a = pd_arena_new();
	struct keys_arg ka = {a, {{0}}, 0};
	int rc = pd_store_read(st, keys_tx, &ka);
	for (int i = 0; rc == PD_OK && i < ka.n && *n < max; i++) {
		struct pd_document_pubkey *k = &out[*n];
		snprintf(k->kid, sizeof k->kid, "%s", ka.rows[i].kid);
		const char *x = ka.rows[i].public_key;
		if (strlen(x) < sizeof k->x &&
		    pd_document_b64url_decode(x, strlen(x), k->pk, sizeof k->pk) == 32) {
			memcpy(k->x, x, strlen(x) + 1);
			(*n)++;
		}
	}
	pd_arena_free(a);
	return rc;
}

enum pd_document_state pd_document_state(struct pd_store *st, const struct pd_document *doc)
{
	struct pd_document_pubkey keys[MAX_KEYS];
	int n = 0;
	if (pd_document_pubkeys(st, keys, MAX_KEYS, &n) != PD_OK)
		return PD_DOC_INVALID;
	if (!pd_document_sig_ok(doc->content, strlen(doc->content), doc->kid, doc->sig, keys, n))
		return PD_DOC_INVALID;
	return doc->revoked_ms ? PD_DOC_REVOKED : PD_DOC_VALID;
}

/* --- revoking --------------------------------------------------------------------------------- */

bool pd_document_may_revoke(const struct pd_actor *actor, const struct pd_document *doc)
{
	struct pd_authz_object obj = {NULL, doc->unit_path};
	return actor && pd_authz(actor, PD_ACT_CASE_ASSIGN, &obj) == PD_OK;
}

int pd_document_revoke_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *doc_id,
                          const char *reason, int64_t now_ms)
{
	if (!doc_id || !pd_uuid_valid(doc_id))
		return PD_ERR_NOT_FOUND;
	struct pd_document_row row;
	enum pd_qs qs = pd_store_document_get(tx, doc_id, NULL, &row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, row.unit_path};
	int rc = pd_authz(actor, PD_ACT_CASE_ASSIGN, &obj);
	if (rc)
		return rc;
	if (row.revoked_ms)
		return PD_ERR_CONFLICT;
	/* One of the fixed reasons (published): never text typed by staff. */
	if (!pd_document_reason_label(reason))
		return PD_ERR_INVALID;
	const char *clean = reason;
	if (!now_ms)
		now_ms = pd_clock_now_ms();
	qs = pd_store_document_revoke(tx, doc_id, now_ms, clean, actor->account_id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	struct pd_audit_event ev = {
		.actor = actor->system ? "system"
		                       : pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id),
		.action = "document.revoke", .object_type = "document", .object_id = doc_id,
		.unit_id = row.unit_id,
		.details = pd_arena_printf(pd_tx_arena(tx), "{\"reason\":\"%s\"}", clean),
		.ts_ms = now_ms};
	return pd_audit_append(tx, &ev);
}

struct revoke_arg {
	const struct pd_actor *actor;
	const char *id, *reason;
	int64_t now_ms;
};

static int revoke_body(struct pd_tx *tx, void *p)
{
	struct revoke_arg *ra = p;
	return pd_document_revoke_tx(tx, ra->actor, ra->id, ra->reason, ra->now_ms);
}

int pd_document_revoke(struct pd_store *st, const struct pd_actor *actor, const char *doc_id,
                       const char *reason, int64_t now_ms)
{
	struct revoke_arg ra = {actor, doc_id, reason, now_ms};
	return pd_store_write(st, revoke_body, &ra);
}
