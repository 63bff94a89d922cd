/* An empty embedded-file table, so unit tests can be built alone with gcc, without the
 * generated embedded.c (the meson build links the real one instead; do not add this file there). */
#include <stddef.h>

#include "core/embed.h"

const struct pd_embedded pd_embedded_files[] = {{NULL, NULL, 0}};
const size_t pd_embedded_count = 0;
