/* POST /sms/v1/inbound: the SMS gateway's shared secret, the gateway's fields, the per-sender
 * rate limit, and the durable handling of one message (domain/sms.h). */
#include "api/sms.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/sms.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/ratelimit.h"
#include "http/routes.h"

static void reply_text(struct pd_req *r, int status, const char *text)
{
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_reply_bytes(r, status, "text/plain; charset=utf-8", text, strlen(text));
}

/* The Bearer credential equals the configured secret: both hashed, then compared in constant
 * time, so neither the length nor a common prefix shows in the timing. */
static bool secret_ok(struct pd_req *r, const char *secret)
{
	const char *auth = pd_req_header(r, "Authorization");
	if (!auth || strlen(auth) < 7 || strncasecmp(auth, "Bearer ", 7) != 0)
		return false;
	const char *given = auth + 7;
	while (*given == ' ')
		given++;
	unsigned char h1[32], h2[32];
	crypto_generichash(h1, sizeof h1, (const unsigned char *)given, strlen(given), NULL, 0);
	crypto_generichash(h2, sizeof h2, (const unsigned char *)secret, strlen(secret), NULL, 0);
	return sodium_memcmp(h1, h2, sizeof h1) == 0;
}

/* A field of the form, or of a JSON body (strings; an id may also be a number). */
static const char *field(struct pd_req *r, const char *key)
{
	const char *v = pd_req_form(r, key);
	if (v || !r->json || !json_is_object(r->json))
		return v;
	json_t *j = json_object_get(r->json, key);
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j))
		return pd_arena_printf(r->arena, "%lld", (long long)json_integer_value(j));
	return NULL;
}

/* The sender's budget (its blind index), taken for new messages only (pd_sms_commit calls it
 * once the id is claimed), beside the route's limit per client address, which the gateway's
 * one address would soon exhaust. */
static bool admit(void *ctx, const char *sender_key)
{
	struct pd_req *r = ctx;
	int retry_after = 0;
	return pd_ratelimit_take(r->app->rl, sender_key, pd_route_index(r->route), PD_SMS_PER_MIN,
	                         &retry_after);
}

static void inbound_done(struct pd_req *r, int rc)
{
	struct pd_sms_job *j = r->user;
	if (rc && j->busy) {
		reply_text(r, 200, j->answer);
		return;
	}
	if (rc) {
		pd_log(PD_LOG_ERROR, "sms_inbound_failed", "rid=%s err=\"%s\"", r->request_id,
		       pd_strerror(rc));
		reply_text(r, 503, "not stored: deliver the message again later\n");
		return;
	}
	if (j->filed)
		pd_log(PD_LOG_INFO, "sms_report_filed", "rid=%s complaint=%s", r->request_id,
		       j->complaint_id);
	reply_text(r, 200, j->answer);
}

void pd_api_sms_inbound(struct pd_req *r)
{
	const char *secret = r->app->cfg->sms_secret;
	if (!secret || !*secret) {
		reply_text(r, 404, "not found\n");
		return;
	}
	if (!secret_ok(r, secret)) {
		pd_reply_header(r, "WWW-Authenticate", "Bearer realm=\"sms\"");
		reply_text(r, 401, "wrong or missing shared secret\n");
		return;
	}
	struct pd_sms_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	j->ks = r->app->keys;
	j->cal = pd_http_calendar(r);
	const char *lang = field(r, "lang");
	j->lang = lang && pd_i18n_canonical(lang) ? pd_i18n_canonical(lang) : PD_I18N_DEFAULT;
	j->tz_offset_min = r->app->cfg->tz_offset_min;
	j->gateway_id = field(r, "id");
	j->from = field(r, "from");
	j->text = field(r, "text");
	const char *bad = NULL;
	int rc = pd_sms_prepare(r->store, j, r->arena, &bad);
	if (rc == PD_ERR_INVALID) {
		reply_text(r, 400, pd_arena_printf(r->arena, "missing or malformed field: %s\n", bad));
		return;
	}
	if (rc) {
		pd_log(PD_LOG_ERROR, "sms_inbound_failed", "rid=%s err=\"%s\"", r->request_id,
		       pd_strerror(rc));
		reply_text(r, 503, "not stored: deliver the message again later\n");
		return;
	}
	if (j->repeated) {
		reply_text(r, 200, j->answer);
		return;
	}
	j->admit = admit;
	j->admit_ctx = r;
	r->user = j;
	pd_req_write(r, pd_sms_commit, j, inbound_done);
}
