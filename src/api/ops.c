/* Operators' endpoints: /healthz and /metrics (loopback or a bearer token only). */
#include <string.h>

#include "core/str.h"
#include "domain/unit.h"
#include "http/app.h"
#include "http/metrics.h"
#include "api/api.h"

void pd_api_healthz(struct pd_req *r)
{
	struct pd_app *app = r->app;
	int version = 0;
	int rc = pd_store_schema_version(r->store, &version);
	bool draining = atomic_load(&app->draining);
	const char *status = draining ? "draining" : rc ? "error" : "ok";
	json_t *body = json_pack("{s:s,s:s,s:i}", "status", status, "backend",
	                         pd_store_backend(r->store), "schema_version", version);
	pd_reply_json(r, draining || rc ? 503 : 200, body);
}

static bool loopback(const char *ip)
{
	return pd_str_starts(ip, "127.") || strcmp(ip, "::1") == 0 ||
	       pd_str_starts(ip, "::ffff:127.");
}

void pd_api_metrics(struct pd_req *r)
{
	struct pd_app *app = r->app;
	const char *token = app->cfg->metrics_token;
	bool ok = false;
	if (token && *token) {
		const char *auth = pd_req_header(r, "Authorization");
		size_t n = strlen(token);
		ok = auth && pd_str_starts(auth, "Bearer ") && strlen(auth + 7) == n &&
		     pd_mem_eq_ct(auth + 7, token, n);
	}
	/* Behind a trusted proxy the client address is the forwarded one, so a proxied request
	 * from outside never counts as loopback. */
	if (!ok && loopback(r->client_ip) && !pd_req_header(r, "X-Forwarded-For"))
		ok = true;
	if (!ok) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	struct pd_buf b;
	pd_buf_init(&b, 8 * 1024 * 1024);
	pd_metrics_render(app->metrics, app, &b);
	pd_reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
}
