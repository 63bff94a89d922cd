/* /api/v1/petitions: public petitions as JSON — counts with verified and self-declared NIKs
 * apart, the threshold, the obligation to answer with its due date and overdue flag, and the
 * unit's answer. Never a signer's NIK; names only of signers who agreed (the HTML page). */
#include "api/petitions.h"

#include <string.h>

#include "core/calendar.h"
#include "core/cursor.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/petition.h"
#include "http/app.h"

#define DAY_MS INT64_C(86400000)
#define CURSOR_KIND 7 /* k1 of a petitions cursor, so a cursor of another list is refused */

/* RFC 3339 UTC text of ms, or JSON null for 0. New reference. */
static json_t *utc_or_null(struct pd_arena *a, int64_t ms)
{
	if (!ms)
		return json_null();
	int64_t day = ms / DAY_MS, rest = ms % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	return json_string(pd_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
	                                   (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                                   (int)(rest / 1000 % 60), (int)(rest % 1000)));
}

static json_t *petition_json(struct pd_req *r, const struct pd_petition *p, bool full)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(p->id));
	json_object_set_new(o, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(o, "unit", json_pack("{s:s,s:s}", "slug", p->unit_slug ? p->unit_slug : "",
	                                         "name", p->unit_name ? p->unit_name : ""));
	json_object_set_new(o, "status", json_string(pd_petition_status_name(p->status)));
	json_object_set_new(o, "collecting", json_boolean(p->collecting));
	json_object_set_new(o, "signatures",
	                    json_pack("{s:I,s:I,s:I}", "total",
	                              (json_int_t)(p->n_verified + p->n_self_declared), "verified_nik",
	                              (json_int_t)p->n_verified, "self_declared_nik",
	                              (json_int_t)p->n_self_declared));
	json_object_set_new(o, "threshold", json_integer(p->threshold));
	json_object_set_new(o, "opens_at", utc_or_null(r->arena, p->opens_ms));
	json_object_set_new(o, "closes_at", utc_or_null(r->arena, p->closes_ms));
	json_object_set_new(o, "threshold_reached_at", utc_or_null(r->arena, p->reached_ms));
	json_object_set_new(o, "answer_due_at", utc_or_null(r->arena, p->answer_due_ms));
	json_object_set_new(o, "answered_at", utc_or_null(r->arena, p->answered_ms));
	json_object_set_new(o, "overdue", json_boolean(p->overdue));
	if (full) {
		json_object_set_new(o, "text", json_string(p->body ? p->body : ""));
		json_object_set_new(o, "ask", json_string(p->ask ? p->ask : ""));
		json_object_set_new(o, "answer_days", json_integer(p->answer_days));
		json_object_set_new(o, "answer", p->answer ? json_string(p->answer) : json_null());
	}
	return o;
}

static void reply_invalid(struct pd_req *r, const char *field, const char *message)
{
	pd_reply_json(r, 422,
	              json_pack("{s:{s:s,s:s,s:{s:s}}}", "error", "code", "invalid", "message",
	                        "Some parameters are not valid: see fields.", "fields", field,
	                        message));
}

void pd_api_petitions(struct pd_req *r)
{
	int limit;
	struct pd_cursor cur = {0};
	const char *cursor = pd_req_query(r, "cursor");
	if (pd_cursor_limit(pd_req_query(r, "limit"), 50, PD_PETITION_PAGE_MAX, &limit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "limit must be a whole number from 1 to 200");
		return;
	}
	if (cursor && (pd_cursor_decode(r->arena, cursor, &cur) || cur.k1 != CURSOR_KIND ||
	               !pd_uuid_valid(cur.k2))) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "cursor is not one this server gave");
		return;
	}
	struct pd_petition *rows = pd_arena_alloc(r->arena, (size_t)limit * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	int rc = pd_petition_list(r->store, pd_req_query(r, "unit"), cursor ? cur.k2 : NULL, limit,
	                          r->arena, rows, &n, &next);
	if (rc == PD_ERR_NOT_FOUND) {
		reply_invalid(r, "unit", "no unit with this slug");
		return;
	}
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_INVALID ? PD_E_BAD_REQUEST : PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, petition_json(r, &rows[i], false));
	json_t *nc = json_null();
	if (next) {
		struct pd_cursor c = {CURSOR_KIND, next};
		nc = json_string(pd_cursor_encode(r->arena, &c));
	}
	pd_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", nc));
}

void pd_api_petition(struct pd_req *r)
{
	struct pd_petition p;
	/* Anonymous: only public petitions are found. */
	int rc = pd_petition_get(r->store, r->app->keys, NULL, r->params[0], r->arena, &p);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "no public petition with this id");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	pd_reply_json(r, 200, petition_json(r, &p, true));
}
