/* Open311 POST requests.{fmt}: a partner files a complaint with its API key (form field
 * api_key), rate-limited per key, answered only after the commit. */
#include <stdio.h>
#include <string.h>

#include "api/open311.h"
#include "api/open311_internal.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/complaint.h"
#include "domain/open311.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "http/ratelimit.h"
#include "http/routes.h"

#define IDEMPOTENCY_MAX 200

struct post_job {
	enum pd_o311_fmt fmt;
	const char *key, *key_id;
	struct pd_app_ctx c;
	struct pd_open311_post in;
	struct pd_app_errors errs;
	struct pd_open311_posted out;
	bool invalid;
};

/* Decimal degrees ("-6.914744") into micro-degrees; at most 6 decimals used. */
static bool parse_e6(const char *s, int64_t *out)
{
	const char *p = s;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	int64_t whole = 0, frac = 0;
	int nd = 0, nf = 0;
	while (*p >= '0' && *p <= '9' && nd < 4) {
		whole = whole * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0)
		return false;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (nf < 6) {
				frac = frac * 10 + (*p - '0');
				nf++;
			}
			p++;
		}
	}
	if (*p)
		return false;
	for (; nf < 6; nf++)
		frac *= 10;
	*out = (whole * 1000000 + frac) * (neg ? -1 : 1);
	return true;
}

static bool media_ok(const char *u)
{
	size_t n = strlen(u);
	if (n > PD_OPEN311_MEDIA_MAX || !(pd_str_starts(u, "https://") || pd_str_starts(u, "http://")))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '"' || u[i] == '<' ||
		    u[i] == '>')
			return false;
	return true;
}

/* The Open311 parameter each field of pd_complaint_file stands for. */
static const char *param_of(const char *field)
{
	static const char *const map[][2] = {
		{"kategori", "service_code"}, {"judul", "description"}, {"isi", "description"},
		{"desa", "attribute[village]"}, {"alamat", "address_string"}, {"lokasi", "lat/long"},
		{"email", "email"}, {"nama", "first_name/last_name"}, {"waktu", "requested_datetime"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], field) == 0)
			return map[i][1];
	return field;
}

static void reply_invalid(struct pd_req *r, struct post_job *j)
{
	const char *msgs[PD_APP_FIELDS_MAX];
	int n = 0;
	for (int i = 0; i < j->errs.n && n < PD_APP_FIELDS_MAX; i++)
		msgs[n++] = pd_arena_printf(r->arena, "%s: %s", param_of(j->errs.field[i]),
		                            pd_req_t(r, j->errs.msg[i]));
	pd_o311_errors(r, j->fmt, 400, msgs, n);
}

static int post_tx(struct pd_tx *tx, void *p)
{
	struct post_job *j = p;
	j->invalid = false;
	memset(&j->errs, 0, sizeof j->errs);
	int rc = pd_open311_file(tx, &j->c, j->key, &j->in, &j->errs, &j->out);
	if (rc == PD_ERR_INVALID && !pd_tx_error(tx)) {
		j->invalid = true;
		return PD_OK;
	}
	return rc;
}

static void post_done(struct pd_req *r, int rc)
{
	struct post_job *j = r->user;
	if (rc == PD_ERR_FORBIDDEN) {
		const char *m = "api_key is not valid or was revoked";
		pd_o311_errors(r, j->fmt, 403, &m, 1);
		return;
	}
	/* The same key and Idempotency-Key twice at the same moment: the other write committed the
	 * complaint under the same id first (a unique-key conflict here); answer with its filing. */
	if (rc == PD_ERR_CONFLICT && j->in.idempotency_key &&
	    pd_open311_filed(r->store, j->key_id, j->in.idempotency_key, &j->out) == PD_OK) {
		rc = PD_OK;
		j->invalid = false;
	}
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "jurisdiction_id not found");
		return;
	}
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_UNAVAILABLE ? PD_E_UNAVAILABLE : PD_E_INTERNAL, NULL);
		return;
	}
	if (j->invalid) {
		reply_invalid(r, j);
		return;
	}
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(j->out.tracking, g);
	const char *notice =
		j->out.published
			? N_("Diterima. Koordinator memverifikasi pengaduan dalam 3 hari kerja.")
			: N_("Diterima. Pengaduan ditampilkan untuk umum setelah petugas memeriksanya.");
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s,s:s,s:n}", "service_request_id", g,
	                                      "service_notice", pd_req_t(r, notice), "account_id"));
	pd_reply_header(r, "Cache-Control", "no-store");
	pd_o311_reply(r, j->fmt, j->out.existed ? 200 : 201, "service_requests", list);
}

void pd_api_o311_post(struct pd_req *r)
{
	struct post_job *j = pd_arena_alloc(r->arena, sizeof *j);
	memset(j, 0, sizeof *j);
	const char *name;
	if (!pd_o311_fmt_or_reply(r, r->params[0], true, &name, &j->fmt))
		return;
	/* The key first (403), then its budget (429), then the fields (400). */
	j->key = pd_o311_arg(r, "api_key", true);
	struct pd_apikey k;
	int rc = j->key ? pd_apikey_verify(r->store, j->key, r->arena, &k) : PD_ERR_NOT_FOUND;
	if (rc == PD_ERR_NOT_FOUND || rc == PD_ERR_FORBIDDEN) {
		const char *m = j->key ? "api_key is not valid or was revoked" : "api_key is required";
		pd_o311_errors(r, j->fmt, 403, &m, 1);
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	j->key_id = k.id;
	int retry = 0;
	/* --rate-limit-exempt loopback (benchmarks) lifts the key's budget for loopback clients
	 * as it lifts the per-address one. */
	if (!pd_ratelimit_exempt(r->app->cfg->rate_limit_exempt, r->client_ip) &&
	    !pd_ratelimit_take(r->app->rl, pd_arena_printf(r->arena, "apikey:%s", k.id),
	                       pd_route_index(r->route), (int)k.per_min, &retry)) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", retry > 0 ? retry : 1);
		pd_reply_header(r, "Retry-After", ra);
		pd_reply_error(r, PD_E_RATE_LIMITED, NULL);
		return;
	}
	const char *msgs[8];
	int n = 0;
	struct pd_open311_post *in = &j->in;
	in->service_code = pd_o311_arg(r, "service_code", true);
	if (!in->service_code)
		msgs[n++] = "service_code is required";
	in->jurisdiction = pd_o311_arg(r, "jurisdiction_id", true);
	in->description = pd_o311_arg(r, "description", true);
	in->address = pd_o311_arg(r, "address_string", true);
	const char *address_id = pd_o311_arg(r, "address_id", true);
	in->village = pd_o311_arg(r, "attribute[village]", true);
	if (!in->village)
		in->village = address_id;
	const char *lat = pd_o311_arg(r, "lat", true), *lon = pd_o311_arg(r, "long", true);
	if (lat || lon) {
		in->has_location = true;
		if (!lat || !lon || !parse_e6(lat, &in->lat_e6) || !parse_e6(lon, &in->lon_e6) ||
		    in->lat_e6 < -90000000 || in->lat_e6 > 90000000 || in->lon_e6 < -180000000 ||
		    in->lon_e6 > 180000000)
			msgs[n++] = "lat and long must both be given as decimal degrees (WGS84)";
	} else if (!in->address && !address_id) {
		msgs[n++] = "a location is required: lat and long, address_string or address_id";
	}
	in->email = pd_o311_arg(r, "email", true);
	in->first_name = pd_o311_arg(r, "first_name", true);
	in->last_name = pd_o311_arg(r, "last_name", true);
	in->phone = pd_o311_arg(r, "phone", true);
	in->media_url = pd_o311_arg(r, "media_url", true);
	if (in->media_url && !media_ok(in->media_url))
		msgs[n++] = "media_url must be an http or https URL of at most 1000 bytes";
	const char *idem = pd_req_header(r, "Idempotency-Key");
	if (idem && (!*idem || strlen(idem) > IDEMPOTENCY_MAX))
		msgs[n++] = "Idempotency-Key must be 1 to 200 bytes";
	in->idempotency_key = idem;
	if (n) {
		pd_o311_errors(r, j->fmt, 400, msgs, n);
		return;
	}
	j->c.ks = r->app->keys;
	j->c.cal = pd_http_calendar(r);
	r->user = j;
	pd_req_write(r, post_tx, j, post_done);
}
