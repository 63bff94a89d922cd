/* Unit tests of UUIDv7: layout per RFC 9562, strict order within a millisecond, across threads,
 * when the clock goes back and when the counter rolls over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/uuid.h"

#define COUNTER_MAX ((UINT64_C(1) << 42) - 1)

static int init_sodium(void **state)
{
	return sodium_init() < 0 ? -1 : 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The 48-bit timestamp of a lower-case UUID text. */
static int64_t ts_of(const char *u)
{
	int64_t v = 0;
	for (int i = 0; i < 13; i++) {
		if (i == 8)
			continue;
		int h = hex_val(u[i]);
		assert_true(h >= 0);
		v = v << 4 | h;
	}
	return v;
}

static void check_layout(const char *u)
{
	assert_int_equal(strlen(u), PD_UUID_LEN);
	assert_true(pd_uuid_valid(u));
	for (int i = 0; i < PD_UUID_LEN; i++)
		assert_true(u[i] == '-' || hex_val(u[i]) >= 0);  /* lower case only */
	assert_int_equal(u[14], '7');                          /* version 7 */
	assert_non_null(strchr("89ab", u[19]));                /* variant 10 */
}

static void test_layout_and_time(void **state)
{
	for (int i = 0; i < 1000; i++) {
		char u[PD_UUID_LEN + 1];
		int64_t before = pd_clock_now_ms();
		pd_uuid7(u);
		int64_t after = pd_clock_now_ms();
		check_layout(u);
		int64_t ts = ts_of(u);
		assert_true(ts >= before && ts <= after);
	}
}

static void test_increasing(void **state)
{
	char prev[PD_UUID_LEN + 1], cur[PD_UUID_LEN + 1];
	pd_uuid7(prev);
	long same_ms = 0;
	for (int i = 0; i < 200000; i++) {
		pd_uuid7(cur);
		if (strcmp(prev, cur) >= 0)
			fail_msg("%s then %s", prev, cur);
		same_ms += ts_of(prev) == ts_of(cur);
		memcpy(prev, cur, sizeof cur);
	}
	assert_true(same_ms > 0);  /* the within-millisecond path did run */
}

#define N_THREADS 4
#define PER_THREAD 20000

struct worker {
	char (*ids)[PD_UUID_LEN + 1];
	bool ordered;
};

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	w->ordered = true;
	for (int i = 0; i < PER_THREAD; i++) {
		pd_uuid7(w->ids[i]);
		if (i > 0 && strcmp(w->ids[i - 1], w->ids[i]) >= 0)
			w->ordered = false;
	}
	return NULL;
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_threads(void **state)
{
	char (*ids)[PD_UUID_LEN + 1] = calloc(N_THREADS * PER_THREAD, sizeof *ids);
	assert_non_null(ids);
	pthread_t th[N_THREADS];
	struct worker w[N_THREADS];
	for (int t = 0; t < N_THREADS; t++) {
		w[t].ids = ids + t * PER_THREAD;
		assert_int_equal(pthread_create(&th[t], NULL, run_worker, &w[t]), 0);
	}
	for (int t = 0; t < N_THREADS; t++) {
		assert_int_equal(pthread_join(th[t], NULL), 0);
		assert_true(w[t].ordered);
	}
	qsort(ids, N_THREADS * PER_THREAD, sizeof *ids, cmp_ids);
	for (int i = 1; i < N_THREADS * PER_THREAD; i++)
		assert_true(strcmp(ids[i - 1], ids[i]) < 0);
	free(ids);
}

/* The layout bit by bit, with chosen clocks and random bytes. */
static void test_next_exact(void **state)
{
	struct pd_uuid7_state st = PD_UUID7_STATE_INIT;
	unsigned char zero[10] = { 0 }, ones[10];
	unsigned char tail[10] = { 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 };
	memset(ones, 0xff, sizeof ones);
	char u[PD_UUID_LEN + 1];

	pd_uuid7_next(&st, 1000, zero, u);
	assert_string_equal(u, "00000000-03e8-7000-8000-000000000000");
	/* Same millisecond: the counter (lowest bit at the end of byte 11) counts on. */
	pd_uuid7_next(&st, 1000, ones, u);
	assert_string_equal(u, "00000000-03e8-7000-8000-0001ffffffff");
	/* The clock goes back: keep 1000 ms and count on. */
	pd_uuid7_next(&st, 500, tail, u);
	assert_string_equal(u, "00000000-03e8-7000-8000-000212345678");
	assert_int_equal(st.last_ms, 1000);
	assert_int_equal(st.counter, 2);
	/* A new millisecond reseeds with 41 random bits: the counter's top bit stays clear. */
	pd_uuid7_next(&st, 2000, ones, u);
	assert_string_equal(u, "00000000-07d0-77ff-bfff-ffffffffffff");
	assert_int_equal(st.counter, (UINT64_C(1) << 41) - 1);

	/* Rollover: the timestamp runs one millisecond ahead. */
	char last[PD_UUID_LEN + 1];
	st.last_ms = 5000;
	st.counter = COUNTER_MAX - 1;
	pd_uuid7_next(&st, 4000, ones, last);
	assert_string_equal(last, "00000000-1388-7fff-bfff-ffffffffffff");
	pd_uuid7_next(&st, 5000, zero, u);
	assert_string_equal(u, "00000000-1389-7000-8000-000000000000");
	assert_true(strcmp(last, u) < 0);
	assert_int_equal(st.last_ms, 5001);

	/* The timestamp is clamped to 48 bits. */
	struct pd_uuid7_state s2 = PD_UUID7_STATE_INIT;
	pd_uuid7_next(&s2, -5, zero, u);
	assert_string_equal(u, "00000000-0000-7000-8000-000000000000");
	pd_uuid7_next(&s2, INT64_C(1) << 50, zero, u);
	assert_string_equal(u, "ffffffff-ffff-7000-8000-000000000000");
}

/* A random walk of clock readings, often repeating or going back: always strictly increasing. */
static void test_next_random_walk(void **state)
{
	struct pd_uuid7_state st = PD_UUID7_STATE_INIT;
	char prev[PD_UUID_LEN + 1], cur[PD_UUID_LEN + 1];
	unsigned char rnd[10];
	int64_t now = 1767225600000;  /* 2026-01-01 UTC */
	randombytes_buf(rnd, sizeof rnd);
	pd_uuid7_next(&st, now, rnd, prev);
	for (int i = 0; i < 100000; i++) {
		uint32_t r = randombytes_uniform(10);
		now += r < 5 ? 0 : r < 8 ? 1 : -(int64_t)randombytes_uniform(5000);
		randombytes_buf(rnd, sizeof rnd);
		pd_uuid7_next(&st, now, rnd, cur);
		check_layout(cur);
		if (strcmp(prev, cur) >= 0)
			fail_msg("%s then %s at %lld", prev, cur, (long long)now);
		memcpy(prev, cur, sizeof cur);
	}
}

static void test_valid(void **state)
{
	assert_true(pd_uuid_valid("01890a5d-ac96-774b-bcce-b302099a8057"));
	assert_true(pd_uuid_valid("01890A5D-AC96-774B-BCCE-B302099A8057"));
	assert_true(pd_uuid_valid("00000000-0000-0000-0000-000000000000"));
	assert_false(pd_uuid_valid(NULL));
	assert_false(pd_uuid_valid(""));
	assert_false(pd_uuid_valid("01890a5d-ac96-774b-bcce-b302099a805"));    /* 35 */
	assert_false(pd_uuid_valid("01890a5d-ac96-774b-bcce-b302099a80577"));  /* 37 */
	assert_false(pd_uuid_valid("01890a5dac96-774b-bcce-b302099a80577"));   /* no hyphen */
	assert_false(pd_uuid_valid("01890a5d-ac96-774b-bcceb-302099a8057"));   /* misplaced */
	assert_false(pd_uuid_valid("01890a5g-ac96-774b-bcce-b302099a8057"));
	assert_false(pd_uuid_valid("{1890a5d-ac96-774b-bcce-b302099a805}"));
	assert_false(pd_uuid_valid("01890a5d-ac96-774b-bcce-b302099a805 "));
	assert_false(pd_uuid_valid("01890a5d-ac96-774b-bcce\0b302099a8057"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_time),
		cmocka_unit_test(test_increasing),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_next_exact),
		cmocka_unit_test(test_next_random_walk),
		cmocka_unit_test(test_valid),
	};
	return cmocka_run_group_tests(tests, init_sodium, NULL);
}
