/* Unit tests of consultation drafts: section ids folded from headings (stable, unique), the
 * Markdown split into sections with cmark's safe output (no raw HTML, no javascript: links),
 * limits, and stance names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/consult.h"

static void test_anchor(void **state)
{
	(void)state;
	char out[PD_CONSULT_ANCHOR_MAX];
	pd_consult_anchor("Pasal 3 Ayat (1)", out);
	assert_string_equal(out, "pasal-3-ayat-1");
	pd_consult_anchor("  --Ketentuan   Umum!! ", out);
	assert_string_equal(out, "ketentuan-umum");
	pd_consult_anchor("Bab Ⅱ — Retribusi", out);  /* non-ASCII folds to a separator */
	assert_string_equal(out, "bab-retribusi");
	pd_consult_anchor("…", out);
	assert_string_equal(out, "bagian");
	char longer[300];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	pd_consult_anchor(longer, out);
	assert_true(strlen(out) <= PD_CONSULT_ANCHOR_MAX - 4);
}

static void test_split(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	static const char md[] = "Pembuka *singkat*.\n\n"
	                         "# Pasal 1\n\nIsi satu.\n\n### Rincian\n\nTetap di pasal 1.\n\n"
	                         "<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n"
	                         "## Pasal 1\n\nJudul yang sama.\n\n"
	                         "# Pasal `2` Retribusi\n\n- a\n- b\n";
	struct pd_consult_section s[8];
	int n = 0;
	assert_int_equal(pd_consult_split(md, strlen(md), a, s, 8, &n), PD_OK);
	assert_int_equal(n, 4);
	assert_string_equal(s[0].anchor, "pembuka");
	assert_non_null(strstr(s[0].html, "<em>singkat</em>"));
	assert_string_equal(s[1].anchor, "pasal-1");
	assert_string_equal(s[1].title, "Pasal 1");
	assert_non_null(strstr(s[1].html, "<h3>Rincian</h3>"));  /* level 3 stays inside */
	assert_null(strstr(s[1].html, "<script"));
	assert_null(strstr(s[1].html, "javascript:"));
	assert_string_equal(s[2].anchor, "pasal-1-2");  /* a duplicate heading */
	assert_string_equal(s[3].anchor, "pasal-2-retribusi");
	assert_string_equal(s[3].title, "Pasal 2 Retribusi");
	assert_non_null(strstr(s[3].html, "<li>a</li>"));
	/* No preamble section when the draft starts with a heading. */
	assert_int_equal(pd_consult_split("# A\n\nx\n", 7, a, s, 8, &n), PD_OK);
	assert_int_equal(n, 1);
	assert_string_equal(s[0].anchor, "a");
	pd_arena_free(a);
}

static void test_split_refuses(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct pd_consult_section s[2];
	int n = 0;
	assert_int_equal(pd_consult_split("", 0, a, s, 2, &n), PD_ERR_INVALID);
	assert_int_equal(pd_consult_split("   \n\n", 5, a, s, 2, &n), PD_ERR_INVALID);
	assert_int_equal(pd_consult_split("\xff\xfe", 2, a, s, 2, &n), PD_ERR_INVALID);
	assert_int_equal(pd_consult_split("# a\n# b\n# c\n", 12, a, s, 2, &n), PD_ERR_INVALID);
	assert_int_equal(pd_consult_split("x", PD_CONSULT_MD_MAX + 1, a, s, 2, &n), PD_ERR_TOO_LARGE);
	pd_arena_free(a);
}

static void test_stance(void **state)
{
	(void)state;
	enum pd_consult_stance st;
	assert_int_equal(pd_consult_stance_parse("oppose", &st), PD_OK);
	assert_int_equal(st, PD_STANCE_OPPOSE);
	assert_string_equal(pd_consult_stance_name(PD_STANCE_SUPPORT), "support");
	assert_int_equal(pd_consult_stance_parse("Support", &st), PD_ERR_INVALID);
	assert_int_equal(pd_consult_stance_parse(NULL, &st), PD_ERR_INVALID);
	assert_null(pd_consult_stance_name(PD_STANCE__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_refuses),
		cmocka_unit_test(test_stance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
