/* The fixed reasons for revoking a document. The reason is published on the public
 * verification page and in its JSON, so staff choose one of these instead of typing text that
 * could carry personal data; no free-text note is kept. */
#ifndef PD_DOMAIN_DOCUMENT_REASON_H
#define PD_DOMAIN_DOCUMENT_REASON_H

#include <stddef.h>

/* One reason: code (stored and in the JSON, [a-z-]) and label (Indonesian; the msgid of its
 * translation). */
struct pd_document_reason {
	const char *code;
	const char *label;
};

/* The reasons in the order the form offers them. */
extern const struct pd_document_reason pd_document_reasons[];
extern const size_t pd_document_n_reasons;

/* The label of reason code, or NULL when code is NULL or not one of the list. */
const char *pd_document_reason_label(const char *code);

#endif
