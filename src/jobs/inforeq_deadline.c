/* The "inforeq-deadline" job: overdue information requests and objections flagged by the
 * domain, counted for /metrics. */
#include "jobs/inforeq_deadline.h"

#include <stdatomic.h>
#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/inforeq.h"
#include "http/app.h"
#include "jobs/internal.h"

static _Atomic int64_t overdue_gauge = -1;
static _Atomic uint64_t flagged_count;

struct flag_arg {
	struct pd_app *app;
	int64_t now;
	int64_t n;
};

static int flag_tx(struct pd_tx *tx, void *p)
{
	struct flag_arg *e = p;
	struct pd_actor sys = {.system = true};
	struct pd_app_ctx c = {
		.actor = &sys,
		.ks = e->app->keys,
		.base_url = e->app->cfg && e->app->cfg->public_url ? e->app->cfg->public_url : NULL,
		.now_ms = e->now,
	};
	return pd_inforeq_flag_overdue(tx, &c, e->now, PD_INFOREQ_JOB_MAX, &e->n);
}

int pd_jobs_inforeq_deadline(struct pd_app *app, char *result, size_t n)
{
	int64_t now = pd_clock_now_ms(), total = 0, overdue = 0;
	int rc = PD_OK;
	for (;;) {
		struct flag_arg e = {app, now, 0};
		rc = pd_store_write(app->store, flag_tx, &e);
		if (rc)
			break;
		total += e.n;
		if (e.n < PD_INFOREQ_JOB_MAX || pd_jobs_stopping())
			break;
	}
	atomic_fetch_add(&flagged_count, (uint64_t)total);
	if (rc == PD_OK) {
		rc = pd_inforeq_count_overdue(app->store, &overdue);
		if (rc == PD_OK)
			atomic_store(&overdue_gauge, overdue);
	}
	if (rc)
		snprintf(result, n, "error:%s,flagged:%lld", pd_strerror(rc), (long long)total);
	else
		snprintf(result, n, "flagged:%lld,overdue:%lld", (long long)total, (long long)overdue);
	return rc;
}

void pd_jobs_inforeq_deadline_stats(int64_t *overdue_now, uint64_t *flagged_total)
{
	*overdue_now = atomic_load(&overdue_gauge);
	*flagged_total = atomic_load(&flagged_count);
}
