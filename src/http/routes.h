/* The one route table: method, pattern with {params}, handler, interface and limits. */
#ifndef PD_HTTP_ROUTES_H
#define PD_HTTP_ROUTES_H

#include <stddef.h>

#include "http/http.h"

enum pd_route_flags {
	PD_RF_NONE = 0,
	PD_RF_MULTIPART = 1 << 0, /* accepts multipart/form-data with files */
	PD_RF_JSON = 1 << 1,      /* accepts a JSON body */
	PD_RF_NO_CSRF = 1 << 2,   /* an HTML POST that needs no CSRF token */
	PD_RF_LOOKUP = 1 << 3,    /* a rate-limited lookup (tracking numbers) */
	PD_RF_PRIVATE = 1 << 4,   /* the answer is personal: Cache-Control no-store */
	PD_RF_AUTH = 1 << 5,      /* sign-in needed: 303 to /masuk?next=… for pages, 401 for APIs */
	PD_RF_CACHE = 1 << 6,     /* public and cacheable: anonymous GETs without a query may be served
	                           * from the response cache (http/respcache_req.c) */
};

struct pd_route {
	const char *method;
	const char *pattern;     /* "/unit/{slug}"; also the metrics label */
	pd_handler handler;
	enum pd_iface iface;
	unsigned flags;
	int per_min;             /* rate limit per client address per minute (0: default) */
};

extern const struct pd_route pd_routes[];
extern const size_t pd_n_routes;

/* Finds the route for method and path, filling params (arena-owned, decoded). Returns NULL
 * and sets *path_route to a route that has the path but not the method (else NULL), writing the allowed
 * methods into allow (comma separated). */
const struct pd_route *pd_route_match(struct pd_arena *a, const char *method, const char *path,
                                      const char **params, const struct pd_route **path_route,
                                      char *allow, size_t allow_len);

/* Index of a route in pd_routes (for metrics). */
size_t pd_route_index(const struct pd_route *r);

#endif
