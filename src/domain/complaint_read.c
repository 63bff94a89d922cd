/* Complaints read back: the public view and list (published only, nothing of the reporter),
 * the reporter's own view (signed in or with the follow-up token), the status for /lacak,
 * public photos, and the photo cleaning done before filing. */
#include "domain/complaint.h"

#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/image.h"
#include "domain/application_internal.h"
#include "store/complaint_store.h"

/* Public fields of r into out (strings copied into a). */
static void from_row(const struct pd_cmp_row *r, struct pd_arena *a, struct pd_complaint *out)
{
	memset(out, 0, sizeof *out);
	out->id = pd_arena_strdup(a, r->id);
	out->tracking = pd_arena_strdup(a, r->tracking);
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	out->tracking_display = pd_arena_strdup(a, g);
	out->category_id = pd_arena_strdup(a, r->category_id);
	out->category_code = pd_arena_strdup(a, r->category_code);
	out->category_name = pd_arena_strdup(a, r->category_name);
	out->title = r->public_title ? pd_arena_strdup(a, r->public_title) : NULL;
	out->public_text = r->public_text ? pd_arena_strdup(a, r->public_text) : NULL;
	if (pd_complaint_status_parse(r->status, &out->status))
		out->status = PD_CMP_NEW;
	if (pd_complaint_visibility_parse(r->visibility, &out->visibility))
		out->visibility = PD_CMP_CONFIDENTIAL;
	out->held = r->held;
	out->published = r->published;
	out->unit_id = pd_arena_strdup(a, r->unit_id);
	out->unit_path = pd_arena_strdup(a, r->unit_path);
	out->unit_name = pd_arena_strdup(a, r->unit_name);
	out->place_unit_id = r->place_unit_id ? pd_arena_strdup(a, r->place_unit_id) : NULL;
	out->place_slug = r->place_slug ? pd_arena_strdup(a, r->place_slug) : NULL;
	out->place_name = r->place_name ? pd_arena_strdup(a, r->place_name) : NULL;
	out->has_location = r->has_location;
	out->lat_e6 = r->lat_e6;
	out->lon_e6 = r->lon_e6;
	out->address = r->address ? pd_arena_strdup(a, r->address) : NULL;
	out->occurred_ms = r->occurred_ms;
	out->created_ms = r->created_ms;
	out->updated_ms = r->updated_ms;
	out->due_ms = r->due_ms;
	out->answered_ms = r->answered_ms;
	out->answer_public = r->answer_public ? pd_arena_strdup(a, r->answer_public) : NULL;
	out->support_count = r->support_count;
	out->channel = pd_arena_strdup(a, r->channel);
	out->version = r->version;
}

static int timeline(struct pd_tx *tx, const struct pd_cmp_row *r, struct pd_arena *a,
                    struct pd_complaint *out)
{
	struct pd_cmp_event_row *ev = pd_arena_alloc(a, PD_COMPLAINT_EVENTS_MAX * sizeof *ev);
	int n = 0;
	if (pd_store_cmp_events(tx, r->id, a, ev, PD_COMPLAINT_EVENTS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	out->events = pd_arena_alloc(a, (size_t)(n + 1) * sizeof *out->events);
	for (int i = 0; i < n; i++) {
		struct pd_complaint_event *e = &out->events[i];
		e->at_ms = ev[i].at_ms;
		e->kind = ev[i].kind;
		if (pd_complaint_status_parse(ev[i].status_after, &e->status_after))
			e->status_after = PD_CMP_NEW;
		e->unit_name = ev[i].unit_name;
		e->public_note = ev[i].public_note;
	}
	out->n_events = n;
	int64_t np = 0;
	if (pd_store_cmp_photo_count(tx, r->id, &np) < 0)
		return pd_app_db_error(tx);
	out->n_photos = (int)np;
	return PD_OK;
}

struct get_arg {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *tracking, *token;
	struct pd_arena *a;
	struct pd_complaint *out;
	int mode; /* 0 public, 1 own, 2 track */
};

static bool is_reporter(const struct pd_actor *actor, const struct pd_cmp_row *r)
{
	return actor && actor->account_id && r->reporter_account_id &&
	       strcmp(actor->account_id, r->reporter_account_id) == 0;
}

static bool token_ok(const char *token, const struct pd_cmp_row *r)
{
	if (!token || !*token || strlen(token) > 128 || r->followup_hash.n != 32)
		return false;
	unsigned char h[32];
	crypto_generichash(h, 32, (const unsigned char *)token, strlen(token), NULL, 0);
	return sodium_memcmp(h, r->followup_hash.p, 32) == 0;
}

/* Opens the sealed fields of r for its reporter. */
static int open_own(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_cmp_row *r,
                    struct pd_arena *a, struct pd_complaint *out)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_app_row ar;
	memset(&ar, 0, sizeof ar);
	ar.id = r->id;
	ar.subject_key = r->subject_key;
	ar.citizen_account_id = r->reporter_account_id;
	int rc = pd_app_key(tx, ks, &ar, key);
	if (rc)
		return rc;
	out->title = pd_app_open(a, key, r->title_ct, "complaint", "title_ct", r->id, &rc);
	if (!rc)
		out->text = pd_app_open(a, key, r->text_ct, "complaint", "text_ct", r->id, &rc);
	const char *contact = NULL;
	if (!rc)
		contact = pd_app_open(a, key, r->contact_ct, "complaint", "contact_ct", r->id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	out->reporter_account_id = r->reporter_account_id ? pd_arena_strdup(a, r->reporter_account_id)
	                                                  : NULL;
	json_t *o = contact ? json_loads(contact, 0, NULL) : NULL;
	const char *s;
	if (o && (s = json_string_value(json_object_get(o, "name"))))
		out->contact_name = pd_arena_strdup(a, s);
	if (o && (s = json_string_value(json_object_get(o, "email"))))
		out->contact_email = pd_arena_strdup(a, s);
	if (o && (s = json_string_value(json_object_get(o, "phone"))))
		out->contact_phone = pd_arena_strdup(a, s);
	json_decref(o);
	return PD_OK;
}

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *g = p;
	struct pd_cmp_row r;
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!g->tracking || pd_tracking_parse(g->tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, compact, g->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (g->mode == 0 && !r.published)
		return PD_ERR_NOT_FOUND;
	if (g->mode == 1 && !is_reporter(g->actor, &r) && !token_ok(g->token, &r))
		return PD_ERR_NOT_FOUND;
	from_row(&r, g->a, g->out);
	if (g->mode == 2)
		return PD_OK;
	int rc = timeline(tx, &r, g->a, g->out);
	if (!rc && g->mode == 1)
		rc = open_own(tx, g->ks, &r, g->a, g->out);
	if (!rc && g->actor && g->actor->account_id &&
	    pd_store_cmp_supports(tx, r.id, g->actor->account_id, &g->out->supported_by_actor) < 0)
		rc = pd_app_db_error(tx);
	return rc;
}

int pd_complaint_get_public(struct pd_store *st, const struct pd_actor *actor,
                            const char *tracking, struct pd_arena *a, struct pd_complaint *out)
{
	struct get_arg g = {NULL, actor, tracking, NULL, a, out, 0};
	return pd_store_read(st, get_tx, &g);
}

int pd_complaint_get_own(struct pd_store *st, const struct pd_keyset *ks,
                         const struct pd_actor *actor, const char *tracking, const char *token,
                         struct pd_arena *a, struct pd_complaint *out)
{
	struct get_arg g = {ks, actor, tracking, token, a, out, 1};
	return pd_store_read(st, get_tx, &g);
}

int pd_complaint_track(struct pd_store *st, const char *tracking, struct pd_arena *a,
                       struct pd_complaint *out)
{
	struct get_arg g = {NULL, NULL, tracking, NULL, a, out, 2};
	return pd_store_read(st, get_tx, &g);
}

/* --- lists --------------------------------------------------------------------------------- */

struct list_arg {
	const struct pd_keyset *ks;
	const char *account_id;
	struct pd_cmp_list_filter f;
	struct pd_arena *a;
	struct pd_complaint *out;
	int max, *n;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *l = p;
	struct pd_cmp_row *rows = pd_arena_alloc(l->a, (size_t)l->max * sizeof *rows);
	int n = 0;
	enum pd_qs qs = l->account_id ? pd_store_cmp_list_mine(tx, l->account_id, l->f.after_ms,
	                                                       l->f.after_id, l->a, rows, l->max, &n)
	                              : pd_store_cmp_list_public(tx, &l->f, l->a, rows, l->max, &n);
	if (qs < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++) {
		from_row(&rows[i], l->a, &l->out[i]);
		if (!l->account_id)
			continue;
		int rc;
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		struct pd_app_row ar;
		memset(&ar, 0, sizeof ar);
		ar.id = rows[i].id;
		ar.subject_key = rows[i].subject_key;
		ar.citizen_account_id = rows[i].reporter_account_id;
		if ((rc = pd_app_key(tx, l->ks, &ar, key)))
			return rc;
		l->out[i].title = pd_app_open(l->a, key, rows[i].title_ct, "complaint", "title_ct",
		                              rows[i].id, &rc);
		sodium_memzero(key, sizeof key);
		if (rc)
			return rc;
	}
	*l->n = n;
	return PD_OK;
}

static bool status_filter_ok(const char *s)
{
	enum pd_complaint_status st;
	return !s || !*s || strcmp(s, "open") == 0 || strcmp(s, "closed") == 0 ||
	       pd_complaint_status_parse(s, &st) == PD_OK;
}

int pd_complaint_list_public(struct pd_store *st, const struct pd_complaint_filter *f,
                             int64_t after_ms, const char *after_id, struct pd_arena *a,
                             struct pd_complaint *out, int max, int *n)
{
	*n = 0;
	if (!status_filter_ok(f->status) || max < 1 || max > PD_COMPLAINT_PAGE_MAX)
		return PD_ERR_INVALID;
	struct list_arg l = {NULL, NULL,
	                     {f->category_code, f->unit_slug, f->village_slug, f->status, f->since_ms,
	                      f->until_ms, after_ms, after_id},
	                     a, out, max, n};
	return pd_store_read(st, list_tx, &l);
}

int pd_complaint_list_mine(struct pd_store *st, const struct pd_keyset *ks,
                           const struct pd_actor *actor, int64_t after_ms, const char *after_id,
                           struct pd_arena *a, struct pd_complaint *out, int max, int *n)
{
	*n = 0;
	if (!actor || !actor->account_id || !*actor->account_id || actor->system)
		return PD_ERR_NOT_FOUND;
	if (max < 1 || max > PD_COMPLAINT_PAGE_MAX)
		return PD_ERR_INVALID;
	struct list_arg l = {ks, actor->account_id, {0}, a, out, max, n};
	l.f.after_ms = after_ms;
	l.f.after_id = after_id;
	return pd_store_read(st, list_tx, &l);
}

/* --- photos -------------------------------------------------------------------------------- */

struct photo_arg {
	const char *tracking;
	int n;
	struct pd_arena *a;
	const char **att, **type;
};

static int photo_tx(struct pd_tx *tx, void *p)
{
	struct photo_arg *ph = p;
	struct pd_cmp_row r;
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (pd_tracking_parse(ph->tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, compact, ph->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !r.published)
		return PD_ERR_NOT_FOUND;
	struct pd_cmp_photo_row row;
	qs = pd_store_cmp_photo(tx, r.id, ph->n, ph->a, &row);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	*ph->att = row.attachment_id;
	*ph->type = row.content_type;
	return PD_OK;
}

int pd_complaint_public_photo(struct pd_store *st, const char *tracking, int n,
                              struct pd_arena *a, const char **attachment_id,
                              const char **content_type)
{
	if (n < 1 || n > PD_COMPLAINT_PHOTOS_MAX)
		return PD_ERR_NOT_FOUND;
	struct photo_arg ph = {tracking, n, a, attachment_id, content_type};
	return pd_store_read(st, photo_tx, &ph);
}

int pd_complaint_photo_clean(const char *in_path, const char *out_path, const char **mime_out)
{
	struct pd_buf in, out;
	pd_buf_init(&in, PD_ATTACHMENT_MAX_BYTES + 1);
	pd_buf_init(&out, PD_ATTACHMENT_MAX_BYTES);
	int rc = PD_ERR_IO;
	FILE *f = fopen(in_path, "rb");
	if (!f)
		goto out;
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (pd_buf_append(&in, chunk, got)) {
			rc = PD_ERR_TOO_LARGE;
			fclose(f);
			goto out;
		}
	}
	fclose(f);
	rc = pd_image_clean(in.data, in.len, PD_COMPLAINT_PHOTO_PX, &out, mime_out, NULL, NULL);
	if (rc)
		goto out;
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = PD_ERR_IO;
		goto out;
	}
	size_t off = 0;
	while (off < out.len) {
		ssize_t w = write(fd, out.data + off, out.len - off);
		if (w <= 0) {
			rc = PD_ERR_IO;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) && !rc)
		rc = PD_ERR_IO;
out:
	pd_buf_free(&in);
	pd_buf_free(&out);
	return rc;
}
