/* Assisted service (DESIGN §2): an officer files for a citizen identified by NIK, with consent,
 * under a subject key of the application's own; the citizen later attaches it to their account
 * with the tracking number and the NIK, and the application's key is adopted. */
#include "domain/application_internal.h"

#include <jansson.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/document.h"
#include "domain/form.h"
#include "store/account_store.h"
#include "store/service_store.h"
#include "store/unit_store.h"

#define HOLDER_NAME_MAX 200

/* Where the actor may file for a citizen: the village office of a grant (*village_id set) or
 * the service's own unit. PD_ERR_FORBIDDEN for other staff, PD_ERR_NOT_FOUND for anyone who is
 * not staff (citizens, nobody signed in). */
static int assist_place(struct pd_tx *tx, const struct pd_actor *actor,
                        const struct pd_service *s, const char **village_id)
{
	*village_id = NULL;
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (actor->system)
		return PD_OK;
	if (actor->kind != PD_ACCOUNT_STAFF)
		return PD_ERR_NOT_FOUND;
	bool at_service = false;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role != PD_ROLE_OFFICER && g->role != PD_ROLE_SUPERVISOR)
			continue;
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_id(tx, g->unit_id, NULL, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_ONE && strcmp(u.kind, "village") == 0 && !*village_id)
			*village_id = u.id;
		size_t n = g->unit_path ? strlen(g->unit_path) : 0;
		if (n && strncmp(s->unit_path, g->unit_path, n) == 0)
			at_service = true;
	}
	if (*village_id || at_service)
		return PD_OK;
	return PD_ERR_FORBIDDEN;
}

struct open_job {
	const struct pd_actor *actor;
	const char *slug;
	struct pd_arena *a;
	struct pd_service *out;
};

static int open_tx(struct pd_tx *tx, void *p)
{
	struct open_job *j = p;
	int rc = pd_app_enabled_service(tx, j->slug, j->a, j->out);
	const char *village_id;
	return rc ? rc : assist_place(tx, j->actor, j->out, &village_id);
}

int pd_application_assist_open(struct pd_store *st, const struct pd_actor *actor,
                               const char *service_slug, struct pd_arena *a,
                               struct pd_service *out)
{
	struct pd_service s;
	struct open_job j = {actor, service_slug, a, out ? out : &s};
	memset(j.out, 0, sizeof *j.out);
	return pd_store_read(st, open_tx, &j);
}

int pd_application_file_assisted(struct pd_tx *tx, const struct pd_app_ctx *c,
                                 const struct pd_app_assisted *in, struct pd_app_errors *errs,
                                 char id_out[37],
                                 char tracking_out[PD_TRACKING_COMPACT_LEN + 1])
{
	id_out[0] = tracking_out[0] = '\0';
	memset(errs, 0, sizeof *errs);
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_service s;
	int rc = pd_app_enabled_service(tx, in->service_slug, a, &s);
	if (rc)
		return rc;
	const char *village_id;
	rc = assist_place(tx, c->actor, &s, &village_id);
	if (rc)
		return rc;
	char nik[17], district[7];
	if (!in->nik || pd_nik_check(in->nik, nik, district))
		pd_app_error(errs, "_nik", N_("NIK harus 16 angka yang sah, seperti tertulis di KTP."));
	if (!pd_app_text_ok(in->holder_name, HOLDER_NAME_MAX, true))
		pd_app_error(errs, "_holder_name", N_("Tulis nama pemohon seperti di KTP (paling banyak 200 karakter)."));
	if (!in->consent)
		pd_app_error(errs, "_consent", N_("Pemohon harus menyetujui permohonan diajukan oleh petugas."));
	struct pd_form form;
	rc = pd_form_current_tx(tx, s.id, a, &form);
	if (rc)
		return rc;

	int64_t now = pd_app_now(c);
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	struct pd_buf wrapped;
	pd_buf_init(&wrapped, 256);
	rc = pd_crypto_subject_key_new(c->ks, id, key, &wrapped);
	struct pd_app_row r;
	memset(&r, 0, sizeof r);
	r.id = pd_arena_strdup(a, id);
	if (!rc) {
		r.subject_key.p = pd_arena_memdup(a, wrapped.data, wrapped.len);
		r.subject_key.n = wrapped.len;
	}
	pd_buf_free(&wrapped);
	if (rc)
		goto out;
	pd_app_row_new_draft(&r, &s, form.version, now);
	if (pd_store_app_insert(tx, &r) <= 0) {
		rc = pd_app_db_error(tx);
		goto out;
	}
	const char *answers;
	rc = pd_app_files_and_answers(tx, c, r.id, &form, NULL, in->uploads, in->n_uploads, NULL, 0,
	                              in->values, in->n_values, true, a, errs, &answers);
	if (rc)
		goto out;
	r.answers_ct = pd_app_seal(a, key, answers, "application", "answers_ct", r.id, &rc);
	if (rc)
		goto out;
	json_t *h = json_pack("{s:s,s:s}", "name", in->holder_name, "nik", nik);
	char *hs = h ? json_dumps(h, JSON_COMPACT) : NULL;
	json_decref(h);
	if (!hs) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	r.holder_ct = pd_app_seal(a, key, hs, "application", "holder_ct", r.id, &rc);
	sodium_memzero(hs, strlen(hs));
	free(hs);
	if (rc)
		goto out;
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	rc = pd_crypto_blind_index(c->ks, "nik", nik, bidx);
	if (rc)
		goto out;
	r.nik_bidx.p = pd_arena_memdup(a, bidx, sizeof bidx);
	r.nik_bidx.n = sizeof bidx;
	r.assisted_by = c->actor->system ? NULL : c->actor->account_id;
	r.consent_ms = now;
	r.place_unit_id = village_id ? village_id : pd_app_place_of(tx, answers, a);
	pd_app_start_clock(c, &r, s.processing_days, a);
	r.updated_ms = now;
	if (pd_app_update_submitted(tx, &r, r.version, a) <= 0) {
		rc = pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
		goto out;
	}
	memcpy(id_out, r.id, PD_UUID_LEN + 1);
	memcpy(tracking_out, r.tracking, PD_TRACKING_COMPACT_LEN + 1);
	rc = pd_app_event(tx, c, &r, "submitted", true, NULL, NULL, NULL);
	if (!rc)
		rc = pd_app_audit(tx, c, &r, "application.submit_assisted", NULL);
out:
	sodium_memzero(key, sizeof key);
	return rc;
}

/* Opens ct under the old key and seals it under the new one (same associated data). */
static struct pd_blob reseal(struct pd_arena *a, const unsigned char *old_key,
                             const unsigned char *new_key, struct pd_blob ct, const char *table,
                             const char *column, const char *id, int *rc)
{
	struct pd_blob none = {NULL, 0};
	const char *plain = pd_app_open(a, old_key, ct, table, column, id, rc);
	if (*rc || !plain)
		return none;
	return pd_app_seal(a, new_key, plain, table, column, id, rc);
}

/* Seals every sealed value of r and its events anew under the account's key. */
static int adopt(struct pd_tx *tx, const struct pd_keyset *ks, struct pd_app_row *r,
                 const unsigned char *old_key, const unsigned char *new_key)
{
	struct pd_arena *a = pd_tx_arena(tx);
	int rc = PD_OK;
	r->answers_ct = reseal(a, old_key, new_key, r->answers_ct, "application", "answers_ct", r->id,
	                       &rc);
	if (!rc)
		r->note_ct = reseal(a, old_key, new_key, r->note_ct, "application", "note_ct", r->id, &rc);
	if (!rc)
		r->holder_ct = reseal(a, old_key, new_key, r->holder_ct, "application", "holder_ct",
		                      r->id, &rc);
	if (rc)
		return rc;
	(void)ks;
	struct pd_app_event_row *ev = pd_arena_alloc(a, PD_APP_EVENTS_MAX * sizeof *ev);
	int n = 0;
	if (pd_store_app_events(tx, r->id, a, ev, PD_APP_EVENTS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++) {
		if (!ev[i].note_ct.p)
			continue;
		struct pd_blob b = reseal(a, old_key, new_key, ev[i].note_ct, "application_event",
		                          "note_ct", ev[i].id, &rc);
		if (rc)
			return rc;
		if (pd_store_app_event_set_note(tx, ev[i].id, b) < 0)
			return pd_app_db_error(tx);
	}
	return PD_OK;
}

int pd_application_attach(struct pd_tx *tx, const struct pd_app_ctx *c, const char *tracking,
                          const char *nik, char id_out[37])
{
	id_out[0] = '\0';
	const struct pd_actor *actor = c->actor;
	struct pd_authz_object o = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_FILE, &o);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	/* The account's own NIK: only its holder may take the application over. */
	struct pd_account_row acc;
	enum pd_qs qs = pd_store_account_by_id(tx, actor->account_id, a, &acc);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || acc.nik_bidx.n != PD_CRYPTO_BLIND_BYTES)
		return PD_ERR_FORBIDDEN;
	char compact[PD_TRACKING_COMPACT_LEN + 1], n16[17];
	if (!tracking || pd_tracking_parse(tracking, compact) || compact[0] != 'P' || !nik ||
	    pd_crypto_norm_nik(nik, n16))
		return PD_ERR_INVALID;
	struct pd_app_row r;
	qs = pd_store_app_by_tracking(tx, compact, a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	unsigned char bidx[PD_CRYPTO_BLIND_BYTES];
	rc = pd_crypto_blind_index(c->ks, "nik", n16, bidx);
	if (rc)
		return rc;
	/* One answer for every way of not matching: the typed NIK and the account's must both be
	 * the application's. */
	if (qs == PD_QS_NONE || !r.consent_ms || r.citizen_account_id || !r.subject_key.p ||
	    r.nik_bidx.n != sizeof bidx)
		return PD_ERR_NOT_FOUND;
	bool typed_ok = pd_mem_eq_ct(r.nik_bidx.p, bidx, sizeof bidx);
	bool own_ok = pd_mem_eq_ct(r.nik_bidx.p, acc.nik_bidx.p, sizeof bidx);
	if (!(typed_ok & own_ok))
		return PD_ERR_NOT_FOUND;

	unsigned char old_key[PD_CRYPTO_KEY_BYTES], new_key[PD_CRYPTO_KEY_BYTES];
	rc = pd_app_key(tx, c->ks, &r, old_key);
	struct pd_app_row owner = r;
	owner.subject_key = (struct pd_blob){NULL, 0};
	owner.citizen_account_id = actor->account_id;
	if (!rc)
		rc = pd_app_key(tx, c->ks, &owner, new_key);
	if (!rc)
		rc = adopt(tx, c->ks, &r, old_key, new_key);
	if (!rc) /* the holder of a document issued before the attachment moves along */
		rc = pd_document_reseal_holder_tx(tx, r.id, old_key, new_key);
	sodium_memzero(old_key, sizeof old_key);
	sodium_memzero(new_key, sizeof new_key);
	if (rc)
		return rc;
	/* The files leave their own keys for the account's: erasing it destroys them. */
	struct pd_app_file_row files[PD_APP_FILES_MAX];
	int n_files = 0;
	if (pd_store_app_files(tx, r.id, a, files, PD_APP_FILES_MAX, &n_files) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n_files; i++) {
		rc = pd_attachment_rekey(tx, c->ks, files[i].attachment_id, actor->account_id);
		if (rc)
			return rc;
	}
	r.citizen_account_id = actor->account_id;
	r.subject_key = (struct pd_blob){NULL, 0};
	r.updated_ms = pd_app_now(c);
	if (pd_store_app_update(tx, &r, r.version) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	memcpy(id_out, r.id, PD_UUID_LEN + 1);
	rc = pd_app_event(tx, c, &r, "attached", false, NULL, NULL, NULL);
	if (!rc)
		rc = pd_app_notify(tx, c, &r, "attached");
	if (!rc)
		rc = pd_app_audit(tx, c, &r, "application.attach", NULL);
	return rc;
}
