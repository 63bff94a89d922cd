/* Times as the pages show them: local wall-clock time with its zone name, and RFC 3339 UTC. */
#include "web/common_time.h"

#include <time.h>

#include "http/app.h"

const char *pd_web_local_time(struct pd_req *r, int64_t ms)
{
	int off = r->app->cfg ? r->app->cfg->tz_offset_min : 0;
	time_t t = (time_t)(ms / 1000) + (time_t)off * 60;
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	const char *zone = off == 420 ? "WIB" : off == 480 ? "WITA" : off == 540 ? "WIT" : "UTC";
	return pd_arena_printf(r->arena, "%s %s", buf, zone);
}

const char *pd_web_rfc3339(struct pd_arena *a, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	return pd_arena_printf(a, "%s.%03dZ", buf, (int)(ms % 1000));
}
