/* The "identity-purge" job: batched deletes of what the identity tables no longer need. */
#include "jobs/identity_purge.h"

#include <stdio.h>

#include "core/clock.h"
#include "core/err.h"
#include "domain/account.h"
#include "jobs/internal.h"
#include "store/account_store.h"
#include "store/session_store.h"
#include "store/totp_store.h"

#define PURGE_BATCH 500

struct purge_arg {
	int64_t now;
	int64_t sessions, tokens, pending, throttle;  /* deleted by this batch */
};

static int purge_tx(struct pd_tx *tx, void *p)
{
	struct purge_arg *pa = p;
	int64_t now = pa->now;
	pa->sessions = pa->tokens = pa->pending = pa->throttle = 0;
	if (pd_store_session_purge_expired(tx, now, now - PD_SESSION_IDLE_STAFF_MS, PURGE_BATCH,
	                                   &pa->sessions) < 0 ||
	    pd_store_token_purge(tx, now, PURGE_BATCH, &pa->tokens) < 0 ||
	    pd_store_pending_purge_expired(tx, now, PURGE_BATCH, &pa->pending) < 0 ||
	    pd_store_throttle_purge(tx, now - PD_THROTTLE_WINDOW_MS, now, PURGE_BATCH,
	                            &pa->throttle) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return PD_OK;
}

int pd_jobs_identity_purge(struct pd_app *app, char *result, size_t n)
{
	/* One "now" for the whole run: a clock moving under it changes nothing of what is due. */
	struct purge_arg pa = {.now = pd_clock_now_ms()};
	int64_t sessions = 0, tokens = 0, pending = 0, throttle = 0;
	int rc = PD_OK;
	bool more;
	do {
		rc = pd_store_write(app->store, purge_tx, &pa);
		if (rc)
			break;
		sessions += pa.sessions;
		tokens += pa.tokens;
		pending += pa.pending;
		throttle += pa.throttle;
		/* A full batch of any kind: there may be more of it. */
		more = pa.sessions >= PURGE_BATCH || pa.tokens >= PURGE_BATCH ||
		       pa.pending >= PURGE_BATCH || pa.throttle >= PURGE_BATCH;
	} while (more && !pd_jobs_stopping());
	if (rc)
		snprintf(result, n, "error:%s,sessions:%lld,tokens:%lld,pending:%lld,throttle:%lld",
		         pd_strerror(rc), (long long)sessions, (long long)tokens, (long long)pending,
		         (long long)throttle);
	else
		snprintf(result, n, "sessions:%lld,tokens:%lld,pending:%lld,throttle:%lld",
		         (long long)sessions, (long long)tokens, (long long)pending, (long long)throttle);
	return rc;
}
