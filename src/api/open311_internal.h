/* Helpers shared by the Open311 handlers: the format from the suffix, replies in XML or JSON
 * from one jansson value, the error list, W3C date-times. */
#ifndef PD_API_OPEN311_INTERNAL_H
#define PD_API_OPEN311_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "http/http.h"

enum pd_o311_fmt { PD_O311_JSON, PD_O311_XML };

/* Splits "name.json" / "name.xml" into the name (arena-owned; "" for a bare suffix) and the
 * format. false (and a 404 reply sent) for any other suffix or none. */
bool pd_o311_fmt_or_reply(struct pd_req *r, const char *param, bool bare, const char **name,
                          enum pd_o311_fmt *fmt);

/* A query or form value, NULL when absent or empty (empty optional parameters are absent). */
const char *pd_o311_arg(struct pd_req *r, const char *key, bool form);

/* Replies body (stolen) with status: JSON as it is, or XML under root, each array item named
 * by the singular of its array's element name. */
void pd_o311_reply(struct pd_req *r, enum pd_o311_fmt fmt, int status, const char *root,
                   json_t *body);

/* Writes v as XML element `name` into b (arrays: items named by the singular of name; strings
 * escaped, characters XML 1.0 forbids dropped). PD_OK, or PD_ERR_TOO_LARGE when b's maximum
 * was reached (b's contents are then incomplete and must not be sent). */
int pd_o311_xml(struct pd_buf *b, const char *name, json_t *v);

/* The error list with one error per message (messages translated), in the request's format. */
void pd_o311_errors(struct pd_req *r, enum pd_o311_fmt fmt, int status, const char **messages,
                    int n);

/* "2026-11-28T10:31:58+07:00" in the installation's time zone (arena-owned); JSON null for
 * 0 in the _json form. */
const char *pd_o311_time(struct pd_req *r, int64_t ms);
json_t *pd_o311_time_json(struct pd_req *r, int64_t ms);

/* Parses a W3C date-time ("2026-11-28", "2026-11-28T10:00Z", "2026-11-28T10:00:00.5+07:00";
 * a space stands for a '+' that a query string turned into one; no zone: the installation's).
 * end: a bare date means its last millisecond. */
bool pd_o311_parse_time(struct pd_req *r, const char *s, bool end, int64_t *out);

/* The site's absolute base URL (--public-url, else from the Host header), no trailing slash. */
const char *pd_o311_base(struct pd_req *r);

#endif
