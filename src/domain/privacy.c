/* The citizen's own privacy pages in the domain: staff reads of their data resolved to a role and
 * a unit, the collection of everything held about them, and erasure of the account. */
#include "domain/privacy.h"

#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/attachment.h"
#include "domain/consult.h"
#include "domain/musrenbang.h"
#include "domain/petition.h"
#include "store/attachment_store.h"
#include "store/profile_store.h"
#include "store/totp_store.h"

#define AUDIT_BATCH 200
#define MAX_GRANTS 64
#define MAX_SESSIONS 200
#define MAX_TOKENS 200
#define CACHE 32
#define ERASE_BATCH 100

/* --- who: an audit actor as the citizen may see it -------------------------------------------- */

/* What is needed to resolve one audit actor; filled in place. */
struct who_item {
	const char *actor, *unit_id;
	struct pd_privacy_who *who;
};

struct who_arg {
	const char *own_id;
	struct who_item *items;
	int n;
	struct pd_arena *a;
	/* small caches: most pages name few staff members and few units */
	const char *unit_ids[CACHE];
	struct pd_unit units[CACHE];
	bool unit_found[CACHE];
	int n_units;
	const char *grant_owner[CACHE];
	struct pd_grant_row *grants[CACHE];
	int n_grants[CACHE];
	int n_owners;
};

static const struct pd_unit *unit_of(struct pd_tx *tx, struct who_arg *wa, const char *id)
{
	for (int i = 0; i < wa->n_units; i++)
		if (strcmp(wa->unit_ids[i], id) == 0)
			return wa->unit_found[i] ? &wa->units[i] : NULL;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_id(tx, id, wa->a, &u);
	if (qs < 0)
		return NULL;
	if (wa->n_units == CACHE)
		wa->n_units = 0; /* start over: correct, merely slower */
	int k = wa->n_units++;
	wa->unit_ids[k] = pd_arena_strdup(wa->a, id);
	wa->unit_found[k] = qs > 0;
	wa->units[k] = u;
	return qs > 0 ? &wa->units[k] : NULL;
}

/* The role staff account `id` holds on exactly unit_id, NULL when none any more. */
static const char *role_on(struct pd_tx *tx, struct who_arg *wa, const char *id,
                           const char *unit_id)
{
	int k = -1;
	for (int i = 0; i < wa->n_owners; i++)
		if (strcmp(wa->grant_owner[i], id) == 0)
			k = i;
	if (k < 0) {
		if (wa->n_owners == CACHE)
			wa->n_owners = 0;
		k = wa->n_owners++;
		wa->grant_owner[k] = pd_arena_strdup(wa->a, id);
		wa->grants[k] = pd_arena_alloc(wa->a, MAX_GRANTS * sizeof *wa->grants[k]);
		wa->n_grants[k] = 0;
		if (pd_store_grant_list(tx, id, wa->a, wa->grants[k], MAX_GRANTS, &wa->n_grants[k]) < 0)
			return NULL;
	}
	/* Several roles on one unit: the one with the narrowest work (the lowest in DESIGN §2's
	 * list after citizen) names best who looked. */
	const char *best = NULL;
	enum pd_role best_role = PD_ROLE__MAX;
	for (int i = 0; i < wa->n_grants[k]; i++) {
		enum pd_role r;
		const struct pd_grant_row *g = &wa->grants[k][i];
		if (strcmp(g->unit_id, unit_id) != 0 || pd_role_parse(g->role, &r) || r == PD_ROLE_CITIZEN)
			continue;
		if (r < best_role) {
			best_role = r;
			best = pd_role_name(r);
		}
	}
	return best;
}

static int who_tx(struct pd_tx *tx, void *p)
{
	struct who_arg *wa = p;
	wa->n_units = wa->n_owners = 0;
	for (int i = 0; i < wa->n; i++) {
		struct who_item *it = &wa->items[i];
		struct pd_privacy_who *w = it->who;
		memset(w, 0, sizeof *w);
		const char *actor = it->actor ? it->actor : "";
		if (strncmp(actor, "account:", 8) == 0) {
			w->kind = strcmp(actor + 8, wa->own_id) == 0 ? "self" : "staff";
			if (strcmp(w->kind, "staff") == 0 && it->unit_id)
				w->role = role_on(tx, wa, actor + 8, it->unit_id);
		} else if (strncmp(actor, "cli:", 4) == 0) {
			w->kind = "operator";
		} else if (strncmp(actor, "apikey:", 7) == 0) {
			w->kind = "partner";
		} else {
			w->kind = "system";
		}
		if (it->unit_id) {
			const struct pd_unit *u = unit_of(tx, wa, it->unit_id);
			if (u) {
				w->unit_slug = u->slug;
				w->unit_name = u->name;
			}
		}
		if (pd_tx_error(tx))
			return pd_tx_error(tx);
	}
	return PD_OK;
}

static int resolve_who(struct pd_store *st, const char *own_id, struct who_item *items, int n,
                       struct pd_arena *a)
{
	if (n == 0)
		return PD_OK;
	struct who_arg *wa = pd_arena_alloc(a, sizeof *wa);
	wa->own_id = own_id;
	wa->items = items;
	wa->n = n;
	wa->a = a;
	return pd_store_read(st, who_tx, wa);
}

static int own_view(const struct pd_actor *actor)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	return pd_authz(actor, PD_ACT_OWN_VIEW, &own);
}

/* --- the access list -------------------------------------------------------------------------- */

int pd_privacy_access_list(struct pd_store *st, const struct pd_actor *actor, int64_t before_seq,
                           struct pd_arena *a, struct pd_access_entry *out, int max, int *n)
{
	*n = 0;
	int rc = own_view(actor);
	if (rc)
		return rc;
	if (max > PD_PRIVACY_PAGE_MAX)
		max = PD_PRIVACY_PAGE_MAX;
	if (max <= 0)
		return PD_ERR_INVALID;
	struct pd_audit_entry *rows = pd_arena_alloc(a, (size_t)max * sizeof *rows);
	int k = 0;
	rc = pd_audit_subject_list(st, actor->account_id, PD_AUDIT_ACTION_READ, before_seq, a, rows,
	                           max, &k);
	if (rc)
		return rc;
	struct who_item *items = pd_arena_alloc(a, (size_t)(k ? k : 1) * sizeof *items);
	for (int i = 0; i < k; i++) {
		out[i] = (struct pd_access_entry){
			.seq = rows[i].seq,
			.ts_ms = rows[i].ts_ms,
			.purpose = rows[i].purpose,
			.object_type = rows[i].object_type,
			.object_id = rows[i].object_id,
		};
		items[i] = (struct who_item){rows[i].actor, rows[i].unit_id, &out[i].who};
	}
	rc = resolve_who(st, actor->account_id, items, k, a);
	if (rc)
		return rc;
	*n = k;
	return PD_OK;
}

/* --- the export ------------------------------------------------------------------------------- */

struct export_arg {
	const struct pd_keyset *ks;
	const char *id;
	struct pd_arena *a;
	struct pd_privacy_export *out;
};

static int export_tx(struct pd_tx *tx, void *p)
{
	struct export_arg *ea = p;
	struct pd_privacy_export *o = ea->out;
	struct pd_arena *a = ea->a;
	int rc = pd_account_load(tx, ea->ks, ea->id, a, &o->account);
	if (rc)
		return rc;
	memset(&o->home_village, 0, sizeof o->home_village);
	if (o->account.row.home_village_id &&
	    pd_store_unit_by_id(tx, o->account.row.home_village_id, a, &o->home_village) <= 0)
		memset(&o->home_village, 0, sizeof o->home_village);
	o->grants = pd_arena_alloc(a, MAX_GRANTS * sizeof *o->grants);
	o->sessions = pd_arena_alloc(a, MAX_SESSIONS * sizeof *o->sessions);
	o->tokens = pd_arena_alloc(a, MAX_TOKENS * sizeof *o->tokens);
	if (pd_store_grant_list(tx, ea->id, a, o->grants, MAX_GRANTS, &o->n_grants) < 0 ||
	    pd_store_session_list(tx, ea->id, a, o->sessions, MAX_SESSIONS, &o->n_sessions) < 0 ||
	    pd_store_token_list(tx, ea->id, a, o->tokens, MAX_TOKENS, &o->n_tokens) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < o->n_sessions; i++) {
		o->sessions[i].token_hash = (struct pd_blob){NULL, 0};
		o->sessions[i].csrf_secret = NULL;
	}
	/* The sign-in throttle of the email: key 'e' || blind index (domain/signin.c). */
	const struct pd_blob *bidx = &o->account.row.email_bidx;
	if (bidx->p && bidx->n == PD_CRYPTO_BLIND_BYTES) {
		unsigned char key[PD_CRYPTO_BLIND_BYTES + 1] = {'e'};
		memcpy(key + 1, bidx->p, bidx->n);
		struct pd_throttle t;
		enum pd_qs qs = pd_store_throttle_get(tx, (struct pd_blob){key, sizeof key}, &t);
		if (qs < 0)
			return pd_tx_error(tx);
		o->throttled = qs > 0;
		o->throttle_failures = t.failures;
		o->throttle_locked_until_ms = t.locked_until_ms;
	}
	return PD_OK;
}

/* Every audit entry about id (action NULL) or only the staff reads, newest first, up to
 * PD_PRIVACY_EXPORT_MAX, page by page. */
static int all_entries(struct pd_store *st, const char *id, const char *action, struct pd_arena *a,
                       struct pd_audit_entry **out, int *n, bool *truncated)
{
	*n = 0;
	int cap = 0;
	int64_t before = 0;
	for (;;) {
		if (*n + AUDIT_BATCH > cap) {
			int ncap = cap ? cap * 2 : AUDIT_BATCH * 2;
			struct pd_audit_entry *grown = pd_arena_alloc(a, (size_t)ncap * sizeof *grown);
			if (*n)
				memcpy(grown, *out, (size_t)*n * sizeof *grown);
			*out = grown;
			cap = ncap;
		}
		int k = 0;
		int rc = pd_audit_subject_list(st, id, action, before, a, *out + *n, AUDIT_BATCH, &k);
		if (rc)
			return rc;
		*n += k;
		if (k < AUDIT_BATCH)
			return PD_OK;
		if (*n >= PD_PRIVACY_EXPORT_MAX) {
			*truncated = true;
			return PD_OK;
		}
		before = (*out)[*n - 1].seq;
	}
}

/* The actor's applications opened for their owner, newest first, each with the form version it
 * follows (UU 27/2022: the right of access covers what was filed, not only the account). */
static int export_applications(struct pd_store *st, const struct pd_keyset *ks,
                               const struct pd_actor *actor, struct pd_arena *a,
                               struct pd_privacy_export *out)
{
	struct pd_application *page = pd_arena_alloc(a, PD_APP_PAGE_MAX * sizeof *page);
	int cap = 0;
	const char *after = NULL;
	do {
		int n = 0;
		const char *next = NULL;
		int rc = pd_application_list_mine(st, actor, after, PD_APP_PAGE_MAX, a, page, &n, &next);
		if (rc)
			return rc;
		if (out->n_applications + n > cap) {
			int ncap = cap ? cap * 2 : PD_APP_PAGE_MAX;
			while (ncap < out->n_applications + n)
				ncap *= 2;
			struct pd_application *apps = pd_arena_alloc(a, (size_t)ncap * sizeof *apps);
			struct pd_form *forms = pd_arena_alloc(a, (size_t)ncap * sizeof *forms);
			if (out->n_applications) {
				memcpy(apps, out->applications, (size_t)out->n_applications * sizeof *apps);
				memcpy(forms, out->forms, (size_t)out->n_applications * sizeof *forms);
			}
			out->applications = apps;
			out->forms = forms;
			cap = ncap;
		}
		for (int i = 0; i < n; i++) {
			if (out->n_applications == PD_PRIVACY_APPS_MAX) {
				out->applications_truncated = true;
				return PD_OK;
			}
			struct pd_application *app = &out->applications[out->n_applications];
			struct pd_form *form = &out->forms[out->n_applications];
			rc = pd_application_get(st, ks, actor, page[i].id, a, app);
			if (rc == PD_ERR_NOT_FOUND)
				continue; /* deleted (a draft) since the page was read */
			if (rc)
				return rc;
			rc = pd_form_version(st, app->service_id, app->form_version, a, form);
			if (rc == PD_ERR_NOT_FOUND)
				*form = (struct pd_form){.service_id = app->service_id};
			else if (rc)
				return rc;
			out->n_applications++;
		}
		after = next;
	} while (after);
	return PD_OK;
}

int pd_privacy_export(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                      struct pd_arena *a, struct pd_privacy_export *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_view(actor);
	if (rc)
		return rc;
	const char *id = actor->account_id;
	struct export_arg ea = {ks, id, a, out};
	rc = pd_store_read(st, export_tx, &ea);
	if (rc)
		return rc;
	/* What the account holder added on /akun: the address and the documents' descriptions. */
	rc = pd_profile_address(st, ks, actor, a, &out->address);
	if (rc)
		return rc;
	out->documents = pd_arena_alloc(a, PD_DOCS_MAX * sizeof *out->documents);
	rc = pd_profile_doc_list(st, ks, actor, a, out->documents, PD_DOCS_MAX, &out->n_documents);
	if (rc)
		return rc;
	rc = export_applications(st, ks, actor, a, out);
	if (rc)
		return rc;
	struct pd_audit_entry *rows = NULL;
	int n = 0;
	rc = all_entries(st, id, NULL, a, &rows, &n, &out->truncated);
	if (rc)
		return rc;
	int n_reads = 0;
	for (int i = 0; i < n; i++)
		n_reads += strcmp(rows[i].action, PD_AUDIT_ACTION_READ) == 0;
	out->events = pd_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out->events);
	out->access = pd_arena_alloc(a, (size_t)(n_reads ? n_reads : 1) * sizeof *out->access);
	struct who_item *items = pd_arena_alloc(a, (size_t)(n + n_reads + 1) * sizeof *items);
	int n_items = 0;
	for (int i = 0; i < n; i++) {
		const struct pd_audit_entry *e = &rows[i];
		struct pd_privacy_event *ev = &out->events[out->n_events++];
		*ev = (struct pd_privacy_event){e->seq, e->ts_ms, e->action, {0}, e->object_type,
		                                e->object_id, e->unit_id, e->purpose};
		items[n_items++] = (struct who_item){e->actor, e->unit_id, &ev->who};
		if (strcmp(e->action, PD_AUDIT_ACTION_READ) != 0)
			continue;
		struct pd_access_entry *ac = &out->access[out->n_access++];
		*ac = (struct pd_access_entry){.seq = e->seq, .ts_ms = e->ts_ms, .purpose = e->purpose,
		                               .object_type = e->object_type, .object_id = e->object_id};
		items[n_items++] = (struct who_item){e->actor, e->unit_id, &ac->who};
	}
	return resolve_who(st, id, items, n_items, a);
}

/* --- erasure ---------------------------------------------------------------------------------- */

/* Deletes the account's supporting documents, then every attachment under its subject key (the
 * documents' files and any other), each with its blob and chunks, batch by batch. */
static int erase_files(struct pd_tx *tx, const char *id)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_account_doc_row *docs = pd_arena_alloc(a, ERASE_BATCH * sizeof *docs);
	for (;;) {
		int n = 0;
		if (pd_store_account_doc_list(tx, id, a, docs, ERASE_BATCH, &n) < 0)
			return pd_tx_error(tx);
		for (int i = 0; i < n; i++) {
			if (pd_store_account_doc_delete(tx, docs[i].id) < 0)
				return pd_tx_error(tx);
			int rc = pd_attachment_delete(tx, docs[i].attachment_id);
			if (rc && rc != PD_ERR_NOT_FOUND)
				return rc;
		}
		if (n < ERASE_BATCH)
			break;
	}
	const char **ids = pd_arena_alloc(a, ERASE_BATCH * sizeof *ids);
	for (;;) {
		int n = 0;
		if (pd_store_attachment_ids_of_subject(tx, id, a, ids, ERASE_BATCH, &n) < 0)
			return pd_tx_error(tx);
		for (int i = 0; i < n; i++) {
			int rc = pd_attachment_delete(tx, ids[i]);
			if (rc)
				return rc;
		}
		if (n < ERASE_BATCH)
			return PD_OK;
	}
}

int pd_privacy_may_erase(const struct pd_actor *actor)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	int rc = pd_authz(actor, PD_ACT_OWN_EDIT, &own);
	if (rc)
		return rc;
	if (actor->system || actor->kind != PD_ACCOUNT_CITIZEN)
		return PD_ERR_FORBIDDEN;
	return PD_OK;
}

int pd_privacy_erase(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor)
{
	int rc = pd_privacy_may_erase(actor);
	if (rc)
		return rc;
	const char *id = actor->account_id;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_account acc;
	rc = pd_account_load(tx, ks, id, a, &acc);
	if (rc == PD_ERR_CRYPTO) /* erase what cannot be opened too */
		rc = pd_account_load(tx, NULL, id, a, &acc);
	if (rc)
		return rc;
	if (acc.row.erased_ms)
		return PD_ERR_NOT_FOUND;
	if (strcmp(acc.row.kind, "citizen") != 0)
		return PD_ERR_FORBIDDEN;
	const struct pd_blob *bidx = &acc.row.email_bidx;
	if (bidx->p && bidx->n == PD_CRYPTO_BLIND_BYTES) {
		/* The email's sign-in throttle is keyed by its blind index (domain/signin.c). */
		unsigned char key[PD_CRYPTO_BLIND_BYTES + 1] = {'e'};
		memcpy(key + 1, bidx->p, bidx->n);
		if (pd_store_throttle_clear(tx, (struct pd_blob){key, sizeof key}) < 0)
			return pd_tx_error(tx);
	}
	if (pd_store_session_delete_others(tx, id, (struct pd_blob){NULL, 0}, NULL) < 0 ||
	    pd_store_token_delete_account(tx, id) < 0 || pd_store_grant_delete_account(tx, id) < 0 ||
	    pd_store_totp_delete(tx, id) < 0 || pd_store_pending_delete_account(tx, id) < 0 ||
	    pd_store_profile_delete(tx, id) < 0)
		return pd_tx_error(tx);
	rc = erase_files(tx, id);
	if (!rc)
		rc = pd_consult_erase_account(tx, id);
	if (!rc)
		rc = pd_petition_erase_account(tx, id);
	if (!rc)
		rc = pd_mus_erase_account(tx, id);
	if (rc)
		return rc;
	enum pd_qs qs = pd_store_account_erase(tx, id, pd_clock_now_ms());
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return pd_acct_audit(tx, NULL, "account.erase", id);
}
