/* Petitions on the portal (/petisi) and in the back office (/kantor/petisi). */
#ifndef PD_WEB_PETISI_H
#define PD_WEB_PETISI_H

#include <jansson.h>

#include "domain/petition.h"
#include "http/http.h"

void pd_web_petisi(struct pd_req *r);
void pd_web_petisi_statistik(struct pd_req *r);
void pd_web_petisi_form(struct pd_req *r);
void pd_web_petisi_create(struct pd_req *r);
void pd_web_petisi_view(struct pd_req *r);
void pd_web_petisi_sign(struct pd_req *r);

void pd_web_kantor_petisi(struct pd_req *r);
void pd_web_kantor_petisi_view(struct pd_req *r);
void pd_web_kantor_petisi_moderate(struct pd_req *r);
void pd_web_kantor_petisi_answer(struct pd_req *r);
void pd_web_kantor_petisi_setting(struct pd_req *r);
void pd_web_kantor_petisi_setting_save(struct pd_req *r);

/* The label of a petition status (a msgid). */
const char *pd_web_petition_status_label(enum pd_petition_status s);

/* The fields a petition's pages share: id, title, unit, status, status_label, counts, dates,
 * threshold and obligation (due, overdue). New reference. */
json_t *pd_web_petition_json(struct pd_req *r, const struct pd_petition *p);

#endif
