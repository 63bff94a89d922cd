/* Musrenbang pages: the public rounds, proposals, ballots and traces at
 * /partisipasi/musrenbang (web/musrenbang.c) and the back office at /kantor/musrenbang
 * (web/kantor_musrenbang.c), with the helpers both use. */
#ifndef PD_WEB_MUSRENBANG_H
#define PD_WEB_MUSRENBANG_H

#include <jansson.h>
#include <stdint.h>

#include "domain/musrenbang.h"
#include "http/http.h"

/* Public pages. */
void pd_web_musrenbang(struct pd_req *r);              /* GET /partisipasi/musrenbang */
void pd_web_musrenbang_round(struct pd_req *r);        /* GET …/{id} */
void pd_web_musrenbang_propose_form(struct pd_req *r); /* GET …/{id}/usul */
void pd_web_musrenbang_propose(struct pd_req *r);      /* POST …/{id}/usul */
void pd_web_musrenbang_vote(struct pd_req *r);         /* POST …/{id}/pilih */
void pd_web_musrenbang_proposal(struct pd_req *r);     /* GET …/usulan/{id} */
void pd_web_musrenbang_photo(struct pd_req *r);        /* GET …/usulan/{id}/foto/{n} */

/* Back office. */
void pd_web_kantor_musrenbang(struct pd_req *r);          /* GET /kantor/musrenbang */
void pd_web_kantor_musrenbang_create(struct pd_req *r);   /* POST /kantor/musrenbang */
void pd_web_kantor_musrenbang_round(struct pd_req *r);    /* GET …/{id} */
void pd_web_kantor_musrenbang_advance(struct pd_req *r);  /* POST …/{id}/tahap */
void pd_web_kantor_musrenbang_carry(struct pd_req *r);    /* POST …/{id}/bawa-naik */
void pd_web_kantor_musrenbang_verify(struct pd_req *r);   /* POST …/usulan/{id}/verifikasi */
void pd_web_kantor_musrenbang_progress(struct pd_req *r); /* POST …/usulan/{id}/kemajuan */

/* "Rp1.500.000", arena-owned. */
const char *pd_web_mus_rupiah(struct pd_arena *a, int64_t v);

/* The phase, level, proposal status and progress labels (msgids, static). */
const char *pd_web_mus_phase_label(enum pd_mus_phase p);
const char *pd_web_mus_level_label(const char *level);
const char *pd_web_mus_status_label(const char *status);
const char *pd_web_mus_progress_label(const char *status);

/* A round as the pages show it: id, title, unit, level, year, phase, budget, dates, the date
 * the current phase closes ("closes"). New reference. */
json_t *pd_web_mus_round_json(struct pd_req *r, const struct pd_mus_round_row *x);

/* A proposal as the pages show it (costs, status, results, progress). New reference. */
json_t *pd_web_mus_proposal_json(struct pd_req *r, const struct pd_mus_proposal_row *p,
                                 enum pd_mus_phase phase);

#endif
