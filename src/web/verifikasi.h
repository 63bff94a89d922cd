/* Handlers of the public verification of issued documents (/verifikasi) and of a supervisor's
 * revocation (/kantor/dokumen/{id}). */
#ifndef PD_WEB_VERIFIKASI_H
#define PD_WEB_VERIFIKASI_H

#include "http/http.h"

/* GET /verifikasi: a form to type a document id (?id= redirects to its page). */
void pd_web_verifikasi_form(struct pd_req *r);

/* GET /verifikasi/{id}: valid, revoked (date and reason) or unknown (404, with the form), with
 * the non-personal fields; GET /verifikasi/{id}.json (the same route: the id ends in ".json"):
 * the signed envelope {"doc","kid","sig"} plus "status", outside the signed part. */
void pd_web_verifikasi_doc(struct pd_req *r);

/* GET /verifikasi/kunci.json: the JWKS of current and earlier document keys. */
void pd_web_verifikasi_jwks(struct pd_req *r);

/* GET /kantor/dokumen/{id}: the document for a supervisor, with the revocation form. */
void pd_web_dokumen_kantor(struct pd_req *r);

/* POST /kantor/dokumen/{id}/cabut: revokes with a reason (422 without one, 409 when already
 * revoked), then 303 to /verifikasi/{id}. */
void pd_web_dokumen_cabut(struct pd_req *r);

#endif
