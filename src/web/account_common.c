/* Helpers shared by the identity pages: trimmed form fields, field errors for templates, the
 * relative `next` after sign-in and error replies from domain codes. */
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "http/app.h"
#include "web/account_internal.h"

const char *pd_web_field(struct pd_req *r, const char *name)
{
	const char *v = pd_req_form(r, name);
	if (!v)
		return "";
	while (*v == ' ' || *v == '\t')
		v++;
	size_t n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	return pd_arena_strndup(r->arena, v, n);
}

json_t *pd_web_errors_json(struct pd_req *r, const struct pd_field_errors *e)
{
	json_t *o = json_object();
	for (int i = 0; i < e->n; i++)
		json_object_set_new(o, e->field[i], json_string(pd_req_t(r, e->msg[i])));
	return o;
}

const char *pd_web_safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 2000)
		return "/akun";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x21 || *p == 0x7f || *p == '\\')
			return "/akun";
	return next;
}

void pd_web_reply_rc(struct pd_req *r, int rc)
{
	switch (rc) {
	case PD_ERR_NOT_FOUND:
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	case PD_ERR_FORBIDDEN:
		pd_reply_error(r, PD_E_FORBIDDEN, NULL);
		return;
	case PD_ERR_CONFLICT:
		pd_reply_error(r, PD_E_CONFLICT, NULL);
		return;
	case PD_ERR_UNAVAILABLE:
	case PD_ERR_BUSY:
		pd_reply_error(r, PD_E_UNAVAILABLE, NULL);
		return;
	default:
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
}

int pd_web_load_own(struct pd_req *r, struct pd_account *out)
{
	return pd_account_view_own(r->store, r->app->keys, r->actor, r->arena, out);
}
