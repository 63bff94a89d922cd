/* Complaint handling, the reading side and the job: the staff view (sealed original opened,
 * the read recorded, nothing of an anonymous reporter), the staff queue, the suggested unit,
 * the reporter's question, staff photos, complaint notifications, and the escalation of
 * overdue complaints to the owner unit's supervisors. */
#include "domain/complaint_handle_internal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "domain/account.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/complaint_handle_store.h"
#include "store/unit_store.h"

#define SUPERVISORS_MAX 50

static const char *dup(struct pd_arena *a, const char *s)
{
	return s ? pd_arena_strdup(a, s) : NULL;
}

/* The fields of r every staff read shows (no personal data). */
static void from_row(const struct pd_cmp_row *r, struct pd_arena *a, struct pd_complaint_staff *o)
{
	memset(o, 0, sizeof *o);
	struct pd_complaint *c = &o->c;
	c->id = dup(a, r->id);
	c->tracking = dup(a, r->tracking);
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	c->tracking_display = pd_arena_strdup(a, g);
	c->category_id = dup(a, r->category_id);
	c->category_code = dup(a, r->category_code);
	c->category_name = dup(a, r->category_name);
	c->public_text = dup(a, r->public_text);
	if (pd_complaint_status_parse(r->status, &c->status))
		c->status = PD_CMP_NEW;
	if (pd_complaint_visibility_parse(r->visibility, &c->visibility))
		c->visibility = PD_CMP_CONFIDENTIAL;
	c->held = r->held;
	c->published = r->published;
	c->unit_id = dup(a, r->unit_id);
	c->unit_path = dup(a, r->unit_path);
	c->unit_name = dup(a, r->unit_name);
	c->place_unit_id = dup(a, r->place_unit_id);
	c->place_slug = dup(a, r->place_slug);
	c->place_name = dup(a, r->place_name);
	c->has_location = r->has_location;
	c->lat_e6 = r->lat_e6;
	c->lon_e6 = r->lon_e6;
	c->address = dup(a, r->address);
	c->occurred_ms = r->occurred_ms;
	c->created_ms = r->created_ms;
	c->updated_ms = r->updated_ms;
	c->due_ms = r->due_ms;
	c->answered_ms = r->answered_ms;
	c->answer_public = dup(a, r->answer_public);
	c->support_count = r->support_count;
	c->channel = dup(a, r->channel);
	c->version = r->version;
	o->public_title = dup(a, r->public_title);
	o->reporter_hidden = strcmp(r->visibility, "anonymous") == 0;
	o->overdue = r->overdue;
	o->escalated_ms = r->escalated_ms;
	o->paused_since_ms = r->paused_since_ms;
	o->closed_ms = r->closed_ms;
	o->reopen_count = r->reopen_count;
}

/* Records a staff read of r's personal data for its reporter's /akun/akses. */
static int record_read(struct pd_tx *tx, const struct pd_actor *actor, const struct pd_cmp_row *r)
{
	if (!actor || actor->system || !r->reporter_account_id)
		return PD_OK;
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	struct pd_arena *a = pd_tx_arena(tx);
	return pd_audit_record_read(tx, pd_app_audit_actor(a, actor), r->reporter_account_id,
	                            pd_arena_printf(a, "pengaduan %s", g), "complaint", r->id,
	                            r->unit_id);
}

/* The sealed original, the reporter (unless anonymous), the timeline with notes. */
static int open_staff(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_cmp_row *r,
                      struct pd_arena *a, struct pd_complaint_staff *o)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_cmh_key(tx, ks, r, key);
	bool have_key = rc == PD_OK;
	if (rc && rc != PD_ERR_NOT_FOUND)
		return rc; /* NOT_FOUND: the reporter was erased; nothing personal is left */
	rc = PD_OK;
	const char *contact = NULL;
	if (have_key) {
		o->c.title = pd_app_open(a, key, r->title_ct, "complaint", "title_ct", r->id, &rc);
		if (!rc)
			o->c.text = pd_app_open(a, key, r->text_ct, "complaint", "text_ct", r->id, &rc);
		if (!rc && !o->reporter_hidden)
			contact = pd_app_open(a, key, r->contact_ct, "complaint", "contact_ct", r->id,
			                      &rc);
	}
	if (rc)
		goto out;
	if (!o->reporter_hidden) {
		json_t *j = contact ? json_loads(contact, 0, NULL) : NULL;
		o->c.contact_name = dup(a, json_string_value(json_object_get(j, "name")));
		o->c.contact_email = dup(a, json_string_value(json_object_get(j, "email")));
		o->c.contact_phone = dup(a, json_string_value(json_object_get(j, "phone")));
		json_decref(j);
		o->reporter_name = o->c.contact_name;
		if (r->reporter_account_id) {
			o->c.reporter_account_id = dup(a, r->reporter_account_id);
			struct pd_account acc;
			int arc = pd_account_load(tx, ks, r->reporter_account_id, a, &acc);
			if (arc && arc != PD_ERR_NOT_FOUND) {
				rc = arc;
				goto out;
			}
			if (!arc && !acc.row.erased_ms) {
				o->reporter_name = acc.name;
				o->c.contact_email = acc.email;
				o->c.contact_phone = acc.phone;
			}
		}
	}
	struct pd_cmp_event_row *ev = pd_arena_alloc(a, PD_COMPLAINT_EVENTS_MAX * sizeof *ev);
	int n = 0;
	if (pd_store_cmp_events(tx, r->id, a, ev, PD_COMPLAINT_EVENTS_MAX, &n) < 0) {
		rc = pd_app_db_error(tx);
		goto out;
	}
	o->events = pd_arena_alloc(a, (size_t)(n + 1) * sizeof *o->events);
	for (int i = 0; i < n; i++) {
		struct pd_complaint_staff_event *e = &o->events[i];
		memset(e, 0, sizeof *e);
		e->at_ms = ev[i].at_ms;
		e->kind = ev[i].kind;
		if (pd_complaint_status_parse(ev[i].status_after, &e->status_after))
			e->status_after = PD_CMP_NEW;
		e->unit_name = ev[i].unit_name;
		e->public_note = ev[i].public_note;
		e->by_staff = ev[i].by_staff;
		if (have_key && ev[i].note_ct.p) {
			e->note = pd_app_open(a, key, ev[i].note_ct, "complaint_event", "note_ct",
			                      ev[i].id, &rc);
			if (rc)
				goto out;
		}
		/* Staff are named to staff; a reporter's steps never name the reporter here. */
		if (ev[i].by_staff && ev[i].actor_id) {
			for (int k = 0; k < i && !e->actor_name; k++)
				if (o->events[k].by_staff && ev[k].actor_id &&
				    strcmp(ev[k].actor_id, ev[i].actor_id) == 0)
					e->actor_name = o->events[k].actor_name;
			if (!e->actor_name) {
				struct pd_account acc;
				int arc = pd_account_load(tx, ks, ev[i].actor_id, a, &acc);
				if (arc && arc != PD_ERR_NOT_FOUND) {
					rc = arc;
					goto out;
				}
				e->actor_name = !arc && acc.name ? acc.name : NULL;
			}
		}
	}
	o->n_events = n;
	int64_t np = 0;
	if (pd_store_cmp_photo_count(tx, r->id, &np) < 0)
		rc = pd_app_db_error(tx);
	o->c.n_photos = (int)np;
	if (!rc && r->merged_into) {
		struct pd_cmp_row t;
		enum pd_qs qs = pd_store_cmp_by_id(tx, r->merged_into, a, &t);
		if (qs == PD_QS_ONE) {
			char g[PD_TRACKING_GROUPED_LEN + 1];
			pd_tracking_format(t.tracking, g);
			o->merged_into_tracking = pd_arena_strdup(a, g);
		}
	}
out:
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_complaint_get_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                        const struct pd_actor *actor, const char *id, struct pd_arena *a,
                        struct pd_complaint_staff *out)
{
	memset(out, 0, sizeof *out);
	struct pd_cmp_row r;
	int rc = pd_cmh_load(tx, id, &r);
	if (!rc)
		rc = pd_cmh_access(actor, PD_ACT_CASE_VIEW, &r);
	if (!rc)
		rc = record_read(tx, actor, &r);
	if (rc)
		return rc;
	from_row(&r, a, out);
	struct pd_authz_object o = {NULL, r.unit_path};
	out->may_route = pd_authz(actor, PD_ACT_CASE_ROUTE, &o) == PD_OK;
	out->may_work = pd_authz(actor, PD_ACT_CASE_WORK, &o) == PD_OK;
	struct pd_unit u;
	if (pd_store_unit_by_id(tx, r.unit_id, a, &u) == PD_QS_ONE)
		out->unit_slug = u.slug;
	return open_staff(tx, ks, &r, a, out);
}

struct get_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_complaint_staff *out;
};

static int get_write_tx(struct pd_tx *tx, void *p)
{
	struct get_job *j = p;
	return pd_complaint_get_tx(tx, j->ks, j->actor, j->id, j->a, j->out);
}

int pd_complaint_get(struct pd_store *st, const struct pd_keyset *ks,
                     const struct pd_actor *actor, const char *id, struct pd_arena *a,
                     struct pd_complaint_staff *out)
{
	struct get_job j = {ks, actor, id, a, out};
	return pd_store_write(st, get_write_tx, &j);
}

/* --- the queue ----------------------------------------------------------------------------- */

/* True when a grant on grant_path covers unit_path (its subtree). */
static bool covers(const char *grant_path, const char *unit_path)
{
	size_t n = grant_path ? strlen(grant_path) : 0;
	return n && unit_path && grant_path[n - 1] == '/' && strncmp(unit_path, grant_path, n) == 0;
}

struct queue_job {
	struct pd_cmh_queue_filter f;
	int limit;
	struct pd_arena *a;
	struct pd_complaint_staff *out;
	int n;
	bool more;
};

static int queue_tx(struct pd_tx *tx, void *p)
{
	struct queue_job *j = p;
	struct pd_cmh_queue_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_cmh_queue(tx, &j->f, j->a, rows, j->limit + 1, &n) < 0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	for (int i = 0; i < j->n; i++) {
		struct pd_complaint_staff *o = &j->out[i];
		memset(o, 0, sizeof *o);
		const struct pd_cmh_queue_row *r = &rows[i];
		char g[PD_TRACKING_GROUPED_LEN + 1];
		pd_tracking_format(r->tracking, g);
		o->c.id = r->id;
		o->c.tracking = r->tracking;
		o->c.tracking_display = pd_arena_strdup(j->a, g);
		if (pd_complaint_status_parse(r->status, &o->c.status))
			o->c.status = PD_CMP_NEW;
		if (pd_complaint_visibility_parse(r->visibility, &o->c.visibility))
			o->c.visibility = PD_CMP_CONFIDENTIAL;
		o->c.title = r->public_title;
		o->public_title = r->public_title;
		o->c.held = r->held;
		o->c.published = r->published;
		o->c.category_code = r->category_code;
		o->c.category_name = r->category_name;
		o->c.unit_name = r->unit_name;
		o->c.unit_path = r->unit_path;
		o->unit_slug = r->unit_slug;
		o->c.due_ms = r->due_ms;
		o->c.created_ms = r->created_ms;
		o->c.support_count = r->support_count;
		o->c.version = r->version;
		o->overdue = r->overdue;
		o->escalated_ms = r->escalated_ms;
		o->reopen_count = r->reopen_count;
		o->reporter_hidden = strcmp(r->visibility, "anonymous") == 0;
	}
	return PD_OK;
}

static bool queue_status_ok(const char *s)
{
	enum pd_complaint_status st;
	return !s || !*s || strcmp(s, "open") == 0 || strcmp(s, "closed") == 0 ||
	       strcmp(s, "all") == 0 || pd_complaint_status_parse(s, &st) == PD_OK;
}

int pd_complaint_queue(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_complaint_queue_query *q, struct pd_arena *a,
                       struct pd_complaint_staff *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (!actor || (!actor->system && (!actor->account_id || !*actor->account_id)))
		return PD_ERR_NOT_FOUND;
	struct queue_job j;
	memset(&j, 0, sizeof j);
	j.a = a;
	j.out = out;
	j.limit = q->limit ? q->limit : 50;
	if (j.limit < 1 || j.limit > PD_COMPLAINT_QUEUE_MAX || !queue_status_ok(q->status))
		return PD_ERR_INVALID;
	/* The subtrees of the actor's case grants, without those inside another. */
	const char *paths[64];
	int np = 0;
	if (actor->system)
		paths[np++] = "/";
	for (size_t i = 0; i < actor->n_grants && np < 64; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role == PD_ROLE_OFFICER || g->role == PD_ROLE_COORDINATOR ||
		    g->role == PD_ROLE_SUPERVISOR)
			paths[np++] = g->unit_path;
	}
	for (int i = 0; i < np; i++) {
		bool inner = false;
		for (int k = 0; k < np && !inner; k++)
			if (k != i && covers(paths[k], paths[i]) &&
			    (strcmp(paths[k], paths[i]) != 0 || k < i))
				inner = true;
		if (!inner && j.f.n_paths < PD_STORE_CMH_RANGES)
			j.f.paths[j.f.n_paths++] = paths[i];
	}
	if (j.f.n_paths == 0)
		return PD_ERR_NOT_FOUND;
	j.f.status = !q->status || !*q->status ? "open" : strcmp(q->status, "all") == 0 ? "" : q->status;
	j.f.category_code = q->category_code;
	j.f.overdue = q->overdue;
	j.f.held = q->held;
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
		struct pd_cursor cur = {out[j.n - 1].c.due_ms, out[j.n - 1].c.id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

/* --- units --------------------------------------------------------------------------------- */

struct suggest_job {
	const char *id;
	struct pd_arena *a;
	const char **slug, **name;
};

static int suggest_tx(struct pd_tx *tx, void *p)
{
	struct suggest_job *j = p;
	struct pd_cmp_row r;
	int rc = pd_cmh_load(tx, j->id, &r);
	if (rc)
		return rc;
	struct pd_cmp_category_row cat;
	enum pd_qs qs = pd_store_cmp_category_by_code(tx, r.category_code, j->a, &cat);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	*j->slug = cat.unit_slug;
	*j->name = cat.unit_name;
	if (!r.place_unit_id)
		return PD_OK;
	struct pd_cmh_unit_row u;
	qs = pd_store_cmh_district_agency(tx, r.place_unit_id,
	                                  pd_arena_printf(j->a, "%s-%%", cat.unit_slug), j->a, &u);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_ONE) {
		*j->slug = u.slug;
		*j->name = u.name;
	}
	return PD_OK;
}

int pd_complaint_suggest_unit(struct pd_store *st, const char *id, struct pd_arena *a,
                              const char **slug, const char **name)
{
	*slug = *name = NULL;
	struct suggest_job j = {id, a, slug, name};
	return pd_store_read(st, suggest_tx, &j);
}

struct units_job {
	struct pd_arena *a;
	struct pd_complaint_unit *out;
	int max, *n;
};

static int units_tx(struct pd_tx *tx, void *p)
{
	struct units_job *j = p;
	struct pd_cmh_unit_row *rows = pd_arena_alloc(j->a, (size_t)j->max * sizeof *rows);
	int n = 0;
	if (pd_store_cmh_units(tx, j->a, rows, j->max, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++)
		j->out[i] = (struct pd_complaint_unit){rows[i].slug, rows[i].name, rows[i].path};
	*j->n = n;
	return PD_OK;
}

int pd_complaint_units(struct pd_store *st, struct pd_arena *a, struct pd_complaint_unit *out,
                       int max, int *n)
{
	*n = 0;
	if (max < 1)
		return PD_ERR_INVALID;
	struct units_job j = {a, out, max, n};
	return pd_store_read(st, units_tx, &j);
}

/* --- the reporter's question --------------------------------------------------------------- */

struct question_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *tracking, *token;
	struct pd_arena *a;
	const char **question;
};

static int question_tx(struct pd_tx *tx, void *p)
{
	struct question_job *j = p;
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!j->tracking || pd_tracking_parse(j->tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	struct pd_cmp_row r;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, compact, j->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_cmh_is_reporter(j->actor, j->token, &r))
		return PD_ERR_NOT_FOUND;
	struct pd_cmp_event_row *ev = pd_arena_alloc(j->a, PD_COMPLAINT_EVENTS_MAX * sizeof *ev);
	int n = 0;
	if (pd_store_cmp_events(tx, r.id, j->a, ev, PD_COMPLAINT_EVENTS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	int last = -1;
	for (int i = 0; i < n; i++)
		if (strcmp(ev[i].kind, "needs_info") == 0 && ev[i].note_ct.p)
			last = i;
	if (last < 0)
		return PD_OK;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_cmh_key(tx, j->ks, &r, key);
	if (!rc)
		*j->question = pd_app_open(j->a, key, ev[last].note_ct, "complaint_event", "note_ct",
		                           ev[last].id, &rc);
	sodium_memzero(key, sizeof key);
	return rc;
}

int pd_complaint_question(struct pd_store *st, const struct pd_keyset *ks,
                          const struct pd_actor *actor, const char *tracking, const char *token,
                          struct pd_arena *a, const char **question)
{
	*question = NULL;
	struct question_job j = {ks, actor, tracking, token, a, question};
	return pd_store_read(st, question_tx, &j);
}

struct options_job {
	const struct pd_actor *actor;
	const char *tracking, *token;
	struct pd_complaint_reporter_options *out;
};

static int options_tx(struct pd_tx *tx, void *p)
{
	struct options_job *j = p;
	char compact[PD_TRACKING_COMPACT_LEN + 1];
	if (!j->tracking || pd_tracking_parse(j->tracking, compact) || compact[0] != 'A')
		return PD_ERR_NOT_FOUND;
	struct pd_cmp_row r;
	enum pd_qs qs = pd_store_cmp_by_tracking(tx, compact, NULL, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || !pd_cmh_is_reporter(j->actor, j->token, &r))
		return PD_ERR_NOT_FOUND;
	int64_t confirmed = 0;
	if (pd_store_cmh_confirmed(tx, r.id, &confirmed) < 0)
		return pd_app_db_error(tx);
	bool answered = strcmp(r.status, "answered") == 0;
	j->out->may_confirm = answered && !confirmed;
	j->out->may_reopen = answered && !confirmed && r.reopen_count == 0;
	j->out->may_reply = strcmp(r.status, "needs_info") == 0;
	return PD_OK;
}

int pd_complaint_reporter_options(struct pd_store *st, const struct pd_actor *actor,
                                  const char *tracking, const char *token,
                                  struct pd_complaint_reporter_options *out)
{
	memset(out, 0, sizeof *out);
	struct options_job j = {actor, tracking, token, out};
	return pd_store_read(st, options_tx, &j);
}

/* --- staff photos and notifications -------------------------------------------------------- */

int pd_complaint_staff_photo_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                                int n, struct pd_arena *a, const char **attachment_id,
                                const char **content_type)
{
	struct pd_cmp_row r;
	int rc = pd_cmh_load(tx, id, &r);
	if (!rc)
		rc = pd_cmh_access(actor, PD_ACT_CASE_VIEW, &r);
	if (rc)
		return rc;
	if (n < 1 || n > PD_COMPLAINT_PHOTOS_MAX)
		return PD_ERR_NOT_FOUND;
	struct pd_cmp_photo_row row;
	enum pd_qs qs = pd_store_cmp_photo(tx, r.id, n, a, &row);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	*attachment_id = row.attachment_id;
	*content_type = row.content_type;
	return record_read(tx, actor, &r);
}

struct notes_job {
	const char *account_id;
	struct pd_arena *a;
	struct pd_complaint_notification *out;
	int max, *n;
};

static int notes_tx(struct pd_tx *tx, void *p)
{
	struct notes_job *j = p;
	struct pd_cmh_notification_row *rows = pd_arena_alloc(j->a, (size_t)j->max * sizeof *rows);
	int n = 0;
	if (pd_store_cmh_notifications(tx, j->account_id, j->a, rows, j->max, &n) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < n; i++) {
		struct pd_complaint_notification *o = &j->out[i];
		char g[PD_TRACKING_GROUPED_LEN + 1];
		pd_tracking_format(rows[i].tracking, g);
		o->complaint_id = rows[i].complaint_id;
		o->tracking_display = pd_arena_strdup(j->a, g);
		o->kind = rows[i].kind;
		if (pd_complaint_status_parse(rows[i].status, &o->status))
			o->status = PD_CMP_NEW;
		o->created_ms = rows[i].created_ms;
		o->read_ms = rows[i].read_ms;
	}
	*j->n = n;
	return PD_OK;
}

int pd_complaint_notifications(struct pd_store *st, const struct pd_actor *actor,
                               struct pd_arena *a, struct pd_complaint_notification *out,
                               int max, int *n)
{
	*n = 0;
	if (!actor || actor->system || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (max < 1 || max > PD_COMPLAINT_QUEUE_MAX)
		return PD_ERR_INVALID;
	struct notes_job j = {actor->account_id, a, out, max, n};
	return pd_store_read(st, notes_tx, &j);
}

/* --- the escalation job -------------------------------------------------------------------- */

int pd_complaint_escalate_due(struct pd_tx *tx, const struct pd_app_ctx *c, int64_t now_ms,
                              int max, int64_t *n)
{
	*n = 0;
	if (max < 1 || max > PD_COMPLAINT_ESCALATE_MAX)
		return PD_ERR_INVALID;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_ctx jc = *c;
	jc.now_ms = now_ms;
	const char **ids = pd_arena_alloc(a, (size_t)max * sizeof *ids);
	int nids = 0;
	if (pd_store_cmh_due(tx, now_ms, a, ids, max, &nids) < 0)
		return pd_app_db_error(tx);
	for (int i = 0; i < nids; i++) {
		struct pd_cmp_row r;
		int rc = pd_cmh_load(tx, ids[i], &r);
		if (rc)
			return rc == PD_ERR_NOT_FOUND ? pd_app_db_error(tx) : rc;
		enum pd_qs qs = pd_store_cmh_escalate(tx, r.id, now_ms);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			continue; /* a step changed it since it was listed */
		r.overdue = true;
		r.escalated_ms = now_ms;
		struct pd_actor nobody = {.system = true};
		struct pd_app_ctx sys = jc;
		sys.actor = &nobody;
		if ((rc = pd_cmh_event(tx, &sys, &r, "escalated", false, NULL, NULL, NULL, NULL)))
			return rc;
		const char *sup[SUPERVISORS_MAX];
		int ns = 0;
		if (pd_store_cmh_supervisors(tx, r.unit_path, a, sup, SUPERVISORS_MAX, &ns) < 0)
			return pd_app_db_error(tx);
		const char *path = pd_arena_printf(a, "/kantor/pengaduan/%s", r.id);
		for (int k = 0; k < ns; k++)
			if ((rc = pd_cmh_notify_account(
			             tx, &sys, &r, sup[k], "escalated",
			             N_("Pengaduan di unit yang Anda awasi melewati tenggat dan dieskalasi kepada Anda."),
			             path)))
				return rc;
		(*n)++;
	}
	if (!*n)
		return PD_OK;
	struct pd_audit_event ev = {
		.actor = "system", .action = "complaint.escalate", .object_type = "complaint",
		.details = pd_arena_printf(a, "{\"count\":%lld}", (long long)*n), .ts_ms = now_ms};
	return pd_audit_append(tx, &ev);
}

static int count_tx(struct pd_tx *tx, void *p)
{
	return pd_store_cmh_count_overdue(tx, p) < 0 ? pd_app_db_error(tx) : PD_OK;
}

int pd_complaint_count_overdue(struct pd_store *st, int64_t *n)
{
	*n = 0;
	return pd_store_read(st, count_tx, n);
}
