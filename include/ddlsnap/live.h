/*
 * live.h - `ddlsnap snapshot`: capture a live database as one commit.
 *
 * The database is captured in one REPEATABLE READ READ ONLY transaction
 * (one consistent view of the catalogs), turned into a snapshot tree and
 * committed on refs/heads/main of the git repository and/or the v2 store,
 * with main's current commit as parent. In the store the commit gets the
 * audit rows of every object that differs from the parent's snapshot. When
 * the schema is the one main already holds, nothing is written.
 */
#ifndef DDLSNAP_LIVE_H
#define DDLSNAP_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ddlsnap/gitobj.h"

typedef struct {
	const char *source;  /* conninfo of the database to capture */
	const char *target;  /* conninfo of the v2 store; NULL: none */
	const char *git_dir; /* bare repository; NULL: none (one of the two is needed) */
	const char *message; /* commit message; NULL: "Snapshot of database <name>" */
	bool with_owners;
	bool quiet;
	FILE *log; /* warnings about what is not captured */
} ds_live_opts;

typedef struct {
	ds_oid commit; /* the new commit, or main's when unchanged */
	ds_oid tree;
	bool unchanged; /* main already held this schema: nothing written */
	bool has_parent;
	size_t objects;  /* objects in the snapshot */
	size_t changes;  /* objects that differ from the parent's snapshot */
	size_t warnings; /* objects of kinds not captured */
} ds_live_result;

/**
 * @return 0; DS_EINVALID when the git repository and the store disagree on
 *         main; DS_EDB / DS_EIO for connection and write errors
 */
int ds_live_snapshot(const ds_live_opts *opts, ds_live_result *result);

#endif
