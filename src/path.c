/*
 * path.c - reversible escaping of PostgreSQL names into git path components
 * (see path.h and docs/paths.md).
 *
 * Unescaping accepts only what escaping produces, so every component maps to
 * at most one name and every name to exactly one component.
 */
#include "ddlsnap/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ddlsnap/error.h"
#include "ddlsnap/gitobj.h"

#define HASH_HEX_DIGITS 12
/* What is left of a long component for the escaped name: "~" and the hash follow it. */
#define SHORT_PREFIX_MAX (DS_PATH_MAX_COMPONENT - 1 - HASH_HEX_DIGITS)

static const char hexdigits[] = "0123456789ABCDEF";

static int needs_percent(unsigned char c)
{
	return c == '%' || c == '/' || c == '~' || c == '\\' || c < 0x20 || c == 0x7f;
}

static void put_percent(ds_buf *out, unsigned char c)
{
	char esc[3] = {'%', hexdigits[c >> 4], hexdigits[c & 0xf]};

	ds_buf_put(out, esc, sizeof esc);
}

static void escape_full(ds_buf *out, const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	/* Still among the HFS-ignorable code points that may open the name. */
	int at_start = 1;

	if (!*s) {
		ds_buf_puts(out, "%00");
		return;
	}
	while (*s) {
		size_t skip = at_start ? ds_git_hfs_ignorable_len((const char *)s) : 0;

		if (skip) {
			ds_buf_put(out, s, skip);
			s += skip;
			continue;
		}
		if (needs_percent(*s) || (at_start && *s == '.'))
			put_percent(out, *s);
		else
			ds_buf_putc(out, (char)*s);
		at_start = 0;
		s++;
	}
}

/*
 * Where to cut an escaped name so that the part kept is at most max bytes
 * and ends neither inside a %XX escape nor inside a UTF-8 character.
 */
static size_t cut_point(const char *esc, size_t max)
{
	size_t cut = max, back;

	/* A '%' in escaped text always starts an escape. */
	if (esc[cut - 1] == '%')
		cut -= 1;
	else if (esc[cut - 2] == '%')
		cut -= 2;
	/* A UTF-8 character is at most four bytes: three continuations. */
	for (back = 0; back < 3 && cut > 0 && ((unsigned char)esc[cut] & 0xc0) == 0x80; back++)
		cut--;
	return cut;
}

static void put_hash_suffix(ds_buf *out, const char *esc, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(esc, len, md, &mdlen, EVP_sha1(), NULL) != 1 ||
	    mdlen < HASH_HEX_DIGITS / 2) {
		/* Same policy as ds_xmalloc: no sensible way on without a digest. */
		fputs("ddlsnap: SHA-1 digest failed\n", stderr);
		abort();
	}
	ds_buf_putc(out, '~');
	for (size_t i = 0; i < HASH_HEX_DIGITS / 2; i++) {
		ds_buf_putc(out, "0123456789abcdef"[md[i] >> 4]);
		ds_buf_putc(out, "0123456789abcdef"[md[i] & 0xf]);
	}
}

void ds_path_escape(ds_buf *out, const char *name, const char *suffix)
{
	ds_buf esc = DS_BUF_INIT;

	escape_full(&esc, name);
	if (esc.len <= DS_PATH_MAX_COMPONENT) {
		ds_buf_put(out, esc.ptr, esc.len);
	} else {
		ds_buf_put(out, esc.ptr, cut_point(esc.ptr, SHORT_PREFIX_MAX));
		put_hash_suffix(out, esc.ptr, esc.len);
	}
	if (suffix)
		ds_buf_puts(out, suffix);
	ds_buf_free(&esc);
}

static int hexval(char c)
{
	/* Only the uppercase digits escaping writes: one spelling per byte. */
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ds_path_unescape(ds_buf *out, const char *component)
{
	ds_buf name = DS_BUF_INIT, again = DS_BUF_INIT;
	int error = 0;

	if (!strcmp(component, "%00"))
		return 0;

	for (const char *p = component; *p && !error; p++) {
		int hi, lo;

		if (*p == '~') {
			error = ds_error_setc(DS_EINVALID,
					      "'%.100s' is a shortened name and cannot be reversed",
					      component);
		} else if (*p != '%') {
			ds_buf_putc(&name, *p);
		} else if ((hi = hexval(p[1])) < 0 || (lo = hexval(p[2])) < 0) {
			error = ds_error_setc(DS_EINVALID, "'%.100s' has a malformed %% escape",
					      component);
		} else {
			ds_buf_putc(&name, (char)(hi << 4 | lo));
			p += 2;
		}
	}

	/*
	 * Decoding alone would also accept spellings escaping never writes
	 * ("%41" for "A", a raw leading '.', "%00" inside a name, a component
	 * too long to be left unshortened); comparing with a fresh escape of
	 * the decoded C string keeps the mapping one-to-one.
	 */
	if (!error) {
		escape_full(&again, ds_buf_cstr(&name));
		if (again.len > DS_PATH_MAX_COMPONENT || again.len != strlen(component) ||
		    memcmp(again.ptr, component, again.len))
			error = ds_error_setc(DS_EINVALID, "'%.100s' is not an escaped name",
					      component);
	}
	if (!error)
		ds_buf_put(out, ds_buf_cstr(&name), name.len);
	ds_buf_free(&name);
	ds_buf_free(&again);
	return error;
}
