/* The public open-data pages: the catalogue at /data with search, filters and keyset pages,
 * one dataset at /data/{name} with its resources and a CSV preview, and the downloads. */
#include "web/data.h"

#include <string.h>
#include <time.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/dataset.h"
#include "http/app.h"
#include "web/account_internal.h"

#define PER_PAGE 20

static const char *iso_date(struct pd_req *r, int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	char b[40];
	strftime(b, sizeof b, "%Y-%m-%d %H:%M UTC", &tm);
	return pd_arena_strdup(r->arena, b);
}

static const char *size_text(struct pd_req *r, int64_t n)
{
	if (n < 1024)
		return pd_arena_printf(r->arena, "%lld B", (long long)n);
	if (n < 1024 * 1024)
		return pd_arena_printf(r->arena, "%lld KB", (long long)((n + 1023) / 1024));
	return pd_arena_printf(r->arena, "%lld.%lld MB", (long long)(n / (1024 * 1024)),
	                       (long long)(n % (1024 * 1024) * 10 / (1024 * 1024)));
}

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *tags_json(const struct pd_dataset *d)
{
	json_t *t = json_array();
	for (int i = 0; i < d->n_tags; i++)
		json_array_append_new(t, json_string(d->tags[i]));
	return t;
}

void pd_web_data(struct pd_req *r)
{
	const char *q = pd_req_query(r, "q"), *unit = pd_req_query(r, "unit"),
	           *tag = pd_req_query(r, "tag"), *format = pd_req_query(r, "format");
	struct pd_dataset_query dq = {.q = q, .limit = PER_PAGE,
	                              .after = pd_req_query(r, "setelah"), .with_resources = true};
	if (unit && *unit) {
		dq.units = &unit;
		dq.n_units = 1;
	}
	if (tag && *tag) {
		dq.tags = &tag;
		dq.n_tags = 1;
	}
	if (format && *format) {
		dq.formats = &format;
		dq.n_formats = 1;
	}
	struct pd_dataset_page p;
	int rc = pd_dataset_search(r->store, &dq, r->arena, &p);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Pencarian atau parameter halaman tidak sah."));
		return;
	}
	struct pd_dataset_org *orgs;
	int n_orgs = 0;
	struct pd_dataset_tag *tags;
	int n_tags = 0;
	const char **fmts;
	int n_fmts = 0;
	rc = rc ? rc : pd_dataset_orgs(r->store, false, r->arena, &orgs, &n_orgs);
	rc = rc ? rc : pd_dataset_tags(r->store, NULL, r->arena, &tags, &n_tags);
	rc = rc ? rc : pd_dataset_formats(r->store, r->arena, &fmts, &n_fmts);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < p.n_items; i++) {
		const struct pd_dataset *d = &p.items[i];
		json_t *f = json_array();
		for (int k = 0; k < d->n_resources; k++) {
			bool seen = false;
			for (int m = 0; m < k; m++)
				seen = seen || strcmp(d->resources[m].format, d->resources[k].format) == 0;
			if (!seen)
				json_array_append_new(f, json_string(d->resources[k].format));
		}
		json_array_append_new(items, json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b,s:s}", "name",
		                                       d->name, "title", d->title, "notes", d->notes,
		                                       "unit_slug", d->unit.slug, "unit_name",
		                                       d->unit.name, "tags", tags_json(d), "formats", f,
		                                       "generated", d->generated, "modified",
		                                       iso_date(r, d->modified_ms)));
	}
	json_t *ju = json_array(), *jt = json_array(), *jf = json_array();
	for (int i = 0; i < n_orgs; i++)
		json_array_append_new(ju, json_pack("{s:s,s:s,s:I,s:b}", "slug", orgs[i].unit.slug,
		                                    "name", orgs[i].unit.name, "count",
		                                    (json_int_t)orgs[i].n_datasets, "selected",
		                                    unit && strcmp(unit, orgs[i].unit.slug) == 0));
	for (int i = 0; i < n_tags; i++)
		json_array_append_new(jt, json_pack("{s:s,s:I,s:b}", "name", tags[i].name, "count",
		                                    (json_int_t)tags[i].count, "selected",
		                                    tag && strcmp(tag, tags[i].name) == 0));
	for (int i = 0; i < n_fmts; i++)
		json_array_append_new(jf, json_pack("{s:s,s:b}", "name", fmts[i], "selected",
		                                    format && strcmp(format, fmts[i]) == 0));
	json_t *ctx = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:b}", "items", items, "q",
	                        str(q), "unit", str(unit), "tag", str(tag), "format", str(format),
	                        "units", ju, "tags", jt, "formats", jf, "count",
	                        (json_int_t)p.count, "filtered",
	                        (q && *q) || (unit && *unit) || (tag && *tag) || (format && *format));
	if (p.next_after)
		json_object_set_new(ctx, "next_after", json_string(p.next_after));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "data", 1));
	pd_reply_page(r, 200, "data/index", N_("Data terbuka"), ctx);
}

void pd_web_data_dataset(struct pd_req *r)
{
	struct pd_dataset d;
	int rc = pd_dataset_get(r->store, r->params[0], r->arena, &d);
	if (rc == PD_OK && strcmp(d.name, r->params[0]) != 0) {
		/* reached by id: the page lives at its name */
		pd_reply_redirect(r, 301, pd_arena_printf(r->arena, "/data/%s", d.name));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *res = json_array();
	const struct pd_resource *csv = NULL;
	for (int i = 0; i < d.n_resources; i++) {
		const struct pd_resource *x = &d.resources[i];
		if (!csv && strcmp(x->format, "CSV") == 0 && x->size <= PD_RESOURCE_BYTES_MAX)
			csv = x;
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", x->id, "name", x->name,
		                      "description", x->description, "format", x->format, "media_type",
		                      x->media_type, "size", size_text(r, x->size), "url", x->url_path,
		                      "modified", iso_date(r, x->modified_ms));
		if (x->generated_ms)
			json_object_set_new(o, "generated", json_string(iso_date(r, x->generated_ms)));
		json_array_append_new(res, o);
	}
	const char *freq = pd_frequency_label(d.frequency);
	json_t *ctx = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:s,s:b,s:I}",
	                        "id", d.id, "name", d.name, "title", d.title, "notes", d.notes,
	                        "unit_slug", d.unit.slug, "unit_name", d.unit.name, "license_title",
	                        d.license_title, "license_url", d.license_url, "frequency",
	                        pd_req_t(r, freq), "tags", tags_json(&d), "resources", res,
	                        "created", iso_date(r, d.created_ms), "modified",
	                        iso_date(r, d.modified_ms), "generated", d.generated, "version",
	                        (json_int_t)d.version);
	if (csv) {
		struct pd_resource meta;
		const void *bytes;
		size_t len;
		struct pd_csv_preview pv;
		if (pd_resource_content(r->store, d.name, csv->id, r->arena, &meta, &bytes, &len) ==
		        PD_OK &&
		    pd_csv_preview(bytes, len, PD_CSV_PREVIEW_ROWS, PD_CSV_PREVIEW_COLS, r->arena, &pv) ==
		        PD_OK &&
		    pv.n_header > 0) {
			json_t *h = json_array(), *rows = json_array();
			for (int c = 0; c < pv.n_header; c++)
				json_array_append_new(h, json_string(pv.header[c]));
			for (int i = 0; i < pv.n_rows; i++) {
				json_t *row = json_array();
				for (int c = 0; c < pv.n_cols[i]; c++)
					json_array_append_new(row, json_string(pv.rows[i][c]));
				json_array_append_new(rows, json_pack("{s:o}", "cells", row));
			}
			json_object_set_new(ctx, "preview",
			                    json_pack("{s:s,s:o,s:o,s:b,s:i}", "name", csv->name, "header",
			                              h, "rows", rows, "more", pv.more_rows, "n",
			                              PD_CSV_PREVIEW_ROWS));
		}
	}
	pd_reply_page_titled(r, 200, "data/dataset", d.title, ctx);
}

void pd_web_data_download(struct pd_req *r)
{
	struct pd_resource res;
	const void *bytes;
	size_t len;
	int rc = pd_resource_content(r->store, r->params[0], r->params[1], r->arena, &res, &bytes,
	                             &len);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	const char *etag = pd_arena_printf(r->arena, "\"%s\"", res.sha256);
	pd_reply_header(r, "ETag", etag);
	pd_reply_header(r, "Cache-Control", "public, max-age=300");
	const char *inm = pd_req_header(r, "If-None-Match");
	if (inm && (strcmp(inm, etag) == 0 || strstr(inm, res.sha256))) {
		pd_reply_bytes(r, 304, res.media_type, "", 0);
		return;
	}
	const char *ext = res.format;
	char lower[PD_RESOURCE_FORMAT_MAX + 1];
	size_t i = 0;
	for (; ext[i] && i < PD_RESOURCE_FORMAT_MAX; i++)
		lower[i] = (char)(ext[i] >= 'A' && ext[i] <= 'Z' ? ext[i] + 32 : ext[i]);
	lower[i] = '\0';
	/* A file an administrator uploaded never runs in our origin: saved, not shown, and
	 * sandboxed should a browser show it anyway (nosniff is on every reply). */
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"%s-%.8s.%s\"", r->params[0],
	                                res.id, lower));
	pd_reply_header(r, "Content-Security-Policy", "sandbox");
	pd_reply_header(r, "Cross-Origin-Resource-Policy", "cross-origin");
	pd_reply_bytes(r, 200, res.media_type, bytes, len);
}
