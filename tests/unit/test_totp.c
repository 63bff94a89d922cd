/* Unit tests of HOTP/TOTP: the RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1) vectors,
 * the verification window with replay refusal, base32 both ways and the otpauth URI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/totp.h"

static const unsigned char RFC_KEY[] = "12345678901234567890"; /* 20 ASCII bytes */
#define RFC_KEY_LEN 20

static int init_sodium(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

/* RFC 4226 Appendix D: HOTP values for counters 0..9, 6 digits. */
static void test_hotp_rfc4226_vectors(void **state)
{
	static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
	                                   "254676", "287922", "162583", "399871", "520489"};
	for (uint64_t c = 0; c < 10; c++) {
		char out[PD_TOTP_MAX_DIGITS + 1];
		assert_int_equal(pd_totp_hotp(RFC_KEY, RFC_KEY_LEN, c, 6, out), PD_OK);
		assert_string_equal(out, want[c]);
	}
}

/* RFC 6238 Appendix B: the SHA-1 rows, 8 digits, 30-second steps from T0 = 0. */
static void test_totp_rfc6238_sha1_vectors(void **state)
{
	static const struct {
		int64_t t;
		const char *code;
	} v[] = {
		{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[PD_TOTP_MAX_DIGITS + 1];
		assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, v[i].t, 30, 8, out), PD_OK);
		assert_string_equal(out, v[i].code);
	}
	/* The 6-digit code is the 8-digit one's last six digits. */
	char six[PD_TOTP_MAX_DIGITS + 1];
	assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, 1234567890, 30, 6, six), PD_OK);
	assert_string_equal(six, "005924");
	assert_int_equal(pd_totp_step(59999), 1);
	assert_int_equal(pd_totp_step(1234567890000LL), 41152263);
}

static void test_bad_parameters(void **state)
{
	char out[PD_TOTP_MAX_DIGITS + 1];
	assert_int_equal(pd_totp_hotp(RFC_KEY, RFC_KEY_LEN, 0, 5, out), PD_ERR_INVALID);
	assert_int_equal(pd_totp_hotp(RFC_KEY, RFC_KEY_LEN, 0, 10, out), PD_ERR_INVALID);
	assert_int_equal(pd_totp_hotp(RFC_KEY, 0, 0, 6, out), PD_ERR_INVALID);
	assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, 59, 0, 6, out), PD_ERR_INVALID);
}

/* Codes one step either side are accepted; two steps away are not; a code of a step already
 * used (or an older one) is a replay. */
static void test_check_window_and_replay(void **state)
{
	const int64_t t = 1234567890; /* step 41152263 */
	const int64_t now_ms = t * 1000;
	const int64_t step = t / 30;
	char code[PD_TOTP_MAX_DIGITS + 1];
	int64_t got = 0;

	assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, t, 30, 6, code), PD_OK);
	assert_int_equal(pd_totp_check(RFC_KEY, RFC_KEY_LEN, code, now_ms, 0, &got), PD_TOTP_OK);
	assert_int_equal(got, step);
	assert_int_equal(pd_totp_check(RFC_KEY, RFC_KEY_LEN, code, now_ms, step, &got),
	                 PD_TOTP_REPLAY);
	assert_int_equal(pd_totp_check(RFC_KEY, RFC_KEY_LEN, code, now_ms, step + 1, &got),
	                 PD_TOTP_REPLAY);

	for (int d = -2; d <= 2; d++) {
		assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, t + 30 * d, 30, 6, code), PD_OK);
		enum pd_totp_result r = pd_totp_check(RFC_KEY, RFC_KEY_LEN, code, now_ms, 0, &got);
		if (d >= -1 && d <= 1) {
			assert_int_equal(r, PD_TOTP_OK);
			assert_int_equal(got, step + d);
		} else {
			assert_int_equal(r, PD_TOTP_WRONG);
		}
	}
	/* Spaces are ignored; anything else that is not six digits is wrong. */
	assert_int_equal(pd_totp_at(RFC_KEY, RFC_KEY_LEN, t, 30, 6, code), PD_OK);
	char spaced[16] = {code[0], code[1], code[2], ' ', code[3], code[4], code[5], '\0'};
	assert_int_equal(pd_totp_check(RFC_KEY, RFC_KEY_LEN, spaced, now_ms, 0, &got), PD_TOTP_OK);
	static const char *const bad[] = {"", "12345", "1234567", "12a456", "１２３４５６", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(pd_totp_check(RFC_KEY, RFC_KEY_LEN, bad[i], now_ms, 0, &got),
		                 PD_TOTP_WRONG);
}

/* RFC 4648 §10 test vectors (without padding) and decoding back. */
static void test_base32(void **state)
{
	static const char *const v[][2] = {
		{"", ""},          {"f", "MY"},         {"fo", "MZXQ"},         {"foo", "MZXW6"},
		{"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[64];
		size_t n = strlen(v[i][0]);
		assert_int_equal(pd_base32_encode((const unsigned char *)v[i][0], n, out, sizeof out),
		                 strlen(v[i][1]));
		assert_string_equal(out, v[i][1]);
		unsigned char back[64];
		size_t m = 0;
		assert_int_equal(pd_base32_decode(v[i][1], back, sizeof back, &m), PD_OK);
		assert_int_equal(m, n);
		assert_memory_equal(back, v[i][0], n);
	}
	char out[64];
	assert_int_equal(pd_base32_encode(RFC_KEY, RFC_KEY_LEN, out, sizeof out), 32);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(pd_base32_encode(RFC_KEY, RFC_KEY_LEN, out, 32), 0); /* no room for NUL */
	unsigned char back[64];
	size_t m = 0;
	assert_int_equal(pd_base32_decode("gezd gnbv-gy3t qojq gezd gnbv gy3t qojq", back,
	                                  sizeof back, &m), PD_OK);
	assert_int_equal(m, 20);
	assert_memory_equal(back, RFC_KEY, 20);
	assert_int_equal(pd_base32_decode("MZXW6YTBOI======", back, sizeof back, &m), PD_OK);
	assert_int_equal(m, 6);
	assert_int_equal(pd_base32_decode("MZXW1", back, sizeof back, &m), PD_ERR_INVALID);
	assert_int_equal(pd_base32_decode("M", back, sizeof back, &m), PD_ERR_INVALID);
	assert_int_equal(pd_base32_decode("MZ", back, sizeof back, &m), PD_ERR_INVALID); /* bits */
	assert_int_equal(pd_base32_decode("MY=A", back, sizeof back, &m), PD_ERR_INVALID);
	assert_int_equal(pd_base32_decode("MZXW6YTBOI", back, 3, &m), PD_ERR_TOO_LARGE);
}

static void test_uri(void **state)
{
	struct pd_arena *a = pd_arena_new();
	const char *u = pd_totp_uri(a, "Pendopo Sukamaju", "petugas+1@contoh.id",
	                            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_non_null(u);
	assert_string_equal(u, "otpauth://totp/Pendopo%20Sukamaju:petugas%2B1%40contoh.id"
	                       "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Pendopo%20Sukamaju");
	pd_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotp_rfc4226_vectors),
		cmocka_unit_test(test_totp_rfc6238_sha1_vectors),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_check_window_and_replay),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_uri),
	};
	return cmocka_run_group_tests(tests, init_sodium, NULL);
}
