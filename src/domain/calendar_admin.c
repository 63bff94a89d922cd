/* Administrators' view and edits of the national working-day calendar (/admin/kalender): who may
 * see and change it, the checks of each field, and the edits with their audit entries and a new
 * calendar generation in the same transaction. */
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/calendar.h"
#include "domain/unit.h"
#include "store/calendar_store.h"

#define YEAR_FIRST 2000   /* the oldest year an administrator may load */
#define YEARS_AHEAD 5     /* how far ahead of the current year one may be loaded */

int pd_calendar_access(const struct pd_actor *actor)
{
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (actor->system)
		return PD_OK;
	/* The calendar counts for the whole installation: the configuration of a top unit. */
	int best = PD_ERR_NOT_FOUND;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const char *path = actor->grants[i].unit_path;
		if (!pd_unit_path_is_top(path))
			continue;
		struct pd_authz_object obj = {NULL, path};
		int rc = pd_authz(actor, PD_ACT_CONFIGURE, &obj);
		if (rc == PD_OK)
			return PD_OK;
		if (rc == PD_ERR_FORBIDDEN)
			best = rc;
	}
	/* Administrators of a subtree configure deadlines that count by it: they may read it. */
	if (pd_authz_has_role(actor, PD_ROLE_ADMINISTRATOR, NULL))
		best = PD_ERR_FORBIDDEN;
	return best;
}

int pd_calendar_warning_year(const struct pd_actor *actor, const struct pd_calendar *cal,
                             int64_t now_ms)
{
	if (!actor || !cal || !pd_authz_has_role(actor, PD_ROLE_ADMINISTRATOR, NULL))
		return 0;
	if (!pd_calendar_needs_warning(cal, now_ms))
		return 0;
	int last = pd_calendar_last_year(cal);
	if (last)
		return last + 1;
	int y, m, d;
	pd_civil_from_day(pd_calendar_day_of(cal, now_ms), &y, &m, &d);
	return y;
}

/* Parses "YYYY-MM-DD" (a real date) into a civil day. */
static int parse_date(const char *s, int32_t *day, int *year)
{
	int64_t y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    pd_parse_i64n(s, 4, 1900, 9999, &y) || pd_parse_i64n(s + 5, 2, 1, 12, &m) ||
	    pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return PD_ERR_INVALID;
	int32_t c = pd_civil_day((int)y, (int)m, (int)d);
	int ry, rm, rd;
	pd_civil_from_day(c, &ry, &rm, &rd);
	if (ry != y || rm != m || rd != d)
		return PD_ERR_INVALID; /* 2027-02-30 */
	*day = c;
	*year = (int)y;
	return PD_OK;
}

/* NULL when s is acceptable text of at most max code points (no control characters). */
static const char *text_problem(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max * 4 || !pd_utf8_valid(s, n) || pd_utf8_len(s, n) > max)
		return "long";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "control";
	return NULL;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* --- the view ------------------------------------------------------------------------------- */

struct view_arg {
	struct pd_arena *a;
	int tz_offset_min;
	struct pd_calendar *cal;
	int64_t generation;
	struct pd_calendar_day *days;
	int n_days, cap_days;
	int *years;
	int n_years, cap_years;
};

static void note_year(struct view_arg *va, int year)
{
	for (int i = 0; i < va->n_years; i++)
		if (va->years[i] == year)
			return;
	if (va->n_years == va->cap_years) {
		int cap = va->cap_years ? va->cap_years * 2 : 8;
		int *y = pd_arena_alloc(va->a, (size_t)cap * sizeof *y);
		if (va->n_years)
			memcpy(y, va->years, (size_t)va->n_years * sizeof *y);
		va->years = y;
		va->cap_years = cap;
	}
	/* Kept sorted: insert before the first later year. */
	int at = va->n_years;
	while (at > 0 && va->years[at - 1] > year) {
		va->years[at] = va->years[at - 1];
		at--;
	}
	va->years[at] = year;
	va->n_years++;
}

static void view_day(const struct pd_holiday *h, void *p)
{
	struct view_arg *va = p;
	if (va->n_days == va->cap_days) {
		int cap = va->cap_days ? va->cap_days * 2 : 64;
		struct pd_calendar_day *d = pd_arena_alloc(va->a, (size_t)cap * sizeof *d);
		if (va->n_days)
			memcpy(d, va->days, (size_t)va->n_days * sizeof *d);
		va->days = d;
		va->cap_days = cap;
	}
	struct pd_calendar_day *d = &va->days[va->n_days++];
	d->day = h->day;
	d->date = pd_arena_strdup(va->a, h->date);
	d->weekday = pd_civil_weekday(h->day);
	d->kind = strcmp(h->kind, "cuti_bersama") == 0 ? "cuti_bersama" : "libur";
	d->name_id = pd_arena_strdup(va->a, or_empty(h->name_id));
	d->name_en = pd_arena_strdup(va->a, or_empty(h->name_en));
	d->source = pd_arena_strdup(va->a, or_empty(h->source));
	pd_calendar_add(va->cal, h->day,
	                d->kind[0] == 'c' ? PD_DAY_CUTI_BERSAMA : PD_DAY_LIBUR);
	int y, m, dd;
	pd_civil_from_day(h->day, &y, &m, &dd);
	note_year(va, y);
}

static void view_year(int year, void *p)
{
	struct view_arg *va = p;
	pd_calendar_mark_year(va->cal, year);
	note_year(va, year);
}

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	pd_calendar_free(va->cal); /* a retried transaction starts afresh */
	va->cal = pd_calendar_new(va->tz_offset_min);
	if (!va->cal)
		return PD_ERR_NOMEM;
	va->n_days = va->n_years = 0;
	pd_store_calendar_generation(tx, &va->generation);
	pd_store_holiday_each(tx, view_day, va);
	pd_store_calendar_years(tx, view_year, va);
	return pd_tx_error(tx);
}

static void free_cal(void *p)
{
	pd_calendar_free(p);
}

int pd_calendar_view(struct pd_store *st, const struct pd_actor *actor, int tz_offset_min,
                     struct pd_arena *a, struct pd_calendar_view *out)
{
	memset(out, 0, sizeof *out);
	int access = pd_calendar_access(actor);
	if (access != PD_OK && access != PD_ERR_FORBIDDEN)
		return access;
	struct view_arg va = {.a = a, .tz_offset_min = tz_offset_min};
	int rc = pd_store_read(st, view_tx, &va);
	if (va.cal)
		pd_arena_defer(a, free_cal, va.cal);
	if (rc)
		return rc;
	out->may_edit = access == PD_OK;
	out->generation = va.generation;
	out->cal = va.cal;
	out->n_years = va.n_years;
	out->years = pd_arena_alloc(a, (size_t)(va.n_years ? va.n_years : 1) * sizeof *out->years);
	int k = 0; /* days come in date order, so each year's days are one run */
	for (int i = 0; i < va.n_years; i++) {
		struct pd_calendar_year_view *yv = &out->years[i];
		yv->year = va.years[i];
		int32_t first = pd_civil_day(yv->year, 1, 1), last = pd_civil_day(yv->year, 12, 31);
		while (k < va.n_days && va.days[k].day < first)
			k++;
		yv->days = va.days + k;
		while (k < va.n_days && va.days[k].day <= last) {
			k++;
			yv->n_days++;
		}
		yv->n_working = pd_calendar_working_days_between(va.cal, first - 1, last);
	}
	return PD_OK;
}

/* --- edits ---------------------------------------------------------------------------------- */

static const char *audit_actor(struct pd_tx *tx, const struct pd_actor *actor)
{
	return actor->system ? "system" : pd_acct_audit_actor(pd_tx_arena(tx), actor->account_id);
}

/* Appends the audit entry of an edit and bumps the generation, last in the transaction. */
static int record(struct pd_tx *tx, const struct pd_actor *actor, const char *action,
                  const char *object_type, const char *object_id, const char *details)
{
	if (pd_store_calendar_bump_generation(tx) < 0)
		return pd_tx_error(tx);
	struct pd_audit_event ev = {
		.actor = audit_actor(tx, actor),
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.details = details,
	};
	return pd_audit_append(tx, &ev);
}

/* The JSON string of a fixed code, or null. */
static const char *json_code(struct pd_arena *a, const char *code)
{
	return code ? pd_arena_printf(a, "\"%s\"", code) : "null";
}

int pd_calendar_day_put(struct pd_tx *tx, const struct pd_actor *actor,
                        const struct pd_calendar_day_input *in, struct pd_field_errors *errs)
{
	int rc = pd_calendar_access(actor);
	if (rc)
		return rc;
	int32_t day = 0;
	int year = 0;
	const char *date = or_empty(in->date), *kind = or_empty(in->kind);
	const char *name_id = or_empty(in->name_id), *name_en = or_empty(in->name_en);
	const char *source = or_empty(in->source);
	if (!*date)
		pd_field_error(errs, "date", N_("Isi tanggal."));
	else if (parse_date(date, &day, &year))
		pd_field_error(errs, "date", N_("Tanggal tidak sah; tulis seperti 2027-03-10."));
	else {
		enum pd_qs qs = pd_store_calendar_year_exists(tx, year);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE)
			pd_field_error(errs, "date",
			               N_("Tahun tanggal ini belum dimuat. Muat tahunnya dahulu."));
	}
	if (strcmp(kind, "libur") != 0 && strcmp(kind, "cuti_bersama") != 0)
		pd_field_error(errs, "kind", N_("Pilih libur nasional atau cuti bersama."));
	if (!*name_id)
		pd_field_error(errs, "name_id", N_("Isi nama hari dalam bahasa Indonesia."));
	else if (text_problem(name_id, PD_CALENDAR_NAME_MAX))
		pd_field_error(errs, "name_id", N_("Nama paling banyak 200 karakter, tanpa baris baru."));
	if (text_problem(name_en, PD_CALENDAR_NAME_MAX))
		pd_field_error(errs, "name_en", N_("Nama paling banyak 200 karakter, tanpa baris baru."));
	if (text_problem(source, PD_CALENDAR_SOURCE_MAX))
		pd_field_error(errs, "source", N_("Dasar hukum paling banyak 300 karakter, tanpa baris baru."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_holiday before = {0};
	enum pd_qs had = pd_store_holiday_get(tx, day, NULL, &before);
	if (had < 0)
		return pd_tx_error(tx);
	struct pd_holiday h = {
		.day = day, .date = date, .kind = kind, .name_id = name_id,
		.name_en = *name_en ? name_en : name_id, .source = source,
	};
	if (pd_store_holiday_put(tx, &h, pd_clock_now_ms()) < 0)
		return pd_tx_error(tx);
	struct pd_arena *a = pd_tx_arena(tx);
	const char *prev = had == PD_QS_ONE && strcmp(before.kind, "cuti_bersama") == 0 ? "cuti_bersama"
	                   : had == PD_QS_ONE                                           ? "libur"
	                                                                                : NULL;
	const char *details = pd_arena_printf(a, "{\"date\":\"%s\",\"kind\":\"%s\",\"previous_kind\":%s}",
	                                      date, kind, json_code(a, prev));
	return record(tx, actor, "calendar.day_put", "calendar_day", date, details);
}

int pd_calendar_day_remove(struct pd_tx *tx, const struct pd_actor *actor, const char *date,
                           struct pd_field_errors *errs)
{
	int rc = pd_calendar_access(actor);
	if (rc)
		return rc;
	int32_t day = 0;
	int year = 0;
	date = or_empty(date);
	if (!*date) {
		pd_field_error(errs, "date", N_("Isi tanggal."));
		return PD_ERR_INVALID;
	}
	if (parse_date(date, &day, &year)) {
		pd_field_error(errs, "date", N_("Tanggal tidak sah; tulis seperti 2027-03-10."));
		return PD_ERR_INVALID;
	}
	struct pd_holiday before = {0};
	enum pd_qs had = pd_store_holiday_get(tx, day, NULL, &before);
	if (had < 0)
		return pd_tx_error(tx);
	if (had == PD_QS_NONE) {
		pd_field_error(errs, "date", N_("Tanggal ini tidak ada dalam daftar hari libur."));
		return PD_ERR_INVALID;
	}
	if (pd_store_holiday_delete(tx, day) < 0)
		return pd_tx_error(tx);
	struct pd_arena *a = pd_tx_arena(tx);
	const char *kind = strcmp(before.kind, "cuti_bersama") == 0 ? "cuti_bersama" : "libur";
	const char *details = pd_arena_printf(a, "{\"date\":\"%s\",\"previous_kind\":\"%s\"}", date,
	                                      kind);
	return record(tx, actor, "calendar.day_remove", "calendar_day", date, details);
}

int pd_calendar_year_load(struct pd_tx *tx, const struct pd_actor *actor, const char *year,
                          int64_t now_ms, struct pd_field_errors *errs)
{
	int rc = pd_calendar_access(actor);
	if (rc)
		return rc;
	year = or_empty(year);
	int cy, cm, cd; /* the current year in UTC: a few hours off near New Year do not matter */
	pd_civil_from_day((int32_t)(now_ms / 86400000), &cy, &cm, &cd);
	int64_t y = 0;
	if (!*year) {
		pd_field_error(errs, "year", N_("Isi tahun."));
		return PD_ERR_INVALID;
	}
	if (strlen(year) != 4 || pd_parse_i64(year, YEAR_FIRST, cy + YEARS_AHEAD, &y)) {
		pd_field_error(errs, "year",
		               N_("Tahun tidak sah: empat angka, dari 2000 sampai lima tahun ke depan."));
		return PD_ERR_INVALID;
	}
	enum pd_qs qs = pd_store_calendar_year_mark(tx, (int)y, pd_clock_now_ms());
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE) {
		pd_field_error(errs, "year", N_("Tahun ini sudah dimuat."));
		return PD_ERR_INVALID;
	}
	struct pd_arena *a = pd_tx_arena(tx);
	const char *id = pd_arena_printf(a, "%d", (int)y);
	return record(tx, actor, "calendar.year_load", "calendar_year", id,
	              pd_arena_printf(a, "{\"year\":%d}", (int)y));
}
