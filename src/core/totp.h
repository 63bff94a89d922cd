/* One-time passwords for staff sign-in: HOTP (RFC 4226) and TOTP (RFC 6238) over HMAC-SHA1
 * from nettle, base32 secrets (RFC 4648, no padding) and the otpauth:// key URI. */
#ifndef PD_CORE_TOTP_H
#define PD_CORE_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

#define PD_TOTP_SECRET_BYTES 20   /* 160 bits, the HMAC-SHA1 block-friendly size of RFC 4226 */
#define PD_TOTP_SECRET_B32 32     /* base32 characters of a 20-byte secret (no padding) */
#define PD_TOTP_DIGITS 6
#define PD_TOTP_STEP_S 30
#define PD_TOTP_WINDOW 1          /* steps accepted either side of the current one */
#define PD_TOTP_MAX_DIGITS 9
#define PD_TOTP_KEY_MAX 64        /* most secret bytes accepted */

/* HOTP value of key (key_len 1..PD_TOTP_KEY_MAX bytes) at counter: HMAC-SHA1, RFC 4226 §5.3
 * dynamic truncation, modulo 10^digits (digits 6..PD_TOTP_MAX_DIGITS). The decimal text,
 * zero-padded to digits characters, goes to out. Returns PD_OK or PD_ERR_INVALID. */
int pd_totp_hotp(const unsigned char *key, size_t key_len, uint64_t counter, int digits,
                 char out[PD_TOTP_MAX_DIGITS + 1]);

/* The time step of unix_ms: floor(seconds / PD_TOTP_STEP_S) (T0 = 0). Negative times give 0. */
int64_t pd_totp_step(int64_t unix_ms);

/* TOTP value at unix_s with the given step length and digits (RFC 6238 §4), as pd_totp_hotp. */
int pd_totp_at(const unsigned char *key, size_t key_len, int64_t unix_s, int step_s, int digits,
               char out[PD_TOTP_MAX_DIGITS + 1]);

/* Outcome of checking a typed code. */
enum pd_totp_result {
	PD_TOTP_WRONG,    /* matches no step of the window (or malformed) */
	PD_TOTP_OK,       /* matches a step newer than last_step: *step says which */
	PD_TOTP_REPLAY,   /* matches only steps at or before last_step: a reused code */
};

/* Checks code (PD_TOTP_DIGITS digits; ASCII spaces and '-' ignored) against the steps
 * pd_totp_step(now_ms) ± PD_TOTP_WINDOW, comparing in constant time. last_step is the newest
 * step accepted before (0 when none): a code of that step or an older one is a replay. On
 * PD_TOTP_OK *step receives the newest matching step, which the caller must store. */
enum pd_totp_result pd_totp_check(const unsigned char *key, size_t key_len, const char *code,
                                  int64_t now_ms, int64_t last_step, int64_t *step);

/* Base32 (RFC 4648 §6 alphabet, upper case, no padding) of n bytes into out (outlen bytes,
 * NUL-terminated). Returns the length written, or 0 when out is too small. */
size_t pd_base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);

/* Decodes base32 text (case-insensitive; spaces, '-' and trailing '=' ignored) into out.
 * *n receives the byte count. PD_OK, PD_ERR_INVALID (bad character or trailing bits set),
 * PD_ERR_TOO_LARGE (out too small). */
int pd_base32_decode(const char *in, unsigned char *out, size_t outlen, size_t *n);

/* The key URI authenticator apps read from the QR code (Google's Key Uri Format):
 * "otpauth://totp/ISSUER:ACCOUNT?secret=SECRET&issuer=ISSUER", issuer and account
 * percent-encoded (RFC 3986 unreserved characters kept). Arena-owned. */
char *pd_totp_uri(struct pd_arena *a, const char *issuer, const char *account,
                  const char *secret_b32);

#endif
