/*
 * snapshot.h - a complete schema as a git tree.
 *
 * A snapshot holds one entry per captured object at
 * <schema>/<kind>/<name>.sql (components escaped as path.h says), with the
 * object's DDL as the blob. Building it names every blob and tree; the
 * objects are handed to an emit callback so sinks can store them. Two
 * snapshots are compared object by object to produce audit changes.
 */
#ifndef DDLSNAP_SNAPSHOT_H
#define DDLSNAP_SNAPSHOT_H

#include <stddef.h>

#include "ddlsnap/capture.h"
#include "ddlsnap/gitobj.h"

typedef struct {
	char *path; /* full escaped path, e.g. "public/table/users.sql" */
	ds_object obj;
	ds_oid blob;
} ds_snap_entry;

/*
 * A folder's tree, kept so that a change hashes again only the folders it
 * touched: the root holds schema folders, a schema folder holds kind
 * folders, a kind folder holds the object files (entries).
 */
typedef struct ds_snap_folder {
	char *name; /* escaped component: "public", "table" */
	ds_oid oid;
	struct ds_snap_folder *sub; /* a schema folder's kind folders, in git's order */
	size_t nsub;
} ds_snap_folder;

/* Which entry holds an object OID, for the OIDs a change replaces. */
typedef struct {
	unsigned int oid;
	const char *path; /* the entry's own path string */
} ds_snap_oid;

typedef struct {
	ds_snap_entry *entries; /* sorted by path (byte order) */
	size_t n;
	ds_oid tree; /* the root tree */
	/* Kept for ds_snapshot_apply (built on its first call for a loaded
	 * snapshot): the schema folders in git's order, and the entries with a
	 * non-zero OID, sorted by OID. */
	ds_snap_folder *folders;
	size_t nfolders;
	ds_snap_oid *byoid;
	size_t nbyoid;
} ds_snapshot;

/**
 * Receives each object of a snapshot: blobs, then every tree bottom-up (the
 * root last), each with its git body.
 * @return 0, or an error code that stops the build
 */
typedef int (*ds_emit_fn)(void *payload, ds_objtype type, const ds_oid *oid, const char *body,
			  size_t len);

/**
 * Build a snapshot from a capture, taking over its objects (cap->objects is
 * emptied; the skipped list stays with cap).
 * @param emit called for every blob and tree (may be NULL)
 * @return 0, DS_EINVALID when two objects map to one path, or emit's error
 */
int ds_snapshot_build(ds_snapshot *out, ds_capture *cap, ds_emit_fn emit, void *payload);

void ds_snapshot_free(ds_snapshot *s);

/** Free what one entry owns (its path and its object's strings). */
void ds_snap_entry_free(ds_snap_entry *e);

typedef int (*ds_snap_change_fn)(const ds_snap_entry *old, const ds_snap_entry *new_,
				 void *payload);

/**
 * Apply a partial capture to s in place (incremental capture): every entry
 * whose object OID is in replaced, and every entry at the path of a
 * captured object, gives way to the captured objects; trees are built
 * again only on the folders that changed (the others are reused, not
 * emitted again). The work grows with the change, the folders it
 * touches and the root's number of schemas; not with the object count
 * (but for moving the entries after one that comes or goes). change is called for each difference, in path order, as
 * ds_snapshot_diff would report it.
 * @param replaced sorted OIDs (touched.h's ds_scope)
 * @return 0, DS_EINVALID when two objects map to one path, or the first
 *         non-zero value of emit or change; on error s is left freed
 */
int ds_snapshot_apply(ds_snapshot *s, const unsigned int *replaced, size_t nreplaced,
		      ds_capture *cap, ds_emit_fn emit, void *payload, ds_snap_change_fn change,
		      void *change_payload);

/** Reads one object by id, as ds_gitrepo_get() and ds_store_get_object() do. */
typedef int (*ds_get_fn)(void *payload, const ds_oid *oid, ds_objtype *type, ds_buf *body);

/**
 * Load the snapshot a stored tree holds: every blob with its path, its
 * text, and schema/kind/name recovered from the path (schema NULL under
 * %global; a name shortened for length keeps its shortened form).
 * @return 0, DS_EINVALID for a tree that is not a snapshot (wrong depth,
 *         a blob where a folder belongs, an object of the wrong type), or
 *         get's error
 */
int ds_snapshot_load(ds_snapshot *out, const ds_oid *tree, ds_get_fn get, void *payload);

/**
 * Walk the differences from old to new in path order: cb gets (old, NULL)
 * for a dropped object, (NULL, new) for a created one, (old, new) for one
 * whose blob changed. Unchanged objects are not reported.
 * @return 0 or cb's first non-zero value
 */
int ds_snapshot_diff(const ds_snapshot *old, const ds_snapshot *new_,
		     int (*cb)(const ds_snap_entry *old, const ds_snap_entry *new_, void *payload),
		     void *payload);

#endif
