/* Unit tests of the maths behind the complaint figures (domain/complaint_stats.h): the median
 * in tenths (odd and even counts), the share within the deadline in tenths of a percent, the
 * working days from filing to answer (weekends and holidays skipped, same day 0), the periods,
 * and the distance used for "nearby". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/err.h"
#include "domain/complaint_stats.h"

#define DAY_MS 86400000LL
#define WIB (7 * 60)

/* 09:00 WIB of a civil date, in UTC ms. */
static int64_t at9(int y, int m, int d)
{
	return (int64_t)pd_civil_day(y, m, d) * DAY_MS + 9 * 3600000LL - WIB * 60000LL;
}

static void test_median(void **state)
{
	(void)state;
	assert_int_equal(pd_cstats_median_x10(NULL, 0), -1);
	const int64_t one[] = {4};
	assert_int_equal(pd_cstats_median_x10(one, 1), 40);
	const int64_t odd[] = {0, 1, 2, 9, 30};
	assert_int_equal(pd_cstats_median_x10(odd, 5), 20);
	const int64_t even[] = {1, 2, 3, 8};
	assert_int_equal(pd_cstats_median_x10(even, 4), 25);
	const int64_t even2[] = {2, 2, 4, 4};
	assert_int_equal(pd_cstats_median_x10(even2, 4), 30);
	const int64_t ten[] = {0, 0, 1, 1, 2, 3, 5, 8, 13, 21};
	assert_int_equal(pd_cstats_median_x10(ten, 10), 25);
}

static void test_share(void **state)
{
	(void)state;
	assert_int_equal(pd_cstats_share_x10(0, 0), -1);
	assert_int_equal(pd_cstats_share_x10(3, 0), -1);
	assert_int_equal(pd_cstats_share_x10(0, 7), 0);
	assert_int_equal(pd_cstats_share_x10(7, 7), 1000);
	assert_int_equal(pd_cstats_share_x10(1, 3), 333);   /* 33.33 % */
	assert_int_equal(pd_cstats_share_x10(2, 3), 667);   /* 66.67 % rounds up */
	assert_int_equal(pd_cstats_share_x10(1, 8), 125);   /* 12.5 % exactly */
	assert_int_equal(pd_cstats_share_x10(1, 16), 63);   /* 6.25 % → 6.3 (half up) */
}

static void test_answer_days(void **state)
{
	(void)state;
	struct pd_calendar *cal = pd_calendar_new(WIB);
	assert_non_null(cal);
	pd_calendar_mark_year(cal, 2026);
	/* Friday 2026-05-01 is a holiday (Hari Buruh) in this test calendar. */
	assert_int_equal(pd_calendar_add(cal, pd_civil_day(2026, 5, 1), PD_DAY_LIBUR), PD_OK);
	/* Same day: 0. */
	assert_int_equal(pd_cstats_answer_days(cal, at9(2026, 4, 27), at9(2026, 4, 27) + 3600000), 0);
	/* Monday → Tuesday: 1. */
	assert_int_equal(pd_cstats_answer_days(cal, at9(2026, 4, 27), at9(2026, 4, 28)), 1);
	/* Thursday → next Monday: Friday is a holiday, the weekend does not count: 1. */
	assert_int_equal(pd_cstats_answer_days(cal, at9(2026, 4, 30), at9(2026, 5, 4)), 1);
	/* Monday → Monday a week later: 4 (Tue, Wed, Thu, Mon; Fri 1 May a holiday). */
	assert_int_equal(pd_cstats_answer_days(cal, at9(2026, 4, 27), at9(2026, 5, 4)), 4);
	/* Answered "before" filing (clock skew): 0. */
	assert_int_equal(pd_cstats_answer_days(cal, at9(2026, 4, 28), at9(2026, 4, 27)), 0);
	/* Without a calendar: weekdays only. */
	assert_int_equal(pd_cstats_answer_days(NULL, at9(2026, 4, 30), at9(2026, 5, 4)), 2);
	/* Late evening WIB is still that local day: Monday 23:30 → Tuesday 08:00 is 1 day. */
	int64_t mon_late = at9(2026, 4, 27) + 14 * 3600000LL + 30 * 60000;
	assert_int_equal(pd_cstats_answer_days(cal, mon_late, at9(2026, 4, 28) - 3600000), 1);
	pd_calendar_free(cal);
}

static void test_period(void **state)
{
	(void)state;
	int64_t since = 0, until = 0, now = at9(2026, 7, 1);
	assert_int_equal(pd_cstats_period(2026, now, WIB, &since, &until), PD_OK);
	/* 1 January 2026 00:00 WIB = 31 December 2025 17:00 UTC. */
	assert_int_equal(since, (int64_t)pd_civil_day(2026, 1, 1) * DAY_MS - WIB * 60000LL);
	assert_int_equal(until, (int64_t)pd_civil_day(2027, 1, 1) * DAY_MS - WIB * 60000LL);
	assert_int_equal(pd_cstats_period(0, now, WIB, &since, &until), PD_OK);
	assert_int_equal(until - since, 365 * DAY_MS + 1);
	assert_int_equal(until, now + 1);
	assert_int_equal(pd_cstats_period(1999, now, WIB, &since, &until), PD_ERR_INVALID);
	assert_int_equal(pd_cstats_period(2101, now, WIB, &since, &until), PD_ERR_INVALID);
}

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(pd_complaint_distance_m(-6900000, 107600000, -6900000, 107600000), 0);
	/* 0.009° of latitude ≈ 1,000 m. */
	int64_t d = pd_complaint_distance_m(-6900000, 107600000, -6909000, 107600000);
	assert_true(d > 995 && d < 1006);
	/* 0.009° of longitude near the equator ≈ 1,000 m, shrinking with cos(latitude). */
	d = pd_complaint_distance_m(-6900000, 107600000, -6900000, 107609000);
	assert_true(d > 988 && d < 1000);
	d = pd_complaint_distance_m(60000000, 10000000, 60000000, 10018000);
	assert_true(d > 990 && d < 1010);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),  cmocka_unit_test(test_share),
		cmocka_unit_test(test_answer_days), cmocka_unit_test(test_period),
		cmocka_unit_test(test_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
