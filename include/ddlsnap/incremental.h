/*
 * incremental.h - keep a snapshot of the shadow database up to date after
 * each change, reading again only what the change touched (touched.h).
 *
 * Changes are captured together, in spans: a change joins the span when
 * what it touched meets nothing the span's changes touched, so that one
 * capture after the span reads each object as it was after the change
 * that last touched it. The first change, a change that cannot be scoped
 * (touched.h says which) and every change when the shadow's user cannot
 * create event triggers are captured whole and compared with the snapshot
 * instead. A span's capture runs in a thread of its own while the next
 * changes replay: they read committed catalogs, and a change that meets
 * the span being captured waits for it at the gate like one that meets
 * the span being built. The paranoid check captures everything and fails loudly on any
 * difference from the snapshot kept incrementally.
 */
#ifndef DDLSNAP_INCREMENTAL_H
#define DDLSNAP_INCREMENTAL_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "ddlsnap/db.h"
#include "ddlsnap/snapshot.h"
#include "ddlsnap/touched.h"

typedef struct ds_span_change ds_span_change;
typedef struct ds_flight ds_flight;

/* Changes committed in the shadow whose capture is still to come. */
typedef struct {
	ds_span_change *changes;
	size_t n, cap;
	unsigned int *oids; /* their scopes' replaced OIDs, sorted */
	size_t noids, oids_cap;
} ds_span;

typedef struct {
	PGconn *conn;	     /* the shadow's capture connection */
	ds_touched *touched; /* NULL: every change is captured whole */
	int known;	     /* the snapshot's entries carry OIDs (captured in this run) */
	int paranoid;	     /* compare every change of a span with a full capture */
	size_t scoped, whole; /* changes captured each way */
	size_t captures;      /* scoped captures (one per span) */
	size_t behind;	      /* of which read while the next changes replayed */
	size_t retried;	      /* captures given up in the thread (a lock) and read again */
	size_t sent_back;     /* changes the gate sent back */
	/* where the time went (seconds, docs/incremental.md "Where the time goes"):
	 * the gate's take(), this thread waiting for the flight's, the flight's
	 * thread reading */
	double gate_seconds, wait_seconds, thread_seconds;
	ds_db_prepared prepared; /* the scoped kind queries, prepared once */
	ds_capture_memo *memo;	 /* what they read, sent in one round trip (capture.h) */
	FILE *log;
	/* called before each read of the capture connection after a change:
	 * the replayer's ds_replay_settle (NULL: nothing to wait for) */
	int (*settle)(void *payload);
	void *settle_payload;
	ds_scope gated; /* the scope the gate took of the change about to commit */
	int has_gated;
	ds_span open;	   /* the span the next changes join */
	ds_flight *flight; /* a span being captured in a thread (NULL: none) */
} ds_incremental;

/* At most this many changes are captured together. */
#define DS_SPAN_MAX 64

/** Install the event triggers when the shadow's user may. @return 0 or DS_EDB */
int ds_incremental_open(ds_incremental *inc, PGconn *capture_conn, FILE *log);

/**
 * The replay gate (replay.h), on the replay connection before a change
 * commits: take what the change touched, and say whether it meets what
 * the changes not captured yet touched, the span being captured in a
 * thread included (or must be captured whole while there are any). Then
 * it must not commit before they are captured: *wait is set, and the
 * change is run again after ds_incremental_flush with drain set.
 * @return 0 or DS_EDB
 */
int ds_incremental_gate(ds_incremental *inc, PGconn *replay, int *wait);

/**
 * After a change: when it committed (ok), its scope (the gate's, or taken
 * now when no gate was asked) joins the span; when it failed, what the
 * gate took is dropped. *flush is set when ds_incremental_flush has work
 * to do now: the change is captured whole, the span is full, or no span
 * is being captured (the span may start its capture).
 * @return 0 or an error code
 */
int ds_incremental_push(ds_incremental *inc, int ok, int *flush);

/** Called by ds_incremental_flush for each change whose snapshot is ready,
 * in the order they were pushed, once snap is as of that change; skipped
 * lists the uncaptured objects for one change of a span (NULL for the
 * others). */
typedef int (*ds_span_done_fn)(void *payload, const ds_capture *skipped);

/**
 * Bring snap up to date with the changes pushed so far, change by change:
 * each replaces the objects of its own scope, and done is called after
 * each. A span is captured in one scoped capture (a change captured whole
 * alone, in one full capture). Unless drain is set, the span is captured
 * in a thread while the caller replays the next changes (the span before
 * it is finished first, when it is done): those changes then wait for
 * the next call. With paranoid set, each result is compared with the full
 * capture taken after the change committed.
 * @param change called for each difference from the snapshot before
 * @param drain capture every change pushed before returning
 * @return 0 or an error code (snap is then emptied, every change pushed is
 *         dropped, and the next change is captured whole)
 */
int ds_incremental_flush(ds_incremental *inc, ds_snapshot *snap, ds_emit_fn emit,
			 void *emit_payload, ds_snap_change_fn change, void *change_payload,
			 ds_span_done_fn done, void *done_payload, int drain);

/** Whether a span's capture is running in its thread now (it may hold locks; never waits). */
int ds_incremental_capturing(const ds_incremental *inc);

/**
 * Wait until the capture connection is free (a span captured in a thread
 * is done with it): before another use of it.
 */
void ds_incremental_quiet(ds_incremental *inc);

/**
 * The paranoid check: capture everything and compare with snap; each
 * difference is printed on the log.
 * @return 0, or DS_EINVALID naming the first difference
 */
int ds_incremental_check(ds_incremental *inc, const ds_snapshot *snap);

/** Remove the event triggers. @return 0 or DS_EDB */
int ds_incremental_close(ds_incremental *inc);

#endif
