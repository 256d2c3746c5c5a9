/* buf.c - growable NUL-terminated buffer and aborting allocators. */
#include "ddlsnap/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

static void oom(void)
{
	fputs("ddlsnap: out of memory\n", stderr);
	abort();
}

void *ds_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *ds_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *ds_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *ds_xstrdup(const char *s)
{
	return ds_xstrndup(s, strlen(s));
}

char *ds_xstrndup(const char *s, size_t n)
{
	char *p = ds_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void grow(ds_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->ptr = ds_xrealloc(b->ptr, cap);
	b->cap = cap;
}

void ds_buf_put(ds_buf *b, const void *data, size_t len)
{
	grow(b, len);
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void ds_buf_puts(ds_buf *b, const char *s)
{
	ds_buf_put(b, s, strlen(s));
}

void ds_buf_putc(ds_buf *b, char c)
{
	ds_buf_put(b, &c, 1);
}

void ds_buf_printf(ds_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void ds_buf_clear(ds_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *ds_buf_detach(ds_buf *b)
{
	char *p = b->ptr ? b->ptr : ds_xstrdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void ds_buf_free(ds_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

const char *ds_buf_cstr(const ds_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *ds_random_hex(size_t nbytes)
{
	unsigned char *bytes = ds_xmalloc(nbytes ? nbytes : 1);
	char *hex = NULL;
	if (RAND_bytes(bytes, (int)nbytes) == 1) {
		hex = ds_xmalloc(2 * nbytes + 1);
		for (size_t i = 0; i < nbytes; i++)
			snprintf(hex + 2 * i, 3, "%02x", bytes[i]);
		hex[2 * nbytes] = 0;
	}
	free(bytes);
	return hex;
}
