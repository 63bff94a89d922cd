/* Unit tests of the "what to digitise next" score (domain/digitise.h): each part's
 * normalisation to 0..1000, its edge cases (no data, zero promised days, beyond the cap), the
 * weights summing to 100 and the weighted score's rounding; and the dashboard's periods. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/calendar.h"
#include "core/err.h"
#include "domain/dashboard.h"
#include "domain/digitise.h"

#define DAY_MS 86400000LL
#define WIB 420

static void test_weights(void **state)
{
	(void)state;
	int sum = 0;
	for (int p = 0; p < PD_DIG__MAX; p++) {
		sum += pd_digitise_weight((enum pd_digitise_part)p);
		assert_non_null(pd_digitise_key((enum pd_digitise_part)p));
	}
	assert_int_equal(sum, 100);
	assert_int_equal(pd_digitise_weight(PD_DIG__MAX), 0);
	assert_null(pd_digitise_key(PD_DIG__MAX));
	assert_string_equal(pd_digitise_key(PD_DIG_COUNTER), "counter");
}

static void test_parts(void **state)
{
	(void)state;
	const struct pd_digitise_input in[] = {
		/* received, assisted, median_x10, promised, complaints, ikm_low_x100 */
		{40, 10, 50, 5, 8, 250},   /* the most demand (40) and complaints (8) */
		{20, 0, 100, 5, 2, 400},   /* twice the promised time; perfect IKM */
		{10, 10, 300, 5, 0, 100},  /* far beyond the cap; the worst IKM */
		{3, 1, -1, 5, 4, -1},      /* no median, no IKM */
		{0, 0, 20, 0, 0, -1},      /* promised 0 days: any time counts fully */
		{5, 0, 0, 0, 0, -1},       /* promised 0 and decided the same day */
	};
	struct pd_digitise_score s[6];
	pd_digitise_compute(in, 6, s);
	/* demand: / 40 */
	assert_int_equal(s[0].part[PD_DIG_DEMAND], 1000);
	assert_int_equal(s[1].part[PD_DIG_DEMAND], 500);
	assert_int_equal(s[3].part[PD_DIG_DEMAND], 75);
	assert_int_equal(s[4].part[PD_DIG_DEMAND], 0);
	/* counter: assisted / received */
	assert_int_equal(s[0].part[PD_DIG_COUNTER], 250);
	assert_int_equal(s[2].part[PD_DIG_COUNTER], 1000);
	assert_int_equal(s[3].part[PD_DIG_COUNTER], 333);  /* 1/3 rounded */
	assert_int_equal(s[4].part[PD_DIG_COUNTER], 0);    /* nothing received: 0, not a NaN */
	/* time: median / (2 × promised), capped */
	assert_int_equal(s[0].part[PD_DIG_TIME], 500);     /* as promised */
	assert_int_equal(s[1].part[PD_DIG_TIME], 1000);    /* twice */
	assert_int_equal(s[2].part[PD_DIG_TIME], 1000);    /* six times: the cap */
	assert_int_equal(s[3].part[PD_DIG_TIME], 0);       /* no median */
	assert_int_equal(s[4].part[PD_DIG_TIME], 1000);
	assert_int_equal(s[5].part[PD_DIG_TIME], 0);
	/* complaints: / 8 */
	assert_int_equal(s[0].part[PD_DIG_COMPLAINTS], 1000);
	assert_int_equal(s[1].part[PD_DIG_COMPLAINTS], 250);
	assert_int_equal(s[3].part[PD_DIG_COMPLAINTS], 500);
	/* IKM: (4 - lowest) / 3 */
	assert_int_equal(s[0].part[PD_DIG_IKM], 500);
	assert_int_equal(s[1].part[PD_DIG_IKM], 0);
	assert_int_equal(s[2].part[PD_DIG_IKM], 1000);
	assert_int_equal(s[3].part[PD_DIG_IKM], 0);
	/* score = (30·1000 + 25·250 + 20·500 + 15·1000 + 10·500) / 100 = 662.5 → 663 */
	assert_int_equal(s[0].score, 663);
	/* (30·500 + 0 + 20·1000 + 15·250 + 0) / 100 = 387.5 → 388 */
	assert_int_equal(s[1].score, 388);
	/* (30·250 + 25·1000 + 20·1000 + 0 + 10·1000) / 100 = 625 */
	assert_int_equal(s[2].score, 625);
	for (int i = 0; i < 6; i++) {
		assert_true(s[i].score >= 0 && s[i].score <= 1000);
		for (int p = 0; p < PD_DIG__MAX; p++)
			assert_true(s[i].part[p] >= 0 && s[i].part[p] <= 1000);
	}
}

static void test_empty_and_all_zero(void **state)
{
	(void)state;
	pd_digitise_compute(NULL, 0, NULL);  /* nothing to do, no crash */
	const struct pd_digitise_input zero[2] = {{0, 0, -1, 3, 0, -1}, {0, 0, -1, 0, 0, -1}};
	struct pd_digitise_score s[2];
	memset(s, 0xff, sizeof s);
	pd_digitise_compute(zero, 2, s);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(s[i].score, 0);
		for (int p = 0; p < PD_DIG__MAX; p++)
			assert_int_equal(s[i].part[p], 0);
	}
	/* the maximum of a single service is itself */
	const struct pd_digitise_input one = {7, 7, 60, 3, 1, 100};
	pd_digitise_compute(&one, 1, s);
	assert_int_equal(s[0].score, 1000);
}

static void test_period(void **state)
{
	(void)state;
	struct pd_dash_period p;
	/* 15 March 2026 10:00 WIB */
	int64_t now = (int64_t)pd_civil_day(2026, 3, 15) * DAY_MS + 3 * 3600000LL;
	assert_int_equal(pd_dash_period_parse(NULL, now, WIB, &p), PD_OK);
	assert_int_equal(p.kind, PD_DASH_LAST12);
	assert_int_equal(p.first_year, 2025);
	assert_int_equal(p.first_month, 4);
	assert_int_equal(p.n_months, 12);
	assert_int_equal(p.since_ms, (int64_t)pd_civil_day(2025, 4, 1) * DAY_MS - WIB * 60000LL);
	assert_int_equal(p.until_ms, now + 1);
	assert_int_equal(pd_dash_period_parse("2025", now, WIB, &p), PD_OK);
	assert_int_equal(p.kind, PD_DASH_YEAR);
	assert_int_equal(p.since_ms, (int64_t)pd_civil_day(2025, 1, 1) * DAY_MS - WIB * 60000LL);
	assert_int_equal(p.until_ms, (int64_t)pd_civil_day(2026, 1, 1) * DAY_MS - WIB * 60000LL);
	assert_int_equal(pd_dash_period_parse("2025-T4", now, WIB, &p), PD_OK);
	assert_int_equal(p.kind, PD_DASH_QUARTER);
	assert_int_equal(p.first_month, 10);
	assert_int_equal(p.n_months, 3);
	assert_int_equal(p.until_ms, (int64_t)pd_civil_day(2026, 1, 1) * DAY_MS - WIB * 60000LL);
	char buf[16];
	assert_string_equal(pd_dash_period_name(&p, buf, sizeof buf), "2025-T4");
	const char *bad[] = {"1999", "2101", "2025-T5", "2025-T0", "2025-Q1", "25", "2025x", "abcd",
	                     "2025-T12", "-2025"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pd_dash_period_parse(bad[i], now, WIB, &p), PD_ERR_INVALID);
	/* January: the last 12 months start in February of the year before */
	now = (int64_t)pd_civil_day(2026, 1, 2) * DAY_MS;
	assert_int_equal(pd_dash_period_parse("", now, WIB, &p), PD_OK);
	assert_int_equal(p.first_year, 2025);
	assert_int_equal(p.first_month, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights), cmocka_unit_test(test_parts),
		cmocka_unit_test(test_empty_and_all_zero), cmocka_unit_test(test_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
