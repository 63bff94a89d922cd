/* The public per-unit figures of complaints at /pengaduan/statistik and the same table as CSV
 * (/pengaduan/statistik.csv): received, answered, answered within the deadline and its share,
 * the median working days to an answer (withheld under 10 answers), open and overdue, for a
 * calendar year or the last 12 months, per unit or per top-level agency. */
#include <inttypes.h>
#include <string.h>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/complaint_stats.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "web/account_internal.h"
#include "web/pengaduan.h"
#include "web/permohonan.h"

#define YEARS_OFFERED 4

static int tz_of(struct pd_req *r)
{
	return r->app->cfg ? r->app->cfg->tz_offset_min : 420;
}

/* The query's period and level; false (after a 400) when malformed. */
static bool read_query(struct pd_req *r, struct pd_cstats_query *q)
{
	memset(q, 0, sizeof *q);
	q->tz_offset_min = tz_of(r);
	q->cal = pd_http_calendar(r);
	q->now_ms = pd_clock_now_ms();
	const char *year = pd_req_query(r, "tahun");
	int64_t y = 0;
	if (year && *year && pd_parse_i64(year, 2000, 2100, &y)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Tahun tidak sah."));
		return false;
	}
	q->year = (int)y;
	const char *level = pd_req_query(r, "tingkat");
	q->rollup = level && strcmp(level, "perangkat-daerah") == 0;
	return true;
}

/* tenths as "12.5" (dot) or, localised for Indonesian, "12,5". */
static const char *tenths(struct pd_req *r, int64_t v, bool localised)
{
	const char *s = pd_arena_printf(r->arena, "%" PRId64 ".%" PRId64, v / 10, v % 10);
	if (localised && r->lang && strcmp(r->lang, "id") == 0) {
		char *c = pd_arena_strdup(r->arena, s);
		char *dot = strchr(c, '.');
		if (dot)
			*dot = ',';
		return c;
	}
	return s;
}

static json_t *row_json(struct pd_req *r, const struct pd_cstats_row *row)
{
	json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I}", "received", (json_int_t)row->received,
	                      "answered", (json_int_t)row->answered, "within",
	                      (json_int_t)row->within, "open", (json_int_t)row->open, "overdue",
	                      (json_int_t)row->overdue);
	if (row->unit_slug) {
		json_object_set_new(o, "slug", json_string(row->unit_slug));
		json_object_set_new(o, "name", json_string(row->unit_name));
	}
	json_object_set_new(o, "share",
	                    json_string(row->share_x10 < 0 ? "—"
	                                                   : pd_arena_printf(r->arena, "%s %%",
	                                                                     tenths(r, row->share_x10, true))));
	if (row->median_x10 < 0) {
		json_object_set_new(o, "median", json_string("—"));
		if (row->n_times > 0)
			json_object_set_new(o, "few", json_true());
	} else {
		json_object_set_new(o, "median", json_string(tenths(r, row->median_x10, true)));
	}
	return o;
}

void pd_web_complaint_stats(struct pd_req *r)
{
	struct pd_cstats_query q;
	if (!read_query(r, &q))
		return;
	struct pd_cstats s;
	int rc = pd_complaint_stats(r->store, &q, r->arena, &s);
	if (rc == PD_ERR_INVALID) {
		pd_reply_error(r, PD_E_BAD_REQUEST, NULL);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	json_t *rows = json_array();
	for (int i = 0; i < s.n; i++)
		json_array_append_new(rows, row_json(r, &s.rows[i]));
	json_t *ctx = json_object();
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "total", row_json(r, &s.total));
	json_object_set_new(ctx, "median_min", json_integer(PD_CSTATS_MEDIAN_MIN));
	/* The period as people read it: the first and the last day. */
	json_object_set_new(ctx, "from", json_string(pd_web_app_date(r, s.since_ms)));
	json_object_set_new(ctx, "to", json_string(pd_web_app_date(r, s.until_ms - 1)));
	int32_t today = q.cal ? pd_calendar_day_of(q.cal, q.now_ms)
	                      : (int32_t)((q.now_ms + (int64_t)q.tz_offset_min * 60000) / 86400000LL);
	int cy, cm, cd;
	pd_civil_from_day(today, &cy, &cm, &cd);
	json_t *years = json_array();
	for (int y = cy; y > cy - YEARS_OFFERED; y--)
		json_array_append_new(years, json_pack("{s:i,s:b}", "year", y, "selected", q.year == y));
	json_object_set_new(ctx, "years", years);
	if (q.year)
		json_object_set_new(ctx, "year", json_integer(q.year));
	else
		json_object_set_new(ctx, "last12", json_true());
	if (q.rollup)
		json_object_set_new(ctx, "rollup", json_true());
	if (s.truncated)
		json_object_set_new(ctx, "truncated", json_true());
	json_object_set_new(ctx, "csv",
	                    json_string(pd_arena_printf(r->arena, "/pengaduan/statistik.csv?tahun=%s&tingkat=%s",
	                                                q.year ? pd_arena_printf(r->arena, "%d", q.year) : "",
	                                                q.rollup ? "perangkat-daerah" : "unit")));
	pd_reply_page(r, 200, "pengaduan/statistik", N_("Statistik pengaduan"), ctx);
}

static void csv_row(struct pd_req *r, struct pd_buf *b, const char *slug, const char *name,
                    const struct pd_cstats_row *row)
{
	pd_csv_cell(b, slug, false);
	pd_csv_cell(b, name, false);
	const int64_t v[] = {row->received, row->answered, row->within};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		pd_csv_cell(b, pd_arena_printf(r->arena, "%" PRId64, v[i]), false);
	pd_csv_cell(b, row->share_x10 < 0 ? "" : tenths(r, row->share_x10, false), false);
	pd_csv_cell(b, row->median_x10 < 0 ? "" : tenths(r, row->median_x10, false), false);
	pd_csv_cell(b, pd_arena_printf(r->arena, "%" PRId64, row->n_times), false);
	pd_csv_cell(b, pd_arena_printf(r->arena, "%" PRId64, row->open), false);
	pd_csv_cell(b, pd_arena_printf(r->arena, "%" PRId64, row->overdue), true);
}

void pd_web_complaint_stats_csv(struct pd_req *r)
{
	struct pd_cstats_query q;
	if (!read_query(r, &q))
		return;
	struct pd_cstats s;
	int rc = pd_complaint_stats(r->store, &q, r->arena, &s);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	struct pd_buf b;
	pd_buf_init(&b, 16 * 1024 * 1024);
	/* Empty cells: no answer yet (share) or fewer than PD_CSTATS_MEDIAN_MIN (median). */
	pd_buf_puts(&b, "unit_slug,unit_name,received,answered,answered_within_deadline,"
	                "within_deadline_percent,median_working_days_to_answer,answers_in_median,"
	                "open,overdue\r\n");
	for (int i = 0; i < s.n; i++)
		csv_row(r, &b, s.rows[i].unit_slug, s.rows[i].unit_name, &s.rows[i]);
	csv_row(r, &b, "", "TOTAL", &s.total);
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"statistik-pengaduan-%s.csv\"",
	                                q.year ? pd_arena_printf(r->arena, "%d", q.year)
	                                       : "12-bulan"));
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
}
