/* The citizen's side of an application: the resumable draft, submission with its tracking
 * number and clock, correction and resubmission after a return, and "Permohonan saya". */
#include "domain/application_internal.h"

#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/form.h"
#include "store/service_store.h"

/* The citizen acting as owner (PD_ACT_FILE): a signed-in account with a verified email. */
static int may_file(const struct pd_actor *actor)
{
	struct pd_authz_object o = {actor ? actor->account_id : NULL, NULL};
	return pd_authz(actor, PD_ACT_FILE, &o);
}

/* Seals answers (JSON) as r's answers under the key of its subject. */
static int seal_answers(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_app_row *r,
                        const char *answers, struct pd_arena *a)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_app_key(tx, c->ks, r, key);
	if (!rc)
		r->answers_ct = pd_app_seal(a, key, answers, "application", "answers_ct", r->id, &rc);
	sodium_memzero(key, sizeof key);
	return rc;
}

/* --- the clock ------------------------------------------------------------------------------- */

int64_t pd_application_due(const struct pd_calendar *cal, int64_t submitted_ms, int64_t sla_days,
                           int64_t paused_days)
{
	int64_t total = sla_days + (paused_days > 0 ? paused_days : 0);
	if (total > 100000)
		total = 100000;
	return pd_calendar_due(cal, submitted_ms, (int)total, NULL, 0);
}

int pd_application_pause_days(const struct pd_calendar *cal, int64_t paused_since_ms,
                              int64_t now_ms)
{
	if (!paused_since_ms || now_ms <= paused_since_ms)
		return 0;
	return pd_calendar_working_days_between(cal, pd_calendar_day_of(cal, paused_since_ms),
	                                        pd_calendar_day_of(cal, now_ms));
}

/* --- the draft ------------------------------------------------------------------------------- */

struct draft_read {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *slug;
	struct pd_arena *a;
	struct pd_application *out;
};

static int draft_tx(struct pd_tx *tx, void *p)
{
	struct draft_read *d = p;
	struct pd_service s;
	int rc = pd_app_enabled_service(tx, d->slug, d->a, &s);
	if (rc)
		return rc;
	struct pd_app_row r;
	enum pd_qs qs = pd_store_app_draft(tx, d->actor->account_id, s.id, d->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	pd_app_from_row(&r, d->a, d->out);
	return pd_app_open_details(tx, d->ks, &r, d->a, d->out);
}

int pd_application_draft(struct pd_store *st, const struct pd_keyset *ks,
                         const struct pd_actor *actor, const char *service_slug,
                         struct pd_arena *a, struct pd_application *out)
{
	memset(out, 0, sizeof *out);
	struct pd_authz_object o = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_VIEW, &o);
	if (rc)
		return PD_ERR_NOT_FOUND;
	struct draft_read d = {ks, actor, service_slug, a, out};
	return pd_store_read(st, draft_tx, &d);
}

/* The application the form page was for (in->draft_id, see pd_application_save): the actor's
 * draft into *r, or *new_id when the id is unknown (the page's fresh id for a new one), or a
 * refusal (an application already sent: PD_ERR_CONFLICT with id_out; a draft changed since:
 * PD_ERR_CONFLICT with an error on "_form"). */
static int page_draft(struct pd_tx *tx, const struct pd_actor *actor, const struct pd_service *s,
                      const struct pd_app_input *in, struct pd_app_errors *errs, char id_out[37],
                      struct pd_app_row *r, const char **new_id)
{
	struct pd_arena *a = pd_tx_arena(tx);
	*new_id = NULL;
	if (!pd_uuid_valid(in->draft_id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_app_by_id(tx, in->draft_id, a, r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_ONE) {
		if (!pd_app_is_owner(actor, r) || strcmp(r->service_id, s->id) != 0)
			return PD_ERR_NOT_FOUND;
		if (strcmp(r->status, "draft") != 0) {
			/* Sent already (a double click, or the form sent again): show it. */
			memcpy(id_out, r->id, strlen(r->id) + 1);
			return PD_ERR_CONFLICT;
		}
		if (in->submit && in->draft_version != r->version)
			goto changed;
		return PD_OK;
	}
	/* A new application: unless a draft of this service was saved meanwhile elsewhere. */
	qs = pd_store_app_draft(tx, actor->account_id, s->id, a, r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE) {
		/* The page's fresh UUIDv7 (lower case, as pd_uuid7 writes it) becomes the id. */
		for (const char *p = in->draft_id; *p; p++)
			if (*p >= 'A' && *p <= 'F')
				return PD_ERR_NOT_FOUND;
		if (in->draft_id[14] != '7')
			return PD_ERR_NOT_FOUND;
		*new_id = in->draft_id;
		return PD_OK;
	}
	if (!in->submit)
		return PD_OK; /* a draft saved: into the one draft there is */
changed:
	pd_app_error(errs, "_form", N_("Draf ini telah diubah di jendela atau perangkat lain. Periksa isiannya, lalu kirim lagi."));
	return PD_ERR_CONFLICT;
}

int pd_application_save(struct pd_tx *tx, const struct pd_app_ctx *c,
                        const struct pd_app_input *in, struct pd_app_errors *errs,
                        char id_out[37])
{
	id_out[0] = '\0';
	memset(errs, 0, sizeof *errs);
	const struct pd_actor *actor = c->actor;
	int rc = may_file(actor);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_service s;
	rc = pd_app_enabled_service(tx, in->service_slug, a, &s);
	if (rc)
		return rc;
	struct pd_form form;
	rc = pd_form_current_tx(tx, s.id, a, &form);
	if (rc)
		return rc;
	int64_t now = pd_app_now(c);

	struct pd_app_row r;
	bool created = false;
	const char *new_id = NULL;
	enum pd_qs qs;
	if (in->draft_id) {
		rc = page_draft(tx, actor, &s, in, errs, id_out, &r, &new_id);
		if (rc)
			return rc;
		qs = new_id ? PD_QS_NONE : PD_QS_ONE;
	} else {
		qs = pd_store_app_draft(tx, actor->account_id, s.id, a, &r);
		if (qs < 0)
			return pd_app_db_error(tx);
	}
	if (qs == PD_QS_NONE) {
		/* A new draft row first: the files refer to it. */
		char id[PD_UUID_LEN + 1];
		if (new_id)
			memcpy(id, new_id, sizeof id);
		else
			pd_uuid7(id);
		memset(&r, 0, sizeof r);
		r.id = pd_arena_strdup(a, id);
		pd_app_row_new_draft(&r, &s, form.version, now);
		r.citizen_account_id = actor->account_id;
		if (pd_store_app_insert(tx, &r) <= 0)
			return pd_app_db_error(tx);
		created = true;
	}
	memcpy(id_out, r.id, strlen(r.id) + 1);

	const char *answers;
	rc = pd_app_files_and_answers(tx, c, r.id, &form, actor->account_id, in->uploads,
	                              in->n_uploads, in->remove_files, in->n_remove, in->values,
	                              in->n_values, in->submit, a, errs, &answers);
	if (rc && rc != PD_ERR_INVALID) /* the draft keeps what was valid */
		return rc;

	if ((rc = seal_answers(tx, c, &r, answers, a)) != PD_OK)
		return rc;
	r.form_version = form.version;
	r.place_unit_id = pd_app_place_of(tx, answers, a);
	r.updated_ms = now;
	bool submit = in->submit && errs->n == 0;
	if (submit)
		pd_app_start_clock(c, &r, s.processing_days, a);
	if ((submit ? pd_app_update_submitted(tx, &r, r.version, a)
	            : pd_store_app_update(tx, &r, r.version)) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	if (!submit) {
		rc = created ? pd_app_event(tx, c, &r, "created", false, NULL, NULL, NULL) : PD_OK;
		if (!rc)
			rc = pd_app_audit(tx, c, &r, "application.draft_save", NULL);
		return rc ? rc : errs->n ? PD_ERR_INVALID : PD_OK;
	}
	rc = pd_app_event(tx, c, &r, "submitted", false, NULL, NULL, NULL);
	if (!rc)
		rc = pd_app_notify(tx, c, &r, "submitted");
	if (!rc)
		rc = pd_app_audit(tx, c, &r, "application.submit", NULL);
	return rc;
}

int pd_application_draft_delete(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id)
{
	int rc = may_file(c->actor);
	if (rc)
		return rc;
	struct pd_app_row r;
	enum pd_qs qs = id && pd_uuid_valid(id) ? pd_store_app_by_id(tx, id, NULL, &r) : PD_QS_NONE;
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_app_is_owner(c->actor, &r))
		return PD_ERR_NOT_FOUND;
	if (strcmp(r.status, "draft") != 0)
		return PD_ERR_CONFLICT;
	struct pd_app_file_row rows[PD_APP_FILES_MAX];
	int n = 0;
	if (pd_store_app_files(tx, r.id, NULL, rows, PD_APP_FILES_MAX, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++) {
		if (pd_store_app_file_delete(tx, rows[i].id) < 0)
			return pd_app_db_error(tx);
		rc = pd_attachment_delete(tx, rows[i].attachment_id);
		if (rc && rc != PD_ERR_NOT_FOUND)
			return rc;
	}
	if (pd_store_app_delete(tx, r.id) < 0)
		return pd_app_db_error(tx);
	return pd_app_audit(tx, c, &r, "application.draft_delete", NULL);
}

/* --- correction and resubmission ------------------------------------------------------------- */

int pd_application_resubmit(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                            int64_t version, const struct pd_app_input *in,
                            struct pd_app_errors *errs)
{
	memset(errs, 0, sizeof *errs);
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_row r;
	enum pd_qs qs = id && pd_uuid_valid(id) ? pd_store_app_by_id(tx, id, a, &r) : PD_QS_NONE;
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	int rc = pd_app_authz(c->actor, PD_ACT_FILE, &r);
	if (rc)
		return rc;
	if (strcmp(r.status, "returned") != 0 || (version && version != r.version))
		return PD_ERR_CONFLICT;
	struct pd_form form;
	rc = pd_form_version_tx(tx, r.service_id, (int)r.form_version, a, &form);
	if (rc)
		return rc;
	const char *answers;
	rc = pd_app_files_and_answers(tx, c, r.id, &form,
	                              r.subject_key.p ? NULL : r.citizen_account_id, in->uploads,
	                              in->n_uploads, in->remove_files, in->n_remove, in->values,
	                              in->n_values, true, a, errs, &answers);
	if (rc)
		return rc;
	if ((rc = seal_answers(tx, c, &r, answers, a)) != PD_OK)
		return rc;

	/* The clock resumes: the working days spent waiting move the due date on. */
	int64_t now = pd_app_now(c);
	int waited = pd_application_pause_days(c->cal, r.paused_since_ms, now);
	r.paused_days += waited;
	r.due_ms = pd_application_due(c->cal, r.submitted_ms, r.sla_days, r.paused_days);
	r.paused_since_ms = 0;
	r.overdue = r.due_ms < now;
	r.status = "submitted";
	r.note_ct = (struct pd_blob){NULL, 0};
	r.place_unit_id = r.assisted_by ? r.place_unit_id : pd_app_place_of(tx, answers, a);
	r.updated_ms = now;
	if (pd_store_app_update(tx, &r, r.version) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	rc = pd_app_event(tx, c, &r, "resubmitted", false, NULL, NULL, NULL);
	if (!rc)
		rc = pd_app_notify(tx, c, &r, "resubmitted");
	if (!rc)
		rc = pd_app_audit(tx, c, &r, "application.resubmit",
		                  pd_arena_printf(a, "{\"paused_days\":%d}", waited));
	return rc;
}

/* --- Permohonan saya ------------------------------------------------------------------------- */

struct mine_read {
	const char *account_id, *before;
	int limit;
	struct pd_arena *a;
	struct pd_application *out;
	int n;
	bool more;
};

static int mine_tx(struct pd_tx *tx, void *p)
{
	struct mine_read *m = p;
	struct pd_app_row *rows = pd_arena_alloc(m->a, (size_t)(m->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_app_list_mine(tx, m->account_id, m->before, m->a, rows, m->limit + 1, &n) < 0)
		return pd_app_db_error(tx);
	m->more = n > m->limit;
	m->n = m->more ? m->limit : n;
	for (int i = 0; i < m->n; i++)
		pd_app_from_row(&rows[i], m->a, &m->out[i]);
	return PD_OK;
}

int pd_application_list_mine(struct pd_store *st, const struct pd_actor *actor,
                             const char *after, int limit, struct pd_arena *a,
                             struct pd_application *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	struct pd_authz_object o = {actor ? actor->account_id : NULL, NULL};
	if (pd_authz(actor, PD_ACT_OWN_VIEW, &o))
		return PD_ERR_NOT_FOUND;
	if (limit < 1 || limit > PD_APP_PAGE_MAX)
		return PD_ERR_INVALID;
	struct mine_read m = {actor->account_id, NULL, limit, a, out, 0, false};
	if (after && *after) {
		struct pd_cursor cur;
		if (pd_cursor_decode(a, after, &cur) || !cur.k2 || !pd_uuid_valid(cur.k2))
			return PD_ERR_INVALID;
		m.before = cur.k2;
	}
	int rc = pd_store_read(st, mine_tx, &m);
	if (rc)
		return rc;
	*n = m.n;
	if (m.more && m.n > 0) {
		struct pd_cursor cur = {0, out[m.n - 1].id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

/* --- the key of the documents ---------------------------------------------------------------- */

int pd_application_key_tx(struct pd_tx *tx, const struct pd_keyset *ks, const char *id,
                          unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	struct pd_app_row r;
	enum pd_qs qs = pd_store_app_by_id(tx, id, pd_tx_arena(tx), &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return pd_app_key(tx, ks, &r, key);
}
