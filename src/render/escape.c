/* Context escapers for HTML text, double-quoted attribute values and URL query components, and
 * the HTML context tracker templates use to choose one. */
#include "render/escape.h"

#include <string.h>

#include "core/buf.h"
#include "core/err.h"

/* Appends runs of safe bytes in one go and a replacement for each special byte; rolls back on
 * failure so the buffer is unchanged. */
int pd_html_escape(struct pd_buf *out, const char *s, size_t n)
{
	size_t start_len = out->len, run = 0;
	int rc = PD_OK;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if ((rc = pd_buf_append(out, s + run, i - run)) != PD_OK ||
		    (rc = pd_buf_puts(out, rep)) != PD_OK)
			goto out;
		run = i + 1;
	}
	rc = pd_buf_append(out, s + run, n - run);
out:
	if (rc != PD_OK && out->data) {
		out->len = start_len;
		out->data[start_len] = '\0';
	}
	return rc;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

int pd_url_escape_buf(struct pd_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start_len = out->len, run = 0;
	int rc = PD_OK;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c))
			continue;
		char enc[3] = {'%', hex[c >> 4], hex[c & 0x0F]};
		if ((rc = pd_buf_append(out, s + run, i - run)) != PD_OK ||
		    (rc = pd_buf_append(out, enc, sizeof enc)) != PD_OK)
			goto out;
		run = i + 1;
	}
	rc = pd_buf_append(out, s + run, n - run);
out:
	if (rc != PD_OK && out->data) {
		out->len = start_len;
		out->data[start_len] = '\0';
	}
	return rc;
}

static bool scheme_is(const char *s, size_t n, const char *want)
{
	if (strlen(want) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != want[i])
			return false;
	}
	return true;
}

bool pd_url_is_safe(const char *url, size_t n)
{
	/* Browsers strip leading spaces and control characters and ignore tabs and newlines
	 * inside a scheme ("java\tscript:"): refuse them outright rather than mimic that. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c < 0x20 || c == 0x7F || (i == 0 && c == ' '))
			return false;
		if (c == '/' || c == '?' || c == '#')
			return true;  /* no scheme before the path, query or fragment: relative */
		if (c == ':')
			return scheme_is(url, i, "http") || scheme_is(url, i, "https") ||
			       scheme_is(url, i, "mailto") || scheme_is(url, i, "tel");
	}
	return true;
}

/* HTML context -------------------------------------------------------------------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static void name_add(char *dst, size_t cap, size_t *n, char c)
{
	if (*n < cap - 1) {
		dst[*n] = lower(c);
		dst[*n + 1] = '\0';
	}
	if (*n < cap)
		(*n)++;  /* cap means "longer than anything we compare with" */
}

static bool name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strcmp(name, want) == 0;
}

static void tag_start(struct pd_html_state *h, bool closing, unsigned line)
{
	h->ctx = PD_HTML_TAG;
	h->since = line;
	h->in_name = true;
	h->closing = closing;
	h->tag_len = h->attr_len = 0;
	h->tag[0] = h->attr[0] = '\0';
	h->after_eq = h->attr_ended = false;
}

static void tag_end(struct pd_html_state *h)
{
	if (!h->closing && (name_is(h->tag, h->tag_len, "script") ||
	                    name_is(h->tag, h->tag_len, "style"))) {
		memcpy(h->raw, h->tag, sizeof h->raw);
		h->ctx = PD_HTML_RAWTEXT;
		return;
	}
	h->ctx = PD_HTML_TEXT;
}

static void attr_reset(struct pd_html_state *h)
{
	h->attr_len = 0;
	h->attr[0] = '\0';
	h->attr_ended = h->after_eq = false;
}

void pd_html_feed(struct pd_html_state *h, const char *src, size_t len, size_t i, unsigned line)
{
	char c = src[i], next = i + 1 < len ? src[i + 1] : '\0';
	switch (h->ctx) {
	case PD_HTML_TEXT:
		if (c != '<')
			return;
		if (len - i >= 4 && memcmp(src + i, "<!--", 4) == 0) {
			h->ctx = PD_HTML_COMMENT;
			h->since = line;
			h->comment_at = i + 4;
		} else if (is_alpha(next) || next == '/' || next == '!' || next == '?' || next == '{') {
			tag_start(h, next == '/', line);
		}
		return;
	case PD_HTML_TAG:
		if (h->in_name) {
			if (c == '/' && h->tag_len == 0)
				return;
			if (!is_space(c) && c != '>' && c != '/') {
				name_add(h->tag, sizeof h->tag, &h->tag_len, c);
				return;
			}
			h->in_name = false;
		}
		if (c == '>') {
			tag_end(h);
		} else if (h->after_eq) {
			if (is_space(c))
				return;
			h->after_eq = false;
			h->ctx = c == '"' ? PD_HTML_ATTR_DQ : c == '\'' ? PD_HTML_ATTR_SQ : PD_HTML_ATTR_UNQ;
			h->value_empty = true;
		} else if (c == '=') {
			h->after_eq = true;
		} else if (is_space(c) || c == '/') {
			h->attr_ended = h->attr_len > 0;
		} else {
			if (h->attr_ended)
				attr_reset(h);
			name_add(h->attr, sizeof h->attr, &h->attr_len, c);
		}
		return;
	case PD_HTML_ATTR_DQ:
	case PD_HTML_ATTR_SQ:
		if (c == (h->ctx == PD_HTML_ATTR_DQ ? '"' : '\'')) {
			h->ctx = PD_HTML_TAG;
			attr_reset(h);
		} else {
			h->value_empty = false;
		}
		return;
	case PD_HTML_ATTR_UNQ:
		if (is_space(c)) {
			h->ctx = PD_HTML_TAG;
			attr_reset(h);
		} else if (c == '>') {
			tag_end(h);
		}
		return;
	case PD_HTML_COMMENT:
		if (c == '>' && i >= h->comment_at + 2 && src[i - 1] == '-' && src[i - 2] == '-')
			h->ctx = PD_HTML_TEXT;
		return;
	case PD_HTML_RAWTEXT: {
		size_t n = strlen(h->raw);
		if (c == '<' && next == '/' && len - i >= n + 2) {
			bool match = true;
			for (size_t k = 0; k < n && match; k++)
				match = lower(src[i + 2 + k]) == h->raw[k];
			if (match)
				tag_start(h, true, line);
		}
		return;
	}
	}
}

const char *pd_html_value_error(const struct pd_html_state *h, bool trusted)
{
	switch (h->ctx) {
	case PD_HTML_TEXT:
		return NULL;
	case PD_HTML_ATTR_DQ:
		if (trusted)
			return "raw HTML is allowed only in text, not in an attribute value";
		if ((h->attr_len >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n') ||
		    name_is(h->attr, h->attr_len, "style") || name_is(h->attr, h->attr_len, "srcset"))
			return "no values in on*, style or srcset attributes";
		return NULL;
	case PD_HTML_TAG:
		if (h->after_eq)
			return "an attribute value holding a value must be double-quoted";
		return "a value inside a tag must be in a double-quoted attribute value";
	case PD_HTML_ATTR_SQ:
	case PD_HTML_ATTR_UNQ:
		return "an attribute value holding a value must be double-quoted";
	case PD_HTML_COMMENT:
		return "no values inside an HTML comment";
	case PD_HTML_RAWTEXT:
		return "no values inside <script> or <style>";
	}
	return "unknown context";
}

bool pd_html_at_url_start(const struct pd_html_state *h)
{
	if (h->ctx != PD_HTML_ATTR_DQ || !h->value_empty)
		return false;
	static const char *const names[] = {"href", "src", "action", "formaction", "cite",
	                                    "poster", "data"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (name_is(h->attr, h->attr_len, names[i]))
			return true;
	return false;
}
