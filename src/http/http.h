/* The HTTP layer's interface for page and API handlers: the per-request context, the reply
 * helpers (exactly one reply per request) and deferred durable writes. */
#ifndef PD_HTTP_HTTP_H
#define PD_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "http/form.h"
#include "store/store.h"

struct pd_app;
struct pd_req;
struct pd_route;
struct pd_actor;

/* Kinds of interface; they decide the error format and the checks (DESIGN §5). */
enum pd_iface { PD_IF_HTML, PD_IF_API, PD_IF_OPEN311, PD_IF_CKAN, PD_IF_OPS, PD_IF_STATIC };

typedef void (*pd_handler)(struct pd_req *r);

/* Stable, user-visible error codes; the HTTP status derives from the code. */
enum pd_ecode {
	PD_E_BAD_REQUEST,        /* 400 */
	PD_E_UNAUTHORIZED,       /* 401 */
	PD_E_CSRF,               /* 403 */
	PD_E_FORBIDDEN,          /* 403 */
	PD_E_NOT_FOUND,          /* 404 */
	PD_E_METHOD,             /* 405 */
	PD_E_CONFLICT,           /* 409 */
	PD_E_TOO_LARGE,          /* 413 */
	PD_E_UNSUPPORTED_TYPE,   /* 415 */
	PD_E_INVALID,            /* 422 */
	PD_E_RATE_LIMITED,       /* 429 */
	PD_E_INTERNAL,           /* 500 */
	PD_E_UNAVAILABLE,        /* 503 */
	PD_E__MAX
};

/* An uploaded file, streamed to a temporary file while the body arrived. */
struct pd_upload {
	const char *field;
	const char *filename;     /* as sent; never trusted */
	const char *sniffed_type; /* from the bytes */
	const char *path;         /* temporary file, removed when the request ends */
	size_t size;
	struct pd_upload *next;
};

struct pd_req {
	struct pd_app *app;
	struct pd_arena *arena;        /* freed when the request completes */
	const struct pd_route *route;
	const char *method;
	const char *path;              /* decoded path, without the query */
	const char *params[4];         /* path parameters in order of the pattern */
	const char *request_id;
	const char *client_ip;
	bool https;
	struct pd_kvlist query;
	struct pd_kvlist form;         /* urlencoded or multipart text fields */
	struct pd_upload *uploads;
	json_t *json;                  /* parsed JSON body (arena-deferred), or NULL */
	struct pd_kvlist cookies;
	const char *lang;              /* "id" or "en" */
	const char *csrf_secret;       /* base64url secret the page tokens are masked from */
	bool set_csrf_cookie;
	/* csrf.c: csrf_secret decoded, for the csrf_secret it was decoded from (or NULL). */
	const char *csrf_raw_of;
	unsigned char csrf_raw[32];
	struct pd_actor *actor;        /* the signed-in account (arena-owned), or NULL */
	const char *session_token;     /* the session cookie's token when actor is set */
	struct pd_store *store;
	void *conn;                    /* the server's connection (opaque here) */
	void *priv;                    /* the server's own state */
	/* Deferred work: set by pd_req_write; `then` runs when the write has committed. */
	void (*then)(struct pd_req *r, int rc);
	int write_rc;
	void *user;                    /* handler state kept across the deferral */
};

/* Header of the request (case-insensitive name), or NULL. Borrowed for the request. */
const char *pd_req_header(struct pd_req *r, const char *name);

/* A form or query value, or NULL. */
const char *pd_req_form(struct pd_req *r, const char *key);
const char *pd_req_query(struct pd_req *r, const char *key);

/* Queues fn as a durable write and suspends the connection; then(r, rc) is called on a pool
 * thread once it has committed (rc PD_OK) or failed, and must queue the reply. */
void pd_req_write(struct pd_req *r, pd_tx_fn fn, void *arg, void (*then)(struct pd_req *r, int rc));

/* Runs fn(arg) on the worker pool for slow CPU-bound work (password hashing) with the
 * connection suspended; then(r, fn's result) is called on a pool thread and must reply. */
void pd_req_offload(struct pd_req *r, int (*fn)(void *arg), void *arg,
                    void (*then)(struct pd_req *r, int rc));

/* --- replies (exactly one per request) ----------------------------------------------------- */

/* Renders template `tpl` with ctx inside the layout (ctx gains lang, site_name, csrf, …).
 * Steals the reference to ctx. */
void pd_reply_page(struct pd_req *r, int status, const char *tpl, const char *title, json_t *ctx);

/* The same with a title that is data (a unit's name), not a msgid to translate. */
void pd_reply_page_titled(struct pd_req *r, int status, const char *tpl, const char *title,
                          json_t *ctx);

/* The request path, percent-encoded for use in a link; "/" when it could leave the site. */
const char *pd_http_safe_path(struct pd_req *r);

/* JSON answer; steals the reference to body. */
void pd_reply_json(struct pd_req *r, int status, json_t *body);

/* A body the handler built; takes the bytes (copied). */
void pd_reply_bytes(struct pd_req *r, int status, const char *content_type, const void *body,
                    size_t len);

/* 303 See Other (or another 3xx) to a relative location. */
void pd_reply_redirect(struct pd_req *r, int status, const char *location);

/* An error in the format of the route's interface: an HTML page saying what to fix, the JSON
 * envelope of /api/v1, Open311's list, or CKAN's envelope. message may be NULL (the code's
 * default). */
void pd_reply_error(struct pd_req *r, enum pd_ecode code, const char *message);

/* Adds a response header (copied). */
void pd_reply_header(struct pd_req *r, const char *name, const char *value);

/* HTTP status of an error code. */
int pd_ecode_status(enum pd_ecode code);

/* Masked CSRF token for this response (a new mask every call). Arena-owned. */
const char *pd_req_csrf_token(struct pd_req *r);

/* Translation for the request's language. */
const char *pd_req_t(struct pd_req *r, const char *msgid);

#endif
