/* The CKAN Action API's dispatcher: the table of actions, the parameters of a call from the query
 * string, a form or a JSON body, CKAN's envelope, and the small actions (organizations, tags,
 * licences, status, help). */
#include "api/ckan.h"

#include <string.h>
#include <strings.h>

#include "api/ckan_internal.h"
#include "api/open311_internal.h"
#include "core/err.h"
#include "core/str.h"
#include "http/app.h"
#include "http/form.h"

#define ORG_LIST_MAX 1000        /* CKAN ckan.group_and_organization_list_max */
#define ORG_LIST_ALL_FIELDS_MAX 25 /* CKAN ckan.group_and_organization_list_all_fields_max */
#define ORG_DATASETS_MAX 1000    /* datasets organization_show includes */

/* --- the envelope ----------------------------------------------------------------------------- */

/* True for a name an action could have: [a-z0-9_], 1..64 bytes (safe to echo and to link). */
static bool plain_name(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= 64 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static json_t *envelope(struct pd_ckan_call *c, bool success)
{
	const char *name = plain_name(c->action) ? c->action : "help_show";
	return json_pack("{s:s,s:b}", "help",
	                 pd_arena_printf(c->r->arena, "%s/api/3/action/help_show?name=%s", c->base, name),
	                 "success", success);
}

void pd_ckan_ok(struct pd_ckan_call *c, json_t *result)
{
	json_t *o = envelope(c, true);
	json_object_set_new(o, "result", result ? result : json_null());
	pd_reply_json(c->r, 200, o);
}

void pd_ckan_fail(struct pd_ckan_call *c, int status, const char *type, const char *message,
                  json_t *fields)
{
	json_t *err = json_pack("{s:s}", "__type", type);
	if (message)
		json_object_set_new(err, "message", json_string(message));
	if (fields) {
		json_object_update(err, fields);
		json_decref(fields);
	}
	json_t *o = envelope(c, false);
	json_object_set_new(o, "error", err);
	pd_reply_json(c->r, status, o);
}

void pd_ckan_invalid(struct pd_ckan_call *c, const char *field, const char *message)
{
	pd_ckan_fail(c, 409, PD_CKAN_VALIDATION, pd_arena_printf(c->r->arena, "%s: %s", field, message),
	             json_pack("{s:[s]}", field, message));
}

void pd_ckan_not_found(struct pd_ckan_call *c, const char *message)
{
	pd_ckan_fail(c, 404, PD_CKAN_NOT_FOUND, message ? message : "Not found", NULL);
}

void pd_ckan_internal(struct pd_ckan_call *c)
{
	pd_ckan_fail(c, 500, "Internal Error", "Internal server error", NULL);
}

/* --- parameters ------------------------------------------------------------------------------- */

bool pd_ckan_str_or_reply(struct pd_ckan_call *c, const char *name, const char **out)
{
	*out = NULL;
	json_t *v = json_object_get(c->data, name);
	if (!v || json_is_null(v))
		return true;
	struct pd_arena *a = c->r->arena;
	if (json_is_string(v))
		*out = pd_arena_strndup(a, json_string_value(v), json_string_length(v));
	else if (json_is_integer(v))
		*out = pd_arena_printf(a, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		*out = pd_arena_printf(a, "%.17g", json_real_value(v));
	else if (json_is_boolean(v))
		*out = json_is_true(v) ? "true" : "false";
	else {
		pd_ckan_invalid(c, name, "Must be a string, a number or a boolean");
		return false;
	}
	if (**out == '\0')
		*out = NULL;
	return true;
}

bool pd_ckan_int_or_reply(struct pd_ckan_call *c, const char *name, int64_t def, int64_t min,
                          int64_t max, int64_t *out)
{
	const char *s;
	if (!pd_ckan_str_or_reply(c, name, &s))
		return false;
	if (!s) {
		*out = def;
		return true;
	}
	int64_t v;
	if (pd_parse_i64(s, INT64_MIN, INT64_MAX, &v)) {
		pd_ckan_invalid(c, name, "Invalid integer");
		return false;
	}
	if (v < min) {
		pd_ckan_invalid(c, name, min == 0 ? "Must be a natural number"
		                                  : pd_arena_printf(c->r->arena, "Must be at least %lld", (long long)min));
		return false;
	}
	if (v > max) {
		pd_ckan_invalid(c, name, pd_arena_printf(c->r->arena, "Must be at most %lld", (long long)max));
		return false;
	}
	*out = v;
	return true;
}

bool pd_ckan_bool_or_reply(struct pd_ckan_call *c, const char *name, bool def, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "y", "t", "1"};
	static const char *const no[] = {"false", "no", "off", "n", "f", "0"};
	const char *s;
	if (!pd_ckan_str_or_reply(c, name, &s))
		return false;
	*out = def;
	if (!s)
		return true;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	pd_ckan_invalid(c, name, "Not a boolean: use true or false");
	return false;
}

bool pd_ckan_list_or_reply(struct pd_ckan_call *c, const char *name, const char ***out, int *n)
{
	*out = NULL;
	*n = 0;
	json_t *v = json_object_get(c->data, name);
	if (!v || json_is_null(v))
		return true;
	if (!json_is_array(v)) {
		const char *s;
		if (!pd_ckan_str_or_reply(c, name, &s))
			return false;
		if (s) {
			*out = pd_arena_alloc(c->r->arena, sizeof **out);
			(*out)[0] = s;
			*n = 1;
		}
		return true;
	}
	size_t len = json_array_size(v);
	if (len > 100) {
		pd_ckan_invalid(c, name, "At most 100 items");
		return false;
	}
	*out = pd_arena_alloc(c->r->arena, (len + 1) * sizeof **out);
	for (size_t i = 0; i < len; i++) {
		json_t *item = json_array_get(v, i);
		if (!json_is_string(item)) {
			pd_ckan_invalid(c, name, "Must be a list of strings");
			return false;
		}
		(*out)[(*n)++] = pd_arena_strdup(c->r->arena, json_string_value(item));
	}
	return true;
}

/* The call's parameters as one object: the JSON body of a POST (which must be an object), else
 * the form fields of a POST, else the query string. NULL when a reply was sent. */
static json_t *call_data(struct pd_ckan_call *c)
{
	struct pd_req *r = c->r;
	if (r->json) {
		if (!json_is_object(r->json)) {
			pd_ckan_fail(c, 400, PD_CKAN_VALIDATION,
			             "Bad request - JSON Error: Request data JSON decoded to a value that is not "
			             "a dictionary, but it needs to be a dictionary",
			             NULL);
			return NULL;
		}
		return r->json;
	}
	const struct pd_kvlist *kv = strcmp(r->method, "POST") == 0 && r->form.n ? &r->form : &r->query;
	json_t *o = json_object();
	pd_arena_defer(r->arena, (void (*)(void *))json_decref, o);
	for (size_t i = 0; i < kv->n; i++) {
		const struct pd_kv *f = &kv->items[i];
		json_t *v = json_stringn(f->val, f->val_len);
		if (!v)
			continue; /* not UTF-8: the form parser refuses that already */
		json_t *old = json_object_get(o, f->key);
		if (!old) {
			json_object_set_new(o, f->key, v);
		} else if (json_is_array(old)) {
			json_array_append_new(old, v);
		} else {
			/* A repeated key (fq_list=a&fq_list=b) becomes a list, as CKAN's forms do. */
			json_t *arr = json_array();
			json_array_append(arr, old);
			json_array_append_new(arr, v);
			json_object_set_new(o, f->key, arr);
		}
	}
	return o;
}

/* --- small actions ---------------------------------------------------------------------------- */

static void status_show(struct pd_ckan_call *c)
{
	const char *site = c->r->app->site_name ? c->r->app->site_name : "Pendopo";
	pd_ckan_ok(c, json_pack("{s:s,s:s,s:s,s:s,s:n,s:s,s:[]}", "site_title", site, "site_url",
	                        c->base, "site_description",
	                        "Open data of the platform (Pendopo), readable by CKAN clients",
	                        "ckan_version", "2.10.0", "error_emails_to", "locale_default", "id",
	                        "extensions"));
}

static void license_list(struct pd_ckan_call *c)
{
	size_t n;
	const struct pd_licence *l = pd_licence_list(&n);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const char *conf = l[i].od_conformant ? "approved" : "not reviewed";
		json_array_append_new(
			arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:b,s:s,s:s,s:b,s:b,s:b}", "id",
			               l[i].id, "title", l[i].title, "url", l[i].url ? l[i].url : "",
			               "status", "active", "maintainer", "", "family", "",
			               "domain_content", true, "domain_data", true, "domain_software", false,
			               "od_conformance", conf, "osd_conformance", "not reviewed",
			               "is_generic", strcmp(l[i].id, "other-open") == 0, "is_okd_compliant",
			               l[i].od_conformant, "is_osi_compliant", false));
	}
	pd_ckan_ok(c, arr);
}

static void tag_list(struct pd_ckan_call *c)
{
	const char *q, *vocab;
	bool all_fields;
	if (!pd_ckan_str_or_reply(c, "query", &q) || !pd_ckan_str_or_reply(c, "vocabulary_id", &vocab) ||
	    !pd_ckan_bool_or_reply(c, "all_fields", false, &all_fields))
		return;
	if (vocab) { /* the catalogue has free tags only */
		pd_ckan_not_found(c, "Could not find vocabulary");
		return;
	}
	if (q && strlen(q) > PD_DATASET_TAG_MAX) {
		pd_ckan_invalid(c, "query", "Too long");
		return;
	}
	struct pd_dataset_tag *tags;
	int n;
	if (pd_dataset_tags(c->r->store, q, c->r->arena, &tags, &n)) {
		pd_ckan_internal(c);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, all_fields ? json_pack("{s:s,s:s,s:s,s:n}", "id",
		                                                  pd_ckan_tag_id(c->r->arena, tags[i].name),
		                                                  "name", tags[i].name, "display_name",
		                                                  tags[i].name, "vocabulary_id")
		                                      : json_string(tags[i].name));
	pd_ckan_ok(c, arr);
}

enum org_sort { ORG_TITLE, ORG_NAME, ORG_COUNT };

struct org_order {
	enum org_sort key;
	bool desc;
};

static int org_cmp(const struct pd_dataset_org *x, const struct pd_dataset_org *y, const struct org_order *o)
{
	int d = 0;
	if (o->key == ORG_COUNT)
		d = x->n_datasets < y->n_datasets ? -1 : x->n_datasets > y->n_datasets;
	else if (o->key == ORG_TITLE)
		d = strcmp(x->unit.name ? x->unit.name : "", y->unit.name ? y->unit.name : "");
	if (d == 0)
		d = strcmp(x->unit.slug, y->unit.slug);
	return o->desc ? -d : d;
}

/* Sorts orgs in place by order (an insertion sort: a regency has hundreds of units at most). */
static void org_sort(struct pd_dataset_org *orgs, int n, const struct org_order *o)
{
	for (int i = 1; i < n; i++) {
		struct pd_dataset_org t = orgs[i];
		int j = i - 1;
		while (j >= 0 && org_cmp(&orgs[j], &t, o) > 0) {
			orgs[j + 1] = orgs[j];
			j--;
		}
		orgs[j + 1] = t;
	}
}

/* CKAN's group sort: "title asc" (the default), "name desc", "package_count desc", … */
static bool org_order_or_reply(struct pd_ckan_call *c, struct org_order *o)
{
	const char *s;
	if (!pd_ckan_str_or_reply(c, "sort", &s))
		return false;
	o->key = ORG_TITLE;
	o->desc = false;
	if (!s)
		return true;
	size_t n = strcspn(s, " ");
	const char *dir = s + n + strspn(s + n, " ");
	if (n == 4 && strncmp(s, "name", 4) == 0)
		o->key = ORG_NAME;
	else if (n == 5 && strncmp(s, "title", 5) == 0)
		o->key = ORG_TITLE;
	else if (n == 13 && strncmp(s, "package_count", 13) == 0)
		o->key = ORG_COUNT;
	else
		goto bad;
	if (*dir == '\0' || strcmp(dir, "asc") == 0)
		return true;
	if (strcmp(dir, "desc") == 0) {
		o->desc = true;
		return true;
	}
bad:
	pd_ckan_invalid(c, "sort", "Cannot sort by this: use name, title or package_count, then asc or desc");
	return false;
}

static void organization_list(struct pd_ckan_call *c)
{
	bool all_fields;
	struct org_order order;
	int64_t limit, offset;
	if (!pd_ckan_bool_or_reply(c, "all_fields", false, &all_fields) || !org_order_or_reply(c, &order))
		return;
	int64_t max = all_fields ? ORG_LIST_ALL_FIELDS_MAX : ORG_LIST_MAX;
	if (!pd_ckan_int_or_reply(c, "limit", max, 0, INT64_MAX, &limit) ||
	    !pd_ckan_int_or_reply(c, "offset", 0, 0, PD_DATASET_LIST_MAX, &offset))
		return;
	if (limit > max)
		limit = max;
	struct pd_dataset_org *orgs;
	int n;
	if (pd_dataset_orgs(c->r->store, true, c->r->arena, &orgs, &n)) {
		pd_ckan_internal(c);
		return;
	}
	org_sort(orgs, n, &order);
	json_t *arr = json_array();
	for (int64_t i = offset; i < n && i < offset + limit; i++)
		json_array_append_new(arr, all_fields ? pd_ckan_org(c, &orgs[i].unit, orgs[i].created_ms,
		                                                    orgs[i].n_datasets)
		                                      : json_string(orgs[i].unit.slug));
	pd_ckan_ok(c, arr);
}

static void organization_show(struct pd_ckan_call *c)
{
	const char *id;
	bool with_datasets;
	if (!pd_ckan_str_or_reply(c, "id", &id) ||
	    !pd_ckan_bool_or_reply(c, "include_datasets", false, &with_datasets))
		return;
	if (!id) {
		pd_ckan_invalid(c, "id", "Missing value");
		return;
	}
	struct pd_dataset_org org;
	int rc = pd_dataset_org_get(c->r->store, id, c->r->arena, &org);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_ckan_not_found(c, "Organization not found");
		return;
	}
	if (rc) {
		pd_ckan_internal(c);
		return;
	}
	json_t *o = pd_ckan_org(c, &org.unit, org.created_ms, org.n_datasets);
	json_object_set_new(o, "users", json_array());
	json_object_set_new(o, "extras", json_array());
	json_object_set_new(o, "tags", json_array());
	json_object_set_new(o, "groups", json_array());
	if (with_datasets) {
		const char *units[1] = {org.unit.slug};
		struct pd_dataset_query q = {.units = units, .n_units = 1, .limit = ORG_DATASETS_MAX,
		                             .with_resources = true};
		struct pd_dataset_page p;
		if (pd_dataset_search_offset(c->r->store, &q, c->r->arena, &p)) {
			json_decref(o);
			pd_ckan_internal(c);
			return;
		}
		json_t *arr = json_array();
		for (int i = 0; i < p.n_items; i++)
			json_array_append_new(arr, pd_ckan_package(c, &p.items[i]));
		json_object_set_new(o, "packages", arr);
	}
	pd_ckan_ok(c, o);
}

/* --- the table -------------------------------------------------------------------------------- */

struct action {
	const char *name;
	void (*fn)(struct pd_ckan_call *c);
	const char *doc;
};

static void help_show(struct pd_ckan_call *c);

static const struct action actions[] = {
	{"package_list", pd_ckan_package_list,
	 "Return a list of the names of the site's datasets (packages). Parameters: limit, offset."},
	{"package_search", pd_ckan_package_search,
	 "Search for datasets. Parameters: q (words; empty or *:* for all), fq and fq_list "
	 "(organization:, tags:, res_format:, all must hold), rows (default 10, at most 1000), start, "
	 "sort (name, title_string, metadata_modified or score, asc or desc). Returns count, "
	 "results, sort, facets and search_facets."},
	{"package_show", pd_ckan_package_show,
	 "Return the metadata of a dataset and its resources. Parameters: id (id or name)."},
	{"resource_show", pd_ckan_resource_show, "Return the metadata of a resource. Parameters: id."},
	{"organization_list", organization_list,
	 "Return a list of the names of the site's organizations (units). Parameters: all_fields, "
	 "sort (name, title or package_count, asc or desc), limit, offset."},
	{"organization_show", organization_show,
	 "Return the details of an organization. Parameters: id (id or name), include_datasets."},
	{"tag_list", tag_list,
	 "Return a list of the site's tags. Parameters: query (part of the name), all_fields."},
	{"license_list", license_list, "Return the list of licences available for datasets."},
	{"status_show", status_show, "Return a dictionary with information about the site."},
	{"help_show", help_show, "Return the help string for an action. Parameters: name."},
};

/* CKAN's actions that write: the catalogue is written through the administrators' pages only. */
static const char *const write_actions[] = {
	"package_create", "package_update", "package_patch", "package_delete", "package_purge",
	"resource_create", "resource_update", "resource_patch", "resource_delete",
	"organization_create", "organization_update", "organization_patch", "organization_delete",
	"organization_purge", "group_create", "group_update", "group_delete", "tag_create",
	"package_revise", "dataset_purge",
};

static void help_show(struct pd_ckan_call *c)
{
	const char *name;
	if (!pd_ckan_str_or_reply(c, "name", &name))
		return;
	if (!name) {
		pd_ckan_invalid(c, "name", "Missing value");
		return;
	}
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].name, name) == 0) {
			pd_ckan_ok(c, json_string(actions[i].doc));
			return;
		}
	pd_ckan_not_found(c, "Action function not found");
}

void pd_api_ckan_action(struct pd_req *r)
{
	struct pd_ckan_call c = {.r = r, .action = r->params[0], .base = pd_o311_base(r)};
	for (size_t i = 0; i < sizeof write_actions / sizeof write_actions[0]; i++)
		if (strcmp(write_actions[i], c.action) == 0) {
			pd_ckan_fail(&c, 403, PD_CKAN_AUTHORIZATION,
			             pd_arena_printf(r->arena,
			                             "Access denied: datasets are published through the "
			                             "portal's administration, not by %s",
			                             c.action),
			             NULL);
			return;
		}
	const struct action *act = NULL;
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].name, c.action) == 0)
			act = &actions[i];
	if (!act) {
		pd_ckan_fail(&c, 400, PD_CKAN_VALIDATION,
		             pd_arena_printf(r->arena, "Bad request - Action name not known: %s",
		                             plain_name(c.action) ? c.action : "(not a name)"),
		             NULL);
		return;
	}
	c.data = call_data(&c);
	if (!c.data)
		return;
	act->fn(&c);
}
