/* /api/v1/calendar/due: the one due-date function (pd_calendar_due) for programs, counted by the
 * calendar the database holds now. */
#include "api/calendar.h"

#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/str.h"
#include "http/app.h"
#include "http/calendar_req.h"

#define DAY_MS INT64_C(86400000)
#define DAYS_MAX 1000

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Parses an RFC 3339 date-time ("2027-03-05T10:00:00+07:00", fraction optional) into UTC ms. */
static int parse_rfc3339(const char *s, int64_t *out)
{
	int64_t y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0;
	size_t n = strlen(s);
	if (n < 20 || n > 40 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' || pd_parse_i64n(s, 4, 1900, 9999, &y) ||
	    pd_parse_i64n(s + 5, 2, 1, 12, &mo) || pd_parse_i64n(s + 8, 2, 1, 31, &d) ||
	    pd_parse_i64n(s + 11, 2, 0, 23, &h) || pd_parse_i64n(s + 14, 2, 0, 59, &mi) ||
	    pd_parse_i64n(s + 17, 2, 0, 60, &sec))
		return -1;
	int32_t day = pd_civil_day((int)y, (int)mo, (int)d);
	int ry, rm, rd;
	pd_civil_from_day(day, &ry, &rm, &rd);
	if (ry != y || rm != mo || rd != d)
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		int digits = 0;
		while (*p >= '0' && *p <= '9') {
			if (digits < 3)
				frac = frac * 10 + (*p - '0');
			digits++;
			p++;
		}
		if (!digits || digits > 9)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	int sign = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' &&
	           !pd_parse_i64n(p + 1, 2, 0, 23, &oh) && !pd_parse_i64n(p + 4, 2, 0, 59, &om)) {
		sign = *p == '+' ? 1 : -1;
	} else {
		return -1;
	}
	if (sec == 60)
		sec = 59; /* a leap second counts as the second before it */
	*out = (int64_t)day * DAY_MS + h * 3600000 + mi * 60000 + sec * 1000 + frac -
	       sign * (oh * 3600000 + om * 60000);
	return 0;
}

/* "2027-03-16T16:59:59.999Z", arena-owned. */
static const char *utc_text(struct pd_req *r, int64_t ms)
{
	int64_t day = floor_div(ms, DAY_MS), rest = ms - day * DAY_MS;
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	return pd_arena_printf(r->arena, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
	                       (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                       (int)(rest / 1000 % 60), (int)(rest % 1000));
}

static void reply_invalid(struct pd_req *r, json_t *fields)
{
	pd_reply_json(r, 422,
	              json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "invalid", "message",
	                        "Some parameters are not valid: see fields.", "fields", fields));
}

void pd_api_calendar_due(struct pd_req *r)
{
	json_t *fields = json_object();
	const char *received = pd_req_query(r, "received");
	const char *days = pd_req_query(r, "days");
	int64_t received_ms = pd_clock_now_ms(), n_days = 0;
	if (received && parse_rfc3339(received, &received_ms))
		json_object_set_new(fields, "received",
		                    json_string("an RFC 3339 date-time, e.g. 2027-03-05T10:00:00+07:00"));
	if (!days || !*days)
		json_object_set_new(fields, "days", json_string("required: working days, 1 to 1000"));
	else if (pd_parse_i64(days, 1, DAYS_MAX, &n_days))
		json_object_set_new(fields, "days", json_string("a whole number of working days, 1 to 1000"));
	if (json_object_size(fields)) {
		reply_invalid(r, fields);
		return;
	}
	json_decref(fields);
	const struct pd_calendar *cal = pd_http_calendar_fresh(r);
	int64_t due = pd_calendar_due(cal, received_ms, (int)n_days, NULL, 0);
	int32_t due_day = pd_calendar_day_of(cal, due);
	int y, m, d;
	pd_civil_from_day(due_day, &y, &m, &d);
	int last = pd_calendar_last_year(cal);
	int tz = r->app->cfg->tz_offset_min;
	int atz = tz < 0 ? -tz : tz;
	json_t *body = json_pack(
		"{s:s,s:i,s:s,s:s,s:s,s:{s:i},s:b}", "received", utc_text(r, received_ms), "days",
		(int)n_days, "due", utc_text(r, due), "due_date",
		pd_arena_printf(r->arena, "%04d-%02d-%02d", y, m, d), "time_zone",
		pd_arena_printf(r->arena, "%c%02d:%02d", tz < 0 ? '-' : '+', atz / 60, atz % 60),
		"calendar", "last_year", last, "beyond_calendar",
		!last || y > last);
	pd_reply_json(r, 200, body);
}
