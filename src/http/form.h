/* Parsers for application/x-www-form-urlencoded bodies and URL query strings, and a URL encoder. */
#ifndef PD_HTTP_FORM_H
#define PD_HTTP_FORM_H

#include <stddef.h>

struct pd_arena;

/* One decoded field. key and val are NUL-terminated, valid UTF-8 without NUL; val_len is
 * strlen(val). Both are arena-owned (the arena given to the parser). */
struct pd_kv {
	const char *key;
	const char *val;
	size_t val_len;
};

/* Fields in the order they appeared; a repeated key appears once per occurrence. */
struct pd_kvlist {
	struct pd_kv *items; /* arena-owned array of n items (NULL when n == 0) */
	size_t n;
};

/* Bounds applied before anything is allocated. A field left 0 takes the default. */
struct pd_kv_limits {
	size_t max_fields; /* more fields than this: PD_ERR_TOO_LARGE */
	size_t max_size;   /* more input bytes than this: PD_ERR_TOO_LARGE */
};

#define PD_FORM_DEFAULT_MAX_FIELDS 1000
#define PD_FORM_DEFAULT_MAX_SIZE (1024 * 1024)

/* Parses an application/x-www-form-urlencoded body of len bytes (need not be NUL-terminated):
 * fields separated by '&', key and value by the first '='; '+' is a space and %XX a byte.
 * Empty fields ("a=1&&b=2", a trailing '&') are skipped; a field without '=' has the value "".
 * limits may be NULL for the defaults. The list and its strings are arena-owned.
 * Returns PD_OK; PD_ERR_INVALID for a '%' not followed by two hex digits, or a key or value
 * that is not valid UTF-8 or contains NUL once decoded; PD_ERR_TOO_LARGE when a limit is
 * passed. On error *out is the empty list. */
int pd_form_parse(struct pd_arena *a, const char *body, size_t len,
		  const struct pd_kv_limits *limits, struct pd_kvlist *out);

/* Same for a query string (NUL-terminated; NULL means empty). A leading '?' is skipped and
 * everything from a '#' on is ignored. */
int pd_form_parse_query(struct pd_arena *a, const char *query, const struct pd_kv_limits *limits,
			struct pd_kvlist *out);

/* Returns the value of the first field named key (borrowed from the list, so arena-owned),
 * or NULL when there is none. The comparison is exact (case-sensitive). */
const char *pd_kv_get(const struct pd_kvlist *l, const char *key);

/* Number of fields named key. */
size_t pd_kv_count(const struct pd_kvlist *l, const char *key);

/* Returns an arena-owned, NULL-terminated array of every value of key in order of appearance
 * (the strings are the list's own) and stores their number in *n (n may be NULL). With no
 * such field the array holds only the terminating NULL. */
const char **pd_kv_get_all(struct pd_arena *a, const struct pd_kvlist *l, const char *key,
			   size_t *n);

/* Percent-encodes s for a URL path segment or query component: RFC 3986 unreserved
 * characters (A-Z a-z 0-9 - . _ ~) are kept, every other byte becomes %XX (upper-case hex),
 * so a space is %20. Returns an arena-owned string (NULL gives NULL). */
char *pd_url_encode(struct pd_arena *a, const char *s);

#endif
