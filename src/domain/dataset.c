/* The open-data model's reads: the licence and frequency lists, the catalogue's search (done in
 * memory over every dataset: sized for thousands; a dataset's tags and formats found by binary
 * search, so a search costs O(datasets log pairs)), keyset and offset pages, one dataset or
 * resource, names, tags, organisations and formats. */
#include "domain/dataset.h"
#include "domain/dataset_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/stem.h"
#include "core/str.h"
#include "store/blob_store.h"

static const struct pd_licence licences[] = {
	{"cc-by-4.0", "Creative Commons Attribution 4.0",
	 "https://creativecommons.org/licenses/by/4.0/", true},
	{"cc-by-sa-4.0", "Creative Commons Attribution Share-Alike 4.0",
	 "https://creativecommons.org/licenses/by-sa/4.0/", true},
	{"cc0-1.0", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/",
	 true},
	{"odc-odbl", "Open Data Commons Open Database License (ODbL)",
	 "https://opendatacommons.org/licenses/odbl/1-0/", true},
	{"odc-by", "Open Data Commons Attribution License",
	 "https://opendatacommons.org/licenses/by/1-0/", true},
	{"odc-pddl", "Open Data Commons Public Domain Dedication and License (PDDL)",
	 "https://opendatacommons.org/licenses/pddl/1-0/", true},
	{"other-open", "Other (Open)", "", true},
};

const struct pd_licence *pd_licence_list(size_t *n)
{
	*n = sizeof licences / sizeof licences[0];
	return licences;
}

const struct pd_licence *pd_licence_find(const char *id)
{
	for (size_t i = 0; id && i < sizeof licences / sizeof licences[0]; i++)
		if (strcmp(licences[i].id, id) == 0)
			return &licences[i];
	return NULL;
}

static const char *const freqs[] = {"daily", "weekly", "monthly", "quarterly", "annual",
                                    "irregular"};
static const char *const freq_iri[] = {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL",
                                       "IRREG"};
static const char *const freq_label[] = {N_("Harian"), N_("Mingguan"), N_("Bulanan"),
                                         N_("Triwulanan"), N_("Tahunan"), N_("Tidak tentu")};
#define N_FREQS (sizeof freqs / sizeof freqs[0])

const char *const *pd_frequency_list(size_t *n)
{
	*n = N_FREQS;
	return freqs;
}

static int freq_index(const char *name)
{
	for (size_t i = 0; name && i < N_FREQS; i++)
		if (strcmp(freqs[i], name) == 0)
			return (int)i;
	return -1;
}

bool pd_frequency_valid(const char *name)
{
	return freq_index(name) >= 0;
}

const char *pd_frequency_iri(const char *name)
{
	static const char *const full[] = {
		"http://publications.europa.eu/resource/authority/frequency/DAILY",
		"http://publications.europa.eu/resource/authority/frequency/WEEKLY",
		"http://publications.europa.eu/resource/authority/frequency/MONTHLY",
		"http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
		"http://publications.europa.eu/resource/authority/frequency/ANNUAL",
		"http://publications.europa.eu/resource/authority/frequency/IRREG"};
	(void)freq_iri;
	int i = freq_index(name);
	return i < 0 ? NULL : full[i];
}

const char *pd_frequency_label(const char *name)
{
	int i = freq_index(name);
	return i < 0 ? name : freq_label[i];
}

/* --- helpers shared with dataset_admin.c -------------------------------------------------------- */

void pd_dataset_fill(struct pd_arena *a, struct pd_dataset *d)
{
	const struct pd_licence *l = pd_licence_find(d->license_id);
	d->license_title = l ? l->title : d->license_id;
	d->license_url = l ? l->url : "";
	for (int i = 0; i < d->n_resources; i++)
		d->resources[i].url_path = pd_arena_printf(a, "/data/%s/%s/unduh", d->name,
		                                           d->resources[i].id);
}

/* --- search ------------------------------------------------------------------------------------- */

struct loaded {
	struct pd_dataset *all;
	int n;
	const char **tagp, **fmtp;
	int n_tagp, n_fmtp;
	struct pd_arena *a;
};

static int load_all_tx(struct pd_tx *tx, void *p)
{
	struct loaded *l = p;
	struct pd_arena *a = l->a;
	pd_store_dataset_all(tx, a, PD_DATASET_LIST_MAX, &l->all, &l->n);
	pd_store_dataset_tag_pairs(tx, a, PD_DATASET_LIST_MAX * 4, &l->tagp, &l->n_tagp);
	pd_store_dataset_format_pairs(tx, a, PD_DATASET_LIST_MAX * 4, &l->fmtp, &l->n_fmtp);
	return pd_tx_error(tx);
}

static int cmp_pair(const void *x, const void *y)
{
	const char *const *p = x, *const *q = y;
	int c = strcmp(p[0], q[0]);
	return c ? c : strcmp(p[1], q[1]);
}

/* Orders pairs (id, value) by id in C's byte order (the database's collation may differ), so
 * that a dataset's pairs are found by a binary search rather than a scan of all of them. */
static void sort_pairs(const char **pairs, int n)
{
	if (n > 1)
		qsort(pairs, (size_t)n, 2 * sizeof *pairs, cmp_pair);
}

/* The index of the first pair of id in pairs sorted by sort_pairs (n when none). */
static int first_pair(const char **pairs, int n, const char *id)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (strcmp(pairs[2 * mid], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct res_arg {
	struct pd_dataset *items;
	int n;
	struct pd_arena *a;
};

static int resources_tx(struct pd_tx *tx, void *p)
{
	struct res_arg *ra = p;
	for (int i = 0; i < ra->n; i++)
		pd_store_dataset_resources_of(tx, ra->items[i].id, ra->a, &ra->items[i].resources,
		                              &ra->items[i].n_resources);
	return pd_tx_error(tx);
}

/* Whether every word of stems (space separated) occurs among the words of hay. */
static bool stems_match(const char *stems, const char *hay)
{
	const char *p = stems;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool found = false;
		for (const char *h = hay; *h && !found;) {
			while (*h == ' ')
				h++;
			const char *he = strchr(h, ' ');
			size_t hn = he ? (size_t)(he - h) : strlen(h);
			found = hn == n && memcmp(h, p, n) == 0;
			h += hn;
		}
		if (!found)
			return false;
		p += n;
	}
	return true;
}

/* Whether the pairs (id, value) ordered by id hold (id, want); cmp case-insensitively when ci. */
static bool has_pair(const char **pairs, int n, const char *id, const char *want, bool ci)
{
	for (int i = first_pair(pairs, n, id); i < n && strcmp(pairs[2 * i], id) == 0; i++)
		if (ci ? pd_str_ieq(pairs[2 * i + 1], want) : strcmp(pairs[2 * i + 1], want) == 0)
			return true;
	return false;
}

static void tags_of(struct pd_arena *a, const struct loaded *l, struct pd_dataset *d)
{
	int first = first_pair(l->tagp, l->n_tagp, d->id), cnt = 0;
	while (first + cnt < l->n_tagp && strcmp(l->tagp[2 * (first + cnt)], d->id) == 0)
		cnt++;
	d->tags = pd_arena_alloc(a, sizeof *d->tags * (size_t)(cnt + 1));
	d->n_tags = cnt;
	for (int i = 0; i < cnt; i++)
		d->tags[i] = l->tagp[2 * (first + i) + 1];
}

static int cmp_ds(const void *x, const void *y, void *arg)
{
	const struct pd_dataset *a = x, *b = y;
	enum pd_dataset_sort s = *(const enum pd_dataset_sort *)arg;
	int c = 0;
	switch (s) {
	case PD_DATASET_SORT_NAME_DESC:
		return -strcmp(a->name, b->name);
	case PD_DATASET_SORT_MODIFIED_DESC:
		c = (a->modified_ms < b->modified_ms) - (a->modified_ms > b->modified_ms);
		break;
	case PD_DATASET_SORT_MODIFIED_ASC:
		c = (a->modified_ms > b->modified_ms) - (a->modified_ms < b->modified_ms);
		break;
	case PD_DATASET_SORT_TITLE_ASC:
		c = strcmp(a->title, b->title);
		break;
	case PD_DATASET_SORT_TITLE_DESC:
		c = -strcmp(a->title, b->title);
		break;
	default:
		break;
	}
	return c ? c : strcmp(a->name, b->name);
}

/* A stable insertion-merge sort with a context argument (qsort_r is not portable C17). */
static void sort_ds(struct pd_dataset *v, int n, enum pd_dataset_sort s, struct pd_arena *a)
{
	if (n < 2)
		return;
	struct pd_dataset *tmp = pd_arena_alloc(a, sizeof *v * (size_t)n);
	for (int w = 1; w < n; w *= 2) {
		for (int lo = 0; lo < n; lo += 2 * w) {
			int mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			int i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = cmp_ds(&v[j], &v[i], &s) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, sizeof *v * (size_t)n);
	}
}

static int check_query(const struct pd_dataset_query *q)
{
	if (q->limit < 0 || q->limit > PD_DATASET_PAGE_MAX || q->offset < 0)
		return PD_ERR_INVALID;
	if (q->n_units > PD_DATASET_FILTERS_MAX || q->n_tags > PD_DATASET_FILTERS_MAX ||
	    q->n_formats > PD_DATASET_FILTERS_MAX || q->n_units < 0 || q->n_tags < 0 ||
	    q->n_formats < 0)
		return PD_ERR_INVALID;
	if (q->q && (strlen(q->q) > PD_DATASET_Q_MAX || !pd_utf8_valid(q->q, strlen(q->q))))
		return PD_ERR_INVALID;
	if ((unsigned)q->sort > PD_DATASET_SORT_TITLE_DESC)
		return PD_ERR_INVALID;
	return PD_OK;
}

/* Every dataset matching q, sorted; *matched into a->, count n. */
static int matching(struct pd_store *st, const struct pd_dataset_query *q, struct pd_arena *a,
                    struct pd_dataset **out, int *n)
{
	int rc = check_query(q);
	if (rc)
		return rc;
	const char *stems = "";
	if (q->q && *q->q) {
		stems = pd_stem_text(a, q->q, PD_DATASET_Q_WORDS);
		if (!stems)
			return PD_ERR_NOMEM;
	}
	struct loaded l = {.a = a};
	rc = pd_store_read(st, load_all_tx, &l);
	if (rc)
		return rc;
	sort_pairs(l.tagp, l.n_tagp);
	sort_pairs(l.fmtp, l.n_fmtp);
	struct pd_dataset *m = pd_arena_alloc(a, sizeof *m * (size_t)(l.n + 1));
	int k = 0;
	for (int i = 0; i < l.n; i++) {
		struct pd_dataset *d = &l.all[i];
		if (*stems && !stems_match(stems, d->search_stems ? d->search_stems : ""))
			continue;
		bool ok = true;
		for (int u = 0; ok && u < q->n_units; u++)
			ok = q->units[u] && strcmp(q->units[u], d->unit.slug) == 0;
		for (int t = 0; ok && t < q->n_tags; t++)
			ok = q->tags[t] && has_pair(l.tagp, l.n_tagp, d->id, q->tags[t], false);
		for (int f = 0; ok && f < q->n_formats; f++)
			ok = q->formats[f] && has_pair(l.fmtp, l.n_fmtp, d->id, q->formats[f], true);
		if (!ok)
			continue;
		m[k] = *d;
		tags_of(a, &l, &m[k]);
		k++;
	}
	sort_ds(m, k, q->sort, a);
	*out = m;
	*n = k;
	return PD_OK;
}

static int finish_page(struct pd_store *st, const struct pd_dataset_query *q,
                       struct pd_arena *a, struct pd_dataset *m, int n, int first,
                       struct pd_dataset_page *out)
{
	memset(out, 0, sizeof *out);
	out->count = n;
	int last = first + q->limit < n ? first + q->limit : n;
	if (first > n)
		first = n;
	out->n_items = last > first ? last - first : 0;
	out->items = pd_arena_alloc(a, sizeof *out->items * (size_t)(out->n_items + 1));
	for (int i = 0; i < out->n_items; i++)
		out->items[i] = m[first + i];
	if (q->with_resources && out->n_items) {
		struct res_arg ra = {out->items, out->n_items, a};
		int rc = pd_store_read(st, resources_tx, &ra);
		if (rc)
			return rc;
	}
	for (int i = 0; i < out->n_items; i++)
		pd_dataset_fill(a, &out->items[i]);
	if (last < n && out->n_items)
		out->next_after = out->items[out->n_items - 1].name;
	return PD_OK;
}

int pd_dataset_search(struct pd_store *st, const struct pd_dataset_query *q, struct pd_arena *a,
                      struct pd_dataset_page *out)
{
	struct pd_dataset *m;
	int n;
	int rc = matching(st, q, a, &m, &n);
	if (rc)
		return rc;
	int first = 0;
	if (q->after && *q->after) {
		first = -1;
		for (int i = 0; i < n && first < 0; i++)
			if (strcmp(m[i].name, q->after) == 0)
				first = i + 1;
		if (first < 0)
			return PD_ERR_INVALID;
	}
	return finish_page(st, q, a, m, n, first, out);
}

int pd_dataset_search_offset(struct pd_store *st, const struct pd_dataset_query *q,
                             struct pd_arena *a, struct pd_dataset_page *out)
{
	struct pd_dataset *m;
	int n;
	int rc = matching(st, q, a, &m, &n);
	if (rc)
		return rc;
	int rc2 = finish_page(st, q, a, m, n, q->offset > n ? n : (int)q->offset, out);
	out->next_after = NULL;
	return rc2;
}

int pd_dataset_count(struct pd_store *st, const struct pd_dataset_query *q, int64_t *out)
{
	struct pd_arena *a = pd_arena_new();
	struct pd_dataset *m;
	int n = 0;
	int rc = matching(st, q, a, &m, &n);
	*out = n;
	pd_arena_free(a);
	return rc;
}

/* --- one dataset or resource -------------------------------------------------------------------- */

struct get_arg {
	const char *key;
	struct pd_arena *a;
	struct pd_dataset *ds;
	struct pd_resource *res;
	const char *blob_id;
	const void *bytes;
	size_t len;
	bool want_bytes;
	const char *dataset_name;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *g = p;
	enum pd_qs qs = pd_store_dataset_get(tx, g->key, g->a, g->ds);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	pd_store_dataset_tags_of(tx, g->ds->id, g->a, &g->ds->tags, &g->ds->n_tags);
	pd_store_dataset_resources_of(tx, g->ds->id, g->a, &g->ds->resources, &g->ds->n_resources);
	return pd_tx_error(tx);
}

int pd_dataset_get(struct pd_store *st, const char *id_or_name, struct pd_arena *a,
                   struct pd_dataset *out)
{
	if (!id_or_name || !*id_or_name || strlen(id_or_name) > PD_DATASET_NAME_MAX)
		return PD_ERR_NOT_FOUND;
	struct get_arg g = {.key = id_or_name, .a = a, .ds = out};
	int rc = pd_store_read(st, get_tx, &g);
	if (rc == PD_OK)
		pd_dataset_fill(a, out);
	return rc;
}

static int collect(const void *p, size_t n, void *arg)
{
	struct pd_buf *b = arg;
	return pd_buf_append(b, p, n);
}

static int res_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *g = p;
	enum pd_qs qs = pd_store_resource_get(tx, g->key, g->a, g->res);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (qs < 0)
		return pd_tx_error(tx);
	if (g->ds || g->dataset_name) {
		struct pd_dataset tmp, *d = g->ds ? g->ds : &tmp;
		if (pd_store_dataset_get(tx, g->res->dataset_id, g->a, d) != PD_QS_ONE)
			return PD_ERR_NOT_FOUND;
		if (g->dataset_name && strcmp(d->name, g->dataset_name) != 0)
			return PD_ERR_NOT_FOUND;
		if (g->ds) {
			pd_store_dataset_tags_of(tx, d->id, g->a, &d->tags, &d->n_tags);
			pd_store_dataset_resources_of(tx, d->id, g->a, &d->resources, &d->n_resources);
		}
	}
	if (g->want_bytes) {
		struct pd_buf b;
		pd_buf_init(&b, PD_RESOURCE_BYTES_MAX + 1024 * 1024);
		int rc = pd_store_blob_read(tx, g->res->blob_id, collect, &b);
		if (rc) {
			pd_buf_free(&b);
			return rc;
		}
		g->len = b.len;
		g->bytes = pd_arena_memdup(g->a, b.data ? b.data : "", b.len);
		pd_buf_free(&b);
	}
	return pd_tx_error(tx);
}

static bool uuid_like(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

int pd_resource_get(struct pd_store *st, const char *id, struct pd_arena *a,
                    struct pd_resource *res, struct pd_dataset *ds)
{
	if (!uuid_like(id))
		return PD_ERR_NOT_FOUND;
	struct get_arg g = {.key = id, .a = a, .ds = ds, .res = res};
	int rc = pd_store_read(st, res_tx, &g);
	if (rc)
		return rc;
	if (ds) {
		pd_dataset_fill(a, ds);
		for (int i = 0; i < ds->n_resources; i++)
			if (strcmp(ds->resources[i].id, res->id) == 0)
				res->url_path = ds->resources[i].url_path;
	}
	return PD_OK;
}

int pd_resource_content(struct pd_store *st, const char *dataset_name, const char *id,
                        struct pd_arena *a, struct pd_resource *res, const void **bytes,
                        size_t *len)
{
	if (!uuid_like(id) || !dataset_name)
		return PD_ERR_NOT_FOUND;
	struct get_arg g = {.key = id, .a = a, .res = res, .want_bytes = true,
	                    .dataset_name = dataset_name};
	int rc = pd_store_read(st, res_tx, &g);
	if (rc)
		return rc;
	res->url_path = pd_arena_printf(a, "/data/%s/%s/unduh", dataset_name, res->id);
	*bytes = g.bytes;
	*len = g.len;
	return PD_OK;
}

/* --- lists -------------------------------------------------------------------------------------- */

int pd_dataset_names(struct pd_store *st, int64_t offset, int limit, struct pd_arena *a,
                     const char ***names, int *n)
{
	if (offset < 0 || limit < 0)
		return PD_ERR_INVALID;
	struct pd_dataset_query q = {.limit = 0};
	struct pd_dataset *m;
	int total;
	int rc = matching(st, &q, a, &m, &total);
	if (rc)
		return rc;
	int first = offset > total ? total : (int)offset;
	int last = limit ? (first + limit < total ? first + limit : total) : total;
	*names = pd_arena_alloc(a, sizeof **names * (size_t)(last - first + 1));
	*n = 0;
	for (int i = first; i < last; i++)
		(*names)[(*n)++] = m[i].name;
	return PD_OK;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Case-insensitive ASCII substring. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < n && h[i] && (h[i] | 32) == (needle[i] | 32))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

int pd_dataset_tags(struct pd_store *st, const char *q, struct pd_arena *a,
                    struct pd_dataset_tag **out, int *n)
{
	struct loaded l = {.a = a};
	int rc = pd_store_read(st, load_all_tx, &l);
	if (rc)
		return rc;
	const char **names = pd_arena_alloc(a, sizeof *names * (size_t)(l.n_tagp + 1));
	for (int i = 0; i < l.n_tagp; i++)
		names[i] = pd_arena_strdup(a, l.tagp[2 * i + 1]);
	qsort(names, (size_t)l.n_tagp, sizeof *names, cmp_str);
	*out = pd_arena_alloc(a, sizeof **out * (size_t)(l.n_tagp + 1));
	*n = 0;
	for (int i = 0; i < l.n_tagp; i++) {
		if (q && *q && !contains_ci(names[i], q))
			continue;
		if (*n && strcmp((*out)[*n - 1].name, names[i]) == 0) {
			(*out)[*n - 1].count++;
			continue;
		}
		(*out)[*n].name = names[i];
		(*out)[*n].count = 1;
		(*n)++;
	}
	return PD_OK;
}

int pd_dataset_formats(struct pd_store *st, struct pd_arena *a, const char ***out, int *n)
{
	struct loaded l = {.a = a};
	int rc = pd_store_read(st, load_all_tx, &l);
	if (rc)
		return rc;
	const char **v = pd_arena_alloc(a, sizeof *v * (size_t)(l.n_fmtp + 1));
	for (int i = 0; i < l.n_fmtp; i++)
		v[i] = pd_arena_strdup(a, l.fmtp[2 * i + 1]);
	qsort(v, (size_t)l.n_fmtp, sizeof *v, cmp_str);
	int k = 0;
	for (int i = 0; i < l.n_fmtp; i++)
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
			v[k++] = v[i];
	*out = v;
	*n = k;
	return PD_OK;
}

struct orgs_arg {
	bool all;
	const char *key;
	struct pd_arena *a;
	struct pd_dataset_org_row *rows;
	int n;
};

static int orgs_tx(struct pd_tx *tx, void *p)
{
	struct orgs_arg *o = p;
	if (o->key) {
		o->rows = pd_arena_alloc(o->a, sizeof *o->rows);
		o->n = pd_store_dataset_org_get(tx, o->key, o->a, o->rows) == PD_QS_ONE;
	} else {
		pd_store_dataset_orgs(tx, !o->all, o->a, PD_DATASET_LIST_MAX, &o->rows, &o->n);
	}
	return pd_tx_error(tx);
}

static void org_of(const struct pd_dataset_org_row *r, struct pd_dataset_org *o)
{
	memset(o, 0, sizeof *o);
	o->unit = r->unit;
	o->created_ms = r->created_ms;
	o->n_datasets = r->n_datasets;
}

int pd_dataset_orgs(struct pd_store *st, bool all_units, struct pd_arena *a,
                    struct pd_dataset_org **out, int *n)
{
	struct orgs_arg o = {.all = all_units, .a = a};
	int rc = pd_store_read(st, orgs_tx, &o);
	if (rc)
		return rc;
	*out = pd_arena_alloc(a, sizeof **out * (size_t)(o.n + 1));
	for (int i = 0; i < o.n; i++)
		org_of(&o.rows[i], &(*out)[i]);
	*n = o.n;
	return PD_OK;
}

int pd_dataset_org_get(struct pd_store *st, const char *slug_or_id, struct pd_arena *a,
                       struct pd_dataset_org *out)
{
	if (!slug_or_id || !*slug_or_id || strlen(slug_or_id) > 100)
		return PD_ERR_NOT_FOUND;
	struct orgs_arg o = {.key = slug_or_id, .a = a};
	int rc = pd_store_read(st, orgs_tx, &o);
	if (rc)
		return rc;
	if (o.n != 1)
		return PD_ERR_NOT_FOUND;
	org_of(&o.rows[0], out);
	return PD_OK;
}
