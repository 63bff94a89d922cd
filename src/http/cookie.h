/* Cookie request header parser and Set-Cookie value builder (RFC 6265). */
#ifndef PD_HTTP_COOKIE_H
#define PD_HTTP_COOKIE_H

#include <stddef.h>

#include "http/form.h" /* struct pd_kv, pd_kvlist, pd_kv_limits, pd_kv_get */

struct pd_arena;

#define PD_COOKIE_DEFAULT_MAX_COUNT 64
#define PD_COOKIE_DEFAULT_MAX_SIZE 8192

/* Parses a Cookie header value ("a=1; b=2") into name/value pairs, arena-owned, in the order
 * sent (a browser sends the cookie with the most specific path first, so pd_kv_get finds it).
 * RFC 6265 §5.4, leniently: pairs are split on ';', spaces and tabs around names and values
 * are trimmed, a value in double quotes loses them; pairs without '=' or with an empty name and
 * pairs whose name or value is not valid UTF-8 are skipped. limits may be NULL for the defaults
 * (64 cookies, 8192 bytes). header NULL is an empty header.
 * Returns PD_OK; PD_ERR_INVALID when the header holds a control character (tabs only as
 * trimmed space); PD_ERR_TOO_LARGE when a limit is passed. On error *out is the empty list. */
int pd_cookie_parse(struct pd_arena *a, const char *header, const struct pd_kv_limits *limits,
		    struct pd_kvlist *out);

enum pd_cookie_flag {
	PD_COOKIE_HTTPONLY = 1 << 0,
	PD_COOKIE_SECURE = 1 << 1,
	PD_COOKIE_SAMESITE_LAX = 1 << 2,
	PD_COOKIE_SAMESITE_STRICT = 1 << 3,
	PD_COOKIE_PATH_ROOT = 1 << 4, /* Path=/ */
};

/* Builds a Set-Cookie header value:
 * "name=value[; Max-Age=N][; Expires=…1970…][; Path=/][; Secure][; HttpOnly][; SameSite=…]".
 * max_age_s: -1 makes a session cookie (no Max-Age), 0 deletes the cookie (Max-Age=0 and an
 * Expires in 1970 for old clients), N > 0 keeps it N seconds. flags: enum pd_cookie_flag.
 * Returns an arena-owned string, or NULL when name is not an RFC 6265 token, value holds a byte
 * outside cookie-octet (so no space, '"', ',', ';' or '\\'), max_age_s < -1, both SameSite
 * flags are set, or a "__Host-" name lacks Secure and Path=/ or a "__Secure-" name lacks Secure. */
char *pd_cookie_format(struct pd_arena *a, const char *name, const char *value, long long max_age_s,
		       unsigned flags);

#endif
