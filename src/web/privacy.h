/* Handlers of the privacy pages: who accessed my data, download and erasure (web/privacy.c), and
 * the village office's NIK desk (web/office_nik.c). */
#ifndef PD_WEB_PRIVACY_H
#define PD_WEB_PRIVACY_H

#include "http/http.h"

void pd_web_access(struct pd_req *r);
void pd_web_access_csv(struct pd_req *r);
void pd_web_export(struct pd_req *r);
void pd_web_erase_form(struct pd_req *r);
void pd_web_erase(struct pd_req *r);
void pd_web_erased(struct pd_req *r);

void pd_web_nik_desk_form(struct pd_req *r);
void pd_web_nik_desk_lookup(struct pd_req *r);
void pd_web_nik_desk_verify(struct pd_req *r);

#endif
