/* Public consultations: publishing a draft and its corrections, citizens' comments and
 * replies, reports, moderation and the follow-up report (rules in consult.h). */
#include "domain/consult.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/unit_store.h"

static const char *audit_actor(struct pd_tx *tx, const struct pd_actor *actor)
{
	if (!actor || actor->system)
		return "system";
	return pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id);
}

static int audit(struct pd_tx *tx, const struct pd_actor *actor, const char *action,
                 const char *type, const char *id, const char *unit_id, int64_t now_ms)
{
	struct pd_audit_event ev = {.actor = audit_actor(tx, actor), .action = action,
	                            .object_type = type, .object_id = id, .unit_id = unit_id,
	                            .ts_ms = now_ms};
	return pd_audit_append(tx, &ev);
}

static int db_error(struct pd_tx *tx)
{
	int rc = pd_tx_error(tx);
	return rc ? rc : PD_ERR_DB;
}

/* Text of 1..max code points of valid UTF-8 (required) or 0..max (optional). */
static bool text_ok(const char *s, size_t max, bool required)
{
	if (!s || !*s)
		return !required;
	size_t n = strlen(s);
	return pd_utf8_valid(s, n) && pd_utf8_len(s, n) <= max;
}

static int manage_authz(const struct pd_actor *actor, const char *unit_path)
{
	struct pd_authz_object o = {NULL, unit_path};
	return pd_authz(actor, PD_ACT_MODERATE, &o);
}

bool pd_consult_may_manage(const struct pd_actor *actor)
{
	return actor && (actor->system || pd_authz_has_role(actor, PD_ROLE_MODERATOR, NULL) ||
	                 pd_authz_has_role(actor, PD_ROLE_ADMINISTRATOR, NULL));
}

/* Renders body_md and stores it as version n of cs_id with its sections. */
static int store_version(struct pd_tx *tx, const char *cs_id, int64_t n, const char *body_md,
                         const char *note, int64_t now_ms, struct pd_field_errors *errs)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_consult_section *secs = pd_arena_alloc(a, sizeof *secs * PD_CONSULT_SECTIONS_MAX);
	int n_secs = 0;
	int rc = pd_consult_split(body_md, strlen(body_md), a, secs, PD_CONSULT_SECTIONS_MAX, &n_secs);
	if (rc == PD_ERR_TOO_LARGE || rc == PD_ERR_INVALID) {
		pd_field_error(errs, "body", rc == PD_ERR_TOO_LARGE
		                                 ? N_("Naskah terlalu panjang.")
		                                 : N_("Naskah kosong atau memiliki lebih dari 100 bagian."));
		return PD_ERR_INVALID;
	}
	if (rc)
		return rc;
	struct pd_cs_version_row v = {n, body_md, note, now_ms};
	if (pd_store_cs_version_insert(tx, cs_id, &v) <= 0)
		return db_error(tx);
	for (int i = 0; i < n_secs; i++) {
		struct pd_cs_section_row s = {i + 1, secs[i].anchor, secs[i].title, secs[i].html};
		if (pd_store_cs_section_insert(tx, cs_id, n, &s) <= 0)
			return db_error(tx);
	}
	return PD_OK;
}

int pd_consult_create(struct pd_tx *tx, const struct pd_actor *actor,
                      const struct pd_consult_input *in, int64_t now_ms,
                      struct pd_field_errors *errs, char id_out[37])
{
	if (!pd_consult_may_manage(actor))
		return PD_ERR_NOT_FOUND;
	struct pd_unit u;
	enum pd_qs qs = PD_QS_NONE;
	if (in->unit_slug && *in->unit_slug)
		qs = pd_store_unit_by_slug(tx, in->unit_slug, NULL, &u);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE) {
		pd_field_error(errs, "unit", N_("Pilih unit yang ada."));
	} else {
		int rc = manage_authz(actor, u.path);
		if (rc)
			return rc;
	}
	if (!in->slug || !pd_slug_valid(in->slug) || strlen(in->slug) > 80)
		pd_field_error(errs, "slug", N_("Gunakan huruf kecil, angka dan tanda hubung."));
	if (!text_ok(in->title, PD_CONSULT_TITLE_MAX, true))
		pd_field_error(errs, "title", N_("Isi judul (paling banyak 200 karakter)."));
	if (!text_ok(in->summary, PD_CONSULT_SUMMARY_MAX, true))
		pd_field_error(errs, "summary", N_("Isi ringkasan (paling banyak 1000 karakter)."));
	if (in->opens_ms <= 0)
		pd_field_error(errs, "opens", N_("Isi tanggal dalam bentuk TTTT-BB-HH."));
	if (in->closes_ms <= 0)
		pd_field_error(errs, "closes", N_("Isi tanggal dalam bentuk TTTT-BB-HH."));
	else if (in->opens_ms > 0 && in->closes_ms <= in->opens_ms)
		pd_field_error(errs, "closes", N_("Tanggal tutup harus setelah tanggal buka."));
	else if (in->closes_ms <= now_ms)
		pd_field_error(errs, "closes", N_("Tanggal tutup harus di masa depan."));
	if (!in->body_md || !*in->body_md)
		pd_field_error(errs, "body", N_("Isi naskah rancangan."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_cs_row other;
	qs = pd_store_cs_by_slug(tx, in->slug, NULL, &other);
	if (qs < 0)
		return db_error(tx);
	if (qs > 0) {
		pd_field_error(errs, "slug", N_("Alamat ini sudah dipakai konsultasi lain."));
		return PD_ERR_INVALID;
	}
	char id[37];
	pd_uuid7(id);
	struct pd_cs_row r = {.id = id, .slug = in->slug, .unit_id = u.id, .unit_path = u.path,
	                      .title = in->title, .summary = in->summary, .opens_ms = in->opens_ms,
	                      .closes_ms = in->closes_ms, .n_versions = 1,
	                      .created_by = audit_actor(tx, actor), .created_ms = now_ms};
	if (pd_store_cs_insert(tx, &r) <= 0)
		return db_error(tx);
	const char *note = in->note && *in->note ? in->note : "Versi pertama";
	int rc = store_version(tx, id, 1, in->body_md, note, now_ms, errs);
	if (rc)
		return rc;
	rc = audit(tx, actor, "consult.create", "consultation", id, u.id, now_ms);
	if (!rc)
		memcpy(id_out, id, 37);
	return rc;
}

/* Loads consultation id for a staff step: PD_ERR_NOT_FOUND unless the actor moderates it. */
static int load_for_staff(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                          struct pd_cs_row *r)
{
	enum pd_qs qs = pd_uuid_valid(id) ? pd_store_cs_by_id(tx, id, NULL, r) : PD_QS_NONE;
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return manage_authz(actor, r->unit_path);
}

int pd_consult_new_version(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                           int64_t seen, const char *body_md, const char *note, int64_t now_ms,
                           struct pd_field_errors *errs)
{
	struct pd_cs_row r;
	int rc = load_for_staff(tx, actor, id, &r);
	if (rc)
		return rc;
	if (now_ms >= r.closes_ms)
		return PD_ERR_FORBIDDEN;
	if (seen != r.n_versions)
		return PD_ERR_CONFLICT;
	if (!body_md || !*body_md)
		pd_field_error(errs, "body", N_("Isi naskah rancangan."));
	if (!text_ok(note, PD_CONSULT_SUMMARY_MAX, true))
		pd_field_error(errs, "note", N_("Jelaskan apa yang dikoreksi (paling banyak 1000 karakter)."));
	if (errs->n)
		return PD_ERR_INVALID;
	if (r.n_versions >= PD_CONSULT_VERSIONS_MAX) {
		pd_field_error(errs, "body", N_("Batas jumlah versi sudah tercapai."));
		return PD_ERR_INVALID;
	}
	enum pd_qs qs = pd_store_cs_bump_version(tx, id, r.n_versions + 1);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	rc = store_version(tx, id, r.n_versions + 1, body_md, note, now_ms, errs);
	return rc ? rc : audit(tx, actor, "consult.version", "consultation", id, r.unit_id, now_ms);
}

/* True when anchor is a section of the newest version of cs. */
static int section_exists(struct pd_tx *tx, const struct pd_cs_row *cs, const char *anchor,
                          bool *out)
{
	struct pd_cs_section_row *secs =
		pd_arena_alloc(pd_tx_arena(tx), sizeof *secs * PD_CONSULT_SECTIONS_MAX);
	int n = 0;
	if (pd_store_cs_sections(tx, cs->id, cs->n_versions, NULL, secs, PD_CONSULT_SECTIONS_MAX,
	                         &n) < 0)
		return db_error(tx);
	*out = false;
	for (int i = 0; i < n; i++)
		if (strcmp(secs[i].anchor, anchor) == 0)
			*out = true;
	return PD_OK;
}

int pd_consult_comment(struct pd_tx *tx, const struct pd_actor *actor,
                       const struct pd_consult_comment_input *in, int64_t now_ms,
                       struct pd_field_errors *errs, struct pd_consult_comment_result *res)
{
	memset(res, 0, sizeof *res);
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	struct pd_cs_row cs;
	enum pd_qs qs = in->slug ? pd_store_cs_by_slug(tx, in->slug, NULL, &cs) : PD_QS_NONE;
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || cs.opens_ms > now_ms)
		return PD_ERR_NOT_FOUND;
	if (actor->kind != PD_ACCOUNT_CITIZEN) {
		res->staff = true;
		return PD_ERR_FORBIDDEN;
	}
	if (now_ms >= cs.closes_ms) {
		res->closed = true;
		return PD_ERR_FORBIDDEN;
	}
	int64_t recent = 0;
	if (pd_store_cs_comments_since(tx, actor->account_id, now_ms - PD_CONSULT_RATE_WINDOW_MS,
	                               &recent) < 0)
		return db_error(tx);
	if (recent >= PD_CONSULT_RATE_N) {
		res->rate_limited = true;
		return PD_ERR_FORBIDDEN;
	}
	const char *section = in->section ? in->section : "";
	const char *stance = NULL;
	const char *parent = in->parent_id && *in->parent_id ? in->parent_id : NULL;
	if (parent) {
		struct pd_cs_comment_row p;
		qs = pd_uuid_valid(parent) ? pd_store_cs_comment_by_id(tx, parent, NULL, &p)
		                           : PD_QS_NONE;
		if (qs < 0)
			return db_error(tx);
		if (qs == PD_QS_NONE || strcmp(p.consultation_id, cs.id) != 0)
			pd_field_error(errs, "parent", N_("Komentar yang dibalas tidak ada."));
		else if (p.parent_id)
			pd_field_error(errs, "parent",
			               N_("Balasan hanya satu tingkat: balas komentar utamanya."));
		else if (strcmp(p.state, "visible") != 0)
			pd_field_error(errs, "parent", N_("Komentar ini sedang disembunyikan."));
		else
			section = p.section;
	} else {
		enum pd_consult_stance st;
		if (pd_consult_stance_parse(in->stance, &st))
			pd_field_error(errs, "stance", N_("Pilih sikap Anda: mendukung, menolak atau netral."));
		else
			stance = pd_consult_stance_name(st);
		if (*section) {
			bool ok = false;
			int rc = section_exists(tx, &cs, section, &ok);
			if (rc)
				return rc;
			if (!ok)
				pd_field_error(errs, "section", N_("Pilih bagian yang ada."));
		}
	}
	if (!text_ok(in->body, PD_CONSULT_BODY_MAX, true))
		pd_field_error(errs, "body", N_("Tulis komentar Anda (paling banyak 2000 karakter)."));
	if (errs->n)
		return PD_ERR_INVALID;
	char id[37];
	pd_uuid7(id);
	struct pd_cs_comment_row c = {
		.id = id, .consultation_id = cs.id, .parent_id = parent, .section = section,
		.version = cs.n_versions, .account_id = actor->account_id,
		.author_name = in->show_name && actor->name && *actor->name ? actor->name : NULL,
		.stance = stance, .body = in->body, .created_ms = now_ms};
	if (pd_store_cs_comment_insert(tx, &c) <= 0)
		return db_error(tx);
	int rc = audit(tx, actor, "consult.comment", "consult_comment", id, cs.unit_id, now_ms);
	if (!rc)
		memcpy(res->id, id, 37);
	return rc;
}

int pd_consult_report(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                      const char *comment_id, int64_t now_ms, bool *counted)
{
	*counted = false;
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	struct pd_cs_row cs;
	struct pd_cs_comment_row c;
	enum pd_qs qs = pd_store_cs_by_slug(tx, slug, NULL, &cs);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || cs.opens_ms > now_ms || !pd_uuid_valid(comment_id))
		return PD_ERR_NOT_FOUND;
	qs = pd_store_cs_comment_by_id(tx, comment_id, NULL, &c);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || strcmp(c.consultation_id, cs.id) != 0)
		return PD_ERR_NOT_FOUND;
	qs = pd_store_cs_report_add(tx, comment_id, actor->account_id, now_ms,
	                            PD_CONSULT_REPORT_THRESHOLD);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK;
	*counted = true;
	return audit(tx, actor, "consult.report", "consult_comment", comment_id, cs.unit_id, now_ms);
}

int pd_consult_moderate(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const char *comment_id, bool hide, const char *reason, int64_t now_ms,
                        struct pd_field_errors *errs)
{
	struct pd_cs_row cs;
	int rc = load_for_staff(tx, actor, id, &cs);
	if (rc)
		return rc;
	struct pd_cs_comment_row c;
	enum pd_qs qs = pd_uuid_valid(comment_id)
	                        ? pd_store_cs_comment_by_id(tx, comment_id, NULL, &c)
	                        : PD_QS_NONE;
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || strcmp(c.consultation_id, cs.id) != 0)
		return PD_ERR_NOT_FOUND;
	if (!text_ok(reason, PD_CONSULT_SUMMARY_MAX, true)) {
		pd_field_error(errs, "reason", N_("Tuliskan alasan keputusan (paling banyak 1000 karakter)."));
		return PD_ERR_INVALID;
	}
	if (pd_store_cs_moderate(tx, comment_id, hide ? "hidden" : "visible", reason, now_ms,
	                         audit_actor(tx, actor)) <= 0)
		return db_error(tx);
	return audit(tx, actor, "consult.moderate", "consult_comment", comment_id, cs.unit_id,
	             now_ms);
}

int pd_consult_followup(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const char *const *sections, const char *const *responses, int n,
                        const char *changes, int64_t now_ms, struct pd_field_errors *errs)
{
	struct pd_cs_row cs;
	int rc = load_for_staff(tx, actor, id, &cs);
	if (rc)
		return rc;
	if (now_ms < cs.closes_ms)
		return PD_ERR_FORBIDDEN;
	if (cs.report_ms)
		return PD_ERR_CONFLICT;
	int given = 0;
	for (int i = 0; i < n; i++) {
		if (!responses[i] || !*responses[i])
			continue;
		if (!text_ok(responses[i], PD_CONSULT_BODY_MAX * 2, true)) {
			pd_field_error(errs, "responses", N_("Tanggapan per bagian paling banyak 4000 karakter."));
			break;
		}
		given++;
	}
	if (!errs->n && given == 0)
		pd_field_error(errs, "responses", N_("Tanggapi sedikitnya satu bagian."));
	if (!text_ok(changes, PD_CONSULT_BODY_MAX * 2, true))
		pd_field_error(errs, "changes", N_("Jelaskan apa yang berubah pada naskah akhir."));
	if (errs->n)
		return PD_ERR_INVALID;
	enum pd_qs qs = pd_store_cs_report(tx, id, changes, now_ms);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	for (int i = 0; i < n; i++) {
		if (!responses[i] || !*responses[i])
			continue;
		if (pd_store_cs_response_insert(tx, id, sections[i] ? sections[i] : "", responses[i]) <= 0)
			return db_error(tx);
	}
	return audit(tx, actor, "consult.followup", "consultation", id, cs.unit_id, now_ms);
}

int pd_consult_erase_account(struct pd_tx *tx, const char *account_id)
{
	return pd_store_cs_erase_names(tx, account_id) < 0 ? db_error(tx) : PD_OK;
}
