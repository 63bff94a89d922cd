/* Unit tests of pd_authz: grants valid for their unit's subtree, owners seeing only their own
 * records, 404 for what may not be seen and 403 for what may be seen but not done. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"
#include "domain/authz.h"

/* A small tree: regency R with agency X (child C) and a sibling agency Y. */
#define P_REGENCY "/r/"
#define P_X "/r/x/"
#define P_X_CHILD "/r/x/c/"
#define P_Y "/r/y/"
/* A path that merely shares a prefix of characters with X, not a subtree of it. */
#define P_XX "/r/xx/"

static struct pd_actor staff(const char *id, enum pd_role role, const char *path,
                             struct pd_grant *g)
{
	g->role = role;
	g->unit_id = path;
	g->unit_path = path;
	g->unit_slug = path;
	struct pd_actor a = {.account_id = id, .kind = PD_ACCOUNT_STAFF, .email_verified = true,
	                     .grants = g, .n_grants = 1};
	return a;
}

static struct pd_actor citizen(const char *id, bool verified)
{
	struct pd_actor a = {.account_id = id, .kind = PD_ACCOUNT_CITIZEN,
	                     .email_verified = verified};
	return a;
}

static void test_officer_subtree(void **state)
{
	(void)state;
	struct pd_grant g;
	struct pd_actor off = staff("o", PD_ROLE_OFFICER, P_X, &g);
	struct pd_authz_object in_x = {"citizen-a", P_X};
	struct pd_authz_object in_child = {"citizen-a", P_X_CHILD};
	struct pd_authz_object in_y = {"citizen-a", P_Y};
	struct pd_authz_object in_xx = {"citizen-a", P_XX};
	struct pd_authz_object in_parent = {"citizen-a", P_REGENCY};
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_x), PD_OK);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_child), PD_OK);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_VIEW, &in_child), PD_OK);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_y), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_VIEW, &in_y), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_xx), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_parent), PD_ERR_NOT_FOUND);
	/* An officer sees the case but may not assign it: that is the supervisor's. */
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_ASSIGN, &in_x), PD_ERR_FORBIDDEN);
	/* Nor configure the unit, which it may not even see. */
	struct pd_authz_object unit_x = {NULL, P_X};
	assert_int_equal(pd_authz(&off, PD_ACT_CONFIGURE, &unit_x), PD_ERR_NOT_FOUND);
}

static void test_supervisor_of_parent(void **state)
{
	(void)state;
	struct pd_grant g;
	struct pd_actor sup = staff("s", PD_ROLE_SUPERVISOR, P_REGENCY, &g);
	struct pd_authz_object in_child = {NULL, P_X_CHILD};
	struct pd_authz_object in_y = {NULL, P_Y};
	assert_int_equal(pd_authz(&sup, PD_ACT_CASE_ASSIGN, &in_child), PD_OK);
	assert_int_equal(pd_authz(&sup, PD_ACT_CASE_ASSIGN, &in_y), PD_OK);
	assert_int_equal(pd_authz(&sup, PD_ACT_CONFIGURE, &in_y), PD_ERR_FORBIDDEN);
	struct pd_authz_object elsewhere = {NULL, "/other/"};
	assert_int_equal(pd_authz(&sup, PD_ACT_CASE_ASSIGN, &elsewhere), PD_ERR_NOT_FOUND);
}

static void test_auditor_sees_but_does_not_act(void **state)
{
	(void)state;
	struct pd_grant g;
	struct pd_actor aud = staff("a", PD_ROLE_AUDITOR, P_REGENCY, &g);
	struct pd_authz_object unit_x = {NULL, P_X};
	assert_int_equal(pd_authz(&aud, PD_ACT_AUDIT_READ, &unit_x), PD_OK);
	assert_int_equal(pd_authz(&aud, PD_ACT_CONFIGURE, &unit_x), PD_ERR_FORBIDDEN);
	assert_int_equal(pd_authz(&aud, PD_ACT_USERS_MANAGE, &unit_x), PD_ERR_FORBIDDEN);
	/* No personal data for auditors: a citizen's case stays invisible. */
	struct pd_authz_object case_x = {"citizen-a", P_X};
	assert_int_equal(pd_authz(&aud, PD_ACT_CASE_VIEW, &case_x), PD_ERR_NOT_FOUND);
}

static void test_administrator(void **state)
{
	(void)state;
	struct pd_grant g;
	struct pd_actor adm = staff("m", PD_ROLE_ADMINISTRATOR, P_X, &g);
	struct pd_authz_object child = {NULL, P_X_CHILD}, sibling = {NULL, P_Y};
	assert_int_equal(pd_authz(&adm, PD_ACT_USERS_MANAGE, &child), PD_OK);
	assert_int_equal(pd_authz(&adm, PD_ACT_CONFIGURE, &child), PD_OK);
	assert_int_equal(pd_authz(&adm, PD_ACT_USERS_MANAGE, &sibling), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&adm, PD_ACT_AUDIT_READ, &child), PD_ERR_NOT_FOUND);
}

static void test_citizens_own_records_only(void **state)
{
	(void)state;
	struct pd_actor a = citizen("citizen-a", true), b = citizen("citizen-b", true);
	struct pd_authz_object a_case = {"citizen-a", P_X};
	struct pd_authz_object a_account = {"citizen-a", NULL};
	assert_int_equal(pd_authz(&a, PD_ACT_CASE_VIEW, &a_case), PD_OK);
	assert_int_equal(pd_authz(&b, PD_ACT_CASE_VIEW, &a_case), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&a, PD_ACT_OWN_EDIT, &a_account), PD_OK);
	assert_int_equal(pd_authz(&b, PD_ACT_OWN_VIEW, &a_account), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&b, PD_ACT_OWN_EDIT, &a_account), PD_ERR_NOT_FOUND);
	/* The owner sees their case but does not work it. */
	assert_int_equal(pd_authz(&a, PD_ACT_CASE_WORK, &a_case), PD_ERR_FORBIDDEN);
	/* A staff member's own account pages are theirs alone too. */
	struct pd_grant g;
	struct pd_actor off = staff("o", PD_ROLE_OFFICER, P_REGENCY, &g);
	assert_int_equal(pd_authz(&off, PD_ACT_OWN_VIEW, &a_account), PD_ERR_NOT_FOUND);
}

static void test_filing_needs_verified_email(void **state)
{
	(void)state;
	struct pd_actor v = citizen("v", true), u = citizen("u", false);
	struct pd_authz_object own_v = {"v", NULL}, own_u = {"u", NULL};
	assert_int_equal(pd_authz(&v, PD_ACT_FILE, &own_v), PD_OK);
	assert_int_equal(pd_authz(&u, PD_ACT_FILE, &own_u), PD_ERR_FORBIDDEN);
	assert_int_equal(pd_authz(&u, PD_ACT_FILE, &own_v), PD_ERR_NOT_FOUND);
}

static void test_anonymous_and_system(void **state)
{
	(void)state;
	struct pd_authz_object o = {"citizen-a", P_X};
	assert_int_equal(pd_authz(NULL, PD_ACT_CASE_VIEW, &o), PD_ERR_NOT_FOUND);
	struct pd_actor anon = {0};
	assert_int_equal(pd_authz(&anon, PD_ACT_OWN_VIEW, &o), PD_ERR_NOT_FOUND);
	struct pd_actor sys = {.account_id = "cli", .system = true};
	assert_int_equal(pd_authz(&sys, PD_ACT_USERS_MANAGE, &o), PD_OK);
	assert_int_equal(pd_authz(&sys, PD_ACT__MAX, &o), PD_ERR_FORBIDDEN);
}

static void test_several_grants(void **state)
{
	(void)state;
	struct pd_grant g[2] = {
		{PD_ROLE_OFFICER, P_Y, P_Y, "y"},
		{PD_ROLE_PPID, P_X, P_X, "x"},
	};
	struct pd_actor a = {.account_id = "p", .kind = PD_ACCOUNT_STAFF, .grants = g, .n_grants = 2};
	struct pd_authz_object req_x = {"citizen-a", P_X_CHILD}, req_y = {"citizen-a", P_Y};
	assert_int_equal(pd_authz(&a, PD_ACT_INFOREQ_DECIDE, &req_x), PD_OK);
	assert_int_equal(pd_authz(&a, PD_ACT_OBJECTION_DECIDE, &req_x), PD_ERR_FORBIDDEN);
	assert_int_equal(pd_authz(&a, PD_ACT_INFOREQ_DECIDE, &req_y), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&a, PD_ACT_CASE_WORK, &req_y), PD_OK);
	assert_int_equal(pd_authz(&a, PD_ACT_CASE_WORK, &req_x), PD_ERR_NOT_FOUND);
	assert_true(pd_authz_has_role(&a, PD_ROLE_PPID, P_X_CHILD));
	assert_false(pd_authz_has_role(&a, PD_ROLE_PPID, P_Y));
	assert_true(pd_authz_has_role(&a, PD_ROLE_OFFICER, NULL));
}

/* Regression: an actor with an empty account id was "the owner" of any object whose owner id
 * was empty too, and a grant path without its closing '/' covered siblings sharing a prefix. */
static void test_empty_ids_and_unterminated_paths(void **state)
{
	(void)state;
	struct pd_actor nobody = {.account_id = "", .kind = PD_ACCOUNT_CITIZEN, .email_verified = true};
	struct pd_authz_object unowned = {"", NULL}, owned = {"citizen-a", P_X};
	assert_int_equal(pd_authz(&nobody, PD_ACT_OWN_VIEW, &unowned), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&nobody, PD_ACT_OWN_EDIT, &unowned), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&nobody, PD_ACT_CASE_VIEW, &owned), PD_ERR_NOT_FOUND);
	struct pd_actor someone = citizen("citizen-b", true);
	assert_int_equal(pd_authz(&someone, PD_ACT_OWN_VIEW, &unowned), PD_ERR_NOT_FOUND);
	struct pd_grant g;
	struct pd_actor off = staff("o", PD_ROLE_OFFICER, "/r/x", &g);
	struct pd_authz_object in_xx = {NULL, P_XX}, in_x = {NULL, P_X};
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_xx), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_authz(&off, PD_ACT_CASE_WORK, &in_x), PD_ERR_NOT_FOUND);
	assert_false(pd_authz_has_role(&off, PD_ROLE_OFFICER, P_XX));
}

static void test_role_names(void **state)
{
	(void)state;
	for (int i = 0; i < PD_ROLE__MAX; i++) {
		enum pd_role r;
		assert_non_null(pd_role_name((enum pd_role)i));
		assert_int_equal(pd_role_parse(pd_role_name((enum pd_role)i), &r), PD_OK);
		assert_int_equal((int)r, i);
	}
	enum pd_role r;
	assert_int_equal(pd_role_parse("root", &r), PD_ERR_INVALID);
	assert_int_equal(pd_role_parse(NULL, &r), PD_ERR_INVALID);
	assert_null(pd_role_name(PD_ROLE__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_officer_subtree),
		cmocka_unit_test(test_supervisor_of_parent),
		cmocka_unit_test(test_auditor_sees_but_does_not_act),
		cmocka_unit_test(test_administrator),
		cmocka_unit_test(test_citizens_own_records_only),
		cmocka_unit_test(test_filing_needs_verified_email),
		cmocka_unit_test(test_anonymous_and_system),
		cmocka_unit_test(test_several_grants),
		cmocka_unit_test(test_empty_ids_and_unterminated_paths),
		cmocka_unit_test(test_role_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
