/* The dashboards' information-request figures: the PPID figures per unit and month
 * (domain/inforeq.h) summed per unit over the period, with the monthly received counts. */
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/complaint_stats.h"
#include "domain/dashboard.h"
#include "domain/inforeq.h"

static void add(struct pd_dash_info *to, const struct pd_inforeq_figures_row *r)
{
	to->received += r->received;
	to->answered += r->answered;
	to->on_time += r->answered_on_time;
	to->open += r->open;
	to->overdue += r->overdue;
	to->objections += r->objections;
}

void pd_dashboard_load_info(struct pd_store *st, const struct pd_dash_query *q,
                            struct pd_arena *a, struct pd_dashboard *out)
{
	out->info_available = false;
	struct pd_inforeq_figures_query fq = {out->unit_slug, out->period.since_ms,
	                                      out->period.until_ms, q->now_ms, q->tz_offset_min};
	struct pd_inforeq_figures f;
	int rc = pd_inforeq_figures(st, &fq, a, &f);
	if (rc) {
		pd_log(PD_LOG_WARN, "dashboard_inforeq", "rc=%d", rc);
		return;
	}
	out->info = pd_arena_alloc(a, sizeof *out->info * (size_t)(f.n + 1));
	if (!out->info)
		return;
	memset(&out->info_total, 0, sizeof out->info_total);
	out->n_info = 0;
	for (int i = 0; i < f.n; i++) {
		const struct pd_inforeq_figures_row *r = &f.rows[i];
		/* rows come by unit path, then month: a unit's rows are together */
		struct pd_dash_info *u = out->n_info ? &out->info[out->n_info - 1] : NULL;
		if (!u || strcmp(u->slug, r->unit_slug) != 0) {
			u = &out->info[out->n_info++];
			memset(u, 0, sizeof *u);
			u->slug = r->unit_slug;
			u->name = r->unit_name;
		}
		add(u, r);
		add(&out->info_total, r);
		for (int m = 0; m < out->n_months; m++) {
			char ym[8];
			snprintf(ym, sizeof ym, "%04d-%02d", out->months[m].year, out->months[m].month);
			if (strcmp(ym, r->month) == 0)
				out->months[m].info_received += r->received;
		}
	}
	for (int i = 0; i < out->n_info; i++)
		out->info[i].share_x10 = pd_cstats_share_x10(out->info[i].on_time, out->info[i].answered);
	out->info_total.share_x10 = pd_cstats_share_x10(out->info_total.on_time,
	                                                out->info_total.answered);
	out->info_available = true;
}
