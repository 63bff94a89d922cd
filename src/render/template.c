/* Logic-less HTML templates: the parser with its HTML context check, the set loader and the
 * renderer, which only reads the compiled set so threads may share it. */
#include "render/template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/embed.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/mem.h"
#include "core/str.h"
#include "render/escape.h"

/* Not valid UTF-8, so jansson's parser and checked setters can never produce this key. */
#define HTML_KEY "__html\xff"
#define UNSAFE_URL "about:invalid#pd-unsafe-url"
#define MAX_SEGMENTS 8
#define MAX_SEGMENT_LEN 64
#define MAX_NAME_LEN 128
/* ctx, the page overlay, and one scope per section open in every template of a partial chain. */
#define MAX_SCOPES (2 + (PD_TPL_MAX_PARTIAL_DEPTH + 1) * PD_TPL_MAX_SECTION_DEPTH)

enum op_kind { OP_TEXT, OP_VALUE, OP_SECTION, OP_INVERTED, OP_PARTIAL, OP_TRANSLATE };
enum escape { ESC_HTML, ESC_URL, ESC_TRUSTED_HTML };

struct op {
	enum op_kind kind;
	enum escape esc;    /* OP_VALUE */
	bool check_url;     /* OP_VALUE with no literal text before it in a URL attribute */
	unsigned line;
	const char *text;   /* OP_TEXT bytes; OP_TRANSLATE msgid; OP_PARTIAL name; section path */
	size_t len;
	char **segs;        /* OP_VALUE and sections: the dotted path; n_segs 0 means "." */
	size_t n_segs;
	size_t end;         /* sections: index of the first op after the body */
	size_t partial;     /* OP_PARTIAL: index of the included template in the set */
};

struct tpl {
	const char *name;
	const char *file;
	struct op *ops;
	size_t n_ops;
};

struct pd_tpl_set {
	struct pd_arena *arena;  /* owns everything below */
	struct tpl *tpls;        /* sorted by name */
	size_t n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parser -------------------------------------------------------------------------------------- */

struct parser {
	struct pd_arena *arena;
	const char *file;
	const char *src;  /* arena-owned copy of the template */
	size_t len, pos;
	unsigned line;
	struct op *ops;   /* grown with realloc while parsing, then copied into the arena */
	size_t n_ops, cap_ops;
	size_t open[PD_TPL_MAX_SECTION_DEPTH];
	size_t depth;
	struct pd_html_state html;
	char *err;
	size_t errlen;
};

/* Writes "file:line: message" ("file: message" for line 0) to err; returns PD_ERR_INVALID. */
static int vfail(char *err, size_t errlen, const char *file, unsigned line, const char *fmt,
                 va_list ap)
{
	int n = line ? snprintf(err, errlen, "%s:%u: ", file, line) : snprintf(err, errlen, "%s: ", file);
	if (errlen > 0 && n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	return PD_ERR_INVALID;
}

__attribute__((format(printf, 5, 6)))
static int fail_at(char *err, size_t errlen, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(err, errlen, file, line, fmt, ap);
	va_end(ap);
	return PD_ERR_INVALID;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p->err, p->errlen, p->file, line, fmt, ap);
	va_end(ap);
	return PD_ERR_INVALID;
}

static size_t push_op(struct parser *p, enum op_kind kind, unsigned line)
{
	if (p->n_ops == p->cap_ops) {
		p->cap_ops = p->cap_ops ? p->cap_ops * 2 : 32;
		p->ops = pd_xrealloc(p->ops, p->cap_ops * sizeof *p->ops);
	}
	struct op *op = &p->ops[p->n_ops];
	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->line = line;
	return p->n_ops++;
}

static bool name_char(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool tpl_name_valid(const char *s, size_t n)
{
	if (n == 0 || n > MAX_NAME_LEN || s[0] == '/' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]) && s[i] != '/' && s[i] != '.')
			return false;
	return true;
}

/* Splits "a.b.c" (or ".") into arena-owned segments of op i. */
static int parse_path(struct parser *p, size_t i, const char *s, size_t n, const char *whole,
                      size_t whole_len)
{
	struct op *op = &p->ops[i];
	op->n_segs = 0;
	if (n == 1 && s[0] == '.')
		return PD_OK;
	char *segs[MAX_SEGMENTS];
	size_t start = 0;
	for (size_t k = 0; k <= n; k++) {
		if (k < n && name_char(s[k]))
			continue;
		if ((k < n && s[k] != '.') || k == start || k - start > MAX_SEGMENT_LEN ||
		    op->n_segs == MAX_SEGMENTS)
			return fail(p, op->line, "unknown tag '{{%.*s}}'",
			            (int)(whole_len > 60 ? 60 : whole_len), whole);
		segs[op->n_segs++] = pd_arena_strndup(p->arena, s + start, k - start);
		start = k + 1;
	}
	op->segs = pd_arena_memdup(p->arena, segs, op->n_segs * sizeof segs[0]);
	return PD_OK;
}

static void trim(const char **s, size_t *n)
{
	while (*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
}

/* {{t "msgid"}}: s points at the opening quote. */
static int parse_translate(struct parser *p, const char *s, size_t n, unsigned line)
{
	char *msgid = pd_arena_alloc(p->arena, n);
	size_t k = 1, len = 0;
	for (; k < n && s[k] != '"'; k++) {
		char c = s[k];
		if (c == '\\') {
			if (k + 1 >= n || (s[k + 1] != '"' && s[k + 1] != '\\'))
				return fail(p, line, "only \\\" and \\\\ may be escaped in {{t \"...\"}}");
			c = s[++k];
		} else if (c == '\n' || c == '\r') {
			return fail(p, line, "{{t \"...\"}} must not span lines");
		}
		msgid[len++] = c;
	}
	if (k >= n)
		return fail(p, line, "unterminated string in {{t \"...\"}}");
	for (k++; k < n; k++)
		if (!is_space(s[k]))
			return fail(p, line, "unexpected text after the string in {{t \"...\"}}");
	if (len == 0)
		return fail(p, line, "empty msgid in {{t \"\"}}");
	const char *why = pd_html_value_error(&p->html, false);
	if (why)
		return fail(p, line, "%s", why);
	size_t i = push_op(p, OP_TRANSLATE, line);
	p->ops[i].text = msgid;
	p->ops[i].len = len;
	return PD_OK;
}

static int parse_section(struct parser *p, char sigil, const char *s, size_t n, unsigned line,
                         const char *whole, size_t whole_len)
{
	trim(&s, &n);
	if (sigil == '/') {
		if (p->depth == 0)
			return fail(p, line, "{{/%.*s}} closes no section", (int)(n > 60 ? 60 : n), s);
		struct op *open = &p->ops[p->open[p->depth - 1]];
		if (open->len != n || memcmp(open->text, s, n) != 0)
			return fail(p, line, "{{/%.*s}} does not close {{%c%s}} opened on line %u",
			            (int)(n > 60 ? 60 : n), s, open->kind == OP_INVERTED ? '^' : '#',
			            open->text, open->line);
		open->end = p->n_ops;
		p->depth--;
		return PD_OK;
	}
	if (p->depth == PD_TPL_MAX_SECTION_DEPTH)
		return fail(p, line, "sections nest deeper than %d", PD_TPL_MAX_SECTION_DEPTH);
	size_t i = push_op(p, sigil == '#' ? OP_SECTION : OP_INVERTED, line);
	int rc = parse_path(p, i, s, n, whole, whole_len);
	if (rc != PD_OK)
		return rc;
	p->ops[i].text = pd_arena_strndup(p->arena, s, n);
	p->ops[i].len = n;
	p->open[p->depth++] = i;
	return PD_OK;
}

static int parse_tag(struct parser *p, const char *s, size_t n, unsigned line)
{
	const char *whole = s;
	size_t whole_len = n;
	trim(&s, &n);
	if (n == 0)
		return fail(p, line, "empty tag '{{}}'");
	if (s[0] == '!')
		return PD_OK;
	if (memchr(s, '\n', n))
		return fail(p, line, "a tag must not span lines");
	int shown = (int)(whole_len > 60 ? 60 : whole_len);
	switch (s[0]) {
	case '{':
		return fail(p, line, "'{{{' is not supported; use {{html:name}} for HTML the "
		                     "program rendered");
	case '#':
	case '^':
	case '/':
		return parse_section(p, s[0], s + 1, n - 1, line, whole, whole_len);
	case '>': {
		const char *name = s + 1;
		size_t len = n - 1;
		trim(&name, &len);
		if (!tpl_name_valid(name, len) || memmem(name, len, "..", 2))
			return fail(p, line, "bad partial name in '{{%.*s}}'", shown, whole);
		if (p->html.ctx != PD_HTML_TEXT)
			return fail(p, line, "a partial may be included only in text");
		size_t i = push_op(p, OP_PARTIAL, line);
		p->ops[i].text = pd_arena_strndup(p->arena, name, len);
		p->ops[i].len = len;
		return PD_OK;
	}
	}
	if (n > 2 && s[0] == 't' && is_space(s[1])) {
		const char *q = s + 1;
		size_t qn = n - 1;
		trim(&q, &qn);
		if (qn > 0 && q[0] == '"')
			return parse_translate(p, q, qn, line);
	}
	enum escape esc = ESC_HTML;
	if (n > 5 && memcmp(s, "html:", 5) == 0) {
		esc = ESC_TRUSTED_HTML;
		s += 5;
		n -= 5;
	} else if (n > 4 && memcmp(s, "url:", 4) == 0) {
		esc = ESC_URL;
		s += 4;
		n -= 4;
	}
	size_t i = push_op(p, OP_VALUE, line);
	int rc = parse_path(p, i, s, n, whole, whole_len);
	if (rc != PD_OK)
		return rc;
	const char *why = pd_html_value_error(&p->html, esc == ESC_TRUSTED_HTML);
	if (why)
		return fail(p, line, "'{{%.*s}}': %s", shown, whole, why);
	p->ops[i].esc = esc;
	p->ops[i].check_url = esc == ESC_HTML && pd_html_at_url_start(&p->html);
	return PD_OK;
}

static void add_text(struct parser *p, size_t from, size_t to)
{
	if (to == from)
		return;
	size_t i = push_op(p, OP_TEXT, p->line);
	p->ops[i].text = p->src + from;
	p->ops[i].len = to - from;
	for (size_t k = from; k < to; k++) {
		pd_html_feed(&p->html, p->src, p->len, k, p->line);
		if (p->src[k] == '\n')
			p->line++;
	}
}

static int check_utf8(struct parser *p)
{
	unsigned line = 1;
	size_t start = 0;
	for (size_t k = 0; k <= p->len; k++) {
		if (k < p->len && p->src[k] != '\n')
			continue;
		if (!pd_utf8_valid(p->src + start, k - start))
			return fail(p, line, "not valid UTF-8 (or holds a NUL byte)");
		line++;
		start = k + 1;
	}
	return PD_OK;
}

/* As in Mustache, a section, comment or partial tag alone on its line but for spaces and tabs
 * takes the line with it, so indented templates leave no blank lines. Sets the start of that
 * line and the position after its newline when the tag [open, close_end) is such a tag. */
static bool standalone(const struct parser *p, size_t open, size_t close_end, size_t *start,
                       size_t *after)
{
	size_t b = open + 2, s = open, e = close_end;
	while (b < close_end && is_space(p->src[b]))
		b++;
	if (!strchr("#^/!>", p->src[b]))
		return false;
	while (s > 0 && (p->src[s - 1] == ' ' || p->src[s - 1] == '\t'))
		s--;
	while (e < p->len && (p->src[e] == ' ' || p->src[e] == '\t' || p->src[e] == '\r'))
		e++;
	if ((s > 0 && p->src[s - 1] != '\n') || (e < p->len && p->src[e] != '\n'))
		return false;
	*start = s;
	*after = e < p->len ? e + 1 : e;
	return true;
}

static int parse(struct parser *p)
{
	int rc = check_utf8(p);
	if (rc != PD_OK)
		return rc;
	while (p->pos < p->len) {
		const char *rest = p->src + p->pos;
		const char *open = memmem(rest, p->len - p->pos, "{{", 2);
		size_t text_end = open ? (size_t)(open - p->src) : p->len;
		const char *close = open ? memmem(open + 2, p->len - text_end - 2, "}}", 2) : NULL;
		size_t body = text_end + 2, body_len = close ? (size_t)(close - (p->src + body)) : 0;
		size_t close_end = body + body_len + 2, line_start = 0, after = 0;
		bool alone = close && standalone(p, text_end, close_end, &line_start, &after);
		add_text(p, p->pos, alone ? line_start : text_end);
		if (!open)
			break;
		if (!close)
			return fail(p, p->line, "unterminated tag '{{' (no '}}' follows)");
		rc = parse_tag(p, p->src + body, body_len, p->line);
		if (rc != PD_OK)
			return rc;
		for (size_t k = 0; k < body_len; k++)
			p->line += p->src[body + k] == '\n';
		p->pos = close_end;
		if (alone) {
			p->line += after > close_end && p->src[after - 1] == '\n';
			p->pos = after;
		}
	}
	if (p->depth > 0) {
		const struct op *open = &p->ops[p->open[p->depth - 1]];
		return fail(p, open->line, "{{%c%s}} is never closed",
		            open->kind == OP_INVERTED ? '^' : '#', open->text);
	}
	switch (p->html.ctx) {
	case PD_HTML_TEXT:
		return PD_OK;
	case PD_HTML_COMMENT:
		return fail(p, p->html.since, "HTML comment opened here is never closed");
	case PD_HTML_RAWTEXT:
		return fail(p, p->html.since, "<%s> opened here is never closed", p->html.raw);
	default:
		return fail(p, p->html.since, "tag or attribute value opened here is never closed");
	}
}

/* Set ------------------------------------------------------------------------------------------ */

static int tpl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tpl *)a)->name, ((const struct tpl *)b)->name);
}

static const struct tpl *find(const struct pd_tpl_set *set, const char *name)
{
	if (!set || !name)
		return NULL;
	struct tpl key = {.name = name};
	return bsearch(&key, set->tpls, set->n, sizeof key, tpl_cmp);
}

/* Depth-first over partials from template t, reached through level includes: refuses cycles
 * and chains deeper than the limit. state: 0 unseen, 1 on the current path, 2 done with
 * depth[t] the longest chain of includes below t (memoised, so the walk is linear). */
static int check_partials(struct pd_tpl_set *set, size_t t, unsigned level, unsigned char *state,
                          unsigned *depth, char *err, size_t errlen)
{
	const struct tpl *tp = &set->tpls[t];
	unsigned deepest = 0;
	state[t] = 1;
	for (size_t i = 0; i < tp->n_ops; i++) {
		const struct op *op = &tp->ops[i];
		if (op->kind != OP_PARTIAL)
			continue;
		size_t c = op->partial;
		if (state[c] == 1)
			return fail_at(err, errlen, tp->file, op->line, "partial '%s' includes itself",
			               op->text);
		if (state[c] == 0 && level < PD_TPL_MAX_PARTIAL_DEPTH) {
			int rc = check_partials(set, c, level + 1, state, depth, err, errlen);
			if (rc != PD_OK)
				return rc;
		}
		if (state[c] != 2 || level + 1 + depth[c] > PD_TPL_MAX_PARTIAL_DEPTH)
			return fail_at(err, errlen, tp->file, op->line, "partials nest deeper than %d",
			               PD_TPL_MAX_PARTIAL_DEPTH);
		if (1 + depth[c] > deepest)
			deepest = 1 + depth[c];
	}
	state[t] = 2;
	depth[t] = deepest;
	return PD_OK;
}

static int link_partials(struct pd_tpl_set *set, char *err, size_t errlen)
{
	for (size_t t = 0; t < set->n; t++) {
		struct tpl *tp = &set->tpls[t];
		for (size_t i = 0; i < tp->n_ops; i++) {
			struct op *op = &tp->ops[i];
			if (op->kind != OP_PARTIAL)
				continue;
			const struct tpl *target = find(set, op->text);
			if (!target)
				return fail_at(err, errlen, tp->file, op->line, "partial '%s' not found",
				               op->text);
			op->partial = (size_t)(target - set->tpls);
		}
	}
	unsigned char *state = pd_xcalloc(set->n + 1, 1);
	unsigned *depth = pd_xcalloc(set->n + 1, sizeof *depth);
	int rc = PD_OK;
	for (size_t t = 0; t < set->n && rc == PD_OK; t++)
		if (state[t] == 0)
			rc = check_partials(set, t, 0, state, depth, err, errlen);
	free(depth);
	free(state);
	return rc;
}

static int load_one(struct pd_tpl_set *set, struct tpl *t, const struct pd_tpl_source *src,
                    char *err, size_t errlen)
{
	const char *file = src->file ? src->file : src->name ? src->name : "(unnamed)";
	if (!src->name || !tpl_name_valid(src->name, strlen(src->name)))
		return fail_at(err, errlen, file, 0, "bad template name");
	if (src->len > PD_TPL_MAX_SIZE || (!src->text && src->len))
		return fail_at(err, errlen, file, 0, "no text, or larger than %d bytes",
		               PD_TPL_MAX_SIZE);
	struct parser p = {
		.arena = set->arena,
		.file = pd_arena_strdup(set->arena, file),
		.src = pd_arena_strndup(set->arena, src->text ? src->text : "", src->len),
		.len = src->len,
		.line = 1,
		.err = err,
		.errlen = errlen,
	};
	int rc = parse(&p);
	if (rc == PD_OK) {
		t->name = pd_arena_strdup(set->arena, src->name);
		t->file = p.file;
		t->ops = pd_arena_memdup(set->arena, p.ops, p.n_ops * sizeof *p.ops);
		t->n_ops = p.n_ops;
	}
	free(p.ops);
	return rc;
}

struct pd_tpl_set *pd_tpl_set_load_strings(const struct pd_tpl_source *src, size_t n,
                                           char *err, size_t errlen)
{
	if (errlen)
		err[0] = '\0';
	struct pd_tpl_set *set = pd_xcalloc(1, sizeof *set);
	set->arena = pd_arena_new();
	set->tpls = pd_arena_alloc(set->arena, (n ? n : 1) * sizeof *set->tpls);
	set->n = n;
	int rc = PD_OK;
	for (size_t i = 0; i < n && rc == PD_OK; i++)
		rc = load_one(set, &set->tpls[i], &src[i], err, errlen);
	if (rc != PD_OK)
		goto out;
	qsort(set->tpls, n, sizeof *set->tpls, tpl_cmp);
	for (size_t i = 1; i < n && rc == PD_OK; i++)
		if (strcmp(set->tpls[i - 1].name, set->tpls[i].name) == 0)
			rc = fail_at(err, errlen, set->tpls[i].file, 0, "duplicate template name '%s'",
			             set->tpls[i].name);
	if (rc == PD_OK)
		rc = link_partials(set, err, errlen);
out:
	if (rc != PD_OK) {
		pd_tpl_set_free(set);
		return NULL;
	}
	return set;
}

struct pd_tpl_set *pd_tpl_set_load_embedded(const char *prefix, char *err, size_t errlen)
{
	if (!prefix)
		prefix = "templates/";
	size_t plen = strlen(prefix), n = 0, suffix = strlen(".html");
	struct pd_tpl_source *src = pd_xcalloc(pd_embedded_count + 1, sizeof *src);
	for (size_t i = 0; i < pd_embedded_count; i++) {
		const struct pd_embedded *f = &pd_embedded_files[i];
		size_t len = strlen(f->name);
		if (!pd_str_starts(f->name, prefix) || !pd_str_ends(f->name, ".html") ||
		    len <= plen + suffix)
			continue;
		char *name = pd_xmalloc(len - plen - suffix + 1);
		memcpy(name, f->name + plen, len - plen - suffix);
		name[len - plen - suffix] = '\0';
		src[n++] = (struct pd_tpl_source){name, f->name, (const char *)f->data, f->len};
	}
	struct pd_tpl_set *set = pd_tpl_set_load_strings(src, n, err, errlen);
	for (size_t i = 0; i < n; i++)
		free((char *)src[i].name);
	free(src);
	return set;
}

void pd_tpl_set_free(struct pd_tpl_set *set)
{
	if (!set)
		return;
	pd_arena_free(set->arena);
	free(set);
}

bool pd_tpl_set_has(const struct pd_tpl_set *set, const char *name)
{
	return find(set, name) != NULL;
}

/* Rendering ------------------------------------------------------------------------------------ */

struct render {
	struct pd_buf *out;
	const char *lang;
	const struct pd_tpl_set *set;
	json_t *scopes[MAX_SCOPES];  /* borrowed; innermost last */
	size_t n_scopes;
	unsigned partial_depth;
};

/* A member of an object, or an element of an array named by a segment of digits. */
static json_t *child(json_t *v, const char *seg)
{
	if (json_is_object(v))
		return json_object_get(v, seg);
	int64_t idx;
	if (json_is_array(v) && pd_parse_i64(seg, 0, INT32_MAX, &idx) == PD_OK && seg[0] != '+')
		return json_array_get(v, (size_t)idx);
	return NULL;
}

static json_t *lookup(const struct render *r, const struct op *op)
{
	if (op->n_segs == 0)
		return r->n_scopes ? r->scopes[r->n_scopes - 1] : NULL;
	json_t *v = NULL;
	for (size_t i = r->n_scopes; i-- > 0 && !v;)
		if (json_is_object(r->scopes[i]))
			v = json_object_get(r->scopes[i], op->segs[0]);
	for (size_t k = 1; k < op->n_segs && v; k++)
		v = child(v, op->segs[k]);
	return v;
}

static json_t *html_marker(json_t *v)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	json_t *s = json_object_get(v, HTML_KEY);
	return json_is_string(s) ? s : NULL;
}

static bool truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

static int emit_value(struct render *r, const struct op *op, json_t *v)
{
	char num[40];
	const char *s = NULL;
	size_t n = 0;
	json_t *marker;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		n = (size_t)snprintf(num, sizeof num, "%.15g", json_real_value(v));
		s = num;
	} else if ((marker = html_marker(v)) != NULL) {
		s = json_string_value(marker);
		n = json_string_length(marker);
		if (op->esc == ESC_TRUSTED_HTML)
			return pd_buf_append(r->out, s, n);
	}
	if (!s)
		return PD_OK;
	if (op->esc == ESC_URL)
		return pd_url_escape_buf(r->out, s, n);
	if (op->check_url && !pd_url_is_safe(s, n))
		return pd_buf_puts(r->out, UNSAFE_URL);
	return pd_html_escape(r->out, s, n);
}

static int render_ops(struct render *r, const struct tpl *t, size_t from, size_t to);

static int render_section(struct render *r, const struct tpl *t, const struct op *op, size_t i)
{
	json_t *v = lookup(r, op);
	if (op->kind == OP_INVERTED)
		return truthy(v) ? PD_OK : render_ops(r, t, i + 1, op->end);
	if (!truthy(v))
		return PD_OK;
	if (r->n_scopes == MAX_SCOPES)
		return PD_ERR_INVALID;  /* unreachable: load limits depth */
	/* Once per element of an array, else once with the value itself as the scope. */
	size_t n = json_is_array(v) ? json_array_size(v) : 1;
	for (size_t k = 0; k < n; k++) {
		r->scopes[r->n_scopes++] = json_is_array(v) ? json_array_get(v, k) : v;
		int rc = render_ops(r, t, i + 1, op->end);
		r->n_scopes--;
		if (rc != PD_OK)
			return rc;
	}
	return PD_OK;
}

static int render_ops(struct render *r, const struct tpl *t, size_t from, size_t to)
{
	size_t i = from;
	while (i < to) {
		const struct op *op = &t->ops[i];
		int rc = PD_OK;
		switch (op->kind) {
		case OP_TEXT:
			rc = pd_buf_append(r->out, op->text, op->len);
			break;
		case OP_VALUE:
			rc = emit_value(r, op, lookup(r, op));
			break;
		case OP_TRANSLATE: {
			const char *s = pd_i18n_text(r->lang, op->text);
			rc = pd_html_escape(r->out, s, strlen(s));
			break;
		}
		case OP_PARTIAL:
			if (r->partial_depth >= PD_TPL_MAX_PARTIAL_DEPTH)
				return PD_ERR_INVALID;  /* unreachable: load refuses deeper chains */
			r->partial_depth++;
			rc = render_ops(r, &r->set->tpls[op->partial], 0, r->set->tpls[op->partial].n_ops);
			r->partial_depth--;
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, t, op, i);
			i = op->end;
			if (rc != PD_OK)
				return rc;
			continue;
		}
		if (rc != PD_OK)
			return rc;
		i++;
	}
	return PD_OK;
}

static int render_with(const struct pd_tpl_set *set, const struct tpl *t, json_t *ctx,
                       json_t *overlay, const char *lang, struct pd_buf *out)
{
	struct render r = {.out = out, .lang = lang, .set = set};
	if (ctx)
		r.scopes[r.n_scopes++] = ctx;
	if (overlay)
		r.scopes[r.n_scopes++] = overlay;
	size_t start = out->len;
	int rc = render_ops(&r, t, 0, t->n_ops);
	if (rc != PD_OK && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}

int pd_tpl_render(const struct pd_tpl_set *set, const char *name, json_t *ctx,
                  const char *lang, struct pd_buf *out)
{
	const struct tpl *t = find(set, name);
	if (!t)
		return PD_ERR_NOT_FOUND;
	return render_with(set, t, ctx, NULL, lang, out);
}

static json_t *wrap_html(const char *s, size_t n, bool checked)
{
	if (!s)
		return NULL;
	json_t *str = checked ? json_stringn(s, n) : json_stringn_nocheck(s, n);
	json_t *obj = json_object();
	if (!str || !obj || json_object_set_new_nocheck(obj, HTML_KEY, str) != 0) {
		json_decref(obj);
		return NULL;  /* json_object_set_new_nocheck has released str, or str is NULL */
	}
	return obj;
}

json_t *pd_tpl_html(const char *trusted)
{
	return trusted ? wrap_html(trusted, strlen(trusted), true) : NULL;
}

json_t *pd_tpl_htmln(const char *trusted, size_t len)
{
	return wrap_html(trusted, len, true);
}

int pd_tpl_render_page(const struct pd_tpl_set *set, const char *content_name, json_t *ctx,
                       const char *lang, struct pd_buf *out)
{
	const struct tpl *layout = find(set, "layout"), *page = find(set, content_name);
	if (!layout || !page)
		return PD_ERR_NOT_FOUND;
	struct pd_buf content;
	pd_buf_init(&content, out->max > out->len ? out->max - out->len : 0);
	json_t *overlay = NULL;
	int rc = render_with(set, page, ctx, NULL, lang, &content);
	if (rc != PD_OK)
		goto out;
	const char *code = pd_i18n_canonical(lang);
	if (!code)
		code = PD_I18N_DEFAULT;
	rc = PD_ERR_NOMEM;
	overlay = json_object();
	if (!overlay ||
	    json_object_set_new(overlay, "content",
	                        wrap_html(pd_buf_cstr(&content), content.len, false)) != 0 ||
	    json_object_set_new(overlay, "lang", json_string(code)) != 0 ||
	    json_object_set_new(overlay, "lang_is_id", json_boolean(strcmp(code, "id") == 0)) != 0 ||
	    json_object_set_new(overlay, "lang_is_en", json_boolean(strcmp(code, "en") == 0)) != 0)
		goto out;
	rc = render_with(set, layout, ctx, overlay, code, out);
out:
	json_decref(overlay);
	pd_buf_free(&content);
	return rc;
}
