/* The CKAN Action API's dataset actions: package_list, package_search (q, fq on organization,
 * tags and res_format, rows clamped to 1000, start, sort), package_show and resource_show. */
#include <string.h>

#include "api/ckan_internal.h"
#include "core/err.h"

#define ROWS_DEFAULT 10
#define ROWS_MAX PD_DATASET_PAGE_MAX /* CKAN ckan.search.rows_max: larger rows are clamped */
#define START_MAX 10000              /* DESIGN §3: offsets at most 10,000 rows deep */
#define SORT_DEFAULT "score desc, metadata_modified desc"

void pd_ckan_package_list(struct pd_ckan_call *c)
{
	int64_t limit, offset;
	if (!pd_ckan_int_or_reply(c, "limit", 0, 0, PD_DATASET_LIST_MAX, &limit) ||
	    !pd_ckan_int_or_reply(c, "offset", 0, 0, PD_DATASET_LIST_MAX, &offset))
		return;
	const char **names;
	int n;
	if (pd_dataset_names(c->r->store, offset, (int)limit, c->r->arena, &names, &n)) {
		pd_ckan_internal(c);
		return;
	}
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	pd_ckan_ok(c, arr);
}

/* --- fq ------------------------------------------------------------------------------------- */

struct filters {
	const char *units[PD_DATASET_FILTERS_MAX], *tags[PD_DATASET_FILTERS_MAX],
		*formats[PD_DATASET_FILTERS_MAX];
	int n_units, n_tags, n_formats;
};

/* Adds one "field:value" term of fq. Returns NULL, or the reason it cannot be used. */
static const char *add_term(struct filters *f, const char *field, size_t flen, const char *value)
{
	const char **list;
	int *n;
	if (flen == 12 && strncmp(field, "organization", 12) == 0) {
		list = f->units;
		n = &f->n_units;
	} else if (flen == 4 && strncmp(field, "tags", 4) == 0) {
		list = f->tags;
		n = &f->n_tags;
	} else if (flen == 10 && strncmp(field, "res_format", 10) == 0) {
		list = f->formats;
		n = &f->n_formats;
	} else {
		return "Only organization:, tags: and res_format: can be filtered on";
	}
	if (*n >= PD_DATASET_FILTERS_MAX)
		return "Too many filters of one kind (at most 10)";
	list[(*n)++] = value;
	return NULL;
}

/* Parses fq: terms "field:value" or field:"a value", each optionally preceded by "+",
 * separated by spaces (or "AND"); every term must hold. Returns NULL or the reason. */
static const char *parse_fq(struct pd_arena *a, const char *fq, struct filters *f)
{
	const char *p = fq;
	for (;;) {
		p += strspn(p, " \t\r\n");
		if (!*p)
			return NULL;
		if (strncmp(p, "AND", 3) == 0 && (p[3] == ' ' || p[3] == '\t')) {
			p += 3;
			continue;
		}
		if (*p == '+')
			p++;
		const char *colon = p;
		while (*colon && *colon != ':' && *colon != ' ' && *colon != '"')
			colon++;
		if (*colon != ':' || colon == p)
			return "A filter is field:value";
		const char *field = p;
		size_t flen = (size_t)(colon - p);
		const char *v = colon + 1, *end;
		const char *value;
		if (*v == '"') {
			end = strchr(v + 1, '"');
			if (!end)
				return "A quoted value has no closing quote";
			value = pd_arena_strndup(a, v + 1, (size_t)(end - v - 1));
			end++;
		} else {
			end = v + strcspn(v, " \t\r\n");
			value = pd_arena_strndup(a, v, (size_t)(end - v));
		}
		if (!*value)
			return "A filter has no value";
		if (strpbrk(value, "*?[]{}()")) /* no Solr ranges or wildcards */
			return "Ranges and wildcards are not supported";
		const char *why = add_term(f, field, flen, value);
		if (why)
			return why;
		p = end;
	}
}

/* --- sort ----------------------------------------------------------------------------------- */

/* CKAN's sort ("metadata_modified desc", "name asc", "score desc, metadata_modified desc"):
 * the first key other than score decides (every other order ties by name ascending); score is
 * equal for all when nothing is ranked, so "score desc" alone is the default order. */
static bool parse_sort(const char *s, enum pd_dataset_sort *out)
{
	*out = PD_DATASET_SORT_MODIFIED_DESC;
	bool decided = false;
	const char *p = s;
	while (*p) {
		p += strspn(p, " ");
		size_t n = strcspn(p, " ,");
		const char *field = p;
		p += n;
		p += strspn(p, " ");
		size_t dn = strcspn(p, " ,");
		const char *dir = p;
		p += dn;
		p += strspn(p, " ");
		if (*p == ',')
			p++;
		else if (*p)
			return false;
		bool desc;
		if (dn == 4 && strncmp(dir, "desc", 4) == 0)
			desc = true;
		else if (dn == 3 && strncmp(dir, "asc", 3) == 0)
			desc = false;
		else
			return false;
		enum pd_dataset_sort v;
		if (n == 5 && strncmp(field, "score", 5) == 0)
			continue;
		else if (n == 4 && strncmp(field, "name", 4) == 0)
			v = desc ? PD_DATASET_SORT_NAME_DESC : PD_DATASET_SORT_NAME_ASC;
		else if ((n == 12 && strncmp(field, "title_string", 12) == 0) ||
		         (n == 5 && strncmp(field, "title", 5) == 0))
			v = desc ? PD_DATASET_SORT_TITLE_DESC : PD_DATASET_SORT_TITLE_ASC;
		else if (n == 17 && strncmp(field, "metadata_modified", 17) == 0)
			v = desc ? PD_DATASET_SORT_MODIFIED_DESC : PD_DATASET_SORT_MODIFIED_ASC;
		else
			return false;
		if (!decided)
			*out = v;
		decided = true;
	}
	return true;
}

void pd_ckan_package_search(struct pd_ckan_call *c)
{
	struct pd_arena *a = c->r->arena;
	const char *q, *fq, *sort;
	const char **fq_list;
	int n_fq_list;
	int64_t rows, start;
	if (!pd_ckan_str_or_reply(c, "q", &q) || !pd_ckan_str_or_reply(c, "fq", &fq) ||
	    !pd_ckan_list_or_reply(c, "fq_list", &fq_list, &n_fq_list) ||
	    !pd_ckan_str_or_reply(c, "sort", &sort) ||
	    !pd_ckan_int_or_reply(c, "rows", ROWS_DEFAULT, 0, INT64_MAX, &rows) ||
	    !pd_ckan_int_or_reply(c, "start", 0, 0, START_MAX, &start))
		return;
	if (rows > ROWS_MAX)
		rows = ROWS_MAX; /* as CKAN does, silently */
	if (q && (strcmp(q, "*:*") == 0 || strspn(q, " ") == strlen(q)))
		q = NULL;
	if (q && strlen(q) > PD_DATASET_Q_MAX) {
		pd_ckan_invalid(c, "q", "Too long (at most 200 bytes)");
		return;
	}
	struct filters f = {0};
	const char *why = fq ? parse_fq(a, fq, &f) : NULL;
	if (why) {
		pd_ckan_invalid(c, "fq", why);
		return;
	}
	for (int i = 0; i < n_fq_list && !why; i++)
		why = parse_fq(a, fq_list[i], &f);
	if (why) {
		pd_ckan_invalid(c, "fq_list", why);
		return;
	}
	enum pd_dataset_sort order;
	if (!sort)
		sort = SORT_DEFAULT;
	if (!parse_sort(sort, &order)) {
		pd_ckan_invalid(c, "sort", "Cannot sort by this: use name, title_string, metadata_modified "
		                           "or score, each followed by asc or desc");
		return;
	}
	struct pd_dataset_query query = {
		.q = q,
		.units = f.units,
		.n_units = f.n_units,
		.tags = f.tags,
		.n_tags = f.n_tags,
		.formats = f.formats,
		.n_formats = f.n_formats,
		.sort = order,
		.offset = start,
		.limit = (int)rows,
		.with_resources = true,
	};
	struct pd_dataset_page p;
	int rc = pd_dataset_search_offset(c->r->store, &query, a, &p);
	if (rc == PD_ERR_INVALID) {
		pd_ckan_invalid(c, "q", "Not usable: too long, not UTF-8, or too many filters");
		return;
	}
	if (rc) {
		pd_ckan_internal(c);
		return;
	}
	json_t *results = json_array();
	for (int i = 0; i < p.n_items; i++)
		json_array_append_new(results, pd_ckan_package(c, &p.items[i]));
	pd_ckan_ok(c, json_pack("{s:I,s:o,s:s,s:{},s:{}}", "count", (json_int_t)p.count, "results",
	                        results, "sort", sort, "facets", "search_facets"));
}

/* --- show ----------------------------------------------------------------------------------- */

void pd_ckan_package_show(struct pd_ckan_call *c)
{
	const char *id;
	if (!pd_ckan_str_or_reply(c, "id", &id))
		return;
	if (!id && !pd_ckan_str_or_reply(c, "name_or_id", &id))
		return;
	if (!id) {
		pd_ckan_invalid(c, "id", "Missing value");
		return;
	}
	struct pd_dataset d;
	int rc = strlen(id) > 200 ? PD_ERR_NOT_FOUND : pd_dataset_get(c->r->store, id, c->r->arena, &d);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_ckan_not_found(c, "Not found");
		return;
	}
	if (rc) {
		pd_ckan_internal(c);
		return;
	}
	pd_ckan_ok(c, pd_ckan_package(c, &d));
}

void pd_ckan_resource_show(struct pd_ckan_call *c)
{
	const char *id;
	if (!pd_ckan_str_or_reply(c, "id", &id))
		return;
	if (!id) {
		pd_ckan_invalid(c, "id", "Missing value");
		return;
	}
	struct pd_resource res;
	struct pd_dataset d;
	int rc = strlen(id) > 200 ? PD_ERR_NOT_FOUND : pd_resource_get(c->r->store, id, c->r->arena, &res, &d);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_ckan_not_found(c, "Resource was not found.");
		return;
	}
	if (rc) {
		pd_ckan_internal(c);
		return;
	}
	pd_ckan_ok(c, pd_ckan_resource(c, &d, &res));
}
