/* The "opendata" job: the platform's generated datasets rewritten from its records. */
#include "jobs/opendata.h"

#include <stdio.h>

#include "core/calendar_live.h"
#include "core/clock.h"
#include "core/err.h"
#include "domain/dataset.h"
#include "http/app.h"

#define FRESH_MS ((int64_t)5 * 60 * 60 * 1000)

int pd_jobs_opendata(struct pd_app *app, char *result, size_t n)
{
	/* Written less than 5 of the job's 6 hours ago (by the demo, or another node): not yet. */
	bool fresh = false;
	int64_t now = pd_clock_now_ms();
	if (pd_opendata_fresh(app->store, now, FRESH_MS, &fresh) == PD_OK && fresh) {
		snprintf(result, n, "fresh");
		return PD_OK;
	}
	const struct pd_calendar *cal =
		app->calendar ? pd_calendar_live_acquire(app->calendar) : NULL;
	int written = 0;
	int rc = pd_opendata_generate(app->store, cal, app->cfg ? app->cfg->tz_offset_min : 420,
	                              now, &written);
	if (cal)
		pd_calendar_live_release(app->calendar, cal);
	if (rc)
		snprintf(result, n, "error:%s,datasets:%d", pd_strerror(rc), written);
	else
		snprintf(result, n, "datasets:%d", written);
	return rc;
}
