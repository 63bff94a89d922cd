/* The public performance dashboard /dasbor and its CSV downloads, and the pieces the staff
 * dashboard shares with it: the filters (unit and period), the figures' template context with
 * their inline SVG charts, and one CSV writer per figure. */
#include "web/dasbor.h"

#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/svgchart.h"
#include "domain/ikm.h"
#include "http/app.h"
#include "http/calendar_req.h"
#include "render/template.h"
#include "web/account_internal.h"
#include "web/permohonan.h"

#define UNITS_MAX 500
#define YEARS_OFFERED 4
#define QUARTERS_OFFERED 8
#define VILLAGES_CHARTED 15

static const char *const roman[] = {"", "I", "II", "III", "IV"};

/* --- query and filters ------------------------------------------------------------------------ */

bool pd_dasbor_query(struct pd_req *r, struct pd_dash_query *q)
{
	memset(q, 0, sizeof *q);
	q->tz_offset_min = r->app->cfg ? r->app->cfg->tz_offset_min : 420;
	q->cal = pd_http_calendar(r);
	q->now_ms = pd_clock_now_ms();
	const char *unit = pd_req_query(r, "unit");
	if (unit && *unit && !pd_slug_valid(unit)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Unit tidak sah."));
		return false;
	}
	q->unit_slug = unit && *unit ? unit : NULL;
	if (pd_dash_period_parse(pd_req_query(r, "periode"), q->now_ms, q->tz_offset_min,
	                         &q->period)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Periode tidak sah (contoh: 2026 atau 2026-T3)."));
		return false;
	}
	return true;
}

void pd_dasbor_filters(struct pd_req *r, json_t *ctx, const struct pd_actor *actor,
                       const struct pd_dashboard *d)
{
	struct pd_dash_unit *u = pd_arena_alloc(r->arena, sizeof *u * UNITS_MAX);
	int n = 0;
	json_t *units = json_array();
	if (!actor)
		json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", "", "label",
		                                       pd_req_t(r, N_("Semua unit")), "selected",
		                                       d->unit_slug == NULL));
	if (u && pd_dashboard_units(r->store, actor, r->arena, u, UNITS_MAX, &n) == PD_OK) {
		for (int i = 0; i < n; i++) {
			struct pd_buf b;
			pd_buf_init(&b, 4096);
			for (int k = 0; k < u[i].depth && k < 8; k++)
				pd_buf_puts(&b, "\xc2\xa0\xc2\xa0");  /* two no-break spaces a level */
			pd_buf_puts(&b, u[i].name);
			json_array_append_new(units, json_pack("{s:s,s:s,s:b}", "slug", u[i].slug, "label",
			                                       pd_buf_cstr(&b), "selected",
			                                       d->unit_slug &&
			                                       strcmp(d->unit_slug, u[i].slug) == 0));
			pd_buf_free(&b);
		}
	}
	json_object_set_new(ctx, "units", units);
	int32_t today = pd_calendar_day_of(pd_http_calendar(r), pd_clock_now_ms());
	int cy, cm, cd;
	pd_civil_from_day(today, &cy, &cm, &cd);
	char cur[16];
	pd_dash_period_name(&d->period, cur, sizeof cur);
	json_t *periods = json_array();
	json_array_append_new(periods, json_pack("{s:s,s:s,s:b}", "value", "", "label",
	                                         pd_req_t(r, N_("12 bulan terakhir")), "selected",
	                                         !*cur));
	for (int y = cy; y > cy - YEARS_OFFERED; y--) {
		const char *v = pd_arena_printf(r->arena, "%d", y);
		json_array_append_new(periods, json_pack("{s:s,s:s,s:b}", "value", v, "label", v,
		                                         "selected", strcmp(v, cur) == 0));
	}
	int qi = cy * 4 + (cm - 1) / 3;
	for (int k = 0; k < QUARTERS_OFFERED; k++, qi--) {
		const char *v = pd_arena_printf(r->arena, "%d-T%d", qi / 4, qi % 4 + 1);
		const char *label = pd_arena_printf(r->arena, "%s %s %d", pd_req_t(r, N_("Triwulan")),
		                                    roman[qi % 4 + 1], qi / 4);
		json_array_append_new(periods, json_pack("{s:s,s:s,s:b}", "value", v, "label", label,
		                                         "selected", strcmp(v, cur) == 0));
	}
	json_object_set_new(ctx, "periods", periods);
}

/* --- numbers and charts ----------------------------------------------------------------------- */

const char *pd_dasbor_tenths(struct pd_req *r, int64_t v, bool localised)
{
	if (v < 0)
		return "—";
	char *s = pd_arena_printf(r->arena, "%" PRId64 ".%" PRId64, v / 10, v % 10);
	if (localised && r->lang && strcmp(r->lang, "id") == 0) {
		char *dot = strchr(s, '.');
		if (dot)
			*dot = ',';
	}
	return s;
}

static const char *share(struct pd_req *r, int64_t v)
{
	return v < 0 ? "—" : pd_arena_printf(r->arena, "%s %%", pd_dasbor_tenths(r, v, true));
}

static const char *i64(struct pd_req *r, int64_t v)
{
	return pd_arena_printf(r->arena, "%" PRId64, v);
}

/* An SVG chart as a trusted fragment for {{html:…}}, or JSON null when it cannot be drawn. */
static json_t *chart(struct pd_req *r, bool line, const char *id, const char *title,
                     const char *desc, const char *const *labels, int n,
                     const struct pd_svg_series *series, int n_series, int decimals,
                     const char *suffix)
{
	struct pd_svgchart c = {id, pd_req_t(r, title), pd_req_t(r, desc),
	                        pd_req_t(r, N_("Belum ada data untuk periode ini.")), labels, n,
	                        series, n_series, decimals, suffix};
	struct pd_buf b;
	pd_buf_init(&b, 256 * 1024);
	int rc = line ? pd_svgchart_line(&b, &c) : pd_svgchart_bar(&b, &c);
	json_t *out = rc ? json_null() : pd_tpl_html(pd_buf_cstr(&b));
	pd_buf_free(&b);
	return out ? out : json_null();
}

/* --- the figures' context --------------------------------------------------------------------- */

static json_t *service_json(struct pd_req *r, const struct pd_dash_service *s)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "received", i64(r, s->received),
	                      "finished", i64(r, s->finished), "within", i64(r, s->within), "open",
	                      i64(r, s->open), "overdue", i64(r, s->overdue), "assisted",
	                      i64(r, s->assisted), "share", share(r, s->share_x10), "median",
	                      pd_dasbor_tenths(r, s->median_x10, true));
	if (s->slug) {
		json_object_set_new(o, "slug", json_string(s->slug));
		json_object_set_new(o, "name", json_string(s->name));
		json_object_set_new(o, "unit_name", json_string(s->unit_name));
		json_object_set_new(o, "promised", json_string(i64(r, s->promised_days)));
	}
	return o;
}

static const char *group_name(struct pd_req *r, const struct pd_dash_group *g)
{
	return g->key && !*g->key ? pd_req_t(r, N_("Tanpa desa")) : g->name;
}

static json_t *group_json(struct pd_req *r, const struct pd_dash_group *g)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "received", i64(r, g->received),
	                      "answered", i64(r, g->answered), "within", i64(r, g->within), "open",
	                      i64(r, g->open), "share", share(r, g->share_x10), "median",
	                      pd_dasbor_tenths(r, g->median_x10, true));
	if (g->key)
		json_object_set_new(o, "name", json_string(group_name(r, g)));
	return o;
}

static json_t *info_json(struct pd_req *r, const struct pd_dash_info *i)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "received", i64(r, i->received),
	                      "answered", i64(r, i->answered), "on_time", i64(r, i->on_time),
	                      "open", i64(r, i->open), "overdue", i64(r, i->overdue), "objections",
	                      i64(r, i->objections), "share", share(r, i->share_x10));
	if (i->slug)
		json_object_set_new(o, "name", json_string(i->name));
	return o;
}

static void add_services(struct pd_req *r, json_t *ctx, const struct pd_dashboard *d)
{
	json_t *rows = json_array();
	const char **labels = pd_arena_alloc(r->arena, sizeof *labels * (size_t)(d->n_services + 1));
	int64_t *v = pd_arena_alloc(r->arena, sizeof *v * (size_t)(d->n_services + 1));
	int n = 0;
	for (int i = 0; i < d->n_services; i++) {
		json_array_append_new(rows, service_json(r, &d->services[i]));
		if (labels && v && n < PD_SVG_MAX_POINTS) {
			labels[n] = d->services[i].name;
			v[n++] = d->services[i].received;
		}
	}
	json_object_set_new(ctx, "services", rows);
	json_object_set_new(ctx, "apps", service_json(r, &d->apps));
	struct pd_svg_series s = {pd_req_t(r, N_("Diterima")), v};
	json_object_set_new(ctx, "chart_services",
	                    chart(r, false, "g-layanan", N_("Permohonan diterima per layanan"),
	                          N_("Diagram batang jumlah permohonan yang diterima setiap layanan dalam periode ini; angka lengkapnya ada di tabel."),
	                          labels, n, &s, 1, 0, NULL));
}

static void add_complaints(struct pd_req *r, json_t *ctx, const struct pd_dashboard *d)
{
	json_t *rows = json_array();
	const char **labels = pd_arena_alloc(r->arena, sizeof *labels * (PD_SVG_MAX_POINTS + 1));
	int64_t *v = pd_arena_alloc(r->arena, sizeof *v * (PD_SVG_MAX_POINTS + 1));
	if (!labels || !v)
		return;
	int n = 0;
	for (int i = 0; i < d->n_categories; i++) {
		json_array_append_new(rows, group_json(r, &d->categories[i]));
		if (n < PD_SVG_MAX_POINTS) {
			labels[n] = d->categories[i].name;
			v[n++] = d->categories[i].received;
		}
	}
	json_object_set_new(ctx, "categories", rows);
	json_object_set_new(ctx, "complaints", group_json(r, &d->complaints));
	struct pd_svg_series s = {pd_req_t(r, N_("Diterima")), v};
	json_object_set_new(ctx, "chart_categories",
	                    chart(r, false, "g-kategori", N_("Pengaduan per kategori"),
	                          N_("Diagram batang jumlah pengaduan yang diterima per kategori dalam periode ini; angka lengkapnya ada di tabel."),
	                          labels, n, &s, 1, 0, NULL));
	rows = json_array();
	for (int i = 0; i < d->n_villages; i++)
		json_array_append_new(rows, group_json(r, &d->villages[i]));
	json_object_set_new(ctx, "villages", rows);
	/* the chart: the villages with most complaints */
	int idx[VILLAGES_CHARTED], k = 0;
	pd_dash_top_groups(d->villages, d->n_villages, idx, VILLAGES_CHARTED, &k);
	const char **vl = pd_arena_alloc(r->arena, sizeof *vl * VILLAGES_CHARTED);
	int64_t *vv = pd_arena_alloc(r->arena, sizeof *vv * VILLAGES_CHARTED);
	if (!vl || !vv)
		return;
	for (int i = 0; i < k; i++) {
		vl[i] = group_name(r, &d->villages[idx[i]]);
		vv[i] = d->villages[idx[i]].received;
	}
	struct pd_svg_series sv = {pd_req_t(r, N_("Diterima")), vv};
	json_object_set_new(ctx, "chart_villages",
	                    chart(r, false, "g-desa", N_("Desa dengan pengaduan terbanyak"),
	                          N_("Diagram batang jumlah pengaduan di desa-desa dengan pengaduan terbanyak dalam periode ini; semua desa ada di tabel."),
	                          vl, k, &sv, 1, 0, NULL));
}

static void add_info(struct pd_req *r, json_t *ctx, const struct pd_dashboard *d)
{
	if (!d->info_available)
		return;
	json_t *info = json_object();
	json_t *rows = json_array();
	const char **labels = pd_arena_alloc(r->arena, sizeof *labels * (size_t)(d->n_info + 1));
	int64_t *v = pd_arena_alloc(r->arena, sizeof *v * (size_t)(d->n_info + 1));
	int n = 0;
	for (int i = 0; i < d->n_info; i++) {
		json_array_append_new(rows, info_json(r, &d->info[i]));
		if (labels && v && d->info[i].share_x10 >= 0 && n < PD_SVG_MAX_POINTS) {
			labels[n] = d->info[i].name;
			v[n++] = d->info[i].share_x10;
		}
	}
	json_object_set_new(info, "rows", rows);
	json_object_set_new(info, "total", info_json(r, &d->info_total));
	struct pd_svg_series s = {pd_req_t(r, N_("Tepat waktu")), v};
	json_object_set_new(info, "chart",
	                    chart(r, false, "g-informasi", N_("Permohonan informasi dijawab tepat waktu"),
	                          N_("Diagram batang persentase permohonan informasi yang dijawab tepat waktu per unit; angka lengkapnya ada di tabel."),
	                          labels, n, &s, 1, 1, " %"));
	json_object_set_new(ctx, "info", info);
}

static void add_ikm(struct pd_req *r, json_t *ctx, const struct pd_dashboard *d)
{
	if (!d->ikm_year)
		return;
	json_t *ikm = json_object();
	json_object_set_new(ikm, "label", json_string(pd_arena_printf(r->arena, "%s %s %d",
	                    pd_req_t(r, N_("Triwulan")), roman[d->ikm_quarter], d->ikm_year)));
	json_t *rows = json_array();
	const char **labels = pd_arena_alloc(r->arena, sizeof *labels * (size_t)(d->n_ikm + 1));
	int64_t *v = pd_arena_alloc(r->arena, sizeof *v * (size_t)(d->n_ikm + 1));
	int n = 0;
	for (int i = 0; i < d->n_ikm; i++) {
		const struct pd_survey_figure *f = &d->ikm[i].f;
		json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "slug", d->ikm[i].slug, "name",
		                      d->ikm[i].name, "n", i64(r, f->r.n), "withheld", f->withheld);
		if (!f->withheld) {
			char buf[24], grade[2] = {f->r.grade, '\0'};
			pd_ikm_format_x100(f->r.index_x100, buf, sizeof buf);
			if (r->lang && strcmp(r->lang, "id") == 0 && strchr(buf, '.'))
				*strchr(buf, '.') = ',';
			json_object_set_new(o, "index", json_string(buf));
			json_object_set_new(o, "grade", json_string(grade));
			json_object_set_new(o, "grade_label",
			                    json_string(pd_req_t(r, pd_ikm_grade_label(f->r.grade))));
			if (labels && v && n < PD_SVG_MAX_POINTS) {
				labels[n] = d->ikm[i].name;
				v[n++] = f->r.index_x100;
			}
		}
		json_array_append_new(rows, o);
	}
	json_object_set_new(ikm, "rows", rows);
	struct pd_svg_series s = {"IKM", v};
	json_object_set_new(ikm, "chart",
	                    chart(r, false, "g-ikm", N_("Indeks Kepuasan Masyarakat per unit"),
	                          N_("Diagram batang indeks kepuasan masyarakat (25 sampai 100) setiap unit yang angkanya diterbitkan; angka dan mutunya ada di tabel."),
	                          labels, n, &s, 1, 2, NULL));
	json_object_set_new(ctx, "ikm", ikm);
}

static void add_staff(struct pd_req *r, json_t *ctx, const struct pd_dashboard *d)
{
	json_t *months = json_array();
	const char **labels = pd_arena_alloc(r->arena, sizeof *labels * PD_DASH_MONTHS_MAX);
	static const int n_series = 4;
	int64_t *v = pd_arena_alloc(r->arena, sizeof *v * PD_DASH_MONTHS_MAX * (size_t)n_series);
	if (!labels || !v)
		return;
	for (int i = 0; i < d->n_months; i++) {
		const struct pd_dash_month *m = &d->months[i];
		labels[i] = pd_arena_printf(r->arena, "%04d-%02d", m->year, m->month);
		v[i] = m->app_received;
		v[PD_DASH_MONTHS_MAX + i] = m->app_finished;
		v[2 * PD_DASH_MONTHS_MAX + i] = m->cmp_received;
		v[3 * PD_DASH_MONTHS_MAX + i] = m->info_received;
		json_array_append_new(months, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "month", labels[i],
		                                        "app_received", i64(r, m->app_received),
		                                        "app_finished", i64(r, m->app_finished),
		                                        "cmp_received", i64(r, m->cmp_received),
		                                        "cmp_answered", i64(r, m->cmp_answered),
		                                        "info_received", i64(r, m->info_received)));
	}
	json_object_set_new(ctx, "months", months);
	struct pd_svg_series s[4] = {{pd_req_t(r, N_("Permohonan diterima")), v},
	                             {pd_req_t(r, N_("Permohonan selesai")), v + PD_DASH_MONTHS_MAX},
	                             {pd_req_t(r, N_("Pengaduan diterima")), v + 2 * PD_DASH_MONTHS_MAX},
	                             {pd_req_t(r, N_("Permohonan informasi")), v + 3 * PD_DASH_MONTHS_MAX}};
	json_object_set_new(ctx, "chart_trend",
	                    chart(r, true, "g-tren", N_("Tren bulanan"),
	                          N_("Diagram garis per bulan: permohonan layanan yang diterima dan yang sudah selesai, pengaduan dan permohonan informasi yang diterima; angkanya ada di tabel."),
	                          labels, d->n_months, s, d->info_available ? 4 : 3, 0, NULL));
	int idx[PD_DASH_TOP], n = 0;
	json_t *top = json_array();
	pd_dash_top_groups(d->villages, d->n_villages, idx, PD_DASH_TOP, &n);
	for (int i = 0; i < n; i++)
		json_array_append_new(top, group_json(r, &d->villages[idx[i]]));
	json_object_set_new(ctx, "top_villages", top);
	top = json_array();
	pd_dash_top_groups(d->categories, d->n_categories, idx, PD_DASH_TOP, &n);
	for (int i = 0; i < n; i++)
		json_array_append_new(top, group_json(r, &d->categories[idx[i]]));
	json_object_set_new(ctx, "top_categories", top);
	top = json_array();
	pd_dash_slowest(d->services, d->n_services, idx, PD_DASH_TOP, &n);
	for (int i = 0; i < n; i++)
		json_array_append_new(top, service_json(r, &d->services[idx[i]]));
	json_object_set_new(ctx, "slowest", top);
}

json_t *pd_dasbor_ctx(struct pd_req *r, const struct pd_dashboard *d, const char *csv_base,
                      bool staff)
{
	json_t *ctx = json_object();
	json_object_set_new(ctx, "scope", json_string(d->unit_slug ? d->unit_name
	                                                           : pd_req_t(r, N_("Semua unit"))));
	if (d->unit_slug)
		json_object_set_new(ctx, "unit", json_string(d->unit_slug));
	char period[16];
	json_object_set_new(ctx, "periode",
	                    json_string(pd_dash_period_name(&d->period, period, sizeof period)));
	json_object_set_new(ctx, "from", json_string(pd_web_app_date(r, d->period.since_ms)));
	json_object_set_new(ctx, "to", json_string(pd_web_app_date(r, d->period.until_ms - 1)));
	json_object_set_new(ctx, "csv_base", json_string(csv_base));
	json_object_set_new(ctx, "median_min", json_integer(PD_DASH_MEDIAN_MIN));
	if (d->truncated)
		json_object_set_new(ctx, "truncated", json_true());
	add_services(r, ctx, d);
	add_complaints(r, ctx, d);
	add_info(r, ctx, d);
	add_ikm(r, ctx, d);
	if (staff)
		add_staff(r, ctx, d);
	return ctx;
}

/* --- CSV -------------------------------------------------------------------------------------- */

static void cells(struct pd_buf *b, const char *const *v, int n)
{
	for (int i = 0; i < n; i++)
		pd_csv_cell(b, v[i], i == n - 1);
}

static const char *csv_tenths(struct pd_req *r, int64_t v)
{
	return v < 0 ? "" : pd_dasbor_tenths(r, v, false);
}

static void csv_service(struct pd_req *r, struct pd_buf *b, const struct pd_dash_service *s)
{
	const char *v[] = {s->slug ? s->slug : "", s->slug ? s->name : "TOTAL",
	                   s->slug ? s->unit_slug : "", s->slug ? s->unit_name : "",
	                   s->slug ? i64(r, s->promised_days) : "", i64(r, s->received),
	                   i64(r, s->finished), i64(r, s->within), csv_tenths(r, s->share_x10),
	                   csv_tenths(r, s->median_x10), i64(r, s->n_times), i64(r, s->open),
	                   i64(r, s->overdue), i64(r, s->assisted)};
	cells(b, v, (int)(sizeof v / sizeof v[0]));
}

static void csv_group(struct pd_req *r, struct pd_buf *b, const struct pd_dash_group *g)
{
	const char *v[] = {g->key ? g->key : "", g->key ? g->name : "TOTAL", i64(r, g->received),
	                   i64(r, g->answered), i64(r, g->within), csv_tenths(r, g->share_x10),
	                   csv_tenths(r, g->median_x10), i64(r, g->n_times), i64(r, g->open)};
	cells(b, v, (int)(sizeof v / sizeof v[0]));
}

static void csv_info(struct pd_req *r, struct pd_buf *b, const struct pd_dash_info *i)
{
	const char *v[] = {i->slug ? i->slug : "", i->slug ? i->name : "TOTAL", i64(r, i->received),
	                   i64(r, i->answered), i64(r, i->on_time), csv_tenths(r, i->share_x10),
	                   i64(r, i->open), i64(r, i->overdue), i64(r, i->objections)};
	cells(b, v, (int)(sizeof v / sizeof v[0]));
}

static bool write_csv(struct pd_req *r, struct pd_buf *b, const struct pd_dashboard *d,
                      const char *figure, bool staff)
{
	if (strcmp(figure, "layanan") == 0) {
		pd_buf_puts(b, "service_slug,service_name,unit_slug,unit_name,promised_working_days,"
		               "received,finished,finished_within_promised,within_percent,"
		               "median_working_days_to_finish,finished_in_median,open,overdue,"
		               "assisted\r\n");
		for (int i = 0; i < d->n_services; i++)
			csv_service(r, b, &d->services[i]);
		csv_service(r, b, &d->apps);
		return true;
	}
	if (strcmp(figure, "pengaduan-kategori") == 0 || strcmp(figure, "pengaduan-desa") == 0) {
		bool cat = figure[10] == 'k';
		pd_buf_puts(b, cat ? "category_code,category_name," : "village_slug,village_name,");
		pd_buf_puts(b, "received,answered,answered_within_deadline,within_percent,"
		               "median_working_days_to_answer,answers_in_median,open\r\n");
		const struct pd_dash_group *g = cat ? d->categories : d->villages;
		for (int i = 0, n = cat ? d->n_categories : d->n_villages; i < n; i++)
			csv_group(r, b, &g[i]);
		csv_group(r, b, &d->complaints);
		return true;
	}
	if (strcmp(figure, "informasi") == 0) {
		pd_buf_puts(b, "unit_slug,unit_name,received,answered,answered_on_time,on_time_percent,"
		               "open,overdue,objections\r\n");
		for (int i = 0; i < d->n_info; i++)
			csv_info(r, b, &d->info[i]);
		if (d->info_available)
			csv_info(r, b, &d->info_total);
		return true;
	}
	if (strcmp(figure, "ikm") == 0) {
		pd_buf_puts(b, "year,quarter,unit_slug,unit_name,responses,index,grade\r\n");
		for (int i = 0; i < d->n_ikm; i++) {
			const struct pd_survey_figure *f = &d->ikm[i].f;
			char idx[24] = "", grade[2] = {f->withheld ? '\0' : f->r.grade, '\0'};
			if (!f->withheld)
				pd_ikm_format_x100(f->r.index_x100, idx, sizeof idx);
			const char *v[] = {i64(r, d->ikm_year), i64(r, d->ikm_quarter), d->ikm[i].slug,
			                   d->ikm[i].name, i64(r, f->r.n), idx, grade};
			cells(b, v, 7);
		}
		return true;
	}
	if (staff && strcmp(figure, "tren") == 0) {
		pd_buf_puts(b, "month,applications_received,applications_finished,"
		               "complaints_received,complaints_answered,information_requests_received\r\n");
		for (int i = 0; i < d->n_months; i++) {
			const struct pd_dash_month *m = &d->months[i];
			const char *v[] = {pd_arena_printf(r->arena, "%04d-%02d", m->year, m->month),
			                   i64(r, m->app_received), i64(r, m->app_finished),
			                   i64(r, m->cmp_received), i64(r, m->cmp_answered),
			                   d->info_available ? i64(r, m->info_received) : ""};
			cells(b, v, 6);
		}
		return true;
	}
	return false;
}

bool pd_dasbor_csv_reply(struct pd_req *r, const struct pd_dashboard *d, const char *figure,
                         bool staff)
{
	struct pd_buf b;
	pd_buf_init(&b, 16 * 1024 * 1024);
	if (!write_csv(r, &b, d, figure, staff)) {
		pd_buf_free(&b);
		return false;
	}
	char period[16];
	pd_dash_period_name(&d->period, period, sizeof period);
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"dasbor-%s-%s-%s.csv\"",
	                                figure, d->unit_slug ? d->unit_slug : "semua",
	                                *period ? period : "12-bulan"));
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
	return true;
}

/* --- the public handlers ---------------------------------------------------------------------- */

static bool load_or_reply(struct pd_req *r, struct pd_dashboard *d)
{
	struct pd_dash_query q;
	if (!pd_dasbor_query(r, &q))
		return false;
	int rc = pd_dashboard_load(r->store, &q, r->arena, d);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return false;
	}
	return true;
}

void pd_web_dasbor(struct pd_req *r)
{
	struct pd_dashboard d;
	if (!load_or_reply(r, &d))
		return;
	json_t *ctx = pd_dasbor_ctx(r, &d, "/dasbor/", false);
	pd_dasbor_filters(r, ctx, NULL, &d);
	json_object_set_new(ctx, "action", json_string("/dasbor"));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "dasbor", 1));
	pd_reply_page(r, 200, "dasbor/index", N_("Dasbor kinerja"), ctx);
}

void pd_web_dasbor_csv(struct pd_req *r)
{
	const char *file = r->params[0];
	size_t n = file ? strlen(file) : 0;
	if (n < 5 || !pd_str_ends(file, ".csv")) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	const char *figure = pd_arena_strndup(r->arena, file, n - 4);
	struct pd_dashboard d;
	if (!load_or_reply(r, &d))
		return;
	if (!pd_dasbor_csv_reply(r, &d, figure, false))
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
}
