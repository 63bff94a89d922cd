/* Public consultations over the JSON API: /api/v1/consultations (list) and
 * /api/v1/consultations/{slug} (one, with versions, sections, figures, comments and the
 * follow-up report). */
#ifndef PD_API_CONSULTATIONS_H
#define PD_API_CONSULTATIONS_H

#include "http/http.h"

/* GET /api/v1/consultations: published consultations, open ones first (soonest closing), then
 * closed ones (latest first), as {"items":[…],"next_cursor":…}; ?cursor=, ?limit= (1..200,
 * default 50), ?open=true for open ones only. 400 for a malformed cursor, limit or open. */
void pd_api_consultations(struct pd_req *r);

/* GET /api/v1/consultations/{slug}: one published consultation (?version=N, default the
 * newest). Held and hidden comments are listed with "body": null and "author": null (the
 * moderator's reason is given for hidden ones); account ids are never returned. 404 for an
 * unknown slug, one not yet open, or a version that does not exist. */
void pd_api_consultation(struct pd_req *r);

#endif
