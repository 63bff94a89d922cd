/* Handlers of the account holder's address (/akun/alamat) and supporting documents
 * (/akun/dokumen: list, multipart upload, download). */
#ifndef PD_WEB_PROFILE_H
#define PD_WEB_PROFILE_H

#include "http/http.h"

void pd_web_profile_address(struct pd_req *r);
void pd_web_profile_address_save(struct pd_req *r);
void pd_web_profile_docs(struct pd_req *r);
void pd_web_profile_doc_add(struct pd_req *r);
void pd_web_profile_doc_get(struct pd_req *r);

#endif
