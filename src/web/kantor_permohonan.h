/* The back office's application pages under /kantor/: the queue, one application with the
 * officers' steps, its files, and assisted filing at a village office's desk. */
#ifndef PD_WEB_KANTOR_PERMOHONAN_H
#define PD_WEB_KANTOR_PERMOHONAN_H

#include "http/http.h"

/* GET /kantor/permohonan: the queue of the actor's grants, filtered, by due date, keyset pages. */
void pd_web_kantor_queue(struct pd_req *r);

/* GET /kantor/permohonan/{id}: answers, files, timeline, checklist and the allowed steps. */
void pd_web_kantor_app(struct pd_req *r);

/* GET /kantor/permohonan/{id}/berkas/{file}: one file, as an attachment in a sandbox. */
void pd_web_kantor_app_file(struct pd_req *r);

/* POST /kantor/permohonan/{id}/{ambil|tugaskan|periksa|kembalikan|setujui|tolak}: 303 back to
 * the application; 409 when someone else acted first; 422 with a message beside the field. */
void pd_web_kantor_app_claim(struct pd_req *r);
void pd_web_kantor_app_assign(struct pd_req *r);
void pd_web_kantor_app_check(struct pd_req *r);
void pd_web_kantor_app_return(struct pd_req *r);
void pd_web_kantor_app_approve(struct pd_req *r);
void pd_web_kantor_app_reject(struct pd_req *r);

/* GET and POST /kantor/layanan/{slug}/ajukan: an officer files for a citizen identified by NIK,
 * with the citizen's consent; the page then shows the tracking number to hand over. */
void pd_web_kantor_assisted_form(struct pd_req *r);
void pd_web_kantor_assisted(struct pd_req *r);

#endif
