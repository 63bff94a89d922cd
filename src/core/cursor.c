/* Opaque keyset-pagination cursors: version, k1, k2 and a MAC, in base64url. */
#include "core/cursor.h"

#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

#define MAC_LEN 12
#define MAX_K2 128
#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

static unsigned char cursor_key[32];

void pd_cursor_set_key(const unsigned char key[32])
{
	memcpy(cursor_key, key, sizeof cursor_key);
}

char *pd_cursor_encode(struct pd_arena *a, const struct pd_cursor *c)
{
	unsigned char raw[1 + 8 + 1 + MAX_K2 + MAC_LEN];
	size_t k2n = c->k2 ? strlen(c->k2) : 0;
	if (k2n > MAX_K2)
		k2n = MAX_K2;
	size_t n = 0;
	raw[n++] = 1;
	uint64_t v = (uint64_t)c->k1;
	for (int i = 7; i >= 0; i--)
		raw[n++] = (unsigned char)(v >> (i * 8));
	raw[n++] = (unsigned char)k2n;
	memcpy(raw + n, c->k2 ? c->k2 : "", k2n);
	n += k2n;
	crypto_generichash(raw + n, MAC_LEN, raw, n, cursor_key, sizeof cursor_key);
	n += MAC_LEN;
	size_t out_len = sodium_base64_ENCODED_LEN(n, VARIANT);
	char *out = pd_arena_alloc(a, out_len);
	sodium_bin2base64(out, out_len, raw, n, VARIANT);
	return out;
}

int pd_cursor_decode(struct pd_arena *a, const char *s, struct pd_cursor *c)
{
	unsigned char raw[1 + 8 + 1 + MAX_K2 + MAC_LEN];
	size_t n = 0;
	if (!s || strlen(s) > 2 * sizeof raw ||
	    sodium_base642bin(raw, sizeof raw, s, strlen(s), NULL, &n, NULL, VARIANT) || n < 10 + MAC_LEN ||
	    raw[0] != 1)
		return PD_ERR_INVALID;
	size_t k2n = raw[9];
	if (n != 10 + k2n + MAC_LEN)
		return PD_ERR_INVALID;
	unsigned char mac[MAC_LEN];
	crypto_generichash(mac, MAC_LEN, raw, 10 + k2n, cursor_key, sizeof cursor_key);
	if (sodium_memcmp(mac, raw + 10 + k2n, MAC_LEN))
		return PD_ERR_INVALID;
	uint64_t v = 0;
	for (int i = 1; i <= 8; i++)
		v = (v << 8) | raw[i];
	c->k1 = (int64_t)v;
	if (!pd_utf8_valid((const char *)raw + 10, k2n))
		return PD_ERR_INVALID;
	c->k2 = pd_arena_strndup(a, (const char *)raw + 10, k2n);
	return PD_OK;
}

int pd_cursor_limit(const char *s, int def, int max, int *out)
{
	if (!s) {
		*out = def;
		return PD_OK;
	}
	int64_t v;
	if (pd_parse_i64(s, 1, max, &v))
		return PD_ERR_INVALID;
	*out = (int)v;
	return PD_OK;
}
