/* Staff as the application pages name them: the officers of a timeline, the assignee of a queue
 * row and the people a supervisor may assign, each resolved with one query per page; names are
 * opened for staff readers only (the citizen reads role and unit, see application.h). */
#include "domain/application_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/uuid.h"

#define STAFF_ROWS 400 /* grant rows of one page's staff (a few grants per person) */

/* The staff rows of one query and the names opened per account (NULL: not opened). */
struct staff_set {
	struct pd_app_staff_row *rows;
	const char **names;  /* per row: the account's name on the first row of each account */
	int n;
};

/* The account's name opened with its subject key; NULL when erased or unreadable. */
static const char *open_name(const struct pd_keyset *ks, const struct pd_app_staff_row *row,
                             struct pd_arena *a)
{
	if (!ks || !row->subject_key.p || !row->name_ct.p)
		return NULL;
	unsigned char key[PD_CRYPTO_KEY_BYTES];
	const char *name = NULL;
	if (pd_crypto_subject_key_unwrap(ks, row->account_id, row->subject_key.p, row->subject_key.n,
	                                 key) == PD_OK) {
		struct pd_buf out;
		pd_buf_init(&out, 1024);
		if (pd_crypto_open_with(key, row->name_ct.p, row->name_ct.n, "account", "name",
		                        row->account_id, &out) == PD_OK)
			name = pd_arena_strndup(a, pd_buf_cstr(&out), out.len);
		if (out.data)
			sodium_memzero(out.data, out.cap);
		pd_buf_free(&out);
	}
	sodium_memzero(key, sizeof key);
	return name;
}

/* Opens the name once per account (rows come in account id order). */
static void open_names(const struct pd_keyset *ks, struct staff_set *s, struct pd_arena *a)
{
	s->names = pd_arena_alloc(a, (size_t)(s->n ? s->n : 1) * sizeof *s->names);
	for (int i = 0; i < s->n; i++) {
		bool first = i == 0 || strcmp(s->rows[i - 1].account_id, s->rows[i].account_id) != 0;
		s->names[i] = first ? open_name(ks, &s->rows[i], a) : NULL;
	}
}

/* True when a grant on grant_path covers unit_path (its subtree). */
static bool covers(const char *grant_path, const char *unit_path)
{
	size_t n = grant_path ? strlen(grant_path) : 0;
	return n && unit_path && grant_path[n - 1] == '/' && strncmp(unit_path, grant_path, n) == 0;
}

/* The person account_id is on a page about an application of unit_path (its place_unit_id,
 * e.g. the village office of an assisted filing): the nearest grant covering the unit, else
 * the grant on the place, else the first case grant. NULL when the account is no staff
 * account of the set. */
static const struct pd_app_person *person_of(const struct staff_set *s, const char *account_id,
                                             const char *unit_path, const char *place_unit_id,
                                             struct pd_arena *a)
{
	if (!account_id)
		return NULL;
	int first = -1, best = -1, place = -1, any = -1;
	size_t best_len = 0;
	for (int i = 0; i < s->n; i++) {
		const struct pd_app_staff_row *row = &s->rows[i];
		if (strcmp(row->account_id, account_id) != 0)
			continue;
		if (first < 0)
			first = i;
		if (!row->role)
			continue;
		if (any < 0)
			any = i;
		if (place < 0 && place_unit_id && row->unit_id && strcmp(row->unit_id, place_unit_id) == 0)
			place = i;
		if (covers(row->unit_path, unit_path) && strlen(row->unit_path) > best_len) {
			best = i;
			best_len = strlen(row->unit_path);
		}
	}
	if (first < 0)
		return NULL;
	int g = best >= 0 ? best : place >= 0 ? place : any;
	struct pd_app_person *p = pd_arena_alloc(a, sizeof *p);
	memset(p, 0, sizeof *p);
	p->account_id = s->rows[first].account_id;
	p->name = s->names ? s->names[first] : NULL;
	if (g >= 0) {
		p->role = s->rows[g].role;
		p->unit_name = s->rows[g].unit_name;
	}
	return p;
}

/* Loads the staff among ids in one query; names opened when names is true. */
static int load_staff(struct pd_tx *tx, const struct pd_keyset *ks, const char *const *ids,
                      int n_ids, bool names, struct pd_arena *a, struct staff_set *s)
{
	memset(s, 0, sizeof *s);
	if (n_ids == 0)
		return PD_OK;
	s->rows = pd_arena_alloc(a, STAFF_ROWS * sizeof *s->rows);
	if (pd_store_app_staff(tx, ids, n_ids, a, s->rows, STAFF_ROWS, &s->n) < 0)
		return pd_app_db_error(tx);
	if (names)
		open_names(ks, s, a);
	return PD_OK;
}

int pd_app_name_people(struct pd_tx *tx, const struct pd_keyset *ks, bool names,
                       struct pd_arena *a, struct pd_application *app)
{
	int max = 2 * app->n_events + 2;
	const char **ids = pd_arena_alloc(a, (size_t)max * sizeof *ids);
	int n = 0;
	for (int i = 0; i < app->n_events; i++) {
		if (app->events[i].by_staff && app->events[i].actor_id)
			ids[n++] = app->events[i].actor_id;
		if (app->events[i].assignee_id)
			ids[n++] = app->events[i].assignee_id;
	}
	if (app->assigned_to)
		ids[n++] = app->assigned_to;
	if (app->assisted_by)
		ids[n++] = app->assisted_by;
	struct staff_set s;
	int rc = load_staff(tx, ks, ids, n, names, a, &s);
	if (rc)
		return rc;
	const char *path = app->unit_path, *place = app->place_unit_id;
	for (int i = 0; i < app->n_events; i++) {
		struct pd_app_event *e = &app->events[i];
		e->actor = e->by_staff ? person_of(&s, e->actor_id, path, place, a) : NULL;
		e->assignee = person_of(&s, e->assignee_id, path, place, a);
	}
	app->assigned_person = person_of(&s, app->assigned_to, path, place, a);
	app->assisted_person = person_of(&s, app->assisted_by, path, place, a);
	return PD_OK;
}

int pd_app_name_assignees(struct pd_tx *tx, const struct pd_keyset *ks, struct pd_arena *a,
                          struct pd_application *apps, int n_apps)
{
	const char **ids = pd_arena_alloc(a, (size_t)(n_apps ? n_apps : 1) * sizeof *ids);
	int n = 0;
	for (int i = 0; i < n_apps; i++)
		if (apps[i].assigned_to)
			ids[n++] = apps[i].assigned_to;
	struct staff_set s;
	int rc = load_staff(tx, ks, ids, n, true, a, &s);
	if (rc)
		return rc;
	for (int i = 0; i < n_apps; i++)
		apps[i].assigned_person = person_of(&s, apps[i].assigned_to, apps[i].unit_path,
		                                    apps[i].place_unit_id, a);
	return PD_OK;
}

int pd_app_may_be_assigned(struct pd_tx *tx, const char *assignee, const char *unit_path,
                           bool *ok)
{
	*ok = false;
	if (!assignee || !pd_uuid_valid(assignee))
		return PD_OK;
	struct pd_app_staff_row row;
	int n = 0;
	if (pd_store_app_assignees(tx, unit_path, assignee, NULL, &row, 1, &n) < 0)
		return pd_app_db_error(tx);
	*ok = n > 0;
	return PD_OK;
}

/* --- the supervisor's choice ----------------------------------------------------------------- */

static int by_name(const void *x, const void *y)
{
	const struct pd_app_person *p = x, *q = y;
	if (!p->name || !q->name)
		return p->name ? -1 : q->name ? 1 : strcmp(p->account_id, q->account_id);
	int c = strcasecmp(p->name, q->name);
	return c ? c : strcmp(p->account_id, q->account_id);
}

int pd_application_assignees_tx(struct pd_tx *tx, const struct pd_keyset *ks,
                                const struct pd_actor *actor, const char *id,
                                struct pd_arena *a, struct pd_app_person *out, int max, int *n)
{
	*n = 0;
	if (max < 1 || max > PD_APP_ASSIGNEES_MAX)
		return PD_ERR_INVALID;
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	struct pd_app_row r;
	enum pd_qs qs = pd_store_app_by_id(tx, id, a, &r);
	if (qs < 0)
		return pd_app_db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	int rc = pd_app_authz(actor, PD_ACT_CASE_ASSIGN, &r);
	if (rc)
		return rc;
	struct staff_set s;
	memset(&s, 0, sizeof s);
	s.rows = pd_arena_alloc(a, STAFF_ROWS * sizeof *s.rows);
	if (pd_store_app_assignees(tx, r.unit_path, NULL, a, s.rows, STAFF_ROWS, &s.n) < 0)
		return pd_app_db_error(tx);
	/* Rows come per account, the nearest grant first: that one names the person. */
	for (int i = 0; i < s.n && *n < max; i++) {
		if (i > 0 && strcmp(s.rows[i - 1].account_id, s.rows[i].account_id) == 0)
			continue;
		out[(*n)++] = (struct pd_app_person){s.rows[i].account_id, open_name(ks, &s.rows[i], a),
		                                     s.rows[i].role, s.rows[i].unit_name};
	}
	qsort(out, (size_t)*n, sizeof *out, by_name);
	return PD_OK;
}

struct assignees_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_app_person *out;
	int max, *n;
};

static int assignees_tx(struct pd_tx *tx, void *p)
{
	struct assignees_job *j = p;
	return pd_application_assignees_tx(tx, j->ks, j->actor, j->id, j->a, j->out, j->max, j->n);
}

int pd_application_assignees(struct pd_store *st, const struct pd_keyset *ks,
                             const struct pd_actor *actor, const char *id, struct pd_arena *a,
                             struct pd_app_person *out, int max, int *n)
{
	*n = 0;
	struct assignees_job j = {ks, actor, id, a, out, max, n};
	return pd_store_read(st, assignees_tx, &j);
}
