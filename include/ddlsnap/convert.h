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

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ddlsnap/gitobj.h"

typedef struct {
	const char *source;  /* conninfo of the database holding pggit.history */
	const char *target;  /* conninfo of the v2 store; NULL: the source */
	const char *shadow;  /* conninfo of an empty shadow; NULL: a scratch database */
	const char *git_dir; /* bare repository to write; NULL: none */
	int batch_size;      /* commits per target transaction */
	int stop_on_error;
	int replay_dml; /* run the history's DML instead of skipping it (--replay-dml) */
	int quiet;  /* no progress lines */
	int progress_bar; /* draw a bar (stderr is a terminal) rather than lines */
	/* Start at this history id (0: at the first change the store does not
	 * hold yet, i.e. resume); earlier changes are replayed, not committed. */
	int64_t from_id;
	size_t max_changes; /* stop after this many changes (0: all); plan's estimate */
	FILE *events;	       /* one JSON object per batch and one at the end; NULL: none */
	const char *arguments; /* the command line without passwords, for the registry */
	/* Set by a signal handler: stop after the current change, roll back the
	 * batch in flight, mark the run interrupted (may be NULL). */
	volatile sig_atomic_t *stop;
	FILE *log;  /* where warnings, errors and progress go */
	/* Replay and hash only: no target, no repository, nothing written
	 * (verify --replay). */
	int hash_only;
	/* After each batch, capture everything and fail on any difference from
	 * the snapshot kept incrementally (--paranoid). */
	int paranoid;
	/* --baseline: a schema-only dump replayed before the history as the
	 * root commit (NULL: none); baseline_name names it in messages */
	const char *baseline_sql;
	const char *baseline_name;
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
	size_t skipped_query;       /* SELECT/SHOW... without user functions, not executed */
	size_t skipped_maintenance; /* VACUUM, ANALYZE, REINDEX, CHECKPOINT... not executed */
	size_t concurrently;        /* statements run without their CONCURRENTLY */
	size_t stepped;             /* changes replayed in steps (enum value, COMMIT in CALL/DO) */
	size_t refused;             /* statements refused (refuse.h), each warned about */
	size_t skipped_owner;       /* ALTER ... OWNER TO not executed */
	size_t resumed_rows;	    /* rows an earlier run had committed: replayed only */
	size_t resumed_changes;
	int interrupted;	    /* stopped by opts->stop; the batch in flight was rolled back */
	int64_t run_id;		    /* the registry row (0: hash-only, no registry) */
	double setup_seconds;	    /* connecting, creating the shadow, reading the store */
	size_t scoped_captures;	    /* changes captured incrementally */
	size_t whole_captures;	    /* changes captured whole (the first, GRANT...) */
	size_t span_captures;	    /* scoped captures, each of a span of changes */
	size_t sent_back;	    /* changes rolled back and run again after a span's capture */
	size_t captures_behind;	    /* span captures that ran while later changes replayed */
	size_t captures_retried;    /* of which gave up on a lock and were read again */
	size_t contended;	    /* changes that failed on a lock or timeout beside a capture,
				     * run again after it */
	double seconds;
	/* where the time went (docs/incremental.md "Where the time goes"): */
	double replay_seconds;	  /* replaying changes, the three below included */
	double gate_seconds;	  /* the gate: what each change touched, before it commits */
	double again_seconds;	  /* capturing spans before a change sent back runs again */
	double wait_seconds;	  /* waiting for a capture's thread (anywhere) */
	double thread_seconds;	  /* the captures' thread reading the shadow */
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
