/* Sessions at the HTTP edge, for page handlers: setting and clearing the session cookie
 * (HttpOnly; SameSite=Lax; Path=/; Secure and the __Host- prefix behind HTTPS). */
#ifndef PD_HTTP_SESSION_H
#define PD_HTTP_SESSION_H

#include "http/http.h"

/* The session cookie's name for this request: "__Host-pd_session" over HTTPS, else
 * "pd_session". Static. */
const char *pd_http_session_cookie_name(const struct pd_req *r);

/* Queues a Set-Cookie header carrying token (a new session, 12 hours at most). */
void pd_http_session_cookie_set(struct pd_req *r, const char *token);

/* Queues a Set-Cookie header that deletes the session cookie. */
void pd_http_session_cookie_clear(struct pd_req *r);

/* The absolute base URL for links in mail: --public-url without a trailing slash, else
 * http://<listen address>. Arena-owned. */
const char *pd_http_base_url(struct pd_req *r);

#endif
