/* Statements and row mapping for open data: datasets, their tags and resources (contents in
 * blob_store), and the clear columns the generated datasets are computed from. */
#ifndef PD_STORE_DATASET_STORE_H
#define PD_STORE_DATASET_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

struct pd_dataset_unit {
	const char *id, *slug, *name;
	const char *kind;           /* "agency", "district", "village", … */
	const char *path;           /* materialised path (for access checks) */
};

struct pd_resource {
	const char *id;             /* UUID */
	const char *dataset_id;
	const char *name, *description;
	const char *format;         /* upper case: "CSV", "JSON", "PDF", "XLSX", … */
	const char *media_type;     /* "text/csv; charset=utf-8", "application/json", … */
	int64_t size;               /* bytes */
	const char *sha256;         /* hex digest of the content (the ETag) */
	const char *url_path;       /* "/data/{dataset name}/{resource id}/unduh" (filled by domain) */
	int64_t created_ms, modified_ms;
	int64_t generated_ms;       /* when a generated resource was made; 0 for uploads */
	int position;               /* order within its dataset (ascending; gaps allowed) */
	const char *blob_id;        /* internal: where the bytes are */
	const char *gen_key;        /* internal: "csv"/"json" of a generated resource, else NULL */
};

struct pd_dataset {
	const char *id;             /* UUID */
	const char *name;           /* slug */
	const char *title, *notes;  /* notes: the description (plain text) */
	struct pd_dataset_unit unit;
	const char **tags;          /* sorted, unique */
	int n_tags;
	const char *license_id;     /* one of pd_licence_list */
	const char *license_title, *license_url;  /* from the list (never stored; filled by domain) */
	const char *frequency;      /* one of pd_frequency_list */
	int64_t created_ms, modified_ms;  /* modified: the dataset or any resource changed */
	int64_t version;            /* optimistic version, 1 on creation */
	bool generated;             /* made by the platform (pd_opendata_generate) */
	struct pd_resource *resources;  /* by position; NULL / 0 when not asked for */
	int n_resources;
	const char *search_stems;   /* internal */
	const char *gen_key;        /* internal: which generated dataset, else NULL */
};

/* Every dataset (without tags and resources), name ascending, at most max. */
enum pd_qs pd_store_dataset_all(struct pd_tx *tx, struct pd_arena *a, int max,
                                struct pd_dataset **out, int *n);

/* Every (dataset id, tag) pair ordered by dataset id, tag; and every distinct (dataset id,
 * upper-case format) pair of resources. Arrays of 2*n strings. */
enum pd_qs pd_store_dataset_tag_pairs(struct pd_tx *tx, struct pd_arena *a, int max,
                                      const char ***pairs, int *n);
enum pd_qs pd_store_dataset_format_pairs(struct pd_tx *tx, struct pd_arena *a, int max,
                                         const char ***pairs, int *n);

/* One dataset by id or name, or by gen_key (no tags or resources). */
enum pd_qs pd_store_dataset_get(struct pd_tx *tx, const char *id_or_name, struct pd_arena *a,
                                struct pd_dataset *out);
enum pd_qs pd_store_dataset_by_gen(struct pd_tx *tx, const char *gen_key, struct pd_arena *a,
                                   struct pd_dataset *out);

/* Tags of a dataset (sorted) and its resources (by position). */
enum pd_qs pd_store_dataset_tags_of(struct pd_tx *tx, const char *dataset_id,
                                    struct pd_arena *a, const char ***tags, int *n);
enum pd_qs pd_store_dataset_resources_of(struct pd_tx *tx, const char *dataset_id,
                                         struct pd_arena *a, struct pd_resource **out, int *n);

/* One resource by id. */
enum pd_qs pd_store_resource_get(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                 struct pd_resource *out);

/* Writes. Insert and update take every stored field of d (update by d->id, expecting
 * d->version - 1; PD_QS_NONE when stale). A taken name fails tx (PD_ERR_CONFLICT). */
enum pd_qs pd_store_dataset_insert(struct pd_tx *tx, const struct pd_dataset *d);
enum pd_qs pd_store_dataset_update(struct pd_tx *tx, const struct pd_dataset *d);
/* Replaces the tags of dataset_id. */
enum pd_qs pd_store_dataset_set_tags(struct pd_tx *tx, const char *dataset_id,
                                     const char *const *tags, int n);
/* modified_ms = now, version + 1. */
enum pd_qs pd_store_dataset_touch(struct pd_tx *tx, const char *dataset_id, int64_t now_ms);

/* The next free position of dataset_id's resources. */
enum pd_qs pd_store_resource_next_position(struct pd_tx *tx, const char *dataset_id, int *out);
enum pd_qs pd_store_resource_insert(struct pd_tx *tx, const struct pd_resource *r);
/* Updates the content fields (media_type, size, sha256, blob_id, modified_ms, generated_ms). */
enum pd_qs pd_store_resource_update_content(struct pd_tx *tx, const struct pd_resource *r);
enum pd_qs pd_store_resource_delete(struct pd_tx *tx, const char *id);

/* Units with their dataset counts, slug ascending (only_with: only units owning one). */
struct pd_dataset_org_row {
	struct pd_dataset_unit unit;
	int64_t created_ms, n_datasets;
};
enum pd_qs pd_store_dataset_orgs(struct pd_tx *tx, bool only_with, struct pd_arena *a, int max,
                                 struct pd_dataset_org_row **out, int *n);
enum pd_qs pd_store_dataset_org_get(struct pd_tx *tx, const char *slug_or_id,
                                    struct pd_arena *a, struct pd_dataset_org_row *out);

/* The top unit of the installation (a root with the most descendants: the first root by
 * path), for generated datasets. */
enum pd_qs pd_store_dataset_top_unit(struct pd_tx *tx, struct pd_arena *a,
                                     struct pd_dataset_unit *out);

/* --- the clear columns generated datasets are computed from (no personal data) ------------- */

/* Submitted applications counted per (local day submitted, service, unit), day ascending:
 * service slug and name, unit slug and name, the day (days since 1970-01-01 after adding tz_ms,
 * the time-zone offset in ms), how many, how many decided (approved or rejected) and how many
 * of those decided by their due time. Calls fn per row; stops on non-zero. */
struct pd_od_app_row {
	const char *service_slug, *service_name, *unit_slug, *unit_name;
	int32_t day;
	int64_t n, decided, on_time;
};
int pd_store_opendata_apps(struct pd_tx *tx, int64_t tz_ms,
                           int (*fn)(const struct pd_od_app_row *, void *), void *arg);

/* Complaints (every one but merged) counted per (local day filed with tz_ms, day filed and day
 * answered with cal_tz_ms, category, village), month day ascending: category code and name,
 * the village (place unit) slug and name ("" when none), the days (answered: -1 when not) and
 * how many. */
struct pd_od_complaint_row {
	const char *category_code, *category_name, *village_slug, *village_name;
	int32_t day, created_day, answered_day;
	int64_t n;
};
int pd_store_opendata_complaints(struct pd_tx *tx, int64_t tz_ms, int64_t cal_tz_ms,
                                 int (*fn)(const struct pd_od_complaint_row *, void *),
                                 void *arg);

/* Survey tallies summed per (year, quarter, unit), unit slug ascending. */
struct pd_od_survey_row {
	int year, quarter;
	const char *unit_slug, *unit_name;
	int64_t n, sum[9];
};
int pd_store_opendata_survey(struct pd_tx *tx, int (*fn)(const struct pd_od_survey_row *, void *),
                             void *arg);

#endif
