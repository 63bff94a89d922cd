/* Files embedded into the binary at build time: templates, static assets, migrations,
 * translations and reference data. */
#ifndef PD_CORE_EMBED_H
#define PD_CORE_EMBED_H

#include <stddef.h>

struct pd_embedded {
	const char *name;  /* path relative to the source root, e.g. "templates/layout.html" */
	const unsigned char *data;  /* NUL-terminated, static */
	size_t len;
};

extern const struct pd_embedded pd_embedded_files[];  /* ends with a NULL name */
extern const size_t pd_embedded_count;

/* Returns the embedded file with this name, or NULL. */
const struct pd_embedded *pd_embed_find(const char *name);

#endif
