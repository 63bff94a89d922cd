/* Reading a signed document's envelope {"doc","kid","sig"} without verifying it: whether a
 * text is an envelope at all, a damaged one, or one whose signed non-personal fields can be
 * shown (offline verification prints them, so the reader compares them with the paper). */
#ifndef PD_DOMAIN_DOCUMENT_SIGNED_H
#define PD_DOMAIN_DOCUMENT_SIGNED_H

#include <stddef.h>

#include "core/arena.h"

/* The signed object's non-personal fields (the holder is a digest and not shown). Each is
 * arena-owned, or NULL when the object lacks it or it is not a string. */
struct pd_document_signed {
	const char *id, *number, *product, *service, *unit, *issued, *issuer, *verify;
	const char *kid;
};

/* Reads envelope text (len bytes; JSON, duplicate members refused as the verifier does) into
 * *out. PD_OK when it is an envelope of the right shape (an object whose "doc" is an object
 * and whose "kid" and "sig" are strings); PD_ERR_INVALID when it is a JSON object with a
 * "doc", "kid" or "sig" member but not of that shape (a damaged envelope); PD_ERR_NOT_FOUND
 * when the text is not JSON or has none of those members (no envelope at all). Says nothing
 * about the signature: pd_document_verify_envelope does. */
int pd_document_signed_read(const char *text, size_t len, struct pd_arena *a,
                            struct pd_document_signed *out);

#endif
