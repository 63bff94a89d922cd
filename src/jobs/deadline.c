/* The "deadline-check" job: overdue applications flagged by the domain, counted for /metrics. */
#include "jobs/deadline.h"

#include <stdatomic.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/application.h"
#include "http/app.h"

static _Atomic int64_t overdue_gauge = -1;
static _Atomic uint64_t flagged_count;

int pd_jobs_deadline_check(struct pd_app *app, char *result, size_t n)
{
	int64_t flagged = 0, overdue = 0;
	/* One "now" for the run: a clock moving under it changes nothing of what is due. */
	int rc = pd_application_mark_overdue(app->store, pd_clock_now_ms(), &flagged);
	if (rc == PD_OK) {
		atomic_fetch_add(&flagged_count, (uint64_t)(flagged > 0 ? flagged : 0));
		rc = pd_application_count_overdue(app->store, &overdue);
		if (rc == PD_OK)
			atomic_store(&overdue_gauge, overdue);
	}
	if (rc)
		snprintf(result, n, "error:%s,flagged:%lld", pd_strerror(rc), (long long)flagged);
	else
		snprintf(result, n, "flagged:%lld,overdue:%lld", (long long)flagged, (long long)overdue);
	return rc;
}

void pd_jobs_deadline_stats(int64_t *overdue_now, uint64_t *flagged_total)
{
	*overdue_now = atomic_load(&overdue_gauge);
	*flagged_total = atomic_load(&flagged_count);
}
