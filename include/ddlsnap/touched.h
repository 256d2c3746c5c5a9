/*
 * touched.h - what each change touched in the shadow database, for
 * incremental capture.
 *
 * Event triggers installed in the shadow (sql/touched/install.sql) write
 * down, inside each change's transaction, the objects its DDL created,
 * altered or dropped. After the change, ds_touched_take() reads them and
 * widens them to what capture must read again (sql/touched/scope.sql):
 * everything whose definition depends on them, each mapped to the object
 * whose blob holds it. The holders of parts (a table's index, constraint,
 * trigger, owned sequence...) are remembered, because once a part is
 * dropped the catalogs can no longer say which table held it.
 *
 * Some changes cannot be scoped and ask for a full capture: a command that
 * names no single object (GRANT, ALTER DEFAULT PRIVILEGES) and changes to
 * event triggers, which fire no event trigger.
 */
#ifndef DDLSNAP_TOUCHED_H
#define DDLSNAP_TOUCHED_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "ddlsnap/capture.h"

typedef struct ds_touched ds_touched;

/* A part's holder, or a child's parent, that a change's scope named. */
typedef struct {
	unsigned int oid, holder_classid, holder;
	int child; /* oid is a partition or inheritance child of holder */
} ds_learned;

/* The scope of one change. */
typedef struct {
	int everything;		 /* capture everything: the change cannot be scoped */
	ds_capture_scope capture; /* what to read again (when !everything) */
	unsigned int *replaced;	 /* sorted OIDs whose blobs the capture replaces:
				  * holders read again, and dropped objects */
	size_t nreplaced;
	/* parts and children the scope named, remembered by ds_touched_keep
	 * once the change committed (a change rolled back leaves no trace) */
	ds_learned *learned;
	size_t nlearned;
	/* storage behind the pointers above */
	char *oids_text;
	char **groups;
} ds_scope;

/**
 * Install the event triggers in the database conn is connected to (the
 * capture connection of the shadow).
 * @param[out] out the tracker, or NULL when conn's user may not create
 *             event triggers (not a superuser): every change is then
 *             captured whole, and a note says so on log
 * @return 0 or DS_EDB
 */
int ds_touched_install(ds_touched **out, PGconn *conn, FILE *log);

/**
 * Take what the changes since the last call touched, on conn: the replay
 * connection before its change commits (replay set: the change is then in
 * the scope, and its settings are reset first), or the capture connection
 * after.
 * @return 0 or DS_EDB
 */
int ds_touched_take(ds_touched *t, PGconn *conn, int replay, ds_scope *out);

/**
 * Remember the parts and children s named (its change committed), so that a
 * later change that drops a part, or detaches a child, reads its holder again.
 */
void ds_touched_keep(ds_touched *t, const ds_scope *s);

/**
 * Remember the holder of every part of the database (after a full capture,
 * so later drops of parts can be scoped).
 * @return 0 or DS_EDB
 */
int ds_touched_learn_all(ds_touched *t);

void ds_scope_free(ds_scope *s);

/** The order of ds_scope.replaced (for qsort and bsearch over OIDs). */
int ds_scope_oid_cmp(const void *a, const void *b);

/** Remove the event triggers and their schema, and free t. @return 0 or DS_EDB */
int ds_touched_uninstall(ds_touched *t);

#endif
