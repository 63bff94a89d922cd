/* /admin/apikey: partner API keys for administrators of the installation's top unit. */
#ifndef PD_WEB_ADMIN_APIKEY_H
#define PD_WEB_ADMIN_APIKEY_H

#include "http/http.h"

/* GET /admin/apikey: the keys (partner, prefix, trusted, created, last used, revoked) and the
 * form that issues one. 404 for non-administrators, 403 for administrators below the top. */
void pd_web_admin_apikey(struct pd_req *r);
/* POST /admin/apikey (partner, trusted, per_min): 200 with the new key shown once (no-store);
 * 422 with the form for bad input. */
void pd_web_admin_apikey_add(struct pd_req *r);
/* POST /admin/apikey/{id}/cabut: revokes; 303 to /admin/apikey?dicabut=1. */
void pd_web_admin_apikey_revoke(struct pd_req *r);

#endif
