/* Fuzz target: Cookie headers; parsed pairs must be well-formed and Set-Cookie values built from
 * them must parse back to the same pair. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"
#include "http/cookie.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	char *header = malloc(size + 1);
	if (!header)
		abort();
	memcpy(header, data, size);
	header[size] = '\0';
	struct pd_arena *a = pd_arena_new();
	struct pd_kvlist l;

	int rc = pd_cookie_parse(a, header, NULL, &l);
	if (rc != PD_OK && rc != PD_ERR_INVALID && rc != PD_ERR_TOO_LARGE)
		abort();
	if (rc != PD_OK && (l.n != 0 || l.items != NULL))
		abort();
	for (size_t i = 0; i < l.n; i++) {
		const struct pd_kv *kv = &l.items[i];
		size_t key_len = strlen(kv->key);
		if (key_len == 0 || strlen(kv->val) != kv->val_len ||
		    !pd_utf8_valid(kv->key, key_len) || !pd_utf8_valid(kv->val, kv->val_len))
			abort();
		for (const char *p = kv->key; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7F || *p == ';' || *p == '=')
				abort();
		char *set = pd_cookie_format(a, kv->key, kv->val, 60, PD_COOKIE_HTTPONLY);
		if (!set)
			continue;
		/* Sent back as a browser would: the part before the first "; ". */
		char *semi = strstr(set, "; ");
		if (!semi)
			abort();
		*semi = '\0';
		struct pd_kvlist back;
		if (pd_cookie_parse(a, set, NULL, &back) != PD_OK || back.n != 1 ||
		    strcmp(back.items[0].key, kv->key) != 0 || strcmp(back.items[0].val, kv->val) != 0)
			abort();
	}
	pd_arena_free(a);
	free(header);
	return 0;
}
