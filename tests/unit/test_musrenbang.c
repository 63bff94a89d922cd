/* Unit tests of Musrenbang's pure rules: the ranking's tie-breaks (votes, then lower cost, then
 * earlier proposal), greedy funding down the ranking within the budget (an item that does not
 * fit is skipped and a cheaper one below it may still be funded), the knapsack ballot's budget
 * check (exactly the budget passes, one rupiah over fails, no overflow), NIK districts against
 * area codes, and phase names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/musrenbang.h"

static struct pd_mus_item item(const char *id, int64_t cost, int64_t votes, int64_t order)
{
	return (struct pd_mus_item){.id = id, .cost = cost, .votes = votes, .order = order};
}

static void test_rank_tie_breaks(void **state)
{
	(void)state;
	struct pd_mus_item it[] = {
		item("a", 50, 3, 1),  /* 3 votes, dearer */
		item("b", 30, 3, 2),  /* 3 votes, cheaper: before a */
		item("c", 30, 3, 0),  /* same votes and cost as b, earlier: before b */
		item("d", 10, 5, 9),  /* most votes: first whatever it costs or when it came */
		item("e", 10, 0, 3),
	};
	pd_mus_rank(it, 5, 1000);
	const char *want[] = {"d", "c", "b", "a", "e"};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(it[i].id, want[i]);
		assert_int_equal(it[i].rank, i + 1);
		assert_true(it[i].funded);
	}
}

static void test_greedy_funding(void **state)
{
	(void)state;
	/* Budget 100: d (60) funded, c (50) does not fit in the 40 left, b (30) does, a (20) no
	 * longer fits in the 10 left, e (10) does. */
	struct pd_mus_item it[] = {
		item("a", 20, 1, 0), item("b", 30, 2, 0), item("c", 50, 3, 0), item("d", 60, 4, 0),
		item("e", 10, 0, 0),
	};
	pd_mus_rank(it, 5, 100);
	const char *want[] = {"d", "c", "b", "a", "e"};
	const bool funded[] = {true, false, true, false, true};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(it[i].id, want[i]);
		assert_int_equal(it[i].funded, funded[i]);
	}
	/* Exactly the budget is funded. */
	struct pd_mus_item one[] = {item("x", 100, 0, 0)};
	pd_mus_rank(one, 1, 100);
	assert_true(one[0].funded);
	one[0] = item("x", 101, 0, 0);
	pd_mus_rank(one, 1, 100);
	assert_false(one[0].funded);
	pd_mus_rank(one, 0, 100); /* nothing to rank: no effect, no crash */
}

static void test_ballot_budget(void **state)
{
	(void)state;
	int64_t ok[] = {40, 60};
	assert_true(pd_mus_within_budget(ok, 2, 100));
	int64_t over[] = {40, 61};
	assert_false(pd_mus_within_budget(over, 2, 100));
	int64_t huge[] = {INT64_MAX, INT64_MAX};
	assert_false(pd_mus_within_budget(huge, 2, INT64_MAX));
	int64_t neg[] = {-5, 50};
	assert_false(pd_mus_within_budget(neg, 2, 100));
	assert_true(pd_mus_within_budget(NULL, 0, 1));
}

static void test_areas(void **state)
{
	(void)state;
	char d[16];
	pd_mus_code_digits("32.19.01.2003", d, sizeof d);
	assert_string_equal(d, "3219012003");
	pd_mus_code_digits("32.19", d, sizeof d);
	assert_string_equal(d, "3219");
	pd_mus_code_digits(NULL, d, sizeof d);
	assert_string_equal(d, "");
	/* A village: its district (first 6 digits). */
	assert_true(pd_mus_district_in_area("321901", "3219012003"));
	assert_false(pd_mus_district_in_area("321902", "3219012003"));
	/* A district and a regency. */
	assert_true(pd_mus_district_in_area("321901", "321901"));
	assert_true(pd_mus_district_in_area("321904", "3219"));
	assert_false(pd_mus_district_in_area("321801", "3219"));
	/* No NIK, a malformed district, a province-wide area: never. */
	assert_false(pd_mus_district_in_area(NULL, "3219"));
	assert_false(pd_mus_district_in_area("3219", "3219"));
	assert_false(pd_mus_district_in_area("321901", "32"));
	assert_false(pd_mus_district_in_area("321901", ""));
}

static void test_phases(void **state)
{
	(void)state;
	for (int i = 0; i < PD_MUS_PHASE__MAX; i++)
		assert_int_equal(pd_mus_phase_parse(pd_mus_phase_name((enum pd_mus_phase)i)), i);
	assert_int_equal(pd_mus_phase_parse("closed"), PD_MUS_PHASE__MAX);
	assert_int_equal(pd_mus_phase_parse(NULL), PD_MUS_PHASE__MAX);
	assert_string_equal(pd_mus_phase_name(PD_MUS_VOTING), "voting");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_tie_breaks), cmocka_unit_test(test_greedy_funding),
		cmocka_unit_test(test_ballot_budget),   cmocka_unit_test(test_areas),
		cmocka_unit_test(test_phases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
