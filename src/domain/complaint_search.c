/* Searching published complaints by the stemmed words of their public copy, keeping the index
 * of those words up to date, and finding similar open complaints while a citizen files. */
#include "domain/complaint_stats.h"

#include <math.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/stem.h"
#include "core/str.h"
#include "store/complaint_public_store.h"

/* Changes that commit with an earlier updated_ms than the newest indexed one (two writers at
 * the same moment) are still looked at for this long. */
#define REFRESH_SLACK_MS (5 * 60 * 1000LL)
#define SIMILAR_CANDIDATES 50
#define PI 3.14159265358979323846

static int db_error(struct pd_tx *tx)
{
	int rc = pd_tx_error(tx);
	return rc ? rc : PD_ERR_DB;
}

/* Summary fields of a list row into out (strings borrowed from the row, which lives in a). */
static void from_pub(const struct pd_cmpp_row *r, struct pd_arena *a, struct pd_complaint *out)
{
	memset(out, 0, sizeof *out);
	out->id = r->id;
	out->tracking = r->tracking;
	char g[PD_TRACKING_GROUPED_LEN + 1];
	pd_tracking_format(r->tracking, g);
	out->tracking_display = pd_arena_strdup(a, g);
	out->category_code = r->category_code;
	out->category_name = r->category_name;
	out->title = r->title;
	if (pd_complaint_status_parse(r->status, &out->status))
		out->status = PD_CMP_NEW;
	out->visibility = PD_CMP_PUBLIC; /* published; which of public/anonymous is not said */
	out->published = true;
	out->unit_name = r->unit_name;
	out->place_slug = r->place_slug;
	out->place_name = r->place_name;
	out->has_location = r->has_location;
	out->lat_e6 = r->lat_e6;
	out->lon_e6 = r->lon_e6;
	out->created_ms = r->created_ms;
	out->updated_ms = r->updated_ms;
	out->support_count = r->support_count;
}

/* --- search ---------------------------------------------------------------------------------- */

static bool status_filter_ok(const char *s)
{
	enum pd_complaint_status st;
	return !s || !*s || strcmp(s, "open") == 0 || strcmp(s, "closed") == 0 ||
	       pd_complaint_status_parse(s, &st) == PD_OK;
}

struct search_arg {
	struct pd_cmp_list_filter f;
	const char *stems;
	struct pd_arena *a;
	struct pd_complaint *out;
	int max, *n;
};

static int search_tx(struct pd_tx *tx, void *p)
{
	struct search_arg *s = p;
	struct pd_cmpp_row *rows = pd_arena_alloc(s->a, sizeof *rows * (size_t)s->max);
	if (!rows)
		return PD_ERR_NOMEM;
	int n = 0;
	if (pd_store_cmpp_search(tx, &s->f, s->stems, s->a, rows, s->max, &n) < 0)
		return db_error(tx);
	for (int i = 0; i < n; i++)
		from_pub(&rows[i], s->a, &s->out[i]);
	*s->n = n;
	return PD_OK;
}

int pd_complaint_search(struct pd_store *st, const struct pd_complaint_filter *f, const char *q,
                        int64_t after_ms, const char *after_id, struct pd_arena *a,
                        struct pd_complaint *out, int max, int *n)
{
	*n = 0;
	if (q && (strlen(q) > PD_COMPLAINT_Q_MAX || !pd_utf8_valid(q, strlen(q))))
		return PD_ERR_INVALID;
	const char *stems = q && *q ? pd_stem_text(a, q, PD_COMPLAINT_Q_WORDS) : "";
	if (!stems)
		return PD_ERR_NOMEM;
	if (!*stems)
		return pd_complaint_list_public(st, f, after_ms, after_id, a, out, max, n);
	if (!status_filter_ok(f->status) || max < 1 || max > PD_COMPLAINT_PAGE_MAX)
		return PD_ERR_INVALID;
	struct search_arg s = {{f->category_code, f->unit_slug, f->village_slug, f->status,
	                        f->since_ms, f->until_ms, after_ms, after_id},
	                       stems, a, out, max, n};
	return pd_store_read(st, search_tx, &s);
}

/* --- the index ------------------------------------------------------------------------------- */

static int pending_tx(struct pd_tx *tx, void *p)
{
	bool *out = p;
	int64_t mark = 0;
	if (pd_store_cmpp_index_mark(tx, &mark) < 0)
		return db_error(tx);
	struct pd_cmpp_stale one;
	int n = 0;
	if (pd_store_cmpp_stale(tx, mark > REFRESH_SLACK_MS ? mark - REFRESH_SLACK_MS : 0, NULL,
	                        &one, 1, &n) < 0)
		return db_error(tx);
	*out = n > 0;
	return PD_OK;
}

int pd_complaint_search_pending(struct pd_store *st, bool *out)
{
	*out = false;
	return pd_store_read(st, pending_tx, out);
}

int pd_complaint_search_refresh_tx(struct pd_tx *tx, void *arg)
{
	(void)arg;
	struct pd_arena *a = pd_tx_arena(tx);
	int64_t mark = 0;
	if (pd_store_cmpp_index_mark(tx, &mark) < 0)
		return db_error(tx);
	struct pd_cmpp_stale *rows = pd_arena_alloc(a, sizeof *rows * PD_COMPLAINT_REFRESH_MAX);
	if (!rows)
		return PD_ERR_NOMEM;
	int n = 0;
	if (pd_store_cmpp_stale(tx, mark > REFRESH_SLACK_MS ? mark - REFRESH_SLACK_MS : 0, a, rows,
	                        PD_COMPLAINT_REFRESH_MAX, &n) < 0)
		return db_error(tx);
	for (int i = 0; i < n; i++) {
		/* Public text only: the public copy and the public answer (DESIGN §3, §4). */
		const char *text = pd_arena_printf(a, "%s\n%s\n%s",
		                                   rows[i].public_title ? rows[i].public_title : "",
		                                   rows[i].public_text ? rows[i].public_text : "",
		                                   rows[i].answer_public ? rows[i].answer_public : "");
		const char *stems = text ? pd_stem_text(a, text, 0) : NULL;
		if (!stems)
			return PD_ERR_NOMEM;
		if (pd_store_cmpp_index_put(tx, rows[i].id, rows[i].version, rows[i].updated_ms,
		                            stems) < 0)
			return db_error(tx);
	}
	if (n)
		pd_log(PD_LOG_INFO, "complaint_index", "indexed=%d", n);
	return PD_OK;
}

/* --- similar complaints ---------------------------------------------------------------------- */

int64_t pd_complaint_distance_m(int64_t lat1_e6, int64_t lon1_e6, int64_t lat2_e6,
                                int64_t lon2_e6)
{
	const double r_earth = 6371008.8, rad = PI / 180.0 / 1e6;
	double mean = (double)(lat1_e6 + lat2_e6) / 2.0 * rad;
	double dy = (double)(lat2_e6 - lat1_e6) * rad;
	double dx = (double)(lon2_e6 - lon1_e6) * rad * cos(mean);
	return (int64_t)llround(r_earth * sqrt(dx * dx + dy * dy));
}

struct similar_arg {
	struct pd_cmpp_near q;
	bool has_location;
	int64_t lat_e6, lon_e6;
	struct pd_arena *a;
	struct pd_complaint_near *out;
	int max, *n;
};

static int similar_tx(struct pd_tx *tx, void *p)
{
	struct similar_arg *s = p;
	struct pd_cmpp_row *rows = pd_arena_alloc(s->a, sizeof *rows * SIMILAR_CANDIDATES);
	if (!rows)
		return PD_ERR_NOMEM;
	int n = 0;
	if (pd_store_cmpp_similar(tx, &s->q, s->a, rows, SIMILAR_CANDIDATES, &n) < 0)
		return db_error(tx);
	/* Candidates come most supported first; keep those in the village or truly nearby (the box
	 * of the query is wider than the circle). */
	int k = 0;
	for (int i = 0; i < n && k < s->max; i++) {
		bool same = s->q.village_slug && *s->q.village_slug && rows[i].place_slug &&
		            strcmp(rows[i].place_slug, s->q.village_slug) == 0;
		int64_t d = -1;
		if (s->has_location && rows[i].has_location)
			d = pd_complaint_distance_m(s->lat_e6, s->lon_e6, rows[i].lat_e6, rows[i].lon_e6);
		if (!same && (d < 0 || d > PD_COMPLAINT_NEAR_M))
			continue;
		struct pd_complaint_near *o = &s->out[k++];
		from_pub(&rows[i], s->a, &o->c);
		o->distance_m = d;
		o->same_village = same;
	}
	*s->n = k;
	return PD_OK;
}

int pd_complaint_similar(struct pd_store *st, const char *category_code,
                         const char *village_slug, bool has_location, int64_t lat_e6,
                         int64_t lon_e6, struct pd_arena *a, struct pd_complaint_near *out,
                         int max, int *n)
{
	*n = 0;
	if (has_location && (lat_e6 < -90000000 || lat_e6 > 90000000 || lon_e6 < -180000000 ||
	                     lon_e6 > 180000000))
		return PD_ERR_INVALID;
	if (max > PD_COMPLAINT_SIMILAR_MAX)
		max = PD_COMPLAINT_SIMILAR_MAX;
	bool village = village_slug && *village_slug && pd_slug_valid(village_slug);
	if (!category_code || !*category_code || strlen(category_code) > 64 || max < 1 ||
	    (!village && !has_location))
		return PD_OK;
	struct similar_arg s = {{category_code, village ? village_slug : "", false, 0, 0, 0, 0},
	                        has_location, lat_e6, lon_e6, a, out, max, n};
	if (has_location) {
		/* 1 km is about 9,000 micro-degrees of latitude; of longitude 9,000 / cos(latitude)
		 * (capped near the poles). A margin of 10 % keeps the box outside the circle. */
		int64_t dlat = PD_COMPLAINT_NEAR_M * 9 * 11 / 10;
		double c = cos((double)lat_e6 / 1e6 * PI / 180.0);
		int64_t dlon = c > 0.05 ? (int64_t)((double)dlat / c) : 180000000;
		s.q.has_box = true;
		s.q.lat_min = lat_e6 - dlat;
		s.q.lat_max = lat_e6 + dlat;
		s.q.lon_min = lon_e6 - dlon;
		s.q.lon_max = lon_e6 + dlon;
	}
	return pd_store_read(st, similar_tx, &s);
}
