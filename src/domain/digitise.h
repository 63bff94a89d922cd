/* "What to digitise next" (issue #6): services ranked by an evidence score made of five parts,
 * each normalised to 0..1 and weighted, so an administrator sees why a service ranks where it
 * does and can plan the next phase of the roll-out.
 *
 * The parts, in thousandths (1000 = 1), over the dashboard's period and scope:
 *   demand      applications received / the most any service of the scope received
 *               (applications per month are shown beside it);
 *   counter     assisted applications (filed at a counter by an officer) / received;
 *   time        median working days to a decision / (2 × promised days), at most 1: a service
 *               that takes as long as it promised scores 0.5, twice as long or more 1; no
 *               median (fewer than PD_DASH_MEDIAN_MIN decisions) 0; promised 0 days: 1 when the
 *               median is above 0;
 *   complaints  complaints received by the service's unit / the most any unit of the ranked
 *               services received;
 *   ikm         (4 − the service's lowest published IKM element mean) / 3: 0 when every element
 *               is 4.00, 1 when one is 1.00; 0 when the service has no published figure.
 * score = Σ weight × part, the weights in percent (PD_DIGITISE_W_*; they sum to 100), rounded
 * half up to thousandths. Ranked by score, then demand, then name. */
#ifndef PD_DOMAIN_DIGITISE_H
#define PD_DOMAIN_DIGITISE_H

#include <stdint.h>

#include "core/arena.h"
#include "domain/authz.h"
#include "domain/dashboard.h"
#include "store/store.h"

enum pd_digitise_part {
	PD_DIG_DEMAND,
	PD_DIG_COUNTER,
	PD_DIG_TIME,
	PD_DIG_COMPLAINTS,
	PD_DIG_IKM,
	PD_DIG__MAX
};

#define PD_DIGITISE_W_DEMAND 30
#define PD_DIGITISE_W_COUNTER 25
#define PD_DIGITISE_W_TIME 20
#define PD_DIGITISE_W_COMPLAINTS 15
#define PD_DIGITISE_W_IKM 10

/* The weight of a part in percent, and its stable key ("demand", "counter", "time",
 * "complaints", "ikm"); 0 / NULL for an invalid part. */
int pd_digitise_weight(enum pd_digitise_part p);
const char *pd_digitise_key(enum pd_digitise_part p);

/* The evidence about one service. */
struct pd_digitise_input {
	int64_t received;       /* applications in the period */
	int64_t assisted;       /* of those, filed at a counter */
	int64_t median_x10;     /* tenths of working days to a decision; -1: none */
	int64_t promised_days;
	int64_t complaints;     /* complaints received by the service's unit */
	int64_t ikm_low_x100;   /* the lowest published element mean × 100 (100..400); -1: none */
};

/* A score and its parts, in thousandths. */
struct pd_digitise_score {
	int64_t part[PD_DIG__MAX];
	int64_t score;
};

/* Computes the parts and scores of n services (the maxima for demand and complaints are taken
 * over these n). Pure: no I/O. */
void pd_digitise_compute(const struct pd_digitise_input *in, int n, struct pd_digitise_score *out);

/* One ranked service. Strings arena-owned. */
struct pd_digitise_row {
	const struct pd_dash_service *service;  /* its dashboard figures */
	struct pd_digitise_input in;
	struct pd_digitise_score s;
	int64_t per_month_x10;     /* applications per month, tenths */
	int ikm_low_element;       /* enum pd_ikm_element of ikm_low_x100; -1: none */
};

struct pd_digitise {
	struct pd_dashboard d;     /* the figures it is computed from (scope, period) */
	struct pd_digitise_row *rows;  /* best candidate first */
	int n;
};

/* The ranking over q's scope and period for an administrator of that scope (q->unit_slug NULL
 * or "": the actor's administrator grant with the shortest path). PD_ERR_NOT_FOUND when the
 * actor is no administrator there (or the unit is unknown). Arena-owned. */
int pd_digitise_rank(struct pd_store *st, const struct pd_actor *actor,
                     const struct pd_dash_query *q, struct pd_arena *a, struct pd_digitise *out);

#endif
