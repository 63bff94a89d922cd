/* Unit tests of the complaint rules that need no database: the hold-back rule (NIK-like numbers
 * and Indonesian phone numbers, with separators) and the status and visibility names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "domain/complaint.h"

static void test_sensitive(void **state)
{
	static const char *const held[] = {
		"NIK saya 3219015708900001",
		"nik 3219-0157-0890-0001 mohon dicek",
		"hubungi 081234567890",
		"hubungi 0812-3456-7890 segera",
		"WA +62 812 3456 7890",
		"telp 6281234567890",
		"nomor 32190157089000011234 panjang",
	};
	static const char *const fine[] = {
		"Jalan berlubang sejak 2024-05-01",
		"RT 02 RW 03, km 12.5",
		"lampu mati 3 buah, tiang nomor 123456",
		"kode pos 40115",
		"",
	};
	for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
		assert_true(pd_complaint_text_sensitive(held[i]));
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
		assert_false(pd_complaint_text_sensitive(fine[i]));
	assert_false(pd_complaint_text_sensitive(NULL));
}

static void test_names(void **state)
{
	for (int i = 0; i < PD_CMP__MAX; i++) {
		enum pd_complaint_status s;
		assert_int_equal(pd_complaint_status_parse(pd_complaint_status_name(i), &s), PD_OK);
		assert_int_equal(s, i);
	}
	enum pd_complaint_status s;
	assert_int_equal(pd_complaint_status_parse("closed", &s), PD_ERR_INVALID);
	assert_true(pd_complaint_status_closed(PD_CMP_MERGED));
	assert_false(pd_complaint_status_closed(PD_CMP_REOPENED));
	enum pd_complaint_visibility v;
	assert_int_equal(pd_complaint_visibility_parse("anonymous", &v), PD_OK);
	assert_int_equal(v, PD_CMP_ANONYMOUS);
	assert_int_equal(pd_complaint_visibility_parse("anonim", &v), PD_ERR_INVALID);
	assert_null(pd_complaint_visibility_name(PD_CMP_VIS__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensitive),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
