/* Per-unit figures of complaints for /pengaduan/statistik: counts aggregated by the store,
 * medians of the working days to an answer computed here from sorted lists, and the small
 * pure functions (median, share, period) the figures are made of. */
#include "domain/complaint_stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "store/complaint_public_store.h"

#define DAY_MS 86400000LL

/* --- pure functions -------------------------------------------------------------------------- */

int64_t pd_cstats_median_x10(const int64_t *sorted, size_t n)
{
	if (n == 0)
		return -1;
	if (n % 2)
		return sorted[n / 2] * 10;
	int64_t sum = sorted[n / 2 - 1] + sorted[n / 2];
	/* sum * 10 / 2 = sum * 5: exact in tenths, nothing to round */
	return sum * 5;
}

int64_t pd_cstats_share_x10(int64_t part, int64_t whole)
{
	if (whole <= 0)
		return -1;
	if (part < 0)
		part = 0;
	return (part * 2000 + whole) / (2 * whole);
}

static int32_t local_day(int64_t ms, int tz_offset_min)
{
	int64_t t = ms + (int64_t)tz_offset_min * 60000;
	int64_t d = t / DAY_MS;
	if (t % DAY_MS < 0)
		d--;
	return (int32_t)d;
}

int64_t pd_cstats_answer_days(const struct pd_calendar *cal, int64_t created_ms,
                              int64_t answered_ms)
{
	if (answered_ms <= created_ms)
		return 0;
	if (cal)
		return pd_calendar_working_days_between(cal, pd_calendar_day_of(cal, created_ms),
		                                        pd_calendar_day_of(cal, answered_ms));
	int32_t from = local_day(created_ms, 420), to = local_day(answered_ms, 420);
	int64_t n = 0;
	for (int32_t d = from + 1; d <= to && n < 100000; d++)
		if (pd_civil_weekday(d) < 5)
			n++;
	return n;
}

int pd_cstats_period(int year, int64_t now_ms, int tz_offset_min, int64_t *since,
                     int64_t *until)
{
	if (year == 0) {
		*since = now_ms - 365 * DAY_MS;
		*until = now_ms + 1;
		return PD_OK;
	}
	if (year < 2000 || year > 2100)
		return PD_ERR_INVALID;
	int64_t tz = (int64_t)tz_offset_min * 60000;
	*since = (int64_t)pd_civil_day(year, 1, 1) * DAY_MS - tz;
	*until = (int64_t)pd_civil_day(year + 1, 1, 1) * DAY_MS - tz;
	return PD_OK;
}

/* --- the figures ----------------------------------------------------------------------------- */

/* One group of the table being built, with the answer times of its complaints. */
struct group {
	const char *path;           /* owner unit's path, or the agency's when rolled up */
	struct pd_cstats_row row;
	int64_t *times;
	size_t n_times, cap;
};

struct stats_arg {
	const struct pd_cstats_query *q;
	int64_t since, until, now;
	struct pd_arena *a;
	struct group *groups;
	int n_groups;
	struct pd_cmpp_unit *agencies;
	int n_agencies;
	int64_t *all;               /* every answer time (the total's median) */
	size_t n_all, cap_all;
	bool truncated, nomem;
};

/* The agency a unit path rolls up to (the longest top-level agency path that prefixes it), or
 * NULL. */
static const struct pd_cmpp_unit *agency_of(const struct stats_arg *s, const char *path)
{
	const struct pd_cmpp_unit *best = NULL;
	for (int i = 0; i < s->n_agencies; i++) {
		size_t n = strlen(s->agencies[i].path);
		if (strncmp(path, s->agencies[i].path, n) == 0 &&
		    (!best || n > strlen(best->path)))
			best = &s->agencies[i];
	}
	return best;
}

static struct group *group_of(struct stats_arg *s, const char *path)
{
	if (s->q->rollup) {
		const struct pd_cmpp_unit *ag = agency_of(s, path);
		if (ag)
			path = ag->path;
	}
	for (int i = 0; i < s->n_groups; i++)
		if (strcmp(s->groups[i].path, path) == 0)
			return &s->groups[i];
	return NULL;
}

static bool push(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		int64_t *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return false;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return true;
}

static int on_time(void *arg, const char *unit_path, int64_t created_ms, int64_t answered_ms)
{
	struct stats_arg *s = arg;
	int64_t d = pd_cstats_answer_days(s->q->cal, created_ms, answered_ms);
	struct group *g = group_of(s, unit_path);
	if ((g && !push(&g->times, &g->n_times, &g->cap, d)) ||
	    !push(&s->all, &s->n_all, &s->cap_all, d)) {
		s->nomem = true;
		return 1;
	}
	return 0;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

static void add_counts(struct pd_cstats_row *to, const struct pd_cmpp_unit_counts *c)
{
	to->received += c->received;
	to->answered += c->answered;
	to->within += c->within;
	to->open += c->open;
	to->overdue += c->overdue;
}

static void finish(struct pd_cstats_row *r, int64_t *times, size_t n)
{
	r->share_x10 = pd_cstats_share_x10(r->within, r->answered);
	r->n_times = (int64_t)n;
	r->median_x10 = -1;
	if (n >= PD_CSTATS_MEDIAN_MIN) {
		qsort(times, n, sizeof *times, cmp_i64);
		r->median_x10 = pd_cstats_median_x10(times, n);
	}
}

static int stats_tx(struct pd_tx *tx, void *p)
{
	struct stats_arg *s = p;
	/* The body may run again (a retried transaction): start from nothing. */
	for (int i = 0; s->groups && i < s->n_groups; i++)
		free(s->groups[i].times);
	s->n_groups = 0;
	s->n_agencies = 0;
	s->n_all = 0;
	s->truncated = s->nomem = false;
	struct pd_cmpp_unit_counts *counts =
	        pd_arena_alloc(s->a, sizeof *counts * (PD_CSTATS_UNITS_MAX + 1));
	s->groups = pd_arena_alloc(s->a, sizeof *s->groups * (PD_CSTATS_UNITS_MAX + 1));
	s->agencies = pd_arena_alloc(s->a, sizeof *s->agencies * PD_CSTATS_UNITS_MAX);
	if (!counts || !s->groups || !s->agencies)
		return PD_ERR_NOMEM;
	int n = 0;
	if (pd_store_cmpp_unit_counts(tx, s->since, s->until, s->now, s->a, counts,
	                              PD_CSTATS_UNITS_MAX + 1, &n) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (n > PD_CSTATS_UNITS_MAX) {
		n = PD_CSTATS_UNITS_MAX;
		s->truncated = true;
	}
	if (s->q->rollup && pd_store_cmpp_top_agencies(tx, s->a, s->agencies, PD_CSTATS_UNITS_MAX,
	                                               &s->n_agencies) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	for (int i = 0; i < n; i++) {
		const char *path = counts[i].unit_path, *slug = counts[i].unit_slug,
		           *name = counts[i].unit_name;
		const struct pd_cmpp_unit *ag = s->q->rollup ? agency_of(s, path) : NULL;
		if (ag) {
			path = ag->path;
			slug = ag->slug;
			name = ag->name;
		}
		struct group *g = group_of(s, counts[i].unit_path);
		if (!g) {
			g = &s->groups[s->n_groups++];
			memset(g, 0, sizeof *g);
			g->path = path;
			g->row.unit_slug = slug;
			g->row.unit_name = name;
		}
		add_counts(&g->row, &counts[i]);
	}
	int nt = 0;
	if (pd_store_cmpp_answer_times(tx, s->since, s->until, PD_CSTATS_TIMES_MAX + 1, on_time, s,
	                               &nt) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	if (s->nomem)
		return PD_ERR_NOMEM;
	if (nt > PD_CSTATS_TIMES_MAX)
		s->truncated = true;
	return PD_OK;
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct group *)x)->path, ((const struct group *)y)->path);
}

int pd_complaint_stats(struct pd_store *st, const struct pd_cstats_query *q, struct pd_arena *a,
                       struct pd_cstats *out)
{
	memset(out, 0, sizeof *out);
	struct stats_arg s;
	memset(&s, 0, sizeof s);
	s.q = q;
	s.a = a;
	s.now = q->now_ms ? q->now_ms : pd_clock_now_ms();
	int rc = pd_cstats_period(q->year, s.now, q->tz_offset_min, &s.since, &s.until);
	if (rc)
		return rc;
	rc = pd_store_read(st, stats_tx, &s);
	if (!rc) {
		qsort(s.groups, (size_t)s.n_groups, sizeof *s.groups, by_path);
		out->rows = pd_arena_alloc(a, sizeof *out->rows * (size_t)(s.n_groups + 1));
		if (!out->rows)
			rc = PD_ERR_NOMEM;
	}
	if (!rc) {
		for (int i = 0; i < s.n_groups; i++) {
			struct group *g = &s.groups[i];
			finish(&g->row, g->times, g->n_times);
			out->rows[i] = g->row;
			out->total.received += g->row.received;
			out->total.answered += g->row.answered;
			out->total.within += g->row.within;
			out->total.open += g->row.open;
			out->total.overdue += g->row.overdue;
		}
		out->n = s.n_groups;
		finish(&out->total, s.all, s.n_all);
		out->since_ms = s.since;
		out->until_ms = s.until;
		out->truncated = s.truncated;
	}
	for (int i = 0; s.groups && i < s.n_groups; i++)
		free(s.groups[i].times);
	free(s.all);
	return rc;
}
