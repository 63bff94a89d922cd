/* Lookup of embedded files by name. */
#include "core/embed.h"

#include <string.h>

const struct pd_embedded *pd_embed_find(const char *name)
{
	for (size_t i = 0; i < pd_embedded_count; i++)
		if (strcmp(pd_embedded_files[i].name, name) == 0)
			return &pd_embedded_files[i];
	return NULL;
}
