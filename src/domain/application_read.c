/* Reading applications: one application with its personal data opened (a staff read recorded
 * with its purpose), its timeline and files, the public status by tracking number, and the
 * citizen's notifications. */
#include "domain/application_internal.h"

#include <jansson.h>
#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/service_store.h"

/* --- the checklist --------------------------------------------------------------------------- */

/* A requirement line without its bullet or number and surrounding space; NULL when empty. */
static const char *requirement_label(struct pd_arena *a, const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++, n--;
	if (n >= 3 && (unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
	    (unsigned char)p[2] == 0xa2)
		p += 3, n -= 3; /* "•" */
	else if (n && (*p == '-' || *p == '*'))
		p++, n--;
	else {
		size_t d = 0;
		while (d < n && p[d] >= '0' && p[d] <= '9')
			d++;
		if (d && d < n && (p[d] == '.' || p[d] == ')'))
			p += d + 1, n -= d + 1;
	}
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	return n ? pd_arena_strndup(a, p, n) : NULL;
}

int pd_app_checklist_of(struct pd_tx *tx, const struct pd_app_row *r, struct pd_arena *a,
                        struct pd_app_check_item **out, int *n)
{
	*n = 0;
	*out = pd_arena_alloc(a, PD_APP_CHECKLIST_MAX * sizeof **out);
	if (r->checklist && *r->checklist) {
		json_error_t jerr;
		json_t *arr = json_loads(r->checklist, 0, &jerr);
		size_t i;
		json_t *it;
		json_array_foreach(arr, i, it)
		{
			const char *label = json_string_value(json_object_get(it, "label"));
			if (!label || *n >= PD_APP_CHECKLIST_MAX)
				continue;
			(*out)[*n].label = pd_arena_strdup(a, label);
			(*out)[*n].done = json_is_true(json_object_get(it, "done"));
			(*n)++;
		}
		json_decref(arr);
		return PD_OK;
	}
	struct pd_service s;
	enum pd_qs qs = pd_store_service_by_id(tx, r->service_id, a, &s);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK;
	for (const char *p = s.requirements; p && *p && *n < PD_APP_CHECKLIST_MAX;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *label = requirement_label(a, p, len);
		if (label)
			(*out)[(*n)++] = (struct pd_app_check_item){label, false};
		p = e ? e + 1 : p + len;
	}
	return PD_OK;
}

/* --- one application ------------------------------------------------------------------------- */

static int open_events(struct pd_tx *tx, const unsigned char *key, const struct pd_app_row *r,
                       struct pd_arena *a, struct pd_application *out)
{
	struct pd_app_event_row *rows = pd_arena_alloc(a, PD_APP_EVENTS_MAX * sizeof *rows);
	int n = 0;
	if (pd_store_app_events(tx, r->id, a, rows, PD_APP_EVENTS_MAX, &n) < 0)
		return pd_app_db_error(tx);
	out->events = pd_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out->events);
	out->n_events = n;
	for (int i = 0; i < n; i++) {
		struct pd_app_event *e = &out->events[i];
		e->id = rows[i].id;
		e->at_ms = rows[i].at_ms;
		e->actor_id = rows[i].actor_id;
		e->by_staff = rows[i].by_staff;
		e->kind = rows[i].kind;
		if (pd_app_status_parse(rows[i].status_after, &e->status_after))
			e->status_after = PD_APP_DRAFT;
		e->assignee_id = rows[i].assignee_id;
		if (key && rows[i].note_ct.p) {
			int rc;
			e->note = pd_app_open(a, key, rows[i].note_ct, "application_event", "note_ct",
			                      rows[i].id, &rc);
			if (rc)
				return rc;
		}
	}
	return PD_OK;
}

int pd_app_open_details(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_app_row *r,
                        struct pd_arena *a, struct pd_application *out)
{
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	int rc = pd_app_key(tx, ks, r, key);
	bool have_key = rc == PD_OK;
	if (rc && rc != PD_ERR_NOT_FOUND)
		return rc; /* NOT_FOUND: the citizen was erased; nothing personal is left to open */
	rc = PD_OK;
	if (have_key) {
		out->answers_json = pd_app_open(a, key, r->answers_ct, "application", "answers_ct",
		                                r->id, &rc);
		if (!rc)
			out->note = pd_app_open(a, key, r->note_ct, "application", "note_ct", r->id, &rc);
		const char *holder = NULL;
		if (!rc)
			holder = pd_app_open(a, key, r->holder_ct, "application", "holder_ct", r->id, &rc);
		if (holder) {
			json_error_t jerr;
			json_t *h = json_loads(holder, 0, &jerr);
			const char *name = json_string_value(json_object_get(h, "name"));
			out->holder_name = name ? pd_arena_strdup(a, name) : NULL;
			json_decref(h);
		}
	}
	if (!out->answers_json)
		out->answers_json = "{}";
	if (!rc)
		rc = open_events(tx, have_key ? key : NULL, r, a, out);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	out->files = pd_arena_alloc(a, PD_APP_FILES_MAX * sizeof *out->files);
	rc = pd_app_files(tx, ks, r->id, a, out->files, PD_APP_FILES_MAX, &out->n_files);
	if (rc)
		return rc;
	return pd_app_checklist_of(tx, r, a, &out->checklist, &out->n_checklist);
}

/* Records a staff read of r's personal data (nothing to record for the owner, the operator,
 * or an assisted application that no account holds yet). */
static int record_read(struct pd_tx *tx, const struct pd_actor *actor, const struct pd_app_row *r)
{
	if (pd_app_is_owner(actor, r) || actor->system || !r->citizen_account_id)
		return PD_OK;
	char g[PD_TRACKING_GROUPED_LEN + 1] = "";
	if (r->tracking)
		pd_tracking_format(r->tracking, g);
	struct pd_arena *a = pd_tx_arena(tx);
	return pd_audit_record_read(tx, pd_app_audit_actor(a, actor), r->citizen_account_id,
	                            pd_arena_printf(a, "permohonan %s", g), "application", r->id,
	                            r->unit_id);
}

/* Loads and checks application id for the actor (PD_ACT_CASE_VIEW). */
static int load_visible(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        struct pd_arena *a, struct pd_app_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_app_by_id(tx, id, a, r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return pd_app_authz(actor, PD_ACT_CASE_VIEW, r);
}

struct get_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_application *out;
	bool record;     /* a write transaction: record a staff read */
	bool need_write; /* set by a read that found a staff reader */
};

static int get_body(struct pd_tx *tx, struct get_job *j)
{
	struct pd_app_row r;
	int rc = load_visible(tx, j->actor, j->id, j->a, &r);
	if (rc)
		return rc;
	bool staff = !pd_app_is_owner(j->actor, &r) && !j->actor->system && r.citizen_account_id;
	if (staff && !j->record) {
		j->need_write = true;
		return PD_OK;
	}
	if (staff) {
		rc = record_read(tx, j->actor, &r);
		if (rc)
			return rc;
	}
	pd_app_from_row(&r, j->a, j->out);
	rc = pd_app_open_details(tx, j->ks, &r, j->a, j->out);
	/* Staff names for staff readers only: the citizen reads role and unit. */
	return rc ? rc : pd_app_name_people(tx, j->ks, !pd_app_is_owner(j->actor, &r), j->a, j->out);
}

static int get_read_tx(struct pd_tx *tx, void *p)
{
	return get_body(tx, p);
}

int pd_application_get_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                          const struct pd_actor *actor, const char *id, struct pd_arena *a,
                          struct pd_application *out)
{
	memset(out, 0, sizeof *out);
	struct get_job j = {ks, actor, id, a, out, true, false};
	return get_body(tx, &j);
}

static int get_write_tx(struct pd_tx *tx, void *p)
{
	struct get_job *j = p;
	return pd_application_get_tx(tx, j->ks, j->actor, j->id, j->a, j->out);
}

int pd_application_get(struct pd_store *st, const struct pd_keyset *ks,
                       const struct pd_actor *actor, const char *id, struct pd_arena *a,
                       struct pd_application *out)
{
	memset(out, 0, sizeof *out);
	struct get_job j = {ks, actor, id, a, out, false, false};
	int rc = pd_store_read(st, get_read_tx, &j);
	if (rc || !j.need_write)
		return rc;
	return pd_store_write(st, get_write_tx, &j);
}

struct summary_job {
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_application *out;
};

static int summary_tx(struct pd_tx *tx, void *p)
{
	struct summary_job *j = p;
	struct pd_app_row r;
	int rc = load_visible(tx, j->actor, j->id, j->a, &r);
	if (!rc)
		pd_app_from_row(&r, j->a, j->out);
	return rc;
}

int pd_application_summary(struct pd_store *st, const struct pd_actor *actor, const char *id,
                           struct pd_arena *a, struct pd_application *out)
{
	memset(out, 0, sizeof *out);
	struct summary_job j = {actor, id, a, out};
	return pd_store_read(st, summary_tx, &j);
}

int pd_application_timeline(struct pd_store *st, const struct pd_keyset *ks,
                            const struct pd_actor *actor, const char *id, struct pd_arena *a,
                            struct pd_app_event *out, int max, int *n)
{
	*n = 0;
	struct pd_application app;
	int rc = pd_application_get(st, ks, actor, id, a, &app);
	if (rc)
		return rc;
	for (int i = 0; i < app.n_events && *n < max; i++)
		out[(*n)++] = app.events[i];
	return PD_OK;
}

/* --- files ----------------------------------------------------------------------------------- */

struct file_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id, *file_id;
	struct pd_arena *a;
	struct pd_app_file *info;
	pd_attachment_sink fn;
	void *arg;
	bool record, need_write;
	bool recorded;  /* the caller recorded the read already (pd_application_file_record_tx) */
};

static int file_body(struct pd_tx *tx, void *p)
{
	struct file_job *j = p;
	struct pd_app_row r;
	int rc = load_visible(tx, j->actor, j->id, j->a, &r);
	if (rc)
		return rc;
	bool staff = !pd_app_is_owner(j->actor, &r) && !j->actor->system && r.citizen_account_id &&
	             !j->recorded;
	if (staff && !j->record) {
		j->need_write = true;
		return PD_OK;
	}
	struct pd_app_file files[PD_APP_FILES_MAX];
	int n = 0;
	rc = pd_app_files(tx, j->ks, r.id, j->a, files, PD_APP_FILES_MAX, &n);
	if (rc)
		return rc;
	const struct pd_app_file *f = NULL;
	for (int i = 0; i < n; i++)
		if (j->file_id && strcmp(files[i].id, j->file_id) == 0)
			f = &files[i];
	if (!f)
		return PD_ERR_NOT_FOUND;
	if (staff) {
		rc = record_read(tx, j->actor, &r);
		if (rc)
			return rc;
	}
	*j->info = *f;
	return pd_attachment_read(tx, j->ks, f->attachment_id, j->fn, j->arg);
}

int pd_application_file_read(struct pd_store *st, const struct pd_keyset *ks,
                             const struct pd_actor *actor, const char *id, const char *file_id,
                             struct pd_arena *a, struct pd_app_file *info,
                             pd_attachment_sink fn, void *arg)
{
	memset(info, 0, sizeof *info);
	struct file_job j = {ks, actor, id, file_id, a, info, fn, arg, false, false, false};
	int rc = pd_store_read(st, file_body, &j);
	if (rc || !j.need_write)
		return rc;
	j.record = true;
	return pd_store_write(st, file_body, &j);
}

int pd_application_file_record_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                                  const char *file_id)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_app_row r;
	int rc = load_visible(tx, actor, id, a, &r);
	if (rc)
		return rc;
	struct pd_app_file_row files[PD_APP_FILES_MAX];
	int n = 0;
	if (pd_store_app_files(tx, r.id, a, files, PD_APP_FILES_MAX, &n) < 0)
		return pd_app_db_error(tx);
	bool found = false;
	for (int i = 0; i < n && !found; i++)
		found = file_id && strcmp(files[i].id, file_id) == 0;
	if (!found)
		return PD_ERR_NOT_FOUND;
	return record_read(tx, actor, &r);
}

int pd_application_file_read_recorded(struct pd_store *st, const struct pd_keyset *ks,
                                      const struct pd_actor *actor, const char *id,
                                      const char *file_id, struct pd_arena *a,
                                      struct pd_app_file *info, pd_attachment_sink fn, void *arg)
{
	memset(info, 0, sizeof *info);
	struct file_job j = {ks, actor, id, file_id, a, info, fn, arg, false, false, true};
	return pd_store_read(st, file_body, &j);
}

/* --- the public status ----------------------------------------------------------------------- */

struct track_job {
	const char *tracking;
	struct pd_arena *a;
	struct pd_app_public *out;
};

static int track_tx(struct pd_tx *tx, void *p)
{
	struct track_job *j = p;
	struct pd_app_row r;
	enum pd_qs qs = pd_store_app_by_tracking(tx, j->tracking, j->a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE || strcmp(r.status, "draft") == 0)
		return PD_ERR_NOT_FOUND;
	pd_tracking_format(r.tracking, j->out->tracking);
	if (pd_app_status_parse(r.status, &j->out->status))
		return PD_ERR_NOT_FOUND;
	j->out->service_name = r.service_name;
	j->out->service_slug = r.service_slug;
	j->out->unit_name = r.unit_name;
	j->out->submitted_ms = r.submitted_ms;
	j->out->due_ms = r.due_ms;
	j->out->decided_ms = r.decided_ms;
	j->out->updated_ms = r.updated_ms;
	j->out->overdue = r.overdue;
	return PD_OK;
}

int pd_application_track(struct pd_store *st, const char *tracking, struct pd_arena *a,
                         struct pd_app_public *out)
{
	memset(out, 0, sizeof *out);
	if (!tracking || strlen(tracking) != PD_TRACKING_COMPACT_LEN || tracking[0] != 'P')
		return PD_ERR_NOT_FOUND;
	struct track_job j = {tracking, a, out};
	return pd_store_read(st, track_tx, &j);
}

/* --- notifications --------------------------------------------------------------------------- */

struct note_job {
	const char *account_id, *before;
	int limit;
	struct pd_arena *a;
	struct pd_notification *out;
	int n;
	bool more;
	int64_t count;
};

static int notes_tx(struct pd_tx *tx, void *p)
{
	struct note_job *j = p;
	struct pd_notification_row *rows =
	        pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_notification_list(tx, j->account_id, j->before, j->a, rows, j->limit + 1, &n) <
	    0)
		return pd_app_db_error(tx);
	j->more = n > j->limit;
	j->n = j->more ? j->limit : n;
	for (int i = 0; i < j->n; i++) {
		struct pd_notification *o = &j->out[i];
		memset(o, 0, sizeof *o);
		o->id = rows[i].id;
		o->application_id = rows[i].application_id;
		if (rows[i].tracking) {
			char g[PD_TRACKING_GROUPED_LEN + 1];
			pd_tracking_format(rows[i].tracking, g);
			o->tracking_display = pd_arena_strdup(j->a, g);
		}
		o->service_name = rows[i].service_name;
		o->kind = rows[i].kind;
		if (pd_app_status_parse(rows[i].status, &o->status))
			o->status = PD_APP_DRAFT;
		o->created_ms = rows[i].created_ms;
		o->read_ms = rows[i].read_ms;
	}
	return PD_OK;
}

static bool signed_in(const struct pd_actor *actor)
{
	return actor && actor->account_id && *actor->account_id && !actor->system;
}

int pd_notification_list(struct pd_store *st, const struct pd_actor *actor, const char *after,
                         int limit, struct pd_arena *a, struct pd_notification *out, int *n,
                         const char **next)
{
	*n = 0;
	*next = NULL;
	if (!signed_in(actor))
		return PD_ERR_NOT_FOUND;
	if (limit < 1 || limit > PD_APP_PAGE_MAX)
		return PD_ERR_INVALID;
	struct note_job j = {actor->account_id, NULL, limit, a, out, 0, false, 0};
	if (after && *after) {
		struct pd_cursor cur;
		if (pd_cursor_decode(a, after, &cur) || !cur.k2 || !pd_uuid_valid(cur.k2))
			return PD_ERR_INVALID;
		j.before = cur.k2;
	}
	int rc = pd_store_read(st, notes_tx, &j);
	if (rc)
		return rc;
	*n = j.n;
	if (j.more && j.n > 0) {
		struct pd_cursor cur = {0, out[j.n - 1].id};
		*next = pd_cursor_encode(a, &cur);
	}
	return PD_OK;
}

static int unread_tx(struct pd_tx *tx, void *p)
{
	struct note_job *j = p;
	if (pd_store_notification_unread(tx, j->account_id, &j->count) < 0)
		return pd_app_db_error(tx);
	return PD_OK;
}

int pd_notification_unread(struct pd_store *st, const struct pd_actor *actor, int64_t *n)
{
	*n = 0;
	if (!signed_in(actor))
		return PD_OK;
	struct note_job j = {.account_id = actor->account_id};
	int rc = pd_store_read(st, unread_tx, &j);
	*n = j.count;
	return rc;
}

int pd_notification_mark_read(struct pd_tx *tx, const struct pd_actor *actor, int64_t upto_ms)
{
	if (!signed_in(actor))
		return PD_ERR_NOT_FOUND;
	if (pd_store_notification_mark_read(tx, actor->account_id, upto_ms, pd_app_now(NULL)) < 0)
		return pd_app_db_error(tx);
	return PD_OK;
}
