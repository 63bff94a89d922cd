/* Context escapers for HTML text, double-quoted attribute values and URL query components, and
 * the HTML context tracker that tells a template parser which of them a value needs. */
#ifndef PD_RENDER_ESCAPE_H
#define PD_RENDER_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

struct pd_buf;

/* Appends the n bytes of s to out with & < > " ' replaced by character references, so the
 * result is safe in HTML text and in single- or double-quoted attribute values. Bytes are
 * otherwise copied as they are (the caller supplies UTF-8).
 * Returns PD_OK, or PD_ERR_TOO_LARGE when out would pass its maximum (out is then unchanged). */
int pd_html_escape(struct pd_buf *out, const char *s, size_t n);

/* Appends the n bytes of s to out percent-encoded for a URL query component (RFC 3986): the
 * unreserved characters A-Z a-z 0-9 - . _ ~ are kept, every other byte becomes %XX (upper-case
 * hex; a space becomes %20). The result contains no character special to HTML, so it is also
 * safe in HTML text and quoted attributes as it is.
 * Returns PD_OK, or PD_ERR_TOO_LARGE when out would pass its maximum (out is then unchanged). */
int pd_url_escape_buf(struct pd_buf *out, const char *s, size_t n);

/* True when the n bytes of url are a relative reference or use the http, https, mailto or tel
 * scheme (ASCII case-insensitive) — the URLs a template may place at the start of an href or
 * src attribute. False for javascript:, data:, vbscript: and every other scheme. */
bool pd_url_is_safe(const char *url, size_t n);

/* Where the literal HTML of a template has left the parser: enough of an HTML tokenizer to
 * tell text from a double-quoted attribute value (and which attribute) from the places where
 * no value may go. Plain data, owned by the caller; zero-initialise (PD_HTML_TEXT) to start. */
enum pd_html_ctx {
	PD_HTML_TEXT,      /* between tags (also RCDATA: <title>, <textarea>) */
	PD_HTML_TAG,       /* inside <tag ...> outside attribute values */
	PD_HTML_ATTR_DQ,   /* in a double-quoted attribute value */
	PD_HTML_ATTR_SQ,   /* in a single-quoted attribute value */
	PD_HTML_ATTR_UNQ,  /* in an unquoted attribute value */
	PD_HTML_COMMENT,   /* in <!-- ... --> */
	PD_HTML_RAWTEXT,   /* in <script> or <style> */
};

struct pd_html_state {
	enum pd_html_ctx ctx;
	unsigned since;      /* line where the current non-text context began */
	bool in_name;        /* reading the tag name */
	bool closing;        /* </tag> */
	char tag[8];         /* lower-case tag name, cut short; tag_len counts all of it */
	size_t tag_len;
	char attr[16];       /* lower-case name of the current attribute, cut short */
	size_t attr_len;
	bool after_eq;       /* '=' seen, value not begun */
	bool attr_ended;     /* whitespace after an attribute name */
	bool value_empty;    /* no literal text yet inside the current quoted value */
	size_t comment_at;   /* index of the first byte inside <!-- */
	char raw[8];         /* "script" or "style" while in PD_HTML_RAWTEXT */
};

/* Advances h over byte i of src (len bytes: the whole template, so markers such as "<!--" and
 * "</script" can be seen around i); line is i's line, remembered where a context opens. */
void pd_html_feed(struct pd_html_state *h, const char *src, size_t len, size_t i, unsigned line);

/* Returns NULL when a value may be placed in h's context — text, or a double-quoted attribute
 * value other than on*, style and srcset; trusted (raw HTML) values only in text — or else a
 * static sentence saying why not. */
const char *pd_html_value_error(const struct pd_html_state *h, bool trusted);

/* True when h is in a double-quoted href, src, action, formaction, cite, poster or data value
 * with no literal text before this point, so a value placed here decides the URL's scheme. */
bool pd_html_at_url_start(const struct pd_html_state *h);

#endif
