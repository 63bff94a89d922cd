/* Handlers of the administrators' service pages (/admin/layanan…), the form builder and the
 * units' Maklumat Pelayanan (/admin/unit/{slug}/maklumat). */
#ifndef PD_WEB_ADMIN_LAYANAN_H
#define PD_WEB_ADMIN_LAYANAN_H

#include <jansson.h>

#include "http/http.h"

void pd_web_admin_services(struct pd_req *r);
void pd_web_admin_service_new(struct pd_req *r);
void pd_web_admin_service_create(struct pd_req *r);
void pd_web_admin_service(struct pd_req *r);
void pd_web_admin_service_save(struct pd_req *r);

void pd_web_admin_form(struct pd_req *r);
void pd_web_admin_form_add(struct pd_req *r);
void pd_web_admin_form_update(struct pd_req *r);
void pd_web_admin_form_remove(struct pd_req *r);
void pd_web_admin_form_up(struct pd_req *r);
void pd_web_admin_form_down(struct pd_req *r);

void pd_web_admin_maklumat(struct pd_req *r);
void pd_web_admin_maklumat_save(struct pd_req *r);

/* The Maklumat Pelayanan of the unit with this id as {"maklumat": text} members of ctx (nothing
 * when the unit has none), for the public unit and service pages. */
void pd_web_maklumat_ctx(struct pd_req *r, const char *unit_id, json_t *ctx);

#endif
