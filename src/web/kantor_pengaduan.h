/* The back office's complaint pages under /kantor/pengaduan and the reporter's steps under
 * /pengaduan/{nomor}/… (web/pengaduan_lapor.c). Access is the domain's
 * (domain/complaint_handle.h); these files only decide which forms to offer. */
#ifndef PD_WEB_KANTOR_PENGADUAN_H
#define PD_WEB_KANTOR_PENGADUAN_H

#include "http/http.h"

/* GET /kantor/pengaduan: complaints under the actor's grants (filters status, kategori,
 * terlambat, ditahan; by due date; keyset pages) and the actor's complaint notifications. */
void pd_web_kantor_complaints(struct pd_req *r);

/* GET /kantor/pengaduan/{id}: the sealed original, photos, the timeline with internal notes and
 * the steps this actor may take. */
void pd_web_kantor_complaint(struct pd_req *r);

/* GET /kantor/pengaduan/{id}/foto/{n}: a photo for staff (the read recorded). */
void pd_web_kantor_complaint_photo(struct pd_req *r);

/* POST /kantor/pengaduan/{id}/{disposisi|minta-info|luar-wewenang|gabung|alihkan|jawab|
 * periksa-publik}: 303 back to the complaint (after a hand-on: to the queue); 409 when someone
 * else acted first; 422 with a message beside the field; 403/404 from the domain. */
void pd_web_kantor_complaint_dispose(struct pd_req *r);
void pd_web_kantor_complaint_ask_info(struct pd_req *r);
void pd_web_kantor_complaint_out_of_scope(struct pd_req *r);
void pd_web_kantor_complaint_merge(struct pd_req *r);
void pd_web_kantor_complaint_hand_on(struct pd_req *r);
void pd_web_kantor_complaint_answer(struct pd_req *r);
void pd_web_kantor_complaint_approve_public(struct pd_req *r);

/* The reporter (signed in, or holding the follow-up token as form field or query `t`):
 * POST /pengaduan/{nomor}/selesai (solved), POST /pengaduan/{nomor}/buka-kembali (alasan;
 * once), GET and POST /pengaduan/{nomor}/lengkapi (the question asked and the reply,
 * keterangan). 303 back to the complaint; 404 for anyone else; 409 when the step no longer
 * applies; 422 with the message beside the field. */
void pd_web_complaint_confirm(struct pd_req *r);
void pd_web_complaint_reopen(struct pd_req *r);
void pd_web_complaint_reply_form(struct pd_req *r);
void pd_web_complaint_reply(struct pd_req *r);

/* For the reporter's own view at /pengaduan/{nomor} (web/pengaduan.c): the steps the reporter
 * may take now as the object that templates/pengaduan/lapor_aksi.html reads ({selesai,
 * buka_kembali, lengkapi, any, tracking, token}); NULL when the actor is not the reporter.
 * token: the follow-up token the page was opened with (may be NULL). New reference. */
#include <jansson.h>
json_t *pd_web_complaint_reporter_actions(struct pd_req *r, const char *tracking,
                                          const char *token);

#endif
