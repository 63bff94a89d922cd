/* The back office's steps on an application: the queue, claim and assign, the requirements
 * checklist, return for correction (the clock pauses), approval (the document is issued in the
 * same transaction) and rejection, and the deadline job. */
#include "domain/application_internal.h"

#include <jansson.h>
#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/document.h"
#include "store/account_store.h"
#include "store/service_store.h"

/* True when a grant on grant_path covers unit_path (its subtree). */
static bool covers(const char *grant_path, const char *unit_path)
{
	size_t n = grant_path ? strlen(grant_path) : 0;
	return n && unit_path && grant_path[n - 1] == '/' && strncmp(unit_path, grant_path, n) == 0;
}

/* Loads application id for a step needing action, with the version check. */
static int load_for(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                    int64_t version, enum pd_action action, struct pd_app_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_app_by_id(tx, id, pd_tx_arena(tx), r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	int rc = pd_app_authz(c->actor, action, r);
	if (rc)
		return rc;
	/* Nobody works their own case: an officer who applied as a citizen may only watch it. */
	if (pd_app_is_owner(c->actor, r) && !c->actor->system)
		return PD_ERR_FORBIDDEN;
	if (version && version != r->version)
		return PD_ERR_CONFLICT;
	return PD_OK;
}

/* A decision step: status processing, and the assignee or a supervisor of the unit. */
static int load_for_decision(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                             int64_t version, struct pd_app_row *r)
{
	int rc = load_for(tx, c, id, version, PD_ACT_CASE_WORK, r);
	if (rc)
		return rc;
	bool assignee = r->assigned_to && c->actor->account_id &&
	                strcmp(r->assigned_to, c->actor->account_id) == 0;
	struct pd_authz_object o = {r->citizen_account_id, r->unit_path};
	if (!assignee && pd_authz(c->actor, PD_ACT_CASE_ASSIGN, &o) != PD_OK)
		return PD_ERR_FORBIDDEN;
	if (strcmp(r->status, "processing") != 0)
		return PD_ERR_CONFLICT;
	return PD_OK;
}

/* Writes r with the version check; the loser of a race gets PD_ERR_CONFLICT. */
static int save(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_app_row *r)
{
	r->updated_ms = pd_app_now(c);
	if (pd_store_app_update(tx, r, r->version) <= 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CONFLICT;
	r->version++;
	return PD_OK;
}

/* Event, notification (when notify), then the audit entry last. */
static int record(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                  const char *kind, const char *note, const unsigned char *key,
                  const char *assignee, bool notify, const char *action)
{
	int rc = pd_app_event(tx, c, r, kind, true, note, key, assignee);
	if (!rc && notify)
		rc = pd_app_notify(tx, c, r, kind);
	if (!rc)
		rc = pd_app_audit(tx, c, r, action, NULL);
	return rc;
}

/* --- claim and assign ------------------------------------------------------------------------ */

int pd_application_claim(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version)
{
	struct pd_app_row r;
	int rc = load_for(tx, c, id, version, PD_ACT_CASE_WORK, &r);
	if (rc)
		return rc;
	if (strcmp(r.status, "submitted") != 0)
		return PD_ERR_CONFLICT;
	r.status = "processing";
	r.assigned_to = c->actor->account_id;
	rc = save(tx, c, &r);
	return rc ? rc
	          : record(tx, c, &r, "claimed", NULL, NULL, r.assigned_to, true,
	                   "application.claim");
}

int pd_application_assign(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *assignee_id)
{
	struct pd_app_row r;
	int rc = load_for(tx, c, id, version, PD_ACT_CASE_ASSIGN, &r);
	if (rc)
		return rc;
	bool was_submitted = strcmp(r.status, "submitted") == 0;
	if (!was_submitted && strcmp(r.status, "processing") != 0)
		return PD_ERR_CONFLICT;
	bool ok;
	rc = pd_app_may_be_assigned(tx, assignee_id, r.unit_path, &ok);
	if (rc)
		return rc;
	if (!ok || (r.citizen_account_id && strcmp(assignee_id, r.citizen_account_id) == 0))
		return PD_ERR_INVALID; /* not to the applicant themself */
	r.status = "processing";
	r.assigned_to = pd_arena_strdup(pd_tx_arena(tx), assignee_id);
	rc = save(tx, c, &r);
	return rc ? rc
	          : record(tx, c, &r, "assigned", NULL, NULL, r.assigned_to, was_submitted,
	                   "application.assign");
}

/* --- the requirements checklist -------------------------------------------------------------- */

int pd_application_check(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version, const bool *done, int n)
{
	struct pd_app_row r;
	int rc = load_for_decision(tx, c, id, version, &r);
	if (rc)
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_check_item *items;
	int n_items = 0;
	rc = pd_app_checklist_of(tx, &r, a, &items, &n_items);
	if (rc)
		return rc;
	if (n != n_items || (n && !done))
		return PD_ERR_INVALID;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:b}", "label", items[i].label, "done",
		                                     done[i] ? 1 : 0));
	char *s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!s)
		return PD_ERR_NOMEM;
	r.checklist = pd_arena_strdup(a, s);
	free(s);
	rc = save(tx, c, &r);
	return rc ? rc : record(tx, c, &r, "checked", NULL, NULL, NULL, false, "application.check");
}

struct checklist_job {
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_app_check_item **out;
	int *n;
};

static int checklist_tx(struct pd_tx *tx, void *p)
{
	struct checklist_job *j = p;
	struct pd_app_row r;
	if (!j->id || !pd_uuid_valid(j->id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_app_by_id(tx, j->id, j->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	int rc = pd_app_authz(j->actor, PD_ACT_CASE_VIEW, &r);
	return rc ? rc : pd_app_checklist_of(tx, &r, j->a, j->out, j->n);
}

int pd_application_checklist(struct pd_store *st, const struct pd_actor *actor, const char *id,
                             struct pd_arena *a, struct pd_app_check_item **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct checklist_job j = {actor, id, a, out, n};
	return pd_store_read(st, checklist_tx, &j);
}

/* --- return, approve, reject ----------------------------------------------------------------- */

/* Seals note as r's current note (AD application/note_ct/id) and returns the key for the
 * event's copy in key. */
static int set_note(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_app_row *r,
                    const char *note, unsigned char key[PD_CRYPTO_KEY_BYTES])
{
	int rc = pd_app_key(tx, c->ks, r, key);
	if (rc)
		return rc;
	r->note_ct = pd_app_seal(pd_tx_arena(tx), key, note, "application", "note_ct", r->id, &rc);
	return rc;
}

/* A decision that needs a written note (returning, rejecting): the note checked (msgid beside
 * field when it is missing or too long), sealed as the application's current note, the status
 * set (returned: the clock pauses; rejected: decided now), and the event recorded with the
 * note and audited as action. */
static int decide_with_note(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                            int64_t version, const char *note, struct pd_app_errors *errs,
                            const char *field, const char *msgid, const char *status,
                            const char *action)
{
	memset(errs, 0, sizeof *errs);
	struct pd_app_row r;
	int rc = load_for_decision(tx, c, id, version, &r);
	if (rc)
		return rc;
	if (!pd_app_text_ok(note, PD_APP_NOTE_MAX_CHARS, true)) {
		pd_app_error(errs, field, msgid);
		return PD_ERR_INVALID;
	}
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	rc = set_note(tx, c, &r, note, key);
	if (!rc) {
		r.status = status;
		if (strcmp(status, "returned") == 0) {
			r.paused_since_ms = pd_app_now(c);
			r.overdue = false;
		} else {
			r.decided_ms = pd_app_now(c);
		}
		rc = save(tx, c, &r);
	}
	if (!rc)
		rc = record(tx, c, &r, status, note, key, NULL, true, action);
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_application_return(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *note, struct pd_app_errors *errs)
{
	return decide_with_note(
		tx, c, id, version, note, errs, "note",
		N_("Tulis apa yang harus diperbaiki pemohon (paling banyak 2000 karakter)."), "returned",
		"application.return");
}

/* The holder of the document: the name and NIK the assisting officer recorded from the card,
 * else the account's. */
static int holder_of(struct pd_tx *tx, const struct pd_app_ctx *c, const struct pd_app_row *r,
                     const char **name, const char **nik)
{
	struct pd_arena *a = pd_tx_arena(tx);
	*name = *nik = NULL;
	if (r->holder_ct.p) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		int rc = pd_app_key(tx, c->ks, r, key);
		const char *h = NULL;
		if (!rc)
			h = pd_app_open(a, key, r->holder_ct, "application", "holder_ct", r->id, &rc);
		sodium_memzero(key, sizeof key);
		if (rc)
			return rc;
		json_error_t jerr;
		json_t *o = h ? json_loads(h, 0, &jerr) : NULL;
		*name = pd_arena_strdup(a, json_string_value(json_object_get(o, "name")));
		*nik = pd_arena_strdup(a, json_string_value(json_object_get(o, "nik")));
		json_decref(o);
	}
	if ((!*name || !*nik) && r->citizen_account_id) {
		struct pd_account acc;
		int rc = pd_account_load(tx, c->ks, r->citizen_account_id, a, &acc);
		if (rc && rc != PD_ERR_NOT_FOUND)
			return rc;
		if (!rc) {
			if (!*name)
				*name = acc.name;
			if (!*nik)
				*nik = acc.nik;
		}
	}
	if (!*name || !**name)
		*name = "-"; /* an erased citizen: the document still names no one */
	return PD_OK;
}

int pd_application_approve(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                           int64_t version, const char *note, struct pd_app_errors *errs)
{
	memset(errs, 0, sizeof *errs);
	struct pd_app_row r;
	int rc = load_for_decision(tx, c, id, version, &r);
	if (rc)
		return rc;
	if (note && *note && !pd_app_text_ok(note, PD_APP_NOTE_MAX_CHARS, false)) {
		pd_app_error(errs, "note", N_("Catatan paling banyak 2000 karakter, tanpa karakter kendali."));
		return PD_ERR_INVALID;
	}
	const char *name, *nik;
	rc = holder_of(tx, c, &r, &name, &nik);
	if (rc)
		return rc;
	int64_t now = pd_app_now(c);
	struct pd_document_issue in = {
		.application_id = r.id,
		.service_id = r.service_id,
		.service_name = r.service_name,
		.unit_id = r.unit_id,
		.unit_name = r.unit_name,
		.unit_path = r.unit_path,
		.product = r.service_product && *r.service_product ? r.service_product : r.service_name,
		.holder_name = name,
		.holder_nik = nik,
		.issued_ms = now,
		.signer_account_id = c->actor->system ? NULL : c->actor->account_id,
	};
	/* The holder is sealed under the application's key, so erasing the citizen erases it. */
	unsigned char hkey[PD_CRYPTO_KEY_BYTES];
	rc = pd_app_key(tx, c->ks, &r, hkey);
	if (rc == PD_ERR_NOT_FOUND) { /* the citizen was erased: a key that nobody keeps */
		randombytes_buf(hkey, sizeof hkey);
		rc = PD_OK;
	}
	in.holder_key = hkey;
	char doc_id[37];
	if (!rc)
		rc = pd_document_issue_tx(tx, &in, pd_tx_arena(tx), doc_id);
	sodium_memzero(hkey, sizeof hkey);
	if (rc)
		return rc;
	r.status = "approved";
	r.decided_ms = now;
	r.document_id = pd_arena_strdup(pd_tx_arena(tx), doc_id);
	r.note_ct = (struct pd_blob){NULL, 0};
	rc = save(tx, c, &r);
	if (rc)
		return rc;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	bool with_note = note && *note;
	if (with_note && (rc = pd_app_key(tx, c->ks, &r, key)) != PD_OK)
		return rc;
	rc = record(tx, c, &r, "approved", with_note ? note : NULL, with_note ? key : NULL, NULL,
	            true, "application.approve");
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_application_reject(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                          int64_t version, const char *reason, struct pd_app_errors *errs)
{
	return decide_with_note(tx, c, id, version, reason, errs, "reason",
	                        N_("Tulis alasan penolakan (paling banyak 2000 karakter)."), "rejected",
	                        "application.reject");
}

/* --- the queue ------------------------------------------------------------------------------- */

struct queue_job {
	struct pd_app_queue_filter f;
	const struct pd_keyset *ks;
	const char *service_slug;
	int limit;
	struct pd_arena *a;
	struct pd_application *out;
	int n;
	bool more;
};

static int queue_tx(struct pd_tx *tx, void *p)
{
	struct queue_job *j = p;
	if (j->service_slug && *j->service_slug) {
		struct pd_service s;
		enum pd_qs qs = pd_store_service_by_slug(tx, j->service_slug, j->a, &s);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			return PD_OK; /* nothing of an unknown service */
		j->f.service_id = s.id;
	}
	struct pd_app_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_app_queue(tx, &j->f, j->a, rows, j->limit + 1, &n) < 0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	for (int i = 0; i < j->n; i++)
		pd_app_from_row(&rows[i], j->a, &j->out[i]);
	return j->ks ? pd_app_name_assignees(tx, j->ks, j->a, j->out, j->n) : PD_OK;
}

int pd_application_queue(struct pd_store *st, const struct pd_actor *actor,
                         const struct pd_app_queue_query *q, struct pd_arena *a,
                         struct pd_application *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	struct queue_job j;
	memset(&j, 0, sizeof j);
	j.a = a;
	j.out = out;
	j.ks = q->ks;
	j.limit = q->limit ? q->limit : 50;
	if (j.limit < 1 || j.limit > PD_APP_PAGE_MAX)
		return PD_ERR_INVALID;
	/* The subtrees of the actor's case grants, without those inside another. */
	const char *paths[64];
	int np = 0;
	if (actor->system)
		paths[np++] = "/";
	for (size_t i = 0; i < actor->n_grants && np < 64; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role != PD_ROLE_OFFICER && g->role != PD_ROLE_COORDINATOR &&
		    g->role != PD_ROLE_SUPERVISOR)
			continue;
		paths[np++] = g->unit_path;
	}
	for (int i = 0; i < np; i++) {
		bool inner = false;
		for (int k = 0; k < np && !inner; k++)
			if (k != i && covers(paths[k], paths[i]) &&
			    (strcmp(paths[k], paths[i]) != 0 || k < i))
				inner = true;
		if (inner)
			continue;
		if (q->unit_path && *q->unit_path) {
			if (covers(paths[i], q->unit_path) && j.f.n_paths == 0)
				j.f.paths[j.f.n_paths++] = q->unit_path;
		} else if (j.f.n_paths < PD_STORE_APP_RANGES) {
			j.f.paths[j.f.n_paths++] = paths[i];
		}
	}
	if (j.f.n_paths == 0)
		return PD_ERR_NOT_FOUND;
	if (q->status && *q->status) {
		enum pd_app_status s;
		if (pd_app_status_parse(q->status, &s) || s == PD_APP_DRAFT)
			return PD_ERR_INVALID;
		j.f.status = pd_app_status_name(s);
	}
	j.service_slug = q->service_slug;
	if (q->mine)
		j.f.assigned_to = actor->account_id;
	if (q->overdue)
		j.f.overdue_before = pd_app_now(NULL);
	if (q->after && *q->after) {
		struct pd_cursor cur;
		if (pd_cursor_decode(a, q->after, &cur) || !cur.k2 || !pd_uuid_valid(cur.k2))
			return PD_ERR_INVALID;
		j.f.after_due = cur.k1;
		j.f.after_id = cur.k2;
	}
	int rc = pd_store_read(st, queue_tx, &j);
	if (rc)
		return rc;
	*n = j.n;
	if (j.more && j.n > 0) {
		struct pd_cursor cur = {out[j.n - 1].due_ms, out[j.n - 1].id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

/* --- the deadline job ------------------------------------------------------------------------ */

#define OVERDUE_BATCH 200

struct overdue_job {
	int64_t now;
	int64_t flagged;
	int64_t count;
};

static int overdue_tx(struct pd_tx *tx, void *p)
{
	struct overdue_job *j = p;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_ctx c = {.now_ms = j->now};
	j->flagged = 0;
	for (;;) {
		const char *ids[OVERDUE_BATCH];
		int64_t versions[OVERDUE_BATCH];
		int n = 0;
		if (pd_store_app_due_unflagged(tx, j->now, a, ids, versions, OVERDUE_BATCH, &n) < 0)
			return pd_app_db_error(tx);
		for (int i = 0; i < n; i++) {
			struct pd_app_row r;
			if (pd_store_app_by_id(tx, ids[i], a, &r) != PD_QS_ONE)
				return pd_app_db_error(tx);
			enum pd_qs qs = pd_store_app_flag_overdue(tx, ids[i], j->now);
			if (qs < 0)
				return pd_app_db_error(tx);
			if (qs == PD_QS_NONE)
				continue; /* a step changed it since it was listed: nothing to flag */
			int rc = pd_app_event(tx, &c, &r, "overdue", false, NULL, NULL, NULL);
			if (rc)
				return rc;
			j->flagged++;
		}
		if (n < OVERDUE_BATCH)
			break;
	}
	if (!j->flagged)
		return PD_OK;
	struct pd_audit_event ev = {
		.actor = "system",
		.action = "application.overdue",
		.object_type = "application",
		.details = pd_arena_printf(a, "{\"count\":%lld}", (long long)j->flagged),
		.ts_ms = j->now,
	};
	return pd_audit_append(tx, &ev);
}

int pd_application_mark_overdue(struct pd_store *st, int64_t now_ms, int64_t *n_flagged)
{
	struct overdue_job j = {now_ms ? now_ms : pd_app_now(NULL), 0, 0};
	int rc = pd_store_write(st, overdue_tx, &j);
	if (n_flagged)
		*n_flagged = rc ? 0 : j.flagged;
	return rc;
}

static int count_tx(struct pd_tx *tx, void *p)
{
	struct overdue_job *j = p;
	if (pd_store_app_count_overdue(tx, &j->count) < 0)
		return pd_app_db_error(tx);
	return PD_OK;
}

int pd_application_count_overdue(struct pd_store *st, int64_t *n)
{
	struct overdue_job j = {0, 0, 0};
	int rc = pd_store_read(st, count_tx, &j);
	*n = j.count;
	return rc;
}
