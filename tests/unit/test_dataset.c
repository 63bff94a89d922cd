/* Unit tests of the open-data model's pure parts (domain/dataset.h): the RFC 4180 preview
 * reader (quotes, doubled quotes, line breaks and commas inside quotes, CRLF and LF, a byte-order
 * mark, the row and column limits, malformed input), the licence list and the frequencies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/dataset.h"

static void test_csv_quotes(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	const char csv[] = "\xEF\xBB\xBFnama,catatan,n\r\n"
	                   "\"Desa \"\"Maju\"\"\",\"satu\r\ndua\",12\r\n"
	                   "Cibening,\"koma, di dalam\",\n"
	                   ",,\n";
	struct pd_csv_preview p;
	assert_int_equal(pd_csv_preview(csv, strlen(csv), 20, 30, a, &p), PD_OK);
	assert_int_equal(p.n_header, 3);
	assert_string_equal(p.header[0], "nama");
	assert_int_equal(p.n_rows, 3);
	assert_string_equal(p.rows[0][0], "Desa \"Maju\"");
	assert_string_equal(p.rows[0][1], "satu\r\ndua");
	assert_string_equal(p.rows[0][2], "12");
	assert_string_equal(p.rows[1][1], "koma, di dalam");
	assert_int_equal(p.n_cols[1], 3);
	assert_string_equal(p.rows[1][2], "");
	assert_int_equal(p.n_cols[2], 3);
	assert_false(p.more_rows);
	assert_false(p.cut_cols);
	pd_arena_free(a);
}

static void test_csv_limits(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char csv[4096] = "a,b,c\n";
	size_t len = strlen(csv);
	for (int i = 0; i < 30; i++) {
		memcpy(csv + len, "1,2,3\n", 7);
		len += 6;
	}
	struct pd_csv_preview p;
	assert_int_equal(pd_csv_preview(csv, strlen(csv), 20, 2, a, &p), PD_OK);
	assert_int_equal(p.n_rows, 20);
	assert_true(p.more_rows);
	assert_true(p.cut_cols);
	assert_int_equal(p.n_header, 2);
	/* exactly 20 rows: nothing more */
	const char twenty[] = "h\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n";
	assert_int_equal(pd_csv_preview(twenty, strlen(twenty), 20, 30, a, &p), PD_OK);
	assert_int_equal(p.n_rows, 20);
	assert_false(p.more_rows);
	/* empty */
	assert_int_equal(pd_csv_preview("", 0, 20, 30, a, &p), PD_OK);
	assert_int_equal(p.n_header, 0);
	pd_arena_free(a);
}

static void test_csv_malformed(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct pd_csv_preview p;
	const char open[] = "a,b\n\"never closed,1\n";
	assert_int_equal(pd_csv_preview(open, strlen(open), 20, 30, a, &p), PD_ERR_INVALID);
	const char stray[] = "a,b\nx\"y,1\n";
	assert_int_equal(pd_csv_preview(stray, strlen(stray), 20, 30, a, &p), PD_ERR_INVALID);
	const char after[] = "a,b\n\"x\"y,1\n";
	assert_int_equal(pd_csv_preview(after, strlen(after), 20, 30, a, &p), PD_ERR_INVALID);
	const char latin1[] = "a\nD\xe9sa\n";
	assert_int_equal(pd_csv_preview(latin1, strlen(latin1), 20, 30, a, &p), PD_ERR_INVALID);
	pd_arena_free(a);
}

static void test_lists(void **state)
{
	(void)state;
	size_t n;
	const struct pd_licence *l = pd_licence_list(&n);
	assert_true(n >= 5);
	const char *want[] = {"cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "odc-odbl", "other-open"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_non_null(pd_licence_find(want[i]));
	assert_string_equal(l[0].id, "cc-by-4.0");
	assert_string_equal(pd_licence_find("cc-by-4.0")->url,
	                    "https://creativecommons.org/licenses/by/4.0/");
	assert_null(pd_licence_find("proprietary"));
	assert_null(pd_licence_find(NULL));
	const char *const *f = pd_frequency_list(&n);
	assert_int_equal(n, 6);
	assert_string_equal(f[0], "daily");
	assert_true(pd_frequency_valid("quarterly"));
	assert_false(pd_frequency_valid("kadang"));
	assert_string_equal(pd_frequency_iri("irregular"),
	                    "http://publications.europa.eu/resource/authority/frequency/IRREG");
	assert_string_equal(pd_frequency_iri("annual"),
	                    "http://publications.europa.eu/resource/authority/frequency/ANNUAL");
	assert_null(pd_frequency_iri("x"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quotes),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_csv_malformed),
		cmocka_unit_test(test_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
