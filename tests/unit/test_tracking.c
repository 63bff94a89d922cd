/* Unit tests of tracking numbers: the check character's quasigroup properties exhaustively, and
 * every single substitution and adjacent swap of thousands of random numbers being rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/tracking.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int init_sodium(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

/* check_char("0000000" x y) is x·(x·0 + x) ... : the first 7 zeros keep the interim at 0, so
 * the result is a bijective image (multiplication by x in GF(32)) of x * y. */
static char check_of(const char *prefix, char a, char b, char c)
{
	char s[10];
	size_t n = strlen(prefix);
	memcpy(s, prefix, n);
	s[n] = a;
	s[n + 1] = b;
	if (c)
		s[n + 2] = c;
	s[9] = '\0';
	return pd_tracking_check_char(s);
}

/* Every row and every column of the quasigroup is a permutation: a single wrong character can
 * never leave the interim unchanged. */
static void test_latin_square(void **state)
{
	for (int x = 0; x < 32; x++) {
		bool row[32] = { false }, col[32] = { false };
		for (int y = 0; y < 32; y++) {
			const char *r = strchr(alphabet, check_of("0000000", alphabet[x], alphabet[y], 0));
			const char *c = strchr(alphabet, check_of("0000000", alphabet[y], alphabet[x], 0));
			assert_non_null(r);
			assert_non_null(c);
			assert_false(row[r - alphabet]);
			assert_false(col[c - alphabet]);
			row[r - alphabet] = true;
			col[c - alphabet] = true;
		}
	}
}

/* Total anti-symmetry, all 32³ cases: (c*x)*y = (c*y)*x only when x = y. */
static void test_totally_antisymmetric(void **state)
{
	for (int c = 0; c < 32; c++)
		for (int x = 0; x < 32; x++)
			for (int y = 0; y < 32; y++) {
				char a = check_of("000000", alphabet[c], alphabet[x], alphabet[y]);
				char b = check_of("000000", alphabet[c], alphabet[y], alphabet[x]);
				if ((a == b) != (x == y))
					fail_msg("c=%d x=%d y=%d", c, x, y);
			}
}

/* The method is a contract: numbers already issued must stay valid. P00000000: interim 22,
 * times x eight times gives 5, and the check x·5 = 10 is 'A' (worked by hand over
 * x^5 = x^2 + 1). */
static void test_known_values(void **state)
{
	assert_int_equal(pd_tracking_check_char("P00000000"), 'A');
	assert_int_equal(pd_tracking_check_char("A00000000"), 'Z');
	assert_int_equal(pd_tracking_check_char("K00000000"), 'Q');
	assert_int_equal(pd_tracking_check_char("P7K3M9QXD"), 'E');
	assert_int_equal(pd_tracking_check_char("PZZZZZZZZ"), '9');
	assert_int_equal(pd_tracking_check_char("K0123ABCD"), 'M');
	assert_int_equal(pd_tracking_check_char("P7K3M9QXDE"), 'E');  /* only the first 9 count */
	assert_int_equal(pd_tracking_check_char("000000000"), '0');
	assert_int_equal(pd_tracking_check_char("P7K3M9QXU"), '\0');
	assert_int_equal(pd_tracking_check_char("p7k3m9qxd"), '\0');
	assert_int_equal(pd_tracking_check_char("P7K3"), '\0');
	assert_int_equal(pd_tracking_check_char(NULL), '\0');

	char out[PD_TRACKING_COMPACT_LEN + 1];
	assert_int_equal(pd_tracking_parse("P00000000A", out), PD_OK);
	assert_string_equal(out, "P00000000A");
	assert_int_equal(pd_tracking_parse("P-7K3M-9QXD-E", out), PD_OK);
	assert_string_equal(out, "P7K3M9QXDE");
	assert_int_equal(pd_tracking_parse("P-7K3M-9QXD-4", out), PD_ERR_INVALID);
}

/* The kind letter takes part: the same 8 characters give three different check characters. */
static void test_kind_in_check(void **state)
{
	for (int i = 0; i < 1000; i++) {
		char p[PD_TRACKING_COMPACT_LEN + 1], a[10], k[10];
		assert_int_equal(pd_tracking_new('P', p), PD_OK);
		memcpy(a, p, 10);
		memcpy(k, p, 10);
		a[0] = 'A';
		k[0] = 'K';
		a[9] = k[9] = '\0';
		char cp = p[9], ca = pd_tracking_check_char(a), ck = pd_tracking_check_char(k);
		assert_true(cp != ca && cp != ck && ca != ck);
	}
}

/* For 3000 random numbers: every other character at every position, and every swap of two
 * differing neighbours, is rejected; for the first 9 positions the check character itself
 * changes (so it is not only the kind test that refuses a changed kind letter). */
static void test_every_error_caught(void **state)
{
	static const char kinds[3] = { 'P', 'A', 'K' };
	long n_subst = 0, n_swaps = 0;
	for (int i = 0; i < 3000; i++) {
		char num[PD_TRACKING_COMPACT_LEN + 1], out[PD_TRACKING_COMPACT_LEN + 1];
		assert_int_equal(pd_tracking_new(kinds[i % 3], num), PD_OK);
		assert_int_equal(strlen(num), PD_TRACKING_COMPACT_LEN);
		assert_int_equal(pd_tracking_parse(num, out), PD_OK);
		assert_string_equal(out, num);
		for (int pos = 0; pos < PD_TRACKING_COMPACT_LEN; pos++) {
			for (int v = 0; v < 32; v++) {
				if (alphabet[v] == num[pos])
					continue;
				char bad[PD_TRACKING_COMPACT_LEN + 1];
				memcpy(bad, num, sizeof bad);
				bad[pos] = alphabet[v];
				if (pd_tracking_parse(bad, out) != PD_ERR_INVALID)
					fail_msg("substitution accepted: %s for %s", bad, num);
				if (pos < 9 && pd_tracking_check_char(bad) == num[9])
					fail_msg("substitution keeps the check: %s for %s", bad, num);
				n_subst++;
			}
		}
		for (int pos = 0; pos + 1 < PD_TRACKING_COMPACT_LEN; pos++) {
			if (num[pos] == num[pos + 1])
				continue;
			char bad[PD_TRACKING_COMPACT_LEN + 1];
			memcpy(bad, num, sizeof bad);
			bad[pos] = num[pos + 1];
			bad[pos + 1] = num[pos];
			if (pd_tracking_parse(bad, out) != PD_ERR_INVALID)
				fail_msg("swap accepted: %s for %s", bad, num);
			if (pos + 1 < 9 && pd_tracking_check_char(bad) == num[9])
				fail_msg("swap keeps the check: %s for %s", bad, num);
			n_swaps++;
		}
	}
	assert_int_equal(n_subst, 3000L * 10 * 31);
	assert_true(n_swaps > 3000L * 9 * 9 / 10);  /* about 97% of neighbours differ */
}

static void test_new(void **state)
{
	char out[PD_TRACKING_COMPACT_LEN + 1];
	assert_int_equal(pd_tracking_new('X', out), PD_ERR_INVALID);
	assert_int_equal(pd_tracking_new('p', out), PD_ERR_INVALID);
	assert_int_equal(pd_tracking_new('\0', out), PD_ERR_INVALID);
	/* Every position draws from all 32 characters, and only from them. */
	bool seen[8][32];
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < 20000; i++) {
		assert_int_equal(pd_tracking_new('A', out), PD_OK);
		assert_int_equal(out[0], 'A');
		assert_int_equal(out[10], '\0');
		for (int p = 1; p <= 8; p++) {
			const char *c = strchr(alphabet, out[p]);
			assert_true(out[p] != '\0' && c != NULL);
			seen[p - 1][c - alphabet] = true;
		}
		assert_non_null(strchr(alphabet, out[9]));
	}
	for (int p = 0; p < 8; p++)
		for (int v = 0; v < 32; v++)
			if (!seen[p][v])
				fail_msg("position %d never drew %c", p + 1, alphabet[v]);
}

static void test_parse_normalises(void **state)
{
	char out[PD_TRACKING_COMPACT_LEN + 1];
	/* K0123ABCD has check M; P00000000 has check A. */
	static const char *const good_k[] = {
		"K0123ABCDM", "k0123abcdm", "K-0123-ABCD-M", "k.0123.abcd.m", " K 0123 ABCD M ",
		"KO123ABCDM", "Ko123ABCDM", "K0I23ABCDM", "K0i23ABCDM", "K0L23ABCDM", "K0l23ABCDM",
		"K--0-1-2-3--A.B.C.D  M", "KOl23-abcd-m",
	};
	for (size_t i = 0; i < sizeof good_k / sizeof *good_k; i++) {
		memset(out, 'x', sizeof out);
		if (pd_tracking_parse(good_k[i], out) != PD_OK)
			fail_msg("refused: %s", good_k[i]);
		assert_string_equal(out, "K0123ABCDM");
	}
	assert_int_equal(pd_tracking_parse("p00000000a", out), PD_OK);
	assert_string_equal(out, "P00000000A");
	assert_int_equal(pd_tracking_parse("pOOOOOOOOa", out), PD_OK);
	assert_string_equal(out, "P00000000A");

	char b9[10], bcheck[11];
	memcpy(b9, "B0123ABCD", 10);
	char cb = pd_tracking_check_char(b9);  /* a correct check, but B is no kind */
	assert_int_not_equal(cb, '\0');
	memcpy(bcheck, b9, 9);
	bcheck[9] = cb;
	bcheck[10] = '\0';
	const char *const bad[] = {
		"",           "K0123ABCD",   "K0123ABCDMM", "K0123ABCDN",        "K0123ABCUM",
		"UK0123ABCD", "K0123ABCDM\n", "K0123_ABCDM", "K0123ABCD/M",       "K0123ABCD\tM",
		"K0123ABCD,M", "0K123ABCDM", "P0123ABCDM", "K0123ABCD\xc3\xa9M", "A0123ABCDM",
		"K0123ABCDM0", bcheck,
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (pd_tracking_parse(bad[i], out) != PD_ERR_INVALID)
			fail_msg("accepted: %s", bad[i]);
	assert_int_equal(pd_tracking_parse(NULL, out), PD_ERR_INVALID);

	/* A valid number padded with separators: 64 bytes are read, 65 are refused. */
	char padded[66];
	memset(padded, ' ', sizeof padded);
	memcpy(padded + 20, "K-0123-ABCD-M", 13);
	padded[64] = '\0';
	assert_int_equal(pd_tracking_parse(padded, out), PD_OK);
	assert_string_equal(out, "K0123ABCDM");
	padded[64] = ' ';
	padded[65] = '\0';
	assert_int_equal(pd_tracking_parse(padded, out), PD_ERR_INVALID);
}

static void test_format(void **state)
{
	char g[PD_TRACKING_GROUPED_LEN + 1], back[PD_TRACKING_COMPACT_LEN + 1];
	pd_tracking_format("P7K3M9QXDE", g);
	assert_string_equal(g, "P-7K3M-9QXD-E");
	assert_int_equal(strlen(g), PD_TRACKING_GROUPED_LEN);
	assert_int_equal(pd_tracking_parse(g, back), PD_OK);
	assert_string_equal(back, "P7K3M9QXDE");
	pd_tracking_format("P7K3M9QXD", g);
	assert_string_equal(g, "");
	pd_tracking_format("P7K3M9QXDEE", g);
	assert_string_equal(g, "");
	pd_tracking_format(NULL, g);
	assert_string_equal(g, "");
	for (int i = 0; i < 100; i++) {
		char num[PD_TRACKING_COMPACT_LEN + 1];
		assert_int_equal(pd_tracking_new('K', num), PD_OK);
		pd_tracking_format(num, g);
		assert_true(g[1] == '-' && g[6] == '-' && g[11] == '-');
		assert_int_equal(pd_tracking_parse(g, back), PD_OK);
		assert_string_equal(back, num);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latin_square),
		cmocka_unit_test(test_totally_antisymmetric),
		cmocka_unit_test(test_known_values),
		cmocka_unit_test(test_kind_in_check),
		cmocka_unit_test(test_every_error_caught),
		cmocka_unit_test(test_new),
		cmocka_unit_test(test_parse_normalises),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, init_sodium, NULL);
}
