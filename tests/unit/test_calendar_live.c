/* Unit tests of the published calendar (core/calendar_live) and of who may see and change the
 * national calendar (pd_calendar_access, pd_calendar_warning_year). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include "core/calendar_live.h"
#include "core/err.h"
#include "domain/calendar.h"

#define WIB 420
#define DAY_MS INT64_C(86400000)

/* A calendar whose last loaded year is `year`, so readers can tell generations apart. */
static struct pd_calendar *cal_for(int year)
{
	struct pd_calendar *c = pd_calendar_new(WIB);
	pd_calendar_mark_year(c, year);
	pd_calendar_add(c, pd_civil_day(year, 1, 1), PD_DAY_LIBUR);
	return c;
}

static void test_publish_keeps_held_calendar(void **state)
{
	(void)state;
	struct pd_calendar_live *live = pd_calendar_live_new(cal_for(2027), 1, WIB);
	assert_non_null(live);
	assert_int_equal(pd_calendar_live_tz(live), WIB);
	assert_int_equal(pd_calendar_live_generation(live), 1);
	const struct pd_calendar *old = pd_calendar_live_acquire(live);
	const struct pd_calendar *old2 = pd_calendar_live_acquire(live);
	assert_ptr_equal(old, old2);
	pd_calendar_live_publish(live, cal_for(2028), 2);
	assert_int_equal(pd_calendar_live_generation(live), 2);
	/* The readers of the old one still read it, unchanged. */
	assert_int_equal(pd_calendar_last_year(old), 2027);
	const struct pd_calendar *cur = pd_calendar_live_acquire(live);
	assert_int_equal(pd_calendar_last_year(cur), 2028);
	pd_calendar_live_release(live, old);
	assert_int_equal(pd_calendar_last_year(old2), 2027);
	pd_calendar_live_release(live, old2); /* the last reader frees it (ASan watches) */
	/* A calendar nobody holds is freed at once when replaced; the holder frees the rest. */
	pd_calendar_live_release(live, cur);
	pd_calendar_live_publish(live, cal_for(2029), 3);
	pd_calendar_live_publish(live, cal_for(2030), 4);
	cur = pd_calendar_live_acquire(live);
	assert_int_equal(pd_calendar_last_year(cur), 2030);
	pd_calendar_live_release(live, cur);
	pd_calendar_live_release(live, NULL);
	pd_calendar_live_free(live);
	pd_calendar_live_free(NULL);
}

struct race {
	struct pd_calendar_live *live;
	atomic_bool stop;
	atomic_long reads;
};

static void *reader(void *p)
{
	struct race *r = p;
	while (!atomic_load(&r->stop)) {
		const struct pd_calendar *c = pd_calendar_live_acquire(r->live);
		int y = pd_calendar_last_year(c);
		/* A whole calendar or nothing: its one holiday is there with its year. */
		assert_true(y >= 2000 && y < 2000 + 5000);
		assert_false(pd_calendar_is_working(c, pd_civil_day(y, 1, 1)));
		pd_calendar_live_release(r->live, c);
		atomic_fetch_add(&r->reads, 1);
	}
	return NULL;
}

static void test_concurrent_readers_and_publisher(void **state)
{
	(void)state;
	struct race r = {.live = pd_calendar_live_new(cal_for(2000), 0, WIB)};
	atomic_init(&r.stop, false);
	atomic_init(&r.reads, 0);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &r), 0);
	/* Publish until the readers have read many times meanwhile (however slow the machine). */
	int g = 1;
	while (g < 2000 || atomic_load(&r.reads) < 10000) {
		pd_calendar_live_publish(r.live, cal_for(2000 + g % 4000), g);
		g++;
	}
	atomic_store(&r.stop, true);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(pd_calendar_live_generation(r.live), g - 1);
	pd_calendar_live_free(r.live);
}

/* --- who may see and change it ------------------------------------------------------------ */

#define P_TOP "/top/"
#define P_REGENCY "/top/reg/"

static struct pd_actor staff(enum pd_role role, const char *path, struct pd_grant *g)
{
	*g = (struct pd_grant){role, path, path, path};
	return (struct pd_actor){.account_id = "a", .kind = PD_ACCOUNT_STAFF, .grants = g,
	                         .n_grants = 1};
}

static void test_access(void **state)
{
	(void)state;
	struct pd_grant g;
	struct pd_actor top = staff(PD_ROLE_ADMINISTRATOR, P_TOP, &g);
	assert_int_equal(pd_calendar_access(&top), PD_OK);
	struct pd_grant g2;
	struct pd_actor lower = staff(PD_ROLE_ADMINISTRATOR, P_REGENCY, &g2);
	assert_int_equal(pd_calendar_access(&lower), PD_ERR_FORBIDDEN);
	struct pd_grant g3;
	struct pd_actor officer = staff(PD_ROLE_OFFICER, P_TOP, &g3);
	assert_int_equal(pd_calendar_access(&officer), PD_ERR_NOT_FOUND);
	struct pd_grant g4;
	struct pd_actor auditor_low = staff(PD_ROLE_AUDITOR, P_REGENCY, &g4);
	assert_int_equal(pd_calendar_access(&auditor_low), PD_ERR_NOT_FOUND);
	/* Those who may see a top unit's configuration may see it (pd_authz, PD_ACT_CONFIGURE). */
	struct pd_grant g5;
	struct pd_actor supervisor_top = staff(PD_ROLE_SUPERVISOR, P_TOP, &g5);
	assert_int_equal(pd_calendar_access(&supervisor_top), PD_ERR_FORBIDDEN);
	struct pd_actor citizen = {.account_id = "c", .kind = PD_ACCOUNT_CITIZEN};
	assert_int_equal(pd_calendar_access(&citizen), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_calendar_access(NULL), PD_ERR_NOT_FOUND);
	struct pd_actor sys = {.account_id = "cli", .system = true};
	assert_int_equal(pd_calendar_access(&sys), PD_OK);
	/* A malformed path is no top unit. */
	struct pd_grant g6;
	struct pd_actor odd = staff(PD_ROLE_ADMINISTRATOR, "//", &g6);
	assert_int_equal(pd_calendar_access(&odd), PD_ERR_FORBIDDEN);
}

static int64_t wib_ms(int y, int m, int d, int hh)
{
	return (int64_t)pd_civil_day(y, m, d) * DAY_MS + (int64_t)(hh * 60 - WIB) * 60000;
}

static void test_warning_year(void **state)
{
	(void)state;
	struct pd_calendar *c = cal_for(2027);
	struct pd_grant g;
	struct pd_actor lower = staff(PD_ROLE_ADMINISTRATOR, P_REGENCY, &g);
	struct pd_grant g2;
	struct pd_actor officer = staff(PD_ROLE_OFFICER, P_TOP, &g2);
	assert_int_equal(pd_calendar_warning_year(&lower, c, wib_ms(2027, 9, 30, 23)), 0);
	/* 1 October 00:30 WIB is still 30 September in UTC: local time decides. */
	assert_int_equal(pd_calendar_warning_year(&lower, c, wib_ms(2027, 10, 1, 0)), 2028);
	assert_int_equal(pd_calendar_warning_year(&officer, c, wib_ms(2027, 10, 2, 10)), 0);
	assert_int_equal(pd_calendar_warning_year(NULL, c, wib_ms(2027, 10, 2, 10)), 0);
	pd_calendar_free(c);
	struct pd_calendar *none = pd_calendar_new(WIB);
	assert_int_equal(pd_calendar_warning_year(&lower, none, wib_ms(2029, 2, 3, 10)), 2029);
	pd_calendar_free(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_keeps_held_calendar),
		cmocka_unit_test(test_concurrent_readers_and_publisher),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_warning_year),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
