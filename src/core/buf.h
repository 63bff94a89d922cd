/* Growable byte buffer with a maximum size (curl's dynbuf idea). */
#ifndef PD_CORE_BUF_H
#define PD_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pd_buf {
	char *data;  /* always NUL-terminated when non-NULL; owned by the buffer */
	size_t len;
	size_t cap;
	size_t max;  /* appends that would pass this fail with PD_ERR_TOO_LARGE */
};

/* Initialises an empty buffer that may grow to max bytes. */
void pd_buf_init(struct pd_buf *b, size_t max);

/* Frees the storage and resets to empty. */
void pd_buf_free(struct pd_buf *b);

/* Empties the buffer, keeping its storage. */
void pd_buf_reset(struct pd_buf *b);

/* Append; return PD_OK or PD_ERR_TOO_LARGE (buffer unchanged then). */
int pd_buf_append(struct pd_buf *b, const void *p, size_t n);
int pd_buf_puts(struct pd_buf *b, const char *s);
int pd_buf_putc(struct pd_buf *b, char c);
int pd_buf_printf(struct pd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int pd_buf_vprintf(struct pd_buf *b, const char *fmt, va_list ap);

/* Returns the contents as a C string ("" when empty); borrowed until the next change. */
const char *pd_buf_cstr(struct pd_buf *b);

/* Hands the storage to the caller (caller frees), leaving the buffer empty. */
char *pd_buf_steal(struct pd_buf *b, size_t *len);

#endif
