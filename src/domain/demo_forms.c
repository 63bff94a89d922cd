/* The demo's application forms (data/demo-forms.json) and the Maklumat Pelayanan of the units
 * owning services (data/demo-services.json), saved as the system in one write transaction. */
#include <jansson.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/demo_services.h"
#include "domain/form.h"
#include "domain/service_admin.h"
#include "store/service_store.h"

#define DEMO_FORMS_FILE "data/demo-forms.json"
#define DEMO_SERVICES_FILE "data/demo-services.json"

struct forms_arg {
	json_t *forms;    /* {"<service slug>": [fields…]} */
	json_t *maklumat; /* {"<unit slug>": "text"} */
};

/* Saves version 1 of one service's form. */
static int save_form(struct pd_tx *tx, const char *slug, json_t *fields)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_service svc;
	if (pd_store_service_by_slug(tx, slug, a, &svc) <= 0) {
		pd_log(PD_LOG_ERROR, "demo_failed", "form=%s msg=\"no such service\"", slug);
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	}
	char *text = json_dumps(fields, JSON_COMPACT);
	if (!text)
		return PD_ERR_NOMEM;
	struct pd_form form = {0};
	int rc = pd_form_fields_parse(text, a, &form.fields, &form.n_fields);
	free(text);
	if (!rc)
		rc = pd_form_save_new_version(tx, svc.id, &form, "system", NULL);
	if (rc)
		pd_log(PD_LOG_ERROR, "demo_failed", "form=%s err=\"%s\"", slug, pd_strerror(rc));
	return rc;
}

static int forms_tx(struct pd_tx *tx, void *p)
{
	struct forms_arg *fa = p;
	const char *slug;
	json_t *fields;
	json_object_foreach(fa->forms, slug, fields) {
		int rc = save_form(tx, slug, fields);
		if (rc)
			return rc;
	}
	/* UU 25/2009 Pasal 22: each unit owning services publishes its Maklumat Pelayanan. */
	struct pd_actor system = {.account_id = "system", .system = true};
	json_t *text;
	json_object_foreach(fa->maklumat, slug, text) {
		struct pd_field_errors errs;
		int rc = pd_maklumat_set_tx(tx, &system, slug, json_string_value(text), &errs);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_failed", "maklumat=%s err=\"%s\"", slug,
			       pd_strerror(rc));
			return rc;
		}
	}
	return pd_tx_error(tx);
}

int pd_demo_forms(struct pd_store *st)
{
	json_t *forms = NULL, *services = NULL;
	int rc = pd_demo_load_json(DEMO_FORMS_FILE, &forms);
	if (!rc)
		rc = pd_demo_load_json(DEMO_SERVICES_FILE, &services);
	if (rc)
		goto out;
	struct forms_arg fa = {json_object_get(forms, "forms"),
	                       json_object_get(services, "maklumat")};
	rc = json_is_object(fa.forms) && json_is_object(fa.maklumat)
		? pd_store_write(st, forms_tx, &fa)
		: PD_ERR_INVALID;
out:
	json_decref(forms);
	json_decref(services);
	return rc;
}
