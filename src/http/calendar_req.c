/* Holding the published working-day calendar for one request, and the notice administrators
 * see on their pages when the loaded years run out. */
#include "http/calendar_req.h"

#include <string.h>

#include "core/calendar_live.h"
#include "core/clock.h"
#include "core/str.h"
#include "domain/calendar.h"
#include "http/app.h"

/* A calendar a request holds, handed back when its arena is freed. */
struct held {
	struct pd_calendar_live *live;
	const struct pd_calendar *cal;
};

static void release(void *p)
{
	struct held *h = p;
	pd_calendar_live_release(h->live, h->cal);
}

static const struct pd_calendar *hold(struct pd_req *r)
{
	struct held *h = pd_arena_alloc(r->arena, sizeof *h);
	h->live = r->app->calendar;
	h->cal = pd_calendar_live_acquire(h->live);
	pd_arena_defer(r->arena, release, h);
	return h->cal;
}

const struct pd_calendar *pd_http_calendar(struct pd_req *r)
{
	return hold(r);
}

const struct pd_calendar *pd_http_calendar_fresh(struct pd_req *r)
{
	pd_calendar_maybe_reload(r->store, r->app->calendar);
	return hold(r);
}

void pd_http_calendar_notice(struct pd_req *r, json_t *ctx)
{
	if (!r->actor || !r->app->calendar || !r->path)
		return;
	if (!pd_str_starts(r->path, "/admin/") && strcmp(r->path, "/akun") != 0)
		return;
	int year = pd_calendar_warning_year(r->actor, pd_http_calendar(r), pd_clock_now_ms());
	if (year)
		json_object_set_new(ctx, "calendar_notice", json_pack("{s:i}", "year", year));
}
