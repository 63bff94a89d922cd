/* A small RDF graph written once and serialised twice: as Turtle and as JSON-LD with its context
 * inline (the DCAT-AP catalogue's two forms). Prefixed names use the fixed prefixes below. */
#ifndef PD_API_DCAT_RDF_H
#define PD_API_DCAT_RDF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"

/* The prefixes every prefixed name of a graph must use: dcat, dct, foaf, xsd, hydra, rdfs,
 * adms, vcard. */

enum pd_rdf_kind {
	PD_RDF_IRI,    /* value: an absolute IRI */
	PD_RDF_CURIE,  /* value: a prefixed name ("dcat:Dataset") */
	PD_RDF_BNODE,  /* value: a blank node label ("b1") */
	PD_RDF_LIT,    /* value: the text; lang or datatype (a prefixed name) or neither */
};

struct pd_rdf_term {
	enum pd_rdf_kind kind;
	const char *value;
	const char *lang;      /* PD_RDF_LIT only, or NULL */
	const char *datatype;  /* PD_RDF_LIT only, a prefixed name ("xsd:dateTime"), or NULL */
};

struct pd_rdf_triple {
	struct pd_rdf_term s;  /* PD_RDF_IRI or PD_RDF_BNODE */
	const char *p;         /* a prefixed name; "rdf:type" is written "a" / "@type" */
	struct pd_rdf_term o;
};

struct pd_rdf_graph {
	struct pd_arena *a;     /* strings of the terms live here */
	struct pd_rdf_triple *t;
	size_t n, cap;
	size_t max;             /* most triples accepted (further adds are dropped and counted) */
	size_t dropped;
	int n_bnodes;
};

/* An empty graph whose strings live in a; at most max triples. Free with pd_rdf_free. */
void pd_rdf_init(struct pd_rdf_graph *g, struct pd_arena *a, size_t max);
void pd_rdf_free(struct pd_rdf_graph *g);

/* Term constructors (the strings are borrowed: keep them alive as long as the graph). */
struct pd_rdf_term pd_rdf_iri(const char *iri);
struct pd_rdf_term pd_rdf_curie(const char *name);
struct pd_rdf_term pd_rdf_lit(const char *text, const char *lang);
struct pd_rdf_term pd_rdf_typed(const char *text, const char *datatype);

/* A fresh blank node of g. */
struct pd_rdf_term pd_rdf_bnode(struct pd_rdf_graph *g);

/* Adds (s, p, o). Triples of one subject should be added together: both serialisations group
 * consecutive triples with the same subject. */
void pd_rdf_add(struct pd_rdf_graph *g, struct pd_rdf_term s, const char *p, struct pd_rdf_term o);

/* Writes g as Turtle (prefixes first) into b. 0, or PD_ERR_TOO_LARGE when b is full. */
int pd_rdf_turtle(const struct pd_rdf_graph *g, struct pd_buf *b);

/* Writes g as a JSON-LD document {"@context": {prefixes}, "@graph": [nodes]} into b. */
int pd_rdf_jsonld(const struct pd_rdf_graph *g, struct pd_buf *b);

#endif
