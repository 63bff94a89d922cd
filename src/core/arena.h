/* Region allocator: everything allocated from an arena is freed with it in one go. */
#ifndef PD_CORE_ARENA_H
#define PD_CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct pd_arena;

/* Creates an empty arena. Caller frees with pd_arena_free. Aborts on out of memory. */
struct pd_arena *pd_arena_new(void);

/* Runs the deferred cleanups (last registered first), then frees all memory. NULL is a no-op. */
void pd_arena_free(struct pd_arena *a);

/* Returns n zeroed bytes aligned for any type, arena-owned. Aborts on out of memory. */
void *pd_arena_alloc(struct pd_arena *a, size_t n);

/* Returns an arena-owned copy of s (NULL gives NULL). */
char *pd_arena_strdup(struct pd_arena *a, const char *s);

/* Returns an arena-owned, NUL-terminated copy of the first n bytes of s. */
char *pd_arena_strndup(struct pd_arena *a, const char *s, size_t n);

/* Returns an arena-owned copy of n bytes of p. */
void *pd_arena_memdup(struct pd_arena *a, const void *p, size_t n);

/* Formats into an arena-owned string. */
char *pd_arena_printf(struct pd_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *pd_arena_vprintf(struct pd_arena *a, const char *fmt, va_list ap);

/* Registers fn(p) to run when the arena is freed (json_t, statements, results). */
void pd_arena_defer(struct pd_arena *a, void (*fn)(void *), void *p);

/* Bytes handed out so far (for limits and metrics). */
size_t pd_arena_used(const struct pd_arena *a);

#endif
