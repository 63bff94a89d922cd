/* Verification of signed documents without a database: the envelope {"doc","kid","sig"}, a
 * JWKS of public keys, and the envelope carried in a PDF's Keywords entry. */
#include "domain/document_internal.h"

#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/jcs.h"

#define ENVELOPE_MAX (256 * 1024)

bool pd_document_sig_ok(const char *content, size_t len, const char *kid, const char *sig,
                        const struct pd_document_pubkey *keys, int n_keys)
{
	if (!content || !kid || !sig)
		return false;
	unsigned char s[crypto_sign_BYTES + 1];
	if (pd_document_b64url_decode(sig, strlen(sig), s, sizeof s) != crypto_sign_BYTES)
		return false;
	for (int i = 0; i < n_keys; i++)
		if (strcmp(keys[i].kid, kid) == 0)
			return crypto_sign_verify_detached(s, (const unsigned char *)content, len,
			                                   keys[i].pk) == 0;
	return false;
}

int pd_document_jwks_parse(const char *text, size_t len, struct pd_document_pubkey *out,
                           int max, int *n)
{
	*n = 0;
	json_t *j = json_loadb(text, len, 0, NULL);
	json_t *keys = json_object_get(j, "keys");
	if (!json_is_array(keys)) {
		json_decref(j);
		return PD_ERR_INVALID;
	}
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k)
	{
		const char *kty = json_string_value(json_object_get(k, "kty"));
		const char *crv = json_string_value(json_object_get(k, "crv"));
		const char *x = json_string_value(json_object_get(k, "x"));
		const char *kid = json_string_value(json_object_get(k, "kid"));
		if (*n >= max || !kty || !crv || !x || !kid || strcmp(kty, "OKP") ||
		    strcmp(crv, "Ed25519") || strlen(kid) > PD_DOCUMENT_KID_MAX)
			continue;
		struct pd_document_pubkey *pk = &out[*n];
		if (pd_document_b64url_decode(x, strlen(x), pk->pk, sizeof pk->pk) != 32)
			continue;
		memcpy(pk->kid, kid, strlen(kid) + 1);
		(*n)++;
	}
	json_decref(j);
	return PD_OK;
}

int pd_document_verify_envelope(const char *text, size_t len,
                                const struct pd_document_pubkey *keys, int n_keys,
                                struct pd_arena *a, bool *valid, const char **id_out,
                                const char **why)
{
	*valid = false;
	*why = "malformed";
	if (id_out)
		*id_out = NULL;
	if (!text || len > ENVELOPE_MAX)
		return PD_ERR_INVALID;
	json_t *env = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *doc = json_object_get(env, "doc");
	const char *kid = json_string_value(json_object_get(env, "kid"));
	const char *sig = json_string_value(json_object_get(env, "sig"));
	if (!json_is_object(doc) || !kid || !sig) {
		json_decref(env);
		return PD_ERR_INVALID;
	}
	if (id_out && json_is_string(json_object_get(doc, "id")))
		*id_out = pd_arena_strdup(a, json_string_value(json_object_get(doc, "id")));
	struct pd_buf canon;
	pd_buf_init(&canon, ENVELOPE_MAX);
	bool known = false;
	for (int i = 0; i < n_keys; i++)
		known = known || strcmp(keys[i].kid, kid) == 0;
	if (pd_jcs_serialize(doc, &canon) != PD_OK)
		*why = "the content is not canonical JSON of the supported kind";
	else if (!known)
		*why = "the key id is not among the known keys";
	else if (!pd_document_sig_ok(canon.data, canon.len, kid, sig, keys, n_keys))
		*why = "the signature does not match the content";
	else {
		*valid = true;
		*why = NULL;
	}
	pd_buf_free(&canon);
	json_decref(env);
	return PD_OK;
}

/* Reads a PDF literal string starting after '(' at p[*i]; appends the bytes to out. */
static bool literal(const char *p, size_t n, size_t i, struct pd_buf *out)
{
	int depth = 1;
	while (i < n) {
		char c = p[i++];
		if (c == '\\' && i < n) {
			char e = p[i++];
			switch (e) {
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case '\r':
			case '\n': continue; /* line continuation */
			default:
				if (e >= '0' && e <= '7') {
					int v = e - '0';
					for (int k = 0; k < 2 && i < n && p[i] >= '0' && p[i] <= '7'; k++)
						v = v * 8 + (p[i++] - '0');
					c = (char)v;
				} else {
					c = e;
				}
			}
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (--depth == 0)
				return true;
		}
		if (pd_buf_putc(out, c) != PD_OK)
			return false;
	}
	return false;
}

int pd_document_from_pdf(const void *pdf, size_t n, struct pd_arena *a, char **json,
                         size_t *len)
{
	const char *p = pdf;
	static const char key[] = "/Keywords";
	size_t klen = sizeof key - 1, last = (size_t)-1;
	/* The last entry wins (an incremental update appends a newer Info dictionary). */
	for (size_t i = 0; n >= klen && i + klen <= n; i++)
		if (p[i] == '/' && memcmp(p + i, key, klen) == 0)
			last = i + klen;
	if (last == (size_t)-1)
		return PD_ERR_NOT_FOUND;
	size_t i = last;
	while (i < n && (p[i] == ' ' || p[i] == '\r' || p[i] == '\n' || p[i] == '\t'))
		i++;
	if (i >= n || p[i] != '(')
		return PD_ERR_NOT_FOUND;
	struct pd_buf raw;
	pd_buf_init(&raw, ENVELOPE_MAX);
	int rc = PD_ERR_NOT_FOUND;
	if (literal(p, n, i + 1, &raw) && raw.len > 0) {
		unsigned char *bin = pd_arena_alloc(a, raw.len + 1);
		long m = pd_document_b64url_decode(raw.data, raw.len, bin, raw.len);
		if (m > 0) {
			bin[m] = '\0';
			*json = (char *)bin;
			*len = (size_t)m;
			rc = PD_OK;
		} else {
			rc = PD_ERR_INVALID;
		}
	}
	pd_buf_free(&raw);
	return rc;
}
