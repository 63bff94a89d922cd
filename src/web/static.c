/* Static assets embedded in the binary, with a strong ETag and long-lived caching. */
#include <sodium.h>
#include <string.h>

#include "core/embed.h"
#include "core/str.h"
#include "http/internal.h"
#include "web/web.h"

static const char *type_of(const char *name)
{
	if (pd_str_ends(name, ".css"))
		return "text/css; charset=utf-8";
	if (pd_str_ends(name, ".svg"))
		return "image/svg+xml; charset=utf-8";
	if (pd_str_ends(name, ".png"))
		return "image/png";
	if (pd_str_ends(name, ".ico"))
		return "image/x-icon";
	if (pd_str_ends(name, ".txt"))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

void pd_web_static(struct pd_req *r)
{
	const char *file = r->params[0];
	if (strstr(file, "..") || strchr(file, '/')) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	const struct pd_embedded *f = pd_embed_find(pd_arena_printf(r->arena, "static/%s", file));
	if (!f) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	unsigned char h[16];
	crypto_generichash(h, sizeof h, f->data, f->len, NULL, 0);
	char hex[33], etag[40];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	/* Weak: the gzip and plain copies share it, which a strong validator must not. */
	snprintf(etag, sizeof etag, "W/\"%s\"", hex);
	struct pd_conn_state *cs = r->priv;
	cs->cacheable = true;
	pd_reply_header(r, "ETag", etag);
	pd_reply_header(r, "Cache-Control", "public, max-age=86400");
	const char *inm = pd_req_header(r, "If-None-Match");
	if (inm && (strstr(inm, hex) || strcmp(inm, "*") == 0)) {
		/* libmicrohttpd sends a 304's headers only; the length is the asset's (RFC 9110). */
		pd_reply_bytes(r, 304, type_of(file), f->data, f->len);
		((struct pd_conn_state *)r->priv)->no_gzip = true;
		return;
	}
	pd_reply_bytes(r, 200, type_of(file), f->data, f->len);
}
