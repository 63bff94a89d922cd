/* Musrenbang rounds and results over the JSON API (/api/v1/musrenbang/rounds). */
#ifndef PD_API_MUSRENBANG_H
#define PD_API_MUSRENBANG_H

#include "http/http.h"

/* GET /api/v1/musrenbang/rounds: rounds, newest first, as {"items":[…],"next_cursor":…};
 * ?cursor= (opaque), ?limit= (1..200, default 50). 400 for a malformed cursor or limit. */
void pd_api_musrenbang_rounds(struct pd_req *r);

/* GET /api/v1/musrenbang/rounds/{id}: one round with its proposals; once ranked, each with
 * votes, rank and funded; carried items name the proposal they came from (origin_proposal_id)
 * and where they were carried to is in the upper round. 404 for an unknown id. */
void pd_api_musrenbang_round(struct pd_req *r);

#endif
