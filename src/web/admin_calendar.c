/* The working-day calendar at /admin/kalender: the years loaded with their holidays and collective
 * leave, sample due dates, and the forms that change them. Who may see and change it is decided
 * in domain (pd_calendar_access): 404 for non-administrators, 403 on the forms for administrators
 * below the top of the tree. */
#include "web/calendar.h"

#include <string.h>

#include "core/calendar_live.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "domain/calendar.h"
#include "http/app.h"
#include "web/account_internal.h"

static const char *const weekdays[7] = {
	N_("Senin"), N_("Selasa"), N_("Rabu"), N_("Kamis"), N_("Jumat"), N_("Sabtu"), N_("Minggu"),
};

/* Which form a refused post came from, with what was typed and what is wrong. */
enum form_kind { FORM_NONE, FORM_DAY, FORM_REMOVE, FORM_YEAR };

struct refused {
	enum form_kind form;
	struct pd_calendar_day_input day;
	const char *date;  /* FORM_REMOVE */
	const char *year;  /* FORM_YEAR */
	struct pd_field_errors errs;
};

static const char *zone_name(struct pd_req *r, int tz)
{
	switch (tz) {
	case 420:
		return "WIB";
	case 480:
		return "WITA";
	case 540:
		return "WIT";
	default:
		return pd_arena_printf(r->arena, "UTC%+03d:%02d", tz / 60, (tz < 0 ? -tz : tz) % 60);
	}
}

static const char *iso_date(struct pd_req *r, int32_t day)
{
	int y, m, d;
	pd_civil_from_day(day, &y, &m, &d);
	return pd_arena_printf(r->arena, "%04d-%02d-%02d", y, m, d);
}

static json_t *str_or_empty(const char *s)
{
	json_t *v = json_string(s ? s : "");
	return v ? v : json_string("");
}

static json_t *years_json(struct pd_req *r, const struct pd_calendar_view *v)
{
	json_t *years = json_array();
	for (int i = 0; i < v->n_years; i++) {
		const struct pd_calendar_year_view *yv = &v->years[i];
		json_t *days = json_array();
		for (int k = 0; k < yv->n_days; k++) {
			const struct pd_calendar_day *d = &yv->days[k];
			bool cuti = strcmp(d->kind, "cuti_bersama") == 0;
			json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "date", d->date, "weekday",
			                      pd_req_t(r, weekdays[d->weekday % 7]), "kind_label",
			                      pd_req_t(r, cuti ? N_("Cuti bersama") : N_("Libur nasional")),
			                      "cuti", cuti);
			json_object_set_new(o, "name_id", str_or_empty(d->name_id));
			json_object_set_new(o, "name_en", str_or_empty(d->name_en));
			json_object_set_new(o, "source", str_or_empty(d->source));
			json_array_append_new(days, o);
		}
		json_array_append_new(years, json_pack("{s:i,s:i,s:i,s:o}", "year", yv->year,
		                                       "n_working", yv->n_working, "n_days", yv->n_days,
		                                       "days", days));
	}
	return years;
}

/* Due dates of a request received now, counted by the calendar the page shows. */
static json_t *samples_json(struct pd_req *r, const struct pd_calendar *cal, int64_t now,
                            json_t *ctx)
{
	static const int sample_days[] = {5, 10, 14};
	int32_t today = pd_calendar_day_of(cal, now);
	json_object_set_new(ctx, "received",
	                    json_pack("{s:s,s:s}", "date", iso_date(r, today), "weekday",
	                              pd_req_t(r, weekdays[pd_civil_weekday(today)])));
	int last = pd_calendar_last_year(cal);
	int32_t end = last ? pd_civil_day(last, 12, 31) : today - 1;
	json_t *samples = json_array();
	for (size_t i = 0; i < sizeof sample_days / sizeof sample_days[0]; i++) {
		int64_t due = pd_calendar_due(cal, now, sample_days[i], NULL, 0);
		int32_t day = pd_calendar_day_of(cal, due);
		json_array_append_new(samples,
		                      json_pack("{s:i,s:s,s:s,s:b}", "days", sample_days[i], "date",
		                                iso_date(r, day), "weekday",
		                                pd_req_t(r, weekdays[pd_civil_weekday(day)]), "beyond",
		                                day > end));
	}
	return samples;
}

static void set_errors(struct pd_req *r, json_t *ctx, const char *key,
                       const struct pd_field_errors *errs)
{
	json_object_set_new(ctx, key, pd_web_errors_json(r, errs));
	json_object_set_new(ctx, "has_errors", json_true());
}

/* The day form's values: what was refused, the day named by ?ubah=, or empty. */
static json_t *day_form_json(struct pd_req *r, const struct pd_calendar_view *v,
                             const struct refused *bad)
{
	struct pd_calendar_day_input in = {0};
	if (bad && bad->form == FORM_DAY) {
		in = bad->day;
	} else if (pd_req_query(r, "ubah")) {
		const char *want = pd_req_query(r, "ubah");
		for (int i = 0; i < v->n_years && !in.date; i++)
			for (int k = 0; k < v->years[i].n_days; k++) {
				const struct pd_calendar_day *d = &v->years[i].days[k];
				if (strcmp(d->date, want) == 0) {
					in = (struct pd_calendar_day_input){d->date, d->kind, d->name_id,
					                                    d->name_en, d->source};
					break;
				}
			}
	}
	const char *kind = in.kind ? in.kind : "libur";
	json_t *o = json_pack("{s:b,s:b}", "kind_libur", strcmp(kind, "cuti_bersama") != 0,
	                      "kind_cuti", strcmp(kind, "cuti_bersama") == 0);
	json_object_set_new(o, "date", str_or_empty(in.date));
	json_object_set_new(o, "name_id", str_or_empty(in.name_id));
	json_object_set_new(o, "name_en", str_or_empty(in.name_en));
	json_object_set_new(o, "source", str_or_empty(in.source));
	return o;
}

static void calendar_page(struct pd_req *r, int status, const struct refused *bad)
{
	struct pd_calendar_view v;
	int rc = pd_calendar_view(r->store, r->actor, r->app->cfg->tz_offset_min, r->arena, &v);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	if (bad && !v.may_edit) {
		pd_web_reply_rc(r, PD_ERR_FORBIDDEN);
		return;
	}
	json_t *ctx = json_pack("{s:b,s:s}", "may_edit", v.may_edit, "zone",
	                        zone_name(r, r->app->cfg->tz_offset_min));
	json_object_set_new(ctx, "years", years_json(r, &v));
	json_object_set_new(ctx, "samples", samples_json(r, v.cal, pd_clock_now_ms(), ctx));
	json_object_set_new(ctx, "day_form", day_form_json(r, &v, bad));
	json_object_set_new(ctx, "remove_form",
	                    json_pack("{s:o}", "date",
	                              str_or_empty(bad && bad->form == FORM_REMOVE ? bad->date : "")));
	json_object_set_new(ctx, "year_form",
	                    json_pack("{s:o}", "year",
	                              str_or_empty(bad && bad->form == FORM_YEAR ? bad->year : "")));
	if (bad)
		set_errors(r, ctx,
		           bad->form == FORM_DAY      ? "day_errors"
		           : bad->form == FORM_REMOVE ? "remove_errors"
		                                      : "year_errors",
		           &bad->errs);
	if (status == 200 && pd_req_query(r, "disimpan"))
		json_object_set_new(ctx, "saved", json_true());
	pd_reply_page(r, status, "admin/kalender", N_("Kalender hari kerja"), ctx);
}

void pd_web_admin_calendar(struct pd_req *r)
{
	calendar_page(r, 200, NULL);
}

/* --- the forms ------------------------------------------------------------------------------ */

struct edit_job {
	const struct pd_actor *actor;
	struct refused in;
	int64_t now_ms;
};

static int day_tx(struct pd_tx *tx, void *p)
{
	struct edit_job *j = p;
	memset(&j->in.errs, 0, sizeof j->in.errs);
	switch (j->in.form) {
	case FORM_DAY:
		return pd_calendar_day_put(tx, j->actor, &j->in.day, &j->in.errs);
	case FORM_REMOVE:
		return pd_calendar_day_remove(tx, j->actor, j->in.date, &j->in.errs);
	case FORM_YEAR:
		return pd_calendar_year_load(tx, j->actor, j->in.year, j->now_ms, &j->in.errs);
	default:
		return PD_ERR_INVALID;
	}
}

static void edit_done(struct pd_req *r, int rc)
{
	struct edit_job *j = r->user;
	if (rc == PD_ERR_INVALID && j->in.errs.n) {
		calendar_page(r, 422, &j->in);
		return;
	}
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	/* This node answers from the new calendar at once; the others within a second. */
	pd_calendar_maybe_reload(r->store, r->app->calendar);
	pd_reply_redirect(r, 303, "/admin/kalender?disimpan=1");
}

static void submit(struct pd_req *r, struct edit_job *j)
{
	/* Refuse before queueing a write; the transaction checks again. */
	int rc = pd_calendar_access(r->actor);
	if (rc) {
		pd_web_reply_rc(r, rc);
		return;
	}
	j->actor = r->actor;
	j->now_ms = pd_clock_now_ms();
	r->user = j;
	pd_req_write(r, day_tx, j, edit_done);
}

void pd_web_admin_calendar_day(struct pd_req *r)
{
	struct edit_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->in.form = FORM_DAY;
	j->in.day = (struct pd_calendar_day_input){
		pd_web_field(r, "date"),    pd_web_field(r, "kind"),   pd_web_field(r, "name_id"),
		pd_web_field(r, "name_en"), pd_web_field(r, "source"),
	};
	submit(r, j);
}

void pd_web_admin_calendar_remove(struct pd_req *r)
{
	struct edit_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->in.form = FORM_REMOVE;
	j->in.date = pd_web_field(r, "date");
	submit(r, j);
}

void pd_web_admin_calendar_year(struct pd_req *r)
{
	struct edit_job *j = pd_arena_alloc(r->arena, sizeof *j);
	j->in.form = FORM_YEAR;
	j->in.year = pd_web_field(r, "year");
	submit(r, j);
}
