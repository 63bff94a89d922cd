/* The "petition-deadline" job: obliged petitions past their answer deadline flagged overdue. */
#include "jobs/petition_deadline.h"

#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/petition.h"
#include "http/app.h"
#include "jobs/internal.h"

struct flag_arg {
	int64_t now, n;
};

static int flag_tx(struct pd_tx *tx, void *p)
{
	struct flag_arg *e = p;
	return pd_petition_flag_overdue(tx, e->now, PD_PETITION_JOB_MAX, &e->n);
}

int pd_jobs_petition_deadline(struct pd_app *app, char *result, size_t n)
{
	int64_t now = pd_clock_now_ms(), total = 0;
	int rc = PD_OK;
	for (;;) {
		struct flag_arg e = {now, 0};
		rc = pd_store_write(app->store, flag_tx, &e);
		if (rc)
			break;
		total += e.n;
		if (e.n < PD_PETITION_JOB_MAX || pd_jobs_stopping())
			break;
	}
	if (rc)
		snprintf(result, n, "error:%s,flagged:%lld", pd_strerror(rc), (long long)total);
	else
		snprintf(result, n, "flagged:%lld", (long long)total);
	return rc;
}
