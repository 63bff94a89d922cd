/* Information requests (UU 14/2008): names and labels, the deadlines, and the steps — filing,
 * extension, answer (with forwarding), objection and its decision, the overdue flags — each a
 * versioned update with its timeline event, audit entry and notification. */
#include "domain/inforeq_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "core/tracking.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/application_internal.h"
#include "domain/attachment.h"
#include "domain/audit.h"
#include "domain/mail.h"
#include "store/unit_store.h"

/* --- names --------------------------------------------------------------------------------- */

static const char *const STATUS[] = {"received", "answered", "objected", "objection_decided"};
static const char *const OUTCOME[] = {NULL, "granted", "partly_granted", "refused", "not_held",
                                      "forwarded"};
static const char *const FORMAT[] = {"softcopy", "hardcopy", "view"};
static const char *const DELIVERY[] = {"portal", "email", "post", "pickup"};
static const char *const OBJ_OUTCOME[] = {NULL, "upheld", "overturned"};

static int parse_in(const char *const *names, int n, const char *s, int *out)
{
	for (int i = 0; s && i < n; i++)
		if (names[i] && strcmp(names[i], s) == 0) {
			*out = i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

#define TRACKING_DRAWS 8  /* tracking numbers tried before a filing gives up */
#define NAME_OF(tab, v) ((int)(v) >= 0 && (size_t)(v) < sizeof tab / sizeof tab[0] ? tab[v] : NULL)

const char *pd_inforeq_status_name(enum pd_inforeq_status s) { return NAME_OF(STATUS, s); }
const char *pd_inforeq_outcome_name(enum pd_inforeq_outcome o) { return NAME_OF(OUTCOME, o); }
const char *pd_inforeq_format_name(enum pd_inforeq_format f) { return NAME_OF(FORMAT, f); }
const char *pd_inforeq_delivery_name(enum pd_inforeq_delivery d) { return NAME_OF(DELIVERY, d); }
const char *pd_objection_outcome_name(enum pd_objection_outcome o) { return NAME_OF(OBJ_OUTCOME, o); }

int pd_inforeq_status_parse(const char *s, enum pd_inforeq_status *out)
{
	int v = 0;
	int rc = parse_in(STATUS, PD_INFOREQ_STATUS__MAX, s, &v);
	if (!rc)
		*out = (enum pd_inforeq_status)v;
	return rc;
}
int pd_inforeq_outcome_parse(const char *s, enum pd_inforeq_outcome *out)
{
	int v = 0;
	int rc = parse_in(OUTCOME, PD_INFOREQ_OUTCOME__MAX, s, &v);
	if (!rc)
		*out = (enum pd_inforeq_outcome)v;
	return rc;
}
int pd_inforeq_format_parse(const char *s, enum pd_inforeq_format *out)
{
	int v = 0;
	int rc = parse_in(FORMAT, PD_INFOREQ_FORMAT__MAX, s, &v);
	if (!rc)
		*out = (enum pd_inforeq_format)v;
	return rc;
}
int pd_inforeq_delivery_parse(const char *s, enum pd_inforeq_delivery *out)
{
	int v = 0;
	int rc = parse_in(DELIVERY, PD_INFOREQ_DELIVERY__MAX, s, &v);
	if (!rc)
		*out = (enum pd_inforeq_delivery)v;
	return rc;
}
int pd_objection_outcome_parse(const char *s, enum pd_objection_outcome *out)
{
	int v = 0;
	int rc = parse_in(OBJ_OUTCOME, PD_OBJECTION_OUTCOME__MAX, s, &v);
	if (!rc)
		*out = (enum pd_objection_outcome)v;
	return rc;
}

/* UU 14/2008 Pasal 17: information exempt from disclosure. */
const char *pd_inforeq_ground_label(char letter)
{
	static const char *const grounds[] = {
		N_("Pasal 17 huruf a: menghambat proses penegakan hukum"),
		N_("Pasal 17 huruf b: mengganggu perlindungan hak atas kekayaan intelektual dan perlindungan dari persaingan usaha tidak sehat"),
		N_("Pasal 17 huruf c: membahayakan pertahanan dan keamanan negara"),
		N_("Pasal 17 huruf d: mengungkapkan kekayaan alam Indonesia"),
		N_("Pasal 17 huruf e: merugikan ketahanan ekonomi nasional"),
		N_("Pasal 17 huruf f: merugikan kepentingan hubungan luar negeri"),
		N_("Pasal 17 huruf g: mengungkapkan isi akta otentik yang bersifat pribadi dan kemauan terakhir ataupun wasiat seseorang"),
		N_("Pasal 17 huruf h: mengungkap rahasia pribadi"),
		N_("Pasal 17 huruf i: memorandum atau surat antar atau intra Badan Publik yang menurut sifatnya dirahasiakan"),
		N_("Pasal 17 huruf j: informasi yang tidak boleh diungkapkan berdasarkan undang-undang"),
	};
	return letter >= 'a' && letter <= 'j' ? grounds[letter - 'a'] : NULL;
}

/* UU 14/2008 Pasal 35 (1): the reasons an objection may rest on. */
const char *pd_objection_reason_label(char letter)
{
	static const char *const reasons[] = {
		N_("Permintaan ditolak dengan alasan pengecualian Pasal 17"),
		N_("Informasi berkala (Pasal 9) tidak disediakan"),
		N_("Permintaan informasi tidak ditanggapi"),
		N_("Permintaan ditanggapi tidak sebagaimana yang diminta"),
		N_("Permintaan informasi tidak dipenuhi"),
		N_("Biaya yang dikenakan tidak wajar"),
		N_("Informasi disampaikan melebihi jangka waktu yang diatur"),
	};
	return letter >= 'a' && letter <= 'g' ? reasons[letter - 'a'] : NULL;
}

/* --- deadlines ----------------------------------------------------------------------------- */

int64_t pd_inforeq_due(const struct pd_calendar *cal, int64_t received_ms, int extension_days)
{
	/* UU 14/2008 Pasal 22 (7): 10 working days; (8): extended once by at most 7. */
	if (extension_days < 0)
		extension_days = 0;
	if (extension_days > PD_INFOREQ_EXTEND_MAX)
		extension_days = PD_INFOREQ_EXTEND_MAX;
	return pd_calendar_due(cal, received_ms, PD_INFOREQ_ANSWER_DAYS + extension_days, NULL, 0);
}

int64_t pd_inforeq_objection_until(const struct pd_calendar *cal, int64_t answered_ms,
                                   int64_t due_ms)
{
	/* Pasal 36 (1): within 30 working days of the answer, or of the deadline that passed. */
	return pd_calendar_due(cal, answered_ms > 0 ? answered_ms : due_ms, PD_INFOREQ_OBJECT_DAYS,
	                       NULL, 0);
}

int64_t pd_inforeq_objection_due(const struct pd_calendar *cal, int64_t objected_ms)
{
	/* Pasal 36 (2): the superior answers within 30 working days. */
	return pd_calendar_due(cal, objected_ms, PD_INFOREQ_DECIDE_DAYS, NULL, 0);
}

/* --- shared helpers ------------------------------------------------------------------------ */

int pd_irq_load(struct pd_tx *tx, const char *id, struct pd_irq_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_irq_by_id(tx, id, pd_tx_arena(tx), r);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

int pd_irq_staff_access(const struct pd_actor *actor, enum pd_action action,
                        const struct pd_irq_row *r)
{
	struct pd_authz_object o = {NULL, r->unit_path};
	if (!actor)
		return PD_ERR_NOT_FOUND;
	if (actor->system)
		return PD_OK;
	if (actor->kind != PD_ACCOUNT_STAFF)
		return PD_ERR_NOT_FOUND;
	int rc = pd_authz(actor, action, &o);
	if (rc == PD_OK)
		return PD_OK;
	/* Either role sees what the other decides. */
	enum pd_action other = action == PD_ACT_INFOREQ_DECIDE ? PD_ACT_OBJECTION_DECIDE
	                                                       : PD_ACT_INFOREQ_DECIDE;
	if (rc == PD_ERR_FORBIDDEN || pd_authz(actor, other, &o) != PD_ERR_NOT_FOUND)
		return PD_ERR_FORBIDDEN;
	return PD_ERR_NOT_FOUND;
}

bool pd_irq_is_requester(const struct pd_actor *actor, const struct pd_irq_row *r)
{
	return actor && !actor->system && actor->account_id && r->requester_account_id &&
	       strcmp(actor->account_id, r->requester_account_id) == 0;
}

int pd_irq_key(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_irq_row *r,
               unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	struct pd_app_row ar;
	memset(&ar, 0, sizeof ar);
	ar.id = r->id;
	ar.citizen_account_id = r->requester_account_id;
	return pd_app_key(tx, ks, &ar, key);
}

static int add_event(struct pd_tx *tx, const struct pd_app_ctx *c, const char *inforeq_id,
                     const char *kind, bool by_staff, const char *note)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_irq_event_row e = {
		.id = id, .inforeq_id = inforeq_id, .at_ms = pd_app_now(c),
		.actor_id = c->actor && !c->actor->system && c->actor->account_id &&
		                            *c->actor->account_id
		                    ? c->actor->account_id
		                    : NULL,
		.by_staff = by_staff, .kind = kind, .note = note};
	return pd_store_irq_event_insert(tx, &e) <= 0 ? pd_app_db_error(tx) : PD_OK;
}

static int audit(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_irq_row *r,
                 const char *action, const char *details)
{
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c ? c->actor : NULL),
		.action = action, .object_type = "inforeq", .object_id = r->id,
		.unit_id = r->unit_id, .subject_id = r->requester_account_id,
		.details = details, .ts_ms = pd_app_now(c)};
	return pd_audit_append(tx, &ev);
}

/* The first paragraph of a notification mail for an event kind (a msgid). */
static const char *lead_of(const char *kind)
{
	static const struct {
		const char *kind, *text;
	} leads[] = {
		{"received", N_("Permohonan informasi Anda telah diterima. PPID wajib menjawabnya secara tertulis paling lambat 10 hari kerja.")},
		{"extended", N_("PPID memperpanjang jangka waktu jawaban atas permohonan informasi Anda. Alasannya dapat dibaca di halaman permohonan.")},
		{"answered", N_("Permohonan informasi Anda telah dijawab. Buka halaman permohonan untuk membaca jawabannya dan mengunduh berkasnya.")},
		{"forwarded", N_("Permohonan informasi Anda diteruskan ke unit yang menguasai informasinya, dengan nomor permohonan baru.")},
		{"objected", N_("Ada keberatan atas permohonan informasi yang perlu Anda putuskan.")},
		{"objection_decided", N_("Atasan PPID telah memutus keberatan Anda. Buka halaman permohonan untuk membaca tanggapannya.")},
		{"overdue", N_("Permohonan informasi melewati batas waktu jawaban.")},
		{"objection_overdue", N_("Keberatan atas permohonan informasi melewati batas waktu tanggapan.")},
	};
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
		if (strcmp(leads[i].kind, kind) == 0)
			return leads[i].text;
	return N_("Status permohonan informasi Anda berubah.");
}

/* A portal notification for account_id and its mail (not in quiet contexts). */
static int notify(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_irq_row *r,
                  const char *account_id, const char *kind, bool staff)
{
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_irq_notification_row n = {.id = id, .account_id = account_id,
	                                    .inforeq_id = r->id, .kind = kind,
	                                    .created_ms = pd_app_now(c)};
	if (pd_store_irq_notification_insert(tx, &n) <= 0)
		return pd_app_db_error(tx);
	if (c->quiet)
		return PD_OK;
	struct pd_account acc;
	int rc = pd_account_load(tx, c->ks, account_id, pd_tx_arena(tx), &acc);
	if (rc == PD_ERR_NOT_FOUND || (!rc && (!acc.email || acc.row.erased_ms)))
		return PD_OK;
	if (rc)
		return rc;
	const char *lang = acc.row.lang ? acc.row.lang : PD_I18N_DEFAULT;
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	struct pd_arena *a = pd_tx_arena(tx);
	const char *subject = pd_arena_printf(a, "%s %s", pd_i18n_text(lang, N_("Permohonan informasi")), g);
	const char *path = staff ? pd_arena_printf(a, "/kantor/informasi/%s", r->id)
	                         : pd_arena_printf(a, "/informasi/saya/%s", g);
	const char *base = c->base_url ? c->base_url : "";
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	struct pd_buf body;
	pd_buf_init(&body, 16 * 1024);
	pd_buf_printf(&body, "%s\n\n%s %s\n\n%.*s%s\n", pd_i18n_text(lang, lead_of(kind)),
	              pd_i18n_text(lang, N_("Nomor permohonan:")), g, (int)bl, base, path);
	rc = pd_mail_enqueue(tx, acc.email, subject, pd_buf_cstr(&body), NULL);
	pd_buf_free(&body);
	if (rc == PD_ERR_INVALID) {
		pd_log(PD_LOG_WARN, "inforeq.mail", "reason=invalid");
		return PD_OK;
	}
	return rc;
}

/* Notifies every active account holding role over r's unit. */
static int notify_staff(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_irq_row *r,
                        const char *role, const char *kind)
{
	const char *ids[32];
	int n = 0;
	if (pd_store_irq_staff(tx, role, r->unit_path, pd_tx_arena(tx), ids, 32, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++) {
		int rc = notify(tx, c, r, ids[i], kind, true);
		if (rc)
			return rc;
	}
	return PD_OK;
}

static bool text_ok(const char *s, size_t max)
{
	return s && pd_app_text_ok(s, max, true);
}

/* Version check and update of r (whose members the caller changed). */
static int update(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_irq_row *r,
                  int64_t version)
{
	if (version && version != r->version)
		return PD_ERR_CONFLICT;
	r->updated_ms = pd_app_now(c);
	enum pd_qs qs = pd_store_irq_update(tx, r, r->version);
	if (qs < 0)
		return pd_app_db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_CONFLICT : PD_OK;
}

/* --- filing -------------------------------------------------------------------------------- */

struct new_req {
	const char *requester, *unit_id, *unit_path;
	const char *subject, *details, *purpose, *format, *delivery;
	bool consent;
	const char *forwarded_from, *form_id;
	int64_t now;
};

static int insert_request(struct pd_tx *tx, const struct pd_app_ctx *c, const struct new_req *in,
                          char id_out[37], char tracking_out[11])
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_irq_row r;
	memset(&r, 0, sizeof r);
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	char tracking[PD_TRACKING_COMPACT_LEN + 1] = "";
	r.id = id;
	r.tracking = tracking;
	r.requester_account_id = in->requester;
	r.unit_id = in->unit_id;
	r.unit_path = in->unit_path;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_irq_key(tx, c->ks, &r, key);
	if (rc)
		return rc;
	r.subject_ct = pd_app_seal(a, key, in->subject, "inforeq", "subject_ct", id, &rc);
	if (!rc)
		r.details_ct = pd_app_seal(a, key, in->details, "inforeq", "details_ct", id, &rc);
	if (!rc)
		r.purpose_ct = pd_app_seal(a, key, in->purpose, "inforeq", "purpose_ct", id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	r.format = in->format;
	r.delivery = in->delivery;
	r.publish_consent = in->consent;
	r.status = "received";
	r.received_ms = in->now;
	/* UU 14/2008 Pasal 22 (7): a written answer within 10 working days. */
	r.due_ms = pd_inforeq_due(c->cal, in->now, 0);
	r.forwarded_from = in->forwarded_from;
	r.form_id = in->form_id;
	r.updated_ms = in->now;
	r.version = 1;
	/* A tracking number already taken (40 random bits meet by chance after about a million
	 * requests) inserts nothing: draw another, as complaints do. */
	enum pd_qs qs = PD_QS_NONE;
	for (int attempt = 0; attempt < TRACKING_DRAWS && qs == PD_QS_NONE; attempt++) {
		if (pd_tracking_new('K', tracking))
			return PD_ERR_INVALID;
		qs = pd_store_irq_insert(tx, &r);
	}
	if (qs <= 0)
		return qs == PD_QS_NONE ? PD_ERR_CONFLICT : pd_app_db_error(tx);
	rc = add_event(tx, c, id, in->forwarded_from ? "forwarded_in" : "received", false, NULL);
	if (!rc)
		rc = audit(tx, c, &r, "inforeq.file",
		           in->forwarded_from ? pd_arena_printf(a, "{\"forwarded_from\":\"%s\"}",
		                                                in->forwarded_from)
		                              : NULL);
	if (!rc)
		rc = notify(tx, c, &r, in->requester, "received", false);
	if (!rc)
		rc = notify_staff(tx, c, &r, "ppid", "received");
	if (rc)
		return rc;
	memcpy(id_out, id, PD_UUID_LEN + 1);
	memcpy(tracking_out, tracking, PD_TRACKING_COMPACT_LEN + 1);
	return PD_OK;
}

int pd_inforeq_file(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_inforeq_input *in,
                    struct pd_app_errors *errs, char id_out[37], char tracking_out[11])
{
	const struct pd_actor *actor = c->actor;
	if (!actor || actor->system || !actor->account_id || actor->kind != PD_ACCOUNT_CITIZEN)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object own = {actor->account_id, NULL};
	int rc = pd_authz(actor, PD_ACT_FILE, &own);
	if (rc)
		return rc;
	/* A form sent twice files once: the same page id gives the first request. */
	if (in->form_id && *in->form_id) {
		if (!pd_uuid_valid(in->form_id)) {
			pd_app_error(errs, "_form", N_("Formulir tidak sah. Muat ulang halamannya."));
			return PD_ERR_INVALID;
		}
		struct pd_irq_row old;
		enum pd_qs qs = pd_store_irq_by_form(tx, in->form_id, pd_tx_arena(tx), &old);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE) {
			if (!pd_irq_is_requester(actor, &old))
				return PD_ERR_CONFLICT;
			memcpy(id_out, old.id, PD_UUID_LEN + 1);
			memcpy(tracking_out, old.tracking, PD_TRACKING_COMPACT_LEN + 1);
			return PD_OK;
		}
	}
	struct pd_unit u;
	memset(&u, 0, sizeof u);
	if (!in->unit_slug || !*in->unit_slug) {
		pd_app_error(errs, "unit", N_("Pilih unit yang dimintai informasi."));
	} else {
		enum pd_qs qs = pd_store_unit_by_slug(tx, in->unit_slug, NULL, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			pd_app_error(errs, "unit", N_("Unit tidak dikenal."));
	}
	if (!text_ok(in->subject, PD_INFOREQ_SUBJECT_MAX))
		pd_app_error(errs, "subject", N_("Tuliskan informasi yang diminta (paling banyak 200 karakter)."));
	if (!text_ok(in->details, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "details", N_("Tuliskan rincian informasi yang dibutuhkan (paling banyak 4000 karakter)."));
	if (!text_ok(in->purpose, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "purpose", N_("Tuliskan tujuan penggunaan informasi (paling banyak 4000 karakter)."));
	enum pd_inforeq_format f;
	enum pd_inforeq_delivery d;
	if (pd_inforeq_format_parse(in->format, &f))
		pd_app_error(errs, "format", N_("Pilih bentuk informasi."));
	if (pd_inforeq_delivery_parse(in->delivery, &d))
		pd_app_error(errs, "delivery", N_("Pilih cara penyampaian."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct new_req nr = {actor->account_id, u.id, u.path, in->subject, in->details, in->purpose,
	                     pd_inforeq_format_name(f), pd_inforeq_delivery_name(d),
	                     in->publish_consent, NULL,
	                     in->form_id && *in->form_id ? in->form_id : NULL, pd_app_now(c)};
	return insert_request(tx, c, &nr, id_out, tracking_out);
}

/* --- the PPID ------------------------------------------------------------------------------ */

int pd_inforeq_extend(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                      int64_t version, int days, const char *reason, struct pd_app_errors *errs)
{
	struct pd_irq_row r;
	int rc = pd_irq_load(tx, id, &r);
	if (!rc)
		rc = pd_irq_staff_access(c->actor, PD_ACT_INFOREQ_DECIDE, &r);
	if (rc)
		return rc;
	int64_t now = pd_app_now(c);
	/* Pasal 22 (8): once, before the answer is due. */
	if (strcmp(r.status, "received") != 0 || r.extension_days > 0 || now > r.due_ms)
		return PD_ERR_CONFLICT;
	if (days < 1 || days > PD_INFOREQ_EXTEND_MAX)
		pd_app_error(errs, "days", N_("Perpanjangan 1 sampai 7 hari kerja."));
	if (!text_ok(reason, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "reason", N_("Tuliskan alasan perpanjangan."));
	if (errs->n)
		return PD_ERR_INVALID;
	r.extension_days = days;
	r.extension_reason = reason;
	r.due_ms = pd_inforeq_due(c->cal, r.received_ms, days);
	r.overdue = false;
	rc = update(tx, c, &r, version);
	if (!rc)
		rc = add_event(tx, c, r.id, "extended", true, reason);
	if (!rc)
		rc = audit(tx, c, &r, "inforeq.extend",
		           pd_arena_printf(pd_tx_arena(tx), "{\"days\":%d}", days));
	if (!rc)
		rc = notify(tx, c, &r, r.requester_account_id, "extended", false);
	return rc;
}

static int store_files(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_irq_row *r,
                       const struct pd_inforeq_answer *in, struct pd_app_errors *errs)
{
	for (int i = 0; i < in->n_files; i++) {
		struct pd_attachment_file f = {in->files[i].path, NULL, in->files[i].size,
		                               in->files[i].filename};
		char att[PD_UUID_LEN + 1];
		int rc = pd_attachment_put(tx, c->ks, r->requester_account_id, &f, att);
		if (rc == PD_ERR_INVALID || rc == PD_ERR_TOO_LARGE) {
			pd_app_error(errs, "files", N_("Berkas harus PDF, JPEG atau PNG dan paling besar 10 MB."));
			return PD_ERR_INVALID;
		}
		if (rc)
			return rc;
		if (pd_store_irq_file_insert(tx, r->id, i + 1, att) <= 0)
			return pd_app_db_error(tx);
	}
	return PD_OK;
}

int pd_inforeq_answer(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                      int64_t version, const struct pd_inforeq_answer *in,
                      struct pd_app_errors *errs)
{
	struct pd_irq_row r;
	int rc = pd_irq_load(tx, id, &r);
	if (!rc)
		rc = pd_irq_staff_access(c->actor, PD_ACT_INFOREQ_DECIDE, &r);
	if (rc)
		return rc;
	if (strcmp(r.status, "received") != 0)
		return PD_ERR_CONFLICT;
	enum pd_inforeq_outcome o = PD_INFOREQ_OUTCOME_NONE;
	if (pd_inforeq_outcome_parse(in->outcome, &o) || o == PD_INFOREQ_OUTCOME_NONE)
		pd_app_error(errs, "outcome", N_("Pilih jawaban atas permohonan."));
	if (!text_ok(in->answer, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "answer", N_("Tuliskan jawaban tertulis kepada pemohon."));
	char ground = 0;
	if (o == PD_INFOREQ_REFUSED) {
		if (!in->ground || strlen(in->ground) != 1 || !pd_inforeq_ground_label(in->ground[0]))
			pd_app_error(errs, "ground", N_("Pilih alasan pengecualian menurut Pasal 17."));
		else
			ground = in->ground[0];
	}
	struct pd_unit to;
	memset(&to, 0, sizeof to);
	if (o == PD_INFOREQ_FORWARDED) {
		enum pd_qs qs = in->to_unit && *in->to_unit
		                        ? pd_store_unit_by_slug(tx, in->to_unit, NULL, &to)
		                        : PD_QS_NONE;
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE || strcmp(to.id, r.unit_id) == 0)
			pd_app_error(errs, "to_unit", N_("Pilih unit lain yang menguasai informasinya."));
	}
	/* The register shows the PPID's own summary: asked for whenever it will be published. */
	bool published = o != PD_INFOREQ_REFUSED && r.publish_consent;
	if (published && !text_ok(in->register_subject, PD_INFOREQ_SUBJECT_MAX))
		pd_app_error(errs, "register_subject", N_("Tuliskan ringkasan permohonan untuk register publik, tanpa data pribadi."));
	if (published && !text_ok(in->register_answer, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "register_answer", N_("Tuliskan ringkasan jawaban untuk register publik, tanpa data pribadi."));
	if (in->n_files > PD_INFOREQ_FILES_MAX)
		pd_app_error(errs, "files", N_("Paling banyak 5 berkas."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_arena *a = pd_tx_arena(tx);
	int64_t now = pd_app_now(c);
	r.status = "answered";
	r.outcome = pd_inforeq_outcome_name(o);
	r.ground = ground ? pd_arena_printf(a, "%c", ground) : NULL;
	r.answer = in->answer;
	r.register_subject = published ? in->register_subject : NULL;
	r.register_answer = published ? in->register_answer : NULL;
	r.answered_ms = now;
	r.overdue = false;
	char new_id[PD_UUID_LEN + 1] = "", new_tracking[PD_TRACKING_COMPACT_LEN + 1] = "";
	if (o == PD_INFOREQ_FORWARDED) {
		/* Our reading of forwarding: the other unit gets a request of its own with a fresh
		 * 10-day clock; the requester's sealed text is copied under the same key. */
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		rc = pd_irq_key(tx, c->ks, &r, key);
		const char *subject = NULL, *details = NULL, *purpose = NULL;
		if (!rc)
			subject = pd_app_open(a, key, r.subject_ct, "inforeq", "subject_ct", r.id, &rc);
		if (!rc)
			details = pd_app_open(a, key, r.details_ct, "inforeq", "details_ct", r.id, &rc);
		if (!rc)
			purpose = pd_app_open(a, key, r.purpose_ct, "inforeq", "purpose_ct", r.id, &rc);
		sodium_memzero(key, sizeof key);
		if (rc)
			return rc;
		struct new_req nr = {r.requester_account_id, to.id, to.path, subject, details, purpose,
		                     r.format, r.delivery, r.publish_consent, r.id, NULL, now};
		rc = insert_request(tx, c, &nr, new_id, new_tracking);
		if (rc)
			return rc;
		r.forwarded_to = pd_arena_strdup(a, new_id);
	}
	rc = update(tx, c, &r, version);
	if (!rc)
		rc = store_files(tx, c, &r, in, errs);
	if (!rc)
		rc = add_event(tx, c, r.id, o == PD_INFOREQ_FORWARDED ? "forwarded" : "answered", true,
		               in->answer);
	if (!rc)
		rc = audit(tx, c, &r, "inforeq.answer",
		           pd_arena_printf(a, "{\"outcome\":\"%s\",\"files\":%d%s%s%s}", r.outcome,
		                           in->n_files, new_id[0] ? ",\"forwarded_to\":\"" : "",
		                           new_id, new_id[0] ? "\"" : ""));
	if (!rc)
		rc = notify(tx, c, &r, r.requester_account_id,
		            o == PD_INFOREQ_FORWARDED ? "forwarded" : "answered", false);
	return rc;
}

/* --- the objection ------------------------------------------------------------------------- */

/* True when the objection window of r is open at now (Pasal 36 (1)). */
static bool may_object(const struct pd_calendar *cal, const struct pd_irq_row *r, int64_t now)
{
	if (r->objected_ms)
		return false;
	if (strcmp(r->status, "answered") == 0) {
		if (r->outcome && strcmp(r->outcome, "forwarded") == 0)
			return false; /* the new request at the other unit is the one to object to */
		return now <= pd_inforeq_objection_until(cal, r->answered_ms, r->due_ms);
	}
	if (strcmp(r->status, "received") == 0)
		return now > r->due_ms && now <= pd_inforeq_objection_until(cal, 0, r->due_ms);
	return false;
}

int pd_inforeq_object(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                      unsigned reasons, const char *text, struct pd_app_errors *errs)
{
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!tracking || pd_tracking_parse(tracking, compact) || compact[0] != 'K')
		return PD_ERR_NOT_FOUND;
	struct pd_irq_row r;
	enum pd_qs qs = pd_store_irq_by_tracking(tx, compact, pd_tx_arena(tx), &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_irq_is_requester(c->actor, &r))
		return PD_ERR_NOT_FOUND;
	int64_t now = pd_app_now(c);
	if (!may_object(c->cal, &r, now))
		return PD_ERR_CONFLICT;
	if (reasons == 0 || reasons >= (1u << 7))
		pd_app_error(errs, "reasons", N_("Pilih paling sedikit satu alasan keberatan."));
	if (!text_ok(text, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "text", N_("Tuliskan uraian keberatan Anda."));
	if (errs->n)
		return PD_ERR_INVALID;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_irq_key(tx, c->ks, &r, key);
	if (!rc)
		r.objection_ct = pd_app_seal(pd_tx_arena(tx), key, text, "inforeq", "objection_ct",
		                             r.id, &rc);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	r.status = "objected";
	r.objected_ms = now;
	r.objection_reasons = reasons;
	r.objection_due_ms = pd_inforeq_objection_due(c->cal, now);
	rc = update(tx, c, &r, 0);
	if (!rc)
		rc = add_event(tx, c, r.id, "objected", false, NULL);
	if (!rc)
		rc = audit(tx, c, &r, "inforeq.object",
		           pd_arena_printf(pd_tx_arena(tx), "{\"reasons\":%u}", reasons));
	if (!rc)
		rc = notify_staff(tx, c, &r, "ppid_superior", "objected");
	return rc;
}

int pd_inforeq_decide_objection(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                                int64_t version, const char *outcome, const char *answer,
                                struct pd_app_errors *errs)
{
	struct pd_irq_row r;
	int rc = pd_irq_load(tx, id, &r);
	if (!rc)
		rc = pd_irq_staff_access(c->actor, PD_ACT_OBJECTION_DECIDE, &r);
	if (rc)
		return rc;
	if (strcmp(r.status, "objected") != 0)
		return PD_ERR_CONFLICT;
	enum pd_objection_outcome o = PD_OBJECTION_NONE;
	if (pd_objection_outcome_parse(outcome, &o) || o == PD_OBJECTION_NONE)
		pd_app_error(errs, "outcome", N_("Pilih putusan atas keberatan."));
	if (!text_ok(answer, PD_INFOREQ_TEXT_MAX))
		pd_app_error(errs, "answer", N_("Tuliskan tanggapan tertulis atas keberatan."));
	if (errs->n)
		return PD_ERR_INVALID;
	r.status = "objection_decided";
	r.objection_outcome = pd_objection_outcome_name(o);
	r.objection_answer = answer;
	r.objection_decided_ms = pd_app_now(c);
	r.objection_overdue = false;
	rc = update(tx, c, &r, version);
	if (!rc)
		rc = add_event(tx, c, r.id, "objection_decided", true, answer);
	if (!rc)
		rc = audit(tx, c, &r, "inforeq.objection_decide",
		           pd_arena_printf(pd_tx_arena(tx), "{\"outcome\":\"%s\"}", r.objection_outcome));
	if (!rc)
		rc = notify(tx, c, &r, r.requester_account_id, "objection_decided", false);
	return rc;
}

/* --- the job ------------------------------------------------------------------------------- */

int pd_inforeq_flag_overdue(struct pd_tx *tx, const struct pd_app_ctx *c, int64_t now_ms, int max,
                            int64_t *n)
{
	*n = 0;
	if (max < 1 || max > PD_INFOREQ_JOB_MAX)
		return PD_ERR_INVALID;
	struct pd_arena *a = pd_tx_arena(tx);
	const char **ids = pd_arena_alloc(a, (size_t)max * sizeof *ids);
	int *kinds = pd_arena_alloc(a, (size_t)max * sizeof *kinds);
	int nd = 0;
	if (pd_store_irq_due(tx, now_ms, a, ids, kinds, max, &nd) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < nd; i++) {
		enum pd_qs qs = pd_store_irq_flag(tx, ids[i], kinds[i], now_ms);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			continue;
		struct pd_irq_row r;
		int rc = pd_irq_load(tx, ids[i], &r);
		const char *kind = kinds[i] ? "objection_overdue" : "overdue";
		if (!rc)
			rc = add_event(tx, c, r.id, kind, false, NULL);
		if (!rc)
			rc = notify_staff(tx, c, &r, kinds[i] ? "ppid_superior" : "ppid", kind);
		if (rc)
			return rc;
		(*n)++;
	}
	if (*n == 0)
		return PD_OK;
	struct pd_audit_event ev = {
		.actor = "system", .action = "inforeq.overdue", .object_type = "inforeq",
		.details = pd_arena_printf(a, "{\"count\":%lld}", (long long)*n), .ts_ms = now_ms};
	return pd_audit_append(tx, &ev);
}

static int count_tx(struct pd_tx *tx, void *p)
{
	return pd_store_irq_count_overdue(tx, p) < 0 ? pd_app_db_error(tx) : PD_OK;
}

int pd_inforeq_count_overdue(struct pd_store *st, int64_t *n)
{
	*n = 0;
	return pd_store_read(st, count_tx, n);
}
