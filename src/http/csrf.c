/* Language choice (the account's > the cookie > Accept-Language) and CSRF protection: before
 * sign-in a random secret in an HttpOnly cookie, after it the session's own secret; tokens in
 * forms are masked per response (so gzip cannot leak a fixed secret: BREACH). */
#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/random.h"
#include "core/str.h"
#include "domain/account.h"
#include "http/cookie.h"
#include "http/internal.h"

#define SECRET_LEN 32
_Static_assert(sizeof(((struct pd_req *)0)->csrf_raw) == SECRET_LEN, "csrf_raw holds a secret");
#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

static const char *cookie(struct pd_req *r, const char *name)
{
	return pd_kv_get(&r->cookies, name);
}

void pd_http_prepare_lang(struct pd_req *r)
{
	const char *account = r->actor ? r->actor->lang : NULL;
	r->lang = pd_i18n_pick(account, cookie(r, "lang"), pd_req_header(r, "Accept-Language"));
}

struct lang_save {
	const struct pd_actor *actor;
	const char *lang;
};

static int lang_save_tx(struct pd_tx *tx, void *p)
{
	struct lang_save *ls = p;
	return pd_account_set_lang(tx, ls->actor, ls->lang);
}

static void lang_saved(struct pd_req *r, int rc)
{
	(void)rc; /* the cookie still carries the choice when saving failed */
	pd_reply_redirect(r, 303, r->user);
}

bool pd_http_lang_redirect(struct pd_req *r)
{
	const char *want = pd_req_query(r, "lang");
	if (!want)
		return false;
	struct pd_buf b;
	pd_buf_init(&b, 8192);
	pd_buf_puts(&b, pd_http_safe_path(r));
	char sep = '?';
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.items[i].key, "lang") == 0)
			continue;
		pd_buf_printf(&b, "%c%s=%s", sep, pd_url_encode(r->arena, r->query.items[i].key),
		              pd_url_encode(r->arena, r->query.items[i].val));
		sep = '&';
	}
	const char *loc = pd_arena_strndup(r->arena, pd_buf_cstr(&b), b.len);
	pd_buf_free(&b);
	bool save = false;
	if (pd_i18n_supported(want)) {
		const char *lang = pd_i18n_canonical(want);
		unsigned flags = PD_COOKIE_SAMESITE_LAX | PD_COOKIE_PATH_ROOT | PD_COOKIE_HTTPONLY |
		                 (r->https ? PD_COOKIE_SECURE : 0);
		pd_reply_header(r, "Set-Cookie",
		                pd_cookie_format(r->arena, "lang", lang, 365LL * 24 * 3600, flags));
		r->lang = lang;
		save = r->actor != NULL;
	}
	if (save) {
		/* Signed in: the account's choice wins over the cookie, so save it before answering. */
		struct lang_save *ls = pd_arena_alloc(r->arena, sizeof *ls);
		ls->actor = r->actor;
		ls->lang = r->lang;
		r->user = (void *)loc;
		pd_req_write(r, lang_save_tx, ls, lang_saved);
		return true;
	}
	pd_reply_redirect(r, 303, loc);
	return true;
}

static bool decode_secret(const char *b64, unsigned char out[SECRET_LEN])
{
	size_t n = 0;
	if (!b64 || strlen(b64) > 64)
		return false;
	if (sodium_base642bin(out, SECRET_LEN, b64, strlen(b64), NULL, &n, NULL, B64_VARIANT) ||
	    n != SECRET_LEN)
		return false;
	return true;
}

void pd_http_prepare_csrf(struct pd_req *r)
{
	unsigned char secret[SECRET_LEN];
	const char *c = cookie(r, r->https ? "__Host-pd_csrf" : "pd_csrf");
	if (c && decode_secret(c, secret)) {
		r->csrf_secret = c;
		return;
	}
	pd_random_buf(secret, sizeof secret);
	char b64[sodium_base64_ENCODED_LEN(SECRET_LEN, B64_VARIANT)];
	sodium_bin2base64(b64, sizeof b64, secret, sizeof secret, B64_VARIANT);
	r->csrf_secret = pd_arena_strdup(r->arena, b64);
	r->set_csrf_cookie = true;
	memcpy(r->csrf_raw, secret, SECRET_LEN); /* so each token need not decode it again */
	r->csrf_raw_of = r->csrf_secret;
}

/* The request's secret as bytes: decoded once per request and secret (the session's may
 * replace the cookie's). */
static bool req_secret(struct pd_req *r, unsigned char out[SECRET_LEN])
{
	if (!r->csrf_secret)
		return false;
	if (r->csrf_raw_of != r->csrf_secret) {
		if (!decode_secret(r->csrf_secret, r->csrf_raw))
			return false;
		r->csrf_raw_of = r->csrf_secret;
	}
	memcpy(out, r->csrf_raw, SECRET_LEN);
	return true;
}

const char *pd_req_csrf_token(struct pd_req *r)
{
	unsigned char secret[SECRET_LEN], tok[2 * SECRET_LEN];
	/* A token is of this request: the response holding it is never cached. */
	((struct pd_conn_state *)r->priv)->per_request = true;
	if (!r->csrf_secret)
		pd_http_prepare_csrf(r);
	if (!req_secret(r, secret))
		return "";
	pd_random_buf(tok, SECRET_LEN);
	for (int i = 0; i < SECRET_LEN; i++)
		tok[SECRET_LEN + i] = tok[i] ^ secret[i];
	char b64[sodium_base64_ENCODED_LEN(2 * SECRET_LEN, B64_VARIANT)];
	sodium_bin2base64(b64, sizeof b64, tok, sizeof tok, B64_VARIANT);
	return pd_arena_strdup(r->arena, b64);
}

bool pd_http_csrf_ok(struct pd_req *r)
{
	unsigned char secret[SECRET_LEN], tok[2 * SECRET_LEN], got[SECRET_LEN];
	if (r->set_csrf_cookie || !decode_secret(r->csrf_secret, secret))
		return false; /* no cookie came with the request */
	const char *t = pd_req_form(r, "csrf");
	if (!t)
		t = pd_req_header(r, "X-CSRF-Token");
	size_t n = 0;
	if (!t || strlen(t) > 128 ||
	    sodium_base642bin(tok, sizeof tok, t, strlen(t), NULL, &n, NULL, B64_VARIANT) ||
	    n != sizeof tok)
		return false;
	for (int i = 0; i < SECRET_LEN; i++)
		got[i] = tok[i] ^ tok[SECRET_LEN + i];
	return sodium_memcmp(got, secret, SECRET_LEN) == 0;
}

bool pd_http_trusted(const struct pd_app *app, const unsigned char *raw, bool v4)
{
	if (!app->trusted_set || app->trusted_v4 != v4)
		return false;
	int bits = app->trusted_bits;
	for (int i = 0; bits > 0; i++, bits -= 8) {
		unsigned char mask = bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
		if ((raw[i] & mask) != (app->trusted_addr[i] & mask))
			return false;
	}
	return true;
}
