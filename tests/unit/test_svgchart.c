/* Unit tests of the inline SVG charts (core/svgchart.h): labelling (title, desc, role, ids),
 * escaping of every text, the empty chart, zero and negative values, number formatting, and
 * the refusals of bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/svgchart.h"

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_format(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(pd_svg_format(125, 1, b, sizeof b), "12.5");
	assert_string_equal(pd_svg_format(-125, 1, b, sizeof b), "-12.5");
	assert_string_equal(pd_svg_format(-5, 2, b, sizeof b), "-0.05");
	assert_string_equal(pd_svg_format(0, 0, b, sizeof b), "0");
	assert_string_equal(pd_svg_format(7, 3, b, sizeof b), "0.007");
	assert_string_equal(pd_svg_format(INT64_MIN, 0, b, sizeof b), "-9223372036854775808");
}

static void test_bar_escaping(void **state)
{
	(void)state;
	const char *labels[] = {"<script>alert('x')</script>", "A & B \"quoted\""};
	const int64_t v[] = {10, 20};
	struct pd_svg_series s = {"Jumlah <b>", v};
	struct pd_svgchart c = {"c-esc", "Judul <i>&", "Desc \"'\"", "kosong", labels, 2, &s, 1, 0,
	                        " <%>"};
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_OK);
	const char *t = pd_buf_cstr(&b);
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, "<i>"));
	assert_null(strstr(t, "<%>"));
	assert_non_null(strstr(t, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
	assert_non_null(strstr(t, "A &amp; B &quot;quoted&quot;"));
	assert_non_null(strstr(t, "<title id=\"c-esc-t\">Judul &lt;i&gt;&amp;</title>"));
	assert_non_null(strstr(t, "<desc id=\"c-esc-d\">Desc &quot;&#39;&quot;</desc>"));
	assert_non_null(strstr(t, "role=\"img\" aria-labelledby=\"c-esc-t c-esc-d\""));
	assert_non_null(strstr(t, ">20 &lt;%&gt;</text>"));
	assert_int_equal(count(t, "<rect"), 2);
	assert_int_equal(count(t, "<svg"), 1);
	assert_int_equal(count(t, "</svg>"), 1);
	pd_buf_free(&b);
}

static void test_empty(void **state)
{
	(void)state;
	struct pd_svgchart c = {"c-empty", "T", "D", "Belum ada data", NULL, 0, NULL, 0, 0, NULL};
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&b), ">Belum ada data</text></svg>"));
	assert_null(strstr(pd_buf_cstr(&b), "<rect"));
	pd_buf_reset(&b);
	assert_int_equal(pd_svgchart_line(&b, &c), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&b), ">Belum ada data</text></svg>"));
	assert_null(strstr(pd_buf_cstr(&b), "<polyline"));
	pd_buf_free(&b);
}

static void test_zero_and_negative(void **state)
{
	(void)state;
	const char *labels[] = {"nol", "minus", "plus"};
	const int64_t zeros[] = {0, 0, 0};
	struct pd_svg_series s = {"x", zeros};
	struct pd_svgchart c = {"c-z", "T", "D", "", labels, 3, &s, 1, 1, NULL};
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	/* all zero: three bars of width 0, nothing negative, no NaN */
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_OK);
	assert_int_equal(count(pd_buf_cstr(&b), "width=\"0\""), 3);
	assert_null(strstr(pd_buf_cstr(&b), "nan"));
	assert_null(strstr(pd_buf_cstr(&b), "width=\"-"));
	assert_int_equal(count(pd_buf_cstr(&b), ">0.0</text>"), 3);
	pd_buf_reset(&b);
	/* a negative value: a red bar left of the zero line, no negative widths */
	const int64_t mixed[] = {0, -50, 150};
	s.values = mixed;
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_OK);
	const char *t = pd_buf_cstr(&b);
	assert_null(strstr(t, "width=\"-"));
	assert_non_null(strstr(t, "fill=\"#b3261e\""));
	assert_non_null(strstr(t, ">-5.0</text>"));
	assert_non_null(strstr(t, ">15.0</text>"));
	assert_non_null(strstr(t, "<line"));
	/* the zero line sits a quarter of the way along the bar area (-5 .. 15) */
	assert_non_null(strstr(t, "<line x1=\"126\""));
	pd_buf_reset(&b);
	/* line chart of zeros and of negatives */
	s.values = zeros;
	assert_int_equal(pd_svgchart_line(&b, &c), PD_OK);
	assert_int_equal(count(pd_buf_cstr(&b), "<circle"), 3);
	assert_null(strstr(pd_buf_cstr(&b), "nan"));
	pd_buf_reset(&b);
	const int64_t second[] = {-10, -20, 5};
	struct pd_svg_series two[2] = {{"satu", mixed}, {"dua & <tiga>", second}};
	c.series = two;
	c.n_series = 2;
	assert_int_equal(pd_svgchart_line(&b, &c), PD_OK);
	t = pd_buf_cstr(&b);
	assert_int_equal(count(t, "<polyline"), 2);
	assert_int_equal(count(t, "<circle"), 6);
	assert_non_null(strstr(t, ">dua &amp; &lt;tiga&gt;</text>"));
	assert_non_null(strstr(t, ">-5.0</text>"));  /* the bottom of the y axis */
	assert_non_null(strstr(t, ">15.0</text>"));  /* its top */
	pd_buf_free(&b);
}

static void test_single_point_and_many_labels(void **state)
{
	(void)state;
	const char *one[] = {"Jan"};
	const int64_t v1[] = {3};
	struct pd_svg_series s = {"x", v1};
	struct pd_svgchart c = {"c-one", "T", "D", "", one, 1, &s, 1, 0, NULL};
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	assert_int_equal(pd_svgchart_line(&b, &c), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&b), ">Jan</text>"));
	pd_buf_reset(&b);
	const char *labels[24];
	int64_t v[24];
	char names[24][8];
	for (int i = 0; i < 24; i++) {
		names[i][0] = 'm';
		names[i][1] = (char)('a' + i);
		names[i][2] = '\0';
		labels[i] = names[i];
		v[i] = i;
	}
	s.values = v;
	c.labels = labels;
	c.n = 24;
	assert_int_equal(pd_svgchart_line(&b, &c), PD_OK);
	const char *t = pd_buf_cstr(&b);
	assert_non_null(strstr(t, ">ma</text>"));  /* the first */
	assert_non_null(strstr(t, ">mx</text>"));  /* and the last label are always there */
	assert_null(strstr(t, ">mb</text>"));      /* the ones between are thinned out */
	pd_buf_free(&b);
}

static void test_refusals(void **state)
{
	(void)state;
	const char *labels[] = {"a"};
	const int64_t v[] = {1};
	struct pd_svg_series s = {"x", v};
	struct pd_buf b;
	pd_buf_init(&b, 1 << 20);
	struct pd_svgchart c = {"Bad Id", "T", "D", "", labels, 1, &s, 1, 0, NULL};
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_ERR_INVALID);
	c.id = "ok\"><script>";
	assert_int_equal(pd_svgchart_line(&b, &c), PD_ERR_INVALID);
	c.id = "ok";
	c.title = NULL;
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_ERR_INVALID);
	c.title = "T";
	c.decimals = 4;
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_ERR_INVALID);
	c.decimals = 0;
	c.n = PD_SVG_MAX_POINTS + 1;
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_ERR_INVALID);
	c.n = 1;
	c.n_series = PD_SVG_MAX_SERIES + 1;
	assert_int_equal(pd_svgchart_line(&b, &c), PD_ERR_INVALID);
	assert_int_equal(b.len, 0);
	pd_buf_free(&b);
	/* a buffer too small for the chart */
	pd_buf_init(&b, 64);
	c.n_series = 1;
	assert_int_equal(pd_svgchart_bar(&b, &c), PD_ERR_TOO_LARGE);
	pd_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),        cmocka_unit_test(test_bar_escaping),
		cmocka_unit_test(test_empty),         cmocka_unit_test(test_zero_and_negative),
		cmocka_unit_test(test_single_point_and_many_labels), cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
