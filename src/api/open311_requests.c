/* Open311 reads: GET requests (filters, the 90-day window, page/page_size), one request,
 * tokens (the token is the tracking number) and FixMyStreet's servicerequestupdates. Only
 * published complaints, only their public fields: nothing of the reporter ever. */
#include <string.h>

#include "api/open311.h"
#include "api/open311_internal.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/complaint.h"
#include "domain/open311.h"

#define WINDOW_MS (INT64_C(90) * 86400000) /* the standard's default span: 90 days */

/* A single-error 400 in the request's format. */
static void bad(struct pd_req *r, enum pd_o311_fmt fmt, const char *message)
{
	pd_o311_errors(r, fmt, 400, &message, 1);
}

/* The window, paging and jurisdiction shared by requests and updates into q; false after
 * replying 400. */
static bool window_or_reply(struct pd_req *r, enum pd_o311_fmt fmt, struct pd_open311_query *q)
{
	const char *start = pd_o311_arg(r, "start_date", false);
	const char *end = pd_o311_arg(r, "end_date", false);
	int64_t since = 0, until = 0, now = pd_clock_now_ms();
	if (start && !pd_o311_parse_time(r, start, false, &since)) {
		bad(r, fmt, "start_date must be a W3C date-time, e.g. 2026-11-01T00:00:00+07:00");
		return false;
	}
	if (end && !pd_o311_parse_time(r, end, true, &until)) {
		bad(r, fmt, "end_date must be a W3C date-time, e.g. 2026-11-30T23:59:59+07:00");
		return false;
	}
	if (start && end) {
		if (until < since) {
			bad(r, fmt, "end_date is before start_date");
			return false;
		}
		if (until - since > WINDOW_MS) {
			bad(r, fmt, "the range from start_date to end_date may span at most 90 days");
			return false;
		}
	} else if (start) {
		until = since + WINDOW_MS;
	} else if (end) {
		since = until - WINDOW_MS;
	} else {
		until = now;
		since = now - WINDOW_MS;
	}
	int64_t page = 1, page_size = PD_OPEN311_PAGE_MAX;
	const char *ps = pd_o311_arg(r, "page_size", false), *pg = pd_o311_arg(r, "page", false);
	if (ps && pd_parse_i64(ps, 1, PD_OPEN311_PAGE_MAX, &page_size)) {
		bad(r, fmt, "page_size must be a whole number from 1 to 1000");
		return false;
	}
	if (pg && pd_parse_i64(pg, 1, PD_OPEN311_DEPTH_MAX, &page)) {
		bad(r, fmt, "page must be a whole number from 1");
		return false;
	}
	if ((page - 1) * page_size >= PD_OPEN311_DEPTH_MAX) {
		bad(r, fmt, "pages end 10000 requests deep: narrow the dates instead");
		return false;
	}
	q->jurisdiction = pd_o311_arg(r, "jurisdiction_id", false);
	q->since_ms = since;
	q->until_ms = until;
	q->limit = (int)page_size;
	q->offset = (page - 1) * page_size;
	return true;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *request_json(struct pd_req *r, const struct pd_open311_request *q)
{
	json_t *o = json_object();
	json_object_set_new(o, "service_request_id", json_string(q->tracking));
	json_object_set_new(o, "status", json_string(q->closed ? "closed" : "open"));
	json_object_set_new(o, "status_notes", str_or_null(q->status_notes));
	json_object_set_new(o, "service_name", str_or_null(q->service_name));
	json_object_set_new(o, "service_code", json_string(q->service_code ? q->service_code : ""));
	json_object_set_new(o, "description", str_or_null(q->description));
	json_object_set_new(o, "agency_responsible", str_or_null(q->agency));
	json_object_set_new(o, "service_notice", json_null());
	json_object_set_new(o, "requested_datetime", json_string(pd_o311_time(r, q->requested_ms)));
	json_object_set_new(o, "updated_datetime", pd_o311_time_json(r, q->updated_ms));
	/* The issue: expected_datetime is the due date (also once closed: when it was due). */
	json_object_set_new(o, "expected_datetime", pd_o311_time_json(r, q->expected_ms));
	json_object_set_new(o, "address", str_or_null(q->address));
	json_object_set_new(o, "address_id", str_or_null(q->address_id));
	json_object_set_new(o, "zipcode", json_null());
	json_object_set_new(o, "lat", q->has_location ? json_real((double)q->lat_e6 / 1e6) : json_null());
	json_object_set_new(o, "long", q->has_location ? json_real((double)q->lon_e6 / 1e6) : json_null());
	json_object_set_new(
		o, "media_url",
		q->n_photos > 0 ? json_string(pd_arena_printf(r->arena, "%s/pengaduan/%s/foto/1",
		                                              pd_o311_base(r), q->tracking))
		                : json_null());
	return o;
}

/* service_request_id=A,B,…: each published one, in the order asked; unknown ones left out. */
static void by_ids(struct pd_req *r, enum pd_o311_fmt fmt, const char *ids)
{
	json_t *list = json_array();
	int count = 0;
	const char *p = ids;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (++count > PD_OPEN311_IDS_MAX) {
			json_decref(list);
			bad(r, fmt, "at most 100 service_request_id values at once");
			return;
		}
		const char *id = pd_arena_strndup(r->arena, p, n);
		struct pd_open311_request q;
		int rc = *id ? pd_open311_request(r->store, id, r->arena, &q) : PD_ERR_NOT_FOUND;
		if (rc == PD_OK)
			json_array_append_new(list, request_json(r, &q));
		else if (rc != PD_ERR_NOT_FOUND) {
			json_decref(list);
			pd_reply_error(r, PD_E_INTERNAL, NULL);
			return;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	pd_o311_reply(r, fmt, 200, "service_requests", list);
}

static bool codes_ok(const char *s)
{
	if (strlen(s) > 1000)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == ','))
			return false;
	return true;
}

void pd_api_o311_requests(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *name;
	if (!pd_o311_fmt_or_reply(r, r->params[0], true, &name, &fmt))
		return;
	const char *ids = pd_o311_arg(r, "service_request_id", false);
	if (ids) { /* overrides every other parameter */
		by_ids(r, fmt, ids);
		return;
	}
	struct pd_open311_query q = {0};
	if (!window_or_reply(r, fmt, &q))
		return;
	const char *status = pd_o311_arg(r, "status", false);
	if (status) {
		if (strcmp(status, "open") == 0 || strcmp(status, "closed") == 0)
			q.status = status;
		else if (strcmp(status, "open,closed") != 0 && strcmp(status, "closed,open") != 0) {
			bad(r, fmt, "status must be open, closed or both (comma separated)");
			return;
		}
	}
	q.codes = pd_o311_arg(r, "service_code", false);
	if (q.codes && !codes_ok(q.codes)) {
		bad(r, fmt, "service_code must be service codes separated by commas");
		return;
	}
	struct pd_open311_request *rows = pd_arena_alloc(r->arena, (size_t)q.limit * sizeof *rows);
	int n = 0;
	int rc = pd_open311_requests(r->store, &q, r->arena, rows, &n);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "jurisdiction_id not found");
		return;
	}
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_INVALID ? PD_E_BAD_REQUEST : PD_E_INTERNAL, NULL);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list, request_json(r, &rows[i]));
	pd_o311_reply(r, fmt, 200, "service_requests", list);
}

void pd_api_o311_request(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *id;
	if (!pd_o311_fmt_or_reply(r, r->params[0], false, &id, &fmt))
		return;
	struct pd_open311_request q;
	int rc = pd_open311_request(r->store, id, r->arena, &q);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL,
		               rc == PD_ERR_NOT_FOUND ? "service_request_id not found" : NULL);
		return;
	}
	json_t *list = json_array();
	json_array_append_new(list, request_json(r, &q));
	pd_o311_reply(r, fmt, 200, "service_requests", list);
}

void pd_api_o311_token(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *token;
	if (!pd_o311_fmt_or_reply(r, r->params[0], false, &token, &fmt))
		return;
	/* Requests get their id at once: the token is the tracking number itself. Only published
	 * complaints answer (a confidential one does not appear at all). */
	struct pd_open311_request c;
	int rc = pd_open311_request(r->store, token, r->arena, &c);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_NOT_FOUND ? PD_E_NOT_FOUND : PD_E_INTERNAL,
		               rc == PD_ERR_NOT_FOUND ? "token not found" : NULL);
		return;
	}
	json_t *list = json_array();
	json_array_append_new(list, json_pack("{s:s,s:s}", "service_request_id", c.tracking,
	                                      "token", token));
	pd_o311_reply(r, fmt, 200, "service_requests", list);
}

void pd_api_o311_updates(struct pd_req *r)
{
	enum pd_o311_fmt fmt;
	const char *name;
	if (!pd_o311_fmt_or_reply(r, r->params[0], true, &name, &fmt))
		return;
	struct pd_open311_query q = {0};
	if (!window_or_reply(r, fmt, &q))
		return;
	struct pd_open311_update *rows = pd_arena_alloc(r->arena, (size_t)q.limit * sizeof *rows);
	int n = 0;
	int rc = pd_open311_updates(r->store, &q, r->arena, rows, &n);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "jurisdiction_id not found");
		return;
	}
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_INVALID ? PD_E_BAD_REQUEST : PD_E_INTERNAL, NULL);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			list, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "update_id", rows[i].id,
		                        "service_request_id", rows[i].tracking, "status",
		                        rows[i].closed ? "CLOSED" : "OPEN", "updated_datetime",
		                        pd_o311_time(r, rows[i].at_ms), "description",
		                        rows[i].note ? rows[i].note : "", "media_url", ""));
	pd_o311_reply(r, fmt, 200, "service_request_updates", list);
}
