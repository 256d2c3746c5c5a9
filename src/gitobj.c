/*
 * gitobj.c - git's object format: naming, tree and commit bodies (see gitobj.h).
 *
 * The rules for what a body may hold are those of `git fsck --strict`, not
 * the looser ones git's own writers happen to follow: a repository written
 * by ddlsnap has to stay clean under the strictest check git has.
 */
#include "ddlsnap/gitobj.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "ddlsnap/error.h"

static const char hexdigits[] = "0123456789abcdef";

const char *ds_objtype_name(ds_objtype type)
{
	switch (type) {
	case DS_OBJ_BLOB:
		return "blob";
	case DS_OBJ_TREE:
		return "tree";
	case DS_OBJ_COMMIT:
		return "commit";
	}
	return NULL;
}

int ds_objtype_parse(ds_objtype *out, const char *name)
{
	static const ds_objtype types[] = {DS_OBJ_BLOB, DS_OBJ_TREE, DS_OBJ_COMMIT};

	for (size_t i = 0; name && i < sizeof types / sizeof types[0]; i++) {
		if (!strcmp(name, ds_objtype_name(types[i]))) {
			*out = types[i];
			return 0;
		}
	}
	return ds_error_setc(DS_EINVALID, "unknown object type '%s'", name ? name : "(null)");
}

/*
 * A failing digest means a broken OpenSSL installation or no memory; like
 * ds_xmalloc, give up rather than hand out a wrong object name.
 */
static void digest_failed(void)
{
	fputs("ddlsnap: SHA-1 digest failed\n", stderr);
	abort();
}

void ds_oid_hash(ds_oid *out, ds_objtype type, const void *body, size_t len)
{
	const char *name = ds_objtype_name(type);
	char header[64];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int n;

	assert(name);
	n = snprintf(header, sizeof header, "%s %zu", name, len);
	assert(n > 0 && (size_t)n < sizeof header);

	ctx = EVP_MD_CTX_new();
	if (!ctx)
		digest_failed();
	/* The header's terminating NUL is part of what git hashes. */
	if (EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, header, (size_t)n + 1) != 1 ||
	    (len && EVP_DigestUpdate(ctx, body, len) != 1) ||
	    EVP_DigestFinal_ex(ctx, out->id, &mdlen) != 1 || mdlen != DS_OID_RAWSZ)
		digest_failed();
	EVP_MD_CTX_free(ctx);
}

void ds_oid_fmt(char out[DS_OID_HEXSZ + 1], const ds_oid *oid)
{
	for (size_t i = 0; i < DS_OID_RAWSZ; i++) {
		out[2 * i] = hexdigits[oid->id[i] >> 4];
		out[2 * i + 1] = hexdigits[oid->id[i] & 0xf];
	}
	out[DS_OID_HEXSZ] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse 40 hex digits at the start of hex without looking past them. */
static int parse_hex_prefix(ds_oid *out, const char *hex)
{
	for (size_t i = 0; i < DS_OID_RAWSZ; i++) {
		int hi = hexval(hex[2 * i]);
		int lo = hi < 0 ? -1 : hexval(hex[2 * i + 1]);

		if (lo < 0)
			return -1;
		out->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int ds_oid_parse(ds_oid *out, const char *hex)
{
	ds_oid tmp;

	if (!hex || parse_hex_prefix(&tmp, hex) < 0 || hex[DS_OID_HEXSZ] != '\0')
		return ds_error_setc(DS_EINVALID, "'%.64s' is not an object id (40 hex digits)",
				     hex ? hex : "(null)");
	*out = tmp;
	return 0;
}

int ds_oid_cmp(const ds_oid *a, const ds_oid *b)
{
	return memcmp(a->id, b->id, DS_OID_RAWSZ);
}

int ds_oid_is_zero(const ds_oid *oid)
{
	static const ds_oid zero;

	return !ds_oid_cmp(oid, &zero);
}

/*
 * The byte that follows a name in git's ordering: a tree sorts as if its name
 * ended in '/', everything else as if it ended where it does.
 */
static unsigned char name_end(unsigned mode)
{
	return mode == DS_MODE_TREE ? '/' : '\0';
}

int ds_tree_entry_cmp(const ds_tree_entry *a, const ds_tree_entry *b)
{
	size_t alen = strlen(a->name), blen = strlen(b->name);
	size_t len = alen < blen ? alen : blen;
	int cmp = memcmp(a->name, b->name, len);
	unsigned char ca, cb;

	if (cmp)
		return cmp;
	ca = len < alen ? (unsigned char)a->name[len] : name_end(a->mode);
	cb = len < blen ? (unsigned char)b->name[len] : name_end(b->mode);
	return (ca > cb) - (ca < cb);
}

static int tree_entry_qsort_cmp(const void *a, const void *b)
{
	return ds_tree_entry_cmp(a, b);
}

void ds_tree_sort(ds_tree_entry *entries, size_t n)
{
	if (n > 1)
		qsort(entries, n, sizeof *entries, tree_entry_qsort_cmp);
}

size_t ds_git_hfs_ignorable_len(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	if (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		return 3; /* U+FEFF */
	if (s[0] != 0xe2)
		return 0;
	if (s[1] == 0x80 && ((s[2] >= 0x8c && s[2] <= 0x8f) || (s[2] >= 0xaa && s[2] <= 0xae)))
		return 3; /* U+200C..U+200F, U+202A..U+202E */
	if (s[1] == 0x81 && s[2] >= 0xaa && s[2] <= 0xaf)
		return 3; /* U+206A..U+206F */
	return 0;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Would HFS+ open name as ".git" (ignorable code points, any case)? */
static int is_hfs_dotgit(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;
	const char *want = ".git";

	for (;;) {
		size_t skip = ds_git_hfs_ignorable_len((const char *)s);

		if (skip) {
			s += skip;
			continue;
		}
		if (!*want)
			return *s == '\0';
		if (ascii_lower(*s) != (unsigned char)*want)
			return 0;
		s++;
		want++;
	}
}

static int only_spaces_and_dots(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '.')
			return 0;
	return 1;
}

/*
 * Would Windows open name as ".git"? NTFS drops trailing spaces and dots,
 * knows ".git" by its short name "GIT~1", ignores case, treats '\\' as a
 * separator and "name:stream" as name.
 */
static int is_ntfs_dotgit(const char *name)
{
	const char *part = name;

	for (;;) {
		size_t len = strcspn(part, "\\:");

		if ((len >= 4 && !strncasecmp(part, ".git", 4) &&
		     only_spaces_and_dots(part + 4, len - 4)) ||
		    (len >= 5 && !strncasecmp(part, "git~1", 5) &&
		     only_spaces_and_dots(part + 5, len - 5)))
			return 1;
		if (part[len] != '\\')
			return 0;
		part += len + 1;
	}
}

static const char *bad_name_reason(const char *name)
{
	if (!name || !*name)
		return "empty name";
	if (strchr(name, '/'))
		return "name contains '/'";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "name is '.' or '..'";
	if (is_hfs_dotgit(name) || is_ntfs_dotgit(name))
		return "name would be read as '.git'";
	return NULL;
}

/*
 * Entries sort between a blob "x" and a tree "x" only when they start with
 * "x" and continue with a byte below '/', so a blob of the same name as a
 * tree can hide a few entries back; walk back over them to find it.
 */
static int hides_blob_twin(const ds_tree_entry *entries, size_t i)
{
	const char *name = entries[i].name;
	size_t len = strlen(name);

	while (i-- > 0 && !strncmp(entries[i].name, name, len))
		if (entries[i].name[len] == '\0')
			return 1;
	return 0;
}

static int validate_tree(const ds_tree_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const ds_tree_entry *e = &entries[i];
		const char *reason = bad_name_reason(e->name);
		const char *shown = e->name ? e->name : "";

		if (reason)
			return ds_error_setc(DS_EINVALID, "tree entry %zu '%.100s': %s", i,
					     shown, reason);
		if (e->mode != DS_MODE_TREE && e->mode != DS_MODE_BLOB)
			return ds_error_setc(DS_EINVALID, "tree entry '%.100s': bad mode %o",
					     shown, e->mode);
		if (ds_oid_is_zero(&e->oid))
			return ds_error_setc(DS_EINVALID, "tree entry '%.100s': null object id",
					     shown);
		if (i == 0)
			continue;
		if (!strcmp(entries[i - 1].name, e->name) ||
		    (e->mode == DS_MODE_TREE && hides_blob_twin(entries, i)))
			return ds_error_setc(DS_EINVALID, "tree entry '%.100s': duplicate name",
					     shown);
		if (ds_tree_entry_cmp(&entries[i - 1], e) > 0)
			return ds_error_setc(DS_EINVALID,
					     "tree entry '%.100s': not in git's tree order", shown);
	}
	return 0;
}

int ds_tree_encode(ds_buf *out, const ds_tree_entry *entries, size_t n)
{
	int error = validate_tree(entries, n);

	if (error < 0)
		return error;
	for (size_t i = 0; i < n; i++) {
		/* validate_tree let only these two modes through */
		ds_buf_puts(out, entries[i].mode == DS_MODE_TREE ? "40000 " : "100644 ");
		ds_buf_put(out, entries[i].name, strlen(entries[i].name) + 1); /* with its NUL */
		ds_buf_put(out, entries[i].oid.id, DS_OID_RAWSZ);
	}
	return 0;
}

/*
 * An entry mode as git writes it: octal digits without a leading zero.
 * Returns the number of bytes used, 0 when there is no valid mode.
 */
static size_t parse_mode(unsigned *out, const char *s, size_t len)
{
	unsigned mode = 0;
	size_t i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++) {
		if (i == 7)
			return 0;
		mode = mode * 8 + (unsigned)(s[i] - '0');
	}
	if (i == 0 || s[0] == '0')
		return 0;
	*out = mode;
	return i;
}

int ds_tree_parse(const char *body, size_t len,
		  int (*cb)(const ds_tree_entry *entry, void *payload), void *payload)
{
	size_t pos = 0;

	while (pos < len) {
		ds_tree_entry entry;
		size_t used = parse_mode(&entry.mode, body + pos, len - pos);
		const char *name, *nul;

		if (!used || pos + used >= len || body[pos + used] != ' ')
			return ds_error_setc(DS_EINVALID, "bad mode in tree entry at offset %zu",
					     pos);
		name = body + pos + used + 1;
		nul = memchr(name, '\0', len - (size_t)(name - body));
		if (!nul || nul == name)
			return ds_error_setc(DS_EINVALID, "bad name in tree entry at offset %zu",
					     pos);
		if ((size_t)(body + len - (nul + 1)) < DS_OID_RAWSZ)
			return ds_error_setc(DS_EINVALID, "truncated tree entry at offset %zu", pos);
		entry.name = name;
		memcpy(entry.oid.id, nul + 1, DS_OID_RAWSZ);
		pos = (size_t)(nul + 1 - body) + DS_OID_RAWSZ;

		int ret = cb(&entry, payload);
		if (ret)
			return ret;
	}
	return 0;
}

static int check_ident_part(const char *what, const char *s)
{
	if (!s)
		return ds_error_setc(DS_EINVALID, "commit %s is missing", what);
	if (strpbrk(s, "<>\n"))
		return ds_error_setc(DS_EINVALID, "commit %s '%.100s' contains '<', '>' or newline",
				     what, s);
	return 0;
}

/*
 * fsck reads the date with strtoumax, so a negative time is an overflow to
 * it, and the zone must fit in four digits.
 */
static int check_signature(const char *role, const ds_signature *sig)
{
	char what[32];
	int error;

	snprintf(what, sizeof what, "%s name", role);
	if ((error = check_ident_part(what, sig->name)) < 0)
		return error;
	snprintf(what, sizeof what, "%s email", role);
	if ((error = check_ident_part(what, sig->email)) < 0)
		return error;
	if (sig->when < 0)
		return ds_error_setc(DS_EINVALID, "commit %s time %" PRId64 " is before 1970", role,
				     sig->when);
	if (sig->tz_offset <= -100 * 60 || sig->tz_offset >= 100 * 60)
		return ds_error_setc(DS_EINVALID, "commit %s time zone offset %d is out of range",
				     role, sig->tz_offset);
	return 0;
}

static void put_oid_line(ds_buf *out, const char *key, const ds_oid *oid)
{
	char hex[DS_OID_HEXSZ + 1];

	ds_oid_fmt(hex, oid);
	ds_buf_printf(out, "%s %s\n", key, hex);
}

static void put_signature(ds_buf *out, const char *key, const ds_signature *sig)
{
	int tz = sig->tz_offset < 0 ? -sig->tz_offset : sig->tz_offset;

	ds_buf_printf(out, "%s %s <%s> %" PRId64 " %c%02d%02d\n", key, sig->name, sig->email,
		      sig->when, sig->tz_offset < 0 ? '-' : '+', tz / 60, tz % 60);
}

int ds_commit_encode(ds_buf *out, const ds_commit *commit)
{
	int error;

	if ((error = check_signature("author", &commit->author)) < 0 ||
	    (error = check_signature("committer", &commit->committer)) < 0)
		return error;
	if (commit->nparents && !commit->parents)
		return ds_error_setc(DS_EINVALID, "commit has %zu parents but no parent list",
				     commit->nparents);

	put_oid_line(out, "tree", &commit->tree);
	for (size_t i = 0; i < commit->nparents; i++)
		put_oid_line(out, "parent", &commit->parents[i]);
	put_signature(out, "author", &commit->author);
	put_signature(out, "committer", &commit->committer);
	ds_buf_putc(out, '\n');
	ds_buf_puts(out, commit->message ? commit->message : "");
	return 0;
}

/* Read "<key> <40 hex>\n" at *pos; 1 when read, 0 when the line is another one. */
static int read_oid_line(ds_oid *out, const char *body, size_t len, size_t *pos,
			 const char *key)
{
	size_t klen = strlen(key);
	const char *p = body + *pos;
	size_t left = len - *pos;

	if (left < klen + 1 || memcmp(p, key, klen) || p[klen] != ' ')
		return 0;
	if (left < klen + 1 + DS_OID_HEXSZ + 1 || parse_hex_prefix(out, p + klen + 1) < 0 ||
	    p[klen + 1 + DS_OID_HEXSZ] != '\n')
		return -1;
	*pos += klen + 1 + DS_OID_HEXSZ + 1;
	return 1;
}

int ds_commit_parse(ds_commit_info *out, const char *body, size_t len)
{
	size_t pos = 0, cap = 0;
	ds_oid oid;
	int got;

	memset(out, 0, sizeof *out);
	if (read_oid_line(&out->tree, body, len, &pos, "tree") != 1)
		return ds_error_setc(DS_EINVALID, "commit does not start with a tree line");

	while ((got = read_oid_line(&oid, body, len, &pos, "parent")) == 1) {
		if (out->nparents == cap) {
			cap = cap ? 2 * cap : 2;
			out->parents = ds_xrealloc(out->parents, cap * sizeof *out->parents);
		}
		out->parents[out->nparents++] = oid;
	}
	if (got < 0) {
		ds_commit_info_free(out);
		return ds_error_setc(DS_EINVALID, "malformed parent line in commit");
	}

	/*
	 * The other headers run to the first empty line; git accepts a commit
	 * without one (and so without a message) when its last header is
	 * complete.
	 */
	while (pos < len && body[pos] != '\n') {
		const char *nl = memchr(body + pos, '\n', len - pos);

		if (!nl || memchr(body + pos, '\0', (size_t)(nl - (body + pos)))) {
			ds_commit_info_free(out);
			return ds_error_setc(DS_EINVALID, "malformed commit header");
		}
		pos = (size_t)(nl + 1 - body);
	}
	out->message = pos < len ? body + pos + 1 : body + len;
	return 0;
}

void ds_commit_info_free(ds_commit_info *info)
{
	free(info->parents);
	info->parents = NULL;
	info->nparents = 0;
}

char *ds_signature_clean(const char *s, const char *fallback)
{
	size_t start = 0, end = s ? strlen(s) : 0;
	char *clean;

	while (start < end && s[start] == ' ')
		start++;
	while (end > start && s[end - 1] == ' ')
		end--;
	if (start == end)
		return ds_xstrdup(fallback ? fallback : "");

	clean = ds_xstrndup(s + start, end - start);
	for (char *p = clean; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '<' || c == '>' || c < 0x20 || c == 0x7f)
			*p = '?';
	}
	return clean;
}
