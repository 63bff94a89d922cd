/* Unit tests of the account rules that need no database: NIK validation, the password policy
 * (length in characters, the common-password list) and argon2id hashing with rehash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/err.h"
#include "domain/account.h"

static void test_nik(void **state)
{
	(void)state;
	char nik[17], district[7];
	assert_int_equal(pd_nik_check("3219015708900001", nik, district), PD_OK);
	assert_string_equal(nik, "3219015708900001");
	assert_string_equal(district, "321901");
	/* Separators are dropped; men's days (01-31) and women's (41-71) both count. */
	assert_int_equal(pd_nik_check("32.1901.170890.0001", nik, district), PD_OK);
	assert_int_equal(pd_nik_check("7371017101000002", nik, district), PD_OK); /* 31-01, day + 40 */
	assert_int_equal(pd_nik_check("9171012902040003", nik, district), PD_OK); /* 29 Feb */
	static const char *const bad[] = {
		"", "123", "32190157089000011", "321901570890000a",
		"9919015708900001", /* no province 99 */
		"0019015708900001", /* nor 00 */
		"3200015708900001", /* regency 00 */
		"3219005708900001", /* district 00 */
		"3219013208900001", /* day 32 */
		"3219017208900001", /* day 72 (women: 32) */
		"3219014008900001", /* day 40 (women: 0) */
		"3219010008900001", /* day 00 */
		"3219011513900001", /* month 13 */
		"3219011500900001", /* month 00 */
		"3219013002900001", /* 30 February */
		"3219011708900000", /* serial 0000 */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pd_nik_check(bad[i], nik, district), PD_ERR_INVALID);
	assert_int_equal(pd_nik_check(NULL, nik, district), PD_ERR_INVALID);
}

static void test_password_policy(void **state)
{
	(void)state;
	assert_non_null(pd_password_problem(NULL));
	assert_non_null(pd_password_problem(""));
	assert_non_null(pd_password_problem("elevenchars"));
	assert_null(pd_password_problem("twelve chars"));
	/* Characters, not bytes: 11 two-byte letters are still too few, 12 are enough. */
	assert_non_null(pd_password_problem("ééééééééééé"));
	assert_null(pd_password_problem("éééééééééééé"));
	/* The common list, compared lower-case. */
	assert_non_null(pd_password_problem("123qweasdzxc"));
	assert_non_null(pd_password_problem("1QAZ2WSX3EDC"));
	assert_non_null(pd_password_problem("qwerty123456"));
	assert_null(pd_password_problem("qwerty123456 but longer"));
	char big[PD_PASSWORD_MAX_BYTES + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_non_null(pd_password_problem(big));
	assert_non_null(pd_password_problem("invalid \xff utf-8 bytes"));
}

static void test_hash_verify_rehash(void **state)
{
	(void)state;
	char hash[PD_HASH_MAX];
	assert_int_equal(pd_password_hash("kuda lari di sawah", hash), PD_OK);
	assert_non_null(strstr(hash, "$argon2id$v=19$m=19456,t=2,p=1$"));
	bool rehash = true;
	assert_true(pd_password_verify(hash, "kuda lari di sawah", &rehash));
	assert_false(rehash);
	assert_false(pd_password_verify(hash, "kuda lari di sawah!", NULL));
	/* Unknown accounts are checked against the dummy and never match. */
	assert_false(pd_password_verify(NULL, "kuda lari di sawah", &rehash));
	assert_false(pd_password_verify("", "", NULL));
	/* A hash made with older, cheaper parameters matches and asks to be rehashed. */
	char old[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(old, "lama", 4, 1, 8192 * 1024,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_true(pd_password_verify(old, "lama", &rehash));
	assert_true(rehash);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nik),
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_hash_verify_rehash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
