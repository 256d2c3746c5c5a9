/*
 * gitobj.h - git's object format: blobs, trees and commits.
 *
 * An object is named by the SHA-1 of "<type> <decimal body length>\0<body>",
 * exactly as git names it, so the same SHA identifies the object in the v2
 * tables and in a git repository. Tree entries are sorted the way git sorts
 * them (a tree's name compares as if it ended in '/'); trees use mode 40000
 * and blobs 100644. The encoders produce bodies that `git fsck --strict`
 * accepts; the parsers read them back for verification.
 */
#ifndef DDLSNAP_GITOBJ_H
#define DDLSNAP_GITOBJ_H

#include <stddef.h>
#include <stdint.h>

#include "ddlsnap/buf.h"

#define DS_OID_RAWSZ 20
#define DS_OID_HEXSZ 40

/* The branch every converted history and snapshot is committed on. */
#define DS_MAIN_REF "refs/heads/main"

typedef struct {
	unsigned char id[DS_OID_RAWSZ];
} ds_oid;

typedef enum {
	DS_OBJ_BLOB = 1,
	DS_OBJ_TREE = 2,
	DS_OBJ_COMMIT = 3,
} ds_objtype;

#define DS_MODE_TREE 0040000u
#define DS_MODE_BLOB 0100644u

/** "blob", "tree" or "commit". */
const char *ds_objtype_name(ds_objtype type);

/** Parse "blob"/"tree"/"commit". @return 0 or DS_EINVALID */
int ds_objtype_parse(ds_objtype *out, const char *name);

/**
 * Name an object: SHA-1 over the git header and the body.
 * @param[out] out the object id
 */
void ds_oid_hash(ds_oid *out, ds_objtype type, const void *body, size_t len);

/** Write 40 lowercase hex digits and a NUL into out. */
void ds_oid_fmt(char out[DS_OID_HEXSZ + 1], const ds_oid *oid);

/** Parse exactly 40 hex digits. @return 0 or DS_EINVALID */
int ds_oid_parse(ds_oid *out, const char *hex);

int ds_oid_cmp(const ds_oid *a, const ds_oid *b);
int ds_oid_is_zero(const ds_oid *oid);

typedef struct {
	const char *name; /* one path component, no '/' and no NUL */
	unsigned mode;    /* DS_MODE_TREE or DS_MODE_BLOB */
	ds_oid oid;
} ds_tree_entry;

/** git's tree order: byte order, trees compared as if named "name/". */
int ds_tree_entry_cmp(const ds_tree_entry *a, const ds_tree_entry *b);

/** Sort entries in git's tree order. */
void ds_tree_sort(ds_tree_entry *entries, size_t n);

/**
 * Encode a tree body ("<mode> <name>\0<20 raw bytes>" per entry).
 * Entries must already be sorted; names must be valid git names (non-empty,
 * no '/', not "." "..", ".git" nor a name Windows or macOS reads as ".git")
 * and unique; object ids must not be all zeros (fsck --strict refuses them).
 * @param[out] out receives the body (appended)
 * @return 0 or DS_EINVALID naming the bad entry
 */
int ds_tree_encode(ds_buf *out, const ds_tree_entry *entries, size_t n);

/**
 * Walk a tree body. The callback gets each entry in stored order; name
 * points into body and is NUL-terminated there. A non-zero return from the
 * callback stops the walk and is returned. Any well-formed octal mode is
 * passed on, so a verifier can report modes ddlsnap never writes.
 * @return 0, the callback's value, or DS_EINVALID for a malformed body
 */
int ds_tree_parse(const char *body, size_t len,
		  int (*cb)(const ds_tree_entry *entry, void *payload), void *payload);

typedef struct {
	const char *name;  /* no '<', '>' or newline (see ds_signature_clean) */
	const char *email; /* no '<', '>' or newline */
	int64_t when;      /* seconds since the epoch */
	int tz_offset;     /* minutes east of UTC */
} ds_signature;

typedef struct {
	ds_oid tree;
	const ds_oid *parents;
	size_t nparents;
	ds_signature author;
	ds_signature committer;
	const char *message; /* should end with a newline */
} ds_commit;

/**
 * Encode a commit body:
 *   tree <hex>\nparent <hex>\n...author <name> <<email>> <when> <+hhmm>\n
 *   committer ...\n\n<message>
 * @return 0 or DS_EINVALID (a signature containing '<', '>' or newline, a
 *         time before 1970 or a zone offset beyond +/-99:59, which fsck refuses)
 */
int ds_commit_encode(ds_buf *out, const ds_commit *commit);

typedef struct {
	ds_oid tree;
	ds_oid *parents; /* malloc'd; free with ds_commit_info_free */
	size_t nparents;
	const char *message; /* points into the parsed body, runs to body + len */
} ds_commit_info;

/** Parse the tree and parent lines of a commit body. @return 0 or DS_EINVALID */
int ds_commit_parse(ds_commit_info *out, const char *body, size_t len);
void ds_commit_info_free(ds_commit_info *info);

/**
 * Code points that HFS+ leaves out when it compares names, so that
 * "\u200c.git" opens ".git" on a Mac, and `git fsck` refuses it: the length
 * of the UTF-8 sequence at name when it encodes one of them (U+200C..U+200F,
 * U+202A..U+202E, U+206A..U+206F, U+FEFF), 0 otherwise.
 */
size_t ds_git_hfs_ignorable_len(const char *name);

/**
 * Make an arbitrary string usable as a signature name or email: '<', '>'
 * and control bytes become '?', and leading/trailing spaces are trimmed
 * (git trims them, which would change the SHA on a round trip). An empty
 * result becomes fallback.
 * @return a malloc'd string
 */
char *ds_signature_clean(const char *s, const char *fallback);

#endif
