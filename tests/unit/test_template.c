/* Unit tests of the template engine: escaping by context, sections, scopes, partials,
 * translation, load-time errors with their line, output limits, and the real templates. */
#include <jansson.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/i18n.h"
#include "render/escape.h"
#include "render/template.h"

#define MAX_OUT (256 * 1024)

/* Loads one template "t" (plus optional partials given as name, text pairs). */
static struct pd_tpl_set *load(const char *text, char *err, size_t errlen, ...)
{
	struct pd_tpl_source src[8] = {{.name = "t", .text = text, .len = strlen(text)}};
	size_t n = 1;
	va_list ap;
	va_start(ap, errlen);
	const char *name;
	while (n < 8 && (name = va_arg(ap, const char *)) != NULL) {
		const char *body = va_arg(ap, const char *);
		src[n++] = (struct pd_tpl_source){.name = name, .text = body, .len = strlen(body)};
	}
	va_end(ap);
	return pd_tpl_set_load_strings(src, n, err, errlen);
}

/* Renders text against ctx_json in lang; returns a malloc'd string (caller frees). */
static char *render_lang(const char *text, const char *ctx_json, const char *lang)
{
	char err[256];
	struct pd_tpl_set *set = load(text, err, sizeof err, NULL);
	if (!set)
		fail_msg("load failed: %s", err);
	json_error_t jerr;
	json_t *ctx = ctx_json ? json_loads(ctx_json, 0, &jerr) : NULL;
	if (ctx_json && !ctx)
		fail_msg("bad test JSON: %s", jerr.text);
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	assert_int_equal(pd_tpl_render(set, "t", ctx, lang, &out), PD_OK);
	json_decref(ctx);
	pd_tpl_set_free(set);
	return pd_buf_steal(&out, NULL);
}

static char *render(const char *text, const char *ctx_json)
{
	return render_lang(text, ctx_json, NULL);
}

#define ASSERT_RENDER(text, ctx, want)              \
	do {                                            \
		char *got_ = render((text), (ctx));         \
		assert_string_equal(got_, (want));          \
		free(got_);                                 \
	} while (0)

/* Asserts that loading fails and the message names file "t" and the line. */
static void assert_load_error(const char *text, unsigned line, const char *part)
{
	char err[256], want[32];
	struct pd_tpl_set *set = load(text, err, sizeof err, NULL);
	if (set)
		fail_msg("expected a load error for: %s", text);
	snprintf(want, sizeof want, "t:%u: ", line);
	if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, part))
		fail_msg("for %s\nwant \"%s…%s\", got \"%s\"", text, want, part, err);
}

static void test_escape_text_and_attributes(void **state)
{
	const char *ctx = "{\"x\": \"<script>alert('x')&\\\"</script>\"}";
	ASSERT_RENDER("<p>{{x}}</p>", ctx,
	              "<p>&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;</p>");
	ASSERT_RENDER("<p title=\"{{x}}\">", ctx,
	              "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&amp;&quot;&lt;/script&gt;\">");
	ASSERT_RENDER("<p>{{ x }}</p>", "{\"x\": \"a&b\"}", "<p>a&amp;b</p>");
	/* Numbers print; booleans, null, missing, arrays and objects print nothing. */
	ASSERT_RENDER("{{i}}|{{r}}|{{t}}|{{f}}|{{n}}|{{m}}|{{a}}|{{o}}",
	              "{\"i\": -42, \"r\": 2.5, \"t\": true, \"f\": false, \"n\": null, "
	              "\"a\": [1], \"o\": {\"k\": 1}}",
	              "-42|2.5||||||");
}

static void test_escape_helpers(void **state)
{
	struct pd_buf b;
	pd_buf_init(&b, 64);
	assert_int_equal(pd_html_escape(&b, "<&>\"'", 5), PD_OK);
	assert_string_equal(pd_buf_cstr(&b), "&lt;&amp;&gt;&quot;&#39;");
	pd_buf_reset(&b);
	assert_int_equal(pd_url_escape_buf(&b, "a b/é~-._", strlen("a b/é~-._")), PD_OK);
	assert_string_equal(pd_buf_cstr(&b), "a%20b%2F%C3%A9~-._");
	/* A failing append leaves the buffer as it was. */
	pd_buf_free(&b);
	pd_buf_init(&b, 8);
	assert_int_equal(pd_buf_puts(&b, "ok"), PD_OK);
	assert_int_equal(pd_html_escape(&b, "<<", 2), PD_ERR_TOO_LARGE);
	assert_string_equal(pd_buf_cstr(&b), "ok");
	assert_int_equal(pd_url_escape_buf(&b, "   ", 3), PD_ERR_TOO_LARGE);
	assert_string_equal(pd_buf_cstr(&b), "ok");
	pd_buf_free(&b);

	assert_true(pd_url_is_safe("/unit/a?b=1", 11));
	assert_true(pd_url_is_safe("?lang=en", 8));
	assert_true(pd_url_is_safe("HTTPS://example.org/", 20));
	assert_true(pd_url_is_safe("mailto:a@b", 10));
	assert_true(pd_url_is_safe("relative/x:y", 12));
	assert_false(pd_url_is_safe("javascript:alert(1)", 19));
	assert_false(pd_url_is_safe("JavaScript:alert(1)", 19));
	assert_false(pd_url_is_safe("data:text/html,x", 16));
	assert_false(pd_url_is_safe("java\tscript:x", 13));
	assert_false(pd_url_is_safe(" javascript:x", 13));
}

static void test_url_escape(void **state)
{
	ASSERT_RENDER("<a href=\"/cari?q={{url:q}}&amp;n={{url:n}}\">{{url:q}}</a>",
	              "{\"q\": \"a b&c/é<\\\"'\", \"n\": 7}",
	              "<a href=\"/cari?q=a%20b%26c%2F%C3%A9%3C%22%27&amp;n=7\">"
	              "a%20b%26c%2F%C3%A9%3C%22%27</a>");
}

static void test_unsafe_url_at_attribute_start(void **state)
{
	const char *tpl = "<a href=\"{{u}}\">x</a><a href=\"/p/{{u}}\">y</a>";
	ASSERT_RENDER(tpl, "{\"u\": \"javascript:alert(1)\"}",
	              "<a href=\"about:invalid#pd-unsafe-url\">x</a>"
	              "<a href=\"/p/javascript:alert(1)\">y</a>");
	ASSERT_RENDER(tpl, "{\"u\": \"?lang=en&x=1\"}",
	              "<a href=\"?lang=en&amp;x=1\">x</a><a href=\"/p/?lang=en&amp;x=1\">y</a>");
	ASSERT_RENDER("<form action=\"{{u}}\"></form>", "{\"u\": \"vbscript:x\"}",
	              "<form action=\"about:invalid#pd-unsafe-url\"></form>");
	/* url: encodes the colon, so the value can only be relative. */
	ASSERT_RENDER("<a href=\"{{url:u}}\">", "{\"u\": \"javascript:x\"}",
	              "<a href=\"javascript%3Ax\">");
}

static void test_html_enforcement(void **state)
{
	/* A plain string under html: is escaped anyway. */
	ASSERT_RENDER("<div>{{html:c}}</div>", "{\"c\": \"<b>x</b>\"}", "<div>&lt;b&gt;x&lt;/b&gt;</div>");
	/* A {"__html": …} object that came from parsed JSON is not the marker: prints nothing. */
	ASSERT_RENDER("<div>{{html:c}}</div>", "{\"c\": {\"__html\": \"<b>x</b>\"}}", "<div></div>");

	char err[256];
	struct pd_tpl_set *set = load("<div>{{html:c}}</div><p>{{c}}</p>", err, sizeof err, NULL);
	assert_non_null(set);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "c", pd_tpl_html("<b>x</b>"));
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	assert_int_equal(pd_tpl_render(set, "t", ctx, NULL, &out), PD_OK);
	/* Raw under html:, escaped under a plain {{c}}. */
	assert_string_equal(pd_buf_cstr(&out), "<div><b>x</b></div><p>&lt;b&gt;x&lt;/b&gt;</p>");
	/* The marker cannot be forged through jansson's checked setters. */
	json_t *forged = json_object();
	assert_int_not_equal(json_object_set_new(forged, "__html\xff", json_string("<i>")), 0);
	json_decref(forged);
	assert_null(pd_tpl_html(NULL));
	assert_null(pd_tpl_html("\xff bad UTF-8"));
	json_t *h = pd_tpl_htmln("<i>ab</i>zzz", 9);
	json_object_set_new(ctx, "c", h);
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render(set, "t", ctx, NULL, &out), PD_OK);
	assert_string_equal(pd_buf_cstr(&out), "<div><i>ab</i></div><p>&lt;i&gt;ab&lt;/i&gt;</p>");
	pd_buf_free(&out);
	json_decref(ctx);
	pd_tpl_set_free(set);
}

static void test_sections(void **state)
{
	const char *tpl = "{{#s}}[{{.}}]{{/s}}{{^s}}none{{/s}}";
	ASSERT_RENDER(tpl, "{\"s\": [1, \"a\", 2.5]}", "[1][a][2.5]");
	ASSERT_RENDER(tpl, "{\"s\": []}", "none");
	ASSERT_RENDER(tpl, "{\"s\": true}", "[]");
	ASSERT_RENDER(tpl, "{\"s\": false}", "none");
	ASSERT_RENDER(tpl, "{\"s\": null}", "none");
	ASSERT_RENDER(tpl, "{}", "none");
	ASSERT_RENDER(tpl, "{\"s\": \"\"}", "none");
	ASSERT_RENDER(tpl, "{\"s\": \"x<\"}", "[x&lt;]");
	ASSERT_RENDER(tpl, "{\"s\": 0}", "none");
	ASSERT_RENDER(tpl, "{\"s\": 3}", "[3]");
	ASSERT_RENDER(tpl, "{\"s\": 0.0}", "none");
	ASSERT_RENDER(tpl, "{\"s\": {}}", "[]");
	ASSERT_RENDER("{{#o}}{{a}}-{{b}}{{/o}}", "{\"o\": {\"a\": 1, \"b\": \"x\"}}", "1-x");
	ASSERT_RENDER("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
	              "{\"items\": [{\"name\": \"A\"}, {\"name\": \"<B>\"}]}",
	              "<ul><li>A</li><li>&lt;B&gt;</li></ul>");
	ASSERT_RENDER("{{#a}}{{#b}}{{#c}}deep{{/c}}{{/b}}{{/a}}",
	              "{\"a\": {\"b\": [{\"c\": 1}, {\"c\": 0}]}}", "deep");
	/* Sections are allowed inside a tag, between attributes. */
	ASSERT_RENDER("<option value=\"x\"{{#sel}} selected{{/sel}}>", "{\"sel\": true}",
	              "<option value=\"x\" selected>");
	/* Comments vanish. */
	ASSERT_RENDER("a{{! anything {{ at all }}b", NULL, "ab");
	/* A section, comment or partial tag alone on its line takes the line with it. */
	ASSERT_RENDER("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n{{! c }}\r\n", "{\"l\": [1, 2]}",
	              "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>\n");
	ASSERT_RENDER("a\n\t{{! multi\nline }}  \nb {{#t}}x{{/t}} c\n{{x}}\n{{^t}}\ny\n{{/t}}",
	              "{\"t\": 1, \"x\": 2}", "a\nb x c\n2\n");
}

static void test_lookup_scopes(void **state)
{
	const char *ctx = "{\"site\": {\"name\": \"Kota\"}, \"who\": \"outer\", "
	                  "\"items\": [{\"who\": \"inner\"}, {\"x\": 1}], "
	                  "\"a\": {\"b\": {\"c\": \"abc\"}}, \"o\": {\"a\": {}}}";
	/* Inner scope first, then outer; dotted paths from any scope. */
	ASSERT_RENDER("{{#items}}{{who}}/{{site.name}};{{/items}}", ctx, "inner/Kota;outer/Kota;");
	ASSERT_RENDER("{{a.b.c}}|{{a.x.c}}|{{site.name.z}}", ctx, "abc||");
	/* Once the first segment is found, the rest does not fall back to outer scopes. */
	ASSERT_RENDER("{{#o}}[{{a.b.c}}]{{/o}}", ctx, "[]");
	/* Digits index arrays. */
	ASSERT_RENDER("{{items.0.who}}|{{items.1.x}}|{{items.2.x}}|{{#items.0}}has{{/items.0}}", ctx,
	              "inner|1||has");
	ASSERT_RENDER("{{#items.0}}x{{/items.0}}{{^items.0}}empty{{/items.0}}", "{\"items\": []}",
	              "empty");
	/* No context at all. */
	ASSERT_RENDER("a{{x}}{{.}}{{#x}}y{{/x}}{{^x}}z{{/x}}", NULL, "az");
}

static void test_partials(void **state)
{
	char err[256];
	struct pd_tpl_set *set =
		load("<p>{{> partials/name}}</p>{{#list}}{{> partials/name}}{{/list}}", err, sizeof err,
		     "partials/name", "<b>{{name}}</b>", NULL);
	assert_non_null(set);
	assert_true(pd_tpl_set_has(set, "partials/name"));
	assert_false(pd_tpl_set_has(set, "partials/other"));
	json_t *ctx = json_loads("{\"name\": \"A\", \"list\": [{\"name\": \"B\"}, {}]}", 0, NULL);
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	assert_int_equal(pd_tpl_render(set, "t", ctx, NULL, &out), PD_OK);
	assert_string_equal(pd_buf_cstr(&out), "<p><b>A</b></p><b>B</b><b>A</b>");
	assert_int_equal(pd_tpl_render(set, "nope", ctx, NULL, &out), PD_ERR_NOT_FOUND);
	pd_buf_free(&out);
	json_decref(ctx);
	pd_tpl_set_free(set);

	/* Missing partial, cycles, and chains deeper than the limit fail at load. */
	assert_null(load("a\n{{> missing}}", err, sizeof err, NULL));
	assert_string_equal(err, "t:2: partial 'missing' not found");
	assert_null(load("{{> t}}", err, sizeof err, NULL));
	assert_non_null(strstr(err, "includes itself"));
	assert_null(load("{{> a}}", err, sizeof err, "a", "{{> b}}", "b", "x\n{{> a}}", NULL));
	assert_non_null(strstr(err, "includes itself"));

	char names[12][8], bodies[12][16];
	struct pd_tpl_source src[12];
	for (int depth = 10; depth <= 11; depth++) {
		/* p0 includes p1 … includes p<depth>: depth levels of inclusion. */
		for (int i = 0; i <= depth; i++) {
			snprintf(names[i], sizeof names[i], "p%d", i);
			if (i < depth)
				snprintf(bodies[i], sizeof bodies[i], "%d{{> p%d}}", i, i + 1);
			else
				snprintf(bodies[i], sizeof bodies[i], "end");
			src[i] = (struct pd_tpl_source){names[i], NULL, bodies[i], strlen(bodies[i])};
		}
		set = pd_tpl_set_load_strings(src, (size_t)depth + 1, err, sizeof err);
		if (depth == 10) {
			assert_non_null(set);
			pd_buf_init(&out, MAX_OUT);
			assert_int_equal(pd_tpl_render(set, "p0", NULL, NULL, &out), PD_OK);
			assert_string_equal(pd_buf_cstr(&out), "0123456789end");
			pd_buf_free(&out);
			pd_tpl_set_free(set);
		} else {
			assert_null(set);
			assert_non_null(strstr(err, "partials nest deeper than 10"));
		}
	}
	/* Duplicate names. */
	assert_null(load("a", err, sizeof err, "t", "b", NULL));
	assert_non_null(strstr(err, "duplicate template name 't'"));
}

/* Writes a little-endian .mo with the given sorted (msgid, msgstr) pairs into buf. */
static size_t build_mo(unsigned char *buf, size_t cap, const char *const pairs[][2], uint32_t n)
{
	size_t str_off = 28 + (size_t)n * 16, pos = str_off;
	memset(buf, 0, cap);
	uint32_t head[7] = {0x950412de, 0, n, 28, 28 + n * 8, 0, 0};
	memcpy(buf, head, sizeof head);
	for (uint32_t side = 0; side < 2; side++)
		for (uint32_t i = 0; i < n; i++) {
			uint32_t len = (uint32_t)strlen(pairs[i][side]), ent[2] = {len, (uint32_t)pos};
			assert_true(pos + len + 1 <= cap);
			memcpy(buf + 28 + side * n * 8 + i * 8, ent, sizeof ent);
			memcpy(buf + pos, pairs[i][side], len + 1);
			pos += len + 1;
		}
	return pos;
}

static void test_translation(void **state)
{
	static const char *const pairs[][2] = {
		{"", "Content-Type: text/plain; charset=UTF-8\n"},
		{"Keluar", "Sign out"},
		{"Kosong", ""},
		{"Tanda", "Tom & \"Jerry\" <3"},
	};
	static unsigned char mo[1024];
	size_t len = build_mo(mo, sizeof mo, pairs, 4);
	assert_int_equal(pd_i18n_load_mo("en", mo, len), PD_OK);
	const char *tpl = "<b title=\"{{t \"Keluar\"}}\">{{t \"Keluar\"}}</b>{{t \"Tanda\"}}|"
	                  "{{t \"Kosong\"}}|{{t \"Tidak ada\"}}|{{t \"Kata \\\"kutip\\\" \\\\ <x>\"}}";
	char *got = render_lang(tpl, NULL, "en");
	assert_string_equal(got, "<b title=\"Sign out\">Sign out</b>Tom &amp; &quot;Jerry&quot; &lt;3|"
	                         "Kosong|Tidak ada|Kata &quot;kutip&quot; \\ &lt;x&gt;");
	free(got);
	got = render_lang(tpl, NULL, "id");
	assert_string_equal(got, "<b title=\"Keluar\">Keluar</b>Tanda|Kosong|Tidak ada|"
	                         "Kata &quot;kutip&quot; \\ &lt;x&gt;");
	free(got);
	got = render_lang("{{t \"Keluar\"}}", NULL, "xx");
	assert_string_equal(got, "Keluar");
	free(got);
	pd_i18n_free();
}

static void test_parse_errors_name_line(void **state)
{
	assert_load_error("a\nb {{x", 2, "unterminated tag");
	assert_load_error("\n\n{{foo bar}}", 3, "unknown tag '{{foo bar}}'");
	assert_load_error("{{a..b}}", 1, "unknown tag");
	assert_load_error("{{}}", 1, "empty tag");
	assert_load_error("{{{x}}}", 1, "'{{{' is not supported");
	assert_load_error("x\n{{#a}}\n\ny", 2, "{{#a}} is never closed");
	assert_load_error("x\n{{^a}}{{#b}}\n{{/b}}", 2, "{{^a}} is never closed");
	assert_load_error("\n{{/a}}", 2, "{{/a}} closes no section");
	assert_load_error("{{#a}}\n{{#b}}\n{{/a}}", 3, "{{/a}} does not close {{#b}} opened on line 2");
	assert_load_error("{{a\nb}}", 1, "must not span lines");
	assert_load_error("{{t \"x}}", 1, "unterminated string");
	assert_load_error("{{t \"x\\n\"}}", 1, "only \\\" and \\\\ may be escaped");
	assert_load_error("{{t \"\"}}", 1, "empty msgid");
	assert_load_error("{{t \"a\" b}}", 1, "unexpected text after the string");
	assert_load_error("{{html:}}", 1, "unknown tag");
	assert_load_error("{{> ../x}}", 1, "bad partial name");
	/* Context errors. */
	assert_load_error("<a\nhref={{x}}>", 2, "must be double-quoted");
	assert_load_error("<a href='{{x}}'>", 1, "must be double-quoted");
	assert_load_error("<div {{x}}>", 1, "inside a tag");
	assert_load_error("<{{x}}>", 1, "inside a tag");
	assert_load_error("<p>\n<script>var a = \"{{x}}\";</script>", 2, "<script> or <style>");
	assert_load_error("<STYLE>p{}{{x}}</style>", 1, "<script> or <style>");
	assert_load_error("<!-- {{x}} -->", 1, "HTML comment");
	assert_load_error("<a title=\"{{html:x}}\">", 1, "raw HTML is allowed only in text");
	assert_load_error("<a onclick=\"{{x}}\">", 1, "on*, style or srcset");
	assert_load_error("<a style=\"{{x}}\">", 1, "on*, style or srcset");
	assert_load_error("<a href=\"{{> p}}\">", 1, "only in text");
	assert_load_error("ok\n<a href=\"x", 2, "never closed");
	assert_load_error("<script>\n", 1, "<script> opened here is never closed");
	assert_load_error("x<!-- y", 1, "HTML comment opened here is never closed");
	assert_load_error("ok\nbad \xff byte", 2, "not valid UTF-8");
	/* After </script> and --> values are fine again. */
	ASSERT_RENDER("<script src=\"/a.js\"></script><!-- c -->{{x}}", "{\"x\": \"<\"}",
	              "<script src=\"/a.js\"></script><!-- c -->&lt;");
	ASSERT_RENDER("<p>a < b {{x}}</p>", "{\"x\": 1}", "<p>a < b 1</p>");

	/* A NUL byte in the source, a bad name and a tiny error buffer. */
	char err[16];
	struct pd_tpl_source nul = {"t", NULL, "a\0b", 3};
	assert_null(pd_tpl_set_load_strings(&nul, 1, err, sizeof err));
	assert_int_equal(strlen(err), sizeof err - 1);
	struct pd_tpl_source bad = {"../x", NULL, "a", 1};
	assert_null(pd_tpl_set_load_strings(&bad, 1, NULL, 0));
}

static void test_output_limit(void **state)
{
	char err[256];
	struct pd_tpl_set *set = load("{{#l}}<p>{{x}}</p>{{/l}}", err, sizeof err, NULL);
	assert_non_null(set);
	json_t *ctx = json_loads("{\"x\": \"<&>\", \"l\": [1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
	struct pd_buf out;
	pd_buf_init(&out, 100);
	assert_int_equal(pd_buf_puts(&out, "keep"), PD_OK);
	assert_int_equal(pd_tpl_render(set, "t", ctx, NULL, &out), PD_ERR_TOO_LARGE);
	assert_string_equal(pd_buf_cstr(&out), "keep");
	out.max = 4 + 10 * strlen("<p>&lt;&amp;&gt;</p>");
	assert_int_equal(pd_tpl_render(set, "t", ctx, NULL, &out), PD_OK);
	assert_int_equal(out.len, out.max);
	pd_buf_free(&out);
	json_decref(ctx);
	pd_tpl_set_free(set);
}

static void test_render_page(void **state)
{
	char err[256];
	struct pd_tpl_set *set =
		load("<p>{{msg}}</p>", err, sizeof err, "layout",
		     "<html lang=\"{{lang}}\">{{#lang_is_en}}EN{{/lang_is_en}}{{#lang_is_id}}ID{{/lang_is_id}}"
		     "<main>{{html:content}}</main>{{title}}</html>",
		     NULL);
	assert_non_null(set);
	json_t *ctx = json_loads("{\"msg\": \"<hi>\", \"title\": \"T\", \"lang\": \"zz\", "
	                         "\"content\": \"not used\"}", 0, NULL);
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	assert_int_equal(pd_tpl_render_page(set, "t", ctx, "EN", &out), PD_OK);
	assert_string_equal(pd_buf_cstr(&out),
	                    "<html lang=\"en\">EN<main><p>&lt;hi&gt;</p></main>T</html>");
	/* ctx is left as it was. */
	assert_string_equal(json_string_value(json_object_get(ctx, "content")), "not used");
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render_page(set, "t", ctx, "fr", &out), PD_OK);
	assert_string_equal(pd_buf_cstr(&out),
	                    "<html lang=\"id\">ID<main><p>&lt;hi&gt;</p></main>T</html>");
	assert_int_equal(pd_tpl_render_page(set, "missing", ctx, "id", &out), PD_ERR_NOT_FOUND);
	/* The page and the layout share the output limit. */
	pd_buf_free(&out);
	pd_buf_init(&out, 40);
	assert_int_equal(pd_tpl_render_page(set, "t", ctx, "id", &out), PD_ERR_TOO_LARGE);
	assert_int_equal(out.len, 0);
	pd_buf_free(&out);
	json_decref(ctx);
	pd_tpl_set_free(set);
}

/* Concurrent renders of one set produce the same bytes (run under a sanitizer for races). */
struct job {
	const struct pd_tpl_set *set;
	json_t *ctx;
	char *out;
};

static void *render_job(void *arg)
{
	struct job *j = arg;
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	for (int i = 0; i < 200; i++) {
		pd_buf_reset(&out);
		if (pd_tpl_render(j->set, "t", j->ctx, "en", &out) != PD_OK)
			break;
	}
	j->out = pd_buf_steal(&out, NULL);
	return NULL;
}

static void test_concurrent_render(void **state)
{
	char err[256];
	struct pd_tpl_set *set = load("{{#l}}<i>{{v}}</i>{{> p}}{{/l}}", err, sizeof err, "p",
	                              "{{t \"Keluar\"}}", NULL);
	assert_non_null(set);
	struct job jobs[4];
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct job){set, json_loads("{\"l\": [{\"v\": 1}, {\"v\": \"<\"}]}", 0, NULL), NULL};
		assert_int_equal(pthread_create(&th[i], NULL, render_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_string_equal(jobs[i].out, "<i>1</i>Keluar<i>&lt;</i>Keluar");
		free(jobs[i].out);
		json_decref(jobs[i].ctx);
	}
	pd_tpl_set_free(set);
}

/* The project's own templates: read from the source tree, loaded like the embedded ones. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = malloc(64 * 1024);
	*len = fread(data, 1, 64 * 1024 - 1, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

static void test_project_templates(void **state)
{
	static const char *const names[] = {"layout", "home", "unit", "error", "partials/nav",
	                                    "partials/account", "partials/lang_switch"};
	enum { N = sizeof names / sizeof names[0] };
	const char *root = getenv("PD_SRCDIR") ? getenv("PD_SRCDIR") : ".";
	struct pd_tpl_source src[N];
	char paths[N][512];
	for (size_t i = 0; i < N; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/templates/%s.html", root, names[i]);
		size_t len = 0;
		char *text = slurp(paths[i], &len);
		if (!text)
			fail_msg("cannot read %s (set PD_SRCDIR)", paths[i]);
		src[i] = (struct pd_tpl_source){names[i], paths[i], text, len};
	}
	char err[512];
	struct pd_tpl_set *set = pd_tpl_set_load_strings(src, N, err, sizeof err);
	for (size_t i = 0; i < N; i++)
		free((char *)src[i].text);
	if (!set)
		fail_msg("%s", err);

	json_t *ctx = json_loads(
		"{\"title\": \"Unit <1>\", \"site_name\": \"Kota Contoh\", \"csrf\": \"tok\\\"en\","
		" \"lang_switch_id\": \"/unit/a?lang=id\", \"lang_switch_en\": \"/unit/a?lang=en\","
		" \"nav\": {\"unit\": true}, \"user\": {\"name\": \"Siti <b>\"},"
		" \"unit\": {\"slug\": \"a\", \"name\": \"Kecamatan A\", \"kind\": \"district\","
		"  \"kind_label\": \"Kecamatan\", \"code\": \"32.01.01\"},"
		" \"ancestors\": [{\"slug\": \"jabar\", \"name\": \"Jawa Barat\"}],"
		" \"children\": [{\"slug\": \"d1\", \"name\": \"Desa Satu\", \"kind\": \"village\"}]}",
		0, NULL);
	assert_non_null(ctx);
	struct pd_buf out;
	pd_buf_init(&out, MAX_OUT);
	assert_int_equal(pd_tpl_render_page(set, "unit", ctx, "id", &out), PD_OK);
	const char *html = pd_buf_cstr(&out);
	assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(html, "<html lang=\"id\">"));
	assert_non_null(strstr(html, "<title>Unit &lt;1&gt; — Kota Contoh</title>"));
	const char *main_at = strstr(html, "<main id=\"isi\">");
	assert_non_null(main_at);
	assert_null(strstr(main_at + 1, "<main"));
	assert_non_null(strstr(html, "Siti &lt;b&gt;"));
	assert_non_null(strstr(html, "name=\"csrf\" value=\"tok&quot;en\""));
	assert_non_null(strstr(html, "hreflang=\"id\" aria-current=\"true\""));
	assert_non_null(strstr(html, "<a href=\"/unit\" aria-current=\"page\">"));
	assert_non_null(strstr(html, "<a href=\"/unit/jabar\">Jawa Barat</a>"));
	assert_non_null(strstr(html, "<a href=\"/unit/d1\">Desa Satu</a>"));
	assert_non_null(strstr(html, "village"));
	assert_non_null(strstr(html, "32.01.01"));
	assert_null(strstr(html, "/masuk"));

	/* Signed out, English, the home page and the error page. */
	json_object_del(ctx, "user");
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render_page(set, "home", ctx, "en", &out), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&out), "<a href=\"/masuk\">"));
	assert_non_null(strstr(pd_buf_cstr(&out), "hreflang=\"en\" aria-current=\"true\""));
	assert_non_null(strstr(pd_buf_cstr(&out), "<html lang=\"en\">"));
	json_object_set_new(ctx, "status", json_integer(404));
	json_object_set_new(ctx, "message", json_string("Periksa alamatnya."));
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render_page(set, "error", ctx, "id", &out), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&out), "Kode status: 404"));
	/* An empty unit shows the sentence instead of an empty list. */
	json_object_set_new(ctx, "children", json_array());
	json_object_set_new(ctx, "ancestors", json_array());
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render_page(set, "unit", ctx, "id", &out), PD_OK);
	assert_null(strstr(pd_buf_cstr(&out), "<ul class=\"units\">"));
	assert_null(strstr(pd_buf_cstr(&out), "<nav class=\"crumbs\""));
	assert_non_null(strstr(pd_buf_cstr(&out), "tidak memiliki unit"));
	assert_null(strstr(pd_buf_cstr(&out), "<h1>Unit &lt;1&gt;</h1>"));
	/* The top of the tree has no unit: the page title is the heading. */
	json_object_del(ctx, "unit");
	pd_buf_reset(&out);
	assert_int_equal(pd_tpl_render_page(set, "unit", ctx, "id", &out), PD_OK);
	assert_non_null(strstr(pd_buf_cstr(&out), "<h1>Unit &lt;1&gt;</h1>"));
	pd_buf_free(&out);
	json_decref(ctx);
	pd_tpl_set_free(set);
}

static void test_embedded_loader(void **state)
{
	char err[512];
	struct pd_tpl_set *set = pd_tpl_set_load_embedded(NULL, err, sizeof err);
	if (!set)
		fail_msg("%s", err);
	/* The meson build embeds templates/; the stand-alone build links an empty table. */
	if (pd_embed_find("templates/layout.html")) {
		assert_true(pd_tpl_set_has(set, "layout"));
		assert_true(pd_tpl_set_has(set, "partials/nav"));
	}
	pd_tpl_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_text_and_attributes),
		cmocka_unit_test(test_escape_helpers),
		cmocka_unit_test(test_url_escape),
		cmocka_unit_test(test_unsafe_url_at_attribute_start),
		cmocka_unit_test(test_html_enforcement),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_lookup_scopes),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_parse_errors_name_line),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_render_page),
		cmocka_unit_test(test_concurrent_render),
		cmocka_unit_test(test_project_templates),
		cmocka_unit_test(test_embedded_loader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
