/* Public verification of issued documents: the page that says valid, revoked or unknown, the
 * machine-readable envelope and the JWKS; and the supervisor's revocation page and form. */
#include "web/verifikasi.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/clock.h"
#include "core/uuid.h"
#include "domain/document.h"
#include "domain/document_reason.h"
#include "http/app.h"
#include "web/common_time.h"

/* The published wording of a revocation reason code, translated; a code not in the list (none
 * is stored otherwise) reads as a plain revocation. */
static const char *reason_label(struct pd_req *r, const char *code)
{
	const char *label = pd_document_reason_label(code);
	return pd_req_t(r, label ? label : N_("Dicabut oleh instansi penerbit"));
}

/* A typed id: surrounding spaces dropped, lower-cased; NULL unless it is a UUID. */
static const char *typed_id(struct pd_req *r, const char *in)
{
	if (!in)
		return NULL;
	while (*in == ' ')
		in++;
	size_t n = strlen(in);
	while (n && in[n - 1] == ' ')
		n--;
	if (n != 36)
		return NULL;
	char *id = pd_arena_strndup(r->arena, in, n);
	for (char *p = id; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return pd_uuid_valid(id) ? id : NULL;
}

static void form_page(struct pd_req *r, int status, const char *typed, bool bad)
{
	json_t *ctx = json_object();
	if (typed)
		json_object_set_new(ctx, "typed", json_string(typed));
	if (bad)
		json_object_set_new(ctx, "error",
		                    json_string(pd_req_t(r, N_("Ketik ID dokumen seperti tercetak di bawah "
		                                               "kode QR: 36 karakter (angka, huruf a-f "
		                                               "dan tanda hubung)."))));
	pd_reply_page(r, status, "verifikasi/index", N_("Periksa keaslian dokumen"), ctx);
}

void pd_web_verifikasi_form(struct pd_req *r)
{
	const char *typed = pd_req_query(r, "id");
	if (!typed || !*typed) {
		form_page(r, 200, NULL, false);
		return;
	}
	const char *id = typed_id(r, typed);
	if (!id) {
		form_page(r, 422, typed, true);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/verifikasi/%s", id));
}

static void reply_json(struct pd_req *r, const char *id)
{
	pd_reply_header(r, "Cache-Control", "no-cache");
	struct pd_document doc;
	int rc = pd_document_get(r->store, id, r->arena, &doc);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_json(r, 404, json_pack("{s:{s:s}}", "status", "state", "unknown"));
		return;
	}
	if (rc) {
		pd_reply_json(r, 500, json_pack("{s:s}", "error", "internal"));
		return;
	}
	enum pd_document_state state = pd_document_state(r->store, &doc);
	/* The envelope as signed, then "status": not signed, what this server knows now. */
	json_t *body = json_loads(pd_document_envelope(r->arena, &doc), 0, NULL);
	if (!body) {
		pd_reply_json(r, 500, json_pack("{s:s}", "error", "internal"));
		return;
	}
	json_t *status = json_pack("{s:s, s:s}", "state",
	                           state == PD_DOC_VALID     ? "valid"
	                           : state == PD_DOC_REVOKED ? "revoked"
	                                                     : "invalid",
	                           "checked", pd_web_rfc3339(r->arena, pd_clock_now_ms()));
	if (doc.revoked_ms) {
		json_object_set_new(status, "revoked", json_string(pd_web_rfc3339(r->arena, doc.revoked_ms)));
		/* One of the fixed reasons: its code and its (Indonesian) wording. */
		const char *label = pd_document_reason_label(doc.revoke_reason);
		json_object_set_new(status, "reason", json_string(label ? doc.revoke_reason : "lain"));
		json_object_set_new(status, "reason_text",
		                    json_string(label ? label : "Dicabut oleh instansi penerbit"));
	}
	json_object_set_new(body, "status", status);
	pd_reply_json(r, 200, body);
}

void pd_web_verifikasi_doc(struct pd_req *r)
{
	const char *param = r->params[0];
	size_t n = strlen(param);
	if (n > 5 && strcmp(param + n - 5, ".json") == 0) {
		reply_json(r, pd_arena_strndup(r->arena, param, n - 5));
		return;
	}
	pd_reply_header(r, "Cache-Control", "no-cache");
	struct pd_document doc;
	int rc = pd_document_get(r->store, param, r->arena, &doc);
	if (rc == PD_ERR_NOT_FOUND) {
		/* Unknown: 404, but a page that helps (the form again). */
		json_t *ctx = json_object();
		json_object_set_new(ctx, "unknown", json_true());
		json_object_set_new(ctx, "typed", json_string(param));
		pd_reply_page(r, 404, "verifikasi/index", N_("Dokumen tidak dikenal"), ctx);
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	enum pd_document_state state = pd_document_state(r->store, &doc);
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", doc.id, "number",
	                      doc.number, "product", doc.product ? doc.product : "", "service",
	                      doc.service_name ? doc.service_name : "", "unit",
	                      doc.unit_name ? doc.unit_name : "", "issued",
	                      doc.issued ? doc.issued : "", "kid", doc.kid);
	if (doc.issued && strlen(doc.issued) >= 10)
		json_object_set_new(d, "issued_date", json_stringn(doc.issued, 10));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "doc", d);
	json_object_set_new(ctx, state == PD_DOC_VALID     ? "valid"
	                         : state == PD_DOC_REVOKED ? "revoked"
	                                                   : "invalid",
	                    json_true());
	if (doc.revoked_ms) {
		json_object_set_new(ctx, "revoked_at", json_string(pd_web_local_time(r, doc.revoked_ms)));
		json_object_set_new(ctx, "revoke_reason", json_string(reason_label(r, doc.revoke_reason)));
	}
	if (!doc.revoked_ms && pd_document_may_revoke(r->actor, &doc))
		json_object_set_new(ctx, "may_revoke", json_true());
	pd_reply_page(r, 200, "verifikasi/document", N_("Periksa keaslian dokumen"), ctx);
}

void pd_web_verifikasi_jwks(struct pd_req *r)
{
	/* RFC 7517 / RFC 8037: one OKP Ed25519 key per document-signing key, newest first. */
	struct pd_document_pubkey keys[64];
	int n = 0;
	if (pd_document_pubkeys(r->store, keys, 64, &n)) {
		pd_reply_json(r, 500, json_pack("{s:s}", "error", "internal"));
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "OKP",
		                                      "crv", "Ed25519", "x", keys[i].x, "kid",
		                                      keys[i].kid, "use", "sig", "alg", "EdDSA"));
	json_t *jwks = json_pack("{s:o}", "keys", list);
	char *text = jwks ? json_dumps(jwks, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(jwks);
	if (!text) {
		pd_reply_json(r, 500, json_pack("{s:s}", "error", "internal"));
		return;
	}
	pd_reply_header(r, "Cache-Control", "public, max-age=300");
	pd_reply_bytes(r, 200, "application/jwk-set+json", pd_arena_strdup(r->arena, text),
	               strlen(text));
	free(text);
}

/* --- the supervisor's side -------------------------------------------------------------------- */

static void office_page(struct pd_req *r, int status, const struct pd_document *doc,
                        const char *reason, const char *error)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "doc",
	                    json_pack("{s:s, s:s, s:s, s:s}", "id", doc->id, "number", doc->number,
	                              "product", doc->product ? doc->product : "", "unit",
	                              doc->unit_name ? doc->unit_name : ""));
	if (doc->revoked_ms) {
		json_object_set_new(ctx, "revoked_at", json_string(pd_web_local_time(r, doc->revoked_ms)));
		json_object_set_new(ctx, "revoke_reason", json_string(reason_label(r, doc->revoke_reason)));
	}
	/* The fixed reasons, the one chosen before a refusal checked. */
	json_t *reasons = json_array();
	for (size_t i = 0; i < pd_document_n_reasons; i++)
		json_array_append_new(
			reasons, json_pack("{s:s, s:s, s:s, s:b}", "id",
			                   pd_arena_printf(r->arena, "alasan-%zu", i + 1), "code",
			                   pd_document_reasons[i].code, "label",
			                   pd_req_t(r, pd_document_reasons[i].label), "checked",
			                   reason && strcmp(reason, pd_document_reasons[i].code) == 0));
	json_object_set_new(ctx, "reasons", reasons);
	if (error)
		json_object_set_new(ctx, "error", json_string(pd_req_t(r, error)));
	pd_reply_page(r, status, "verifikasi/kantor", N_("Cabut dokumen"), ctx);
}

/* Loads the document for a supervisor: replies 404/403 itself and returns false otherwise. */
static bool load_for_supervisor(struct pd_req *r, struct pd_document *doc)
{
	int rc = pd_document_get(r->store, r->params[0], r->arena, doc);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return false;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return false;
	}
	if (!pd_document_may_revoke(r->actor, doc)) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return false;
	}
	return true;
}

void pd_web_dokumen_kantor(struct pd_req *r)
{
	struct pd_document doc;
	if (load_for_supervisor(r, &doc))
		office_page(r, 200, &doc, NULL, NULL);
}

struct revoke_job {
	const struct pd_actor *actor;
	const char *id, *reason;
	struct pd_document doc;
};

static int revoke_tx(struct pd_tx *tx, void *p)
{
	struct revoke_job *j = p;
	return pd_document_revoke_tx(tx, j->actor, j->id, j->reason, 0);
}

static void revoke_done(struct pd_req *r, int rc)
{
	struct revoke_job *j = r->user;
	switch (rc) {
	case PD_OK:
		pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/verifikasi/%s", j->id));
		return;
	case PD_ERR_INVALID:
		office_page(r, 422, &j->doc, j->reason, N_("Pilih salah satu alasan pencabutan."));
		return;
	case PD_ERR_CONFLICT:
		pd_reply_error(r, PD_E_CONFLICT, N_("Dokumen ini sudah dicabut."));
		return;
	case PD_ERR_NOT_FOUND:
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	case PD_ERR_FORBIDDEN:
		pd_reply_error(r, PD_E_FORBIDDEN, NULL);
		return;
	default:
		pd_reply_error(r, rc == PD_ERR_UNAVAILABLE || rc == PD_ERR_BUSY ? PD_E_UNAVAILABLE
		                                                                : PD_E_INTERNAL,
		               NULL);
	}
}

void pd_web_dokumen_cabut(struct pd_req *r)
{
	struct revoke_job *j = pd_arena_alloc(r->arena, sizeof *j);
	if (!load_for_supervisor(r, &j->doc))
		return;
	j->actor = r->actor;
	j->id = j->doc.id;
	const char *reason = pd_req_form(r, "alasan");
	j->reason = reason ? reason : "";
	r->user = j;
	pd_req_write(r, revoke_tx, j, revoke_done);
}
