/* The satisfaction survey: who may answer (the owner of a completed application, once), the
 * anonymous write (added to its group's totals), and the public report of a closed quarter
 * with withheld small figures. */
#include "domain/survey.h"

#include <string.h>

#include "core/calendar.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/application_store.h"
#include "store/survey_store.h"

#define DAY_MS INT64_C(86400000)

/* The stored names of the final statuses (domain/application.h, "completed"). */
static bool completed(const char *status)
{
	return status && (strcmp(status, "approved") == 0 || strcmp(status, "rejected") == 0);
}

/* Loads application id and checks that actor may answer its survey: PD_OK, NOT_FOUND or
 * FORBIDDEN as pd_survey_target says. */
static int load(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                struct pd_arena *a, struct pd_app_row *row)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_app_by_id(tx, id, a, row);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	/* Only the application's owner may even see its survey (staff too get 404). */
	struct pd_authz_object obj = {row->citizen_account_id, row->unit_path};
	int rc = pd_authz(actor, PD_ACT_SURVEY, &obj);
	if (rc)
		return rc;
	if (!completed(row->status))
		return PD_ERR_FORBIDDEN;
	return PD_OK;
}

struct target_arg {
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_survey_target *out;
};

static int target_tx(struct pd_tx *tx, void *p)
{
	struct target_arg *ta = p;
	struct pd_app_row row;
	int rc = load(tx, ta->actor, ta->id, ta->a, &row);
	if (rc)
		return rc;
	enum pd_qs qs = pd_store_survey_answered(tx, row.id);
	if (qs < 0)
		return pd_tx_error(tx);
	*ta->out = (struct pd_survey_target){
		.application_id = row.id,
		.tracking = row.tracking,
		.service_name = row.service_name,
		.unit_name = row.unit_name,
		.answered = qs == PD_QS_ONE,
	};
	return PD_OK;
}

int pd_survey_target(struct pd_store *st, const struct pd_actor *actor, const char *id,
                     struct pd_arena *a, struct pd_survey_target *out)
{
	memset(out, 0, sizeof *out);
	struct target_arg ta = {actor, id, a, out};
	return pd_store_read(st, target_tx, &ta);
}

void pd_survey_quarter_of(int64_t ms, int tz_offset_min, int *year, int *quarter)
{
	int64_t local = ms + (int64_t)tz_offset_min * 60000;
	int64_t day = local / DAY_MS - (local % DAY_MS < 0 ? 1 : 0);
	int y, m, d;
	pd_civil_from_day((int32_t)day, &y, &m, &d);
	*year = y;
	*quarter = (m - 1) / 3 + 1;
}

int pd_survey_submit_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const int scores[PD_IKM__MAX], int64_t now_ms, int tz_offset_min)
{
	struct pd_app_row row;
	int rc = load(tx, actor, id, pd_tx_arena(tx), &row);
	if (rc)
		return rc;
	if (!pd_ikm_scores_valid(scores))
		return PD_ERR_INVALID;
	/* The one-response rule first: a second answer writes nothing. */
	enum pd_qs qs = pd_store_survey_mark_answered(tx, row.id);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	struct pd_survey_row r = {
		.unit_id = row.unit_id,
		.service_id = row.service_id,
	};
	pd_survey_quarter_of(now_ms, tz_offset_min, &r.year, &r.quarter);
	for (int i = 0; i < PD_IKM__MAX; i++)
		r.scores[i] = scores[i];
	/* Added to the group's totals: the response itself is not kept. */
	if (pd_store_survey_add(tx, &r) < 0)
		return pd_tx_error(tx);
	/* That the citizen answered, never what: no score, no quarter, no group total. */
	struct pd_audit_event ev = {
		.actor = actor->system || !actor->account_id
		                 ? "system"
		                 : pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id),
		.action = "survey.submit",
		.object_type = "application",
		.object_id = row.id,
		.unit_id = row.unit_id,
		.ts_ms = now_ms,
	};
	return pd_audit_append(tx, &ev);
}

/* --- the report ------------------------------------------------------------------------------ */

struct report_arg {
	int year, quarter;
	int64_t now_ms;
	int tz;
	struct pd_arena *a;
	struct pd_survey_report *out;
	struct pd_survey_group *groups;
	int n_groups;
};

static int report_tx(struct pd_tx *tx, void *p)
{
	struct report_arg *ra = p;
	struct pd_survey_report *out = ra->out;
	int cy, cq; /* the running quarter: never published */
	pd_survey_quarter_of(ra->now_ms, ra->tz, &cy, &cq);
	if (pd_store_survey_quarters(tx, cy, cq, out->years, out->quarters, PD_SURVEY_QUARTERS_MAX,
	                             &out->n_quarters) < 0)
		return pd_tx_error(tx);
	if (ra->quarter == 0) {
		if (out->n_quarters > 0) {
			ra->year = out->years[0];
			ra->quarter = out->quarters[0];
		} else { /* the last closed quarter */
			ra->year = cq == 1 ? cy - 1 : cy;
			ra->quarter = cq == 1 ? 4 : cq - 1;
		}
	}
	out->year = ra->year;
	out->quarter = ra->quarter;
	out->unpublished = ra->year * 4 + ra->quarter >= cy * 4 + cq;
	if (out->unpublished)
		return PD_OK;
	if (pd_store_survey_groups(tx, ra->year, ra->quarter, ra->a, ra->groups,
	                           PD_SURVEY_GROUPS_MAX, &ra->n_groups) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

/* Computes a figure from tally t; a withheld one keeps only n. */
static void figure(const struct pd_ikm_tally *t, bool withheld, bool protective,
                   struct pd_survey_figure *f)
{
	memset(f, 0, sizeof *f);
	if (pd_ikm_compute(t, &f->r) != PD_OK)
		withheld = true; /* inconsistent totals cannot come from valid rows; publish nothing */
	f->withheld = withheld || f->r.withheld;
	f->protective = f->withheld && protective && !f->r.withheld;
	if (f->withheld) {
		int64_t n = t->n;
		memset(&f->r, 0, sizeof f->r);
		f->r.n = n;
		f->r.withheld = true;
	}
}

static void tally_of(const struct pd_survey_group *g, struct pd_ikm_tally *t)
{
	t->n = g->n;
	for (int i = 0; i < PD_IKM__MAX; i++)
		t->sum[i] = g->sum[i];
}

/* Builds the unit rows from the groups (already in unit, service order). */
static int build(struct report_arg *ra)
{
	struct pd_survey_report *out = ra->out;
	out->units = pd_arena_alloc(ra->a, sizeof *out->units * (size_t)(ra->n_groups + 1));
	struct pd_survey_service_row *svc =
		pd_arena_alloc(ra->a, sizeof *svc * (size_t)(ra->n_groups + 1));
	int64_t *ns = pd_arena_alloc(ra->a, sizeof *ns * (size_t)(ra->n_groups + 1));
	bool *held = pd_arena_alloc(ra->a, sizeof *held * (size_t)(ra->n_groups + 1));
	if (!out->units || !svc || !ns || !held)
		return PD_ERR_NOMEM;
	int i = 0;
	while (i < ra->n_groups) {
		int j = i;
		struct pd_ikm_tally total = {0};
		while (j < ra->n_groups && strcmp(ra->groups[j].unit_id, ra->groups[i].unit_id) == 0) {
			struct pd_ikm_tally t;
			tally_of(&ra->groups[j], &t);
			pd_ikm_tally_merge(&total, &t);
			ns[j - i] = t.n;
			j++;
		}
		struct pd_survey_unit_row *u = &out->units[out->n_units++];
		u->slug = ra->groups[i].unit_slug;
		u->name = ra->groups[i].unit_name;
		figure(&total, false, false, &u->f);
		/* The unit's figure is published when it has enough responses: then its services
		 * are suppressed so that no withheld group can be derived by subtraction. */
		pd_ikm_suppress(ns, held, j - i);
		u->services = &svc[i];
		u->n_services = j - i;
		for (int k = i; k < j; k++) {
			struct pd_ikm_tally t;
			tally_of(&ra->groups[k], &t);
			svc[k].slug = ra->groups[k].service_slug;
			svc[k].name = ra->groups[k].service_name;
			figure(&t, held[k - i], true, &svc[k].f);
		}
		i = j;
	}
	return PD_OK;
}

int pd_survey_report(struct pd_store *st, int year, int quarter, int64_t now_ms,
                     int tz_offset_min, struct pd_arena *a, struct pd_survey_report *out)
{
	memset(out, 0, sizeof *out);
	if (quarter < 0 || quarter > 4 || (quarter > 0 && (year < 2000 || year > 9999)))
		return PD_ERR_INVALID;
	struct report_arg ra = {year, quarter, now_ms, tz_offset_min, a, out, NULL, 0};
	ra.groups = pd_arena_alloc(a, sizeof *ra.groups * PD_SURVEY_GROUPS_MAX);
	if (!ra.groups)
		return PD_ERR_NOMEM;
	int rc = pd_store_read(st, report_tx, &ra);
	if (rc)
		return rc;
	return build(&ra);
}
