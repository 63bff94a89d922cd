/* Information requests, the reading side: the requester's own requests, the staff view and
 * queue, the answer's files, the public register (no personal data) and the figures per unit
 * and month. */
#include "domain/inforeq_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/cursor.h"
#include "core/err.h"
#include "core/tracking.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/application_internal.h"
#include "domain/attachment.h"
#include "domain/complaint_handle.h"
#include "domain/audit.h"
#include "store/unit_store.h"

#define EVENTS_MAX 64

static const char *grouped(struct pd_arena *a, const char *compact)
{
	if (!compact)
		return NULL;
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(compact, g);
	return pd_arena_strdup(a, g);
}

/* A copy in a of a row's string (rows read inside a write live in the transaction's arena,
 * which is gone when the reply is rendered). */
static const char *dup(struct pd_arena *a, const char *s)
{
	return s ? pd_arena_strdup(a, s) : NULL;
}

void pd_irq_from_row(const struct pd_irq_row *r, struct pd_arena *a, struct pd_inforeq *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", r->id);
	out->tracking = dup(a, r->tracking);
	out->tracking_display = grouped(a, r->tracking);
	out->unit_slug = dup(a, r->unit_slug);
	out->unit_name = dup(a, r->unit_name);
	out->unit_path = dup(a, r->unit_path);
	out->requester_account_id = dup(a, r->requester_account_id);
	if (pd_inforeq_format_parse(r->format, &out->format))
		out->format = PD_INFOREQ_SOFTCOPY;
	if (pd_inforeq_delivery_parse(r->delivery, &out->delivery))
		out->delivery = PD_INFOREQ_PORTAL;
	out->publish_consent = r->publish_consent;
	if (pd_inforeq_status_parse(r->status, &out->status))
		out->status = PD_INFOREQ_RECEIVED;
	if (!r->outcome || pd_inforeq_outcome_parse(r->outcome, &out->outcome))
		out->outcome = PD_INFOREQ_OUTCOME_NONE;
	out->ground = r->ground ? r->ground[0] : '\0';
	out->answer = dup(a, r->answer);
	out->register_subject = dup(a, r->register_subject);
	out->register_answer = dup(a, r->register_answer);
	out->received_ms = r->received_ms;
	out->due_ms = r->due_ms;
	out->answered_ms = r->answered_ms;
	out->extension_days = (int)r->extension_days;
	out->extension_reason = dup(a, r->extension_reason);
	out->overdue = r->overdue;
	out->forwarded_from_tracking = grouped(a, r->forwarded_from_tracking);
	out->forwarded_to_tracking = grouped(a, r->forwarded_to_tracking);
	out->objected_ms = r->objected_ms;
	out->objection_due_ms = r->objection_due_ms;
	out->objection_decided_ms = r->objection_decided_ms;
	out->objection_reasons = (unsigned)r->objection_reasons;
	if (!r->objection_outcome ||
	    pd_objection_outcome_parse(r->objection_outcome, &out->objection_outcome))
		out->objection_outcome = PD_OBJECTION_NONE;
	out->objection_answer = dup(a, r->objection_answer);
	out->objection_overdue = r->objection_overdue;
	out->version = r->version;
}

int pd_irq_open(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_irq_row *r,
                struct pd_arena *a, struct pd_inforeq *out)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_irq_key(tx, ks, r, key);
	if (rc == PD_ERR_NOT_FOUND)
		return PD_OK; /* the requester was erased: their text is gone with their key */
	if (!rc)
		out->subject = pd_app_open(a, key, r->subject_ct, "inforeq", "subject_ct", r->id, &rc);
	if (!rc)
		out->details = pd_app_open(a, key, r->details_ct, "inforeq", "details_ct", r->id, &rc);
	if (!rc)
		out->purpose = pd_app_open(a, key, r->purpose_ct, "inforeq", "purpose_ct", r->id, &rc);
	if (!rc && r->objection_ct.p)
		out->objection_text = pd_app_open(a, key, r->objection_ct, "inforeq", "objection_ct",
		                                  r->id, &rc);
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_irq_details(struct pd_tx *tx, const struct pd_keyset *ks, struct pd_arena *a,
                   struct pd_inforeq *out)
{
	struct pd_irq_event_row *ev = pd_arena_alloc(a, EVENTS_MAX * sizeof *ev);
	int n = 0;
	if (pd_store_irq_events(tx, out->id, a, ev, EVENTS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	out->events = pd_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out->events);
	for (int i = 0; i < n; i++)
		out->events[i] = (struct pd_inforeq_event){ev[i].at_ms, ev[i].kind, ev[i].note,
		                                           ev[i].by_staff};
	out->n_events = n;
	const char *ids[PD_INFOREQ_FILES_MAX];
	int nf = 0;
	if (pd_store_irq_files(tx, out->id, a, ids, PD_INFOREQ_FILES_MAX, &nf) < 0)
		return pd_app_db_error(tx);
	out->files = pd_arena_alloc(a, (size_t)(nf ? nf : 1) * sizeof *out->files);
	out->n_files = 0;
	for (int i = 0; i < nf; i++) {
		struct pd_attachment_info info;
		int rc = pd_attachment_info(tx, ks, ids[i], a, &info);
		if (rc == PD_ERR_NOT_FOUND)
			continue;
		if (rc)
			return rc;
		out->files[out->n_files++] = (struct pd_inforeq_file){
			ids[i], info.filename ? info.filename
			                      : pd_arena_printf(a, "berkas-%d%s", i + 1, info.ext),
			info.content_type, info.size};
	}
	return PD_OK;
}

void pd_irq_options(const struct pd_actor *actor, const struct pd_calendar *cal, int64_t now,
                    const struct pd_irq_row *r, struct pd_inforeq *out)
{
	bool received = strcmp(r->status, "received") == 0;
	if (received && now > r->due_ms)
		out->overdue = true;
	if (strcmp(r->status, "objected") == 0 && now > r->objection_due_ms)
		out->objection_overdue = true;
	out->may_decide = received && pd_irq_staff_access(actor, PD_ACT_INFOREQ_DECIDE, r) == PD_OK;
	out->may_extend = out->may_decide && r->extension_days == 0 && now <= r->due_ms;
	out->may_decide_objection = strcmp(r->status, "objected") == 0 &&
	                            pd_irq_staff_access(actor, PD_ACT_OBJECTION_DECIDE, r) == PD_OK;
	bool forwarded = r->outcome && strcmp(r->outcome, "forwarded") == 0;
	if (!r->objected_ms && !forwarded && (r->answered_ms || (received && now > r->due_ms))) {
		out->objection_until_ms = pd_inforeq_objection_until(cal, r->answered_ms, r->due_ms);
		out->may_object = pd_irq_is_requester(actor, r) && now <= out->objection_until_ms;
	}
}

/* --- the requester ------------------------------------------------------------------------- */

struct own_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const struct pd_calendar *cal;
	const char *tracking;
	const char *after;
	int limit;
	struct pd_arena *a;
	struct pd_inforeq *out;
	int n;
	bool more;
};

static int get_own_tx(struct pd_tx *tx, void *p)
{
	struct own_job *j = p;
	struct pd_irq_row r;
	enum pd_qs qs = pd_store_irq_by_tracking(tx, j->tracking, j->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_irq_is_requester(j->actor, &r))
		return PD_ERR_NOT_FOUND;
	pd_irq_from_row(&r, j->a, j->out);
	int rc = pd_irq_open(tx, j->ks, &r, j->a, j->out);
	if (!rc)
		rc = pd_irq_details(tx, j->ks, j->a, j->out);
	if (!rc)
		pd_irq_options(j->actor, j->cal, pd_clock_now_ms(), &r, j->out);
	return rc;
}

int pd_inforeq_get_own(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, const struct pd_calendar *cal,
                       const char *tracking, struct pd_arena *a, struct pd_inforeq *out)
{
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!actor || !actor->account_id || !tracking || pd_tracking_parse(tracking, compact) ||
	    compact[0] != 'K')
		return PD_ERR_NOT_FOUND;
	struct own_job j = {ks, actor, cal, compact, NULL, 0, a, out, 0, false};
	return pd_store_read(st, get_own_tx, &j);
}

static int list_own_tx(struct pd_tx *tx, void *p)
{
	struct own_job *j = p;
	struct pd_irq_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_irq_own(tx, j->actor->account_id, j->after, j->a, rows, j->limit + 1, &n) < 0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int krc = j->n ? pd_irq_key(tx, j->ks, &rows[0], key) : PD_ERR_NOT_FOUND;
	if (krc && krc != PD_ERR_NOT_FOUND)
		return krc;
	int rc = PD_OK;
	for (int i = 0; i < j->n && !rc; i++) {
		pd_irq_from_row(&rows[i], j->a, &j->out[i]);
		pd_irq_options(j->actor, j->cal, pd_clock_now_ms(), &rows[i], &j->out[i]);
		/* The list shows each subject (all under the requester's one key). */
		if (!krc)
			j->out[i].subject = pd_app_open(j->a, key, rows[i].subject_ct, "inforeq",
			                                "subject_ct", rows[i].id, &rc);
	}
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_inforeq_list_own(struct pd_store *st, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *after, int limit,
                        struct pd_arena *a, struct pd_inforeq *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (!actor || actor->system || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (limit < 1 || limit > PD_INFOREQ_QUEUE_MAX)
		return PD_ERR_INVALID;
	if (after && *after && !pd_uuid_valid(after))
		return PD_ERR_INVALID;
	struct own_job j = {ks, actor, NULL, NULL, after && *after ? after : NULL, limit, a, out, 0,
	                    false};
	int rc = pd_store_read(st, list_own_tx, &j);
	if (rc)
		return rc;
	*n = j.n;
	if (j.more && j.n)
		*next = pd_arena_strdup(a, out[j.n - 1].id);
	return PD_OK;
}

/* --- staff --------------------------------------------------------------------------------- */

int pd_inforeq_get_tx(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                      const struct pd_calendar *cal, const char *id, struct pd_arena *a,
                      struct pd_inforeq *out)
{
	struct pd_irq_row r;
	int rc = pd_irq_load(tx, id, &r);
	if (rc)
		return rc;
	rc = pd_irq_staff_access(actor, PD_ACT_INFOREQ_DECIDE, &r);
	if (rc == PD_ERR_NOT_FOUND)
		return rc;
	pd_irq_from_row(&r, a, out);
	struct pd_account acc;
	rc = pd_account_load(tx, ks, r.requester_account_id, a, &acc);
	if (rc && rc != PD_ERR_NOT_FOUND)
		return rc;
	if (!rc)
		out->requester_name = acc.name;
	rc = pd_irq_open(tx, ks, &r, a, out);
	if (!rc)
		rc = pd_irq_details(tx, ks, a, out);
	if (rc)
		return rc;
	pd_irq_options(actor, cal, pd_clock_now_ms(), &r, out);
	/* The staff read of the requester's personal data, for their /akun/akses. */
	if (actor && !actor->system)
		rc = pd_audit_record_read(tx, pd_app_audit_actor(a, actor), r.requester_account_id,
		                          pd_arena_printf(a, "informasi %s", out->tracking_display),
		                          "inforeq", r.id, r.unit_id);
	return rc;
}

static bool covers(const char *grant_path, const char *unit_path)
{
	size_t n = grant_path ? strlen(grant_path) : 0;
	return n && unit_path && grant_path[n - 1] == '/' && strncmp(unit_path, grant_path, n) == 0;
}

struct queue_job {
	struct pd_irq_queue_filter f;
	int limit;
	struct pd_arena *a;
	const struct pd_actor *actor;
	struct pd_inforeq *out;
	int n;
	bool more;
};

static int queue_tx(struct pd_tx *tx, void *p)
{
	struct queue_job *j = p;
	struct pd_irq_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_irq_queue(tx, &j->f, j->a, rows, j->limit + 1, &n) < 0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	int64_t now = pd_clock_now_ms();
	for (int i = 0; i < j->n; i++) {
		pd_irq_from_row(&rows[i], j->a, &j->out[i]);
		pd_irq_options(j->actor, NULL, now, &rows[i], &j->out[i]);
		j->out[i].may_object = false;
	}
	return PD_OK;
}

/* The running due date of a request as the queue orders it. */
static int64_t running_due(const struct pd_inforeq *q)
{
	if (q->status == PD_INFOREQ_RECEIVED)
		return q->due_ms;
	if (q->status == PD_INFOREQ_OBJECTED)
		return q->objection_due_ms;
	return PD_STORE_IRQ_NO_DUE;
}

int pd_inforeq_queue(struct pd_store *st, const struct pd_actor *actor,
                     const struct pd_inforeq_queue_query *q, struct pd_arena *a,
                     struct pd_inforeq *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (!actor || (!actor->system && (!actor->account_id || actor->kind != PD_ACCOUNT_STAFF)))
		return PD_ERR_NOT_FOUND;
	struct queue_job j;
	memset(&j, 0, sizeof j);
	j.a = a;
	j.out = out;
	j.actor = actor;
	j.limit = q->limit ? q->limit : 50;
	enum pd_inforeq_status s;
	if (j.limit < 1 || j.limit > PD_INFOREQ_QUEUE_MAX)
		return PD_ERR_INVALID;
	if (q->status && *q->status && strcmp(q->status, "open") && strcmp(q->status, "closed") &&
	    strcmp(q->status, "all") && pd_inforeq_status_parse(q->status, &s))
		return PD_ERR_INVALID;
	const char *paths[64];
	int np = 0;
	if (actor->system)
		paths[np++] = "/";
	for (size_t i = 0; i < actor->n_grants && np < 64; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role == PD_ROLE_PPID || g->role == PD_ROLE_PPID_SUPERIOR)
			paths[np++] = g->unit_path;
	}
	for (int i = 0; i < np; i++) {
		bool inner = false;
		for (int k = 0; k < np && !inner; k++)
			if (k != i && covers(paths[k], paths[i]) &&
			    (strcmp(paths[k], paths[i]) != 0 || k < i))
				inner = true;
		if (!inner && j.f.n_paths < PD_STORE_IRQ_RANGES)
			j.f.paths[j.f.n_paths++] = paths[i];
	}
	if (j.f.n_paths == 0)
		return PD_ERR_NOT_FOUND;
	j.f.status = !q->status || !*q->status ? "open" : strcmp(q->status, "all") == 0 ? "" : q->status;
	j.f.overdue = q->overdue;
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
		struct pd_cursor cur = {running_due(&out[j.n - 1]), out[j.n - 1].id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

int pd_inforeq_file_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id, int n,
                       struct pd_arena *a, const char **attachment_id, const char **filename,
                       const char **content_type)
{
	struct pd_irq_row r;
	int rc = pd_irq_load(tx, id, &r);
	if (rc)
		return rc;
	bool staff = pd_irq_staff_access(actor, PD_ACT_INFOREQ_DECIDE, &r) != PD_ERR_NOT_FOUND;
	if (!staff && !pd_irq_is_requester(actor, &r))
		return PD_ERR_NOT_FOUND;
	const char *ids[PD_INFOREQ_FILES_MAX];
	int nf = 0;
	if (pd_store_irq_files(tx, r.id, a, ids, PD_INFOREQ_FILES_MAX, &nf) < 0)
		return pd_app_db_error(tx);
	if (n < 1 || n > nf)
		return PD_ERR_NOT_FOUND;
	*attachment_id = ids[n - 1];
	/* The caller describes the file (pd_attachment_info) in its read. */
	if (filename)
		*filename = NULL;
	if (content_type)
		*content_type = NULL;
	return PD_OK;
}

/* --- the register -------------------------------------------------------------------------- */

struct register_job {
	const char *unit_slug;
	int64_t after_ms;
	const char *after_id;
	int limit;
	struct pd_arena *a;
	struct pd_inforeq_public *out;
	int n;
	bool more;
};

static int register_tx(struct pd_tx *tx, void *p)
{
	struct register_job *j = p;
	const char *path = "";
	if (j->unit_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, j->unit_slug, j->a, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		path = u.path;
	}
	struct pd_irq_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_irq_register(tx, path, j->after_ms, j->after_id, j->a, rows, j->limit + 1,
	                          &n) < 0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	for (int i = 0; i < j->n; i++) {
		const struct pd_irq_row *r = &rows[i];
		struct pd_inforeq_public *o = &j->out[i];
		memset(o, 0, sizeof *o);
		o->tracking_display = grouped(j->a, r->tracking);
		o->unit_slug = r->unit_slug;
		o->unit_name = r->unit_name;
		o->subject = r->register_subject;
		o->answer = r->register_answer;
		if (pd_inforeq_outcome_parse(r->outcome, &o->outcome))
			o->outcome = PD_INFOREQ_OUTCOME_NONE;
		o->received_ms = r->received_ms;
		o->answered_ms = r->answered_ms;
		o->on_time = r->answered_ms <= r->due_ms;
	}
	/* The last row's id for the cursor: kept in unit_slug's neighbour via the rows array. */
	if (j->more && j->n)
		j->after_id = rows[j->n - 1].id;
	return PD_OK;
}

int pd_inforeq_register(struct pd_store *st, const char *unit_slug, const char *after, int limit,
                        struct pd_arena *a, struct pd_inforeq_public *out, int *n,
                        const char **next)
{
	*n = 0;
	*next = NULL;
	if (limit < 1 || limit > PD_INFOREQ_QUEUE_MAX)
		return PD_ERR_INVALID;
	struct register_job j = {unit_slug && *unit_slug ? unit_slug : NULL, 0, NULL, limit, a, out,
	                         0, false};
	if (after && *after) {
		struct pd_cursor cur;
		if (pd_cursor_decode(a, after, &cur) || !cur.k2 || !pd_uuid_valid(cur.k2))
			return PD_ERR_INVALID;
		j.after_ms = cur.k1;
		j.after_id = cur.k2;
	}
	int rc = pd_store_read(st, register_tx, &j);
	if (rc)
		return rc;
	*n = j.n;
	if (j.more && j.n) {
		struct pd_cursor cur = {out[j.n - 1].answered_ms, j.after_id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

/* --- figures ------------------------------------------------------------------------------- */

#define FIG_ROWS_MAX 20000  /* requests counted in one call (truncated beyond) */

struct fig_job {
	const struct pd_inforeq_figures_query *q;
	struct pd_arena *a;
	struct pd_inforeq_figures *out;
};

static void month_of(int64_t ms, int tz, char out[8])
{
	int64_t local = ms + (int64_t)tz * 60000;
	int64_t day = local >= 0 ? local / 86400000 : (local - 86399999) / 86400000;
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	snprintf(out, 8, "%04d-%02d", y, m);
}

static int fig_tx(struct pd_tx *tx, void *p)
{
	struct fig_job *j = p;
	const struct pd_inforeq_figures_query *q = j->q;
	const char *path = "";
	if (q->unit_slug && *q->unit_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, q->unit_slug, j->a, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_INVALID;
		path = u.path;
	}
	struct pd_irq_row *rows = pd_arena_alloc(j->a, (size_t)FIG_ROWS_MAX * sizeof *rows);
	int n = 0;
	if (pd_store_irq_figure_rows(tx, path, q->since_ms, q->until_ms, j->a, rows, FIG_ROWS_MAX,
	                             &n) < 0)
		return pd_app_db_error(tx);
	int64_t now = q->now_ms ? q->now_ms : pd_clock_now_ms();
	/* Rows come by unit path then received time: one output row per (unit, month), found by
	 * a scan of this unit's rows so far (months of one unit are few). */
	int cap = 64, nout = 0, unit_start = 0, units = 0;
	struct pd_inforeq_figures_row *out = pd_arena_alloc(j->a, (size_t)cap * sizeof *out);
	const char *cur_unit = NULL;
	for (int i = 0; i < n; i++) {
		const struct pd_irq_row *r = &rows[i];
		if (!cur_unit || strcmp(cur_unit, r->unit_id) != 0) {
			if (++units > PD_INFOREQ_UNITS_MAX) {
				j->out->truncated = true;
				break;
			}
			cur_unit = r->unit_id;
			unit_start = nout;
		}
		char month[8];
		month_of(r->received_ms, q->tz_offset_min, month);
		struct pd_inforeq_figures_row *f = NULL;
		for (int k = unit_start; k < nout && !f; k++)
			if (strcmp(out[k].month, month) == 0)
				f = &out[k];
		if (!f) {
			if (nout == cap) {
				struct pd_inforeq_figures_row *bigger =
				        pd_arena_alloc(j->a, (size_t)cap * 2 * sizeof *bigger);
				memcpy(bigger, out, (size_t)cap * sizeof *out);
				out = bigger;
				cap *= 2;
			}
			f = &out[nout++];
			memset(f, 0, sizeof *f);
			f->unit_slug = r->unit_slug;
			f->unit_name = r->unit_name;
			memcpy(f->month, month, sizeof f->month);
		}
		f->received++;
		enum pd_inforeq_outcome o = PD_INFOREQ_OUTCOME_NONE;
		if (r->outcome && pd_inforeq_outcome_parse(r->outcome, &o))
			o = PD_INFOREQ_OUTCOME_NONE;
		f->by_outcome[o]++;
		if (r->answered_ms) {
			f->answered++;
			if (r->answered_ms <= r->due_ms)
				f->answered_on_time++;
		}
		if (r->extension_days > 0)
			f->extended++;
		if (strcmp(r->status, "received") == 0) {
			f->open++;
			if (r->overdue || r->due_ms < now)
				f->overdue++;
		}
		if (r->objected_ms) {
			f->objections++;
			if (r->objection_outcome && strcmp(r->objection_outcome, "upheld") == 0)
				f->objections_upheld++;
			if (r->objection_outcome && strcmp(r->objection_outcome, "overturned") == 0)
				f->objections_overturned++;
			if (r->objection_decided_ms && r->objection_decided_ms <= r->objection_due_ms)
				f->objections_on_time++;
		}
	}
	if (n == FIG_ROWS_MAX)
		j->out->truncated = true;
	j->out->rows = out;
	j->out->n = nout;
	return PD_OK;
}

int pd_inforeq_figures(struct pd_store *st, const struct pd_inforeq_figures_query *q,
                       struct pd_arena *a, struct pd_inforeq_figures *out)
{
	memset(out, 0, sizeof *out);
	if (!q || q->since_ms >= q->until_ms)
		return PD_ERR_INVALID;
	struct fig_job j = {q, a, out};
	return pd_store_read(st, fig_tx, &j);
}

/* --- tracking, notifications, units -------------------------------------------------------- */

struct track_job {
	const char *compact;
	struct pd_arena *a;
	struct pd_inforeq *out;
};

static int track_tx(struct pd_tx *tx, void *p)
{
	struct track_job *j = p;
	struct pd_irq_row r;
	enum pd_qs qs = pd_store_irq_by_tracking(tx, j->compact, j->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	pd_irq_from_row(&r, j->a, j->out);
	/* Status and dates only. */
	j->out->requester_account_id = NULL;
	j->out->answer = j->out->register_subject = j->out->register_answer = NULL;
	j->out->extension_reason = j->out->objection_answer = NULL;
	j->out->overdue = strcmp(r.status, "received") == 0 && (r.overdue || r.due_ms < pd_clock_now_ms());
	return PD_OK;
}

int pd_inforeq_track(struct pd_store *st, const char *compact, struct pd_arena *a,
                     struct pd_inforeq *out)
{
	if (!compact || compact[0] != 'K')
		return PD_ERR_NOT_FOUND;
	struct track_job j = {compact, a, out};
	return pd_store_read(st, track_tx, &j);
}

struct notes_job {
	const char *account_id;
	struct pd_arena *a;
	struct pd_inforeq_notification *out;
	int max, n;
};

static int notes_tx(struct pd_tx *tx, void *p)
{
	struct notes_job *j = p;
	struct pd_irq_notification_row *rows = pd_arena_alloc(j->a, (size_t)j->max * sizeof *rows);
	int n = 0;
	if (pd_store_irq_notifications(tx, j->account_id, j->a, rows, j->max, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++)
		j->out[i] = (struct pd_inforeq_notification){rows[i].inforeq_id,
		                                             grouped(j->a, rows[i].tracking),
		                                             rows[i].kind, rows[i].created_ms};
	j->n = n;
	return PD_OK;
}

int pd_inforeq_notifications(struct pd_store *st, const struct pd_actor *actor,
                             struct pd_arena *a, struct pd_inforeq_notification *out, int max,
                             int *n)
{
	*n = 0;
	if (!actor || actor->system || !actor->account_id || max < 1 || max > PD_INFOREQ_QUEUE_MAX)
		return PD_ERR_NOT_FOUND;
	struct notes_job j = {actor->account_id, a, out, max, 0};
	int rc = pd_store_read(st, notes_tx, &j);
	*n = j.n;
	return rc;
}

int pd_inforeq_units(struct pd_store *st, struct pd_arena *a, struct pd_inforeq_unit *out,
                     int max, int *n)
{
	/* The same units complaints go to: agencies and the regions above villages. */
	struct pd_complaint_unit *u = pd_arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof *u);
	int rc = pd_complaint_units(st, a, u, max, n);
	for (int i = 0; !rc && i < *n; i++)
		out[i] = (struct pd_inforeq_unit){u[i].slug, u[i].name};
	return rc;
}
