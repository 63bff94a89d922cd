/* The DCAT-AP 3.0.1 catalogue of every dataset at /data/catalog.jsonld and /data/catalog.ttl,
 * 100 datasets a page (?page=N) as a Hydra partial collection view, with the properties the
 * official SHACL shapes require and every node typed by its class (SHACL does no inference). */
#include "api/dcat.h"

#include <string.h>

#include "api/dcat_rdf.h"
#include "api/open311_internal.h"
#include "core/calendar.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/dataset.h"
#include "domain/ckan.h"
#include "http/app.h"

#define PAGE_SIZE 100
#define DAY_MS INT64_C(86400000)
#define MAX_TRIPLES 400000
#define MAX_BYTES (64 * 1024 * 1024)

#define EU_FILE_TYPE "http://publications.europa.eu/resource/authority/file-type/"
#define EU_LANGUAGE "http://publications.europa.eu/resource/authority/language/"
#define EU_ACCESS_RIGHT "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
#define IANA_MEDIA "https://www.iana.org/assignments/media-types/"

enum fmt { FMT_JSONLD, FMT_TTL };

struct ctx {
	struct pd_req *r;
	struct pd_rdf_graph *g;
	const char *base;
	struct pd_arena *a;
};

/* xsd:dateTime in UTC: "2026-11-27T10:11:12Z" (milliseconds when there are any). */
static struct pd_rdf_term when(struct ctx *c, int64_t ms)
{
	int64_t day = ms / DAY_MS, rest = ms % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	const char *s = pd_arena_printf(c->a, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
	                                (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                                (int)(rest / 1000 % 60));
	if (rest % 1000)
		s = pd_arena_printf(c->a, "%s.%03d", s, (int)(rest % 1000));
	return pd_rdf_typed(pd_arena_printf(c->a, "%sZ", s), "xsd:dateTime");
}

/* The EU file-type authority's code for a format, or NULL when it has none we know. */
static const char *file_type(const char *format)
{
	static const char *const known[] = {"CSV", "JSON", "PDF", "XLSX", "XLS", "XML", "ZIP",
	                                    "TXT", "ODS", "GEOJSON", "HTML", "DOCX", "ODT", "RDF",
	                                    "TSV", "PNG", "JPEG", "SHP", "KML"};
	for (size_t i = 0; format && i < sizeof known / sizeof known[0]; i++)
		if (strcmp(format, known[i]) == 0)
			return known[i];
	return NULL;
}

/* A media type's IANA IRI ("text/csv; charset=utf-8" → …/media-types/text/csv), or NULL. */
static const char *media_iri(struct ctx *c, const char *mt)
{
	if (!mt)
		return NULL;
	size_t n = strcspn(mt, "; ");
	const char *slash = memchr(mt, '/', n);
	if (n == 0 || !slash || slash == mt || (size_t)(slash - mt) + 1 == n)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!((mt[i] >= 'a' && mt[i] <= 'z') || (mt[i] >= 'A' && mt[i] <= 'Z') ||
		      (mt[i] >= '0' && mt[i] <= '9') || strchr("/.+-_", mt[i])))
			return NULL;
	return pd_arena_printf(c->a, "%s%.*s", IANA_MEDIA, (int)n, mt);
}

/* The agent for a unit: <base/unit/{slug}> a foaf:Agent; foaf:name. */
static struct pd_rdf_term agent(struct ctx *c, const char *slug, const char *name)
{
	struct pd_rdf_term t = pd_rdf_iri(pd_arena_printf(c->a, "%s/unit/%s", c->base, slug));
	pd_rdf_add(c->g, t, "rdf:type", pd_rdf_curie("foaf:Agent"));
	pd_rdf_add(c->g, t, "foaf:name", pd_rdf_lit(name && *name ? name : slug, "id"));
	return t;
}

/* The licence as a dct:LicenseDocument: its IRI, or a blank node with its title. */
static struct pd_rdf_term licence(struct ctx *c, const struct pd_dataset *d)
{
	const struct pd_licence *l = d->license_id ? pd_licence_find(d->license_id) : NULL;
	const char *url = d->license_url && *d->license_url ? d->license_url : l && l->url && *l->url ? l->url : NULL;
	const char *title = d->license_title ? d->license_title : l ? l->title : d->license_id;
	struct pd_rdf_term t = url ? pd_rdf_iri(url) : pd_rdf_bnode(c->g);
	pd_rdf_add(c->g, t, "rdf:type", pd_rdf_curie("dct:LicenseDocument"));
	if (title && *title)
		pd_rdf_add(c->g, t, "rdfs:label", pd_rdf_lit(title, NULL));
	if (d->license_id && *d->license_id)
		pd_rdf_add(c->g, t, "dct:identifier", pd_rdf_lit(d->license_id, NULL));
	return t;
}

static void distribution(struct ctx *c, const struct pd_resource *res, struct pd_rdf_term dist,
                         const char *landing, const struct pd_rdf_term *lic)
{
	struct pd_rdf_graph *g = c->g;
	pd_rdf_add(g, dist, "rdf:type", pd_rdf_curie("dcat:Distribution"));
	pd_rdf_add(g, dist, "dcat:accessURL", pd_rdf_iri(landing));
	if (res->url_path)
		pd_rdf_add(g, dist, "dcat:downloadURL",
		           pd_rdf_iri(pd_arena_printf(c->a, "%s%s", c->base, res->url_path)));
	pd_rdf_add(g, dist, "dct:identifier", pd_rdf_lit(res->id, NULL));
	if (res->name && *res->name)
		pd_rdf_add(g, dist, "dct:title", pd_rdf_lit(res->name, "id"));
	if (res->description && *res->description)
		pd_rdf_add(g, dist, "dct:description", pd_rdf_lit(res->description, "id"));
	const char *ft = file_type(res->format);
	const char *ft_iri = ft ? pd_arena_printf(c->a, "%s%s", EU_FILE_TYPE, ft) : NULL;
	if (ft_iri)
		pd_rdf_add(g, dist, "dct:format", pd_rdf_iri(ft_iri));
	const char *mt = media_iri(c, res->media_type);
	if (mt)
		pd_rdf_add(g, dist, "dcat:mediaType", pd_rdf_iri(mt));
	if (res->size >= 0)
		pd_rdf_add(g, dist, "dcat:byteSize",
		           pd_rdf_typed(pd_arena_printf(c->a, "%lld", (long long)res->size), "xsd:nonNegativeInteger"));
	pd_rdf_add(g, dist, "dct:issued", when(c, res->created_ms));
	int64_t modified = res->generated_ms > res->modified_ms ? res->generated_ms : res->modified_ms;
	pd_rdf_add(g, dist, "dct:modified", when(c, modified));
	if (lic)
		pd_rdf_add(g, dist, "dct:license", *lic);
	/* the nodes it points at, typed by the classes the shapes name */
	if (ft_iri)
		pd_rdf_add(g, pd_rdf_iri(ft_iri), "rdf:type", pd_rdf_curie("dct:MediaTypeOrExtent"));
	if (mt)
		pd_rdf_add(g, pd_rdf_iri(mt), "rdf:type", pd_rdf_curie("dct:MediaType"));
}

static void dataset(struct ctx *c, const struct pd_dataset *d)
{
	struct pd_rdf_graph *g = c->g;
	/* the dataset (…#dataset) is not its landing page (the HTML page /data/{name}) */
	const char *landing = pd_arena_printf(c->a, "%s/data/%s", c->base, d->name);
	struct pd_rdf_term ds = pd_rdf_iri(pd_arena_printf(c->a, "%s#dataset", landing));
	pd_rdf_add(g, ds, "rdf:type", pd_rdf_curie("dcat:Dataset"));
	pd_rdf_add(g, ds, "dct:title", pd_rdf_lit(d->title, "id"));
	/* DCAT-AP: the description is mandatory; a dataset without notes is described by its title */
	pd_rdf_add(g, ds, "dct:description", pd_rdf_lit(d->notes && *d->notes ? d->notes : d->title, "id"));
	pd_rdf_add(g, ds, "dct:identifier", pd_rdf_lit(d->id, NULL));
	for (int i = 0; i < d->n_tags; i++)
		pd_rdf_add(g, ds, "dcat:keyword", pd_rdf_lit(d->tags[i], "id"));
	struct pd_rdf_term pub = pd_rdf_iri(pd_arena_printf(c->a, "%s/unit/%s", c->base, d->unit.slug));
	pd_rdf_add(g, ds, "dct:publisher", pub);
	pd_rdf_add(g, ds, "dct:issued", when(c, d->created_ms));
	pd_rdf_add(g, ds, "dct:modified", when(c, d->modified_ms));
	const char *freq = d->frequency ? pd_frequency_iri(d->frequency) : NULL;
	if (freq)
		pd_rdf_add(g, ds, "dct:accrualPeriodicity", pd_rdf_iri(freq));
	pd_rdf_add(g, ds, "dct:accessRights", pd_rdf_iri(EU_ACCESS_RIGHT));
	pd_rdf_add(g, ds, "dct:language", pd_rdf_iri(EU_LANGUAGE "IND"));
	pd_rdf_add(g, ds, "dcat:landingPage", pd_rdf_iri(landing));
	const char **dist_iris = pd_arena_alloc(c->a, ((size_t)d->n_resources + 1) * sizeof *dist_iris);
	for (int i = 0; i < d->n_resources; i++) {
		dist_iris[i] = pd_arena_printf(c->a, "%s#%s", landing, d->resources[i].id);
		pd_rdf_add(g, ds, "dcat:distribution", pd_rdf_iri(dist_iris[i]));
	}
	/* the nodes the dataset points at, each typed by the class the shapes expect */
	agent(c, d->unit.slug, d->unit.name);
	if (freq)
		pd_rdf_add(g, pd_rdf_iri(freq), "rdf:type", pd_rdf_curie("dct:Frequency"));
	pd_rdf_add(g, pd_rdf_iri(EU_ACCESS_RIGHT), "rdf:type", pd_rdf_curie("dct:RightsStatement"));
	pd_rdf_add(g, pd_rdf_iri(EU_LANGUAGE "IND"), "rdf:type", pd_rdf_curie("dct:LinguisticSystem"));
	pd_rdf_add(g, pd_rdf_iri(landing), "rdf:type", pd_rdf_curie("foaf:Document"));
	struct pd_rdf_term lic;
	bool has_lic = d->license_id && *d->license_id;
	if (has_lic)
		lic = licence(c, d);
	for (int i = 0; i < d->n_resources; i++)
		distribution(c, &d->resources[i], pd_rdf_iri(dist_iris[i]), landing, has_lic ? &lic : NULL);
}

static void catalogue(struct pd_req *r, enum fmt fmt)
{
	const char *ext = fmt == FMT_JSONLD ? "jsonld" : "ttl";
	int64_t page = 1;
	const char *ps = pd_req_query(r, "page");
	if (ps && pd_parse_i64(ps, 1, 1000000, &page)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter page harus bilangan bulat mulai dari 1."));
		return;
	}
	struct pd_rdf_graph g;
	pd_rdf_init(&g, r->arena, MAX_TRIPLES);
	struct pd_buf b;
	pd_buf_init(&b, MAX_BYTES);
	struct ctx c = {r, &g, pd_o311_base(r), r->arena};

	struct pd_dataset_query q = {.sort = PD_DATASET_SORT_NAME_ASC, .offset = (page - 1) * PAGE_SIZE,
	                             .limit = PAGE_SIZE, .with_resources = true};
	struct pd_dataset_page p;
	struct pd_dataset_unit top;
	int rc = pd_dataset_search_offset(r->store, &q, r->arena, &p);
	if (rc == PD_OK)
		rc = pd_opendata_publisher(r->store, r->arena, &top);
	if (rc) {
		pd_log(PD_LOG_ERROR, "dcat_read", "rid=%s err=\"%s\"", r->request_id, pd_strerror(rc));
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		goto out;
	}
	int64_t last = p.count > 0 ? (p.count + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	if (page > last) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		goto out;
	}

	const char *home = pd_arena_printf(r->arena, "%s/data", c.base);
	const char *cat_iri = pd_arena_printf(r->arena, "%s#catalog", home);
	const char *page_iri = pd_arena_printf(r->arena, "%s/data/catalog.%s?page=%lld", c.base, ext, (long long)page);
	struct pd_rdf_term cat = pd_rdf_iri(cat_iri);
	const char *site = r->app->site_name ? r->app->site_name : "Pendopo";
	pd_rdf_add(&g, cat, "rdf:type", pd_rdf_curie("dcat:Catalog"));
	pd_rdf_add(&g, cat, "rdf:type", pd_rdf_curie("hydra:Collection"));
	pd_rdf_add(&g, cat, "dct:title", pd_rdf_lit(pd_arena_printf(r->arena, "Data Terbuka %s", site), "id"));
	pd_rdf_add(&g, cat, "dct:title", pd_rdf_lit(pd_arena_printf(r->arena, "Open Data of %s", site), "en"));
	pd_rdf_add(&g, cat, "dct:description",
	           pd_rdf_lit("Katalog data terbuka yang diterbitkan unit-unit pemerintah daerah, termasuk "
	                      "angka kinerja layanan yang dihasilkan platform sendiri.", "id"));
	pd_rdf_add(&g, cat, "dct:description",
	           pd_rdf_lit("Catalogue of the open data published by the government's units, including "
	                      "the service performance figures the platform generates itself.", "en"));
	pd_rdf_add(&g, cat, "dct:publisher",
	           pd_rdf_iri(pd_arena_printf(r->arena, "%s/unit/%s", c.base, top.slug)));
	pd_rdf_add(&g, cat, "dct:language", pd_rdf_iri(EU_LANGUAGE "IND"));
	pd_rdf_add(&g, cat, "foaf:homepage", pd_rdf_iri(home));
	for (int i = 0; i < p.n_items; i++)
		pd_rdf_add(&g, cat, "dcat:dataset",
		           pd_rdf_iri(pd_arena_printf(r->arena, "%s/data/%s#dataset", c.base, p.items[i].name)));
	pd_rdf_add(&g, cat, "hydra:totalItems",
	           pd_rdf_typed(pd_arena_printf(r->arena, "%lld", (long long)p.count), "xsd:nonNegativeInteger"));
	pd_rdf_add(&g, cat, "hydra:view", pd_rdf_iri(page_iri));

	struct pd_rdf_term view = pd_rdf_iri(page_iri);
	const char *fmt_iri = pd_arena_printf(r->arena, "%s/data/catalog.%s?page=", c.base, ext);
	pd_rdf_add(&g, view, "rdf:type", pd_rdf_curie("hydra:PartialCollectionView"));
	pd_rdf_add(&g, view, "hydra:first", pd_rdf_iri(pd_arena_printf(r->arena, "%s1", fmt_iri)));
	pd_rdf_add(&g, view, "hydra:last", pd_rdf_iri(pd_arena_printf(r->arena, "%s%lld", fmt_iri, (long long)last)));
	if (page > 1)
		pd_rdf_add(&g, view, "hydra:previous",
		           pd_rdf_iri(pd_arena_printf(r->arena, "%s%lld", fmt_iri, (long long)page - 1)));
	if (page < last)
		pd_rdf_add(&g, view, "hydra:next",
		           pd_rdf_iri(pd_arena_printf(r->arena, "%s%lld", fmt_iri, (long long)page + 1)));

	agent(&c, top.slug, top.name);
	pd_rdf_add(&g, pd_rdf_iri(EU_LANGUAGE "IND"), "rdf:type", pd_rdf_curie("dct:LinguisticSystem"));
	pd_rdf_add(&g, pd_rdf_iri(home), "rdf:type", pd_rdf_curie("foaf:Document"));
	for (int i = 0; i < p.n_items; i++)
		dataset(&c, &p.items[i]);
	if (g.dropped) {
		pd_log(PD_LOG_ERROR, "dcat_too_large", "rid=%s dropped=%zu", r->request_id, g.dropped);
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		goto out;
	}
	rc = fmt == FMT_JSONLD ? pd_rdf_jsonld(&g, &b) : pd_rdf_turtle(&g, &b);
	if (rc) {
		pd_log(PD_LOG_ERROR, "dcat_write", "rid=%s err=\"%s\"", r->request_id, pd_strerror(rc));
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		goto out;
	}
	pd_reply_header(r, "Cache-Control", "public, max-age=300");
	pd_reply_bytes(r, 200, fmt == FMT_JSONLD ? "application/ld+json; charset=utf-8" : "text/turtle; charset=utf-8",
	               b.data ? b.data : "", b.len);
out:
	pd_rdf_free(&g);
	pd_buf_free(&b);
}

void pd_api_dcat_jsonld(struct pd_req *r)
{
	catalogue(r, FMT_JSONLD);
}

void pd_api_dcat_ttl(struct pd_req *r)
{
	catalogue(r, FMT_TTL);
}
