/* Helpers shared by the back office's pages: staff only, query values, queue page links, the
 * posted steps' context, version and refusals, who acted (named for staff), local times,
 * sizes and due dates on the working-day clock. */
#include "web/kantor_common.h"

#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/common_roles.h"

const char *pd_kantor_query(struct pd_req *r, const char *name)
{
	const char *v = pd_req_query(r, name);
	return v && *v ? v : NULL;
}

bool pd_kantor_staff_or_reply(struct pd_req *r)
{
	if (r->actor && r->actor->kind == PD_ACCOUNT_STAFF)
		return true;
	pd_reply_error(r, PD_E_NOT_FOUND, NULL);
	return false;
}

void pd_kantor_page_links(struct pd_req *r, json_t *ctx, const char *base, const char *fq,
                          const char *next, const char *after)
{
	if (next)
		json_object_set_new(ctx, "next_url",
		                    json_string(pd_arena_printf(r->arena, "%s?%ssetelah=%s", base, fq,
		                                                pd_url_encode(r->arena, next))));
	if (after)
		json_object_set_new(ctx, "first_url",
		                    json_string(*fq ? pd_arena_printf(r->arena, "%s?%.*s", base,
		                                                      (int)strlen(fq) - 1, fq)
		                                    : base));
}

void pd_kantor_step_ctx(struct pd_req *r, struct pd_app_ctx *c)
{
	c->actor = r->actor;
	c->ks = r->app->keys;
	c->cal = pd_http_calendar(r);
	c->base_url = r->app->cfg && r->app->cfg->public_url ? r->app->cfg->public_url : NULL;
}

bool pd_kantor_form_version(struct pd_req *r, int64_t *version, const char *msgid)
{
	const char *v = pd_req_form(r, "versi");
	if (v && pd_parse_i64(v, 1, INT64_MAX - 1, version) == PD_OK)
		return true;
	pd_reply_error(r, PD_E_BAD_REQUEST, msgid);
	return false;
}

void pd_kantor_conflict_page(struct pd_req *r, const char *message, const char *back_url,
                             const char *back_label)
{
	json_t *ctx = json_pack("{s:i,s:s,s:s,s:s}", "status", 409, "message", pd_req_t(r, message),
	                        "back_url", back_url, "back_label", pd_req_t(r, back_label));
	pd_reply_page(r, 409, "error", N_("Sudah ditangani orang lain"), ctx);
}

json_t *pd_kantor_errors_json(struct pd_req *r, const struct pd_app_errors *errs,
                              const char *(*field)(int step, const char *name), int step)
{
	json_t *o = json_object();
	for (int i = 0; i < errs->n; i++) {
		const char *f = field(step, errs->field[i]);
		if (!json_object_get(o, f))
			json_object_set_new(o, f, json_string(pd_req_t(r, errs->msg[i])));
	}
	return o;
}

bool pd_kantor_is_self(struct pd_req *r, const char *account_id)
{
	return account_id && r->actor && r->actor->account_id &&
	       strcmp(account_id, r->actor->account_id) == 0;
}

const char *pd_kantor_role_unit(struct pd_req *r, const struct pd_app_person *p)
{
	if (!p || !p->role)
		return pd_req_t(r, N_("Petugas"));
	const char *role = pd_req_t(r, pd_web_role_label(p->role));
	return p->unit_name ? pd_arena_printf(r->arena, "%s · %s", role, p->unit_name) : role;
}

const char *pd_kantor_who(struct pd_req *r, const char *account_id, const struct pd_app_person *p,
                          const char *none_msgid)
{
	if (!account_id)
		return pd_req_t(r, none_msgid);
	if (pd_kantor_is_self(r, account_id))
		return pd_req_t(r, N_("Anda"));
	if (p && p->name && *p->name)
		return p->name;
	if (p && p->role)
		return pd_kantor_role_unit(r, p);
	return pd_arena_printf(r->arena, "%s %.8s", pd_req_t(r, N_("Petugas")), account_id);
}

const char *pd_kantor_size(struct pd_req *r, int64_t bytes)
{
	if (bytes < 1024)
		return pd_arena_printf(r->arena, "%lld B", (long long)bytes);
	if (bytes < 1024 * 1024)
		return pd_arena_printf(r->arena, "%lld KB", (long long)((bytes + 1023) / 1024));
	return pd_arena_printf(r->arena, "%lld.%lld MB", (long long)(bytes / (1024 * 1024)),
	                       (long long)(bytes % (1024 * 1024) * 10 / (1024 * 1024)));
}

json_t *pd_kantor_due_json(struct pd_req *r, const struct pd_calendar *cal, int64_t now,
                           const struct pd_application *app)
{
	json_t *o = json_object();
	if (!app->due_ms)
		return o;
	int32_t due_day = pd_calendar_day_of(cal, app->due_ms);
	int y, m, d;
	pd_civil_from_day(due_day, &y, &m, &d);
	json_object_set_new(o, "date", json_string(pd_arena_printf(r->arena, "%04d-%02d-%02d", y, m, d)));
	if (pd_app_status_final(app->status))
		return o;
	if (app->status == PD_APP_RETURNED) {
		json_object_set_new(o, "paused", json_true());
		return o;
	}
	int32_t today = pd_calendar_day_of(cal, now);
	if (app->overdue || app->due_ms < now) {
		json_object_set_new(o, "overdue", json_true());
		json_object_set_new(o, "late_days",
		                    json_integer(pd_calendar_working_days_between(cal, due_day, today)));
	} else if (due_day == today) {
		json_object_set_new(o, "last_day", json_true());
	} else {
		json_object_set_new(o, "days_left",
		                    json_integer(pd_calendar_working_days_between(cal, today, due_day)));
	}
	if (app->overdue)
		json_object_set_new(o, "flagged", json_true());
	return o;
}
