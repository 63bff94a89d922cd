/* Logic-less HTML templates, escaped by context by default: parsed once at start-up into op
 * lists, then rendered concurrently against a jansson context.
 *
 * Syntax (whitespace inside the braces is ignored):
 *   {{name}} {{a.b}} {{.}}  the value, HTML-escaped (& < > " ' become references); strings and
 *                       numbers print, true/false/null/missing/arrays/objects print nothing.
 *   {{url:name}}        the value percent-encoded for a URL query component (RFC 3986
 *                       unreserved characters kept); the result needs no further escaping.
 *   {{html:name}}       raw HTML, but only from a value made by pd_tpl_html(): anything else,
 *                       a plain string included, is HTML-escaped as for {{name}} (fails safe).
 *   {{#name}}…{{/name}} section: once per element of a non-empty array (the element is the
 *                       scope; {{.}} prints a scalar element), once for true, a non-empty
 *                       string, a non-zero number or an object (the value is the scope);
 *                       skipped for false, null, missing, [], "" and 0.
 *   {{^name}}…{{/name}} inverted section: rendered exactly when the section would be skipped.
 *   {{> partials/nav}}  includes another template of the set (resolved at load; at most 10
 *                       levels deep, no cycles).
 *   {{t "Teks"}}        the Indonesian msgid translated into the render's language, escaped.
 *                       Inside the quotes only \" and \\ are escapes; no newlines.
 *   {{! comment }}      nothing.
 * A name is looked up in the innermost scope that is an object and holds its first segment,
 * then in the scopes around it; the rest of a dotted path is looked up inside that value only,
 * where a segment of digits indexes an array: {{#items.0}}<ul>{{/items.0}} opens a list only
 * when items is non-empty. Segments are 1..64 of [A-Za-z0-9_-], at most 8 of them.
 *
 * Contexts are checked at load time by following the HTML around the tags: values and {{t}}
 * are allowed in text and in double-quoted attribute values only — not inside a tag, in an
 * unquoted or single-quoted attribute, in on*, style or srcset attributes, in <script>, <style>
 * or HTML comments; {{html:}} and partials only in text. A {{name}} at the start of an href,
 * src, action, formaction, cite, poster or data attribute must hold a relative URL or an http,
 * https, mailto or tel one; any other URL (javascript:…) renders as about:invalid#pd-unsafe-url.
 * Every mistake — unknown or unterminated tag, unbalanced section, missing partial, bad
 * context, invalid UTF-8 — fails the load with "file:line: message", never the render. */
#ifndef PD_RENDER_TEMPLATE_H
#define PD_RENDER_TEMPLATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct pd_buf;
struct pd_tpl_set;

#define PD_TPL_MAX_PARTIAL_DEPTH 10  /* partials including partials */
#define PD_TPL_MAX_SECTION_DEPTH 16  /* sections nested inside one template */
#define PD_TPL_MAX_SIZE (1024 * 1024)  /* bytes of one template's source */

/* One template's source for pd_tpl_set_load_strings. */
struct pd_tpl_source {
	const char *name;  /* how renders and partials name it, e.g. "unit" or "partials/nav" */
	const char *file;  /* for error messages, e.g. "templates/unit.html"; NULL: name */
	const char *text;  /* need not be NUL-terminated; copied */
	size_t len;
};

/* Parses n templates into a set. Names must be unique, 1..128 of [A-Za-z0-9_./-].
 * Returns the set (caller frees with pd_tpl_set_free), or NULL with a message of the form
 * "file:line: what is wrong" written to err (errlen bytes, always NUL-terminated when
 * errlen > 0). */
struct pd_tpl_set *pd_tpl_set_load_strings(const struct pd_tpl_source *src, size_t n,
                                           char *err, size_t errlen);

/* Loads every embedded file whose name starts with prefix (NULL: "templates/") and ends in
 * ".html", naming each by the rest of its path without ".html": "templates/partials/nav.html"
 * becomes "partials/nav". Ownership and errors as pd_tpl_set_load_strings. */
struct pd_tpl_set *pd_tpl_set_load_embedded(const char *prefix, char *err, size_t errlen);

/* Frees a set (NULL is a no-op). No render may be running on it. */
void pd_tpl_set_free(struct pd_tpl_set *set);

/* True when the set holds a template of this name. */
bool pd_tpl_set_has(const struct pd_tpl_set *set, const char *name);

/* Appends template name rendered against ctx (borrowed; an object, or NULL for none) to out,
 * translating {{t}} into lang ("id", "en"; NULL means "id"). The set and ctx are only read, so
 * any number of threads may render from one set at once (each with its own ctx and out).
 * Returns PD_OK; PD_ERR_NOT_FOUND for an unknown name; PD_ERR_TOO_LARGE when out would pass
 * its maximum. On error out is left as it was before the call. */
int pd_tpl_render(const struct pd_tpl_set *set, const char *name, json_t *ctx,
                  const char *lang, struct pd_buf *out);

/* Renders a whole page: template content_name against ctx, then "layout" against ctx with an
 * inner scope holding content (the rendered page, as for {{html:content}}), lang (the
 * canonical code of lang, for <html lang>) and lang_is_id / lang_is_en (true for the active
 * language). ctx is not modified. Returns and leaves out as pd_tpl_render. */
int pd_tpl_render_page(const struct pd_tpl_set *set, const char *content_name, json_t *ctx,
                       const char *lang, struct pd_buf *out);

/* Wraps HTML the program rendered itself so {{html:name}} outputs it raw. The result is an
 * object whose one key, "__html" followed by the byte 0xFF, is not valid UTF-8, so no JSON
 * parsed from input or built with jansson's checked setters can forge it; only these helpers
 * make one. Never pass text that came from input. Returns a new reference (caller owns;
 * usually handed to json_object_set_new), or NULL when trusted is NULL or not valid UTF-8. */
json_t *pd_tpl_html(const char *trusted);
json_t *pd_tpl_htmln(const char *trusted, size_t len);

#endif
