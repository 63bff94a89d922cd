/* The public service catalogue over the JSON API (/api/v1/services) and the API's own
 * OpenAPI 3.1 description (/api/v1/openapi.json). */
#ifndef PD_API_SERVICES_H
#define PD_API_SERVICES_H

#include "http/http.h"

/* GET /api/v1/services: enabled services in (name, id) order as {"items":[…],"next_cursor":…};
 * ?cursor= (opaque, from next_cursor), ?limit= (1..200, default 50), filters ?q= (words
 * stemmed like /layanan), ?unit= (a unit's slug: its whole subtree), ?category=.
 * 400 malformed cursor or limit, 422 (fields q, unit, category) for an unusable filter. */
void pd_api_services(struct pd_req *r);

/* GET /api/v1/services/{id}: one enabled service with its whole Standar Pelayanan, its unit,
 * and the fields of its current application form; 404 for an unknown or disabled id. */
void pd_api_service(struct pd_req *r);

/* GET /api/v1/openapi.json: the embedded data/openapi.json. */
void pd_api_openapi(struct pd_req *r);

#endif
