/* The dictionaries of the CKAN Action API — package, resource, organization — with the field
 * names, shapes and timestamps CKAN 2.10 writes, built from the open-data model. */
#include <sodium.h>
#include <string.h>

#include "api/ckan_internal.h"
#include "core/calendar.h"

#define DAY_MS INT64_C(86400000)

const char *pd_ckan_time(struct pd_arena *a, int64_t ms)
{
	int64_t day = ms / DAY_MS, rest = ms % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	return pd_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03d000", y, m, d,
	                       (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                       (int)(rest / 1000 % 60), (int)(rest % 1000));
}

const char *pd_ckan_tag_id(struct pd_arena *a, const char *name)
{
	unsigned char h[16];
	static const char ctx[] = "pendopo ckan tag id v1";
	crypto_generichash(h, sizeof h, (const unsigned char *)name, strlen(name),
	                   (const unsigned char *)ctx, sizeof ctx - 1);
	h[6] = (unsigned char)((h[6] & 0x0f) | 0x80); /* RFC 9562 version 8: custom */
	h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* variant 10 */
	return pd_arena_printf(a,
	                       "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	                       h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11],
	                       h[12], h[13], h[14], h[15]);
}

static json_t *str_or_empty(const char *s)
{
	return json_string(s ? s : "");
}

json_t *pd_ckan_org(struct pd_ckan_call *c, const struct pd_dataset_unit *u, int64_t created_ms,
                    int64_t n_datasets)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_empty(u->id));
	json_object_set_new(o, "name", str_or_empty(u->slug));
	json_object_set_new(o, "title", str_or_empty(u->name));
	json_object_set_new(o, "display_name", str_or_empty(u->name));
	json_object_set_new(o, "description", json_string(""));
	json_object_set_new(o, "image_url", json_string(""));
	json_object_set_new(o, "image_display_url", json_string(""));
	json_object_set_new(o, "created", json_string(pd_ckan_time(c->r->arena, created_ms)));
	json_object_set_new(o, "is_organization", json_true());
	json_object_set_new(o, "approval_status", json_string("approved"));
	json_object_set_new(o, "state", json_string("active"));
	json_object_set_new(o, "type", json_string("organization"));
	if (n_datasets >= 0) {
		json_object_set_new(o, "package_count", json_integer(n_datasets));
		json_object_set_new(o, "num_followers", json_integer(0));
	}
	return o;
}

/* "text/csv; charset=utf-8" → "text/csv" (CKAN's mimetype has no parameters). */
static json_t *bare_media_type(struct pd_arena *a, const char *mt)
{
	if (!mt || !*mt)
		return json_null();
	size_t n = strcspn(mt, ";");
	while (n > 0 && mt[n - 1] == ' ')
		n--;
	return json_string(pd_arena_strndup(a, mt, n));
}

json_t *pd_ckan_resource(struct pd_ckan_call *c, const struct pd_dataset *d,
                         const struct pd_resource *res)
{
	struct pd_arena *a = c->r->arena;
	int64_t modified = res->generated_ms > res->modified_ms ? res->generated_ms : res->modified_ms;
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_empty(res->id));
	json_object_set_new(o, "package_id", str_or_empty(d ? d->id : res->dataset_id));
	json_object_set_new(o, "name", str_or_empty(res->name));
	json_object_set_new(o, "description", str_or_empty(res->description));
	json_object_set_new(o, "format", str_or_empty(res->format));
	json_object_set_new(o, "url", json_string(pd_arena_printf(a, "%s%s", c->base,
	                                                          res->url_path ? res->url_path : "")));
	json_object_set_new(o, "url_type", res->generated_ms ? json_null() : json_string("upload"));
	json_object_set_new(o, "mimetype", bare_media_type(a, res->media_type));
	json_object_set_new(o, "mimetype_inner", json_null());
	json_object_set_new(o, "size", json_integer(res->size));
	json_object_set_new(o, "hash", res->sha256 ? json_string(pd_arena_printf(a, "sha256:%s", res->sha256))
	                                           : json_string(""));
	json_object_set_new(o, "created", json_string(pd_ckan_time(a, res->created_ms)));
	json_object_set_new(o, "last_modified", json_string(pd_ckan_time(a, modified)));
	json_object_set_new(o, "metadata_modified", json_string(pd_ckan_time(a, res->modified_ms)));
	json_object_set_new(o, "position", json_integer(res->position));
	json_object_set_new(o, "state", json_string("active"));
	json_object_set_new(o, "resource_type", json_null());
	json_object_set_new(o, "cache_url", json_null());
	json_object_set_new(o, "datastore_active", json_false());
	if (res->generated_ms)
		json_object_set_new(o, "generated", json_string(pd_ckan_time(a, res->generated_ms)));
	return o;
}

json_t *pd_ckan_package(struct pd_ckan_call *c, const struct pd_dataset *d)
{
	struct pd_arena *a = c->r->arena;
	const struct pd_licence *lic = d->license_id ? pd_licence_find(d->license_id) : NULL;
	json_t *o = json_object();
	json_object_set_new(o, "id", str_or_empty(d->id));
	json_object_set_new(o, "name", str_or_empty(d->name));
	json_object_set_new(o, "title", str_or_empty(d->title));
	json_object_set_new(o, "notes", str_or_empty(d->notes));
	json_object_set_new(o, "type", json_string("dataset"));
	json_object_set_new(o, "state", json_string("active"));
	json_object_set_new(o, "private", json_false());
	json_object_set_new(o, "license_id", str_or_empty(d->license_id));
	json_object_set_new(o, "license_title",
	                    str_or_empty(d->license_title ? d->license_title : lic ? lic->title : NULL));
	const char *lurl = d->license_url ? d->license_url : lic ? lic->url : NULL;
	if (lurl && *lurl)
		json_object_set_new(o, "license_url", json_string(lurl));
	json_object_set_new(o, "isopen", json_boolean(lic && lic->od_conformant));
	json_object_set_new(o, "metadata_created", json_string(pd_ckan_time(a, d->created_ms)));
	json_object_set_new(o, "metadata_modified", json_string(pd_ckan_time(a, d->modified_ms)));
	json_object_set_new(o, "author", json_null());
	json_object_set_new(o, "author_email", json_null());
	json_object_set_new(o, "maintainer", d->unit.name ? json_string(d->unit.name) : json_null());
	json_object_set_new(o, "maintainer_email", json_null());
	json_object_set_new(o, "creator_user_id", json_null());
	json_object_set_new(o, "url", json_string(pd_arena_printf(a, "%s/data/%s", c->base, d->name)));
	json_object_set_new(o, "version", json_null());
	json_object_set_new(o, "owner_org", str_or_empty(d->unit.id));
	json_object_set_new(o, "organization", pd_ckan_org(c, &d->unit, d->created_ms, -1));

	json_t *tags = json_array();
	for (int i = 0; i < d->n_tags; i++)
		json_array_append_new(tags, json_pack("{s:s,s:s,s:s,s:s,s:n}", "name", d->tags[i],
		                                      "display_name", d->tags[i], "id",
		                                      pd_ckan_tag_id(a, d->tags[i]), "state", "active",
		                                      "vocabulary_id"));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "num_tags", json_integer(d->n_tags));

	json_t *extras = json_array();
	if (d->frequency && *d->frequency) {
		json_array_append_new(extras, json_pack("{s:s,s:s}", "key", "frequency", "value", d->frequency));
		const char *iri = pd_frequency_iri(d->frequency);
		if (iri)
			json_array_append_new(extras, json_pack("{s:s,s:s}", "key", "frequency_iri", "value", iri));
	}
	json_array_append_new(extras, json_pack("{s:s,s:s}", "key", "generated", "value",
	                                        d->generated ? "true" : "false"));
	json_object_set_new(o, "extras", extras);

	json_t *resources = json_array();
	for (int i = 0; i < d->n_resources; i++)
		json_array_append_new(resources, pd_ckan_resource(c, d, &d->resources[i]));
	json_object_set_new(o, "resources", resources);
	json_object_set_new(o, "num_resources", json_integer(d->n_resources));
	json_object_set_new(o, "groups", json_array());
	json_object_set_new(o, "relationships_as_subject", json_array());
	json_object_set_new(o, "relationships_as_object", json_array());
	return o;
}
