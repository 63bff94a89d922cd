/* The dashboards' figures: periods, per-service application figures, complaints per category
 * and village, monthly trends, medians computed here from the times the store reads, IKM of
 * the subtree's units, and the staff view's scope. */
#include "domain/dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/complaint_stats.h"
#include "store/dashboard_store.h"
#include "store/unit_store.h"

#define DAY_MS 86400000LL

/* --- periods --------------------------------------------------------------------------------- */

static int32_t local_day(int64_t ms, int tz)
{
	int64_t t = ms + (int64_t)tz * 60000;
	int64_t d = t / DAY_MS;
	if (t % DAY_MS < 0)
		d--;
	return (int32_t)d;
}

static int64_t month_start(int y, int m, int tz)
{
	while (m > 12) {
		m -= 12;
		y++;
	}
	return (int64_t)pd_civil_day(y, m, 1) * DAY_MS - (int64_t)tz * 60000;
}

int pd_dash_period_parse(const char *s, int64_t now_ms, int tz, struct pd_dash_period *out)
{
	memset(out, 0, sizeof *out);
	if (!s || !*s) {
		int y, m, d;
		pd_civil_from_day(local_day(now_ms, tz), &y, &m, &d);
		int first = y * 12 + (m - 1) - 11;
		out->kind = PD_DASH_LAST12;
		out->first_year = first / 12;
		out->first_month = first % 12 + 1;
		out->n_months = 12;
		out->since_ms = month_start(out->first_year, out->first_month, tz);
		out->until_ms = now_ms + 1;
		return PD_OK;
	}
	size_t n = strlen(s);
	int64_t y, q = 0;
	if ((n != 4 && n != 7) || pd_parse_i64n(s, 4, 2000, 2100, &y))
		return PD_ERR_INVALID;
	if (n == 7 && (s[4] != '-' || s[5] != 'T' || pd_parse_i64n(s + 6, 1, 1, 4, &q)))
		return PD_ERR_INVALID;
	out->kind = q ? PD_DASH_QUARTER : PD_DASH_YEAR;
	out->year = (int)y;
	out->quarter = (int)q;
	out->first_year = (int)y;
	out->first_month = q ? (int)(q - 1) * 3 + 1 : 1;
	out->n_months = q ? 3 : 12;
	out->since_ms = month_start(out->first_year, out->first_month, tz);
	out->until_ms = month_start(out->first_year, out->first_month + out->n_months, tz);
	return PD_OK;
}

char *pd_dash_period_name(const struct pd_dash_period *p, char *buf, int len)
{
	if (p->kind == PD_DASH_YEAR)
		snprintf(buf, (size_t)len, "%d", p->year);
	else if (p->kind == PD_DASH_QUARTER)
		snprintf(buf, (size_t)len, "%d-T%d", p->year, p->quarter);
	else if (len > 0)
		buf[0] = '\0';
	return buf;
}

/* --- the figures ----------------------------------------------------------------------------- */

/* A time of one record: the group it belongs to (index into the table, -1: none) and its
 * working days. */
struct pair {
	int g;
	int64_t days;
};

struct pairs {
	struct pair *v;
	size_t n, cap;
};

static bool pairs_push(struct pairs *p, int g, int64_t days)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 256;
		struct pair *nv = realloc(p->v, nc * sizeof *nv);
		if (!nv)
			return false;
		p->v = nv;
		p->cap = nc;
	}
	p->v[p->n++] = (struct pair){g, days};
	return true;
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->g != b->g)
		return (a->g > b->g) - (a->g < b->g);
	return (a->days > b->days) - (a->days < b->days);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* An index sorted by key for bsearch. */
struct keyed {
	const char *key;
	int i;
};

static int cmp_keyed(const void *x, const void *y)
{
	return strcmp(((const struct keyed *)x)->key, ((const struct keyed *)y)->key);
}

static int find(const struct keyed *idx, int n, const char *key)
{
	struct keyed k = {key, 0};
	const struct keyed *hit = bsearch(&k, idx, (size_t)n, sizeof *idx, cmp_keyed);
	return hit ? hit->i : -1;
}

struct load_arg {
	const struct pd_dash_query *q;
	struct pd_arena *a;
	struct pd_dashboard *out;
	const char *path;
	struct pd_dash_app_counts *apps;
	struct pd_dash_cmp_counts *cats, *vils;
	struct keyed *app_idx, *cat_idx, *vil_idx;
	struct pairs app_t, cat_t, vil_t;
	int64_t *all_app, *all_cmp;
	size_t n_all_app, n_all_cmp;
	struct pd_unit *units;  /* the subtree's units (IKM filter) */
	int n_units;
	bool nomem;
};

static int month_index(const struct load_arg *s, int64_t ms)
{
	int y, m, d;
	int32_t day = s->q->cal ? pd_calendar_day_of(s->q->cal, ms) : local_day(ms, s->q->tz_offset_min);
	pd_civil_from_day(day, &y, &m, &d);
	int i = (y * 12 + m - 1) - (s->out->period.first_year * 12 + s->out->period.first_month - 1);
	return i >= 0 && i < s->out->n_months ? i : -1;
}

static int on_app(void *arg, const char *service_id, int64_t submitted_ms, int64_t decided_ms)
{
	struct load_arg *s = arg;
	int mi = month_index(s, submitted_ms);
	if (mi >= 0) {
		s->out->months[mi].app_received++;
		s->out->months[mi].app_finished += decided_ms > 0;
	}
	if (!decided_ms)
		return 0;
	int64_t d = pd_cstats_answer_days(s->q->cal, submitted_ms, decided_ms);
	if (!pairs_push(&s->app_t, find(s->app_idx, s->out->n_services, service_id), d)) {
		s->nomem = true;
		return 1;
	}
	return 0;
}

static int on_cmp(void *arg, const char *category, const char *village, int64_t created_ms,
                  int64_t answered_ms)
{
	struct load_arg *s = arg;
	int mi = month_index(s, created_ms);
	if (mi >= 0) {
		s->out->months[mi].cmp_received++;
		s->out->months[mi].cmp_answered += answered_ms > 0;
	}
	if (!answered_ms)
		return 0;
	int64_t d = pd_cstats_answer_days(s->q->cal, created_ms, answered_ms);
	if (!pairs_push(&s->cat_t, find(s->cat_idx, s->out->n_categories, category), d) ||
	    !pairs_push(&s->vil_t, find(s->vil_idx, s->out->n_villages, village), d)) {
		s->nomem = true;
		return 1;
	}
	return 0;
}

static struct keyed *index_of(struct pd_arena *a, int n, const char *(*key)(const void *, int),
                              const void *base)
{
	struct keyed *idx = pd_arena_alloc(a, sizeof *idx * (size_t)(n + 1));
	if (!idx)
		return NULL;
	for (int i = 0; i < n; i++)
		idx[i] = (struct keyed){key(base, i), i};
	qsort(idx, (size_t)n, sizeof *idx, cmp_keyed);
	return idx;
}

static const char *app_key(const void *base, int i)
{
	return ((const struct pd_dash_app_counts *)base)[i].service_id;
}

static const char *cmp_key(const void *base, int i)
{
	return ((const struct pd_dash_cmp_counts *)base)[i].key;
}

static int load_tx(struct pd_tx *tx, void *p)
{
	struct load_arg *s = p;
	struct pd_dashboard *o = s->out;
	const struct pd_dash_period *pe = &o->period;
	/* The body may run again (a retried transaction): start from nothing. */
	s->app_t.n = s->cat_t.n = s->vil_t.n = 0;
	s->nomem = false;
	o->truncated = false;
	memset(o->months, 0, sizeof o->months);
	for (int i = 0; i < o->n_months; i++) {
		int m = pe->first_month - 1 + i;
		o->months[i].year = pe->first_year + m / 12;
		o->months[i].month = m % 12 + 1;
	}
	s->path = "/";
	if (s->q->unit_slug && *s->q->unit_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, s->q->unit_slug, s->a, &u);
		if (qs < 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		s->path = u.path;
		o->unit_slug = u.slug;
		o->unit_name = u.name;
		if (pd_store_unit_subtree(tx, u.path, NULL, s->a, s->units, PD_DASH_GROUPS_MAX,
		                          &s->n_units) < 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	}
	o->unit_path = s->path;
	int n = 0;
	if (pd_store_dash_app_counts(tx, pe->since_ms, pe->until_ms, s->path, s->q->now_ms, s->a,
	                             s->apps, PD_DASH_SERVICES_MAX + 1, &n) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	o->truncated |= n > PD_DASH_SERVICES_MAX;
	o->n_services = n > PD_DASH_SERVICES_MAX ? PD_DASH_SERVICES_MAX : n;
	if (pd_store_dash_cmp_counts(tx, PD_DASH_BY_CATEGORY, pe->since_ms, pe->until_ms, s->path,
	                             s->a, s->cats, PD_DASH_GROUPS_MAX + 1, &n) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	o->truncated |= n > PD_DASH_GROUPS_MAX;
	o->n_categories = n > PD_DASH_GROUPS_MAX ? PD_DASH_GROUPS_MAX : n;
	if (pd_store_dash_cmp_counts(tx, PD_DASH_BY_VILLAGE, pe->since_ms, pe->until_ms, s->path,
	                             s->a, s->vils, PD_DASH_GROUPS_MAX + 1, &n) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	o->truncated |= n > PD_DASH_GROUPS_MAX;
	o->n_villages = n > PD_DASH_GROUPS_MAX ? PD_DASH_GROUPS_MAX : n;
	s->app_idx = index_of(s->a, o->n_services, app_key, s->apps);
	s->cat_idx = index_of(s->a, o->n_categories, cmp_key, s->cats);
	s->vil_idx = index_of(s->a, o->n_villages, cmp_key, s->vils);
	if (!s->app_idx || !s->cat_idx || !s->vil_idx)
		return PD_ERR_NOMEM;
	int nt = 0;
	if (pd_store_dash_app_times(tx, pe->since_ms, pe->until_ms, s->path, PD_DASH_TIMES_MAX + 1,
	                            on_app, s, &nt) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	o->truncated |= nt > PD_DASH_TIMES_MAX;
	if (!s->nomem && pd_store_dash_cmp_times(tx, pe->since_ms, pe->until_ms, s->path,
	                                         PD_DASH_TIMES_MAX + 1, on_cmp, s, &nt) < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	o->truncated |= nt > PD_DASH_TIMES_MAX;
	return s->nomem ? PD_ERR_NOMEM : PD_OK;
}

/* The median (tenths) of the sorted days of group g in pairs sorted by (g, days), and how
 * many there are; -1 under PD_DASH_MEDIAN_MIN. */
static int64_t group_median(const struct pairs *p, int g, int64_t *n_out)
{
	size_t lo = 0, hi = p->n;
	while (lo < hi) {  /* the first pair of group g */
		size_t mid = (lo + hi) / 2;
		if (p->v[mid].g < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < p->n && p->v[end].g == g)
		end++;
	size_t n = end - lo;
	*n_out = (int64_t)n;
	if (n < PD_DASH_MEDIAN_MIN)
		return -1;
	if (n % 2)
		return p->v[lo + n / 2].days * 10;
	return (p->v[lo + n / 2 - 1].days + p->v[lo + n / 2].days) * 5;
}

static int64_t all_median(struct pairs *p, int64_t *n_out)
{
	int64_t *d = malloc(sizeof *d * (p->n + 1));
	if (!d)
		return -2;
	for (size_t i = 0; i < p->n; i++)
		d[i] = p->v[i].days;
	qsort(d, p->n, sizeof *d, cmp_i64);
	*n_out = (int64_t)p->n;
	int64_t m = p->n >= PD_DASH_MEDIAN_MIN ? pd_cstats_median_x10(d, p->n) : -1;
	free(d);
	return m;
}

static void group_of(struct pd_dash_group *g, const struct pd_dash_cmp_counts *c)
{
	memset(g, 0, sizeof *g);
	g->key = c->key;
	g->name = c->name;
	g->received = c->received;
	g->answered = c->answered;
	g->within = c->within;
	g->open = c->open;
}

static void finish_groups(struct pd_dash_group *out, const struct pd_dash_cmp_counts *in, int n,
                          struct pairs *t)
{
	qsort(t->v, t->n, sizeof *t->v, cmp_pair);
	for (int i = 0; i < n; i++) {
		group_of(&out[i], &in[i]);
		out[i].share_x10 = pd_cstats_share_x10(out[i].within, out[i].answered);
		out[i].median_x10 = group_median(t, i, &out[i].n_times);
	}
}

/* The IKM of the newest closed quarter ending in the period, for the subtree's units. */
static int load_ikm(struct pd_store *st, const struct pd_dash_query *q, struct load_arg *s)
{
	struct pd_dashboard *o = s->out;
	int y, qu, cy, cq;
	pd_survey_quarter_of(o->period.until_ms - 1, q->tz_offset_min, &y, &qu);
	pd_survey_quarter_of(q->now_ms, q->tz_offset_min, &cy, &cq);
	if (y * 4 + qu >= cy * 4 + cq) {  /* the running quarter (or later): the one before */
		y = cy;
		qu = cq - 1;
		if (qu == 0) {
			y--;
			qu = 4;
		}
	}
	int64_t q_end = month_start(y, (qu - 1) * 3 + 4, q->tz_offset_min);
	if (q_end <= o->period.since_ms)
		return PD_OK;  /* no quarter of the period is closed yet */
	struct pd_survey_report rep;
	int rc = pd_survey_report(st, y, qu, q->now_ms, q->tz_offset_min, s->a, &rep);
	if (rc || rep.unpublished)
		return rc;
	o->ikm_year = y;
	o->ikm_quarter = qu;
	o->ikm = pd_arena_alloc(s->a, sizeof *o->ikm * (size_t)(rep.n_units + 1));
	if (!o->ikm)
		return PD_ERR_NOMEM;
	int n_svc = 0;
	for (int i = 0; i < rep.n_units; i++) {
		bool in = !o->unit_slug;
		for (int k = 0; !in && k < s->n_units; k++)
			in = strcmp(s->units[k].slug, rep.units[i].slug) == 0;
		if (!in)
			continue;
		o->ikm[o->n_ikm++] = (struct pd_dash_ikm){rep.units[i].slug, rep.units[i].name,
		                                         rep.units[i].f};
		n_svc += rep.units[i].n_services;
	}
	o->ikm_services = pd_arena_alloc(s->a, sizeof *o->ikm_services * (size_t)(n_svc + 1));
	if (!o->ikm_services)
		return PD_ERR_NOMEM;
	for (int i = 0; i < rep.n_units; i++) {
		bool in = false;
		for (int k = 0; !in && k < o->n_ikm; k++)
			in = strcmp(o->ikm[k].slug, rep.units[i].slug) == 0;
		for (int k = 0; in && k < rep.units[i].n_services; k++) {
			const struct pd_survey_service_row *sv = &rep.units[i].services[k];
			o->ikm_services[o->n_ikm_services++] = (struct pd_dash_ikm){sv->slug, sv->name, sv->f};
		}
	}
	return PD_OK;
}

int pd_dashboard_load(struct pd_store *st, const struct pd_dash_query *q, struct pd_arena *a,
                      struct pd_dashboard *out)
{
	memset(out, 0, sizeof *out);
	out->period = q->period;
	out->n_months = q->period.n_months > PD_DASH_MONTHS_MAX ? PD_DASH_MONTHS_MAX
	                                                       : q->period.n_months;
	struct load_arg s;
	memset(&s, 0, sizeof s);
	s.q = q;
	s.a = a;
	s.out = out;
	s.apps = pd_arena_alloc(a, sizeof *s.apps * (PD_DASH_SERVICES_MAX + 1));
	s.cats = pd_arena_alloc(a, sizeof *s.cats * (PD_DASH_GROUPS_MAX + 1));
	s.vils = pd_arena_alloc(a, sizeof *s.vils * (PD_DASH_GROUPS_MAX + 1));
	s.units = pd_arena_alloc(a, sizeof *s.units * (PD_DASH_GROUPS_MAX + 1));
	if (!s.apps || !s.cats || !s.vils || !s.units)
		return PD_ERR_NOMEM;
	int rc = pd_store_read(st, load_tx, &s);
	if (!rc) {
		out->services = pd_arena_alloc(a, sizeof *out->services * (size_t)(out->n_services + 1));
		out->categories = pd_arena_alloc(a, sizeof *out->categories * (size_t)(out->n_categories + 1));
		out->villages = pd_arena_alloc(a, sizeof *out->villages * (size_t)(out->n_villages + 1));
		if (!out->services || !out->categories || !out->villages)
			rc = PD_ERR_NOMEM;
	}
	if (!rc) {
		struct pd_dash_service *t = &out->apps;
		int64_t m = all_median(&s.app_t, &t->n_times);
		rc = m == -2 ? PD_ERR_NOMEM : PD_OK;
		t->median_x10 = m;
		qsort(s.app_t.v, s.app_t.n, sizeof *s.app_t.v, cmp_pair);
		for (int i = 0; i < out->n_services; i++) {
			const struct pd_dash_app_counts *c = &s.apps[i];
			struct pd_dash_service *v = &out->services[i];
			*v = (struct pd_dash_service){c->service_id, c->service_slug, c->service_name,
			                              c->unit_id, c->unit_slug, c->unit_name,
			                              c->promised_days, c->received, c->finished,
			                              c->within, c->open, c->overdue, c->assisted, 0, 0, 0};
			v->share_x10 = pd_cstats_share_x10(v->within, v->finished);
			v->median_x10 = group_median(&s.app_t, i, &v->n_times);
			t->received += v->received;
			t->finished += v->finished;
			t->within += v->within;
			t->open += v->open;
			t->overdue += v->overdue;
			t->assisted += v->assisted;
		}
		t->share_x10 = pd_cstats_share_x10(t->within, t->finished);
	}
	if (!rc) {
		struct pd_dash_group *t = &out->complaints;
		int64_t m = all_median(&s.cat_t, &t->n_times);
		rc = m == -2 ? PD_ERR_NOMEM : PD_OK;
		t->median_x10 = m;
		finish_groups(out->categories, s.cats, out->n_categories, &s.cat_t);
		finish_groups(out->villages, s.vils, out->n_villages, &s.vil_t);
		for (int i = 0; i < out->n_categories; i++) {
			t->received += out->categories[i].received;
			t->answered += out->categories[i].answered;
			t->within += out->categories[i].within;
			t->open += out->categories[i].open;
		}
		t->share_x10 = pd_cstats_share_x10(t->within, t->answered);
	}
	free(s.app_t.v);
	free(s.cat_t.v);
	free(s.vil_t.v);
	if (!rc)
		rc = load_ikm(st, q, &s);
	if (!rc)
		pd_dashboard_load_info(st, q, a, out);
	return rc;
}

/* --- the staff view -------------------------------------------------------------------------- */

static bool any_staff_role(const struct pd_actor *actor, const char *path)
{
	for (int r = PD_ROLE_OFFICER; r < PD_ROLE__MAX; r++)
		if (pd_authz_has_role(actor, (enum pd_role)r, path))
			return true;
	return false;
}

struct unit_arg {
	const char *slug;
	struct pd_arena *a;
	struct pd_unit u;
};

static int unit_tx(struct pd_tx *tx, void *p)
{
	struct unit_arg *u = p;
	enum pd_qs qs = pd_store_unit_by_slug(tx, u->slug, u->a, &u->u);
	if (qs < 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

int pd_dashboard_staff(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_dash_query *q, struct pd_arena *a,
                       struct pd_dashboard *out)
{
	memset(out, 0, sizeof *out);
	if (!actor || actor->kind != PD_ACCOUNT_STAFF || actor->n_grants == 0 ||
	    !any_staff_role(actor, NULL))
		return PD_ERR_NOT_FOUND;
	struct pd_dash_query sq = *q;
	if (!sq.unit_slug || !*sq.unit_slug) {
		const struct pd_grant *best = NULL;
		for (size_t i = 0; i < actor->n_grants; i++) {
			const struct pd_grant *g = &actor->grants[i];
			if (g->role != PD_ROLE_CITIZEN &&
			    (!best || strlen(g->unit_path) < strlen(best->unit_path)))
				best = g;
		}
		if (!best)
			return PD_ERR_NOT_FOUND;
		sq.unit_slug = best->unit_slug;
	} else {
		struct unit_arg u = {sq.unit_slug, a, {0}};
		int rc = pd_store_read(st, unit_tx, &u);
		if (rc)
			return rc;
		if (!any_staff_role(actor, u.u.path))
			return PD_ERR_NOT_FOUND;
	}
	return pd_dashboard_load(st, &sq, a, out);
}

/* --- the unit filter ------------------------------------------------------------------------- */

static int depth_of(const char *path)
{
	int d = 0;
	for (const char *p = path; *p; p++)
		d += *p == '/';
	return d;
}

struct units_arg {
	const struct pd_actor *actor;
	struct pd_arena *a;
	struct pd_dash_unit *out;
	int max, *n;
};

static int units_tx(struct pd_tx *tx, void *p)
{
	struct units_arg *u = p;
	*u->n = 0;
	const char *roots[64];
	int n_roots = 0;
	if (!u->actor) {
		roots[n_roots++] = "/";
	} else {
		for (size_t i = 0; i < u->actor->n_grants && n_roots < 64; i++) {
			const struct pd_grant *g = &u->actor->grants[i];
			if (g->role == PD_ROLE_CITIZEN || !g->unit_path)
				continue;
			bool inside = false;
			for (size_t k = 0; k < u->actor->n_grants && !inside; k++) {
				const struct pd_grant *o = &u->actor->grants[k];
				inside = k != i && o->role != PD_ROLE_CITIZEN && o->unit_path &&
				         pd_str_starts(g->unit_path, o->unit_path) &&
				         (strcmp(g->unit_path, o->unit_path) != 0 || k < i);
			}
			if (!inside)
				roots[n_roots++] = g->unit_path;
		}
	}
	struct pd_unit *buf = pd_arena_alloc(u->a, sizeof *buf * (size_t)(u->max + 1));
	if (!buf)
		return PD_ERR_NOMEM;
	int base = 1 << 30;
	for (int r = 0; r < n_roots && *u->n < u->max; r++) {
		int n = 0;
		if (pd_store_unit_subtree(tx, roots[r], NULL, u->a, buf, u->max - *u->n, &n) < 0)
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		for (int i = 0; i < n; i++) {
			int d = depth_of(buf[i].path);
			base = d < base ? d : base;
			u->out[*u->n] = (struct pd_dash_unit){buf[i].slug, buf[i].name, d};
			(*u->n)++;
		}
	}
	for (int i = 0; i < *u->n; i++)
		u->out[i].depth -= base;
	return PD_OK;
}

int pd_dashboard_units(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                       struct pd_dash_unit *out, int max, int *n)
{
	*n = 0;
	struct units_arg u = {actor, a, out, max, n};
	return pd_store_read(st, units_tx, &u);
}

/* --- rankings -------------------------------------------------------------------------------- */

void pd_dash_top_groups(const struct pd_dash_group *g, int n_groups, int *idx, int max, int *n)
{
	*n = 0;
	bool taken[PD_DASH_GROUPS_MAX] = {false};
	while (*n < max) {
		int best = -1;
		for (int i = 0; i < n_groups && i < PD_DASH_GROUPS_MAX; i++)
			if (!taken[i] && g[i].received > 0 &&
			    (best < 0 || g[i].received > g[best].received))
				best = i;
		if (best < 0)
			return;
		taken[best] = true;
		idx[(*n)++] = best;
	}
}

void pd_dash_slowest(const struct pd_dash_service *s, int n_services, int *idx, int max, int *n)
{
	*n = 0;
	bool taken[PD_DASH_SERVICES_MAX] = {false};
	while (*n < max) {
		int best = -1;
		for (int i = 0; i < n_services && i < PD_DASH_SERVICES_MAX; i++)
			if (!taken[i] && s[i].median_x10 >= 0 &&
			    (best < 0 || s[i].median_x10 > s[best].median_x10))
				best = i;
		if (best < 0)
			return;
		taken[best] = true;
		idx[(*n)++] = best;
	}
}
