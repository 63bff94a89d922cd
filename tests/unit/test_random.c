/* Unit tests for the per-thread random pool (core/random.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/random.h"

static int setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* Draws never repeat, across pool refills and for sizes that bypass the pool. */
static void test_draws_differ(void **state)
{
	(void)state;
	enum { N = 400 };
	static unsigned char seen[N][16];
	for (int i = 0; i < N; i++) {
		pd_random_buf(seen[i], sizeof seen[i]); /* 400 × 16 bytes: several refills */
		for (int j = 0; j < i; j++)
			assert_memory_not_equal(seen[i], seen[j], sizeof seen[i]);
	}
	unsigned char big1[1024], big2[1024];
	pd_random_buf(big1, sizeof big1);
	pd_random_buf(big2, sizeof big2);
	assert_memory_not_equal(big1, big2, sizeof big1);
	/* Not all zero: the bytes come from the generator, not from a wiped pool. */
	unsigned char zero[16] = {0}, one[16];
	for (int i = 0; i < 100; i++) {
		pd_random_buf(one, sizeof one);
		assert_memory_not_equal(one, zero, sizeof one);
	}
}

/* A forked child does not hand out the bytes its parent will. */
static void test_fork_child_has_its_own_pool(void **state)
{
	(void)state;
	unsigned char warm[8], parent[16], child[16];
	pd_random_buf(warm, sizeof warm); /* the pool now holds bytes both would share */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pd_random_buf(child, sizeof child);
		_exit(write(fds[1], child, sizeof child) == sizeof child ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], child, sizeof child), (ssize_t)sizeof child);
	close(fds[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pd_random_buf(parent, sizeof parent);
	assert_memory_not_equal(parent, child, sizeof parent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draws_differ),
		cmocka_unit_test(test_fork_child_has_its_own_pool),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
