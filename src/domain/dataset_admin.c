/* The administrators' open-data writes: datasets created and edited, resources uploaded and
 * deleted, each checked (PD_ACT_CONFIGURE on the owner unit's subtree) and audited in the same
 * transaction; and the admin list. */
#include <ctype.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/stem.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "domain/dataset.h"
#include "domain/dataset_internal.h"
#include "store/blob_store.h"
#include "store/unit_store.h"

const char *pd_dataset_actor_ref(struct pd_tx *tx, const struct pd_actor *actor)
{
	if (!actor || actor->system || !actor->account_id)
		return "system";
	return pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id);
}

void pd_dataset_sha256(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int pd_dataset_put_content(struct pd_tx *tx, struct pd_resource *r, const void *bytes,
                           size_t len, int64_t now_ms)
{
	char blob[PD_UUID_LEN + 1], sum[65];
	pd_uuid7(blob);
	pd_dataset_sha256(bytes, len, sum);
	int rc = pd_store_blob_put(tx, blob, r->media_type, bytes, len, now_ms);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	r->blob_id = pd_arena_strdup(a, blob);
	r->sha256 = pd_arena_strdup(a, sum);
	r->size = (int64_t)len;
	return PD_OK;
}

bool pd_dataset_may_admin(const struct pd_actor *actor, const char *unit_path)
{
	struct pd_authz_object o = {NULL, unit_path};
	return actor && pd_authz(actor, PD_ACT_CONFIGURE, &o) == PD_OK;
}

static int audit(struct pd_tx *tx, const struct pd_actor *actor, const char *action,
                 const char *type, const char *id, const char *unit_id, json_t *details)
{
	char *d = details ? json_dumps(details, JSON_COMPACT) : NULL;
	json_decref(details);
	struct pd_audit_event ev = {
		.actor = pd_dataset_actor_ref(tx, actor),
		.action = action,
		.object_type = type,
		.object_id = id,
		.unit_id = unit_id,
		.details = d,
	};
	int rc = pd_audit_append(tx, &ev);
	free(d);
	return rc;
}

/* --- checks ------------------------------------------------------------------------------------- */

static bool tag_char_ok(unsigned char c)
{
	return isalnum(c) || c == ' ' || c == '-' || c == '_' || c == '.' || c >= 0x80;
}

/* Splits comma-separated tags, trims, lower-cases ASCII, sorts, removes repeats. */
static int parse_tags(struct pd_arena *a, const char *s, const char ***out, int *n,
                      struct pd_field_errors *errs)
{
	*n = 0;
	*out = pd_arena_alloc(a, sizeof **out * (PD_DATASET_TAGS_MAX + 1));
	if (!s)
		return PD_OK;
	const char *p = s;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *b = p, *end = p + len;
		while (b < end && (*b == ' ' || *b == '\t'))
			b++;
		while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end > b) {
			size_t tl = (size_t)(end - b);
			if (tl > PD_DATASET_TAG_MAX) {
				pd_field_error(errs, "tags", N_("Setiap tag paling banyak 50 karakter."));
				return PD_ERR_INVALID;
			}
			char *t = pd_arena_strndup(a, b, tl);
			for (char *c = t; *c; c++) {
				if (!tag_char_ok((unsigned char)*c)) {
					pd_field_error(errs, "tags", N_("Tag hanya boleh berisi huruf, angka, spasi, "
					                                "tanda hubung, garis bawah dan titik."));
					return PD_ERR_INVALID;
				}
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c + 32);
			}
			bool dup = false;
			for (int i = 0; i < *n; i++)
				dup = dup || strcmp((*out)[i], t) == 0;
			if (!dup) {
				if (*n >= PD_DATASET_TAGS_MAX) {
					pd_field_error(errs, "tags", N_("Paling banyak 20 tag."));
					return PD_ERR_INVALID;
				}
				(*out)[(*n)++] = t;
			}
		}
		p = e ? e + 1 : end;
		if (!e)
			break;
	}
	/* insertion sort: at most 20 */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) > 0; j--) {
			const char *t = (*out)[j];
			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return PD_OK;
}

static bool name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > PD_DATASET_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* Valid UTF-8 of at most max bytes without control characters (tab, LF and CR aside) or the
 * noncharacters U+FFFE and U+FFFF: the text goes into HTML, SVG, JSON-LD, Turtle and CKAN
 * answers, and XML 1.0 and HTML refuse them. */
static bool text_ok(const char *s, size_t max, bool required)
{
	size_t n = s ? strlen(s) : 0;
	if (required && n == 0)
		return false;
	if (n > max || (n && !pd_utf8_valid(s, n)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; p < (const unsigned char *)s + n; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return false;
		if (p[0] == 0xef && p + 2 < (const unsigned char *)s + n && p[1] == 0xbf &&
		    (p[2] == 0xbe || p[2] == 0xbf))
			return false;
	}
	return true;
}

/* Checks in into *d (name, title, notes, licence, frequency, stems) and *tags. */
static int check_input(struct pd_arena *a, const struct pd_dataset_input *in,
                       struct pd_dataset *d, const char ***tags, int *n_tags,
                       struct pd_field_errors *errs)
{
	if (!name_ok(in->name))
		pd_field_error(errs, "name", N_("Nama (slug): 2 sampai 100 huruf kecil, angka atau tanda "
		                                "hubung, tidak diawali atau diakhiri tanda hubung."));
	if (!text_ok(in->title, PD_DATASET_TITLE_MAX, true))
		pd_field_error(errs, "title", N_("Judul wajib diisi, paling banyak 200 karakter."));
	if (!text_ok(in->notes, PD_DATASET_NOTES_MAX, false))
		pd_field_error(errs, "notes", N_("Deskripsi paling banyak 10.000 karakter."));
	if (!pd_licence_find(in->license_id))
		pd_field_error(errs, "license_id", N_("Pilih lisensi dari daftar."));
	if (!pd_frequency_valid(in->frequency))
		pd_field_error(errs, "frequency", N_("Pilih frekuensi pembaruan dari daftar."));
	if (!text_ok(in->tags, 2000, false))
		pd_field_error(errs, "tags", N_("Tag tidak sah."));
	else
		parse_tags(a, in->tags, tags, n_tags, errs);
	if (errs->n)
		return PD_ERR_INVALID;
	d->name = in->name;
	d->title = in->title;
	d->notes = in->notes ? in->notes : "";
	d->license_id = in->license_id;
	d->frequency = in->frequency;
	char *text = pd_arena_printf(a, "%s %s", d->title, d->notes);
	for (int i = 0; i < *n_tags; i++)
		text = pd_arena_printf(a, "%s %s", text, (*tags)[i]);
	d->search_stems = pd_stem_text(a, text, 0);
	return d->search_stems ? PD_OK : PD_ERR_NOMEM;
}

static json_t *ds_details(const struct pd_dataset *d)
{
	return json_pack("{s:s,s:s,s:s}", "name", d->name, "license_id", d->license_id,
	                 "frequency", d->frequency);
}

int pd_dataset_create_tx(struct pd_tx *tx, const struct pd_actor *actor,
                         const struct pd_dataset_input *in, char id_out[37],
                         struct pd_field_errors *errs)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_unit u;
	if (!in->unit_slug || !*in->unit_slug ||
	    pd_store_unit_by_slug(tx, in->unit_slug, a, &u) != PD_QS_ONE) {
		if (pd_tx_error(tx))
			return pd_tx_error(tx);
		pd_field_error(errs, "unit", N_("Pilih unit pemilik dari daftar."));
		return PD_ERR_NOT_FOUND;
	}
	struct pd_authz_object o = {NULL, u.path};
	int rc = pd_authz(actor, PD_ACT_CONFIGURE, &o);
	if (rc) {
		if (rc == PD_ERR_NOT_FOUND)
			pd_field_error(errs, "unit", N_("Pilih unit pemilik dari daftar."));
		return rc;
	}
	struct pd_dataset d = {0};
	const char **tags;
	int n_tags = 0;
	rc = check_input(a, in, &d, &tags, &n_tags, errs);
	if (rc)
		return rc;
	struct pd_dataset other;
	if (pd_store_dataset_get(tx, d.name, a, &other) == PD_QS_ONE) {
		pd_field_error(errs, "name", N_("Nama ini sudah dipakai dataset lain."));
		return PD_ERR_CONFLICT;
	}
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	int64_t now = pd_clock_now_ms();
	d.id = id;
	d.unit.id = u.id;
	d.version = 1;
	d.created_ms = d.modified_ms = now;
	if (pd_store_dataset_insert(tx, &d) != PD_QS_ONE) {
		if (pd_tx_error(tx) == PD_ERR_CONFLICT)
			pd_field_error(errs, "name", N_("Nama ini sudah dipakai dataset lain."));
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	}
	pd_store_dataset_set_tags(tx, id, tags, n_tags);
	rc = audit(tx, actor, "dataset.create", "dataset", id, u.id, ds_details(&d));
	if (rc)
		return rc;
	if (id_out)
		memcpy(id_out, id, sizeof id);
	return pd_tx_error(tx);
}

/* Loads the dataset named name for a write by actor: not found, forbidden or generated. */
static int load_for_write(struct pd_tx *tx, const struct pd_actor *actor, const char *name,
                          struct pd_dataset *d)
{
	if (!name || !*name || strlen(name) > PD_DATASET_NAME_MAX)
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_dataset_get(tx, name, pd_tx_arena(tx), d);
	if (qs == PD_QS_NONE || (qs == PD_QS_ONE && strcmp(d->name, name) != 0))
		return PD_ERR_NOT_FOUND;
	if (qs < 0)
		return pd_tx_error(tx);
	struct pd_authz_object o = {NULL, d->unit.path};
	int rc = pd_authz(actor, PD_ACT_CONFIGURE, &o);
	if (rc)
		return rc;
	return d->generated ? PD_ERR_FORBIDDEN : PD_OK;
}

int pd_dataset_update_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *name,
                         int64_t expected_version, const struct pd_dataset_input *in,
                         struct pd_field_errors *errs)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_dataset cur;
	int rc = load_for_write(tx, actor, name, &cur);
	if (rc)
		return rc;
	struct pd_dataset d = cur;
	const char **tags;
	int n_tags = 0;
	rc = check_input(a, in, &d, &tags, &n_tags, errs);
	if (rc)
		return rc;
	if (expected_version && expected_version != cur.version) {
		pd_field_error(errs, "version", N_("Dataset ini baru saja diubah orang lain. Muat ulang "
		                                   "halaman dan ulangi perubahan Anda."));
		return PD_ERR_CONFLICT;
	}
	struct pd_dataset other;
	if (strcmp(d.name, cur.name) != 0 &&
	    pd_store_dataset_get(tx, d.name, a, &other) == PD_QS_ONE) {
		pd_field_error(errs, "name", N_("Nama ini sudah dipakai dataset lain."));
		return PD_ERR_CONFLICT;
	}
	d.version = cur.version + 1;
	d.modified_ms = pd_clock_now_ms();
	if (pd_store_dataset_update(tx, &d) != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	pd_store_dataset_set_tags(tx, d.id, tags, n_tags);
	json_t *det = ds_details(&d);
	json_object_set_new(det, "old_name", json_string(cur.name));
	rc = audit(tx, actor, "dataset.update", "dataset", d.id, d.unit.id, det);
	return rc ? rc : pd_tx_error(tx);
}

/* --- resources ---------------------------------------------------------------------------------- */

static const struct {
	const char *format, *ext, *media;
} formats[] = {
	{"CSV", "csv", "text/csv; charset=utf-8"},
	{"JSON", "json", "application/json"},
	{"GEOJSON", "geojson", "application/geo+json"},
	{"XML", "xml", "application/xml"},
	{"PDF", "pdf", "application/pdf"},
	{"XLSX", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"XLS", "xls", "application/vnd.ms-excel"},
	{"ODS", "ods", "application/vnd.oasis.opendocument.spreadsheet"},
	{"TXT", "txt", "text/plain; charset=utf-8"},
	{"ZIP", "zip", "application/zip"},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

/* The format (upper case, [A-Z0-9], ≤ PD_RESOURCE_FORMAT_MAX) of in, or NULL. */
static const char *format_of(struct pd_arena *a, const struct pd_resource_input *in)
{
	const char *f = in->format;
	if (!f || !*f) {
		const char *dot = in->filename ? strrchr(in->filename, '.') : NULL;
		if (!dot)
			return NULL;
		f = dot + 1;
	}
	size_t n = strlen(f);
	if (n == 0 || n > PD_RESOURCE_FORMAT_MAX)
		return NULL;
	char *u = pd_arena_strdup(a, f);
	for (char *c = u; *c; c++) {
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 32);
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return NULL;
	}
	return u;
}

/* Whether bytes look like format (the type is taken from the content, not the name, for the
 * formats a browser or an office program would open): PDF, the ZIP containers (XLSX, ODS,
 * ZIP) and the OLE one (XLS) by their magic numbers, the text formats as UTF-8 (XML starting
 * with '<'), JSON and GeoJSON by parsing. Other formats are served as application/octet-stream
 * and checked for nothing. */
static bool content_ok(const char *format, const char *bytes, size_t len)
{
	static const struct {
		const char *format, *magic;
		size_t n;
	} magic[] = {
		{"PDF", "%PDF-", 5},
		{"XLSX", "PK\x03\x04", 4},
		{"ODS", "PK\x03\x04", 4},
		{"ZIP", "PK\x03\x04", 4},
		{"XLS", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8},
	};
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (strcmp(format, magic[i].format) == 0)
			return len >= magic[i].n && memcmp(bytes, magic[i].magic, magic[i].n) == 0;
	if (strcmp(format, "JSON") == 0 || strcmp(format, "GEOJSON") == 0) {
		json_error_t je;
		json_t *j = json_loadb(bytes, len, JSON_DECODE_ANY, &je);
		json_decref(j);
		return j != NULL;
	}
	if (strcmp(format, "CSV") == 0 || strcmp(format, "TXT") == 0 ||
	    strcmp(format, "XML") == 0) {
		if (!pd_utf8_valid(bytes, len))
			return false;
		if (strcmp(format, "XML") != 0)
			return true;
		size_t i = len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		while (i < len && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' ||
		                   bytes[i] == '\n'))
			i++;
		return i < len && bytes[i] == '<';
	}
	return true;
}

static const char *media_of(const char *format)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (strcmp(formats[i].format, format) == 0)
			return formats[i].media;
	return "application/octet-stream";
}

int pd_resource_add_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *dataset_name,
                       const struct pd_resource_input *in, char id_out[37],
                       struct pd_field_errors *errs)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_dataset d;
	int rc = load_for_write(tx, actor, dataset_name, &d);
	if (rc)
		return rc;
	if (!text_ok(in->name, PD_RESOURCE_NAME_MAX, true))
		pd_field_error(errs, "name", N_("Nama sumber daya wajib diisi, paling banyak 200 karakter."));
	if (!text_ok(in->description, PD_RESOURCE_DESC_MAX, false))
		pd_field_error(errs, "description", N_("Deskripsi paling banyak 2.000 karakter."));
	const char *format = format_of(a, in);
	if (!format)
		pd_field_error(errs, "format", N_("Format: huruf dan angka saja (mis. CSV), atau "
		                                  "berkas dengan ekstensi."));
	if (!in->bytes || in->len == 0)
		pd_field_error(errs, "file", N_("Pilih berkas untuk diunggah."));
	else if (in->len > PD_RESOURCE_BYTES_MAX)
		pd_field_error(errs, "file", N_("Berkas paling besar 8 MB."));
	else if (format && strcmp(format, "CSV") == 0 && !pd_utf8_valid(in->bytes, in->len))
		pd_field_error(errs, "file", N_("Berkas CSV harus berenkode UTF-8."));
	else if (format && strcmp(format, "JSON") == 0 && !content_ok(format, in->bytes, in->len))
		pd_field_error(errs, "file", N_("Berkas JSON tidak dapat dibaca."));
	else if (format && !content_ok(format, in->bytes, in->len))
		pd_field_error(errs, "file", N_("Isi berkas tidak sesuai dengan formatnya."));
	if (errs->n)
		return PD_ERR_INVALID;
	int pos = 0;
	pd_store_resource_next_position(tx, d.id, &pos);
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	int64_t now = pd_clock_now_ms();
	struct pd_resource r = {
		.id = id, .dataset_id = d.id, .name = in->name,
		.description = in->description ? in->description : "", .format = format,
		.media_type = media_of(format), .created_ms = now, .modified_ms = now, .position = pos,
	};
	rc = pd_dataset_put_content(tx, &r, in->bytes, in->len, now);
	if (rc)
		return rc;
	if (pd_store_resource_insert(tx, &r) != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	pd_store_dataset_touch(tx, d.id, now);
	rc = audit(tx, actor, "dataset.resource_add", "dataset_resource", id, d.unit.id,
	           json_pack("{s:s,s:s,s:I,s:s}", "dataset_id", d.id, "format", format, "size",
	                     (json_int_t)in->len, "sha256", r.sha256));
	if (rc)
		return rc;
	if (id_out)
		memcpy(id_out, id, sizeof id);
	return pd_tx_error(tx);
}

int pd_resource_delete_tx(struct pd_tx *tx, const struct pd_actor *actor,
                          const char *dataset_name, const char *id)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_dataset d;
	int rc = load_for_write(tx, actor, dataset_name, &d);
	if (rc)
		return rc;
	struct pd_resource r;
	if (!id || strlen(id) != PD_UUID_LEN || pd_store_resource_get(tx, id, a, &r) != PD_QS_ONE ||
	    strcmp(r.dataset_id, d.id) != 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_NOT_FOUND;
	pd_store_resource_delete(tx, id);
	pd_store_blob_delete(tx, r.blob_id);
	pd_store_dataset_touch(tx, d.id, pd_clock_now_ms());
	rc = audit(tx, actor, "dataset.resource_delete", "dataset_resource", id, d.unit.id,
	           json_pack("{s:s}", "dataset_id", d.id));
	return rc ? rc : pd_tx_error(tx);
}

/* --- the admin list ----------------------------------------------------------------------------- */

int pd_dataset_admin_list(struct pd_store *st, const struct pd_actor *actor, const char *after,
                          int limit, struct pd_arena *a, struct pd_dataset_page *out)
{
	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > PD_DATASET_PAGE_MAX)
		return PD_ERR_INVALID;
	int rc;
	struct pd_dataset_query q = {.limit = PD_DATASET_PAGE_MAX};
	struct pd_dataset_page all;
	out->items = pd_arena_alloc(a, sizeof *out->items * (size_t)(limit + 1));
	bool started = !after || !*after, found = started;
	const char *cur = NULL;
	for (;;) {
		q.after = cur;
		rc = pd_dataset_search(st, &q, a, &all);
		if (rc)
			return rc;
		for (int i = 0; i < all.n_items; i++) {
			struct pd_dataset *d = &all.items[i];
			if (!started) {
				if (strcmp(d->name, after) == 0)
					started = found = true;
				continue;
			}
			if (!pd_dataset_may_admin(actor, d->unit.path))
				continue;
			if (out->n_items == limit) {
				out->next_after = out->items[limit - 1].name;
				return PD_OK;
			}
			out->items[out->n_items++] = *d;
		}
		if (!all.next_after)
			break;
		cur = all.next_after;
	}
	return found ? PD_OK : PD_ERR_INVALID;
}
