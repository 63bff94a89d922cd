/* Public petitions over the JSON API (/api/v1/petitions). */
#ifndef PD_API_PETITIONS_H
#define PD_API_PETITIONS_H

#include "http/http.h"

/* GET /api/v1/petitions: public petitions (open or answered), newest first, as
 * {"items":[…],"next_cursor":…}; ?cursor= (opaque), ?limit= (1..200, default 50), ?unit= (a
 * unit's slug: its subtree; 422 for an unknown one). 400 for a malformed cursor or limit. */
void pd_api_petitions(struct pd_req *r);

/* GET /api/v1/petitions/{id}: one public petition with its texts, counts, the obligation and
 * the unit's answer; 404 for an unknown id or one that is not public. */
void pd_api_petition(struct pd_req *r);

#endif
