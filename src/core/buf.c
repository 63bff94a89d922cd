/* Growable byte buffer with a maximum size. */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

void pd_buf_init(struct pd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
}

void pd_buf_free(struct pd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void pd_buf_reset(struct pd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(struct pd_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return PD_ERR_TOO_LARGE;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return PD_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
	b->data = pd_xrealloc(b->data, cap);
	b->cap = cap;
	return PD_OK;
}

int pd_buf_append(struct pd_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return PD_OK;
}

int pd_buf_puts(struct pd_buf *b, const char *s)
{
	return pd_buf_append(b, s, strlen(s));
}

int pd_buf_putc(struct pd_buf *b, char c)
{
	return pd_buf_append(b, &c, 1);
}

int pd_buf_vprintf(struct pd_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return PD_ERR_INVALID;
	int rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return PD_OK;
}

int pd_buf_printf(struct pd_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = pd_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *pd_buf_cstr(struct pd_buf *b)
{
	return b->data ? b->data : "";
}

char *pd_buf_steal(struct pd_buf *b, size_t *len)
{
	char *d = b->data ? b->data : pd_xstrdup("");
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
