/* The public Indeks Kepuasan Masyarakat (/ikm, /ikm.csv): each unit's index, grade and element
 * means per closed quarter with its services, small figures withheld; the running quarter is
 * not published until it ends (domain/survey.h). */
#include "web/ikm.h"

#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/survey.h"
#include "http/app.h"

#define UNITS_PER_PAGE 20

static const char *const roman[] = {"", "I", "II", "III", "IV"};

/* Parses ?triwulan=YYYY-Q into *year, *quarter (0 when absent). PD_ERR_INVALID when malformed. */
static int parse_quarter(const char *s, int *year, int *quarter)
{
	*year = 0;
	*quarter = 0;
	if (!s || !*s)
		return PD_OK;
	int64_t y, q;
	if (strlen(s) != 6 || s[4] != '-' || pd_parse_i64n(s, 4, 2000, 9999, &y) ||
	    pd_parse_i64n(s + 5, 1, 1, 4, &q))
		return PD_ERR_INVALID;
	*year = (int)y;
	*quarter = (int)q;
	return PD_OK;
}

/* "82.70" (CSV, or the page in English) or "82,70" (the page in Indonesian), arena-owned. */
static const char *x100(struct pd_req *r, int64_t v, bool localised)
{
	char buf[24];
	pd_ikm_format_x100(v, buf, sizeof buf);
	char *dot = strchr(buf, '.');
	if (localised && dot && r->lang && strcmp(r->lang, "id") == 0)
		*dot = ',';
	return pd_arena_strdup(r->arena, buf);
}

/* A figure for the template: n, and unless withheld index, grade, its meaning and NRRs. */
static json_t *figure_json(struct pd_req *r, const struct pd_survey_figure *f)
{
	/* withheld and protective are always set: a service must never inherit its unit's. */
	json_t *o = json_pack("{s:I,s:b,s:b}", "n", (json_int_t)f->r.n, "withheld", f->withheld,
	                      "protective", f->protective);
	if (f->withheld)
		return o;
	char grade[2] = {f->r.grade, '\0'};
	json_object_set_new(o, "index", json_string(x100(r, f->r.index_x100, true)));
	json_object_set_new(o, "grade", json_string(grade));
	json_object_set_new(o, "grade_label", json_string(pd_req_t(r, pd_ikm_grade_label(f->r.grade))));
	json_t *nrr = json_array();
	for (int e = 0; e < PD_IKM__MAX; e++)
		json_array_append_new(nrr, json_pack("{s:s,s:s,s:s}", "code",
		                                     pd_arena_printf(r->arena, "U%d", e + 1), "element",
		                                     pd_req_t(r, pd_ikm_element_name((enum pd_ikm_element)e)),
		                                     "value", x100(r, f->r.nrr_x100[e], true)));
	json_object_set_new(o, "nrr", nrr);
	return o;
}

static int load(struct pd_req *r, struct pd_survey_report *rep)
{
	int year, quarter;
	if (parse_quarter(pd_req_query(r, "triwulan"), &year, &quarter)) {
		pd_reply_error(r, PD_E_BAD_REQUEST, N_("Triwulan tidak sah (contoh: 2026-4)."));
		return -1;
	}
	int rc = pd_survey_report(r->store, year, quarter, pd_clock_now_ms(),
	                          r->app->cfg->tz_offset_min, r->arena, rep);
	if (rc) {
		pd_reply_error(r, rc == PD_ERR_INVALID ? PD_E_BAD_REQUEST : PD_E_INTERNAL, NULL);
		return -1;
	}
	return 0;
}

static json_t *quarter_json(struct pd_req *r, int y, int q, bool selected)
{
	return json_pack("{s:s,s:s,s:i,s:b}", "value", pd_arena_printf(r->arena, "%d-%d", y, q),
	                 "roman", roman[q], "year", y, "selected", selected);
}

/* The selector's quarters: those with responses and the one shown, newest first. */
static json_t *quarters_json(struct pd_req *r, const struct pd_survey_report *rep)
{
	json_t *list = json_array();
	int shown = rep->year * 4 + rep->quarter;
	bool listed = false;
	for (int i = 0; i < rep->n_quarters; i++) {
		int key = rep->years[i] * 4 + rep->quarters[i];
		if (!listed && key < shown) {
			json_array_append_new(list, quarter_json(r, rep->year, rep->quarter, true));
			listed = true;
		}
		listed = listed || key == shown;
		json_array_append_new(list, quarter_json(r, rep->years[i], rep->quarters[i], key == shown));
	}
	if (!listed)
		json_array_append_new(list, quarter_json(r, rep->year, rep->quarter, true));
	return list;
}

void pd_web_ikm(struct pd_req *r)
{
	struct pd_survey_report rep;
	if (load(r, &rep))
		return;
	/* Units by name, paged after the slug of the last one shown. */
	const char *after = pd_req_query(r, "setelah");
	int first = 0;
	if (after && *after) {
		first = -1;
		for (int i = 0; i < rep.n_units; i++)
			if (strcmp(rep.units[i].slug, after) == 0)
				first = i + 1;
		if (first < 0) {
			pd_reply_error(r, PD_E_BAD_REQUEST, N_("Parameter halaman (setelah) tidak sah."));
			return;
		}
	}
	json_t *units = json_array();
	int last = first + UNITS_PER_PAGE < rep.n_units ? first + UNITS_PER_PAGE : rep.n_units;
	for (int i = first; i < last; i++) {
		const struct pd_survey_unit_row *u = &rep.units[i];
		json_t *services = json_array();
		for (int k = 0; k < u->n_services; k++) {
			json_t *s = figure_json(r, &u->services[k].f);
			json_object_set_new(s, "slug", json_string(u->services[k].slug));
			json_object_set_new(s, "name", json_string(u->services[k].name));
			json_array_append_new(services, s);
		}
		json_t *o = figure_json(r, &u->f);
		json_object_set_new(o, "slug", json_string(u->slug));
		json_object_set_new(o, "name", json_string(u->name));
		json_object_set_new(o, "services", services);
		json_array_append_new(units, o);
	}
	json_t *ctx = json_object();
	json_object_set_new(ctx, "units", units);
	json_object_set_new(ctx, "unpublished", json_boolean(rep.unpublished));
	json_object_set_new(ctx, "quarters", quarters_json(r, &rep));
	json_object_set_new(ctx, "year", json_integer(rep.year));
	json_object_set_new(ctx, "roman", json_string(roman[rep.quarter]));
	json_object_set_new(ctx, "triwulan", json_string(pd_arena_printf(r->arena, "%d-%d", rep.year,
	                                                                  rep.quarter)));
	if (last < rep.n_units)
		json_object_set_new(ctx, "next_after", json_string(rep.units[last - 1].slug));
	json_object_set_new(ctx, "min", json_integer(PD_IKM_MIN_RESPONSES));
	json_object_set_new(ctx, "nav", json_pack("{s:b}", "ikm", 1));
	pd_reply_page(r, 200, "ikm/index", N_("Indeks Kepuasan Masyarakat"), ctx);
}

static void csv_row(struct pd_req *r, struct pd_buf *b, const struct pd_survey_report *rep,
                    const struct pd_survey_unit_row *u, const char *slug, const char *name,
                    const struct pd_survey_figure *f)
{
	pd_csv_cell(b, pd_arena_printf(r->arena, "%d", rep->year), false);
	pd_csv_cell(b, pd_arena_printf(r->arena, "%d", rep->quarter), false);
	pd_csv_cell(b, u->slug, false);
	pd_csv_cell(b, u->name, false);
	pd_csv_cell(b, slug, false);
	pd_csv_cell(b, name, false);
	pd_csv_cell(b, pd_arena_printf(r->arena, "%lld", (long long)f->r.n), false);
	pd_csv_cell(b, f->withheld ? "1" : "0", false);
	pd_csv_cell(b, f->withheld ? "" : x100(r, f->r.index_x100, false), false);
	char grade[2] = {f->withheld ? '\0' : f->r.grade, '\0'};
	pd_csv_cell(b, grade, false);
	for (int e = 0; e < PD_IKM__MAX; e++)
		pd_csv_cell(b, f->withheld ? "" : x100(r, f->r.nrr_x100[e], false), e == PD_IKM__MAX - 1);
}

void pd_web_ikm_csv(struct pd_req *r)
{
	struct pd_survey_report rep;
	if (load(r, &rep))
		return;
	if (rep.unpublished) {
		pd_reply_error(r, PD_E_NOT_FOUND, N_("Triwulan berjalan diterbitkan setelah berakhir."));
		return;
	}
	struct pd_buf b;
	pd_buf_init(&b, 16 * 1024 * 1024);
	pd_buf_puts(&b, "year,quarter,unit_slug,unit_name,service_slug,service_name,responses,"
	                "withheld,index,grade");
	for (int e = 0; e < PD_IKM__MAX; e++)
		pd_buf_puts(&b, pd_arena_printf(r->arena, ",nrr_u%d_%s", e + 1,
		                                pd_ikm_element_key((enum pd_ikm_element)e)));
	pd_buf_puts(&b, "\r\n");
	for (int i = 0; i < rep.n_units; i++) {
		const struct pd_survey_unit_row *u = &rep.units[i];
		csv_row(r, &b, &rep, u, "", "", &u->f);
		for (int k = 0; k < u->n_services; k++)
			csv_row(r, &b, &rep, u, u->services[k].slug, u->services[k].name,
			        &u->services[k].f);
	}
	pd_reply_header(r, "Content-Disposition",
	                pd_arena_printf(r->arena, "attachment; filename=\"ikm-%d-%d.csv\"", rep.year,
	                                rep.quarter));
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
}
