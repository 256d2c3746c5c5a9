/*
 * registry.h - the record of conversion runs in the v2 store
 * (pggit_v2.backfill_runs and the view pggit_v2.v_backfill_status).
 *
 * A run takes the target's conversion lock, inserts its row as "running"
 * (committed at once, so `ddlsnap status` in another session sees it),
 * updates it inside each batch's transaction, so the row's position is
 * always the position of the last committed batch, and closes it as
 * completed, failed or interrupted. Rows left "running" by a killed run are
 * marked interrupted by the next run.
 */
#ifndef DDLSNAP_REGISTRY_H
#define DDLSNAP_REGISTRY_H

#include <stdint.h>
#include <stdio.h>

#include <libpq-fe.h>

typedef struct {
	const char *status; /* "running", "completed", "failed" or "interrupted" */
	int64_t rows_processed;
	int64_t changes_processed;
	int64_t rows_resumed; /* rows earlier runs had committed, replayed only */
	int64_t last_history_id; /* 0: none yet */
	int64_t commits;
	int64_t failed;
	int64_t warnings;
	const char *head;  /* hex SHA of main, or NULL */
	const char *error; /* NULL unless failed or interrupted */
} ds_run_state;

/**
 * Take the target's conversion lock for the life of the connection.
 * @return 0, or DS_EINVALID naming the backend of the run that holds it
 */
int ds_registry_lock(PGconn *target);

/**
 * Mark runs that died without closing their row, and insert this run's row
 * (autocommit: call it outside a transaction, holding the lock).
 */
int ds_registry_start(PGconn *target, int64_t rows_expected, int batch_size,
		      const char *arguments, int64_t *run_id);

/** Record a run's state (inside the batch's transaction, or alone). */
int ds_registry_update(PGconn *target, int64_t run_id, const ds_run_state *st);

/**
 * Print the latest runs (newest first) as text or as a JSON array.
 * @return 0, DS_ENOTFOUND when the target has no registry, or DS_EDB
 */
int ds_registry_print(PGconn *target, FILE *out, int json, int limit);

#endif
