/* The data export's part for the case and participation areas (/akun/unduh): the citizen's
 * complaints, information requests, petitions, signatures, comments and Musrenbang records
 * as JSON (web/privacy_areas.c). */
#ifndef PD_WEB_PRIVACY_AREAS_H
#define PD_WEB_PRIVACY_AREAS_H

#include <jansson.h>

#include "domain/privacy_areas.h"
#include "http/http.h"

/* Adds the keys "complaints", "information_requests", "petitions", "petition_signatures",
 * "consultation_comments", "musrenbang" ({proposals, ballots}) and "participation_truncated"
 * of x to the export object doc (borrowed). */
void pd_web_privacy_areas_json(struct pd_req *r, const struct pd_privacy_areas *x, json_t *doc);

#endif
