/* RFC 8785 canonical JSON: member order by UTF-16 code units, ECMAScript string escaping,
 * integers only. */
#include "core/jcs.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/str.h"

/* Decodes one code point at s[*i] (valid UTF-8 assumed, else the byte itself). */
static unsigned next_cp(const unsigned char *s, size_t n, size_t *i)
{
	unsigned c = s[*i];
	int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (extra == 0 || *i + (size_t)extra >= n) {
		(*i)++;
		return c;
	}
	unsigned cp = c & (0x3F >> extra);
	for (int k = 1; k <= extra; k++)
		cp = cp << 6 | (s[*i + (size_t)k] & 0x3F);
	*i += (size_t)extra + 1;
	return cp;
}

int pd_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
	size_t i = 0, j = 0;
	unsigned pend_a = 0, pend_b = 0; /* pending low surrogates */
	while ((i < alen || pend_a) && (j < blen || pend_b)) {
		unsigned ua, ub;
		if (pend_a) {
			ua = pend_a;
			pend_a = 0;
		} else {
			unsigned cp = next_cp(pa, alen, &i);
			if (cp >= 0x10000) {
				ua = 0xD800 + ((cp - 0x10000) >> 10);
				pend_a = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			} else {
				ua = cp;
			}
		}
		if (pend_b) {
			ub = pend_b;
			pend_b = 0;
		} else {
			unsigned cp = next_cp(pb, blen, &j);
			if (cp >= 0x10000) {
				ub = 0xD800 + ((cp - 0x10000) >> 10);
				pend_b = 0xDC00 + ((cp - 0x10000) & 0x3FF);
			} else {
				ub = cp;
			}
		}
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
	bool a_left = i < alen || pend_a, b_left = j < blen || pend_b;
	return a_left == b_left ? 0 : a_left ? 1 : -1;
}

static int put_string(struct pd_buf *out, const char *s, size_t n)
{
	/* Valid UTF-8; U+0000 is allowed (escaped below) though pd_utf8_valid refuses it. */
	for (size_t start = 0, i = 0; i <= n; i++)
		if (i == n || s[i] == '\0') {
			if (i > start && !pd_utf8_valid(s + start, i - start))
				return PD_ERR_INVALID;
			start = i + 1;
		}
	static const char hex[] = "0123456789abcdef";
	int rc = pd_buf_putc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < n && rc == PD_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
				u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = '\0';
				esc = u;
			}
		}
		if (!esc) {
			run++;
			continue;
		}
		if (run)
			rc = pd_buf_append(out, s + i - run, run);
		run = 0;
		if (rc == PD_OK)
			rc = pd_buf_puts(out, esc);
	}
	if (rc == PD_OK && run)
		rc = pd_buf_append(out, s + n - run, run);
	if (rc == PD_OK)
		rc = pd_buf_putc(out, '"');
	return rc;
}

struct member {
	const char *key;
	size_t len;
	json_t *value;
};

static int member_cmp(const void *x, const void *y)
{
	const struct member *a = x, *b = y;
	return pd_jcs_key_cmp(a->key, a->len, b->key, b->len);
}

static int serialize(const json_t *v, struct pd_buf *out, int depth)
{
	if (!v || depth > PD_JCS_MAX_DEPTH)
		return PD_ERR_INVALID;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return pd_buf_puts(out, "null");
	case JSON_TRUE:
		return pd_buf_puts(out, "true");
	case JSON_FALSE:
		return pd_buf_puts(out, "false");
	case JSON_INTEGER: {
		json_int_t n = json_integer_value(v);
		if (n > PD_JCS_INT_MAX || n < -PD_JCS_INT_MAX)
			return PD_ERR_INVALID;
		return pd_buf_printf(out, "%lld", (long long)n);
	}
	case JSON_REAL:
		return PD_ERR_INVALID;
	case JSON_STRING:
		return put_string(out, json_string_value(v), json_string_length(v));
	case JSON_ARRAY: {
		int rc = pd_buf_putc(out, '[');
		for (size_t i = 0; rc == PD_OK && i < json_array_size(v); i++) {
			if (i)
				rc = pd_buf_putc(out, ',');
			if (rc == PD_OK)
				rc = serialize(json_array_get(v, i), out, depth + 1);
		}
		return rc == PD_OK ? pd_buf_putc(out, ']') : rc;
	}
	case JSON_OBJECT: {
		size_t n = json_object_size(v);
		struct member *m = n ? calloc(n, sizeof *m) : NULL;
		if (n && !m)
			return PD_ERR_NOMEM;
		size_t k = 0;
		const char *key;
		size_t key_len;
		json_t *val;
		void *tmp;
		json_object_keylen_foreach_safe((json_t *)v, tmp, key, key_len, val)
		{
			if (k < n)
				m[k++] = (struct member){key, key_len, val};
		}
		qsort(m, k, sizeof *m, member_cmp);
		int rc = pd_buf_putc(out, '{');
		for (size_t i = 0; rc == PD_OK && i < k; i++) {
			if (i)
				rc = pd_buf_putc(out, ',');
			if (rc == PD_OK)
				rc = put_string(out, m[i].key, m[i].len);
			if (rc == PD_OK)
				rc = pd_buf_putc(out, ':');
			if (rc == PD_OK)
				rc = serialize(m[i].value, out, depth + 1);
		}
		free(m);
		return rc == PD_OK ? pd_buf_putc(out, '}') : rc;
	}
	}
	return PD_ERR_INVALID;
}

int pd_jcs_serialize(const json_t *v, struct pd_buf *out)
{
	return serialize(v, out, 0);
}

int pd_jcs_canonicalize(const char *text, size_t len, struct pd_buf *out)
{
	json_error_t jerr;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
	                       &jerr);
	if (!v)
		return PD_ERR_INVALID;
	int rc = pd_jcs_serialize(v, out);
	json_decref(v);
	return rc;
}
