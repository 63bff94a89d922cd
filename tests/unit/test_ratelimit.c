/* Unit tests for the token-bucket rate limiter: budgets per client and class, Retry-After, and
 * IPv6 clients counted by their /64. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "http/ratelimit.h"

static void test_budget_then_retry_after(void **state)
{
	(void)state;
	struct pd_ratelimit *rl = pd_ratelimit_new();
	int ra = 0;
	assert_true(pd_ratelimit_take(rl, "192.0.2.1", 1, 2, &ra));
	assert_true(pd_ratelimit_take(rl, "192.0.2.1", 1, 2, &ra));
	assert_false(pd_ratelimit_take(rl, "192.0.2.1", 1, 2, &ra));
	assert_in_range(ra, 1, 31); /* 2 a minute: one token every 30 s */
	/* another client and another class have budgets of their own */
	assert_true(pd_ratelimit_take(rl, "192.0.2.2", 1, 2, &ra));
	assert_true(pd_ratelimit_take(rl, "192.0.2.1", 2, 2, &ra));
	/* 0 means unlimited */
	for (int i = 0; i < 100; i++)
		assert_true(pd_ratelimit_take(rl, "192.0.2.1", 1, 0, &ra));
	pd_ratelimit_free(rl);
}

static void test_ipv6_counts_by_slash_64(void **state)
{
	(void)state;
	struct pd_ratelimit *rl = pd_ratelimit_new();
	int ra = 0;
	/* A client rotating through the addresses of its own /64 used to get a fresh budget with
	 * every address. */
	assert_true(pd_ratelimit_take(rl, "2001:db8:1:2::1", 7, 3, &ra));
	assert_true(pd_ratelimit_take(rl, "2001:db8:1:2::2", 7, 3, &ra));
	assert_true(pd_ratelimit_take(rl, "2001:db8:1:2:abcd:ef01:2345:6789", 7, 3, &ra));
	char who[64];
	for (int i = 0; i < 50; i++) {
		snprintf(who, sizeof who, "2001:db8:1:2:%x::%x", i, i + 1);
		assert_false(pd_ratelimit_take(rl, who, 7, 3, &ra));
	}
	/* the next /64 is someone else */
	assert_true(pd_ratelimit_take(rl, "2001:db8:1:3::1", 7, 3, &ra));
	/* IPv4 (and IPv4-mapped) addresses still count one by one; other strings are opaque */
	assert_true(pd_ratelimit_take(rl, "::ffff:192.0.2.1", 7, 1, &ra));
	assert_true(pd_ratelimit_take(rl, "::ffff:192.0.2.2", 7, 1, &ra));
	assert_true(pd_ratelimit_take(rl, "key:abc", 7, 1, &ra));
	assert_true(pd_ratelimit_take(rl, "key:abd", 7, 1, &ra));
	pd_ratelimit_free(rl);
}

/* `serve --rate-limit-exempt loopback` (the benchmark): loopback clients only, and only then. */
static void test_loopback_exempt(void **state)
{
	(void)state;
	assert_true(pd_ratelimit_exempt("loopback", "127.0.0.1"));
	assert_true(pd_ratelimit_exempt("loopback", "127.0.0.42"));
	assert_true(pd_ratelimit_exempt("loopback", "::1"));
	assert_true(pd_ratelimit_exempt("loopback", "::ffff:127.0.0.1"));
	assert_false(pd_ratelimit_exempt("loopback", "192.0.2.1"));
	assert_false(pd_ratelimit_exempt("loopback", "::ffff:192.0.2.1"));
	assert_false(pd_ratelimit_exempt("loopback", "2001:db8::1"));
	assert_false(pd_ratelimit_exempt("loopback", "1127.0.0.1"));
	assert_false(pd_ratelimit_exempt("loopback", NULL));
	assert_false(pd_ratelimit_exempt("", "127.0.0.1"));
	assert_false(pd_ratelimit_exempt(NULL, "127.0.0.1"));
	assert_false(pd_ratelimit_exempt("all", "127.0.0.1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_budget_then_retry_after),
		cmocka_unit_test(test_ipv6_counts_by_slash_64),
		cmocka_unit_test(test_loopback_exempt),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
