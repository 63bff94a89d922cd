/* The consultation pages: /partisipasi (the area's index), the public consultations under
 * /partisipasi/konsultasi and the back office under /kantor/konsultasi. */
#ifndef PD_WEB_KONSULTASI_H
#define PD_WEB_KONSULTASI_H

#include <jansson.h>
#include <stdint.h>

#include "domain/consult.h"
#include "http/http.h"

void pd_web_partisipasi(struct pd_req *r);
void pd_web_konsultasi_list(struct pd_req *r);
void pd_web_konsultasi(struct pd_req *r);
void pd_web_konsultasi_comment(struct pd_req *r);
void pd_web_konsultasi_report(struct pd_req *r);

void pd_web_kantor_konsultasi(struct pd_req *r);
void pd_web_kantor_konsultasi_create(struct pd_req *r);
void pd_web_kantor_konsultasi_one(struct pd_req *r);
void pd_web_kantor_konsultasi_version(struct pd_req *r);
void pd_web_kantor_konsultasi_moderate(struct pd_req *r);
void pd_web_kantor_konsultasi_followup(struct pd_req *r);

/* Shared by the public and back-office pages (web/konsultasi_common.c). */

/* "28 November 2026"-like local date-time of ms as the pages show it. Arena-owned. */
const char *pd_web_cs_time(struct pd_req *r, int64_t ms);

/* A consultation row as {slug, title, summary, unit, opens, closes, open, closed, report}.
 * New reference. */
json_t *pd_web_cs_summary(struct pd_req *r, const struct pd_cs_row *c, int64_t now_ms);

/* The view's sections (the whole draft first) with figures, comments grouped under them
 * (replies under their parent) and the follow-up responses. staff adds report counts. New
 * reference. */
json_t *pd_web_cs_sections(struct pd_req *r, const struct pd_consult_view *v, bool staff);

#endif
