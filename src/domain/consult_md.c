/* Drafts of consultations: Markdown rendered with cmark (raw HTML disabled) and split into
 * sections with stable ids taken from their headings; stance names. */
#include <cmark.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "domain/consult.h"

const char *pd_consult_stance_name(enum pd_consult_stance s)
{
	static const char *const names[PD_STANCE__MAX] = {"support", "oppose", "neutral"};
	return (unsigned)s < PD_STANCE__MAX ? names[s] : NULL;
}

int pd_consult_stance_parse(const char *s, enum pd_consult_stance *out)
{
	for (int i = 0; s && i < PD_STANCE__MAX; i++)
		if (strcmp(s, pd_consult_stance_name((enum pd_consult_stance)i)) == 0) {
			*out = (enum pd_consult_stance)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

void pd_consult_anchor(const char *heading, char out[PD_CONSULT_ANCHOR_MAX])
{
	size_t n = 0;
	bool dash = false;
	for (const unsigned char *p = (const unsigned char *)heading; *p; p++) {
		unsigned char ch = *p;
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (ch >= 'A' && ch <= 'Z') {
			ch = (unsigned char)(ch - 'A' + 'a');
			alnum = true;
		}
		if (!alnum) {
			dash = n > 0;
			continue;
		}
		if (n + (dash ? 2 : 1) > PD_CONSULT_ANCHOR_MAX - 4)
			break;
		if (dash)
			out[n++] = '-';
		dash = false;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	if (n == 0)
		memcpy(out, "bagian", sizeof "bagian");
}

/* The plain text of a heading's inlines (text and code), arena-owned. */
static const char *heading_text(cmark_node *h, struct pd_arena *a)
{
	struct pd_buf b;
	pd_buf_init(&b, 4096);
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *nd = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(nd);
		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
			const char *lit = cmark_node_get_literal(nd);
			if (lit)
				pd_buf_append(&b, lit, strlen(lit));
		} else if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
			pd_buf_append(&b, " ", 1);
		}
	}
	cmark_iter_free(it);
	const char *s = pd_arena_strndup(a, b.data ? b.data : "", b.len);
	pd_buf_free(&b);
	return s;
}

/* Renders the nodes moved into doc as HTML (safe: CMARK_OPT_DEFAULT has no CMARK_OPT_UNSAFE). */
static const char *render(cmark_node *doc, struct pd_arena *a)
{
	char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	const char *s = pd_arena_strdup(a, html ? html : "");
	free(html);
	return s;
}

int pd_consult_split(const char *md, size_t len, struct pd_arena *a,
                     struct pd_consult_section *out, int max, int *n)
{
	*n = 0;
	if (len > PD_CONSULT_MD_MAX)
		return PD_ERR_TOO_LARGE;
	if (!pd_utf8_valid(md, len) || memchr(md, '\0', len))
		return PD_ERR_INVALID;
	cmark_node *root = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	if (!root)
		return PD_ERR_NOMEM;
	int rc = PD_OK;
	cmark_node *doc = NULL;
	const char *title = NULL;
	char anchor[PD_CONSULT_ANCHOR_MAX];
	bool any = false;
	cmark_node *nd = cmark_node_first_child(root);
	for (;;) {
		cmark_node *next = nd ? cmark_node_next(nd) : NULL;
		bool starts = !nd || (cmark_node_get_type(nd) == CMARK_NODE_HEADING &&
		                      cmark_node_get_heading_level(nd) <= 2);
		if (starts && doc) {
			/* Close the section in progress (the preamble only when it has content). */
			if (title || cmark_node_first_child(doc)) {
				if (*n >= max) {
					rc = PD_ERR_INVALID;
					goto out;
				}
				struct pd_consult_section *s = &out[(*n)++];
				memset(s, 0, sizeof *s);
				const char *base = title ? anchor : "pembuka";
				/* Duplicate ids get -2, -3 … */
				const char *id = base;
				for (int k = 2;; k++) {
					bool taken = false;
					for (int j = 0; j < *n - 1; j++)
						if (strcmp(out[j].anchor, id) == 0)
							taken = true;
					if (!taken)
						break;
					id = pd_arena_printf(a, "%s-%d", base, k);
				}
				s->anchor = pd_arena_strdup(a, id);
				s->title = title ? title : "Pembuka";
				s->html = render(doc, a);
				any = true;
			}
			cmark_node_free(doc);
			doc = NULL;
		}
		if (!nd)
			break;
		if (starts) {
			doc = cmark_node_new(CMARK_NODE_DOCUMENT);
			if (!doc) {
				rc = PD_ERR_NOMEM;
				goto out;
			}
			title = NULL;
			if (cmark_node_get_type(nd) == CMARK_NODE_HEADING) {
				title = heading_text(nd, a);
				pd_consult_anchor(title, anchor);
				if (!*title)
					title = "Bagian";
				nd = next;
				continue;
			}
		} else if (!doc) {
			doc = cmark_node_new(CMARK_NODE_DOCUMENT);
			if (!doc) {
				rc = PD_ERR_NOMEM;
				goto out;
			}
			title = NULL;
		}
		cmark_node_unlink(nd);
		cmark_node_append_child(doc, nd);
		nd = next;
	}
	if (!any)
		rc = PD_ERR_INVALID;
out:
	if (doc)
		cmark_node_free(doc);
	cmark_node_free(root);
	return rc;
}
