/* The signed fields of a document envelope, read for display before or after verification. */
#include "domain/document_signed.h"

#include <jansson.h>
#include <string.h>

#include "core/err.h"

#define ENVELOPE_MAX (256 * 1024)

static const char *str(struct pd_arena *a, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? pd_arena_strdup(a, s) : NULL;
}

int pd_document_signed_read(const char *text, size_t len, struct pd_arena *a,
                            struct pd_document_signed *out)
{
	memset(out, 0, sizeof *out);
	if (!text || len > ENVELOPE_MAX)
		return PD_ERR_NOT_FOUND;
	json_t *env = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(env)) {
		json_decref(env);
		return PD_ERR_NOT_FOUND;
	}
	json_t *doc = json_object_get(env, "doc");
	json_t *kid = json_object_get(env, "kid");
	json_t *sig = json_object_get(env, "sig");
	int rc = PD_OK;
	if (!doc && !kid && !sig)
		rc = PD_ERR_NOT_FOUND;
	else if (!json_is_object(doc) || !json_is_string(kid) || !json_is_string(sig))
		rc = PD_ERR_INVALID;
	if (rc == PD_OK) {
		out->id = str(a, doc, "id");
		out->number = str(a, doc, "number");
		out->product = str(a, doc, "product");
		out->service = str(a, json_object_get(doc, "service"), "name");
		out->unit = str(a, json_object_get(doc, "unit"), "name");
		out->issued = str(a, doc, "issued");
		out->issuer = str(a, doc, "issuer");
		out->verify = str(a, doc, "verify");
		out->kid = pd_arena_strdup(a, json_string_value(kid));
	}
	json_decref(env);
	return rc;
}
