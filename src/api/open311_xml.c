/* Open311 replies: the format from the suffix, one jansson value written as JSON or as the
 * specification's XML, the error list, and W3C date-times in the installation's zone. */
#include <stdlib.h>
#include <string.h>

#include "api/open311_internal.h"
#include "core/calendar.h"
#include "core/err.h"
#include "core/str.h"
#include "http/app.h"
#include "render/escape.h"

#define DAY_MS INT64_C(86400000)
/* The largest answer: 1000 requests of 4000-character texts escaped (up to 6 bytes each). */
#define XML_MAX (64u * 1024 * 1024)

bool pd_o311_fmt_or_reply(struct pd_req *r, const char *param, bool bare, const char **name,
                          enum pd_o311_fmt *fmt)
{
	const char *dot = param ? strrchr(param, '.') : NULL;
	const char *ext = bare ? param : dot ? dot + 1 : NULL;
	size_t n = bare || !dot ? 0 : (size_t)(dot - param);
	if (ext && strcmp(ext, "json") == 0)
		*fmt = PD_O311_JSON;
	else if (ext && strcmp(ext, "xml") == 0)
		*fmt = PD_O311_XML;
	else {
		pd_reply_error(r, PD_E_NOT_FOUND, "Unknown resource: add .xml or .json to the path.");
		return false;
	}
	if (!bare && n == 0) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return false;
	}
	*name = bare ? "" : pd_arena_strndup(r->arena, param, n);
	return true;
}

const char *pd_o311_arg(struct pd_req *r, const char *key, bool form)
{
	const char *v = form ? pd_req_form(r, key) : pd_req_query(r, key);
	return v && *v ? v : NULL;
}

static const char *singular(const char *name)
{
	static const char *const map[][2] = {
		{"services", "service"},   {"service_requests", "request"},
		{"attributes", "attribute"}, {"values", "value"},
		{"endpoints", "endpoint"}, {"formats", "format"},
		{"errors", "error"},       {"service_request_updates", "request_update"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], name) == 0)
			return map[i][1];
	return "item";
}

/* Bytes at s that start a character XML 1.0 forbids (C0 controls but tab, LF, CR, and the
 * non-characters U+FFFE and U+FFFF, EF BF BE / EF BF BF in UTF-8): how many to drop, else 0.
 * Surrogates and other invalid UTF-8 never reach here (jansson refuses them). */
static size_t xml_forbidden(const unsigned char *s)
{
	if (s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r')
		return 1;
	if (s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
		return 3;
	return 0;
}

/* Text escaped for XML; characters XML 1.0 forbids dropped. */
static int xml_text(struct pd_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = PD_OK;
	while (*p) {
		size_t run = 0, skip = 0;
		while (p[run] && !(skip = xml_forbidden(p + run)))
			run++;
		rc |= pd_html_escape(b, (const char *)p, run);
		p += run + skip;
	}
	return rc;
}

int pd_o311_xml(struct pd_buf *b, const char *name, json_t *v)
{
	if (!v || json_is_null(v))
		return pd_buf_printf(b, "<%s/>", name);
	int rc = pd_buf_printf(b, "<%s>", name);
	if (json_is_object(v)) {
		const char *k;
		json_t *child;
		json_object_foreach(v, k, child)
			rc |= pd_o311_xml(b, k, child);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *child;
		const char *item = singular(name);
		json_array_foreach(v, i, child)
			rc |= pd_o311_xml(b, item, child);
	} else if (json_is_string(v)) {
		rc |= xml_text(b, json_string_value(v));
	} else if (json_is_true(v) || json_is_false(v)) {
		rc |= pd_buf_puts(b, json_is_true(v) ? "true" : "false");
	} else if (json_is_integer(v)) {
		rc |= pd_buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		rc |= pd_buf_printf(b, "%.9g", json_real_value(v));
	}
	rc |= pd_buf_printf(b, "</%s>", name);
	return rc ? PD_ERR_TOO_LARGE : PD_OK;
}

void pd_o311_reply(struct pd_req *r, enum pd_o311_fmt fmt, int status, const char *root,
                   json_t *body)
{
	if (fmt == PD_O311_JSON) {
		char *s = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(9));
		json_decref(body);
		if (!s) {
			pd_reply_error(r, PD_E_INTERNAL, NULL);
			return;
		}
		pd_reply_bytes(r, status, "application/json; charset=utf-8", s, strlen(s));
		free(s);
		return;
	}
	struct pd_buf b;
	pd_buf_init(&b, XML_MAX);
	pd_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	int rc = pd_o311_xml(&b, root, body);
	pd_buf_putc(&b, '\n');
	json_decref(body);
	if (rc) { /* never a truncated, malformed document with 200 */
		pd_buf_free(&b);
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	pd_reply_bytes(r, status, "application/xml; charset=utf-8", b.data, b.len);
	pd_buf_free(&b);
}

void pd_o311_errors(struct pd_req *r, enum pd_o311_fmt fmt, int status, const char **messages,
                    int n)
{
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:i,s:s}", "code", status, "description",
		                                      pd_req_t(r, messages[i])));
	pd_o311_reply(r, fmt, status, "errors", list);
}

static int tz_min(struct pd_req *r)
{
	return r->app && r->app->cfg ? r->app->cfg->tz_offset_min : 420;
}

const char *pd_o311_time(struct pd_req *r, int64_t ms)
{
	int tz = tz_min(r);
	int64_t local = ms + (int64_t)tz * 60000;
	int64_t day = local / DAY_MS, rest = local % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	int atz = tz < 0 ? -tz : tz;
	return pd_arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d,
	                       (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                       (int)(rest / 1000 % 60), tz < 0 ? '-' : '+', atz / 60, atz % 60);
}

json_t *pd_o311_time_json(struct pd_req *r, int64_t ms)
{
	return ms ? json_string(pd_o311_time(r, ms)) : json_null();
}

/* Exactly n ASCII digits (no sign, no space: "+1" is not a month) in [lo, hi]. */
static bool digits(const char *s, int n, int64_t lo, int64_t hi, int64_t *out)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return pd_parse_i64n(s, (size_t)n, lo, hi, out) == 0;
}

bool pd_o311_parse_time(struct pd_req *r, const char *s, bool end, int64_t *out)
{
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
	size_t n = s ? strlen(s) : 0;
	if (n < 10 || n > 40 || s[4] != '-' || s[7] != '-' || !digits(s, 4, 1970, 9999, &y) ||
	    !digits(s + 5, 2, 1, 12, &mo) || !digits(s + 8, 2, 1, 31, &d))
		return false;
	int y2, m2, d2;
	int32_t day = pd_civil_day((int)y, (int)mo, (int)d);
	pd_civil_from_day(day, &y2, &m2, &d2);
	if (d2 != d) /* 31 February */
		return false;
	int64_t zone = (int64_t)tz_min(r);
	const char *p = s + 10;
	bool has_time = *p == 'T' || *p == 't';
	if (has_time) {
		p++;
		if (strlen(p) < 5 || p[2] != ':' || !digits(p, 2, 0, 23, &h) ||
		    !digits(p + 3, 2, 0, 59, &mi))
			return false;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, 0, 60, &sec))
				return false;
			p += 3;
			if (*p == '.') {
				p++;
				int k = 0;
				while (*p >= '0' && *p <= '9') {
					if (k < 3)
						frac = frac * 10 + (*p - '0');
					k++;
					p++;
				}
				if (k == 0)
					return false;
				for (; k < 3; k++)
					frac *= 10;
			}
		}
		if (*p == 'Z' || *p == 'z') {
			zone = 0;
			p++;
		} else if (*p == '+' || *p == '-' || *p == ' ') {
			int64_t zh, zm;
			int sign = *p == '-' ? -1 : 1;
			p++;
			if (!digits(p, 2, 0, 14, &zh))
				return false;
			p += 2;
			if (*p == ':')
				p++;
			if (!digits(p, 2, 0, 59, &zm))
				return false;
			p += 2;
			zone = sign * (zh * 60 + zm);
		}
	}
	if (*p)
		return false;
	int64_t ms = (int64_t)day * DAY_MS + h * 3600000 + mi * 60000 + sec * 1000 + frac;
	if (!has_time && end)
		ms += DAY_MS - 1;
	*out = ms - zone * 60000;
	return true;
}

const char *pd_o311_base(struct pd_req *r)
{
	const char *pub = r->app && r->app->cfg ? r->app->cfg->public_url : NULL;
	if (pub && *pub) {
		size_t n = strlen(pub);
		while (n > 0 && pub[n - 1] == '/')
			n--;
		return pd_arena_strndup(r->arena, pub, n);
	}
	const char *host = pd_req_header(r, "Host");
	bool ok = host && *host && strlen(host) < 256;
	for (const char *p = host; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		     *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
	return pd_arena_printf(r->arena, "%s://%s", r->https ? "https" : "http",
	                       ok ? host : "localhost");
}
