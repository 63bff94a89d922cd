/* The open-data model: datasets owned by units, their resources (uploaded or generated files),
 * the fixed licence and frequency lists, public reads for /data and the CKAN API, and the
 * administrators' writes. */
#ifndef PD_DOMAIN_DATASET_H
#define PD_DOMAIN_DATASET_H

/* Rules (tested in tests/unit/test_dataset.c and tests/http/test_data*.py).
 * - Every dataset is public (there are no private or draft datasets); ids are UUIDs, names are
 *   slugs ([a-z0-9-], 2..PD_DATASET_NAME_MAX, not starting or ending with '-'), unique.
 * - A dataset belongs to one unit (its "organization"); administrators with PD_ACT_CONFIGURE on
 *   that unit's subtree create and edit it and its resources. Every write has an audit entry in
 *   the same transaction ("dataset.create", "dataset.update", "dataset.resource_add",
 *   "dataset.resource_delete", "dataset.generate").
 * - Resource contents are public and stored plainly in the database (chunked
 *   blobs, store/blob_store.h; rows in migration 0019), never sealed: they are open data. The ETag of a
 *   resource is its SHA-256 (hex, quoted by the web layer).
 * - Search: the words of q are stemmed with core/stem.h exactly like the service catalogue
 *   (/layanan); a dataset matches when every stem occurs among the stems of its title, notes
 *   and tags. Filters AND together: the unit slug (that unit only, not its subtree, as CKAN's
 *   organization:), each tag, each resource format (case-insensitive, "csv" = "CSV").
 * - Generated datasets (generated = true) are written only by pd_opendata_generate (job
 *   "opendata" every 6 hours, and once when the demo is created); administrators cannot edit
 *   them or their resources (PD_ERR_FORBIDDEN). Each generated resource has generated_ms set,
 *   its CSV a last column "dibuat" (the same time, ISO 8601 UTC) and its JSON a key "dibuat".
 * - The catalogue is filtered and sorted in memory over every dataset (one read of datasets,
 *   tags and formats): sized for thousands of datasets (PD_DATASET_LIST_MAX). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/dataset_store.h"
#include "store/store.h"

#define PD_DATASET_NAME_MAX 100        /* bytes of a name (slug) */
#define PD_DATASET_TITLE_MAX 200       /* bytes of a title */
#define PD_DATASET_NOTES_MAX 10000     /* bytes of a description */
#define PD_DATASET_TAG_MAX 50          /* bytes of one tag */
#define PD_DATASET_TAGS_MAX 20         /* tags of one dataset */
#define PD_DATASET_Q_MAX 200           /* bytes of a search query */
#define PD_DATASET_Q_WORDS 8           /* words of a query kept */
#define PD_DATASET_FILTERS_MAX 10      /* tags (and formats, units) of one query */
#define PD_DATASET_PAGE_MAX 1000       /* largest limit (CKAN's rows) */
#define PD_DATASET_RESOURCES_MAX 50    /* resources of one dataset */
#define PD_RESOURCE_NAME_MAX 200
#define PD_RESOURCE_DESC_MAX 2000
#define PD_RESOURCE_FORMAT_MAX 20
#define PD_RESOURCE_BYTES_MAX (8 * 1024 * 1024)  /* largest uploaded resource */
#define PD_DATASET_LIST_MAX 100000     /* most names/tags/units any list call returns */

/* --- fixed lists ------------------------------------------------------------------------------ */

struct pd_licence {
	const char *id;         /* CKAN / opendefinition id, e.g. "cc-by-4.0" */
	const char *title;      /* e.g. "Creative Commons Attribution 4.0" */
	const char *url;        /* the licence's canonical URL ("" for other-open) */
	bool od_conformant;     /* open by the Open Definition */
};

/* The licences a dataset may carry, in display order (cc-by-4.0, cc-by-sa-4.0, cc0-1.0,
 * odc-odbl, odc-by, odc-pddl, other-open): a static array; *n receives its length. */
const struct pd_licence *pd_licence_list(size_t *n);

/* The licence with this id, or NULL. */
const struct pd_licence *pd_licence_find(const char *id);

/* Update frequencies by their names in the EU frequency vocabulary's terms: "daily", "weekly",
 * "monthly", "quarterly", "annual", "irregular" (static array, *n its length). */
const char *const *pd_frequency_list(size_t *n);

/* True for one of the names above. */
bool pd_frequency_valid(const char *name);

/* The IRI of a frequency name in the EU vocabulary
 * ("http://publications.europa.eu/resource/authority/frequency/MONTHLY", … "IRREG"), or NULL. */
const char *pd_frequency_iri(const char *name);

/* A translated label for a frequency name ("Bulanan"; gettext), or the name itself. */
const char *pd_frequency_label(const char *name);

/* --- the model: struct pd_dataset_unit, pd_resource, pd_dataset (store/dataset_store.h) ------- */

/* --- public reads ----------------------------------------------------------------------------- */

enum pd_dataset_sort {
	PD_DATASET_SORT_NAME_ASC = 0,    /* the default */
	PD_DATASET_SORT_NAME_DESC,
	PD_DATASET_SORT_MODIFIED_DESC,   /* CKAN "metadata_modified desc" */
	PD_DATASET_SORT_MODIFIED_ASC,
	PD_DATASET_SORT_TITLE_ASC,       /* CKAN "title_string asc" */
	PD_DATASET_SORT_TITLE_DESC,
};
/* Ties always break by name ascending, so every order is total. */

/* A query; every string may be NULL or "" (no filter); arrays may be NULL with n 0. */
struct pd_dataset_query {
	const char *q;                 /* search text (stemmed; see the rules) */
	const char **units;            /* unit slugs; all must match (several differing: nothing) */
	int n_units;
	const char **tags;             /* every tag must be on the dataset */
	int n_tags;
	const char **formats;          /* some resource of each format must exist */
	int n_formats;
	enum pd_dataset_sort sort;
	const char *after;             /* keyset: the NAME of the last dataset of the previous page
	                                  (pd_dataset_search only) */
	int64_t offset;                /* rows skipped (pd_dataset_search_offset only; CKAN start) */
	int limit;                     /* 0..PD_DATASET_PAGE_MAX (0: only the count) */
	bool with_resources;           /* fill each item's resources */
};

struct pd_dataset_page {
	struct pd_dataset *items;      /* arena-owned */
	int n_items;
	int64_t count;                 /* all datasets matching (ignoring after/offset/limit) */
	const char *next_after;        /* keyset: cursor of the next page when more follow, else NULL */
};

/* One keyset page of datasets matching query, with the total count. PD_ERR_INVALID for an
 * overlong or non-UTF-8 q, too many filters, a bad limit, or a cursor naming no dataset. An
 * unknown unit, tag or format is simply no match (count 0). */
int pd_dataset_search(struct pd_store *st, const struct pd_dataset_query *query,
                      struct pd_arena *a, struct pd_dataset_page *out);

/* The same paged by query->offset (>= 0) instead of a cursor, for CKAN's start/rows (the only
 * place an offset is allowed); next_after stays NULL. */
int pd_dataset_search_offset(struct pd_store *st, const struct pd_dataset_query *query,
                             struct pd_arena *a, struct pd_dataset_page *out);

/* The number of datasets matching query (after/offset/limit ignored). */
int pd_dataset_count(struct pd_store *st, const struct pd_dataset_query *query, int64_t *out);

/* The dataset whose id (UUID) or name is id_or_name, with its resources, arena-owned.
 * PD_ERR_NOT_FOUND when none. */
int pd_dataset_get(struct pd_store *st, const char *id_or_name, struct pd_arena *a,
                   struct pd_dataset *out);

/* The resource with this id (UUID) into *res and, when ds is not NULL, its dataset (with all
 * its resources) into *ds. PD_ERR_NOT_FOUND when none. */
int pd_resource_get(struct pd_store *st, const char *id, struct pd_arena *a,
                    struct pd_resource *res, struct pd_dataset *ds);

/* The content of resource id of the dataset named dataset_name (both must match), arena-owned:
 * bytes and length, with the resource's metadata in *res. PD_ERR_NOT_FOUND when none. */
int pd_resource_content(struct pd_store *st, const char *dataset_name, const char *id,
                        struct pd_arena *a, struct pd_resource *res, const void **bytes,
                        size_t *len);

/* Names of every dataset, name ascending (CKAN package_list), after offset, at most limit
 * (0: up to PD_DATASET_LIST_MAX). */
int pd_dataset_names(struct pd_store *st, int64_t offset, int limit, struct pd_arena *a,
                     const char ***names, int *n);

struct pd_dataset_tag {
	const char *name;
	int64_t count;               /* datasets carrying it */
};

/* Every tag in use, name ascending, with counts; when q is not NULL/"" only tags containing q
 * (case-insensitive; CKAN tag_list's query). */
int pd_dataset_tags(struct pd_store *st, const char *q, struct pd_arena *a,
                    struct pd_dataset_tag **out, int *n);

struct pd_dataset_org {
	struct pd_dataset_unit unit;
	int64_t created_ms;          /* the unit's */
	int64_t n_datasets;
};

/* Units with their dataset counts, slug ascending: only units owning at least one dataset
 * when all_units is false (the /data filter), every unit otherwise (CKAN organization_list). */
int pd_dataset_orgs(struct pd_store *st, bool all_units, struct pd_arena *a,
                    struct pd_dataset_org **out, int *n);

/* One unit by slug or id with its dataset count. PD_ERR_NOT_FOUND when none. */
int pd_dataset_org_get(struct pd_store *st, const char *slug_or_id, struct pd_arena *a,
                       struct pd_dataset_org *out);

/* Resource formats in use (upper case, ascending), for the /data filter. */
int pd_dataset_formats(struct pd_store *st, struct pd_arena *a, const char ***out, int *n);

/* --- writes (administrators) ------------------------------------------------------------------ */

/* What an administrator writes; strings borrowed for the call. tags: comma-separated. */
struct pd_dataset_input {
	const char *unit_slug;       /* create only; an update keeps the unit */
	const char *name, *title, *notes, *tags, *license_id, *frequency;
};

/* Creates a dataset by actor (PD_ACT_CONFIGURE on the unit's subtree) with its audit entry, in
 * tx; the new id into id_out. PD_ERR_INVALID (errs: fields "name", "title", "notes", "tags", "license_id",
 * "frequency", "unit"), PD_ERR_CONFLICT (name taken: errs "name"), PD_ERR_NOT_FOUND (unknown unit), PD_ERR_FORBIDDEN. */
int pd_dataset_create_tx(struct pd_tx *tx, const struct pd_actor *actor,
                         const struct pd_dataset_input *in, char id_out[37],
                         struct pd_field_errors *errs);

/* Updates the dataset named name at expected_version (0: any) by actor; its name may change.
 * PD_ERR_CONFLICT for a stale version or a taken name; PD_ERR_FORBIDDEN also for a generated
 * dataset; others as create. */
int pd_dataset_update_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *name,
                         int64_t expected_version, const struct pd_dataset_input *in,
                         struct pd_field_errors *errs);

/* An uploaded resource. format NULL/"": from the file name's extension; media type from the
 * format (CSV must be UTF-8: a CSV that is not is PD_ERR_INVALID; a JSON that does not parse
 * too). */
struct pd_resource_input {
	const char *name, *description, *format, *filename;
	const void *bytes;
	size_t len;
};

/* Adds a resource to the dataset named dataset_name (not generated) by actor; id into id_out. */
int pd_resource_add_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *dataset_name,
                       const struct pd_resource_input *in, char id_out[37],
                       struct pd_field_errors *errs);

/* Deletes resource id of the dataset named dataset_name (not generated) by actor.
 * PD_ERR_NOT_FOUND, PD_ERR_FORBIDDEN. */
int pd_resource_delete_tx(struct pd_tx *tx, const struct pd_actor *actor,
                          const char *dataset_name, const char *id);

/* Whether actor may administer datasets of the unit with this path (PD_ACT_CONFIGURE). */
bool pd_dataset_may_admin(const struct pd_actor *actor, const char *unit_path);

/* Datasets of units actor administers (every dataset for a system actor), name ascending,
 * keyset by name; for the admin list. */
int pd_dataset_admin_list(struct pd_store *st, const struct pd_actor *actor, const char *after,
                          int limit, struct pd_arena *a, struct pd_dataset_page *out);

/* --- CSV preview (domain/dataset_csv.c) -------------------------------------------------------- */

#define PD_CSV_PREVIEW_ROWS 20   /* data rows a dataset page shows */
#define PD_CSV_PREVIEW_COLS 30   /* columns shown (more are cut) */

struct pd_csv_preview {
	const char **header;         /* the first record */
	int n_header;
	const char ***rows;          /* up to max_rows records after it, each n_cols[i] cells */
	int *n_cols;
	int n_rows;
	bool more_rows;              /* records beyond max_rows exist */
	bool cut_cols;               /* some record had more than max_cols cells */
};

/* Parses the first 1 + max_rows records of the RFC 4180 CSV in p[0..n) (quoted fields with
 * doubled quotes, commas and line breaks inside quotes, CRLF or LF record ends; a leading UTF-8
 * byte-order mark skipped) into *out, arena-owned. PD_ERR_INVALID for text that is not UTF-8
 * or a quote that never closes within what was read, or a stray quote inside an unquoted
 * field. */
int pd_csv_preview(const char *p, size_t n, int max_rows, int max_cols, struct pd_arena *a,
                   struct pd_csv_preview *out);

/* --- generated datasets (domain/opendata_gen*.c) ---------------------------------------------- */

#define PD_OPENDATA_MIN_N 10   /* fewest records a share, median or index is shown for */

/* Recomputes every generated dataset as of now_ms (0: the clock) from the clear columns of the
 * database (one read), then replaces their CSV and JSON resources (one write), creating the
 * datasets on the first run under the installation's top unit. Datasets: "statistik-permohonan"
 * (applications per month, unit and service with the share decided on time),
 * "statistik-pengaduan" (complaints per month, category and village with the median working
 * days to the answer), "statistik-permintaan-informasi" (information requests per month and
 * unit and their outcomes), "indeks-kepuasan-masyarakat" (IKM per quarter and unit). Each also
 * has subtotal rows (an empty service, village or unit cell: all of them). cal: the working-day
 * calendar (NULL: weekdays only). Audit entry "dataset.generate" per dataset. *n_out (may be
 * NULL): datasets written. */
int pd_opendata_generate(struct pd_store *st, const struct pd_calendar *cal, int tz_offset_min,
                         int64_t now_ms, int *n_out);

/* Whether every generated dataset exists with all its resources made after now_ms - max_age_ms
 * (*fresh): the job then has nothing to do yet — the demo and an earlier node's run write
 * them, and a server starting right after must not rewrite them (and their audit entries)
 * at once. PD_OK, or a database error. */
int pd_opendata_fresh(struct pd_store *st, int64_t now_ms, int64_t max_age_ms, bool *fresh);

#endif
