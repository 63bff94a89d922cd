/* Unit tests for the Cookie header parser and the Set-Cookie builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/cookie.h"

static int setup(void **state)
{
	*state = pd_arena_new();
	return 0;
}

static int teardown(void **state)
{
	pd_arena_free(*state);
	return 0;
}

static void test_parse_basic(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(pd_cookie_parse(*state, "sid=AbC123; lang=en;csrf=x-y_z", NULL, &l), PD_OK);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.items[0].key, "sid");
	assert_string_equal(l.items[0].val, "AbC123");
	assert_int_equal(l.items[0].val_len, 6);
	assert_string_equal(l.items[1].key, "lang");
	assert_string_equal(l.items[1].val, "en");
	assert_string_equal(l.items[2].key, "csrf");
	assert_string_equal(l.items[2].val, "x-y_z");
	assert_string_equal(pd_kv_get(&l, "lang"), "en");
	assert_null(pd_kv_get(&l, "LANG"));
}

static void test_parse_lenient(void **state)
{
	struct pd_kvlist l;
	/* Spaces and tabs trimmed, quotes removed, '=' inside values kept, junk pairs skipped. */
	assert_int_equal(pd_cookie_parse(*state,
					 " \ta = 1 ;;  b=\"quoted value\"; c=x=y==; flag; =anon; "
					 "d=; e=\"; f=\"\"; g=\xC3\xA9t\xC3\xA9; h=\xFF; i\xC3=1 ;",
					 NULL, &l),
			 PD_OK);
	assert_int_equal(l.n, 7);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[0].val, "1");
	assert_string_equal(l.items[1].key, "b");
	assert_string_equal(l.items[1].val, "quoted value");
	assert_int_equal(l.items[1].val_len, 12);
	assert_string_equal(l.items[2].key, "c");
	assert_string_equal(l.items[2].val, "x=y==");
	assert_string_equal(l.items[3].key, "d");
	assert_string_equal(l.items[3].val, "");
	assert_string_equal(l.items[4].key, "e");
	assert_string_equal(l.items[4].val, "\"");
	assert_string_equal(l.items[5].key, "f");
	assert_string_equal(l.items[5].val, "");
	assert_string_equal(l.items[6].key, "g");
	assert_string_equal(l.items[6].val, "\xC3\xA9t\xC3\xA9");
}

static void test_parse_duplicates(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(pd_cookie_parse(*state, "sid=specific; sid=general", NULL, &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(pd_kv_get(&l, "sid"), "specific");
	assert_int_equal(pd_kv_count(&l, "sid"), 2);
}

static void test_parse_empty(void **state)
{
	struct pd_kvlist l = {(void *)1, 5};
	assert_int_equal(pd_cookie_parse(*state, NULL, NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	assert_int_equal(pd_cookie_parse(*state, "", NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(pd_cookie_parse(*state, " ; ;; novalue ", NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
}

static void test_parse_controls(void **state)
{
	static const char *const bad[] = {
		"a=b\x01", "a=\rb", "a=b\n", "a\x7F=b", "a=1; b=\x1B[31m", "a=x\ty", "a\tb=1",
		"ok=1; a=\"x\ty\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pd_kvlist l = {(void *)1, 5};
		assert_int_equal(pd_cookie_parse(*state, bad[i], NULL, &l), PD_ERR_INVALID);
		assert_null(l.items);
		assert_int_equal(l.n, 0);
	}
	struct pd_kvlist l;
	assert_int_equal(pd_cookie_parse(*state, "\ta=b\t;\tc=d\t", NULL, &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].val, "d");
}

static void test_parse_limits(void **state)
{
	struct pd_kvlist l;
	struct pd_kv_limits lim = {.max_fields = 2, .max_size = 12};
	assert_int_equal(pd_cookie_parse(*state, "a=1; b=2; c", &lim, &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(pd_cookie_parse(*state, "a=1;b=2;c=3", &lim, &l), PD_ERR_TOO_LARGE);
	assert_int_equal(l.n, 0);
	assert_int_equal(pd_cookie_parse(*state, "a=1; b=2; cd", &lim, &l), PD_OK);
	assert_int_equal(pd_cookie_parse(*state, "a=1; b=2; cde", &lim, &l), PD_ERR_TOO_LARGE);
	lim = (struct pd_kv_limits){.max_size = SIZE_MAX};
	assert_int_equal(pd_cookie_parse(*state, "a=1", &lim, &l), PD_OK);
	assert_int_equal(l.n, 1);

	/* Defaults: 64 cookies, 8192 bytes. */
	char buf[9000];
	size_t k = 0;
	for (int i = 0; i < 65; i++) {
		buf[k++] = (char)('A' + i % 26);
		buf[k++] = (char)('a' + i / 26);
		buf[k++] = '=';
		buf[k++] = '1';
		buf[k++] = ';';
	}
	buf[k - 5] = '\0'; /* 64 cookies */
	assert_int_equal(pd_cookie_parse(*state, buf, NULL, &l), PD_OK);
	assert_int_equal(l.n, 64);
	buf[k - 5] = 'Z';
	buf[k] = '\0'; /* 65 cookies */
	assert_int_equal(pd_cookie_parse(*state, buf, NULL, &l), PD_ERR_TOO_LARGE);
	memset(buf, 'v', 8192);
	memcpy(buf, "big=", 4);
	buf[8192] = '\0';
	assert_int_equal(pd_cookie_parse(*state, buf, NULL, &l), PD_OK);
	assert_int_equal(l.items[0].val_len, 8188);
	buf[8192] = 'v';
	buf[8193] = '\0';
	assert_int_equal(pd_cookie_parse(*state, buf, NULL, &l), PD_ERR_TOO_LARGE);
}

static void test_format(void **state)
{
	struct pd_arena *a = *state;
	unsigned all = PD_COOKIE_HTTPONLY | PD_COOKIE_SECURE | PD_COOKIE_SAMESITE_LAX |
		       PD_COOKIE_PATH_ROOT;
	assert_string_equal(pd_cookie_format(a, "sid", "q1w2-e3_r4", -1, all),
			    "sid=q1w2-e3_r4; Path=/; Secure; HttpOnly; SameSite=Lax");
	assert_string_equal(pd_cookie_format(a, "lang", "en", 31536000,
					     PD_COOKIE_PATH_ROOT | PD_COOKIE_SAMESITE_LAX),
			    "lang=en; Max-Age=31536000; Path=/; SameSite=Lax");
	assert_string_equal(pd_cookie_format(a, "sid", "", 0, all),
			    "sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; "
			    "HttpOnly; SameSite=Lax");
	assert_string_equal(pd_cookie_format(a, "x", "1", 1, 0), "x=1; Max-Age=1");
	assert_string_equal(pd_cookie_format(a, "x", "1", -1, PD_COOKIE_SAMESITE_STRICT),
			    "x=1; SameSite=Strict");
	assert_string_equal(pd_cookie_format(a, "__Host-sid", "v", -1, all),
			    "__Host-sid=v; Path=/; Secure; HttpOnly; SameSite=Lax");
	assert_string_equal(pd_cookie_format(a, "__Secure-t", "v", -1, PD_COOKIE_SECURE),
			    "__Secure-t=v; Secure");
	assert_string_equal(pd_cookie_format(a, "n", "!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~", -1, 0),
			    "n=!#$%&'()*+-./09:<=>?@AZ[]^_`az{|}~");
}

static void test_format_refused(void **state)
{
	struct pd_arena *a = *state;
	assert_null(pd_cookie_format(a, "", "v", -1, 0));
	assert_null(pd_cookie_format(a, NULL, "v", -1, 0));
	assert_null(pd_cookie_format(a, "n", NULL, -1, 0));
	assert_null(pd_cookie_format(a, "a b", "v", -1, 0));
	assert_null(pd_cookie_format(a, "a=b", "v", -1, 0));
	assert_null(pd_cookie_format(a, "a;b", "v", -1, 0));
	assert_null(pd_cookie_format(a, "a(b", "v", -1, 0));
	assert_null(pd_cookie_format(a, "\xC3\xA9", "v", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a b", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a;b", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a,b", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a\"b", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a\\b", -1, 0));
	assert_null(pd_cookie_format(a, "n", "a\rb", -1, 0));
	assert_null(pd_cookie_format(a, "n", "\xC3\xA9", -1, 0));
	assert_null(pd_cookie_format(a, "n", "v", -2, 0));
	assert_null(pd_cookie_format(a, "n", "v", -1,
				     PD_COOKIE_SAMESITE_LAX | PD_COOKIE_SAMESITE_STRICT));
	assert_null(pd_cookie_format(a, "__Host-sid", "v", -1, PD_COOKIE_SECURE));
	assert_null(pd_cookie_format(a, "__Host-sid", "v", -1, PD_COOKIE_PATH_ROOT));
	assert_null(pd_cookie_format(a, "__Secure-sid", "v", -1, PD_COOKIE_PATH_ROOT));
}

static void test_round_trip(void **state)
{
	struct pd_arena *a = *state;
	const char *set = pd_cookie_format(a, "sid", "Zm9vYmFy", 3600, PD_COOKIE_HTTPONLY);
	/* A browser sends back only name=value, the part before the first ';'. */
	const char *semi = strchr(set, ';');
	assert_non_null(semi);
	char *sent = pd_arena_strndup(a, set, (size_t)(semi - set));
	struct pd_kvlist l;
	assert_int_equal(pd_cookie_parse(a, sent, NULL, &l), PD_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(pd_kv_get(&l, "sid"), "Zm9vYmFy");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_lenient, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
