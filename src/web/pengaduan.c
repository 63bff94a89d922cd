/* Complaint pages: the filing form (anyone; photos cleaned before they are stored), the page
 * shown once after filing (tracking number and, for a visitor, the private follow-up link),
 * the public list (keyset) and timeline, the reporter's own view, "Pengaduan saya", support
 * and published photos. No JavaScript needed anywhere. */
#include "web/pengaduan.h"
#include "web/kantor_pengaduan.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/calendar.h"
#include "core/cursor.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/complaint.h"
#include "domain/complaint_stats.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/common_download.h"
#include "web/common_form.h"
#include "web/common_time.h"
#include "web/permohonan.h"

#define PAGE 20

static const char *const vis_form[PD_CMP_VIS__MAX] = {"publik", "anonim", "rahasia"};

static json_t *categories_json(struct pd_req *r, const char *chosen)
{
	struct pd_complaint_category cats[64];
	int n = 0;
	json_t *arr = json_array();
	if (pd_complaint_categories(r->store, r->arena, cats, 64, &n))
		return arr;
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:I,s:b}", "code", cats[i].code,
		                                     "name", cats[i].name, "unit", cats[i].unit_name,
		                                     "days", (json_int_t)cats[i].deadline_days,
		                                     "selected",
		                                     chosen && strcmp(chosen, cats[i].code) == 0));
	return arr;
}

/* --- filing -------------------------------------------------------------------------------- */

/* A typed value: from the posted form, or (first step, GET) from the query. */
static const char *typed_value(struct pd_req *r, bool post, const char *key)
{
	return post ? pd_req_form(r, key) : pd_req_query(r, key);
}

static bool parse_e6(const char *s, int64_t *out);

/* Similar open complaints for what the page was given (category and village, or a location):
 * the "similar" list of the page and whether anything was checked. */
static void similar_ctx(struct pd_req *r, json_t *ctx, bool post)
{
	const char *cat = typed_value(r, post, "kategori"), *desa = typed_value(r, post, "desa");
	const char *lat = typed_value(r, post, "lintang"), *lon = typed_value(r, post, "bujur");
	int64_t lat_e6 = 0, lon_e6 = 0;
	bool loc = lat && *lat && lon && *lon && parse_e6(lat, &lat_e6) && parse_e6(lon, &lon_e6);
	if (!cat || !*cat || ((!desa || !*desa) && !loc))
		return;
	struct pd_complaint_near near[PD_COMPLAINT_SIMILAR_MAX];
	int n = 0;
	if (pd_complaint_similar(r->store, cat, desa, loc, lat_e6, lon_e6, r->arena, near,
	                         PD_COMPLAINT_SIMILAR_MAX, &n) != PD_OK)
		n = 0;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		const struct pd_complaint *c = &near[i].c;
		json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "tracking", c->tracking_display, "title",
		                      c->title ? c->title : "", "status_label",
		                      pd_req_t(r, pd_complaint_status_label(c->status)), "support",
		                      (json_int_t)c->support_count);
		if (c->place_name)
			json_object_set_new(o, "village", json_string(c->place_name));
		if (near[i].distance_m >= 0)
			json_object_set_new(o, "distance", json_integer(near[i].distance_m));
		json_object_set_new(o, "created", json_string(pd_web_app_date(r, c->created_ms)));
		json_array_append_new(arr, o);
	}
	json_object_set_new(ctx, "similar", arr);
	json_object_set_new(ctx, "checked", json_true());
}

/* The filing page: empty, prefilled from the query (the first step: category and village give
 * the similar complaints), or shown again with what was typed (post) after a refusal (errs) or
 * after "Periksa pengaduan serupa" (check). */
static void form_page(struct pd_req *r, int status, const struct pd_app_errors *errs, bool post,
                      bool check)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "categories",
	                    categories_json(r, typed_value(r, post, "kategori")));
	json_object_set_new(ctx, "villages", pd_web_villages(r, typed_value(r, post, "desa")));
	char fresh[PD_UUID_LEN + 1];
	pd_uuid7(fresh);
	const char *id = post ? pd_req_form(r, "_id") : NULL;
	json_object_set_new(ctx, "id", json_string(id && strlen(id) == PD_UUID_LEN ? id : fresh));
	static const char *const keys[] = {"judul", "isi", "alamat", "lintang", "bujur",
	                                   "waktu", "nama", "email"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = typed_value(r, post, keys[i]);
		if (v)
			json_object_set_new(ctx, keys[i], json_string(v));
	}
	if (typed_value(r, post, "tentang_orang"))
		json_object_set_new(ctx, "tentang_orang", json_true());
	const char *priv = typed_value(r, post, "privasi");
	json_object_set_new(ctx, "priv_publik", json_boolean(!priv || strcmp(priv, "publik") == 0));
	json_object_set_new(ctx, "priv_anonim", json_boolean(priv && strcmp(priv, "anonim") == 0));
	json_object_set_new(ctx, "priv_rahasia", json_boolean(priv && strcmp(priv, "rahasia") == 0));
	if (!r->actor)
		json_object_set_new(ctx, "visitor", json_true());
	if (check || (!post && typed_value(r, post, "kategori")))
		similar_ctx(r, ctx, post);
	if (check)
		json_object_set_new(ctx, "rechoose_photos", json_true());
	if (errs && errs->n) {
		json_t *e = json_object();
		for (int i = 0; i < errs->n; i++)
			json_object_set_new(e, errs->field[i], json_string(pd_req_t(r, errs->msg[i])));
		json_object_set_new(ctx, "errors", e);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page(r, status, "pengaduan/baru", N_("Sampaikan pengaduan"), ctx);
}

void pd_web_complaint_form(struct pd_req *r)
{
	form_page(r, 200, NULL, false, false);
}

/* GET /pengaduan/serupa.json?kategori=&desa=&lat=&lon=: the similar complaints for apps (public
 * fields only). */
void pd_web_complaints_similar_json(struct pd_req *r)
{
	const char *cat = pd_req_query(r, "kategori"), *desa = pd_req_query(r, "desa");
	const char *lat = pd_req_query(r, "lat"), *lon = pd_req_query(r, "lon");
	int64_t lat_e6 = 0, lon_e6 = 0;
	bool loc = (lat && *lat) || (lon && *lon);
	if (loc && (!lat || !lon || !parse_e6(lat, &lat_e6) || !parse_e6(lon, &lon_e6))) {
		pd_reply_json(r, 400, json_pack("{s:{s:s,s:s}}", "error", "code", "invalid_location",
		                                "message", "lat and lon must both be decimal degrees"));
		return;
	}
	struct pd_complaint_near near[PD_COMPLAINT_SIMILAR_MAX];
	int n = 0;
	int rc = pd_complaint_similar(r->store, cat, desa, loc, lat_e6, lon_e6, r->arena, near,
	                              PD_COMPLAINT_SIMILAR_MAX, &n);
	if (rc == PD_ERR_INVALID) {
		pd_reply_json(r, 400, json_pack("{s:{s:s,s:s}}", "error", "code", "invalid_location",
		                                "message", "lat and lon are out of range"));
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		const struct pd_complaint *c = &near[i].c;
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "tracking", c->tracking_display,
		                      "title", c->title ? c->title : "", "status",
		                      pd_complaint_status_name(c->status), "category", c->category_code,
		                      "support_count", (json_int_t)c->support_count, "created",
		                      pd_web_rfc3339(r->arena, c->created_ms), "url",
		                      pd_arena_printf(r->arena, "/pengaduan/%s", c->tracking_display));
		json_object_set_new(o, "village", c->place_slug ? json_string(c->place_slug) : json_null());
		json_object_set_new(o, "distance_m", near[i].distance_m >= 0
		                                             ? json_integer(near[i].distance_m)
		                                             : json_null());
		json_array_append_new(items, o);
	}
	pd_reply_header(r, "Cache-Control", "public, max-age=60");
	pd_reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* "-6.914744" → -6914744 micro-degrees. */
static bool parse_e6(const char *s, int64_t *out)
{
	bool neg = *s == '-';
	if (neg || *s == '+')
		s++;
	int64_t whole = 0, frac = 0;
	int nd = 0, nf = 0;
	for (; *s >= '0' && *s <= '9'; s++, nd++)
		if (nd > 3)
			return false;
		else
			whole = whole * 10 + (*s - '0');
	if (*s == '.' || *s == ',')
		for (s++; *s >= '0' && *s <= '9'; s++, nf++)
			if (nf < 6)
				frac = frac * 10 + (*s - '0');
	if (*s || nd == 0)
		return false;
	for (int i = nf < 6 ? nf : 6; i < 6; i++)
		frac *= 10;
	*out = (whole * 1000000 + frac) * (neg ? -1 : 1);
	return true;
}

/* "2026-05-01" → noon local time of that day (ms); false for anything else. */
static bool parse_day(struct pd_req *r, const char *s, int64_t *out)
{
	int64_t y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || pd_parse_i64n(s, 4, 1900, 2999, &y) ||
	    pd_parse_i64n(s + 5, 2, 1, 12, &m) || pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return false;
	int tz = r->app->cfg ? r->app->cfg->tz_offset_min : 420;
	*out = (int64_t)pd_civil_day((int)y, (int)m, (int)d) * 86400000LL + 12 * 3600000LL -
	       (int64_t)tz * 60000;
	return true;
}

struct file_job {
	struct pd_app_ctx c;
	struct pd_complaint_input in;
	struct pd_app_errors errs;
	struct pd_complaint_filed out;
	struct pd_attachment_file photos[PD_COMPLAINT_PHOTOS_MAX];
	const char *clean[PD_COMPLAINT_PHOTOS_MAX];
	bool invalid;
};

static int file_tx(struct pd_tx *tx, void *p)
{
	struct file_job *j = p;
	j->invalid = false;
	int rc = pd_complaint_file(tx, &j->c, &j->in, &j->errs, &j->out);
	if (rc == PD_ERR_INVALID && !pd_tx_error(tx)) {
		j->invalid = true;
		return PD_OK;
	}
	return rc;
}

static void unlink_clean(struct file_job *j)
{
	for (int i = 0; i < PD_COMPLAINT_PHOTOS_MAX; i++)
		if (j->clean[i])
			unlink(j->clean[i]);
}

static void file_done(struct pd_req *r, int rc)
{
	struct file_job *j = r->user;
	unlink_clean(j);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (j->invalid) {
		form_page(r, 422, &j->errs, true, false);
		return;
	}
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(j->out.tracking, g);
	json_t *ctx = json_pack("{s:s}", "tracking", g);
	if (j->out.token[0])
		json_object_set_new(ctx, "link", json_string(pd_arena_printf(
		                                      r->arena, "/pengaduan/%s?t=%s", g, j->out.token)));
	if (j->out.held)
		json_object_set_new(ctx, "held", json_true());
	if (j->in.visibility == PD_CMP_CONFIDENTIAL)
		json_object_set_new(ctx, "confidential", json_true());
	if (j->out.published)
		json_object_set_new(ctx, "published", json_true());
	if (j->out.existed)
		json_object_set_new(ctx, "existed", json_true());
	if (r->actor)
		json_object_set_new(ctx, "signed_in", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page_titled(r, 200, "pengaduan/terkirim",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Pengaduan terkirim")), g),
	                     ctx);
}

static const char *form_or_null(struct pd_req *r, const char *key)
{
	const char *v = pd_req_form(r, key);
	return v && *v ? v : NULL;
}

void pd_web_complaint_file(struct pd_req *r)
{
	/* "Periksa pengaduan serupa": the same page again with the similar complaints; nothing is
	 * filed and the photos are not read (the citizen chooses them again). */
	if (pd_req_form(r, "periksa")) {
		form_page(r, 200, NULL, true, true);
		return;
	}
	struct file_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	j->c.base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
	struct pd_complaint_input *in = &j->in;
	in->channel = "web";
	in->category_code = form_or_null(r, "kategori");
	in->title = form_or_null(r, "judul");
	in->text = form_or_null(r, "isi");
	in->village_slug = form_or_null(r, "desa");
	in->address = form_or_null(r, "alamat");
	in->contact_name = r->actor ? NULL : form_or_null(r, "nama");
	in->contact_email = r->actor ? NULL : form_or_null(r, "email");
	in->about_person = pd_req_form(r, "tentang_orang") != NULL;
	in->id = form_or_null(r, "_id");
	in->want_token = r->actor == NULL;
	const char *lat = form_or_null(r, "lintang"), *lon = form_or_null(r, "bujur");
	if (lat || lon) {
		in->has_location = true;
		if (!lat || !lon || !parse_e6(lat, &in->lat_e6) || !parse_e6(lon, &in->lon_e6))
			pd_app_error(&j->errs, "lokasi", N_("Isi lintang dan bujur sebagai angka desimal, misalnya -6.914744 dan 107.609810."));
	}
	const char *when = form_or_null(r, "waktu");
	if (when && !parse_day(r, when, &in->occurred_ms))
		pd_app_error(&j->errs, "waktu", N_("Tanggal tidak sah."));
	const char *priv = pd_req_form(r, "privasi");
	in->visibility = PD_CMP_VIS__MAX;
	for (int i = 0; priv && i < PD_CMP_VIS__MAX; i++)
		if (strcmp(priv, vis_form[i]) == 0)
			in->visibility = (enum pd_complaint_visibility)i;
	for (const struct pd_upload *u = r->uploads; u; u = u->next) {
		if (!u->path || !u->field || strcmp(u->field, "foto") != 0 || u->size == 0)
			continue;
		if (in->n_photos == PD_COMPLAINT_PHOTOS_MAX) {
			pd_app_error(&j->errs, "foto", N_("Paling banyak 3 foto."));
			break;
		}
		const char *clean = pd_arena_printf(r->arena, "%s.bersih", u->path);
		const char *mime = NULL;
		int rc = pd_complaint_photo_clean(u->path, clean, &mime);
		if (rc) {
			unlink(clean);
			pd_app_error(&j->errs, "foto",
			             rc == PD_ERR_TOO_LARGE
			                     ? N_("Foto terlalu besar: paling banyak 20.000 piksel per sisi dan 40 megapiksel.")
			                     : N_("Foto harus berupa JPEG atau PNG."));
			continue;
		}
		j->clean[in->n_photos] = clean;
		j->photos[in->n_photos] = (struct pd_attachment_file){clean, mime, -1, NULL};
		in->n_photos++;
	}
	in->photos = j->photos;
	r->user = j;
	if (j->errs.n) {
		unlink_clean(j);
		form_page(r, 422, &j->errs, true, false);
		return;
	}
	pd_req_write(r, file_tx, j, file_done);
}

/* --- reading ------------------------------------------------------------------------------- */

static json_t *summary_json(struct pd_req *r, const struct pd_complaint *c)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I}", "tracking", c->tracking_display,
	                      "status", pd_complaint_status_name(c->status), "status_label",
	                      pd_req_t(r, pd_complaint_status_label(c->status)), "category",
	                      c->category_name, "unit", c->unit_name, "support",
	                      (json_int_t)c->support_count);
	if (c->title)
		json_object_set_new(o, "title", json_string(c->title));
	if (c->place_name)
		json_object_set_new(o, "village", json_string(c->place_name));
	json_object_set_new(o, "created", json_string(pd_web_app_date(r, c->created_ms)));
	json_object_set_new(o, "updated", json_string(pd_web_app_date(r, c->updated_ms)));
	return o;
}

static const char *qs_or_empty(struct pd_req *r, const char *key)
{
	const char *v = pd_req_query(r, key);
	return v ? v : "";
}

/* The public list, or (q) the published complaints whose public copy holds q's words. */
static void list_page(struct pd_req *r)
{
	struct pd_complaint_filter f = {qs_or_empty(r, "kategori"), qs_or_empty(r, "unit"),
	                                qs_or_empty(r, "desa"), qs_or_empty(r, "status"), 0, 0};
	const char *q = qs_or_empty(r, "q");
	struct pd_cursor cur = {0, NULL};
	const char *after = pd_req_query(r, "setelah");
	if (after && pd_cursor_decode(r->arena, after, &cur) != PD_OK) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	struct pd_complaint items[PAGE + 1];
	int n = 0;
	int rc = pd_complaint_search(r->store, &f, q, cur.k1, cur.k2, r->arena, items, PAGE + 1, &n);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object(), *arr = json_array();
	for (int i = 0; i < n && i < PAGE; i++)
		json_array_append_new(arr, summary_json(r, &items[i]));
	json_object_set_new(ctx, "items", arr);
	if (n > PAGE) {
		struct pd_cursor next = {items[PAGE - 1].created_ms, items[PAGE - 1].id};
		const char *nc = pd_cursor_encode(r->arena, &next);
		json_object_set_new(ctx, "next",
		                    json_string(pd_arena_printf(
		                            r->arena, "q=%s&kategori=%s&unit=%s&desa=%s&status=%s&setelah=%s",
		                            pd_url_encode(r->arena, q),
		                            pd_url_encode(r->arena, f.category_code),
		                            pd_url_encode(r->arena, f.unit_slug),
		                            pd_url_encode(r->arena, f.village_slug),
		                            pd_url_encode(r->arena, f.status), nc)));
	}
	if (after)
		json_object_set_new(ctx, "paged", json_true());
	if (*q) {
		json_object_set_new(ctx, "q", json_string(q));
		json_object_set_new(ctx, "searched", json_true());
	}
	json_object_set_new(ctx, "categories", categories_json(r, f.category_code));
	json_object_set_new(ctx, "villages", pd_web_villages(r, f.village_slug));
	json_t *sts = json_array();
	for (int i = 0; i < PD_CMP__MAX; i++)
		json_array_append_new(
		        sts, json_pack("{s:s,s:s,s:b}", "value",
		                       pd_complaint_status_name((enum pd_complaint_status)i), "label",
		                       pd_req_t(r, pd_complaint_status_label((enum pd_complaint_status)i)),
		                       "selected",
		                       strcmp(f.status, pd_complaint_status_name((enum pd_complaint_status)i)) == 0));
	json_object_set_new(ctx, "statuses", sts);
	pd_reply_page(r, 200, "pengaduan/index", N_("Pengaduan"), ctx);
}

static void list_after_refresh(struct pd_req *r, int rc)
{
	/* A failed refresh only means the newest changes are not findable yet. */
	if (rc)
		pd_log(PD_LOG_WARN, "complaint_index_failed", "rc=%d", rc);
	list_page(r);
}

void pd_web_complaints(struct pd_req *r)
{
	const char *q = pd_req_query(r, "q");
	bool pending = false;
	if (q && *q && pd_complaint_search_pending(r->store, &pending) == PD_OK && pending) {
		/* The index lags the public copy: bring it up to date before searching. */
		pd_req_write(r, pd_complaint_search_refresh_tx, NULL, list_after_refresh);
		return;
	}
	list_page(r);
}

void pd_web_complaints_mine(struct pd_req *r)
{
	struct pd_cursor cur = {0, NULL};
	const char *after = pd_req_query(r, "setelah");
	if (after && pd_cursor_decode(r->arena, after, &cur) != PD_OK) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	struct pd_complaint items[PAGE + 1];
	int n = 0;
	int rc = pd_complaint_list_mine(r->store, r->app->keys, r->actor, cur.k1, cur.k2, r->arena,
	                                items, PAGE + 1, &n);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *ctx = json_object(), *arr = json_array();
	for (int i = 0; i < n && i < PAGE; i++)
		json_array_append_new(arr, summary_json(r, &items[i]));
	json_object_set_new(ctx, "items", arr);
	if (n > PAGE) {
		struct pd_cursor next = {items[PAGE - 1].created_ms, items[PAGE - 1].id};
		json_object_set_new(ctx, "next", json_string(pd_cursor_encode(r->arena, &next)));
	}
	if (after)
		json_object_set_new(ctx, "paged", json_true());
	pd_reply_page(r, 200, "pengaduan/saya", N_("Pengaduan saya"), ctx);
}

const char *pd_web_complaint_event_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"filed", N_("Pengaduan diterima")},
		{"verified", N_("Diverifikasi")},
		{"dispositioned", N_("Diteruskan ke unit")},
		{"handed_on", N_("Dialihkan ke unit lain")},
		{"needs_info", N_("Pelapor diminta keterangan")},
		{"info_given", N_("Pelapor melengkapi keterangan")},
		{"out_of_scope", N_("Di luar kewenangan")},
		{"merged", N_("Digabung")},
		{"published", N_("Diterbitkan")},
		{"public_checked", N_("Salinan publik diperiksa petugas")},
		{"answered", N_("Dijawab")},
		{"confirmed", N_("Pelapor menyatakan selesai")},
		{"reopened", N_("Dibuka kembali")},
		{"escalated", N_("Dieskalasi ke atasan")},
	};
	for (size_t i = 0; kind && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].kind, kind) == 0)
			return labels[i].label;
	return kind ? kind : "";
}

void pd_web_complaint(struct pd_req *r)
{
	struct pd_complaint c;
	const char *token = pd_req_query(r, "t");
	bool own = true;
	int rc = pd_complaint_get_own(r->store, r->app->keys, r->actor, r->params[0], token,
	                              r->arena, &c);
	if (rc == PD_ERR_NOT_FOUND) {
		own = false;
		rc = pd_complaint_get_public(r->store, r->actor, r->params[0], r->arena, &c);
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *o = summary_json(r, &c);
	if (c.public_text)
		json_object_set_new(o, "text", json_string(c.public_text));
	if (c.address && (own || c.published))
		json_object_set_new(o, "address", json_string(c.address));
	if (c.occurred_ms)
		json_object_set_new(o, "occurred", json_string(pd_web_app_date(r, c.occurred_ms)));
	if (!pd_complaint_status_closed(c.status) && c.due_ms)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, c.due_ms)));
	if (c.answer_public)
		json_object_set_new(o, "answer", json_string(c.answer_public));
	if (c.published && !pd_complaint_status_closed(c.status))
		json_object_set_new(o, "can_support", json_true());
	if (c.supported_by_actor)
		json_object_set_new(o, "supported", json_true());
	json_t *photos = json_array();
	for (int i = 1; c.published && i <= c.n_photos; i++)
		json_array_append_new(photos, json_pack("{s:s,s:i}", "href",
		                                        pd_arena_printf(r->arena, "/pengaduan/%s/foto/%d",
		                                                        c.tracking_display, i),
		                                        "n", i));
	json_object_set_new(o, "photos", photos);
	json_t *events = json_array();
	for (int i = 0; i < c.n_events; i++) {
		json_t *e = json_pack("{s:s,s:s,s:s}", "when", pd_web_app_when(r, c.events[i].at_ms),
		                      "label", pd_req_t(r, pd_web_complaint_event_label(c.events[i].kind)), "status",
		                      pd_req_t(r, pd_complaint_status_label(c.events[i].status_after)));
		if (c.events[i].unit_name)
			json_object_set_new(e, "unit", json_string(c.events[i].unit_name));
		if (c.events[i].public_note)
			json_object_set_new(e, "note", json_string(c.events[i].public_note));
		json_array_append_new(events, e);
	}
	json_object_set_new(o, "events", events);
	if (own) {
		json_t *mine = json_pack("{s:s,s:s}", "title", c.title ? c.title : "", "text",
		                         c.text ? c.text : "");
		json_object_set_new(mine, "visibility",
		                    json_string(pd_req_t(r, c.visibility == PD_CMP_PUBLIC
		                                                    ? N_("Publik")
		                                                    : c.visibility == PD_CMP_ANONYMOUS
		                                                              ? N_("Anonim")
		                                                              : N_("Rahasia"))));
		if (c.held)
			json_object_set_new(mine, "held", json_true());
		if (c.contact_name)
			json_object_set_new(mine, "name", json_string(c.contact_name));
		if (c.contact_email)
			json_object_set_new(mine, "email", json_string(c.contact_email));
		json_t *acts = pd_web_complaint_reporter_actions(r, c.tracking_display, token);
		if (acts)
			json_object_set_new(mine, "reporter_actions", acts);
		json_object_set_new(o, "own", mine);
		pd_reply_header(r, "Cache-Control", "no-store");
		pd_reply_header(r, "Referrer-Policy", "no-referrer");
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", o);
	if (r->actor)
		json_object_set_new(ctx, "signed_in", json_true());
	if (pd_req_query(r, "didukung"))
		json_object_set_new(ctx, "supported_now", json_true());
	pd_reply_page_titled(r, 200, "pengaduan/detail",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Pengaduan")),
	                                     c.tracking_display),
	                     ctx);
}

struct support_job {
	struct pd_app_ctx c;
	const char *tracking;
	int64_t count;
	bool closed;
};

static int support_tx(struct pd_tx *tx, void *p)
{
	struct support_job *j = p;
	j->closed = false;
	int rc = pd_complaint_support(tx, &j->c, j->tracking, &j->count);
	if (rc == PD_ERR_CONFLICT && !pd_tx_error(tx)) {
		j->closed = true;
		return PD_OK;
	}
	return rc;
}

static void support_done(struct pd_req *r, int rc)
{
	struct support_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(j->tracking, g);
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/pengaduan/%s%s", g,
	                                          j->closed ? "" : "?didukung=1"));
}

void pd_web_complaint_support(struct pd_req *r)
{
	struct support_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (pd_tracking_parse(r->params[0], compact) || compact[0] != 'A') {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	j->tracking = pd_arena_strdup(r->arena, compact);
	j->c.actor = r->actor;
	j->c.ks = r->app->keys;
	r->user = j;
	pd_req_write(r, support_tx, j, support_done);
}

struct photo_job {
	const char *att;
	struct pd_buf buf;
	const struct pd_keyset *ks;
};

static int photo_read_tx(struct pd_tx *tx, void *p)
{
	struct photo_job *j = p;
	return pd_attachment_read(tx, j->ks, j->att, pd_web_download_collect, &j->buf);
}

void pd_web_complaint_photo(struct pd_req *r)
{
	int64_t n = 0;
	const char *type = NULL;
	struct photo_job j = {NULL, {0}, r->app->keys};
	int rc = pd_parse_i64(r->params[1], 1, PD_COMPLAINT_PHOTOS_MAX, &n) ? PD_ERR_NOT_FOUND
	                                                                    : PD_OK;
	if (!rc)
		rc = pd_complaint_public_photo(r->store, r->params[0], (int)n, r->arena, &j.att, &type);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_buf_init(&j.buf, PD_ATTACHMENT_MAX_BYTES);
	rc = pd_store_read(r->store, photo_read_tx, &j);
	if (rc) {
		pd_buf_free(&j.buf);
		pd_web_reply_rc(r, rc);
		return;
	}
	/* A photo a person uploaded: shown as an image, never a document of our origin. */
	pd_reply_header(r, "Content-Security-Policy", "sandbox");
	pd_reply_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	pd_reply_header(r, "Cache-Control", "public, max-age=300");
	pd_reply_bytes(r, 200, type, j.buf.data, j.buf.len);
	pd_buf_free(&j.buf);
}

void pd_web_track_complaint(struct pd_req *r, const char *compact)
{
	struct pd_complaint c;
	int rc = pd_complaint_track(r->store, compact, r->arena, &c);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "tracking", c.tracking_display, "status",
	                      pd_complaint_status_name(c.status), "status_label",
	                      pd_req_t(r, pd_complaint_status_label(c.status)), "category",
	                      c.category_name, "unit", c.unit_name);
	json_object_set_new(o, "created", json_string(pd_web_app_date(r, c.created_ms)));
	json_object_set_new(o, "updated", json_string(pd_web_app_date(r, c.updated_ms)));
	if (!pd_complaint_status_closed(c.status) && c.due_ms)
		json_object_set_new(o, "due", json_string(pd_web_app_date(r, c.due_ms)));
	if (c.answered_ms)
		json_object_set_new(o, "answered", json_string(pd_web_app_date(r, c.answered_ms)));
	if (c.published)
		json_object_set_new(o, "href", json_string(pd_arena_printf(r->arena, "/pengaduan/%s",
		                                                           c.tracking_display)));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", o);
	pd_reply_page_titled(r, 200, "lacak/pengaduan",
	                     pd_arena_printf(r->arena, "%s %s", pd_req_t(r, N_("Status pengaduan")),
	                                     c.tracking_display),
	                     ctx);
}
