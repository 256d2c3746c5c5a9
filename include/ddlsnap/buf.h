/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 *
 * Used for object bodies, rendered DDL and messages. Out-of-memory aborts:
 * there is no sensible way to go on without memory, and checking every
 * append would hide the real logic.
 */
#ifndef DDLSNAP_BUF_H
#define DDLSNAP_BUF_H

#include <stddef.h>

typedef struct {
	char *ptr; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} ds_buf;

#define DS_BUF_INIT {NULL, 0, 0}

void ds_buf_put(ds_buf *b, const void *data, size_t len);
void ds_buf_puts(ds_buf *b, const char *s);
void ds_buf_putc(ds_buf *b, char c);
void ds_buf_printf(ds_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ds_buf_clear(ds_buf *b);
/** Take the contents (never NULL: "" for an empty buffer); b is reset. */
char *ds_buf_detach(ds_buf *b);
void ds_buf_free(ds_buf *b);

/** nbytes random bytes (OpenSSL) as lowercase hex, malloc'd; NULL when none. */
char *ds_random_hex(size_t nbytes);
/** The contents as a C string ("" when empty). */
const char *ds_buf_cstr(const ds_buf *b);

/** malloc/realloc/strdup that abort on failure. */
void *ds_xmalloc(size_t n);
void *ds_xcalloc(size_t n, size_t size);
void *ds_xrealloc(void *p, size_t n);
char *ds_xstrdup(const char *s);
char *ds_xstrndup(const char *s, size_t n);

#endif
