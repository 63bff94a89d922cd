/* Seeding and loading the working-day calendar. */
#include "domain/calendar.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "store/calendar_store.h"

/* One parsed CSV row; the file's rows are validated by core/calendar first. */
struct seed_arg {
	const char *csv;
	size_t len;
	int n_added;
};

static const char *field(const char **p, const char *end, struct pd_arena *a)
{
	const char *s = *p;
	if (s >= end)
		return "";
	if (*s == '"') {
		struct pd_buf b;
		pd_buf_init(&b, 4096);
		s++;
		while (s < end) {
			if (*s == '"' && s + 1 < end && s[1] == '"') {
				pd_buf_putc(&b, '"');
				s += 2;
			} else if (*s == '"') {
				s++;
				break;
			} else {
				pd_buf_putc(&b, *s++);
			}
		}
		if (s < end && *s == ',')
			s++;
		*p = s;
		char *r = pd_arena_strndup(a, pd_buf_cstr(&b), b.len);
		pd_buf_free(&b);
		return r;
	}
	const char *e = s;
	while (e < end && *e != ',' && *e != '\n' && *e != '\r')
		e++;
	*p = (e < end && *e == ',') ? e + 1 : e;
	return pd_arena_strndup(a, s, (size_t)(e - s));
}

static int seed_tx(struct pd_tx *tx, void *p)
{
	struct seed_arg *sa = p;
	struct pd_arena *a = pd_tx_arena(tx);
	int64_t now = pd_clock_now_ms();
	const char *s = sa->csv, *end = sa->csv + sa->len;
	/* skip the header */
	while (s < end && *s != '\n')
		s++;
	int marked_year = 0, year_new = 0;
	sa->n_added = 0;
	while (s < end) {
		while (s < end && (*s == '\n' || *s == '\r'))
			s++;
		if (s >= end)
			break;
		struct pd_holiday h = {0};
		h.date = field(&s, end, a);
		h.kind = field(&s, end, a);
		h.name_id = field(&s, end, a);
		h.name_en = field(&s, end, a);
		h.source = field(&s, end, a);
		while (s < end && *s != '\n')
			s++;
		int64_t y, m, d;
		if (strlen(h.date) != 10 || pd_parse_i64n(h.date, 4, 1900, 2200, &y) ||
		    pd_parse_i64n(h.date + 5, 2, 1, 12, &m) || pd_parse_i64n(h.date + 8, 2, 1, 31, &d))
			return PD_ERR_INVALID;
		if ((int)y != marked_year) {
			marked_year = (int)y;
			enum pd_qs qs = pd_store_calendar_year_mark(tx, (int)y, now);
			if (qs < 0)
				return pd_tx_error(tx);
			year_new = qs == PD_QS_ONE;
		}
		if (!year_new)
			continue; /* a loaded year belongs to its administrators now */
		h.day = pd_civil_day((int)y, (int)m, (int)d);
		pd_store_holiday_put(tx, &h, now);
		sa->n_added++;
	}
	if (sa->n_added)
		pd_store_calendar_bump_generation(tx); /* running nodes pick the new year up */
	return pd_tx_error(tx);
}

int pd_calendar_seed(struct pd_store *st)
{
	int rc = PD_OK;
	for (size_t i = 0; i < pd_embedded_count; i++) {
		const struct pd_embedded *f = &pd_embedded_files[i];
		if (!pd_str_starts(f->name, "data/holidays-id-") || !pd_str_ends(f->name, ".csv"))
			continue;
		/* Validate the whole file before touching the database. */
		struct pd_calendar *check = pd_calendar_new(420);
		int vrc = pd_calendar_load_csv(check, (const char *)f->data, f->len);
		pd_calendar_free(check);
		if (vrc) {
			pd_log(PD_LOG_ERROR, "calendar_seed_invalid", "file=%s", f->name);
			return vrc;
		}
		struct seed_arg sa = {(const char *)f->data, f->len, 0};
		rc = pd_store_write(st, seed_tx, &sa);
		if (rc)
			return rc;
		if (sa.n_added)
			pd_log(PD_LOG_INFO, "calendar_seeded", "file=%s days=%d", f->name, sa.n_added);
	}
	return rc;
}

static void add_day(const struct pd_holiday *h, void *arg)
{
	pd_calendar_add(arg, h->day,
	                strcmp(h->kind, "cuti_bersama") == 0 ? PD_DAY_CUTI_BERSAMA : PD_DAY_LIBUR);
}

static void add_year(int year, void *arg)
{
	pd_calendar_mark_year(arg, year);
}

struct load_arg {
	int tz_offset_min;
	struct pd_calendar *cal;
	int64_t generation;
};

static int load_tx(struct pd_tx *tx, void *p)
{
	struct load_arg *la = p;
	/* A retried transaction starts again from an empty calendar. */
	pd_calendar_free(la->cal);
	la->cal = pd_calendar_new(la->tz_offset_min);
	if (!la->cal)
		return PD_ERR_NOMEM;
	/* The generation first: rows read after it are at least as new. */
	pd_store_calendar_generation(tx, &la->generation);
	pd_store_holiday_each(tx, add_day, la->cal);
	pd_store_calendar_years(tx, add_year, la->cal);
	return pd_tx_error(tx);
}

int pd_calendar_load(struct pd_store *st, int tz_offset_min, struct pd_calendar **out,
                     int64_t *generation)
{
	struct load_arg la = {tz_offset_min, NULL, 0};
	int rc = pd_store_read(st, load_tx, &la);
	if (rc) {
		pd_calendar_free(la.cal);
		return rc;
	}
	*out = la.cal;
	if (generation)
		*generation = la.generation;
	return PD_OK;
}

int pd_calendar_from_store(struct pd_store *st, int tz_offset_min, struct pd_calendar **out)
{
	return pd_calendar_load(st, tz_offset_min, out, NULL);
}

static int generation_tx(struct pd_tx *tx, void *p)
{
	pd_store_calendar_generation(tx, p);
	return pd_tx_error(tx);
}

int pd_calendar_maybe_reload(struct pd_store *st, struct pd_calendar_live *live)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int64_t last_failed = -1;
	int64_t gen = 0;
	int rc = pd_store_read(st, generation_tx, &gen);
	if (rc || gen == pd_calendar_live_generation(live))
		return rc;
	pthread_mutex_lock(&lock);
	if (gen == pd_calendar_live_generation(live)) {
		pthread_mutex_unlock(&lock); /* another thread reloaded it meanwhile */
		return PD_OK;
	}
	struct pd_calendar *cal = NULL;
	int64_t loaded_gen = 0;
	rc = pd_calendar_load(st, pd_calendar_live_tz(live), &cal, &loaded_gen);
	if (!rc) {
		pd_calendar_live_publish(live, cal, loaded_gen);
		pd_log(PD_LOG_INFO, "calendar_reloaded", "generation=%lld last_year=%d",
		       (long long)loaded_gen, pd_calendar_last_year(cal));
	} else if (gen != last_failed) {
		last_failed = gen;
		pd_log(PD_LOG_ERROR, "calendar_reload_failed", "generation=%lld err=\"%s\"",
		       (long long)gen, pd_strerror(rc));
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
