/* Open311 discovery and services: the discovery document, the enabled complaint categories as
 * services, and each service's definition with its one attribute (the village). */
#include <string.h>

#include "api/open311.h"
#include "api/open311_internal.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/complaint.h"
#include "domain/open311.h"
#include "http/app.h"

#define CHANGESET "2026-11-28T00:00:00Z" /* when this endpoint's behaviour last changed */
#define CATEGORIES_MAX 64

void pd_api_o311_discovery(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *name;
	if (!pd_o311_fmt_or_reply(r, r->params[0], true, &name, &fmt))
		return;
	json_t *formats = json_pack("[s,s]", "text/xml", "application/json");
	json_t *endpoint = json_pack(
		"{s:s,s:s,s:s,s:s,s:o}", "specification", "http://wiki.open311.org/GeoReport_v2",
		"url", pd_arena_printf(r->arena, "%s/open311/v2", pd_o311_base(r)), "changeset",
		CHANGESET, "type", "production", "formats", formats);
	json_t *doc = json_pack(
		"{s:s,s:s,s:s,s:[o]}", "changeset", CHANGESET, "contact",
		pd_req_t(r, N_("Hubungi pengelola portal ini untuk bantuan.")), "key_service",
		pd_req_t(r, N_("Kunci API diterbitkan bagi mitra oleh administrator portal.")),
		"endpoints", endpoint);
	pd_reply_header(r, "Cache-Control", "public, max-age=3600");
	pd_o311_reply(r, fmt, 200, "discovery", doc);
}

/* Replies 404 and returns false for an unknown jurisdiction_id. */
static bool jurisdiction_or_reply(struct pd_req *r)
{
	const char *j = pd_o311_arg(r, "jurisdiction_id", false);
	if (!j)
		return true;
	int rc = pd_open311_jurisdiction(r->store, j);
	if (rc == PD_OK)
		return true;
	pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL,
	               rc == PD_ERR_NOT_FOUND ? "jurisdiction_id not found" : NULL);
	return false;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

void pd_api_o311_services(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *name;
	if (!pd_o311_fmt_or_reply(r, r->params[0], true, &name, &fmt) || !jurisdiction_or_reply(r))
		return;
	struct pd_complaint_category cats[CATEGORIES_MAX];
	int n = 0;
	if (pd_complaint_categories(r->store, r->arena, cats, CATEGORIES_MAX, &n)) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:o,s:b,s:s,s:o,s:o}", "service_code", cats[i].code,
		                        "service_name", cats[i].name, "description",
		                        str_or_null(cats[i].description), "metadata", 1, "type",
		                        "realtime", "keywords", str_or_null(cats[i].keywords),
		                        "group", str_or_null(cats[i].unit_name)));
	pd_o311_reply(r, fmt, 200, "services", list);
}

void pd_api_o311_service(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *code;
	if (!pd_o311_fmt_or_reply(r, r->params[0], false, &code, &fmt) || !jurisdiction_or_reply(r))
		return;
	struct pd_complaint_category cat;
	int rc = pd_open311_service(r->store, code, r->arena, &cat);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL,
		               rc == PD_ERR_NOT_FOUND ? "service_code not found" : NULL);
		return;
	}
	json_t *village = json_pack(
		"{s:b,s:s,s:s,s:b,s:s,s:i,s:s}", "variable", 1, "code", "village", "datatype", "string",
		"required", 0, "datatype_description",
		pd_req_t(r, N_("Kode wilayah Kemendagri desa atau kelurahan (titik boleh dihilangkan), "
		               "atau slug unitnya, misalnya 32.19.01.2003 atau desa-mekarsari.")),
		"order", 1, "description",
		pd_req_t(r, N_("Desa atau kelurahan tempat kejadian. Bila kosong, koordinator yang "
		               "menentukannya.")));
	json_t *def = json_pack("{s:s,s:[o]}", "service_code", cat.code, "attributes",
	                        village);
	pd_o311_reply(r, fmt, 200, "service_definition", def);
}
