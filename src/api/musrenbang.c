/* /api/v1/musrenbang/rounds: the Musrenbang rounds and one round with its proposals and frozen
 * results as JSON (issue #7). Amounts are whole rupiah; times RFC 3339 UTC. */
#include "api/musrenbang.h"

#include <string.h>

#include "core/cursor.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/musrenbang.h"
#include "core/calendar.h"

#define CURSOR_KIND 26 /* k1 of a rounds cursor: a cursor of another list is refused */
#define DAY_MS INT64_C(86400000)

/* "2026-11-27T14:05:09.123Z" (RFC 3339, UTC), arena-owned. */
static const char *utc_text(struct pd_arena *a, int64_t ms)
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

static json_t *round_json(struct pd_req *r, const struct pd_mus_round_row *x)
{
	struct pd_arena *a = r->arena;
	return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:I,s:s,s:I,s:I,s:{s:s,s:s,s:s,s:s}}", "id",
	                 x->id, "title", x->title, "level", x->level, "unit", "slug",
	                 x->unit_slug ? x->unit_slug : "", "name", x->unit_name ? x->unit_name : "",
	                 "year", (json_int_t)x->year, "phase", x->phase, "budget",
	                 (json_int_t)x->budget, "carry_up", (json_int_t)x->carry_up, "phase_ends",
	                 "proposals", utc_text(a, x->proposals_until), "verification",
	                 utc_text(a, x->verification_until), "voting",
	                 utc_text(a, x->voting_until), "ranking",
	                 utc_text(a, x->ranking_until));
}

void pd_api_musrenbang_rounds(struct pd_req *r)
{
	int limit;
	struct pd_cursor cur = {0};
	const char *cursor = pd_req_query(r, "cursor");
	if (pd_cursor_limit(pd_req_query(r, "limit"), 50, PD_MUS_PAGE_MAX, &limit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "limit must be a whole number from 1 to 200");
		return;
	}
	if (cursor && (pd_cursor_decode(r->arena, cursor, &cur) || cur.k1 != CURSOR_KIND ||
	               !pd_uuid_valid(cur.k2))) {
		pd_reply_error(r, PD_E_BAD_REQUEST, "cursor is not one this server gave");
		return;
	}
	struct pd_mus_round_row *rows = pd_arena_alloc(r->arena, (size_t)limit * sizeof *rows);
	int n = 0;
	const char *next = NULL;
	if (pd_mus_round_list(r->store, cursor ? cur.k2 : NULL, limit, r->arena, rows, &n, &next)) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(items, round_json(r, &rows[i]));
	json_t *nc = json_null();
	if (next) {
		struct pd_cursor c = {CURSOR_KIND, next};
		nc = json_string(pd_cursor_encode(r->arena, &c));
	}
	pd_reply_json(r, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", nc));
}

void pd_api_musrenbang_round(struct pd_req *r)
{
	struct pd_mus_round_view v;
	int rc = pd_mus_round_get(r->store, NULL, r->params[0], 0, r->arena, &v);
	if (rc == PD_ERR_NOT_FOUND) {
		pd_reply_error(r, PD_E_NOT_FOUND, "no Musrenbang round with this id");
		return;
	}
	if (rc) {
		pd_reply_error(r, PD_E_INTERNAL, NULL);
		return;
	}
	json_t *o = round_json(r, &v.round);
	json_object_set_new(o, "ballots", json_integer(v.n_ballots));
	json_t *ps = json_array();
	for (int i = 0; i < v.n_proposals; i++) {
		const struct pd_mus_proposal_row *p = &v.proposals[i];
		json_t *x = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:o,s:s}", "id", p->id, "title",
		                      p->title, "location", p->location, "beneficiaries",
		                      p->beneficiaries, "estimated_cost", (json_int_t)p->est_cost,
		                      "status", p->status, "checked_cost",
		                      strcmp(p->status, "feasible") == 0 ? json_integer(p->checked_cost)
		                                                         : json_null(),
		                      "origin_proposal_id",
		                      p->origin_proposal_id ? json_string(p->origin_proposal_id) : json_null(),
		                      "created_at", utc_text(r->arena, p->created_ms));
		if (v.phase >= PD_MUS_RANKING) {
			json_object_set_new(x, "votes", json_integer(p->votes));
			json_object_set_new(x, "rank", p->rank ? json_integer(p->rank) : json_null());
			json_object_set_new(x, "funded", json_boolean(p->funded));
			if (p->funded)
				json_object_set_new(x, "progress", json_pack("{s:s,s:I}", "status",
				                                             p->progress_status ? p->progress_status : "planned",
				                                             "percent", (json_int_t)p->progress_pct));
		}
		json_array_append_new(ps, x);
	}
	json_object_set_new(o, "proposals", ps);
	json_object_set_new(o, "results_final", json_boolean(v.phase >= PD_MUS_RANKING));
	pd_reply_json(r, 200, o);
}
