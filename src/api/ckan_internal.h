/* Helpers shared by the CKAN Action API handlers: one call's parameters (query, form or JSON
 * body as one object), CKAN's response envelope, and the dictionaries of packages, resources
 * and organizations as CKAN 2.10 writes them. */
#ifndef PD_API_CKAN_INTERNAL_H
#define PD_API_CKAN_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/dataset.h"
#include "http/http.h"

/* One call of an action. */
struct pd_ckan_call {
	struct pd_req *r;
	const char *action;   /* the action's name as requested */
	json_t *data;         /* the parameters as one object (borrowed; freed with the request) */
	const char *base;     /* the site's absolute base URL, no trailing slash (arena) */
};

/* CKAN's error types (error.__type) and their HTTP statuses. */
#define PD_CKAN_NOT_FOUND "Not Found Error"         /* 404 */
#define PD_CKAN_VALIDATION "Validation Error"       /* 409 (400 for an unreadable request) */
#define PD_CKAN_AUTHORIZATION "Authorization Error" /* 403 */

/* Replies 200 {"help": …, "success": true, "result": result}; steals result. */
void pd_ckan_ok(struct pd_ckan_call *c, json_t *result);

/* Replies {"help": …, "success": false, "error": {"__type": type, "message": message, …}}
 * with status; fields (stolen, may be NULL) is an object of field name → [messages] merged
 * into "error", as CKAN reports a Validation Error. */
void pd_ckan_fail(struct pd_ckan_call *c, int status, const char *type, const char *message,
                  json_t *fields);

/* A 409 Validation Error naming one field with one message. */
void pd_ckan_invalid(struct pd_ckan_call *c, const char *field, const char *message);

/* A 404 Not Found Error. */
void pd_ckan_not_found(struct pd_ckan_call *c, const char *message);

/* A 500 (our fault; logged by the caller's code path). */
void pd_ckan_internal(struct pd_ckan_call *c);

/* The text of parameter name into *out (arena-owned; NULL when absent, null or ""): a string
 * as it is, a number or a boolean as its JSON text. false (a 409 reply sent) for an array or
 * an object. */
bool pd_ckan_str_or_reply(struct pd_ckan_call *c, const char *name, const char **out);

/* Parameter name as a whole number into *out: def when absent; a 409 reply ("Invalid
 * integer", "Must be a natural number", "Must be at most …") and false when it is not one in
 * min..max. */
bool pd_ckan_int_or_reply(struct pd_ckan_call *c, const char *name, int64_t def, int64_t min,
                          int64_t max, int64_t *out);

/* Parameter name as a boolean (CKAN's asbool: true, yes, on, y, t, 1 or false, no, off, n, f, 0 in any
 * case): def when absent, false and a 409 reply for anything else. */
bool pd_ckan_bool_or_reply(struct pd_ckan_call *c, const char *name, bool def, bool *out);

/* Parameter name as a list of strings into *out, its length into *n (arena-owned): a JSON array of strings,
 * or a single value as one item; NULL/0 when absent. false (a 409 reply) otherwise. */
bool pd_ckan_list_or_reply(struct pd_ckan_call *c, const char *name, const char ***out, int *n);

/* CKAN's timestamp "2026-11-27T10:11:12.123000" (UTC, microseconds, no zone), arena-owned. */
const char *pd_ckan_time(struct pd_arena *a, int64_t ms);

/* A stable UUID-shaped id for a tag name (tags have no row of their own), arena-owned. */
const char *pd_ckan_tag_id(struct pd_arena *a, const char *name);

/* An organization dictionary; n_datasets < 0 leaves out package_count. New reference. */
json_t *pd_ckan_org(struct pd_ckan_call *c, const struct pd_dataset_unit *u, int64_t created_ms,
                    int64_t n_datasets);

/* A resource dictionary of dataset d. New reference. */
json_t *pd_ckan_resource(struct pd_ckan_call *c, const struct pd_dataset *d,
                         const struct pd_resource *res);

/* A package dictionary with its organization, tags, extras and resources. New reference. */
json_t *pd_ckan_package(struct pd_ckan_call *c, const struct pd_dataset *d);

/* The actions (ckan_package.c). */
void pd_ckan_package_list(struct pd_ckan_call *c);
void pd_ckan_package_search(struct pd_ckan_call *c);
void pd_ckan_package_show(struct pd_ckan_call *c);
void pd_ckan_resource_show(struct pd_ckan_call *c);

#endif
