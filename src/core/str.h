/* Small string helpers: checked number parsing, UTF-8 validation, comparisons. */
#ifndef PD_CORE_STR_H
#define PD_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses the whole of s as a decimal integer in [min, max]. PD_OK or PD_ERR_INVALID. */
int pd_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Same for the first n bytes of s (need not be NUL-terminated). */
int pd_parse_i64n(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);

/* True when the n bytes are valid UTF-8 with no NUL and no overlong or surrogate forms. */
bool pd_utf8_valid(const char *s, size_t n);

/* Number of code points in valid UTF-8 s. */
size_t pd_utf8_len(const char *s, size_t n);

/* True when s starts with prefix / ends with suffix. */
bool pd_str_starts(const char *s, const char *prefix);
bool pd_str_ends(const char *s, const char *suffix);

/* ASCII case-insensitive equality. */
bool pd_str_ieq(const char *a, const char *b);

/* Constant-time comparison of n bytes; true when equal. */
bool pd_mem_eq_ct(const void *a, const void *b, size_t n);

/* True for a slug: 1..64 of [a-z0-9-], not starting or ending with '-'. */
bool pd_slug_valid(const char *s);

#endif
