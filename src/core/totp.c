/* HOTP and TOTP (RFC 4226, RFC 6238) with nettle's HMAC-SHA1, base32 and the otpauth URI. */
#include "core/totp.h"

#include <nettle/hmac.h>
#include <nettle/sha1.h>
#include <sodium.h>
#include <string.h>

#include "core/err.h"

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int pd_totp_hotp(const unsigned char *key, size_t key_len, uint64_t counter, int digits,
                 char out[PD_TOTP_MAX_DIGITS + 1])
{
	out[0] = '\0';
	if (!key || key_len == 0 || key_len > PD_TOTP_KEY_MAX || digits < 6 ||
	    digits > PD_TOTP_MAX_DIGITS)
		return PD_ERR_INVALID;
	unsigned char msg[8], mac[SHA1_DIGEST_SIZE];
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	struct hmac_sha1_ctx ctx;
	hmac_sha1_set_key(&ctx, key_len, key);
	hmac_sha1_update(&ctx, sizeof msg, msg);
	hmac_sha1_digest(&ctx, sizeof mac, mac);
	sodium_memzero(&ctx, sizeof ctx);
	/* RFC 4226 §5.3: the low nibble of the last byte picks 4 bytes; the top bit is dropped. */
	unsigned off = mac[sizeof mac - 1] & 0x0f;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	               ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
	sodium_memzero(mac, sizeof mac);
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	uint32_t v = bin % mod;
	for (int i = digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[digits] = '\0';
	return PD_OK;
}

int64_t pd_totp_step(int64_t unix_ms)
{
	return unix_ms <= 0 ? 0 : unix_ms / 1000 / PD_TOTP_STEP_S;
}

int pd_totp_at(const unsigned char *key, size_t key_len, int64_t unix_s, int step_s, int digits,
               char out[PD_TOTP_MAX_DIGITS + 1])
{
	if (step_s <= 0 || unix_s < 0) {
		out[0] = '\0';
		return PD_ERR_INVALID;
	}
	return pd_totp_hotp(key, key_len, (uint64_t)(unix_s / step_s), digits, out);
}

enum pd_totp_result pd_totp_check(const unsigned char *key, size_t key_len, const char *code,
                                  int64_t now_ms, int64_t last_step, int64_t *step)
{
	char typed[PD_TOTP_DIGITS + 1];
	size_t n = 0;
	*step = 0;
	for (const char *p = code; p && *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n >= PD_TOTP_DIGITS)
			return PD_TOTP_WRONG;
		typed[n++] = *p;
	}
	if (n != PD_TOTP_DIGITS)
		return PD_TOTP_WRONG;
	typed[n] = '\0';
	int64_t now = pd_totp_step(now_ms);
	bool replay = false;
	/* Every step of the window is computed and compared, so the time taken does not say
	 * which step matched. */
	for (int64_t s = now - PD_TOTP_WINDOW; s <= now + PD_TOTP_WINDOW; s++) {
		char want[PD_TOTP_MAX_DIGITS + 1];
		if (s < 0 || pd_totp_hotp(key, key_len, (uint64_t)s, PD_TOTP_DIGITS, want))
			continue;
		bool match = sodium_memcmp(want, typed, PD_TOTP_DIGITS) == 0;
		sodium_memzero(want, sizeof want);
		if (!match)
			continue;
		if (s > last_step)
			*step = s;
		else
			replay = true;
	}
	sodium_memzero(typed, sizeof typed);
	if (*step)
		return PD_TOTP_OK;
	return replay ? PD_TOTP_REPLAY : PD_TOTP_WRONG;
}

size_t pd_base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen)
{
	size_t need = (n * 8 + 4) / 5;
	if (!out || outlen < need + 1)
		return 0;
	size_t k = 0;
	uint32_t buf = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[k++] = B32[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[k++] = B32[(buf << (5 - bits)) & 31];
	out[k] = '\0';
	return k;
}

int pd_base32_decode(const char *in, unsigned char *out, size_t outlen, size_t *n)
{
	*n = 0;
	uint32_t buf = 0;
	int bits = 0;
	bool pad = false;
	for (const char *p = in; p && *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c == '=') {
			pad = true;
			continue;
		}
		if (pad)
			return PD_ERR_INVALID; /* data after padding */
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		const char *at = c ? strchr(B32, c) : NULL;
		if (!at)
			return PD_ERR_INVALID;
		buf = (buf << 5) | (uint32_t)(at - B32);
		bits += 5;
		if (bits >= 8) {
			if (*n >= outlen)
				return PD_ERR_TOO_LARGE;
			out[(*n)++] = (unsigned char)(buf >> (bits - 8));
			bits -= 8;
		}
		buf &= (1u << bits) - 1;
	}
	if (bits >= 5 || (buf & ((1u << bits) - 1)) != 0)
		return PD_ERR_INVALID; /* a dangling character or non-zero trailing bits */
	return PD_OK;
}

/* Appends s percent-encoded (unreserved characters kept) to out at *k; false when full. */
static bool put_encoded(char *out, size_t cap, size_t *k, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
		if (*k + (keep ? 1 : 3) >= cap)
			return false;
		if (keep) {
			out[(*k)++] = (char)*p;
		} else {
			out[(*k)++] = '%';
			out[(*k)++] = hex[*p >> 4];
			out[(*k)++] = hex[*p & 15];
		}
	}
	out[*k] = '\0';
	return true;
}

char *pd_totp_uri(struct pd_arena *a, const char *issuer, const char *account,
                  const char *secret_b32)
{
	issuer = issuer ? issuer : "";
	account = account ? account : "";
	secret_b32 = secret_b32 ? secret_b32 : "";
	size_t cap = 64 + 6 * strlen(issuer) + 3 * strlen(account) + strlen(secret_b32);
	char *out = pd_arena_alloc(a, cap);
	size_t k = 0;
	out[0] = '\0';
	static const char *const lit[] = {"otpauth://totp/", ":", "?secret=", "&issuer="};
	const char *parts[] = {issuer, account, secret_b32, issuer};
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(lit[i]);
		memcpy(out + k, lit[i], n + 1);
		k += n;
		if (!put_encoded(out, cap, &k, parts[i]))
			return NULL;
	}
	return out;
}
