/* /admin/apikey: administrators of the installation's top unit list partner API keys, issue
 * one (the key is shown once, on the answer to the form) and revoke one. Access is decided in
 * domain (pd_apikey_access): 404 for everyone but administrators, 403 below the top unit. */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/apikey.h"
#include "web/account_internal.h"
#include "web/admin_apikey.h"
#include "web/common_time.h"

#define LIST_MAX 100

struct form {
	const char *partner, *per_min;
	bool trusted;
};

/* The page: the list, the form (f, errors) and, once, a new key. */
static void page(struct pd_req *r, int status, const struct form *f, json_t *errors,
                 const char *new_key, const char *new_partner)
{
	struct pd_apikey *keys = pd_arena_alloc(r->arena, LIST_MAX * sizeof *keys);
	int n = 0;
	int rc = pd_apikey_list(r->store, r->actor, r->arena, keys, LIST_MAX, &n);
	if (rc) {
		json_decref(errors);
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:I,s:s}", "id", keys[i].id, "partner",
		                      keys[i].partner, "prefix", keys[i].prefix, "trusted",
		                      keys[i].trusted_identities, "per_min", (json_int_t)keys[i].per_min,
		                      "created", pd_web_local_time(r, keys[i].created_ms));
		if (keys[i].last_used_ms)
			json_object_set_new(o, "last_used",
			                    json_string(pd_web_local_time(r, keys[i].last_used_ms)));
		if (keys[i].revoked_ms)
			json_object_set_new(o, "revoked",
			                    json_string(pd_web_local_time(r, keys[i].revoked_ms)));
		json_array_append_new(list, o);
	}
	json_t *ctx = json_pack("{s:o,s:{s:s,s:s,s:b}}", "keys", list, "form", "partner",
	                        f && f->partner ? f->partner : "", "per_min",
	                        f && f->per_min ? f->per_min : "60", "trusted", f && f->trusted);
	if (errors) {
		json_object_set_new(ctx, "errors", errors);
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (new_key) {
		json_object_set_new(ctx, "new_key", json_string(new_key));
		json_object_set_new(ctx, "new_partner", json_string(new_partner));
	}
	if (status == 200 && !new_key && pd_req_query(r, "dicabut"))
		json_object_set_new(ctx, "revoked_now", json_true());
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_page(r, status, "admin/apikey/index", N_("Kunci API mitra"), ctx);
}

void pd_web_admin_apikey(struct pd_req *r)
{
	int rc = pd_apikey_access(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	page(r, 200, NULL, NULL, NULL, NULL);
}

struct add_job {
	struct form f;
	int64_t per_min;
	char key[PD_APIKEY_LEN + 1];
	char id[37];
};

struct add_arg {
	const struct pd_actor *actor;
	struct add_job *job;
};

static int add_tx_actor(struct pd_tx *tx, void *p)
{
	struct add_arg *a = p;
	struct add_job *j = a->job;
	return pd_apikey_add(tx, a->actor, j->f.partner, j->f.trusted, j->per_min, j->key, j->id);
}

static void add_done(struct pd_req *r, int rc)
{
	struct add_arg *a = r->user;
	if (rc == PD_ERR_INVALID) {
		page(r, 422, &a->job->f,
		     json_pack("{s:s}", "partner", pd_req_t(r, N_("Tulis nama mitra, paling banyak 120 karakter."))),
		     NULL, NULL);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	page(r, 200, NULL, NULL, a->job->key, a->job->f.partner);
}

void pd_web_admin_apikey_add(struct pd_req *r)
{
	int rc = pd_apikey_access(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct add_arg *a = pd_arena_alloc(r->arena, sizeof *a);
	struct add_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->f.partner = pd_req_form(r, "partner");
	j->f.per_min = pd_req_form(r, "per_min");
	j->f.trusted = pd_req_form(r, "trusted") != NULL;
	json_t *errors = json_object();
	if (!j->f.partner || !*j->f.partner || !pd_utf8_valid(j->f.partner, strlen(j->f.partner)) ||
	    pd_utf8_len(j->f.partner, strlen(j->f.partner)) > PD_APIKEY_PARTNER_MAX)
		json_object_set_new(errors, "partner",
		                    json_string(pd_req_t(r, N_("Tulis nama mitra, paling banyak 120 karakter."))));
	if (!j->f.per_min || pd_parse_i64(j->f.per_min, 1, PD_APIKEY_PER_MIN_MAX, &j->per_min))
		json_object_set_new(errors, "per_min",
		                    json_string(pd_req_t(r, N_("Tulis bilangan bulat dari 1 sampai 10000."))));
	if (json_object_size(errors)) {
		page(r, 422, &j->f, errors, NULL, NULL);
		return;
	}
	json_decref(errors);
	*a = (struct add_arg){r->actor, j};
	r->user = a;
	pd_req_write(r, add_tx_actor, a, add_done);
}

struct revoke_job {
	const struct pd_actor *actor;
	const char *id;
};

static int revoke_tx(struct pd_tx *tx, void *p)
{
	struct revoke_job *j = p;
	return pd_apikey_revoke(tx, j->actor, j->id);
}

static void revoke_done(struct pd_req *r, int rc)
{
	if (rc && rc != PD_ERR_CONFLICT) { /* revoked already: the list shows it */
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, "/admin/apikey?dicabut=1");
}

void pd_web_admin_apikey_revoke(struct pd_req *r)
{
	int rc = pd_apikey_access(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct revoke_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct revoke_job){r->actor, r->params[0]};
	if (!pd_uuid_valid(j->id)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	r->user = j;
	pd_req_write(r, revoke_tx, j, revoke_done);
}
