/* A small RDF graph and its two serialisations, Turtle and JSON-LD with an inline context: the
 * catalogue is described once and written in either form, so both say exactly the same. */
#include "api/dcat_rdf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

static const struct {
	const char *prefix, *iri;
} prefixes[] = {
	{"dcat", "http://www.w3.org/ns/dcat#"},
	{"dct", "http://purl.org/dc/terms/"},
	{"foaf", "http://xmlns.com/foaf/0.1/"},
	{"xsd", "http://www.w3.org/2001/XMLSchema#"},
	{"hydra", "http://www.w3.org/ns/hydra/core#"},
	{"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
	{"adms", "http://www.w3.org/ns/adms#"},
	{"vcard", "http://www.w3.org/2006/vcard/ns#"},
};

void pd_rdf_init(struct pd_rdf_graph *g, struct pd_arena *a, size_t max)
{
	memset(g, 0, sizeof *g);
	g->a = a;
	g->max = max;
}

void pd_rdf_free(struct pd_rdf_graph *g)
{
	free(g->t);
	g->t = NULL;
	g->n = g->cap = 0;
}

struct pd_rdf_term pd_rdf_iri(const char *iri)
{
	return (struct pd_rdf_term){PD_RDF_IRI, iri, NULL, NULL};
}

struct pd_rdf_term pd_rdf_curie(const char *name)
{
	return (struct pd_rdf_term){PD_RDF_CURIE, name, NULL, NULL};
}

struct pd_rdf_term pd_rdf_lit(const char *text, const char *lang)
{
	return (struct pd_rdf_term){PD_RDF_LIT, text ? text : "", lang, NULL};
}

struct pd_rdf_term pd_rdf_typed(const char *text, const char *datatype)
{
	return (struct pd_rdf_term){PD_RDF_LIT, text ? text : "", NULL, datatype};
}

struct pd_rdf_term pd_rdf_bnode(struct pd_rdf_graph *g)
{
	return (struct pd_rdf_term){PD_RDF_BNODE, pd_arena_printf(g->a, "b%d", ++g->n_bnodes), NULL,
	                            NULL};
}

void pd_rdf_add(struct pd_rdf_graph *g, struct pd_rdf_term s, const char *p, struct pd_rdf_term o)
{
	if (g->n >= g->max) {
		g->dropped++;
		return;
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->t = pd_xrealloc(g->t, g->cap * sizeof *g->t);
	}
	g->t[g->n++] = (struct pd_rdf_triple){s, p, o};
}

/* --- Turtle ----------------------------------------------------------------------------------- */

/* An IRI between <>, percent-encoding what Turtle's IRIREF forbids (RFC 3987 leaves the rest).
 * Appends report errors (a full buffer) by a non-zero result, OR-ed along. */
static int put_iri(struct pd_buf *b, const char *iri)
{
	int rc = pd_buf_putc(b, '<');
	for (const unsigned char *p = (const unsigned char *)iri; *p; p++) {
		if (*p <= 0x20 || strchr("<>\"{}|^`\\", *p))
			rc |= pd_buf_printf(b, "%%%02X", *p);
		else
			rc |= pd_buf_putc(b, (char)*p);
	}
	return rc | pd_buf_putc(b, '>');
}

/* A string literal's text between "", escaped (Turtle ECHAR and UCHAR for other controls). */
static int put_string(struct pd_buf *b, const char *s)
{
	int rc = pd_buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': rc |= pd_buf_puts(b, "\\\""); break;
		case '\\': rc |= pd_buf_puts(b, "\\\\"); break;
		case '\n': rc |= pd_buf_puts(b, "\\n"); break;
		case '\r': rc |= pd_buf_puts(b, "\\r"); break;
		case '\t': rc |= pd_buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rc |= pd_buf_printf(b, "\\u%04X", *p);
			else
				rc |= pd_buf_putc(b, (char)*p);
		}
	}
	return rc | pd_buf_putc(b, '"');
}

static int put_term(struct pd_buf *b, const struct pd_rdf_term *t)
{
	int rc = 0;
	switch (t->kind) {
	case PD_RDF_IRI: rc = put_iri(b, t->value); break;
	case PD_RDF_CURIE: rc = pd_buf_puts(b, t->value); break;
	case PD_RDF_BNODE: rc = pd_buf_printf(b, "_:%s", t->value); break;
	case PD_RDF_LIT:
		rc = put_string(b, t->value);
		if (t->lang)
			rc |= pd_buf_printf(b, "@%s", t->lang);
		else if (t->datatype)
			rc |= pd_buf_printf(b, "^^%s", t->datatype);
		break;
	}
	return rc;
}

static bool same_subject(const struct pd_rdf_term *x, const struct pd_rdf_term *y)
{
	return x->kind == y->kind && strcmp(x->value, y->value) == 0;
}

int pd_rdf_turtle(const struct pd_rdf_graph *g, struct pd_buf *b)
{
	int rc = 0;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		rc |= pd_buf_printf(b, "@prefix %s: <%s> .\n", prefixes[i].prefix, prefixes[i].iri);
	for (size_t i = 0; i < g->n; i++) {
		const struct pd_rdf_triple *t = &g->t[i];
		if (i == 0 || !same_subject(&g->t[i - 1].s, &t->s)) {
			rc |= pd_buf_putc(b, '\n');
			rc |= put_term(b, &t->s);
			rc |= pd_buf_putc(b, ' ');
		} else {
			rc |= pd_buf_puts(b, " ;\n    ");
		}
		rc |= pd_buf_puts(b, strcmp(t->p, "rdf:type") == 0 ? "a" : t->p);
		rc |= pd_buf_putc(b, ' ');
		rc |= put_term(b, &t->o);
		if (i + 1 == g->n || !same_subject(&g->t[i + 1].s, &t->s))
			rc |= pd_buf_puts(b, " .\n");
	}
	return rc ? PD_ERR_TOO_LARGE : PD_OK;
}

/* --- JSON-LD ---------------------------------------------------------------------------------- */

static json_t *node_ref(const struct pd_rdf_term *t)
{
	if (t->kind == PD_RDF_BNODE)
		return json_pack("{s:s+}", "@id", "_:", t->value);
	return json_pack("{s:s}", "@id", t->value);
}

static json_t *value_of(const struct pd_rdf_term *t)
{
	switch (t->kind) {
	case PD_RDF_IRI:
	case PD_RDF_CURIE:
	case PD_RDF_BNODE:
		return node_ref(t);
	case PD_RDF_LIT:
		break;
	}
	json_t *v = json_pack("{s:s}", "@value", t->value);
	if (t->lang)
		json_object_set_new(v, "@language", json_string(t->lang));
	else if (t->datatype)
		json_object_set_new(v, "@type", json_string(t->datatype));
	return v;
}

int pd_rdf_jsonld(const struct pd_rdf_graph *g, struct pd_buf *b)
{
	json_t *ctx = json_object();
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		json_object_set_new(ctx, prefixes[i].prefix, json_string(prefixes[i].iri));
	json_t *graph = json_array();
	json_t *node = NULL;
	for (size_t i = 0; i < g->n; i++) {
		const struct pd_rdf_triple *t = &g->t[i];
		if (i == 0 || !same_subject(&g->t[i - 1].s, &t->s)) {
			node = node_ref(&t->s);
			json_array_append_new(graph, node);
		}
		const char *key = strcmp(t->p, "rdf:type") == 0 ? "@type" : t->p;
		json_t *v = strcmp(key, "@type") == 0 ? json_string(t->o.value) : value_of(&t->o);
		json_t *arr = json_object_get(node, key);
		if (!arr) {
			arr = json_array();
			json_object_set_new(node, key, arr);
		}
		json_array_append_new(arr, v);
	}
	json_t *doc = json_pack("{s:o,s:o}", "@context", ctx, "@graph", graph);
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return PD_ERR_NOMEM;
	int rc = pd_buf_puts(b, text);
	free(text);
	if (rc == 0)
		rc = pd_buf_putc(b, '\n');
	return rc;
}
