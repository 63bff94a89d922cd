/* Reply helpers: one reply per request, errors derived from one code table in the format of the
 * route's interface, the security headers of DESIGN §5 on every response, gzip for text. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "domain/authz.h"
#include "http/calendar_req.h"
#include "http/internal.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "http/cookie.h"
#include "render/escape.h"
#include "render/template.h"

struct ecode_info {
	const char *code;
	int status;
	const char *message;  /* Indonesian msgid */
	const char *ckan_type;
};

static const struct ecode_info ecodes[PD_E__MAX] = {
	[PD_E_BAD_REQUEST] = {"bad_request", 400, N_("Permintaan tidak dapat dibaca."), "Validation Error"},
	[PD_E_UNAUTHORIZED] = {"unauthorized", 401, N_("Kunci API atau masuk diperlukan."), "Authorization Error"},
	[PD_E_CSRF] = {"csrf_failed", 403,
	               N_("Formulir kedaluwarsa atau tidak berasal dari situs ini. Muat ulang halaman lalu kirim lagi."),
	               "Authorization Error"},
	[PD_E_FORBIDDEN] = {"forbidden", 403, N_("Anda tidak berwenang melakukan tindakan ini."), "Authorization Error"},
	[PD_E_NOT_FOUND] = {"not_found", 404, N_("Halaman atau data yang dicari tidak ada."), "Not Found Error"},
	[PD_E_METHOD] = {"method_not_allowed", 405, N_("Metode permintaan ini tidak didukung di alamat ini."), "Validation Error"},
	[PD_E_CONFLICT] = {"conflict", 409, N_("Data telah berubah atau sudah ada. Muat ulang lalu coba lagi."), "Validation Error"},
	[PD_E_TOO_LARGE] = {"too_large", 413, N_("Kiriman terlalu besar. Perkecil berkas atau isian lalu coba lagi."), "Validation Error"},
	[PD_E_UNSUPPORTED_TYPE] = {"unsupported_media_type", 415, N_("Jenis isi kiriman tidak didukung."), "Validation Error"},
	[PD_E_INVALID] = {"invalid", 422, N_("Isian belum benar. Periksa pesan di samping setiap isian."), "Validation Error"},
	[PD_E_RATE_LIMITED] = {"rate_limited", 429, N_("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."), "Validation Error"},
	[PD_E_INTERNAL] = {"internal_error", 500, N_("Terjadi kesalahan di server. Coba lagi nanti."), "Internal Error"},
	[PD_E_UNAVAILABLE] = {"unavailable", 503, N_("Layanan sedang sibuk atau dihentikan sementara. Coba lagi sebentar lagi."), "Internal Error"},
};

int pd_ecode_status(enum pd_ecode code)
{
	return (code >= 0 && code < PD_E__MAX) ? ecodes[code].status : 500;
}

static struct pd_conn_state *state(struct pd_req *r)
{
	return r->priv;
}

const char *pd_req_header(struct pd_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *pd_req_form(struct pd_req *r, const char *key)
{
	return pd_kv_get(&r->form, key);
}

const char *pd_req_query(struct pd_req *r, const char *key)
{
	return pd_kv_get(&r->query, key);
}

const char *pd_req_t(struct pd_req *r, const char *msgid)
{
	return pd_i18n_text(r->lang ? r->lang : "id", msgid);
}

void pd_reply_header(struct pd_req *r, const char *name, const char *value)
{
	struct pd_conn_state *cs = state(r);
	struct pd_hdr *h = pd_arena_alloc(r->arena, sizeof *h);
	h->name = pd_arena_strdup(r->arena, name);
	h->value = pd_arena_strdup(r->arena, value);
	h->next = cs->headers;
	cs->headers = h;
}

static void set_reply(struct pd_req *r, int status, const char *ctype, char *body, size_t len)
{
	struct pd_conn_state *cs = state(r);
	if (cs->replied) {
		PD_BUG("second reply to one request");
		free(body);
		return;
	}
	cs->replied = true;
	cs->status = status;
	cs->content_type = ctype;
	cs->body_out = body;
	cs->body_len = len;
}

void pd_reply_bytes(struct pd_req *r, int status, const char *content_type, const void *body,
                    size_t len)
{
	char *copy = pd_xmalloc(len ? len : 1);
	if (len)
		memcpy(copy, body, len);
	set_reply(r, status, pd_arena_strdup(r->arena, content_type), copy, len);
}

void pd_reply_json(struct pd_req *r, int status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	if (!text) {
		set_reply(r, 500, "application/json; charset=utf-8",
		          pd_xstrdup("{\"error\":{\"code\":\"internal_error\",\"message\":\"\"}}"), 46);
		return;
	}
	/* json_dumps allocates with malloc by default, which libmicrohttpd will free. */
	set_reply(r, status, "application/json; charset=utf-8", text, strlen(text));
}

void pd_reply_redirect(struct pd_req *r, int status, const char *location)
{
	pd_reply_header(r, "Location", location);
	set_reply(r, status, "text/plain; charset=utf-8", pd_xstrdup(""), 0);
}

static json_t *user_json(struct pd_req *r)
{
	const struct pd_actor *a = r->actor;
	if (!a)
		return NULL;
	return json_pack("{s:s,s:b,s:b}", "name", a->name && *a->name ? a->name : pd_req_t(r, N_("Akun saya")),
	                 "email_verified", a->email_verified, "staff", a->kind == PD_ACCOUNT_STAFF);
}

const char *pd_http_safe_path(struct pd_req *r)
{
	/* A path starting with "//" or holding a backslash would make a link to another site. */
	const char *p = r->path;
	if (!p || p[0] != '/' || p[1] == '/' || strchr(p, '\\'))
		return "/";
	struct pd_buf b;
	pd_buf_init(&b, 16384);
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("/-._~", c))
			pd_buf_putc(&b, (char)c);
		else
			pd_buf_printf(&b, "%%%02X", c);
	}
	char *out = pd_arena_strndup(r->arena, pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
	return out;
}

static char *lang_url(struct pd_req *r, const char *lang)
{
	struct pd_buf b;
	pd_buf_init(&b, 8192);
	pd_buf_puts(&b, pd_http_safe_path(r));
	pd_buf_puts(&b, "?");
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.items[i].key, "lang") == 0)
			continue;
		pd_buf_printf(&b, "%s=%s&", pd_url_encode(r->arena, r->query.items[i].key),
		              pd_url_encode(r->arena, r->query.items[i].val));
	}
	pd_buf_printf(&b, "lang=%s", lang);
	char *s = pd_arena_strndup(r->arena, pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
	return s;
}

/* Browser tabs and search results show about 70 characters of a title (html-validate's
 * long-title). */
#define PD_TITLE_MAX 70

/* The text of <title> when the layout's "title — site name" would pass PD_TITLE_MAX
 * characters: the page's title alone, cut at a word and ended with "…" when even that is too
 * long. NULL when "title — site name" fits. title and site are valid UTF-8. */
static const char *document_title(struct pd_arena *a, const char *title, const char *site)
{
	size_t tn = strlen(title), chars = pd_utf8_len(title, tn);
	if (chars + 3 + pd_utf8_len(site, strlen(site)) <= PD_TITLE_MAX)
		return NULL;
	if (chars <= PD_TITLE_MAX)
		return title;
	size_t end = 0, space = 0;
	for (size_t n = 0; n < PD_TITLE_MAX - 1 && end < tn; n++) {
		if (title[end] == ' ')
			space = end;
		end++;
		while (end < tn && ((unsigned char)title[end] & 0xC0) == 0x80)
			end++;
	}
	if (space > end / 2)
		end = space;
	return pd_arena_printf(a, "%.*s…", (int)end, title);
}

/* A stand-in for the CSRF token while a page renders: random per process, so that no text a
 * page shows (a complaint, a title) can carry it. */
#define CSRF_MARKER_LEN 40
static char csrf_marker_text[CSRF_MARKER_LEN + 1];
static pthread_once_t csrf_marker_once = PTHREAD_ONCE_INIT;

static void csrf_marker_init(void)
{
	unsigned char raw[(CSRF_MARKER_LEN - 8) / 2];
	randombytes_buf(raw, sizeof raw);
	memcpy(csrf_marker_text, "pdcsrf0x", 8);
	sodium_bin2hex(csrf_marker_text + 8, sizeof csrf_marker_text - 8, raw, sizeof raw);
}

static const char *csrf_marker(void)
{
	pthread_once(&csrf_marker_once, csrf_marker_init);
	return csrf_marker_text;
}

/* body with every marker replaced by one masked token of this request (malloc'd, *out_len). */
static char *fill_csrf(struct pd_req *r, const char *body, size_t len, size_t *out_len)
{
	const char *tok = pd_req_csrf_token(r);
	size_t tn = strlen(tok);
	struct pd_buf b;
	pd_buf_init(&b, 4 * 1024 * 1024);
	const char *p = body, *end = body + len;
	for (;;) {
		const char *m = memmem(p, (size_t)(end - p), csrf_marker_text, CSRF_MARKER_LEN);
		if (!m)
			break;
		pd_buf_append(&b, p, (size_t)(m - p));
		pd_buf_append(&b, tok, tn);
		p = m + CSRF_MARKER_LEN;
	}
	pd_buf_append(&b, p, (size_t)(end - p));
	return pd_buf_steal(&b, out_len);
}

void pd_reply_page(struct pd_req *r, int status, const char *tpl, const char *title, json_t *ctx)
{
	pd_reply_page_titled(r, status, tpl, title ? pd_req_t(r, title) : NULL, ctx);
}

void pd_reply_page_titled(struct pd_req *r, int status, const char *tpl, const char *title,
                          json_t *ctx)
{
	struct pd_app *app = r->app;
	if (!ctx)
		ctx = json_object();
	json_object_set_new(ctx, "site_name", json_string(app->site_name));
	json_object_set_new(ctx, "title", json_string(title ? title : app->site_name));
	const char *doc_title = document_title(r->arena, title ? title : app->site_name,
	                                       app->site_name);
	if (doc_title)
		json_object_set_new(ctx, "doc_title", json_string(doc_title));
	/* The token only where a form uses it: pages without one stay free of anything of this
	 * request, and may be kept by the response cache. */
	json_object_set_new(ctx, "csrf", json_string(csrf_marker()));
	if (!r->csrf_secret)
		pd_http_prepare_csrf(r); /* a page carries the pre-session cookie, as it always did */
	json_object_set_new(ctx, "path", json_string(r->path));
	json_object_set_new(ctx, "lang_switch_id", json_string(lang_url(r, "id")));
	json_object_set_new(ctx, "lang_switch_en", json_string(lang_url(r, "en")));
	json_t *user = user_json(r);
	if (user)
		json_object_set_new(ctx, "user", user);
	pd_http_calendar_notice(r, ctx);
	struct pd_buf out;
	pd_buf_init(&out, 4 * 1024 * 1024);
	int rc = pd_tpl_render_page(app->tpl, tpl, ctx, r->lang ? r->lang : "id", &out);
	json_decref(ctx);
	if (rc) {
		pd_log(PD_LOG_ERROR, "render_failed", "rid=%s tpl=%s err=\"%s\"", r->request_id, tpl,
		       pd_strerror(rc));
		pd_buf_free(&out);
		set_reply(r, 500, "text/plain; charset=utf-8", pd_xstrdup("internal error\n"), 15);
		return;
	}
	size_t len;
	char *body = pd_buf_steal(&out, &len);
	if (body && memmem(body, len, csrf_marker(), CSRF_MARKER_LEN)) {
		/* A page the cache may keep keeps the stand-in: each response, this one too, gets
		 * its own token when it is sent (pd_http_queue). */
		state(r)->csrf_marked = true;
		if (!state(r)->cache_candidate) {
			size_t n;
			char *filled = fill_csrf(r, body, len, &n);
			free(body);
			body = filled;
			len = n;
			state(r)->csrf_marked = false;
		}
	}
	set_reply(r, status, "text/html; charset=utf-8", body, len);
}

static bool wants_xml(struct pd_req *r)
{
	return pd_str_ends(r->path, ".xml");
}

void pd_reply_error(struct pd_req *r, enum pd_ecode code, const char *message)
{
	struct pd_conn_state *cs = state(r);
	if (code < 0 || code >= PD_E__MAX)
		code = PD_E_INTERNAL;
	const struct ecode_info *e = &ecodes[code];
	cs->error_code = e->code;
	if (!r->lang)
		pd_http_prepare_lang(r);
	const char *msg = pd_req_t(r, message ? message : e->message);
	switch (cs->iface) {
	case PD_IF_API:
	case PD_IF_OPS: {
		json_t *err = json_pack("{s:{s:s,s:s}}", "error", "code", e->code, "message", msg);
		pd_reply_json(r, e->status, err);
		return;
	}
	case PD_IF_OPEN311:
		if (wants_xml(r)) {
			struct pd_buf b;
			pd_buf_init(&b, 65536);
			pd_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>%d</code>"
			              "<description>", e->status);
			pd_html_escape(&b, msg, strlen(msg));
			pd_buf_puts(&b, "</description></error></errors>\n");
			size_t len;
			char *body = pd_buf_steal(&b, &len);
			set_reply(r, e->status, "application/xml; charset=utf-8", body, len);
		} else {
			json_t *err = json_pack("[{s:i,s:s}]", "code", e->status, "description", msg);
			pd_reply_json(r, e->status, err);
		}
		return;
	case PD_IF_CKAN: {
		json_t *err = json_pack("{s:b,s:{s:s,s:s}}", "success", 0, "error", "__type", e->ckan_type,
		                        "message", msg);
		pd_reply_json(r, e->status, err);
		return;
	}
	default:
		break;
	}
	json_t *ctx = json_pack("{s:i,s:s,s:s}", "status", e->status, "message", msg, "code", e->code);
	pd_reply_page(r, e->status, "error", N_("Terjadi masalah"), ctx);
}

/* --- queueing ------------------------------------------------------------------------------- */

static bool is_text(const char *ct)
{
	return ct && (pd_str_starts(ct, "text/") || pd_str_starts(ct, "application/json") ||
	              pd_str_starts(ct, "application/xml") || pd_str_starts(ct, "application/ld+json") ||
	              pd_str_starts(ct, "image/svg+xml") || pd_str_starts(ct, "application/javascript"));
}

/* A qvalue ("0", "0.", "0.000", "1", "0.5"): true when above zero; a malformed one counts as
 * zero, so an odd header never gets gzip it did not ask for. */
static bool q_positive(const char *s, size_t n)
{
	if (n == 0 || n > 5 || (s[0] != '0' && s[0] != '1') || (n > 1 && s[1] != '.'))
		return false;
	bool any = s[0] == '1';
	for (size_t i = 2; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		any |= s[i] != '0';
	}
	return any;
}

/* Accept-Encoding (RFC 9110 §12.5.3): gzip (or x-gzip) listed with q > 0, or not listed and
 * "*" with q > 0. Names and parameters are case-insensitive. */
static bool accepts_gzip(struct pd_req *r)
{
	const char *ae = pd_req_header(r, "Accept-Encoding");
	if (!ae)
		return false;
	int gzip = -1, star = -1; /* -1 not listed, else 0 or 1 */
	for (const char *p = ae; *p;) {
		p += strspn(p, " \t,");
		size_t name_len = strcspn(p, " \t,;");
		const char *name = p;
		p += name_len;
		bool ok = true;
		/* parameters up to the next comma; only q matters */
		while (*p && *p != ',') {
			p += strspn(p, " \t;");
			size_t plen = strcspn(p, ",;");
			size_t t = plen;
			while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t'))
				t--;
			if (t >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
				ok = q_positive(p + 2, t - 2);
			p += plen;
		}
		if ((name_len == 4 && strncasecmp(name, "gzip", 4) == 0) ||
		    (name_len == 6 && strncasecmp(name, "x-gzip", 6) == 0))
			gzip = ok;
		else if (name_len == 1 && name[0] == '*')
			star = ok;
	}
	return gzip >= 0 ? gzip == 1 : star == 1;
}

static char *gzip_bytes(const char *in, size_t len, size_t *out_len)
{
	z_stream z = {0};
	if (deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, len) + 32;
	char *out = pd_xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static const char CSP[] = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                          "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

static void entry_free_cb(void *p)
{
	pd_rc_entry_unref(p);
}

/* The response of a cached entry: 304 when If-None-Match names it, else its gzip or identity
 * bytes, shared with the entry (a reference held until libmicrohttpd is done with them). */
static struct MHD_Response *entry_response(struct pd_conn_state *cs, struct pd_rc_entry *e,
                                           bool *gz)
{
	struct pd_req *r = &cs->req;
	cs->status = e->status;
	cs->content_type = e->content_type;
	if (e->csrf_marked) {
		/* This response's own token in the stored page; gzip made for it alone (BREACH:
		 * the token is masked anew, so the compressed bytes never repeat a secret). */
		size_t n;
		char *body = fill_csrf(r, e->body, e->body_len, &n);
		if (!cs->no_gzip && n > 256 && accepts_gzip(r)) {
			size_t glen;
			char *g = gzip_bytes(body, n, &glen);
			if (g && glen < n) {
				free(body);
				body = g;
				n = glen;
				*gz = true;
			} else {
				free(g);
			}
		}
		struct MHD_Response *resp = MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE);
		if (!resp)
			free(body);
		return resp;
	}
	if (pd_http_etag_match(pd_req_header(r, "If-None-Match"), e->etag)) {
		cs->status = 304;
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	const char *p = e->body;
	size_t n = e->body_len;
	if (e->gz && !cs->no_gzip && accepts_gzip(r)) {
		p = e->gz;
		n = e->gz_len;
		*gz = true;
	}
	pd_rc_entry_ref(e);
	struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback_cls(
		n, (void *)(uintptr_t)p, entry_free_cb, e);
	if (!resp)
		pd_rc_entry_unref(e);
	return resp;
}

enum MHD_Result pd_http_queue(struct pd_conn_state *cs)
{
	struct pd_req *r = &cs->req;
	char *body = cs->body_out;
	size_t len = cs->body_len;
	cs->body_out = NULL;
	bool gz = false;
	struct MHD_Response *resp = NULL;
	struct pd_rc_entry *entry = cs->cache_hit;
	if (!entry && cs->cache_candidate && body) {
		/* A public answer to keep: both forms once, then served from the entry like a hit. */
		size_t glen = 0;
		char *g = len > 256 && is_text(cs->content_type) && !cs->csrf_marked
		                  ? gzip_bytes(body, len, &glen)
		                  : NULL;
		if (g && glen >= len) {
			free(g);
			g = NULL;
		}
		cs->body_out = body;
		entry = pd_http_cache_store(cs, g, glen);
		cs->body_out = NULL;
		free(g);
		if (entry)
			free(body);
	}
	if (entry) {
		resp = entry_response(cs, entry, &gz);
		if (!resp)
			return MHD_NO;
	} else {
		if (cs->csrf_marked && body) { /* not kept after all: this response's token now */
			size_t n;
			char *filled = fill_csrf(r, body, len, &n);
			free(body);
			body = filled;
			len = n;
			cs->csrf_marked = false;
		}
		if (!cs->no_gzip && len > 256 && is_text(cs->content_type) && accepts_gzip(r)) {
			size_t glen;
			char *g = gzip_bytes(body, len, &glen);
			if (g && glen < len) {
				free(body);
				body = g;
				len = glen;
				gz = true;
			} else {
				free(g);
			}
		}
		/* For HEAD, libmicrohttpd sends the headers of this response (its length included)
		 * without the body. */
		resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!resp) {
			free(body);
			return MHD_NO;
		}
	}
	MHD_add_response_header(resp, "Content-Type", cs->content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "strict-origin-when-cross-origin");
	if (r->https)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (gz)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	/* A page in the user's language with the user's cookies, also when it is the error page of
	 * a route of another interface (/static/nope). */
	bool page = cs->iface == PD_IF_HTML ||
	            (cs->content_type && pd_str_starts(cs->content_type, "text/html"));
	if (cs->cacheable) {
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	} else if (page) {
		MHD_add_response_header(resp, "Vary", "Cookie, Accept-Language, Accept-Encoding");
	} else {
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	}
	bool has_cc = false, sets_cookie = r->set_csrf_cookie;
	if (entry) {
		if (!entry->csrf_marked)
			MHD_add_response_header(resp, "ETag", entry->etag);
		if (cs->cache_hit) /* the handler did not run: its headers come from the entry */
			for (size_t i = 0; i < entry->n_headers; i++) {
				MHD_add_response_header(resp, entry->headers[i].name, entry->headers[i].value);
				if (pd_str_ieq(entry->headers[i].name, "Cache-Control"))
					has_cc = true;
			}
	}
	for (struct pd_hdr *h = cs->headers; h; h = h->next) {
		MHD_add_response_header(resp, h->name, h->value);
		if (pd_str_ieq(h->name, "Cache-Control"))
			has_cc = true;
		if (pd_str_ieq(h->name, "Set-Cookie"))
			sets_cookie = true;
	}
	if (!has_cc) {
		/* A response that sets a cookie is never stored: a shared cache would hand one
		 * client's CSRF secret or session to the next. */
		bool private = (r->route && (r->route->flags & PD_RF_PRIVATE)) || page || sets_cookie;
		MHD_add_response_header(resp, "Cache-Control", private ? "no-store" : "no-cache");
	}
	if (r->set_csrf_cookie) {
		unsigned flags = PD_COOKIE_HTTPONLY | PD_COOKIE_SAMESITE_LAX | PD_COOKIE_PATH_ROOT |
		                 (r->https ? PD_COOKIE_SECURE : 0);
		const char *name = r->https ? "__Host-pd_csrf" : "pd_csrf";
		MHD_add_response_header(resp, "Set-Cookie",
		                        pd_cookie_format(r->arena, name, r->csrf_secret, -1, flags));
	}
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)cs->status, resp);
	MHD_destroy_response(resp);
	cs->queued = true;
	return ret;
}

void pd_http_log_request(struct pd_app *app, struct pd_conn_state *cs,
                         enum MHD_RequestTerminationCode toe)
{
	struct pd_req *r = &cs->req;
	int64_t ms = pd_clock_mono_ms() - cs->t0;
	const char *route = r->route ? r->route->pattern : "unmatched";
	int status = cs->queued ? cs->status : 0;
	pd_metrics_request(app->metrics, r->route ? pd_route_index(r->route) : pd_n_routes, status, ms);
	char method[16];
	pd_log_sanitize(r->method, method, sizeof method);
	pd_log(PD_LOG_INFO, "request", "rid=%s method=%s route=%s status=%d ms=%lld%s%s%s",
	       r->request_id, method, route, status, (long long)ms,
	       cs->error_code ? " error=" : "", cs->error_code ? cs->error_code : "",
	       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
}
