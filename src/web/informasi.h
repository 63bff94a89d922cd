/* The public and citizen pages of information requests (UU 14/2008): /informasi, the public
 * register, filing at /informasi/ajukan, the requester's list and request pages with the
 * objection, and the /lacak view of a 'K' number; the back office at /kantor/informasi
 * (web/kantor_informasi.c). */
#ifndef PD_WEB_INFORMASI_H
#define PD_WEB_INFORMASI_H

#include "http/http.h"

void pd_web_informasi(struct pd_req *r);               /* GET /informasi */
void pd_web_informasi_register(struct pd_req *r);      /* GET /informasi/register */
void pd_web_informasi_form(struct pd_req *r);          /* GET /informasi/ajukan */
void pd_web_informasi_file(struct pd_req *r);          /* POST /informasi/ajukan */
void pd_web_informasi_mine(struct pd_req *r);          /* GET /informasi/saya */
void pd_web_informasi_own(struct pd_req *r);           /* GET /informasi/saya/{nomor} */
void pd_web_informasi_object(struct pd_req *r);        /* POST /informasi/saya/{nomor}/keberatan */
void pd_web_informasi_own_file(struct pd_req *r);      /* GET /informasi/saya/{nomor}/berkas/{n} */

/* /lacak/{nomor} for an information request (compact number of kind 'K'): status and dates. */
void pd_web_track_inforeq(struct pd_req *r, const char *compact);

/* Labels (msgids) shared with the back office. */
const char *pd_web_inforeq_status_label(int status);
const char *pd_web_inforeq_outcome_label(int outcome);
const char *pd_web_inforeq_event_label(const char *kind);
const char *pd_web_inforeq_format_label(int format);
const char *pd_web_inforeq_delivery_label(int delivery);

/* The timeline of a request as the pages show it (JSON array; new reference). */
struct pd_inforeq;
#include <jansson.h>
json_t *pd_web_inforeq_timeline(struct pd_req *r, const struct pd_inforeq *q);

/* Queues the download of answer file n (1..) of request id for the actor (requester or staff). */
void pd_web_inforeq_download(struct pd_req *r, const char *id, const char *n);

#endif
