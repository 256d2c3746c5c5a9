/* incremental.c - a snapshot kept up to date change by change (see incremental.h). */
#include "ddlsnap/incremental.h"

#include <stdlib.h>
#include <string.h>

#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

/* Generic plans for the scoped queries, custom ones for a full capture. */
static int plans(ds_incremental *inc, int generic)
{
	return ds_db_query(inc->conn, NULL,
			   generic ? ds_sql_touched_plans_generic : ds_sql_touched_plans_custom, 0,
			   NULL);
}

int ds_incremental_open(ds_incremental *inc, PGconn *capture_conn, FILE *log)
{
	memset(inc, 0, sizeof *inc);
	inc->conn = capture_conn;
	inc->log = log;
	inc->prepared.conn = capture_conn;
	int rc = ds_touched_install(&inc->touched, capture_conn, log);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	return rc;
}

static int update_whole(ds_incremental *inc, ds_snapshot *snap, ds_capture *cap, ds_emit_fn emit,
			void *emit_payload, ds_snap_change_fn change, void *change_payload)
{
	ds_snapshot next = { 0 };
	int rc = inc->touched ? plans(inc, 0) : 0;
	if (rc == 0)
		rc = ds_capture_all(inc->conn, NULL, cap);
	/* The change may have added or dropped a schema: read them next time. */
	ds_capture_memo_forget_schemas(inc->memo);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	if (rc)
		return ds_error_wrap(rc, "capture failed");
	rc = ds_snapshot_build(&next, cap, emit, emit_payload);
	if (rc == 0 && change)
		rc = ds_snapshot_diff(snap, &next, change, change_payload);
	if (rc) {
		ds_snapshot_free(&next);
		return rc;
	}
	ds_snapshot_free(snap);
	*snap = next;
	if (inc->touched)
		rc = ds_touched_learn_all(inc->touched);
	inc->known = rc == 0;
	inc->whole++;
	return rc;
}

int ds_incremental_update(ds_incremental *inc, ds_snapshot *snap, ds_capture *cap, ds_emit_fn emit,
			  void *emit_payload, ds_snap_change_fn change, void *change_payload)
{
	ds_scope scope;
	int rc = 0;
	if (!inc->touched)
		return update_whole(inc, snap, cap, emit, emit_payload, change, change_payload);
	/* Taken even when the change is captured whole: it drains the log. */
	rc = ds_touched_take(inc->touched, &scope);
	if (rc)
		return rc;
	if (scope.everything || !inc->known) {
		ds_scope_free(&scope);
		return update_whole(inc, snap, cap, emit, emit_payload, change, change_payload);
	}
	scope.capture.prepared = &inc->prepared;
	if (!inc->memo)
		inc->memo = ds_capture_memo_new();
	scope.capture.memo = inc->memo;
	if (scope.capture.ngroups) {
		rc = ds_capture_scoped(inc->conn, NULL, &scope.capture, cap);
		if (rc)
			rc = ds_error_wrap(rc, "capture failed");
	}
	if (rc == 0)
		rc = ds_snapshot_apply(snap, scope.replaced, scope.nreplaced, cap, emit,
				       emit_payload, change, change_payload);
	ds_scope_free(&scope);
	if (rc)
		inc->known = 0; /* snap was freed: start again whole */
	inc->scoped++;
	return rc;
}

typedef struct {
	FILE *log;
	size_t n;
	char *first;
} mismatch;

static int report(const ds_snap_entry *kept, const ds_snap_entry *whole, void *payload)
{
	mismatch *m = payload;
	const char *path = kept ? kept->path : whole->path;
	if (m->n++ == 0)
		m->first = ds_xstrdup(path);
	fprintf(m->log, "paranoid: %s: %s\n", path,
		!kept  ? "missing from the incremental snapshot" :
		!whole ? "in the incremental snapshot but no longer in the database" :
			 "text differs from a full capture");
	return 0;
}

int ds_incremental_check(ds_incremental *inc, const ds_snapshot *snap)
{
	ds_capture cap = { 0 };
	ds_snapshot whole = { 0 };
	int rc = inc->touched ? plans(inc, 0) : 0;
	if (rc == 0)
		rc = ds_capture_all(inc->conn, NULL, &cap);
	if (rc == 0 && inc->touched)
		rc = plans(inc, 1);
	if (rc == 0)
		rc = ds_snapshot_build(&whole, &cap, NULL, NULL);
	ds_capture_free(&cap);
	if (rc)
		return ds_error_wrap(rc, "paranoid check: full capture failed");
	mismatch m = { inc->log, 0, NULL };
	if (ds_oid_cmp(&whole.tree, &snap->tree) != 0) {
		ds_snapshot_diff(snap, &whole, report, &m);
		if (m.n == 0)
			fprintf(inc->log, "paranoid: same objects, different trees\n");
		rc = ds_error_setc(DS_EINVALID,
				   "paranoid check: the incremental snapshot differs from a full"
				   " capture in %zu objects (first: %s)",
				   m.n, m.first ? m.first : "a tree");
	}
	free(m.first);
	ds_snapshot_free(&whole);
	return rc;
}

int ds_incremental_close(ds_incremental *inc)
{
	int rc = ds_touched_uninstall(inc->touched);
	inc->touched = NULL;
	ds_db_prepared_free(&inc->prepared);
	ds_capture_memo_free(inc->memo);
	inc->memo = NULL;
	return rc;
}
