/* Allocation wrappers that abort on out of memory, so callers need no NULL checks. */
#ifndef PD_CORE_MEM_H
#define PD_CORE_MEM_H

#include <stddef.h>

/* Logs and aborts; used when an allocation fails. */
_Noreturn void pd_oom(void);

/* malloc/calloc/realloc/strdup that never return NULL; caller frees with free(). */
void *pd_xmalloc(size_t n);
void *pd_xcalloc(size_t n, size_t size);
void *pd_xrealloc(void *p, size_t n);
char *pd_xstrdup(const char *s);

#endif
