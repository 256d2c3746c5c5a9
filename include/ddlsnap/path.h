/*
 * path.h - reversible escaping of PostgreSQL names into git path components.
 *
 * A snapshot stores one blob per object at <schema>/<kind>/<name>.sql.
 * PostgreSQL names may hold any byte but NUL, git path components may not
 * hold '/', may not be empty, ".", ".." or ".git", and fsck --strict also
 * refuses names that Windows or macOS would read as ".git". The scheme (see
 * docs/paths.md):
 *   - '%' '/' '~' '\\', bytes below 0x20 and 0x7f become %XX (uppercase hex);
 *   - a leading '.' becomes %2E (covers ".", "..", ".git" and friends), also
 *     when only code points that HFS+ ignores (U+200C..U+200F,
 *     U+202A..U+202E, U+206A..U+206F, U+FEFF) precede it, since fsck reads
 *     "\u200c.git" as ".git" too;
 *   - the empty name becomes "%00" (PostgreSQL names are never empty, but
 *     the mapping stays total);
 *   - everything else, UTF-8 included, is kept as is.
 * A component longer than DS_PATH_MAX_COMPONENT bytes (long function
 * signatures) is cut at a character boundary and ends in "~<12 lowercase hex digits of
 * SHA-1 of the full escaped name>"; since '~' never appears otherwise, such
 * names cannot collide with an escaped name. Those are the only components
 * that ds_path_unescape cannot reverse; the blob itself names the object.
 */
#ifndef DDLSNAP_PATH_H
#define DDLSNAP_PATH_H

#include "ddlsnap/buf.h"

#define DS_PATH_MAX_COMPONENT 200

/**
 * Append the escaped form of name to out (at most DS_PATH_MAX_COMPONENT
 * bytes, plus suffix when given: the suffix, e.g. ".sql", is added after
 * escaping and shortening and is not escaped).
 */
void ds_path_escape(ds_buf *out, const char *name, const char *suffix);

/**
 * Append the original name of an escaped component to out.
 * @return 0, or DS_EINVALID for a malformed escape or a shortened name
 */
int ds_path_unescape(ds_buf *out, const char *component);

#endif
