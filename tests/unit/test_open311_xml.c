/* Unit tests of the Open311 helpers: one jansson value written as the specification's XML
 * (singular item names, escaping, forbidden control characters dropped, null as an empty
 * element) and W3C date-times parsed (zones, a bare date, a '+' turned into a space,
 * impossible dates refused) and written in the installation's zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "api/open311_internal.h"
#include "core/arena.h"

static void xml_of_requests(void **state)
{
	(void)state;
	json_t *v = json_pack("[{s:s,s:n,s:b,s:f,s:s}]", "service_request_id", "A-1234-5678-9",
	                      "status_notes", "media", 1, "lat", -6.914744, "description",
	                      "a < b & \"c\"\x01 d");
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	pd_o311_xml(&b, "service_requests", v);
	assert_string_equal(pd_buf_cstr(&b),
	                    "<service_requests><request><service_request_id>A-1234-5678-9"
	                    "</service_request_id><status_notes/><media>true</media>"
	                    "<lat>-6.914744</lat><description>a &lt; b &amp; &quot;c&quot; d"
	                    "</description></request></service_requests>");
	pd_buf_free(&b);
	json_decref(v);
}

static void xml_of_definition(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:s,s:[{s:s,s:[s]}]}", "service_code", "sampah", "attributes", "code",
	                      "village", "values", "x");
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	pd_o311_xml(&b, "service_definition", v);
	assert_string_equal(pd_buf_cstr(&b),
	                    "<service_definition><service_code>sampah</service_code><attributes>"
	                    "<attribute><code>village</code><values><value>x</value></values>"
	                    "</attribute></attributes></service_definition>");
	pd_buf_free(&b);
	json_decref(v);
}

/* Non-characters U+FFFE and U+FFFF (valid UTF-8, forbidden in XML 1.0) are dropped like C0
 * controls; other characters around them (é, U+FFFD, U+10000) are kept. */
static void xml_forbidden_characters(void **state)
{
	(void)state;
	json_t *v = json_pack("{s:s}", "description",
	                      "a\xEF\xBF\xBF" "b\xEF\xBF\xBE" "c\x1F" "\xC3\xA9\xEF\xBF\xBD\xF0\x90\x80\x80\t.");
	assert_non_null(v);
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	assert_int_equal(pd_o311_xml(&b, "request", v), 0);
	assert_string_equal(pd_buf_cstr(&b), "<request><description>abc\xC3\xA9\xEF\xBF\xBD"
	                                     "\xF0\x90\x80\x80\t.</description></request>");
	pd_buf_free(&b);
	json_decref(v);
}

/* A document beyond the buffer's maximum is an error, never a silently cut document. */
static void xml_too_large(void **state)
{
	(void)state;
	json_t *v = json_pack("[{s:s},{s:s}]", "description", "&&&&&&&&&&&&&&&&&&&&", "description",
	                      "&&&&&&&&&&&&&&&&&&&&");
	struct pd_buf b;
	pd_buf_init(&b, 150);
	assert_int_not_equal(pd_o311_xml(&b, "service_requests", v), 0);
	pd_buf_free(&b);
	pd_buf_init(&b, 1 << 20);
	assert_int_equal(pd_o311_xml(&b, "service_requests", v), 0);
	pd_buf_free(&b);
	json_decref(v);
}

static void times(void **state)
{
	(void)state;
	struct pd_req r;
	memset(&r, 0, sizeof r);
	r.arena = pd_arena_new();
	int64_t ms;
	const int64_t t0 = INT64_C(1764288000000); /* 2025-11-28T00:00:00Z */
	assert_true(pd_o311_parse_time(&r, "2025-11-28T00:00:00Z", false, &ms));
	assert_int_equal(ms, t0);
	assert_true(pd_o311_parse_time(&r, "2025-11-28T07:00:00+07:00", false, &ms));
	assert_int_equal(ms, t0);
	assert_true(pd_o311_parse_time(&r, "2025-11-28T07:00:00 0700", false, &ms));
	assert_int_equal(ms, t0);
	assert_true(pd_o311_parse_time(&r, "2025-11-28T00:00:00.250Z", false, &ms));
	assert_int_equal(ms, t0 + 250);
	assert_true(pd_o311_parse_time(&r, "2025-11-28T07:00", false, &ms)); /* no zone: WIB */
	assert_int_equal(ms, t0);
	assert_true(pd_o311_parse_time(&r, "2025-11-28", false, &ms));
	assert_int_equal(ms, t0 - 7 * 3600000);
	assert_true(pd_o311_parse_time(&r, "2025-11-28", true, &ms));
	assert_int_equal(ms, t0 - 7 * 3600000 + 86400000 - 1);
	const char *bad[] = {"", "2025-11-3", "2025-02-30", "2025-13-01", "2025-11-28T25:00Z",
	                     "2025-11-28T07:00:00+7", "2025-11-28Tx", "2025-11-28T07:00:00Zjunk",
	                     "2025-11-28T07:00:00.Z", "kemarin", "2025-02-29", "2025-+1-01",
	                     "2025-11-+1", "2025-11-28T+1:00Z", "2025-11-28T07:-1Z",
	                     "2025-11-28T07:00:+1Z", "2025-11-28T07:00:00+-1:00", "2025-11-28T07:00:",
	                     "2025-11-28T07:00:00+07:", "2025-11-28T07:00:00+", "+025-11-28",
	                     "99999999999999999999-01-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(pd_o311_parse_time(&r, bad[i], false, &ms));
	assert_string_equal(pd_o311_time(&r, t0), "2025-11-28T07:00:00+07:00");
	/* Leap days: 2024-02-29 exists (and is the day before 2024-03-01), 2100-02-29 does not. */
	int64_t leap, march;
	assert_true(pd_o311_parse_time(&r, "2024-02-29T00:00:00Z", false, &leap));
	assert_true(pd_o311_parse_time(&r, "2024-03-01T00:00:00Z", false, &march));
	assert_int_equal(march - leap, 86400000);
	assert_string_equal(pd_o311_time(&r, leap), "2024-02-29T07:00:00+07:00");
	assert_false(pd_o311_parse_time(&r, "2100-02-29", false, &ms));
	assert_true(pd_o311_parse_time(&r, "2000-02-29", false, &ms));
	/* A negative zone and the end of a bare date across a year. */
	assert_true(pd_o311_parse_time(&r, "2025-12-31T20:00:00-05:00", false, &ms));
	assert_int_equal(ms, INT64_C(1767229200000)); /* 2026-01-01T01:00:00Z */
	assert_string_equal(pd_o311_time(&r, ms), "2026-01-01T08:00:00+07:00");
	pd_arena_free(r.arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xml_of_requests),
		cmocka_unit_test(xml_of_definition),
		cmocka_unit_test(xml_forbidden_characters),
		cmocka_unit_test(xml_too_large),
		cmocka_unit_test(times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
