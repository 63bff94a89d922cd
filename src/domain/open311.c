/* Open311 GeoReport v2 in domain terms: published complaints as service requests, their
 * public timeline as updates, jurisdictions, and filing for a partner key. */
#include "domain/open311.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "domain/complaint.h"
#include "store/apikey_store.h"
#include "store/complaint_store.h"
#include "store/open311_store.h"
#include "store/unit_store.h"

#define TITLE_CHARS 80  /* code points of a title taken from the description */

static const char *grouped(struct pd_arena *a, const char *compact)
{
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(compact, g);
	return pd_arena_strdup(a, g);
}

static bool status_closed(const char *stored)
{
	enum pd_complaint_status s;
	return pd_complaint_status_parse(stored, &s) == PD_OK && pd_complaint_status_closed(s);
}

static void from_row(const struct pd_o311_row *r, struct pd_arena *a,
                     struct pd_open311_request *out)
{
	memset(out, 0, sizeof *out);
	out->tracking = grouped(a, r->tracking);
	out->closed = status_closed(r->status);
	out->status_notes = r->answer_public;
	out->service_code = r->category_code;
	out->service_name = r->category_name;
	out->description = r->public_text ? r->public_text : r->public_title;
	out->agency = r->unit_name;
	if (r->address && r->place_name)
		out->address = pd_arena_printf(a, "%s, %s", r->address, r->place_name);
	else
		out->address = r->address ? r->address : r->place_name;
	out->address_id = r->place_code;
	out->has_location = r->has_location;
	out->lat_e6 = r->lat_e6;
	out->lon_e6 = r->lon_e6;
	out->requested_ms = r->created_ms;
	out->updated_ms = r->updated_ms;
	out->expected_ms = r->due_ms;
	out->n_photos = (int)r->n_photos;
}

/* The materialised path of jurisdiction slug ("" for none) into *path. */
static int jurisdiction_path(struct pd_tx *tx, const char *slug, const char **path)
{
	*path = "";
	if (!slug || !*slug)
		return PD_OK;
	if (!pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, NULL, &u);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	*path = u.path;
	return PD_OK;
}

struct list_arg {
	const struct pd_open311_query *q;
	struct pd_arena *a;
	struct pd_open311_request *out;
	struct pd_open311_update *updates;
	int *n;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *l = p;
	struct pd_o311_filter f = {l->q->codes, l->q->status, "", l->q->since_ms, l->q->until_ms,
	                           l->q->limit, l->q->offset};
	int rc = jurisdiction_path(tx, l->q->jurisdiction, &f.path);
	if (rc)
		return rc;
	int n = 0;
	if (l->updates) {
		struct pd_o311_update_row *rows = pd_arena_alloc(l->a, (size_t)l->q->limit * sizeof *rows);
		if (pd_store_o311_updates(tx, &f, l->a, rows, l->q->limit, &n) < 0)
			return pd_app_db_error(tx);
		for (int i = 0; i < n; i++)
			l->updates[i] = (struct pd_open311_update){
				rows[i].id, grouped(l->a, rows[i].tracking), status_closed(rows[i].status_after),
				rows[i].public_note, rows[i].kind, rows[i].at_ms};
	} else {
		struct pd_o311_row *rows = pd_arena_alloc(l->a, (size_t)l->q->limit * sizeof *rows);
		if (pd_store_o311_list(tx, &f, l->a, rows, l->q->limit, &n) < 0)
			return pd_app_db_error(tx);
		for (int i = 0; i < n; i++)
			from_row(&rows[i], l->a, &l->out[i]);
	}
	*l->n = n;
	return PD_OK;
}

static bool query_ok(const struct pd_open311_query *q)
{
	return q->limit >= 1 && q->limit <= PD_OPEN311_PAGE_MAX && q->offset >= 0 &&
	       q->offset < PD_OPEN311_DEPTH_MAX && q->since_ms <= q->until_ms;
}

int pd_open311_requests(struct pd_store *st, const struct pd_open311_query *q,
                        struct pd_arena *a, struct pd_open311_request *out, int *n)
{
	*n = 0;
	if (!query_ok(q))
		return PD_ERR_INVALID;
	struct list_arg l = {q, a, out, NULL, n};
	return pd_store_read(st, list_tx, &l);
}

int pd_open311_updates(struct pd_store *st, const struct pd_open311_query *q,
                       struct pd_arena *a, struct pd_open311_update *out, int *n)
{
	*n = 0;
	if (!query_ok(q))
		return PD_ERR_INVALID;
	struct list_arg l = {q, a, NULL, out, n};
	return pd_store_read(st, list_tx, &l);
}

struct one_arg {
	const char *tracking;
	struct pd_arena *a;
	struct pd_open311_request *out;
};

static int one_tx(struct pd_tx *tx, void *p)
{
	struct one_arg *o = p;
	struct pd_o311_row r;
	enum pd_qs qs = pd_store_o311_by_tracking(tx, o->tracking, o->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	from_row(&r, o->a, o->out);
	return PD_OK;
}

int pd_open311_request(struct pd_store *st, const char *tracking, struct pd_arena *a,
                       struct pd_open311_request *out)
{
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!tracking || pd_tracking_parse(tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	struct one_arg o = {compact, a, out};
	return pd_store_read(st, one_tx, &o);
}

static int jurisdiction_tx(struct pd_tx *tx, void *p)
{
	const char *path;
	return jurisdiction_path(tx, p, &path);
}

int pd_open311_jurisdiction(struct pd_store *st, const char *slug)
{
	return pd_store_read(st, jurisdiction_tx, (void *)slug);
}

/* --- filing -------------------------------------------------------------------------------- */

static bool blank(const char *s)
{
	return !s || !*s;
}

/* The first line of text, at most TITLE_CHARS code points (cut on a character boundary). */
static const char *title_of(struct pd_arena *a, const char *text)
{
	size_t n = 0, chars = 0;
	while (text[n] && text[n] != '\n' && text[n] != '\r') {
		if (((unsigned char)text[n] & 0xC0) != 0x80) {
			if (chars == TITLE_CHARS)
				break;
			chars++;
		}
		n++;
	}
	while (n > 0 && text[n - 1] == ' ')
		n--;
	return n ? pd_arena_strndup(a, text, n) : NULL;
}

/* A UUID-shaped id derived from (key id, Idempotency-Key), so a repeated POST files once. */
static void idempotent_id(const char *key_id, const char *idem, char out[PD_UUID_LEN + 1])
{
	unsigned char h[16];
	crypto_generichash_state s;
	crypto_generichash_init(&s, NULL, 0, sizeof h);
	crypto_generichash_update(&s, (const unsigned char *)key_id, strlen(key_id) + 1);
	crypto_generichash_update(&s, (const unsigned char *)idem, strlen(idem));
	crypto_generichash_final(&s, h, sizeof h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x80); /* version 8: custom */
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[h[i] >> 4];
		out[k++] = hex[h[i] & 15];
	}
	out[k] = '\0';
}

/* The village's slug for a code (dots optional) or slug; NULL with a field error when none. */
static int resolve_village(struct pd_tx *tx, const char *v, struct pd_app_errors *errs,
                           const char **slug)
{
	*slug = NULL;
	if (blank(v))
		return PD_OK;
	char digits[32];
	size_t k = 0;
	bool code = strlen(v) < sizeof digits;
	for (const char *p = v; code && *p; p++) {
		if (*p == '.')
			continue;
		if (*p < '0' || *p > '9')
			code = false;
		else
			digits[k++] = *p;
	}
	digits[code ? k : 0] = '\0';
	enum pd_qs qs = pd_store_o311_village(tx, digits, pd_slug_valid(v) ? v : "", NULL, slug);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		pd_app_error(errs, "desa", N_("Desa atau kelurahan tidak dikenal: gunakan kode wilayah atau slug desa."));
	return PD_OK;
}

int pd_open311_file(struct pd_tx *tx, const struct pd_app_ctx *c, const char *key,
                    const struct pd_open311_post *in, struct pd_app_errors *errs,
                    struct pd_open311_posted *out)
{
	memset(out, 0, sizeof *out);
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_apikey k;
	int rc = pd_apikey_verify_tx(tx, key, a, &k);
	if (rc == PD_ERR_NOT_FOUND)
		return PD_ERR_FORBIDDEN;
	if (rc)
		return rc;
	const char *path;
	if ((rc = jurisdiction_path(tx, in->jurisdiction, &path)))
		return rc;
	struct pd_complaint_input ci;
	memset(&ci, 0, sizeof ci);
	ci.channel = "open311";
	ci.category_code = in->service_code;
	if ((rc = resolve_village(tx, in->village, errs, &ci.village_slug)))
		return rc;
	if (!blank(in->description)) {
		ci.text = in->description;
		ci.title = title_of(a, in->description);
	}
	if (!ci.title || !ci.text) { /* no description: the service's name stands in */
		struct pd_cmp_category_row cat;
		enum pd_qs qs = blank(in->service_code) || strlen(in->service_code) > 64
		                        ? PD_QS_NONE
		                        : pd_store_cmp_category_by_code(tx, in->service_code, NULL, &cat);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE) {
			if (!ci.title)
				ci.title = cat.name;
			if (!ci.text)
				ci.text = cat.name;
		}
	}
	ci.address = blank(in->address) ? NULL : in->address;
	ci.has_location = in->has_location;
	ci.lat_e6 = in->lat_e6;
	ci.lon_e6 = in->lon_e6;
	if (k.trusted_identities) {
		ci.visibility = PD_CMP_PUBLIC;
		if (!blank(in->first_name) || !blank(in->last_name))
			ci.contact_name = pd_arena_printf(a, "%s%s%s", blank(in->first_name) ? "" : in->first_name,
			                                  !blank(in->first_name) && !blank(in->last_name) ? " " : "",
			                                  blank(in->last_name) ? "" : in->last_name);
		ci.contact_email = blank(in->email) ? NULL : in->email;
		ci.contact_phone = blank(in->phone) ? NULL : in->phone;
	} else {
		ci.visibility = PD_CMP_ANONYMOUS;
	}
	char id[PD_UUID_LEN + 1];
	if (!blank(in->idempotency_key)) {
		idempotent_id(k.id, in->idempotency_key, id);
		ci.id = id;
	}
	struct pd_complaint_filed filed;
	if (errs->n)
		return PD_ERR_INVALID;
	if ((rc = pd_complaint_file(tx, c, &ci, errs, &filed)))
		return rc;
	snprintf(out->tracking, sizeof out->tracking, "%s", filed.tracking);
	out->held = filed.held;
	out->published = filed.published;
	out->existed = filed.existed;
	if (filed.existed)
		return PD_OK;
	int64_t now = pd_app_now(c);
	if ((!blank(in->media_url) && pd_store_o311_set_media(tx, filed.id, in->media_url) < 0) ||
	    pd_store_open311_request_insert(tx, filed.id, k.id, now) < 0 ||
	    pd_apikey_touch(tx, &k, now))
		return pd_app_db_error(tx);
	char details[96];
	snprintf(details, sizeof details, "{\"api_key\":\"%s\"}", k.id);
	struct pd_audit_event ev = {
		.actor = pd_arena_printf(a, "apikey:%s", k.id), .action = "open311.request",
		.object_type = "complaint", .object_id = filed.id, .details = details, .ts_ms = now};
	return pd_audit_append(tx, &ev);
}

struct filed_arg {
	const char *id;
	struct pd_open311_posted *out;
};

static int filed_tx(struct pd_tx *tx, void *p)
{
	struct filed_arg *f = p;
	struct pd_cmp_row r;
	enum pd_qs qs = pd_store_cmp_by_id(tx, f->id, NULL, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || strcmp(r.channel, "open311") != 0)
		return PD_ERR_NOT_FOUND;
	snprintf(f->out->tracking, sizeof f->out->tracking, "%s", r.tracking);
	f->out->held = r.held;
	f->out->published = r.published;
	f->out->existed = true;
	return PD_OK;
}

int pd_open311_filed(struct pd_store *st, const char *key_id, const char *idempotency_key,
                     struct pd_open311_posted *out)
{
	memset(out, 0, sizeof *out);
	if (!key_id || blank(idempotency_key))
		return PD_ERR_NOT_FOUND;
	char id[PD_UUID_LEN + 1];
	idempotent_id(key_id, idempotency_key, id);
	struct filed_arg f = {id, out};
	return pd_store_read(st, filed_tx, &f);
}

struct service_arg {
	const char *code;
	struct pd_arena *a;
	struct pd_complaint_category *out;
};

static int service_tx(struct pd_tx *tx, void *p)
{
	struct service_arg *s = p;
	struct pd_cmp_category_row k;
	enum pd_qs qs = pd_store_cmp_category_by_code(tx, s->code, s->a, &k);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !k.enabled)
		return PD_ERR_NOT_FOUND;
	*s->out = (struct pd_complaint_category){k.id, k.code, k.name, k.description, k.keywords,
	                                         k.unit_id, k.unit_slug, k.unit_name,
	                                         k.deadline_days, k.enabled};
	return PD_OK;
}

int pd_open311_service(struct pd_store *st, const char *code, struct pd_arena *a,
                       struct pd_complaint_category *out)
{
	memset(out, 0, sizeof *out);
	if (blank(code) || strlen(code) > 64)
		return PD_ERR_NOT_FOUND;
	struct service_arg s = {code, a, out};
	return pd_store_read(st, service_tx, &s);
}
