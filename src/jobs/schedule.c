/* The periodic-job scheduler: jobs are registered in the table below by name and interval;
 * each run is claimed with one conditional UPDATE of job_schedule, so that across several
 * nodes sharing one database every run happens once. */
#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "jobs/complaint_escalate.h"
#include "jobs/inforeq_deadline.h"
#include "jobs/deadline.h"
#include "jobs/identity_purge.h"
#include "jobs/internal.h"
#include "jobs/opendata.h"
#include "jobs/petition_deadline.h"
#include "store/schedule_store.h"

#define MINUTE_MS ((int64_t)60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)

struct job {
	const char *name;     /* row key in job_schedule; never rename a job that has run */
	int64_t interval_ms;  /* from the start of one run to the next */
	int64_t lease_ms;     /* longest run before another node may take the job over */
	int (*run)(struct pd_app *app, char *result, size_t n);
};

/* The registered jobs. Later features add rows ("deadline-check", "dataset-regenerate"):
 * a function in jobs/ that returns PD_OK or an error and writes a short result such as
 * "deleted:12" (no spaces, quotes or '='; no personal data, no secrets). It runs on the
 * worker thread and may take a while, but should return early when pd_jobs_stopping(). */
static const struct job jobs[] = {
	{"outbox-retention", HOUR_MS, 30 * MINUTE_MS, pd_jobs_outbox_retention},
	{"identity-purge", 15 * MINUTE_MS, 10 * MINUTE_MS, pd_jobs_identity_purge},
	/* Working-day deadlines end at midnight local time; a run every 10 minutes flags them soon after. */
	{"deadline-check", 10 * MINUTE_MS, 10 * MINUTE_MS, pd_jobs_deadline_check},
	/* Overdue complaints escalated to the owner unit's supervisors (the same working-day clock). */
	{"complaint-escalate", 10 * MINUTE_MS, 10 * MINUTE_MS, pd_jobs_complaint_escalate},
	/* The generated open datasets (domain/opendata_gen.c), recomputed from the records. */
	{"opendata", 6 * HOUR_MS, 30 * MINUTE_MS, pd_jobs_opendata},
	/* Information requests and objections past their UU 14/2008 deadlines flagged overdue. */
	{"inforeq-deadline", 10 * MINUTE_MS, 10 * MINUTE_MS, pd_jobs_inforeq_deadline},
	/* Petitions whose obligatory answer is past its working-day deadline flagged overdue. */
	{"petition-deadline", 10 * MINUTE_MS, 10 * MINUTE_MS, pd_jobs_petition_deadline},
};
#define N_JOBS (sizeof jobs / sizeof jobs[0])

static int ensure_tx(struct pd_tx *tx, void *p)
{
	int64_t now = *(int64_t *)p;
	for (size_t i = 0; i < N_JOBS; i++)
		pd_store_schedule_ensure(tx, jobs[i].name, jobs[i].interval_ms, now);
	return pd_tx_error(tx);
}

int pd_jobs_schedule_init(struct pd_app *app)
{
	int64_t now = pd_clock_now_ms();
	int rc = pd_store_write(app->store, ensure_tx, &now);
	if (rc)
		pd_log(PD_LOG_WARN, "schedule_init_failed", "err=%s", pd_strerror(rc));
	return rc;
}

struct claim_arg {
	const struct job *job;
	const char *node;
	int64_t now;
	bool won;
	const char *result;
};

static int claim_tx(struct pd_tx *tx, void *p)
{
	struct claim_arg *ca = p;
	ca->won = pd_store_schedule_claim(tx, ca->job->name, ca->node, ca->now, ca->job->lease_ms,
	                                  ca->job->interval_ms) == PD_QS_ONE;
	return pd_tx_error(tx);
}

static int finish_tx(struct pd_tx *tx, void *p)
{
	struct claim_arg *ca = p;
	pd_store_schedule_finish(tx, ca->job->name, ca->node, ca->result);
	return pd_tx_error(tx);
}

static void run_job(struct pd_app *app, const struct job *job, const char *node)
{
	struct claim_arg ca = {.job = job, .node = node, .now = pd_clock_now_ms()};
	int rc = pd_store_write(app->store, claim_tx, &ca);
	if (rc || !ca.won)
		return; /* not due any more, or another node won this run */
	pd_jobs_count_run();
	char result[200] = "";
	int64_t t0 = pd_clock_mono_ms();
	rc = job->run(app, result, sizeof result);
	char safe[sizeof result];
	pd_log_sanitize(result, safe, sizeof safe);
	pd_log(rc ? PD_LOG_WARN : PD_LOG_INFO, "job_run", "name=%s node=%s ms=%lld result=\"%s\"",
	       job->name, node, (long long)(pd_clock_mono_ms() - t0), safe);
	ca.result = result;
	rc = pd_store_write(app->store, finish_tx, &ca);
	if (rc)
		pd_log(PD_LOG_WARN, "job_finish_failed", "name=%s err=%s", job->name, pd_strerror(rc));
}

void pd_jobs_schedule_pass(struct pd_app *app, const char *node)
{
	/* No read first: the conditional UPDATE alone decides, so two nodes that both see a job
	 * due cannot both run it. A claim that changes nothing writes nothing to disk. */
	for (size_t i = 0; i < N_JOBS && !pd_jobs_stopping(); i++)
		run_job(app, &jobs[i], node);
}
