/* The staff dashboard /kantor/dasbor (any staff grant, scoped to the actor's subtrees: the
 * public figures with monthly trends, the villages and categories with most complaints and
 * the slowest services) and "what to digitise next" /kantor/dasbor/digitalisasi for
 * administrators, with their CSV downloads. */
#include <inttypes.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/digitise.h"
#include "domain/ikm.h"
#include "http/app.h"
#include "web/account_internal.h"
#include "web/dasbor.h"
#include "web/kantor_common.h"

static bool staff_load_or_reply(struct pd_req *r, struct pd_dashboard *d)
{
	if (!pd_kantor_staff_or_reply(r))
		return false;
	struct pd_dash_query q;
	if (!pd_dasbor_query(r, &q))
		return false;
	int rc = pd_dashboard_staff(r->store, r->actor, &q, r->arena, d);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return false;
	}
	return true;
}

void pd_web_kantor_dasbor(struct pd_req *r)
{
	struct pd_dashboard d;
	if (!staff_load_or_reply(r, &d))
		return;
	json_t *ctx = pd_dasbor_ctx(r, &d, "/kantor/dasbor/", true);
	pd_dasbor_filters(r, ctx, r->actor, &d);
	json_object_set_new(ctx, "action", json_string("/kantor/dasbor"));
	if (pd_authz_has_role(r->actor, PD_ROLE_ADMINISTRATOR, NULL))
		json_object_set_new(ctx, "admin", json_true());
	pd_reply_page(r, 200, "dasbor/kantor", N_("Dasbor kinerja unit"), ctx);
}

/* --- what to digitise next -------------------------------------------------------------------- */

static bool rank_or_reply(struct pd_req *r, struct pd_digitise *out)
{
	if (!pd_kantor_staff_or_reply(r))
		return false;
	struct pd_dash_query q;
	if (!pd_dasbor_query(r, &q))
		return false;
	int rc = pd_digitise_rank(r->store, r->actor, &q, r->arena, out);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return false;
	}
	return true;
}

/* thousandths as "0.663" (CSV) or "0,663" (the page in Indonesian) */
static const char *thousandths(struct pd_req *r, int64_t v, bool localised)
{
	char *s = pd_arena_printf(r->arena, "%" PRId64 ".%03" PRId64, v / 1000, v % 1000);
	if (localised && r->lang && strcmp(r->lang, "id") == 0)
		*strchr(s, '.') = ',';
	return s;
}

static const char *ikm_low(struct pd_req *r, const struct pd_digitise_row *row, bool page)
{
	if (row->in.ikm_low_x100 < 0)
		return page ? "—" : "";
	char buf[24];
	pd_ikm_format_x100(row->in.ikm_low_x100, buf, sizeof buf);
	if (!page)
		return pd_arena_strdup(r->arena, buf);
	if (r->lang && strcmp(r->lang, "id") == 0 && strchr(buf, '.'))
		*strchr(buf, '.') = ',';
	return pd_arena_printf(r->arena, "%s (%s)", buf,
	                       pd_req_t(r, pd_ikm_element_name((enum pd_ikm_element)row->ikm_low_element)));
}

void pd_web_kantor_digitalisasi(struct pd_req *r)
{
	struct pd_digitise g;
	if (!rank_or_reply(r, &g))
		return;
	json_t *ctx = json_object();
	json_t *rows = json_array();
	for (int i = 0; i < g.n; i++) {
		const struct pd_digitise_row *x = &g.rows[i];
		json_t *parts = json_array();
		for (int p = 0; p < PD_DIG__MAX; p++)
			json_array_append_new(parts, json_pack("{s:s}", "v",
			                                       thousandths(r, x->s.part[p], true)));
		json_array_append_new(
		        rows,
		        json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:s,s:s,s:s}", "rank", i + 1,
		                  "slug", x->service->slug, "name", x->service->name, "unit_name",
		                  x->service->unit_name, "score", thousandths(r, x->s.score, true),
		                  "parts", parts, "per_month",
		                  pd_dasbor_tenths(r, x->per_month_x10, true), "assisted",
		                  pd_arena_printf(r->arena, "%" PRId64 "/%" PRId64, x->in.assisted,
		                                  x->in.received),
		                  "median", pd_dasbor_tenths(r, x->in.median_x10, true), "promised",
		                  pd_arena_printf(r->arena, "%" PRId64, x->in.promised_days),
		                  "complaints", pd_arena_printf(r->arena, "%" PRId64, x->in.complaints),
		                  "ikm_low", ikm_low(r, x, true)));
	}
	json_object_set_new(ctx, "rows", rows);
	json_t *weights = json_object();
	for (int p = 0; p < PD_DIG__MAX; p++)
		json_object_set_new(weights, pd_digitise_key((enum pd_digitise_part)p),
		                    json_integer(pd_digitise_weight((enum pd_digitise_part)p)));
	json_object_set_new(ctx, "w", weights);
	json_object_set_new(ctx, "scope", json_string(g.d.unit_name ? g.d.unit_name : ""));
	json_object_set_new(ctx, "unit", json_string(g.d.unit_slug ? g.d.unit_slug : ""));
	char period[16];
	json_object_set_new(ctx, "periode",
	                    json_string(pd_dash_period_name(&g.d.period, period, sizeof period)));
	json_object_set_new(ctx, "median_min", json_integer(PD_DASH_MEDIAN_MIN));
	pd_dasbor_filters(r, ctx, r->actor, &g.d);
	json_object_set_new(ctx, "action", json_string("/kantor/dasbor/digitalisasi"));
	pd_reply_page(r, 200, "dasbor/digitalisasi", N_("Apa yang didigitalkan berikutnya"), ctx);
}

static void digitise_csv(struct pd_req *r, const struct pd_digitise *g)
{
	struct pd_buf b;
	pd_buf_init(&b, 16 * 1024 * 1024);
	pd_buf_puts(&b, "rank,service_slug,service_name,unit_slug,score,demand,counter,time,"
	                "complaints,ikm,received,per_month,assisted,median_working_days,"
	                "promised_working_days,unit_complaints,ikm_lowest_element_mean\r\n");
	for (int i = 0; i < g->n; i++) {
		const struct pd_digitise_row *x = &g->rows[i];
		const char *v[] = {pd_arena_printf(r->arena, "%d", i + 1), x->service->slug,
		                   x->service->name, x->service->unit_slug,
		                   thousandths(r, x->s.score, false),
		                   thousandths(r, x->s.part[PD_DIG_DEMAND], false),
		                   thousandths(r, x->s.part[PD_DIG_COUNTER], false),
		                   thousandths(r, x->s.part[PD_DIG_TIME], false),
		                   thousandths(r, x->s.part[PD_DIG_COMPLAINTS], false),
		                   thousandths(r, x->s.part[PD_DIG_IKM], false),
		                   pd_arena_printf(r->arena, "%" PRId64, x->in.received),
		                   pd_dasbor_tenths(r, x->per_month_x10, false),
		                   pd_arena_printf(r->arena, "%" PRId64, x->in.assisted),
		                   x->in.median_x10 < 0 ? "" : pd_dasbor_tenths(r, x->in.median_x10, false),
		                   pd_arena_printf(r->arena, "%" PRId64, x->in.promised_days),
		                   pd_arena_printf(r->arena, "%" PRId64, x->in.complaints),
		                   ikm_low(r, x, false)};
		int n = (int)(sizeof v / sizeof v[0]);
		for (int k = 0; k < n; k++)
			pd_csv_cell(&b, v[k], k == n - 1);
	}
	pd_reply_header(r, "Content-Disposition",
	                "attachment; filename=\"dasbor-digitalisasi.csv\"");
	pd_reply_bytes(r, 200, "text/csv; charset=utf-8", b.data ? b.data : "", b.len);
	pd_buf_free(&b);
}

void pd_web_kantor_dasbor_csv(struct pd_req *r)
{
	const char *file = r->params[0];
	size_t n = file ? strlen(file) : 0;
	if (n < 5 || !pd_str_ends(file, ".csv")) {
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
		return;
	}
	const char *figure = pd_arena_strndup(r->arena, file, n - 4);
	if (strcmp(figure, "digitalisasi") == 0) {
		struct pd_digitise g;
		if (rank_or_reply(r, &g))
			digitise_csv(r, &g);
		return;
	}
	struct pd_dashboard d;
	if (!staff_load_or_reply(r, &d))
		return;
	if (!pd_dasbor_csv_reply(r, &d, figure, true))
		pd_reply_error(r, PD_E_NOT_FOUND, NULL);
}
