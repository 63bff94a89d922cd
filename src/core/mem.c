/* Allocation wrappers that abort on out of memory. */
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void pd_oom(void)
{
	fputs("level=fatal event=out_of_memory\n", stderr);
	abort();
}

void *pd_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		pd_oom();
	return p;
}

void *pd_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		pd_oom();
	return p;
}

void *pd_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		pd_oom();
	return q;
}

char *pd_xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		pd_oom();
	return d;
}
