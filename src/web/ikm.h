/* Handlers of the satisfaction survey (IKM, PermenPANRB 14/2017): the citizen's questionnaire
 * after a completed application, and the public figures per unit, service and quarter. */
#ifndef PD_WEB_IKM_H
#define PD_WEB_IKM_H

#include "http/http.h"

/* GET /permohonan/{id}/survei: the nine questions for the owner of a completed application,
 * or the thank-you page once it is answered. 404 for anyone else, 403 before completion. */
void pd_web_survey_form(struct pd_req *r);

/* POST /permohonan/{id}/survei: u1..u9 (1..4 each). 422 with the form again when one is
 * missing, 409 when it was answered already, else 303 to the thank-you page. */
void pd_web_survey_submit(struct pd_req *r);

/* GET /ikm: each unit's index, grade and element means for a quarter (?triwulan=YYYY-Q),
 * its services below it; figures of fewer than ten responses withheld; units paged by
 * ?setelah= (the last unit's slug). 400 for a malformed quarter. */
void pd_web_ikm(struct pd_req *r);

/* GET /ikm.csv: the same figures of the whole quarter as CSV. */
void pd_web_ikm_csv(struct pd_req *r);

#endif
