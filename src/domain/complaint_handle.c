/* Complaint handling steps: the coordinator's (dispose, ask for information, out of scope,
 * merge, approve the public copy), the unit's (hand on, answer) and the reporter's (reply,
 * confirm, reopen), each a versioned update with its timeline event, audit entry and
 * notification; plus the helpers the reading side shares. */
#include "domain/complaint_handle_internal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "domain/mail.h"
#include "store/complaint_handle_store.h"
#include "store/unit_store.h"

#define DAY_MS 86400000LL

/* --- shared helpers ------------------------------------------------------------------------ */

int pd_cmh_load(struct pd_tx *tx, const char *id, struct pd_cmp_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_cmp_by_id(tx, id, pd_tx_arena(tx), r);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

int pd_cmh_access(const struct pd_actor *actor, enum pd_action action, const struct pd_cmp_row *r)
{
	/* Staff rules only: the reporter is no owner here (they act through their own routes). */
	struct pd_authz_object o = {NULL, r->unit_path};
	if (!actor || pd_authz(actor, PD_ACT_CASE_VIEW, &o) != PD_OK)
		return PD_ERR_NOT_FOUND;
	return pd_authz(actor, action, &o) == PD_OK ? PD_OK : PD_ERR_FORBIDDEN;
}

int pd_cmh_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_cmp_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_app_row ar;
	memset(&ar, 0, sizeof ar);
	ar.id = r->id;
	ar.subject_key = r->subject_key;
	ar.citizen_account_id = r->reporter_account_id;
	return pd_app_key(tx, ks, &ar, key);
}

int pd_cmh_event(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                 const char *kind, bool by_staff, const char *unit_id, const char *public_note,
                 const char *note, const unsigned char *key)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_cmp_event_row e = {
		.id = id, .complaint_id = r->id, .at_ms = pd_app_now(c),
		.actor_id = c->actor && !c->actor->system && c->actor->account_id &&
		                            *c->actor->account_id
		                    ? c->actor->account_id
		                    : NULL,
		.by_staff = by_staff, .kind = kind, .status_after = r->status, .unit_id = unit_id,
		.public_note = public_note};
	if (note && key) {
		int rc;
		e.note_ct = pd_app_seal(pd_tx_arena(tx), key, note, "complaint_event", "note_ct", id,
		                        &rc);
		if (rc)
			return rc;
	}
	return pd_store_cmp_event_insert(tx, &e) <= 0 ? pd_app_db_error(tx) : PD_OK;
}

int pd_cmh_audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                 const char *action, const char *details)
{
	bool anonymous = r->visibility && strcmp(r->visibility, "anonymous") == 0;
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c ? c->actor : NULL),
		.action = action, .object_type = "complaint", .object_id = r->id,
		.unit_id = r->unit_id, .subject_id = anonymous ? NULL : r->reporter_account_id,
		.details = details, .ts_ms = pd_app_now(c)};
	return pd_audit_append(tx, &ev);
}

/* The first paragraph of the reporter's mail for an event kind (a msgid). */
static const char *reporter_lead(const char *kind)
{
	static const struct {
		const char *kind, *text;
	} leads[] = {
		{"dispositioned", N_("Pengaduan Anda telah diverifikasi dan diteruskan ke unit yang berwenang.")},
		{"handed_on", N_("Pengaduan Anda dialihkan ke unit lain yang berwenang.")},
		{"needs_info", N_("Petugas meminta keterangan tambahan tentang pengaduan Anda. Buka halaman pengaduan Anda untuk membaca pertanyaannya dan menjawabnya.")},
		{"out_of_scope", N_("Pengaduan Anda dinyatakan di luar kewenangan pemerintah daerah. Alasannya dapat dibaca di halaman pengaduan.")},
		{"merged", N_("Pengaduan Anda digabung dengan pengaduan lain tentang masalah yang sama.")},
		{"answered", N_("Pengaduan Anda telah dijawab. Apakah masalahnya sudah selesai? Buka halaman pengaduan Anda untuk menyatakan selesai atau membukanya kembali.")},
	};
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
		if (strcmp(leads[i].kind, kind) == 0)
			return leads[i].text;
	return N_("Status pengaduan Anda berubah.");
}

static int send_mail(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                     const char *to, const char *lang, const char *lead, const char *path)
{
	enum pd_complaint_status st = PD_CMP_NEW;
	pd_complaint_status_parse(r->status, &st);
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	const char *label = pd_i18n_text(lang, pd_complaint_status_label(st));
	struct pd_arena *a = pd_tx_arena(tx);
	const char *subject =
	        pd_arena_printf(a, "%s %s: %s", pd_i18n_text(lang, N_("Pengaduan")), g, label);
	struct pd_buf body;
	pd_buf_init(&body, 64 * 1024);
	pd_buf_printf(&body, "%s\n\n", pd_i18n_text(lang, lead));
	pd_buf_printf(&body, "%s %s\n", pd_i18n_text(lang, N_("Nomor pengaduan:")), g);
	pd_buf_printf(&body, "%s %s\n", pd_i18n_text(lang, N_("Status:")), label);
	const char *base = c->base_url ? c->base_url : "";
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	pd_buf_printf(&body, "\n%.*s%s\n", (int)bl, base, path);
	int rc = pd_mail_enqueue(tx, to, subject, pd_buf_cstr(&body), NULL);
	pd_buf_free(&body);
	if (rc == PD_ERR_INVALID) {
		pd_log(PD_LOG_WARN, "complaint.mail", "reason=invalid");
		return PD_OK; /* an address the mailer refuses must not block the step */
	}
	return rc;
}

int pd_cmh_notify_account(struct pd_tx *tx, const struct pd_app_ctx *c,
                          const struct pd_cmp_row *r, const char *account_id, const char *kind,
                          const char *lead, const char *path)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_cmh_notification_row n = {.id = id, .account_id = account_id,
	                                    .complaint_id = r->id, .kind = kind,
	                                    .status = r->status, .created_ms = pd_app_now(c)};
	if (pd_store_cmh_notification_insert(tx, &n) <= 0)
		return pd_app_db_error(tx);
	if (c->quiet)
		return PD_OK;
	struct pd_account acc;
	int rc = pd_account_load(tx, c->ks, account_id, pd_tx_arena(tx), &acc);
	if (rc == PD_ERR_NOT_FOUND || (!rc && (!acc.email || acc.row.erased_ms)))
		return PD_OK;
	if (rc)
		return rc;
	return send_mail(tx, c, r, acc.email, acc.row.lang ? acc.row.lang : PD_I18N_DEFAULT, lead,
	                 path);
}

int pd_cmh_notify_reporter(struct pd_tx *tx, const struct pd_app_ctx *c,
                           const struct pd_cmp_row *r, const char *kind)
{
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	const char *path = pd_arena_printf(pd_tx_arena(tx), "/pengaduan/%s", g);
	if (r->reporter_account_id)
		return pd_cmh_notify_account(tx, c, r, r->reporter_account_id, kind,
		                             reporter_lead(kind), path);
	if (c->quiet || !r->contact_ct.p)
		return PD_OK;
	/* A reporter without an account: the contact email they left, if any. */
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_cmh_key(tx, c->ks, r, key);
	const char *contact = NULL;
	if (!rc)
		contact = pd_app_open(pd_tx_arena(tx), key, r->contact_ct, "complaint", "contact_ct",
		                      r->id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc == PD_ERR_NOT_FOUND)
		return PD_OK;
	if (rc)
		return rc;
	json_t *o = contact ? json_loads(contact, 0, NULL) : NULL;
	const char *email = json_string_value(json_object_get(o, "email"));
	if (email)
		rc = send_mail(tx, c, r, email, PD_I18N_DEFAULT, reporter_lead(kind), path);
	json_decref(o);
	return rc;
}

bool pd_cmh_is_reporter(const struct pd_actor *actor, const char *token,
                        const struct pd_cmp_row *r)
{
	if (actor && !actor->system && actor->account_id && r->reporter_account_id &&
	    strcmp(actor->account_id, r->reporter_account_id) == 0)
		return true;
	if (!token || !*token || strlen(token) > 128 || r->followup_hash.n != 32)
		return false;
	unsigned char h[32];
	crypto_generichash(h, 32, (const unsigned char *)token, strlen(token), NULL, 0);
	return sodium_memcmp(h, r->followup_hash.p, 32) == 0;
}

/* --- the steps' common parts --------------------------------------------------------------- */

/* due for a deadline of days working days from from_ms (calendar days without a calendar). */
static int64_t due_after(const struct pd_app_ctx *c, int64_t from_ms, int64_t days)
{
	return c->cal ? pd_application_due(c->cal, from_ms, days, 0) : from_ms + days * DAY_MS;
}

/* Points errs at local when the caller passed none, and empties it. */
static struct pd_app_errors *errs_reset(struct pd_app_errors *errs, struct pd_app_errors *local)
{
	if (!errs)
		errs = local;
	memset(errs, 0, sizeof *errs);
	return errs;
}

static bool status_is(const struct pd_cmp_row *r, const char *a, const char *b)
{
	return strcmp(r->status, a) == 0 || (b && strcmp(r->status, b) == 0);
}

/* Loads id for a staff step needing action, with the version check; PD_ERR_CONFLICT unless
 * its status is from_a or from_b (from_a NULL: any status). */
static int load_staff(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                      int64_t version, enum pd_action action, const char *from_a,
                      const char *from_b, struct pd_cmp_row *r)
{
	int rc = pd_cmh_load(tx, id, r);
	if (!rc)
		rc = pd_cmh_access(c->actor, action, r);
	if (rc)
		return rc;
	/* Nobody handles their own complaint. */
	if (!c->actor->system && c->actor->account_id && r->reporter_account_id &&
	    strcmp(c->actor->account_id, r->reporter_account_id) == 0)
		return PD_ERR_FORBIDDEN;
	if (version && version != r->version)
		return PD_ERR_CONFLICT;
	if (from_a && !status_is(r, from_a, from_b))
		return PD_ERR_CONFLICT;
	return PD_OK;
}

static int confirmed_of(struct pd_tx *tx, const struct pd_cmp_row *r, int64_t *ms)
{
	return pd_store_cmh_confirmed(tx, r->id, ms) < 0 ? pd_app_db_error(tx) : PD_OK;
}

/* Loads the complaint with tracking number `tracking` for its reporter; PD_ERR_CONFLICT unless
 * its status is from and, when confirmed is given, the reporter has not confirmed it yet
 * (*confirmed gets the time they did, or 0). */
static int load_reporter(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                         const char *token, const char *from, int64_t *confirmed,
                         struct pd_cmp_row *r)
{
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!tracking || pd_tracking_parse(tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, compact, pd_tx_arena(tx), r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_cmh_is_reporter(c->actor, token, r))
		return PD_ERR_NOT_FOUND;
	int rc;
	if (confirmed && (rc = confirmed_of(tx, r, confirmed)))
		return rc;
	if (!status_is(r, from, NULL) || (confirmed && *confirmed))
		return PD_ERR_CONFLICT;
	return PD_OK;
}

/* Writes r with the version check (confirmed_ms kept as given). */
static int save(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_cmp_row *r,
                int64_t confirmed_ms)
{
	struct pd_cmh_update u = {
		.id = r->id, .status = r->status, .held = r->held, .published = r->published,
		.public_title = r->public_title, .public_text = r->public_text, .unit_id = r->unit_id,
		.unit_path = r->unit_path, .merged_into = r->merged_into,
		.answer_public = r->answer_public, .reopen_count = r->reopen_count, .due_ms = r->due_ms,
		.paused_since_ms = r->paused_since_ms, .overdue = r->overdue,
		.escalated_ms = r->escalated_ms, .answered_ms = r->answered_ms,
		.closed_ms = r->closed_ms, .confirmed_ms = confirmed_ms,
		.updated_ms = pd_app_now(c)};
	if (pd_store_cmh_update(tx, &u, r->version) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	r->version++;
	return PD_OK;
}

/* What a step records besides the row: its timeline event (kind; by staff or the reporter;
 * the unit it went to, the public note and the internal note, each or NULL), whether the
 * reporter is notified, and the audit action. */
struct step_record {
	const char *kind;
	bool by_staff;
	const char *unit_id, *public_note, *note;
	bool notify;
	const char *action;
};

/* Event (note sealed under the complaint's key when given), notification, audit. */
static int record(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_cmp_row *r,
                  const struct step_record *s)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = PD_OK;
	bool have_key = false;
	if (s->note) {
		rc = pd_cmh_key(tx, c->ks, r, key);
		if (rc)
			return rc;
		have_key = true;
	}
	rc = pd_cmh_event(tx, c, r, s->kind, s->by_staff, s->unit_id, s->public_note, s->note,
	                  have_key ? key : NULL);
	if (have_key)
		sodium_memzero(key, sizeof key);
	if (!rc && s->notify)
		rc = pd_cmh_notify_reporter(tx, c, r, s->kind);
	if (!rc)
		rc = pd_cmh_audit(tx, c, r, s->action, NULL);
	return rc;
}

/* Saves r (confirmed_ms kept as given), then records the step. */
static int finish(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_cmp_row *r,
                  int64_t confirmed_ms, const struct step_record *s)
{
	int rc = save(tx, c, r, confirmed_ms);
	return rc ? rc : record(tx, c, r, s);
}

static bool text_ok(const char *s, bool required)
{
	return pd_app_text_ok(s && *s ? s : NULL, PD_COMPLAINT_NOTE_MAX, required);
}

/* PD_OK when text is a fit required note; else msgid beside field and PD_ERR_INVALID. */
static int need_text(struct pd_app_errors *errs, const char *field, const char *text,
                     const char *msgid)
{
	if (text_ok(text, true))
		return PD_OK;
	pd_app_error(errs, field, msgid);
	return PD_ERR_INVALID;
}

/* The unit slug as a destination (not a village): *u, or an error on "unit". */
static int dest_unit(struct pd_tx *tx, const char *slug, struct pd_app_errors *errs,
                     struct pd_unit *u)
{
	enum pd_qs qs = slug && pd_slug_valid(slug)
	                        ? pd_store_unit_by_slug(tx, slug, pd_tx_arena(tx), u)
	                        : PD_QS_NONE;
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || strcmp(u->kind, "village") == 0 || strcmp(u->kind, "nation") == 0 ||
	    strcmp(u->kind, "province") == 0) {
		pd_app_error(errs, "unit", N_("Pilih unit yang akan menangani pengaduan ini."));
		return PD_ERR_INVALID;
	}
	return PD_OK;
}

static int deadline_days(struct pd_tx *tx, const struct pd_cmp_row *r, int64_t *days)
{
	struct pd_cmp_category_row cat;
	enum pd_qs qs = pd_store_cmp_category_by_code(tx, r->category_code, NULL, &cat);
	if (qs < 0)
		return pd_app_db_error(tx);
	*days = qs == PD_QS_ONE ? cat.deadline_days : 10;
	return PD_OK;
}

/* Sends r to unit u with a fresh deadline (disposition, hand-on, reopen). */
static int to_unit(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_cmp_row *r,
                   const struct pd_unit *u)
{
	int64_t days = 10;
	int rc = deadline_days(tx, r, &days);
	if (rc)
		return rc;
	if (u) {
		r->unit_id = u->id;
		r->unit_path = u->path;
	}
	r->due_ms = due_after(c, pd_app_now(c), days);
	r->paused_since_ms = 0;
	r->overdue = false;
	r->escalated_ms = 0;
	return PD_OK;
}

/* --- the coordinator ----------------------------------------------------------------------- */

int pd_complaint_dispose(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const char *unit_slug, const char *note,
                         struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_ROUTE, "new", "needs_info", &r);
	if (rc)
		return rc;
	struct pd_unit u;
	rc = dest_unit(tx, unit_slug, errs, &u);
	if (rc && rc != PD_ERR_INVALID)
		return rc;
	if (!text_ok(note, false))
		pd_app_error(errs, "note", N_("Catatan paling banyak 4.000 karakter, tanpa karakter kendali."));
	if (errs->n)
		return PD_ERR_INVALID;
	r.status = "dispositioned";
	if ((rc = to_unit(tx, c, &r, &u)))
		return rc;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "dispositioned", .by_staff = true,
	                                    .unit_id = u.id, .note = note && *note ? note : NULL,
	                                    .notify = true, .action = "complaint.dispose"});
}

int pd_complaint_ask_info(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *question, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_ROUTE, "new", NULL, &r);
	if (rc || (rc = need_text(errs, "question", question, N_("Tulis keterangan apa yang diperlukan dari pelapor (paling banyak 4.000 karakter)."))))
		return rc;
	r.status = "needs_info";
	r.paused_since_ms = pd_app_now(c);
	r.overdue = false;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "needs_info", .by_staff = true, .note = question,
	                                    .notify = true, .action = "complaint.ask_info"});
}

int pd_complaint_out_of_scope(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                              int64_t version, const char *reason, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_ROUTE, "new", "needs_info", &r);
	if (rc || (rc = need_text(errs, "reason", reason, N_("Tulis alasan yang dapat dibaca publik (paling banyak 4.000 karakter)."))))
		return rc;
	r.status = "out_of_scope";
	r.closed_ms = pd_app_now(c);
	r.paused_since_ms = 0;
	r.overdue = false;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "out_of_scope", .by_staff = true,
	                                    .public_note = reason, .notify = true,
	                                    .action = "complaint.out_of_scope"});
}

int pd_complaint_merge(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                       int64_t version, const char *into_tracking, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r, t;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_ROUTE, "new", "needs_info", &r);
	if (rc)
		return rc;
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	enum pd_qs qs = PD_QS_NONE;
	if (into_tracking && !pd_tracking_parse(into_tracking, compact) && compact[0] == 'A')
		qs = pd_store_cmp_by_tracking(tx, compact, pd_tx_arena(tx), &t);
	if (qs < 0)
		return pd_app_db_error(tx);
	enum pd_complaint_status ts = PD_CMP_NEW;
	if (qs == PD_QS_ONE)
		pd_complaint_status_parse(t.status, &ts);
	if (qs == PD_QS_NONE || pd_cmh_access(c->actor, PD_ACT_CASE_VIEW, &t) != PD_OK) {
		pd_app_error(errs, "into", N_("Nomor pengaduan tujuan tidak ditemukan."));
	} else if (strcmp(t.id, r.id) == 0) {
		pd_app_error(errs, "into", N_("Pengaduan tidak dapat digabung dengan dirinya sendiri."));
	} else if (pd_complaint_status_closed(ts) || t.merged_into) {
		pd_app_error(errs, "into", N_("Pengaduan tujuan sudah ditutup atau digabung; pilih pengaduan yang masih terbuka."));
	}
	if (errs->n)
		return PD_ERR_INVALID;
	r.status = "merged";
	r.merged_into = t.id;
	r.closed_ms = pd_app_now(c);
	r.paused_since_ms = 0;
	r.overdue = false;
	if ((rc = save(tx, c, &r, 0)))
		return rc;
	if (pd_store_cmh_carry_support(tx, r.id, t.id) < 0)
		return pd_app_db_error(tx);
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(t.tracking, g);
	/* The public timeline names the complaint it went into when that one is public too. */
	rc = record(tx, c, &r,
	            &(struct step_record){.kind = "merged", .by_staff = true,
	                                  .public_note = t.published ? g : NULL, .notify = true,
	                                  .action = "complaint.merge"});
	if (!rc)
		rc = pd_cmh_audit(tx, c, &t, "complaint.merge_into", NULL);
	return rc;
}

int pd_complaint_approve_public(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                                int64_t version, const char *public_title,
                                const char *public_text, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_VIEW, NULL, NULL, &r);
	if (rc)
		return rc;
	if (pd_cmh_access(c->actor, PD_ACT_CASE_ROUTE, &r) != PD_OK &&
	    pd_cmh_access(c->actor, PD_ACT_CASE_WORK, &r) != PD_OK)
		return PD_ERR_FORBIDDEN;
	if (!public_title || !*public_title ||
	    !pd_app_text_ok(public_title, PD_COMPLAINT_TITLE_MAX, true))
		pd_app_error(errs, "public_title", N_("Tulis judul untuk publik, paling banyak 150 karakter."));
	else if (pd_complaint_text_sensitive(public_title))
		pd_app_error(errs, "public_title", N_("Judul masih memuat NIK atau nomor telepon; hapus dulu sebelum diterbitkan."));
	if (!public_text || !*public_text ||
	    !pd_app_text_ok(public_text, PD_COMPLAINT_TEXT_MAX, true))
		pd_app_error(errs, "public_text", N_("Tulis isi untuk publik, paling banyak 4.000 karakter."));
	else if (pd_complaint_text_sensitive(public_text))
		pd_app_error(errs, "public_text", N_("Isi masih memuat NIK atau nomor telepon; hapus dulu sebelum diterbitkan."));
	if (errs->n)
		return PD_ERR_INVALID;
	int64_t confirmed;
	if ((rc = confirmed_of(tx, &r, &confirmed)))
		return rc;
	r.public_title = public_title;
	r.public_text = public_text;
	r.held = false;
	r.published = strcmp(r.visibility, "confidential") != 0;
	return finish(tx, c, &r, confirmed,
	              &(struct step_record){.kind = r.published ? "published" : "public_checked",
	                                    .by_staff = true, .action = "complaint.approve_public"});
}

/* --- the unit ------------------------------------------------------------------------------ */

int pd_complaint_hand_on(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const char *unit_slug, const char *reason,
                         struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_WORK, "dispositioned", "reopened", &r);
	if (rc)
		return rc;
	struct pd_unit u;
	rc = dest_unit(tx, unit_slug, errs, &u);
	if (rc && rc != PD_ERR_INVALID)
		return rc;
	if (!rc && strcmp(u.id, r.unit_id) == 0)
		pd_app_error(errs, "unit", N_("Pilih unit lain: pengaduan ini sudah di unit tersebut."));
	if (!text_ok(reason, true))
		pd_app_error(errs, "reason", N_("Tulis alasan pengalihan (paling banyak 4.000 karakter)."));
	if (errs->n)
		return PD_ERR_INVALID;
	int64_t confirmed;
	if ((rc = confirmed_of(tx, &r, &confirmed)))
		return rc;
	r.status = "dispositioned";
	if ((rc = to_unit(tx, c, &r, &u)))
		return rc;
	return finish(tx, c, &r, confirmed,
	              &(struct step_record){.kind = "handed_on", .by_staff = true, .unit_id = u.id,
	                                    .note = reason, .notify = true,
	                                    .action = "complaint.hand_on"});
}

int pd_complaint_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                        int64_t version, const char *answer, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_staff(tx, c, id, version, PD_ACT_CASE_WORK, "dispositioned", "reopened", &r);
	if (rc || (rc = need_text(errs, "answer", answer, N_("Tulis jawaban untuk pelapor dan publik (paling banyak 4.000 karakter)."))))
		return rc;
	int64_t now = pd_app_now(c);
	r.status = "answered";
	r.answer_public = answer;
	r.answered_ms = now;
	r.closed_ms = now;
	r.overdue = false;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "answered", .by_staff = true,
	                                    .public_note = answer, .notify = true,
	                                    .action = "complaint.answer"});
}

/* --- the reporter -------------------------------------------------------------------------- */

int pd_complaint_reporter_reply(struct pd_tx *tx, const struct pd_app_ctx *c,
                                const char *tracking, const char *token, const char *text,
                                struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int rc = load_reporter(tx, c, tracking, token, "needs_info", NULL, &r);
	if (rc || (rc = need_text(errs, "text", text, N_("Tulis keterangan yang diminta (paling banyak 4.000 karakter)."))))
		return rc;
	int64_t now = pd_app_now(c);
	/* The clock resumes: the working days spent waiting move the due date on. */
	int waited = c->cal ? pd_application_pause_days(c->cal, r.paused_since_ms, now)
	                    : (int)((now - r.paused_since_ms) / DAY_MS);
	if (waited < 0)
		waited = 0;
	if (r.due_ms)
		r.due_ms = c->cal ? pd_calendar_due(c->cal, r.due_ms, waited, NULL, 0)
		                  : r.due_ms + waited * DAY_MS;
	if (r.due_ms < now)
		r.due_ms = due_after(c, now, PD_COMPLAINT_VERIFY_DAYS);
	r.status = "new";
	r.paused_since_ms = 0;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "info_given", .note = text,
	                                    .action = "complaint.reply"});
}

int pd_complaint_confirm(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                         const char *token)
{
	struct pd_cmp_row r;
	int64_t confirmed;
	int rc = load_reporter(tx, c, tracking, token, "answered", &confirmed, &r);
	if (rc)
		return rc;
	return finish(tx, c, &r, pd_app_now(c),
	              &(struct step_record){.kind = "confirmed", .action = "complaint.confirm"});
}

int pd_complaint_reopen(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                        const char *token, const char *reason, struct pd_app_errors *errs)
{
	struct pd_app_errors local;
	errs = errs_reset(errs, &local);
	struct pd_cmp_row r;
	int64_t confirmed;
	int rc = load_reporter(tx, c, tracking, token, "answered", &confirmed, &r);
	if (rc)
		return rc;
	if (r.reopen_count >= 1)
		return PD_ERR_CONFLICT;
	if ((rc = need_text(errs, "reason", reason, N_("Tulis mengapa masalahnya belum selesai (paling banyak 4.000 karakter)."))))
		return rc;
	r.status = "reopened";
	r.reopen_count++;
	r.closed_ms = 0;
	if ((rc = to_unit(tx, c, &r, NULL)))
		return rc;
	return finish(tx, c, &r, 0,
	              &(struct step_record){.kind = "reopened", .note = reason,
	                                    .action = "complaint.reopen"});
}
