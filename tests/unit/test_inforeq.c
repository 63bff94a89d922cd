/* Unit tests of the information-request deadlines (UU 14/2008 Pasal 22 and 36: 10 working days,
 * +7 once, 30 for an objection, 30 for the superior's decision) on the working-day calendar with
 * the 2026/2027 holidays of data/holidays-id-2026-2027.csv (Nyepi and Idulfitri 2026 with their
 * cuti bersama, Good Friday, Ascension, Waisak, Christmas), and of the names and legal lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/err.h"
#include "domain/inforeq.h"

#define WIB 420
#define HOUR_MS INT64_C(3600000)
#define DAY_MS INT64_C(86400000)

static struct pd_calendar *cal;

static int setup(void **state)
{
	(void)state;
	const char *dir = getenv("PD_SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/holidays-id-2026-2027.csv", dir ? dir : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		f = fopen("data/holidays-id-2026-2027.csv", "rb");
	if (!f)
		return -1;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	cal = pd_calendar_new(WIB);
	int rc = cal && n ? pd_calendar_load_csv(cal, buf, n) : -1;
	free(buf);
	return rc == PD_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	pd_calendar_free(cal);
	return 0;
}

/* y-m-d hh:00 WIB as UTC ms. */
static int64_t at(int y, int m, int d, int hh)
{
	return (int64_t)pd_civil_day(y, m, d) * DAY_MS + hh * HOUR_MS - 7 * HOUR_MS;
}

/* The end of y-m-d in WIB (23:59:59.999), as a deadline ends. */
static int64_t end_of(int y, int m, int d)
{
	return ((int64_t)pd_civil_day(y, m, d) + 1) * DAY_MS - 7 * HOUR_MS - 1;
}

/* Received on Monday 16 March 2026, just before Nyepi and Idulfitri: 17 March is day 1; 18-24
 * March are holidays or cuti bersama; Good Friday (3 April) does not count. */
static void test_answer_due_across_idulfitri(void **state)
{
	(void)state;
	int64_t received = at(2026, 3, 16, 10);
	assert_int_equal(pd_inforeq_due(cal, received, 0), end_of(2026, 4, 7));
	/* Counting weekdays only (no holidays loaded) would end on 30 March. */
	struct pd_calendar *plain = pd_calendar_new(WIB);
	assert_int_equal(pd_inforeq_due(plain, received, 0), end_of(2026, 3, 30));
	pd_calendar_free(plain);
	/* Received on a holiday: counting starts after it all the same. */
	assert_int_equal(pd_inforeq_due(cal, at(2026, 3, 21, 9), 0), end_of(2026, 4, 8));
}

static void test_extension_adds_up_to_seven(void **state)
{
	(void)state;
	int64_t received = at(2026, 3, 16, 10);
	assert_int_equal(pd_inforeq_due(cal, received, 7), end_of(2026, 4, 16));
	assert_int_equal(pd_inforeq_due(cal, received, 1), end_of(2026, 4, 8));
	/* Out-of-range extensions are clamped (the domain refuses them before). */
	assert_int_equal(pd_inforeq_due(cal, received, 12), end_of(2026, 4, 16));
	assert_int_equal(pd_inforeq_due(cal, received, -3), end_of(2026, 4, 7));
}

static void test_answer_due_across_christmas_and_new_year(void **state)
{
	(void)state;
	/* 24 Dec cuti bersama, 25 Dec, 1 Jan and 5 Jan 2027 holidays. */
	assert_int_equal(pd_inforeq_due(cal, at(2026, 12, 21, 8), 0), end_of(2027, 1, 8));
}

static void test_objection_window_after_answer(void **state)
{
	(void)state;
	/* Answered Thursday 16 April 2026: 1 May, 14-15 May (Ascension + cuti), 27-28 May (Idul
	 * Adha + cuti) and 1 June (Pancasila) do not count: day 30 is Friday 5 June. */
	assert_int_equal(pd_inforeq_objection_until(cal, at(2026, 4, 16, 14), end_of(2026, 4, 7)),
	                 end_of(2026, 6, 5));
}

static void test_objection_window_after_missed_deadline(void **state)
{
	(void)state;
	/* Never answered; the deadline ended on 7 April 2026: 30 working days from it. */
	assert_int_equal(pd_inforeq_objection_until(cal, 0, end_of(2026, 4, 7)), end_of(2026, 5, 22));
}

static void test_objection_decision_due(void **state)
{
	(void)state;
	/* Objected Friday 8 May 2026; 16 June (1 Muharram) does not count: 29 June. */
	assert_int_equal(pd_inforeq_objection_due(cal, at(2026, 5, 8, 9)), end_of(2026, 6, 29));
}

static void test_names_and_lists(void **state)
{
	(void)state;
	for (int s = 0; s < PD_INFOREQ_STATUS__MAX; s++) {
		enum pd_inforeq_status back;
		assert_int_equal(pd_inforeq_status_parse(pd_inforeq_status_name(s), &back), PD_OK);
		assert_int_equal(back, s);
	}
	for (int o = 1; o < PD_INFOREQ_OUTCOME__MAX; o++) {
		enum pd_inforeq_outcome back;
		assert_int_equal(pd_inforeq_outcome_parse(pd_inforeq_outcome_name(o), &back), PD_OK);
		assert_int_equal(back, o);
	}
	enum pd_inforeq_outcome o;
	assert_null(pd_inforeq_outcome_name(PD_INFOREQ_OUTCOME_NONE));
	assert_int_equal(pd_inforeq_outcome_parse("approved", &o), PD_ERR_INVALID);
	assert_int_equal(pd_inforeq_outcome_parse(NULL, &o), PD_ERR_INVALID);
	enum pd_objection_outcome ob;
	assert_int_equal(pd_objection_outcome_parse("overturned", &ob), PD_OK);
	assert_int_equal(ob, PD_OBJECTION_OVERTURNED);
	enum pd_inforeq_format f;
	enum pd_inforeq_delivery d;
	assert_int_equal(pd_inforeq_format_parse("hardcopy", &f), PD_OK);
	assert_int_equal(pd_inforeq_delivery_parse("pickup", &d), PD_OK);
	assert_int_equal(pd_inforeq_delivery_parse("fax", &d), PD_ERR_INVALID);
	/* Pasal 17 a-j; Pasal 35 (1) a-g. */
	for (char l = 'a'; l <= 'j'; l++)
		assert_non_null(pd_inforeq_ground_label(l));
	assert_null(pd_inforeq_ground_label('k'));
	assert_null(pd_inforeq_ground_label('A'));
	for (char l = 'a'; l <= 'g'; l++)
		assert_non_null(pd_objection_reason_label(l));
	assert_null(pd_objection_reason_label('h'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer_due_across_idulfitri),
		cmocka_unit_test(test_extension_adds_up_to_seven),
		cmocka_unit_test(test_answer_due_across_christmas_and_new_year),
		cmocka_unit_test(test_objection_window_after_answer),
		cmocka_unit_test(test_objection_window_after_missed_deadline),
		cmocka_unit_test(test_objection_decision_due),
		cmocka_unit_test(test_names_and_lists),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
