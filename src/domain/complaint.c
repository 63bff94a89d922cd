/* Complaints: statuses and choices, the hold-back rule, categories, filing (sealed original,
 * public copy, own key for a reporter without account, follow-up token, photos) and support. */
#include "domain/complaint.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/complaint_store.h"
#include "store/unit_store.h"

#define DAY_MS 86400000LL
#define TRACKING_DRAWS 8  /* tracking numbers tried before a filing gives up */
#define CATS_CACHED 64    /* categories kept in memory (cats_tx reads at most 64) */

static const char *const status_names[PD_CMP__MAX] = {
	"new", "needs_info", "dispositioned", "answered", "reopened", "out_of_scope", "merged"};
static const char *const status_labels[PD_CMP__MAX] = {
	N_("Menunggu verifikasi"), N_("Menunggu keterangan pelapor"), N_("Diteruskan ke unit"),
	N_("Dijawab"), N_("Dibuka kembali"), N_("Di luar kewenangan"), N_("Digabung")};
static const char *const vis_names[PD_CMP_VIS__MAX] = {"public", "anonymous", "confidential"};

const char *pd_complaint_status_name(enum pd_complaint_status s)
{
	return (unsigned)s < PD_CMP__MAX ? status_names[s] : NULL;
}

int pd_complaint_status_parse(const char *name, enum pd_complaint_status *out)
{
	for (int i = 0; name && i < PD_CMP__MAX; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum pd_complaint_status)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

const char *pd_complaint_status_label(enum pd_complaint_status s)
{
	return (unsigned)s < PD_CMP__MAX ? status_labels[s] : "";
}

bool pd_complaint_status_closed(enum pd_complaint_status s)
{
	return s == PD_CMP_ANSWERED || s == PD_CMP_OUT_OF_SCOPE || s == PD_CMP_MERGED;
}

const char *pd_complaint_visibility_name(enum pd_complaint_visibility v)
{
	return (unsigned)v < PD_CMP_VIS__MAX ? vis_names[v] : NULL;
}

int pd_complaint_visibility_parse(const char *name, enum pd_complaint_visibility *out)
{
	for (int i = 0; name && i < PD_CMP_VIS__MAX; i++)
		if (strcmp(name, vis_names[i]) == 0) {
			*out = (enum pd_complaint_visibility)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

/* A run of digits ending before a separator that is not between two digits. */
static bool run_sensitive(const char *d, size_t n)
{
	if (n == 16)
		return true; /* NIK-like */
	if (n >= 10 && n <= 13 && d[0] == '0' && d[1] == '8')
		return true;
	if (n >= 11 && n <= 14 && d[0] == '6' && d[1] == '2' && d[2] == '8')
		return true;
	return n > 16; /* a longer number may hide a NIK */
}

bool pd_complaint_text_sensitive(const char *text)
{
	if (!text)
		return false;
	char digits[64];
	size_t n = 0;
	for (const char *p = text;; p++) {
		bool digit = *p >= '0' && *p <= '9';
		bool sep = (*p == ' ' || *p == '.' || *p == '-') && n > 0 && p[1] >= '0' && p[1] <= '9';
		if (digit) {
			if (n < sizeof digits)
				digits[n] = *p;
			n++;
			continue;
		}
		if (sep)
			continue;
		if (n && run_sensitive(digits, n < sizeof digits ? n : sizeof digits))
			return true;
		n = 0;
		if (!*p)
			return false;
	}
}

/* --- categories ---------------------------------------------------------------------------- */

struct cats_arg {
	struct pd_arena *a;
	struct pd_complaint_category *out;
	int max, *n;
};

static int cats_tx(struct pd_tx *tx, void *p)
{
	struct cats_arg *c = p;
	struct pd_cmp_category_row rows[64];
	int n = 0, max = c->max < 64 ? c->max : 64;
	if (pd_store_cmp_categories(tx, c->a, rows, max, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++)
		c->out[i] = (struct pd_complaint_category){
			rows[i].id, rows[i].code, rows[i].name, rows[i].description, rows[i].keywords,
			rows[i].unit_id, rows[i].unit_slug, rows[i].unit_name, rows[i].deadline_days,
			rows[i].enabled};
	*c->n = n;
	return PD_OK;
}

/* The enabled categories are read on every complaint page and Open311 services.json but
 * change only when an administrator edits one: they are kept in memory per store (serial)
 * and data generation (pd_store_generation, bumped by every committed public write, on
 * PostgreSQL by any node). The generation is read before the rows, so a list read while a
 * write commits is filed under the older generation and never served after it. */
static struct {
	pthread_mutex_t lock;
	uint64_t serial, gen;
	bool valid;
	struct pd_arena *a;
	struct pd_complaint_category items[CATS_CACHED];
	int n;
} cats_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *dup_or_null(struct pd_arena *a, const char *s)
{
	return s ? pd_arena_strdup(a, s) : NULL;
}

static void copy_category(struct pd_arena *a, const struct pd_complaint_category *from,
                          struct pd_complaint_category *to)
{
	*to = *from;
	to->id = dup_or_null(a, from->id);
	to->code = dup_or_null(a, from->code);
	to->name = dup_or_null(a, from->name);
	to->description = dup_or_null(a, from->description);
	to->keywords = dup_or_null(a, from->keywords);
	to->unit_id = dup_or_null(a, from->unit_id);
	to->unit_slug = dup_or_null(a, from->unit_slug);
	to->unit_name = dup_or_null(a, from->unit_name);
}

/* Copies the cached list for (serial, gen) into out; false on a miss. */
static bool cats_cached(uint64_t serial, uint64_t gen, struct pd_arena *a,
                        struct pd_complaint_category *out, int max, int *n)
{
	bool hit = false;
	pthread_mutex_lock(&cats_cache.lock);
	if (cats_cache.valid && cats_cache.serial == serial && cats_cache.gen == gen) {
		int k = cats_cache.n < max ? cats_cache.n : max;
		for (int i = 0; i < k; i++)
			copy_category(a, &cats_cache.items[i], &out[i]);
		*n = k;
		hit = true;
	}
	pthread_mutex_unlock(&cats_cache.lock);
	return hit;
}

static void cats_keep(uint64_t serial, uint64_t gen, const struct pd_complaint_category *items,
                      int n)
{
	struct pd_arena *fresh = pd_arena_new();
	if (!fresh)
		return;
	pthread_mutex_lock(&cats_cache.lock);
	struct pd_arena *old = cats_cache.a;
	cats_cache.a = fresh;
	for (int i = 0; i < n; i++)
		copy_category(fresh, &items[i], &cats_cache.items[i]);
	cats_cache.n = n;
	cats_cache.serial = serial;
	cats_cache.gen = gen;
	cats_cache.valid = true;
	pthread_mutex_unlock(&cats_cache.lock);
	if (old)
		pd_arena_free(old);
}

int pd_complaint_categories(struct pd_store *st, struct pd_arena *a,
                            struct pd_complaint_category *out, int max, int *n)
{
	*n = 0;
	if (max < 1)
		return PD_OK;
	uint64_t serial = pd_store_serial(st), gen = 0;
	bool have_gen = pd_store_generation(st, &gen) == PD_OK;
	if (have_gen && cats_cached(serial, gen, a, out, max, n))
		return PD_OK;
	if (!have_gen) { /* no generation to key on (an older schema): read as asked */
		struct cats_arg c = {a, out, max, n};
		return pd_store_read(st, cats_tx, &c);
	}
	struct pd_complaint_category all[CATS_CACHED];
	int nall = 0;
	struct cats_arg c = {a, all, CATS_CACHED, &nall};
	int rc = pd_store_read(st, cats_tx, &c);
	if (rc)
		return rc;
	cats_keep(serial, gen, all, nall);
	int k = nall < max ? nall : max;
	memcpy(out, all, (size_t)k * sizeof *out);
	*n = k;
	return PD_OK;
}

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

int pd_complaint_category_add(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                              const char *name, const char *description, const char *unit_slug,
                              int64_t deadline_days, const char *keywords, char id_out[37])
{
	if (!code_ok(code) || !pd_app_text_ok(name, 120, true) ||
	    !pd_app_text_ok(description, 1000, false) || deadline_days < 1 || deadline_days > 90)
		return PD_ERR_INVALID;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, unit_slug, NULL, &u);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	int64_t now = pd_app_now(c);
	struct pd_cmp_category_row r = {
		.id = id, .code = code, .name = name, .description = description, .unit_id = u.id,
		.deadline_days = deadline_days, .enabled = true, .keywords = keywords, .version = 1,
		.created_ms = now, .updated_ms = now};
	if (pd_store_cmp_category_insert(tx, &r) <= 0)
		return pd_tx_error(tx) == PD_ERR_CONFLICT ? PD_ERR_CONFLICT : pd_app_db_error(tx);
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c ? c->actor : NULL),
		.action = "complaint.category.add", .object_type = "complaint_category",
		.object_id = id, .unit_id = u.id, .ts_ms = now};
	int rc = pd_audit_append(tx, &ev);
	if (!rc && id_out)
		memcpy(id_out, id, PD_UUID_LEN + 1);
	return rc;
}

/* --- keys ---------------------------------------------------------------------------------- */

/* The subject key r's sealed fields are under (the complaint's own, else its reporter's). */
static int cmp_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_cmp_row *r,
                   unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_app_row ar;
	memset(&ar, 0, sizeof ar);
	ar.id = r->id;
	ar.subject_key = r->subject_key;
	ar.citizen_account_id = r->reporter_account_id;
	return pd_app_key(tx, ks, &ar, key);
}

static void token_hash(const char *token, unsigned char h[32])
{
	crypto_generichash(h, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

/* --- filing -------------------------------------------------------------------------------- */

static bool blank(const char *s)
{
	return !s || !*s;
}

/* Checks in, filling errs; the category and village rows on success. */
static int check_input(struct pd_tx *tx, const struct pd_app_ctx *c,
                       const struct pd_complaint_input *in, struct pd_app_errors *errs,
                       struct pd_cmp_category_row *cat, struct pd_unit *village)
{
	enum pd_qs qs = PD_QS_NONE;
	if (!blank(in->category_code) && code_ok(in->category_code))
		qs = pd_store_cmp_category_by_code(tx, in->category_code, NULL, cat);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !cat->enabled)
		pd_app_error(errs, "kategori", N_("Pilih kategori pengaduan."));
	if (blank(in->title) || !pd_app_text_ok(in->title, PD_COMPLAINT_TITLE_MAX, true))
		pd_app_error(errs, "judul", N_("Tulis judul singkat, paling banyak 150 karakter."));
	if (blank(in->text) || !pd_app_text_ok(in->text, PD_COMPLAINT_TEXT_MAX, true))
		pd_app_error(errs, "isi", N_("Ceritakan apa yang terjadi, paling banyak 4.000 karakter."));
	if (!pd_app_text_ok(in->address, PD_COMPLAINT_ADDRESS_MAX, false))
		pd_app_error(errs, "alamat", N_("Alamat paling banyak 300 karakter."));
	memset(village, 0, sizeof *village);
	if (!blank(in->village_slug)) {
		qs = pd_slug_valid(in->village_slug)
		             ? pd_store_unit_by_slug(tx, in->village_slug, NULL, village)
		             : PD_QS_NONE;
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE || strcmp(village->kind, "village") != 0) {
			village->id = NULL;
			pd_app_error(errs, "desa", N_("Pilih desa atau kelurahan tempat kejadian."));
		}
	} else if (strcmp(in->channel, "web") == 0) {
		pd_app_error(errs, "desa", N_("Pilih desa atau kelurahan tempat kejadian."));
	}
	if (in->has_location && (in->lat_e6 < -90000000 || in->lat_e6 > 90000000 ||
	                         in->lon_e6 < -180000000 || in->lon_e6 > 180000000))
		pd_app_error(errs, "lokasi", N_("Koordinat tidak sah."));
	if (in->occurred_ms < 0 || in->occurred_ms > pd_app_now(c) + DAY_MS)
		pd_app_error(errs, "waktu", N_("Tanggal kejadian tidak boleh di masa depan."));
	if ((unsigned)in->visibility >= PD_CMP_VIS__MAX)
		pd_app_error(errs, "privasi", N_("Pilih salah satu pilihan privasi."));
	if (!pd_app_text_ok(in->contact_name, PD_COMPLAINT_NAME_MAX, false))
		pd_app_error(errs, "nama", N_("Nama paling banyak 120 karakter."));
	if (!blank(in->contact_email)) {
		char norm[256];
		if (pd_crypto_norm_email(in->contact_email, norm, sizeof norm) != PD_OK)
			pd_app_error(errs, "email", N_("Alamat email tidak sah."));
	}
	if (in->n_photos < 0 || in->n_photos > PD_COMPLAINT_PHOTOS_MAX)
		pd_app_error(errs, "foto", N_("Paling banyak 3 foto."));
	return errs->n ? PD_ERR_INVALID : PD_OK;
}

/* The sealed contact of a reporter without account: a JSON object, or NULL when empty. */
static const char *contact_json(struct pd_arena *a, const struct pd_complaint_input *in)
{
	if (blank(in->contact_name) && blank(in->contact_email) && blank(in->contact_phone))
		return NULL;
	json_t *o = json_object();
	if (!blank(in->contact_name))
		json_object_set_new(o, "name", json_string(in->contact_name));
	if (!blank(in->contact_email))
		json_object_set_new(o, "email", json_string(in->contact_email));
	if (!blank(in->contact_phone))
		json_object_set_new(o, "phone", json_string(in->contact_phone));
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	const char *out = s ? pd_arena_strdup(a, s) : NULL;
	free(s);
	return out;
}

static int event(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                 const char *kind)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_cmp_event_row e = {
		.id = id, .complaint_id = r->id, .at_ms = pd_app_now(c),
		.actor_id = c->actor && !c->actor->system ? c->actor->account_id : NULL,
		.kind = kind, .status_after = r->status};
	return pd_store_cmp_event_insert(tx, &e) <= 0 ? pd_app_db_error(tx) : PD_OK;
}

static int store_photos(struct pd_tx *tx, const struct pd_app_ctx *c,
                        const struct pd_complaint_input *in, const struct pd_cmp_row *r,
                        struct pd_app_errors *errs)
{
	for (int i = 0; i < in->n_photos; i++) {
		char att[37], pid[PD_UUID_LEN + 1];
		int rc = pd_attachment_put(tx, c->ks, r->reporter_account_id, &in->photos[i], att);
		if (rc == PD_ERR_INVALID || rc == PD_ERR_TOO_LARGE) {
			pd_app_error(errs, "foto", N_("Foto harus berupa JPEG atau PNG."));
			return PD_ERR_INVALID;
		}
		if (rc)
			return rc;
		pd_uuid7(pid);
		struct pd_cmp_photo_row ph = {pid, r->id, i + 1, att, in->photos[i].sniffed_type,
		                              r->created_ms};
		if (pd_store_cmp_photo_insert(tx, &ph) <= 0)
			return pd_app_db_error(tx);
	}
	return PD_OK;
}

int pd_complaint_file(struct pd_tx *tx, const struct pd_app_ctx *c,
                      const struct pd_complaint_input *in, struct pd_app_errors *errs,
                      struct pd_complaint_filed *out)
{
	memset(out, 0, sizeof *out);
	struct pd_arena *a = pd_tx_arena(tx);
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_cmp_row r;
	memset(&r, 0, sizeof r);
	int rc;
	if (in->id && *in->id) {
		if (strlen(in->id) != PD_UUID_LEN)
			return PD_ERR_INVALID;
		enum pd_qs qs = pd_store_cmp_by_id(tx, in->id, NULL, &r);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE) { /* sent twice: the first filing stands */
			out->existed = true;
			snprintf(out->id, sizeof out->id, "%s", r.id);
			snprintf(out->tracking, sizeof out->tracking, "%s", r.tracking);
			out->held = r.held;
			out->published = r.published;
			return PD_OK;
		}
	}
	struct pd_cmp_category_row cat;
	struct pd_unit village;
	if ((rc = check_input(tx, c, in, errs, &cat, &village)))
		return rc;
	int64_t now = pd_app_now(c);
	char id[PD_UUID_LEN + 1];
	if (in->id && *in->id)
		snprintf(id, sizeof id, "%s", in->id);
	else
		pd_uuid7(id);
	r.id = pd_arena_strdup(a, id);
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
	r.category_id = cat.id;
	r.channel = in->channel;
	r.status = "new";
	r.visibility = vis_names[in->visibility];
	r.about_person = in->about_person;
	r.held = in->about_person || pd_complaint_text_sensitive(in->title) ||
	         pd_complaint_text_sensitive(in->text) || pd_complaint_text_sensitive(in->address);
	bool signed_in = c->actor && !c->actor->system && c->actor->account_id &&
	                 *c->actor->account_id;
	r.reporter_account_id = signed_in ? c->actor->account_id : NULL;
	if (!r.held && in->visibility != PD_CMP_CONFIDENTIAL) {
		r.public_title = in->title;
		r.public_text = in->text;
		r.published = true;
	}
	r.unit_id = cat.unit_id;
	r.unit_path = cat.unit_path;
	r.place_unit_id = village.id;
	r.address = blank(in->address) ? NULL : in->address;
	r.has_location = in->has_location;
	r.lat_e6 = in->lat_e6;
	r.lon_e6 = in->lon_e6;
	r.occurred_ms = in->occurred_ms;
	r.due_ms = c->cal ? pd_application_due(c->cal, now, PD_COMPLAINT_VERIFY_DAYS, 0)
	                  : now + PD_COMPLAINT_VERIFY_DAYS * DAY_MS;
	r.version = 1;
	r.created_ms = r.updated_ms = now;
	if (!signed_in) {
		struct pd_buf wrapped;
		pd_buf_init(&wrapped, 256);
		rc = pd_crypto_subject_key_new(c->ks, r.id, key, &wrapped);
		if (!rc) {
			r.subject_key.p = pd_arena_memdup(a, wrapped.data, wrapped.len);
			r.subject_key.n = wrapped.len;
		}
		pd_buf_free(&wrapped);
	} else {
		rc = cmp_key(tx, c->ks, &r, key);
	}
	if (rc)
		goto out;
	r.title_ct = pd_app_seal(a, key, in->title, "complaint", "title_ct", r.id, &rc);
	if (!rc)
		r.text_ct = pd_app_seal(a, key, in->text, "complaint", "text_ct", r.id, &rc);
	if (!rc && !signed_in)
		r.contact_ct = pd_app_seal(a, key, contact_json(a, in), "complaint", "contact_ct",
		                           r.id, &rc);
	if (rc)
		goto out;
	if (in->want_token) {
		unsigned char raw[32], h[32];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2base64(out->token, sizeof out->token, raw, sizeof raw,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof raw);
		token_hash(out->token, h);
		r.followup_hash.p = pd_arena_memdup(a, h, sizeof h);
		r.followup_hash.n = sizeof h;
	}
	/* A tracking number already taken (40 random bits meet by chance after about a million
	 * complaints) inserts nothing: draw another. */
	enum pd_qs qs = PD_QS_NONE;
	for (int attempt = 0; attempt < TRACKING_DRAWS && qs == PD_QS_NONE; attempt++) {
		pd_tracking_new('A', tracking);
		r.tracking = pd_arena_strdup(a, tracking);
		qs = pd_store_cmp_insert(tx, &r);
	}
	if (qs <= 0) {
		rc = qs == PD_QS_NONE ? PD_ERR_CONFLICT : pd_app_db_error(tx);
		goto out;
	}
	if ((rc = store_photos(tx, c, in, &r, errs)) || (rc = event(tx, c, &r, "filed")))
		goto out;
	char details[160];
	snprintf(details, sizeof details,
	         "{\"channel\":\"%s\",\"visibility\":\"%s\",\"held\":%s,\"photos\":%d}", r.channel,
	         r.visibility, r.held ? "true" : "false", in->n_photos);
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(a, c->actor), .action = "complaint.file",
		.object_type = "complaint", .object_id = r.id, .unit_id = r.unit_id,
		.subject_id = r.reporter_account_id, .details = details, .ts_ms = now};
	if ((rc = pd_audit_append(tx, &ev)))
		goto out;
	snprintf(out->id, sizeof out->id, "%s", r.id);
	snprintf(out->tracking, sizeof out->tracking, "%s", r.tracking);
	out->held = r.held;
	out->published = r.published;
out:
	sodium_memzero(key, sizeof key);
	if (rc)
		sodium_memzero(out->token, sizeof out->token);
	return rc;
}

/* --- support ------------------------------------------------------------------------------- */

int pd_complaint_support(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                         int64_t *count)
{
	*count = 0;
	if (!c->actor || c->actor->system || !c->actor->account_id || !*c->actor->account_id)
		return PD_ERR_FORBIDDEN;
	struct pd_cmp_row r;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, tracking, NULL, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !r.published)
		return PD_ERR_NOT_FOUND;
	enum pd_complaint_status s;
	if (pd_complaint_status_parse(r.status, &s) || pd_complaint_status_closed(s)) {
		*count = r.support_count;
		return PD_ERR_CONFLICT;
	}
	qs = pd_store_cmp_support(tx, r.id, c->actor->account_id, pd_app_now(c));
	if (qs < 0)
		return pd_app_db_error(tx);
	*count = r.support_count + (qs == PD_QS_ONE ? 1 : 0);
	if (qs != PD_QS_ONE)
		return PD_OK;
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c->actor), .action = "complaint.support",
		.object_type = "complaint", .object_id = r.id, .unit_id = r.unit_id,
		.ts_ms = pd_app_now(c)};
	return pd_audit_append(tx, &ev);
}
