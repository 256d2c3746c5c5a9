/*
 * checkout_int.h - what the checkout's files share (see checkout.h).
 *
 *   read_git.c / read_store.c   REV -> commit -> the snapshot's blobs
 *   classify.c                  statement -> phase and step
 *   plan.c                      blobs -> statements in their first-pass order
 *   target.c                    the target: session, emptiness, public schema
 *   apply.c                     run the plan with savepoints and retries
 *   checkout.c                  the driver
 */
#ifndef DDLSNAP_CHECKOUT_INT_H
#define DDLSNAP_CHECKOUT_INT_H

#include <libpq-fe.h>
#include <stddef.h>

#include "ddlsnap/checkout.h"
#include "ddlsnap/gitobj.h"

/* One blob of the snapshot. */
typedef struct {
	char *path; /* escaped path in the tree, e.g. "public/table/users.sql" */
	char *text; /* the object's DDL */
} ds_co_blob;

typedef struct {
	ds_oid commit;
	ds_oid tree;
	ds_co_blob *blobs; /* sorted by path (byte order) */
	size_t n, cap;
} ds_co_snapshot;

void ds_co_snapshot_add(ds_co_snapshot *s, const char *path, const char *text, size_t len);
/* Sort the blobs by path. */
void ds_co_snapshot_sort(ds_co_snapshot *s);
void ds_co_snapshot_free(ds_co_snapshot *s);

/**
 * Read the commit rev names from a bare git repository.
 * @return 0; DS_ENOTFOUND / DS_EINVALID for an unknown, ambiguous or
 *         non-commit REV; DS_EIO for a repository that cannot be read
 */
int ds_co_read_git(ds_co_snapshot *out, const char *git_dir, const char *rev);

/**
 * Read the commit rev names from the v2 store of conn's database.
 * @return 0; DS_ENOTFOUND / DS_EINVALID for an unknown or ambiguous REV or
 *         a database without a store; DS_EDB for a failing query; DS_EIO
 *         for a stored object whose content does not hash to its SHA
 */
int ds_co_read_store(ds_co_snapshot *out, PGconn *conn, const char *rev);

/* One statement of the plan. */
typedef struct {
	const char *path; /* the blob's path (points into the snapshot) */
	int number; /* 1-based position in its blob */
	char *sql;
	ds_checkout_class cls;
	char *error; /* the last failure, NULL when it applied */
	int attempts; /* failed attempts so far */
	int skip; /* not run: CREATE SCHEMA public when the target keeps its own */
} ds_co_stmt;

typedef struct {
	ds_co_stmt *items; /* in first-pass order: step, then path, then number */
	size_t n;
	int has_public; /* the snapshot creates schema public */
} ds_co_plan;

/**
 * Split every blob into statements and classify them. A blob that does not
 * parse, or holds a statement a snapshot cannot hold, is named in the error.
 * @return 0 or DS_EINVALID
 */
int ds_co_plan_build(ds_co_plan *out, const ds_co_snapshot *snap);
void ds_co_plan_free(ds_co_plan *plan);

/*
 * Where the target's notices and warnings go: the log, naming the
 * statement that caused them (the one running, when current is set). It
 * must live as long as the connection.
 */
typedef struct {
	FILE *log;
	const ds_co_stmt *current;
} ds_co_notices;

/** Send the target's notices to ctx->log. */
void ds_co_target_notices(PGconn *conn, ds_co_notices *ctx);

/** Set the session the captured DDL expects (search_path '', ...). */
int ds_co_target_session(PGconn *conn);

/**
 * Refuse a target that holds user objects; tell whether it has an (empty,
 * untouched) public schema.
 * @return 0, DS_EINVALID naming what is there, or DS_EDB
 */
int ds_co_target_check_empty(PGconn *conn, const char *name, int *has_public);

/**
 * Run the plan in the open transaction of conn; progress and the
 * statements that do not apply go to notices->log. Statements that do not
 * apply keep their error in plan->items[i].error and are counted in
 * stats->failed.
 * @return 0 (stats->failed may be non-zero), or DS_EDB when the connection failed
 */
int ds_co_apply(PGconn *conn, ds_co_plan *plan, ds_checkout_stats *stats, ds_co_notices *notices,
		int quiet);

#endif
