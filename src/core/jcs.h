/* RFC 8785 JSON Canonicalization Scheme (JCS) for jansson values, as signed documents need it:
 * object members sorted by the UTF-16 code units of their names, strings escaped as ECMAScript's
 * JSON.stringify does, no white space. Numbers are limited to integers that an IEEE double holds
 * exactly (|n| <= 2^53 - 1), which serialise as plain decimal digits; other numbers are
 * refused rather than risk a serialisation that differs from other implementations. */
#ifndef PD_CORE_JCS_H
#define PD_CORE_JCS_H

#include <jansson.h>

#include "core/buf.h"

#define PD_JCS_MAX_DEPTH 64
#define PD_JCS_INT_MAX 9007199254740991LL /* 2^53 - 1 */

/* Appends the canonical form of v to out. Returns PD_OK; PD_ERR_INVALID for a real number, an
 * integer beyond +-(2^53 - 1), a string or member name that is not valid UTF-8, or nesting
 * deeper than PD_JCS_MAX_DEPTH; PD_ERR_TOO_LARGE when out's maximum is reached. On error out
 * may hold a partial result (callers reset it). */
int pd_jcs_serialize(const json_t *v, struct pd_buf *out);

/* Parses text as JSON (duplicate member names refused, as RFC 8785 §3.1 requires of its input)
 * and appends its canonical form to out. PD_ERR_INVALID for text that is not JSON or holds
 * values pd_jcs_serialize refuses. */
int pd_jcs_canonicalize(const char *text, size_t len, struct pd_buf *out);

/* Compares two UTF-8 strings by their UTF-16 code units (RFC 8785 §3.2.3); <0, 0, >0. Invalid
 * UTF-8 bytes compare as themselves. */
int pd_jcs_key_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
