/* The TOTP pages shared by /akun and sign-in: enrolment with the secret and its QR code drawn
 * by the program as inline SVG (no script, no image file), and the one-time list of recovery
 * codes. */
#include <string.h>

#include "core/i18n.h"
#include "core/totp.h"
#include "http/app.h"
#include "render/qr_svg.h"
#include "render/template.h"
#include "web/totp_internal.h"

#define QR_PX 240

const char *const pd_web_totp_wrong =
	N_("Kode salah atau sudah dipakai. Tunggu kode berikutnya di aplikasi lalu coba lagi.");

/* "ABCD EFGH …": the secret in groups of four, easier to type. Arena-owned. */
static const char *grouped(struct pd_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = pd_arena_alloc(a, n + n / 4 + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			out[k++] = ' ';
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

void pd_web_totp_enrol_page(struct pd_req *r, int status, const char *action,
                            const struct pd_totp_enrolment *en, const char *error, bool signin)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(ctx, "secret", json_string(grouped(r->arena, en->secret_b32)));
	const char *uri = pd_totp_uri(r->arena, r->app->site_name, en->label, en->secret_b32);
	const char *label = pd_req_t(r, N_("Kode QR kunci verifikasi dua langkah"));
	const char *svg = uri ? pd_qr_svg(r->arena, uri, label, QR_PX) : NULL;
	if (svg)
		json_object_set_new(ctx, "qr", pd_tpl_html(svg));
	json_object_set_new(ctx, "signin", json_boolean(signin));
	if (error) {
		json_object_set_new(ctx, "errors", json_pack("{s:s}", "code", pd_req_t(r, error)));
		json_object_set_new(ctx, "has_errors", json_true());
	}
	pd_reply_page(r, status, "akun/totp_daftar", N_("Aktifkan verifikasi dua langkah"), ctx);
}

void pd_web_totp_codes_page(struct pd_req *r, const struct pd_totp_confirmed *c, const char *next)
{
	json_t *codes = json_array();
	for (int i = 0; i < PD_RECOVERY_CODES; i++)
		json_array_append_new(codes, json_string(c->codes[i]));
	json_t *ctx = json_pack("{s:o,s:s}", "codes", codes, "next", next);
	pd_reply_page(r, 200, "akun/totp_pemulihan", N_("Kode pemulihan"), ctx);
}
