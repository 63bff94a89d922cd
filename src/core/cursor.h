/* Opaque keyset-pagination cursors: the sort key of the last row shown, authenticated so a
 * client cannot forge positions, encoded as base64url. */
#ifndef PD_CORE_CURSOR_H
#define PD_CORE_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct pd_cursor {
	int64_t k1;       /* e.g. a timestamp */
	const char *k2;   /* e.g. an id breaking ties (UUIDv7) */
};

/* Sets the process key that authenticates cursors (32 bytes); without it cursors are only
 * checked for form. */
void pd_cursor_set_key(const unsigned char key[32]);

/* Encodes c as an arena-owned opaque string. */
char *pd_cursor_encode(struct pd_arena *a, const struct pd_cursor *c);

/* Decodes s into c (k2 arena-owned). PD_ERR_INVALID for anything that is not a cursor we made. */
int pd_cursor_decode(struct pd_arena *a, const char *s, struct pd_cursor *c);

/* Parses ?limit=: default when NULL, PD_ERR_INVALID outside 1..max. */
int pd_cursor_limit(const char *s, int def, int max, int *out);

#endif
