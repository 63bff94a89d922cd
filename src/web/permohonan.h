/* The citizen's application pages: the form at /layanan/{slug}/ajukan (draft and submission),
 * "Permohonan saya" at /permohonan with one application's page, receipt, files, document and
 * correction, attaching an assisted application, notifications, and the public /lacak. */
#ifndef PD_WEB_PERMOHONAN_H
#define PD_WEB_PERMOHONAN_H

#include <jansson.h>

#include "http/http.h"

/* web/ajukan.c */
void pd_web_apply_form(struct pd_req *r);      /* GET /layanan/{slug}/ajukan */
void pd_web_apply(struct pd_req *r);           /* POST /layanan/{slug}/ajukan (multipart) */
void pd_web_correct_form(struct pd_req *r);    /* GET /permohonan/{id}/perbaiki */
void pd_web_correct(struct pd_req *r);         /* POST /permohonan/{id}/perbaiki (multipart) */

/* web/permohonan.c */
void pd_web_applications(struct pd_req *r);    /* GET /permohonan */
void pd_web_application(struct pd_req *r);     /* GET /permohonan/{id} */
void pd_web_application_receipt(struct pd_req *r);  /* GET /permohonan/{id}/tanda-terima.pdf */
void pd_web_application_file(struct pd_req *r);     /* GET /permohonan/{id}/berkas/{file} */
void pd_web_application_document(struct pd_req *r); /* GET /permohonan/{id}/dokumen.pdf */
void pd_web_application_attach(struct pd_req *r);   /* POST /permohonan/tautkan */
void pd_web_notifications(struct pd_req *r);   /* GET /notifikasi */
void pd_web_notifications_read(struct pd_req *r); /* POST /notifikasi/dibaca */

/* web/lacak.c */
void pd_web_track_form(struct pd_req *r);      /* GET /lacak (?nomor= redirects) */
void pd_web_track(struct pd_req *r);           /* GET /lacak/{nomor} */

/* Shared by these pages: a timestamp as local date and time ("2026-11-27 14:05 WIB") and as a
 * local date ("2026-11-27"), arena-owned; "" for 0. */
const char *pd_web_app_when(struct pd_req *r, int64_t ms);
const char *pd_web_app_date(struct pd_req *r, int64_t ms);

/* The label of a timeline event kind ("approved" → "Disetujui"), a msgid to translate; the kind
 * itself when unknown. Static. */
const char *pd_web_app_event_label(const char *kind);

#endif
