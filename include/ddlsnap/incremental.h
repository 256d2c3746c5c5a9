/*
 * incremental.h - keep a snapshot of the shadow database up to date after
 * each change, reading again only what the change touched (touched.h).
 *
 * The first change, a change that cannot be scoped (touched.h says which)
 * and every change when the shadow's user cannot create event triggers are
 * captured whole and compared with the snapshot instead. The paranoid
 * check captures everything and fails loudly on any difference from the
 * snapshot kept incrementally.
 */
#ifndef DDLSNAP_INCREMENTAL_H
#define DDLSNAP_INCREMENTAL_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "ddlsnap/db.h"
#include "ddlsnap/snapshot.h"
#include "ddlsnap/touched.h"

typedef struct {
	PGconn *conn;	     /* the shadow's capture connection */
	ds_touched *touched; /* NULL: every change is captured whole */
	int known;	     /* the snapshot's entries carry OIDs (captured in this run) */
	size_t scoped, whole; /* changes captured each way */
	ds_db_prepared prepared; /* the scoped kind queries, prepared once */
	ds_capture_memo *memo;	 /* what they read, sent in one round trip (capture.h) */
	FILE *log;
} ds_incremental;

/** Install the event triggers when the shadow's user may. @return 0 or DS_EDB */
int ds_incremental_open(ds_incremental *inc, PGconn *capture_conn, FILE *log);

/**
 * Bring snap up to date with the shadow after a committed change. The
 * objects read go into snap; cap keeps the list of objects of kinds not
 * captured (ds_capture.skipped) for the caller's warnings.
 * @param change called for each difference from the snapshot before
 * @return 0 or an error code
 */
int ds_incremental_update(ds_incremental *inc, ds_snapshot *snap, ds_capture *cap,
			  ds_emit_fn emit, void *emit_payload, ds_snap_change_fn change,
			  void *change_payload);

/**
 * The paranoid check: capture everything and compare with snap; each
 * difference is printed on the log.
 * @return 0, or DS_EINVALID naming the first difference
 */
int ds_incremental_check(ds_incremental *inc, const ds_snapshot *snap);

/** Remove the event triggers. @return 0 or DS_EDB */
int ds_incremental_close(ds_incremental *inc);

#endif
