/* Reading consultations: one with its versions, sections, figures and comments (public or
 * staff view), the public list by keyset, and the back office's list and held comments. */
#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/consult.h"

struct get_job {
	const struct pd_actor *actor;
	const char *key;
	bool staff;
	int64_t version, now_ms;
	struct pd_arena *a;
	struct pd_consult_view *out;
};

static struct pd_consult_section *section_of(struct pd_consult_view *v, const char *anchor)
{
	for (int i = 0; i < v->n_sections; i++)
		if (strcmp(v->sections[i].anchor, anchor) == 0)
			return &v->sections[i];
	return &v->whole;
}

/* Copies a stored comment into what the reader may see. */
static void shown(const struct pd_cs_comment_row *r, bool staff, struct pd_consult_comment *c)
{
	memset(c, 0, sizeof *c);
	c->id = r->id;
	c->parent_id = r->parent_id;
	c->section = r->section;
	c->stance = r->stance;
	c->state = r->state;
	c->mod_reason = r->mod_reason;
	c->version = r->version;
	c->created_ms = r->created_ms;
	c->mod_ms = r->mod_ms;
	c->reports = staff ? r->reports : 0;
	if (staff || strcmp(r->state, "visible") == 0) {
		c->body = r->body;
		c->author = r->author_name ? r->author_name : "Warga";
	}
}

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_job *j = p;
	struct pd_consult_view *v = j->out;
	struct pd_arena *a = j->a;
	enum pd_qs qs = j->staff ? (pd_uuid_valid(j->key) ? pd_store_cs_by_id(tx, j->key, a, &v->c)
	                                                   : PD_QS_NONE)
	                         : pd_store_cs_by_slug(tx, j->key, a, &v->c);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	if (j->staff) {
		struct pd_authz_object o = {NULL, v->c.unit_path};
		int rc = pd_authz(j->actor, PD_ACT_MODERATE, &o);
		if (rc && rc != PD_ERR_FORBIDDEN)
			return rc;
		v->may_act = rc == PD_OK;
	} else if (v->c.opens_ms > j->now_ms) {
		return PD_ERR_NOT_FOUND;
	}
	v->open = v->c.opens_ms <= j->now_ms && j->now_ms < v->c.closes_ms;
	v->closed = j->now_ms >= v->c.closes_ms;
	v->version = j->version ? j->version : v->c.n_versions;
	if (v->version < 1 || v->version > v->c.n_versions)
		return PD_ERR_NOT_FOUND;
	struct pd_cs_version_row vr[PD_CONSULT_VERSIONS_MAX];
	if (pd_store_cs_versions(tx, v->c.id, a, vr, PD_CONSULT_VERSIONS_MAX, &v->n_versions) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < v->n_versions; i++)
		v->versions[i] = (struct pd_consult_version){vr[i].n, vr[i].published_ms, vr[i].note};
	if (j->staff && pd_store_cs_version_body(tx, v->c.id, v->version, a, &v->body_md) < 0)
		return pd_tx_error(tx);
	struct pd_cs_section_row *sr = pd_arena_alloc(a, sizeof *sr * PD_CONSULT_SECTIONS_MAX);
	if (pd_store_cs_sections(tx, v->c.id, v->version, a, sr, PD_CONSULT_SECTIONS_MAX,
	                         &v->n_sections) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < v->n_sections; i++)
		v->sections[i] = (struct pd_consult_section){.anchor = sr[i].anchor,
		                                             .title = sr[i].title, .html = sr[i].html};
	v->whole = (struct pd_consult_section){.anchor = "", .title = "Seluruh rancangan"};
	/* Comments: one page more than shown tells whether there are more. */
	struct pd_cs_comment_row *cr = pd_arena_alloc(a, sizeof *cr * (PD_CONSULT_COMMENTS_MAX + 1));
	int n = 0;
	if (pd_store_cs_comments(tx, v->c.id, 0, NULL, a, cr, PD_CONSULT_COMMENTS_MAX + 1, &n) < 0)
		return pd_tx_error(tx);
	v->more_comments = n > PD_CONSULT_COMMENTS_MAX;
	if (v->more_comments)
		n = PD_CONSULT_COMMENTS_MAX;
	v->comments = pd_arena_alloc(a, sizeof *v->comments * (size_t)(n ? n : 1));
	v->n_comments = n;
	for (int i = 0; i < n; i++)
		shown(&cr[i], j->staff, &v->comments[i]);
	/* Figures count every visible comment, also beyond the page shown; comments on a section
	 * of another version count for the whole draft. */
	int max_fig = 4 * PD_CONSULT_SECTIONS_MAX, n_fig = 0;
	struct pd_cs_figure_row *fig = pd_arena_alloc(a, sizeof *fig * (size_t)max_fig);
	if (pd_store_cs_figures(tx, v->c.id, a, fig, max_fig, &n_fig) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < n_fig; i++) {
		struct pd_consult_section *s = section_of(v, fig[i].section ? fig[i].section : "");
		s->comments += (int)fig[i].comments;
		s->support += (int)fig[i].support;
		s->oppose += (int)fig[i].oppose;
		s->neutral += (int)fig[i].neutral;
		v->total_comments += (int)fig[i].comments;
		v->total_support += (int)fig[i].support;
		v->total_oppose += (int)fig[i].oppose;
	}
	const char *secs[PD_CONSULT_SECTIONS_MAX + 1], *resp[PD_CONSULT_SECTIONS_MAX + 1];
	int n_resp = 0;
	if (v->c.report_ms && pd_store_cs_responses(tx, v->c.id, a, secs, resp,
	                                            PD_CONSULT_SECTIONS_MAX + 1, &n_resp) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < n_resp; i++) {
		struct pd_consult_section *s = section_of(v, secs[i]);
		if (*secs[i] && s == &v->whole)
			continue; /* a section of another version: not shown here */
		s->response = resp[i];
	}
	return PD_OK;
}

int pd_consult_get(struct pd_store *st, const struct pd_actor *actor, const char *key,
                   bool staff, int64_t version, int64_t now_ms, struct pd_arena *a,
                   struct pd_consult_view *out)
{
	memset(out, 0, sizeof *out);
	if (!key || !*key || strlen(key) > 100)
		return PD_ERR_NOT_FOUND;
	if (staff && !actor)
		return PD_ERR_NOT_FOUND;
	struct get_job j = {actor, key, staff, version, now_ms, a, out};
	return pd_store_read(st, get_tx, &j);
}

struct list_job {
	struct pd_cs_list_filter f;
	struct pd_arena *a;
	struct pd_cs_row *out;
	int max, n;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	return pd_store_cs_list(tx, &j->f, j->a, j->out, j->max, &j->n) < 0 ? pd_tx_error(tx)
	                                                                     : PD_OK;
}

int pd_consult_list(struct pd_store *st, bool open_only, const char *after, int limit,
                    int64_t now_ms, struct pd_arena *a, struct pd_cs_row *out, int *n,
                    const char **next)
{
	*n = 0;
	*next = NULL;
	if (limit < 1 || limit > PD_CONSULT_PAGE_MAX)
		return PD_ERR_INVALID;
	struct list_job j = {.f = {.now_ms = now_ms, .unit_path = "", .open_only = open_only},
	                     .a = a, .max = limit + 1};
	if (after) {
		struct pd_cursor c;
		if (pd_cursor_decode(a, after, &c) || !pd_uuid_valid(c.k2))
			return PD_ERR_INVALID;
		j.f.after_key = c.k1;
		j.f.after_id = c.k2;
	}
	j.out = pd_arena_alloc(a, sizeof *j.out * (size_t)j.max);
	int rc = pd_store_read(st, list_tx, &j);
	if (rc)
		return rc;
	if (j.n > limit) {
		j.n = limit;
		const struct pd_cs_row *last = &j.out[limit - 1];
		struct pd_cursor c = {last->closes_ms > now_ms
		                              ? last->closes_ms
		                              : PD_STORE_CS_CLOSED_BASE - last->closes_ms,
		                      last->id};
		*next = pd_cursor_encode(a, &c);
	}
	memcpy(out, j.out, sizeof *out * (size_t)j.n);
	*n = j.n;
	return PD_OK;
}

struct office_job {
	const struct pd_actor *actor;
	struct pd_arena *a;
	struct pd_cs_row *out;
	int max, n;
	struct pd_cs_comment_row *held;
	int max_held, n_held;
};

static bool seen_row(const struct pd_cs_row *rows, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].id, id) == 0)
			return true;
	return false;
}

static int office_tx(struct pd_tx *tx, void *p)
{
	struct office_job *j = p;
	j->n = j->n_held = 0;
	for (size_t g = 0; g < j->actor->n_grants; g++) {
		const struct pd_grant *gr = &j->actor->grants[g];
		if (gr->role != PD_ROLE_MODERATOR && gr->role != PD_ROLE_ADMINISTRATOR)
			continue;
		struct pd_cs_row rows[50];
		int n = 0;
		if (pd_store_cs_of_subtree(tx, gr->unit_path, j->a, rows, 50, &n) < 0)
			return pd_tx_error(tx);
		for (int i = 0; i < n && j->n < j->max; i++)
			if (!seen_row(j->out, j->n, rows[i].id))
				j->out[j->n++] = rows[i];
		struct pd_cs_comment_row held[50];
		if (pd_store_cs_held(tx, gr->unit_path, j->a, held, 50, &n) < 0)
			return pd_tx_error(tx);
		for (int i = 0; i < n && j->n_held < j->max_held; i++) {
			bool dup = false;
			for (int k = 0; k < j->n_held; k++)
				dup = dup || strcmp(j->held[k].id, held[i].id) == 0;
			if (!dup)
				j->held[j->n_held++] = held[i];
		}
	}
	return PD_OK;
}

int pd_consult_office(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_cs_row *out, int max, int *n, struct pd_cs_comment_row *held,
                      int max_held, int *n_held)
{
	*n = *n_held = 0;
	if (!actor || actor->system || !pd_consult_may_manage(actor))
		return PD_ERR_NOT_FOUND;
	struct office_job j = {actor, a, out, max, 0, held, max_held, 0};
	int rc = pd_store_read(st, office_tx, &j);
	*n = j.n;
	*n_held = j.n_held;
	return rc;
}
