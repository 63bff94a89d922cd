/* The demo catalogue: services of Kabupaten Sukamaju with their complete Standar Pelayanan,
 * read from the embedded data/demo-services.json. */
#include "domain/demo_services.h"

#include <jansson.h>
#include <string.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/catalogue.h"

#define DEMO_SERVICES_FILE "data/demo-services.json"

/* The text of field key for service svc: its own, else its unit's default, else the
 * catalogue-wide default; NULL when none has it. Borrowed from root. */
static const char *field(json_t *root, json_t *svc, const char *key)
{
	const char *s = json_string_value(json_object_get(svc, key));
	if (s)
		return s;
	const char *unit = json_string_value(json_object_get(svc, "unit"));
	json_t *ud = json_object_get(json_object_get(root, "unit_defaults"), unit ? unit : "");
	s = json_string_value(json_object_get(ud, key));
	if (s)
		return s;
	return json_string_value(json_object_get(json_object_get(root, "defaults"), key));
}

int pd_demo_load_json(const char *name, json_t **out)
{
	*out = NULL;
	const struct pd_embedded *f = pd_embed_find(name);
	if (!f) {
		pd_log(PD_LOG_ERROR, "demo_failed", "file=%s msg=\"not embedded\"", name);
		return PD_ERR_NOT_FOUND;
	}
	json_error_t jerr;
	json_t *root = json_loadb((const char *)f->data, f->len, 0, &jerr);
	if (!json_is_object(root)) {
		pd_log(PD_LOG_ERROR, "demo_failed", "file=%s line=%d msg=\"%s\"", name, jerr.line,
		       jerr.text);
		json_decref(root);
		return PD_ERR_INVALID;
	}
	*out = root;
	return PD_OK;
}

/* Fills in from one service object; PD_ERR_INVALID (logged) when a text is missing. */
static int service_input(json_t *root, json_t *svc, struct pd_catalogue_input *in)
{
	struct {
		const char *key;
		const char **dst;
	} texts[] = {
		{"unit", &in->unit_slug}, {"slug", &in->s.slug}, {"name", &in->s.name},
		{"category", &in->s.category}, {"summary", &in->s.summary},
		{"legal_basis", &in->s.legal_basis}, {"requirements", &in->s.requirements},
		{"procedure", &in->s.procedure}, {"product", &in->s.product},
		{"complaint_channel", &in->s.complaint_channel}, {"facilities", &in->s.facilities},
		{"staff_competence", &in->s.staff_competence},
		{"internal_oversight", &in->s.internal_oversight}, {"staff_count", &in->s.staff_count},
		{"service_guarantee", &in->s.service_guarantee},
		{"security_guarantee", &in->s.security_guarantee},
		{"performance_evaluation", &in->s.performance_evaluation},
	};
	memset(in, 0, sizeof *in);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		*texts[i].dst = field(root, svc, texts[i].key);
		if (!*texts[i].dst || !**texts[i].dst) {
			pd_log(PD_LOG_ERROR, "demo_failed", "service=%s msg=\"no %s\"",
			       in->s.slug ? in->s.slug : "?", texts[i].key);
			return PD_ERR_INVALID;
		}
	}
	json_t *days = json_object_get(svc, "processing_days"), *fee = json_object_get(svc, "fee");
	if (!json_is_integer(days) || !json_is_integer(fee)) {
		pd_log(PD_LOG_ERROR, "demo_failed", "service=%s msg=\"no days or fee\"", in->s.slug);
		return PD_ERR_INVALID;
	}
	in->s.processing_days = json_integer_value(days);
	in->s.fee = json_integer_value(fee);
	in->s.enabled = true;
	return PD_OK;
}

int pd_demo_services(struct pd_store *st)
{
	struct pd_actor system = {.account_id = "system", .system = true};
	json_t *root;
	int rc = pd_demo_load_json(DEMO_SERVICES_FILE, &root);
	if (rc)
		return rc;
	json_t *services = json_object_get(root, "services");
	size_t i;
	json_t *svc;
	json_array_foreach(services, i, svc) {
		struct pd_catalogue_input in;
		rc = service_input(root, svc, &in);
		if (rc)
			goto out;
		char err[256];
		rc = pd_catalogue_create(st, &system, &in, NULL, err, sizeof err);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "service=%s msg=\"%s\"", in.s.slug, err);
			goto out;
		}
	}
	rc = PD_OK;
out:
	json_decref(root);
	return rc;
}
