/* The jobs worker: one thread, woken by the main loop's tick, that runs the scheduler and
 * delivers the outbox; plus the figures it keeps for /metrics. */
#include "jobs/jobs.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/mail.h"
#include "http/internal.h"
#include "jobs/internal.h"

#define WAIT_MS 2000          /* longest sleep between passes without a tick */
#define COUNTS_EVERY_MS 10000 /* refresh of the outbox gauges when idle */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	bool running, nudged;
	pthread_t thread;
	struct pd_app *app;
	char node[128];
} w = {.lock = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static atomic_bool stopping;
static _Atomic int64_t g_pending = -1, g_sent = -1, g_failed = -1, g_retrying = -1;
static _Atomic uint64_t n_delivered, n_retried, n_gave_up, n_runs;

bool pd_jobs_stopping(void)
{
	return atomic_load(&stopping);
}

void pd_jobs_count_delivery(int outcome)
{
	if (outcome == 0)
		atomic_fetch_add(&n_delivered, 1);
	else if (outcome == 1)
		atomic_fetch_add(&n_retried, 1);
	else
		atomic_fetch_add(&n_gave_up, 1);
}

void pd_jobs_count_run(void)
{
	atomic_fetch_add(&n_runs, 1);
}

void pd_jobs_set_counts(int64_t pending, int64_t sent, int64_t failed, int64_t retrying)
{
	atomic_store(&g_pending, pending);
	atomic_store(&g_sent, sent);
	atomic_store(&g_failed, failed);
	atomic_store(&g_retrying, retrying);
}

void pd_jobs_stats(struct pd_jobs_stats *out)
{
	out->pending = atomic_load(&g_pending);
	out->sent = atomic_load(&g_sent);
	out->failed = atomic_load(&g_failed);
	out->retrying = atomic_load(&g_retrying);
	out->delivered_total = atomic_load(&n_delivered);
	out->retried_total = atomic_load(&n_retried);
	out->gave_up_total = atomic_load(&n_gave_up);
	out->job_runs_total = atomic_load(&n_runs);
}

/* This node's name in job_schedule.locked_by: host, process and a random tag, so two
 * servers on one machine differ and a restarted one is a new node. */
static void node_name(char *out, size_t n)
{
	char host[64] = "";
	if (gethostname(host, sizeof host - 1))
		snprintf(host, sizeof host, "localhost");
	for (char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '.'))
			*p = '_';
	snprintf(out, n, "%s:%ld:%08x", host, (long)getpid(), (unsigned)randombytes_random());
}

static void *worker_main(void *p)
{
	struct pd_app *app = p;
	bool init_done = false;
	int64_t counts_at = 0;
	while (!pd_jobs_stopping()) {
		if (!init_done)
			init_done = pd_jobs_schedule_init(app) == PD_OK;
		if (init_done)
			pd_jobs_schedule_pass(app, w.node);
		int handled = pd_jobs_outbox_pass(app);
		int64_t mono = pd_clock_mono_ms();
		if (handled > 0 || mono - counts_at >= COUNTS_EVERY_MS) {
			if (pd_jobs_outbox_refresh_counts(app) == PD_OK)
				counts_at = mono;
		}

		pthread_mutex_lock(&w.lock);
		if (!w.nudged && !pd_jobs_stopping()) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += WAIT_MS / 1000;
			pthread_cond_timedwait(&w.cv, &w.lock, &ts);
		}
		w.nudged = false;
		pthread_mutex_unlock(&w.lock);
	}
	return NULL;
}

int pd_jobs_start(struct pd_app *app, char *err, size_t errlen)
{
	if (w.running) {
		snprintf(err, errlen, "the jobs worker is already running");
		return PD_ERR_INVALID;
	}
	if (pd_mail_configure(app->cfg->smtp_from, app->cfg->public_url)) {
		snprintf(err, errlen,
		         "--smtp-from wants an address such as pendopo@example.go.id or "
		         "\"Pendopo <pendopo@example.go.id>\"");
		return PD_ERR_INVALID;
	}
	pd_mail_set_keys(app->keys); /* the outbox is sealed under them (DESIGN §4) */
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(err, errlen, "cannot initialise libcurl");
		return PD_ERR_UNAVAILABLE;
	}
	atomic_store(&stopping, false);
	w.app = app;
	w.nudged = true;
	node_name(w.node, sizeof w.node);
	if (pthread_create(&w.thread, NULL, worker_main, app)) {
		curl_global_cleanup();
		snprintf(err, errlen, "cannot start the jobs worker thread");
		return PD_ERR_NOMEM;
	}
	w.running = true;
	pd_log(PD_LOG_INFO, "jobs_started", "node=%s mail=%s", w.node,
	       *app->cfg->smtp_url ? "smtp" : "files");
	return PD_OK;
}

void pd_jobs_stop(struct pd_app *app)
{
	(void)app;
	if (!w.running)
		return;
	pthread_mutex_lock(&w.lock);
	atomic_store(&stopping, true);
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.lock);
	pthread_join(w.thread, NULL);
	w.running = false;
	w.app = NULL;
	pd_mail_set_keys(NULL);
	curl_global_cleanup();
	pd_log(PD_LOG_INFO, "jobs_stopped", NULL);
}

/* Called about once a second by the server's main loop: wakes the worker, never waits for
 * it (the worker is busy or sleeping; either way the main thread goes on at once). */
void pd_jobs_tick(struct pd_app *app)
{
	(void)app;
	if (!w.running)
		return;
	if (pthread_mutex_trylock(&w.lock))
		return;
	w.nudged = true;
	pthread_cond_signal(&w.cv);
	pthread_mutex_unlock(&w.lock);
}
