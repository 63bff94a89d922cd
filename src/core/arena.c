/* Region allocator with deferred cleanups; the debug build mallocs each block separately. */
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define ALIGN 16
#define BLOCK_SIZE 8192

struct block {
	struct block *next;
	size_t used, cap;
	_Alignas(ALIGN) unsigned char data[];
};

struct deferred {
	struct deferred *next;
	void (*fn)(void *);
	void *p;
};

struct pd_arena {
	struct block *blocks;
	struct deferred *deferred;
	size_t total;
};

struct pd_arena *pd_arena_new(void)
{
	return pd_xcalloc(1, sizeof(struct pd_arena));
}

void pd_arena_free(struct pd_arena *a)
{
	if (!a)
		return;
	while (a->deferred) {
		struct deferred *d = a->deferred;
		a->deferred = d->next;
		d->fn(d->p);
	}
	while (a->blocks) {
		struct block *b = a->blocks;
		a->blocks = b->next;
		free(b);
	}
	free(a);
}

void *pd_arena_alloc(struct pd_arena *a, size_t n)
{
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (need < n)
		pd_oom();
	a->total += n;
#ifdef PD_ARENA_DEBUG
	/* One malloc per allocation so AddressSanitizer sees every overrun. */
	struct block *b = pd_xmalloc(sizeof(*b) + need);
	b->used = b->cap = need;
	b->next = a->blocks;
	a->blocks = b;
	memset(b->data, 0, need);
	return b->data;
#else
	struct block *b = a->blocks;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > BLOCK_SIZE / 2 ? need : BLOCK_SIZE;
		struct block *nb = pd_xmalloc(sizeof(*nb) + cap);
		nb->used = 0;
		nb->cap = cap;
		if (b && cap == need) {
			/* A big allocation gets its own block behind the current one. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->blocks = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += need;
	memset(p, 0, need);
	return p;
#endif
}

char *pd_arena_strdup(struct pd_arena *a, const char *s)
{
	return s ? pd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *pd_arena_strndup(struct pd_arena *a, const char *s, size_t n)
{
	char *d = pd_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void *pd_arena_memdup(struct pd_arena *a, const void *p, size_t n)
{
	void *d = pd_arena_alloc(a, n ? n : 1);
	if (n)
		memcpy(d, p, n);
	return d;
}

char *pd_arena_vprintf(struct pd_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return pd_arena_strdup(a, "");
	char *s = pd_arena_alloc(a, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *pd_arena_printf(struct pd_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = pd_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

void pd_arena_defer(struct pd_arena *a, void (*fn)(void *), void *p)
{
	struct deferred *d = pd_arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->p = p;
	d->next = a->deferred;
	a->deferred = d;
}

size_t pd_arena_used(const struct pd_arena *a)
{
	return a->total;
}
