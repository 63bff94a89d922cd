/* Request counters and latency histograms per route template, in Prometheus text format. */
#ifndef PD_HTTP_METRICS_H
#define PD_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct pd_metrics;
struct pd_app;

/* Creates counters for n_routes routes plus one "unmatched" row. Caller frees. */
struct pd_metrics *pd_metrics_new(size_t n_routes);
void pd_metrics_free(struct pd_metrics *m);

/* Counts one finished request (route index n_routes = unmatched; status 0 = aborted). */
void pd_metrics_request(struct pd_metrics *m, size_t route, int status, int64_t ms);

/* Counts one password hash (argon2id) computed. */
void pd_metrics_hash(struct pd_metrics *m);

/* Appends the whole exposition to out. */
void pd_metrics_render(struct pd_metrics *m, const struct pd_app *app, struct pd_buf *out);

#endif
