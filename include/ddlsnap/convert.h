/*
 * convert.h - the conversion pipeline: v1 history in, snapshot commits out.
 *
 *   history (grouper) -> replayer (shadow) -> capture -> snapshot
 *     -> git objects -> v2 store + git repository + audit rows
 *
 * One commit per replayed change; a change that fails to replay gives no
 * commit but a recorded failure, and the run goes on (unless stop_on_error).
 */
#ifndef DDLSNAP_CONVERT_H
#define DDLSNAP_CONVERT_H

#include <stddef.h>
#include <stdio.h>

#include "ddlsnap/gitobj.h"

typedef struct {
	const char *source;  /* conninfo of the database holding pggit.history */
	const char *target;  /* conninfo of the v2 store; NULL: the source */
	const char *shadow;  /* conninfo of an empty shadow; NULL: a scratch database */
	const char *git_dir; /* bare repository to write; NULL: none */
	int batch_size;      /* commits per target transaction */
	int stop_on_error;
	int quiet;  /* no progress lines */
	FILE *log;  /* where warnings, errors and progress go */
	/* Replay and hash only: no target, no repository, nothing written
	 * (verify --replay). */
	int hash_only;
	/* Called with each commit as it is made, in order (may be NULL). */
	void (*on_commit)(void *payload, const ds_oid *commit);
	void *payload;
} ds_convert_opts;

typedef struct {
	size_t rows;            /* v1 rows read */
	size_t groups;          /* changes (groups of rows) */
	size_t replayed;        /* changes replayed successfully */
	size_t failed;          /* changes that failed and were rolled back */
	size_t commits;         /* commits written */
	size_t objects_written; /* distinct new git objects */
	size_t head_objects;    /* objects in the last snapshot */
	size_t audit_rows;
	size_t warnings;            /* objects of kinds not captured, each named once */
	size_t skipped_transaction; /* BEGIN/COMMIT... statements not executed */
	size_t skipped_dml;         /* DML statements not executed */
	double seconds;
	int has_head;
	ds_oid head;
} ds_convert_stats;

/**
 * Run a conversion.
 * @return 0 when it ran to the end (stats->failed may be non-zero), or an
 *         error code for a fatal error (connection, I/O, store)
 */
int ds_convert_run(const ds_convert_opts *opts, ds_convert_stats *stats);

#endif
