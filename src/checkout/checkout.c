/*
 * checkout.c - the checkout driver (see checkout.h): read the snapshot,
 * plan it, check the target, apply everything in one transaction, and
 * commit only when every statement applied.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkout_int.h"
#include "ddlsnap/db.h"
#include "ddlsnap/error.h"
#include "ddlsnap_sql.h"

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Failures before anything ran: a bad REV or store is the caller's mistake. */
static ds_checkout_outcome read_outcome(int rc)
{
	return rc == DS_ENOTFOUND || rc == DS_EINVALID ? DS_CHECKOUT_BAD_REQUEST :
							 DS_CHECKOUT_FATAL;
}

static int read_snapshot(const ds_checkout_opts *o, ds_co_snapshot *snap)
{
	if (o->git_dir)
		return ds_co_read_git(snap, o->git_dir, o->rev);
	PGconn *conn = NULL;
	int rc = ds_db_connect(&conn, o->store, NULL);
	if (rc)
		return ds_error_wrap(rc, "the v2 store");
	rc = ds_co_read_store(snap, conn, o->rev);
	PQfinish(conn);
	return rc;
}

/* The target's public schema against the snapshot's (docs/checkout.md). */
static int settle_public(PGconn *conn, ds_co_plan *plan, int target_has_public,
			 ds_checkout_stats *stats)
{
	if (!target_has_public)
		return 0;
	if (!plan->has_public) {
		stats->public_dropped = 1;
		return ds_db_exec(conn, ds_sql_checkout_public_drop);
	}
	for (size_t i = 0; i < plan->n; i++)
		if (plan->items[i].cls.creates_public)
			plan->items[i].skip = 1;
	stats->public_kept = 1;
	return ds_db_exec(conn, ds_sql_checkout_public_reset);
}

static int apply_snapshot(const ds_checkout_opts *o, ds_co_plan *plan, ds_checkout_stats *st)
{
	PGconn *conn = NULL;
	char *name = ds_db_conninfo_dbname(o->into);
	const char *shown = name ? name : "the target";
	int has_public = 0;
	ds_co_notices notices = { o->log, NULL };
	int rc = ds_db_connect(&conn, o->into, NULL);
	if (rc) {
		st->outcome = DS_CHECKOUT_FATAL;
		free(name);
		return rc;
	}
	ds_co_target_notices(conn, &notices);
	rc = ds_co_target_session(conn);
	if (rc == 0)
		rc = ds_db_exec(conn, "BEGIN");
	if (rc == 0) {
		rc = ds_co_target_check_empty(conn, PQdb(conn), &has_public);
		if (rc == DS_EINVALID)
			st->outcome = DS_CHECKOUT_BAD_REQUEST;
	}
	if (rc == 0) {
		rc = settle_public(conn, plan, has_public, st);
		if (rc)
			ds_error_wrap(rc, "preparing schema public of %s", shown);
	}
	if (rc == 0)
		rc = ds_co_apply(conn, plan, st, &notices, o->quiet);
	if (rc == 0 && st->failed) {
		st->outcome = DS_CHECKOUT_NOT_APPLIED;
		rc = ds_error_setc(DS_ERROR,
				   "%zu statement%s of the snapshot do%s not apply (listed above);"
				   " nothing was written to %s",
				   st->failed, st->failed == 1 ? "" : "s",
				   st->failed == 1 ? "es" : "", shown);
	}
	if (rc == 0) {
		rc = ds_db_exec(conn, "COMMIT");
		if (rc) {
			/* deferred checks run at commit; the database refused the whole */
			st->outcome = DS_CHECKOUT_NOT_APPLIED;
			ds_error_wrap(rc, "committing the checkout");
		}
	} else {
		PQclear(PQexec(conn, "ROLLBACK"));
	}
	if (rc && st->outcome == DS_CHECKOUT_OK)
		st->outcome = DS_CHECKOUT_FATAL;
	PQfinish(conn);
	free(name);
	return rc;
}

int ds_checkout_run(const ds_checkout_opts *o, ds_checkout_stats *st)
{
	double t0 = now_seconds();
	ds_co_snapshot snap = { 0 };
	ds_co_plan plan = { 0 };
	memset(st, 0, sizeof *st);

	if (!o->rev || !o->into || !o->git_dir == !o->store) {
		st->outcome = DS_CHECKOUT_BAD_REQUEST;
		return ds_error_setc(
			DS_EINVALID,
			"a checkout needs a commit, a target database, and either a git"
			" repository or a v2 store");
	}
	int rc = read_snapshot(o, &snap);
	if (rc) {
		st->outcome = read_outcome(rc);
		ds_co_snapshot_free(&snap);
		return rc;
	}
	st->commit = snap.commit;
	st->tree = snap.tree;
	st->objects = snap.n;

	rc = ds_co_plan_build(&plan, &snap);
	if (rc) {
		/* a blob that does not parse, or holds what no snapshot holds */
		st->outcome = DS_CHECKOUT_NOT_APPLIED;
		ds_error_wrap(rc, "the snapshot does not apply");
	} else {
		if (!o->quiet) {
			char commit[DS_OID_HEXSZ + 1], tree[DS_OID_HEXSZ + 1];
			ds_oid_fmt(commit, &snap.commit);
			ds_oid_fmt(tree, &snap.tree);
			fprintf(o->log,
				"checkout: commit %s, tree %s: %zu objects, %zu statements\n",
				commit, tree, snap.n, plan.n);
		}
		rc = apply_snapshot(o, &plan, st);
	}
	ds_co_plan_free(&plan);
	ds_co_snapshot_free(&snap);
	st->seconds = now_seconds() - t0;
	return rc;
}
