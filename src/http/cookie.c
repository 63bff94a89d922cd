/* Parses Cookie headers into arena-owned pairs and builds Set-Cookie values. */
#include "http/cookie.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims spaces and tabs from both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

int pd_cookie_parse(struct pd_arena *a, const char *header, const struct pd_kv_limits *limits,
		    struct pd_kvlist *out)
{
	size_t max_count = limits && limits->max_fields ? limits->max_fields
							: PD_COOKIE_DEFAULT_MAX_COUNT;
	size_t max_size = limits && limits->max_size ? limits->max_size : PD_COOKIE_DEFAULT_MAX_SIZE;

	out->items = NULL;
	out->n = 0;
	if (!header)
		return PD_OK;
	size_t len = max_size < SIZE_MAX ? strnlen(header, max_size + 1) : strlen(header);
	if (len > max_size)
		return PD_ERR_TOO_LARGE;

	/* Check every byte and bound the count before allocating. */
	size_t n_pairs = 1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)header[i];
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return PD_ERR_INVALID;
		if (c == ';')
			n_pairs++;
	}
	struct pd_kv *items = NULL;
	size_t n = 0;
	for (size_t i = 0; i <= len;) {
		const char *pair = header + i;
		size_t pair_len = strcspn(pair, ";");
		i += pair_len + 1;
		const char *eq = memchr(pair, '=', pair_len);
		if (!eq)
			continue;
		const char *name = pair;
		size_t name_len = (size_t)(eq - pair);
		const char *val = eq + 1;
		size_t val_len = pair_len - name_len - 1;
		trim(&name, &name_len);
		trim(&val, &val_len);
		if (val_len >= 2 && val[0] == '"' && val[val_len - 1] == '"') {
			val++;
			val_len -= 2;
		}
		if (name_len == 0 || !pd_utf8_valid(name, name_len) || !pd_utf8_valid(val, val_len))
			continue;
		/* A tab left inside a name or value is a control character. */
		if (memchr(name, '\t', name_len) || memchr(val, '\t', val_len))
			return PD_ERR_INVALID;
		if (n == max_count)
			return PD_ERR_TOO_LARGE;
		if (!items)
			items = pd_arena_alloc(a, (n_pairs < max_count ? n_pairs : max_count) *
							  sizeof(*items));
		items[n].key = pd_arena_strndup(a, name, name_len);
		items[n].val = pd_arena_strndup(a, val, val_len);
		items[n].val_len = val_len;
		n++;
	}
	out->items = items;
	out->n = n;
	return PD_OK;
}

/* RFC 6265 §4.1.1 cookie-octet. */
static bool is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
	       (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

/* RFC 9110 tchar, which RFC 6265 uses for cookie names. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

char *pd_cookie_format(struct pd_arena *a, const char *name, const char *value, long long max_age_s,
		       unsigned flags)
{
	if (!name || !value || !*name || max_age_s < -1)
		return NULL;
	if ((flags & PD_COOKIE_SAMESITE_LAX) && (flags & PD_COOKIE_SAMESITE_STRICT))
		return NULL;
	for (const char *p = name; *p; p++)
		if (!is_tchar((unsigned char)*p))
			return NULL;
	for (const char *p = value; *p; p++)
		if (!is_cookie_octet((unsigned char)*p))
			return NULL;
	/* Cookie prefixes (RFC 6265bis §4.1.3): browsers refuse them otherwise. */
	if (pd_str_starts(name, "__Host-") &&
	    (flags & (PD_COOKIE_SECURE | PD_COOKIE_PATH_ROOT)) !=
		    (PD_COOKIE_SECURE | PD_COOKIE_PATH_ROOT))
		return NULL;
	if (pd_str_starts(name, "__Secure-") && !(flags & PD_COOKIE_SECURE))
		return NULL;

	char age[64] = "";
	if (max_age_s == 0)
		snprintf(age, sizeof(age), "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	else if (max_age_s > 0)
		snprintf(age, sizeof(age), "; Max-Age=%lld", max_age_s);
	const char *same_site = flags & PD_COOKIE_SAMESITE_LAX	  ? "; SameSite=Lax"
				: flags & PD_COOKIE_SAMESITE_STRICT ? "; SameSite=Strict"
								    : "";
	/* Joined by hand: every page for a visitor without a cookie sets one, and a printf of
	 * seven strings was a visible part of a cached answer (issue #8). */
	const char *parts[] = {name,
	                       "=",
	                       value,
	                       age,
	                       flags & PD_COOKIE_PATH_ROOT ? "; Path=/" : "",
	                       flags & PD_COOKIE_SECURE ? "; Secure" : "",
	                       flags & PD_COOKIE_HTTPONLY ? "; HttpOnly" : "",
	                       same_site};
	size_t lens[sizeof parts / sizeof parts[0]], total = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		total += lens[i] = strlen(parts[i]);
	char *out = pd_arena_alloc(a, total + 1), *p = out;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		memcpy(p, parts[i], lens[i]);
		p += lens[i];
	}
	*p = '\0';
	return out;
}
