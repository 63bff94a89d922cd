/* Open311 GeoReport v2 at /open311/v2/ (issue #5): each resource in XML and JSON by its
 * suffix (a path without .xml or .json is 404), errors as a list of code and description
 * (400, 403, 404 where the specification says), JSON valid against the Open311 schemas. */
#ifndef PD_API_OPEN311_H
#define PD_API_OPEN311_H

#include "http/http.h"

/* GET discovery.{fmt}: the service discovery document. */
void pd_api_o311_discovery(struct pd_req *r);
/* GET services.{fmt}: the enabled complaint categories as services (?jurisdiction_id=
 * checked: unknown → 404). */
void pd_api_o311_services(struct pd_req *r);
/* GET services/{code}.{fmt}: a service definition with its attributes (attribute[village]);
 * unknown code → 404. */
void pd_api_o311_service(struct pd_req *r);
/* GET requests.{fmt}: published requests, newest first; service_request_id (comma list,
 * overrides the rest), service_code, status, start_date, end_date (default: the last 90 days;
 * an explicit range over 90 days → 400), jurisdiction_id, page, page_size (≤ 1000). */
void pd_api_o311_requests(struct pd_req *r);
/* POST requests.{fmt}: files a request for a partner key (form field api_key; 403 unknown or
 * revoked; 429 over the key's budget); 201 with [{service_request_id, service_notice,
 * account_id}] only after the commit. Idempotency-Key honoured. */
void pd_api_o311_post(struct pd_req *r);
/* GET requests/{id}.{fmt}: one published request as a list of one; 404 otherwise. */
void pd_api_o311_request(struct pd_req *r);
/* GET tokens/{token}.{fmt}: the token is the tracking number itself. */
void pd_api_o311_token(struct pd_req *r);
/* GET servicerequestupdates.{fmt}: FixMyStreet's updates document from public timelines. */
void pd_api_o311_updates(struct pd_req *r);

#endif
