/* The benchmark's data: the demo regency enlarged to a realistic size (`pendopo bench-seed`,
 * used by `make bench`). */
#ifndef PD_DOMAIN_DEMO_BENCH_H
#define PD_DOMAIN_DEMO_BENCH_H

#include <stdint.h>

#include "core/config.h"
#include "store/store.h"

#define PD_BENCH_BATCH_DEFAULT 2000     /* rows written per transaction */
#define PD_BENCH_MINE_DEFAULT 60        /* applications of the signed-in benchmark citizen */

/* What to add. Counts are totals to add, not to reach, except services. */
struct pd_bench_seed_opts {
	int64_t services;       /* reach this many services (generated ones added; 0: none) */
	int64_t citizens;       /* generated citizen accounts to add (verified email, sharing
	                         * one hash of a password nobody knows: they cannot sign in) */
	int64_t applications;   /* submitted applications to add, spread over the citizens */
	int64_t complaints;     /* complaints to add (about 95% published; those filed more than
	                         * 30 days ago sent to a unit and answered, the rest open) */
	int64_t batch;          /* rows per write transaction (0: PD_BENCH_BATCH_DEFAULT) */
	const char *citizen;    /* email of a demo citizen who gets `mine` of the applications
	                         * (the benchmark signs in as them); NULL: nobody in particular */
	int64_t mine;           /* 0: PD_BENCH_MINE_DEFAULT */
	int64_t span_days;      /* records are dated over this many days before now (0: 365) */
	bool progress;          /* print a line per batch */
};

/* What was added and how long each part took. */
struct pd_bench_seed_report {
	int64_t services_added, citizens_added, applications_added, complaints_added;
	double services_s, citizens_s, applications_s, complaints_s;
	int64_t services_total, applications_total, complaints_total, published_total;
};

/* Adds to a database that holds the demo regency (pd_demo_create, run first): generated
 * citizens, services (each with a Standar Pelayanan copied from a demo service and a two-field form),
 * submitted applications of the demo's citizens to them, and complaints of citizens and
 * visitors over the demo's categories and villages, all through the domain's own functions
 * (sealed fields are real ciphertext, timelines and audit entries are written) in write
 * transactions of opts->batch rows, with quiet contexts (portal notifications, no email).
 * Dated over opts->span_days before now, oldest first; the applications past their due date
 * are flagged overdue (pd_application_mark_overdue) as the hourly job would have. PD_ERR_NOT_FOUND when the demo is
 * missing (no citizen, category or demo service) or opts->citizen is unknown; otherwise the
 * first error (logged). Fills *rep. */
int pd_demo_bench_seed(struct pd_store *st, const struct pd_config *cfg,
                       const struct pd_bench_seed_opts *opts, struct pd_bench_seed_report *rep);

#endif
