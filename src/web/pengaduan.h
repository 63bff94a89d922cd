/* The citizen's and the public's complaint pages (Pengaduan): filing at /pengaduan/baru by
 * anyone, the public list and timeline, the reporter's own view (signed in or by the private
 * follow-up link), "Pengaduan saya", support and published photos. */
#ifndef PD_WEB_PENGADUAN_H
#define PD_WEB_PENGADUAN_H

#include "http/http.h"

void pd_web_complaints(struct pd_req *r);          /* GET /pengaduan */
void pd_web_complaint_form(struct pd_req *r);      /* GET /pengaduan/baru */
void pd_web_complaint_file(struct pd_req *r);      /* POST /pengaduan/baru (multipart) */
void pd_web_complaints_mine(struct pd_req *r);     /* GET /pengaduan/saya */
void pd_web_complaint(struct pd_req *r);           /* GET /pengaduan/{nomor} (?t=TOKEN) */
void pd_web_complaint_support(struct pd_req *r);   /* POST /pengaduan/{nomor}/dukung */
void pd_web_complaint_photo(struct pd_req *r);     /* GET /pengaduan/{nomor}/foto/{n} */
void pd_web_complaints_similar_json(struct pd_req *r); /* GET /pengaduan/serupa.json */
void pd_web_complaint_stats(struct pd_req *r);     /* GET /pengaduan/statistik (pengaduan_statistik.c) */
void pd_web_complaint_stats_csv(struct pd_req *r); /* GET /pengaduan/statistik.csv */

/* A timeline event kind ("filed", "dispositioned", "answered", …) as people read it: an
 * Indonesian msgid to translate (static); the kind itself when unknown. Public and staff pages
 * and notifications share it. */
const char *pd_web_complaint_event_label(const char *kind);

/* The /lacak/{nomor} page of a complaint (kind 'A'): status and dates, a link to its page.
 * compact is the parsed number. */
void pd_web_track_complaint(struct pd_req *r, const char *compact);

#endif
