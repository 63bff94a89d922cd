/* Decodes urlencoded bodies and query strings into arena-owned key/value lists. */
#include "http/form.h"

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/str.h"

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes n bytes of one key or value ('+' and %XX) into an arena-owned string. */
static int decode(struct pd_arena *a, const char *s, size_t n, char **out, size_t *out_len)
{
	char *d = pd_arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '+') {
			d[k++] = ' ';
		} else if (c == '%') {
			if (n - i < 3)
				return PD_ERR_INVALID;
			int hi = hex_value((unsigned char)s[i + 1]);
			int lo = hex_value((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return PD_ERR_INVALID;
			d[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			d[k++] = (char)c;
		}
	}
	d[k] = '\0';
	/* pd_utf8_valid also refuses NUL, which %00 or a raw NUL byte would produce. */
	if (!pd_utf8_valid(d, k))
		return PD_ERR_INVALID;
	*out = d;
	*out_len = k;
	return PD_OK;
}

int pd_form_parse(struct pd_arena *a, const char *body, size_t len,
		  const struct pd_kv_limits *limits, struct pd_kvlist *out)
{
	size_t max_fields = limits && limits->max_fields ? limits->max_fields
							 : PD_FORM_DEFAULT_MAX_FIELDS;
	size_t max_size = limits && limits->max_size ? limits->max_size : PD_FORM_DEFAULT_MAX_SIZE;
	int rc = PD_ERR_INVALID;

	out->items = NULL;
	out->n = 0;
	if (len > max_size)
		return PD_ERR_TOO_LARGE;
	if (len > 0 && !body)
		return PD_ERR_INVALID;

	/* Count the non-empty fields first, so the array is bounded before it is allocated. */
	size_t n_fields = 0;
	for (size_t i = 0; i < len;) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > i && ++n_fields > max_fields)
			return PD_ERR_TOO_LARGE;
		i = end + 1;
	}
	if (n_fields == 0)
		return PD_OK;

	struct pd_kv *items = pd_arena_alloc(a, n_fields * sizeof(*items));
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > i) {
			const char *field = body + i;
			size_t field_len = end - i;
			const char *eq = memchr(field, '=', field_len);
			size_t key_len = eq ? (size_t)(eq - field) : field_len;
			char *key, *val;
			size_t key_dec_len, val_len;
			rc = decode(a, field, key_len, &key, &key_dec_len);
			if (rc)
				goto out;
			if (eq)
				rc = decode(a, eq + 1, field_len - key_len - 1, &val, &val_len);
			else
				rc = decode(a, "", 0, &val, &val_len);
			if (rc)
				goto out;
			items[n].key = key;
			items[n].val = val;
			items[n].val_len = val_len;
			n++;
		}
		i = end + 1;
	}
	out->items = items;
	out->n = n;
	rc = PD_OK;
out:
	return rc;
}

int pd_form_parse_query(struct pd_arena *a, const char *query, const struct pd_kv_limits *limits,
			struct pd_kvlist *out)
{
	if (!query)
		query = "";
	if (*query == '?')
		query++;
	return pd_form_parse(a, query, strcspn(query, "#"), limits, out);
}

const char *pd_kv_get(const struct pd_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].val;
	return NULL;
}

size_t pd_kv_count(const struct pd_kvlist *l, const char *key)
{
	size_t count = 0;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			count++;
	return count;
}

const char **pd_kv_get_all(struct pd_arena *a, const struct pd_kvlist *l, const char *key,
			   size_t *n)
{
	size_t count = pd_kv_count(l, key);
	const char **vals = pd_arena_alloc(a, (count + 1) * sizeof(*vals));
	size_t k = 0;
	for (size_t i = 0; i < l->n && k < count; i++)
		if (strcmp(l->items[i].key, key) == 0)
			vals[k++] = l->items[i].val;
	vals[k] = NULL;
	if (n)
		*n = count;
	return vals;
}

static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

char *pd_url_encode(struct pd_arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return NULL;
	size_t n = strlen(s), need = 0;
	for (size_t i = 0; i < n; i++)
		need += is_unreserved((unsigned char)s[i]) ? 1 : 3;
	char *d = pd_arena_alloc(a, need + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c)) {
			d[k++] = (char)c;
		} else {
			d[k++] = '%';
			d[k++] = hex[c >> 4];
			d[k++] = hex[c & 15];
		}
	}
	d[k] = '\0';
	return d;
}
