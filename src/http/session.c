/* The session step of every request: reads the session cookie, resolves it into the actor
 * with its grants, binds the CSRF secret to the session, refreshes last_seen at most once a
 * minute without waiting, and answers "sign-in needed" for routes that require it. */
#include "http/session.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "domain/account.h"
#include "http/app.h"
#include "http/cookie.h"
#include "http/internal.h"
#include "http/routes.h"

const char *pd_http_session_cookie_name(const struct pd_req *r)
{
	return r->https ? "__Host-pd_session" : "pd_session";
}

static unsigned cookie_flags(const struct pd_req *r)
{
	return PD_COOKIE_HTTPONLY | PD_COOKIE_SAMESITE_LAX | PD_COOKIE_PATH_ROOT |
	       (r->https ? PD_COOKIE_SECURE : 0);
}

void pd_http_session_cookie_set(struct pd_req *r, const char *token)
{
	const char *c = pd_cookie_format(r->arena, pd_http_session_cookie_name(r), token,
	                                 PD_SESSION_ABSOLUTE_MS / 1000, cookie_flags(r));
	if (c)
		pd_reply_header(r, "Set-Cookie", c);
}

void pd_http_session_cookie_clear(struct pd_req *r)
{
	const char *c = pd_cookie_format(r->arena, pd_http_session_cookie_name(r), "x", 0,
	                                 cookie_flags(r));
	if (c)
		pd_reply_header(r, "Set-Cookie", c);
}

const char *pd_http_base_url(struct pd_req *r)
{
	const char *pub = r->app->cfg->public_url;
	if (pub && *pub) {
		size_t n = strlen(pub);
		while (n > 0 && pub[n - 1] == '/')
			n--;
		return pd_arena_strndup(r->arena, pub, n);
	}
	return pd_arena_printf(r->arena, "http://%s", r->app->cfg->listen);
}

struct touch_job {
	char token[PD_SESSION_TOKEN_LEN + 1];
	int64_t seen_ms; /* when the request came, not when the write runs */
};

static int touch_tx(struct pd_tx *tx, void *p)
{
	struct touch_job *j = p;
	return pd_session_touch(tx, j->token, j->seen_ms);
}

static void touch_done(void *p, int rc)
{
	(void)rc;
	free(p);
}

void pd_http_prepare_session(struct pd_req *r)
{
	/* Only pages use the session cookie: /api/, /open311/ and the rest authenticate by key,
	 * so a cookie can never make a cross-site request to them count as signed in. */
	const struct pd_conn_state *cs = r->priv;
	if (cs->iface != PD_IF_HTML)
		return;
	const char *token = pd_kv_get(&r->cookies, pd_http_session_cookie_name(r));
	if (!token)
		return;
	struct pd_actor *actor = NULL;
	const char *csrf = NULL;
	bool touch = false;
	int rc = pd_session_resolve(r->store, r->app->keys, token, r->arena, &actor, &csrf, &touch);
	if (rc) {
		if (rc != PD_ERR_NOT_FOUND)
			pd_log(PD_LOG_ERROR, "session_resolve_failed", "rid=%s err=\"%s\"", r->request_id,
			       pd_strerror(rc));
		else
			pd_http_session_cookie_clear(r); /* expired or ended: forget it */
		return;
	}
	r->actor = actor;
	r->session_token = token;
	/* Forms are bound to the session: their tokens are masked from its own secret. */
	r->csrf_secret = csrf;
	r->set_csrf_cookie = false;
	pd_http_prepare_lang(r);
	if (touch && strlen(token) == PD_SESSION_TOKEN_LEN) {
		/* last_seen at most once a minute, without making the request wait for it. */
		struct touch_job *j = pd_xmalloc(sizeof *j);
		memcpy(j->token, token, PD_SESSION_TOKEN_LEN + 1);
		j->seen_ms = pd_clock_now_ms();
		if (pd_store_write_async(r->store, touch_tx, j, touch_done))
			free(j);
	}
}

bool pd_http_auth_or_reply(struct pd_req *r)
{
	if (!r->route || !(r->route->flags & PD_RF_AUTH) || r->actor)
		return true;
	struct pd_conn_state *cs = r->priv;
	if (cs->iface != PD_IF_HTML) {
		pd_reply_error(r, PD_E_UNAUTHORIZED, NULL);
		return false;
	}
	/* Back to the same page after signing in; only a relative path is ever offered. */
	const char *next = strcmp(r->method, "GET") == 0 && cs->raw_uri && cs->raw_uri[0] == '/'
	                           ? cs->raw_uri
	                           : r->path;
	pd_reply_redirect(r, 303, pd_arena_printf(r->arena, "/masuk?next=%s",
	                                          pd_url_encode(r->arena, next)));
	return false;
}
