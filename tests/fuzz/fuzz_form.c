/* Fuzz target: urlencoded bodies and query strings; parsed lists must be well-formed and survive
 * a re-encoding round trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "http/form.h"

static void check_list(int rc, const struct pd_kvlist *l)
{
	if (rc != PD_OK && rc != PD_ERR_INVALID && rc != PD_ERR_TOO_LARGE)
		abort();
	if (rc != PD_OK) {
		if (l->n != 0 || l->items != NULL)
			abort();
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct pd_kv *kv = &l->items[i];
		if (strlen(kv->val) != kv->val_len || !pd_utf8_valid(kv->key, strlen(kv->key)) ||
		    !pd_utf8_valid(kv->val, kv->val_len))
			abort();
	}
	if (l->n > 0 && pd_kv_get(l, l->items[0].key) != l->items[0].val)
		abort();
}

/* Encodes the list again and parses it: the same fields must come back. */
static void round_trip(struct pd_arena *a, const struct pd_kvlist *l)
{
	struct pd_buf b;
	pd_buf_init(&b, (size_t)64 << 20);
	for (size_t i = 0; i < l->n; i++) {
		if (pd_buf_printf(&b, "%s%s=%s", i ? "&" : "", pd_url_encode(a, l->items[i].key),
				  pd_url_encode(a, l->items[i].val)))
			abort();
	}
	struct pd_kvlist again;
	struct pd_kv_limits lim = {.max_fields = l->n + 1, .max_size = b.len + 1};
	if (pd_form_parse(a, b.data, b.len, &lim, &again) != PD_OK || again.n != l->n)
		abort();
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(again.items[i].key, l->items[i].key) != 0 ||
		    strcmp(again.items[i].val, l->items[i].val) != 0)
			abort();
	pd_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_arena *a = pd_arena_new();
	struct pd_kv_limits lim = {.max_fields = 256, .max_size = 1 << 16};
	struct pd_kvlist l;

	int rc = pd_form_parse(a, (const char *)data, size, &lim, &l);
	check_list(rc, &l);
	if (rc == PD_OK)
		round_trip(a, &l);

	char *query = malloc(size + 1);
	if (!query)
		abort();
	memcpy(query, data, size);
	query[size] = '\0';
	rc = pd_form_parse_query(a, query, &lim, &l);
	check_list(rc, &l);
	if (rc == PD_OK && l.n > 0) {
		size_t n;
		const char **all = pd_kv_get_all(a, &l, l.items[0].key, &n);
		if (n < 1 || all[n] != NULL || all[0] != l.items[0].val ||
		    n != pd_kv_count(&l, l.items[0].key))
			abort();
	}
	free(query);
	pd_arena_free(a);
	return 0;
}
