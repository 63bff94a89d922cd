/* The back office of information requests at /kantor/informasi: the PPID's queue and request
 * page with the extension and the answer, and the superior's objection decision. */
#ifndef PD_WEB_KANTOR_INFORMASI_H
#define PD_WEB_KANTOR_INFORMASI_H

#include "http/http.h"

void pd_web_kantor_inforeqs(struct pd_req *r);          /* GET /kantor/informasi */
void pd_web_kantor_inforeq(struct pd_req *r);           /* GET /kantor/informasi/{id} */
void pd_web_kantor_inforeq_extend(struct pd_req *r);    /* POST …/{id}/perpanjang */
void pd_web_kantor_inforeq_answer(struct pd_req *r);    /* POST …/{id}/jawab (multipart) */
void pd_web_kantor_inforeq_decide(struct pd_req *r);    /* POST …/{id}/keberatan */
void pd_web_kantor_inforeq_file(struct pd_req *r);      /* GET …/{id}/berkas/{n} */

#endif
