/* Handlers of the administrators' staff pages under /admin/pengguna (web/staff_admin.c): the
 * directory with the form that creates a staff account, one account with its roles, granting,
 * revoking and disabling. */
#ifndef PD_WEB_STAFF_ADMIN_H
#define PD_WEB_STAFF_ADMIN_H

#include "http/http.h"

void pd_web_staff_list(struct pd_req *r);     /* GET /admin/pengguna[?unit=SLUG&setelah=ID] */
void pd_web_staff_create(struct pd_req *r);   /* POST /admin/pengguna */
void pd_web_staff_view(struct pd_req *r);     /* GET /admin/pengguna/{id} */
void pd_web_staff_grant(struct pd_req *r);    /* POST /admin/pengguna/{id}/peran */
void pd_web_staff_revoke(struct pd_req *r);   /* POST /admin/pengguna/{id}/peran/cabut */
void pd_web_staff_disable(struct pd_req *r);  /* POST /admin/pengguna/{id}/nonaktif */

#endif
