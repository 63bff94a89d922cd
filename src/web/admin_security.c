/* The administrators' security settings of a unit at /admin/unit/{slug}/keamanan: whether
 * staff of the unit's subtree must use TOTP. Access is decided in domain (404 outside the
 * actor's grants, 403 for those who may only see the setting). */
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "core/i18n.h"
#include "domain/totp.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/totp.h"

static void security_page(struct pd_req *r, int status, const char *error)
{
	struct pd_unit_security sec;
	int rc = pd_totp_policy_view(r->store, r->actor, r->params[0], r->arena, &sec);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (error && !sec.may_edit) {
		pd_web_reply_rc(r, PD_ERR_FORBIDDEN);
		return;
	}
	bool checked = sec.totp_required;
	if (error)
		checked = pd_req_form(r, "totp_required") != NULL;
	json_t *ctx = json_pack("{s:s,s:s,s:b,s:b}", "slug", sec.unit.slug, "unit_name",
	                        sec.unit.name, "totp_required", checked, "may_edit", sec.may_edit);
	if (sec.inherited_from)
		json_object_set_new(ctx, "inherited_from", json_string(sec.inherited_from));
	if (error) {
		json_object_set_new(ctx, "errors",
		                    json_pack("{s:s}", "totp_required", pd_req_t(r, error)));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page(r, status, "admin/unit_keamanan", N_("Keamanan unit"), ctx);
}

void pd_web_admin_unit_security(struct pd_req *r)
{
	security_page(r, 200, NULL);
}

struct save_job {
	const struct pd_actor *actor;
	const char *slug;
	bool required;
};

static int save_tx(struct pd_tx *tx, void *p)
{
	struct save_job *j = p;
	return pd_totp_policy_set(tx, j->actor, j->slug, j->required);
}

static void save_done(struct pd_req *r, int rc)
{
	struct save_job *j = r->user;
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/admin/unit/%s/keamanan?disimpan=1",
	                                          j->slug));
}

void pd_web_admin_unit_security_save(struct pd_req *r)
{
	const char *v = pd_req_form(r, "totp_required");
	if (v && strcmp(v, "1") != 0) {
		security_page(r, 422, N_("Pilihan tidak sah: centang kotak atau kosongkan."));
		return;
	}
	struct save_job *j = pd_arena_alloc(r->arena, sizeof *j);
	*j = (struct save_job){r->actor, r->params[0], v != NULL};
	if (!pd_slug_valid(j->slug)) {
		pd_web_reply_rc(r, PD_ERR_NOT_FOUND);
		return;
	}
	r->user = j;
	pd_req_write(r, save_tx, j, save_done);
}
