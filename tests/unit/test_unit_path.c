/* Tests of the materialised-path rule that names a unit at the top of the tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "domain/unit.h"

static void test_top_paths(void **state)
{
	(void)state;
	assert_true(pd_unit_path_is_top("/0190a1b2/"));
	assert_false(pd_unit_path_is_top("/0190a1b2/0190a1b3/"));
	assert_false(pd_unit_path_is_top("/"));
	assert_false(pd_unit_path_is_top("//"));
	assert_false(pd_unit_path_is_top("/0190a1b2"));
	assert_false(pd_unit_path_is_top("0190a1b2/"));
	assert_false(pd_unit_path_is_top(""));
	assert_false(pd_unit_path_is_top(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_top_paths)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
