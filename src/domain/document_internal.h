/* Declarations shared by domain/document*.c only. */
#ifndef PD_DOMAIN_DOCUMENT_INTERNAL_H
#define PD_DOMAIN_DOCUMENT_INTERNAL_H

#include <jansson.h>

#include "domain/document.h"
#include "store/document_store.h"

/* The configured environment (pd_document_configure): copies, valid while configured. */
struct pd_document_env {
	struct pd_keyset *ks;   /* NULL when not configured */
	char public_url[512];
	char site_name[200];
	int tz_offset_min;
};

/* Copies the current environment into *out; false when not configured. */
bool pd_document_env_get(struct pd_document_env *out);

/* Base64url without padding of n bytes, arena-owned. */
char *pd_document_b64url(struct pd_arena *a, const void *p, size_t n);

/* Decodes base64url (no padding, ignoring nothing) into out (at most max bytes); -1 on error. */
long pd_document_b64url_decode(const char *s, size_t len, unsigned char *out, size_t max);

/* Fills the public view from a row (parses content for display fields). */
void pd_document_from_row(struct pd_arena *a, const struct pd_document_row *r,
                          struct pd_document *out);

/* Verifies sig (base64url) over content under the key kid among keys. */
bool pd_document_sig_ok(const char *content, size_t len, const char *kid, const char *sig,
                        const struct pd_document_pubkey *keys, int n_keys);

#endif
