/* libmicrohttpd glue: one access handler that receives and checks the request in the order of
 * DESIGN §5, dispatches through the route table, suspends for durable writes, and queues
 * exactly one response with the security headers. */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/random.h"
#include "core/sniff.h"
#include "domain/authz.h"
#include "domain/calendar.h"
#include "domain/keys.h"
#include "core/str.h"
#include "http/app.h"
#include "http/cookie.h"
#include "http/internal.h"
#include "http/metrics.h"
#include "http/multipart.h"
#include "http/ratelimit.h"
#include "http/routes.h"

#define MAX_CONNECTIONS 4096
#define MAX_PER_IP 128
/* libmicrohttpd clears a connection's whole memory pool between two requests of a keep-alive
 * connection: 128 KiB made that memset ~9% of a cached answer (issue #8); 64 KiB still holds
 * the largest header block a browser sends (a 7 KB cookie and 20 KB of other headers). */
#define CONNECTION_MEMORY (64 * 1024)
/* Past max_request a body is still read, to answer 413 at its end; this much more, and the
 * connection is closed instead, or a client could stream to us for ever. */
#define OVERRUN_GRACE ((size_t)1024 * 1024)

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* --- receiving the body ----------------------------------------------------------------------- */


static int mp_begin(void *ud, const struct pd_multipart_part *part)
{
	struct mp_state *m = ud;
	struct pd_req *r = &m->cs->req;
	if (part->filename) {
		struct pd_upload *u = pd_arena_alloc(r->arena, sizeof *u);
		u->field = pd_arena_strdup(r->arena, part->name);
		u->filename = pd_arena_strdup(r->arena, part->filename);
		char *path = pd_arena_printf(r->arena, "%s/tmp/upload-XXXXXX", r->app->cfg->data);
		m->fd = mkostemp(path, O_CLOEXEC);
		if (m->fd < 0) {
			pd_log(PD_LOG_ERROR, "upload_tmp_failed", "errno=%d", errno);
			return PD_ERR_IO;
		}
		u->path = path;
		u->next = r->uploads;
		r->uploads = u;
		m->cur = u;
		m->head_len = 0;
	} else {
		m->cur = NULL;
		m->field_name = pd_arena_strdup(r->arena, part->name);
		pd_buf_reset(&m->field);
	}
	return PD_OK;
}

static int mp_data(void *ud, const char *data, size_t len)
{
	struct mp_state *m = ud;
	if (m->cur) {
		if (m->head_len < sizeof m->head) {
			size_t k = sizeof m->head - m->head_len;
			if (k > len)
				k = len;
			memcpy(m->head + m->head_len, data, k);
			m->head_len += k;
		}
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(m->fd, data + off, len - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				return PD_ERR_IO;
			}
			off += (size_t)w;
		}
		m->cur->size += len;
		return PD_OK;
	}
	return pd_buf_append(&m->field, data, len);
}

static int mp_end(void *ud)
{
	struct mp_state *m = ud;
	struct pd_req *r = &m->cs->req;
	if (m->cur) {
		close(m->fd);
		m->fd = -1;
		m->cur->sniffed_type = pd_sniff_mime(m->head, m->head_len);
		m->cur = NULL;
		return PD_OK;
	}
	if (!pd_utf8_valid(m->field.data ? m->field.data : "", m->field.len))
		return PD_ERR_INVALID;
	if (m->n_fields == m->cap_fields) {
		size_t ncap = m->cap_fields ? m->cap_fields * 2 : 16;
		struct pd_kv *items = pd_arena_alloc(r->arena, ncap * sizeof *items);
		if (m->n_fields)
			memcpy(items, r->form.items, m->n_fields * sizeof *items);
		r->form.items = items;
		m->cap_fields = ncap;
	}
	/* The text fields together are a form: max-body bounds them all, as it bounds an urlencoded
	 * body, not each one (100 fields of 1 MiB each were 100 MiB of arena per request). */
	size_t total = m->field.len;
	for (size_t i = 0; i < m->n_fields; i++)
		total += r->form.items[i].val_len;
	if (total > (size_t)r->app->cfg->max_body)
		return PD_ERR_TOO_LARGE;
	struct pd_kv *kv = &r->form.items[m->n_fields++];
	kv->key = m->field_name;
	kv->val = pd_arena_strndup(r->arena, pd_buf_cstr(&m->field), m->field.len);
	kv->val_len = m->field.len;
	r->form.n = m->n_fields;
	return PD_OK;
}

static const struct pd_multipart_callbacks mp_callbacks = {mp_begin, mp_data, mp_end};

static void mp_cleanup(void *p)
{
	struct mp_state *m = p;
	if (m->fd >= 0)
		close(m->fd);
	pd_buf_free(&m->field);
}

static void remove_uploads(void *p)
{
	struct pd_req *r = p;
	for (struct pd_upload *u = r->uploads; u; u = u->next)
		if (u->path)
			unlink(u->path);
}

static void set_early(struct pd_conn_state *cs, enum pd_ecode code, const char *msg)
{
	/* The first problem found wins, except that a size problem outranks a malformed one. */
	if (cs->early && !(code == PD_E_TOO_LARGE && cs->early_code != PD_E_TOO_LARGE))
		return;
	cs->early = true;
	cs->early_code = code;
	cs->early_msg = msg;
}

static void receive(struct pd_conn_state *cs, const char *data, size_t len)
{
	const struct pd_config *cfg = cs->req.app->cfg;
	cs->received += len;
	if (cs->received > (size_t)cfg->max_request) {
		set_early(cs, PD_E_TOO_LARGE, NULL);
		return;
	}
	if (cs->early)
		return;
	if (cs->body_kind == BODY_MULTIPART) {
		int rc = pd_multipart_feed(cs->mp, data, len);
		if (rc == PD_ERR_TOO_LARGE)
			set_early(cs, PD_E_TOO_LARGE, NULL);
		else if (rc)
			set_early(cs, PD_E_BAD_REQUEST, N_("Data formulir multipart rusak."));
		return;
	}
	if (cs->body_kind == BODY_NONE) {
		set_early(cs, PD_E_UNSUPPORTED_TYPE, NULL);
		return;
	}
	if (pd_buf_append(&cs->body, data, len))
		set_early(cs, PD_E_TOO_LARGE, NULL);
}

static void finish_body(struct pd_conn_state *cs)
{
	struct pd_req *r = &cs->req;
	if (cs->early)
		return;
	if (cs->body_kind == BODY_MULTIPART) {
		int rc = pd_multipart_finish(cs->mp);
		if (rc == PD_ERR_TOO_LARGE)
			set_early(cs, PD_E_TOO_LARGE, NULL);
		else if (rc)
			set_early(cs, PD_E_BAD_REQUEST, N_("Data formulir multipart rusak."));
		return;
	}
	if (cs->body_kind == BODY_FORM) {
		struct pd_kv_limits lim = {PD_FORM_DEFAULT_MAX_FIELDS, (size_t)r->app->cfg->max_body};
		int rc = pd_form_parse(r->arena, pd_buf_cstr(&cs->body), cs->body.len, &lim, &r->form);
		if (rc == PD_ERR_TOO_LARGE)
			set_early(cs, PD_E_TOO_LARGE, NULL);
		else if (rc)
			set_early(cs, PD_E_BAD_REQUEST,
			          N_("Data formulir rusak: pengodean persen atau UTF-8 tidak sah."));
		return;
	}
	if (cs->body_kind == BODY_JSON && cs->body.len) {
		json_error_t jerr;
		json_t *j = json_loadb(pd_buf_cstr(&cs->body), cs->body.len, JSON_REJECT_DUPLICATES, &jerr);
		if (!j) {
			set_early(cs, PD_E_BAD_REQUEST,
			          pd_arena_printf(r->arena, "malformed JSON at line %d column %d: %s",
			                          jerr.line, jerr.column, jerr.text));
			return;
		}
		pd_arena_defer(r->arena, (void (*)(void *))json_decref, j);
		r->json = j;
	}
}

/* --- the first call: the request line and headers --------------------------------------------- */

static enum pd_iface iface_of_path(const char *path)
{
	if (pd_str_starts(path, "/api/3/") || pd_str_starts(path, "/api/action/"))
		return PD_IF_CKAN;
	if (pd_str_starts(path, "/api/"))
		return PD_IF_API;
	if (pd_str_starts(path, "/open311/"))
		return PD_IF_OPEN311;
	return PD_IF_HTML;
}

/* Decodes a %-escaped path; refuses %00, bad escapes and invalid UTF-8. */
static char *decode_path(struct pd_arena *a, const char *raw, size_t n)
{
	char *out = pd_arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char c = raw[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = raw[i + 1], lo = raw[i + 2];
			hi = hi >= '0' && hi <= '9' ? hi - '0' : (hi | 32) >= 'a' && (hi | 32) <= 'f' ? (hi | 32) - 'a' + 10 : -1;
			lo = lo >= '0' && lo <= '9' ? lo - '0' : (lo | 32) >= 'a' && (lo | 32) <= 'f' ? (lo | 32) - 'a' + 10 : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			out[k++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[k++] = c;
		}
	}
	out[k] = '\0';
	return pd_utf8_valid(out, k) ? out : NULL;
}

struct cl_check {
	const char *first;
	bool conflict;
};

static enum MHD_Result cl_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	(void)kind;
	struct cl_check *c = cls;
	if (!pd_str_ieq(key, "Content-Length"))
		return MHD_YES;
	if (!c->first)
		c->first = value ? value : "";
	else if (strcmp(c->first, value ? value : "") != 0)
		c->conflict = true;
	return MHD_YES;
}

/* Called by libmicrohttpd with the raw request URI before the access handler: creates the
 * request's state, so the query string is parsed by our strict parser, not leniently. */
/* A connection's own record: the request state uri_logger made and `completed` has not freed.
 * libmicrohttpd drops a request that outgrows the connection's memory while it reads the
 * headers without calling `completed` (its access handler never ran); the connection's close
 * frees the state then. */
struct conn_slot {
	struct pd_conn_state *pending;
};

static struct conn_slot *slot_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)conn;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_context = pd_xcalloc(1, sizeof(struct conn_slot));
		return;
	}
	struct conn_slot *slot = *socket_context;
	if (!slot)
		return;
	if (slot->pending)
		pd_arena_free(slot->pending->req.arena);
	free(slot);
	*socket_context = NULL;
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	struct pd_arena *a = pd_arena_new();
	struct pd_conn_state *cs = pd_arena_alloc(a, sizeof *cs);
	cs->req.arena = a;
	cs->raw_uri = pd_arena_strdup(a, uri ? uri : "");
	struct conn_slot *slot = slot_of(conn);
	if (slot)
		slot->pending = cs;
	return cs;
}

static void begin(struct pd_app *app, struct pd_conn_state *cs, struct MHD_Connection *conn,
                  const char *method)
{
	struct pd_req *r = &cs->req;
	struct pd_arena *a = r->arena;
	cs->begun = true;
	r->app = app;
	r->conn = conn;
	r->priv = cs;
	r->store = app->store;
	r->method = pd_arena_strdup(a, method);
	cs->t0 = pd_clock_mono_ms();
	cs->mp_state.fd = -1;
	pd_buf_init(&cs->body, (size_t)app->cfg->max_body);
	pd_arena_defer(a, (void (*)(void *))pd_buf_free, &cs->body);
	pd_arena_defer(a, remove_uploads, r);
	unsigned char rid[6];
	pd_random_buf(rid, sizeof rid);
	char hex[13];
	sodium_bin2hex(hex, sizeof hex, rid, sizeof rid);
	r->request_id = pd_arena_strdup(a, hex);
	r->client_ip = pd_http_client_ip(app, conn, a, &r->https);
	if (app->cfg->public_url && pd_str_starts(app->cfg->public_url, "https://"))
		r->https = true;

	const char *q = strchr(cs->raw_uri, '?');
	size_t plen = q ? (size_t)(q - cs->raw_uri) : strlen(cs->raw_uri);
	r->path = decode_path(a, cs->raw_uri, plen);
	bool bad_path = !r->path || r->path[0] != '/';
	if (bad_path) {
		set_early(cs, PD_E_BAD_REQUEST, N_("Alamat halaman tidak sah."));
		r->path = "/";
	}
	if (q) {
		int qrc = pd_form_parse_query(a, q + 1, NULL, &r->query);
		if (qrc == PD_ERR_TOO_LARGE)
			set_early(cs, PD_E_TOO_LARGE, NULL);
		else if (qrc)
			set_early(cs, PD_E_BAD_REQUEST, N_("Parameter alamat tidak sah: pengodean persen atau UTF-8 rusak."));
	}

	const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
	if (cookie) {
		struct pd_kv_limits lim = {PD_COOKIE_DEFAULT_MAX_COUNT, PD_COOKIE_DEFAULT_MAX_SIZE};
		int rc = pd_cookie_parse(a, cookie, &lim, &r->cookies);
		if (rc) {
			/* A broken cookie header must not lock anyone out: ignore it, say so once. */
			pd_log(PD_LOG_INFO, "cookie_ignored", "rid=%s err=\"%s\"", r->request_id,
			       pd_strerror(rc));
			r->cookies.n = 0;
		}
	}

	const struct pd_route *path_route = NULL;
	r->route = bad_path ? NULL
	                    : pd_route_match(a, method, r->path, r->params, &path_route, cs->allow,
	                                     sizeof cs->allow);
	if (r->route)
		cs->iface = r->route->iface;
	else if (path_route)
		cs->iface = path_route->iface;
	else
		cs->iface = iface_of_path(bad_path ? cs->raw_uri : r->path);
	if (!r->route)
		cs->not_found = path_route ? 405 : 404;

	/* RFC 9112 §6.3: differing Content-Length headers are how request smuggling starts. */
	struct cl_check clc = {NULL, false};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, cl_iter, &clc);
	if (clc.conflict)
		set_early(cs, PD_E_BAD_REQUEST, N_("Content-Length ganda yang berbeda."));

	/* Size first: a declared length beyond the limit is refused before any byte is read. */
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	int64_t declared = 0;
	if (cl && pd_parse_i64(cl, 0, INT64_MAX, &declared))
		set_early(cs, PD_E_BAD_REQUEST, N_("Content-Length tidak sah."));
	if (declared > app->cfg->max_request)
		set_early(cs, PD_E_TOO_LARGE, NULL);

	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	cs->body_kind = BODY_NONE;
	unsigned flags = r->route ? r->route->flags : 0;
	if (ct && pd_str_starts(ct, "application/x-www-form-urlencoded")) {
		cs->body_kind = BODY_FORM;
	} else if (ct && pd_str_starts(ct, "multipart/form-data")) {
		char boundary[PD_MULTIPART_BOUNDARY_MAX + 1];
		if (!(flags & PD_RF_MULTIPART)) {
			cs->body_kind = BODY_DISCARD;
		} else if (pd_multipart_boundary(ct, boundary)) {
			set_early(cs, PD_E_BAD_REQUEST, N_("Batas (boundary) multipart tidak ada."));
		} else {
			struct pd_multipart_limits lim = {
				PD_MULTIPART_DEFAULT_MAX_PARTS, PD_MULTIPART_DEFAULT_MAX_HEADER,
				(size_t)app->cfg->max_file, (size_t)app->cfg->max_request};
			cs->mp_state.cs = cs;
			pd_buf_init(&cs->mp_state.field, (size_t)app->cfg->max_body);
			pd_arena_defer(a, mp_cleanup, &cs->mp_state);
			char *tmpdir = pd_arena_printf(a, "%s/tmp", app->cfg->data);
			mkdir(tmpdir, 0700);
			cs->mp = pd_multipart_new(boundary, &lim, &mp_callbacks, &cs->mp_state);
			pd_arena_defer(a, (void (*)(void *))pd_multipart_free, cs->mp);
			cs->body_kind = BODY_MULTIPART;
		}
	} else if (ct && (pd_str_starts(ct, "application/json") || pd_str_ends(ct, "+json"))) {
		cs->body_kind = BODY_JSON;
	} else if (!ct || !*ct) {
		cs->body_kind = declared > 0 ? BODY_FORM : BODY_NONE;
	} else {
		cs->body_kind = BODY_DISCARD;
	}
	if (cs->body_kind == BODY_DISCARD) {
		/* Read and drop; the route decides whether that is an error. */
		cs->unsupported = true;
		cs->body_kind = BODY_FORM;
	}
}

/* --- dispatch --------------------------------------------------------------------------------- */

static bool is_unsafe(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

static void dispatch(struct pd_conn_state *cs)
{
	struct pd_req *r = &cs->req;
	struct pd_app *app = r->app;
	const struct pd_route *rt = r->route;

	if (cs->early) {
		pd_reply_error(r, cs->early_code, cs->early_msg);
		return;
	}
	pd_http_prepare_lang(r);
	if (cs->iface == PD_IF_HTML)
		pd_http_prepare_csrf(r);
	pd_http_prepare_session(r);

	/* CSRF for HTML forms (403) comes before the rate limit and before routing. */
	if (cs->iface == PD_IF_HTML && is_unsafe(r->method) && !(rt && (rt->flags & PD_RF_NO_CSRF)) &&
	    !pd_http_csrf_ok(r)) {
		pd_reply_error(r, PD_E_CSRF, NULL);
		return;
	}
	int per_min = rt && rt->per_min ? rt->per_min : app->cfg->rate_limit;
	int retry_after = 0;
	/* Signed in: counted per account, so citizens behind one carrier-grade NAT address do
	 * not share a budget; otherwise per client address. */
	const char *who = r->client_ip;
	if (r->actor && r->actor->account_id)
		who = pd_arena_printf(r->arena, "account:%s", r->actor->account_id);
	if (!pd_ratelimit_exempt(app->cfg->rate_limit_exempt, r->client_ip) &&
	    !pd_ratelimit_take(app->rl, who, rt ? pd_route_index(rt) : 9999, per_min,
	                       &retry_after)) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", retry_after > 0 ? retry_after : 1);
		pd_reply_header(r, "Retry-After", ra);
		pd_reply_error(r, PD_E_RATE_LIMITED, NULL);
		return;
	}
	if (!rt) {
		if (cs->not_found == 405)
			pd_reply_header(r, "Allow", cs->allow);
		pd_reply_error(r, cs->not_found == 405 ? PD_E_METHOD : PD_E_NOT_FOUND, NULL);
		return;
	}
	if (!pd_http_auth_or_reply(r))
		return;
	if (cs->unsupported && cs->received > 0) {
		pd_reply_error(r, PD_E_UNSUPPORTED_TYPE, NULL);
		return;
	}
	if (cs->iface == PD_IF_HTML && strcmp(r->method, "GET") == 0 && pd_http_lang_redirect(r))
		return;
	if (pd_http_cache_lookup(cs))
		return; /* a public answer of the current generation */
	rt->handler(r);
	if (!cs->replied && !cs->deferred) {
		PD_BUG("handler returned without a reply");
		pd_reply_error(r, PD_E_INTERNAL, NULL);
	}
}

/* --- libmicrohttpd callbacks ------------------------------------------------------------------ */

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *conn, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **req_cls)
{
	(void)version;
	struct pd_app *app = cls;
	struct pd_conn_state *cs = *req_cls;
	if (!cs) {
		cs = uri_logger(NULL, url, conn);
		*req_cls = cs;
	}
	if (!cs->begun) {
		/* Answering on the first call makes libmicrohttpd 0.9.75 close the connection, which
		 * is what a declared body beyond the limit deserves: refuse it before reading it. */
		begin(app, cs, conn, method);
		if (cs->early && cs->early_code == PD_E_TOO_LARGE) {
			pd_http_prepare_lang(&cs->req);
			pd_reply_error(&cs->req, PD_E_TOO_LARGE, NULL);
			return pd_http_queue(cs);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		receive(cs, upload_data, *upload_data_size);
		*upload_data_size = 0;
		if (cs->received > (size_t)app->cfg->max_request + OVERRUN_GRACE) {
			pd_log(PD_LOG_INFO, "body_cut_off", "rid=%s received=%zu", cs->req.request_id,
			       cs->received);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (cs->deferred) {
		if (!atomic_load(&cs->write_finished))
			return MHD_YES;
		cs->deferred = false;
		cs->req.then(&cs->req, cs->req.write_rc);
		if (!cs->replied && !cs->deferred) {
			PD_BUG("continuation returned without a reply");
			pd_reply_error(&cs->req, PD_E_INTERNAL, NULL);
		}
	} else if (!cs->replied) {
		finish_body(cs);
		dispatch(cs);
	}
	if (cs->replied && !cs->queued)
		return pd_http_queue(cs);
	return MHD_YES;
}

static void completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                      enum MHD_RequestTerminationCode toe)
{
	struct pd_app *app = cls;
	struct pd_conn_state *cs = *req_cls;
	if (!cs)
		return;
	struct conn_slot *slot = slot_of(conn);
	if (slot && slot->pending == cs)
		slot->pending = NULL;
	if (cs->begun)
		pd_http_log_request(app, cs, toe);
	pd_arena_free(cs->req.arena);
	*req_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                        bool *v6)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return PD_ERR_INVALID;
	size_t hn = (size_t)(colon - listen);
	memcpy(host, listen, hn);
	host[hn] = '\0';
	int64_t port;
	if (pd_parse_i64(colon + 1, 0, 65535, &port))
		return PD_ERR_INVALID;
	memset(ss, 0, sizeof *ss);
	char *h = host;
	if (h[0] == '[' && hn > 1 && h[hn - 1] == ']') {
		h[hn - 1] = '\0';
		h++;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, strcmp(h, "localhost") == 0 ? "127.0.0.1" : h, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*len = sizeof *s4;
		*v6 = false;
		return PD_OK;
	}
	if (inet_pton(AF_INET6, h, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*len = sizeof *s6;
		*v6 = true;
		return PD_OK;
	}
	return PD_ERR_INVALID;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '"' || *p == '\\')
			*p = ' ';
	pd_log(PD_LOG_INFO, "httpd", "msg=\"%s\"", msg);
}

int pd_http_serve(struct pd_app *app)
{
	const struct pd_config *cfg = app->cfg;
	/* Handlers first: a stop request that arrives while we start up still stops us cleanly. */
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct sockaddr_storage ss;
	socklen_t slen;
	bool v6;
	if (parse_listen(cfg->listen, &ss, &slen, &v6)) {
		fprintf(stderr, "pendopo: --listen wants HOST:PORT, e.g. 127.0.0.1:8080\n");
		return 2;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
	    bind(fd, (struct sockaddr *)&ss, slen) || listen(fd, 1024)) {
		fprintf(stderr, "pendopo: cannot listen on %s: %s\n", cfg->listen, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	struct sockaddr_storage bound;
	socklen_t blen = sizeof bound;
	getsockname(fd, (struct sockaddr *)&bound, &blen);
	int port = ntohs(bound.ss_family == AF_INET ? ((struct sockaddr_in *)&bound)->sin_port
	                                            : ((struct sockaddr_in6 *)&bound)->sin6_port);

	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	pd_http_remove_stale_uploads(cfg->data);
	/* The hash workers run before the first request can reach pd_req_offload. */
	pd_offload_start((int)sysconf(_SC_NPROCESSORS_ONLN));
	app->cache = pd_respcache_new(cfg->cache_size > 0 ? (size_t)cfg->cache_size : 0);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
	                 MHD_USE_ERROR_LOG;
	if (v6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, access_handler, app,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, or early messages bypass it */
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, pd_http_connection_limit(MAX_CONNECTIONS),
		/* One address may not hold every connection (slowloris). Behind a trusted proxy
		 * every request comes from the proxy's address, so there the proxy limits. */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, app->trusted_set ? 0u : (unsigned)MAX_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		/* The request line, the headers and MHD's record of each query argument must fit
		 * in this (larger ones get 431): each connection may pin it, so MAX_CONNECTIONS pin
		 * at most 256 MiB, one address at most 8 MiB. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, completed, app,
		MHD_OPTION_NOTIFY_CONNECTION, conn_notify, NULL,
		MHD_OPTION_URI_LOG_CALLBACK, uri_logger, NULL,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "pendopo: cannot start the HTTP server on %s\n", cfg->listen);
		pd_offload_stop();
		pd_respcache_free(app->cache);
		app->cache = NULL;
		close(fd);
		return 1;
	}
	char host[INET6_ADDRSTRLEN] = "";
	if (bound.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&bound)->sin_addr, host, sizeof host);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&bound)->sin6_addr, host, sizeof host);
	printf("pendopo: listening on http://%s%s%s:%d/ (database: %s)\n", v6 ? "[" : "", host,
	       v6 ? "]" : "", port, pd_store_backend(app->store));
	fflush(stdout);
	pd_log(PD_LOG_INFO, "listening", "addr=%s port=%d backend=%s threads=%u", host, port,
	       pd_store_backend(app->store), threads);
	pd_log_buffer_start();

	while (!stop_requested) {
		pd_jobs_tick(app);
		pd_keys_maybe_reload(app->store, app->keys);
		pd_calendar_maybe_reload(app->store, app->calendar);
		for (int i = 0; i < 10 && !stop_requested; i++)
			usleep(100 * 1000);
	}

	/* Graceful stop: refuse new work, let suspended requests finish, then stop. */
	pd_log(PD_LOG_INFO, "stopping", "suspended=%d", atomic_load(&app->suspended));
	atomic_store(&app->draining, true);
	MHD_socket lfd = MHD_quiesce_daemon(d);
	/* MHD_stop_daemon aborts the process while any connection is still suspended (TOOLCHAIN),
	 * so there is no deadline here: the writer resumes its jobs after bounded retries and the
	 * offload pool fails what it has not started once draining is set. */
	int64_t next_note = pd_clock_mono_ms() + 5000;
	while (atomic_load(&app->suspended) > 0) {
		if (pd_clock_mono_ms() >= next_note) {
			pd_log(PD_LOG_WARN, "draining", "suspended=%d", atomic_load(&app->suspended));
			next_note += 5000;
		}
		usleep(10 * 1000);
	}
	usleep(50 * 1000);
	MHD_stop_daemon(d);
	pd_log_buffer_stop(); /* the last requests' lines, before anything after them */
	pd_offload_stop();
	pd_respcache_free(app->cache);
	app->cache = NULL;
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd);
	pd_log(PD_LOG_INFO, "stopped", NULL);
	return 0;
}
