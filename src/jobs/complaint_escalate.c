/* The "complaint-escalate" job: overdue complaints escalated by the domain, counted for
 * /metrics. */
#include "jobs/complaint_escalate.h"

#include <stdatomic.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/complaint_handle.h"
#include "http/app.h"
#include "jobs/internal.h"

static _Atomic int64_t overdue_gauge = -1;
static _Atomic uint64_t escalated_count;

struct escalate_arg {
	struct pd_app *app;
	int64_t now;
	int64_t n;
};

static int escalate_tx(struct pd_tx *tx, void *p)
{
	struct escalate_arg *e = p;
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {
		.actor = &sys,
		.ks = e->app->keys,
		.base_url = e->app->cfg && e->app->cfg->public_url ? e->app->cfg->public_url : NULL,
		.now_ms = e->now,
	};
	return pd_complaint_escalate_due(tx, &c, e->now, PD_COMPLAINT_ESCALATE_MAX, &e->n);
}

int pd_jobs_complaint_escalate(struct pd_app *app, char *result, size_t n)
{
	/* One "now" for the run: a clock moving under it changes nothing of what is due. */
	int64_t now = pd_clock_now_ms(), total = 0, overdue = 0;
	int rc = PD_OK;
	for (;;) {
		struct escalate_arg e = {app, now, 0};
		rc = pd_store_write(app->store, escalate_tx, &e);
		if (rc)
			break;
		total += e.n;
		if (e.n < PD_COMPLAINT_ESCALATE_MAX || pd_jobs_stopping())
			break;
	}
	atomic_fetch_add(&escalated_count, (uint64_t)total);
	if (rc == PD_OK) {
		rc = pd_complaint_count_overdue(app->store, &overdue);
		if (rc == PD_OK)
			atomic_store(&overdue_gauge, overdue);
	}
	if (rc)
		snprintf(result, n, "error:%s,escalated:%lld", pd_strerror(rc), (long long)total);
	else
		snprintf(result, n, "escalated:%lld,overdue:%lld", (long long)total,
		         (long long)overdue);
	return rc;
}

void pd_jobs_complaint_escalate_stats(int64_t *overdue_now, uint64_t *escalated_total)
{
	*overdue_now = atomic_load(&overdue_gauge);
	*escalated_total = atomic_load(&escalated_count);
}
