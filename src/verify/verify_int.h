/*
 * verify_int.h - what the checks of the verification pass share (private to
 * src/verify/).
 *
 * verify.c loads the store's object types and commit graph once, runs each
 * check from a table, and writes the report. Each check lives in its own
 * file, adds one or more named checks with new_check(), and reports every
 * problem it finds with finding(); a check returns non-zero only when it
 * could not run (a query failed), never for what it found.
 */
#ifndef DDLSNAP_VERIFY_INT_H
#define DDLSNAP_VERIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "ddlsnap/buf.h"
#include "ddlsnap/gitobj.h"
#include "ddlsnap/gitrepo.h"
#include "ddlsnap/verify.h"

#define DS_VERIFY_SHOWN 20
#define DS_VERIFY_MAX_CHECKS 16

typedef struct {
	const char *name;
	size_t checked;
	size_t nfindings;
	char *shown[DS_VERIFY_SHOWN];
	ds_buf summary;
} ds_check;

typedef struct {
	ds_oid oid;
	ds_objtype type;
} ds_typed_oid;

/* One commit_graph row. */
typedef struct {
	ds_oid oid;
	ds_oid tree;
	int generation;
	ds_oid *parents; /* as commit_graph lists them */
	size_t nparents;
	int64_t *history_ids;
	size_t nhistory_ids;
	char *body; /* the commit object's body, NULL when missing from objects */
	size_t body_len;
} ds_vcommit;

/* A stored tree body, in the tree cache (trees.c); body NULL: an empty slot. */
typedef struct {
	ds_oid oid;
	char *body;
	size_t len;
} ds_vtree;

typedef struct {
	const ds_verify_opts *opts;
	PGconn *source, *target;
	ds_gitrepo *repo;
	int has_archive; /* the source has pggit.history_archive */
	ds_typed_oid *types; /* every stored object, sorted by oid */
	size_t ntypes;
	ds_vcommit *commits; /* every commit_graph row, sorted by oid */
	size_t ncommits;
	/* The chain from the root to refs/heads/main along first parents
	 * (indexes into commits); empty when main is missing or broken. */
	size_t *chain;
	size_t nchain;
	int has_main;
	ds_oid main;
	ds_vtree *trees; /* the tree cache (trees.c): nslots slots, by oid */
	size_t nslots;
	ds_check checks[DS_VERIFY_MAX_CHECKS];
	size_t nchecks;
} ds_verifier;

ds_check *ds_verify_new_check(ds_verifier *v, const char *name);
void ds_verify_finding(ds_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** The stored type of an object, NULL when the store lacks it. */
const ds_typed_oid *ds_verify_object(const ds_verifier *v, const ds_oid *oid);

/** The commit_graph row of a commit, NULL when there is none. */
const ds_vcommit *ds_verify_commit(const ds_verifier *v, const ds_oid *oid);

/*
 * Walk the blobs that differ between two trees (either may be NULL for the
 * empty tree), in path order: cb gets the full path and the old and new blob
 * ids (NULL for absent). Equal subtrees are skipped without reading them.
 * A tree missing from the store is an error (the integrity check names it).
 * @return 0, cb's first non-zero value, or an error code
 */
int ds_verify_tree_diff(ds_verifier *v, const ds_oid *old_tree, const ds_oid *new_tree,
			int (*cb)(const char *path, const ds_oid *old_blob,
				  const ds_oid *new_blob, void *payload),
			void *payload);

/**
 * Read into the tree cache, with one query per level of the trees, what
 * ds_verify_tree_diff() of each pair (olds[i] (NULL: empty), news[i]) will
 * read: call it for the next few dozen diffs. A tree that does not fit is
 * read again by the diff. @return 0 or DS_EDB
 */
int ds_verify_tree_prefetch(ds_verifier *v, const ds_oid *const *olds, const ds_oid *news,
			    size_t n);

/**
 * Whether tree holds a blob at path ("schema/kind/name.sql"), read one
 * level at a time. @return 1, 0, or an error code (a tree missing...)
 */
int ds_verify_tree_has(ds_verifier *v, const ds_oid *tree, const char *path);

/** Read a blob's body from the store. @return 0, DS_ENOTFOUND or DS_EDB */
int ds_verify_blob(ds_verifier *v, const ds_oid *oid, ds_buf *out);

/* The checks, one file each. */
int ds_verify_integrity(ds_verifier *v); /* objects, trees, git, commits, refs */
int ds_verify_coverage(ds_verifier *v);
int ds_verify_meaning(ds_verifier *v);
int ds_verify_audit(ds_verifier *v);
int ds_verify_drift(ds_verifier *v);
int ds_verify_replay(ds_verifier *v);

#endif
