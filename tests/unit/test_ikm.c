/* Unit tests of the IKM (PermenPANRB 14/2017): a worked example computed by hand, the grade
 * boundaries, rounding half up exactly where floating point would not, and withholding below
 * ten responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "domain/ikm.h"

/* The worked example: ten respondents, the nine elements in the regulation's order
 * (U1 persyaratan, U2 prosedur, U3 waktu, U4 biaya, U5 produk, U6 kompetensi, U7 perilaku,
 * U8 pengaduan, U9 sarana).
 *
 *            U1 U2 U3 U4 U5 U6 U7 U8 U9
 *     r1      4  4  3  4  3  4  4  3  3
 *     r2      3  3  3  4  3  3  4  3  3
 *     r3      4  3  2  4  4  3  3  2  3
 *     r4      3  3  3  4  3  4  4  3  4
 *     r5      4  4  4  4  3  3  4  3  3
 *     r6      3  2  3  4  3  3  3  2  3
 *     r7      4  3  3  4  4  4  4  3  3
 *     r8      3  3  2  4  3  3  3  3  2
 *     r9      4  4  3  4  3  3  4  3  3
 *     r10     3  3  3  4  4  4  4  3  3
 *     sum    35 32 29 40 33 34 37 28 30      total S = 298
 *     NRR   3.5 3.2 2.9 4.0 3.3 3.4 3.7 2.8 3.0          (sum / 10)
 *     ×0.111  0.3885 0.3552 0.3219 0.4440 0.3663 0.3774 0.4107 0.3108 0.3330
 *
 * Σ NRR × 0.111 = 3.3078 (= 29.8 × 0.111); × 25 = 82.695 exactly, which rounds half up to
 * 82.70: grade B (76.61–88.30), "Baik". In binary floating point 2.775 × 298 / 10 is
 * 82.69499999999999…, which would round to 82.69: the reason for integer arithmetic
 * (IKM × 100 = 555 S / 2n = 165390 / 20 = 8269.5 → 8270). */
static const int example[10][PD_IKM__MAX] = {
	{4, 4, 3, 4, 3, 4, 4, 3, 3}, {3, 3, 3, 4, 3, 3, 4, 3, 3}, {4, 3, 2, 4, 4, 3, 3, 2, 3},
	{3, 3, 3, 4, 3, 4, 4, 3, 4}, {4, 4, 4, 4, 3, 3, 4, 3, 3}, {3, 2, 3, 4, 3, 3, 3, 2, 3},
	{4, 3, 3, 4, 4, 4, 4, 3, 3}, {3, 3, 2, 4, 3, 3, 3, 3, 2}, {4, 4, 3, 4, 3, 3, 4, 3, 3},
	{3, 3, 3, 4, 4, 4, 4, 3, 3},
};

static void test_worked_example(void **state)
{
	(void)state;
	struct pd_ikm_tally t = {0};
	for (int r = 0; r < 10; r++)
		assert_int_equal(pd_ikm_tally_add(&t, example[r]), PD_OK);
	const int64_t sums[PD_IKM__MAX] = {35, 32, 29, 40, 33, 34, 37, 28, 30};
	const int64_t nrr[PD_IKM__MAX] = {350, 320, 290, 400, 330, 340, 370, 280, 300};
	assert_int_equal(t.n, 10);
	for (int i = 0; i < PD_IKM__MAX; i++)
		assert_int_equal(t.sum[i], sums[i]);
	struct pd_ikm_result res;
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	assert_int_equal(res.n, 10);
	assert_false(res.withheld);
	for (int i = 0; i < PD_IKM__MAX; i++)
		assert_int_equal(res.nrr_x100[i], nrr[i]);
	assert_int_equal(res.index_x100, 8270);
	assert_int_equal(res.grade, 'B');
	assert_string_equal(pd_ikm_grade_label(res.grade), "Baik");
	char buf[24];
	assert_string_equal(pd_ikm_format_x100(res.index_x100, buf, sizeof buf), "82.70");
	/* Merging two halves gives the same figures as the whole. */
	struct pd_ikm_tally a = {0}, b = {0};
	for (int r = 0; r < 10; r++)
		pd_ikm_tally_add(r < 4 ? &a : &b, example[r]);
	pd_ikm_tally_merge(&a, &b);
	assert_memory_equal(&a, &t, sizeof t);
}

/* A tally of n responses whose element sums add up to total (spread as evenly as possible). */
static struct pd_ikm_tally tally_of(int64_t n, int64_t total)
{
	struct pd_ikm_tally t = {.n = n};
	for (int i = 0; i < PD_IKM__MAX; i++)
		t.sum[i] = total / PD_IKM__MAX + (i < total % PD_IKM__MAX ? 1 : 0);
	return t;
}

static char grade_of(int64_t n, int64_t total, int64_t *index)
{
	struct pd_ikm_tally t = tally_of(n, total);
	struct pd_ikm_result res;
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	*index = res.index_x100;
	return res.grade;
}

static void test_grade_boundaries(void **state)
{
	(void)state;
	assert_int_equal(pd_ikm_grade(10000), 'A');
	assert_int_equal(pd_ikm_grade(8831), 'A');
	assert_int_equal(pd_ikm_grade(8830), 'B');
	assert_int_equal(pd_ikm_grade(7661), 'B');
	assert_int_equal(pd_ikm_grade(7660), 'C');
	assert_int_equal(pd_ikm_grade(6500), 'C');
	assert_int_equal(pd_ikm_grade(6499), 'D');
	assert_int_equal(pd_ikm_grade(2500), 'D');
	int64_t v;
	/* 11 responses, S = 350: 555·350 / 22 = 8829.545… → 88.30, B (the last B). */
	assert_int_equal(grade_of(11, 350, &v), 'B');
	assert_int_equal(v, 8830);
	/* 17 responses, S = 541: 555·541 / 34 = 8831.03 → 88.31, A (the first A). */
	assert_int_equal(grade_of(17, 541, &v), 'A');
	assert_int_equal(v, 8831);
	/* 23 responses, S = 635: 7661 → B; 38 responses, S = 1049: 7660 → C. */
	assert_int_equal(grade_of(23, 635, &v), 'B');
	assert_int_equal(v, 7661);
	assert_int_equal(grade_of(38, 1049, &v), 'C');
	assert_int_equal(v, 7660);
	/* 26 responses, S = 609: 6500 → C; 19 responses, S = 445: 6499 → D. */
	assert_int_equal(grade_of(26, 609, &v), 'C');
	assert_int_equal(v, 6500);
	assert_int_equal(grade_of(19, 445, &v), 'D');
	assert_int_equal(v, 6499);
	/* Everything 4: 2.775 × 36 = 99.90, A; everything 1: 27.75 × 1 = 24.98 (24.975 half up), D. */
	assert_int_equal(grade_of(10, 360, &v), 'A');
	assert_int_equal(v, 9990);
	assert_int_equal(grade_of(10, 90, &v), 'D');
	assert_int_equal(v, 2498);
}

static void test_round_half_up_exactly(void **state)
{
	(void)state;
	/* 185 responses, S = 5887: 555·5887 / 370 = 8830.5 exactly (88.305) → 88.31, grade A.
	 * In doubles 2.775 × 5887 / 185 is 88.30499999…, which rounds to 88.30 and grade B. */
	int64_t v;
	assert_int_equal(grade_of(185, 5887, &v), 'A');
	assert_int_equal(v, 8831);
	/* One point less: 555·5886 / 370 = 8829 exactly → 88.29. */
	assert_int_equal(pd_ikm_index_x100(5886, 185), 8829);
	/* A half goes up, above a half up, below a half down: 555·11 / 2 = 3052.5 → 3053,
	 * 555·13 / 4 = 1803.75 → 1804, 555·7 / 4 = 971.25 → 971. */
	assert_int_equal(pd_ikm_index_x100(11, 1), 3053);
	assert_int_equal(pd_ikm_index_x100(13, 2), 1804);
	assert_int_equal(pd_ikm_index_x100(7, 2), 971);
	/* .xx5 with n = 10: 27.75 × 298 = 8269.5 → 8270; 27.75 × 294 = 8158.5 → 8159;
	 * 27.75 × 296 = 8214 exactly. */
	assert_int_equal(pd_ikm_index_x100(298, 10), 8270);
	assert_int_equal(pd_ikm_index_x100(294, 10), 8159);
	assert_int_equal(pd_ikm_index_x100(296, 10), 8214);
	/* NRR rounds half up too: 3 responses summing 10 → 3.333… → 3.33; 8 summing 27 → 3.375
	 * → 3.38. */
	struct pd_ikm_tally t = tally_of(3, 90);
	t.sum[0] = 10;
	t.sum[1] = 8;
	struct pd_ikm_result res;
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	assert_int_equal(res.nrr_x100[0], 333);
	assert_int_equal(res.nrr_x100[1], 267);
	t = tally_of(8, 8 * 27);
	t.sum[0] = 27;
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	assert_int_equal(res.nrr_x100[0], 338);
	char buf[24];
	assert_string_equal(pd_ikm_format_x100(5, buf, sizeof buf), "0.05");
	assert_string_equal(pd_ikm_format_x100(9990, buf, sizeof buf), "99.90");
}

static void test_withheld_below_ten(void **state)
{
	(void)state;
	struct pd_ikm_tally t = {0};
	struct pd_ikm_result res;
	for (int r = 0; r < 9; r++)
		pd_ikm_tally_add(&t, example[r]);
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	assert_int_equal(res.n, 9);
	assert_true(res.withheld);
	pd_ikm_tally_add(&t, example[9]);
	assert_int_equal(pd_ikm_compute(&t, &res), PD_OK);
	assert_int_equal(res.n, 10);
	assert_false(res.withheld);
	/* No responses at all: withheld, no grade. */
	struct pd_ikm_tally empty = {0};
	assert_int_equal(pd_ikm_compute(&empty, &res), PD_OK);
	assert_true(res.withheld);
	assert_int_equal(res.grade, 0);
	assert_int_equal(res.index_x100, 0);
}

static void test_invalid_input(void **state)
{
	(void)state;
	struct pd_ikm_tally t = {0};
	int bad[PD_IKM__MAX] = {1, 2, 3, 4, 5, 1, 1, 1, 1};
	assert_false(pd_ikm_scores_valid(bad));
	assert_int_equal(pd_ikm_tally_add(&t, bad), PD_ERR_INVALID);
	bad[4] = 0;
	assert_int_equal(pd_ikm_tally_add(&t, bad), PD_ERR_INVALID);
	assert_int_equal(t.n, 0);
	bad[4] = 4;
	assert_true(pd_ikm_scores_valid(bad));
	/* An inconsistent tally (a sum above 4n) is refused. */
	struct pd_ikm_tally wrong = tally_of(10, 300);
	wrong.sum[3] = 41;
	struct pd_ikm_result res;
	assert_int_equal(pd_ikm_compute(&wrong, &res), PD_ERR_INVALID);
	wrong.sum[3] = 9;
	assert_int_equal(pd_ikm_compute(&wrong, &res), PD_ERR_INVALID);
	wrong = (struct pd_ikm_tally){.n = -1};
	assert_int_equal(pd_ikm_compute(&wrong, &res), PD_ERR_INVALID);
}

static void test_suppress(void **state)
{
	(void)state;
	bool w[4];
	/* Everything large enough: nothing withheld. */
	const int64_t big[] = {12, 10, 30};
	assert_int_equal(pd_ikm_suppress(big, w, 3), 0);
	assert_false(w[0] || w[1] || w[2]);
	/* One service of 3 beside two published: the unit (45) minus 12 and 30 would give the 3,
	 * so the smallest published one (12) is withheld too: 15 hidden. */
	const int64_t one[] = {12, 3, 30};
	assert_int_equal(pd_ikm_suppress(one, w, 3), 1);
	assert_true(w[0] && w[1] && !w[2]);
	/* Two small ones that together reach 10: nothing more. */
	const int64_t two[] = {4, 6, 30};
	assert_int_equal(pd_ikm_suppress(two, w, 3), 0);
	assert_true(w[0] && w[1] && !w[2]);
	/* A single service: withheld or not by itself, never protectively. */
	const int64_t single[] = {9};
	assert_int_equal(pd_ikm_suppress(single, w, 1), 0);
	assert_true(w[0]);
	/* Empty groups hide nothing. */
	const int64_t zero[] = {0, 15};
	assert_int_equal(pd_ikm_suppress(zero, w, 2), 0);
	assert_true(w[0] && !w[1]);
	/* Ties: the first of equals. */
	const int64_t ties[] = {20, 1, 20, 20};
	assert_int_equal(pd_ikm_suppress(ties, w, 4), 1);
	assert_true(w[0] && w[1] && !w[2] && !w[3]);
}

static void test_wording(void **state)
{
	(void)state;
	const char *keys[PD_IKM__MAX] = {"requirements", "procedure", "time", "cost", "product",
	                                  "competence", "conduct", "complaints", "facilities"};
	for (int e = 0; e < PD_IKM__MAX; e++) {
		assert_string_equal(pd_ikm_element_key((enum pd_ikm_element)e), keys[e]);
		assert_non_null(pd_ikm_element_name((enum pd_ikm_element)e));
		assert_non_null(pd_ikm_element_question((enum pd_ikm_element)e));
		for (int s = 1; s <= 4; s++)
			assert_non_null(pd_ikm_element_answer((enum pd_ikm_element)e, s));
		assert_null(pd_ikm_element_answer((enum pd_ikm_element)e, 0));
		assert_null(pd_ikm_element_answer((enum pd_ikm_element)e, 5));
	}
	assert_string_equal(pd_ikm_element_answer(PD_IKM_REQUIREMENTS, 1), "Tidak sesuai");
	assert_string_equal(pd_ikm_element_answer(PD_IKM_REQUIREMENTS, 4), "Sangat sesuai");
	assert_string_equal(pd_ikm_element_answer(PD_IKM_COST, 4), "Gratis");
	assert_null(pd_ikm_element_key(PD_IKM__MAX));
	assert_string_equal(pd_ikm_grade_label('A'), "Sangat baik");
	assert_string_equal(pd_ikm_grade_label('D'), "Tidak baik");
	assert_string_equal(pd_ikm_grade_label(0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_grade_boundaries),
		cmocka_unit_test(test_round_half_up_exactly),
		cmocka_unit_test(test_withheld_below_ten),
		cmocka_unit_test(test_invalid_input),
		cmocka_unit_test(test_suppress),
		cmocka_unit_test(test_wording),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
