/* What every step of an application shares: access, the subject key and sealing, the summary
 * of a row, timeline events, audit entries, notifications with their email, and files. */
#include "domain/application_internal.h"

#include <jansson.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/sniff.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/form.h"
#include "domain/mail.h"
#include "store/account_store.h"
#include "store/service_store.h"
#include "store/unit_store.h"

#define APP_TRACKING_DRAWS 8 /* tracking numbers tried before a submission gives up */

static const char *const status_names[PD_APP__MAX] = {
	[PD_APP_DRAFT] = "draft",           [PD_APP_SUBMITTED] = "submitted",
	[PD_APP_PROCESSING] = "processing", [PD_APP_RETURNED] = "returned",
	[PD_APP_APPROVED] = "approved",     [PD_APP_REJECTED] = "rejected",
};

static const char *const status_labels[PD_APP__MAX] = {
	[PD_APP_DRAFT] = N_("Draf"),
	[PD_APP_SUBMITTED] = N_("Diajukan"),
	[PD_APP_PROCESSING] = N_("Diproses"),
	[PD_APP_RETURNED] = N_("Dikembalikan untuk diperbaiki"),
	[PD_APP_APPROVED] = N_("Disetujui"),
	[PD_APP_REJECTED] = N_("Ditolak"),
};

const char *pd_app_status_name(enum pd_app_status s)
{
	return (unsigned)s < PD_APP__MAX ? status_names[s] : NULL;
}

int pd_app_status_parse(const char *name, enum pd_app_status *out)
{
	for (int i = 0; name && i < PD_APP__MAX; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum pd_app_status)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

const char *pd_app_status_label(enum pd_app_status s)
{
	return (unsigned)s < PD_APP__MAX ? status_labels[s] : "";
}

bool pd_app_status_final(enum pd_app_status s)
{
	return s == PD_APP_APPROVED || s == PD_APP_REJECTED;
}

void pd_app_error(struct pd_app_errors *e, const char *field, const char *msgid)
{
	if (!e || !field || !msgid || pd_app_error_for(e, field) || e->n >= PD_APP_FIELDS_MAX)
		return;
	size_t len = strlen(field);
	if (len >= sizeof e->field[0]) {
		field = "_form";
		len = strlen(field);
	}
	memcpy(e->field[e->n], field, len + 1);
	e->msg[e->n] = msgid;
	e->n++;
}

const char *pd_app_error_for(const struct pd_app_errors *e, const char *field)
{
	for (int i = 0; e && field && i < e->n; i++)
		if (strcmp(e->field[i], field) == 0)
			return e->msg[i];
	return NULL;
}

int pd_app_db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

int pd_app_enabled_service(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                           struct pd_service *s)
{
	if (!slug || !pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_service_by_slug(tx, slug, a, s);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE || !s->enabled ? PD_ERR_NOT_FOUND : PD_OK;
}

void pd_app_row_new_draft(struct pd_app_row *r, const struct pd_service *s, int64_t form_version,
                          int64_t now)
{
	r->service_id = s->id;
	r->form_version = form_version;
	r->unit_id = s->unit_id;
	r->unit_path = s->unit_path;
	r->status = "draft";
	r->version = 1;
	r->created_ms = r->updated_ms = now;
	r->service_slug = s->slug;
	r->service_name = s->name;
	r->service_product = s->product;
	r->unit_name = s->unit_name;
}

int64_t pd_app_now(const struct pd_app_ctx *c)
{
	return c && c->now_ms ? c->now_ms : pd_clock_now_ms();
}

const char *pd_app_audit_actor(struct pd_arena *a, const struct pd_actor *actor)
{
	if (!actor)
		return "system";
	if (actor->system)
		return actor->account_id && *actor->account_id
		               ? pd_arena_printf(a, "cli:%s", actor->account_id)
		               : "system";
	return pd_arena_printf(a, "account:%s", actor->account_id);
}

bool pd_app_is_owner(const struct pd_actor *actor, const struct pd_app_row *r)
{
	return actor && actor->account_id && *actor->account_id && r->citizen_account_id &&
	       strcmp(actor->account_id, r->citizen_account_id) == 0;
}

int pd_app_authz(const struct pd_actor *actor, enum pd_action action,
                 const struct pd_app_row *r)
{
	if (strcmp(r->status, "draft") == 0 && !pd_app_is_owner(actor, r) &&
	    !(actor && actor->system))
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object o = {r->citizen_account_id, r->unit_path};
	return pd_authz(actor, action, &o);
}

int pd_app_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_app_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	if (r->subject_key.p) {
		if (pd_crypto_subject_key_unwrap(ks, r->id, r->subject_key.p, r->subject_key.n, key))
			return PD_ERR_CRYPTO;
		return PD_OK;
	}
	if (!r->citizen_account_id)
		return PD_ERR_NOT_FOUND;
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, r->citizen_account_id, NULL, &acc);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !acc.subject_key.p)
		return PD_ERR_NOT_FOUND;
	if (pd_crypto_subject_key_unwrap(ks, acc.id, acc.subject_key.p, acc.subject_key.n, key))
		return PD_ERR_CRYPTO;
	return PD_OK;
}

struct pd_blob pd_app_seal(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                           const char *value, const char *table, const char *column,
                           const char *id, int *rc)
{
	struct pd_blob b = {NULL, 0};
	*rc = PD_OK;
	if (!value)
		return b;
	struct pd_buf out;
	pd_buf_init(&out, 2 * 1024 * 1024);
	*rc = pd_crypto_seal_with(key, value, strlen(value), table, column, id, &out);
	if (!*rc) {
		b.p = pd_arena_memdup(a, out.data, out.len);
		b.n = out.len;
	}
	pd_buf_free(&out);
	return b;
}

const char *pd_app_open(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                        struct pd_blob ct, const char *table, const char *column, const char *id,
                        int *rc)
{
	*rc = PD_OK;
	if (!ct.p)
		return NULL;
	struct pd_buf out;
	pd_buf_init(&out, 2 * 1024 * 1024);
	const char *s = NULL;
	*rc = pd_crypto_open_with(key, ct.p, ct.n, table, column, id, &out);
	if (!*rc)
		s = pd_arena_strndup(a, out.len ? pd_buf_cstr(&out) : "", out.len);
	if (out.data)
		sodium_memzero(out.data, out.cap);
	pd_buf_free(&out);
	return s;
}

void pd_app_from_row(const struct pd_app_row *r, struct pd_arena *a, struct pd_application *out)
{
	memset(out, 0, sizeof *out);
	out->id = pd_arena_strdup(a, r->id);
	if (r->tracking) {
		out->tracking = pd_arena_strdup(a, r->tracking);
		char g[PD_TRACKING_GROUPED_LEN + 1];
		pd_tracking_format(r->tracking, g);
		out->tracking_display = pd_arena_strdup(a, g);
	}
	out->service_id = pd_arena_strdup(a, r->service_id);
	out->service_slug = pd_arena_strdup(a, r->service_slug);
	out->service_name = pd_arena_strdup(a, r->service_name);
	out->service_product = pd_arena_strdup(a, r->service_product);
	out->unit_id = pd_arena_strdup(a, r->unit_id);
	out->unit_path = pd_arena_strdup(a, r->unit_path);
	out->unit_name = pd_arena_strdup(a, r->unit_name);
	out->place_unit_id = pd_arena_strdup(a, r->place_unit_id);
	out->form_version = (int)r->form_version;
	if (pd_app_status_parse(r->status, &out->status))
		out->status = PD_APP_DRAFT;
	out->citizen_account_id = pd_arena_strdup(a, r->citizen_account_id);
	out->assisted = r->assisted_by != NULL || r->consent_ms != 0;
	out->assisted_by = pd_arena_strdup(a, r->assisted_by);
	out->consent_ms = r->consent_ms;
	out->assigned_to = pd_arena_strdup(a, r->assigned_to);
	out->sla_days = r->sla_days;
	out->submitted_ms = r->submitted_ms;
	out->due_ms = r->due_ms;
	out->paused_since_ms = r->paused_since_ms;
	out->paused_days = r->paused_days;
	out->overdue = r->overdue;
	out->decided_ms = r->decided_ms;
	out->document_id = pd_arena_strdup(a, r->document_id);
	out->version = r->version;
	out->created_ms = r->created_ms;
	out->updated_ms = r->updated_ms;
}

int pd_app_event(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                 const char *kind, bool by_staff, const char *note,
                 const unsigned char *key, const char *assignee)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_app_event_row e = {
		.id = id,
		.application_id = r->id,
		.at_ms = pd_app_now(c),
		.actor_id = c && c->actor && !c->actor->system ? c->actor->account_id : NULL,
		.by_staff = by_staff,
		.kind = kind,
		.status_after = r->status,
		.assignee_id = assignee,
	};
	if (note && key) {
		int rc;
		e.note_ct = pd_app_seal(pd_tx_arena(tx), key, note, "application_event", "note_ct", id,
		                        &rc);
		if (rc)
			return rc;
	}
	if (pd_store_app_event_insert(tx, &e) <= 0)
		return pd_app_db_error(tx);
	return PD_OK;
}

int pd_app_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                 const char *action, const char *details)
{
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c ? c->actor : NULL),
		.action = action,
		.object_type = "application",
		.object_id = r->id,
		.unit_id = r->unit_id,
		.subject_id = r->citizen_account_id,
		.details = details,
		.ts_ms = pd_app_now(c),
	};
	return pd_audit_append(tx, &ev);
}

/* The first paragraph of the mail for an event kind (a msgid). */
static const char *mail_lead(const char *kind)
{
	static const struct {
		const char *kind, *text;
	} leads[] = {
		{"submitted", N_("Permohonan Anda telah diterima dan menunggu diproses.")},
		{"resubmitted", N_("Perbaikan permohonan Anda telah diterima dan menunggu diproses kembali.")},
		{"claimed", N_("Permohonan Anda sedang diproses oleh petugas.")},
		{"assigned", N_("Permohonan Anda sedang diproses oleh petugas.")},
		{"returned", N_("Permohonan Anda dikembalikan untuk diperbaiki. Lihat catatan petugas dan kirim perbaikannya lewat tautan di bawah.")},
		{"approved", N_("Permohonan Anda disetujui. Dokumen dapat diunduh lewat tautan di bawah.")},
		{"rejected", N_("Permohonan Anda ditolak. Alasannya dapat dibaca lewat tautan di bawah.")},
		{"attached", N_("Permohonan yang diajukan dengan bantuan petugas kini tertaut ke akun Anda.")},
	};
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
		if (strcmp(leads[i].kind, kind) == 0)
			return leads[i].text;
	return N_("Status permohonan Anda berubah.");
}

static int send_mail(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                     const char *kind, const char *to, const char *lang)
{
	enum pd_app_status st = PD_APP_DRAFT;
	pd_app_status_parse(r->status, &st);
	char g[PD_TRACKING_GROUPED_LEN + 1] = "";
	if (r->tracking)
		pd_tracking_format(r->tracking, g);
	const char *label = pd_i18n_text(lang, pd_app_status_label(st));
	struct pd_arena *a = pd_tx_arena(tx);
	const char *subject = pd_arena_printf(a, "%s %s: %s",
	                                      pd_i18n_text(lang, N_("Permohonan")), g, label);
	struct pd_buf body;
	pd_buf_init(&body, 64 * 1024);
	pd_buf_printf(&body, "%s\n\n", pd_i18n_text(lang, mail_lead(kind)));
	pd_buf_printf(&body, "%s %s\n", pd_i18n_text(lang, N_("Layanan:")), r->service_name);
	pd_buf_printf(&body, "%s %s\n", pd_i18n_text(lang, N_("Nomor permohonan:")), g);
	pd_buf_printf(&body, "%s %s\n", pd_i18n_text(lang, N_("Status:")), label);
	if (c->cal && r->due_ms && (st == PD_APP_SUBMITTED || st == PD_APP_PROCESSING)) {
		int y, m, d;
		pd_civil_from_day(pd_calendar_day_of(c->cal, r->due_ms), &y, &m, &d);
		pd_buf_printf(&body, "%s %04d-%02d-%02d\n", pd_i18n_text(lang, N_("Batas waktu:")), y, m,
		              d);
	}
	const char *base = c->base_url ? c->base_url : "";
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	pd_buf_printf(&body, "\n%.*s/permohonan/%s\n", (int)bl, base, r->id);
	int rc = pd_mail_enqueue(tx, to, subject, pd_buf_cstr(&body), NULL);
	pd_buf_free(&body);
	return rc;
}

int pd_app_notify(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                  const char *kind)
{
	if (!r->citizen_account_id)
		return PD_OK;
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_notification_row n = {
		.id = id,
		.account_id = r->citizen_account_id,
		.application_id = r->id,
		.kind = kind,
		.status = r->status,
		.created_ms = pd_app_now(c),
	};
	if (pd_store_notification_insert(tx, &n) <= 0)
		return pd_app_db_error(tx);
	if (c->quiet)
		return PD_OK; /* the demo's past: the portal row only (see struct pd_app_ctx) */
	struct pd_account acc;
	int rc = pd_account_load(tx, c->ks, r->citizen_account_id, pd_tx_arena(tx), &acc);
	if (rc == PD_ERR_NOT_FOUND || (!rc && (!acc.email || acc.row.erased_ms)))
		return PD_OK; /* erased: the portal row is all there is */
	if (rc)
		return rc;
	rc = send_mail(tx, c, r, kind, acc.email, acc.row.lang ? acc.row.lang : PD_I18N_DEFAULT);
	if (rc == PD_ERR_INVALID) {
		pd_log(PD_LOG_WARN, "application.mail", "reason=invalid");
		return PD_OK; /* an address the mailer refuses must not block the step */
	}
	return rc;
}

bool pd_app_text_ok(const char *s, size_t max, bool required)
{
	if (!s)
		return !required;
	size_t n = strlen(s);
	if (n > 4 * max || !pd_utf8_valid(s, n))
		return false;
	size_t len = pd_utf8_len(s, n);
	if (len > max)
		return false;
	bool blank = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return false;
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			blank = false;
	}
	return !required || !blank;
}

int pd_app_files(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                 struct pd_arena *a, struct pd_app_file *out, int max, int *n)
{
	*n = 0;
	struct pd_app_file_row rows[PD_APP_FILES_MAX];
	int nr = 0;
	if (max > PD_APP_FILES_MAX)
		max = PD_APP_FILES_MAX;
	if (pd_store_app_files(tx, id, a, rows, max, &nr) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < nr; i++) {
		struct pd_attachment_info info;
		int rc = pd_attachment_info(tx, ks, rows[i].attachment_id, a, &info);
		if (rc == PD_ERR_NOT_FOUND)
			continue;
		if (rc)
			return rc;
		struct pd_app_file *f = &out[(*n)++];
		f->id = rows[i].id;
		f->field_key = rows[i].field_key;
		f->attachment_id = rows[i].attachment_id;
		f->content_type = info.content_type;
		f->ext = info.ext;
		f->filename = info.filename;
		f->size = info.size;
		f->created_ms = rows[i].created_ms;
	}
	return PD_OK;
}

/* Reads the first bytes of a file for pd_form_file_check. */
static size_t read_head(const char *path, unsigned char *buf, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t got = 0;
	while (got < max) {
		ssize_t k = read(fd, buf + got, max - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return got;
}

int pd_app_store_files(struct pd_tx *tx, const struct pd_app_ctx *c, const char *app_id,
                       const struct pd_form *form, const char *subject_id,
                       const struct pd_app_upload *uploads, int n_uploads,
                       const char *const *remove, int n_remove, struct pd_app_errors *errs,
                       const char **kept_keys, const char **kept_ids, int *n_kept)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_file_row rows[PD_APP_FILES_MAX];
	int nr = 0;
	*n_kept = 0;
	if (pd_store_app_files(tx, app_id, a, rows, PD_APP_FILES_MAX, &nr) < 0)
		return pd_app_db_error(tx);
	bool gone[PD_APP_FILES_MAX] = {false};
	/* Removals asked for ("Hapus berkas"). */
	for (int k = 0; k < n_remove; k++)
		for (int i = 0; i < nr; i++)
			if (!gone[i] && remove[k] && strcmp(rows[i].field_key, remove[k]) == 0)
				gone[i] = true;
	/* New files: checked by content, stored, replacing the field's earlier one. */
	const char *new_keys[PD_APP_FILES_MAX], *new_ids[PD_APP_FILES_MAX];
	int n_new = 0;
	for (int u = 0; u < n_uploads; u++) {
		const struct pd_app_upload *up = &uploads[u];
		if (!up->field_key || !up->file.path)
			continue;
		if (up->file.size == 0 && (!up->file.filename || !*up->file.filename))
			continue; /* the empty part of a file input left blank */
		const struct pd_form_field *f = pd_form_field_find(form, up->field_key);
		if (!f || f->type != PD_FORM_FILE || n_new >= PD_APP_FILES_MAX)
			continue;
		unsigned char head[PD_SNIFF_PREFIX];
		size_t hn = read_head(up->file.path, head, sizeof head);
		const char *msg = pd_form_file_check(f, head, hn, up->file.size);
		if (msg) {
			pd_app_error(errs, f->key, msg);
			continue;
		}
		char att[37];
		int rc = pd_attachment_put(tx, c->ks, subject_id, &up->file, att);
		if (rc == PD_ERR_INVALID || rc == PD_ERR_TOO_LARGE) {
			pd_app_error(errs, f->key,
			             rc == PD_ERR_INVALID
			                     ? N_("Pilih berkas PDF, JPEG, atau PNG yang tidak kosong.")
			                     : N_("Berkas terlalu besar."));
			continue;
		}
		if (rc)
			return rc;
		new_keys[n_new] = f->key;
		new_ids[n_new] = pd_arena_strdup(a, att);
		n_new++;
		for (int i = 0; i < nr; i++)
			if (strcmp(rows[i].field_key, f->key) == 0)
				gone[i] = true;
	}
	int64_t now = pd_app_now(c);
	for (int i = 0; i < nr; i++) {
		if (!gone[i]) {
			/* Kept only while its field is still a file field of the form. */
			const struct pd_form_field *f = pd_form_field_find(form, rows[i].field_key);
			if (f && f->type == PD_FORM_FILE) {
				kept_keys[*n_kept] = rows[i].field_key;
				kept_ids[*n_kept] = rows[i].attachment_id;
				(*n_kept)++;
			}
			continue;
		}
		if (pd_store_app_file_delete(tx, rows[i].id) < 0)
			return pd_app_db_error(tx);
		int rc = pd_attachment_delete(tx, rows[i].attachment_id);
		if (rc && rc != PD_ERR_NOT_FOUND)
			return rc;
	}
	for (int i = 0; i < n_new; i++) {
		char fid[PD_UUID_LEN + 1];
		pd_uuid7(fid);
		struct pd_app_file_row fr = {pd_arena_strdup(a, fid), app_id, new_keys[i], new_ids[i],
		                             now};
		if (pd_store_app_file_insert(tx, &fr) <= 0)
			return pd_app_db_error(tx);
		if (*n_kept < PD_APP_FILES_MAX) {
			kept_keys[*n_kept] = new_keys[i];
			kept_ids[*n_kept] = new_ids[i];
			(*n_kept)++;
		}
	}
	return PD_OK;
}

/* The raw values of a check: the typed ones and the file fields' attachment ids. */
struct raw_values {
	const struct pd_form *form;
	const struct pd_app_value *values;
	int n_values;
	const char *const *file_keys;
	const char *const *file_ids;
	int n_files;
};

static const char *raw_get(void *arg, const char *name, int i)
{
	const struct raw_values *rv = arg;
	for (int k = 0; k < rv->n_files; k++)
		if (strcmp(rv->file_keys[k], name) == 0)
			return i == 0 ? rv->file_ids[k] : NULL;
	/* A file field is answered only by a file stored for this application (an upload or one
	 * kept), never by a value typed under its name (any id would pass the check). */
	const struct pd_form_field *f = pd_form_field_find(rv->form, name);
	if (f && f->type == PD_FORM_FILE)
		return NULL;
	int seen = 0;
	for (int k = 0; k < rv->n_values; k++) {
		if (!rv->values[k].key || strcmp(rv->values[k].key, name) != 0)
			continue;
		if (seen++ == i)
			return rv->values[k].value;
	}
	return NULL;
}

int pd_app_check_form(struct pd_tx *tx, const struct pd_form *form,
                      const struct pd_app_value *values, int n_values,
                      const char *const *file_keys, const char *const *file_ids, int n_files,
                      bool final, struct pd_arena *a, struct pd_app_errors *errs,
                      const char **answers)
{
	struct raw_values rv = {form, values, n_values, file_keys, file_ids, n_files};
	struct pd_form_values in = {.get = raw_get, .arg = &rv};
	struct pd_form_result res;
	memset(&res, 0, sizeof res);
	int rc = pd_form_check_tx(tx, form, &in, final, a, &res);
	if (rc && rc != PD_ERR_INVALID)
		return rc;
	for (int i = 0; res.errors && i < form->n_fields; i++)
		if (res.errors[i])
			pd_app_error(errs, form->fields[i].key, res.errors[i]);
	/* File fields keep only their attachment ids inside the answers: files are listed apart. */
	json_error_t jerr;
	json_t *obj = json_loads(res.answers_json ? res.answers_json : "{}", 0, &jerr);
	if (!obj || !json_is_object(obj)) {
		json_decref(obj);
		return PD_ERR_INVALID;
	}
	for (int i = 0; i < form->n_fields; i++)
		if (form->fields[i].type == PD_FORM_FILE)
			json_object_del(obj, form->fields[i].key);
	char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(obj);
	if (!s)
		return PD_ERR_NOMEM;
	*answers = pd_arena_strdup(a, s);
	free(s);
	return rc;
}

int pd_app_files_and_answers(struct pd_tx *tx, const struct pd_app_ctx *c, const char *app_id,
                             const struct pd_form *form, const char *subject_id,
                             const struct pd_app_upload *uploads, int n_uploads,
                             const char *const *remove, int n_remove,
                             const struct pd_app_value *values, int n_values, bool final,
                             struct pd_arena *a, struct pd_app_errors *errs,
                             const char **answers)
{
	const char *keys[PD_APP_FILES_MAX], *ids[PD_APP_FILES_MAX];
	int n_kept = 0;
	*answers = "{}";
	int rc = pd_app_store_files(tx, c, app_id, form, subject_id, uploads, n_uploads, remove,
	                            n_remove, errs, keys, ids, &n_kept);
	if (rc)
		return rc;
	rc = pd_app_check_form(tx, form, values, n_values, keys, ids, n_kept, final, a, errs,
	                       answers);
	if (rc && rc != PD_ERR_INVALID)
		return rc;
	return errs->n ? PD_ERR_INVALID : PD_OK;
}

const char *pd_app_place_of(struct pd_tx *tx, const char *answers, struct pd_arena *a)
{
	json_error_t jerr;
	json_t *obj = answers ? json_loads(answers, 0, &jerr) : NULL;
	const char *place = NULL;
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		json_t *village = json_is_object(v) ? json_object_get(v, "village") : NULL;
		if (!json_is_string(village))
			continue;
		struct pd_unit u;
		if (pd_store_unit_by_slug(tx, json_string_value(village), a, &u) == PD_QS_ONE &&
		    strcmp(u.kind, "village") == 0) {
			place = u.id;
			break;
		}
	}
	json_decref(obj);
	return place;
}

struct submit_arg {
	const struct pd_app_row *r;
	int64_t version;
	enum pd_qs qs;
};

static int submit_tx(struct pd_tx *tx, void *p)
{
	struct submit_arg *sa = p;
	sa->qs = pd_store_app_update(tx, sa->r, sa->version);
	return sa->qs < 0 ? pd_app_db_error(tx) : PD_OK;
}

enum pd_qs pd_app_update_submitted(struct pd_tx *tx, struct pd_app_row *r, int64_t version,
                                   struct pd_arena *a)
{
	/* A tracking number already taken (40 random bits meet by chance after about a million
	 * applications) is a unique violation: undo the update and draw another. */
	for (int attempt = 0; attempt < APP_TRACKING_DRAWS; attempt++) {
		if (attempt) {
			char t[PD_TRACKING_COMPACT_LEN + 1];
			pd_tracking_new('P', t);
			r->tracking = pd_arena_strdup(a, t);
		}
		struct submit_arg sa = {r, version, PD_QS_HARD};
		int rc = pd_tx_try(tx, submit_tx, &sa);
		if (rc != PD_ERR_CONFLICT)
			return rc ? PD_QS_HARD : sa.qs;
	}
	pd_tx_fail(tx, PD_ERR_CONFLICT);
	return PD_QS_HARD;
}

void pd_app_start_clock(const struct pd_app_ctx *c, struct pd_app_row *r, int64_t sla_days,
                        struct pd_arena *a)
{
	int64_t now = pd_app_now(c);
	char t[PD_TRACKING_COMPACT_LEN + 1];
	pd_tracking_new('P', t);
	r->tracking = pd_arena_strdup(a, t);
	r->status = "submitted";
	r->sla_days = sla_days;
	r->submitted_ms = now;
	r->paused_days = 0;
	r->paused_since_ms = 0;
	r->due_ms = pd_application_due(c->cal, now, sla_days, 0);
	r->overdue = false;
}
