/* Request counters and latency histograms per route template, lock-free with atomics. */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "core/calendar_live.h"
#include "core/mem.h"
#include "http/app.h"
#include "http/internal.h"
#include "http/routes.h"
#include "jobs/complaint_escalate.h"
#include "jobs/inforeq_deadline.h"
#include "jobs/deadline.h"
#include "jobs/jobs.h"
#include "store/store.h"

static const int statuses[] = {0,   200, 201, 204, 301, 303, 304, 400, 401, 403,
                               404, 405, 409, 413, 415, 422, 429, 500, 503, -1};
#define N_STATUS (sizeof statuses / sizeof statuses[0]) /* last: other */
static const int64_t bounds_ms[] = {1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000};
#define N_BUCKETS (sizeof bounds_ms / sizeof bounds_ms[0] + 1)

struct row {
	_Atomic uint64_t by_status[N_STATUS];
	_Atomic uint64_t buckets[N_BUCKETS];
	_Atomic uint64_t sum_ms;
	_Atomic uint64_t count;
};

struct pd_metrics {
	size_t n;
	_Atomic uint64_t hashes;
	struct row rows[];
};

struct pd_metrics *pd_metrics_new(size_t n_routes)
{
	struct pd_metrics *m = pd_xcalloc(1, sizeof *m + (n_routes + 1) * sizeof(struct row));
	m->n = n_routes + 1;
	return m;
}

void pd_metrics_free(struct pd_metrics *m)
{
	free(m);
}

void pd_metrics_request(struct pd_metrics *m, size_t route, int status, int64_t ms)
{
	if (!m || route >= m->n)
		return;
	struct row *r = &m->rows[route];
	size_t si = N_STATUS - 1;
	for (size_t i = 0; i + 1 < N_STATUS; i++)
		if (statuses[i] == status) {
			si = i;
			break;
		}
	atomic_fetch_add(&r->by_status[si], 1);
	size_t b = 0;
	while (b < N_BUCKETS - 1 && ms > bounds_ms[b])
		b++;
	atomic_fetch_add(&r->buckets[b], 1);
	atomic_fetch_add(&r->sum_ms, (uint64_t)(ms < 0 ? 0 : ms));
	atomic_fetch_add(&r->count, 1);
}

void pd_metrics_hash(struct pd_metrics *m)
{
	if (m)
		atomic_fetch_add(&m->hashes, 1);
}

void pd_metrics_render(struct pd_metrics *m, const struct pd_app *app, struct pd_buf *out)
{
	pd_buf_puts(out, "# HELP pendopo_http_requests_total Requests by route template and status.\n"
	                 "# TYPE pendopo_http_requests_total counter\n");
	for (size_t i = 0; i < m->n; i++) {
		const char *route = i < pd_n_routes ? pd_routes[i].pattern : "unmatched";
		const char *method = i < pd_n_routes ? pd_routes[i].method : "";
		for (size_t s = 0; s < N_STATUS; s++) {
			uint64_t v = atomic_load(&m->rows[i].by_status[s]);
			if (!v)
				continue;
			if (statuses[s] >= 0)
				pd_buf_printf(out, "pendopo_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
				              route, method, statuses[s], (unsigned long long)v);
			else
				pd_buf_printf(out, "pendopo_http_requests_total{route=\"%s\",method=\"%s\",status=\"other\"} %llu\n",
				              route, method, (unsigned long long)v);
		}
	}
	pd_buf_puts(out, "# HELP pendopo_http_request_duration_ms Request latency in milliseconds.\n"
	                 "# TYPE pendopo_http_request_duration_ms histogram\n");
	for (size_t i = 0; i < m->n; i++) {
		uint64_t count = atomic_load(&m->rows[i].count);
		if (!count)
			continue;
		const char *route = i < pd_n_routes ? pd_routes[i].pattern : "unmatched";
		const char *method = i < pd_n_routes ? pd_routes[i].method : "";
		uint64_t cum = 0;
		for (size_t b = 0; b < N_BUCKETS; b++) {
			cum += atomic_load(&m->rows[i].buckets[b]);
			if (b < N_BUCKETS - 1)
				pd_buf_printf(out, "pendopo_http_request_duration_ms_bucket{route=\"%s\",method=\"%s\",le=\"%lld\"} %llu\n",
				              route, method, (long long)bounds_ms[b], (unsigned long long)cum);
			else
				pd_buf_printf(out, "pendopo_http_request_duration_ms_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} %llu\n",
				              route, method, (unsigned long long)cum);
		}
		pd_buf_printf(out, "pendopo_http_request_duration_ms_sum{route=\"%s\",method=\"%s\"} %llu\n", route,
		              method, (unsigned long long)atomic_load(&m->rows[i].sum_ms));
		pd_buf_printf(out, "pendopo_http_request_duration_ms_count{route=\"%s\",method=\"%s\"} %llu\n", route,
		              method, (unsigned long long)count);
	}
	pd_buf_printf(out, "# HELP pendopo_password_hashes_total argon2id hashes computed.\n"
	                   "# TYPE pendopo_password_hashes_total counter\npendopo_password_hashes_total %llu\n",
	              (unsigned long long)atomic_load(&m->hashes));
	if (app && app->store) {
		struct pd_store_stats st;
		pd_store_stats(app->store, &st);
		pd_buf_printf(out,
		              "# TYPE pendopo_db_commits_total counter\npendopo_db_commits_total %llu\n"
		              "# TYPE pendopo_db_write_jobs_total counter\npendopo_db_write_jobs_total %llu\n"
		              "# TYPE pendopo_db_syncs_total counter\npendopo_db_syncs_total %llu\n"
		              "# TYPE pendopo_db_write_queue gauge\npendopo_db_write_queue %llu\n",
		              (unsigned long long)st.commits, (unsigned long long)st.jobs,
		              (unsigned long long)st.syncs, (unsigned long long)st.queue_depth);
		pd_buf_printf(out, "# TYPE pendopo_http_suspended gauge\npendopo_http_suspended %d\n",
		              atomic_load(&((struct pd_app *)app)->suspended));
		pd_http_cache_metrics(app, out);
	}
	if (app && app->calendar) {
		/* Operators alert on this: past the last loaded year deadlines count Monday to Friday. */
		struct pd_calendar_live *live = app->calendar;
		const struct pd_calendar *cal = pd_calendar_live_acquire(live);
		pd_buf_printf(out,
		              "# HELP pendopo_calendar_last_year Last year the holiday calendar is loaded for.\n"
		              "# TYPE pendopo_calendar_last_year gauge\npendopo_calendar_last_year %d\n",
		              pd_calendar_last_year(cal));
		pd_calendar_live_release(live, cal);
	}
	int64_t overdue_now;
	uint64_t overdue_flagged;
	pd_jobs_deadline_stats(&overdue_now, &overdue_flagged);
	if (overdue_now >= 0)
		pd_buf_printf(out,
		              "# HELP pendopo_applications_overdue Open applications flagged overdue (whole database, at the last deadline check).\n"
		              "# TYPE pendopo_applications_overdue gauge\npendopo_applications_overdue %lld\n",
		              (long long)overdue_now);
	pd_buf_printf(out,
	              "# HELP pendopo_applications_overdue_flagged_total Applications flagged overdue by this process's deadline checks.\n"
	              "# TYPE pendopo_applications_overdue_flagged_total counter\n"
	              "pendopo_applications_overdue_flagged_total %llu\n",
	              (unsigned long long)overdue_flagged);
	int64_t cmp_overdue;
	uint64_t cmp_escalated;
	pd_jobs_complaint_escalate_stats(&cmp_overdue, &cmp_escalated);
	if (cmp_overdue >= 0)
		pd_buf_printf(out,
		              "# HELP pendopo_complaints_overdue Open complaints flagged overdue (whole database, at the last escalation run).\n"
		              "# TYPE pendopo_complaints_overdue gauge\npendopo_complaints_overdue %lld\n",
		              (long long)cmp_overdue);
	pd_buf_printf(out,
	              "# HELP pendopo_complaints_escalated_total Complaints escalated by this process's escalation runs.\n"
	              "# TYPE pendopo_complaints_escalated_total counter\n"
	              "pendopo_complaints_escalated_total %llu\n",
	              (unsigned long long)cmp_escalated);
	int64_t irq_overdue;
	uint64_t irq_flagged;
	pd_jobs_inforeq_deadline_stats(&irq_overdue, &irq_flagged);
	if (irq_overdue >= 0)
		pd_buf_printf(out,
		              "# HELP pendopo_inforeq_overdue Information requests and objections flagged overdue (whole database, at the last deadline run).\n"
		              "# TYPE pendopo_inforeq_overdue gauge\npendopo_inforeq_overdue %lld\n",
		              (long long)irq_overdue);
	struct pd_jobs_stats js;
	pd_jobs_stats(&js);
	if (js.pending >= 0)
		pd_buf_printf(out,
		              "# HELP pendopo_outbox_messages Outbox messages per state (whole database).\n"
		              "# TYPE pendopo_outbox_messages gauge\n"
		              "pendopo_outbox_messages{state=\"pending\"} %lld\n"
		              "pendopo_outbox_messages{state=\"sent\"} %lld\n"
		              "pendopo_outbox_messages{state=\"failed\"} %lld\n"
		              "# HELP pendopo_outbox_retrying Pending messages with a failed attempt.\n"
		              "# TYPE pendopo_outbox_retrying gauge\npendopo_outbox_retrying %lld\n",
		              (long long)js.pending, (long long)js.sent, (long long)js.failed,
		              (long long)js.retrying);
	pd_buf_printf(out,
	              "# HELP pendopo_outbox_attempts_total Delivery attempts by this process.\n"
	              "# TYPE pendopo_outbox_attempts_total counter\n"
	              "pendopo_outbox_attempts_total{result=\"sent\"} %llu\n"
	              "pendopo_outbox_attempts_total{result=\"retry\"} %llu\n"
	              "pendopo_outbox_attempts_total{result=\"failed\"} %llu\n"
	              "# TYPE pendopo_job_runs_total counter\npendopo_job_runs_total %llu\n",
	              (unsigned long long)js.delivered_total, (unsigned long long)js.retried_total,
	              (unsigned long long)js.gave_up_total, (unsigned long long)js.job_runs_total);
}
