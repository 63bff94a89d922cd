/* Unit tests of core/jcs: RFC 8785's own examples of member ordering (§3.2.3) and string
 * escaping (§3.2.2.2), literals, nesting, white space, and the numbers and inputs refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jcs.h"

/* Canonicalises text and compares with want (NULL: expect PD_ERR_INVALID). */
static void check(const char *text, const char *want)
{
	struct pd_buf b;
	pd_buf_init(&b, 1 << 16);
	int rc = pd_jcs_canonicalize(text, strlen(text), &b);
	if (want) {
		assert_int_equal(rc, PD_OK);
		assert_string_equal(pd_buf_cstr(&b), want);
	} else {
		assert_int_equal(rc, PD_ERR_INVALID);
	}
	pd_buf_free(&b);
}

static void test_rfc8785_sorting(void **state)
{
	/* RFC 8785 §3.2.3: sorted by UTF-16 code units, so U+1F600 (D83D DE00) comes before
	 * U+FB33 although its code point is larger. */
	check("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", "
	      "\"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\", "
	      "\"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
	      "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
	      "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
	      "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
	      "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
	      "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
	assert_true(pd_jcs_key_cmp("\xf0\x9f\x98\x80", 4, "\xef\xac\xb3", 3) < 0);
	assert_true(pd_jcs_key_cmp("a", 1, "ab", 2) < 0);
	assert_true(pd_jcs_key_cmp("ab", 2, "a", 1) > 0);
	assert_int_equal(pd_jcs_key_cmp("", 0, "", 0), 0);
}

static void test_rfc8785_strings(void **state)
{
	/* RFC 8785 §3.2.2.2: "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/" */
	check("\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"",
	      "\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"");
	/* The short escapes, other controls as \u00xx in lower case, DEL and U+2028 literal. */
	check("\"\\b\\f\\n\\r\\t\\u0001\\u001F\\u007f\\u2028\"",
	      "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xe2\x80\xa8\"");
	check("\"a\\u0000b\"", "\"a\\u0000b\"");
}

static void test_structure(void **state)
{
	check("  [ null , true,false ,\"x\" ]\n", "[null,true,false,\"x\"]");
	check("{\"b\": [1, {\"d\": true, \"c\": null}], \"a\": \"x\", \"aa\": {}}",
	      "{\"a\":\"x\",\"aa\":{},\"b\":[1,{\"c\":null,\"d\":true}]}");
	check("[]", "[]");
	check("{}", "{}");
	check("-0", "0");
	check("[9007199254740991, -9007199254740991, 0, 42]",
	      "[9007199254740991,-9007199254740991,0,42]");
}

static void test_refused(void **state)
{
	check("1.5", NULL);                 /* real numbers: refused, never guessed */
	check("1e3", NULL);
	check("9007199254740992", NULL);    /* beyond 2^53 - 1: a double would round it */
	check("{\"a\": 1, \"a\": 2}", NULL); /* duplicate member names (RFC 8785 §3.1) */
	check("{\"a\": ", NULL);
	/* Nesting beyond the limit. */
	char deep[2 * (PD_JCS_MAX_DEPTH + 2) + 1];
	int n = PD_JCS_MAX_DEPTH + 2;
	memset(deep, '[', (size_t)n);
	memset(deep + n, ']', (size_t)n);
	deep[2 * n] = '\0';
	check(deep, NULL);
	/* A string that is not UTF-8, built directly. */
	json_t *s = json_stringn_nocheck("\xff\xfe", 2);
	struct pd_buf b;
	pd_buf_init(&b, 64);
	assert_int_equal(pd_jcs_serialize(s, &b), PD_ERR_INVALID);
	json_decref(s);
	pd_buf_free(&b);
}

static void test_limit(void **state)
{
	struct pd_buf b;
	pd_buf_init(&b, 8);
	assert_int_equal(pd_jcs_canonicalize("\"0123456789\"", 12, &b), PD_ERR_TOO_LARGE);
	pd_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8785_sorting), cmocka_unit_test(test_rfc8785_strings),
		cmocka_unit_test(test_structure),       cmocka_unit_test(test_refused),
		cmocka_unit_test(test_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
