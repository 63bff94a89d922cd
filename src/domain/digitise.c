/* The evidence score of "what to digitise next": the pure maths of its parts and the ranking
 * of a scope's services from the dashboard's figures, complaints per unit and published IKM. */
#include "domain/digitise.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/ikm.h"
#include "store/dashboard_store.h"

#define UNITS_MAX 2000

static const int weights[PD_DIG__MAX] = {PD_DIGITISE_W_DEMAND, PD_DIGITISE_W_COUNTER,
                                         PD_DIGITISE_W_TIME, PD_DIGITISE_W_COMPLAINTS,
                                         PD_DIGITISE_W_IKM};
static const char *const keys[PD_DIG__MAX] = {"demand", "counter", "time", "complaints", "ikm"};

int pd_digitise_weight(enum pd_digitise_part p)
{
	return p >= 0 && p < PD_DIG__MAX ? weights[p] : 0;
}

const char *pd_digitise_key(enum pd_digitise_part p)
{
	return p >= 0 && p < PD_DIG__MAX ? keys[p] : NULL;
}

/* num / den in thousandths, rounded half up, clamped to 0..1000; 0 when den <= 0. */
static int64_t ratio(int64_t num, int64_t den)
{
	if (den <= 0 || num <= 0)
		return 0;
	if (num >= den)
		return 1000;
	return (num * 2000 + den) / (2 * den);
}

void pd_digitise_compute(const struct pd_digitise_input *in, int n, struct pd_digitise_score *out)
{
	int64_t max_demand = 0, max_complaints = 0;
	for (int i = 0; i < n; i++) {
		max_demand = in[i].received > max_demand ? in[i].received : max_demand;
		max_complaints = in[i].complaints > max_complaints ? in[i].complaints : max_complaints;
	}
	for (int i = 0; i < n; i++) {
		const struct pd_digitise_input *x = &in[i];
		int64_t *p = out[i].part;
		p[PD_DIG_DEMAND] = ratio(x->received, max_demand);
		p[PD_DIG_COUNTER] = ratio(x->assisted, x->received);
		if (x->median_x10 < 0)
			p[PD_DIG_TIME] = 0;
		else if (x->promised_days <= 0)
			p[PD_DIG_TIME] = x->median_x10 > 0 ? 1000 : 0;
		else  /* median / (2 × promised), the median in tenths */
			p[PD_DIG_TIME] = ratio(x->median_x10, 20 * x->promised_days);
		p[PD_DIG_COMPLAINTS] = ratio(x->complaints, max_complaints);
		p[PD_DIG_IKM] = x->ikm_low_x100 < 0 ? 0 : ratio(400 - x->ikm_low_x100, 300);
		int64_t sum = 0;
		for (int k = 0; k < PD_DIG__MAX; k++)
			sum += (int64_t)weights[k] * p[k];
		out[i].score = (sum + 50) / 100;
	}
}

/* --- the ranking ----------------------------------------------------------------------------- */

struct owner_arg {
	int64_t since, until;
	struct pd_arena *a;
	struct pd_dash_unit_count *out;
	int n;
};

static int owner_tx(struct pd_tx *tx, void *p)
{
	struct owner_arg *o = p;
	if (pd_store_dash_cmp_by_owner(tx, o->since, o->until, o->a, o->out, UNITS_MAX, &o->n) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return PD_OK;
}

static int by_rank(const void *x, const void *y)
{
	const struct pd_digitise_row *a = x, *b = y;
	if (a->s.score != b->s.score)
		return a->s.score < b->s.score ? 1 : -1;
	if (a->in.received != b->in.received)
		return a->in.received < b->in.received ? 1 : -1;
	return strcmp(a->service->name, b->service->name);
}

int pd_digitise_rank(struct pd_store *st, const struct pd_actor *actor,
                     const struct pd_dash_query *q, struct pd_arena *a, struct pd_digitise *out)
{
	memset(out, 0, sizeof *out);
	if (!actor || actor->kind != PD_ACCOUNT_STAFF ||
	    !pd_authz_has_role(actor, PD_ROLE_ADMINISTRATOR, NULL))
		return PD_ERR_NOT_FOUND;
	struct pd_dash_query sq = *q;
	if (!sq.unit_slug || !*sq.unit_slug) {
		const struct pd_grant *best = NULL;
		for (size_t i = 0; i < actor->n_grants; i++) {
			const struct pd_grant *g = &actor->grants[i];
			if (g->role == PD_ROLE_ADMINISTRATOR &&
			    (!best || strlen(g->unit_path) < strlen(best->unit_path)))
				best = g;
		}
		if (!best)
			return PD_ERR_NOT_FOUND;
		sq.unit_slug = best->unit_slug;
	}
	int rc = pd_dashboard_load(st, &sq, a, &out->d);
	if (rc)
		return rc;
	struct pd_authz_object obj = {NULL, out->d.unit_path};
	if (pd_authz(actor, PD_ACT_CONFIGURE, &obj) != PD_OK)
		return PD_ERR_NOT_FOUND;
	struct owner_arg o = {out->d.period.since_ms, out->d.period.until_ms, a,
	                      pd_arena_alloc(a, sizeof *o.out * UNITS_MAX), 0};
	if (!o.out)
		return PD_ERR_NOMEM;
	rc = pd_store_read(st, owner_tx, &o);
	if (rc)
		return rc;
	int n = out->d.n_services;
	out->rows = pd_arena_alloc(a, sizeof *out->rows * (size_t)(n + 1));
	struct pd_digitise_input *in = pd_arena_alloc(a, sizeof *in * (size_t)(n + 1));
	struct pd_digitise_score *sc = pd_arena_alloc(a, sizeof *sc * (size_t)(n + 1));
	if (!out->rows || !in || !sc)
		return PD_ERR_NOMEM;
	int months = out->d.n_months > 0 ? out->d.n_months : 1;
	for (int i = 0; i < n; i++) {
		const struct pd_dash_service *s = &out->d.services[i];
		struct pd_digitise_row *r = &out->rows[i];
		memset(r, 0, sizeof *r);
		r->service = s;
		r->ikm_low_element = -1;
		in[i] = (struct pd_digitise_input){s->received, s->assisted, s->median_x10,
		                                   s->promised_days, 0, -1};
		for (int k = 0; k < o.n; k++)
			if (strcmp(o.out[k].unit_id, s->unit_id) == 0)
				in[i].complaints = o.out[k].n;
		for (int k = 0; k < out->d.n_ikm_services; k++) {
			const struct pd_dash_ikm *f = &out->d.ikm_services[k];
			if (strcmp(f->slug, s->slug) != 0 || f->f.withheld)
				continue;
			for (int e = 0; e < PD_IKM__MAX; e++)
				if (in[i].ikm_low_x100 < 0 || f->f.r.nrr_x100[e] < in[i].ikm_low_x100) {
					in[i].ikm_low_x100 = f->f.r.nrr_x100[e];
					r->ikm_low_element = e;
				}
		}
		r->per_month_x10 = (s->received * 20 + months) / (2 * months);
	}
	pd_digitise_compute(in, n, sc);
	for (int i = 0; i < n; i++) {
		out->rows[i].in = in[i];
		out->rows[i].s = sc[i];
	}
	qsort(out->rows, (size_t)n, sizeof *out->rows, by_rank);
	out->n = n;
	return PD_OK;
}
