/* The administrators' staff pages, /admin/pengguna: the staff of the subtrees they configure,
 * new staff accounts (invited by mail), roles granted and revoked, accounts disabled. Every rule
 * is decided in domain/staff_admin.c; these handlers read forms and render. */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "domain/staff_admin.h"
#include "http/app.h"
#include "http/session.h"
#include "web/account_internal.h"
#include "web/common_roles.h"
#include "web/staff_admin.h"

/* The choices of the unit selects; `mark` names the key set true on the unit whose slug is
 * `selected` (may be NULL). */
static json_t *units_json(const struct pd_unit *units, int n, const char *mark,
                          const char *selected)
{
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "slug", units[i].slug, "name",
		                                      units[i].name, mark,
		                                      selected && strcmp(selected, units[i].slug) == 0));
	return list;
}

/* The staff roles of DESIGN §2 (every role but citizen), labelled; `selected` chosen. */
static json_t *roles_json(struct pd_req *r, const char *selected)
{
	json_t *list = json_array();
	for (int i = 0; i < PD_ROLE__MAX; i++) {
		if (i == PD_ROLE_CITIZEN)
			continue;
		const char *name = pd_role_name((enum pd_role)i);
		json_array_append_new(list, json_pack("{s:s,s:s,s:b}", "value", name, "label",
		                                      pd_req_t(r, pd_web_role_label(name)), "chosen",
		                                      selected && strcmp(selected, name) == 0));
	}
	return list;
}

/* A member's grants as the pages show them. */
static json_t *grants_json(struct pd_req *r, const struct pd_staff_member *m)
{
	json_t *list = json_array();
	for (int i = 0; i < m->n_grants; i++) {
		const struct pd_staff_grant *g = &m->grants[i];
		json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:b}", "role", g->role,
		                                      "role_label", pd_req_t(r, pd_web_role_label(g->role)),
		                                      "unit_slug", g->unit_slug, "unit_name", g->unit_name,
		                                      "may_revoke", g->may_revoke));
	}
	return list;
}

static json_t *member_json(struct pd_req *r, const struct pd_staff_member *m)
{
	/* A name that does not open (a key gone) still leaves something to click. */
	return json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:o}", "id", m->id, "name",
	                 m->name && *m->name ? m->name : m->id, "email", m->email ? m->email : "",
	                 "disabled", m->disabled, "self", m->self, "may_grant", m->may_grant,
	                 "may_disable", m->may_disable, "grants", grants_json(r, m));
}

/* Adds the field errors of a refused form, and the values typed, to ctx. */
static void form_errors(struct pd_req *r, json_t *ctx, const struct pd_field_errors *errs)
{
	if (!errs || !errs->n)
		return;
	json_object_set_new(ctx, "errors", pd_web_errors_json(r, errs));
	json_object_set_new(ctx, "has_errors", json_true());
}

/* --- the directory ---------------------------------------------------------------------------- */

static void list_page(struct pd_req *r, int status, const struct pd_field_errors *errs)
{
	struct pd_unit *units = NULL;
	int n_units = 0;
	int rc = pd_staff_units(r->store, r->actor, r->arena, &units, &n_units);
	struct pd_staff_page *page = pd_arena_alloc(r->arena, sizeof *page);
	if (!rc)
		rc = pd_staff_list(r->store, r->app->keys, r->actor, pd_req_query(r, "unit"),
		                   pd_req_query(r, "setelah"), r->arena, page);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < page->n; i++)
		json_array_append_new(items, member_json(r, &page->items[i]));
	bool refused = errs && errs->n;
	const char *role = refused ? pd_web_field(r, "role") : NULL;
	const char *unit = refused ? pd_web_field(r, "unit") : page->scope.slug;
	json_t *ctx = json_pack("{s:{s:s,s:s},s:o,s:o,s:o,s:o}", "scope", "slug", page->scope.slug,
	                        "name", page->scope.name, "items", items, "scopes",
	                        units_json(units, n_units, "listed", page->scope.slug), "units",
	                        units_json(units, n_units, "chosen", unit), "roles",
	                        roles_json(r, role));
	if (page->next_after) {
		const char *next = pd_arena_printf(r->arena, "/admin/pengguna?unit=%s&setelah=%s",
		                                   page->scope.slug, page->next_after);
		json_object_set_new(ctx, "next_url", json_string(next));
	}
	if (refused)
		json_object_set_new(ctx, "values", json_pack("{s:s,s:s}", "name", pd_web_field(r, "name"),
		                                             "email", pd_web_field(r, "email")));
	form_errors(r, ctx, errs);
	pd_reply_page(r, status, "admin/pengguna", N_("Pengguna staf"), ctx);
}

void pd_web_staff_list(struct pd_req *r)
{
	list_page(r, 200, NULL);
}

/* State of one change across its durable write. */
struct staff_job {
	const struct pd_actor *actor;
	const struct pd_keyset *ks;
	const char *id;               /* the account changed (path parameter) */
	const char *role, *unit;
	struct pd_staff_new in;
	struct pd_field_errors errs;
	char new_id[37];
};

static struct staff_job *job_new(struct pd_req *r)
{
	struct staff_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->actor = r->actor;
	j->ks = r->app->keys;
	j->id = r->params[0];
	j->role = pd_web_field(r, "role");
	j->unit = pd_web_field(r, "unit");
	r->user = j;
	return j;
}

static int create_tx(struct pd_tx *tx, void *p)
{
	struct staff_job *j = p;
	memset(&j->errs, 0, sizeof j->errs); /* the body may run again */
	return pd_staff_create(tx, j->ks, j->actor, &j->in, &j->errs, j->new_id);
}

static void create_done(struct pd_req *r, int rc)
{
	struct staff_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		list_page(r, 422, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/pengguna/%s?dibuat=1", j->new_id));
}

void pd_web_staff_create(struct pd_req *r)
{
	int rc = pd_staff_open(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct staff_job *j = job_new(r);
	j->in = (struct pd_staff_new){
		.name = pd_web_field(r, "name"),
		.email = pd_web_field(r, "email"),
		.role = j->role,
		.unit_slug = j->unit,
		.lang = r->lang,
		.base_url = pd_http_base_url(r),
	};
	pd_req_write(r, create_tx, j, create_done);
}

/* --- one account ------------------------------------------------------------------------------ */

static void view_page(struct pd_req *r, int status, const struct pd_field_errors *errs)
{
	struct pd_staff_member *m = pd_arena_alloc(r->arena, sizeof *m);
	int rc = pd_staff_view(r->store, r->app->keys, r->actor, r->params[0], r->arena, m);
	struct pd_unit *units = NULL;
	int n_units = 0;
	if (!rc && m->may_grant)
		rc = pd_staff_units(r->store, r->actor, r->arena, &units, &n_units);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	bool refused = errs && errs->n;
	json_t *ctx = json_pack("{s:o,s:o,s:o}", "member", member_json(r, m), "units",
	                        units_json(units, n_units, "chosen",
	                                   refused ? pd_web_field(r, "unit") : NULL),
	                        "roles", roles_json(r, refused ? pd_web_field(r, "role") : NULL));
	if (status == 200) {
		static const char *const notices[] = {"dibuat", "disimpan", "dicabut", "dinonaktifkan"};
		for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++)
			if (pd_req_query(r, notices[i]))
				json_object_set_new(ctx, notices[i], json_true());
	}
	form_errors(r, ctx, errs);
	pd_reply_page(r, status, "admin/pengguna_akun", N_("Akun petugas"), ctx);
}

void pd_web_staff_view(struct pd_req *r)
{
	view_page(r, 200, NULL);
}

static int grant_tx(struct pd_tx *tx, void *p)
{
	struct staff_job *j = p;
	memset(&j->errs, 0, sizeof j->errs);
	return pd_staff_grant(tx, j->actor, j->id, j->role, j->unit, &j->errs);
}

static int revoke_tx(struct pd_tx *tx, void *p)
{
	struct staff_job *j = p;
	return pd_staff_revoke(tx, j->actor, j->id, j->role, j->unit);
}

static int disable_tx(struct pd_tx *tx, void *p)
{
	struct staff_job *j = p;
	return pd_staff_disable(tx, j->actor, j->id);
}

/* After a change of account j->id: back to its page with a notice, the form again (422), or
 * the error. */
static void changed(struct pd_req *r, int rc, const char *notice)
{
	struct staff_job *j = r->user;
	if (rc == PD_ERR_INVALID) {
		view_page(r, 422, &j->errs);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	/* The domain found the account by this id, so it is a well-formed UUID. */
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/pengguna/%s?%s=1", j->id, notice));
}

static void grant_done(struct pd_req *r, int rc)
{
	changed(r, rc, "disimpan");
}

static void revoke_done(struct pd_req *r, int rc)
{
	changed(r, rc, "dicabut");
}

static void disable_done(struct pd_req *r, int rc)
{
	changed(r, rc, "dinonaktifkan");
}

/* Starts a change after the cheap check that the pages are there for the actor at all. */
static void start(struct pd_req *r, pd_tx_fn fn, void (*done)(struct pd_req *r, int rc))
{
	int rc = pd_staff_open(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_req_write(r, fn, job_new(r), done);
}

void pd_web_staff_grant(struct pd_req *r)
{
	start(r, grant_tx, grant_done);
}

void pd_web_staff_revoke(struct pd_req *r)
{
	start(r, revoke_tx, revoke_done);
}

void pd_web_staff_disable(struct pd_req *r)
{
	start(r, disable_tx, disable_done);
}
