/* Statements the benchmark's seeding needs and no feature has: the citizens that may file, and
 * row counts of the large tables (domain/demo_bench.c). */
#ifndef PD_STORE_BENCH_STORE_H
#define PD_STORE_BENCH_STORE_H

#include <stdint.h>

#include "store/store.h"

/* Up to max ids of enabled citizen accounts with a verified email, in id order, copied into
 * ids (each 37 bytes). *n gets how many. PD_QS_HARD on a database error. */
enum pd_qs pd_store_bench_citizens(struct pd_tx *tx, char (*ids)[37], int max, int *n);

/* How many rows the seeded tables hold. */
struct pd_bench_counts {
	int64_t services, applications, complaints, published;
};
enum pd_qs pd_store_bench_counts(struct pd_tx *tx, struct pd_bench_counts *out);

#endif
