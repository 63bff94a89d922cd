/* The process-wide state of a running server, shared read-only by every request. */
#ifndef PD_HTTP_APP_H
#define PD_HTTP_APP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"

struct pd_store;
struct pd_tpl_set;
struct pd_calendar_live;
struct pd_ratelimit;
struct pd_metrics;
struct pd_keyset;
struct pd_respcache;

struct pd_app {
	const struct pd_config *cfg;
	struct pd_store *store;
	struct pd_tpl_set *tpl;
	struct pd_calendar_live *calendar; /* the published working-day calendar (core/calendar_live.h) */
	struct pd_ratelimit *rl;
	struct pd_metrics *metrics;
	struct pd_keyset *keys;      /* personal-data keys (Identity and trust) */
	struct pd_respcache *cache;  /* public responses (http/respcache.h), NULL when off */
	const char *site_name;
	unsigned char csrf_key[32];  /* unused before sign-in; sessions bind tokens with it */
	bool trusted_set;
	unsigned char trusted_addr[16];
	int trusted_bits;
	bool trusted_v4;
	atomic_bool draining;
	atomic_int suspended;        /* connections waiting for a worker */
};

/* Runs the HTTP server until SIGTERM/SIGINT; returns an exit code. */
int pd_http_serve(struct pd_app *app);

#endif
