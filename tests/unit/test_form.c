/* Unit tests for the urlencoded form and query string parser and the URL encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/form.h"

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

static int parse(struct pd_arena *a, const char *s, struct pd_kvlist *l)
{
	return pd_form_parse(a, s, strlen(s), NULL, l);
}

static void test_basic(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(parse(*state, "nama=Budi+Santoso&kota=Bandung&kosong=&tanpa", &l), PD_OK);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.items[0].key, "nama");
	assert_string_equal(l.items[0].val, "Budi Santoso");
	assert_int_equal(l.items[0].val_len, 12);
	assert_string_equal(l.items[1].key, "kota");
	assert_string_equal(l.items[1].val, "Bandung");
	assert_string_equal(l.items[2].key, "kosong");
	assert_string_equal(l.items[2].val, "");
	assert_int_equal(l.items[2].val_len, 0);
	assert_string_equal(l.items[3].key, "tanpa");
	assert_string_equal(l.items[3].val, "");
}

static void test_percent(void **state)
{
	struct pd_kvlist l;
	/* "a b" key, value "x=y&z+%" then UTF-8 "é" and a line break. */
	assert_int_equal(parse(*state, "a%20b=x%3dy%26z%2B%25%C3%A9%0D%0A", &l), PD_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].key, "a b");
	assert_string_equal(l.items[0].val, "x=y&z+%\xC3\xA9\r\n");
	assert_int_equal(l.items[0].val_len, 11);
	/* Only the first '=' splits. */
	assert_int_equal(parse(*state, "k==v=", &l), PD_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].key, "k");
	assert_string_equal(l.items[0].val, "=v=");
	/* Raw UTF-8 passes through. */
	assert_int_equal(parse(*state, "desa=Sukamaju%20%E2%80%93%20Timur&x=\xE2\x9C\x93", &l), PD_OK);
	assert_string_equal(l.items[0].val, "Sukamaju \xE2\x80\x93 Timur");
	assert_string_equal(l.items[1].val, "\xE2\x9C\x93");
}

static void test_empty_fields(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(parse(*state, "", &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	assert_int_equal(parse(*state, "&&&", &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse(*state, "&a=1&&b=2&", &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[1].val, "2");
	assert_int_equal(parse(*state, "=v", &l), PD_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].key, "");
	assert_string_equal(l.items[0].val, "v");
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%4g", "a=%g4", "%zz=1", "a=1&b=%", "a=%00", "a%00=1",
		"a=%C3", "a=%C3%28", "a=%ED%A0%80", "a=%C0%AF", "a=\xFF", "a=%F8%88%80%80%80",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pd_kvlist l = {(void *)1, 99};
		assert_int_equal(parse(*state, bad[i], &l), PD_ERR_INVALID);
		assert_null(l.items);
		assert_int_equal(l.n, 0);
	}
	/* A raw NUL inside the given length is refused too. */
	struct pd_kvlist l;
	assert_int_equal(pd_form_parse(*state, "a=b\0c", 5, NULL, &l), PD_ERR_INVALID);
	/* But the length is respected: the bytes after it are not read. */
	assert_int_equal(pd_form_parse(*state, "a=b%", 3, NULL, &l), PD_OK);
	assert_string_equal(l.items[0].val, "b");
	assert_int_equal(pd_form_parse(*state, "a=%41", 4, NULL, &l), PD_ERR_INVALID);
	assert_int_equal(pd_form_parse(*state, "a=%41", 5, NULL, &l), PD_OK);
	assert_string_equal(l.items[0].val, "A");
}

static void test_limits(void **state)
{
	struct pd_kvlist l;
	struct pd_kv_limits lim = {.max_fields = 3, .max_size = 16};
	assert_int_equal(pd_form_parse(*state, "a=1&b=2&c=3", 11, &lim, &l), PD_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(pd_form_parse(*state, "a=1&b=2&c=3&d", 13, &lim, &l), PD_ERR_TOO_LARGE);
	assert_int_equal(l.n, 0);
	/* Empty fields do not count. */
	assert_int_equal(pd_form_parse(*state, "a&&&&b&&&&c", 11, &lim, &l), PD_OK);
	assert_int_equal(l.n, 3);
	assert_int_equal(pd_form_parse(*state, "abcdefghijklmnop", 16, &lim, &l), PD_OK);
	assert_int_equal(pd_form_parse(*state, "abcdefghijklmnopq", 17, &lim, &l), PD_ERR_TOO_LARGE);

	/* Default field limit: 1000 fields pass, 1001 do not. */
	char buf[1001 * 2 + 1];
	size_t k = 0;
	for (int i = 0; i < 1001; i++) {
		buf[k++] = 'x';
		buf[k++] = '&';
	}
	assert_int_equal(pd_form_parse(*state, buf, 2000, NULL, &l), PD_OK);
	assert_int_equal(l.n, 1000);
	assert_int_equal(pd_form_parse(*state, buf, 2002, NULL, &l), PD_ERR_TOO_LARGE);
}

static void test_query(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(pd_form_parse_query(*state, "?q=izin+usaha&page=2#hasil", NULL, &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].key, "q");
	assert_string_equal(l.items[0].val, "izin usaha");
	assert_string_equal(l.items[1].val, "2");
	assert_int_equal(pd_form_parse_query(*state, "lang=en", NULL, &l), PD_OK);
	assert_string_equal(pd_kv_get(&l, "lang"), "en");
	assert_int_equal(pd_form_parse_query(*state, NULL, NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(pd_form_parse_query(*state, "?", NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(pd_form_parse_query(*state, "#a=%", NULL, &l), PD_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(pd_form_parse_query(*state, "?a=%zz", NULL, &l), PD_ERR_INVALID);
}

static void test_get(void **state)
{
	struct pd_kvlist l;
	assert_int_equal(parse(*state, "tag=a&x=1&tag=b&Tag=C&tag=", &l), PD_OK);
	assert_string_equal(pd_kv_get(&l, "tag"), "a");
	assert_string_equal(pd_kv_get(&l, "Tag"), "C");
	assert_null(pd_kv_get(&l, "TAG"));
	assert_null(pd_kv_get(&l, "ta"));
	assert_int_equal(pd_kv_count(&l, "tag"), 3);
	assert_int_equal(pd_kv_count(&l, "nope"), 0);
	size_t n = 99;
	const char **all = pd_kv_get_all(*state, &l, "tag", &n);
	assert_int_equal(n, 3);
	assert_string_equal(all[0], "a");
	assert_string_equal(all[1], "b");
	assert_string_equal(all[2], "");
	assert_null(all[3]);
	all = pd_kv_get_all(*state, &l, "nope", &n);
	assert_int_equal(n, 0);
	assert_null(all[0]);
	struct pd_kvlist empty = {NULL, 0};
	assert_null(pd_kv_get(&empty, "x"));
	all = pd_kv_get_all(*state, &empty, "x", NULL);
	assert_null(all[0]);
}

static void test_url_encode(void **state)
{
	assert_string_equal(pd_url_encode(*state, "AZaz09-._~"), "AZaz09-._~");
	assert_string_equal(pd_url_encode(*state, "a b&c=d/e?f#g+h%"),
			    "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25");
	assert_string_equal(pd_url_encode(*state, "Dinas Kependudukan \xC3\xA9"),
			    "Dinas%20Kependudukan%20%C3%A9");
	assert_string_equal(pd_url_encode(*state, "\x01\x7F\xFF"), "%01%7F%FF");
	assert_string_equal(pd_url_encode(*state, ""), "");
	assert_null(pd_url_encode(*state, NULL));
}

static void test_round_trip(void **state)
{
	/* Every byte value except NUL, encoded and parsed back, where it forms valid UTF-8. */
	char raw[128];
	for (int i = 1; i < 128; i++)
		raw[i - 1] = (char)i;
	raw[127] = '\0';
	char *enc = pd_url_encode(*state, raw);
	char *body = pd_arena_printf(*state, "k=%s&%s=v", enc, enc);
	struct pd_kvlist l;
	assert_int_equal(parse(*state, body, &l), PD_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].val, raw);
	assert_int_equal(l.items[0].val_len, 127);
	assert_string_equal(l.items[1].key, raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_percent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query, setup, teardown),
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_url_encode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
