/* /api/v1/consultations: public consultations on drafts as JSON (see consultations.h). */
#include "api/consultations.h"

#include <string.h>

#include "core/clock.h"
#include "core/cursor.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/consult.h"
#include "core/calendar.h"

#define DAY_MS INT64_C(86400000)

/* RFC 3339 in UTC with milliseconds, arena-owned. */
static const char *rfc3339(struct pd_arena *a, int64_t ms)
{
	int64_t day = ms / DAY_MS, rest = ms % DAY_MS;
	if (rest < 0) {
		rest += DAY_MS;
		day--;
	}
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	return pd_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
	                       (int)(rest / 3600000), (int)(rest / 60000 % 60),
	                       (int)(rest / 1000 % 60), (int)(rest % 1000));
}

static json_t *summary(struct pd_req *r, const struct pd_cs_row *c, int64_t now)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "slug", json_string(c->slug));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "summary", json_string(c->summary));
	json_object_set_new(o, "unit", json_pack("{s:s,s:s}", "slug", c->unit_slug ? c->unit_slug : "",
	                                         "name", c->unit_name ? c->unit_name : ""));
	json_object_set_new(o, "opens_at", json_string(rfc3339(r->arena, c->opens_ms)));
	json_object_set_new(o, "closes_at", json_string(rfc3339(r->arena, c->closes_ms)));
	json_object_set_new(o, "status", json_string(now < c->closes_ms ? "open" : "closed"));
	json_object_set_new(o, "versions", json_integer(c->n_versions));
	json_object_set_new(o, "report_published", json_boolean(c->report_ms != 0));
	json_object_set_new(o, "url", json_string(pd_arena_printf(r->arena, "/partisipasi/konsultasi/%s", c->slug)));
	return o;
}

void pd_api_consultations(struct pd_req *r)
{
	int limit;
	const char *open = pd_req_query(r, "open");
	if (open && strcmp(open, "true") != 0 && strcmp(open, "false") != 0) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "open must be true or false");
		return;
	}
	if (pd_cursor_limit(pd_req_query(r, "limit"), 50, PD_CONSULT_PAGE_MAX, &limit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "limit must be a whole number from 1 to 200");
		return;
	}
	int64_t now = pd_clock_now_ms();
	struct pd_cs_row *rows = pd_arena_alloc(r->arena, sizeof *rows * (size_t)limit);
	int n = 0;
	const char *next = NULL;
	int rc = pd_consult_list(r->store, open && strcmp(open, "true") == 0, pd_req_query(r, "cursor"),
	                         limit, now, r->arena, rows, &n, &next);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "cursor is not one this server gave");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, summary(r, &rows[i], now));
	pd_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor",
	                                next ? json_string(next) : json_null()));
}

static json_t *nullable(const char *s)
{
	return s ? json_string(s) : json_null();
}

void pd_api_consultation(struct pd_req *r)
{
	int64_t version = 0;
	const char *v = pd_req_query(r, "version");
	if (v && pd_parse_i64(v, 1, PD_CONSULT_VERSIONS_MAX, &version)) {
		pd_reply_error(r, PD_E_NOT_FOUND, "no such version");
		return;
	}
	int64_t now = pd_clock_now_ms();
	struct pd_consult_view *view = pd_arena_alloc(r->arena, sizeof *view);
	int rc = pd_consult_get(r->store, NULL, r->params[0], false, version, now, r->arena, view);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "no published consultation with this slug");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *o = summary(r, &view->c, now);
	json_object_set_new(o, "version", json_integer(view->version));
	json_t *versions = json_array();
	for (int i = 0; i < view->n_versions; i++)
		json_array_append_new(versions, json_pack("{s:I,s:s,s:s}", "number", (json_int_t)view->versions[i].n,
		                                          "note", view->versions[i].note, "published_at",
		                                          rfc3339(r->arena, view->versions[i].published_ms)));
	json_object_set_new(o, "version_history", versions);
	json_t *sections = json_array();
	for (int i = -1; i < view->n_sections; i++) {
		const struct pd_consult_section *s = i < 0 ? &view->whole : &view->sections[i];
		json_t *so = json_pack("{s:s,s:s,s:{s:i,s:i,s:i,s:i}}", "id", s->anchor, "title",
		                       i < 0 ? "" : s->title, "figures", "comments", s->comments,
		                       "support", s->support, "oppose", s->oppose, "neutral", s->neutral);
		if (i >= 0)
			json_object_set_new(so, "html", json_string(s->html));
		json_object_set_new(so, "response", nullable(s->response));
		json_array_append_new(sections, so);
	}
	json_object_set_new(o, "sections", sections);
	json_t *comments = json_array();
	for (int i = 0; i < view->n_comments; i++) {
		const struct pd_consult_comment *c = &view->comments[i];
		json_t *co = json_object();
		json_object_set_new(co, "id", json_string(c->id));
		json_object_set_new(co, "parent_id", nullable(c->parent_id));
		json_object_set_new(co, "section", json_string(c->section));
		json_object_set_new(co, "version", json_integer(c->version));
		json_object_set_new(co, "stance", nullable(c->stance));
		json_object_set_new(co, "state", json_string(c->state));
		json_object_set_new(co, "author", nullable(c->author));
		json_object_set_new(co, "body", nullable(c->body));
		json_object_set_new(co, "moderation_reason", nullable(c->mod_reason));
		json_object_set_new(co, "created_at", json_string(rfc3339(r->arena, c->created_ms)));
		json_array_append_new(comments, co);
	}
	json_object_set_new(o, "comments", comments);
	json_object_set_new(o, "comments_truncated", json_boolean(view->more_comments));
	json_object_set_new(o, "report", view->c.report_ms
	                                         ? json_pack("{s:s,s:s}", "changes",
	                                                     view->c.report_changes ? view->c.report_changes : "",
	                                                     "published_at",
	                                                     rfc3339(r->arena, view->c.report_ms))
	                                         : json_null());
	pd_reply_json(r, 200, o);
}
