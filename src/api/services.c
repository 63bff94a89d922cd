/* /api/v1/services: the public service catalogue with its Standar Pelayanan as JSON, and the
 * embedded OpenAPI document describing /api/v1. */
#include "api/services.h"

#include <string.h>

#include "core/calendar.h"
#include "core/cursor.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/catalogue.h"
#include "domain/form.h"

#define DAY_MS INT64_C(86400000)
#define CURSOR_KIND 1 /* k1 of a services cursor, so a cursor of another list is refused */

/* "2026-11-27T14:05:09.123Z" (RFC 3339, UTC), arena-owned. */
static const char *utc_text(struct pd_arena *a, int64_t ms)
{
	int64_t day = ms / DAY_MS, rest = ms % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	return pd_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
	                       (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                       (int)(rest / 1000 % 60), (int)(rest % 1000));
}

static json_t *str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

/* The fields every representation of a service has. */
static json_t *service_summary(const struct pd_service *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_empty(s->id));
	json_object_set_new(o, "slug", str_or_empty(s->slug));
	json_object_set_new(o, "name", str_or_empty(s->name));
	json_object_set_new(o, "category", str_or_empty(s->category));
	json_object_set_new(o, "summary", str_or_empty(s->summary));
	json_object_set_new(o, "unit", json_pack("{s:o,s:o}", "slug", str_or_empty(s->unit_slug),
	                                         "name", str_or_empty(s->unit_name)));
	json_object_set_new(o, "processing_days", json_integer(s->processing_days));
	json_object_set_new(o, "fee", json_integer(s->fee));
	return o;
}

/* The current application form of the service as {"version":N,"fields":[…]} into *out
 * (version 0 with no fields when it has none). */
static int service_form(struct pd_req *r, const char *service_id, json_t **out)
{
	struct pd_form form;
	int rc = pd_form_current(r->store, service_id, r->arena, &form);
	if (rc)
		return rc;
	json_t *fields = json_array();
	for (int i = 0; i < form.n_fields; i++) {
		const struct pd_form_field *f = &form.fields[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "key", f->key, "type",
		                      pd_form_type_name(f->type), "label", f->label, "required",
		                      f->required);
		if (f->label_en && *f->label_en)
			json_object_set_new(o, "label_en", json_string(f->label_en));
		if (f->n_options > 0) {
			json_t *opts = json_array();
			for (int k = 0; k < f->n_options; k++)
				json_array_append_new(opts, json_string(f->options[k]));
			json_object_set_new(o, "options", opts);
		}
		json_array_append_new(fields, o);
	}
	*out = json_pack("{s:i,s:o}", "version", form.version, "fields", fields);
	return PD_OK;
}

static void reply_invalid(struct pd_req *r, const char *field, const char *message)
{
	pd_reply_json(r, 422,
	              json_pack("{s:{s:s,s:s,s:{s:s}}}", "error", "code", "invalid", "message",
	                        "Some parameters are not valid: see fields.", "fields", field,
	                        message));
}

void pd_api_services(struct pd_req *r)
{
	int limit;
	struct pd_cursor cur = {0};
	const char *cursor = pd_req_query(r, "cursor");
	if (pd_cursor_limit(pd_req_query(r, "limit"), 50, PD_CATALOGUE_PAGE_MAX, &limit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "limit must be a whole number from 1 to 200");
		return;
	}
	if (cursor && (pd_cursor_decode(r->arena, cursor, &cur) || cur.k1 != CURSOR_KIND ||
	               !pd_uuid_valid(cur.k2))) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "cursor is not one this server gave");
		return;
	}
	const char *q = pd_req_query(r, "q"), *category = pd_req_query(r, "category");
	if (q && strlen(q) > PD_CATALOGUE_Q_MAX) {
		reply_invalid(r, "q", "at most 200 bytes of UTF-8");
		return;
	}
	if (category && strlen(category) > 100) {
		reply_invalid(r, "category", "at most 100 bytes");
		return;
	}
	struct pd_catalogue_query query = {
		.q = q,
		.unit = pd_req_query(r, "unit"),
		.category = category,
		.after = cursor ? cur.k2 : NULL,
		.limit = limit,
	};
	struct pd_catalogue_page p;
	int rc = pd_catalogue_list(r->store, &query, r->arena, &p);
	if (rc == PD_ERR_NOT_FOUND) {
		reply_invalid(r, "unit", "no unit with this slug");
		return;
	}
	if (rc == PD_ERR_INVALID) {
		reply_invalid(r, "q", "at most 200 bytes of UTF-8");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < p.n_items; i++)
		json_array_append_new(items, service_summary(&p.items[i]));
	json_t *next = json_null();
	if (p.next_after) {
		struct pd_cursor nc = {CURSOR_KIND, p.next_after};
		next = json_string(pd_cursor_encode(r->arena, &nc));
	}
	pd_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", next));
}

void pd_api_service(struct pd_req *r)
{
	struct pd_service s;
	int rc = pd_catalogue_get_by_id(r->store, r->params[0], r->arena, &s);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "no published service with this id");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *o = service_summary(&s);
	/* The Standar Pelayanan (UU 25/2009 Pasal 21), in English snake_case. */
	struct pd_catalogue_part parts[PD_CATALOGUE_STANDARD_N];
	int n_parts = pd_catalogue_standard(&s, parts);
	for (int i = 0; i < n_parts; i++)
		json_object_set_new(o, parts[i].key, str_or_empty(parts[i].value));
	json_object_set_new(o, "created_at", json_string(utc_text(r->arena, s.created_ms)));
	json_object_set_new(o, "updated_at", json_string(utc_text(r->arena, s.updated_ms)));
	json_t *form = NULL;
	rc = service_form(r, s.id, &form);
	if (rc) {
		json_decref(o);
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_object_set_new(o, "form", form);
	pd_reply_json(r, 200, o);
}

void pd_api_openapi(struct pd_req *r)
{
	const struct pd_embedded *f = pd_embed_find("data/openapi.json");
	if (!f) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	pd_reply_header(r, "Cache-Control", "public, max-age=3600");
	pd_reply_bytes(r, 200, "application/json; charset=utf-8", f->data, f->len);
}
