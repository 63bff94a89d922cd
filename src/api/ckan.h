/* The CKAN-compatible Action API (/api/3/action/{action} and its alias /api/action/{action})
 * over the open-data catalogue, so that CKAN clients and harvesters (ckanapi) read Pendopo's
 * datasets unchanged. */
#ifndef PD_API_CKAN_H
#define PD_API_CKAN_H

#include "http/http.h"

/* GET (parameters in the query string) or POST (a JSON object body, or a form) of one action:
 * package_list, package_search, package_show, resource_show, organization_list,
 * organization_show, tag_list, license_list, status_show and help_show. Answers CKAN's envelope
 * {"help", "success", "result"} or {"help", "success": false, "error": {"__type", "message",
 * field: [messages]}}: 404 Not Found Error, 409 Validation Error, 403 Authorization Error for
 * CKAN's write actions (datasets are written through /admin only), 400 for an unknown action
 * ("Bad request - Action name not known: …") or a JSON body that is not an object. */
void pd_api_ckan_action(struct pd_req *r);

#endif
