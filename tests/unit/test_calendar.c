/* Unit tests of the working-day calendar against due dates worked out by hand from the 2026/2027
 * holiday decrees (SKB) in data/holidays-id-2026-2027.csv. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/err.h"

#define WIB 420
#define WITA 480
#define WIT 540
#define HOUR_MS INT64_C(3600000)
#define DAY_MS INT64_C(86400000)

static char *csv_data;
static size_t csv_len;

/* Reads the seed CSV once for all tests. */
static int load_seed(void **state)
{
	const char *dir = getenv("PD_SRCDIR");
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/data/holidays-id-2026-2027.csv", dir ? dir : ".");
	if (n < 0 || (size_t)n >= sizeof path)
		return -1;
	FILE *f = fopen(path, "rb");
	if (!f)
		f = fopen("data/holidays-id-2026-2027.csv", "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	csv_data = malloc(1 << 20);
	csv_len = csv_data ? fread(csv_data, 1, 1 << 20, f) : 0;
	fclose(f);
	return csv_len > 0 ? 0 : -1;
}

static int free_seed(void **state)
{
	free(csv_data);
	return 0;
}

static struct pd_calendar *seeded(int tz)
{
	struct pd_calendar *cal = pd_calendar_new(tz);
	assert_non_null(cal);
	assert_int_equal(pd_calendar_load_csv(cal, csv_data, csv_len), PD_OK);
	return cal;
}

static int32_t D(int y, int m, int d)
{
	return pd_civil_day(y, m, d);
}

/* UTC milliseconds of a local time in the zone tz (minutes east of UTC). */
static int64_t local_ms(int tz, int y, int mo, int d, int h, int mi)
{
	return (int64_t)D(y, mo, d) * DAY_MS + h * HOUR_MS + mi * INT64_C(60000) -
	       tz * INT64_C(60000);
}

/* 23:59:59.999 local time on that day, in UTC milliseconds. */
static int64_t end_of(int tz, int y, int mo, int d)
{
	return local_ms(tz, y, mo, d, 0, 0) + DAY_MS - 1;
}

static int32_t due_day(const struct pd_calendar *cal, int64_t received, int n)
{
	return pd_calendar_day_of(cal, pd_calendar_due(cal, received, n, NULL, 0));
}

static void test_civil(void **state)
{
	assert_int_equal(pd_civil_day(1970, 1, 1), 0);
	assert_int_equal(pd_civil_day(1969, 12, 31), -1);
	assert_int_equal(pd_civil_day(2000, 2, 29), 11016);
	assert_int_equal(pd_civil_day(2026, 1, 1), 20454);
	assert_int_equal(pd_civil_day(2026, 3, 19), 20531);
	assert_int_equal(pd_civil_day(1900, 3, 1), -25508);
	assert_int_equal(pd_civil_day(9999, 12, 31), 2932896);
	assert_int_equal(pd_civil_day(1, 1, 1), -719162);

	/* Thursday 1 January 1970, Thursday 19 March 2026, Monday 29 December 1969. */
	assert_int_equal(pd_civil_weekday(0), 3);
	assert_int_equal(pd_civil_weekday(20531), 3);
	assert_int_equal(pd_civil_weekday(-3), 0);
	assert_int_equal(pd_civil_weekday(-1), 2);
	assert_int_equal(pd_civil_weekday(D(2026, 12, 25)), 4);
	assert_int_equal(pd_civil_weekday(D(2028, 1, 1)), 5);

	/* Every day from year 1 to 9999 round-trips and follows the previous one. */
	int py, pm, pdd;
	pd_civil_from_day(-719163, &py, &pm, &pdd);
	assert_int_equal(py, 0);
	assert_int_equal(pm, 12);
	assert_int_equal(pdd, 31);
	for (int32_t day = -719162; day <= 2932896; day++) {
		int y, m, d;
		pd_civil_from_day(day, &y, &m, &d);
		bool next_day = y == py && m == pm && d == pdd + 1;
		bool next_month = y == py && m == pm + 1 && d == 1;
		bool next_year = y == py + 1 && m == 1 && d == 1 && pm == 12 && pdd == 31;
		if (!(next_day || next_month || next_year) || pd_civil_day(y, m, d) != day)
			fail_msg("day %d gives %04d-%02d-%02d after %04d-%02d-%02d", (int)day, y, m, d,
			         py, pm, pdd);
		if (next_month && !((pm == 2 && (pdd == 28 || pdd == 29)) || pdd == 30 || pdd == 31))
			fail_msg("month %04d-%02d ended on day %d", py, pm, pdd);
		py = y;
		pm = m;
		pdd = d;
	}
	assert_int_equal(pd_civil_day(2024, 2, 29) + 1, pd_civil_day(2024, 3, 1));
	assert_int_equal(pd_civil_day(2100, 2, 28) + 1, pd_civil_day(2100, 3, 1));
}

static void test_day_of(void **state)
{
	struct pd_calendar *wib = pd_calendar_new(WIB), *utc = pd_calendar_new(0);
	assert_non_null(wib);
	assert_non_null(utc);
	/* 2026-01-08 23:30 UTC is Friday 9 January 06:30 WIB. */
	assert_int_equal(pd_calendar_day_of(wib, 1767915000000), D(2026, 1, 9));
	assert_int_equal(pd_calendar_day_of(utc, 1767915000000), D(2026, 1, 8));
	/* 16:59:59.999 UTC is still the same WIB day, 17:00 UTC the next. */
	assert_int_equal(pd_calendar_day_of(wib, local_ms(0, 2026, 1, 8, 17, 0) - 1), D(2026, 1, 8));
	assert_int_equal(pd_calendar_day_of(wib, local_ms(0, 2026, 1, 8, 17, 0)), D(2026, 1, 9));
	assert_int_equal(pd_calendar_day_of(utc, -1), -1);
	assert_int_equal(pd_calendar_day_of(wib, -1), 0);
	/* Extreme inputs saturate instead of overflowing. */
	assert_true(pd_calendar_day_of(wib, INT64_MAX) > D(9999, 12, 31));
	assert_true(pd_calendar_day_of(wib, INT64_MIN) < D(1, 1, 1));
	assert_null(pd_calendar_new(15 * 60));
	pd_calendar_free(wib);
	pd_calendar_free(utc);
}

static void test_weekends(void **state)
{
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	assert_int_equal(pd_calendar_last_year(cal), 0);
	/* Monday 5 .. Sunday 11 January 2026, no data loaded: Monday to Friday only. */
	for (int d = 5; d <= 11; d++)
		assert_int_equal(pd_calendar_is_working(cal, D(2026, 1, d)), d <= 9);
	assert_true(pd_calendar_is_working(cal, D(2026, 1, 1)));  /* not loaded: New Year counts */
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 1, 9), 1), D(2026, 1, 12));
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 1, 10), 1), D(2026, 1, 12));
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 1, 11), 0), D(2026, 1, 11));
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 1, 5), 10), D(2026, 1, 19));
	assert_true(pd_calendar_needs_warning(cal, local_ms(WIB, 2026, 1, 1, 0, 0)));
	pd_calendar_free(cal);
}

static void test_seed_loaded(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	assert_int_equal(pd_calendar_last_year(cal), 2027);
	assert_false(pd_calendar_is_working(cal, D(2026, 3, 19)));  /* Nyepi, libur */
	assert_false(pd_calendar_is_working(cal, D(2026, 3, 18)));  /* cuti bersama */
	assert_false(pd_calendar_is_working(cal, D(2026, 8, 17)));  /* Independence Day, Monday */
	assert_true(pd_calendar_is_working(cal, D(2026, 3, 25)));
	assert_true(pd_calendar_is_working(cal, D(2026, 8, 18)));

	int32_t days[64];
	enum pd_day_kind kinds[64];
	/* 25 rows for 2026, weekend ones included, in date order. */
	assert_int_equal(pd_calendar_list_year(cal, 2026, days, kinds, 64), 25);
	assert_int_equal(days[0], D(2026, 1, 1));
	assert_int_equal(kinds[0], PD_DAY_LIBUR);
	assert_int_equal(days[2], D(2026, 2, 16));
	assert_int_equal(kinds[2], PD_DAY_CUTI_BERSAMA);
	assert_int_equal(days[7], D(2026, 3, 21));  /* Idulfitri on a Saturday */
	assert_int_equal(days[24], D(2026, 12, 25));
	for (int i = 1; i < 25; i++)
		assert_true(days[i] > days[i - 1]);
	assert_int_equal(pd_calendar_list_year(cal, 2027, days, kinds, 64), 26);
	assert_int_equal(days[25], D(2027, 12, 26));
	assert_int_equal(pd_calendar_list_year(cal, 2027, days, NULL, 3), 3);
	assert_int_equal(days[2], D(2027, 2, 5));
	assert_int_equal(pd_calendar_list_year(cal, 2028, days, kinds, 64), 0);
	pd_calendar_free(cal);
}

/* Received Thursday 19 March 2026 (Nyepi) 10:00 WIB, 5 working days. Not working: Fri 20
 * (cuti), Sat 21 / Sun 22 (Idulfitri), Mon 23 and Tue 24 (cuti). Day 1 is Wed 25, then Thu 26,
 * Fri 27, Mon 30, Tue 31 March: due 31 March 2026 23:59:59.999 WIB = 16:59:59.999 UTC. */
static void test_nyepi(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = 1773889200000;  /* 2026-03-19T10:00:00+07:00 */
	assert_int_equal(received, local_ms(WIB, 2026, 3, 19, 10, 0));
	assert_int_equal(pd_calendar_due(cal, received, 5, NULL, 0), 1774976399999);
	assert_int_equal(due_day(cal, received, 1), D(2026, 3, 25));
	assert_int_equal(due_day(cal, received, 4), D(2026, 3, 30));
	/* Day 10: Wed 1, Thu 2, Fri 3 April is Good Friday, Mon 6, Tue 7, Wed 8. */
	assert_int_equal(due_day(cal, received, 10), D(2026, 4, 8));
	pd_calendar_free(cal);
}

/* Friday 9 January 2026 19:00 WIB: day 1 is Monday 12; Friday 16 is Isra Mikraj, so day 5 is
 * Monday 19 January. */
static void test_friday_evening(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = local_ms(WIB, 2026, 1, 9, 19, 0);
	assert_int_equal(pd_calendar_due(cal, received, 1, NULL, 0), 1768237199999);
	assert_int_equal(pd_calendar_due(cal, received, 5, NULL, 0), end_of(WIB, 2026, 1, 19));
	/* The same at 23:59 Friday, and on Saturday: receipt days without work change nothing. */
	assert_int_equal(due_day(cal, local_ms(WIB, 2026, 1, 9, 23, 59), 5), D(2026, 1, 19));
	assert_int_equal(due_day(cal, local_ms(WIB, 2026, 1, 10, 0, 0), 5), D(2026, 1, 19));
	/* Received Thursday 8 January: day 1 is Friday 9. */
	assert_int_equal(due_day(cal, local_ms(WIB, 2026, 1, 8, 23, 59), 1), D(2026, 1, 9));
	/* n <= 0: the end of the day of receipt. */
	assert_int_equal(pd_calendar_due(cal, received, 0, NULL, 0), end_of(WIB, 2026, 1, 9));
	pd_calendar_free(cal);
}

/* 2026-01-08 23:30 UTC is Friday 06:30 WIB: the receipt day is Friday, so day 1 is Monday 12,
 * whereas a calendar in UTC would see Thursday and give Friday 9. */
static void test_utc_late_evening(void **state)
{
	struct pd_calendar *wib = seeded(WIB), *utc = seeded(0);
	int64_t received = 1767915000000;
	assert_int_equal(pd_calendar_due(wib, received, 1, NULL, 0), 1768237199999);
	assert_int_equal(pd_calendar_due(utc, received, 1, NULL, 0), 1768003199999);
	pd_calendar_free(wib);
	pd_calendar_free(utc);
}

/* 2026-01-08 16:30 UTC is Thursday 23:30 WIB but Friday 00:30 WITA and 01:30 WIT. */
static void test_time_zones(void **state)
{
	struct pd_calendar *wib = seeded(WIB), *wita = seeded(WITA), *wit = seeded(WIT);
	int64_t instant = 1767889800000;
	assert_int_equal(pd_calendar_due(wib, instant, 1, NULL, 0), 1767977999999);   /* Fri 9 */
	assert_int_equal(pd_calendar_due(wita, instant, 1, NULL, 0), 1768233599999);  /* Mon 12 */
	assert_int_equal(pd_calendar_due(wit, instant, 1, NULL, 0), 1768229999999);   /* Mon 12 */
	assert_int_equal(pd_calendar_due(wita, instant, 1, NULL, 0), end_of(WITA, 2026, 1, 12));
	/* Two hours later it is Friday everywhere. */
	assert_int_equal(due_day(wib, instant + 2 * HOUR_MS, 1), D(2026, 1, 12));
	pd_calendar_free(wib);
	pd_calendar_free(wita);
	pd_calendar_free(wit);
}

/* Received Wednesday 23 December 2026: Thu 24 cuti, Fri 25 Christmas, so day 1 is Mon 28, day 3
 * Wed 30, day 4 Thu 31; Fri 1 January 2027 is New Year, day 5 Mon 4, Tue 5 is Isra Mikraj, day 6
 * Wed 6 January 2027. */
static void test_year_end(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = local_ms(WIB, 2026, 12, 23, 10, 0);
	assert_int_equal(due_day(cal, received, 1), D(2026, 12, 28));
	assert_int_equal(due_day(cal, received, 3), D(2026, 12, 30));
	assert_int_equal(due_day(cal, received, 4), D(2026, 12, 31));
	assert_int_equal(due_day(cal, received, 5), D(2027, 1, 4));
	assert_int_equal(pd_calendar_due(cal, received, 6, NULL, 0), end_of(WIB, 2027, 1, 6));
	assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 12, 23), D(2027, 1, 6)), 6);
	pd_calendar_free(cal);
}

/* 2028 has no data: Monday to Friday only. Thursday 17 August 2028 (Independence Day) counts. */
static void test_beyond_loaded(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	assert_true(pd_calendar_is_working(cal, D(2028, 8, 17)));
	assert_false(pd_calendar_is_working(cal, D(2027, 8, 17)));  /* loaded year: a holiday */
	assert_false(pd_calendar_is_working(cal, D(2028, 1, 1)));   /* Saturday */
	assert_true(pd_calendar_is_working(cal, D(2028, 1, 3)));
	assert_int_equal(due_day(cal, local_ms(WIB, 2028, 8, 16, 9, 0), 1), D(2028, 8, 17));
	assert_int_equal(due_day(cal, local_ms(WIB, 2028, 8, 16, 9, 0), 5), D(2028, 8, 23));
	/* From Thursday 23 December 2027 (Fri 24 cuti, weekend): day 1 Mon 27, day 5 Fri 31,
	 * day 6 Monday 3 January 2028. */
	int64_t received = local_ms(WIB, 2027, 12, 23, 9, 0);
	assert_int_equal(due_day(cal, received, 1), D(2027, 12, 27));
	assert_int_equal(due_day(cal, received, 6), D(2028, 1, 3));
	assert_int_equal(pd_calendar_working_days_between(cal, D(2027, 12, 31), D(2028, 12, 31)),
	                 260);  /* 2028 starts on Saturday: 366 days, 52 weeks + Sat + Sun */
	pd_calendar_free(cal);
}

static void test_needs_warning(void **state)
{
	struct pd_calendar *wib = seeded(WIB), *utc = seeded(0);
	assert_false(pd_calendar_needs_warning(wib, local_ms(WIB, 2026, 10, 1, 0, 0)));
	assert_false(pd_calendar_needs_warning(wib, 1822323599999));  /* 30 Sep 2027 23:59:59.999 */
	assert_true(pd_calendar_needs_warning(wib, 1822323600000));   /* 1 Oct 2027 00:00 WIB */
	/* The same instant is still 30 September 17:00 in UTC. */
	assert_false(pd_calendar_needs_warning(utc, 1822323600000));
	assert_true(pd_calendar_needs_warning(utc, local_ms(0, 2027, 10, 1, 0, 0)));
	assert_true(pd_calendar_needs_warning(wib, local_ms(WIB, 2028, 2, 1, 0, 0)));
	pd_calendar_free(utc);

	/* With 2026 only, the warning starts on 1 October 2026. */
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	assert_int_equal(pd_calendar_add(cal, D(2026, 8, 17), PD_DAY_LIBUR), PD_OK);
	assert_false(pd_calendar_needs_warning(cal, local_ms(WIB, 2026, 9, 30, 23, 59)));
	assert_true(pd_calendar_needs_warning(cal, local_ms(WIB, 2026, 10, 1, 0, 0)));
	pd_calendar_mark_year(cal, 2027);
	assert_int_equal(pd_calendar_last_year(cal), 2027);
	assert_false(pd_calendar_needs_warning(cal, local_ms(WIB, 2026, 10, 1, 0, 0)));
	pd_calendar_free(cal);
	pd_calendar_free(wib);
}

/* Received Monday 5 January 2026, 10 working days: Tue 6 .. Fri 9 (4), Mon 12 .. Thu 15 (8),
 * Fri 16 Isra Mikraj, Mon 19 (9), Tue 20 (10). */
static void test_pauses(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = local_ms(WIB, 2026, 1, 5, 10, 0);
	assert_int_equal(pd_calendar_due(cal, received, 10, NULL, 0), end_of(WIB, 2026, 1, 20));

	/* Handed back and returned on Wednesday 7: nothing moves. */
	struct pd_pause same = { local_ms(WIB, 2026, 1, 7, 9, 0), local_ms(WIB, 2026, 1, 7, 15, 0) };
	assert_int_equal(pd_calendar_due(cal, received, 10, &same, 1), end_of(WIB, 2026, 1, 20));

	/* Handed back Friday 9, returned Monday 12: only Monday counts, due Wednesday 21. */
	struct pd_pause weekend = { local_ms(WIB, 2026, 1, 9, 16, 0),
		                    local_ms(WIB, 2026, 1, 12, 8, 0) };
	assert_int_equal(pd_calendar_due(cal, received, 10, &weekend, 1), end_of(WIB, 2026, 1, 21));

	/* Handed back Thursday 8, returned Tuesday 13: Fri 9, Mon 12, Tue 13 = 3, due Friday 23. */
	struct pd_pause span = { local_ms(WIB, 2026, 1, 8, 11, 0), local_ms(WIB, 2026, 1, 13, 9, 0) };
	assert_int_equal(pd_calendar_due(cal, received, 10, &span, 1), end_of(WIB, 2026, 1, 23));

	/* Fri 9 → Mon 12 (1) plus Wed 14 → Mon 19 (Thu 15, Mon 19; Fri 16 is a holiday: 2) = 3. */
	struct pd_pause two[2] = {
		weekend,
		{ local_ms(WIB, 2026, 1, 14, 10, 0), local_ms(WIB, 2026, 1, 19, 10, 0) },
	};
	assert_int_equal(pd_calendar_due(cal, received, 10, two, 2), end_of(WIB, 2026, 1, 23));
	struct pd_pause three[3] = { two[0], two[1], same };
	assert_int_equal(pd_calendar_due(cal, received, 10, three, 3), end_of(WIB, 2026, 1, 23));

	/* Local days decide: handed back Thursday 23:30 WIB (16:30 UTC), back Friday 06:00 WIB
	 * (still Thursday in UTC) is one day. */
	struct pd_pause night = { local_ms(WIB, 2026, 1, 8, 23, 30), local_ms(WIB, 2026, 1, 9, 6, 0) };
	assert_int_equal(pd_calendar_due(cal, received, 10, &night, 1), end_of(WIB, 2026, 1, 21));
	/* A pause that returns before it starts moves nothing. */
	struct pd_pause back = { span.to_ms, span.from_ms };
	assert_int_equal(pd_calendar_due(cal, received, 10, &back, 1), end_of(WIB, 2026, 1, 20));
	/* A negative n counts as 0: the pause's 3 days run from Monday 5, ending Thursday 8. */
	assert_int_equal(pd_calendar_due(cal, received, -5, &span, 1), end_of(WIB, 2026, 1, 8));
	pd_calendar_free(cal);
}

/* Received Friday 5 March 2027: Mon 8 Nyepi, Tue 9 cuti, Wed 10 / Thu 11 Idulfitri, Fri 12 and
 * Mon 15 cuti, so day 1 is Tuesday 16. The decree leaves Idulfitri 2027 to be confirmed, so an
 * administrator corrects the days. */
static void test_remove(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = local_ms(WIB, 2027, 3, 5, 14, 0);
	assert_int_equal(due_day(cal, received, 1), D(2027, 3, 16));

	pd_calendar_remove(cal, D(2027, 3, 15));
	assert_true(pd_calendar_is_working(cal, D(2027, 3, 15)));
	assert_int_equal(due_day(cal, received, 1), D(2027, 3, 15));
	assert_int_equal(pd_calendar_list_year(cal, 2027, NULL, NULL, 64), 25);

	pd_calendar_remove(cal, D(2027, 3, 12));
	assert_int_equal(due_day(cal, received, 1), D(2027, 3, 12));
	pd_calendar_remove(cal, D(2027, 3, 12));  /* twice: no change */
	pd_calendar_remove(cal, D(2027, 3, 16));  /* not listed: no change */
	pd_calendar_remove(cal, D(2029, 3, 16));  /* year not loaded: no change */
	assert_int_equal(pd_calendar_list_year(cal, 2027, NULL, NULL, 64), 24);
	assert_int_equal(pd_calendar_last_year(cal), 2027);

	/* Idulfitri a day later: Friday 12 becomes libur again. */
	assert_int_equal(pd_calendar_add(cal, D(2027, 3, 12), PD_DAY_LIBUR), PD_OK);
	assert_int_equal(due_day(cal, received, 1), D(2027, 3, 15));
	int32_t days[64];
	enum pd_day_kind kinds[64];
	size_t n = pd_calendar_list_year(cal, 2027, days, kinds, 64);
	assert_int_equal(n, 25);
	assert_int_equal(days[8], D(2027, 3, 12));
	assert_int_equal(kinds[8], PD_DAY_LIBUR);
	/* Adding an existing day replaces its kind. */
	assert_int_equal(pd_calendar_add(cal, D(2027, 3, 12), PD_DAY_CUTI_BERSAMA), PD_OK);
	pd_calendar_list_year(cal, 2027, days, kinds, 64);
	assert_int_equal(kinds[8], PD_DAY_CUTI_BERSAMA);
	pd_calendar_free(cal);
}

static void test_add_invalid(void **state)
{
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	assert_int_equal(pd_calendar_add(cal, D(2026, 1, 1), (enum pd_day_kind)0), PD_ERR_INVALID);
	assert_int_equal(pd_calendar_add(cal, D(2026, 1, 1), (enum pd_day_kind)3), PD_ERR_INVALID);
	assert_int_equal(pd_calendar_add(cal, D(1800, 1, 1), PD_DAY_LIBUR), PD_ERR_INVALID);
	assert_int_equal(pd_calendar_last_year(cal), 0);
	assert_int_equal(pd_calendar_add(cal, D(2030, 12, 31), PD_DAY_LIBUR), PD_OK);
	assert_int_equal(pd_calendar_add(cal, D(2029, 1, 1), PD_DAY_LIBUR), PD_OK);
	assert_int_equal(pd_calendar_last_year(cal), 2030);
	assert_false(pd_calendar_is_working(cal, D(2030, 12, 31)));
	assert_true(pd_calendar_is_working(cal, D(2030, 12, 30)));
	pd_calendar_free(cal);
}

static void expect_invalid(const char *csv)
{
	struct pd_calendar *cal = seeded(WIB);
	if (pd_calendar_load_csv(cal, csv, strlen(csv)) != PD_ERR_INVALID)
		fail_msg("accepted: %s", csv);
	/* Nothing of it was loaded: the seed stays as it was. */
	assert_int_equal(pd_calendar_last_year(cal), 2027);
	assert_int_equal(pd_calendar_list_year(cal, 2026, NULL, NULL, 64), 25);
	assert_true(pd_calendar_is_working(cal, D(2026, 7, 1)));
	pd_calendar_free(cal);
}

#define HEADER "date,kind,name_id,name_en,source\n"

static void test_csv_invalid(void **state)
{
	/* A bad date on the second row: the first row is not loaded either. */
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	const char *bad = HEADER "2030-07-01,libur,A,A,x\n2030-02-30,libur,B,B,x\n";
	assert_int_equal(pd_calendar_load_csv(cal, bad, strlen(bad)), PD_ERR_INVALID);
	assert_int_equal(pd_calendar_last_year(cal), 0);
	assert_true(pd_calendar_is_working(cal, D(2030, 7, 1)));
	pd_calendar_free(cal);

	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-02-29,libur,B,B,x\n");  /* not leap */
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-13-01,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-04-31,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-7-01,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-07-00,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n+026-07-01,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n1899-07-01,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n 2026-07-01,libur,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\n2026-07-02,holiday,B,B,x\n");
	expect_invalid(HEADER "2026-07-01,Libur,A,A,x\n");
	expect_invalid(HEADER "2026-07-01,libur,A,A\n");           /* 4 fields */
	expect_invalid(HEADER "2026-07-01,libur,A,A,x,y\n");       /* 6 fields */
	expect_invalid(HEADER "2026-07-01,libur,A,A,x,2026-07-02,libur,B,B,y\n");  /* 10 fields */
	expect_invalid(HEADER "2026-07-01,libur,\"A,A,x\n");       /* unterminated quote */
	expect_invalid(HEADER "2026-07-01,libur,A\"B,A,x\n");      /* quote in unquoted field */
	expect_invalid(HEADER "2026-07-01,libur,\"A\"B,A,x\n");    /* text after closing quote */
	expect_invalid(HEADER "2026-07-01,libur,A,A,x\r2026-07-02,libur,A,A,x\n");  /* bare CR */
	expect_invalid(HEADER "2026-07-01,libur,\xff,A,x\n");      /* not UTF-8 */
	expect_invalid("2026-07-01,libur,A,A,x\n");                /* no header */
	expect_invalid("date,kind,name_id,name_en\n2026-07-01,libur,A,A\n");
	expect_invalid("");

	/* Embedded NUL and oversized input. */
	cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	const char nul[] = HEADER "2026-07-01,libur,A\0B,A,x\n";
	assert_int_equal(pd_calendar_load_csv(cal, nul, sizeof nul - 1), PD_ERR_INVALID);
	size_t big_len = (1 << 20) + 1;
	char *big = malloc(big_len);
	assert_non_null(big);
	memset(big, '\n', big_len);
	memcpy(big, HEADER, strlen(HEADER));
	assert_int_equal(pd_calendar_load_csv(cal, big, big_len), PD_ERR_INVALID);
	assert_int_equal(pd_calendar_load_csv(cal, big, big_len - 1), PD_OK);  /* 1 MiB: fine */
	assert_int_equal(pd_calendar_last_year(cal), 0);
	free(big);
	pd_calendar_free(cal);
}

static void test_csv_quoting(void **state)
{
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	const char *csv = "\xEF\xBB\xBF\"date\",kind,name_id,name_en,source\r\n"
	                  "\"2026-07-01\",\"cuti_bersama\",\"Hari \"\"X\"\", satu\",\"a,\r\nb\",\"\"\r\n"
	                  "\r\n"
	                  "2026-07-02,libur,Tahun,Year,\n"
	                  "2026-07-03,cuti_bersama,Dua,Two,SKB\n"
	                  "2026-07-03,libur,Dua,Two,SKB\n"
	                  "2026-07-06,libur,Tiga,Three,SKB\n"
	                  "2026-07-06,cuti_bersama,Tiga,Three,SKB";  /* no final line break */
	assert_int_equal(pd_calendar_load_csv(cal, csv, strlen(csv)), PD_OK);
	int32_t days[8];
	enum pd_day_kind kinds[8];
	assert_int_equal(pd_calendar_list_year(cal, 2026, days, kinds, 8), 4);
	assert_int_equal(days[0], D(2026, 7, 1));
	assert_int_equal(kinds[0], PD_DAY_CUTI_BERSAMA);
	assert_int_equal(days[1], D(2026, 7, 2));
	assert_int_equal(kinds[1], PD_DAY_LIBUR);
	assert_int_equal(days[2], D(2026, 7, 3));
	assert_int_equal(kinds[2], PD_DAY_LIBUR);  /* listed twice: libur wins */
	assert_int_equal(days[3], D(2026, 7, 6));
	assert_int_equal(kinds[3], PD_DAY_LIBUR);  /* libur wins whatever the order */
	/* Wed 1 .. Mon 6 July are all off: from Tuesday 30 June, day 1 is Tuesday 7 July. */
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 6, 30), 1), D(2026, 7, 7));

	/* A header alone loads nothing and is fine; loading twice is idempotent. */
	assert_int_equal(pd_calendar_load_csv(cal, HEADER, strlen(HEADER)), PD_OK);
	assert_int_equal(pd_calendar_load_csv(cal, csv, strlen(csv)), PD_OK);
	assert_int_equal(pd_calendar_list_year(cal, 2026, days, kinds, 8), 4);
	pd_calendar_free(cal);
}

static void test_working_days_between(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	/* (17 March, 31 March 2026]: 18–20, 23, 24 off; 25, 26, 27, 30, 31 work. */
	assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 3, 17), D(2026, 3, 31)), 5);
	assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 3, 31), D(2026, 3, 31)), 0);
	assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 3, 31), D(2026, 3, 17)), 0);
	/* 2026: 261 weekdays (starts on Thursday) minus 21 weekday holidays; 2027: 261 - 19. */
	assert_int_equal(pd_calendar_working_days_between(cal, D(2025, 12, 31), D(2026, 12, 31)),
	                 240);
	assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 12, 31), D(2027, 12, 31)),
	                 242);
	/* Saturday to Saturday in unloaded 2025. */
	assert_int_equal(pd_calendar_working_days_between(cal, D(2025, 6, 7), D(2025, 6, 14)), 5);
	assert_int_equal(pd_calendar_working_days_between(cal, D(2025, 6, 7), D(2025, 6, 9)), 1);
	assert_int_equal(pd_calendar_working_days_between(NULL, D(2026, 3, 17), D(2026, 3, 31)),
	                 10);

	/* Agrees with stepping day by day, and with add_working, across both loaded years. */
	for (int32_t a = D(2025, 12, 1); a < D(2028, 2, 1); a += 3) {
		int count = 0;
		for (int32_t b = a + 1; b < a + 120; b++) {
			count += pd_calendar_is_working(cal, b);
			if (pd_calendar_working_days_between(cal, a, b) != count)
				fail_msg("between %d and %d", (int)a, (int)b);
		}
		for (int n = 1; n <= 60; n += 7) {
			int32_t t = pd_calendar_add_working(cal, a, n);
			assert_true(pd_calendar_is_working(cal, t));
			assert_int_equal(pd_calendar_working_days_between(cal, a, t), n);
			assert_int_equal(pd_calendar_working_days_between(cal, a, t - 1), n - 1);
		}
	}
	pd_calendar_free(cal);
}

/* Long deadlines stay fast and consistent; absurd ones are capped, not looped on forever. */
static void test_long_and_extreme(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	int64_t received = local_ms(WIB, 2026, 1, 5, 10, 0);
	for (int i = 0; i < 2000; i++) {
		int32_t due = due_day(cal, received, 400);
		assert_int_equal(pd_calendar_working_days_between(cal, D(2026, 1, 5), due), 400);
	}
	int64_t big = pd_calendar_due(cal, received, INT32_MAX, NULL, 0);
	assert_true(big > local_ms(WIB, 2300, 1, 1, 0, 0));
	struct pd_pause huge = { INT64_MIN, INT64_MAX };
	assert_true(pd_calendar_due(cal, received, 5, &huge, 1) >= big);
	assert_true(pd_calendar_working_days_between(cal, INT32_MIN, INT32_MAX) > 0);
	assert_int_equal(pd_calendar_add_working(cal, D(2026, 1, 5), INT32_MAX),
	                 pd_calendar_add_working(cal, D(2026, 1, 5), 100000));
	assert_int_equal(pd_calendar_due(cal, received, INT32_MAX, NULL, 0),
	                 pd_calendar_due(cal, received, 100000, NULL, 0));
	pd_calendar_free(cal);
}

struct reader {
	const struct pd_calendar *cal;
	const int64_t *expected;
	bool ok;
};

static void *run_reader(void *arg)
{
	struct reader *r = arg;
	r->ok = true;
	for (int round = 0; round < 20; round++)
		for (int i = 0; i < 730; i++)
			if (pd_calendar_due(r->cal, local_ms(WIB, 2026, 1, 1, 12, 0) + i * DAY_MS, 20, NULL,
			                    0) != r->expected[i])
				r->ok = false;
	return NULL;
}

/* Readers share one calendar without locks and get the answers a single thread gets. */
static void test_concurrent_readers(void **state)
{
	struct pd_calendar *cal = seeded(WIB);
	static int64_t expected[730];
	for (int i = 0; i < 730; i++)
		expected[i] = pd_calendar_due(cal, local_ms(WIB, 2026, 1, 1, 12, 0) + i * DAY_MS, 20,
		                              NULL, 0);
	pthread_t th[4];
	struct reader r[4];
	for (int t = 0; t < 4; t++) {
		r[t] = (struct reader){ cal, expected, false };
		assert_int_equal(pthread_create(&th[t], NULL, run_reader, &r[t]), 0);
	}
	for (int t = 0; t < 4; t++) {
		assert_int_equal(pthread_join(th[t], NULL), 0);
		assert_true(r[t].ok);
	}
	pd_calendar_free(cal);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil),
		cmocka_unit_test(test_day_of),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_seed_loaded),
		cmocka_unit_test(test_nyepi),
		cmocka_unit_test(test_friday_evening),
		cmocka_unit_test(test_utc_late_evening),
		cmocka_unit_test(test_time_zones),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_beyond_loaded),
		cmocka_unit_test(test_needs_warning),
		cmocka_unit_test(test_pauses),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_add_invalid),
		cmocka_unit_test(test_csv_invalid),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_working_days_between),
		cmocka_unit_test(test_long_and_extreme),
		cmocka_unit_test(test_concurrent_readers),
	};
	return cmocka_run_group_tests(tests, load_seed, free_seed);
}
